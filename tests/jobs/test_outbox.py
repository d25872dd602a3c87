"""The sender: pacing, every Telegram error path, and restart without loss or doubles."""

from __future__ import annotations

import contextlib
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.outbox import (
    ChatGone,
    ChatMoved,
    OutboxSender,
    Rejected,
    RetryLater,
    SenderOptions,
    SendError,
    TransientError,
)
from store import deliveries
from store.models import AlertRule, Chat, Delivery, DeliveryKind, Feed, Subscription


class FakeClock:
    """Monotonic seconds and wall time that move only when the sender sleeps."""

    def __init__(self) -> None:
        self.seconds = 1000.0
        self.start = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds - 1000.0)

    async def sleep(self, seconds: float) -> None:
        self.seconds += seconds


class ScriptedTelegram:
    """Telegram at the process boundary: records sends, raises the errors a test scripts."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent: list[tuple[float, int, str]] = []
        self.errors: dict[int, list[SendError]] = {}

    async def send(self, chat_id: int, payload: dict[str, Any]) -> int | None:
        queued = self.errors.get(chat_id)
        if queued:
            raise queued.pop(0)
        self.sent.append((self.clock.seconds, chat_id, payload["text"]))
        return len(self.sent)


async def _setup(
    sessionmaker: async_sessionmaker[AsyncSession],
    chats: dict[int, str],
    clock: FakeClock,
    items: list[tuple[int, DeliveryKind, str]],
) -> None:
    async with sessionmaker() as session, session.begin():
        session.add_all(Chat(id=chat_id, type=kind) for chat_id, kind in chats.items())
        await session.flush()
        for chat_id, kind, key in items:
            await deliveries.enqueue(
                session,
                chat_id=chat_id,
                kind=kind,
                item_key=key,
                payload={"text": key},
                now=clock.now(),
            )


def _sender(
    sessionmaker: async_sessionmaker[AsyncSession], telegram: ScriptedTelegram, clock: FakeClock
) -> OutboxSender:
    return OutboxSender(
        sessionmaker,
        telegram,
        SenderOptions(),
        clock=clock.monotonic,
        sleep=clock.sleep,
        now=clock.now,
    )


async def _statuses(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    async with sessionmaker() as session:
        rows = (await session.scalars(select(Delivery).order_by(Delivery.id))).all()
    return {row.item_key: row.status.value for row in rows}


async def test_enqueue_is_idempotent(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    clock = FakeClock()
    await _setup(sessionmaker, {1: "private"}, clock, [(1, DeliveryKind.ALERT, "a:1")])
    async with sessionmaker() as session, session.begin():
        again = await deliveries.enqueue(
            session,
            chat_id=1,
            kind=DeliveryKind.ALERT,
            item_key="a:1",
            payload={"text": "x"},
            now=clock.now(),
        )
    assert again is False
    assert len(await _statuses(sessionmaker)) == 1


async def test_alerts_go_first_and_rates_hold(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    chats = {n: "private" for n in range(1, 61)} | {-100: "group"}
    items = [(n, DeliveryKind.DIGEST, f"d:{n}") for n in range(1, 61)]
    items += [(-100, DeliveryKind.DIGEST, f"g:{part}") for part in range(3)]
    items += [(7, DeliveryKind.ALERT, "alert:7")]
    await _setup(sessionmaker, chats, clock, items)
    telegram = ScriptedTelegram(clock)
    sender = _sender(sessionmaker, telegram, clock)
    while len(telegram.sent) < len(items):
        await sender.send_due()
        await clock.sleep(0.5)
    assert telegram.sent[0][2] == "alert:7"
    times = [t for t, _, _ in telegram.sent]
    # Telegram counts any one-second window: slots made up after a stall included, at most 30.
    assert max(sum(1 for u in times if t <= u < t + 1) for t in times) <= 30
    # Per chat: private ≥ 1 s apart, the group ≥ 3 s apart, and the group's parts in order.
    by_chat: dict[int, list[float]] = {}
    for t, chat_id, _ in telegram.sent:
        by_chat.setdefault(chat_id, []).append(t)
    assert all(b - a >= 1.0 for ts in by_chat.values() for a, b in itertools.pairwise(ts))
    group = by_chat[-100]
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(group))
    assert [text for _, c, text in telegram.sent if c == -100] == ["g:0", "g:1", "g:2"]
    assert set((await _statuses(sessionmaker)).values()) == {"sent"}


async def test_retry_after_delays_only_that_chat(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _setup(
        sessionmaker,
        {1: "private", 2: "private"},
        clock,
        [(1, DeliveryKind.ALERT, "a1"), (2, DeliveryKind.ALERT, "a2")],
    )
    telegram = ScriptedTelegram(clock)
    telegram.errors[1] = [RetryLater(7)]
    sender = _sender(sessionmaker, telegram, clock)
    start = clock.seconds
    await sender.send_due()
    assert [c for _, c, _ in telegram.sent] == [2]
    await clock.sleep(6)
    await sender.send_due()
    assert [c for _, c, _ in telegram.sent] == [2]
    await clock.sleep(1.5)
    await sender.send_due()
    assert [c for _, c, _ in telegram.sent] == [2, 1]
    assert telegram.sent[1][0] - start >= 7


async def test_blocked_chat_is_deactivated_and_its_queue_dropped(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _setup(
        sessionmaker,
        {1: "private"},
        clock,
        [(1, DeliveryKind.ALERT, "a"), (1, DeliveryKind.DIGEST, "d")],
    )
    telegram = ScriptedTelegram(clock)
    telegram.errors[1] = [ChatGone("Forbidden: bot was blocked by the user")]
    report = await _sender(sessionmaker, telegram, clock).send_due()
    assert report.dropped_chats == 1 and telegram.sent == []
    assert await _statuses(sessionmaker) == {"a": "dropped", "d": "dropped"}
    async with sessionmaker() as session:
        assert (await session.get(Chat, 1)).active is False  # type: ignore[union-attr]


async def test_migrated_group_gets_its_new_id_and_the_message(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _setup(sessionmaker, {-5: "group"}, clock, [(-5, DeliveryKind.DIGEST, "d")])
    async with sessionmaker() as session, session.begin():
        feed = Feed(url="https://a.example/feed")
        session.add(feed)
        await session.flush()
        session.add(Subscription(chat_id=-5, feed_id=feed.id))
    telegram = ScriptedTelegram(clock)
    telegram.errors[-5] = [ChatMoved(-1005)]
    await _sender(sessionmaker, telegram, clock).send_due()
    assert [(c, text) for _, c, text in telegram.sent] == [(-1005, "d")]
    async with sessionmaker() as session:
        assert await session.get(Chat, -5) is None
        assert (await session.scalars(select(Subscription.chat_id))).all() == [-1005]


async def test_transient_errors_back_off_then_give_up(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _setup(
        sessionmaker,
        {1: "private", 2: "private"},
        clock,
        [(1, DeliveryKind.ALERT, "a"), (2, DeliveryKind.ALERT, "b")],
    )
    telegram = ScriptedTelegram(clock)
    telegram.errors[1] = [TransientError("502 Bad Gateway")] * 2
    telegram.errors[2] = [Rejected("Bad Request: message is too long")]
    sender = _sender(sessionmaker, telegram, clock)
    await sender.send_due()
    assert await _statuses(sessionmaker) == {"a": "pending", "b": "failed"}
    await clock.sleep(2.5)
    await sender.send_due()
    assert await _statuses(sessionmaker) == {"a": "pending", "b": "failed"}
    await clock.sleep(4.5)
    await sender.send_due()
    assert await _statuses(sessionmaker) == {"a": "sent", "b": "failed"}
    async with sessionmaker() as session:
        rejected = (await session.scalars(select(Delivery).where(Delivery.item_key == "b"))).one()
    assert rejected.attempts == 1 and rejected.last_error == "Bad Request: message is too long"


async def test_a_long_outage_is_retried_at_the_cap_until_the_message_is_a_day_old(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _setup(sessionmaker, {1: "private"}, clock, [(1, DeliveryKind.DIGEST, "d")])
    telegram = ScriptedTelegram(clock)
    telegram.errors[1] = [TransientError("502 Bad Gateway")] * 40
    sender = _sender(sessionmaker, telegram, clock)
    waits = []
    for _ in range(20):  # about 2 hours of outage: far more tries than the old limit of 8
        await sender.send_due()
        async with sessionmaker() as session:
            row = (await session.scalars(select(Delivery))).one()
        assert row.status.value == "pending", row.last_error
        waits.append((row.next_attempt_at - clock.now()).total_seconds())
        await clock.sleep(waits[-1] + 0.5)
    assert waits[:3] == [2.0, 4.0, 8.0] and max(waits) == 600.0  # capped at 10 minutes
    telegram.errors[1] = []
    await sender.send_due()
    assert [text for _, _, text in telegram.sent] == ["d"]

    # A message that could not go out for a day is given up, with the reason kept.
    await _setup(sessionmaker, {2: "private"}, clock, [(2, DeliveryKind.DIGEST, "old")])
    telegram.errors[2] = [TransientError("502 Bad Gateway")] * 400
    for _ in range(200):
        await sender.send_due()
        if (await _statuses(sessionmaker))["old"] != "pending":
            break
        await clock.sleep(601)
    async with sessionmaker() as session:
        old = (await session.scalars(select(Delivery).where(Delivery.item_key == "old"))).one()
    assert old.status.value == "failed" and old.last_error == "502 Bad Gateway"
    assert timedelta(hours=24) <= clock.now() - old.created_at <= timedelta(hours=24, minutes=11)


async def test_a_group_migrating_into_a_known_supergroup_brings_its_sources_alerts_and_queue(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _setup(
        sessionmaker,
        {-5: "group", -1005: "supergroup"},
        clock,
        [
            (-5, DeliveryKind.DIGEST, "d"),
            (-5, DeliveryKind.ALERT, "both"),
            (-1005, DeliveryKind.ALERT, "both"),
        ],
    )
    async with sessionmaker() as session, session.begin():
        feeds = [Feed(url=f"https://a.example/{n}") for n in range(2)]
        session.add_all(feeds)
        await session.flush()
        session.add_all(
            [
                Subscription(chat_id=-5, feed_id=feeds[0].id),
                Subscription(chat_id=-5, feed_id=feeds[1].id),
                Subscription(chat_id=-1005, feed_id=feeds[1].id),
                AlertRule(chat_id=-5, query="harbour"),
                AlertRule(chat_id=-5, query="ferry"),
                AlertRule(chat_id=-1005, query="ferry"),
            ]
        )
    telegram = ScriptedTelegram(clock)
    telegram.errors[-5] = [ChatMoved(-1005)]
    await _sender(sessionmaker, telegram, clock).send_due()
    await clock.sleep(5)
    await _sender(sessionmaker, telegram, clock).send_due()

    # The supergroup's own copy of "both" goes out once; the group's digest follows it there.
    assert sorted(text for _, chat, text in telegram.sent if chat == -1005) == ["both", "d"]
    assert all(chat == -1005 for _, chat, _ in telegram.sent)
    async with sessionmaker() as session:
        assert (await session.get(Chat, -5)).active is False  # type: ignore[union-attr]
        subscriptions = (await session.scalars(select(Subscription))).all()
        assert sorted((s.chat_id, s.feed_id) for s in subscriptions) == [
            (-1005, feeds[0].id),
            (-1005, feeds[1].id),
        ]
        rules = (await session.scalars(select(AlertRule))).all()
        assert sorted((r.chat_id, r.query) for r in rules) == [(-1005, "ferry"), (-1005, "harbour")]


async def test_restart_mid_send_repeats_at_most_the_one_in_flight(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _setup(
        sessionmaker,
        {n: "private" for n in range(1, 11)},
        clock,
        [(n, DeliveryKind.DIGEST, f"d{n}") for n in range(1, 11)],
    )
    telegram = ScriptedTelegram(clock)

    class Crash(BaseException):
        """The process dying right after Telegram accepted a message."""

    real_send = telegram.send
    calls = 0

    async def send_then_die(chat_id: int, payload: dict[str, Any]) -> int | None:
        nonlocal calls
        calls += 1
        result = await real_send(chat_id, payload)
        if calls == 4:
            raise Crash
        return result

    telegram.send = send_then_die  # type: ignore[method-assign]
    with contextlib.suppress(Crash):
        await _sender(sessionmaker, telegram, clock).send_due()
    telegram.send = real_send  # type: ignore[method-assign]
    restarted = _sender(sessionmaker, telegram, clock)
    await restarted.recover()
    await restarted.send_due()
    texts = [text for _, _, text in telegram.sent]
    assert sorted(set(texts)) == sorted(f"d{n}" for n in range(1, 11))
    assert len(texts) - len(set(texts)) <= 1
    assert set((await _statuses(sessionmaker)).values()) == {"sent"}


async def test_slow_sends_do_not_drag_the_rate_below_the_setting() -> None:
    """Sends that take longer than a slot are made up, a few at a time, never in a flood."""
    from jobs.outbox import RateLimiter

    clock = FakeClock()
    limiter = RateLimiter(SenderOptions(messages_per_second=10), clock.monotonic, clock.sleep)
    sent_at = []
    for n in range(100):
        await limiter.wait_global()
        sent_at.append(clock.seconds)
        # Every fifth send is slow (0.3 s, three slots long).
        clock.seconds += 0.3 if n % 5 == 0 else 0.01
    duration = sent_at[-1] - sent_at[0]
    assert 99 / duration > 9.5  # the long-run rate holds at the setting
    assert max(sum(1 for u in sent_at if t <= u < t + 1) for t in sent_at) <= 10 + 3


async def _claim(sessionmaker: async_sessionmaker[AsyncSession], now: datetime) -> Any:
    async with sessionmaker() as session, session.begin():
        return await deliveries.claim_reply(
            session,
            chat_id=1,
            kind=DeliveryKind.SUMMARY,
            item_key="more:7:3",
            payload={"text": "more:7:3", "reply_to": 7},
            now=now,
            hold=timedelta(minutes=10),
        )


async def test_a_claimed_reply_is_held_from_the_sender_then_sent_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The handler sends a claimed reply itself; the sender sends it only if the handler died,
    once the hold is over, and a copy already there is reported, not claimed twice."""
    clock = FakeClock()
    await _setup(sessionmaker, {1: "private"}, clock, [])
    first = await _claim(sessionmaker, clock.now())
    assert first.delivery_id is not None
    assert await _claim(sessionmaker, clock.now()) == deliveries.ReplyClaim(None, "pending")
    telegram = ScriptedTelegram(clock)
    sender = _sender(sessionmaker, telegram, clock)
    await sender.send_due()
    assert telegram.sent == []  # a live handler may be sending it
    await clock.sleep(10 * 60)
    await sender.send_due()
    assert [text for _, _, text in telegram.sent] == ["more:7:3"]
    assert await _claim(sessionmaker, clock.now()) == deliveries.ReplyClaim(None, "sent")
    async with sessionmaker() as session, session.begin():
        # The sender's copy failing later cannot undo a reply recorded as sent.
        await deliveries.mark_failed(session, first.delivery_id, error="400")
    assert await _statuses(sessionmaker) == {"more:7:3": "sent"}


