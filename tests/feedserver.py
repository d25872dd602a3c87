"""A real HTTP server on 127.0.0.1 serving our feed fixtures and every hostile case ingestion meets.

Runs ``http.server`` in a background thread, so it works from any event loop (and from
benchmarks without one). Use it as a context manager::

    with FeedServer() as server:
        await fetcher.fetch(server.url("/rss2.xml"))

Routes (``@@BASE@@`` in fixtures becomes the server's base URL):

- ``/<fixture>`` — any file under ``tests/fixtures/feeds`` (``.xml``, ``.html``, ``.opml``)
- ``/conditional.xml`` — rss2.xml with an ETag and Last-Modified; answers 304 to either
- ``/status/<code>`` — that status; 429 and 503 carry ``Retry-After: 120``
- ``/slow`` — headers only after ``slow_seconds`` (a read timeout)
- ``/drip`` — 200, then one byte every ``drip_interval`` seconds (only a total timeout ends it)
- ``/huge-declared`` — a Content-Length far past any cap; ``/huge-streamed`` — chunked, endless
- ``/gzip-bomb`` — 50 MB of spaces, gzip-compressed to about 50 KB
- ``/held/<anything>`` — rss2.xml, but only once :attr:`FeedServer.release_held` is set; how many
  are waiting at once is counted (:meth:`FeedServer.wait_for_held`, :attr:`FeedServer.most_held`)
- ``/redirect/loop``, ``/redirect/chain/<n>`` (n hops, then rss2.xml), ``/redirect/to?url=<target>``
  (302, or ``&status=301`` etc.)
- ``/bench/feed/<i>.xml`` (``bench_entries`` entries, with an ETag; 304 on If-None-Match),
  ``/bench/article/<i>/<j>.html`` (template pages, or distinct stories with
  ``bench_distinct_stories=True``)
- anything registered with :meth:`FeedServer.route` (replaces a path's body, e.g. an edited feed)

``FeedServer(tls=True)`` serves HTTPS with a certificate for ``feeds.test`` signed by the test CA
in ``tests/fixtures/tls/ca.pem`` (both valid until 2126; the CA key was discarded), so tests can
check that TLS is verified against the host name while the socket goes to a pinned address.

Every request is recorded in :attr:`FeedServer.requests` (path and headers), so tests can assert
what was, and was not, asked for.
"""

from __future__ import annotations

import functools
import gzip
import random
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from jobs.fetch.addresses import parse_ip

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "feeds"
TLS_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tls"
TEST_CA = TLS_FIXTURES / "ca.pem"
TLS_HOST = "feeds.test"
ETAG = '"rss2-v1"'
LAST_MODIFIED = "Fri, 27 Nov 2026 08:00:00 GMT"
_CONTENT_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
}


async def loopback_only(host: str, port: int) -> list[str]:
    """Tests reach nothing beyond 127.0.0.1: other names fail loudly instead of hitting DNS."""
    if host == "localhost":
        return ["127.0.0.1"]
    if parse_ip(host) is not None:
        return [host.strip("[]")]
    raise OSError(f"test resolver: {host} is not on this machine")


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops bursts of connections (the client then waits a
    # second to retry its SYN), which would make a concurrency test measure the kernel.
    request_queue_size = 256
    daemon_threads = True


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]


