"""Import the annex table of an official decision (.docx or PDF) into a catalogue, naming every doubt by row.

Each year the Ministry's decision (and a province's own unit-level set) arrives
as a Word document, or as the PDF published on a portal, whose annex is a table:
order number, title, maximum points and the scoring rule written as prose lines
such as "Ban hành đúng thời hạn: 0,5 điểm; Ban hành chậm: 0 điểm".
:func:`read_annex` reads the table (Word: :mod:`~parcli.catalogue_table.annex_docx`;
PDF with a text layer: :mod:`~parcli.catalogue_table.annex_pdf`), takes the level
of each row from the numbering, whatever its style (``I.`` / ``1.`` / ``1.1``,
``1.`` / ``1.1.`` / ``1.1.1.``, ``I`` / ``1)`` / ``a)`` …; the structure decides
when styles mix: :mod:`~parcli.catalogue_table.annex_numbering`), counts the codes
anew, parses the rules it can into choice or scale rules
(:func:`parcli.catalogue_table.cells.parse_rule`) and names every row it could not
read, nothing guessed silently.  Every node carries ``source`` (file and row; for
a PDF page and row) and ``verified: false``.

The result is written as a review table in the layout of ``catalogue export``
(plus a column *Cần xem lại*), which ``catalogue import`` reads back once
corrected; when nothing is in doubt, the catalogue YAML as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from parcli.catalogue_table.annex_numbering import Outline
from parcli.catalogue_table.annex_source import AnnexSource, SourceRow
from parcli.catalogue_table.cells import TableProblem, parse_rule
from parcli.catalogue_table.layout import COLUMNS, INFO_FIELDS, NO, SCORED_BY_LABELS, SHEET_INFO, SHEET_TABLE
from parcli.errors import CatalogueError, InputNotFoundError
from parcli.text import nfc
from parcli.xlsx.open import looks_legacy

REVIEW_HEADER = "Cần xem lại"
_POINTS = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?\s*\.?\s*$", re.IGNORECASE)
_LABEL_POINTS = re.compile(
    r"^[-•+*]?\s*(.+?)\s*[:：]\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)\s*\.?$", re.IGNORECASE | re.DOTALL
)
_SURVEY = re.compile(r"điều tra xã hội học|\bXHH\b", re.IGNORECASE)
_TOTAL = re.compile(r"(?:tổng\s*(?:cộng|số|điểm|số\s+điểm)?|cộng)\s*(?:\(.*\))?\s*:?$", re.IGNORECASE)
_COLUMN_INDEX = re.compile(r"\(?[0-9A-Za-z]{1,2}\)?")
_LEGACY = (
    "nội dung có vẻ được gõ bằng bảng mã cũ (TCVN3/VNI) nên hiển thị sai dấu: chuyển văn bản sang Unicode (ví dụ "
    "bằng Unikey) rồi nhập lại"
)
_TOO_DEEP = (
    "là mục cấp thứ tư (dưới tiêu chí thành phần) nhưng bộ tiêu chí chỉ có ba cấp (lĩnh vực, tiêu chí, tiêu chí "
    "thành phần): gộp vào mục trên (ghi ở Cách chấm hoặc Hướng dẫn) hoặc sửa số thứ tự"
)


@dataclass
class AnnexRow:
    """One node read from the annex: its table values (keys of :data:`COLUMNS`) and its doubts."""

    row: int  # the order of the row in the table (1-based row of a Word table)
    level: int  # 1 field, 2 criterion, 3 component
    values: dict[str, Any]
    doubts: list[str] = field(default_factory=list)
    children: list[AnnexRow] = field(default_factory=list)
    where: str = ""  # “dòng 12”, or “trang 3, dòng 7” in a PDF


@dataclass
class AnnexImport:
    """What :func:`read_annex` read: the rows, the catalogue's own fields, the doubts by row."""

    file: str
    info: dict[str, Any]
    rows: list[AnnexRow]
    problems: list[TableProblem]

    @property
    def clean(self) -> bool:
        """True when no row is in doubt."""
        return not self.problems


def _points(text: str) -> Decimal | None:
    match = _POINTS.fullmatch(text)
    if match is None:
        return None
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None


def annex_rule(text: str) -> dict[str, Any] | None:
    """A rule written as in the decisions (“Đúng hạn: 0,5 điểm; Chậm: 0 điểm”) or as in the table; None if prose."""
    parts = [p.strip() for p in (text.split("\n") if "\n" in text else text.split(";")) if p.strip()]
    options: list[str] = []
    for part in parts:
        match = _LABEL_POINTS.fullmatch(part.rstrip(";"))
        if match is None:
            options = []
            break
        options.append(f"{match.group(2)}: {match.group(1)}")
    candidate = "\n".join(options) if len(options) >= 2 else text
    try:
        return parse_rule(candidate)
    except ValueError:
        return None


def _is_pdf(path: Path) -> bool:
    """True when the file is a PDF, whatever its name (a PDF may have a few bytes before ``%PDF-``)."""
    try:
        with path.open("rb") as handle:
            return b"%PDF-" in handle.read(1024)
    except OSError:
        return False


