"""Run `newsdigest` commands that kill themselves with SIGKILL at the N-th call of a named function.

The fault injector of the crash tests, at the process boundary: production code has no hook.
It wraps one function or method of the real code, then runs the real command line::

    python -m tests.crashpoint jobs.ingest:Ingestor._ingest_entry 10 after -- ingest --once

kills the ingest process as the 10th entry's transaction has committed (``before``: as the
call starts). SIGKILL is what ``kill -9``, the OOM killer or a power cut do: no ``finally``, no
``atexit``, no flush; the database rolls back what was not committed. A function run in a
thread (the summarizer) kills the process from that thread, mid-work.

The target is ``module:attribute`` or ``module:Class.method``, and must be looked up through its
module or class at call time (``feed_store.record_fetch_success(...)``, ``self._queue(...)``);
a name another module imported with ``from … import`` keeps the original.

Starting Python with the whole application imported costs seconds of CPU (spaCy, PTB,
matplotlib), which a test that runs the command a dozen times cannot pay each time. So
:class:`CommandServer` starts one process (``--serve``) that imports it all and loads the
summarizer's model, then forks a fresh child per command, as multiprocessing's forkserver does:
each run is its own process, with its own event loop, engine and connections, and dies alone.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import functools
import importlib
import inspect
import json
import os
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class KillAt:
    """Where a run dies: at the ``call``-th call of ``target``, as it starts or as it ends."""

    target: str
    call: int
    when: str = "after"

    def __str__(self) -> str:
        return f"{self.when} call {self.call} of {self.target}"


def _kill(point: KillAt) -> None:
    sys.stderr.write(f"crashpoint: SIGKILL {point}\n")
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _resolve(target: str) -> tuple[Any, str]:
    """The object holding ``target``'s attribute, and the attribute's name."""
    module_name, _, path = target.partition(":")
    owner: Any = importlib.import_module(module_name)
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    return owner, name


def switch_off(target: str) -> None:
    """Make ``target`` (an async function or method) do nothing: for a run without a mechanism.

    The benchmark's baseline runs ingestion without its restart sweeps, to count what they save.
    """
    owner, name = _resolve(target)
    if not inspect.iscoroutinefunction(getattr(owner, name)):
        raise TypeError(f"{target} is not an async function")

    async def nothing(*args: Any, **kwargs: Any) -> None:
        return None

    setattr(owner, name, nothing)


def install(point: KillAt) -> None:
    """Replace ``point.target`` with a wrapper that kills the process at the chosen call."""
    owner, name = _resolve(point.target)
    original = inspect.getattr_static(owner, name)
    function: Callable[..., Any] = getattr(owner, name)
    calls = 0
    lock = threading.Lock()  # the summarizer's threads count too

    def due() -> bool:
        nonlocal calls
        with lock:
            calls += 1
            return calls == point.call

    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            killing = due()
            if killing and point.when == "before":
                _kill(point)
            result = await function(*args, **kwargs)
            if killing:
                _kill(point)
            return result

    else:

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            killing = due()
            if killing and point.when == "before":
                _kill(point)
            result = function(*args, **kwargs)
            if killing:
                _kill(point)
            return result

    replacement: Any = staticmethod(wrapper) if isinstance(original, staticmethod) else wrapper
    setattr(owner, name, replacement)


def run_command(argv: Sequence[str], kill_at: KillAt | None, without: Sequence[str] = ()) -> int:
    """The command line as `newsdigest` runs it, with the fault installed first."""
    for target in without:
        switch_off(target)
    if kill_at is not None:
        install(kill_at)
    from bot.cli import main

    return main(list(argv))


# --- the fork server ----------------------------------------------------------------------------


def _preload() -> None:
    """Import the application and load the summarizer's model, once, before any fork."""
    import bot.cli  # noqa: F401
    from jobs.summarizing import WARM_UP_TEXT
    from summarizer import summarize

    summarize(WARM_UP_TEXT)
    # Forking is only safe from a process with one thread: nothing above may have started one.
    assert threading.active_count() == 1, threading.enumerate()


def _child(request: Mapping[str, Any]) -> None:
    """In the forked child: the request's environment and log file, then the command; never returns."""
    code = 1
    try:
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.environ.clear()
        os.environ.update(request["env"])
        kill = request.get("kill_at")
        code = run_command(
            request["argv"], KillAt(**kill) if kill else None, request.get("without", ())
        )
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        # No atexit handlers or buffers of the server's: this process is only the command.
        os._exit(code)


