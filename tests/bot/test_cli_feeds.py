"""`newsdigest feeds`, `ingest --once` and `articles` against a real local feed server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.ingest import summary_line
from jobs.ingest import FeedOutcome, TickReport
from tests.feedserver import FeedServer


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


@pytest.fixture
def environ(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "NEWSDIGEST_DATABASE_URL": database_url,
        "NEWSDIGEST_DATA_DIR": str(tmp_path),
        "NEWSDIGEST_FETCH_ALLOW": "127.0.0.1",
    }


def test_add_list_ingest_articles_export_remove(
    server: FeedServer, environ: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A site's page: its <link rel="alternate"> leads to the feed.
    assert main(["feeds", "add", server.url("/page.html")], environ) == 0
    added = capsys.readouterr().out
    assert added.startswith("added: #1")

    assert main(["ingest", "--once"], environ) == 0
    out = capsys.readouterr().out
    assert "1 feed fetched" in out and "0 errors" in out

    assert main(["feeds", "list", "--json"], environ) == 0
    [row] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["failures"] == 0 and row["last_success"] and row["articles"] >= 1

    assert main(["articles", "--json", "--limit", "5"], environ) == 0
    articles = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert articles and all(article["url"].startswith("http") for article in articles)
    # Languages are ISO 639-1 codes (issue #13), never names such as "english".
    assert {article["language"] for article in articles} <= {"en", None}
    assert any(article["language"] == "en" for article in articles)

    opml = tmp_path / "feeds.opml"
    assert main(["feeds", "export", "-o", str(opml)], environ) == 0
    assert "xmlUrl" in opml.read_text()
    capsys.readouterr()
    assert main(["feeds", "remove", "1"], environ) == 0
    assert main(["feeds", "list"], environ) == 0
    assert "no feeds yet" in capsys.readouterr().out
    assert main(["feeds", "import", str(opml)], environ) == 0
    assert "imported 1 feed" in capsys.readouterr().out


def test_refused_and_broken_sources_get_one_clear_line(
    server: FeedServer, environ: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["feeds", "add", "http://10.0.0.5/feed.xml"], environ) == 1
    err = capsys.readouterr().err
    assert "10.0.0.5" in err and "private" in err and "Traceback" not in err
    assert main(["feeds", "add", server.url("/bomb.xml")], environ) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert main(["feeds", "add", "ftp://example.org/feed"], environ) == 1
    assert "http" in capsys.readouterr().err


def test_the_summary_line_counts_entries_that_were_not_stored() -> None:
    report = TickReport()
    report.add(FeedOutcome(1, "https://gazette.example/feed.xml", new=2, entry_errors=1))
    assert summary_line(report) == (
        "1 feed fetched: 2 new articles, 0 updated, 0 unchanged, 0 errors, "
        "1 entry not stored (see the log)"
    )
