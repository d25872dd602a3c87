"""The demo session: our feeds on 127.0.0.1, the Bot API emulator, the real bot, and you typing.

Everything runs in one event loop: the content server, the emulator, the application with its
ingestion, digest and sending jobs, and the terminal chat, which sends what you type as a
Telegram user would and prints what the bot answers.
"""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from bot.app import BotApplication, build_application, running
from bot.demo.content_server import DemoContentServer
from bot.demo.stories import OUTLETS
from bot.demo.terminal import show_message
from bot.emulator import DEFAULT_TOKEN, BotApiEmulator, SentMessage, User
from bot.services import digest_options
from bot.settings import CatalogFeed, Secret, Settings
from jobs.digests import queue_due_digests
from jobs.opml import OpmlOutline, render_opml
from jobs.plurals import counted
from store import articles as article_store
from store import chats as chat_store
from store import feeds as feed_store
from store.models import utcnow

# After the first reply, the bot is taken to be done once it has been quiet this long.
QUIET_SECONDS = 1.0
FIRST_REPLY_SECONDS = 60.0
# How long start-up waits for the first fetch of every demo feed: at most 20 s.
SEED_TICKS = 100
SEED_PAUSE_SECONDS = 0.2

INTRO = """\
newsdigest demo: an emulated Telegram, three invented news sites on 127.0.0.1, the real bot.
Type as you would in Telegram: /start, /help, /digest, /alert wind farm, a link, or a long text
(a paste of several lines is one message). You are the bot's admin here, so /stats works too.
  !N       press button N of the last message with buttons (under a digest: a story's
           number, then ➕ More for its full summary, 🔔 Follow, 🔇 Mute its source, ↩ Back)
  :news    publish a breaking story (watch an alert arrive)
  :update  another outlet reports the storm story (/follow 1 after /digest first: an update)
  :digest-time  your digest's hour comes now (a daily alert's round-up follows the digest)
  :opml [FILE]  send an OPML file to the bot (without FILE: one listing the demo's sites)
  :quit    leave (or Ctrl-D)
"""


def demo_settings(
    settings: Settings,
    emulator: BotApiEmulator,
    content: DemoContentServer,
    data_dir: Path,
    *,
    admin: User,
) -> Settings:
    """The user's settings, pointed at the emulator, the demo feeds and a throwaway database;
    the demo's user is an admin, so the admin commands can be tried too."""
    return dataclasses.replace(
        settings,
        admin_ids=settings.admin_ids | {admin.id},
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'demo.db'}",
        telegram_token=Secret(DEFAULT_TOKEN),
        telegram_api_url=emulator.base_url,
        fetch_allow=(*settings.fetch_allow, "127.0.0.1"),
        catalog=tuple(
            CatalogFeed(outlet.topic, outlet.title, content.feed_url(outlet.slug))
            for outlet in OUTLETS
        ),
    )


async def seed(app: BotApplication) -> int:
    """Register the demo feeds and fetch them once, so the first /digest has news; returns how
    many stories are stored."""
    runtime = app.bot_data.runtime
    settings = runtime.services.settings
    async with runtime.services.sessionmaker() as session, session.begin():
        for item in settings.catalog:
            await feed_store.add_feed(
                session,
                item.url,
                now=utcnow(),
                interval_seconds=settings.poll_interval,
                title=item.title,
                topic=item.topic,
            )
    # Counted in the database: the scheduler's first tick may be the one that fetches them.
    await runtime.pipeline.ingest_everything_now()
    async with runtime.services.sessionmaker() as session:
        return await article_store.count_articles(session)


def demo_opml(content: DemoContentServer) -> bytes:
    """An OPML file as another feed reader would export it, listing the demo's sites."""
    return render_opml(
        OpmlOutline(content.feed_url(outlet.slug), outlet.title, None, outlet.topic)
        for outlet in OUTLETS
    )


async def refetch_now(app: BotApplication) -> None:
    """Fetch every demo feed now rather than at its next turn."""
    await app.bot_data.runtime.pipeline.ingest_everything_now()


async def digest_time_now(app: BotApplication, chat_id: int) -> None:
    """Make the chat's scheduled digest due now and queue it, as when its hour comes.

    The demo's clock jumps to the digest's hour, so what was fetched a moment ago counts as
    settled (a real digest leaves out the last two minutes, for commits still landing).
    """
    services = app.bot_data.services
    async with services.sessionmaker() as session, session.begin():
        await chat_store.update_chat(session, chat_id, next_digest_at=utcnow())
    pipeline = app.bot_data.runtime.pipeline
    options = dataclasses.replace(digest_options(services.settings), settle=timedelta(0))
    await queue_due_digests(
        services.sessionmaker, options=options, on_enqueued=pipeline.wake_sender
    )


