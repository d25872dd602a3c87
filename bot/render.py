"""Telegram HTML for the bot's answers: summaries, search results, sources, settings and alerts.

Escaping and splitting by UTF-16 length live in :mod:`jobs.messages`, shared with delivery;
every string from outside (titles, names, queries, summaries) goes through ``escape`` here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jobs.messages import MESSAGE_LIMIT, escape, link, split_message, truncate_visible, visible_text
from jobs.schedule import parse_schedule
from store.chats import ChatSource
from store.models import AlertRule, Article, Chat
from summarizer import Digest

__all__ = [
    "MESSAGE_LIMIT",
    "escape",
    "render_alerts",
    "render_digest_html",
    "render_search_results",
    "render_settings",
    "render_sources",
    "split_message",
    "visible_text",
]

ENTITIES_SHOWN = 5
FIGURES_SHOWN = 3


@dataclass(frozen=True, slots=True)
class DigestView:
    """What one summary shows: a digest plus where it came from, if anywhere."""

    digest: Digest
    title: str | None
    url: str | None


def render_digest_html(view: DigestView) -> list[str]:
    """An on-demand summary: title, summary, key entities, key figures and the source link."""
    digest = view.digest
    title = view.title or digest.title or "Summary"
    head = f"📝 <b>{escape(title)}</b>"
    minutes = "minute" if digest.reading_minutes == 1 else "minutes"
    head += f"\n<i>{digest.word_count} words, about {digest.reading_minutes} {minutes} to read</i>"
    items = ["\n".join(f"• {escape(sentence)}" for sentence in digest.sentences) or "(no summary)"]
    if digest.entities:
        names = ", ".join(escape(entity.text) for entity in digest.entities[:ENTITIES_SHOWN])
        items.append(f"👤 <b>Key names:</b> {names}")
    if digest.figures:
        figures = [
            escape(f"{figure.text} ({figure.about})" if figure.about else figure.text)
            for figure in digest.figures[:FIGURES_SHOWN]
        ]
        items.append("📊 <b>Key figures:</b> " + "; ".join(figures))
    if view.url:
        items.append("🔗 " + link(view.url, view.url))
    return split_message(head, items)


def render_search_results(query: str, articles: Sequence[Article]) -> list[str]:
    """Matching stored articles, each linked with the first sentences of its summary."""
    if not articles:
        return [f"🔎 Nothing stored matches <b>{escape(query)}</b> in the last weeks."]
    head = f"🔎 <b>{escape(query)}</b>: {len(articles)} recent {'article' if len(articles) == 1 else 'articles'}"
    items = []
    for number, article in enumerate(articles, start=1):
        lines = [
            f"<b>{number}.</b> {link(article.canonical_url, article.title or article.canonical_url)}"
        ]
        when = article.published_at or article.fetched_at
        lines.append(f"<i>{when:%d %b %Y}</i>")
        if article.summary is not None and article.summary.sentences:
            summary = " ".join(str(s) for s in article.summary.sentences[:2])
            lines.append(escape(truncate_visible(summary, 600)))
        items.append("\n".join(lines))
    return split_message(head, items)


def render_sources(sources: Sequence[ChatSource]) -> list[str]:
    if not sources:
        return ["You have no sources yet. Pick some with /sources or add a feed with /add URL."]
    items = []
    for number, source in enumerate(sources, start=1):
        broken = " ⚠️ not working" if source.broken else ""
        topic = f" <i>({escape(source.topic)})</i>" if source.topic else ""
        items.append(f"{number}. {link(source.url, source.title)}{topic}{broken}")
    return split_message(
        "📚 <b>Your sources</b> (remove one with /remove NUMBER):", ["\n".join(items)]
    )


def render_settings(chat: Chat) -> str:
    try:
        schedule = parse_schedule(chat.digest_schedule).describe()
    except ValueError:
        schedule = chat.digest_schedule
    on_off = {True: "on", False: "off"}
    return (
        "⚙️ <b>Settings</b>\n"
        f"Digest: <b>{escape(schedule)}</b> ({escape(chat.timezone)})\n"
        f"Items per digest: <b>{chat.items_per_digest}</b>\n"
        f"Summary length: <b>{chat.summary_sentences}</b> sentences\n"
        f"Names: <b>{on_off[chat.show_entities]}</b> · Figures: <b>{on_off[chat.show_figures]}</b>\n"
        f"Quiet hours for alerts: <b>{escape(chat.quiet_hours or 'none')}</b>\n\n"
        "Other times: /schedule daily 07:30 · time zone: /timezone Europe/Berlin · quiet: /quiet 22-07"
    )


def render_alerts(rules: Sequence[AlertRule]) -> str:
    if not rules:
        return 'No alerts yet. Add one: /alert climate "carbon tax" -opinion'
    lines = [f"{number}. <code>{escape(rule.query)}</code>" for number, rule in enumerate(rules, 1)]
    return "🔔 <b>Your alerts</b> (tap to remove):\n" + "\n".join(lines)
