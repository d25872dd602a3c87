"""Following stories: the 🔔 Follow button, /follow N or LINK, /following with Unfollow buttons."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Context
from bot.handlers.buttons import StaleButton, offered_choice, offered_id
from bot.handlers.common import (
    args_text,
    button_data,
    chat_id_of,
    ensure_chat,
    may_change_settings,
    permitted_button,
    reply,
    reply_usage,
)
from bot.handlers.reading import URL
from bot.handlers.stories import offered_story
from bot.render import local_time_label
from bot.replies import edit_keyboard, edit_text
from bot.services import follow_options
from jobs.follows import UNFOLLOW_PREFIX, FollowRefused, follow_article, unfollow
from jobs.i18n import translation
from jobs.messages import escape, link, truncate_visible
from jobs.plurals import counted
from jobs.urls import canonicalize_url
from store import follows as follow_store
from store.articles import article_by_url
from store.models import Article, StoryFollow, utcnow

FOLLOW_PREFIX = "fo:"
# Unfollow from the /following list (the list is redrawn) or under an update (its button goes).
_FROM_LIST, _FROM_UPDATE = "l", "u"
_TITLE_CHARS = 80
_BUTTON_TITLE_CHARS = 40


async def follow_button(update: Update, context: Context) -> None:
    """🔔 Follow under a digest item or an alert: data ``fo:<article id>``."""
    field = button_data(update).removeprefix(FOLLOW_PREFIX)
    # Checked against the stories of the very message tapped, as More and Mute are.
    story = await offered_story(update, context, field)
    async with context.bot_data.services.sessionmaker() as session:
        article = await session.get(Article, story.article_id)
    if article is None:
        raise StaleButton(field)  # deleted since (retention)
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    try:
        text = await _follow(context, chat.id, chat.language, article)
    except FollowRefused as exc:
        await query.answer(tr.gettext("Too many stories followed"))
        await reply(update, context, escape(str(exc)))
        return
    await query.answer(tr.gettext("Following"))
    await reply(update, context, text)


async def follow(update: Update, context: Context) -> None:
    """`/follow N` (item N of the latest digest) or `/follow LINK` (a story from your sources)."""
    target = args_text(context)
    if not target:
        await reply_usage(update, context, "follow")
        return
    if not await may_change_settings(update, context):
        return
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    async with context.bot_data.services.sessionmaker() as session:
        if target.isdecimal():
            items = await follow_store.latest_digest_articles(session, chat.id)
            if not items:
                await reply(
                    update,
                    context,
                    tr.gettext(
                        "No digest to pick from yet: send /digest, then "
                        "<code>/follow 1</code> for its first story. Or tap 🔔 Follow under "
                        "an alert, or send <code>/follow LINK</code> with a story's link."
                    ),
                )
                return
            if not 1 <= int(target) <= len(items):
                await reply(
                    update,
                    context,
                    tr.gettext(
                        "Your latest digest has items 1 to {count}: send "
                        "<code>/follow 1</code> for the first."
                    ).format(count=len(items)),
                )
                return
            chosen = items[int(target) - 1]
            article = await session.get(Article, chosen) if chosen is not None else None
        else:
            article = await _article_at(session, target.split()[0])
            if article is not None and not (
                await follow_store.reaches_chat(session, chat.id, article.id)
                or await follow_store.was_offered(session, chat.id, article)
            ):
                article = None
    if article is None:
        await reply(
            update,
            context,
            tr.gettext(
                "I know no such story from your sources. Send <code>/follow 2</code> for item 2 "
                "of your latest digest, or the link of a story I brought you."
            ),
        )
        return
    try:
        text = await _follow(context, chat.id, chat.language, article)
    except FollowRefused as exc:
        text = escape(str(exc))
    await reply(update, context, text)


async def _follow(context: Context, chat_id: int, language: str | None, article: Article) -> str:
    """Follow the article's story; the reply that says so."""
    options = follow_options(context.bot_data.services.settings)
    tr = translation(language)
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        followed = await follow_article(
            session, chat_id, article, now=utcnow(), per_chat=options.per_chat, language=language
        )
    title = link(article.canonical_url, truncate_visible(followed.follow.title, _TITLE_CHARS))
    if not followed.started:
        return tr.gettext("You already follow {story}. /following lists your stories.").format(
            story=title
        )
    hours = round(options.update_every.total_seconds() / 3600)
    return tr.gettext(
        "🔔 Following {story} ({outlets} so far). When another outlet reports it, or new "
        "figures or names come up, I send one update, at most every {hours}. "
        "Quiet for a week, it ends. /following lists your stories."
    ).format(
        story=title,
        outlets=counted(followed.outlets, "outlet", "outlets", translations=tr),
        hours=counted(hours, "hour", "hours", translations=tr),
    )


