"""Every command the README and the user's guide tell a person to type exists, with the options it is given.

The officer copies commands from ``docs/huong-dan.md`` (Windows paths, ``..\\gui-ve``) and the README; a
command renamed or an option dropped would leave them a usage error.  Each ``parcli …`` line, in backticks
or in a code block, is resolved against the application's command tree; placeholders (``…``, ``COMMAND``) are
left out.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer.main

from parcli.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", ROOT / "docs" / "huong-dan.md"]


def _command_lines() -> list[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"`(parcli [^`]+)`", text):
            found.add((path.name, match.group(1)))
        for block in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL):
            for line in block.splitlines():
                line = line.strip().removeprefix("$ ")
                if line.startswith("parcli "):  # less a comment: “# …” (sh) or “& rem …” (cmd.exe)
                    found.add((path.name, re.split(r" #| & rem ", line)[0].strip()))
    return sorted((name, line) for name, line in found if "…" not in line and "..." not in line)


LINES = _command_lines()


def test_the_documents_give_commands() -> None:
    assert len(LINES) >= 60
    assert any(name == "huong-dan.md" for name, _ in LINES)


@pytest.mark.parametrize(("document", "line"), LINES, ids=[f"{d}: {line}" for d, line in LINES])
def test_a_documented_command_exists_with_its_options(document: str, line: str) -> None:
    tokens = shlex.split(line, posix=False)[1:]  # posix=False: a Windows path keeps its backslashes
    command = typer.main.get_command(app)
    while tokens and hasattr(command, "commands") and tokens[0] in command.commands:
        command = command.commands[tokens.pop(0)]
    if hasattr(command, "commands"):  # a group: what follows is a placeholder (COMMAND) or one of its options
        options = {name for param in command.params for name in (*param.opts, *param.secondary_opts)}
        assert not tokens or tokens[0] in {"COMMAND", "LỆNH", "--help", *options}, (document, line)
        return
    options = {"--help"} | {name for param in command.params for name in (*param.opts, *param.secondary_opts)}
    unknown = [t for t in tokens if t.startswith("-") and t != "-" and t.split("=")[0] not in options]
    assert not unknown, (document, line, unknown)