def serve() -> None:
    """Read one JSON request a line; fork, answer ``started``, wait, answer ``exited``."""
    _preload()
    replies = sys.stdout
    print(json.dumps({"ready": os.getpid()}), file=replies, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        print(json.dumps({"started": pid}), file=replies, flush=True)
        _, status, usage = os.wait4(pid, 0)
        code, cpu = os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime
        print(json.dumps({"exited": pid, "code": code, "cpu": cpu}), file=replies, flush=True)
    # Nothing to clean up that the system does not: skip the interpreter's slow teardown.
    replies.flush()
    os._exit(0)


@dataclass(frozen=True, slots=True)
class Finished:
    """How a run ended: its exit code (-9 when killed), what it printed, its CPU seconds."""

    code: int
    output: str
    cpu: float = 0.0

    @property
    def killed(self) -> bool:
        return self.code == -signal.SIGKILL


class CommandServer:
    """The test side of ``--serve``: run commands one at a time, each in a fresh forked process.

    Plain pipes, read in a thread, so one server serves tests of any event loop (the Bot API
    emulator must keep serving in the test's loop while a command runs).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.runs = 0
        self.pid: int | None = None  # the running command's process, while one runs
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.crashpoint", "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=REPOSITORY,
        )
        assert "ready" in self._reply()

    def close(self) -> None:
        if self.pid is not None:  # a command left running by a failed test
            os.kill(self.pid, signal.SIGKILL)
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=60)
        if self._process.stdout is not None:
            self._process.stdout.close()

    def _reply(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the command server exited ({self._process.wait()})")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def launch(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        kill_at: KillAt | None = None,
        without: Sequence[str] = (),
    ) -> Path:
        """Start one command; returns its log file. :meth:`finish` waits for it to end."""
        assert self._process.stdin is not None
        self.runs += 1
        log = self.folder / f"run-{self.runs:02d}.log"
        request = {
            "argv": list(argv),
            "env": dict(env),
            "kill_at": None if kill_at is None else dataclasses.asdict(kill_at),
            "without": list(without),
            "log": str(log),
        }
        self._process.stdin.write(json.dumps(request).encode() + b"\n")
        self._process.stdin.flush()
        self.pid = int(self._reply()["started"])
        return log

    async def finish(self, log: Path, *, timeout: float = 180.0) -> Finished:  # noqa: ASYNC109
        """Wait for the command to end; one still running after ``timeout`` is killed, and fails.

        A run that never reaches its crash point and never ends (a worker with nothing it can
        send) must fail the test, not hang it: the reply it would give is the server's next line.
        """
        reading = asyncio.ensure_future(asyncio.to_thread(self._reply))
        done, _ = await asyncio.wait({reading}, timeout=timeout)
        if not done:
            assert self.pid is not None
            os.kill(self.pid, signal.SIGKILL)  # the command this server started for us
            await reading
        reply = reading.result()
        self.pid = None
        output = await asyncio.to_thread(log.read_text)
        if not done:
            raise TimeoutError(f"the command still ran after {timeout:g} s:\n{output[-3000:]}")
        return Finished(int(reply["code"]), output, float(reply["cpu"]))

    async def run(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        kill_at: KillAt | None = None,
        without: Sequence[str] = (),
    ) -> Finished:
        return await self.finish(self.launch(argv, env, kill_at=kill_at, without=without))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.crashpoint", description=__doc__)
    parser.add_argument("--serve", action="store_true", help="serve forked runs on stdin/stdout")
    parser.add_argument("target", nargs="?", help="module:function or module:Class.method")
    parser.add_argument("call", nargs="?", type=int, help="which call kills (1 is the first)")
    parser.add_argument("when", nargs="?", choices=("before", "after"), help="as it starts or ends")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then newsdigest's arguments")
    args = parser.parse_args(argv)
    if args.serve:
        serve()
        return 0
    if args.target is None or args.call is None or args.when is None:
        parser.error("give a target, a call number and before or after (or --serve)")
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    return run_command(command, KillAt(args.target, args.call, args.when))


if __name__ == "__main__":
    sys.exit(main())