@dataclass
class Route:
    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class FeedServer:
    """The local feed server; start with ``with`` (or :meth:`start`/:meth:`stop`)."""

    def __init__(
        self,
        *,
        slow_seconds: float = 30.0,
        drip_interval: float = 0.05,
        bench_entries: int = 20,
        bench_distinct_stories: bool = False,
        tls: bool = False,
    ) -> None:
        self.slow_seconds = slow_seconds
        self.drip_interval = drip_interval
        self.bench_entries = bench_entries
        self.bench_distinct_stories = bench_distinct_stories
        self.requests: list[RecordedRequest] = []
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self.release_held = threading.Event()
        self.most_held = 0
        self._held = 0
        self._held_changed = threading.Condition()
        # Set on stop so that slow and dripping handlers end at once instead of at their timeout.
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self.scheme = "https" if tls else "http"
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(
                TLS_FIXTURES / f"{TLS_HOST}.pem", TLS_FIXTURES / f"{TLS_HOST}.key"
            )
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        # A short poll interval makes stop() (and so each test's teardown) quick.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def fixture(self, name: str) -> bytes:
        """A fixture file as served (base URL filled in)."""
        return (FIXTURES / name).read_bytes().replace(b"@@BASE@@", self.base_url.encode())

    def route(self, path: str, route: Route) -> None:
        """Serve ``route`` at ``path`` from now on (replacing a fixture of the same name)."""
        with self._lock:
            self._routes[path] = route

    def paths_requested(self) -> list[str]:
        with self._lock:
            return [request.path for request in self.requests]

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def wait_for_held(self, count: int, timeout: float) -> bool:
        """Block until ``count`` requests wait under ``/held/`` at once; False after ``timeout``."""
        with self._held_changed:
            return self._held_changed.wait_for(lambda: self._held >= count, timeout)

    # --- used by the handler ------------------------------------------------------------------

    def _record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append(RecordedRequest(path, headers))

    def _registered(self, path: str) -> Route | None:
        with self._lock:
            return self._routes.get(path)

    def _wait(self, seconds: float) -> bool:
        """Pace the server side; True when the server is stopping."""
        return self._stopping.wait(seconds)


def bench_feed(base_url: str, feed: int, entries: int) -> bytes:
    """A generated RSS feed for load tests: ``entries`` items linking to generated articles."""
    items = "".join(
        f"<item><title>Feed {feed} story {j}: council debates harbour plan</title>"
        f"<link>{base_url}/bench/article/{feed}/{j}.html?utm_source=rss</link>"
        f"<guid isPermaLink='false'>bench-{feed}-{j}</guid>"
        f"<pubDate>Fri, 27 Nov 2026 {j % 24:02d}:00:00 GMT</pubDate>"
        f"<description>Story {j} from feed {feed}: the council met to discuss the harbour "
        f"plan…</description></item>"
        for j in range(entries)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench feed {feed}</title><link>{base_url}/</link>"
        f"<description>Generated</description>{items}</channel></rss>"
    ).encode()


# Distinct bench stories are drawn from these: every five-word window of a sentence holds at
# least one drawn word, so unrelated pages share few shingles, as unrelated news does.
_FIRST = (
    "Anna", "Jonas", "Mara", "Lukas", "Sofia", "Erik", "Lena", "Paul", "Ida", "Felix", "Nora",
    "Hugo", "Clara", "Oskar", "Elin", "Tomas", "Greta", "Milan", "Vera", "Nils",
)  # fmt: skip
_LAST = (
    "Berg", "Keller", "Lind", "Hansen", "Vogel", "Nordin", "Schulz", "Dahl", "Krause", "Holm",
    "Brandt", "Falk", "Weiss", "Strand", "Otto", "Lund", "Richter", "Sand", "Moller", "Stein",
)  # fmt: skip
_ROLE = (
    "mayor", "minister", "councillor", "director", "spokeswoman", "chairman", "economist",
    "union leader", "engineer", "judge", "professor", "chief executive",
)  # fmt: skip
_DID = (
    "approved", "rejected", "postponed", "criticised", "announced", "defended", "questioned",
    "welcomed", "proposed", "cancelled", "reviewed", "signed", "blocked", "funded",
)  # fmt: skip
_THING = (
    "pier", "wind farm", "budget", "ferry timetable", "water charges", "hospital wing", "merger",
    "car ban", "flood defences", "shipyard sale", "pay deal", "school programme", "fishing quotas",
    "tram line", "coal plant closure", "bridge repairs", "housing scheme", "port tax",
)  # fmt: skip
_PLACE = (
    "Kiel", "Lübeck", "Rostock", "Flensburg", "Husum", "Aarhus", "Malmö", "Gdansk", "Bremen",
    "Emden", "Esbjerg", "Visby", "Stralsund", "Wismar", "Sylt", "Odense", "Kalmar", "Szczecin",
)  # fmt: skip
_ADJ = (
    "new", "delayed", "costly", "disputed", "revised", "planned", "regional", "private", "public",
    "second", "smaller", "larger", "temporary", "green", "old", "federal", "joint", "urgent",
)  # fmt: skip
_WHEN = (
    "on Monday", "on Tuesday", "late on Wednesday", "after a debate", "at a meeting",
    "in a statement", "before the break", "despite protests", "without a vote",
)  # fmt: skip


