"""The one typed, immutable settings object, loaded from an environment mapping and a TOML file.

Nothing else in the project reads ``os.environ``: the entry point passes the environment in,
and every module receives the values it needs as arguments.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jobs.plurals import counted

PREFIX = "NEWSDIGEST_"
DEFAULT_API_URL = "https://api.telegram.org/bot"


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names it, the value and what is accepted."""

    def __init__(self, name: str, given: object, accepted: str) -> None:
        self.name = name
        self.given = given
        self.accepted = accepted
        super().__init__(f"{name}: got {given!r}; expected {accepted}")


class Secret:
    """A string that never shows itself in ``repr``, logs or ``newsdigest config``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def masked(self) -> str:
        return "****" + self._value[-4:] if len(self._value) > 12 else "****"

    def __repr__(self) -> str:
        return f"Secret({self.masked()!r})"

    __str__ = masked

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True, slots=True)
class CatalogFeed:
    """One feed of the default catalog, grouped by topic for /sources and /start deep links."""

    topic: str
    title: str
    url: str


DEFAULT_CATALOG: tuple[CatalogFeed, ...] = (
    CatalogFeed("world", "BBC News — World", "https://feeds.bbci.co.uk/news/world/rss.xml"),
    CatalogFeed("world", "The Guardian — World", "https://www.theguardian.com/world/rss"),
    CatalogFeed("world", "Al Jazeera — All news", "https://www.aljazeera.com/xml/rss/all.xml"),
    CatalogFeed("world", "NPR — News", "https://feeds.npr.org/1001/rss.xml"),
    CatalogFeed(
        "business", "BBC News — Business", "https://feeds.bbci.co.uk/news/business/rss.xml"
    ),
    CatalogFeed(
        "business", "The Guardian — Business", "https://www.theguardian.com/uk/business/rss"
    ),
    CatalogFeed(
        "tech", "BBC News — Technology", "https://feeds.bbci.co.uk/news/technology/rss.xml"
    ),
    CatalogFeed("tech", "Ars Technica", "https://feeds.arstechnica.com/arstechnica/index"),
    CatalogFeed("tech", "The Verge", "https://www.theverge.com/rss/index.xml"),
    CatalogFeed("tech", "Hacker News — Front page", "https://hnrss.org/frontpage"),
    CatalogFeed(
        "science",
        "BBC News — Science",
        "https://feeds.bbci.co.uk/news/science_and_environment/rss.xml",
    ),
    CatalogFeed("science", "NASA — Breaking news", "https://www.nasa.gov/news-release/feed/"),
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps that keep one hostile source or one chatty user from costing unbounded work."""

    fetch_max_bytes: int = 5_000_000
    fetch_timeout: float = 20.0
    fetch_read_timeout: float = 10.0
    fetch_max_redirects: int = 5
    fetch_per_host: int = 4
    max_entries_per_feed: int = 200
    max_article_chars: int = 200_000
    feed_failure_threshold: int = 5
    alerts_per_chat: int = 50
    follows_per_chat: int = 20
    alert_query_chars: int = 200
    sources_per_chat: int = 100
    summaries_per_minute: int = 5
    # An OPML file sent to the bot: read at most this many bytes, take at most this many feeds.
    opml_max_bytes: int = 1_000_000
    opml_max_feeds: int = 200


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, resolved and validated; pass it (or parts of it) down as arguments."""

    data_dir: Path
    database_url: str
    telegram_token: Secret | None = None
    telegram_api_url: str = DEFAULT_API_URL
    admin_ids: frozenset[int] = frozenset()
    catalog: tuple[CatalogFeed, ...] = DEFAULT_CATALOG
    poll_interval: int = 900
    digest_window_hours: int = 48
    digest_send_empty: bool = False
    # A followed story sends at most one update in this many hours; news meanwhile waits.
    follow_update_hours: int = 6
    fetch_allow: tuple[str, ...] = ()
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: Secret | None = None
    log_level: str = "INFO"
    limits: Limits = field(default_factory=Limits)

    @property
    def demo_mode(self) -> bool:
        """No token means the local demo: nothing is sent to the real Telegram."""
        return self.telegram_token is None


# --- parsing ---------------------------------------------------------------------------------------


def _parse_int(minimum: int, maximum: int | None = None) -> Callable[[str, object], int]:
    accepted = f"a whole number ≥ {minimum}" + (f" and ≤ {maximum}" if maximum is not None else "")

    def parse(name: str, raw: object) -> int:
        try:
            value = int(str(raw).strip().replace("_", "")) if not isinstance(raw, bool) else None
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            raise SettingsError(name, raw, accepted)
        return value

    return parse


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def _parse_bool(name: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word not in _TRUE | _FALSE:
        raise SettingsError(name, raw, "true or false (also yes/no, on/off, 1/0)")
    return word in _TRUE


def _parse_float(minimum: float) -> Callable[[str, object], float]:
    def parse(name: str, raw: object) -> float:
        try:
            value = float(str(raw).strip())
        except ValueError:
            value = None
        if value is None or not value >= minimum:
            raise SettingsError(name, raw, f"a number of seconds ≥ {minimum:g}")
        return value

    return parse


def _split_list(raw: object) -> list[str]:
    if isinstance(raw, list | tuple):
        return [str(item).strip() for item in raw if str(item).strip()]
    return [part.strip() for part in str(raw).replace(";", ",").split(",") if part.strip()]


def _parse_admin_ids(name: str, raw: object) -> frozenset[int]:
    ids = set()
    for part in _split_list(raw):
        try:
            ids.add(int(part))
        except ValueError:
            raise SettingsError(
                name, raw, "Telegram user ids separated by commas, e.g. 12345,67890"
            ) from None
    return frozenset(ids)


def _parse_http_url(name: str, raw: object) -> str:
    value = str(raw).strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(name, raw, "an http:// or https:// URL")
    return value


def _parse_database_url(name: str, raw: object) -> str:
    value = str(raw).strip()
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if not scheme.startswith(("sqlite", "postgresql", "postgres")):
        raise SettingsError(
            name, raw, "a sqlite:///PATH or postgresql://USER@HOST/DB URL (SQLAlchemy form)"
        )
    return value


def _parse_token(name: str, raw: object) -> Secret | None:
    value = str(raw).strip()
    if not value:
        return None
    bot_id, sep, rest = value.partition(":")
    if not sep or not bot_id.isdigit() or len(rest) < 20:
        # Show only the shape, never the secret itself.
        raise SettingsError(
            name,
            "<hidden>",
            "a token from @BotFather, like 123456:ABC-DEF… (digits, colon, 35 characters)",
        )
    return Secret(value)


def _parse_secret(name: str, raw: object) -> Secret | None:
    value = str(raw).strip()
    return Secret(value) if value else None


def _parse_fetch_allow(name: str, raw: object) -> tuple[str, ...]:
    entries = _split_list(raw)
    for entry in entries:
        if "/" in entry:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise SettingsError(
                    name,
                    raw,
                    "host names or CIDR ranges separated by commas, e.g. 127.0.0.1,10.0.0.0/8,intranet.local",
                ) from None
    return tuple(entry.lower() for entry in entries)


def _parse_log_level(name: str, raw: object) -> str:
    value = str(raw).strip().upper()
    if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError(name, raw, "one of DEBUG, INFO, WARNING, ERROR")
    return value


def _parse_optional_url(name: str, raw: object) -> str | None:
    return _parse_http_url(name, raw) if str(raw).strip() else None


def _parse_catalog(name: str, raw: object) -> tuple[CatalogFeed, ...]:
    accepted = 'a list of tables with topic, title and url, e.g. [[catalog]] topic = "tech" …'
    if not isinstance(raw, list):
        raise SettingsError(name, raw, accepted)
    feeds = []
    for item in raw:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in ("topic", "title", "url")
        ):
            raise SettingsError(name, item, accepted)
        feeds.append(
            CatalogFeed(
                item["topic"].strip().lower(),
                item["title"].strip(),
                _parse_http_url(name, item["url"]),
            )
        )
    return tuple(feeds)


_TOP_LEVEL: dict[str, Callable[[str, Any], Any]] = {
    "database_url": _parse_database_url,
    "telegram_token": _parse_token,
    "telegram_api_url": _parse_http_url,
    "admin_ids": _parse_admin_ids,
    "catalog": _parse_catalog,
    "poll_interval": _parse_int(30, 7 * 86400),
    "digest_window_hours": _parse_int(1, 24 * 14),
    "digest_send_empty": lambda name, raw: _parse_bool(name, raw),
    "follow_update_hours": _parse_int(1, 24 * 7),
    "fetch_allow": _parse_fetch_allow,
    "webhook_url": _parse_optional_url,
    "webhook_listen": lambda name, raw: str(raw).strip(),
    "webhook_port": _parse_int(1, 65535),
    "webhook_secret": _parse_secret,
    "log_level": _parse_log_level,
}

_LIMITS: dict[str, Callable[[str, Any], Any]] = {
    "fetch_max_bytes": _parse_int(10_000),
    "fetch_timeout": _parse_float(1.0),
    "fetch_read_timeout": _parse_float(0.5),
    "fetch_max_redirects": _parse_int(0, 20),
    "fetch_per_host": _parse_int(1, 64),
    "max_entries_per_feed": _parse_int(1),
    "max_article_chars": _parse_int(1_000),
    "feed_failure_threshold": _parse_int(1),
    "alerts_per_chat": _parse_int(1),
    "follows_per_chat": _parse_int(1),
    "alert_query_chars": _parse_int(10),
    "sources_per_chat": _parse_int(1),
    "summaries_per_minute": _parse_int(1),
    "opml_max_bytes": _parse_int(1_000),
    "opml_max_feeds": _parse_int(1),
}


def _env_name(key: str) -> str:
    return PREFIX + key.upper()


def _default_data_dir(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME", ".")) / ".local" / "share")
    return Path(base) / "newsdigest"


def read_toml(path: Path) -> dict[str, Any]:
    """Read the optional config file; a missing or broken file is a settings error, not a traceback."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise SettingsError("--config", str(path), "the path of an existing TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError("--config", str(path), f"valid TOML ({exc})") from None


