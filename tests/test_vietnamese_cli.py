"""Everything the officer reads on the command line is Vietnamese: the --help frame and every usage error."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from parcli.cli import app
from parcli.cli.vietnamese import DOMAIN, LOCALE_DIR, TYPER_WORDS, mo_bytes

runner = CliRunner(env={"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"})
ENGLISH = (
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Show this message",
    "[default",
    "[required",
    "<file>",
    "<dir>",
    "<path>",
    "<str>",
    "<int>",
    "Error:",
    "Try '",
    "COMMAND",
    "Missing",
    "No such",
)


def _all_commands() -> list[list[str]]:
    """Every command and group of the application, as a person would type it (``[]`` is parcli itself)."""
    import typer.main

    found: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        found.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


COMMANDS = _all_commands()
# what a person types over, as typer would show it without parcli's frame: a Python name, an English placeholder
UNTRANSLATED = re.compile(r"<[a-z][a-z \[\]]*>|\b[A-Z]+_[A-Z_]*DIR\b|\[[a-z_]+\]|\b(?:returns|lists|remedies)_dir\b")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "parcli")
def test_help_is_vietnamese(command: list[str]) -> None:
    res = runner.invoke(app, [*command, "--help"])
    assert res.exit_code == 0, res.output
    assert "Cách dùng: parcli" in res.output and "Hiện hướng dẫn này rồi thoát." in res.output
    for word in ENGLISH:
        assert word not in res.output, (word, res.output)
    assert not UNTRANSLATED.search(res.output), (UNTRANSLATED.search(res.output), res.output)


def test_every_command_is_in_the_list() -> None:
    assert len(COMMANDS) >= 30 and ["appraise", "record"] in COMMANDS and ["result", "compare"] in COMMANDS


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["merg"], "Không có lệnh “merg”. Có phải ý là “merge”?"),
        (["merge"], "Thiếu tham số THƯ_MỤC_PHIẾU (Thư mục chứa các phiếu các cơ quan gửi về)."),
        (["check"], "Thiếu tham số PHIẾU (Các phiếu chấm điểm (.xlsx) cần kiểm tra)."),
        (["catalogue", "diff", "a.yaml"], "Thiếu tham số BỘ_TIÊU_CHÍ_MỚI (Bộ tiêu chí mới (.yaml))."),
        (["merge", "x", "--bogus"], "Không có tùy chọn --bogus."),
        (["appraise", "issue", "x", "--round", "x"], "Giá trị của --round không hợp lệ. Cần ghi một số nguyên."),
        (["status", "x", "--today"], "Tùy chọn --today dùng không đúng: cần đi kèm một giá trị."),
        (["appraise", "issue", "x", "--by"], "Xem hướng dẫn: parcli appraise issue --help"),
        (["report", "a", "b"], "Thừa tham số trên dòng lệnh"),
        (["catalogue", "shw"], "Không có lệnh “shw”. Có phải ý là “show”?"),
    ],
)
def test_usage_errors_are_vietnamese(args: list[str], words: str) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert words in res.output, res.output
    assert "Xem hướng dẫn: parcli" in res.output
    for word in ENGLISH:
        assert word not in res.output, (word, res.output)


def test_no_command_shows_the_help() -> None:
    res = runner.invoke(app, [])
    assert res.exit_code == 2 and "Lệnh:" in res.output and "Tùy chọn:" in res.output


def test_the_shipped_catalogue_is_the_table() -> None:
    """scripts/build_locale.py writes the .mo from TYPER_WORDS; the file shipped must be what it writes."""
    assert (LOCALE_DIR / "vi" / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes() == mo_bytes(TYPER_WORDS)
