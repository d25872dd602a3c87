"""What is new in a followed story: its outlets, figures and names against what the reader knows.

A snapshot is plain JSON (it is stored on the follow): ``outlets`` are feed ids, ``figures``
one entry per measure with its latest value, ``names`` the entities' texts. A figure's measure
is its kind, unit and what it is about, so "1,800 jobs" after "1,200 jobs" is a change of one
measure ("was 1,200") while "$300 million (loss)" is another measure altogether.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from jobs.messages import escape, link
from store.follows import StoryCopy

# An update names at most this many of each; the rest are counted.
OUTLETS_SHOWN = 5
FIGURES_SHOWN = 3
NAMES_SHOWN = 5


@dataclass(frozen=True, slots=True)
class FigureNews:
    """A figure the reader has not seen: ``was`` is the measure's previous value, if it had one."""

    shown: str
    was: str | None = None


@dataclass(slots=True)
class StoryNews:
    outlets: list[str] = field(default_factory=list)
    figures: list[FigureNews] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.outlets or self.figures or self.names)


def _measure(figure: dict[str, Any]) -> str:
    """What a figure measures; one that does not say is a measure of its own value, so that
    two unrelated bare numbers are never told as one changing."""
    about = " ".join(str(figure.get("about") or "").casefold().split())
    if not about:
        about = f"={figure.get('value')}"
    return f"{figure.get('kind') or ''}|{figure.get('unit') or ''}|{about}"


def _figure_shown(figure: dict[str, Any]) -> str:
    """``1,800 jobs`` for a count of something, ``$300 million (loss)`` otherwise."""
    text = str(figure.get("text", ""))
    about = str(figure.get("about") or "")
    if not about or about.casefold() in text.casefold():
        return text
    return f"{text} {about}" if figure.get("kind") == "count" else f"{text} ({about})"


def _names(copy: StoryCopy) -> Iterable[str]:
    for entity in copy.entities:
        text = " ".join(str(entity.get("text", "")).split())
        if text:
            yield text


def snapshot(copies: Sequence[StoryCopy]) -> dict[str, list[Any]]:
    """What a reader knows once shown these copies (later copies' figures win a measure)."""
    figures: dict[str, dict[str, Any]] = {}
    for copy in copies:
        for figure in copy.figures:
            figures[_measure(figure)] = {
                "measure": _measure(figure),
                "text": str(figure.get("text", "")),
                "value": figure.get("value"),
            }
    names = dict.fromkeys(name.casefold() for copy in copies for name in _names(copy))
    return {
        "outlets": sorted({copy.feed_id for copy in copies}),
        "figures": list(figures.values()),
        "names": list(names),
    }


def story_news(known: dict[str, list[Any]], copies: Sequence[StoryCopy]) -> StoryNews:
    """What ``copies`` tell beyond ``known`` (a :func:`snapshot`), in the order they arrived."""
    news = StoryNews()
    outlets = set(known.get("outlets", ()))
    names = set(known.get("names", ()))
    first = {str(figure["measure"]): figure for figure in known.get("figures", ())}
    latest = {measure: figure.get("value") for measure, figure in first.items()}
    changed: dict[str, FigureNews] = {}
    for copy in copies:
        if copy.feed_id not in outlets:
            outlets.add(copy.feed_id)
            if copy.source not in news.outlets:
                news.outlets.append(copy.source)
        for figure in copy.figures:
            measure = _measure(figure)
            value = figure.get("value")
            if measure in latest and latest[measure] == value:
                continue
            latest[measure] = value
            before = first.get(measure)
            if before is not None and before.get("value") == value:
                changed.pop(measure, None)  # back to what the reader knows
            else:
                # Changed twice since the reader last heard: the latest value, and what they knew.
                was = str(before["text"]) if before is not None else None
                changed[measure] = FigureNews(_figure_shown(figure), was)
        for name in _names(copy):
            if name.casefold() not in names:
                names.add(name.casefold())
                news.names.append(name)
    news.figures = list(changed.values())
    return news


def _listed(items: Sequence[str], shown: int, tr: gettext.NullTranslations) -> str:
    text = ", ".join(escape(item) for item in items[:shown])
    if len(items) > shown:
        more = len(items) - shown
        text += " " + tr.ngettext("and {count} more", "and {count} more", more).format(count=more)
    return text


def render_update(title: str, url: str, news: StoryNews, tr: gettext.NullTranslations) -> str:
    """The update message: the story's newest copy, then what is new, a line each."""
    lines = [tr.gettext("🔔 <b>Story update</b>: {story}").format(story=link(url, title or url))]
    if news.outlets:
        lines.append(
            tr.ngettext(
                "{count} new outlet: {names}", "{count} new outlets: {names}", len(news.outlets)
            ).format(count=len(news.outlets), names=_listed(news.outlets, OUTLETS_SHOWN, tr))
        )
    for figure in news.figures[:FIGURES_SHOWN]:
        if figure.was is not None:
            line = tr.gettext("New figure: {figure}, was {was}").format(
                figure=escape(figure.shown), was=escape(figure.was)
            )
        else:
            line = tr.gettext("New figure: {figure}").format(figure=escape(figure.shown))
        lines.append("📊 " + line)
    if len(news.figures) > FIGURES_SHOWN:
        lines.append(
            tr.ngettext(
                "…and {count} more figure",
                "…and {count} more figures",
                len(news.figures) - FIGURES_SHOWN,
            ).format(count=len(news.figures) - FIGURES_SHOWN)
        )
    if news.names:
        lines.append(
            tr.ngettext("New name: {names}", "New names: {names}", len(news.names)).format(
                names=_listed(news.names, NAMES_SHOWN, tr)
            )
        )
    return "\n".join(lines)
