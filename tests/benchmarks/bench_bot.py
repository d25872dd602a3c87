"""Bot latency: /summary of a 1,500-word page through the emulator, and /help while summaries run.

Run from the repository root: ``python -m tests.benchmarks.bench_bot``.

The real Application polls the Bot API emulator over HTTP; the page is served from 127.0.0.1.
Latency is from the moment the simulated user's update is queued to the moment the bot's reply
reaches the emulator. Baselines measured in the same run: the summarizer alone on the same text
(no bot, no HTTP), and /help on an idle bot.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from bot.demo.stories import STORIES
from bot.settings import Limits
from summarizer import summarize
from tests.bot.harness import Harness, bot_harness
from tests.feedserver import Route


def long_article() -> tuple[str, str]:
    """About 1,500 words of our own invented news, as an HTML page and as plain text."""
    paragraphs = [p for story in STORIES for p in story.paragraphs]
    words = 0
    chosen = []
    for paragraph in paragraphs * 3:
        chosen.append(paragraph)
        words += len(paragraph.split())
        if words >= 1500:
            break
    body = "".join(f"<p>{p}</p>" for p in chosen)
    html = (
        "<!doctype html><html><head><title>Harbour region: the week in review</title></head>"
        f"<body><article><h1>Harbour region: the week in review</h1>{body}</article></body></html>"
    )
    return html, "\n\n".join(chosen)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def timed(harness: Harness, user_text: str, name: str) -> float:
    user = harness.user(name)
    start = time.perf_counter()
    if user_text.startswith("/"):
        user.send_command(user_text)
    else:
        user.send_text(user_text)
    await harness.emulator.wait_for_message(user.id, timeout=120)
    return time.perf_counter() - start


async def measure(rounds: int, in_flight: int) -> None:
    html, text = long_article()
    started = time.perf_counter()
    summarize(text, title="warm-up")  # load the model outside every timing
    direct = []
    for _ in range(rounds):
        start = time.perf_counter()
        summarize(text, title="Harbour region: the week in review")
        direct.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as scratch:
        async with bot_harness(Path(scratch), limits=Limits(summaries_per_minute=1000)) as harness:
            harness.server.route("/long.html", Route(html.encode(), content_type="text/html"))
            url = harness.server.url("/long.html")
            await timed(harness, f"/summary {url}", "warm")
            idle_help = [await timed(harness, "/help", f"idle {n}") for n in range(rounds)]
            sequential = [
                await timed(harness, f"/summary {url}", f"seq {n}") for n in range(rounds)
            ]

            summaries = [
                asyncio.create_task(timed(harness, f"/summary {url}", f"load {n}"))
                for n in range(in_flight)
            ]
            loaded_help = []
            while not all(task.done() for task in summaries):
                loaded_help.append(await timed(harness, "/help", f"busy {len(loaded_help)}"))
            concurrent = [task.result() for task in summaries]
            assert harness.errors == [], harness.errors
    words = len(text.split())
    print(
        f"bot latency — {os.cpu_count()} cores, Python {platform.python_version()}, {words}-word page"
    )
    print(f"{'measure':<48}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}")
    rows = [
        ("summarizer alone, same text (baseline)", direct),
        ("/summary URL through the bot, one at a time", sequential),
        (f"/summary URL, {in_flight} at once (each)", concurrent),
        ("/help on an idle bot (baseline)", idle_help),
        (f"/help while {in_flight} summaries are in flight", loaded_help),
    ]
    for label, values in rows:
        print(
            f"{label:<48}{len(values):>5}{percentile(values, 0.5) * 1000:>10.0f}"
            f"{percentile(values, 0.95) * 1000:>10.0f}"
        )
    print(
        f"targets: /summary p95 ≤ 1500 ms; /help p95 ≤ 150 ms under load. ({time.perf_counter() - started:.0f} s)"
    )
    print(f"mean /summary one at a time: {statistics.mean(sequential) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--in-flight", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(measure(args.rounds, args.in_flight))


if __name__ == "__main__":
    main()
