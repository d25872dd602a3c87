"""The schema of the whole product as typed SQLAlchemy models; Alembic migrations mirror it."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Named constraints make migrations reproducible on both SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python.

    PostgreSQL keeps the zone (timestamptz); SQLite stores text without one, so values are
    normalised to UTC on the way in and tagged UTC on the way out. Naive datetimes are refused:
    a scheduler that guesses a zone sends digests at the wrong hour.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def identity_hash(value: str) -> str:
    """The unique key of an identity field (a GUID, a URL), which is kept whole in a Text column.

    A PostgreSQL btree index holds at most about 2,700 bytes a row, and feeds do carry GUIDs and
    links longer than that; cutting them would merge different entries, so the index is on this
    sha256 instead.
    """
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _hash_of(column: str) -> Callable[[DefaultExecutionContext], str]:
    """A column default: the identity hash of ``column`` in the same INSERT."""

    def default(context: DefaultExecutionContext) -> str:
        parameters: dict[str, str] = context.get_current_parameters()  # type: ignore[no-untyped-call]
        return identity_hash(parameters[column])

    return default


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class DeliveryKind(enum.StrEnum):
    DIGEST = "digest"
    ALERT = "alert"
    SUMMARY = "summary"
    NOTICE = "notice"
    # A followed story's news (jobs/follows.py): held by a pause and by quiet hours like alerts.
    UPDATE = "update"


class AlertMode(enum.StrEnum):
    """When a rule's matches reach the chat: each at once, or all in one message a day."""

    INSTANT = "instant"
    # Recorded as RoundupMatch rows, sent together at the chat's digest time.
    DAILY = "daily"


class DateSource(enum.StrEnum):
    """Where an article's ``published_at`` came from, best first: readers and digests order by
    it, and a feed without dates gets the fetch time, which is only when we saw it."""

    PUBLISHED = "published"  # the entry's published date (RSS pubDate, Atom published)
    UPDATED = "updated"  # the entry's updated date (Atom updated, RSS 1.0 / dc:date)
    PAGE = "page"  # the article page's own metadata
    FETCHED = "fetched"  # none given: when ingestion first stored it


class LanguageSource(enum.StrEnum):
    """Who gave a chat its language, which decides who may still change it unasked (issue #13)."""

    TELEGRAM = "telegram"  # the language_code of whoever wrote first: followed as it changes
    ADMIN = "admin"  # a group's or channel's admin who configured it: kept from then on
    CHOSEN = "chosen"  # picked with /language: only /language changes it


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DROPPED = "dropped"


