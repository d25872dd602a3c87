"""A logging filter that masks secrets (the bot token) in every record, tracebacks included.

The token is in every Bot API URL, so any library that logs a request, a URL or an exception
about one (httpx, PTB's ``InvalidToken``, a proxy error) would write it to the log in full.
Quieting each such logger is whack-a-mole; masking at the handlers catches all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.settings import Secret


class SecretMask(logging.Filter):
    """Replace each secret in a record's message, arguments and exception text by its mask."""

    def __init__(self, secrets: Iterable[Secret]) -> None:
        super().__init__()
        self.replacements = [(s.reveal(), s.masked()) for s in secrets if s.reveal()]

    def _mask(self, text: str) -> str:
        for secret, masked in self.replacements:
            text = text.replace(secret, masked)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self._mask(message)
        if masked != message:
            # Merged into msg: an argument may hold the secret, or only the merged text may.
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set: the traceback is masked once, here.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self._mask(record.stack_info)
        return True


def install_secret_mask(secrets: Iterable[Secret]) -> None:
    """Mask ``secrets`` in whatever the root logger's handlers write (replacing an earlier mask)."""
    mask = SecretMask(secrets)
    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, SecretMask)]:
            handler.removeFilter(old)
        handler.addFilter(mask)
