"""Following a story through the real bot: the Follow button, /follow, updates, /following."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.emulator import SentMessage, User
from bot.handlers.buttons import STALE_BUTTON
from store.models import (
    Article,
    Chat,
    Delivery,
    DeliveryKind,
    FeedEntry,
    StoryFollow,
    utcnow,
)
from tests.bot.harness import Harness
from tests.feedserver import Route

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("no_errors")]

LEAD = (
    "The carmaker Voltan said on Monday it would cut {jobs} jobs at its plant in Leeds, the "
    "company's chief executive Maria Lopez told reporters at the factory gates."
)
_WORDS = [
    "council",
    "harbour",
    "ferry",
    "union",
    "vans",
    "workers",
    "budget",
    "plan",
    "factory",
    "region",
    "spring",
    "delivery",
    "firms",
    "north",
    "managers",
    "valencia",
    "shift",
    "contract",
    "supplier",
    "pension",
    "training",
    "station",
    "bridge",
    "market",
    "river",
    "tram",
    "school",
    "hospital",
    "court",
    "minister",
    "report",
    "engineers",
    "survey",
    "grant",
    "airport",
]


def story_text(reader: str, jobs: str, extra: str = "") -> str:
    """A story of the reader's own (other tests' stories share no more than its lead), with
    ``jobs`` in its lead: every copy of one reader's story is one story to the grouping."""
    pick = random.Random(reader)
    sentences = [
        " ".join(pick.choice(_WORDS) for _ in range(12)).capitalize() + "." for _ in range(8)
    ]
    return " ".join([LEAD.format(jobs=jobs), *sentences, extra])


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """A feed of (guid, link, text) items, each titled after the story."""
    body = "".join(
        f"<item><title>Voltan to cut jobs in Leeds</title><link>{link}</link><guid>{guid}</guid>"
        f"<description>{text}</description></item>"
        for guid, link, text in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{body}'
        "</channel></rss>"
    ).encode()


class Outlets:
    """A reader's own feeds on the feed server, each publishing copies of the story."""

    def __init__(self, harness: Harness, reader: str, names: list[str]) -> None:
        self.harness = harness
        self.reader = reader
        self.paths = {name: f"/follow/{reader}/{name.split()[0].lower()}.xml" for name in names}
        self.items: dict[str, list[tuple[str, str, str]]] = {name: [] for name in names}
        for name in names:
            self._serve(name)

    def _serve(self, name: str) -> None:
        self.harness.server.route(self.paths[name], Route(rss(name, self.items[name])))

    def url(self, name: str) -> str:
        return self.harness.server.url(self.paths[name])

    def publish(self, name: str, jobs: str, extra: str = "") -> str:
        """The outlet publishes its copy of the story; returns its link."""
        path = self.paths[name].removesuffix(".xml")
        link = self.harness.server.url(f"{path}/voltan-{len(self.items[name])}.html")
        text = story_text(self.reader, jobs, extra)
        self.items[name].append((link, link, text))
        self._serve(name)
        return link


async def subscribed(harness: Harness, reader: str, names: list[str]) -> tuple[User, Outlets]:
    user = harness.user(reader)
    outlets = Outlets(harness, reader.lower(), names)
    for name in names:
        added = await harness.ask(user, f"/add {outlets.url(name)}", timeout=30)
        assert "Added" in added.text, added.text
    await harness.app.bot_data.runtime.pipeline.ingest_everything_now()  # their backlog: none
    return user, outlets


async def news(harness: Harness) -> None:
    """Fetch every feed now, as the ingest job would when they are due (updates queued)."""
    await harness.app.bot_data.runtime.pipeline.ingest_everything_now()


@asynccontextmanager
async def sending(harness: Harness) -> AsyncIterator[None]:
    """The outbox's sender running, as in `newsdigest run`, pacing chats as it does there."""
    sender = harness.app.bot_data.runtime.pipeline.sender
    assert sender is not None
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    try:
        yield
    finally:
        stop.set()
        await task


