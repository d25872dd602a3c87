"""Scheduled digests: find the chats that are due, compose one item per story, queue the messages.

Composing is shared: chats that read the same feeds since the same time with the same settings
get the same items, rendered once; only the header (their local date) is their own.
"""

from __future__ import annotations

import functools
import gettext
import logging
import math
import textwrap
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.i18n import translation
from jobs.messages import entity_line, escape, link, pack_message
from jobs.mutes import compile_mutes, hidden_articles, muted_articles
from jobs.plaintext import html_to_text
from jobs.plurals import counted
from jobs.reader_language import chat_language, format_day, source_language_note
from jobs.roundup import take_roundups
from jobs.schedule import Schedule, ScheduleError, next_run, parse_schedule
from jobs.story_buttons import StoryRef, digest_payload, has_story_buttons
from jobs.timezones import TimezoneError, parse_timezone
from store import deliveries, muting
from store import digests as digest_store
from store.digests import DigestCandidate
from store.models import Chat, DeliveryKind, utcnow

log = logging.getLogger(__name__)

# What one composition of digest items is shared by: feeds, window start, style (the reader's
# language included, which the footer counting hidden stories is worded in), hidden stories.
_Composition = tuple[tuple[int, ...], datetime, "DigestStyle", frozenset[str]]

# Freshness halves every this many hours; a story carried by more outlets ranks higher.
FRESHNESS_HALF_LIFE_HOURS = 12.0
OUTLET_WEIGHT = 0.6
# Each further item from a source already in the digest is worth this much less.
SAME_SOURCE_PENALTY = 0.7
ENTITIES_SHOWN = 4
FIGURES_SHOWN = 2
# An unsummarized article shows this much of its own description: about two summary sentences.
DESCRIPTION_CHARS = 280


@dataclass(frozen=True, slots=True)
class DigestOptions:
    """How far back a digest looks at most, and whether an empty one is sent."""

    window: timedelta = timedelta(hours=48)
    send_empty: bool = False
    batch: int = 1000
    # A digest covers articles stamped up to this long ago, and the next one starts there: an
    # article is stamped before its transaction commits, and one committed just after a digest
    # read must not fall between two digests.
    settle: timedelta = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class DigestStyle:
    """A chat's presentation settings and language; equal styles share rendered items."""

    items: int
    summary_sentences: int
    show_entities: bool
    show_figures: bool
    # The reader's language (ISO 639-1, so "en-GB" and "en" share items): items name the
    # language of stories written in another.
    language: str | None = None

    @classmethod
    def of(cls, chat: Chat) -> DigestStyle:
        return cls(
            chat.items_per_digest,
            chat.summary_sentences,
            chat.show_entities,
            chat.show_figures,
            chat_language(chat.language),
        )


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One story: its best article, and the other outlets that carried it."""

    story_key: str
    title: str
    url: str
    source: str
    also: tuple[str, ...]
    sentences: tuple[str, ...]
    entities: tuple[dict[str, Any], ...]
    figures: tuple[dict[str, Any], ...]
    score: float
    language: str | None = None  # the article's, ISO 639-1 ("und": not told)
    # The best article and the feed it came through: what the item's buttons (🔔 Follow and
    # /follow N included) name.
    article_id: int = 0
    feed_id: int = 0


@dataclass(frozen=True, slots=True)
class DigestMessage:
    """One message of a digest and the stories it shows (their buttons are its keyboard)."""

    text: str
    stories: tuple[StoryRef, ...]
    # Every item of the digest in order, in every part: what /follow N and 🔔 Follow read.
    articles: tuple[int, ...] = ()

    def payload(self) -> dict[str, Any]:
        return {**digest_payload(self.text, self.stories), "articles": list(self.articles)}


@dataclass(slots=True)
class DigestReport:
    chats: int = 0
    sent: int = 0
    empty: int = 0
    # Due while paused: skipped, not composed, so nothing of it comes later as a flood.
    paused: int = 0
    messages: int = 0
    compositions: int = 0
    roundups: int = 0
    errors: list[str] = field(default_factory=list)


def pick_stories(
    candidates: Sequence[DigestCandidate], *, limit: int, now: datetime
) -> list[DigestItem]:
    """One item per story, ranked by freshness, how many outlets carry it and source variety."""
    stories: dict[str, list[DigestCandidate]] = defaultdict(list)
    for candidate in candidates:
        stories[candidate.story_key].append(candidate)
    scored: list[DigestItem] = []
    for key, copies in stories.items():
        # The copy with the fullest summary speaks for the story; the others are "also".
        best = max(copies, key=lambda c: (len(c.sentences), -c.article_id))
        sources = list(dict.fromkeys(c.source for c in copies))
        newest = max(c.published_at or c.fetched_at for c in copies)
        age_hours = max(0.0, (now - newest).total_seconds() / 3600)
        freshness = 0.5 ** (age_hours / FRESHNESS_HALF_LIFE_HOURS)
        score = freshness + OUTLET_WEIGHT * math.log1p(len(sources) - 1)
        scored.append(
            DigestItem(
                key,
                best.title,
                best.url,
                best.source,
                tuple(s for s in sources if s != best.source),
                best.sentences or description_sentences(best.description),
                best.entities,
                best.figures,
                score,
                best.language,
                best.article_id,
                best.feed_id,
            )
        )
    chosen: list[DigestItem] = []
    used: dict[str, int] = defaultdict(int)
    remaining = sorted(scored, key=lambda item: (-item.score, item.story_key))
    while remaining and len(chosen) < limit:
        best_index = max(
            range(len(remaining)),
            key=lambda i: remaining[i].score * SAME_SOURCE_PENALTY ** used[remaining[i].source],
        )
        item = remaining.pop(best_index)
        used[item.source] += 1
        chosen.append(item)
    return chosen


def muted_stories(
    candidates: Sequence[DigestCandidate], muted_article_ids: set[int]
) -> frozenset[str]:
    """The stories a chat's mutes hide: every story one of whose copies they match (another
    outlet's wording of a muted story is the same story)."""
    return frozenset(c.story_key for c in candidates if c.article_id in muted_article_ids)