def read_annex(path: Path) -> AnnexImport:
    """Read the annex table of ``path`` (.docx, or a PDF with a text layer) into rows, the tree and its doubts."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(f"Không tìm thấy tệp {path}.")
    if _is_pdf(path):
        from parcli.catalogue_table.annex_pdf import read_pdf

        source = read_pdf(path)
    else:
        if path.suffix.casefold() == ".pdf":
            raise CatalogueError(
                path.name,
                ["tệp có đuôi .pdf nhưng không phải PDF (có thể tải về chưa trọn hoặc là trang web); đề nghị tải lại"],
            )
        from parcli.catalogue_table.annex_docx import read_docx

        source = read_docx(path)
    return _build(source)


def _is_column_index(line: SourceRow) -> bool:
    """A row that numbers the columns under the header: ``(1) | (2) | (3) | (4)`` or ``A | B | 1 | 2``."""
    cells = [line.cell(key).strip() for key in ("number", "title", "points")]
    return bool(cells[1]) and all(_COLUMN_INDEX.fullmatch(text or "1") for text in cells)


def _build(source: AnnexSource) -> AnnexImport:
    """The tree from the rows: the level of each row from the numbering (:class:`Outline`), codes counted anew."""
    file = source.file
    rows: list[AnnexRow] = []
    problems: list[TableProblem] = list(source.problems)
    fields: list[AnnexRow] = []
    totals: list[SourceRow] = []
    counts = [0, 0, 0]
    outline = Outline()
    for line in source.rows:
        # a number never holds a space: a narrow column wraps “1.1.10.” as “1.1.1” and “0.”
        number, title = "".join(line.cell("number").split()), " ".join(line.cell("title").split())
        if (not number and not title) or _is_column_index(line):
            continue
        if not number and _TOTAL.match(title):
            totals.append(line)
            continue
        placed = outline.place(number)
        level = placed.level
        if level is None:
            problems.append(TableProblem(f"{line.where}: {placed.doubt}", row=line.index))
            continue
        if level > 3:
            problems.append(TableProblem(f"{line.where}: “{number}” {_TOO_DEEP}", row=line.index))
            continue
        if (level > 1 and not fields) or (level == 3 and not fields[-1].children):  # pragma: no cover - by Outline
            problems.append(TableProblem(f"{line.where}: “{number}” không có mục cha", row=line.index))
            continue
        counts[level - 1] += 1
        counts[level:] = [0] * (3 - level)
        parent = None if level == 1 else fields[-1] if level == 2 else fields[-1].children[-1]
        code = ".".join(str(n) for n in counts[:level])
        node = AnnexRow(row=line.index, level=level, values={"title": title}, where=line.where)
        if placed.doubt is not None:
            node.doubts.append(placed.doubt)
        node.values.update(code=code, source=f"{file}, {line.where} (số thứ tự “{number}”)", verified=False)
        points = _points(line.cell("points"))
        if points is None:
            node.doubts.append(f"không có điểm tối đa đọc được (“{line.cell('points')}”)")
        node.values["max_points"] = points
        if not title:
            node.doubts.append("không có nội dung")
        elif looks_legacy(title):
            node.doubts.append(_LEGACY)
        if level > 1:
            node.values["rule_text"] = line.cell("rule")
        (fields if parent is None else parent.children).append(node)
        rows.append(node)
    for f in fields:
        for c in f.children:
            for leaf in c.children or [c]:
                _leaf_values(leaf)
            _check_sum(c)
        _check_sum(f)
    for node in rows:
        node.values.pop("rule_text", None)
        for doubt in node.doubts:
            problems.append(
                TableProblem(
                    f"{node.where} (mục {node.values['code']}): {doubt}", item=node.values["code"], row=node.row
                )
            )
    problems += _check_totals(totals, fields)
    info = _info(file, fields, nfc(source.body))
    if info["year"] is None:
        problems.append(TableProblem("không tìm thấy năm đánh giá (“năm 20..”) trong văn bản: ghi ở trang Thông tin"))
    return AnnexImport(file=file, info=info, rows=rows, problems=sorted(problems, key=lambda p: p.row))


def _check_totals(totals: list[SourceRow], fields: list[AnnexRow]) -> list[TableProblem]:
    """A total row (“Tổng cộng”) is no node: its points must be the fields' sum."""
    found: list[TableProblem] = []
    points = [f.values["max_points"] for f in fields]
    total = sum((p for p in points if p is not None), Decimal(0))
    for line in totals:
        written = _points(line.cell("points"))
        if written is None:
            found.append(TableProblem(f"{line.where}: dòng tổng không có số điểm đọc được", row=line.index))
        elif None not in points and written != total:
            message = f"{line.where}: dòng tổng ghi {written} điểm, các lĩnh vực cộng lại {total}"
            found.append(TableProblem(message, row=line.index))
    return found


