"""Fuzzing the manifest reader (``report --manifest``): a damaged or hand-edited manifest stops with exit 2 or 3
and a message, never a traceback.

A real report manifest is cut short at random places, its entries removed or given the wrong type, a folder
entry pointed at a file and a file entry at a folder; each is replayed through the CLI.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parcli import clock
from parcli.cli.main import app
from parcli.config.campaign import Campaign
from parcli.results.consolidated_write import write_consolidated
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.factory import FIXED_NOW, expected_values, fill_workbook
from tests.helpers.mutate import SEED, fuzz_count, summary

runner = CliRunner()
FIGURES: Counter[str] = Counter()
COUNT = fuzz_count(24)
ODD_VALUES: list[Any] = [None, 0, -1, 1.5, True, "", "\x00", [], {}, [1], {"path": 1}, "x" * 5000, "../../etc"]


@pytest.fixture(scope="module")
def manifest(campaign: Campaign, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fuzz-manifest")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(clock.ENV_VAR, str(int(FIXED_NOW.timestamp())))
        for w in generate_workbooks(campaign, root / "issued", now=FIXED_NOW).workbooks:
            fill_workbook(w.path, root / "returns" / w.path.name, expected_values(w.department))
        write_consolidated(merge_returns(campaign, root / "returns"), root / "tong-hop.xlsx", now=FIXED_NOW)
        result = runner.invoke(app, ["report", str(root / "tong-hop.xlsx"), "-o", str(root / "bao-cao.md")])
        assert result.exit_code == 0, result.output
        yield root / "bao-cao.md.manifest.json"
    print(summary("manifests", FIGURES))


def _paths(record: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path of a JSON value."""
    out = [at]
    if isinstance(record, dict):
        for key, value in record.items():
            out += _paths(value, (*at, key))
    elif isinstance(record, list):
        for index, value in enumerate(record):
            out += _paths(value, (*at, index))
    return out


def _set(record: Any, at: tuple[Any, ...], value: Any, delete: bool = False) -> Any:
    if not at:
        return value
    parent = record
    for key in at[:-1]:
        parent = parent[key]
    if delete:
        del parent[at[-1]]
    else:
        parent[at[-1]] = value
    return record


def mutate_manifest(text: str, rng: random.Random, root: Path) -> tuple[str, str]:
    """One damaged manifest text and the name of its damage."""
    kind = rng.choice(["truncate", "wrong-type", "delete-key", "folder-file-swap", "junk"])
    if kind == "truncate":
        return kind, text[: rng.randrange(len(text))]
    if kind == "junk":
        position = rng.randrange(len(text))
        return kind, text[:position] + rng.choice(["}", "]", ",", '"', "\\", "\x00", "\ud800", "NaN"]) + text[position:]
    record = json.loads(text)
    paths = [p for p in _paths(record) if p]
    at = rng.choice(paths)
    if kind == "wrong-type":
        return kind, json.dumps(_set(record, at, rng.choice(ODD_VALUES)))
    if kind == "delete-key":
        return kind, json.dumps(_set(record, at, None, delete=True))
    entry = rng.choice([e for e in record["inputs"] if isinstance(e, dict)] + [record["campaign"]["file"]])
    if entry.get("kind") == "folder":
        entry["kind"] = "file"
    else:
        entry["kind"] = "folder"
        if rng.random() < 0.5:
            entry["path"] = str(root)
    return kind, json.dumps(record)


@pytest.mark.slow
def test_manifest_mutants(manifest: Path, tmp_path: Path) -> None:
    """Every damaged manifest: exit 2 or 3 with a message (or a faithful replay), never a traceback."""
    rng = random.Random(f"{SEED}:manifest")
    text = manifest.read_text(encoding="utf-8")
    for index in range(COUNT):
        kind, damaged = mutate_manifest(text, rng, manifest.parent)
        target = tmp_path / f"hong-{index}.manifest.json"
        target.write_text(damaged, encoding="utf-8", errors="surrogatepass")
        result = runner.invoke(app, ["report", "--manifest", str(target), "-o", str(tmp_path / f"lai-{index}.md")])
        assert result.exception is None or isinstance(result.exception, SystemExit), (kind, damaged, result.exception)
        assert result.exit_code in (0, 2, 3), (kind, result.output)
        if result.exit_code:  # notes (the manifest, the campaign used) may come first; then one error
            assert any(line.startswith("Lỗi: ") for line in result.output.splitlines()), (kind, result.output)
        if result.exit_code == 3:  # the manifest reader's own messages say what to do
            assert "Đề nghị" in result.output, (kind, result.output)
        FIGURES[f"{kind}:exit-{result.exit_code}"] += 1


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda r, root: r["campaign"].pop("file"), 3),
        (lambda r, root: r.__setitem__("inputs", "tong-hop.xlsx"), 3),
        (lambda r, root: r["inputs"][0].__setitem__("kind", "folder"), 3),
        (lambda r, root: r["inputs"][0].update(path=str(root)), 3),
        (lambda r, root: r["options"].__setitem__("today", "31/02/2023"), 3),
        (lambda r, root: r.__setitem__("kind", "merge"), 2),
    ],
)
def test_hand_edited_manifest(manifest: Path, tmp_path: Path, edit: Callable[[Any, Path], Any], code: int) -> None:
    """Each edit a person could make: its exit code and a message naming what to do."""
    record = json.loads(manifest.read_text(encoding="utf-8"))
    edit(record, manifest.parent)
    target = tmp_path / "sua.manifest.json"
    target.write_text(json.dumps(record), encoding="utf-8")
    result = runner.invoke(app, ["report", "--manifest", str(target), "-o", str(tmp_path / "lai.md")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, result.output


REGRESSIONS: dict[str, Callable[[dict[str, Any]], None]] = {  # mutants a fresh seed once found (5, 77, 101)
    "catalogue-file-deleted": lambda r: r["campaign"]["catalogue"].pop("file"),
    "consolidated-role-wrong-type": lambda r: next(e for e in r["inputs"] if e["role"] == "consolidated").update(
        role=7
    ),
    "templates-name-too-long": lambda r: r["options"].update(templates="x" * 5000),
}


@pytest.mark.parametrize("case", sorted(REGRESSIONS))
def test_manifest_regressions(manifest: Path, tmp_path: Path, case: str) -> None:
    """Each once stopped `report --manifest` with a traceback (KeyError, OSError): now exit 3 and what to do."""
    record = json.loads(manifest.read_text(encoding="utf-8"))
    REGRESSIONS[case](record)
    target = tmp_path / "sua.manifest.json"
    target.write_text(json.dumps(record), encoding="utf-8")
    result = runner.invoke(app, ["report", "--manifest", str(target), "-o", str(tmp_path / "lai.md")])
    assert "Traceback" not in result.output
    if case == "catalogue-file-deleted":  # an optional entry (a units campaign records none): replayed
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 3, result.output
    assert "Đề nghị" in result.output
