"""Import the annex table of an official decision (.docx) into a catalogue, naming every doubt by row.

Each year the Ministry's decision (and a province's own unit-level set) arrives
as a Word document whose annex is a table: order number, title, maximum points
and the scoring rule written as prose lines such as "Ban hành đúng thời hạn:
0,5 điểm; Ban hành chậm: 0 điểm".  :func:`read_annex` reads the largest table
with a points column (python-docx; merged cells read once, multi-line cells
kept), builds the tree from the numbering (``I.`` a field, ``1.`` a criterion,
``1.1`` or ``a)`` a component criterion), parses the rules it can into choice
or scale rules (:func:`parcli.catalogue_table.cells.parse_rule`) and names
every row it could not read, nothing guessed silently.  Every node carries
``source`` (file and row) and ``verified: false``.

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

from parcli.catalogue_table.cells import TableProblem, parse_rule
from parcli.catalogue_table.layout import COLUMNS, INFO_FIELDS, NO, SCORED_BY_LABELS, SHEET_INFO, SHEET_TABLE
from parcli.errors import CatalogueError, InputNotFoundError

REVIEW_HEADER = "Cần xem lại"
_ROMAN = re.compile(r"^(?=[IVXLC]+\b)(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})\s*[.)]?$")
_ARABIC = re.compile(r"^(\d+)\s*[.)]?$")
_SUB = re.compile(r"^(\d+)\.(\d+)\s*[.)]?$|^([a-zđ])\s*[.)]$", re.IGNORECASE)
_POINTS = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?\s*\.?\s*$", re.IGNORECASE)
_LABEL_POINTS = re.compile(
    r"^[-•+*]?\s*(.+?)\s*[:：]\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)\s*\.?$", re.IGNORECASE | re.DOTALL
)
_SURVEY = re.compile(r"điều tra xã hội học|\bXHH\b", re.IGNORECASE)


@dataclass
class AnnexRow:
    """One node read from the annex: its table values (keys of :data:`COLUMNS`) and its doubts."""

    row: int  # 1-based row of the Word table
    level: int  # 1 field, 2 criterion, 3 component
    values: dict[str, Any]
    doubts: list[str] = field(default_factory=list)
    children: list[AnnexRow] = field(default_factory=list)


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


def _cell_texts(row: Any, previous: list[Any]) -> tuple[list[str], list[Any]]:
    """The text of each grid column; a cell merged with the one to its left or above reads as blank."""
    texts: list[str] = []
    cells = list(row.cells)
    seen: set[int] = set()
    for index, cell in enumerate(cells):
        tc = cell._tc
        above = previous[index] if index < len(previous) else None
        if id(tc) in seen or tc is above:
            texts.append("")
        else:
            texts.append("\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        seen.add(id(tc))
    return texts, [c._tc for c in cells]


def _columns(header: list[str]) -> dict[str, int] | None:
    """Map the header cells to number, title, points and rule columns; None if this is not a header."""
    found: dict[str, int] = {}
    for index, text in enumerate(header):
        key = " ".join(text.split()).casefold()
        if not key:
            continue
        if "number" not in found and (key in ("tt", "stt", "mã", "số tt", "số thứ tự") or key.startswith("stt")):
            found["number"] = index
        elif "points" not in found and "điểm" in key and ("tối đa" in key or key in ("điểm", "điểm chuẩn")):
            found["points"] = index
        elif "rule" not in found and ("cách chấm" in key or "hướng dẫn" in key or "phương pháp" in key):
            found["rule"] = index
        elif "title" not in found and ("nội dung" in key or "tiêu chí" in key or "lĩnh vực" in key):
            found["title"] = index
    return found if {"number", "title", "points"} <= found.keys() else None


def _level(number: str) -> int | None:
    number = number.strip()
    if _ROMAN.match(number):
        return 1
    if _ARABIC.fullmatch(number):
        return 2
    if _SUB.fullmatch(number):
        return 3
    return None


def _not_a_docx(path: Path) -> str | None:
    """Why ``path`` is not a Word .docx (empty, an old .doc, a password, another file renamed), or None."""
    import zipfile

    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        from parcli.errors import os_reason

        return f"không đọc được tệp: {os_reason(exc)}"
    if not head:
        return "tệp rỗng (0 byte); đề nghị lấy lại tệp phụ lục"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            "tệp là văn bản Word cũ (.doc) hoặc được đặt mật khẩu; đề nghị mở trong Word, bỏ mật khẩu nếu có, "
            "và lưu lại dạng .docx"
        )
    if head.startswith(b"%PDF"):
        return "tệp là PDF, không phải Word .docx; đề nghị dùng bản .docx của phụ lục"
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "tệp không phải văn bản Word .docx (hoặc bị hỏng, tải về chưa trọn); đề nghị lấy lại tệp phụ lục"
    if "word/document.xml" not in names:
        kind = "bảng tính Excel" if "xl/workbook.xml" in names else "một loại tệp khác"
        return f"tệp có đuôi .docx nhưng thực chất là {kind}; đề nghị dùng đúng tệp Word của phụ lục"
    return None


def read_annex(path: Path) -> AnnexImport:
    """Read the annex table of ``path`` (.docx) into rows, the tree and its doubts (see the module docstring)."""
    import docx

    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(f"Không tìm thấy tệp {path}.")
    why = _not_a_docx(path)
    if why is not None:
        raise CatalogueError(path.name, [why])
    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx and lxml raise many kinds, in their own words, for a damaged file
        raise CatalogueError(
            path.name,
            [
                "nội dung tệp Word bị hỏng hoặc không an toàn nên không đọc được; đề nghị mở tệp trong Word, lưu lại "
                "dạng .docx rồi nhập lại"
            ],
        ) from None
    best: tuple[Any, dict[str, int], int] | None = None
    for table in document.tables:
        previous: list[Any] = []
        for index, row in enumerate(table.rows[:5]):
            texts, previous = _cell_texts(row, previous)
            columns = _columns(texts)
            if columns is not None and (best is None or len(table.rows) > len(best[0].rows)):
                best = (table, columns, index)
                break
    if best is None:
        raise CatalogueError(
            path.name, ["không tìm thấy bảng tiêu chí (cần các cột: STT, Nội dung/Tiêu chí, Điểm tối đa)"]
        )
    table, columns, header_row = best
    body = "\n".join(p.text for p in document.paragraphs)
    return _build(path.name, table, columns, header_row, body)


def _build(file: str, table: Any, columns: dict[str, int], header_row: int, body: str) -> AnnexImport:
    rows: list[AnnexRow] = []
    problems: list[TableProblem] = []
    fields: list[AnnexRow] = []
    counts = [0, 0, 0]
    previous: list[Any] = []
    for index, row in enumerate(table.rows):
        texts, previous = _cell_texts(row, previous)
        if index <= header_row:
            continue

        def cell(key: str, texts: list[str] = texts) -> str:
            col = columns.get(key)
            return texts[col] if col is not None and col < len(texts) else ""

        number, title = cell("number"), " ".join(cell("title").split())
        if not number and not title:
            continue
        where = index + 1
        level = _level(number)
        node = AnnexRow(row=where, level=level or 0, values={"title": title})
        if level is None:
            problems.append(TableProblem(f"dòng {where}: số thứ tự “{number}” không đọc được", row=where))
            continue
        if (level > 1 and not fields) or (level == 3 and not fields[-1].children):
            problems.append(TableProblem(f"dòng {where}: “{number}” không có mục cha", row=where))
            continue
        counts[level - 1] += 1
        counts[level:] = [0] * (3 - level)
        parent = None if level == 1 else fields[-1] if level == 2 else fields[-1].children[-1]
        code = ".".join(str(n) for n in counts[:level])
        node.values.update(code=code, source=f"{file}, dòng {where} (số thứ tự “{number}”)", verified=False)
        points = _points(cell("points"))
        if points is None:
            node.doubts.append(f"không có điểm tối đa đọc được (“{cell('points')}”)")
        node.values["max_points"] = points
        if not title:
            node.doubts.append("không có nội dung")
        rule_text = cell("rule")
        if level > 1:
            node.values["rule_text"] = rule_text
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
                    f"dòng {node.row} (mục {node.values['code']}): {doubt}", item=node.values["code"], row=node.row
                )
            )
    info = _info(file, fields, body)
    if info["year"] is None:
        problems.append(TableProblem("không tìm thấy năm đánh giá (“năm 20..”) trong văn bản: ghi ở trang Thông tin"))
    return AnnexImport(file=file, info=info, rows=rows, problems=sorted(problems, key=lambda p: p.row))


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
