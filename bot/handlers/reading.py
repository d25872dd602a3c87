"""/digest, /summary (links, replies, pasted or forwarded texts), /search and /trend."""

from __future__ import annotations

import asyncio
import contextlib
import gettext
import re
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError

from bot.charts import trend_png
from bot.context import Context
from bot.handlers.buttons import offered_id, offered_index
from bot.handlers.common import (
    args_text,
    button_data,
    chat_id_of,
    chat_translation,
    ensure_chat,
    reader_code,
    reply,
    reply_usage,
)
from bot.render import render_link_digest, render_search_page
from bot.replies import edit_text, send_html
from jobs.digests import DigestMessage, digest_for_chat
from jobs.feeds import FeedError
from jobs.fetch import FetchError, reader_reason
from jobs.i18n import translation
from jobs.messages import escape
from jobs.on_demand import LinkError, summarize_link
from jobs.plurals import counted
from jobs.reader_language import UNDETERMINED, language_name
from jobs.search_results import FoundStory, fold_by_story, page_count, page_of
from jobs.user_input import quoted
from store import deliveries
from store.chats import chat_sources, update_chat
from store.models import DeliveryKind, utcnow
from store.search import live_searches, mentions_per_day, save_search, search_hits, search_words
from summarizer import (
    EmptyTextError,
    SummarizerError,
    TextTooShortError,
    UnsupportedLanguageError,
)

URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
# A pasted text shorter than this is a chat message, not an article to summarize.
MIN_PASTE_WORDS = 60
SEARCH_WINDOW = timedelta(days=30)
# Hits read per search before folding (copies of one story count once in the results).
SEARCH_HITS = 200
# How long a search's paging buttons keep working.
SEARCH_PAGES_KEPT = timedelta(days=1)
TREND_DAYS = 28


async def digest(update: Update, context: Context) -> None:
    """The latest digest of the chat's sources, now."""
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    hours = context.bot_data.services.settings.digest_window_hours
    async with context.bot_data.services.sessionmaker() as session:
        messages, articles = await digest_for_chat(
            session, chat, now=utcnow(), window=timedelta(hours=hours)
        )
        sources = await chat_sources(session, chat.id)
    if messages:
        # Its items are what "/follow 2" names from now on: stored before the reader sees them.
        async with context.bot_data.services.sessionmaker() as session, session.begin():
            await update_chat(session, chat.id, last_digest_articles=articles)
        await _send_digest(context, chat.id, messages)
    elif sources:
        await reply(
            update,
            context,
            tr.ngettext(
                "Nothing new from your sources in the last {count} hour. I'll keep reading.",
                "Nothing new from your sources in the last {count} hours. I'll keep reading.",
                hours,
            ).format(count=hours),
        )
    else:
        await reply(
            update,
            context,
            tr.gettext("You have no sources yet: pick some with /sources, or /add a site."),
        )


async def _send_digest(context: Context, chat_id: int, messages: list[DigestMessage]) -> None:
    """Send the digest's messages, each recorded as sent with its stories and articles, as a
    scheduled digest's are, so the buttons under it are checked alike."""
    for message in messages:
        payload = message.payload()
        keyboard = payload.get("reply_markup")
        sent = await send_html(
            context.bot,
            chat_id,
            message.text,
            markup=InlineKeyboardMarkup.de_json(keyboard, context.bot) if keyboard else None,
        )
        if message.stories:
            async with context.bot_data.services.sessionmaker() as session, session.begin():
                await deliveries.record_sent(
                    session,
                    chat_id=chat_id,
                    kind=DeliveryKind.DIGEST,
                    item_key=f"asked:{sent.message_id}",
                    payload=payload,
                    message_id=sent.message_id,
                    now=utcnow(),
                )


async def digest_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await digest(update, context)


def _message_text(message: Message | None) -> str:
    if message is None:
        return ""
    return (message.text or message.caption or "").strip()


