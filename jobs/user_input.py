"""The error raised for chat input we refuse, carrying a message fit to send back to the user,
and the one way such a message quotes what the user typed."""

from jobs.i18n import ReaderError
from jobs.messages import truncate_visible

# Enough to recognise what one typed; a reply never repeats a 4,000-character argument.
QUOTE_LIMIT = 40


class UserInputError(ReaderError, ValueError):
    """Input from a chat that cannot be used; :meth:`translated` is the reply for the user.

    Parsers do not know the chat, the handler that answers does: the message is marked for
    translation where it is raised and worded in the chat's language there.
    """


def quoted(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` as a reply may echo it: in quotes, cut to ``limit`` characters (still plain text)."""
    return f"'{truncate_visible(text.strip(), limit)}'"
