"""/summary latency through the real bot and the Bot API emulator, and /help while summaries run.

Run from the repository root: ``python -m tests.benchmarks.bench_bot_summary``.

Measured from the moment the emulator queues the user's update to the moment the bot's reply
is stored by the emulator (so polling, PTB, the database, the safe fetcher, trafilatura and the
summarizer are all inside the figure). The article is 1,500 words served from 127.0.0.1.
Baselines from the same run: ``summarize_link`` called directly (no Telegram, no bot), and
/help with nothing else in flight.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.emulator import User
from bot.settings import Limits
from jobs.on_demand import summarize_link
from tests.benchmarks._common import machine_facts, print_table
from tests.bot.harness import Harness, bot_harness
from tests.feedserver import Route

WORDS = 1_500
TARGET_SUMMARY_P95 = 1.5
TARGET_HELP_P95 = 0.150
IN_FLIGHT = 20

_PLACES = ["Rotterdam", "Lisbon", "Gdansk", "Bergen", "Antwerp", "Valencia", "Hamburg", "Genoa"]
_PEOPLE = ["Maria Olsen", "Tomas Weber", "Ana Ribeiro", "Jan de Vries", "Elena Rossi"]
_SUBJECTS = [
    "the port authority",
    "the regional council",
    "the shipping company",
    "the dockworkers' union",
    "the environment agency",
]
_VERBS = ["approved", "delayed", "criticised", "announced", "reviewed", "funded"]
_OBJECTS = [
    "a new container terminal",
    "the dredging of the northern channel",
    "a plan to electrify the quays",
    "the contract for twelve cranes",
    "a study of air quality near the harbour",
]


def article_html(seed: int) -> bytes:
    """A generated English news article of about WORDS words; each seed is a different story."""
    rng = random.Random(seed)
    title = f"{rng.choice(_PLACES)} port expansion: {rng.choice(_OBJECTS)} under debate"
    paragraphs: list[str] = []
    words = 0
    while words < WORDS:
        sentences = []
        for _ in range(4):
            sentence = (
                f"{rng.choice(_SUBJECTS).capitalize()} in {rng.choice(_PLACES)} "
                f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}, "
                f"at a cost of {rng.randint(2, 900)} million euros, according to {rng.choice(_PEOPLE)}, "
                f"who said that {rng.randint(50, 4000)} jobs depended on the decision."
            )
            sentences.append(sentence)
            words += len(sentence.split())
        paragraphs.append("<p>" + " ".join(sentences) + "</p>")
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><article><h1>{title}</h1>{''.join(paragraphs)}</article></body></html>"
    ).encode()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def timed_reply(harness: Harness, user: User, text: str, marker: str) -> float:
    """Seconds from sending ``text`` to the bot's reply containing ``marker``."""
    start = time.perf_counter()
    user.send_command(text)
    await harness.emulator.wait_for_message(user.id, lambda m: marker in m.text, timeout=60)
    return time.perf_counter() - start


async def measure(rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="newsdigest-bench-bot-") as folder:
        limits = Limits(summaries_per_minute=10_000)
        async with bot_harness(Path(folder), limits=limits) as harness:
            urls = []
            for n in range(rounds + IN_FLIGHT + 1):
                path = f"/long/{n}.html"
                harness.server.route(path, Route(article_html(n), "text/html; charset=utf-8"))
                urls.append(harness.server.url(path))
            services = harness.services
            # First call loads the language model: not part of any figure below.
            await summarize_link(services.fetcher, services.summarizer, urls[-1], max_chars=200_000)

            direct = []
            for url in urls[:rounds]:
                start = time.perf_counter()
                await summarize_link(services.fetcher, services.summarizer, url, max_chars=200_000)
                direct.append(time.perf_counter() - start)

            reader = harness.user("Reader")
            through_bot = [
                await timed_reply(harness, reader, f"/summary {url}", "min read")
                for url in urls[:rounds]
            ]

            prober = harness.user("Prober")
            help_idle = [
                await timed_reply(harness, prober, "/help", "/alert") for _ in range(rounds)
            ]

            crowd = [harness.user(f"Crowd {n}") for n in range(IN_FLIGHT)]
            loaded = [
                asyncio.create_task(timed_reply(harness, user, f"/summary {url}", "min read"))
                for user, url in zip(crowd, urls[rounds : rounds + IN_FLIGHT], strict=True)
            ]
            help_loaded = []
            # /help, one after another, for as long as the crowd's summaries are in flight.
            while not all(task.done() for task in loaded):
                help_loaded.append(await timed_reply(harness, prober, "/help", "/alert"))
            crowd_times = [task.result() for task in loaded]
            assert not harness.errors, harness.errors

    print(f"/summary of a {WORDS}-word article served from 127.0.0.1; {machine_facts()}")
    print(f"summarizer: {services.summarizer.workers} worker threads (as the bot runs it)\n")
    rows = [
        ("summarize_link alone (baseline)", len(direct), direct),
        ("/summary through the bot, one at a time", len(through_bot), through_bot),
        (f"/summary, {IN_FLIGHT} at once (each)", len(crowd_times), crowd_times),
        ("/help, nothing else in flight (baseline)", len(help_idle), help_idle),
        (f"/help while {IN_FLIGHT} summaries in flight", len(help_loaded), help_loaded),
    ]
    print_table(
        ["", "n", "p50 ms", "p95 ms", "max ms"],
        [
            (
                name,
                n,
                statistics.median(values) * 1000,
                percentile(values, 0.95) * 1000,
                max(values) * 1000,
            )
            for name, n, values in rows
        ],
    )
    summary_p95 = percentile(through_bot, 0.95)
    help_p95 = percentile(help_loaded, 0.95)
    print(
        f"\ntarget /summary p95 ≤ {TARGET_SUMMARY_P95 * 1000:.0f} ms: {summary_p95 * 1000:.0f} ms "
        f"({'met' if summary_p95 <= TARGET_SUMMARY_P95 else 'NOT met'})"
    )
    print(
        f"target /help p95 under load ≤ {TARGET_HELP_P95 * 1000:.0f} ms: {help_p95 * 1000:.0f} ms "
        f"({'met' if help_p95 <= TARGET_HELP_P95 else 'NOT met'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="requests per sequential series")
    args = parser.parse_args()
    asyncio.run(measure(args.rounds))


if __name__ == "__main__":
    main()
