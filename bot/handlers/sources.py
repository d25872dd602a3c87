"""/sources (the catalog, paged, tap to subscribe), /add, /remove, /mysources."""

from __future__ import annotations

import gettext
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Context
from bot.handlers.buttons import StaleButton, offered_choice, offered_id, offered_index
from bot.handlers.common import (
    args_text,
    button_data,
    chat_id_of,
    chat_translation,
    ensure_chat,
    may_change_settings,
    permitted_button,
    reply,
    reply_usage,
)
from bot.handlers.stories import set_source_muted, unmuted_note
from bot.render import render_sources
from bot.replies import answer_tap, edit_keyboard, edit_text
from bot.settings import CatalogFeed
from jobs.feeds import FeedError
from jobs.fetch import FetchError, reader_reason
from jobs.i18n import translation
from jobs.messages import escape
from jobs.plurals import counted
from jobs.reader_language import UNDETERMINED, language_name
from jobs.sources import SourceError, add_source, source_url
from store import chats as chat_store
from store import feeds as feed_store
from store.chats import ChatSource
from store.models import Chat, utcnow
from summarizer.languages import SUPPORTED

PAGE_SIZE = 6


async def _catalog_feed_id(context: Context, item: CatalogFeed) -> int:
    services = context.bot_data.services
    async with services.sessionmaker() as session, session.begin():
        feed, _ = await feed_store.add_feed(
            session,
            item.url,
            now=utcnow(),
            interval_seconds=services.settings.poll_interval,
            title=item.title,
            topic=item.topic,
        )
    return feed.id


async def subscribe_topic(update: Update, context: Context, topic: str) -> int:
    """Subscribe the chat to every catalog feed of ``topic``; returns how many were new."""
    chat_id = chat_id_of(update)
    added = 0
    for item in context.bot_data.services.settings.catalog:
        if item.topic != topic:
            continue
        feed_id = await _catalog_feed_id(context, item)
        async with context.bot_data.services.sessionmaker() as session, session.begin():
            added += await chat_store.subscribe(session, chat_id, feed_id, now=utcnow())
    return added


async def _subscribed_urls(context: Context, chat_id: int) -> set[str]:
    async with context.bot_data.services.sessionmaker() as session:
        return {source.url for source in await chat_store.chat_sources(session, chat_id)}


