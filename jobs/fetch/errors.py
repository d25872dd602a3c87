"""Why a fetch failed, as a small exception tree whose messages a user can act on.

FetchError
├── FetchRefused          the address or scheme is not allowed; nothing was sent
├── FetchTooLarge         the body passed the size cap
├── FetchUnreadable       the body is corrupt or in an encoding we did not ask for
├── FetchTimeout          the whole fetch, or one read, took too long
├── TooManyRedirects      more hops than the cap, or a loop
├── FetchConnectionError  DNS, TCP or TLS failed
└── FetchHTTPError        the server answered with a 4xx/5xx status
"""

from __future__ import annotations

import gettext
import re

from jobs.i18n import N_, ReaderError


class FetchError(Exception):
    """A fetch did not produce a usable response; ``str(exc)`` is meant for the user."""

    def __init__(self, message: str, *, url: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        # Seconds the server asked us to wait (``Retry-After``), for the scheduler's back-off.
        self.retry_after = retry_after


# Every refusal's message starts so: a reason stored as text (a feed's last error) is still
# known for one, and reader_reason can tell it apart.
REFUSED_PREFIX = "refused:"
READER_REFUSAL = N_("this address is not allowed")
# A failure's kind, known by how our own messages (exceptions and stored errors) begin, as a
# reader of another language is told it. The English messages name the host, the status, the
# limit; they are partly the server's words, which no catalog can hold, so they are shown as
# they are only where the catalog has no wording for the kind (English).
_KINDS = (
    ("timed out", N_("the site took too long to answer")),
    # TRANSLATORS: why a page or feed could not be read; follows "I could not add that source:".
    ("too large", N_("it is larger than I read")),
    ("unreadable", N_("the site sent data I cannot read")),
    ("redirect loop", N_("the address redirects in a loop")),
    ("too many redirects", N_("the address redirects too many times")),
    ("could not", N_("I could not reach the site")),
    ("not a feed", N_("it is not an RSS or Atom feed")),
    ("this is an HTML page", N_("it is a web page, not a feed: add the site's feed address")),
    ("read leniently", N_("the feed is malformed")),
)
_STATUS = re.compile(r"the server answered (\d{3})")


class FetchRefused(FetchError):
    """The URL, or an address it resolves or redirects to, may not be fetched."""

    def __init__(self, message: str, *, url: str) -> None:
        if not message.startswith(REFUSED_PREFIX):
            message = f"{REFUSED_PREFIX} {message}"
        super().__init__(message, url=url)


def reader_reason(
    error: Exception | str, translations: gettext.NullTranslations | None = None
) -> str:
    """Why a fetch failed, as a Telegram user may be told: never the server's settings.

    A refusal names what the address is and the allow-list setting that would exempt it,
    which is for the bot's administrator (logs, the feeds command); a reader is told only that
    the address is not allowed. ``error`` may be the exception or its stored text; the reason
    is worded by ``translations`` (the reader's language; English without).
    """
    tr = translations or gettext.NullTranslations()
    text = str(error)
    if isinstance(error, FetchRefused) or text.startswith(REFUSED_PREFIX):
        return tr.gettext(READER_REFUSAL)
    if isinstance(error, ReaderError):
        return error.translated(tr)
    status = _STATUS.match(text)
    if status is not None:
        worded = tr.gettext(_HTTP_STATUS)
        return text if worded == _HTTP_STATUS else worded.format(status=status[1])
    for prefix, kind in _KINDS:
        if text.startswith(prefix):
            worded = tr.gettext(kind)
            return text if worded == kind else worded
    # An error we did not word (a feed's own message): the reader's catalog may have it. (An
    # empty id would look up the catalog's header.)
    return tr.gettext(text) if text else text


_HTTP_STATUS = N_("the site answered with error {status}")


class FetchTooLarge(FetchError):
    """The response is bigger than the configured cap."""


class FetchUnreadable(FetchError):
    """The body's compression is corrupt, or is one we did not offer to accept."""


class FetchTimeout(FetchError):
    """The server was too slow, in total or between two reads."""


class TooManyRedirects(FetchError):
    """The redirect chain was longer than the cap (loops end here too)."""


class FetchConnectionError(FetchError):
    """The host could not be resolved or reached, or TLS failed."""


class FetchHTTPError(FetchError):
    """The server answered with an error status."""

    def __init__(
        self, message: str, *, url: str, status: int, retry_after: float | None = None
    ) -> None:
        super().__init__(message, url=url, retry_after=retry_after)
        self.status = status
