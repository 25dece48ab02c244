"""What real returns look like (issue 3): every kind of bad file, one problem each, never a crash.

Each case builds one mutated return (from the session's issued workbooks, in
``tmp_path``; no binary fixtures) and is checked twice:

* by :func:`parcli.rounds.scoring.read.read_return` alone: the exact set of problems
  (slug, cell, item), the file name, Vietnamese NFC messages, accepted scores;
* inside a returns folder with the 16 other departments' valid returns, by
  :func:`parcli.rounds.scoring.merge.merge_returns`: the same problems for that file, the
  department's status, the 16 others ``ok``, and the folder's bytes unchanged.
"""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from parcli.config.campaign import Campaign
from parcli.problems import SLUGS, Problem
from parcli.results.consolidated_write import write_consolidated
from parcli.rounds.scoring.merge import merge_returns
from parcli.rounds.scoring.read import ReturnResult, read_return
from parcli.xlsx import open as xlsx_open
from tests.helpers.factory import MakeReturn, copy_tree_bytes, expected_values, fill_workbook

SCORES = "Chấm điểm"
META = "parcli"
DEPT = "so-noi-vu"
FILE = "PL01-so-noi-vu.xlsx"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SCORES_XML = "xl/worksheets/sheet2.xml"  # openpyxl names parts in sheet order: cover, scores, meta
MB = 1024 * 1024

# Items of Sở Nội vụ used below (bundled catalogue):
#   1.1.2  choice 1.5/1/0.5/0, explanation and evidence required
#   1.3.1  choice 1/0.5/0, evidence required, full marks by default
#   1.4.1  scale 0–1.25 step 0.25
CHOICE = "1.3.1"
SCALE = "1.4.1"
EXPLAINED = "1.1.2"
OTHER_DEPT_ITEM = "3.1.1"  # Văn phòng UBND tỉnh, Phụ lục II


# --- building mutated returns -------------------------------------------------------------------


@dataclass
class Kit:
    """What a case builder may use."""

    campaign: Campaign
    make_return: MakeReturn
    rows: dict[str, int]  # item code → row in the issued scoring sheet

    def fill(self, dst: Path, overrides: dict[str, dict[str, Any]] | None = None) -> Path:
        return self.make_return(DEPT, dst.parent, overrides, dst.name)


Builder = Callable[[Kit, Path], None]


def filled(overrides: dict[str, dict[str, Any]] | None = None) -> Builder:
    def build(kit: Kit, dst: Path) -> None:
        kit.fill(dst, overrides)

    return build


def score(code: str, value: Any) -> Builder:
    return filled({code: {"score": value}})


def edited(fn: Callable[[Workbook, Kit], None], overrides: dict[str, dict[str, Any]] | None = None) -> Builder:
    """Fill like a department, then edit the workbook with openpyxl as a person would."""

    def build(kit: Kit, dst: Path) -> None:
        kit.fill(dst, overrides)
        wb = load_workbook(dst)
        fn(wb, kit)
        wb.save(dst)

    return build


def raw(data: bytes) -> Builder:
    def build(kit: Kit, dst: Path) -> None:
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(data)

    return build


def rezipped(
    members: Callable[[dict[str, bytes]], dict[str, bytes]], overrides: dict[str, dict[str, Any]] | None = None
) -> Builder:
    """Fill like a department, then rewrite parts inside the zip."""

    def build(kit: Kit, dst: Path) -> None:
        kit.fill(dst, overrides)
        with zipfile.ZipFile(dst) as zin:
            parts = {name: zin.read(name) for name in zin.namelist()}
        parts = members(parts)
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for name, data in parts.items():
                zout.writestr(name, data)

    return build


def zeros_member(size_mb: int) -> Builder:
    """A real return with an extra member of genuine zeros (compresses ~1000:1)."""

    def build(kit: Kit, dst: Path) -> None:
        kit.fill(dst)
        chunk = b"\0" * MB
        with (
            zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
            archive.open("xl/media/image1.bin", "w", force_zip64=True) as member,
        ):
            for _ in range(size_mb):
                member.write(chunk)

    return build