def _bench_sentence(rng: random.Random) -> str:
    # Fixed words come in runs of at most four, and are mostly English stop words, so the text
    # reads as English to the summarizer's language check.
    return (
        f"{rng.choice(_ROLE).capitalize()} {rng.choice(_FIRST)} {rng.choice(_LAST)} said "
        f"{rng.choice(_WHEN)} that the {rng.choice(_ADJ)} {rng.choice(_THING)} in {rng.choice(_PLACE)} "
        f"would be "
        f"{rng.choice(_DID)} by {rng.randint(2, 900)} residents of {rng.choice(_PLACE)}, who had "
        f"asked for {rng.randint(2, 90)} {rng.choice(_ADJ)} {rng.choice(_THING)} plans."
    )


def story_text(seed: int, sentences: int = 10) -> str:
    """A plain-text news story of its own (seeded), with names, places and figures."""
    rng = random.Random(seed)
    return " ".join(_bench_sentence(rng) for _ in range(sentences))


def bench_article(
    feed: int, entry: int, *, distinct: bool = False, distinct_paragraphs: int = 5
) -> bytes:
    """A generated article page whose text differs per (feed, entry).

    By default every page is the same template with other numbers, so all of them look like one
    story; ``distinct`` writes each page's sentences from its own seeded draw instead, so pages
    read as different stories, as a day of news does (``distinct_paragraphs`` of two sentences;
    fewer make a page cheaper to extract and summarize).
    """
    if distinct:
        rng = random.Random(feed * 100_003 + entry)
        paragraphs = "".join(
            "<p>" + " ".join(_bench_sentence(rng) for _ in range(2)) + "</p>"
            for _ in range(distinct_paragraphs)
        )
    else:
        paragraphs = "".join(
            f"<p>Paragraph {k} of story {entry} in feed {feed}. The harbour council discussed "
            f"the plan for the north pier, the cost of {feed * 1000 + entry * 10 + k} euros, and "
            f"the timetable for the works that residents asked about at the last public meeting.</p>"
            for k in range(6)
        )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Feed {feed} story {entry}</title></head><body><article>"
        f"<h1>Feed {feed} story {entry}</h1>{paragraphs}</article></body></html>"
    ).encode()


@functools.cache
def _gzip_bomb() -> bytes:
    return gzip.compress(b" " * 50_000_000, compresslevel=9)