def _pages(catalog: Sequence[CatalogFeed]) -> int:
    return max(1, -(-len(catalog) // PAGE_SIZE))


async def catalog_keyboard(
    context: Context, chat_id: int, page: int, tr: gettext.NullTranslations
) -> InlineKeyboardMarkup:
    catalog = context.bot_data.services.settings.catalog
    subscribed = await _subscribed_urls(context, chat_id)
    pages = _pages(catalog)
    page = min(max(page, 0), pages - 1)
    rows = []
    for index in range(page * PAGE_SIZE, min(len(catalog), (page + 1) * PAGE_SIZE)):
        item = catalog[index]
        mark = "✅" if item.url in subscribed else "➕"
        label = f"{mark} {item.title} · {item.topic}"
        rows.append([InlineKeyboardButton(label[:60], callback_data=f"cat:{index}:{page}")])
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton("◀ " + tr.gettext("Previous"), callback_data=f"catp:{page - 1}")
        )
    if page < pages - 1:
        nav.append(
            InlineKeyboardButton(tr.gettext("Next") + " ▶", callback_data=f"catp:{page + 1}")
        )
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


async def sources(update: Update, context: Context) -> None:
    """Show the catalog; each tap subscribes or unsubscribes."""
    tr = translation((await ensure_chat(update, context)).language)
    if not context.bot_data.services.settings.catalog:
        await reply(
            update, context, tr.gettext("The catalog is empty here. Add your own source: /add URL")
        )
        return
    await reply(
        update,
        context,
        tr.gettext("{sources}: tap to subscribe ➕ or unsubscribe ✅.").format(
            sources="<b>" + tr.gettext("Sources") + "</b>"
        ),
        markup=await catalog_keyboard(context, chat_id_of(update), 0, tr),
    )


async def catalog_button(update: Update, context: Context) -> None:
    """A tap in the catalog: toggle the subscription, or turn the page."""
    catalog = context.bot_data.services.settings.catalog
    kind, *values = button_data(update).split(":")
    if len(values) != (2 if kind == "cat" else 1):
        raise StaleButton(kind)
    page = offered_index(values[-1], _pages(catalog))
    index = offered_index(values[0], len(catalog)) if kind == "cat" else None
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    chat_id = chat_id_of(update)
    note = None
    if index is not None:
        item = catalog[index]
        tr = translation((await ensure_chat(update, context)).language)
        feed_id = await _catalog_feed_id(context, item)
        async with context.bot_data.services.sessionmaker() as session, session.begin():
            if await chat_store.subscribe(session, chat_id, feed_id, now=utcnow()):
                note = tr.gettext("Subscribed to {source}").format(source=item.title)
            else:
                await chat_store.unsubscribe(session, chat_id, feed_id)
                note = tr.gettext("Unsubscribed from {source}").format(source=item.title)
    else:
        tr = await chat_translation(update, context)
    if note is None:
        await query.answer()  # a page turn: the keyboard changing says it
    else:
        await answer_tap(query, note)
    await edit_keyboard(query, await catalog_keyboard(context, chat_id, page, tr))


async def topic_button(update: Update, context: Context) -> None:
    """A topic tapped under /start: subscribe to all its catalog sources."""
    topics = {item.topic for item in context.bot_data.services.settings.catalog}
    topic = offered_choice(button_data(update).split(":", 1)[1], topics)
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    tr = translation((await ensure_chat(update, context)).language)
    added = await subscribe_topic(update, context, topic)
    new = counted(added, "new source", "new sources", translations=tr)
    await answer_tap(query, f"{topic.title()}: {new}")
    subscribed = tr.gettext("subscribed to {sources}.").format(
        sources=counted(added, "source", "sources", translations=tr)
    )
    next_steps = tr.gettext("Tap {button} or send /digest; /settings sets your schedule.").format(
        button="<b>" + tr.gettext("First digest") + "</b>"
    )
    await reply(update, context, f"✅ <b>{escape(topic.title())}</b>: {subscribed} {next_steps}")


async def add(update: Update, context: Context) -> None:
    """Add a personal source: a feed URL, or a site page that links to its feed."""
    url = args_text(context)
    if not url:
        await reply_usage(update, context, "add")
        return
    if not await may_change_settings(update, context):
        return
    services = context.bot_data.services
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    async with services.sessionmaker() as session:
        personal = await chat_store.count_personal_sources(session, chat.id)
    limit = services.settings.limits.sources_per_chat
    if personal >= limit:
        await reply(
            update,
            context,
            tr.ngettext(
                "You have {count} source of your own, the most allowed ({limit}). "
                "/remove one first.",
                "You have {count} sources of your own, the most allowed ({limit}). "
                "/remove one first.",
                personal,
            ).format(count=personal, limit=limit),
        )
        return
    try:
        url = source_url(url)
    except SourceError as exc:
        await reply(update, context, f"{escape(exc.translated(tr))}.")
        return
    await context.bot.send_chat_action(chat.id, "typing")
    try:
        added = await add_source(
            services.sessionmaker,
            services.fetcher,
            chat.id,
            url,
            max_entries=services.settings.limits.max_entries_per_feed,
            poll_interval=services.settings.poll_interval,
            now=utcnow(),
        )
    except (FetchError, FeedError) as exc:
        await reply(
            update,
            context,
            tr.gettext("I could not add that source: {reason}").format(
                reason=escape(reader_reason(exc, tr))
            ),
        )
        return
    title = f"<b>{escape(added.title)}</b>"
    if not added.new:
        await reply(
            update, context, tr.gettext("You already follow {source}.").format(source=title)
        )
        return
    done = tr.ngettext(
        "Added {source} ({count} story in its feed now).",
        "Added {source} ({count} stories in its feed now).",
        added.entries,
    ).format(source=title, count=added.entries)
    seen = tr.gettext(
        "What it has today counts as already seen; new stories come in your digests and alerts."
    )
    text = f"✅ {done} {seen}"
    unsummarized = unsummarized_language_note(added.language, tr, reader=chat.language)
    if unsummarized:
        text += "\n\n⚠️ " + escape(unsummarized)
    await reply(update, context, text)


def unsummarized_language_note(
    language: str, tr: gettext.NullTranslations, *, reader: str | None
) -> str:
    """What a reader gets from a feed in a language the summarizer does not read; "" when it
    reads it (or the language could not be told: most such feeds are too short to tell)."""
    if language == UNDETERMINED or language in SUPPORTED:
        return ""
    name = language_name(language, reader=reader)
    return tr.gettext(
        "Articles from this feed are in {language}. {language} is not summarized yet: "
        "you'll get each story's title and its feed's description."
    ).format(language=name)


def unmute_keyboard(
    found: Sequence[ChatSource], language: str | None
) -> InlineKeyboardMarkup | None:
    """An Unmute button for each muted source (muted with a story's button)."""
    tr = translation(language)
    rows = [
        [
            InlineKeyboardButton(
                tr.gettext("🔊 Unmute {source}").format(source=s.title)[:60],
                callback_data=f"um:{s.feed_id}",
            )
        ]
        for s in found
        if s.muted
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def mysources(update: Update, context: Context) -> None:
    """List the chat's sources, marking those that stopped working or are muted."""
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    async with context.bot_data.services.sessionmaker() as session:
        found = await chat_store.chat_sources(session, chat_id_of(update))
    await reply(
        update, context, render_sources(found, tr), markup=unmute_keyboard(found, chat.language)
    )


async def unmute_button(update: Update, context: Context) -> None:
    """Unmute, tapped under /mysources: the source is back in digests and alerts."""
    chat_id = chat_id_of(update)
    async with context.bot_data.services.sessionmaker() as session:
        found = await chat_store.chat_sources(session, chat_id)
        chat = await session.get(Chat, chat_id)
    muted = {source.feed_id: source for source in found if source.muted}
    feed_id = offered_id(button_data(update).split(":", 1)[1], muted)
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    await set_source_muted(context, chat_id, feed_id, mute=False)
    language = chat.language if chat else None
    tr = translation(language)
    await answer_tap(query, unmuted_note(tr, muted[feed_id].title))
    async with context.bot_data.services.sessionmaker() as session:
        found = await chat_store.chat_sources(session, chat_id)
    await edit_text(query, render_sources(found, tr), markup=unmute_keyboard(found, language))


async def remove(update: Update, context: Context) -> None:
    """Offer the chat's sources as buttons; a tap removes one."""
    if not await may_change_settings(update, context):
        return
    tr = await chat_translation(update, context)
    async with context.bot_data.services.sessionmaker() as session:
        found = await chat_store.chat_sources(session, chat_id_of(update))
    if not found:
        await reply(update, context, tr.gettext("You have no sources to remove."))
        return
    rows = [
        [InlineKeyboardButton(f"✖ {s.title}"[:60], callback_data=f"rm:{s.feed_id}")] for s in found
    ]
    await reply(
        update, context, tr.gettext("Tap a source to remove it:"), markup=InlineKeyboardMarkup(rows)
    )


async def remove_button(update: Update, context: Context) -> None:
    chat_id = chat_id_of(update)
    async with context.bot_data.services.sessionmaker() as session:
        offered = {source.feed_id for source in await chat_store.chat_sources(session, chat_id)}
    feed_id = offered_id(button_data(update).split(":", 1)[1], offered)
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        removed = await chat_store.unsubscribe(session, chat_id, feed_id)
        left = await chat_store.chat_sources(session, chat_id)
    tr = await chat_translation(update, context)
    await query.answer(tr.gettext("Removed") if removed else tr.gettext("Already removed"))
    rows = [
        [InlineKeyboardButton(f"✖ {s.title}"[:60], callback_data=f"rm:{s.feed_id}")] for s in left
    ]
    await edit_keyboard(query, InlineKeyboardMarkup(rows))
