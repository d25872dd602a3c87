"""The sender: drains the outbox at Telegram's rate limits, so nothing is lost or sent twice.

Delivery errors, from what the transport raises:

    SendError
    ├── RetryLater      429: wait retry_after, then this chat again; other chats go on
    ├── TransientError  5xx or network: exponential back-off with a cap; given up after a day
    ├── ChatGone        403: blocked, kicked, deactivated; the chat is marked inactive
    ├── ChatMoved       the group became a supergroup; the chat id is updated and resent
    └── Rejected        400: recorded as failed, never retried
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store import deliveries
from store.deliveries import OutboxItem
from store.models import utcnow

log = logging.getLogger(__name__)


class SendError(Exception):
    """Telegram did not take the message."""


class RetryLater(SendError):
    def __init__(self, retry_after: float, message: str = "") -> None:
        super().__init__(message or f"rate limited: retry after {retry_after:g} s")
        self.retry_after = retry_after


class TransientError(SendError):
    pass


class ChatGone(SendError):
    pass


class ChatMoved(SendError):
    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"chat migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id


class Rejected(SendError):
    pass


class MessageTransport(Protocol):
    """Sends one outbox payload to a chat; returns Telegram's message id."""

    async def send(self, chat_id: int, payload: dict[str, Any]) -> int | None: ...


@dataclass(frozen=True, slots=True)
class SenderOptions:
    # Telegram allows about 30 messages a second per bot; a little under keeps us clear of 429s.
    messages_per_second: float = 29.5
    # Telegram counts any one-second window, 30 at most; one below leaves room for requests that
    # reach Telegram closer together than they left us (network and scheduling jitter).
    max_per_second: int = 29
    # About one message a second per private chat, 20 a minute per group or channel.
    private_chat_interval: float = 1.0
    group_chat_interval: float = 3.0
    batch: int = 100
    backoff_base: float = 2.0
    backoff_cap: timedelta = timedelta(minutes=10)
    # Transient errors are retried (at the cap once reached) until a message is this old: an
    # outage of Telegram or of our network loses nothing shorter, and a day-old digest or
    # alert is news no more.
    give_up_after: timedelta = timedelta(hours=24)
    idle_wait: float = 5.0


# Missed global slots a sender may make up in a row (a burst of at most this many extra).
CATCH_UP_SLOTS = 3


class Send:
    """One send's place in the window: when it left, and when its answer came (None in flight)."""

    __slots__ = ("finished", "started")

    def __init__(self, started: float) -> None:
        self.started = started
        self.finished: float | None = None


