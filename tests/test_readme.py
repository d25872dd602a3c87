"""The README's quick start stays two commands, and CI runs exactly its test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)]


def test_quick_start_has_exactly_two_commands() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert commands[0].endswith("newsdigest run")


def test_ci_runs_the_readme_test_command() -> None:
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _quick_start_commands()[1] in ci_lines


def test_the_command_table_lists_every_command_of_help() -> None:
    from bot.render import ADMIN_COMMANDS, COMMANDS

    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Using the bot", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`/(\w+)", table))
    assert {command.name for command in (*COMMANDS, *ADMIN_COMMANDS)} <= listed
