"""The fault suite: one hostile or broken feed among healthy ones costs only itself.

Every case runs over real HTTP (tests/feedserver.py) into a real database: the healthy feeds are
all stored, the bad one carries a readable ``last_error``, and nothing escapes the tick.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from jobs.fetch import FetchPolicy, SafeFetcher
from jobs.ingest import MAX_BACKOFF
from jobs.on_demand import fetch_article_page
from jobs.summarizing import SummarizerPool
from store.models import DateSource, FeedEntry
from tests.feedserver import FIXTURES, FeedServer, Route, loopback_only
from tests.jobs.test_ingest import INTERVAL, T0, Harness

HEALTHY = ("/rss2.xml", "/atom.xml")
LEGACY_ENCODINGS = ("big5", "gbk", "euc-kr", "shift_jis")


@pytest.fixture(scope="module")
def summarizer() -> Iterator[SummarizerPool]:
    pool = SummarizerPool(workers=1)
    yield pool
    pool.close()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


# A host whose resolver fails with an error no layer expects: the stand-in for any bug that lets
# an exception escape one feed's work (the resolver is the fetcher's process boundary).
CRASHING_HOST = "crash.test"


async def _resolve(host: str, port: int) -> list[str]:
    if host == CRASHING_HOST:
        raise RuntimeError("resolver crashed")
    return await loopback_only(host, port)


@pytest.fixture
async def harness(
    sessionmaker: async_sessionmaker[AsyncSession], summarizer: SummarizerPool
) -> AsyncIterator[Harness]:
    policy = FetchPolicy(allow=("127.0.0.1",), total_timeout=10.0, read_timeout=5.0)
    async with SafeFetcher(policy, resolver=_resolve) as fetcher:
        yield Harness(sessionmaker, fetcher, summarizer)


async def _healthy_and(
    harness: Harness, server: FeedServer, bad_path: str
) -> tuple[list[int], int]:
    healthy = [await harness.add(server.url(path)) for path in HEALTHY]
    return healthy, await harness.add(server.url(bad_path))


async def _feed_ids_with_articles(harness: Harness) -> set[int | None]:
    return {article.feed_id for article in await harness.articles()}


async def _assert_only_bad_failed(
    harness: Harness, healthy: Sequence[int], bad: int, error: str
) -> None:
    assert await _feed_ids_with_articles(harness) >= set(healthy)
    for feed_id in healthy:
        feed = await harness.feed(feed_id)
        assert feed.consecutive_failures == 0 and feed.last_error is None
    feed = await harness.feed(bad)
    assert feed.consecutive_failures == 1
    assert feed.last_error == error


async def test_an_exception_escaping_one_feed_is_that_feeds_failure(
    harness: Harness, server: FeedServer
) -> None:
    healthy = [await harness.add(server.url(path)) for path in HEALTHY]
    bad = await harness.add(f"http://{CRASHING_HOST}:{server.port}/rss2.xml")
    report = await harness.ingestor.run_tick(now=T0)

    assert report.feeds == 3 and report.errors == 1
    [failed] = [outcome for outcome in report.outcomes if outcome.error]
    assert failed.feed_id == bad
    assert failed.error == (
        "ingestion failed unexpectedly (RuntimeError: resolver crashed); it is retried with "
        "back-off and reported as broken if it keeps failing"
    )
    feed = await harness.feed(bad)
    assert feed.consecutive_failures == 1 and feed.last_error == failed.error
    # Due again on its back-off, not left leased.
    assert feed.next_due_at < T0 + timedelta(seconds=INTERVAL * 1.2)
    assert await _feed_ids_with_articles(harness) == set(healthy)
    for feed_id in healthy:
        assert (await harness.feed(feed_id)).last_success_at is not None


async def test_a_feed_that_keeps_crashing_is_marked_broken(
    harness: Harness, server: FeedServer
) -> None:
    feed_id = await harness.add(f"http://{CRASHING_HOST}:{server.port}/rss2.xml")
    now = T0
    for _ in range(3):
        await harness.ingestor.run_tick(now=now)
        now = (await harness.feed(feed_id)).next_due_at
    assert (await harness.feed(feed_id)).consecutive_failures == 3
    assert [broken_id for broken_id, _ in harness.broken] == [feed_id]
    assert "resolver crashed" in harness.broken[0][1]


@pytest.mark.parametrize(
    ("location", "error"),
    [
        (
            "javascript:alert(document.cookie)",
            "refused: redirect to a javascript: address; only http and https can be fetched",
        ),
        (
            "data:application/rss+xml;base64,PHJzcy8+",
            "refused: redirect to a data: address; only http and https can be fetched",
        ),
        (
            "mailto:editor@harbour.example",
            "refused: redirect to a mailto: address; only http and https can be fetched",
        ),
        (
            "about:blank",
            "refused: redirect to an about: address; only http and https can be fetched",
        ),
        ("https://xn--/x", "refused: redirect to 'https://xn--/x', which is not a valid URL"),
        ("http://[::1/feed", "refused: redirect to 'http://[::1/feed', which is not a valid URL"),
        (
            "http://xn--a.example/",
            "refused: redirect to 'http://xn--a.example/', which is not a valid URL",
        ),
    ],
)
async def test_an_unparseable_redirect_is_an_ordinary_refusal(
    harness: Harness, server: FeedServer, location: str, error: str
) -> None:
    server.route("/moved.xml", Route(b"", status=302, headers={"Location": location}))
    healthy, bad = await _healthy_and(harness, server, "/moved.xml")
    report = await harness.ingestor.run_tick(now=T0)
    assert report.errors == 1
    await _assert_only_bad_failed(harness, healthy, bad, error)


@pytest.mark.parametrize("body", [b"", b"   \r\n\t  "])
async def test_an_empty_document_is_a_readable_failure(
    harness: Harness, server: FeedServer, body: bytes
) -> None:
    server.route("/empty.xml", Route(body))
    healthy, bad = await _healthy_and(harness, server, "/empty.xml")
    await harness.ingestor.run_tick(now=T0)
    await _assert_only_bad_failed(
        harness, healthy, bad, "the feed answered with an empty document; it may be down for now"
    )


def _legacy(encoding: str, where: str) -> bytes:
    return (FIXTURES / "faults" / f"{encoding}-{where}.xml").read_bytes()


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
@pytest.mark.parametrize("where", ["prolog", "header"])
async def test_legacy_multibyte_encodings_are_read_as_feedparser_reads_them(
    harness: Harness, server: FeedServer, encoding: str, where: str
) -> None:
    # Declared in the XML prolog (and no charset in the header), or only in the HTTP header.
    content_type = "application/rss+xml"
    if where == "header":
        content_type += f"; charset={encoding}"
    server.route("/legacy.xml", Route(_legacy(encoding, where), content_type=content_type))
    feed_id = await harness.add(server.url("/legacy.xml"))
    report = await harness.ingestor.run_tick(now=T0)
    assert report.errors == 0
    [article] = await harness.articles()
    expected = _legacy(encoding, "prolog").decode(encoding)
    assert article.title and article.title in expected
    assert article.text and article.text in expected
    assert (await harness.feed(feed_id)).title in expected


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
async def test_entity_declarations_are_refused_in_legacy_encodings_too(
    harness: Harness, server: FeedServer, encoding: str
) -> None:
    body = _legacy(encoding, "prolog").replace(
        b"<rss ", b'<!DOCTYPE rss [<!ENTITY lol "lol">]>\n<rss ', 1
    )
    server.route("/legacy.xml", Route(body, content_type="application/rss+xml"))
    healthy, bad = await _healthy_and(harness, server, "/legacy.xml")
    await harness.ingestor.run_tick(now=T0)
    feed = await harness.feed(bad)
    assert feed.last_error is not None and feed.last_error.startswith("refused: the feed declares")
    assert await _feed_ids_with_articles(harness) == set(healthy)


@pytest.mark.parametrize(
    "retry_after", ["99999999999999", "9" * 400, "Fri, 31 Dec 9999 23:59:59 GMT"]
)
async def test_retry_after_is_capped_and_a_feed_that_stays_down_is_reported(
    harness: Harness, server: FeedServer, retry_after: str
) -> None:
    server.route("/down.xml", Route(b"busy", status=503, headers={"Retry-After": retry_after}))
    healthy, bad = await _healthy_and(harness, server, "/down.xml")
    report = await harness.ingestor.run_tick(now=T0)
    assert report.errors == 1
    assert await _feed_ids_with_articles(harness) >= set(healthy)
    feed = await harness.feed(bad)
    assert feed.last_error is not None and feed.last_error.startswith("the server answered 503")
    assert feed.next_due_at <= T0 + MAX_BACKOFF * 1.1
    # Still down on every try: after failure_threshold tries (3 here) the subscribers are told.
    now = feed.next_due_at
    for _ in range(2):
        await harness.ingestor.run_tick(now=now)
        now = (await harness.feed(bad)).next_due_at
    assert [feed_id for feed_id, _ in harness.broken] == [bad]
    assert now - T0 <= MAX_BACKOFF * 1.1 * 3


# Past every column the schema had (VARCHAR 2048 at most) and past what a PostgreSQL btree
# index holds in a row (about 2,700 bytes).
_LONG = 3_000
_FERRY_GUID = "gazette-2026-0412"
_FERRY_LINK = "https://gazette.example/news/ferry-timetable?utm_source=rss&amp;utm_medium=feed"
_FERRY_TITLE = "Council approves new ferry timetable"


def _overlong(field: str) -> tuple[bytes, dict[str, str]]:
    """rss2.xml with one field of its ferry entry (or one response header) far too long."""
    body = (FIXTURES / "rss2.xml").read_text(encoding="utf-8")
    headers: dict[str, str] = {}
    if field == "etag":
        headers["ETag"] = '"' + "e" * _LONG + '"'
    elif field == "last_modified":
        headers["Last-Modified"] = "Fri, 27 Nov 2026 08:00:00 GMT" + " " * _LONG + "x"
    elif field == "author":
        body = body.replace("Mara Lindqvist", "Harbour desk " * (_LONG // 13))
    elif field == "guid":
        body = body.replace(_FERRY_GUID, _FERRY_GUID + "-" + "g" * _LONG)
    elif field == "link":
        body = body.replace(_FERRY_LINK, _FERRY_LINK + "&amp;page=" + "p" * _LONG)
    elif field == "title":
        body = body.replace(_FERRY_TITLE, " ".join([_FERRY_TITLE] * (_LONG // 36)))
    return body.encode(), headers


async def _entry_count(harness: Harness) -> int:
    async with harness.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(FeedEntry)) or 0)


@pytest.mark.parametrize("field", ["etag", "last_modified", "author", "guid", "link", "title"])
async def test_an_overlong_field_costs_no_entry_and_each_is_stored_once(
    harness: Harness, server: FeedServer, field: str
) -> None:
    body, headers = _overlong(field)
    server.route("/long.xml", Route(body, headers=headers))
    feed_id = await harness.add(server.url("/long.xml"))

    first = await harness.ingestor.run_tick(now=T0)
    again_at = (await harness.feed(feed_id)).next_due_at
    second = await harness.ingestor.run_tick(now=again_at)

    # All three entries stored the first time, none again, and the counts say so.
    assert (first.new, first.errors, first.entry_errors) == (3, 0, 0)
    assert (second.new, second.updated, second.errors, second.entry_errors) == (0, 0, 0, 0)
    assert len(await harness.articles()) == 3 and await _entry_count(harness) == 3
    feed = await harness.feed(feed_id)
    assert feed.consecutive_failures == 0 and feed.last_error is None
    # Validators too long are not kept, so the second fetch was unconditional (and complete).
    assert (feed.etag, feed.last_modified) == (None, None)
    [*_, later] = [r for r in server.requests if r.path == "/long.xml"]
    assert "if-none-match" not in later.headers and "if-modified-since" not in later.headers

    [ferry] = [a for a in await harness.articles() if a.guid and a.guid.startswith(_FERRY_GUID)]
    # Identity fields whole, display fields cut to their columns.
    assert ferry.guid == _FERRY_GUID + ("-" + "g" * _LONG if field == "guid" else "")
    if field == "link":
        assert ferry.canonical_url == (
            "https://gazette.example/news/ferry-timetable?page=" + "p" * _LONG
        )
    if field == "author":
        assert ferry.author == ("Harbour desk " * (_LONG // 13))[:500]
    if field == "title":
        assert ferry.title == " ".join([_FERRY_TITLE] * (_LONG // 36))[:1000]


def test_ingest_once_among_broken_feeds_exits_0_and_feeds_list_gives_each_reason_in_a_line(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FeedServer() as server:
        server.route("/js.xml", Route(b"", status=302, headers={"Location": "javascript:x()"}))
        server.route("/idn.xml", Route(b"", status=302, headers={"Location": "https://xn--/x"}))
        server.route("/empty.xml", Route(b""))
        server.route("/down.xml", Route(b"", status=503, headers={"Retry-After": "9" * 30}))
        bad = ["/js.xml", "/idn.xml", "/empty.xml", "/down.xml"]
        outlines = "".join(
            f'<outline type="rss" text="{path}" xmlUrl="{server.url(path)}"/>'
            for path in [*HEALTHY, *bad]
        )
        opml = tmp_path / "feeds.opml"
        opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
        environ = {
            "NEWSDIGEST_DATABASE_URL": database_url,
            "NEWSDIGEST_DATA_DIR": str(tmp_path),
            "NEWSDIGEST_FETCH_ALLOW": "127.0.0.1",
        }
        assert main(["feeds", "import", str(opml)], environ) == 0
        capsys.readouterr()
        assert main(["ingest", "--once"], environ) == 0
        ran = capsys.readouterr()
        assert "Traceback" not in ran.out + ran.err
        assert f"{len(HEALTHY) + len(bad)} feeds fetched" in ran.out
        assert f"{len(bad)} errors" in ran.out

        assert main(["feeds", "list", "--json"], environ) == 0
        rows = {row["url"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
        for path in HEALTHY:
            assert rows[server.url(path)]["articles"] >= 1
            assert rows[server.url(path)]["last_error"] is None
        assert rows[server.url("/js.xml")]["last_error"].startswith(
            "refused: redirect to a javascript:"
        )
        assert "not a valid URL" in rows[server.url("/idn.xml")]["last_error"]
        assert "empty document" in rows[server.url("/empty.xml")]["last_error"]
        assert rows[server.url("/down.xml")]["last_error"].endswith(
            "it asks to retry after more than a year"
        )

        assert main(["feeds", "list"], environ) == 0
        listing = capsys.readouterr().out.splitlines()
        for path in bad:
            [line] = [i for i, text in enumerate(listing) if f"<{server.url(path)}>" in text]
            # The feed's line, then its health on exactly one line, then the next feed.
            assert "1 failure, last: " in listing[line + 1]
            assert line + 2 == len(listing) or listing[line + 2].startswith("#")


async def test_entries_without_words_or_published_dates_are_stored(
    harness: Harness, server: FeedServer
) -> None:
    await harness.add(server.url("/faults/rss1-dc-date.xml"))
    report = await harness.ingestor.run_tick(now=T0)
    assert (report.new, report.errors, report.entry_errors) == (4, 0, 0)
    crane, dots, regatta, tide = sorted(
        await harness.articles(), key=lambda article: article.canonical_url
    )
    assert dots.signature is None and dots.text == "…"
    # The dc:date (feedparser's "updated") is the published time, not lost, and said to be so.
    assert (crane.published_at, crane.date_source) == (
        datetime(2026, 11, 26, 17, 5, tzinfo=UTC),
        DateSource.UPDATED,
    )
    assert (dots.published_at, dots.date_source) == (
        datetime(2026, 11, 27, 8, 30, tzinfo=UTC),
        DateSource.UPDATED,
    )
    # No date at all, or one nobody could believe: when it was stored, recorded as only that.
    assert (tide.published_at, tide.date_source) == (tide.fetched_at, DateSource.FETCHED)
    assert (regatta.published_at, regatta.date_source) == (
        regatta.fetched_at,
        DateSource.FETCHED,
    )


def test_articles_json_says_where_each_date_came_from(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environ = {
        "NEWSDIGEST_DATABASE_URL": database_url,
        "NEWSDIGEST_DATA_DIR": str(tmp_path),
        "NEWSDIGEST_FETCH_ALLOW": "127.0.0.1",
    }
    with FeedServer() as server:
        for path in ("/faults/rss1-dc-date.xml", "/rss2.xml"):
            assert main(["feeds", "add", server.url(path)], environ) == 0
        assert main(["ingest", "--once"], environ) == 0
    capsys.readouterr()
    assert main(["articles", "--json", "--limit", "10"], environ) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    sources = {row["title"]: row["date_source"] for row in rows}
    assert sources == {
        "…": "updated",
        "Crane repaired": "updated",
        "Tide tables for December": "fetched",
        "Regatta entries open": "fetched",
        "Council approves new ferry timetable": "published",
        "Lighthouse museum reopens after repairs": "published",
        "Item without a guid": "fetched",
    }


_RUSSIAN = " ".join(
    [
        "Городской совет в четверг вечером одобрил новое расписание паромов через залив.",
        "С первого марта паром будет ходить каждые тридцать минут вместо одного раза в час.",
        "Изменение обойдётся городу в четыреста двадцать тысяч евро в год.",
        "Чтобы покрыть расходы, совет поднимет плату за стоянку у паромного причала.",
        "Жители много лет просили о более частых рейсах и собрали три тысячи подписей.",
        "Паромы будут ходить чаще, Паромщики довольны.",
    ]
)


# What real pages carry around their text: nearly all ASCII, which is what makes a charset
# guessed from the bytes go wrong (charset_normalizer, which trafilatura asks, takes this page
# for cp1125 or cp1006; 30 of these scripts suffice, 20 do not).
_PAGE_CHROME = (
    "<style>body{font-family:Georgia,serif;margin:0 auto;max-width:42rem}nav a{padding:0 .5rem}"
    "article p{line-height:1.5}footer{font-size:.8rem;color:#666}</style>"
    + "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push("
    "arguments);} gtag('js', new Date()); gtag('config', 'G-HARBOUR');</script>" * 40
)
_PAGE_NAV = (
    "<nav>"
    + "".join(
        f'<a href="/section/{name}">{name.title()}</a>'
        for name in ("news", "sport", "culture", "weather", "harbour", "ferries", "opinion")
    )
    + "</nav>"
)


def _cyrillic_page(meta: str | None) -> bytes:
    head = f'<meta charset="{meta}">' if meta else ""
    # Short, capitalised lines are where a guessed charset goes wrong ("Паромы" → "ѕаромы").
    paragraphs = f"<p>{_RUSSIAN}</p><p>" + "Паромы: новое расписание. " * 20 + "</p>"
    return (
        f"<!DOCTYPE html><html><head>{head}<title>Новое расписание паромов</title>"
        f"{_PAGE_CHROME}</head><body>{_PAGE_NAV}<article><h1>Новое расписание паромов</h1>"
        f"{paragraphs}</article><footer>Harbour Gazette, 1 Quay Street</footer></body></html>"
    ).encode("windows-1251")


@pytest.mark.parametrize(
    ("header", "meta"),
    [
        ("windows-1251", None),
        (None, "windows-1251"),
        # The header wins over a template's stale <meta>, as browsers have it.
        ("windows-1251", "iso-8859-1"),
    ],
)
async def test_a_page_in_a_legacy_charset_is_read_in_it(
    harness: Harness, server: FeedServer, header: str | None, meta: str | None
) -> None:
    content_type = f"text/html; charset={header}" if header else "text/html"
    server.route("/ru/ferry.html", Route(_cyrillic_page(meta), content_type))
    teaser = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
      <title>Паромы</title><link>{server.url("/ru/")}</link><description>Паромы</description>
      <item><title>Новое расписание паромов</title><link>{server.url("/ru/ferry.html")}</link>
      <guid>ru-ferry</guid><description>Совет одобрил расписание…</description></item>
    </channel></rss>"""
    server.route("/ru.xml", Route(teaser.encode()))
    await harness.add(server.url("/ru.xml"))
    await harness.ingestor.run_tick(now=T0)
    [article] = await harness.articles()
    assert "Городской совет в четверг" in article.text and "Паромы: новое" in article.text
    assert article.language == "ru"
    # /summary URL reads the page through the same function.
    page = await fetch_article_page(
        harness.ingestor.fetcher, server.url("/ru/ferry.html"), max_chars=10_000
    )
    assert "Паромы будут ходить чаще, Паромщики" in page.text