async def following(update: Update, context: Context) -> None:
    """List the stories the chat follows, each with an Unfollow button."""
    chat = await ensure_chat(update, context)
    text, markup = await _following_list(context, chat.id, chat.timezone, chat.language)
    await reply(update, context, text, markup=markup)


async def _following_list(
    context: Context, chat_id: int, timezone: str, language: str | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    tr = translation(language)
    async with context.bot_data.services.sessionmaker() as session:
        follows = await follow_store.active_follows(session, chat_id)
        copies = await follow_store.story_copies(session, [f.story_key for f in follows])
    if not follows:
        return (
            tr.gettext(
                "You follow no stories. Tap 🔔 Follow under a digest item or an alert, or send "
                "<code>/follow 2</code> for item 2 of your latest digest."
            ),
            None,
        )
    lines = [tr.gettext("<b>Stories you follow</b>")]
    for number, item in enumerate(follows, start=1):
        story = copies.get(item.story_key, [])
        outlets = len({copy.feed_id for copy in story})
        # The link goes with the title it shows: the followed copy's, while it is stored.
        followed = [copy for copy in story if copy.article_id == item.article_id]
        url = followed[0].url if followed else (story[-1].url if story else "")
        title = truncate_visible(item.title, _TITLE_CHARS)
        lines.append(
            tr.gettext("{number}. {story} — since {since}, {outlets} so far").format(
                number=number,
                story=link(url, title) if url else escape(title),
                since=local_time_label(item.started_at, timezone, reader=language),
                outlets=counted(outlets, "outlet", "outlets", translations=tr),
            )
        )
    return "\n".join(lines), _unfollow_keyboard(follows, tr.gettext("🔕 Unfollow"))


def _unfollow_keyboard(follows: list[StoryFollow], label: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"{label} {n}. {truncate_visible(item.title, _BUTTON_TITLE_CHARS)}"[:60],
                    callback_data=f"{UNFOLLOW_PREFIX}{_FROM_LIST}:{item.id}",
                )
            ]
            for n, item in enumerate(follows, start=1)
        ]
    )


async def unfollow_button(update: Update, context: Context) -> None:
    """Unfollow: ``fu:l:<follow id>`` from /following, ``fu:<follow id>`` under an update."""
    chat_id = chat_id_of(update)
    fields = button_data(update).removeprefix(UNFOLLOW_PREFIX).split(":")
    if len(fields) > 2:
        raise StaleButton(button_data(update))
    where = offered_choice(fields[0], {_FROM_LIST}) if len(fields) == 2 else _FROM_UPDATE
    async with context.bot_data.services.sessionmaker() as session:
        offered = {item.id for item in await follow_store.active_follows(session, chat_id)}
    follow_id = offered_id(fields[-1], offered)
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        ended = await unfollow(session, chat_id, follow_id, now=utcnow())
    await query.answer(tr.gettext("Unfollowed") if ended else tr.gettext("Already unfollowed"))
    if where == _FROM_LIST:
        text, markup = await _following_list(context, chat_id, chat.timezone, chat.language)
        await edit_text(query, text, markup=markup)
    else:
        await edit_keyboard(query, None)


async def _article_at(session: AsyncSession, link: str) -> Article | None:
    """The stored article a link names (as a reader copies it: tracking parameters and all)."""
    if not URL.match(link):
        return None
    try:
        return await article_by_url(session, canonicalize_url(link))
    except ValueError:  # not a URL after all ("http://[::1")
        return None
