"""Whether a URL, asked for or redirected to, is one a fetch may even try: http(s), well formed."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from jobs.fetch.errors import FetchRefused


def check_target(url: str, *, redirect: bool = False) -> httpx.URL:
    """The parsed ``url``, or :class:`FetchRefused` saying why it cannot be fetched.

    ``redirect`` words the refusal for a ``Location:`` the server sent rather than one the user
    gave. The scheme is read with ``urlsplit`` first because httpx refuses to parse many
    non-http URLs at all (``javascript:…``, ``mailto:…``), which would hide the real reason.
    """
    shown = url[:200]
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:
        raise FetchRefused(_invalid(shown, redirect), url=url) from exc
    if scheme not in ("http", "https"):
        if redirect:
            named = (
                f"{_article(scheme)} {scheme}: address"
                if scheme
                else f"{shown!r}, which has no scheme"
            )
            message = f"refused: redirect to {named}; only http and https can be fetched"
        else:
            message = f"refused: only http and https addresses can be fetched, not {scheme or 'no scheme'}"
        raise FetchRefused(message, url=url)
    try:
        parsed = httpx.URL(url)
        # Reading the host decodes its IDNA labels, where a malformed one ("xn--") fails.
        host, port = parsed.host, parsed.port
    except (httpx.InvalidURL, TypeError, UnicodeError) as exc:
        raise FetchRefused(_invalid(shown, redirect), url=url) from exc
    if not host:
        raise FetchRefused(f"refused: {shown!r} has no host", url=url)
    # Checked here because the socket layer reports these as errors outside FetchError
    # (OverflowError in a task group, UnicodeError from the resolver's codec).
    if port is not None and not 0 < port < 65536:
        raise FetchRefused(f"refused: port {port} does not exist (1 to 65535)", url=url)
    labels = parsed.raw_host.split(b".")
    if len(parsed.raw_host) > 253 or any(not 0 < len(label) <= 63 for label in labels if label):
        raise FetchRefused(f"refused: {host[:80]!r} is not a valid host name", url=url)
    return parsed


async def refuse_bad_redirect(response: httpx.Response) -> None:
    """httpx response hook: refuse a ``Location:`` before httpx parses it.

    httpx builds the next request of every redirect even with ``follow_redirects=False``, and a
    ``javascript:`` or malformed-IDN location makes that raise ``InvalidURL`` or ``IDNAError``,
    errors outside :class:`FetchError` that no caller expects. Checked here, the same location
    is an ordinary refusal.
    """
    if response.has_redirect_location:
        location = response.headers["location"]
        try:
            target = str(response.request.url.join(location))
        except (httpx.InvalidURL, TypeError, UnicodeError, ValueError):
            target = location
        check_target(target, redirect=True)


def _invalid(shown: str, redirect: bool) -> str:
    if redirect:
        return f"refused: redirect to {shown!r}, which is not a valid URL"
    return f"refused: {shown!r} is not a valid URL"


def _article(word: str) -> str:
    return "an" if word[:1] in ("a", "e", "i", "o", "u") else "a"
