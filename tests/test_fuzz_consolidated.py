"""Fuzzing the consolidated-workbook reader: a damaged or hand-edited one stops the command with a message
naming the file (exit 3), never a traceback, and is never read as other figures without a word.

The consolidated workbook of a merged campaign is damaged by every mutation of ``tests/helpers/mutate.py``; each
mutant is loaded (:func:`load_consolidated`, then checked against the campaign as ``report`` does): it either
raises :class:`ConsolidatedError` naming the file, or reads exactly as the original (mutations that can look
like a person's edit may change what is read).  Then edits a person could make — text or a formula in a
score cell, a deleted row, an extra sheet, a far cell in the hidden metadata sheet — through the CLI.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parcli import clock
from parcli.cli.main import app
from parcli.config.campaign import Campaign
from parcli.errors import ParcliError
from parcli.results.consolidated import Consolidated, load_consolidated
from parcli.results.consolidated_write import write_consolidated
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.factory import FIXED_NOW, expected_values, fill_workbook
from tests.helpers.mutate import (
    EDIT_LIKE,
    LENIENT,
    MUTATIONS,
    SEED,
    fuzz_count,
    kind_mutants,
    members_of,
    per_kind,
    shared_strings,
    sheets_of,
    summary,
    zip_of,
)

PER_KIND = per_kind(fuzz_count(27))
FIGURES: Counter[str] = Counter()
runner = CliRunner()


@dataclass
class Book:
    """A consolidated workbook, its bytes and what it reads as."""

    campaign: Campaign
    path: Path
    returns: Path
    original: bytes
    read: Any


def snapshot(data: Consolidated) -> Any:
    """What a reader made of the workbook (every row and department, the metadata)."""
    return (data.metadata, data.rows, data.departments)


@pytest.fixture(scope="module")
def book(campaign: Campaign, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    root = tmp_path_factory.mktemp("fuzz-consolidated")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(clock.ENV_VAR, str(int(FIXED_NOW.timestamp())))
        for w in generate_workbooks(campaign, root / "issued", now=FIXED_NOW).workbooks:
            fill_workbook(w.path, root / "returns" / w.path.name, expected_values(w.department))
        path = root / "tong-hop.xlsx"
        write_consolidated(merge_returns(campaign, root / "returns"), path, now=FIXED_NOW)
        inline = snapshot(load_consolidated(path).checked(campaign))
        path.write_bytes(shared_strings(path.read_bytes()))  # as Excel saves it after a person's edit
        assert snapshot(load_consolidated(path).checked(campaign)) == inline
        yield Book(
            campaign, path, root / "returns", path.read_bytes(), snapshot(load_consolidated(path).checked(campaign))
        )
    print(summary("consolidated workbook", FIGURES))


def load(path: Path, campaign: Campaign) -> tuple[str, Any]:
    """(``error``, message) or (``read``, snapshot): the workbook loaded and checked as ``report`` does."""
    try:
        return "read", snapshot(load_consolidated(path).checked(campaign))
    except ParcliError as exc:
        return "error", str(exc)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_consolidated_mutants(kind: str, book: Book, tmp_path: Path) -> None:
    """Every mutant: a ParcliError naming the file (with what to do), or read as the original."""
    for data in kind_mutants(book.original, kind, PER_KIND, SEED):
        target = tmp_path / "tong-hop-hong.xlsx"
        target.write_bytes(data)
        outcome, value = load(target, book.campaign)
        if outcome == "error":
            assert target.name in value and "Đề nghị" in value, value
        elif value != book.read:
            assert kind in EDIT_LIKE | LENIENT, f"{kind}: read differently without an error"
            outcome = "lenient" if kind in LENIENT else "edited"
        FIGURES[f"{kind}:{outcome}"] += 1


def _edit(path: Path, target: Path, edit: Any) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    edit(wb)
    wb.save(target)
    return target


def _score_cell(wb: Any, value: Any) -> None:
    """Type ``value`` into the self-assessed score of the first item row (not a group or subtotal row)."""
    ws = wb[layout.SHEET_CONSOLIDATED]
    rows = [[c.value for c in r] for r in ws.iter_rows(max_row=40)]
    header = next(i for i, r in enumerate(rows, start=1) if layout.HEADER_SCORE in r and layout.HEADER_SCORED_BY in r)
    labels = rows[header - 1]
    score, scored_by = labels.index(layout.HEADER_SCORE) + 1, labels.index(layout.HEADER_SCORED_BY) + 1
    row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(row=r, column=scored_by).value)
    ws.cell(row=row, column=score, value=value)


def _far_metadata_cell(path: Path, target: Path) -> Path:
    members = members_of(path.read_bytes())
    index = sheets_of(members)[-1]
    name, body = members[index]
    cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    members[index] = (
        name,
        body.replace(b"</sheetData>", cell + b"</sheetData>").replace(
            b"<sheetData/>", b"<sheetData>" + cell + b"</sheetData>"
        ),
    )
    target.write_bytes(zip_of(members))
    return target


EDITS: dict[str, Any] = {
    "text-in-score": lambda p, t: _edit(p, t, lambda wb: _score_cell(wb, "đạt")),
    "formula-in-score": lambda p, t: _edit(p, t, lambda wb: _score_cell(wb, "=1+1")),
    "deleted-header-row": lambda p, t: _edit(p, t, lambda wb: wb[layout.SHEET_CONSOLIDATED].delete_rows(1, 8)),
    "deleted-metadata": lambda p, t: _edit(p, t, lambda wb: wb.remove(wb[layout.SHEET_META])),
    "far-metadata-cell": _far_metadata_cell,
    "not-a-zip": lambda p, t: (t.write_bytes(p.read_bytes()[:5000]), t)[1],
}


# merge -o over an existing consolidated workbook reads its hidden metadata and its appraisal columns (to
# replace only its own output, never values typed into it: an item table whose header is gone cannot be
# checked, so it is kept), and appraise import only the typed appraisals with the rows as shown: a
# self-assessed score edited by hand is not read there
NOT_READ = {(c, e) for c in ("merge-onto", "appraise-import") for e in ("text-in-score", "formula-in-score")}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("command", ["report", "remedy-issue", "appraise-import", "previous", "merge-onto"])
def test_hand_edited_consolidated_through_the_cli(book: Book, tmp_path: Path, edit: str, command: str) -> None:
    """A consolidated workbook edited by hand or damaged: exit 3 with a Vietnamese message naming the file."""
    target = EDITS[edit](book.path, tmp_path / "tong-hop-sua.xlsx")
    out = tmp_path / "out"
    args = {
        "report": ["report", str(target), "-o", str(out / "bao-cao.docx")],
        "remedy-issue": ["remedy", "issue", str(target), "-o", str(out)],
        "appraise-import": ["appraise", "import", str(target), "-o", str(out)],
        "previous": ["report", str(book.path), "--previous", str(target), "-o", str(out / "bao-cao.docx")],
        "merge-onto": ["merge", str(book.returns), "-o", str(target)],
    }[command]
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if (command, edit) in NOT_READ:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 3, (result.exit_code, result.output)
    assert target.name in result.output and "Đề nghị" in result.output, result.output


def test_an_extra_sheet_is_harmless(book: Book, tmp_path: Path) -> None:
    """A sheet a person added (notes, a chart) does not change what is read."""
    target = _edit(book.path, tmp_path / "them-trang.xlsx", lambda wb: wb.create_sheet("Ghi chú").append(["x"]))
    assert load(target, book.campaign) == ("read", book.read)


def test_a_zip_member_listing_damaged(book: Book, tmp_path: Path) -> None:
    """A central directory cut short: an error naming the file."""
    data = book.original
    end = data.rfind(b"PK\x05\x06")
    target = tmp_path / "cat.xlsx"
    target.write_bytes(data[: end - 40] + data[end:])
    outcome, message = load(target, book.campaign)
    assert outcome == "error" and target.name in message and zipfile.is_zipfile(book.path)