class RateLimiter:
    """Paces sends: one global slot every 1/rate seconds, and a minimum interval per chat.

    Pacing (no bursts) rather than a token bucket: Telegram's windows are not documented
    exactly, and an even stream at just under the limit never trips them. On top of the pace,
    at most ``max_per_second`` sends may be in flight or answered within the last second.
    Telegram counts a message when it arrives, somewhere between our start and its answer;
    counting each send until one second after its answer bounds every window Telegram can see,
    even when a busy event loop delays requests on the way and they arrive bunched.
    """

    def __init__(
        self,
        options: SenderOptions,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.options = options
        self.clock = clock
        self.sleep = sleep
        self._next_global = 0.0
        self._window: list[Send] = []
        self._answered = asyncio.Event()
        self._turn = asyncio.Lock()
        self._next_for_chat: dict[int, float] = {}

    def chat_delay(self, chat_id: int) -> float:
        """Seconds until this chat may receive again (0 when it may now)."""
        return max(0.0, self._next_for_chat.get(chat_id, 0.0) - self.clock())

    def hold_chat(self, chat_id: int, seconds: float) -> None:
        self._next_for_chat[chat_id] = max(
            self._next_for_chat.get(chat_id, 0.0), self.clock() + seconds
        )

    @contextlib.asynccontextmanager
    async def sending(self) -> AsyncIterator[None]:
        """Hold a global slot for the duration of one request to Telegram."""
        send = await self.take_slot()
        try:
            yield
        finally:
            self.finish(send)

    async def wait_global(self) -> None:
        """Take a slot for a send that is answered at once (tests and simple callers)."""
        self.finish(await self.take_slot())

    async def take_slot(self) -> Send:
        """Wait for the next global slot; concurrent callers queue for theirs, one at a time.

        The turn is held while sleeping: callers running at once (handlers run concurrently)
        must not all compute the same slot, and the window must hold the times sends really
        left (a sleep can end late), or a late one and its followers crowd the next window.
        """
        async with self._turn:
            interval = 1.0 / self.options.messages_per_second
            now = self.clock()
            # A send slower than one interval costs its slot; up to CATCH_UP_SLOTS of those are
            # taken back at once, so the long-run rate stays the setting instead of drifting.
            slot = max(self._next_global, now - CATCH_UP_SLOTS * interval)
            if slot > now:
                await self.sleep(slot - now)
            await self._wait_for_room()
            send = Send(self.clock())
            self._window.append(send)
            self._next_global = slot + interval
            return send

    def finish(self, send: Send) -> None:
        send.finished = self.clock()
        self._answered.set()

    async def _wait_for_room(self) -> None:
        """Wait until fewer than max_per_second sends are in flight or answered within 1 s."""
        while True:
            now = self.clock()
            self._window = [s for s in self._window if s.finished is None or s.finished > now - 1.0]
            if len(self._window) < self.options.max_per_second:
                return
            answered = [s.finished for s in self._window if s.finished is not None]
            if answered:
                await self.sleep(min(answered) + 1.0 - now)
            else:
                # Every one of them in flight: room comes one second after the first answer.
                self._answered.clear()
                await self._answered.wait()

    def record(self, chat_id: int, chat_type: str) -> None:
        interval = (
            self.options.private_chat_interval
            if chat_type == "private"
            else self.options.group_chat_interval
        )
        self._next_for_chat[chat_id] = self.clock() + interval
        if len(self._next_for_chat) > 100_000:
            # Forget chats whose interval passed long ago; keeps memory flat on big fan-outs.
            now = self.clock()
            self._next_for_chat = {c: t for c, t in self._next_for_chat.items() if t > now}


@dataclass(slots=True)
class SendReport:
    sent: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    dropped_chats: int = 0


class OutboxSender:
    """Claims due outbox rows and sends them one at a time, recording each answer at once."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        transport: MessageTransport,
        options: SenderOptions | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        now: Callable[[], datetime] = utcnow,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.transport = transport
        self.options = options or SenderOptions()
        # A limiter passed in is shared with the process's other senders (the bot's replies),
        # so that together they stay under the one per-bot ceiling.
        self.limiter = limiter or RateLimiter(self.options, clock, sleep)
        self.now = now
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """New rows were enqueued (an alert): look now instead of after the idle wait."""
        self._wake.set()

    async def recover(self) -> int:
        """Requeue rows a previous sender left mid-send; call once after taking over."""
        async with self.sessionmaker() as session, session.begin():
            count = await deliveries.requeue_interrupted(session, now=self.now())
        if count:
            log.warning("requeued %d deliveries interrupted mid-send", count)
        return count

    async def send_due(self, *, stop: asyncio.Event | None = None) -> SendReport:
        """Send everything due now, batch after batch, until nothing due is left."""
        report = SendReport()
        while stop is None or not stop.is_set():
            async with self.sessionmaker() as session, session.begin():
                items = await deliveries.claim_due(
                    session, now=self.now(), limit=self.options.batch
                )
            if not items:
                break
            gone: set[int] = set()
            for index, item in enumerate(items):
                if stop is not None and stop.is_set():
                    await self._release(items[index:])
                    return report
                if item.chat_id in gone:
                    continue  # its rows were dropped with the chat
                if not await self._send_one(item, report):
                    gone.add(item.chat_id)
        return report

    async def run(self, stop: asyncio.Event) -> None:
        """Send until ``stop`` is set, sleeping while the outbox has nothing due."""
        await self.recover()
        while not stop.is_set():
            try:
                await self.send_due(stop=stop)
            except Exception:
                # A database hiccup must not end delivery; the next round tries again.
                log.exception("sending round failed")
            await self._idle(stop)

    async def _idle(self, stop: asyncio.Event) -> None:
        async with self.sessionmaker() as session:
            due = await deliveries.next_due_at(session)
        wait = self.options.idle_wait
        if due is not None:
            wait = min(wait, max(0.0, (due - self.now()).total_seconds()))
        self._wake.clear()
        waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waiters, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _release(self, items: list[OutboxItem]) -> None:
        async with self.sessionmaker() as session, session.begin():
            for item in items:
                await deliveries.retry_later(
                    session, item.id, at=self.now(), error="sender stopped before sending"
                )

    async def _send_one(self, item: OutboxItem, report: SendReport) -> bool:
        """Send or defer one item; False when its chat turned out to be gone."""
        delay = self.limiter.chat_delay(item.chat_id)
        if delay > 0:
            # Not this chat's turn yet: put it back for later rather than stall the others.
            async with self.sessionmaker() as session, session.begin():
                await deliveries.retry_later(
                    session, item.id, at=self.now() + timedelta(seconds=delay), error="paced"
                )
            report.deferred += 1
            return True
        try:
            async with self.limiter.sending():
                message_id = await self.transport.send(item.chat_id, item.payload)
        except SendError as exc:
            self.limiter.record(item.chat_id, item.chat_type)
            await self._handle_error(item, exc, report)
            return not isinstance(exc, ChatGone)
        self.limiter.record(item.chat_id, item.chat_type)
        async with self.sessionmaker() as session, session.begin():
            await deliveries.mark_sent(session, item.id, message_id=message_id, now=self.now())
        report.sent += 1
        return True

    async def _handle_error(self, item: OutboxItem, exc: SendError, report: SendReport) -> None:
        now = self.now()
        async with self.sessionmaker() as session, session.begin():
            if isinstance(exc, RetryLater):
                self.limiter.hold_chat(item.chat_id, exc.retry_after)
                at = now + timedelta(seconds=exc.retry_after)
                await deliveries.retry_later(session, item.id, at=at, error=str(exc))
                report.retried += 1
            elif isinstance(exc, ChatGone):
                dropped = await deliveries.deactivate_chat(session, item.chat_id, reason=str(exc))
                log.info("chat %s gone (%s); dropped %d queued", item.chat_id, exc, dropped)
                report.dropped_chats += 1
            elif isinstance(exc, ChatMoved):
                await deliveries.migrate_chat(session, item.chat_id, exc.new_chat_id)
                await deliveries.retry_later(session, item.id, at=now, error=str(exc))
                report.retried += 1
            elif (
                isinstance(exc, TransientError)
                and now - item.queued_at < self.options.give_up_after
            ):
                # The exponent is capped too: past ~2**20 s a float power overflows timedelta.
                seconds = self.options.backoff_base ** min(item.attempts, 20)
                backoff = min(timedelta(seconds=seconds), self.options.backoff_cap)
                await deliveries.retry_later(session, item.id, at=now + backoff, error=str(exc))
                report.retried += 1
            else:
                log.warning("delivery %s to chat %s failed: %s", item.id, item.chat_id, exc)
                await deliveries.mark_failed(session, item.id, error=str(exc))
                report.failed += 1
