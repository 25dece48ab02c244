"""Workbooks saved again by other programs (issue 12): read without a traceback, values intact.

A filled return and a filled survey list are saved again as a department's own software would:
LibreOffice Calc (``soffice --convert-to``), Gnumeric (``ssconvert``), openpyxl (load and save) and
xlsxwriter (the values rewritten into a new workbook, as a script or export tool does).  Each copy is read
like a return: the scores, texts and people read are those of the original, or — when a program drops the
hidden metadata sheet — the file is refused with a clear problem rather than read wrongly.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from parcli.config.campaign import Campaign
from parcli.config.lists_plan import ListsPlan, load_lists_plan
from parcli.rounds.lists.issue import generate_lists
from parcli.rounds.lists.read import read_list
from parcli.rounds.scoring.read import read_return
from tests.helpers.factory import FIXED_NOW, MakeReturn
from tests.helpers.programs import roundtrip_many, ssconvert
from tests.helpers.respondents import default_rows, fill_list

DEPT = "so-noi-vu"
UNIT = "so-noi-vu"
MISSING_METADATA = {"metadata-missing"}

Writer = Callable[[Path, Path], Path]


def with_openpyxl(src: Path, dst: Path) -> Path:
    """Loaded and saved by openpyxl (what a script that edits a return does)."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    wb.save(dst)
    return dst


def _rewrite_with_xlsxwriter(src: Path, dst: Path, *, keep_hidden: bool) -> Path:
    """Every sheet's values written into a new workbook by xlsxwriter; hidden sheets kept hidden or dropped."""
    import xlsxwriter
    from openpyxl import load_workbook

    wb = load_workbook(src)
    out = xlsxwriter.Workbook(str(dst))
    date_format = out.add_format({"num_format": "dd/mm/yyyy"})
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" and not keep_hidden:
            continue
        target = out.add_worksheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None:
                    continue
                if isinstance(value, datetime | date):
                    target.write_datetime(cell.row - 1, cell.column - 1, value, date_format)
                elif cell.data_type == "f":
                    target.write_formula(cell.row - 1, cell.column - 1, str(value))
                elif isinstance(value, str):
                    target.write_string(cell.row - 1, cell.column - 1, value)
                else:
                    target.write(cell.row - 1, cell.column - 1, value)
        if ws.sheet_state != "visible":
            target.hide()
    out.close()
    return dst


def with_xlsxwriter(src: Path, dst: Path) -> Path:
    """The values rewritten by xlsxwriter, hidden metadata sheet kept (hidden)."""
    return _rewrite_with_xlsxwriter(src, dst, keep_hidden=True)


def with_xlsxwriter_dropping_hidden(src: Path, dst: Path) -> Path:
    """The values rewritten by xlsxwriter, hidden sheets left out (a tool that exports what it shows)."""
    return _rewrite_with_xlsxwriter(src, dst, keep_hidden=False)


def with_gnumeric(src: Path, dst: Path) -> Path:
    """Converted by Gnumeric's ssconvert (installed in CI; a missing install skips locally)."""
    return ssconvert(src, dst)


def with_libreoffice(src: Path, dst: Path) -> Path:
    """Opened and saved by LibreOffice Calc headless."""
    back = roundtrip_many([src], dst.parent / f"lo-{dst.stem}")[0]
    shutil.move(back, dst)
    return dst


WRITERS: dict[str, Writer] = {
    "openpyxl": with_openpyxl,
    "xlsxwriter": with_xlsxwriter,
    "xlsxwriter-no-hidden": with_xlsxwriter_dropping_hidden,
    "gnumeric": with_gnumeric,
    "libreoffice": with_libreoffice,
}
OUTSIDE = {"libreoffice": pytest.mark.libreoffice, "gnumeric": pytest.mark.gnumeric}  # writers that start a program
PARAMS = [pytest.param(name, marks=OUTSIDE[name]) if name in OUTSIDE else name for name in sorted(WRITERS)]


def _scores(path: Path, campaign: Campaign) -> tuple[dict[str, tuple[Any, ...]], set[str]]:
    result = read_return(path, campaign)
    items = {
        code: (item.score, item.not_applicable, item.explanation, item.evidence) for code, item in result.items.items()
    }
    return items, {p.slug for p in result.problems if p.severity == "error"}


@pytest.mark.parametrize("writer", PARAMS)
def test_a_return_saved_by_another_program(
    writer: str, campaign: Campaign, make_return: MakeReturn, tmp_path: Path
) -> None:
    """The scores, explanations and evidence of a return survive another program's save, or the file is refused
    for its missing metadata — never read wrongly, never a traceback."""
    original = make_return(DEPT, tmp_path / "in")
    expected, errors = _scores(original, campaign)
    assert expected and not errors
    copy = WRITERS[writer](original, tmp_path / f"{writer}.xlsx")
    items, slugs = _scores(copy, campaign)
    if writer == "xlsxwriter-no-hidden":
        assert slugs & MISSING_METADATA, slugs
        return
    assert not slugs, slugs
    assert items == expected


@pytest.fixture(scope="module")
def plan(campaign: Campaign) -> ListsPlan:
    return load_lists_plan(campaign)


@pytest.fixture(scope="module")
def filled_list(plan: ListsPlan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The survey list of one unit, issued and filled in (its quota of every group)."""
    out = tmp_path_factory.mktemp("corpus-lists")
    issued = generate_lists(plan, out / "issued", now=FIXED_NOW, units=[UNIT]).lists[0].path
    return fill_list(issued, out / "filled" / issued.name, default_rows(plan, UNIT))


def _people(path: Path, plan: ListsPlan) -> tuple[list[tuple[Any, ...]], set[str]]:
    result = read_list(path, plan)
    people = [(r.kind, r.group_id, r.name, r.email, r.phone, r.accepted) for r in result.respondents]
    return people, {p.slug for p in result.problems if p.severity == "error"}


@pytest.mark.parametrize("writer", PARAMS)
def test_a_survey_list_saved_by_another_program(
    writer: str, plan: ListsPlan, filled_list: Path, tmp_path: Path
) -> None:
    """The people of a survey list survive another program's save, or the file is refused for its metadata."""
    expected, errors = _people(filled_list, plan)
    assert expected and not errors
    copy = WRITERS[writer](filled_list, tmp_path / f"{writer}.xlsx")
    people, slugs = _people(copy, plan)
    if writer == "xlsxwriter-no-hidden":
        assert slugs & MISSING_METADATA, slugs
        return
    assert not slugs, slugs
    assert people == expected