async def summary(update: Update, context: Context) -> None:
    """`/summary URL`, or `/summary` in reply to a message with a link or a text."""
    target = args_text(context)
    if not target and update.effective_message is not None:
        target = _message_text(update.effective_message.reply_to_message)
    if not target:
        await reply_usage(update, context, "summary")
        return
    # "Look at this: https://…" means the link; only a long text is itself the thing to read.
    found = URL_IN_TEXT.search(target)
    if found and len(target.split()) < MIN_PASTE_WORDS:
        target = found.group(0).rstrip(".,;:!?)")
    await _summarize(update, context, target)


async def plain_message(update: Update, context: Context) -> None:
    """A message that is a link, or a long pasted or forwarded text: summarize it."""
    message = update.effective_message
    text = _message_text(message)
    forwarded = message is not None and message.forward_origin is not None
    if URL.match(text) or forwarded or len(text.split()) >= MIN_PASTE_WORDS:
        await _summarize(update, context, text)
    elif update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE:
        tr = await chat_translation(update, context)
        await reply(
            update,
            context,
            tr.gettext(
                "Send me a link or a longer text and I'll summarize it. "
                "/help lists everything I do."
            ),
        )


async def _summarize(update: Update, context: Context, target: str) -> None:
    user = update.effective_user
    runtime = context.bot_data.runtime
    reader = await reader_code(update, context)
    tr = translation(reader)
    if user is not None:
        wait = runtime.summaries.try_acquire(user.id)
        if wait is not None:
            seconds = max(1, round(wait))
            await reply(
                update,
                context,
                tr.ngettext(
                    "That's a lot of summaries: try again in {count} s.",
                    "That's a lot of summaries: try again in {count} s.",
                    seconds,
                ).format(count=seconds),
            )
            return
    chat_id = chat_id_of(update)
    # The first "typing…" is awaited: a summary quicker than a task's first step would cancel it
    # before it was sent. The task only repeats it while a slow summary runs.
    await _show_typing(context, chat_id)
    typing = asyncio.create_task(_keep_typing(context, chat_id))
    try:
        text = await _summary_text(context, target, tr, reader)
    finally:
        typing.cancel()
    await reply(update, context, text)


async def _summary_text(
    context: Context, target: str, tr: gettext.NullTranslations, reader: str | None
) -> str:
    services = context.bot_data.services
    is_link = URL.match(target) is not None
    try:
        if is_link:
            found = await summarize_link(
                services.fetcher,
                services.summarizer,
                target,
                max_chars=services.settings.limits.max_article_chars,
            )
            return render_link_digest(found.title, found.url, found.digest, tr, reader=reader)
        digest = await services.summarizer.summarize(
            target[: services.settings.limits.max_article_chars]
        )
        return render_link_digest(None, None, digest, tr, reader=reader)
    except (FetchError, FeedError, LinkError) as exc:
        return tr.gettext("I could not read that link: {reason}").format(
            reason=escape(reader_reason(exc, tr))
        )
    except TextTooShortError as exc:
        # Worded here: the summarizer is pure, English, and its messages do not count nouns.
        length = (
            counted(exc.words, "character", "characters", translations=tr)
            if exc.unit == "characters"
            else counted(exc.words, "word", "words", translations=tr)
        )
        return tr.gettext(
            "I could not summarize that: it has {length}, and a summary needs {minimum} or more."
        ).format(length=length, minimum=exc.minimum)
    except EmptyTextError:
        return tr.gettext("I could not summarize that: there is no text in it.")
    except UnsupportedLanguageError as exc:
        # The summarizer's own message speaks of stored stories, which a paste is not.
        return escape(unsupported_language_reply(exc.language, is_link=is_link, reader=reader))
    except SummarizerError as exc:
        return tr.gettext("I could not summarize that: {reason}").format(reason=escape(str(exc)))


def unsupported_language_reply(language: str, *, is_link: bool, reader: str | None) -> str:
    """What /summary says of a text in a language the summarizer does not read."""
    tr = translation(reader)
    if language in (UNDETERMINED, "unknown"):
        if is_link:
            return tr.gettext(
                "I could not tell which language that page is in, so I cannot summarize it."
            )
        return tr.gettext(
            "I could not tell which language that text is in, so I cannot summarize it."
        )
    name = language_name(language, reader=reader)
    if is_link:
        return tr.gettext(
            "That page is in {language}, which I cannot summarize yet. Open the link to read it."
        ).format(language=name)
    return tr.gettext("That text is in {language}, which I cannot summarize yet.").format(
        language=name
    )