def truncated(kit: Kit, dst: Path) -> None:
    kit.fill(dst)
    data = dst.read_bytes()
    dst.write_bytes(data[: len(data) // 2])


def _zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip_bytes(
    {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Báo cáo tự đánh giá</w:t></w:r></w:p></w:body>'
        "</w:document>".encode(),
    }
)
ODS = _zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
LEGACY_XLS = OLE_MAGIC + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 512
ENCRYPTED = (
    OLE_MAGIC + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le")
)
LEGACY_DOC = OLE_MAGIC + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 512
BILLION_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b"]>"
)


def with_doctype(data: bytes) -> bytes:
    """Put the billion-laughs DOCTYPE after the XML declaration (if any), before the root element."""
    declaration = re.match(rb"<\?xml[^>]*\?>", data)
    at = declaration.end() if declaration else 0
    return data[:at] + BILLION_LAUGHS + data[at:]


def bomb_sheet(parts: dict[str, bytes]) -> dict[str, bytes]:
    sheet = with_doctype(parts[SCORES_XML])
    # detonate in an explanation cell too, as a real bomb would
    parts[SCORES_XML] = sheet.replace("<t>Đã hoàn thành".encode(), b"<t>&lol9;", 1)
    return parts


def bomb_workbook(parts: dict[str, bytes]) -> dict[str, bytes]:
    parts["xl/workbook.xml"] = with_doctype(parts["xl/workbook.xml"])
    return parts


def bomb_shared_strings(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Add a shared-strings part (as Excel writes) that declares nested entities."""
    parts["xl/sharedStrings.xml"] = with_doctype(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&lol9;</t></si></sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return parts


def cached_formula(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Give the score formula a cached result that would be a valid score (1 of max 1)."""
    # openpyxl writes an empty <v/> (spelt differently with and without lxml) or none at all
    sheet, count = re.subn(rb"<f>1\+0</f>(<v\s*/>|<v></v>)?", b"<f>1+0</f><v>1</v>", parts[SCORES_XML])
    assert count == 1
    parts[SCORES_XML] = sheet
    return parts


def _set_meta(key: str, value: str) -> Callable[[Workbook, Kit], None]:
    def fn(wb: Workbook, kit: Kit) -> None:
        ws = wb[META]
        for row in range(1, 20):
            if ws.cell(row=row, column=1).value == key:
                ws.cell(row=row, column=2).value = value
                return
        raise AssertionError(f"metadata key {key} not found")

    return fn


def _delete_sheet(name: str) -> Callable[[Workbook, Kit], None]:
    def fn(wb: Workbook, kit: Kit) -> None:
        del wb[name]

    return fn


def _delete_row(code: str) -> Callable[[Workbook, Kit], None]:
    def fn(wb: Workbook, kit: Kit) -> None:
        wb[SCORES].delete_rows(kit.rows[code])

    return fn


def _edit_code(code: str, new: str) -> Callable[[Workbook, Kit], None]:
    def fn(wb: Workbook, kit: Kit) -> None:
        wb[SCORES].cell(row=kit.rows[code], column=1).value = new

    return fn


def _insert_row(before: str, values: tuple[Any, ...], offset: int = 0) -> Callable[[Workbook, Kit], None]:
    """Insert a row at the row of ``before`` (+offset) and type ``values`` into columns A.."""

    def fn(wb: Workbook, kit: Kit) -> None:
        ws = wb[SCORES]
        row = kit.rows[before] + offset
        ws.insert_rows(row)
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col).value = value

    return fn


def _far_below(wb: Workbook, kit: Kit) -> None:
    wb[SCORES].cell(row=100_000, column=1).value = "ghi chú tạm"


def _string_cell(code: str, column: int, text: str) -> Callable[[Workbook, Kit], None]:
    """Type text that starts with '=' as a string (what Excel stores for '=... with a leading apostrophe)."""

    def fn(wb: Workbook, kit: Kit) -> None:
        cell = wb[SCORES].cell(row=kit.rows[code], column=column)
        cell.value = text
        cell.data_type = "s"

    return fn


# --- the case table -----------------------------------------------------------------------------

Expect = tuple[str, str | None, str | None]  # (slug, cell spec, item); cell spec "D@1.3.1" → D + row of item 1.3.1


@dataclass(frozen=True)
class Case:
    id: str
    build: Builder
    expect: tuple[Expect, ...]
    status: str  # the department's status in merge
    scores: dict[str, Decimal | None] = field(default_factory=dict)  # accepted score per item (None: not counted)
    name: str = FILE
    hint: str | None = None  # text one of the file's messages must contain
    bug: str | None = None  # reason for a strict xfail


LOST = "Chưa đạt tối đa: một số nhiệm vụ hoàn thành chậm so với kế hoạch."
NFD_TEXT = unicodedata.normalize("NFD", "Đã hoàn thành đầy đủ; có văn bản kèm theo.")
FORMULA_TEXT = '=HYPERLINK("http://x","y")'

CASES: list[Case] = [
    # not an xlsx at all
    Case("random-bytes", raw(bytes(range(256)) * 40), (("not-a-workbook", None, None),), "missing"),
    Case("empty-file", raw(b""), (("not-a-workbook", None, None),), "missing"),
    Case("docx-renamed", raw(DOCX), (("not-a-workbook", None, None),), "missing"),
    Case("doc-renamed", raw(LEGACY_DOC), (("not-a-workbook", None, None),), "missing"),
    Case("ods-renamed", raw(ODS), (("not-a-workbook", None, None),), "missing"),
    Case("truncated-zip", truncated, (("unreadable-workbook", None, None),), "missing"),
    # old or protected containers
    Case("legacy-xls", raw(LEGACY_XLS), (("legacy-xls", None, None),), "missing", name="PL01-so-noi-vu.xls"),
    Case("encrypted", raw(ENCRYPTED), (("encrypted-workbook", None, None),), "missing"),
    # refused for safety
    Case("bomb-in-sheet-xml", rezipped(bomb_sheet), (("unsafe-workbook", None, None),), "missing"),
    Case("bomb-in-shared-strings", rezipped(bomb_shared_strings), (("unsafe-workbook", None, None),), "missing"),
    # parts that openpyxl parses with lxml when it is installed: the DOCTYPE scan refuses them too
    Case("doctype-in-workbook-xml", rezipped(bomb_workbook), (("unsafe-workbook", None, None),), "missing"),
    Case("zip-ratio-25mb-zeros", zeros_member(25), (("unsafe-workbook", None, None),), "missing"),
    Case("zip-210mb-uncompressed", zeros_member(210), (("unsafe-workbook", None, None),), "missing"),
    # identity and structure
    Case("scoring-sheet-deleted", edited(_delete_sheet(SCORES)), (("sheet-missing", None, None),), "invalid"),
    Case(
        "metadata-sheet-deleted",
        edited(_delete_sheet(META)),
        (("metadata-missing", None, None),),
        "missing",
        hint="Tệp có vẻ là của Sở Nội vụ",
    ),
    Case(
        "other-campaign",
        edited(_set_meta("campaign_id", "hung-yen-2022")),
        (("wrong-campaign", None, None),),
        "missing",
        hint="hung-yen-2022",
    ),
    Case(
        "catalogue-hash-edited",
        edited(_set_meta("catalogue_hash", "0" * 64)),
        (("wrong-catalogue-version", None, None),),
        "missing",
    ),
    Case(
        "department-edited",
        edited(_set_meta("department_id", "so-khong-co")),
        (("unknown-department", None, None),),
        "missing",
    ),
    Case("layout-edited", edited(_set_meta("layout_version", "9")), (("unsupported-layout", None, None),), "missing"),
    Case(
        "row-deleted",
        edited(_delete_row(CHOICE)),
        (("missing-item", None, CHOICE),),
        "invalid",
        scores={CHOICE: None, SCALE: Decimal("1.25")},
    ),
    Case(
        "code-edited",
        edited(_edit_code(CHOICE, "9.9.9")),
        (("unknown-item", "A@1.3.1", "9.9.9"), ("missing-item", None, CHOICE)),
        "invalid",
        scores={CHOICE: None},
    ),
    Case(
        "row-inserted-made-up-code",
        edited(_insert_row(CHOICE, ("1.2.9", "Nhiệm vụ tự thêm", 1, 1, "Tự thêm", "Không có"))),
        (("unknown-item", "A@1.3.1", "1.2.9"),),
        "invalid",
    ),
    Case(
        "item-of-other-department-pasted",
        edited(_insert_row(CHOICE, (OTHER_DEPT_ITEM, "Dán từ phiếu khác", 1, 1, "Đã hoàn thành", "Báo cáo số 1"))),
        (("unknown-item", "A@1.3.1", OTHER_DEPT_ITEM),),
        "invalid",
        hint="Phụ lục II",
    ),
    Case(
        "same-item-twice",
        edited(_insert_row(CHOICE, (CHOICE, "Bản sao", 1, 0.5, LOST, "Báo cáo số 2"), offset=1)),
        (("duplicate-item", "A@1.3.1+1", CHOICE),),
        "invalid",
        scores={CHOICE: Decimal(1)},  # the first row counts; the copy is reported
    ),
    # scores
    Case("score-above-max", score(CHOICE, 2), (("score-above-max", "D@1.3.1", CHOICE),), "invalid", {CHOICE: None}),
    Case("score-negative", score(CHOICE, -1), (("score-below-zero", "D@1.3.1", CHOICE),), "invalid", {CHOICE: None}),
    Case("score-abc", score(CHOICE, "abc"), (("not-a-number", "D@1.3.1", CHOICE),), "invalid", {CHOICE: None}),
    Case("score-missing", score(CHOICE, None), (("score-missing", "D@1.3.1", CHOICE),), "invalid", {CHOICE: None}),
    Case(
        "score-not-an-option",
        filled({CHOICE: {"score": 0.75, "explanation": LOST}}),
        (("score-not-allowed", "D@1.3.1", CHOICE),),
        "invalid",
        {CHOICE: None},
    ),
    Case(
        "score-off-step",
        filled({SCALE: {"score": 0.3, "explanation": LOST}}),
        (("score-off-step", "D@1.4.1", SCALE),),
        "invalid",
        {SCALE: None},
    ),
    Case(
        "not-applicable-not-allowed",
        score(CHOICE, "Không áp dụng"),
        (("not-applicable-not-allowed", "D@1.3.1", CHOICE),),
        "invalid",
        {CHOICE: None},
    ),
    Case("formula", score(CHOICE, "=1+0"), (("formula-in-score", "D@1.3.1", CHOICE),), "invalid", {CHOICE: None}),
    Case(
        "formula-with-cached-value",
        rezipped(cached_formula, {CHOICE: {"score": "=1+0"}}),
        (("formula-in-score", "D@1.3.1", CHOICE),),
        "invalid",
        {CHOICE: None},
    ),
    Case(
        "date-in-score",
        score(CHOICE, datetime(2023, 12, 15)),
        (("not-a-number", "D@1.3.1", CHOICE),),
        "invalid",
        {CHOICE: None},
    ),
    # tolerated with a warning, the score accepted exactly
    Case("number-as-text", score(CHOICE, "1"), (("number-as-text", "D@1.3.1", CHOICE),), "ok", {CHOICE: Decimal(1)}),
    Case(
        "decimal-comma",
        filled({CHOICE: {"score": "0,5", "explanation": LOST}}),
        (("decimal-comma", "D@1.3.1", CHOICE),),
        "ok",
        {CHOICE: Decimal("0.5")},
        hint="được hiểu là 0,5",
    ),
    Case(
        "text-number-with-spaces",
        score(CHOICE, "  1 "),
        (("number-as-text", "D@1.3.1", CHOICE),),
        "ok",
        {CHOICE: Decimal(1)},
    ),
    Case(
        "decimal-comma-with-tab",
        filled({SCALE: {"score": "\t0,75 ", "explanation": LOST}}),
        (("decimal-comma", "D@1.4.1", SCALE),),
        "ok",
        {SCALE: Decimal("0.75")},
    ),
    Case(
        "nfd-explanation",
        filled({CHOICE: {"explanation": NFD_TEXT}}),
        (("text-normalised", "E@1.3.1", None),),
        "ok",
        {CHOICE: Decimal(1)},
    ),
    Case(
        "content-far-below-table",
        edited(_far_below),
        (("content-below-table", "A100000", None),),
        "ok",
        {CHOICE: Decimal(1)},
    ),
    # explanation and evidence
    Case(
        "explanation-missing-lost-points",
        filled({CHOICE: {"score": 0.5, "explanation": None}}),
        (("explanation-missing", "E@1.3.1", CHOICE),),
        "invalid",
        {CHOICE: None},
    ),
    Case(
        "explanation-missing-required",
        filled({EXPLAINED: {"score": 1.5, "explanation": None}}),
        (("explanation-missing", "E@1.1.2", EXPLAINED),),
        "invalid",
        {EXPLAINED: None},
    ),
    Case(
        "evidence-missing",
        filled({CHOICE: {"score": 1, "evidence": None}}),
        (("evidence-missing", "F@1.3.1", CHOICE),),
        "invalid",
        {CHOICE: None},
    ),
    Case(
        "no-evidence-needed-for-zero",
        filled({CHOICE: {"score": 0, "explanation": LOST, "evidence": None}}),
        (),
        "ok",
        {CHOICE: Decimal(0)},
    ),
    # text stays text
    Case(
        "formula-like-text-explanation",
        edited(_string_cell(CHOICE, 5, FORMULA_TEXT)),
        (),
        "ok",
        {CHOICE: Decimal(1)},
    ),
    Case(
        "formula-in-explanation",
        filled({CHOICE: {"explanation": FORMULA_TEXT}}),
        (("formula-in-text", "E@1.3.1", CHOICE),),
        "ok",
        {CHOICE: Decimal(1)},
    ),
]


# Merge reads all 17 files per case; one or more cases of each kind keep the module fast.
MERGE_CASES = {
    "random-bytes",
    "empty-file",
    "docx-renamed",
    "legacy-xls",
    "encrypted",
    "bomb-in-sheet-xml",
    "zip-210mb-uncompressed",
    "truncated-zip",
    "scoring-sheet-deleted",
    "metadata-sheet-deleted",
    "other-campaign",
    "catalogue-hash-edited",
    "row-deleted",
    "code-edited",
    "item-of-other-department-pasted",
    "score-above-max",
    "score-not-an-option",
    "formula-with-cached-value",
    "date-in-score",
    "decimal-comma",
    "nfd-explanation",
    "content-far-below-table",
    "explanation-missing-lost-points",
    "evidence-missing",
}


def _params(cases: list[Case]) -> list[Any]:
    return [
        pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.bug)] if c.bug else []) for c in cases
    ]


