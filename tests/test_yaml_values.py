"""Values YAML accepts but Python cannot hold — a 30 February, a five-digit year, .inf and .nan — are told by line,
never a traceback (exit 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import default_campaign_path

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


def _plan(tmp_path: Path, old: str, new: str, *, catalogue: tuple[str, str] | None = None) -> Path:
    source = default_campaign_path()
    text = source.read_text(encoding="utf-8")
    cat_line = re.search(r"^catalogue:\s*(\S+)", text, re.M)
    assert cat_line is not None
    cat_text = (source.parent / cat_line.group(1)).read_text(encoding="utf-8")
    if catalogue is not None:
        assert catalogue[0] in cat_text
        cat_text = cat_text.replace(catalogue[0], catalogue[1], 1)
    (tmp_path / "bo-tieu-chi.yaml").write_text(cat_text, encoding="utf-8")
    text = text.replace(cat_line.group(0), "catalogue: bo-tieu-chi.yaml")
    assert old in text
    plan = tmp_path / "campaign.yaml"
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    return plan


@pytest.mark.parametrize(
    ("old", "new", "catalogue", "words"),
    [
        ("returns: 2024-01-15", "returns: 2024-02-30", None, "“2024-02-30” không phải một ngày có thật"),
        ("year: 2023", "year: 20233", None, "year (dòng 20): phải nhỏ hơn hoặc bằng 2100"),
        ("max_file_mb: 20", "max_file_mb: .inf", None, "“.inf” không phải một số hữu hạn"),
        ("max_file_mb: 20", "max_file_mb: .nan", None, "“.nan” không phải một số hữu hạn"),
        ("year: 2023", "year: 2023", ("max_points: 1.5", "max_points: .inf"), "“.inf” không phải một số hữu hạn"),
    ],
    ids=["30-february", "year-20233", "inf", "nan", "catalogue-inf"],
)
def test_values_python_cannot_hold(
    tmp_path: Path, old: str, new: str, catalogue: tuple[str, str] | None, words: str
) -> None:
    plan = _plan(tmp_path, old, new, catalogue=catalogue)
    res = runner.invoke(app, ["generate", "-c", str(plan), "-o", str(tmp_path / "out")])
    assert res.exit_code == 3, res.output
    assert words in res.output, res.output
    assert "dòng" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('assign: ["1.1", "1.2"', 'assign: [1.1, "1.2"', 'mã như 1.10 cần đặt trong dấu ngoặc kép ("1.10")'),
        ("year: 2023", "year: 2023: 2024", "có dấu hai chấm ở chỗ không được có"),
        ("year: 2023", "year:\t2023\n\tx: 1", "có ký tự Tab"),
    ],
    ids=["unquoted-code", "stray-colon", "tab"],
)
def test_yaml_mistakes_are_told_in_vietnamese(tmp_path: Path, old: str, new: str, words: str) -> None:
    """No PyYAML English ("mapping values are not allowed here"); an unquoted code gets the hint it needs."""
    plan = _plan(tmp_path, old, new)
    res = runner.invoke(app, ["generate", "-c", str(plan), "-o", str(tmp_path / "out")])
    assert res.exit_code == 3, res.output
    assert words in res.output, res.output
    for english in ("mapping values", "not allowed", "found character", "Input should be"):
        assert english not in res.output


def test_positions_count_from_one(tmp_path: Path) -> None:
    """The 14th department is departments[14], as a person counts (the line is given too)."""
    plan = _plan(tmp_path, 'assign: ["1.1", "1.2"', 'assign: ["9.9", "1.2"')
    res = runner.invoke(app, ["generate", "-c", str(plan), "-o", str(tmp_path / "out")])
    assert "departments[1].assign[1] (dòng" in res.output, res.output
