"""`newsdigest summarize` (bot/commands/summarize.py) called through run() with a real parser."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from bot.commands.summarize import add_arguments, run
from bot.settings import load_settings
from tests.summarizer.articles import SHORT_STORY, THAI_STORY, WIRE_STORY
from tests.summarizer.foreign_articles import STORIES


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="newsdigest summarize")
    add_arguments(parser)
    return parser.parse_args(list(argv))


SETTINGS = load_settings({"HOME": "/nonexistent"})


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(WIRE_STORY, encoding="utf-8")
    return path


def test_json_prints_one_object_per_input(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(parse("--json", "--sentences", "2", str(story), str(story)), SETTINGS) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    record = json.loads(lines[0])
    assert set(record) == {
        "input", "title", "sentences", "entities", "figures", "method", "language",
        "entity_source",
    }  # fmt: skip
    assert record["input"] == str(story) and record["method"] == "news"
    assert record["language"] == "en"
    assert record["entity_source"].startswith("en_core_web_sm")  # or its PyPI re-upload
    assert len(record["sentences"]) == 2
    assert record["entities"][0] == {"text": "Marta Reis", "label": "person", "mentions": 5}
    assert set(record["figures"][0]) == {"text", "value", "unit", "about", "high", "direction"}


def test_readable_digest_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(WIRE_STORY))
    assert run(parse("--method", "lead", "-"), SETTINGS) == 0
    out = capsys.readouterr().out
    assert out.startswith("== Harbour city opens floating solar farm\n")
    assert "Entities: Marta Reis (person, 5)" in out
    assert "(178 words, 1 min read; en, lead)" in out


def test_failures_are_one_line_each_and_the_rest_still_run(
    story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    short = tmp_path / "short.txt"
    short.write_text(SHORT_STORY, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    # A link to a private address is refused before any connection is made.
    args = parse("--json", str(short), "http://10.0.0.5/a", str(missing), str(story))
    assert run(args, SETTINGS) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"newsdigest: {short}: text too short to summarize: 14 words",
        "newsdigest: http://10.0.0.5/a: refused: address 10.0.0.5 is in a private network; "
        "an administrator can exempt it with NEWSDIGEST_FETCH_ALLOW",
        f"newsdigest: {missing}: No such file or directory",
    ]
    assert [json.loads(line)["input"] for line in captured.out.splitlines()] == [str(story)]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--method", "magic", "x.txt"), "invalid choice: 'magic'"),
        (("--sentences", "0", "x.txt"), "--sentences: must be at least 1, got 0"),
        (("--sentences", "abc", "x.txt"), "--sentences: must be a whole number, got 'abc'"),
        (("--language", "klingon!", "x.txt"), "--language: must be an ISO 639-1 code"),
    ],
)
def test_bad_options_are_argument_errors(
    argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        parse(*argv)
    assert message in capsys.readouterr().err


def test_a_url_is_fetched_through_the_safe_fetcher(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.feedserver import FeedServer

    settings = load_settings({"NEWSDIGEST_FETCH_ALLOW": "127.0.0.1"})
    with FeedServer() as server:
        url = server.url("/articles/wind-farm-a.html")
        assert run(parse("--json", url), settings) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["input"] == url
    assert record["title"] and "North Bank" in " ".join(record["sentences"])


def test_language_overrides_identification(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chinese = next(s for s in STORIES if s.code == "zh")
    path = tmp_path / "zh.txt"
    path.write_text(chinese.text, encoding="utf-8")
    thai = tmp_path / "th.txt"
    thai.write_text(THAI_STORY, encoding="utf-8")
    assert run(parse("--language", "zh-CN", str(path)), SETTINGS) == 0
    out = capsys.readouterr().out
    assert "characters, 1 min read; zh, news)" in out
    assert "12亿元" in out
    # Named or identified, a language the summarizer does not read says so.
    assert run(parse("--language", "th", str(path), str(thai)), SETTINGS) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"newsdigest: {path}: Thai is not supported yet; the story is stored and shown with its "
        "feed's description",
        f"newsdigest: {thai}: Thai is not supported yet; the story is stored and shown with its "
        "feed's description",
    ]