class Feed(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    site_url: Mapped[str | None] = mapped_column(String(2048))
    topic: Mapped[str | None] = mapped_column(String(64), index=True)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    interval_seconds: Mapped[int] = mapped_column(Integer, default=900)
    next_due_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_fetched_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    broken_at: Mapped[datetime | None]
    # Set once the subscribers were told the feed is broken, so they are told once, not per try.
    broken_notified_at: Mapped[datetime | None]
    # Null until the first successful fetch: that fetch's entries are the backlog, stored as seen.
    backlog_done_at: Mapped[datetime | None]
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    added_by_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    subscriptions: Mapped[list[Subscription]] = relationship(
        back_populates="feed", cascade="all, delete-orphan", passive_deletes=True
    )


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_url: Mapped[str] = mapped_column(Text)
    # The unique key of canonical_url (see identity_hash); set on INSERT, and URLs never change.
    url_hash: Mapped[str] = mapped_column(
        String(64), unique=True, default=_hash_of("canonical_url")
    )
    feed_id: Mapped[int | None] = mapped_column(
        ForeignKey("feeds.id", ondelete="SET NULL"), index=True
    )
    guid: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(1000), default="")
    author: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    # Null for articles stored before the source was recorded (migration 0007).
    date_source: Mapped[DateSource | None] = mapped_column(
        Enum(
            DateSource,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime | None]
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(16))
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    story_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # MinHash signature of the text, to confirm near-duplicates found through story_bands.
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Backlog of a newly added feed: stored for search, never alerted or put in a digest.
    is_backlog: Mapped[bool] = mapped_column(Boolean, default=False)

    summary: Mapped[Summary | None] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    entries: Mapped[list[FeedEntry]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class FeedEntry(Base):
    """One feed's entry (its GUID) pointing at an article: one article may be in several feeds."""

    __tablename__ = "feed_entries"
    __table_args__ = (UniqueConstraint("feed_id", "guid_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    guid: Mapped[str] = mapped_column(Text)
    # The unique key of guid (see identity_hash); set on INSERT, and a GUID never changes.
    guid_hash: Mapped[str] = mapped_column(String(64), default=_hash_of("guid"))
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Hash of the entry as the feed shows it (title and content): a change means an edit.
    entry_hash: Mapped[str | None] = mapped_column(String(64))
    # Owed to alert matching: set with the entry when it is news (not backlog), cleared in the
    # transaction that queues its alerts. A crash in between leaves it set for the next sweep.
    alerts_pending: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)

    article: Mapped[Article] = relationship(back_populates="entries")


class StoryBand(Base):
    """One LSH band of an article's signature: articles sharing a band are near-duplicate candidates."""

    __tablename__ = "story_bands"

    band: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Summary(Base):
    __tablename__ = "summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), unique=True
    )
    sentences: Mapped[list[Any]] = mapped_column(default=list)
    entities: Mapped[list[Any]] = mapped_column(default=list)
    figures: Mapped[list[Any]] = mapped_column(default=list)
    method: Mapped[str] = mapped_column(String(32))
    summarizer_version: Mapped[str] = mapped_column(String(32))
    reading_minutes: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    article: Mapped[Article] = relationship(back_populates="summary")


class Chat(Base):
    """A Telegram chat (private, group, supergroup or channel) and its reader settings."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(16), default="private")
    title: Mapped[str | None] = mapped_column(String(500))
    username: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(16))
    language_source: Mapped[LanguageSource] = mapped_column(
        Enum(
            LanguageSource,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=LanguageSource.TELEGRAM,
        server_default=LanguageSource.TELEGRAM.value,
    )
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    digest_schedule: Mapped[str] = mapped_column(String(100), default="daily 08:00")
    # When the schedule next fires, in UTC: "which chats are due" is one indexed query.
    next_digest_at: Mapped[datetime | None] = mapped_column(index=True)
    last_digest_at: Mapped[datetime | None]
    # The numbered items of the latest digest the chat got (scheduled or /digest), as article
    # ids: what "/follow 2" names. Null until a digest is composed after migration 0012.
    last_digest_articles: Mapped[list[Any] | None]
    items_per_digest: Mapped[int] = mapped_column(Integer, default=8)
    summary_sentences: Mapped[int] = mapped_column(Integer, default=2)
    show_entities: Mapped[bool] = mapped_column(Boolean, default=True)
    show_figures: Mapped[bool] = mapped_column(Boolean, default=True)
    quiet_hours: Mapped[str | None] = mapped_column(String(32))
    # /pause: set while paused (no digests, alerts held); paused_until empty means until /resume.
    # The pause ends in the transaction that folds the held alerts into one message.
    paused_at: Mapped[datetime | None]
    paused_until: Mapped[datetime | None] = mapped_column(index=True)
    # For channels: the private chat of the admin who linked it with /channel.
    managed_by_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    subscriptions: Mapped[list[Subscription]] = relationship(
        back_populates="chat", cascade="all, delete-orphan", passive_deletes=True
    )
    alert_rules: Mapped[list[AlertRule]] = relationship(
        back_populates="chat", cascade="all, delete-orphan", passive_deletes=True
    )


class Subscription(Base):
    __tablename__ = "subscriptions"

    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    feed_id: Mapped[int] = mapped_column(
        ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by a story's "Mute source" button: the feed stays subscribed (unmute from /mysources)
    # but its stories are left out of the chat's digests and alerts.
    muted_at: Mapped[datetime | None]

    chat: Mapped[Chat] = relationship(back_populates="subscriptions")
    feed: Mapped[Feed] = relationship(back_populates="subscriptions")


Index("ix_subscriptions_feed_id", Subscription.feed_id)


class AlertRule(Base):
    __tablename__ = "alert_rules"
    __table_args__ = (UniqueConstraint("chat_id", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"), index=True
    )
    # The canonical form: what matching parses and what makes two spellings one rule.
    query: Mapped[str] = mapped_column(String(500))
    # The query as the user wrote it, which is what they are shown; None for rules added before
    # it was kept (migration 0006), which show the canonical form.
    written: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_matched_at: Mapped[datetime | None]
    mode: Mapped[AlertMode] = mapped_column(
        Enum(
            AlertMode,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=AlertMode.INSTANT,
        server_default=AlertMode.INSTANT.value,
    )

    chat: Mapped[Chat] = relationship(back_populates="alert_rules")

    @property
    def shown(self) -> str:
        """The query as the chat should see it."""
        return self.written or self.query


class RoundupMatch(Base):
    """A story a daily round-up rule matched, owed to the chat's next round-up.

    One row per chat and story (the alert's item key): a second outlet's copy finds it taken.
    The round-up message is queued and these rows deleted in one transaction.
    """

    __tablename__ = "roundup_matches"
    __table_args__ = (UniqueConstraint("chat_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE")
    )
    # A removed rule takes its pending matches with it.
    rule_id: Mapped[int] = mapped_column(
        ForeignKey("alert_rules.id", ondelete="CASCADE"), index=True
    )
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    item_key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(1000), default="")
    url: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    matched_at: Mapped[datetime] = mapped_column(default=utcnow)


class MuteRule(Base):
    """/mute: stories matching the query are left out of the chat's digests and alerts."""

    __tablename__ = "mute_rules"
    __table_args__ = (UniqueConstraint("chat_id", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE")
    )
    # Canonical form (as AlertRule.query), and the spelling the chat is shown.
    query: Mapped[str] = mapped_column(String(500))
    written: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedSearch(Base):
    """A /search the chat ran, so that its paging buttons carry only this row's id."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"), index=True
    )
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Delivery(Base):
    """The outbox: every message sent unasked is a row first, so none is lost or sent twice."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("chat_id", "kind", "item_key"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        # A button tap names its message: this finds the delivery (and the stories) it showed.
        Index("ix_deliveries_chat_message", "chat_id", "telegram_message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE")
    )
    kind: Mapped[DeliveryKind] = mapped_column(
        Enum(
            DeliveryKind,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    item_key: Mapped[str] = mapped_column(String(200))
    # Lower goes first: alerts before digests.
    priority: Mapped[int] = mapped_column(Integer, default=10)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[DeliveryStatus] = mapped_column(
        Enum(
            DeliveryStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=DeliveryStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoryFollow(Base):
    """A chat following a story, and what it already knows of it, so an update says only what
    is new. Ended follows stay (``ended_at``, ``ended_reason``) until the chat follows again."""

    __tablename__ = "story_follows"
    __table_args__ = (UniqueConstraint("chat_id", "story_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE")
    )
    story_key: Mapped[str] = mapped_column(String(64))
    # The article the reader followed from; its title names the story in /following.
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(1000), default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_update_at: Mapped[datetime | None]
    # Copies seen (or edited) since then may be news: the follow job looks at this follow only
    # when its story had such activity, or when the story may have gone quiet.
    news_since: Mapped[datetime] = mapped_column(default=utcnow)
    # Null while followed; "quiet" (a week without news) or "unfollowed" once ended.
    ended_at: Mapped[datetime | None] = mapped_column(index=True)
    ended_reason: Mapped[str | None] = mapped_column(String(32))
    # What the reader knows: the feeds that carried the story, its figures (text, value, unit,
    # about) and the names in it, as of the follow or the last update queued.
    known_outlets: Mapped[list[Any]] = mapped_column(default=list)
    known_figures: Mapped[list[Any]] = mapped_column(default=list)
    known_names: Mapped[list[Any]] = mapped_column(default=list)
