"""The outbox sender through python-telegram-bot's real Bot and HTTP stack, against the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.emulator import DEFAULT_TOKEN, BotApiEmulator, FloodLimits
from bot.telegram_transport import TelegramTransport
from jobs.outbox import OutboxSender, SenderOptions
from store import deliveries
from store.models import Chat, Delivery, DeliveryKind


class Clock:
    """One fake clock for the emulator's flood control and the sender's pacing and timestamps."""

    def __init__(self) -> None:
        self.seconds = 5000.0

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return datetime(2026, 11, 29, 8, 0, tzinfo=UTC) + timedelta(seconds=self.seconds)

    async def sleep(self, seconds: float) -> None:
        self.seconds += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def emulator(clock: Clock) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(limits=FloodLimits(), clock=clock.monotonic) as emu:
        yield emu


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(DEFAULT_TOKEN, base_url=emulator.base_url) as telegram_bot:
        yield telegram_bot


def _sender(
    sessionmaker: async_sessionmaker[AsyncSession], bot: Bot, clock: Clock, **options: float
) -> OutboxSender:
    return OutboxSender(
        sessionmaker,
        TelegramTransport(bot),
        SenderOptions(**options),  # type: ignore[arg-type]
        clock=clock.monotonic,
        sleep=clock.sleep,
        now=clock.now,
    )


async def _queue(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    chats: dict[int, str],
    texts: list[tuple[int, str]],
) -> None:
    async with sessionmaker() as session, session.begin():
        session.add_all(Chat(id=chat_id, type=kind) for chat_id, kind in chats.items())
        await session.flush()
        for n, (chat_id, text) in enumerate(texts):
            await deliveries.enqueue(
                session,
                chat_id=chat_id,
                kind=DeliveryKind.DIGEST,
                item_key=f"d{n}",
                payload={"text": text},
                now=clock.now(),
            )


async def _rows(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Delivery]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Delivery).order_by(Delivery.id)))


async def test_paced_sending_draws_no_429_and_records_message_ids(
    sessionmaker: async_sessionmaker[AsyncSession], emulator: BotApiEmulator, bot: Bot, clock: Clock
) -> None:
    users = [emulator.create_user(f"Reader {n}") for n in range(40)]
    texts = [(user.id, f"<b>Digest</b> for {user.first_name}") for user in users]
    texts += [(users[0].id, "second part"), (users[0].id, "third part")]
    await _queue(sessionmaker, clock, {user.id: "private" for user in users}, texts)
    sender = _sender(sessionmaker, bot, clock)
    while any(row.status.value != "sent" for row in await _rows(sessionmaker)):
        await sender.send_due()
        await clock.sleep(0.25)
    assert emulator.rate_limited == 0
    assert [m.text for m in emulator.sent_to(users[0].id)] == [
        "Digest for Reader 0",
        "second part",
        "third part",
    ]
    rows = await _rows(sessionmaker)
    assert all(row.telegram_message_id for row in rows)


async def test_flood_answers_are_retried_after_retry_after(
    sessionmaker: async_sessionmaker[AsyncSession], emulator: BotApiEmulator, bot: Bot, clock: Clock
) -> None:
    user = emulator.create_user("Eager")
    await _queue(
        sessionmaker, clock, {user.id: "private"}, [(user.id, f"part {n}") for n in range(6)]
    )
    # A sender that ignores the per-chat pace, to meet Telegram's 429 for real.
    sender = _sender(sessionmaker, bot, clock, private_chat_interval=0.0)
    await sender.send_due()
    assert emulator.rate_limited >= 1
    waiting = [row for row in await _rows(sessionmaker) if row.status.value == "pending"]
    assert waiting and all(row.next_attempt_at > clock.now() for row in waiting)
    for _ in range(20):
        await clock.sleep(1.0)
        await sender.send_due()
    assert [m.text for m in emulator.sent_to(user.id)] == [f"part {n}" for n in range(6)]


async def test_blocked_migrated_and_rejected_html(
    sessionmaker: async_sessionmaker[AsyncSession], emulator: BotApiEmulator, bot: Bot, clock: Clock
) -> None:
    blocker = emulator.create_user("Gone")
    blocker.block_bot()
    reader = emulator.create_user("Reader")
    group = emulator.create_group("Harbour fans", members=[reader], admins=[reader])
    supergroup = emulator.migrate_group(group)
    await _queue(
        sessionmaker,
        clock,
        {blocker.id: "private", reader.id: "private", group.id: "group"},
        [
            (blocker.id, "hello"),
            (group.id, "for the group"),
            (reader.id, "<b>broken <i>html</b></i> & more"),
        ],
    )
    sender = _sender(sessionmaker, bot, clock)
    for _ in range(5):
        await sender.send_due()
        await clock.sleep(3.0)
    async with sessionmaker() as session:
        gone = await session.get(Chat, blocker.id)
        moved = await session.get(Chat, supergroup.id)
    assert gone is not None and gone.active is False
    assert moved is not None and moved.type == "supergroup"
    assert [m.text for m in emulator.sent_to(supergroup.id)] == ["for the group"]
    # Telegram refused the HTML: the reader still got the words, as plain text.
    assert [m.text for m in emulator.sent_to(reader.id)] == ["broken html & more"]
    statuses = {row.chat_id: row.status.value for row in await _rows(sessionmaker)}
    assert statuses == {blocker.id: "dropped", supergroup.id: "sent", reader.id: "sent"}


async def test_two_senders_on_postgresql_one_sends_the_other_takes_over(
    database_url: str,
    sessionmaker: async_sessionmaker[AsyncSession],
    emulator: BotApiEmulator,
    bot: Bot,
    clock: Clock,
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("several senders need PostgreSQL")
    import asyncio

    from jobs.leadership import hold_role
    from store.database import create_engine, create_sessionmaker

    users = [emulator.create_user(f"Reader {n}") for n in range(30)]
    await _queue(
        sessionmaker, clock, {u.id: "private" for u in users}, [(u.id, f"hi {u.id}") for u in users]
    )
    engines = [create_engine(database_url) for _ in range(2)]
    sent_by: dict[str, int] = {"first": 0, "second": 0}
    first_holds, stop_first = asyncio.Event(), asyncio.Event()

    class CountingTransport(TelegramTransport):
        """The first sender goes away after ten messages, mid-queue."""

        def __init__(self, name: str, stop: asyncio.Event) -> None:
            super().__init__(bot)
            self.name, self.stop = name, stop

        async def send(self, chat_id: int, payload: dict[str, object]) -> int | None:
            message_id = await super().send(chat_id, dict(payload))
            sent_by[self.name] += 1
            if self.name == "first" and sent_by["first"] == 10:
                self.stop.set()
            return message_id

    async def sender_process(name: str, engine_index: int, stop: asyncio.Event) -> None:
        engine = engines[engine_index]
        async with hold_role(engine, "sender", poll_seconds=0.05):
            if name == "first":
                first_holds.set()
            sender = OutboxSender(
                create_sessionmaker(engine),
                CountingTransport(name, stop),
                SenderOptions(batch=5),
                clock=clock.monotonic,
                sleep=clock.sleep,
                now=clock.now,
            )
            await sender.recover()
            while not stop.is_set():
                await sender.send_due(stop=stop)
                if name == "second":
                    stop.set()
                await clock.sleep(1.0)

    try:
        first = asyncio.create_task(sender_process("first", 0, stop_first))
        await first_holds.wait()
        second = asyncio.create_task(sender_process("second", 1, asyncio.Event()))
        await asyncio.wait_for(asyncio.gather(first, second), timeout=30)
    finally:
        for engine in engines:
            await engine.dispose()
    assert sent_by["first"] >= 10 and sent_by["second"] > 0
    assert sent_by["first"] + sent_by["second"] == 30
    received = [m.text for u in users for m in emulator.sent_to(u.id)]
    assert sorted(received) == sorted(f"hi {u.id}" for u in users)