def load_settings(environ: Mapping[str, str], path: Path | None = None) -> Settings:
    """Resolve settings: defaults, then the TOML file, then ``NEWSDIGEST_*`` environment variables.

    The environment wins so that one file can serve several workers that differ in one value.
    """
    file_values = read_toml(path) if path is not None else {}
    file_limits = file_values.pop("limits", {})
    if not isinstance(file_limits, dict):
        raise SettingsError("limits", file_limits, "a [limits] table")
    known = {*_TOP_LEVEL, "data_dir"}
    unknown = sorted(set(file_values) - known)
    if unknown:
        raise SettingsError(
            str(path), unknown[0], "one of " + ", ".join(sorted(known)) + ", [limits]"
        )
    unknown_limits = sorted(set(file_limits) - set(_LIMITS))
    if unknown_limits:
        raise SettingsError(
            f"{path} [limits]", unknown_limits[0], "one of " + ", ".join(sorted(_LIMITS))
        )

    def lookup(key: str, section: Mapping[str, Any]) -> tuple[str, Any] | None:
        env_key = _env_name(key)
        if env_key in environ:
            return env_key, environ[env_key]
        if key in section:
            return key, section[key]
        return None

    values: dict[str, Any] = {}
    for key, parse in _TOP_LEVEL.items():
        if key == "catalog" and _env_name(key) in environ:
            raise SettingsError(
                _env_name(key),
                environ[_env_name(key)],
                "the catalog in the TOML file (--config), as [[catalog]] tables",
            )
        found = lookup(key, file_values)
        if found is None and key == "telegram_token" and environ.get("TELEGRAM_BOT_TOKEN"):
            found = ("TELEGRAM_BOT_TOKEN", environ["TELEGRAM_BOT_TOKEN"])
        if found is not None:
            values[key] = parse(*found)

    limit_values: dict[str, Any] = {}
    for key, parse in _LIMITS.items():
        found = lookup(key, file_limits)
        if found is not None:
            limit_values[key] = parse(*found)

    data_dir_raw = lookup("data_dir", file_values)
    data_dir = (
        Path(str(data_dir_raw[1])).expanduser() if data_dir_raw else _default_data_dir(environ)
    )
    if data_dir.exists() and not data_dir.is_dir():
        raise SettingsError(_env_name("data_dir"), str(data_dir), "a directory (it is a file)")
    database_url = values.pop("database_url", None) or f"sqlite:///{data_dir / 'newsdigest.db'}"
    return Settings(
        data_dir=data_dir, database_url=database_url, limits=Limits(**limit_values), **values
    )


