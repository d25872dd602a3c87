"""Per-story buttons under digest messages and alerts: their callback data and keyboards.

A digest message holds several numbered items and one keyboard, so it carries a row of item
numbers; a tap turns the keyboard into that story's actions (More, Mute source, Follow, Back).
An alert holds one story and carries its actions directly. Keyboards are Bot API JSON, built
when the message is queued (jobs import no Telegram) and stored in the outbox row together
with the stories the message shows: a tap names its message, and every field it carries is
checked against that message's stories (bot/handlers/stories.py).

Callback data, at most 64 bytes with 18-digit ids (see :data:`LONGEST_DATA`):

    st:<article>            an item number: show that story's actions
    mo:<article>            More: the story's full summary, as a reply
    mu:<feed>:<article>     mute the story's source for this chat
    um:<feed>:<article>     unmute it again, from the story's actions
    um:<feed>               unmute, from /mysources
    fo:<article>            follow the story (the follow-story feature owns this route)
    bk                      back to the message's item numbers
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jobs.messages import truncate_visible

# Telegram shows at most 8 buttons in a row; 6 stay wide enough to hit on a phone.
NUMBERS_PER_ROW = 6
# A source's name in "Mute …" is cut to this, so the button stays one line.
SOURCE_LABEL_CHARS = 24
BACK = "bk"
# The longest data any of these buttons carries: two 18-digit ids.
LONGEST_DATA = f"mu:{'9' * 18}:{'9' * 18}"


@dataclass(frozen=True, slots=True)
class StoryRef:
    """One story of a message, as its buttons name it: the item number shown (0 for an
    alert), the article, and the chat's feed it came through (which "Mute source" mutes)."""

    number: int
    article_id: int
    feed_id: int
    source: str

    def to_payload(self) -> dict[str, Any]:
        return {
            "n": self.number,
            "article": self.article_id,
            "feed": self.feed_id,
            "source": self.source,
        }


def stories_payload(stories: Sequence[StoryRef]) -> list[dict[str, Any]]:
    return [story.to_payload() for story in stories]


def stories_of(payload: dict[str, Any]) -> list[StoryRef]:
    """The stories a stored message payload shows; none for a message without story buttons."""
    found = []
    for data in payload.get("stories") or ():
        try:
            found.append(
                StoryRef(
                    int(data["n"]), int(data["article"]), int(data["feed"]), str(data["source"])
                )
            )
        except (KeyError, TypeError, ValueError):
            continue  # not one of ours: its buttons are answered as out of date
    return found


def has_story_buttons(chat_type: str) -> bool:
    """Whether a chat's digests and alerts carry story buttons: not a channel's, whose posts
    are read by people who are not the chat (More would post into the channel for everyone,
    and muting or following there would change it for all its readers)."""
    return chat_type != "channel"


def _button(text: str, data: str) -> dict[str, str]:
    return {"text": text, "callback_data": data}


def number_keyboard(stories: Sequence[StoryRef]) -> dict[str, Any]:
    """The digest message's row of item numbers ("1 2 3 4 5 6", then a second row)."""
    buttons = [_button(str(story.number), f"st:{story.article_id}") for story in stories]
    rows = [buttons[i : i + NUMBERS_PER_ROW] for i in range(0, len(buttons), NUMBERS_PER_ROW)]
    return {"inline_keyboard": rows}


def actions_keyboard(
    story: StoryRef, *, muted: bool | None, back: bool, tr: gettext.NullTranslations
) -> dict[str, Any]:
    """A story's actions: More and Follow, Mute (or Unmute when ``muted``) its source, unless
    the chat no longer follows it (``muted`` None), and Back to the numbers of a digest
    message (``back``)."""
    source = truncate_visible(story.source, SOURCE_LABEL_CHARS)
    more = (
        tr.gettext("➕ More on {number}").format(number=story.number)
        if back
        else tr.gettext("➕ More")
    )
    mute = (
        _button(
            tr.gettext("🔊 Unmute {source}").format(source=source),
            f"um:{story.feed_id}:{story.article_id}",
        )
        if muted
        else _button(
            tr.gettext("🔇 Mute {source}").format(source=source),
            f"mu:{story.feed_id}:{story.article_id}",
        )
    )
    rows = [
        [
            _button(more, f"mo:{story.article_id}"),
            _button(tr.gettext("🔔 Follow"), f"fo:{story.article_id}"),
        ]
    ]
    if muted is not None:
        rows.append([mute])
    if back:
        rows.append([_button(tr.gettext("↩ Back"), BACK)])
    return {"inline_keyboard": rows}


def digest_payload(text: str, stories: Sequence[StoryRef]) -> dict[str, Any]:
    """An outbox payload for one digest message: its text, its stories and their numbers
    (no keyboard when it shows no story, e.g. an empty digest or a channel's)."""
    payload: dict[str, Any] = {"text": text, "preview": False}
    if stories:
        payload["stories"] = stories_payload(stories)
        payload["reply_markup"] = number_keyboard(stories)
    return payload