async def test_a_failed_reply_is_claimed_afresh_by_the_next_tap(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _setup(sessionmaker, {1: "private"}, clock, [])
    first = await _claim(sessionmaker, clock.now())
    async with sessionmaker() as session, session.begin():
        await deliveries.release_to_sender(
            session, first.delivery_id, at=clock.now(), error="Bad Request: no rights", final=True
        )
    assert await _statuses(sessionmaker) == {"more:7:3": "failed"}
    await clock.sleep(2 * 86400)
    again = await _claim(sessionmaker, clock.now())
    assert again.delivery_id == first.delivery_id
    async with sessionmaker() as session:
        row = await session.get(Delivery, first.delivery_id)
    # A new request: a day of the sender's retries from now, not from the first tap.
    assert row is not None and row.status == "pending" and row.attempts == 0
    assert row.created_at == clock.now()


async def test_a_reply_released_in_a_chat_marked_gone_fails_instead_of_waiting_forever(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _setup(sessionmaker, {1: "private"}, clock, [])
    claimed = await _claim(sessionmaker, clock.now())
    async with sessionmaker() as session, session.begin():
        chat = await session.get(Chat, 1)
        assert chat is not None
        chat.active = False  # the sender never sends to it
        await deliveries.release_to_sender(
            session, claimed.delivery_id, at=clock.now(), error="Timed out"
        )
    assert await _statuses(sessionmaker) == {"more:7:3": "failed"}
    assert (await _claim(sessionmaker, clock.now())).delivery_id == claimed.delivery_id
