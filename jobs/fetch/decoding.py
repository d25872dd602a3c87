"""Undo a response's Content-Encoding without ever holding more than the size cap.

httpx decodes gzip itself, but it inflates each network chunk whole before we can count it, so a
64 KB chunk of a gzip bomb briefly became ~64 MB. zlib's ``max_length`` lets us stop at the cap
instead, which is why this small decoder exists rather than ``response.aiter_bytes()``.
"""

from __future__ import annotations

import zlib
from typing import Protocol

# What we ask servers for (GuardedClient sends it); anything else they send is refused.
ACCEPT_ENCODING = "gzip, deflate"


class UnsupportedEncoding(ValueError):
    """The server used a Content-Encoding we did not ask for."""


class _Inflater(Protocol):
    def decompress(self, data: bytes, max_length: int = ..., /) -> bytes: ...


class BoundedDecoder:
    """Feeds raw body chunks through zlib and returns at most ``limit + 1`` bytes in all.

    The extra byte is how the caller learns the body is over its cap without inflating more.
    Raises ``zlib.error`` on corrupt data and :class:`UnsupportedEncoding` at construction.
    """

    def __init__(self, content_encoding: str, limit: int) -> None:
        self._remaining = limit + 1
        self._inflater = _inflater(content_encoding)
        self._deflate_unsniffed = content_encoding.strip().lower() == "deflate"

    def feed(self, data: bytes) -> bytes:
        if self._remaining <= 0:  # zlib reads a max_length of 0 as "no limit"
            return b""
        if self._inflater is None:
            out = data[: self._remaining]
        else:
            if self._deflate_unsniffed and data:
                # "deflate" should be zlib-wrapped, but some servers send raw deflate; the
                # first byte tells them apart (a zlib header has CM=8 in its low bits).
                self._deflate_unsniffed = False
                if data[0] & 0x0F != 8:
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            # Given at most ``remaining`` bytes of output, zlib keeps the rest of the input in
            # ``unconsumed_tail``; we never need it, since reaching the limit ends the fetch.
            out = self._inflater.decompress(data, self._remaining)
        self._remaining -= len(out)
        return out


def _inflater(content_encoding: str) -> _Inflater | None:
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    raise UnsupportedEncoding(encoding)
