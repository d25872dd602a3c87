"""The summarizer pool: its warm-up really loads the model, and summaries run off the event loop."""

from __future__ import annotations

import threading

import pytest

from jobs.summarizing import WARM_UP_TEXT, SummarizerPool
from summarizer import summarize


def test_the_warm_up_text_is_long_enough_to_be_summarized() -> None:
    # A text the summarizer refuses would make the warm-up a silent no-op.
    digest = summarize(WARM_UP_TEXT)
    assert digest.sentences


async def test_summaries_run_in_the_pool_threads_not_on_the_event_loop() -> None:
    pool = SummarizerPool(workers=1)
    try:
        await pool.warm_up()
        digest = await pool.summarize(WARM_UP_TEXT, max_sentences=2)
        threads = {thread.name for thread in threading.enumerate()}
    finally:
        pool.close()
    assert len(digest.sentences) == 2
    assert any(name.startswith("summarizer") for name in threads)


async def test_process_pool_passes_errors_back_and_survives_a_dead_worker() -> None:
    """Errors cross the process boundary as themselves; a killed worker is replaced."""
    import os
    import signal

    from summarizer import TextTooShortError

    pool = SummarizerPool(workers=1, processes=True)
    try:
        with pytest.raises(TextTooShortError, match="too short"):
            await pool.summarize("Too short a text to summarize.")
        story = (
            "The harbour council of Port Ellis approved a new ferry timetable on Tuesday. "
            "The plan adds an early crossing to the islands and a later one in summer. "
            "Mayor Ines Calloway said more than 4,000 residents had asked for the change. "
            "The operator will hire two more crew members per ship at a cost of 1.2 million dollars. "
            "Fares stay the same until the end of the year, the council said in a statement."
        )
        assert (await pool.summarize(story)).sentences
        # Kill the worker process: the next summary still works.
        for pid in list(pool._executor._processes):  # type: ignore[attr-defined]
            os.kill(pid, signal.SIGKILL)
        assert (await pool.summarize(story)).sentences
    finally:
        pool.close()