async def test_nul_and_other_control_characters_cost_no_entry(
    harness: Harness, server: FeedServer
) -> None:
    # PostgreSQL refuses NUL in text; feedparser's lenient parser hands it on, raw or as &#0;.
    body = (
        (FIXTURES / "rss2.xml")
        .read_bytes()
        .replace(b"Harbour Gazette", b"Harbour&#0; Gazette")
        .replace(b"Council approves", b"Council\x00 approves")
        .replace(b"Mara Lindqvist", b"Mara&#0; Lindqvist\x0b")
        .replace(b"gazette-2026-0412", b"gazette-2026-0412&#0;")
        .replace(b"voted 9 to 2", b"voted 9\x00 to 2\x1f")
    )
    server.route("/nul.xml", Route(body))
    feed_id = await harness.add(server.url("/nul.xml"))
    first = await harness.ingestor.run_tick(now=T0)
    second = await harness.ingestor.run_tick(now=(await harness.feed(feed_id)).next_due_at)
    assert (first.new, first.errors, first.entry_errors) == (3, 0, 0)
    assert (second.new, second.updated, second.errors, second.entry_errors) == (0, 0, 0, 0)
    feed = await harness.feed(feed_id)
    assert feed.title == "Harbour Gazette" and feed.last_error is None
    [ferry] = [a for a in await harness.articles() if a.guid == "gazette-2026-0412"]
    assert (ferry.title, ferry.author) == ("Council approves new ferry timetable", "Mara Lindqvist")
    assert "\x00" not in ferry.text