def render_muted_footer(count: int, *, language: str | None) -> str:
    """One quiet line at the end of a digest saying mutes are at work, and where they live."""
    tr = translation(language)
    return "🔇 " + tr.ngettext(
        "{count} story hidden by your /mute words.",
        "{count} stories hidden by your /mute words.",
        count,
    ).format(count=count)


def description_sentences(description: str) -> tuple[str, ...]:
    """A summary's stand-in: the article's own text, cleaned of any markup left in it and cut
    at a word to the summary budget; nothing when there is no text (title and link remain)."""
    text = " ".join(html_to_text(description).split())
    if not text:
        return ()
    return (textwrap.shorten(text, width=DESCRIPTION_CHARS, placeholder=" …"),)


def also_reported_by(also: Sequence[str], tr: gettext.NullTranslations, *, named: int = 3) -> str:
    """`` · also reported by A, B, C and 2 more`` for a story's other outlets; '' for none."""
    if not also:
        return ""
    names = ", ".join(escape(name) for name in also[:named])
    if len(also) > named:
        more = len(also) - named
        names = tr.ngettext("{names} and {count} more", "{names} and {count} more", more).format(
            names=names, count=more
        )
    return " · " + tr.gettext("also reported by {names}").format(names=names)


def render_item(number: int, item: DigestItem, style: DigestStyle) -> str:
    tr = translation(style.language)
    lines = [f"<b>{number}.</b> {link(item.url, item.title or item.url)}"]
    source = f"<i>{escape(item.source)}</i>"
    written_in = source_language_note(item.language, reader=style.language)
    if written_in:
        source += f" · {escape(written_in)}"
    lines.append(source + also_reported_by(item.also, tr))
    sentences = item.sentences[: style.summary_sentences]
    if sentences:
        lines.append(escape(" ".join(sentences)))
    if style.show_entities and item.entities:
        line = entity_line(
            [
                (str(entity.get("text", "")), str(entity.get("kind", "")))
                for entity in item.entities[:ENTITIES_SHOWN]
            ]
        )
        if line:
            lines.append(line)
    if style.show_figures and item.figures:
        figures = []
        for figure in item.figures[:FIGURES_SHOWN]:
            text = str(figure.get("text", ""))
            about = str(figure.get("about") or "")
            figures.append(f"{text} ({about})" if about else text)
        lines.append("📊 " + escape("; ".join(figures)))
    return "\n".join(lines)


