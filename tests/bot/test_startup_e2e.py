"""Start-up against a Bot API that is out of reach or refuses the token: the real CLI, in a process."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from bot.cli import configure_logging
from bot.emulator import DEFAULT_TOKEN, BotApiEmulator
from bot.settings import Secret

REPO = Path(__file__).resolve().parents[2]
# A token of the right shape that the emulator (which knows only DEFAULT_TOKEN) refuses with 401.
WRONG_TOKEN = "654321:AAH-wrong-token-0123456789abcdef"
REFUSED = "Telegram refused the token ****cdef: check NEWSDIGEST_TELEGRAM_TOKEN"
# Long enough for the interpreter to import the bot and spaCy on a loaded machine.
PROCESS_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli_environment(tmp_path: Path, token: str, api_url: str) -> dict[str, str]:
    """Only what the bot needs: none of the caller's NEWSDIGEST_* settings leak in."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDIGEST_")}
    return environ | {
        "NEWSDIGEST_TELEGRAM_TOKEN": token,
        "NEWSDIGEST_TELEGRAM_API_URL": api_url,
        "NEWSDIGEST_DATA_DIR": str(tmp_path),
        "NEWSDIGEST_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
    }


async def start_cli(
    command: str, environ: dict[str, str], *extra: str
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *extra,
        command,
        env=environ,
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def read_until(stream: asyncio.StreamReader, needle: bytes) -> list[bytes]:
    """Lines up to and including the first that holds ``needle`` (the end of output fails)."""
    lines = [await stream.readline()]
    while needle not in lines[-1]:
        assert lines[-1], f"the process ended its output before {needle!r}: {lines}"
        lines.append(await stream.readline())
    return lines


async def finish(process: asyncio.subprocess.Process) -> tuple[int, str]:
    """Wait for the process to exit; its exit status and everything it wrote."""
    out, err = await asyncio.wait_for(process.communicate(), PROCESS_TIMEOUT)
    assert process.returncode is not None
    return process.returncode, out.decode() + err.decode()


@pytest.mark.parametrize("command", ["run", "worker"])
async def test_a_refused_token_exits_2_with_one_masked_line(tmp_path: Path, command: str) -> None:
    async with BotApiEmulator(DEFAULT_TOKEN) as emulator:
        environ = cli_environment(tmp_path, WRONG_TOKEN, emulator.base_url)
        # DEBUG: every logger speaks, and none of them may show the token.
        status, output = await finish(await start_cli(command, environ, "--verbose"))
    assert status == 2, output
    lines = output.strip().splitlines()
    assert lines[-1] == (
        f"newsdigest: {REFUSED} and NEWSDIGEST_TELEGRAM_API_URL ({emulator.base_url})"
    )
    assert WRONG_TOKEN not in output
    assert "Traceback" not in output


async def test_a_wrong_api_url_answering_404_is_refused_too(tmp_path: Path) -> None:
    async with BotApiEmulator(DEFAULT_TOKEN) as emulator:
        # Another path on the same server: a plain-text 404, as any web server would answer.
        wrong_url = f"http://127.0.0.1:{emulator.port}/api/bot"
        environ = cli_environment(tmp_path, DEFAULT_TOKEN, wrong_url)
        status, output = await finish(await start_cli("run", environ))
    assert status == 2, output
    assert output.strip().splitlines() == [
        "newsdigest: Telegram refused the token ****cdef: check NEWSDIGEST_TELEGRAM_TOKEN "
        f"and NEWSDIGEST_TELEGRAM_API_URL ({wrong_url})"
    ]
    assert DEFAULT_TOKEN not in output


@pytest.mark.parametrize("command", ["run", "worker"])
async def test_the_bot_waits_for_an_unreachable_api_and_starts_once_it_answers(
    tmp_path: Path, command: str
) -> None:
    port = free_port()  # nothing listens there yet
    api_url = f"http://127.0.0.1:{port}/bot"
    process = await start_cli(command, cli_environment(tmp_path, DEFAULT_TOKEN, api_url))
    assert process.stderr is not None
    try:
        before = await asyncio.wait_for(
            read_until(process.stderr, b"cannot reach the Telegram Bot API"), PROCESS_TIMEOUT
        )
        first = before[-1]
        assert b"cannot reach the Telegram Bot API at " + api_url.encode() in first, before
        assert b"try 1, next in 1 s" in first
        async with BotApiEmulator(DEFAULT_TOKEN, port=port) as emulator:
            # Running: the bot polls for updates; a worker (which never polls) has said getMe.
            await emulator.wait_until(
                lambda: emulator.pollers == 1 if command == "run" else emulator.calls_to("getMe"),
                timeout=PROCESS_TIMEOUT,
            )
            process.send_signal(signal.SIGTERM)
            status, rest = await finish(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    output = b"".join(before).decode() + rest
    assert status == 0, output
    assert "Traceback" not in output
    tries = [line for line in output.splitlines() if "cannot reach the Telegram Bot API" in line]
    # One line per try, each with its reason and the wait before the next.
    assert all("All connection attempts failed" in line for line in tries), tries
    assert "reached the Telegram Bot API after" in output
    assert emulator.calls_to("getMe")


def test_the_token_never_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    token = Secret(WRONG_TOKEN)
    configure_logging("INFO", [token])  # what the entry point does with the settings' secrets
    log = logging.getLogger("tests.startup")
    url = f"https://api.telegram.org/bot{WRONG_TOKEN}/getMe"
    with caplog.at_level(logging.INFO):
        log.info("HTTP Request: POST %s", url)  # in the arguments, as httpx logs requests
        log.warning(f"message built beforehand: {url}")  # in the message itself
        log.info("%s", {"token": WRONG_TOKEN})  # inside an argument that is no string
        try:
            raise RuntimeError(f"The token `{WRONG_TOKEN}` was rejected by the server.")
        except RuntimeError:
            log.exception("start-up failed")  # in the traceback
    assert len(caplog.records) == 4
    assert WRONG_TOKEN not in caplog.text
    assert caplog.text.count("****cdef") == 4
    assert "The token `****cdef` was rejected" in caplog.text