async def _urls_after_two_polls(harness: Harness, feed_url: str) -> dict[str, str]:
    """Each stored article's URL by title, after polling the feed twice with nothing lost."""
    feed_id = await harness.add(feed_url)
    first = await harness.ingestor.run_tick(now=T0)
    second = await harness.ingestor.run_tick(now=(await harness.feed(feed_id)).next_due_at)
    assert (first.errors, first.entry_errors, second.new, second.updated) == (0, 0, 0, 0)
    return {article.title: article.canonical_url for article in await harness.articles()}


async def test_each_entry_gets_its_own_link_never_a_related_one(
    harness: Harness, server: FeedServer
) -> None:
    feed_url = server.url("/faults/atom-several-links.xml")
    urls = await _urls_after_two_polls(harness, feed_url)
    assert urls.pop("Council approves new ferry timetable") == server.url(
        "/wire/ferry-timetable.html"
    )
    assert urls.pop("Lighthouse museum reopens after repairs") == server.url("/wire/museum.xhtml")
    # Only a related link (and a urn: id): no page of its own, and no one else's either.
    assert urls.pop("Crane repaired").startswith(feed_url + "#entry-")
    assert urls == {}
    requested = set(server.paths_requested())
    assert "/wire/ferry-timetable.html" in requested
    assert not requested & {
        "/wire/parking-fees.html",
        "/wire/petition.html",
        "/wire/pier-closure.html",
        "/wire/crane-history.html",
    }


