"""The summarizer pool: its warm-up really loads the model, and summaries run off the event loop."""

from __future__ import annotations

import threading

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
