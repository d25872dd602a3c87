"""The command line: settings errors are one line and status 2, `config` never shows a secret, `db` migrates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from store import migrate

TOKEN = "123456789:AAH-abcdefghijklmnopqrstuvwxyz0123456"


def test_config_masks_secrets(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    environ = {
        "NEWSDIGEST_TELEGRAM_TOKEN": TOKEN,
        "NEWSDIGEST_WEBHOOK_SECRET": "hook-secret-value-1234567",
        "NEWSDIGEST_DATABASE_URL": "postgresql://bot:db-password@db.internal/news",
        "NEWSDIGEST_DATA_DIR": str(tmp_path),
    }
    assert main(["config"], environ) == 0
    out = capsys.readouterr().out
    assert "NEWSDIGEST_TELEGRAM_TOKEN" in out
    for secret in (TOKEN, "hook-secret-value", "db-password"):
        assert secret not in out
    assert "postgresql://bot:****@db.internal/news" in out


def test_bad_setting_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config"], {"NEWSDIGEST_POLL_INTERVAL": "soon"}) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "NEWSDIGEST_POLL_INTERVAL" in err and "'soon'" in err and "whole number" in err
    assert "Traceback" not in err


def test_bad_setting_from_the_real_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "config"],
        env={"NEWSDIGEST_LOG_LEVEL": "LOUD", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "newsdigest: bad setting NEWSDIGEST_LOG_LEVEL: got 'LOUD'; expected one of DEBUG, INFO, WARNING, ERROR"
    ]


def test_db_upgrade_current_and_guarded_downgrade(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    environ = {"NEWSDIGEST_DATABASE_URL": database_url}
    assert main(["db", "upgrade"], environ) == 0
    assert "(empty) → " + migrate.head_revision() in capsys.readouterr().out
    assert main(["db", "upgrade"], environ) == 0
    assert "already at revision" in capsys.readouterr().out
    assert main(["db", "current"], environ) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["db", "downgrade", "base"], environ) == 0
    assert "→ (empty)" in capsys.readouterr().out
    assert main(["db", "upgrade"], environ) == 0


def test_version_and_help_for_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"], {})
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("newsdigest ")
    for command in (
        "run",
        "worker",
        "ingest",
        "summarize",
        "feeds",
        "articles",
        "db",
        "config",
        "demo",
    ):
        with pytest.raises(SystemExit):
            main([command, "--help"], {})
        assert "usage: newsdigest " + command in capsys.readouterr().out


def test_downgrade_to_base_refuses_to_drop_data(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    import asyncio
    from datetime import UTC, datetime

    from store.database import create_engine, create_sessionmaker
    from store.models import Feed

    environ = {"NEWSDIGEST_DATABASE_URL": database_url}
    assert main(["db", "upgrade"], environ) == 0

    async def add_a_feed() -> None:
        engine = create_engine(database_url)
        async with create_sessionmaker(engine)() as session, session.begin():
            session.add(Feed(url="https://example.org/feed", next_due_at=datetime.now(UTC)))
        await engine.dispose()

    asyncio.run(add_a_feed())
    capsys.readouterr()
    assert main(["db", "downgrade", "base"], environ) == 2
    assert "--drop-data" in capsys.readouterr().out
    assert main(["db", "downgrade", "base", "--drop-data"], environ) == 0
