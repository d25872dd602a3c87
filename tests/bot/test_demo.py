"""`newsdigest demo` from a script: the whole system, offline, with an alert arriving live."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

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
        settings, source=io.StringIO(SCRIPT), out=out, interactive=False, color=False
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
    # The demo keeps nothing: its database lived in a temporary folder.
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


async def test_scripted_demo_weekly_pause_resume_and_opml(tmp_path: Path) -> None:
    out = io.StringIO()
    settings = load_settings({"NEWSDIGEST_DATA_DIR": str(tmp_path)})
    status = await run_demo(
        settings, source=io.StringIO(READER_CONTROLS), out=out, interactive=False, color=False
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
    assert "While you were away" in resumed and "wind farm cable" in resumed
    assert "OPML import: 2 added, 1 already there, 0 refused" in answer(":opml")
    exported = answer("/export")
    assert "[document," in exported and "3 sources as OPML" in exported
