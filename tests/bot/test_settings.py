"""Settings resolve from defaults, a TOML file and the environment, and refuse bad values by name."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.services import digest_options
from bot.settings import DEFAULT_CATALOG, Secret, SettingsError, load_settings

TOKEN = "123456789:AAH-abcdefghijklmnopqrstuvwxyz0123456"


def test_defaults_need_nothing_set(tmp_path: Path) -> None:
    settings = load_settings({"HOME": str(tmp_path)})
    assert settings.data_dir == tmp_path / ".local" / "share" / "newsdigest"
    assert settings.database_url == f"sqlite:///{settings.data_dir / 'newsdigest.db'}"
    assert settings.demo_mode
    assert settings.catalog == DEFAULT_CATALOG
    assert settings.telegram_api_url == "https://api.telegram.org/bot"


def test_environment_overrides_file(tmp_path: Path) -> None:
    config = tmp_path / "newsdigest.toml"
    config.write_text(
        'poll_interval = 600\nadmin_ids = [1, 2]\ndata_dir = "/srv/nd"\n'
        "[limits]\nfetch_max_redirects = 3\n"
        '[[catalog]]\ntopic = "Local"\ntitle = "Town news"\nurl = "https://town.example/feed"\n'
    )
    settings = load_settings({"NEWSDIGEST_POLL_INTERVAL": "120"}, config)
    assert settings.poll_interval == 120
    assert settings.admin_ids == frozenset({1, 2})
    assert settings.data_dir == Path("/srv/nd")
    assert settings.limits.fetch_max_redirects == 3
    assert [(f.topic, f.url) for f in settings.catalog] == [("local", "https://town.example/feed")]


def test_digest_options_come_from_settings() -> None:
    settings = load_settings(
        {
            "NEWSDIGEST_DIGEST_SEND_EMPTY": "yes",
            "NEWSDIGEST_DIGEST_WINDOW_HOURS": "24",
            "HOME": "/t",
        }
    )
    options = digest_options(settings)
    assert options.send_empty is True and options.window == timedelta(hours=24)
    assert digest_options(load_settings({"HOME": "/t"})).send_empty is False


def test_common_token_variable_is_accepted_and_masked() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "HOME": "/tmp"})
    assert settings.telegram_token == Secret(TOKEN)
    assert not settings.demo_mode
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings.telegram_token)


def test_prefixed_token_wins_over_common_one() -> None:
    other = "987654321:BBH-abcdefghijklmnopqrstuvwxyz0123456"
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSDIGEST_TELEGRAM_TOKEN": other})
    assert settings.telegram_token is not None
    assert settings.telegram_token.reveal() == other


@pytest.mark.parametrize(
    ("name", "value", "accepted"),
    [
        ("NEWSDIGEST_POLL_INTERVAL", "often", "whole number"),
        ("NEWSDIGEST_POLL_INTERVAL", "5", "≥ 30"),
        ("NEWSDIGEST_DIGEST_SEND_EMPTY", "maybe", "true or false"),
        ("NEWSDIGEST_DIGEST_WINDOW_HOURS", "0", "≥ 1"),
        ("NEWSDIGEST_DATABASE_URL", "mysql://localhost/db", "postgresql://"),
        ("NEWSDIGEST_TELEGRAM_API_URL", "ftp://api", "http:// or https://"),
        ("NEWSDIGEST_ADMIN_IDS", "12,alice", "user ids"),
        ("NEWSDIGEST_FETCH_ALLOW", "10.0.0.0/99", "CIDR"),
        ("NEWSDIGEST_LOG_LEVEL", "LOUD", "DEBUG"),
        ("NEWSDIGEST_FETCH_TIMEOUT", "-1", "seconds"),
        ("NEWSDIGEST_WEBHOOK_PORT", "70000", "≤ 65535"),
        ("NEWSDIGEST_CATALOG", "tech=https://x", "TOML"),
    ],
)
def test_bad_values_name_the_setting_and_what_is_accepted(
    name: str, value: str, accepted: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({name: value})
    assert caught.value.name == name
    assert accepted in str(caught.value)


def test_bad_token_error_never_shows_the_token() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"NEWSDIGEST_TELEGRAM_TOKEN": "not-a-real-token-but-secret"})
    assert "not-a-real-token-but-secret" not in str(caught.value)


def test_unknown_file_keys_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("pol_interval = 60\n")
    with pytest.raises(SettingsError, match="pol_interval"):
        load_settings({}, config)


def test_missing_and_broken_files_are_settings_errors(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="existing TOML file"):
        load_settings({}, tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("poll_interval = = 3\n")
    with pytest.raises(SettingsError, match="valid TOML"):
        load_settings({}, broken)
