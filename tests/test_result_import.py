"""``parcli result import``: the Ministry's table read against the catalogue, every mismatch named by cell.

The Ministry's workbooks are written here byte by byte (a minimal SpreadsheetML package of inline strings,
numbers and formulas, as another program would write it), never by parcli's own writer.  Expected values
are computed from what the tests type.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import PROVINCE_SCOPE, Campaign
from parcli.jobs.result import ImportRequest, import_result
from parcli.results.compare import compare
from parcli.results.consolidated import Consolidated, ConsolidatedItem
from parcli.rounds.ministry.own import load_result
from parcli.rounds.ministry.read import read_ministry

runner = CliRunner()
HEADER = [
    "STT",
    "Tiêu chí",
    "Điểm tối đa",
    "Điểm tự chấm",
    "Điểm thẩm định",
    "Ghi chú của đơn vị",
    "Ghi chú của thẩm định",
]


@dataclass(frozen=True)
class Formula:
    """A formula cell with its cached value."""

    text: str
    cached: float


def column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        return f'<c r="{ref}"><f>{escape(value.text)}</f><v>{value.cached}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def write_xlsx(path: Path, sheets: list[tuple[str, list[list[Any]]]]) -> Path:
    """A minimal .xlsx: one worksheet per (name, rows); strings inline, numbers as numbers."""
    parts: dict[str, str] = {}
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )
    parts["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    names = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, 1)
    )
    parts["xl/workbook.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{names}</sheets></workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
    )
    for i, (_, rows) in enumerate(sheets, 1):
        body = "".join(
            f'<row r="{r}">' + "".join(_cell(f"{column(c)}{r}", v) for c, v in enumerate(row, 1)) + "</row>"
            for r, row in enumerate(rows, 1)
        )
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{body}</sheetData></worksheet>"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def ministry_rows(
    campaign: Campaign,
    appraised: dict[str, Any] | None = None,
    *,
    numbering: str = "dotted",
    survey: bool = True,
) -> list[list[Any]]:
    """The rows of a Ministry-like items table (fields, criteria and items), every self item at full points
    unless ``appraised`` says otherwise; the self-assessed column at full points."""
    cat = campaign.catalogue
    appraised = appraised or {}
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    rows: list[list[Any]] = []
    for f_index, field in enumerate(cat.model.fields):
        rows.append([f"{roman[f_index]}." if numbering == "decision" else field.code, field.title.upper(),
                     num(field.max_points)])  # fmt: skip
        for c_index, criterion in enumerate(field.criteria, 1):
            rows.append([f"{c_index}." if numbering == "decision" else criterion.code, criterion.title,
                         num(criterion.max_points)])  # fmt: skip
            for k_index, leaf in enumerate(cat.leaves_under(criterion.code)):
                if not leaf.is_self and not survey:
                    continue
                code = f"{'abcdeghik'[k_index]})" if numbering == "decision" else leaf.code
                points = appraised.get(leaf.code, num(leaf.max_points) if leaf.is_self else "Điều tra XHH")
                rows.append([code, leaf.title, num(leaf.max_points), num(leaf.max_points) if leaf.is_self else None,
                             points, None, None])  # fmt: skip
    return rows


def ministry_book(path: Path, campaign: Campaign, appraised: dict[str, Any] | None = None, **kw: Any) -> Path:
    """A Ministry workbook: a title block, the header at row 4, the rows; an unrelated first sheet."""
    rows = [["BỘ NỘI VỤ"], ["KẾT QUẢ THẨM ĐỊNH"], [], HEADER, *ministry_rows(campaign, appraised, **kw)]
    return write_xlsx(path, [("Ghi chú", [["Bảng xuất từ phần mềm"]]), ("Kết quả", rows)])


def row_of(campaign: Campaign, code: str) -> int:
    """The sheet row of an item in :func:`ministry_book` (header at row 4)."""
    rows = ministry_rows(campaign)
    return 5 + next(i for i, r in enumerate(rows) if r[0] == code)


# --- reading -------------------------------------------------------------------------------------------


def test_items_table_at_any_offset_is_recorded_with_its_identity(campaign: Campaign, tmp_path: Path) -> None:
    cat = campaign.catalogue
    self_leaves = [leaf for leaf in cat.leaves if leaf.is_self]
    given = {leaf.code: num(leaf.max_points / 2) for leaf in self_leaves[::5]}  # every fifth item at half
    source = ministry_book(tmp_path / "KET-QUA.xlsx", campaign, given)
    before = source.read_bytes()
    out = tmp_path / "ket-qua-bo-noi-vu.xlsx"
    produced = import_result(ImportRequest(source, out, campaign.path))
    assert produced.ok, [p.message for p in produced.imported.problems]  # type: ignore[union-attr]
    assert source.read_bytes() == before  # the Ministry's file is only read
    result = load_result(out)
    assert result.by_items and result.campaign_id == campaign.id and result.year == str(campaign.model.year)
    assert result.catalogue_hash == cat.content_hash
    assert result.source_file == "KET-QUA.xlsx"
    assert result.source_sha256 == hashlib.sha256(before).hexdigest()
    for leaf in self_leaves:
        expected = Decimal(str(given.get(leaf.code, num(leaf.max_points))))
        assert result.items[leaf.code].appraised == expected, leaf.code
        assert result.items[leaf.code].self_score == leaf.max_points
    for field in cat.model.fields:
        leaves = [leaf for leaf in cat.leaves_under(field.code) if leaf.is_self]
        total = sum((Decimal(str(given.get(leaf.code, num(leaf.max_points)))) for leaf in leaves), Decimal(0))
        figures = result.fields[field.code]
        assert figures.appraised == total
        assert figures.self_max == sum((leaf.max_points for leaf in leaves), Decimal(0))
        assert figures.survey is None  # the items table gives no survey points
    with zipfile.ZipFile(out) as book:  # every sheet protected
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        protected = [n for n in sheets if b"<sheetProtection" in book.read(n)]
    assert len(protected) >= 3


def test_numbering_as_a_decision_writes_it(campaign: Campaign, tmp_path: Path) -> None:
    """``I. / 1. / a)``: codes counted as the catalogue counts them."""
    leaf = next(leaf for leaf in campaign.catalogue.leaves if leaf.is_self)
    source = ministry_book(tmp_path / "kq.xlsx", campaign, {leaf.code: 0}, numbering="decision")
    found = read_ministry(source, campaign.catalogue)
    assert found.errors == 0, [p.message for p in found.problems]
    assert found.items[leaf.code].appraised == 0
    assert found.items[leaf.code].source_code == "a)"


def test_running_numbers_are_matched_by_title(campaign: Campaign, tmp_path: Path) -> None:
    leaves = [leaf for leaf in campaign.catalogue.leaves if leaf.is_self]
    rows = [
        [n, leaf.title, num(leaf.max_points), None, 0 if n == 3 else num(leaf.max_points)]
        for n, leaf in enumerate(leaves, 1)
    ]
    source = write_xlsx(tmp_path / "kq.xlsx", [("Sheet1", [HEADER[:5], *rows])])
    found = read_ministry(source, campaign.catalogue)
    assert found.errors == 0, [p.message for p in found.problems][:3]
    assert found.items[leaves[2].code].appraised == 0


def test_labels_as_other_tables_write_them(campaign: Campaign, tmp_path: Path) -> None:
    """The label "Mã" preferred to "STT", other labels, columns in another order, text numbers with a decimal comma."""
    leaves = [leaf for leaf in campaign.catalogue.leaves if leaf.is_self]
    header = ["Ý kiến thẩm định", "TT", "Mã", "Nội dung", "Điểm tự đánh giá", "Kết quả thẩm định", "Điểm tối đa"]
    rows = [
        ["Thiếu tài liệu" if i == 0 else None, i + 1, leaf.code, leaf.title, num(leaf.max_points),
         "0,25" if i == 0 else str(num(leaf.max_points)).replace(".", ","), num(leaf.max_points)]
        for i, leaf in enumerate(leaves)
    ]  # fmt: skip
    source = write_xlsx(tmp_path / "kq.xlsx", [("Sheet1", [[], header, *rows])])
    found = read_ministry(source, campaign.catalogue)
    assert found.errors == 0, [p.message for p in found.problems][:3]
    assert found.items[leaves[0].code].appraised == Decimal("0.25")
    assert found.items[leaves[0].code].note == "Thiếu tài liệu"
    assert found.has_self


def test_a_changed_code_through_the_mapping(campaign: Campaign, tmp_path: Path) -> None:
    """The Ministry's codes are last year's: two swapped, one renumbered; the mapping turns them into ours."""
    a, b, c = [leaf for leaf in campaign.catalogue.leaves if leaf.is_self][:3]
    rows = ministry_rows(campaign, {a.code: 0})
    codes = {a.code: b.code, b.code: a.code, c.code: "9.9.9"}  # ours → the Ministry's
    for row in rows:
        row[0] = codes.get(row[0], row[0])
    source = write_xlsx(tmp_path / "kq.xlsx", [("Kết quả", [HEADER, *rows])])
    mapping = tmp_path / "doi-chieu.csv"
    mapping.write_text(f"ma_cu,ma_moi\n{b.code},{a.code}\n{a.code},{b.code}\n9.9.9,{c.code}\n", encoding="utf-8")
    found = read_ministry(source, campaign.catalogue)
    assert "result-unknown-code" in {p.slug for p in found.problems}  # 9.9.9 without the mapping
    out = tmp_path / "kq-bo.xlsx"
    produced = import_result(ImportRequest(source, out, campaign.path, mapping))
    assert produced.imported is not None
    assert produced.ok, [p.message for p in produced.imported.problems]
    # a's row, written under b's code (the Ministry's), is mapped back to a: its points (0) are a's
    assert produced.imported.items[a.code].appraised == 0 and produced.imported.items[a.code].source_code == b.code
    assert produced.imported.items[b.code].appraised == b.max_points
    assert produced.imported.items[c.code].source_code == "9.9.9"
    result = load_result(out)
    assert result.metadata["mapping_file"] == "doi-chieu.csv"
    assert result.items[a.code].appraised == 0 and result.items[a.code].source_code == b.code


def _problems(campaign: Campaign, tmp_path: Path, rows: list[list[Any]]) -> list[Any]:
    source = write_xlsx(tmp_path / "kq.xlsx", [("Kết quả", [[], [], [], HEADER, *rows])])
    return read_ministry(source, campaign.catalogue).problems


def _mutate(rows: list[list[Any]], code: str, column_index: int, value: Any) -> list[list[Any]]:
    for row in rows:
        if row[0] == code:
            row[column_index] = value
    return rows


LEAF = "1.1.2"  # a self-assessed component criterion of the bundled catalogue


@pytest.mark.parametrize(
    ("change", "slug", "column_letter"),
    [
        (lambda rows: _mutate(rows, LEAF, 0, "9.9.9"), "result-unknown-code", "A"),
        (lambda rows: _mutate(rows, LEAF, 2, 7), "result-max-differs", "C"),
        (lambda rows: _mutate(rows, LEAF, 4, 99), "result-above-max", "E"),
        (lambda rows: _mutate(rows, LEAF, 4, -1), "result-below-zero", "E"),
        (lambda rows: _mutate(rows, LEAF, 4, "đạt"), "result-not-a-number", "E"),
        (lambda rows: _mutate(rows, LEAF, 4, Formula("C7*1", 1)), "result-formula", "E"),
        (lambda rows: _mutate(rows, LEAF, 4, None), "result-points-missing", "E"),
        (lambda rows: _mutate(rows, LEAF, 1, "Một nội dung hoàn toàn khác"), "result-title-differs", "B"),
    ],
)
def test_every_mismatch_is_named_by_cell(
    campaign: Campaign, tmp_path: Path, change: Any, slug: str, column_letter: str
) -> None:
    rows = change(ministry_rows(campaign))
    problems = _problems(campaign, tmp_path, rows)
    hits = [p for p in problems if p.slug == slug]
    assert hits, [p.slug for p in problems]
    assert hits[0].cell == f"{column_letter}{row_of(campaign, LEAF)}"
    assert hits[0].sheet == "Kết quả" and hits[0].file == "kq.xlsx"
    assert "Đề nghị" in hits[0].message or not hits[0].is_error


def test_an_item_left_out_and_a_duplicate(campaign: Campaign, tmp_path: Path) -> None:
    rows = [r for r in ministry_rows(campaign) if r[0] != LEAF]
    other = next(r for r in rows if r[0] == "1.2.1")
    rows.append(list(other))
    problems = _problems(campaign, tmp_path, rows)
    missing = [p for p in problems if p.slug == "result-item-missing"]
    assert [p.item for p in missing] == [LEAF]
    duplicate = [p for p in problems if p.slug == "result-duplicate-item"]
    assert [(p.item, p.cell) for p in duplicate] == [("1.2.1", f"A{4 + len(rows)}")]


def test_a_maximum_that_differs_still_counts_its_points(campaign: Campaign, tmp_path: Path) -> None:
    leaf = campaign.catalogue.leaf_by_code[LEAF]
    rows = _mutate(ministry_rows(campaign, {LEAF: 0}), LEAF, 2, num(leaf.max_points + 1))
    source = write_xlsx(tmp_path / "kq.xlsx", [("Kết quả", [HEADER, *rows])])
    out = tmp_path / "kq-bo.xlsx"
    result = runner.invoke(app, ["result", "import", str(source), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "result-max-differs" in result.output
    recorded = load_result(out)
    assert recorded.items[LEAF].appraised == 0
    assert recorded.items[LEAF].max_points == leaf.max_points  # the catalogue's
    assert "khác bộ tiêu chí" in recorded.items[LEAF].status


def test_not_applicable_and_survey_points(campaign: Campaign, tmp_path: Path) -> None:
    cat = campaign.catalogue
    survey = [leaf for leaf in cat.leaves if not leaf.is_self]
    given: dict[str, Any] = {LEAF: "Không áp dụng"}
    given |= {leaf.code: num(leaf.max_points / 2) for leaf in survey}
    found = read_ministry(ministry_book(tmp_path / "kq.xlsx", campaign, given), cat)
    assert found.errors == 0, [p.message for p in found.problems][:3]
    assert found.items[LEAF].not_applicable
    out = tmp_path / "kq-bo.xlsx"
    import_result(ImportRequest(tmp_path / "kq.xlsx", out, campaign.path))
    result = load_result(out)
    assert result.items[LEAF].not_applicable
    for field in cat.model.fields:
        halves = [leaf.max_points / 2 for leaf in cat.leaves_under(field.code) if not leaf.is_self]
        assert result.fields[field.code].survey == (sum(halves, Decimal(0)) if halves else None)


def fields_rows(campaign: Campaign, survey_share: Decimal = Decimal("0.5")) -> list[list[Any]]:
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    rows: list[list[Any]] = [["STT", "Lĩnh vực", "Điểm tối đa", "Điểm thẩm định", "Điểm điều tra XHH", "Tổng điểm"]]
    for i, field in enumerate(campaign.catalogue.model.fields):
        leaves = campaign.catalogue.leaves_under(field.code)
        own = sum((leaf.max_points for leaf in leaves if leaf.is_self), Decimal(0)) - Decimal(1)
        survey = sum((leaf.max_points for leaf in leaves if not leaf.is_self), Decimal(0)) * survey_share
        rows.append([roman[i], field.title, num(field.max_points), num(own), num(survey), num(own + survey)])
    return rows


def test_the_published_points_per_field(campaign: Campaign, tmp_path: Path) -> None:
    rows = fields_rows(campaign)
    source = write_xlsx(tmp_path / "qd.xlsx", [("Phụ lục", [["Kèm theo Quyết định"], *rows])])
    out = tmp_path / "kq-bo.xlsx"
    produced = import_result(ImportRequest(source, out, campaign.path))
    assert produced.ok, [p.message for p in produced.imported.problems]  # type: ignore[union-attr]
    result = load_result(out)
    assert not result.by_items
    for row, field in zip(rows[1:], campaign.catalogue.model.fields, strict=True):
        figures = result.fields[field.code]
        assert (figures.appraised, figures.survey) == (Decimal(str(row[3])), Decimal(str(row[4])))
        assert figures.total == Decimal(str(row[5]))
    assert all(i.appraised is None for i in result.items.values())


def test_fields_table_checked(campaign: Campaign, tmp_path: Path) -> None:
    rows = fields_rows(campaign)
    rows[2][5] = 999  # field II: a total above its maximum
    rows[3][5] = rows[3][3]  # field III: a total that is not appraised + survey
    del rows[8]  # field VIII left out
    source = write_xlsx(tmp_path / "qd.xlsx", [("Phụ lục", rows)])
    found = read_ministry(source, campaign.catalogue)
    seen = {(p.slug, p.item, p.cell) for p in found.problems}
    assert ("result-above-max", "2", "F3") in seen
    assert ("result-total-differs", "3", "F4") in seen
    assert ("result-field-missing", "8", None) in seen


def test_a_total_below_the_appraised_points_gives_no_survey_part(campaign: Campaign, tmp_path: Path) -> None:
    """Found by the fuzz (seed 377932524): a total lower than the appraised points, no survey column."""
    rows = [[r[0], r[1], r[2], r[3], r[5]] for r in fields_rows(campaign)]
    rows[1][4] = 0  # field I: total 0
    source = write_xlsx(tmp_path / "qd.xlsx", [("Phụ lục", rows)])
    out = tmp_path / "kq.xlsx"
    produced = import_result(ImportRequest(source, out, campaign.path))
    assert "result-total-differs" not in {p.slug for p in produced.imported.problems}  # type: ignore[union-attr]
    result = load_result(out)
    assert result.fields["1"].survey is None and result.fields["2"].survey == Decimal(str(rows[2][4] - rows[2][3]))


def test_both_tables_the_survey_from_the_decision_and_a_sum_checked(campaign: Campaign, tmp_path: Path) -> None:
    fields = fields_rows(campaign)
    items = ministry_rows(campaign, survey=False)
    source = write_xlsx(tmp_path / "kq.xlsx", [("Chi tiết", [HEADER, *items]), ("Tổng hợp", fields)])
    out = tmp_path / "kq-bo.xlsx"
    produced = import_result(ImportRequest(source, out, campaign.path))
    assert produced.imported is not None
    sums = [p for p in produced.imported.problems if p.slug == "result-field-sum-differs"]
    assert len(sums) == 8  # every field's appraised points are one point below the sum of its items
    result = load_result(out)
    assert result.by_items
    assert result.fields["1"].survey == Decimal(str(fields[1][4]))


@pytest.mark.parametrize("kind", ["consolidated", "not-a-workbook", "no-table"])
def test_what_is_not_the_ministrys_table(campaign: Campaign, tmp_path: Path, kind: str) -> None:
    out = tmp_path / "kq-bo.xlsx"
    if kind == "consolidated":
        source = write_xlsx(
            tmp_path / "tong-hop.xlsx", [("Tổng hợp", [HEADER]), ("parcli", [["kind", "parcli-consolidated"]])]
        )
        slug = "result-parcli-workbook"
    elif kind == "not-a-workbook":
        source = tmp_path / "kq.xlsx"
        source.write_bytes(b"%PDF-1.4 not a workbook")
        slug = "not-a-workbook"
    else:
        source = write_xlsx(tmp_path / "kq.xlsx", [("Sheet1", [["Tỉnh", "Điểm"], ["Hưng Yên", 80]])])
        slug = "header-missing"
    result = runner.invoke(app, ["result", "import", str(source), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert slug in result.output
    assert not out.exists()
    assert "đã được phát hành" not in result.output  # the advice asks for the Ministry's file, not a form


def test_an_existing_file_that_is_not_a_result_is_never_overwritten(campaign: Campaign, tmp_path: Path) -> None:
    source = ministry_book(tmp_path / "kq.xlsx", campaign)
    out = tmp_path / "ket-qua.xlsx"
    out.write_bytes(b"someone's own notes")
    result = runner.invoke(app, ["result", "import", str(source), "-o", str(out)])
    assert result.exit_code == 3, result.output
    assert out.read_bytes() == b"someone's own notes"
    out.unlink()
    assert runner.invoke(app, ["result", "import", str(source), "-o", str(out)]).exit_code == 0
    assert runner.invoke(app, ["result", "import", str(source), "-o", str(out)]).exit_code == 0  # its own: replaced
    assert runner.invoke(app, ["result", "import", str(out), "-o", str(tmp_path / "x.xlsx")]).exit_code == 1


def test_json_is_the_jobs_document(campaign: Campaign, tmp_path: Path) -> None:
    source = ministry_book(tmp_path / "kq.xlsx", campaign, {LEAF: 0})
    out, doc = tmp_path / "kq-bo.xlsx", tmp_path / "kq.json"
    result = runner.invoke(app, ["result", "import", str(source), "-o", str(out), "--json", str(doc)])
    assert result.exit_code == 0, result.output
    written = json.loads(doc.read_text(encoding="utf-8"))
    assert written["granularity"] == "items" and written["errors"] == 0
    assert (
        written["items"]["read"]
        == written["items"]["catalogue"]
        == sum(1 for leaf in campaign.catalogue.leaves if leaf.is_self)
    )
    own = sum((leaf.max_points for leaf in campaign.catalogue.leaves_under("1") if leaf.is_self), Decimal(0))
    leaf = campaign.catalogue.leaf_by_code[LEAF]
    assert Decimal(written["fields"][0]["appraised"]) == own - leaf.max_points


# --- fuzz: mutated Ministry workbooks are problems on the file, never a traceback ----------------------------

FUZZ_COUNT = int(os.environ.get("PARCLI_FUZZ", "36"))
FUZZ_SEED = int(os.environ.get("PARCLI_FUZZ_SEED", str(random.SystemRandom().randrange(1 << 30))))
GARBAGE: list[Any] = [
    "",
    " ",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "-0",
    "0,5,5",
    "1.2.3.4.5",
    "=SUM(A1:A9)",
    "Không áp dụng",
    "TRUE",
    "x" * 40_000,
    "\u0301\u0301",
    "I.",
    "a)",
    "(1)",
    "9.9.9",
    "0.1.1",
    "Tổng cộng",
    "01/02/2023",
    "１２",
    10**308,
    -1,
    0.1 + 0.2,
    1e-12,
    True,
    None,
    "Lĩnh vực",
    "STT",
    "Điểm thẩm định",
    "\t\n",
    "\u200b0,5",
]


def _mutant(rng: random.Random, campaign: Campaign, folder: Path, index: int) -> Path:
    """One mutated Ministry workbook: its cells garbled, rows moved or doubled, or its bytes damaged."""
    rows = [[], HEADER, *ministry_rows(campaign, {LEAF: 0})]
    fields = fields_rows(campaign)
    kind = rng.randrange(8)
    if kind in (0, 1):  # garbage into random cells (the header included)
        for _ in range(rng.randrange(1, 12)):
            row = rng.choice(rows[1:] if kind == 0 else [rows[1], *rows[1:4]])
            while len(row) < 7:
                row.append(None)
            row[rng.randrange(7)] = rng.choice(GARBAGE)
    elif kind == 2:  # rows doubled, dropped and shuffled
        body = rows[2:]
        rng.shuffle(body)
        rows = [rows[0], rows[1], *body[: rng.randrange(len(body))], *body[: rng.randrange(5)]]
    elif kind == 3:  # the fields table garbled, or its header dropped
        for _ in range(rng.randrange(1, 8)):
            row = rng.choice(fields)
            row[rng.randrange(len(row))] = rng.choice(GARBAGE)
    path = write_xlsx(folder / f"mutant-{index}.xlsx", [("Kết quả", rows), ("Lĩnh vực", fields)])
    data = bytearray(path.read_bytes())
    if kind == 4:  # bytes flipped
        for _ in range(rng.randrange(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 5:  # cut short
        data = data[: rng.randrange(len(data))]
    elif kind in (6, 7):  # a part removed, or a worksheet's XML cut or given a far dimension
        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        victim = rng.choice(sorted(parts))
        if kind == 6:
            del parts[victim]
        else:
            sheet = "xl/worksheets/sheet1.xml"
            xml = parts[sheet]
            parts[sheet] = (
                xml[: rng.randrange(len(xml))]
                if rng.random() < 0.5
                else xml.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
            )
        path.unlink()
        with zipfile.ZipFile(path, "w") as archive:
            for name, content in parts.items():
                archive.writestr(name, content)
        data = bytearray(path.read_bytes())
    path.write_bytes(bytes(data))
    return path


def test_fuzzed_ministry_workbooks_never_give_a_traceback(campaign: Campaign, tmp_path: Path) -> None:
    print(f"fuzz: {FUZZ_COUNT} mutants, PARCLI_FUZZ_SEED={FUZZ_SEED}")
    rng = random.Random(FUZZ_SEED)
    codes: dict[int, int] = {}
    rows = {
        leaf.code: ConsolidatedItem(
            leaf.code, leaf.max_points, "self", leaf.max_points, False, None, "", "", "", "", ""
        )
        for leaf in campaign.catalogue.leaves
        if leaf.is_self
    }
    full = Consolidated(Path("tong-hop.xlsx"), {"campaign_id": campaign.id}, {PROVINCE_SCOPE: rows})
    for index in range(FUZZ_COUNT):
        source = _mutant(rng, campaign, tmp_path / "in", index)
        out = tmp_path / "out" / f"kq-{index}.xlsx"
        doc = tmp_path / "out" / f"kq-{index}.json"
        out.parent.mkdir(exist_ok=True)
        result = runner.invoke(app, ["result", "import", str(source), "-o", str(out), "--json", str(doc)])
        assert result.exit_code in (0, 1), (FUZZ_SEED, index, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (FUZZ_SEED, index)
        codes[result.exit_code] = codes.get(result.exit_code, 0) + 1
        document = json.loads(doc.read_text(encoding="utf-8"))
        for problem in document["problems"]:
            assert problem["message"] and "Traceback" not in problem["message"], (FUZZ_SEED, index, problem)
        if out.exists():  # what parcli wrote reads back, and compares
            recorded = load_result(out)
            assert recorded.campaign_id == campaign.id
            compared = compare(campaign, full, recorded)
            assert compared["total"]["ministry"] <= compared["total"]["max"]
    print(f"fuzz: exit codes {codes}")