async def test_items_told_apart_by_their_fragment_stay_apart(
    harness: Harness, server: FeedServer
) -> None:
    assert await _urls_after_two_polls(harness, server.url("/faults/spa-fragments.xml")) == {
        "Ferry leaves on the new timetable": server.url("/lede/#s/123"),
        "Parking fee rises at the terminal": server.url("/lede/#s/124"),
        # Trackers still go; the route stays.
        "Petitioners thank the council": server.url("/lede/#s/125"),
        "Board: lost dog near the pier": server.url("/board/today#item-1"),
        "Board: bicycle for sale": server.url("/board/today#item-2"),
        # An anchor into a page of its own is dropped as before.
        "Museum opening hours": server.url("/news/museum-hours"),
    }
    # The app's one page is no item's full text.
    assert not any(path.startswith(("/lede", "/board")) for path in server.paths_requested())


async def test_a_permalink_guid_is_the_link_and_other_guids_are_not(
    harness: Harness, server: FeedServer
) -> None:
    feed_url = server.url("/faults/rss-permalink-guid.xml")
    urls = await _urls_after_two_polls(harness, feed_url)
    assert urls.pop("Crane repaired") == server.url("/quay/crane-repaired")
    assert urls.pop("Night ferry cancelled") == server.url("/quay/night-ferry")
    # Without a link of their own, each is still its own article (not all the feed's URL).
    linkless = set(urls.values())
    assert len(linkless) == 2 and all(url.startswith(feed_url + "#entry-") for url in linkless)
    assert "/quay/internal/4711" not in server.paths_requested()
