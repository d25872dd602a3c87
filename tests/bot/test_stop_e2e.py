"""/stop forgets the chat: no column that can hold a chat id holds its id afterwards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Column, func, select

from bot.emulator import Chat as EmulatedChat
from bot.emulator import User
from jobs.follows import follow_article
from store import deliveries
from store.chats import delete_chat
from store.models import Article, Base, Chat, DeliveryKind, Feed, Subscription, utcnow
from tests.bot.harness import Harness

pytestmark = pytest.mark.asyncio(loop_scope="module")


def chat_id_columns() -> list[Column[Any]]:
    """Every column of the schema that can hold a chat's id, found from the models' metadata.

    A column refers to chats.id by a foreign key, or is named like one (``added_by_chat_id``
    has no foreign key, so that the feed outlives its first subscriber); a new one is found
    without this test being told.
    """
    chats_id = Base.metadata.tables["chats"].c.id
    return [
        column
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if column is chats_id
        or "chat_id" in column.name
        or any(key.column is chats_id for key in column.foreign_keys)
    ]


async def rows_holding(harness: Harness, chat_ids: list[int]) -> dict[str, int]:
    """For each chat-id column, how many rows hold one of ``chat_ids`` (only those with any)."""
    found = {}
    async with harness.services.sessionmaker() as session:
        for column in chat_id_columns():
            count = await session.scalar(
                select(func.count()).select_from(column.table).where(column.in_(chat_ids))
            )
            if count:
                found[f"{column.table.name}.{column.name}"] = int(count)
    return found


async def feed_by_path(harness: Harness, path: str) -> Feed | None:
    async with harness.services.sessionmaker() as session:
        return await session.scalar(select(Feed).where(Feed.url == harness.server.url(path)))


async def a_reader_with_everything(
    harness: Harness, name: str, own: str, shared: str
) -> tuple[User, EmulatedChat]:
    """A reader with catalog sources, two it added (``shared`` followed by a neighbour too), an
    alert, a linked channel, a message queued for each, and a story followed."""
    reader, neighbour = harness.user(name), harness.user(f"{name}'s neighbour")
    channel = harness.emulator.create_group(
        f"{name} News", admins=[reader], kind="channel", username=f"{name.lower()}news"
    )
    await harness.ask(reader, "/start world")
    await harness.ask(reader, f"/add {harness.server.url(own)}", timeout=30)
    await harness.ask(reader, f"/add {harness.server.url(shared)}", timeout=30)
    await harness.ask(neighbour, f"/add {harness.server.url(shared)}", timeout=30)
    await harness.ask(reader, "/alert storm")
    linked = await harness.ask(reader, f"/channel @{channel.username}")
    assert "Digests will be posted" in linked.text
    async with harness.services.sessionmaker() as session, session.begin():
        for chat_id in (reader.id, channel.id):
            await deliveries.enqueue(
                session,
                chat_id=chat_id,
                kind=DeliveryKind.NOTICE,
                item_key="notice:owed",
                payload={"text": "owed"},
                now=utcnow(),
                not_before=utcnow() + timedelta(hours=1),  # still queued at /stop
            )
        # And a story followed, as a Follow tap leaves it.
        article = Article(canonical_url=harness.server.url(f"{own}#followed"), title="Followed")
        session.add(article)
        await session.flush()
        await follow_article(session, reader.id, article, now=utcnow(), per_chat=20)
    return reader, channel


async def test_the_schema_has_the_chat_id_columns_this_test_checks() -> None:
    names = {f"{column.table.name}.{column.name}" for column in chat_id_columns()}
    # Not the list to check (that is found from the metadata), only proof the search finds some.
    assert {
        "chats.id",
        "chats.managed_by_chat_id",
        "feeds.added_by_chat_id",
        "subscriptions.chat_id",
        "alert_rules.chat_id",
        "deliveries.chat_id",
        "story_follows.chat_id",
    } <= names


@pytest.mark.parametrize("stop_channels", [True, False], ids=["channels too", "channels stay"])
async def test_stop_leaves_no_row_holding_the_chat_id(
    harness: Harness, stop_channels: bool
) -> None:
    name = "Stopper" if stop_channels else "Keeper"
    # Feeds of their own for each case: the module's bot (and database) is shared.
    own, shared_path = ("/bench/feed/2.xml", "/bench/feed/3.xml")
    if not stop_channels:
        own, shared_path = ("/bench/feed/4.xml", "/bench/feed/5.xml")
    reader, channel = await a_reader_with_everything(harness, name, own, shared_path)
    before = await rows_holding(harness, [reader.id])
    assert before == {
        "chats.id": 1,
        "chats.managed_by_chat_id": 1,
        "feeds.added_by_chat_id": 2,
        "subscriptions.chat_id": 4,  # two from the catalog's world topic, two added
        "alert_rules.chat_id": 1,
        "deliveries.chat_id": 1,
        "story_follows.chat_id": 1,
    }

    question = await harness.ask(reader, "/stop")
    assert f"@{channel.username}" in question.text
    label = "Yes, and stop" if stop_channels else "Yes, keep"
    await harness.press(reader, question, label)
    assert "everything stored about this chat is deleted" in question.text

    assert await rows_holding(harness, [reader.id]) == {}
    # The feed only this reader followed is gone unless the channel still reads it; the one a
    # neighbour follows stays, no longer marked as the reader's.
    only_mine = await feed_by_path(harness, own)
    shared = await feed_by_path(harness, shared_path)
    assert shared is not None and shared.added_by_chat_id is None
    async with harness.services.sessionmaker() as session:
        followers = set(
            await session.scalars(
                select(Subscription.chat_id).where(Subscription.feed_id == shared.id)
            )
        )
        kept_channel = await session.get(Chat, channel.id)
    if stop_channels:
        assert "stopped too" in question.text
        assert await rows_holding(harness, [channel.id]) == {}
        assert only_mine is None
        assert len(followers) == 1  # the neighbour
    else:
        assert "goes on getting digests" in question.text
        assert kept_channel is not None and kept_channel.managed_by_chat_id is None
        assert only_mine is not None and only_mine.added_by_chat_id is None
        assert channel.id in followers
        async with harness.services.sessionmaker() as session, session.begin():
            await delete_chat(session, channel.id)  # what /channel off does later
        assert await rows_holding(harness, [channel.id]) == {}


async def test_stop_without_channels_asks_the_plain_question(harness: Harness) -> None:
    reader = harness.user("Plain")
    await harness.ask(reader, "/alert harbour")
    question = await harness.ask(reader, "/stop")
    assert [button["text"] for button in question.buttons] == ["Yes, delete everything", "Cancel"]
    await harness.press(reader, question, "Yes")
    assert await rows_holding(harness, [reader.id]) == {}
