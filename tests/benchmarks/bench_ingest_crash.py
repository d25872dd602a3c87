"""kill -9 `newsdigest ingest` at random points, rerun to completion, count what was lost or doubled.

Run from the repository root: ``python -m tests.benchmarks.bench_ingest_crash`` (5 trials of 6
crashes on SQLite, a few minutes; ``--db postgresql``, ``--trials``, ``--crashes``, ``--seed``).

Each trial is the world of tests/crash_news.py (a feed of 60 new teasers with article pages,
a feed that breaks, four chats with alert rules matching 51 alerts' worth of articles) in a
fresh database. Runs of the real command line (forked from one preloaded process, see
tests/crashpoint.py) each kill themselves at a random call of a random function of the
ingest path (a point a run never reaches lets it finish; "kills" counts those reached); then
`ingest --once --all` runs to completion, twice.
Counted from the database: articles, alerts and feed-broken notices lost (owed, never stored or
queued) and doubled (stored or queued twice).

The baseline, in the same run with the same crash points: ingestion without its restart sweeps
(the alert matching of entries a crash left marked, and the notices of feeds marked broken but
never announced), i.e. without what the crash test guards.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks._common import machine_facts, print_table, scratch_database
from tests.crash_news import ENTRIES, Outcome, count_outcome, environment, set_up
from tests.crashpoint import CommandServer, KillAt
from tests.feedserver import FeedServer

# (phase, target, when, highest call drawn): each a point where a kill leaves different work
# undone. A trial's points are taken in phase order (the order a tick meets them), so that one
# drawn late in the pipeline does not leave the earlier ones nothing to crash in.
POINTS = (
    (0, "store.feeds:subscriber_chat_ids", "before", 1),  # broken, not announced
    (0, "store.feeds:record_fetch_failure", "after", 1),  # failure written, not committed
    (1, "store.articles:link_entry", "after", 12),  # entry written, not committed
    (1, "store.articles:save_summary", "after", 12),
    (1, "summarizer:summarize", "before", 12),  # in the summarizer's thread
    (1, "jobs.ingest:Ingestor._full_text", "before", 12),  # between two entries
    (1, "jobs.ingest:fetch_article_page", "after", 12),
    (2, "store.feeds:record_fetch_success", "after", 1),  # all stored, nothing matched
    (3, "store.deliveries:enqueue", "after", 12),  # outbox row written, not committed
    (3, "jobs.alerts:AlertMatcher._queue", "after", 6),  # one article's alerts committed
    (3, "store.alerting:clear_pending", "after", 6),
)
ONCE_A_TRIAL = {0, 2}  # the feed breaks once, and its success comes once
SWEEPS = (
    "jobs.ingest:Ingestor._match_pending_alerts",
    "jobs.ingest:Ingestor._announce_owed_breakages",
)


@dataclass(frozen=True, slots=True)
class Trial:
    name: str
    crashes: int
    runs: int
    outcome: Outcome
    reached: tuple[tuple[KillAt, bool], ...]  # each point tried, and whether the run died there


async def trial(
    commands: CommandServer,
    db: str,
    points: Sequence[KillAt],
    *,
    without: Sequence[str],
    name: str,
) -> Trial:
    with (
        tempfile.TemporaryDirectory(prefix="newsdigest-crash-") as folder,
        FeedServer() as server,
    ):
        async with scratch_database(db) as url:
            await set_up(url, server)
            env = environment(url, Path(folder))
            reached: list[tuple[KillAt, bool]] = []
            # --all after a crash: the killed run's feeds are leased for 10 minutes. A point a
            # run never reaches (all its work was done before) lets that run finish.
            argv = ["ingest", "--once", "--all"]
            for point in points:
                finished = await commands.run(argv, env, kill_at=point, without=without)
                reached.append((point, finished.killed))
            # Two clean runs: what the first finishes, the second must not add to.
            for _ in range(2):
                await commands.run(argv, env, without=without)
            crashes = sum(killed for _, killed in reached)
            return Trial(name, crashes, len(reached) + 2, await count_outcome(url), tuple(reached))


def draw(rng: random.Random, crashes: int) -> list[KillAt]:
    """``crashes`` points for one trial, in the order a tick meets them."""
    drawn: list[tuple[int, str, str, int]] = []
    while len(drawn) < crashes:
        point = rng.choice(POINTS)
        if point[0] in ONCE_A_TRIAL and any(p[0] == point[0] for p in drawn):
            continue
        drawn.append(point)
    drawn.sort(key=lambda point: point[0])
    return [KillAt(target, rng.randint(1, highest), when) for _, target, when, highest in drawn]


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsdigest-crash-runs-") as logs:
        commands = CommandServer(Path(logs))
        try:
            for number in range(1, args.trials + 1):
                points = draw(rng, args.crashes)
                for name, without in (("ours", ()), ("baseline: no restart sweeps", SWEEPS)):
                    print(f"trial {number} ({name}) ...", flush=True)
                    result = await trial(commands, args.db, points, without=without, name=name)
                    rows.append((number, result))
                    if args.show:
                        for point, killed in result.reached:
                            print(f"  {'killed' if killed else 'not reached'}: {point}")
        finally:
            commands.close()
    print()
    print(machine_facts())
    print(
        f"database: {args.db}; {args.trials} trials of {args.crashes} crash points each; "
        f"{ENTRIES} articles, 51 alerts and 2 notices owed a trial; seed {args.seed}"
    )
    print_table(
        [
            "trial",
            "ingestion",
            "kills",
            "runs",
            "articles lost",
            "doubled",
            "alerts lost",
            "doubled",
            "notices lost",
            "doubled",
        ],
        [
            (
                number,
                t.name,
                t.crashes,
                t.runs,
                t.outcome.articles.lost,
                t.outcome.articles.doubled,
                t.outcome.alerts.lost,
                t.outcome.alerts.doubled,
                t.outcome.notices.lost,
                t.outcome.notices.doubled,
            )
            for number, t in rows
        ],
    )
    for name in ("ours", "baseline: no restart sweeps"):
        mine = [t.outcome for _, t in rows if t.name == name]
        print(
            f"{name}: articles lost {sum(o.articles.lost for o in mine)}, "
            f"doubled {sum(o.articles.doubled for o in mine)}; "
            f"alerts lost {sum(o.alerts.lost for o in mine)}, "
            f"doubled {sum(o.alerts.doubled for o in mine)}; "
            f"notices lost {sum(o.notices.lost for o in mine)}, "
            f"doubled {sum(o.notices.doubled for o in mine)}"
        )
    print("target: ours 0 lost and 0 doubled of each")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--crashes", type=int, default=6, help="kills per trial")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--show", action="store_true", help="print each trial's crash points")
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main(sys.argv[1:])
