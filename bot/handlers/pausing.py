"""/pause [duration] and /resume: no digests and no alerts for a while."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.common import args_text, ensure_chat, may_change_settings, reply
from bot.render import local_time_label
from jobs.messages import escape
from jobs.pause import PauseError, parse_pause_duration, pause_chat, resume_chat
from jobs.plurals import counted
from store.models import utcnow


async def pause(update: Update, context: Context) -> None:
    """Pause digests and alerts: `/pause 3d`, `/pause 12h`, or `/pause` until /resume."""
    chat = await ensure_chat(update, context)
    if not await may_change_settings(update, context):
        return
    try:
        duration = parse_pause_duration(args_text(context))
    except PauseError as exc:
        await reply(
            update,
            context,
            f"{escape(str(exc))}\nExamples: <code>/pause 3d</code>, <code>/pause 12h</code>, <code>/pause</code>",
        )
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat = await pause_chat(session, chat.id, now=utcnow(), duration=duration)
    if chat.paused_until is None:
        until = "until you send /resume"
    else:
        until = f"until {local_time_label(chat.paused_until, chat.timezone, reader=chat.language)} ({escape(chat.timezone)})"
    await reply(
        update,
        context,
        f"⏸ Paused {until}: no digests and no alerts. Digests due meanwhile are skipped; "
        "alerts wait and come as one short list when the pause ends. /resume to end it now.",
    )


async def resume(update: Update, context: Context) -> None:
    """End a pause now; alerts held meanwhile come as one message."""
    chat = await ensure_chat(update, context)
    if not await may_change_settings(update, context):
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        report = await resume_chat(session, chat.id, now=utcnow())
    if not report.was_paused:
        await reply(
            update,
            context,
            "Nothing to resume: digests and alerts are on. /pause 3d to take a break.",
        )
        return
    if report.held_alerts:
        held = f"{counted(report.held_alerts, 'alert', 'alerts')} arrived meanwhile: they follow as one list."
        context.bot_data.runtime.pipeline.wake_sender()
    else:
        held = "No alerts matched meanwhile."
    await reply(update, context, f"▶️ Resumed: digests and alerts are on again. {held}")
