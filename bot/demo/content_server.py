"""Serves the demo's feeds and article pages from 127.0.0.1, as news sites would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from aiohttp import web

from bot.demo.stories import OUTLETS, STORIES, DemoOutlet, DemoStory


def _published(story: DemoStory, now: datetime) -> datetime:
    return now - timedelta(hours=story.hours_ago)


def render_feed(
    outlet: DemoOutlet,
    base_url: str,
    now: datetime,
    *,
    with_breaking: bool = False,
    with_follow_up: bool = False,
) -> str:
    """An RSS 2.0 feed whose entries carry only a teaser: ingestion fetches the full page."""
    items = []
    for story in STORIES:
        if (
            story.outlet != outlet.slug
            or (story.breaking and not with_breaking)
            or (story.follow_up and not with_follow_up)
        ):
            continue
        url = f"{base_url}/{outlet.slug}/{story.slug}.html?utm_source=rss"
        items.append(
            "<item>"
            f"<title>{escape(story.title)}</title>"
            f"<link>{escape(url)}</link>"
            f'<guid isPermaLink="false">{outlet.slug}-{story.slug}</guid>'
            f"<pubDate>{format_datetime(_published(story, now), usegmt=True)}</pubDate>"
            f"<description>{escape(story.paragraphs[0][:160])}…</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(outlet.title)}</title><link>{base_url}/{outlet.slug}/</link>"
        f"<description>{escape(outlet.title)} (newsdigest demo)</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def render_page(outlet: DemoOutlet, story: DemoStory, base_url: str, now: datetime) -> str:
    canonical = f"{base_url}/{outlet.slug}/{story.slug}.html"
    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in story.paragraphs)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(story.title)} | {escape(outlet.title)}</title>"
        f'<link rel="canonical" href="{canonical}">'
        f'<meta property="article:published_time" content="{_published(story, now).isoformat()}">'
        f'<link rel="alternate" type="application/rss+xml" href="{base_url}/{outlet.slug}/feed.xml">'
        "</head><body><nav>Home · World · Business · Tech</nav>"
        f"<article><h1>{escape(story.title)}</h1>{body}</article>"
        "<footer>© newsdigest demo</footer></body></html>"
    )


class DemoContentServer:
    """``async with DemoContentServer() as server: server.feed_url("harbour-herald")``."""

    def __init__(self, *, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC)
        self.base_url = ""
        self.breaking_released = False
        self.follow_up_released = False
        self._runner: web.AppRunner | None = None

    def release_breaking_news(self) -> None:
        """From now on the feeds carry the held-back stories, as if just published."""
        self.breaking_released = True

    def release_follow_up(self) -> None:
        """From now on a third outlet carries its copy of the storm story (see :update)."""
        self.follow_up_released = True

    def feed_url(self, outlet: str) -> str:
        return f"{self.base_url}/{outlet}/feed.xml"

    async def _feed(self, request: web.Request) -> web.Response:
        outlet = _outlet(request.match_info["outlet"])
        return web.Response(
            text=render_feed(
                outlet,
                self.base_url,
                self.now,
                with_breaking=self.breaking_released,
                with_follow_up=self.follow_up_released,
            ),
            content_type="application/rss+xml",
        )

    async def _page(self, request: web.Request) -> web.Response:
        outlet = _outlet(request.match_info["outlet"])
        slug = request.match_info["story"]
        for story in STORIES:
            if story.outlet == outlet.slug and story.slug == slug:
                return web.Response(
                    text=render_page(outlet, story, self.base_url, self.now),
                    content_type="text/html",
                )
        raise web.HTTPNotFound()

    async def __aenter__(self) -> DemoContentServer:
        app = web.Application()
        app.router.add_get("/{outlet}/feed.xml", self._feed)
        app.router.add_get("/{outlet}/{story}.html", self._page)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def _outlet(slug: str) -> DemoOutlet:
    for outlet in OUTLETS:
        if outlet.slug == slug:
            return outlet
    raise web.HTTPNotFound()