def _digest_title(local_now: datetime, tr: gettext.NullTranslations, reader: str | None) -> str:
    # TRANSLATORS: a digest's title line: {digest} is "Your digest", {date} the local date.
    return "📰 " + tr.gettext("{digest} — {date}").format(
        digest="<b>" + tr.gettext("Your digest") + "</b>", date=format_day(local_now, reader=reader)
    )


def render_header(
    items: Sequence[DigestItem], *, local_now: datetime, reader: str | None = None
) -> str:
    tr = translation(reader)
    sources = len({item.source for item in items} | {s for item in items for s in item.also})
    counts = tr.gettext("{stories} from {sources}").format(
        stories=counted(len(items), "story", "stories", translations=tr),
        sources=counted(sources, "source", "sources", translations=tr),
    )
    return f"{_digest_title(local_now, tr, reader)}\n{counts}"


def render_empty_header(local_now: datetime, *, reader: str | None) -> str:
    """The header of a digest sent with nothing in it (``send_empty``)."""
    tr = translation(reader)
    return f"{_digest_title(local_now, tr, reader)}\n" + tr.gettext(
        "Nothing new from your sources."
    )


def render_digest(
    items: Sequence[DigestItem],
    style: DigestStyle,
    *,
    local_now: datetime,
    footer: Sequence[str] = (),
) -> list[str]:
    """The digest as Telegram messages, split between items to stay within 4096 characters."""
    messages = digest_messages(items, style, local_now=local_now, footer=footer)
    return [message.text for message in messages]


def digest_messages(
    items: Sequence[DigestItem],
    style: DigestStyle,
    *,
    local_now: datetime,
    bodies: Sequence[str] | None = None,
    buttons: bool = True,
    footer: Sequence[str] = (),
) -> list[DigestMessage]:
    """:func:`render_digest`, each message with the stories it shows (none without
    ``buttons``); ``bodies`` are the items already rendered, when a batch shares them, and
    ``footer`` lines follow the last item (they name no story)."""
    if bodies is None:
        bodies = [render_item(n, item, style) for n, item in enumerate(items, start=1)]
    header = render_header(items, local_now=local_now, reader=style.language)
    articles = tuple(item.article_id for item in items)
    return [
        DigestMessage(
            text,
            tuple(
                StoryRef(i + 1, items[i].article_id, items[i].feed_id, items[i].source)
                for i in held
                if i < len(items)
            )
            if buttons
            else (),
            articles,
        )
        for text, held in pack_message(header, [*bodies, *footer])
    ]


@functools.lru_cache(maxsize=4096)
def _schedule(text: str) -> Schedule:
    return parse_schedule(text)


@functools.lru_cache(maxsize=4096)
def _zone(text: str) -> tzinfo:
    return parse_timezone(text)


def next_digest_time(schedule: str, timezone: str, *, after: datetime) -> datetime | None:
    """When a chat's digest is next due, in UTC; None when its schedule is off.

    The bot calls this whenever a chat changes its schedule or time zone; the sender after each
    digest. Raises ScheduleError or TimezoneError for values that do not parse.
    """
    return next_run(_schedule(schedule), _zone(timezone), after)


def is_paused(chat: Chat, now: datetime) -> bool:
    """Whether /pause holds the chat's digests at ``now`` (an expired pause no longer does)."""
    return chat.paused_at is not None and (chat.paused_until is None or chat.paused_until > now)


