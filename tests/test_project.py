"""The project keeps its promises: docs match the code, imports stay light, the wheel carries its data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli import app
from parcli.problems import SLUGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_has_help_and_is_in_readme() -> None:
    for name in _commands():
        result = CliRunner().invoke(app, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert len(result.output) > 100
        assert f"parcli {name}" in README, name


def test_every_problem_slug_is_documented() -> None:
    for slug in SLUGS:
        assert f"`{slug}`" in README, slug


def test_library_import_is_light() -> None:
    code = (
        "import sys, parcli, parcli.config.catalogue, parcli.config.campaign, parcli.rounds.scoring.read, "
        "parcli.rounds.scoring.merge, parcli.rounds.scoring.issue;"
        "heavy = [m for m in ('typer', 'rich', 'openpyxl', 'pandas') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_version_and_usage_exit_codes() -> None:
    assert CliRunner().invoke(app, ["--version"]).exit_code == 0
    assert CliRunner().invoke(app, ["merge"]).exit_code == 2
    assert CliRunner().invoke(app, ["generate", "--nope"]).exit_code == 2


@pytest.mark.slow
def test_wheel_carries_data_and_runs_from_anywhere(tmp_path: Path) -> None:
    """A non-editable install works from any directory: catalogue, templates, example are package data."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("parcli-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "parcli/_data/criteria/par-province-2023.yaml" in names
    assert "parcli/_data/examples/hung-yen-2023/campaign.yaml" in names
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv=['parcli','generate','-o','out']; "
            "import parcli, parcli.cli; from parcli.resources import data_dir; "
            f"assert parcli.__file__.startswith({str(target)!r}), parcli.__file__; "
            f"assert str(data_dir('criteria')).startswith({str(target)!r}), data_dir('criteria'); "
            "parcli.cli.run()",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert len(list((elsewhere / "out").glob("PL*.xlsx"))) == 17
    assert str(target) in result.stderr.replace("\n", "")  # the bundled example came from the installed wheel