class Conversation:
    """One simulated user's chat with the bot, printed as it happens.

    Pictures the bot sends are saved in ``folder`` (a terminal cannot show them) and their
    paths printed.
    """

    def __init__(
        self, emulator: BotApiEmulator, user: User, out: TextIO, *, color: bool, folder: Path
    ) -> None:
        self.emulator = emulator
        self.user = user
        self.out = out
        self.color = color
        self.folder = folder
        self._seen: dict[int, tuple[object, ...]] = {}
        self._buttons: tuple[str, ...] = ()
        self._buttons_of: SentMessage | None = None
        # Taps whose answer ("Saved", a toast in Telegram) has not been shown yet.
        self._taps: list[str] = []
        self._printed: set[int] = set()

    def _snapshot(self, message: SentMessage) -> tuple[object, ...]:
        # Content, not sizes: a tap that turns ➕ into ✅ changes the keyboard, not its length.
        return (len(message.edits), message.text, repr(message.reply_markup), message.deleted)

    def _changed(self) -> list[SentMessage]:
        changed = []
        for message in self.emulator.sent_to(self.user.id):
            state = self._snapshot(message)
            if self._seen.get(message.message_id) != state:
                self._seen[message.message_id] = state
                changed.append(message)
        return changed

    def _print(self, messages: list[SentMessage]) -> None:
        for answer in self._answers():
            self.out.write(f"\n({answer})\n")
        for message in messages:
            shown = show_message(
                message,
                color=self.color,
                photo_path=self._save_photo(message),
                document_path=self._save_document(message),
            )
            # Shown before: an edit, of its text or only of its keyboard.
            marker = "bot (edited)" if message.message_id in self._printed else "bot"
            self._printed.add(message.message_id)
            self.out.write(f"\n[{marker}]\n{shown.text}\n")
            if shown.buttons:
                self._buttons, self._buttons_of = shown.buttons, message
        self.out.flush()

    def _answers(self) -> list[str]:
        """The texts the bot answered taps with, once each; a tap answered silently shows none."""
        shown, waiting = [], []
        for query_id in self._taps:
            answer = self.emulator.callback_answers.get(query_id)
            if answer is None:
                waiting.append(query_id)
            elif answer.get("text"):
                shown.append(str(answer["text"]))
        self._taps = waiting
        return shown

    def _save_photo(self, message: SentMessage) -> Path | None:
        if message.photo is None:
            return None
        return self._save(message.photo, f"photo-{message.message_id}.png")

    def _save_document(self, message: SentMessage) -> Path | None:
        """A file the bot sent (/export's OPML), saved to be opened: a terminal cannot show it."""
        if message.document is None:
            return None
        kind = ".opml" if b"<opml" in message.document[:500] else ".bin"
        return self._save(message.document, f"document-{message.message_id}{kind}")

    def _save(self, content: bytes, name: str) -> Path:
        path = self.folder / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        return path

    def _activity(self) -> tuple[object, ...]:
        """Everything the bot did in this chat that the terminal shows, to notice any change."""
        messages = tuple(self._snapshot(m) for m in self.emulator.sent_to(self.user.id))
        answers = tuple(repr(self.emulator.callback_answers.get(q)) for q in self._taps)
        return messages, answers

    def mark(self) -> tuple[object, ...]:
        """What the chat shows now, for :meth:`settle` to wait for a change from."""
        return self._activity()

    async def settle(
        self, *, first_reply: float = FIRST_REPLY_SECONDS, since: tuple[object, ...] | None = None
    ) -> None:
        """Wait for the bot's answer (a change from ``since``, by default from now), then until
        it has been quiet for a moment, and print."""
        before = self._activity() if since is None else since
        try:
            await self.emulator.wait_until(lambda: self._activity() != before, timeout=first_reply)
        except TimeoutError:
            self.out.write("\n(no answer)\n")
            return
        while await self._moves_within(QUIET_SECONDS):
            pass
        self._print(self._changed())

    async def _moves_within(self, seconds: float) -> bool:
        current = self._activity()
        try:
            await self.emulator.wait_until(lambda: self._activity() != current, timeout=seconds)
        except TimeoutError:
            return False
        return True

    def press(self, number: int) -> bool:
        if self._buttons_of is None or not 1 <= number <= len(self._buttons):
            self.out.write("(no such button)\n")
            return False
        self._taps.append(self.user.press_button(self._buttons_of, self._buttons[number - 1]))
        return True

    def send_file(self, argument: str, fallback: bytes) -> bool:
        """Send the file at ``argument`` (or ``fallback`` when none is named) as a document."""
        if not argument:
            self.user.send_document(fallback, file_name="demo-sites.opml")
            return True
        path = Path(argument).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.out.write(f"(cannot read {path}: {exc.strerror})\n")
            return False
        self.user.send_document(data, file_name=path.name)
        return True

    def say(self, line: str) -> None:
        if line.startswith("/"):
            self.user.send_command(line)
        else:
            self.user.send_text(line)


