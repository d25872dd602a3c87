"""`newsdigest demo` from a script: the whole system, offline, with an alert arriving live."""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import sys
from pathlib import Path

import pytest

from bot.commands import demo
from bot.demo.session import run_demo
from bot.settings import load_settings

SCRIPT = """\
# comments and blank lines are skipped

/start
!1
/digest
/alert "wind farm" OR cable
:news
/frobnicate
:quit
"""


async def test_scripted_demo_shows_digest_alert_and_hints(tmp_path: Path) -> None:
    out = io.StringIO()
    settings = load_settings({"NEWSDIGEST_DATA_DIR": str(tmp_path)})
    status = await run_demo(
        settings,
        source=io.StringIO(SCRIPT),
        out=out,
        interactive=False,
        color=False,
        folder=tmp_path / "kept",
    )
    text = out.getvalue()
    assert status == 0
    assert "Ready: 9 stories from 3 sites." in text
    digest = text.split("you> /digest", 1)[1].split("you> ", 1)[0]
    assert "Your digest" in digest and "Storm cuts power cable" in digest
    alert = text.split("you> :news", 1)[1].split("you> ", 1)[0]
    assert "🔔" in alert and "Repair ship reaches damaged North Bank wind farm cable" in alert
    assert "I don't know /frobnicate" in text
    assert text.rstrip().endswith("Bye.")
    # The demo keeps nothing it was not asked to: its database lived in a temporary folder.
    assert not await asyncio.to_thread(lambda: any(tmp_path.iterdir()))


READER_CONTROLS = """\
/start
!1
/settings weekly mon 08:00
/pause 3d
/alert "wind farm" OR cable
:news
/resume
:opml
/export
:quit
"""


EXPLORING = """\
/sources
!1
!1
/trend wind
/help
/stats
:quit
"""


async def test_scripted_demo_weekly_pause_resume_and_opml(tmp_path: Path) -> None:
    out = io.StringIO()
    settings = load_settings({"NEWSDIGEST_DATA_DIR": str(tmp_path)})
    status = await run_demo(
        settings,
        source=io.StringIO(READER_CONTROLS),
        out=out,
        interactive=False,
        color=False,
        folder=tmp_path / "demo",
    )
    text = out.getvalue()
    assert status == 0

    def answer(to: str) -> str:
        return text.split(f"you> {to}", 1)[1].split("you> ", 1)[0]

    assert "every Monday at 08:00" in answer("/settings weekly mon 08:00")
    assert "Paused until" in answer("/pause 3d")
    assert "🔔" not in answer(":news")  # held while paused
    resumed = answer("/resume")
    assert "1 alert arrived meanwhile" in resumed
    # The list goes through the outbox: on a busy machine it may be printed a step later.
    after_resume = text.split("you> /resume", 1)[1]
    assert after_resume.count("While you were away") == 1
    away = after_resume.split("While you were away", 1)[1]
    assert "wind farm" in away.split("you> ", 1)[0]
    assert "OPML import: 2 added, 1 already there, 0 refused" in answer(":opml")
    exported = answer("/export")
    assert "[document," in exported and "3 sources as OPML" in exported
    # Saved where the terminal says, to be opened: the OPML of the chat's three sources.
    saved = Path(exported.split("saved as ", 1)[1].split("]", 1)[0])
    opml = await asyncio.to_thread(saved.read_bytes)
    assert saved.suffix == ".opml" and opml.count(b"<outline") >= 3


ROUND_UP_AND_MUTE = """\
/start
!1
/alert daily "wind farm" OR cable
/mute ferry
/digest
:news
:digest-time
/search wind farm
:quit
"""


async def test_scripted_demo_round_up_mute_and_folded_search(tmp_path: Path) -> None:
    out = io.StringIO()
    settings = load_settings({"NEWSDIGEST_DATA_DIR": str(tmp_path)})
    status = await run_demo(
        settings,
        source=io.StringIO(ROUND_UP_AND_MUTE),
        out=out,
        interactive=False,
        color=False,
        folder=tmp_path / "demo",
    )
    text = out.getvalue()
    assert status == 0

    def answer(to: str) -> str:
        return text.split(f"you> {to}", 1)[1].split("you> ", 1)[0]

    assert "round-up with your digest" in answer('/alert daily "wind farm" OR cable')
    assert "Muted" in answer("/mute ferry")
    digest = answer("/digest")
    assert "ferry" not in digest.lower() and "1 story hidden by your /mute words" in digest
    assert "🔔" not in answer(":news")  # a daily rule: no alert now
    # The outbox sends it: on a busy machine it may be printed a step later.
    after = text.split("you> :digest-time", 1)[1]
    # The digest whose hour came (with the story :news published), then its round-up.
    assert "Your digest" in after and after.index("Your digest") < after.index("Alert round-up")
    assert after.count("Alert round-up") == 1
    assert "Repair ship reaches damaged North Bank wind farm cable" in after
    found = answer("/search wind farm")
    assert "also reported by" in found