def describe_settings(settings: Settings) -> list[tuple[str, str]]:
    """The effective settings as (environment name, shown value) rows, secrets masked."""
    rows: list[tuple[str, str]] = []

    def show(value: object) -> str:
        if value is None:
            return "(not set)"
        if isinstance(value, Secret):
            return value.masked()
        if isinstance(value, frozenset | tuple) and not value:
            return "(none)"
        if isinstance(value, frozenset):
            return ",".join(str(v) for v in sorted(value))
        if isinstance(value, tuple) and value and isinstance(value[0], CatalogFeed):
            return f"{counted(len(value), 'feed', 'feeds')} in topics " + ", ".join(
                sorted({feed.topic for feed in value})
            )
        if isinstance(value, tuple):
            return ",".join(str(v) for v in value)
        return str(value)

    for item in dataclasses.fields(settings):
        value = getattr(settings, item.name)
        if item.name == "limits":
            for limit in dataclasses.fields(value):
                rows.append((_env_name(limit.name), show(getattr(value, limit.name))))
        elif item.name == "database_url":
            rows.append((_env_name(item.name), mask_url_password(value)))
        else:
            rows.append((_env_name(item.name), show(value)))
    return rows


def mask_url_password(url: str) -> str:
    """Hide a password embedded in a database URL."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":****@", 1)
        return parts._replace(netloc=netloc).geturl()
    return url
