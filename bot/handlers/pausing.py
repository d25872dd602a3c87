"""/pause [duration] and /resume: no digests and no alerts for a while."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.common import args_text, ensure_chat, may_change_settings, reply
from bot.render import local_time_label
from jobs.i18n import translation
from jobs.messages import escape
from jobs.pause import PauseError, parse_pause_duration, pause_chat, resume_chat
from store.models import utcnow


async def pause(update: Update, context: Context) -> None:
    """Pause digests and alerts: `/pause 3d`, `/pause 12h`, or `/pause` until /resume."""
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    if not await may_change_settings(update, context):
        return
    try:
        duration = parse_pause_duration(args_text(context))
    except PauseError as exc:
        examples = ", ".join(
            f"<code>{example}</code>" for example in ("/pause 3d", "/pause 12h", "/pause")
        )
        await reply(
            update,
            context,
            escape(exc.translated(tr))
            + "\n"
            + tr.gettext("Examples: {examples}").format(examples=examples),
        )
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        chat = await pause_chat(session, chat.id, now=utcnow(), duration=duration)
    if chat.paused_until is None:
        paused = tr.gettext("Paused until you send /resume")
    else:
        paused = tr.gettext("Paused until {time} ({zone})").format(
            time=local_time_label(chat.paused_until, chat.timezone, reader=chat.language),
            zone=escape(chat.timezone),
        )
    await reply(
        update,
        context,
        f"⏸ {paused}: "
        + tr.gettext(
            "no digests and no alerts. Digests due meanwhile are skipped; alerts wait and "
            "come as one short list when the pause ends. /resume to end it now."
        ),
    )


async def resume(update: Update, context: Context) -> None:
    """End a pause now; alerts held meanwhile come as one message."""
    chat = await ensure_chat(update, context)
    tr = translation(chat.language)
    if not await may_change_settings(update, context):
        return
    async with context.bot_data.services.sessionmaker() as session, session.begin():
        report = await resume_chat(session, chat.id, now=utcnow())
    if not report.was_paused:
        await reply(
            update,
            context,
            tr.gettext("Nothing to resume: digests and alerts are on. /pause 3d to take a break."),
        )
        return
    if report.held_alerts:
        held = tr.ngettext(
            "{count} alert arrived meanwhile: they follow as one list.",
            "{count} alerts arrived meanwhile: they follow as one list.",
            report.held_alerts,
        ).format(count=report.held_alerts)
        context.bot_data.runtime.pipeline.wake_sender()
    else:
        held = tr.gettext("No alerts matched meanwhile.")
    resumed = tr.gettext("Resumed: digests and alerts are on again.")
    await reply(update, context, f"▶️ {resumed} {held}")
