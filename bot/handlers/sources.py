"""/sources (the catalog as a paged keyboard), /add, /mysources and /remove."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction

from bot.context import Context
from bot.handlers.replies import (
    argument_text,
    chat_row,
    edit_or_send,
    may_configure,
    pressed,
    reply,
    reply_usage,
    send_all,
)
from bot.render import escape, render_sources
from bot.settings import CatalogFeed
from jobs.chat_config import (
    CatalogChoice,
    add_personal_source,
    check_source_room,
    remove_source,
    toggle_catalog_feed,
)
from jobs.feeds import FeedError
from jobs.fetch import FetchError
from jobs.sources import resolve_feed
from jobs.user_input import UserInputError
from store.chats import chat_sources
from store.models import utcnow

log = logging.getLogger(__name__)

PAGE_SIZE = 6


def catalog_keyboard(
    catalog: tuple[CatalogFeed, ...], subscribed: set[str], page: int
) -> InlineKeyboardMarkup:
    """One button per catalog feed (✅ when subscribed), and ◀/▶ between pages."""
    pages = max(1, -(-len(catalog) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    rows = []
    for index in range(page * PAGE_SIZE, min(len(catalog), (page + 1) * PAGE_SIZE)):
        feed = catalog[index]
        mark = "✅" if feed.url in subscribed else "➕"
        rows.append(
            [InlineKeyboardButton(f"{mark} {feed.title}", callback_data=f"src:t:{index}:{page}")]
        )
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Back", callback_data=f"src:p:{page - 1}"))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("More ▶", callback_data=f"src:p:{page + 1}"))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def catalog_text(page: int, pages: int) -> str:
    return f"📚 <b>Catalog</b> (page {page + 1} of {pages}): tap to subscribe or unsubscribe."


async def _subscribed_urls(update: Update, context: Context) -> set[str]:
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat = await chat_row(session, update)
        return {source.url for source in await chat_sources(session, chat.id)}


async def sources(update: Update, context: Context) -> None:
    """Show the catalog's first page."""
    catalog = context.bot_data.services.settings.catalog
    subscribed = await _subscribed_urls(update, context)
    pages = max(1, -(-len(catalog) // PAGE_SIZE))
    await reply(
        update, context, catalog_text(0, pages), keyboard=catalog_keyboard(catalog, subscribed, 0)
    )


async def sources_button(update: Update, context: Context) -> None:
    """Page through the catalog, or toggle one feed."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.bot_data.services
    catalog = services.settings.catalog
    parts = query.data.split(":")
    if parts[1] == "t":
        if not await may_configure(update, context):
            return
        index, page = int(parts[2]), int(parts[3])
        if index >= len(catalog):
            await query.answer("That source is no longer in the catalog.")
            return
        feed = catalog[index]
        async with services.sessionmaker() as session, session.begin():
            chat = await chat_row(session, update)
            now_subscribed = await toggle_catalog_feed(
                session,
                chat.id,
                CatalogChoice(feed.topic, feed.title, feed.url),
                now=utcnow(),
                interval=services.settings.poll_interval,
            )
        await query.answer(
            ("Subscribed to " if now_subscribed else "Unsubscribed from ") + feed.title
        )
    else:
        page = int(parts[2])
        await query.answer()
    subscribed = await _subscribed_urls(update, context)
    pages = max(1, -(-len(catalog) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    await edit_or_send(
        update, context, catalog_text(page, pages), catalog_keyboard(catalog, subscribed, page)
    )


async def add(update: Update, context: Context) -> None:
    """Add a personal source: a feed URL, or a page that links to its feed."""
    url = argument_text(update)
    if not url or " " in url:
        await reply_usage(update, context, "add")
        return
    if not await may_configure(update, context):
        return
    assert update.effective_chat is not None
    services = context.bot_data.services
    limits = services.settings.limits
    try:
        async with services.sessionmaker() as session, session.begin():
            chat = await chat_row(session, update)
            await check_source_room(session, chat.id, limit=limits.sources_per_chat)
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
        resolved = await resolve_feed(
            services.fetcher, url, max_entries=limits.max_entries_per_feed
        )
        async with services.sessionmaker() as session, session.begin():
            created = await add_personal_source(
                session, chat.id, resolved, now=utcnow(), interval=services.settings.poll_interval
            )
    except (FetchError, FeedError, UserInputError) as exc:
        await reply(update, context, f"❌ Could not add {escape(url)}: {escape(str(exc))}")
        return
    if created:
        text = (
            f"✅ Added <b>{escape(resolved.title)}</b> ({resolved.entries} items now). "
            "Its news will be in your next digest."
        )
    else:
        text = f"You already read <b>{escape(resolved.title)}</b>."
    await reply(update, context, text)


async def mysources(update: Update, context: Context) -> None:
    """List the chat's sources, numbered for /remove."""
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat = await chat_row(session, update)
        listing = await chat_sources(session, chat.id)
    assert update.effective_chat is not None
    await send_all(context, update.effective_chat.id, render_sources(listing))


async def remove(update: Update, context: Context) -> None:
    """``/remove N`` removes source N of /mysources; plain ``/remove`` offers buttons."""
    argument = argument_text(update)
    if argument and not argument.isdigit():
        await reply_usage(update, context, "remove")
        return
    if not await may_configure(update, context):
        return
    services = context.bot_data.services
    async with services.sessionmaker() as session, session.begin():
        chat = await chat_row(session, update)
        listing = await chat_sources(session, chat.id)
        if not argument:
            title = None
        elif not 1 <= int(argument) <= len(listing):
            await reply(update, context, f"There is no source {escape(argument)}; see /mysources.")
            return
        else:
            title = await remove_source(session, chat.id, listing[int(argument) - 1].feed_id)
    if title is not None:
        await reply(update, context, f"🗑 Removed <b>{escape(title)}</b>.")
        return
    if not listing:
        await reply(update, context, "You have no sources to remove.")
        return
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"🗑 {s.title}", callback_data=f"rm:{s.feed_id}")] for s in listing]
    )
    await reply(update, context, "Tap a source to remove it:", keyboard=keyboard)


async def remove_button(update: Update, context: Context) -> None:
    query = update.callback_query
    data = await pressed(update, context)
    if query is None or data is None:
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat = await chat_row(session, update)
        title = await remove_source(session, chat.id, int(data.split(":")[1]))
    await query.answer()
    text = f"🗑 Removed <b>{escape(title)}</b>." if title else "That source was already removed."
    await edit_or_send(update, context, text, None)