def _window(chat: Chat, options: DigestOptions) -> timedelta:
    """How far back the chat's digest looks: the configured window, or longer when its schedule
    waits longer between digests (a weekly digest covers its week)."""
    try:
        return max(options.window, _schedule(chat.digest_schedule).longest_gap())
    except ScheduleError:
        return options.window


def digest_since(chat: Chat, *, now: datetime, window: timedelta) -> datetime:
    earliest = now - window
    return max(chat.last_digest_at, earliest) if chat.last_digest_at else earliest


async def compose_for_chat(
    session: AsyncSession, chat: Chat, *, now: datetime, window: timedelta
) -> list[str]:
    """The texts of :func:`digest_for_chat`."""
    messages, _ = await digest_for_chat(session, chat, now=now, window=window)
    return [message.text for message in messages]


async def digest_for_chat(
    session: AsyncSession, chat: Chat, *, now: datetime, window: timedelta
) -> tuple[list[DigestMessage], list[int]]:
    """The chat's digest right now (for /digest): the latest stories of its sources.

    Unlike the scheduled digest it looks back the whole window, not just since the last
    digest, and includes a new feed's backlog: the reader asked for the news now.
    Returns the messages (none when the sources have nothing in the window) and the items'
    article ids, in order.
    """
    feeds = (await digest_store.feeds_of_chats(session, [chat.id])).get(chat.id, [])
    if not feeds:
        return [], []
    candidates = await digest_store.digest_candidates(
        session, feeds, since=now - window, until=now, include_backlog=True
    )
    muted = await muted_articles(session, [chat.id], [c.article_id for c in candidates])
    hidden = muted_stories(candidates, muted.get(chat.id, set()))
    style = DigestStyle.of(chat)
    shown = [c for c in candidates if c.story_key not in hidden]
    items = pick_stories(shown, limit=style.items, now=now)
    if not items:
        return [], []
    footer = [render_muted_footer(len(hidden), language=chat.language)] if hidden else []
    messages = digest_messages(
        items,
        style,
        local_now=now.astimezone(_zone_or_utc(chat.timezone)),
        buttons=has_story_buttons(chat.type),
        footer=footer,
    )
    return messages, [item.article_id for item in items]


def _zone_or_utc(name: str) -> tzinfo:
    try:
        return _zone(name)
    except TimezoneError:
        return _zone("UTC")


def _slot(chat: Chat, now: datetime) -> str:
    """The digest time a claimed chat is due for, as its outbox keys name it."""
    return (chat.next_digest_at or now).strftime("%Y%m%dT%H%M")


async def queue_due_digests(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    now: datetime | None = None,
    options: DigestOptions | None = None,
    on_enqueued: Callable[[], None] | None = None,
) -> DigestReport:
    """Queue the digests of every chat that is due now, and move each chat's schedule on."""
    options = options or DigestOptions()
    now = now or utcnow()
    report = DigestReport()
    while True:
        async with sessionmaker() as session, session.begin():
            chats = await digest_store.claim_due_chats(session, now=now, limit=options.batch)
            if not chats:
                break
            await _queue_batch(session, chats, now=now, options=options, report=report)
    if report.messages and on_enqueued is not None:
        on_enqueued()
    return report