async def digest_now(harness: Harness, user: User) -> SentMessage:
    """The reader's scheduled digest, queued and sent as when its hour comes."""
    async with harness.services.sessionmaker() as session, session.begin():
        # A digest covers articles stamped a little while ago (DigestOptions.settle).
        await session.execute(
            update(Article)
            .where(Article.id.in_(select(FeedEntry.article_id)))
            .where(Article.fetched_at > utcnow() - timedelta(minutes=3))
            .values(fetched_at=utcnow() - timedelta(minutes=3))
        )
        chat = await session.get(Chat, user.id)
        assert chat is not None
        chat.next_digest_at = utcnow() - timedelta(minutes=1)
    mark = len(harness.emulator.sent_to(user.id))
    await harness.app.bot_data.runtime.pipeline.digest_tick()
    return await harness.emulator.wait_for_message(
        user.id, lambda m: "Your digest" in m.text, since=mark, timeout=20
    )


async def follows_of(harness: Harness, chat_id: int) -> list[StoryFollow]:
    async with harness.services.sessionmaker() as session:
        return list(
            await session.scalars(
                select(StoryFollow).where(StoryFollow.chat_id == chat_id).order_by(StoryFollow.id)
            )
        )


async def updates_to(harness: Harness, chat_id: int) -> list[Delivery]:
    async with harness.services.sessionmaker() as session:
        return list(
            await session.scalars(
                select(Delivery).where(
                    Delivery.chat_id == chat_id, Delivery.kind == DeliveryKind.UPDATE
                )
            )
        )


async def test_follow_item_of_the_digest_then_a_new_outlet_sends_one_update(
    harness: Harness,
) -> None:
    user, outlets = await subscribed(harness, "Ada", ["Courier Leeds", "Gazette North"])
    outlets.publish("Courier Leeds", "1,200")
    await news(harness)
    async with sending(harness):
        digest = await digest_now(harness, user)
        assert "Voltan to cut jobs" in digest.text
        out_of_range = await harness.ask(user, "/follow 5")
        assert "items 1 to 1" in out_of_range.text
        followed = await harness.ask(user, "/follow 1")
        assert "Following" in followed.text and "1 outlet so far" in followed.text
        assert "/following" in followed.text

        outlets.publish("Gazette North", "1,800", "Analyst Ken Ito said more cuts may follow.")
        mark = len(harness.emulator.sent_to(user.id))
        await news(harness)
        story_update = await harness.emulator.wait_for_message(
            user.id, lambda m: "Story update" in m.text, since=mark, timeout=20
        )
    assert "1 new outlet: Gazette North" in story_update.text
    assert "New figure: 1,800 jobs, was 1,200" in story_update.text
    assert "Ken Ito" in story_update.text
    assert [b["text"] for b in story_update.buttons] == ["🔕 Unfollow"]

    # Told once: another round finds nothing new, and the row was in the outbox before sending.
    await harness.app.bot_data.runtime.pipeline.follow_tick()
    [row] = await updates_to(harness, user.id)
    assert row.sent_at is not None

    listing = await harness.ask(user, "/following")
    assert "Stories you follow" in listing.text
    assert "Voltan to cut jobs in Leeds" in listing.text and "2 outlets so far" in listing.text
    await harness.press(user, listing, "Unfollow 1.")
    await harness.emulator.wait_until(lambda: "You follow no stories" in listing.text)
    [follow] = await follows_of(harness, user.id)
    assert follow.ended_reason == "unfollowed"