def _make_handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: with Nagle's algorithm on, the body waits for
        # the client's delayed ACK (about 40 ms a response on Linux), which swamped benchmarks.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests read :attr:`FeedServer.requests` instead of stderr."""

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            server._record(self.path, {k.lower(): v for k, v in self.headers.items()})
            path = parts.path
            registered = server._registered(path)
            if registered is not None:
                self._send(
                    registered.status, registered.body, registered.content_type, registered.headers
                )
            elif path == "/conditional.xml":
                self._conditional()
            elif path.startswith("/status/"):
                self._status(int(path.rsplit("/", 1)[1]))
            elif path == "/slow":
                if not server._wait(server.slow_seconds):
                    self._send(200, server.fixture("rss2.xml"), _CONTENT_TYPES[".xml"])
            elif path == "/drip":
                self._drip()
            elif path == "/huge-declared":
                self._huge_declared()
            elif path == "/huge-streamed":
                self._huge_streamed()
            elif path == "/gzip-bomb":
                self._send(200, _gzip_bomb(), _CONTENT_TYPES[".xml"], {"Content-Encoding": "gzip"})
            elif path.startswith("/held/"):
                self._held_back()
            elif path.startswith("/redirect/"):
                self._redirect(path, parse_qs(parts.query))
            elif path.startswith("/bench/"):
                self._bench(path)
            else:
                self._fixture(path)

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str,
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _fixture(self, path: str) -> None:
            name = path.lstrip("/")
            file = (FIXTURES / name).resolve()
            if FIXTURES not in file.parents or not file.is_file():
                self._send(404, b"not found", "text/plain")
                return
            self._send(200, server.fixture(name), _CONTENT_TYPES.get(file.suffix, "text/plain"))

        def _held_back(self) -> None:
            with server._held_changed:
                server._held += 1
                server.most_held = max(server.most_held, server._held)
                server._held_changed.notify_all()
            try:
                server.release_held.wait(timeout=10)
                self._send(200, server.fixture("rss2.xml"), _CONTENT_TYPES[".xml"])
            finally:
                with server._held_changed:
                    server._held -= 1

        def _conditional(self) -> None:
            if (
                self.headers.get("If-None-Match") == ETAG
                or self.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._send(
                200,
                server.fixture("rss2.xml"),
                _CONTENT_TYPES[".xml"],
                {"ETag": ETAG, "Last-Modified": LAST_MODIFIED},
            )

        def _status(self, code: int) -> None:
            headers = {"Retry-After": "120"} if code in (429, 503) else {}
            self._send(code, f"status {code}".encode(), "text/plain", headers)

        def _drip(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", _CONTENT_TYPES[".xml"])
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
            while not server._wait(server.drip_interval):
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:  # the client gave up, which is the point
                    return
            self.close_connection = True

        def _huge_declared(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", _CONTENT_TYPES[".xml"])
            self.send_header("Content-Length", str(10**10))
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True

        def _huge_streamed(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", _CONTENT_TYPES[".xml"])
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<!-- " + b"x" * 65_000 + b" -->"
            framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
            # Stops when the client hangs up (the cap) or after 1 GB, whichever comes first.
            for _ in range(16_000):
                if server._stopping.is_set():
                    break
                try:
                    self.wfile.write(framed)
                except OSError:
                    break
            self.close_connection = True

        def _redirect(self, path: str, query: dict[str, list[str]]) -> None:
            if path == "/redirect/loop":
                target = "/redirect/loop"
            elif path.startswith("/redirect/chain/"):
                hops = int(path.rsplit("/", 1)[1])
                target = f"/redirect/chain/{hops - 1}" if hops > 1 else "/rss2.xml"
            elif path == "/redirect/to":
                target = query["url"][0]
                status = int(query.get("status", ["302"])[0])
                self._send(status, b"", "text/plain", {"Location": target})
                return
            else:
                self._send(404, b"not found", "text/plain")
                return
            self._send(302, b"", "text/plain", {"Location": target})

        def _bench(self, path: str) -> None:
            parts = path.strip("/").removesuffix(".xml").removesuffix(".html").split("/")
            if parts[1] == "feed":
                # Each bench feed has a validator, so a re-poll of an unchanged feed is a 304.
                etag = f'"bench-{parts[2]}-{server.bench_entries}"'
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", _CONTENT_TYPES[".xml"], {"ETag": etag})
                    return
                body = bench_feed(server.base_url, int(parts[2]), server.bench_entries)
                self._send(200, body, _CONTENT_TYPES[".xml"], {"ETag": etag})
            else:
                page = bench_article(
                    int(parts[2]), int(parts[3]), distinct=server.bench_distinct_stories
                )
                self._send(200, page, _CONTENT_TYPES[".html"])

    return Handler