async def _queue_batch(
    session: AsyncSession,
    chats: Sequence[Chat],
    *,
    now: datetime,
    options: DigestOptions,
    report: DigestReport,
) -> None:
    feeds = await digest_store.feeds_of_chats(session, [chat.id for chat in chats])
    outbox: list[tuple[int, DeliveryKind, str, dict[str, Any]]] = []
    candidates: dict[tuple[tuple[int, ...], datetime], list[DigestCandidate]] = {}
    items_for: dict[_Composition, list[DigestItem]] = {}
    bodies: dict[_Composition, list[str]] = {}
    # Mutes of the whole batch in one index, matched once per candidate list that a chat with
    # mutes reads; chats with the same feeds, window, style and hidden stories share items.
    mute_rules = await muting.mutes_of_chats(session, [chat.id for chat in chats])
    mute_index = compile_mutes(mute_rules)
    muting_chats = {chat_id for _, chat_id, _ in mute_rules}
    hidden_in: dict[tuple[tuple[int, ...], datetime], dict[int, set[int]]] = {}
    roundups_for = await take_roundups(
        session,
        [chat for chat in chats if not is_paused(chat, now)],
        slots={chat.id: _slot(chat, now) for chat in chats},
    )
    for chat in chats:
        report.chats += 1
        try:
            next_at = next_digest_time(chat.digest_schedule, chat.timezone, after=now)
        except (ScheduleError, TimezoneError) as exc:
            # A bad stored value must not make the chat due forever: switch its digest off.
            report.errors.append(f"chat {chat.id}: {exc}")
            next_at = None
        until = now - options.settle
        if is_paused(chat, now):
            report.paused += 1
            digest_store.advance_schedule(chat, sent_at=until, next_at=next_at)
            continue
        feed_key = tuple(feeds.get(chat.id, ()))
        since = min(digest_since(chat, now=until, window=_window(chat, options)), until)
        style = DigestStyle.of(chat)
        if (feed_key, since) not in candidates:
            candidates[(feed_key, since)] = (
                await digest_store.digest_candidates(session, feed_key, since=since, until=until)
                if feed_key
                else []
            )
        found = candidates[(feed_key, since)]
        hidden: frozenset[str] = frozenset()
        if chat.id in muting_chats:
            if (feed_key, since) not in hidden_in:
                # The copies in the window only (not older ones, as alerts check): a batch
                # reads each candidate's whole text once, and no more.
                texts = await muting.article_texts(session, [c.article_id for c in found])
                hidden_in[(feed_key, since)] = hidden_articles(mute_index, texts)
            hidden = muted_stories(found, hidden_in[(feed_key, since)].get(chat.id, set()))
        key = (feed_key, since, style, hidden)
        if key not in items_for:
            shown = [c for c in found if c.story_key not in hidden]
            items_for[key] = pick_stories(shown, limit=style.items, now=now)
            bodies[key] = [
                render_item(n, item, style) for n, item in enumerate(items_for[key], start=1)
            ]
            if hidden:
                bodies[key].append(render_muted_footer(len(hidden), language=style.language))
            report.compositions += 1
        items = items_for[key]
        if items or options.send_empty:
            local_now = now.astimezone(_zone_or_utc(chat.timezone))
            messages = (
                digest_messages(
                    items,
                    style,
                    local_now=local_now,
                    bodies=bodies[key],
                    buttons=has_story_buttons(chat.type),
                )
                if items
                else [DigestMessage(render_empty_header(local_now, reader=style.language), ())]
            )
            articles = [item.article_id for item in items]
            if articles:
                # What "/follow N" names from now on (an empty digest leaves the last one's).
                chat.last_digest_articles = articles
            slot = _slot(chat, now)
            # Each message's keyboard goes into the outbox with it, so a crash between queueing
            # and sending loses no button, and a tap is checked against the stored stories.
            outbox.extend(
                (chat.id, DeliveryKind.DIGEST, f"digest:{slot}:{part}", message.payload())
                for part, message in enumerate(messages)
            )
            report.sent += 1
            report.messages += len(messages)
        else:
            report.empty += 1
        roundup = roundups_for.get(chat.id)
        if roundup is not None:
            # Right after the digest: the same priority, queued later.
            outbox.append(
                (
                    chat.id,
                    DeliveryKind.DIGEST,
                    roundup.item_key,
                    {"text": roundup.text, "preview": False},
                )
            )
            report.roundups += 1
            report.messages += 1
        digest_store.advance_schedule(
            chat, sent_at=until if items else (chat.last_digest_at or until), next_at=next_at
        )
    await deliveries.enqueue_many(session, outbox, now=now)