def read_typed(prompt: str) -> str | None:
    """One message typed (or pasted) at the terminal; None at the end of input.

    GNU readline, not the terminal's line mode, reads it: a pasted block of several lines
    arrives as one message (readline's bracketed paste), and a line is not cut at the 4 KB a
    terminal's line mode holds.
    """
    import readline  # noqa: F401 -- imported for its effect on input(); only for a terminal

    try:
        return input(prompt)
    except EOFError:
        return None


async def lines_from(source: TextIO, *, prompt: bool, out: TextIO) -> AsyncIterator[str]:
    """What the user says: typed messages at a terminal (``prompt``), else a script's lines."""
    while True:
        if prompt:
            out.write("\n")
            out.flush()
            typed = await asyncio.to_thread(read_typed, "you> ")
            if typed is None:
                return
            yield typed
            continue
        line = await asyncio.to_thread(source.readline)
        if not line:
            return
        yield line.rstrip("\n")


async def run_demo(
    settings: Settings,
    *,
    source: TextIO,
    out: TextIO,
    interactive: bool,
    color: bool,
    folder: Path,
    on_ready: Callable[[BotApiEmulator], None] | None = None,
) -> int:
    """Run the demo; ``folder`` keeps what is worth keeping (pictures the bot sent, the log)."""
    with tempfile.TemporaryDirectory(prefix="newsdigest-demo-") as scratch:
        async with DemoContentServer() as content, BotApiEmulator(DEFAULT_TOKEN) as emulator:
            you = emulator.create_user("You", username="you")
            app = build_application(
                demo_settings(settings, emulator, content, Path(scratch), admin=you)
            )
            async with running(app):
                out.write(INTRO)
                out.write("Fetching the demo feeds and summarizing their stories…\n")
                out.flush()
                stored = await seed(app)
                out.write(
                    f"Ready: {counted(stored, 'story', 'stories')} from "
                    f"{counted(len(OUTLETS), 'site', 'sites')}.\n"
                )
                if on_ready is not None:
                    on_ready(emulator)
                chat = Conversation(emulator, you, out, color=color, folder=folder)
                async for raw in lines_from(source, prompt=interactive, out=out):
                    # A paste keeps its lines; only the ends are trimmed.
                    line = raw.strip()
                    if not line or line.startswith("#"):
                        continue
                    if not interactive:
                        out.write(f"\nyou> {line}\n")
                    if line in (":quit", ":q", ":exit"):
                        break
                    if line in (":news", ":update"):
                        if line == ":news":
                            content.release_breaking_news()
                            out.write("(a breaking story was published; fetching…)\n")
                        else:
                            content.release_follow_up()
                            out.write("(another outlet reported the storm story; fetching…)\n")
                        # From before the fetch: the sender may send the alert (or update)
                        # while the fetch is still finishing its work.
                        mark = chat.mark()
                        await refetch_now(app)
                        await chat.settle(first_reply=10.0, since=mark)
                        continue
                    if line == ":digest-time":
                        await digest_time_now(app, you.id)
                        await chat.settle(first_reply=10.0)
                        continue
                    if line == ":opml" or line.startswith(":opml "):
                        if chat.send_file(line.removeprefix(":opml").strip(), demo_opml(content)):
                            await chat.settle()
                        continue
                    if line.startswith("!") and line[1:].isdigit():
                        if chat.press(int(line[1:])):
                            await chat.settle()
                        continue
                    chat.say(line)
                    await chat.settle()
    out.write("\nBye.\n")
    return 0