# --- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def rows(issued: dict[str, Path]) -> dict[str, int]:
    """Item code → row of the issued Sở Nội vụ scoring sheet, found by the code in column A."""
    ws = load_workbook(issued[DEPT], read_only=True)[SCORES]
    return {str(r[0].value): r[0].row for r in ws.iter_rows(max_col=1) if r[0].value is not None}


@pytest.fixture(scope="module")
def valid_folder(campaign: Campaign, issued: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 17 valid returns, built once for the module (copied per test)."""
    folder = tmp_path_factory.mktemp("valid-returns")
    for dept in campaign.departments:
        fill_workbook(issued[dept.id], folder / issued[dept.id].name, expected_values(dept))
    return folder


@pytest.fixture
def kit(campaign: Campaign, make_return: MakeReturn, rows: dict[str, int]) -> Kit:
    return Kit(campaign, make_return, rows)


@pytest.fixture
def returns_folder(valid_folder: Path, tmp_path: Path) -> Path:
    """A fresh copy of the 17 valid returns."""
    folder = tmp_path / "returns"
    shutil.copytree(valid_folder, folder)
    return folder


def cell_of(spec: str | None, rows: dict[str, int]) -> str | None:
    if spec is None or "@" not in spec:
        return spec
    column, target = spec.split("@")
    code, _, offset = target.partition("+")
    return f"{column}{rows[code] + int(offset or 0)}"


def expected_set(case: Case, rows: dict[str, int]) -> set[Expect]:
    return {(slug, cell_of(spec, rows), item) for slug, spec, item in case.expect}


def found_set(problems: list[Problem]) -> set[Expect]:
    return {(p.slug, p.cell, p.item) for p in problems}


def assert_messages_vietnamese(problems: list[Problem]) -> None:
    for p in problems:
        assert p.message.strip(), p
        assert unicodedata.is_normalized("NFC", p.message), p.message
        assert p.slug in SLUGS


def test_case_table_covers_the_catalogue_of_item_rules(campaign: Campaign) -> None:
    """The items the cases rely on still have the rules the cases assume."""
    leaves = {leaf.code: leaf for leaf in campaign.department_by_id[DEPT].items}
    assert leaves[CHOICE].allowed_points() == [Decimal(1), Decimal("0.5"), Decimal(0)]
    assert leaves[CHOICE].evidence_required and not leaves[CHOICE].not_applicable
    assert leaves[SCALE].allowed_points() is None and leaves[SCALE].rule.step == Decimal("0.25")
    assert leaves[EXPLAINED].explanation_required
    assert campaign.owner_of[OTHER_DEPT_ITEM].id != DEPT
    assert {c.id for c in CASES} >= MERGE_CASES
    assert len({c.id for c in CASES}) == len(CASES)
    assert expected_values(campaign.department_by_id[DEPT])[CHOICE]["score"] == 1


# --- read_return on one file --------------------------------------------------------------------


@pytest.mark.parametrize("case", _params(CASES))
def test_read_return(case: Case, kit: Kit, campaign: Campaign, rows: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "one" / case.name
    case.build(kit, path)
    before = path.read_bytes()
    result = read_return(path, campaign)

    assert found_set(result.problems) == expected_set(case, rows)
    for p in result.problems:
        assert p.file == case.name
        if p.cell is not None:
            assert p.sheet == SCORES
        if p.item is not None or p.cell is not None:
            assert p.department == DEPT
    assert_messages_vietnamese(result.problems)
    if case.hint is not None:
        assert any(case.hint in p.message for p in result.problems), [p.message for p in result.problems]
    assert path.read_bytes() == before
    for code, value in case.scores.items():
        entry = result.items.get(code)
        if value is None:
            assert entry is None or not entry.accepted
        else:
            assert entry is not None and entry.accepted
            assert entry.score == value and type(entry.score) is Decimal
    if case.status == "ok":
        assert result.errors == 0 and result.usable and result.department_id == DEPT


# --- the same file among 16 valid returns -------------------------------------------------------


@pytest.mark.parametrize("case", _params([c for c in CASES if c.id in MERGE_CASES]))
def test_merge_keeps_the_others(
    case: Case, kit: Kit, campaign: Campaign, rows: dict[str, int], returns_folder: Path
) -> None:
    (returns_folder / FILE).unlink()
    case.build(kit, returns_folder / case.name)
    before = copy_tree_bytes(returns_folder)

    result = merge_returns(campaign, returns_folder)

    assert copy_tree_bytes(returns_folder) == before
    statuses = {d.department.id: d.status for d in result.departments}
    assert statuses.pop(DEPT) == case.status
    assert set(statuses.values()) == {"ok"}
    assert len(statuses) == 16
    mine = [p for p in result.problems if p.file == case.name]
    assert found_set(mine) == expected_set(case, rows)
    if case.hint is not None:
        assert any(case.hint in p.message for p in mine)
    rest = [p for p in result.problems if p.file != case.name]
    assert found_set(rest) == ({("missing-return", None, None)} if case.status == "missing" else set())
    assert_messages_vietnamese(result.problems)
    for code, value in case.scores.items():
        assert result.item_rows()[code].score == value
    if case.status == "ok":
        assert result.ok


# --- folder-level cases -------------------------------------------------------------------------


def test_same_department_twice(make_return: MakeReturn, campaign: Campaign, returns_folder: Path) -> None:
    copy = "PL01-so-noi-vu (1).xlsx"
    make_return(DEPT, returns_folder, {CHOICE: {"score": 0.5, "explanation": LOST}}, copy)
    before = copy_tree_bytes(returns_folder)

    result = merge_returns(campaign, returns_folder)

    assert copy_tree_bytes(returns_folder) == before
    dept = next(d for d in result.departments if d.department.id == DEPT)
    assert dept.status == "duplicate"
    assert sorted(dept.files) == sorted([FILE, copy])
    dupes = [p for p in result.problems if p.slug == "duplicate-return"]
    assert sorted(p.file for p in dupes) == sorted([FILE, copy])
    assert all(p.department == DEPT and p.is_error for p in dupes)
    assert [p for p in result.problems if p.slug != "duplicate-return"] == []
    assert_messages_vietnamese(result.problems)
    for leaf in campaign.department_by_id[DEPT].items:
        item = result.item_rows()[leaf.code]
        assert item.score is None and item.file is None
        assert item.status == "Trùng phiếu – chưa dùng"
    assert dept.score == 0
    assert {d.status for d in result.departments if d.department.id != DEPT} == {"ok"}
    assert not result.ok


def test_lock_files_are_ignored_and_a_pdf_is_reported(campaign: Campaign, returns_folder: Path) -> None:
    excel_lock = "~$PL01-so-noi-vu.xlsx"
    lo_lock = ".~lock.PL01-so-noi-vu.xlsx#"
    (returns_folder / excel_lock).write_bytes(b"\x0bNguyen Van A" + b"\x20" * 40 + b"\0" * 110)
    (returns_folder / lo_lock).write_text("Nguyễn Văn A,may-tinh,may-tinh,20/12/2023 08:00,file:///C:/;", "utf-8")
    (returns_folder / "Công văn gửi kèm.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n")
    before = copy_tree_bytes(returns_folder)

    result = merge_returns(campaign, returns_folder)

    assert copy_tree_bytes(returns_folder) == before
    assert sorted(result.ignored) == sorted([excel_lock, lo_lock])
    assert len(result.returns) == 17
    assert found_set(result.problems) == {("not-a-return", None, None)}
    (pdf,) = result.problems
    assert pdf.file == "Công văn gửi kèm.pdf" and not pdf.is_error
    assert_messages_vietnamese(result.problems)
    assert all(d.status == "ok" for d in result.departments)
    assert result.ok


def test_content_far_below_reads_fast(
    kit: Kit, campaign: Campaign, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / FILE
    edited(_far_below)(kit, path)
    built: list[int] = []
    real_row = xlsx_open._CalamineSheet._row

    def counting_row(self: Any, raw: list[Any], row: int, *args: Any) -> tuple[Any, ...]:
        built.append(row)
        return real_row(self, raw, row, *args)

    monkeypatch.setattr(xlsx_open._CalamineSheet, "_row", counting_row)
    result = read_return(path, campaign)
    # not a speed test (that is `make bench`): the reader stops at the table instead of walking 100,000 empty rows
    assert built and max(built) < 1_000, max(built or [0])
    assert result.errors == 0 and len(result.items) == len(campaign.department_by_id[DEPT].items)
    assert [p.cell for p in result.problems if p.slug == "content-below-table"] == ["A100000"]


def test_nfd_explanation_is_stored_nfc(kit: Kit, campaign: Campaign, tmp_path: Path) -> None:
    path = kit.fill(tmp_path / FILE, {CHOICE: {"explanation": NFD_TEXT}})
    result = read_return(path, campaign)
    explanation = result.items[CHOICE].explanation
    assert explanation == unicodedata.normalize("NFC", NFD_TEXT)
    assert unicodedata.is_normalized("NFC", explanation)


@pytest.mark.parametrize("as_formula", [False, True], ids=["typed-as-text", "typed-as-formula"])
def test_text_from_returns_stays_text_in_the_consolidated_workbook(
    as_formula: bool, kit: Kit, campaign: Campaign, rows: dict[str, int], returns_folder: Path, tmp_path: Path
) -> None:
    (returns_folder / FILE).unlink()
    build = (
        filled({CHOICE: {"explanation": FORMULA_TEXT}}) if as_formula else edited(_string_cell(CHOICE, 5, FORMULA_TEXT))
    )
    build(kit, returns_folder / FILE)
    before = copy_tree_bytes(returns_folder)

    result = merge_returns(campaign, returns_folder)
    out = tmp_path / "tong-hop.xlsx"
    write_consolidated(result, out)

    assert copy_tree_bytes(returns_folder) == before
    assert result.item_rows()[CHOICE].explanation == FORMULA_TEXT
    ws = load_workbook(out)["Tổng hợp"]
    header = next(r for r in ws.iter_rows(max_row=10) if any(c.value == "Giải trình" for c in r))
    col = {c.value: c.column for c in header}
    row = next(r[0].row for r in ws.iter_rows(min_row=header[0].row + 1) if r[0].value == CHOICE)
    cell = ws.cell(row=row, column=col["Giải trình"])
    assert cell.data_type == "s"
    assert cell.value == FORMULA_TEXT


def _outcome(result: ReturnResult) -> tuple[Any, ...]:
    items = {
        code: (e.score, e.not_applicable, e.explanation, e.evidence, e.accepted) for code, e in result.items.items()
    }
    return (result.department_id, result.usable, result.sent_date, items, [p.to_dict() for p in result.problems])


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_fast_and_openpyxl_paths_agree(case: Case, kit: Kit, campaign: Campaign, tmp_path: Path) -> None:
    """Issue 8: the calamine fast path gives exactly what the openpyxl path gives, case by case."""
    path = tmp_path / "one" / case.name
    case.build(kit, path)
    assert _outcome(read_return(path, campaign, fast=True)) == _outcome(read_return(path, campaign, fast=False))