async def _show_typing(context: Context, chat_id: int) -> None:
    # A refused chat action must not end the summary (or a task with an unretrieved error).
    with contextlib.suppress(TelegramError):
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)


async def _keep_typing(context: Context, chat_id: int) -> None:
    """Repeat "typing…" while a summary is made (Telegram shows it for about 5 seconds)."""
    while True:
        await asyncio.sleep(4.5)
        await _show_typing(context, chat_id)


async def search(update: Update, context: Context) -> None:
    """Recent stored stories matching every word, one result per story, in pages."""
    query = args_text(context)
    if not search_words(query):
        await reply_usage(update, context, "search")
        return
    chat = await ensure_chat(update, context)
    now = utcnow()
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        stories = await _found_stories(session, query, now=now)
        # The buttons carry this row's id, not the query, which may be longer than they hold.
        search_id = (
            await save_search(session, chat.id, query, now=now, keep=SEARCH_PAGES_KEPT)
            if page_count(stories) > 1
            else 0
        )
    text, markup = _search_page(query, stories, search_id, 0, language=chat.language)
    await reply(update, context, text, markup=markup)


async def search_page_button(update: Update, context: Context) -> None:
    """Show another page of a search (◀ ▶): the search is read back from the database."""
    chat_id = chat_id_of(update)
    _, search_field, page_field = [*button_data(update).split(":", 2), "", ""][:3]
    now = utcnow()
    async with context.bot_data.services.sessionmaker() as session:
        live = await live_searches(session, chat_id, now=now, keep=SEARCH_PAGES_KEPT)
        search_id = offered_id(search_field, live)
        stories = await _found_stories(session, live[search_id], now=now)
    page = offered_index(page_field, page_count(stories))
    query = update.callback_query
    assert query is not None
    await query.answer()
    chat = await ensure_chat(update, context)
    text, markup = _search_page(live[search_id], stories, search_id, page, language=chat.language)
    await edit_text(query, text, markup=markup)


async def _found_stories(session: AsyncSession, query: str, *, now: datetime) -> list[FoundStory]:
    hits = await search_hits(session, query, since=now - SEARCH_WINDOW, limit=SEARCH_HITS)
    return fold_by_story(hits)


def _search_page(
    query: str, stories: list[FoundStory], search_id: int, page: int, *, language: str | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    pages = page_count(stories)
    text = render_search_page(
        query,
        page_of(stories, page),
        total=len(stories),
        page=page,
        pages=pages,
        language=language,
    )
    if pages == 1:
        return text, None
    # The page counter is a button too (it shows this page again): Telegram wants data on each.
    row = [InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=f"sr:{search_id}:{page}")]
    if page > 0:
        row.insert(0, InlineKeyboardButton("◀", callback_data=f"sr:{search_id}:{page - 1}"))
    if page < pages - 1:
        row.append(InlineKeyboardButton("▶", callback_data=f"sr:{search_id}:{page + 1}"))
    return text, InlineKeyboardMarkup([row])


async def trend(update: Update, context: Context) -> None:
    """A chart of how many stored stories mentioned the words per day, over four weeks."""
    query = args_text(context)
    if not search_words(query):
        await reply_usage(update, context, "trend")
        return
    now = utcnow()
    first = (now - timedelta(days=TREND_DAYS - 1)).date()
    async with context.bot_data.services.sessionmaker() as session:
        counts = await mentions_per_day(session, query, since=now - timedelta(days=TREND_DAYS))
    chat_id = chat_id_of(update)
    reader = await reader_code(update, context)
    tr = translation(reader)
    await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
    png = await asyncio.to_thread(
        trend_png, query, counts, first=first, last=now.date(), tr=tr, reader=reader
    )
    total = sum(count for _, count in counts)
    await context.bot.send_photo(
        chat_id,
        png,
        caption=tr.ngettext(
            "{query}: {stories} in the last {count} day",
            "{query}: {stories} in the last {count} days",
            TREND_DAYS,
        ).format(
            query=quoted(query),
            stories=counted(total, "story", "stories", translations=tr),
            count=TREND_DAYS,
        ),
    )
