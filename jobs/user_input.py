"""The error raised for chat input we refuse, carrying a message fit to send back to the user."""


class UserInputError(ValueError):
    """Input from a chat that cannot be used; ``str(exc)`` is the reply for the user."""
