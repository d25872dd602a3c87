"""/settings (schedule, length, entities, figures), /timezone and /quiet."""

from __future__ import annotations

import gettext

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Context
from bot.handlers.buttons import offered_choice
from bot.handlers.common import (
    args_text,
    button_data,
    chat_id_of,
    ensure_chat,
    may_change_settings,
    permitted_button,
    reply,
)
from bot.render import local_time_label, render_settings, usage
from bot.replies import edit_text
from jobs.alerts import retime_held_alerts
from jobs.digests import next_digest_time
from jobs.i18n import N_, translation
from jobs.messages import escape
from jobs.plurals import counted
from jobs.quiet_hours import QuietHoursError, parse_quiet_hours
from jobs.schedule import ScheduleError, parse_schedule
from jobs.timezones import TimezoneError, parse_timezone, timezone_key
from store import chats as chat_store
from store.models import Chat, utcnow

# Button labels are marked for the catalogs and translated where the keyboard is built.
SCHEDULES = (
    (N_("Off"), "off"),
    (N_("Daily 08:00"), "daily 08:00"),
    (N_("08:00 + 18:00"), "daily 08:00,18:00"),
    (N_("Every 6 h"), "every 6h"),
    (N_("Weekdays 08:00"), "weekdays 08:00"),
    (N_("Mondays 08:00"), "weekly mon 08:00"),
)

# Every button the settings keyboard can send; anything else was not made by us.
ITEM_CHOICES = (5, 8, 12)
SENTENCE_CHOICES = (1, 2, 3)
SETTINGS_BUTTONS = frozenset(
    [f"set:sched:{value}" for _label, value in SCHEDULES]
    + [f"set:items:{n}" for n in ITEM_CHOICES]
    + [f"set:sent:{n}" for n in SENTENCE_CHOICES]
    + ["set:ent", "set:fig"]
)


def settings_keyboard(chat: Chat, tr: gettext.NullTranslations) -> InlineKeyboardMarkup:
    def mark(on: bool, label: str) -> str:
        return f"{'✅' if on else '▫️'} {label}"

    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    mark(chat.digest_schedule == value, tr.gettext(label)),
                    callback_data=f"set:sched:{value}",
                )
                for label, value in SCHEDULES[:2]
            ],
            [
                InlineKeyboardButton(
                    mark(chat.digest_schedule == value, tr.gettext(label)),
                    callback_data=f"set:sched:{value}",
                )
                for label, value in SCHEDULES[2:4]
            ],
            [
                InlineKeyboardButton(
                    mark(chat.digest_schedule == value, tr.gettext(label)),
                    callback_data=f"set:sched:{value}",
                )
                for label, value in SCHEDULES[4:]
            ],
            [
                InlineKeyboardButton(
                    mark(
                        chat.items_per_digest == n,
                        counted(n, "story", "stories", translations=tr),
                    ),
                    callback_data=f"set:items:{n}",
                )
                for n in ITEM_CHOICES
            ],
            [
                InlineKeyboardButton(
                    mark(
                        chat.summary_sentences == n,
                        counted(n, "sentence", "sentences", translations=tr),
                    ),
                    callback_data=f"set:sent:{n}",
                )
                for n in SENTENCE_CHOICES
            ],
            [
                InlineKeyboardButton(
                    mark(chat.show_entities, tr.gettext("Entities")), callback_data="set:ent"
                ),
                InlineKeyboardButton(
                    mark(chat.show_figures, tr.gettext("Figures")), callback_data="set:fig"
                ),
            ],
        ]
    )


async def _apply_schedule(
    context: Context, chat_id: int, schedule: str, timezone: str | None = None
) -> Chat:
    """Store a schedule (and zone) and when the next digest is due under them."""
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat = await session.get(Chat, chat_id)
        assert chat is not None
        zone = timezone or chat.timezone
        next_at = next_digest_time(schedule, zone, after=utcnow())
        chat = await chat_store.update_chat(
            session, chat_id, digest_schedule=schedule, timezone=zone, next_digest_at=next_at
        )
        # Quiet hours are wall-clock times: a new zone moves the window alerts wait for.
        moved = 0
        if timezone is not None:
            moved = await retime_held_alerts(
                session, chat_id, quiet_hours=chat.quiet_hours, timezone=zone, now=utcnow()
            )
    if moved:
        context.bot_data.runtime.pipeline.wake_sender()
    return chat


def _describe(chat: Chat, tr: gettext.NullTranslations) -> str:
    try:
        return parse_schedule(chat.digest_schedule).describe(tr)
    except ScheduleError:
        return chat.digest_schedule


def _settings_text(chat: Chat, tr: gettext.NullTranslations) -> str:
    return render_settings(chat, _describe(chat, tr), chat.next_digest_at, tr)


