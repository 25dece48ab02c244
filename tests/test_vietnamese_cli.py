"""Everything the officer reads on the command line is Vietnamese: the --help frame and every usage error."""

from __future__ import annotations

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
COMMANDS = [
    [],
    ["generate"],
    ["init"],
    ["check"],
    ["merge"],
    ["status"],
    ["feedback"],
    ["remind"],
    ["report"],
    ["evidence"],
    ["catalogue"],
    ["catalogue", "show"],
    ["catalogue", "import"],
    ["catalogue", "diff"],
    ["survey", "merge"],
    ["appraise", "issue"],
    ["appraise", "notices"],
    ["remedy", "merge"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "parcli")
def test_help_is_vietnamese(command: list[str]) -> None:
    res = runner.invoke(app, [*command, "--help"])
    assert res.exit_code == 0, res.output
    assert "Cách dùng: parcli" in res.output and "Hiện hướng dẫn này rồi thoát." in res.output
    for word in ENGLISH:
        assert word not in res.output, (word, res.output)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["merg"], "Không có lệnh “merg”. Có phải ý là “merge”?"),
        (["merge"], "Thiếu tham số RETURNS_DIR (Thư mục chứa các phiếu các cơ quan gửi về)."),
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
