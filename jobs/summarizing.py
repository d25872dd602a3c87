"""Run the summarizer off the event loop, in threads or worker processes, with one model per worker."""

from __future__ import annotations

import asyncio
import concurrent.futures
import concurrent.futures.process
import logging
import multiprocessing
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summarizer import Digest

log = logging.getLogger(__name__)


def _summarize(
    text: str,
    title: str | None,
    max_sentences: int,
    max_chars: int | None,
    hints: tuple[str | None, ...] = (),
) -> Digest:
    from summarizer import summarize

    return summarize(
        text, title=title, max_sentences=max_sentences, max_chars=max_chars, hints=hints
    )


# Long enough to pass the summarizer's minimum length, or the warm-up loads nothing.
WARM_UP_TEXT = (
    "The city council of Springfield met on Monday to discuss the budget for the coming year. "
    "It approved a budget of 12 million dollars for new parks and roads in the region. "
    "Mayor Alice Romero said the plan would create 300 jobs over the next two years. "
    "Opponents said the money should go to schools, and the vote was close."
)


def _warm_up() -> None:
    # Loading the language model takes about a second: pay it once per worker, at start,
    # instead of on the first user's /summary.
    from summarizer import summarize

    try:
        summarize(WARM_UP_TEXT)
    except Exception:  # a warm-up must never stop a worker from starting
        log.warning("summarizer warm-up failed", exc_info=True)


class SummarizerPool:
    """Summarizing is CPU work: this keeps it off the event loop so the bot stays responsive.

    Threads share one model and suit the bot (little memory, fast start); processes use both
    cores for bulk ingestion, each loading its own model once.
    """

    def __init__(self, *, workers: int = 1, processes: bool = False) -> None:
        self.workers = workers
        self.processes = processes
        self._executor = self._new_executor()

    def _new_executor(self) -> concurrent.futures.Executor:
        if self.processes:
            # forkserver: forking a process that runs an event loop and threads is unsafe.
            context = multiprocessing.get_context("forkserver")
            return concurrent.futures.ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=_warm_up
            )
        return concurrent.futures.ThreadPoolExecutor(
            max_workers=self.workers, thread_name_prefix="summarizer"
        )

    async def warm_up(self) -> None:
        loop = asyncio.get_running_loop()
        if self.processes:
            # The initializer already warms each process; one no-op call starts them all.
            await asyncio.gather(
                *(loop.run_in_executor(self._executor, int) for _ in range(self.workers))
            )
        else:
            await loop.run_in_executor(self._executor, _warm_up)

    async def summarize(
        self,
        text: str,
        *,
        title: str | None = None,
        max_sentences: int = 3,
        max_chars: int | None = None,
        hints: tuple[str | None, ...] = (),
    ) -> Digest:
        """Summarize in a worker; ``hints`` are the feed's and page's language tags."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self._executor, _summarize, text, title, max_sentences, max_chars, hints
            )
        except concurrent.futures.process.BrokenProcessPool:
            # A worker died (killed, out of memory): start new ones rather than fail every
            # summary from now on, and try this one once more.
            log.error("a summarizer process died; starting new ones")
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new_executor()
            return await loop.run_in_executor(
                self._executor, _summarize, text, title, max_sentences, max_chars, hints
            )

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