async def settings(update: Update, context: Context) -> None:
    """Show the settings with buttons; `/settings daily 07:30` sets a schedule directly."""
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    text = args_text(context)
    if text:
        if not await may_change_settings(update, context):
            return
        try:
            schedule = parse_schedule(text)
        except ScheduleError as exc:
            examples = ", ".join(
                f"<code>/settings {example}</code>"
                for example in (
                    "daily 07:30",
                    "weekly mon 08:00",
                    "weekdays 07:30 18:00",
                    "every 6h",
                    "off",
                )
            )
            await reply(
                update,
                context,
                escape(exc.translated(tr))
                + "\n"
                + tr.gettext("Examples: {examples}").format(examples=examples),
            )
            return
        chat = await _apply_schedule(context, chat.id, schedule.to_text())
    await reply(update, context, _settings_text(chat, tr), markup=settings_keyboard(chat, tr))


async def settings_button(update: Update, context: Context) -> None:
    data = offered_choice(button_data(update), SETTINGS_BUTTONS)
    tapped = await permitted_button(update, context)
    if tapped is None:
        return
    query, _ = tapped
    chat_id = chat_id_of(update)
    tr = translation((await ensure_chat(update, context)).language)
    _, what, *rest = data.split(":", 2)
    value = rest[0] if rest else ""
    if what == "sched":
        chat = await _apply_schedule(context, chat_id, value)
    else:
        async with context.bot_data.services.sessionmaker() as session, session.begin():
            current = await session.get(Chat, chat_id)
            assert current is not None
            changes: dict[str, object] = {}
            if what == "items":
                changes["items_per_digest"] = int(value or 8)
            elif what == "sent":
                changes["summary_sentences"] = int(value or 2)
            elif what == "ent":
                changes["show_entities"] = not current.show_entities
            elif what == "fig":
                changes["show_figures"] = not current.show_figures
            chat = await chat_store.update_chat(session, chat_id, **changes)
    await query.answer(tr.gettext("Saved"))
    await edit_text(query, _settings_text(chat, tr), markup=settings_keyboard(chat, tr))


async def timezone(update: Update, context: Context) -> None:
    """Set the chat's time zone: an IANA name, a UTC offset or a well-known city."""
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    text = args_text(context)
    if not text:
        current = tr.gettext("Your time zone is {zone}.").format(
            zone=f"<b>{escape(chat.timezone)}</b>"
        )
        await reply(update, context, f"{current}\n{_tz_usage(tr)}")
        return
    if not await may_change_settings(update, context):
        return
    try:
        zone = timezone_key(parse_timezone(text))
    except TimezoneError as exc:
        await reply(update, context, escape(exc.translated(tr)) + "\n" + _tz_usage(tr))
        return
    chat = await _apply_schedule(context, chat.id, chat.digest_schedule, zone)
    shown = f"<b>{escape(zone)}</b>"
    if chat.next_digest_at:
        done = tr.gettext("Time zone set to {zone}, next digest {time}.").format(
            zone=shown, time=local_time_label(chat.next_digest_at, zone, reader=chat.language)
        )
    else:
        done = tr.gettext("Time zone set to {zone}.").format(zone=shown)
    await reply(update, context, f"🕰 {done}")


def _tz_usage(tr: gettext.NullTranslations) -> str:
    return tr.gettext("Set it with e.g. {first}, {second} or {third}.").format(
        first="<code>/timezone Europe/Berlin</code>",
        second="<code>/timezone +05:30</code>",
        third="<code>/timezone Tokyo</code>",
    )


async def quiet(update: Update, context: Context) -> None:
    """Quiet hours: alerts wait until they end. `/quiet 22-07`, `/quiet off`."""
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    text = args_text(context)
    if not text:
        current = tr.gettext("Quiet hours: {hours}.").format(
            hours="<b>" + escape(chat.quiet_hours or tr.gettext("off")) + "</b>"
        )
        await reply(update, context, f"{current}\n{usage('quiet', tr)}")
        return
    if not await may_change_settings(update, context):
        return
    try:
        hours = parse_quiet_hours(text)
    except QuietHoursError as exc:
        # One message: the reason and how to write it (two would arrive as two notifications).
        await reply(update, context, f"{escape(exc.translated(tr))}\n{usage('quiet', tr)}")
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat = await chat_store.update_chat(
            session, chat.id, quiet_hours=hours.to_text() if hours else None
        )
        moved = await retime_held_alerts(
            session, chat.id, quiet_hours=chat.quiet_hours, timezone=chat.timezone, now=utcnow()
        )
    if moved:
        context.bot_data.runtime.pipeline.wake_sender()
    if hours is None:
        await reply(
            update, context, "🔔 " + tr.gettext("Quiet hours off: alerts arrive at any hour.")
        )
    else:
        await reply(
            update,
            context,
            "🌙 "
            + tr.gettext("Quiet hours {hours} ({zone}): alerts wait until they end.").format(
                hours=escape(hours.to_text()), zone=escape(chat.timezone)
            ),
        )