async def test_taps_pictures_and_admin_commands_show_in_the_demo(tmp_path: Path) -> None:
    out = io.StringIO()
    kept = tmp_path / "kept"
    kept.mkdir()
    settings = load_settings({"NEWSDIGEST_DATA_DIR": str(tmp_path / "data")})
    await run_demo(
        settings,
        source=io.StringIO(EXPLORING),
        out=out,
        interactive=False,
        color=False,
        folder=kept,
    )
    text = out.getvalue()
    steps = text.split("\nyou> ")
    sources, tap, tap_again, trend, help_text, stats = steps[1:7]
    # A tap that only turns ➕ into ✅ shows the new keyboard at once, with the tap's answer.
    assert "(no answer)" not in tap and "[bot (edited)]" in tap and "✅" in tap, tap
    assert "[1] ➕" in sources and "[1] ✅" in tap
    assert "\n(Subscribed" in tap or "\n(Added" in tap, tap
    assert "[1] ➕" in tap_again, tap_again
    picture = next(kept.glob("photo-*.png"))
    assert f"saved as {picture}]" in trend
    assert picture.read_bytes().startswith(b"\x89PNG")
    assert "/stats" in help_text and "admins" in help_text
    assert "Only" not in stats and "feeds" in stats.lower(), stats


STORY_BUTTONS = """\
/start
!1
/digest
!2
!1
!4
:quit
"""


async def test_a_digests_story_buttons_work_in_the_demo(tmp_path: Path) -> None:
    out = io.StringIO()
    settings = load_settings({"NEWSDIGEST_DATA_DIR": str(tmp_path)})
    status = await run_demo(
        settings,
        source=io.StringIO(STORY_BUTTONS),
        out=out,
        interactive=False,
        color=False,
        folder=tmp_path / "kept",
    )
    text = out.getvalue()
    assert status == 0
    steps = text.split("\nyou> ")
    digest, number, more, back = steps[3:7]
    assert "Your digest" in digest and "[1] 1   [2] 2" in digest, digest
    # The second story's actions, in place of the numbers; More replies with its full summary.
    assert "[1] ➕ More on 2" in number and "🔔 Follow" in number and "🔇 Mute" in number
    assert "min read" in more, more
    assert "[1] 1   [2] 2" in back, back


def test_the_demo_logs_to_its_folder_not_onto_the_prompt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "chat.txt"
    script.write_text("/help\n:quit\n", encoding="utf-8")
    data = tmp_path / "data"
    settings = load_settings({"NEWSDIGEST_DATA_DIR": str(data)})
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    # As the command line configures it: INFO and above to the terminal.
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(terminal)
    root.setLevel(logging.INFO)
    try:
        status = demo.run(argparse.Namespace(script=script, no_color=True), settings)
    finally:
        for handler in root.handlers:
            if handler not in saved_handlers:
                handler.close()
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    out, err = capsys.readouterr()
    log = (data / "demo" / "demo.log").read_text(encoding="utf-8")
    assert status == 0 and "What I can do" in out
    assert "INFO " in log, log
    assert "INFO " not in out and "INFO " not in err, err


FOLLOWING = """\
/start
!1
/digest
/follow 1
:update
/following
:quit
"""


async def test_scripted_demo_follows_a_story_and_shows_its_update(tmp_path: Path) -> None:
    out = io.StringIO()
    settings = load_settings({"NEWSDIGEST_DATA_DIR": str(tmp_path)})
    status = await run_demo(
        settings,
        source=io.StringIO(FOLLOWING),
        out=out,
        interactive=False,
        color=False,
        folder=tmp_path / "kept",
    )
    text = out.getvalue()
    assert status == 0

    def answer(to: str) -> str:
        return text.split(f"you> {to}", 1)[1].split("you> ", 1)[0]

    assert "Following Storm cuts power cable" in answer("/follow 1")
    assert "2 outlets so far" in answer("/follow 1")
    # The update goes through the outbox: on a busy machine it may be printed a step later.
    after = text.split("you> :update", 1)[1]
    assert after.count("Story update") == 1
    update = after.split("Story update", 1)[1]
    assert "1 new outlet: Circuit Weekly" in update
    assert "New figure: up to 160 kilometres an hour (gusts), was up to 140" in update
    assert "Tomas Berg" in update and "🔕 Unfollow" in update
    assert "3 outlets so far" in answer("/following")