def _leaf_values(leaf: AnnexRow) -> None:
    text = leaf.values.get("rule_text") or ""
    survey = bool(_SURVEY.search(text) or _SURVEY.search(leaf.values["title"]))
    leaf.values["scored_by"] = "survey" if survey else "self"
    if survey:
        return
    rule = annex_rule(text) if text else None
    if rule is None:
        leaf.doubts.append(
            "cách chấm chỉ là lời văn, chưa tách được thành các mức điểm" if text else "không có cách chấm"
        )
        leaf.values["guidance"] = text or None
    else:
        leaf.values["rule"] = rule
        best = max((Decimal(o["points"]) for o in rule.get("options", [])), default=None)
        if best is not None and leaf.values["max_points"] is not None and best != leaf.values["max_points"]:
            leaf.doubts.append("mức điểm cao nhất của cách chấm khác điểm tối đa")


def _check_sum(node: AnnexRow) -> None:
    points = [c.values["max_points"] for c in node.children]
    if not node.children or node.values["max_points"] is None or any(p is None for p in points):
        return
    total = sum(points, Decimal(0))
    if total != node.values["max_points"]:
        node.doubts.append(f"điểm các mục con cộng lại {total} khác điểm tối đa {node.values['max_points']}")


def _info(file: str, fields: list[AnnexRow], body: str) -> dict[str, Any]:
    year = re.search(r"năm\s+(20\d\d)", body)
    decision = re.search(r"Quyết định(?: số)?\s+[^\n,;]+", body)
    self_total = survey_total = Decimal(0)
    for f in fields:
        for c in f.children:
            for leaf in c.children or [c]:
                points = leaf.values["max_points"] or Decimal(0)
                if leaf.values.get("scored_by") == "survey":
                    survey_total += points
                else:
                    self_total += points
    stem = re.sub(r"[^a-z0-9]+", "-", Path(file).stem.casefold()).strip("-") or "annex"
    return {
        "id": stem,
        "title": f"Bộ tiêu chí nhập từ {file}",
        "year": int(year.group(1)) if year else None,
        "decision": decision.group(0).strip() if decision else f"? (xem {file})",
        "total_points": sum((f.values["max_points"] or Decimal(0) for f in fields), Decimal(0)),
        "self_points": self_total,
        "survey_points": survey_total,
        "source": file,
        "verified": False,
    }


def write_review_table(result: AnnexImport, out: Path) -> None:
    """Write the review table: the layout of ``catalogue export`` plus *Cần xem lại* (the doubts of each row)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from parcli.catalogue_table.export import rule_text
    from parcli.config.catalogue import ChoiceRule, ScaleRule
    from parcli.xlsx.write import cell_number, save_openpyxl

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TABLE
    headers = [label for label, _k, _w in COLUMNS] + [REVIEW_HEADER]
    ws.append(headers)
    for c, (_label, _key, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, c).column_letter].width = width
    ws.column_dimensions[ws.cell(1, len(headers)).column_letter].width = 60
    for cell in ws[1]:
        cell.font = Font(bold=True)
    doubt_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    # one row appended per node, its cells styled by row number: ``ws.max_row`` scans every cell (quadratic)
    for row_number, node in enumerate(result.rows, start=2):
        v = node.values
        rule = v.get("rule")
        model: ChoiceRule | ScaleRule | None = None
        if rule is not None:
            model = ChoiceRule.model_validate(rule) if rule["kind"] == "choice" else ScaleRule.model_validate(rule)
        leaf = "scored_by" in v
        line = {
            "code": v["code"],
            "title": v["title"],
            "max_points": cell_number(v["max_points"]) if v["max_points"] is not None else None,
            "scored_by": SCORED_BY_LABELS[v["scored_by"]] if leaf else None,
            "rule": rule_text(model),
            "guidance": v.get("guidance"),
            "evidence_required": NO if leaf else None,
            "explanation_required": NO if leaf else None,
            "not_applicable": NO if leaf else None,
            "source": v["source"],
            "verified": NO,
        }
        ws.append([line[key] for _l, key, _w in COLUMNS] + ["\n".join(node.doubts) or None])
        for column in range(1, len(headers) + 1):
            cell = ws.cell(row_number, column)
            cell.alignment = wrap
            if node.doubts:
                cell.fill = doubt_fill
    ws.freeze_panes = "C2"
    info = wb.create_sheet(SHEET_INFO)
    info.append(["Trường", "Giá trị", "Ý nghĩa"])
    for key, meaning in INFO_FIELDS:
        value = result.info.get(key)
        if isinstance(value, Decimal):
            value = cell_number(value)
        elif isinstance(value, bool):
            value = "Có" if value else NO
        info.append([key, value, meaning])
    save_openpyxl(wb, out)


def import_annex(path: Path, review: Path) -> tuple[str | None, list[TableProblem]]:
    """Read an annex, write its review table to ``review`` and return ``(catalogue YAML or None, doubts)``.

    With no doubt, the review table goes through :func:`import_table`, so every
    check of ``catalogue import`` applies; its errors name the review table's cells.
    """
    from parcli.catalogue_table.cells import CatalogueTableError
    from parcli.catalogue_table.import_ import import_table

    result = read_annex(path)
    write_review_table(result, review)
    if not result.clean:
        return None, result.problems
    try:
        text, _warnings = import_table(review)
    except CatalogueTableError as exc:
        return None, exc.problems
    return text, []