async def test_news_inside_the_window_comes_as_one_update_when_it_ends(harness: Harness) -> None:
    names = ["Courier Bay", "Gazette Bay", "Wire Bay", "Post Bay"]
    user, outlets = await subscribed(harness, "Grace", names)
    outlets.publish("Courier Bay", "1,200")
    await news(harness)
    async with sending(harness):
        await digest_now(harness, user)
        await harness.ask(user, "/follow 1")
        outlets.publish("Gazette Bay", "1,500")
        mark = len(harness.emulator.sent_to(user.id))
        await news(harness)
        first = await harness.emulator.wait_for_message(
            user.id, lambda m: "Story update" in m.text, since=mark, timeout=20
        )
        assert "New figure: 1,500 jobs, was 1,200" in first.text

        # Two more outlets within the six hours: held, nothing is sent.
        outlets.publish("Wire Bay", "1,500")
        outlets.publish("Post Bay", "1,700")
        await news(harness)
        assert len(await updates_to(harness, user.id)) == 1
        # Six hours on (the window's start moved back), one update tells both.
        async with harness.services.sessionmaker() as session, session.begin():
            await session.execute(
                update(StoryFollow)
                .where(StoryFollow.chat_id == user.id)
                .values(last_update_at=utcnow() - timedelta(hours=6))
            )
        mark = len(harness.emulator.sent_to(user.id))
        await harness.app.bot_data.runtime.pipeline.follow_tick()
        second = await harness.emulator.wait_for_message(
            user.id, lambda m: "Story update" in m.text, since=mark, timeout=20
        )
    assert "2 new outlets: Wire Bay, Post Bay" in second.text
    assert "New figure: 1,700 jobs, was 1,500" in second.text
    assert "Gazette Bay" not in second.text
    assert len(await updates_to(harness, user.id)) == 2

    # Its Unfollow button ends the follow and leaves the update without it.
    await harness.press(user, second, "Unfollow")
    await harness.emulator.wait_until(lambda: not second.buttons)
    [follow] = await follows_of(harness, user.id)
    assert follow.ended_at is not None


async def test_follow_button_on_an_alert_and_forged_data_answered_stale(
    harness: Harness,
) -> None:
    user, outlets = await subscribed(harness, "Alan", ["Courier Hull"])
    await harness.ask(user, "/alert voltan")
    outlets.publish("Courier Hull", "900")
    async with sending(harness):
        mark = len(harness.emulator.sent_to(user.id))
        await news(harness)
        alert = await harness.emulator.wait_for_message(
            user.id, lambda m: "Voltan" in m.text, since=mark, timeout=20
        )
    async with harness.services.sessionmaker() as session:
        article_id = await session.scalar(
            select(Article.id)
            .join(FeedEntry, FeedEntry.article_id == Article.id)
            .where(Article.canonical_url.like("%/follow/alan/%"))
        )
        story_key = await session.scalar(select(Article.story_key).where(Article.id == article_id))
        someone_elses = await session.scalar(
            select(Article.id).where(Article.story_key != story_key)
        )
    assert article_id is not None and someone_elses is not None

    forged = [
        "fo:",
        "fo:abc",
        "fo:-1",
        "fo:0",
        "fo:99999999999999999999",
        "fo:" + "9" * 18,
        f"fo:{someone_elses}",
        f"fo:{article_id}:x",
        "fu:1234567",
        "fu:l:1234567",
        "fu:x:1",
        "fu:l:1:2",
    ]
    for data in forged:
        answer = await harness.press_made_up(user, alert, data)
        assert answer["text"] == STALE_BUTTON, data
    assert await follows_of(harness, user.id) == []

    mark = len(harness.emulator.sent_to(user.id))
    answer = await harness.press_made_up(user, alert, f"fo:{article_id}")
    assert answer["text"] == "Following"
    confirmed = await harness.emulator.wait_for_message(
        user.id, lambda m: "Following" in m.text, since=mark
    )
    assert "Voltan to cut jobs in Leeds" in confirmed.text
    again = await harness.press_made_up(user, alert, f"fo:{article_id}")
    assert again["text"] == "Following"
    assert "already follow" in harness.emulator.sent_to(user.id)[-1].text
    assert len(await follows_of(harness, user.id)) == 1

    # Another chat cannot end this chat's follow by its id.
    [follow] = await follows_of(harness, user.id)
    stranger = harness.user("Stranger")
    listing = await harness.ask(stranger, "/following")
    assert "You follow no stories" in listing.text
    answer = await harness.press_made_up(stranger, listing, f"fu:l:{follow.id}")
    assert answer["text"] == STALE_BUTTON
    assert (await follows_of(harness, user.id))[0].ended_at is None


async def test_follow_after_digest_or_by_link_and_a_quiet_week_ends_it(harness: Harness) -> None:
    user, outlets = await subscribed(harness, "Linus", ["Courier York"])
    link = outlets.publish("Courier York", "300")
    await news(harness)
    nothing_yet = await harness.ask(user, "/follow 1")
    assert "No digest to pick from yet: send /digest" in nothing_yet.text
    for unknown in ("https://nowhere.example/story", "wind farm", "http://[::1"):
        answer = await harness.ask(user, f"/follow {unknown}")
        assert "I know no such story from your sources" in answer.text, unknown
    user.send_command("/digest")
    await harness.emulator.wait_for_message(user.id, lambda m: "Your digest" in m.text)
    followed = await harness.ask(user, "/follow 1")
    assert "Following" in followed.text and "Voltan to cut jobs in Leeds" in followed.text
    again = await harness.ask(user, f"/follow {link}?utm_source=share")
    assert "You already follow" in again.text

    # A week without a new copy (the story's copies and the follow a week older).
    week_ago = utcnow() - timedelta(days=7, minutes=1)
    async with harness.services.sessionmaker() as session, session.begin():
        await session.execute(
            update(StoryFollow).where(StoryFollow.chat_id == user.id).values(started_at=week_ago)
        )
        await session.execute(
            update(FeedEntry)
            .where(
                FeedEntry.article_id.in_(select(Article.id).where(Article.canonical_url == link))
            )
            .values(seen_at=week_ago)
        )
    async with sending(harness):
        mark = len(harness.emulator.sent_to(user.id))
        await harness.app.bot_data.runtime.pipeline.follow_tick()
        await harness.app.bot_data.runtime.pipeline.follow_tick()
        ended = await harness.emulator.wait_for_message(
            user.id, lambda m: "Stopped following" in m.text, since=mark, timeout=20
        )
    assert "quiet for a week" in ended.text and "Voltan to cut jobs in Leeds" in ended.text
    assert [m.text for m in harness.emulator.sent_to(user.id)].count(ended.text) == 1
    assert "You follow no stories" in (await harness.ask(user, "/following")).text


async def test_help_lists_following(harness: Harness) -> None:
    reply = await harness.ask(harness.user("Helpful"), "/help")
    assert "/follow " in reply.text and "/following" in reply.text
    usage = await harness.ask(harness.user("Curious"), "/follow")
    assert "/follow N | LINK" in usage.text


async def test_in_a_group_only_admins_follow_and_unfollow(harness: Harness) -> None:
    owner, member = harness.user("FollowOwner"), harness.user("FollowMember")
    group = harness.emulator.create_group("Followers", members=[owner, member], admins=[owner])
    outlets = Outlets(harness, "followers", ["Courier Wells"])
    owner.send_command(f"/add {outlets.url('Courier Wells')}", chat=group)
    await harness.emulator.wait_for_message(group.id, lambda m: "Added" in m.text, timeout=30)
    await news(harness)
    outlets.publish("Courier Wells", "40")
    await news(harness)
    owner.send_command("/digest", chat=group)
    await harness.emulator.wait_for_message(group.id, lambda m: "Your digest" in m.text)

    member.send_command("/follow 1", chat=group)
    refused = await harness.emulator.wait_for_message(group.id)
    assert "Only this group's admins" in refused.text
    assert await follows_of(harness, group.id) == []
    owner.send_command("/follow 1", chat=group)
    followed = await harness.emulator.wait_for_message(group.id)
    assert "Following" in followed.text
    member.send_command("/following", chat=group)
    listing = await harness.emulator.wait_for_message(group.id)
    assert "Voltan to cut jobs in Leeds" in listing.text  # anyone may look
    await harness.press(member, listing, "Unfollow")
    [follow] = await follows_of(harness, group.id)
    assert follow.ended_at is None
