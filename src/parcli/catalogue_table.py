"""The criteria catalogue as a spreadsheet table: export, import, YAML writing and the tree for ``show``.

Provinces publish their criteria as tables (annexes in Word or PDF).  A Sở Nội
vụ corrects the provisional catalogue in a table, not in YAML:

* :func:`export_table` writes a catalogue as a workbook with one row per node
  (sheet *Bộ tiêu chí*) and the catalogue's own fields (sheet *Thông tin*);
* :func:`import_table` reads such a table back, checks every cell, builds the
  catalogue YAML and runs it through :func:`parcli.config.catalogue.parse_catalogue`,
  so every load-time check applies; every problem is reported by cell
  (``bang.xlsx › Bộ tiêu chí › C12 (mục 1.2.3): …``), never by YAML path;
* :func:`dump_catalogue_yaml` writes YAML in the style of the bundled file;
* :func:`catalogue_tree` and :func:`level_totals` are what ``parcli catalogue show`` prints.

The level of a row comes from the depth of its code: ``1`` a field,
``1.2`` a criterion, ``1.2.3`` a component criterion.  openpyxl is imported
inside the functions that need it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from parcli.config.catalogue import (
    CATALOGUE_SCHEMA,
    Catalogue,
    CatalogueModel,
    ChoiceRule,
    Component,
    Criterion,
    FieldNode,
    ScaleRule,
    parse_catalogue,
)
from parcli.errors import CatalogueError, InputNotFoundError
from parcli.files import atomic_path
from parcli.numbers import fmt_points, normalise
from parcli.rounds.scoring import layout

# --- the table layout ------------------------------------------------------------------------
SHEET_TABLE = "Bộ tiêu chí"
SHEET_INFO = "Thông tin"

YES = "Có"
NO = "Không"
SCORED_BY_LABELS: dict[str, str] = {"self": "Tự đánh giá", "survey": "Điều tra XHH"}
SCALE_LABEL = "Thang điểm"

# (header label, catalogue key, column width); the order is the order of the exported columns.
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("Mã", "code", 9),
    ("Nội dung", "title", 50),
    ("Điểm tối đa", "max_points", 10),
    ("Hình thức", "scored_by", 14),
    ("Cách chấm", "rule", 50),
    ("Hướng dẫn", "guidance", 50),
    ("Tài liệu kiểm chứng", "evidence_required", 12),
    ("Giải trình bắt buộc", "explanation_required", 12),
    ("Cho phép không áp dụng", "not_applicable", 13),
    ("Nguồn", "source", 40),
    ("Đã đối chiếu", "verified", 11),
)
HEADER_BY_KEY: dict[str, str] = {key: label for label, key, _ in COLUMNS}
FLAG_KEYS = ("evidence_required", "explanation_required", "not_applicable")
LEAF_KEYS = ("scored_by", "rule", "guidance", *FLAG_KEYS)

# The sheet "Thông tin": key in column A, value in column B, meaning in column C.
INFO_HEADERS = ("Trường", "Giá trị", "Ý nghĩa")
INFO_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "Mã bộ tiêu chí: chữ thường không dấu, số và dấu gạch nối (ví dụ par-province-2023)"),
    ("title", "Tên bộ tiêu chí"),
    ("year", "Năm đánh giá"),
    ("decision", "Văn bản ban hành bộ tiêu chí (số, ngày, cơ quan ban hành)"),
    ("total_points", "Tổng điểm tối đa; bằng tổng điểm tối đa các lĩnh vực"),
    ("self_points", "Tổng điểm các mục tự đánh giá"),
    ("survey_points", "Tổng điểm các mục điều tra xã hội học"),
    ("source", "Nguồn của cấu trúc và các tổng điểm"),
    ("verified", "Đã đối chiếu với văn bản chính thức (Có/Không)"),
    ("notes", "Ghi chú (không bắt buộc)"),
)
INFO_KEYS = tuple(key for key, _ in INFO_FIELDS)
HEADER_SEARCH_ROWS = 10

_NUM = r"\d+(?:[.,]\d+)?"
_POINTS_TEXT = re.compile(rf"({_NUM})(?:\s*(?:điểm|đ))?", re.IGNORECASE)
_OPTION = re.compile(rf"[-•+*]?\s*({_NUM})\s*(?:điểm|đ)?\s*[:：]\s*(.+)", re.IGNORECASE | re.DOTALL)
_SCALE = re.compile(
    rf"thang\s+điểm(?:\s*[,;:–-]?\s*bước(?:\s+nhảy)?\s*({_NUM})(?:\s*(?:điểm|đ))?)?\s*\.?",
    re.IGNORECASE,
)
_CODE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_TOTAL_WORDS = {"tổng", "tổng cộng", "cộng"}
_RULE_HINT = (
    "ghi các mức “0,5: Ban hành đúng hạn; 0: Ban hành chậm” (mỗi mức một dòng hoặc cách nhau bởi “;”) "
    "hoặc “Thang điểm, bước 0,25”"
)


# --- problems ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class TableProblem:
    """One problem of a catalogue table, located by sheet, cell and item code."""

    message: str
    sheet: str | None = None
    cell: str | None = None
    item: str | None = None
    severity: Literal["error", "warning"] = "error"
    row: int = 0
    column: int = 0

    def where(self, file: str) -> str:
        """``bang.xlsx › Bộ tiêu chí › C12 (mục 1.2.3)``."""
        text = " › ".join(p for p in (file, self.sheet, self.cell) if p)
        return f"{text} (mục {self.item})" if self.item else text

    def describe(self, file: str) -> str:
        """The full line: place and message."""
        return f"{self.where(file)}: {self.message}"


class CatalogueTableError(CatalogueError):
    """A catalogue table cannot be imported; the message lists every problem by cell."""

    def __init__(self, file: str, problems: list[TableProblem]) -> None:
        lines = [p.describe(file) for p in problems]
        super().__init__(file, lines)
        self.file = file
        self.problems = problems
        body = "\n".join(f"  - {line}" for line in lines)
        self.args = (f"Bảng tiêu chí {file} có {len(problems)} lỗi, chưa nhập được:\n{body}",)


# --- writing YAML -----------------------------------------------------------------------------
def _plain_number(value: Decimal | int) -> str:
    if isinstance(value, int):
        return str(value)
    return format(normalise(value), "f")


def _needs_escape(ch: str) -> bool:
    """Characters PyYAML would refuse or fold inside a double-quoted scalar."""
    code = ord(ch)
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
        or 0xD800 <= code <= 0xDFFF
    )


def _quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly ``text``."""
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif _needs_escape(ch):
            code = ord(ch)
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _foldable(text: str) -> bool:
    return (
        bool(text)
        and text == text.strip()
        and "  " not in text
        and "\n" not in text
        and "\t" not in text
        and not any(_needs_escape(ch) for ch in text)
    )


def _folded(key: str, text: str, indent: int, width: int = 100) -> list[str]:
    """``key: >-`` and the text wrapped at single spaces (reads back as the same one-line text)."""
    pad = " " * (indent + 2)
    lines = [f"{' ' * indent}{key}: >-"]
    current = ""
    for word in text.split(" "):
        if current and len(pad) + len(current) + 1 + len(word) > width:
            lines.append(pad + current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(pad + current)
    return lines


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int):
        return _plain_number(value)
    return _quote(str(value))


def _rule_lines(rule: dict[str, Any], pad: str) -> list[str]:
    if rule.get("kind") == "scale":
        step = f", step: {_plain_number(rule['step'])}" if "step" in rule else ""
        return [f"{pad}rule: {{kind: scale{step}}}"]
    lines = [f"{pad}rule:", f"{pad}  kind: choice", f"{pad}  options:"]
    for option in rule.get("options", []):
        lines.append(f"{pad}    - points: {_plain_number(option['points'])}")
        lines.append(f"{pad}      label: {_quote(option['label'])}")
    return lines


def _node_lines(node: dict[str, Any], indent: int) -> list[str]:
    """One node as a list item at ``indent`` (the ``- `` of its first key)."""
    lines: list[str] = []
    pad = " " * (indent + 2)
    for n, (key, value) in enumerate(node.items()):
        lead = " " * indent + "- " if n == 0 else pad
        if key in ("criteria", "components"):
            lines.append(f"{lead}{key}:")
            for child in value:
                lines.extend(_node_lines(child, indent + 4))
        elif key == "rule":
            lines.extend(_rule_lines(value, lead))
        elif key in ("scored_by",) and value in ("self", "survey"):
            lines.append(f"{lead}{key}: {value}")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


def _yaml_text(data: dict[str, Any], source_file: str | None) -> str:
    """YAML text of catalogue data (plain dicts and lists, keys already in schema order)."""
    if source_file is not None:
        name = " ".join(source_file.split())
        head = [f"# parcli criteria catalogue, generated by `parcli catalogue import` from {name}."]
    else:
        head = ["# parcli criteria catalogue, written by parcli."]
    head += [
        "# Edit the table and import it again (`parcli catalogue export` / `parcli catalogue import`),",
        "# or edit this file. parcli checks it whenever it loads it: unique hierarchical codes, children",
        "# adding up to their parent, fields to total_points, self and survey leaves to self_points and",
        "# survey_points, a rule for every self-assessed leaf. Set `verified: true` only on a node checked",
        "# against the official text, and say where in `source:`.",
        "",
    ]
    lines = list(head)
    for key, value in data.items():
        if key == "fields":
            lines.append("fields:")
            for node in value:
                lines.append("")
                lines.append(f"  # ── Lĩnh vực {node.get('code')} " + "─" * 50)
                lines.extend(_node_lines(node, 2))
        elif key == "schema":
            lines.append(f"schema: {value}")
        elif (
            key == "id"
            and isinstance(value, str)
            and re.fullmatch(r"[a-z][a-z0-9-]*", value)
            and value
            not in (
                "yes",
                "no",
                "on",
                "off",
                "y",
                "n",
                "true",
                "false",
                "null",
            )
        ):
            lines.append(f"id: {value}")
        elif key == "notes" and isinstance(value, str) and _foldable(value):
            lines.extend(_folded("notes", value, 0))
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _rule_data(rule: ChoiceRule | ScaleRule) -> dict[str, Any]:
    if isinstance(rule, ScaleRule):
        return {"kind": "scale", "step": rule.step}
    return {"kind": "choice", "options": [{"points": o.points, "label": o.label} for o in rule.options]}


def _node_data(node: FieldNode | Criterion | Component) -> dict[str, Any]:
    """A node as plain data, keys in the order of the bundled file."""
    out: dict[str, Any] = {"code": node.code, "title": node.title, "max_points": node.max_points}
    if not isinstance(node, FieldNode):
        leaf = not isinstance(node, Criterion) or not node.components
        if node.scored_by is not None:
            out["scored_by"] = node.scored_by
        if node.rule is not None:
            out["rule"] = _rule_data(node.rule)
        if node.guidance is not None:
            out["guidance"] = node.guidance
        for key in FLAG_KEYS:
            value = getattr(node, key)
            if value or (leaf and node.scored_by == "self"):
                out[key] = value
    out["source"] = node.source
    out["verified"] = node.verified
    if isinstance(node, FieldNode):
        out["criteria"] = [_node_data(c) for c in node.criteria]
    elif isinstance(node, Criterion) and node.components:
        out["components"] = [_node_data(k) for k in node.components]
    return out


def _model_data(model: CatalogueModel) -> dict[str, Any]:
    data: dict[str, Any] = {"schema": CATALOGUE_SCHEMA}
    for key in INFO_KEYS:
        value = getattr(model, key)
        if value is not None:
            data[key] = value
    data["fields"] = [_node_data(f) for f in model.fields]
    return data


def dump_catalogue_yaml(model: CatalogueModel, source_file: str | None = None) -> str:
    """Catalogue YAML in the style of the bundled file: comment header, quoted codes, plain decimals.

    ``source_file`` (the table's name) goes into the header comment.
    """
    return _yaml_text(_model_data(model), source_file)


# --- exporting the table ----------------------------------------------------------------------
def rule_text(rule: ChoiceRule | ScaleRule | None) -> str | None:
    """The *Cách chấm* cell: one ``points: label`` line per option, or ``Thang điểm, bước 0,25``."""
    if rule is None:
        return None
    if isinstance(rule, ScaleRule):
        return f"{SCALE_LABEL}, bước {fmt_points(rule.step)}"
    return "\n".join(f"{fmt_points(o.points)}: {' '.join(o.label.split())}" for o in rule.options)


def _cell_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _yes_no(value: bool) -> str:
    return YES if value else NO


def _row_values(node: FieldNode | Criterion | Component) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": node.code,
        "title": node.title,
        "max_points": _cell_number(node.max_points),
        "source": node.source,
        "verified": _yes_no(node.verified),
    }
    if isinstance(node, FieldNode):
        return values
    leaf = not isinstance(node, Criterion) or not node.components
    values["scored_by"] = SCORED_BY_LABELS[node.scored_by] if node.scored_by else None
    values["rule"] = rule_text(node.rule)
    values["guidance"] = node.guidance
    for key in FLAG_KEYS:
        flag = getattr(node, key)
        values[key] = _yes_no(flag) if leaf or flag else None
    return values


def build_table_workbook(catalogue: Catalogue | CatalogueModel) -> Any:
    """Build (not save) the editable table of a catalogue."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    model = catalogue.model if isinstance(catalogue, Catalogue) else catalogue
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="Times New Roman", size=12)
    bold = Font(name="Times New Roman", size=12, bold=True)
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    fills = {1: PatternFill("solid", fgColor="DDEBF7"), 2: PatternFill("solid", fgColor="F2F2F2")}
    wrap = Alignment(wrap_text=True, vertical="top")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TABLE
    widths = {col: width for col, (_label, _key, width) in enumerate(COLUMNS, start=1)}
    for col, (label, _key, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=label)
        cell.font, cell.fill, cell.border, cell.alignment = bold, header_fill, border, center
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[1].height = 33

    nodes: list[tuple[int, FieldNode | Criterion | Component]] = []
    for f in model.fields:
        nodes.append((1, f))
        for c in f.criteria:
            nodes.append((2, c))
            nodes.extend((3, k) for k in c.components)
    row = 1
    for level, node in nodes:
        row += 1
        values = _row_values(node)
        branch = level == 1 or (isinstance(node, Criterion) and bool(node.components))
        for col, (_label, key, _width) in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=row, column=col, value=values.get(key))
            cell.font = bold if branch else font
            cell.border = border
            cell.alignment = wrap
            if branch:
                cell.fill = fills[level]
        ws.cell(row=row, column=1).number_format = "@"
        layout.fit_row_height(ws, row, widths)

    last = max(row + 300, 500)  # validations reach the rows a user adds below the table
    ws.column_dimensions["A"].number_format = "@"  # codes typed below the table stay text (1.10 is not 1.1)
    letters = {key: get_column_letter(col) for col, (_l, key, _w) in enumerate(COLUMNS, start=1)}
    validations = [
        DataValidation(
            type="list",
            formula1='"' + ",".join(SCORED_BY_LABELS.values()) + '"',
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle="Hình thức không hợp lệ",
            error="Chọn Tự đánh giá hoặc Điều tra XHH; để trống ở dòng lĩnh vực và tiêu chí có tiêu chí thành phần.",
            promptTitle="Hình thức chấm điểm",
            prompt="Tự đánh giá hoặc Điều tra XHH (chỉ ở mục chấm điểm; để trống ở lĩnh vực và tiêu chí có "
            "tiêu chí thành phần).",
        ),
        DataValidation(
            type="list",
            formula1=f'"{YES},{NO}"',
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle="Chỉ Có hoặc Không",
            error="Chọn Có hoặc Không.",
            promptTitle="Có/Không",
            prompt="Chọn Có hoặc Không.",
        ),
        DataValidation(
            showInputMessage=True,
            promptTitle="Mã mục",
            prompt="1 = lĩnh vực, 1.2 = tiêu chí, 1.2.3 = tiêu chí thành phần. Các dòng theo đúng thứ tự; "
            "mục con đứng ngay dưới mục cha.",
        ),
        DataValidation(
            showInputMessage=True,
            promptTitle="Cách chấm",
            prompt="Mỗi mức một dòng “0,5: Ban hành đúng hạn” (điểm: nội dung), hoặc “Thang điểm, bước 0,25”. "
            "Để trống ở lĩnh vực, tiêu chí có tiêu chí thành phần và mục điều tra XHH.",
        ),
    ]
    scored_dv, yes_no_dv, code_dv, rule_dv = validations
    scored_dv.add(f"{letters['scored_by']}2:{letters['scored_by']}{last}")
    for key in (*FLAG_KEYS, "verified"):
        yes_no_dv.add(f"{letters[key]}2:{letters[key]}{last}")
    code_dv.add(f"{letters['code']}2:{letters['code']}{last}")
    rule_dv.add(f"{letters['rule']}2:{letters['rule']}{last}")
    for dv in validations:
        ws.add_data_validation(dv)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{row}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    _write_info_sheet(wb.create_sheet(SHEET_INFO), model, font, bold, header_fill, border, wrap, center)
    return wb


def _write_info_sheet(
    ws: Any, model: CatalogueModel, font: Any, bold: Any, fill: Any, border: Any, wrap: Any, center: Any
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    widths = {1: 16, 2: 90, 3: 45}
    for col, label in enumerate(INFO_HEADERS, start=1):
        cell = ws.cell(row=1, column=col, value=label)
        cell.font, cell.fill, cell.border, cell.alignment = bold, fill, border, center
    for col, width in widths.items():
        ws.column_dimensions["ABC"[col - 1]].width = width
    verified_row = 0
    for row, (key, meaning) in enumerate(INFO_FIELDS, start=2):
        value = getattr(model, key)
        if isinstance(value, bool):
            value = _yes_no(value)
            verified_row = row
        elif isinstance(value, Decimal):
            value = _cell_number(value)
        for col, content in enumerate((key, value, meaning), start=1):
            cell = ws.cell(row=row, column=col, value=content)
            cell.font = bold if col == 1 else font
            cell.border, cell.alignment = border, wrap
        layout.fit_row_height(ws, row, widths)
    notes = (
        "Cách dùng: sửa trang “Bộ tiêu chí” (mỗi mục một dòng; mã 1 = lĩnh vực, 1.2 = tiêu chí, 1.2.3 = tiêu "
        "chí thành phần; điểm tối đa của mục cha bằng tổng các mục con) và các giá trị ở cột B trang này, rồi "
        "chạy: parcli catalogue import BANG.xlsx -o bo-tieu-chi.yaml. Mọi lỗi được báo theo ô. Chỉ ghi “Có” ở "
        "cột Đã đối chiếu khi mục đã được đối chiếu với văn bản chính thức, và ghi văn bản, mục vào cột Nguồn."
    )
    note_row = len(INFO_FIELDS) + 3
    ws.cell(row=note_row, column=3, value=notes).alignment = wrap
    ws.cell(row=note_row, column=3).font = font
    layout.fit_row_height(ws, note_row, widths)
    dv = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=False, showErrorMessage=True)
    dv.add(f"B{verified_row}")
    ws.add_data_validation(dv)
    ws.freeze_panes = "B2"


def export_table(catalogue: Catalogue | CatalogueModel, path: Path) -> None:
    """Write the catalogue as an editable table (.xlsx), atomically."""
    wb = build_table_workbook(catalogue)
    with atomic_path(path) as tmp:
        wb.save(tmp)


# --- reading cells ----------------------------------------------------------------------------
class _Bad(Exception):
    """A cell value that cannot be used; the message is Vietnamese."""


def _is_formula(value: object) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    return not isinstance(value, int | float | Decimal | date | time | type(None))


def _text(value: object) -> str | None:
    """Cell text: NFC, line ends normalised, trimmed; None when blank."""
    if value is None:
        return None
    if _is_formula(value):
        raise _Bad("ô chứa công thức; nhập trực tiếp nội dung (parcli không đọc công thức)")
    if isinstance(value, bool):
        text = YES if value else NO
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, datetime | date):
        text = value.strftime("%d/%m/%Y")
    else:
        text = str(value)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def _points(value: object) -> Decimal | None:
    """A number of points: a number cell or text with a decimal comma or dot; None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if _is_formula(value):
        raise _Bad("ô chứa công thức; nhập trực tiếp số điểm (parcli không đọc công thức)")
    if isinstance(value, bool | datetime | date | time):
        raise _Bad(f"không đọc được số điểm “{_text(value)}”")
    if isinstance(value, int | float):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise _Bad(f"không đọc được số điểm “{value}”") from None
    else:
        text = _text(value) or ""
        match = _POINTS_TEXT.fullmatch(text)
        if match is None:
            raise _Bad(f"không đọc được số điểm “{text}”: ghi một số như 1 hoặc 0,75")
        number = Decimal(match.group(1).replace(",", "."))
    return _checked_points(number)


def _checked_points(number: Decimal) -> Decimal:
    if not number.is_finite() or number < 0:
        raise _Bad(f"số điểm phải từ 0 trở lên (đang là {number})")
    number = normalise(number)
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > 4 or len(number.as_tuple().digits) > 8:
        raise _Bad(f"số điểm {fmt_points(number)} quá dài: tối đa 4 chữ số thập phân")
    return number


def _flag(value: object) -> bool:
    """A Có/Không cell; blank is Không."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = (_text(value) or "").casefold()
    if text in ("", "không", "khong", "k", "no", "false", "0"):
        return False
    if text in ("có", "co", "x", "yes", "true", "1"):
        return True
    raise _Bad(f"ghi “{YES}” hoặc “{NO}” (đang là “{_text(value)}”)")


def _scored_by(value: object) -> str | None:
    text = _text(value)
    if text is None:
        return None
    key = " ".join(text.split()).casefold()
    if key in ("tự đánh giá", "self"):
        return "self"
    if key in ("điều tra xhh", "điều tra xã hội học", "điều tra", "survey"):
        return "survey"
    raise _Bad(f"Hình thức “{text}” không hợp lệ: ghi “Tự đánh giá” hoặc “Điều tra XHH”")


def parse_rule(text: str | None) -> dict[str, Any] | None:
    """The *Cách chấm* cell as rule data; raise ``ValueError`` (Vietnamese message) if unreadable.

    ``0,5: Ban hành đúng hạn; 0: Ban hành chậm`` (decimal comma or dot, options separated
    by ``;`` or by new lines — with new lines, ``;`` may appear inside a label) or
    ``Thang điểm, bước 0,25``.  Blank is no rule.
    """
    if text is None or not text.strip():
        return None
    text = text.strip()
    scale = _SCALE.fullmatch(text)
    if scale is not None:
        if scale.group(1) is None:
            return {"kind": "scale"}
        try:
            step = _checked_points(Decimal(scale.group(1).replace(",", ".")))
        except _Bad as exc:
            raise ValueError(f"bước điểm: {exc}") from None
        return {"kind": "scale", "step": step}
    parts = text.split("\n") if "\n" in text else text.split(";")
    options: list[dict[str, Any]] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        match = _OPTION.fullmatch(part)
        if match is None:
            raise ValueError(f"Cách chấm “{part}” không đọc được: {_RULE_HINT}")
        try:
            points = _checked_points(Decimal(match.group(1).replace(",", ".")))
        except _Bad as exc:
            raise ValueError(f"mức “{part}”: {exc}") from None
        options.append({"points": points, "label": " ".join(match.group(2).split())})
    if len(options) < 2:
        raise ValueError(f"Cách chấm cần ít nhất 2 mức điểm: {_RULE_HINT}")
    return {"kind": "choice", "options": options}


def _code(value: object) -> tuple[str, str | None]:
    """(code, warning) from a Mã cell; raise :class:`_Bad` when it is not a code."""
    warning = None
    if isinstance(value, datetime | date | time):
        raise _Bad("Excel đã đổi mã thành ngày tháng; định dạng cột Mã là Văn bản (Text) rồi nhập lại mã")
    if isinstance(value, bool):
        raise _Bad(f"mã “{value}” không hợp lệ")
    if isinstance(value, float):
        text = repr(value)
        warning = (
            f"mã {text} được nhập dạng số (1.10 sẽ thành 1.1); nên định dạng cột Mã là Văn bản (Text) rồi nhập lại"
        )
    else:
        text = _text(value) or ""
    text = "".join(text.split()).rstrip(".")
    if not _CODE.fullmatch(text):
        raise _Bad(f"mã “{text}” không đúng dạng 1 (lĩnh vực), 1.2 (tiêu chí) hoặc 1.2.3 (tiêu chí thành phần)")
    if text.count(".") > 2:
        raise _Bad(f"mã {text} có quá 3 cấp: chỉ có lĩnh vực, tiêu chí và tiêu chí thành phần")
    return text, warning


def _header_key(value: object) -> str:
    """Header text without a parenthesised hint, NFC, case-folded."""
    text = re.sub(r"\(.*\)\s*$", "", str(value or ""), flags=re.DOTALL)
    return layout.label_key(text)


# --- importing --------------------------------------------------------------------------------
@dataclass
class _Row:
    row: int
    code: str  # empty when the Mã cell could not be used (level 0)
    level: int
    values: dict[str, Any]
    raw: dict[str, object]


@dataclass
class _Reader:
    """Reads a table into catalogue data, collecting problems and where each node came from."""

    file: str
    problems: list[TableProblem] = field(default_factory=list)
    tainted: set[tuple[str, int]] = field(default_factory=set)
    sum_tainted: set[str] = field(default_factory=set)
    root_sums_tainted: bool = False
    columns: dict[str, int] = field(default_factory=dict)
    node_rows: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    row_codes: dict[int, str] = field(default_factory=dict)
    info_rows: dict[str, int] = field(default_factory=dict)

    # -- problems
    def add(
        self,
        message: str,
        sheet: str | None = None,
        row: int = 0,
        column: int = 0,
        item: str | None = None,
        severity: Literal["error", "warning"] = "error",
    ) -> None:
        from openpyxl.utils import get_column_letter

        cell = f"{get_column_letter(column)}{row}" if row and column else None
        self.problems.append(
            TableProblem(message, sheet, cell, item, severity=severity, row=row, column=column),
        )
        if severity == "error" and sheet is not None and row:
            self.tainted.add((sheet, row))

    def cell_error(self, row: _Row, key: str, message: str) -> None:
        self.add(message, SHEET_TABLE, row.row, self.columns[key], row.code)

    @property
    def errors(self) -> list[TableProblem]:
        return [p for p in self.problems if p.severity == "error"]

    # -- the sheet "Thông tin"
    def read_info(self, ws: Any) -> dict[str, Any]:
        seen: dict[str, object] = {}
        for index, values in enumerate(ws.iter_rows(min_row=2, max_col=2, values_only=True), start=2):
            key_cell = values[0] if values else None
            if key_cell is None or (isinstance(key_cell, str) and not key_cell.strip()):
                continue
            key = str(key_cell).strip()
            if key not in INFO_KEYS:
                self.add(f"trường “{key}” không thuộc mẫu; bỏ qua", SHEET_INFO, index, 1, severity="warning")
                continue
            if key in self.info_rows:
                self.add(f"trường {key} ghi hai lần (đã có ở dòng {self.info_rows[key]})", SHEET_INFO, index, 1)
                continue
            self.info_rows[key] = index
            seen[key] = values[1] if len(values) > 1 else None
        data: dict[str, Any] = {"schema": CATALOGUE_SCHEMA}
        for key in INFO_KEYS:
            if key not in self.info_rows and key != "notes":
                self.add(f"thiếu dòng “{key}” ở cột A", SHEET_INFO)
                self.root_sums_tainted = True
            row = self.info_rows.get(key, 0)
            try:
                value = self._info_value(key, seen.get(key))
            except _Bad as exc:
                if row:
                    self.add(str(exc), SHEET_INFO, row, 2)
                if key in ("total_points", "self_points", "survey_points"):
                    self.root_sums_tainted = True
                value = _INFO_PLACEHOLDERS[key]
            if value is not None:
                data[key] = value
        return data

    def _info_value(self, key: str, raw: object) -> Any:
        if key == "verified":
            return _flag(raw)
        if key in ("total_points", "self_points", "survey_points"):
            points = _points(raw)
            if points is None:
                raise _Bad("thiếu số điểm")
            return points
        if key == "year":
            if isinstance(raw, int) and not isinstance(raw, bool):
                return raw
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            text = _text(raw)
            if text is None or not text.isdigit():
                raise _Bad(f"năm phải là một số như 2023 (đang là “{text or ''}”)")
            return int(text)
        text = _text(raw)
        if key == "notes":
            return text
        if text is None:
            raise _Bad("không được để trống")
        if key == "id" and not _ID.fullmatch(text):
            raise _Bad(f"mã bộ tiêu chí “{text}” chỉ gồm chữ thường không dấu, số và dấu gạch nối")
        return text

    # -- the sheet "Bộ tiêu chí"
    def read_rows(self, ws: Any) -> list[_Row] | None:
        rows = list(ws.iter_rows(values_only=True))
        header_row = 0
        for index, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
            keys = {_header_key(v): col for col, v in enumerate(values, start=1)}
            if _header_key("Mã") in keys and _header_key("Nội dung") in keys:
                header_row = index
                by_label = {_header_key(label): key for label, key, _ in COLUMNS}
                for text_key, col in keys.items():
                    if text_key in by_label:
                        self.columns.setdefault(by_label[text_key], col)
                    elif text_key:
                        self.add(
                            f"cột “{values[col - 1]}” không thuộc mẫu; bỏ qua",
                            SHEET_TABLE,
                            index,
                            col,
                            severity="warning",
                        )
                break
        if not header_row:
            self.add(
                f"không tìm thấy dòng tiêu đề (Mã | Nội dung | …) trong {HEADER_SEARCH_ROWS} dòng đầu", SHEET_TABLE
            )
            return None
        missing = [label for label, key, _ in COLUMNS if key not in self.columns]
        if missing:
            self.add(f"thiếu cột: {', '.join(missing)} (dòng tiêu đề {header_row})", SHEET_TABLE)
            return None
        out: list[_Row] = []
        for index, values in enumerate(rows[header_row:], start=header_row + 1):
            raw = {key: (values[col - 1] if col - 1 < len(values) else None) for key, col in self.columns.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
                continue
            parsed = self._row(index, raw)
            if parsed is not None:
                out.append(parsed)
        if not out and not self.errors:
            self.add("bảng không có mục nào", SHEET_TABLE)
        return out

    def _row(self, index: int, raw: dict[str, object]) -> _Row | None:
        code_cell = raw["code"]
        try:
            if code_cell is None or (isinstance(code_cell, str) and not code_cell.strip()):
                raise _Bad("dòng có nội dung nhưng thiếu mã")
            code, warning = _code(code_cell)
        except _Bad as exc:
            if isinstance(code_cell, str) and " ".join(code_cell.split()).casefold() in _TOTAL_WORDS:
                self.add("dòng tổng cộng được bỏ qua", SHEET_TABLE, index, self.columns["code"], severity="warning")
                return None
            self.add(str(exc), SHEET_TABLE, index, self.columns["code"])
            self.root_sums_tainted = True
            return _Row(row=index, code="", level=0, values={}, raw=raw)
        if warning:
            self.add(warning, SHEET_TABLE, index, self.columns["code"], code, severity="warning")
        row = _Row(row=index, code=code, level=code.count(".") + 1, values={}, raw=raw)
        self.row_codes[index] = code
        readers: dict[str, Any] = {
            "title": _text,
            "max_points": _points,
            "scored_by": _scored_by,
            "guidance": _text,
            "source": _text,
            "verified": _flag,
            **dict.fromkeys(FLAG_KEYS, _flag),
        }
        for key, read in readers.items():
            try:
                row.values[key] = read(raw[key])
            except _Bad as exc:
                self.cell_error(row, key, str(exc))
                row.values[key] = _BAD
        try:
            row.values["rule"] = parse_rule(_text(raw["rule"]))
        except (ValueError, _Bad) as exc:
            self.cell_error(row, "rule", str(exc))
            row.values["rule"] = _BAD
        for key, what in (("title", "thiếu nội dung (tên mục)"), ("source", _SOURCE_MISSING)):
            if row.values[key] is None:
                self.cell_error(row, key, what)
                row.values[key] = _BAD
        if row.values["max_points"] is None:
            self.cell_error(row, "max_points", "thiếu điểm tối đa")
            row.values["max_points"] = _BAD
        if row.values["max_points"] is _BAD:
            self.sum_tainted.add(code)
        return row

    # -- the tree
    def build(self, rows: list[_Row]) -> list[dict[str, Any]]:
        """Nest rows by code into fields → criteria → components; report orphans and order."""
        fields: list[tuple[_Row, list[tuple[_Row, list[_Row]]]]] = []
        seen: set[str] = set()
        last_sibling: dict[str, list[int]] = {}  # parent code → numbers of the children so far
        for row in rows:
            if row.level == 0:  # a row without a usable code: the sums of the rows above it are unsure
                if fields:
                    self.sum_tainted.add(fields[-1][0].code + ".?")
                    if fields[-1][1]:
                        self.sum_tainted.add(fields[-1][1][-1][0].code + ".?")
                continue
            parent = row.code.rsplit(".", 1)[0] if row.level > 1 else ""
            if row.level == 2 and (not fields or fields[-1][0].code != parent):
                self._orphan(row, parent, "lĩnh vực")
                continue
            if row.level == 3 and (not fields or not fields[-1][1] or fields[-1][1][-1][0].code != parent):
                self._orphan(row, parent, "tiêu chí")
                continue
            number = [int(part) for part in row.code.split(".")]
            previous = last_sibling.get(parent)
            if row.code not in seen and previous is not None and number <= previous:
                before = ".".join(str(n) for n in previous)
                self.cell_error(row, "code", f"sai thứ tự: mục {row.code} đứng sau mục {before}")
            seen.add(row.code)
            last_sibling[parent] = number
            if row.level == 1:
                fields.append((row, []))
            elif row.level == 2:
                fields[-1][1].append((row, []))
            else:
                fields[-1][1][-1][1].append(row)

        data: list[dict[str, Any]] = []
        for frow, criteria in fields:
            self._check_branch(frow, field_row=True)
            if not criteria:
                self.cell_error(
                    frow, "code", f"lĩnh vực {frow.code} không có tiêu chí nào (các dòng {frow.code}.1, {frow.code}.2…)"
                )
                self.sum_tainted.add(frow.code + ".")
                continue
            fpath: tuple[str | int, ...] = ("fields", len(data))
            fnode = self._node(frow, "field")
            fnode["criteria"] = []
            self.node_rows[fpath] = frow.row
            for crow, components in criteria:
                cpath = (*fpath, "criteria", len(fnode["criteria"]))
                self.node_rows[cpath] = crow.row
                if components:
                    self._check_branch(crow, field_row=False)
                    cnode = self._node(crow, "branch")
                    cnode["components"] = []
                    for krow in components:
                        self.node_rows[(*cpath, "components", len(cnode["components"]))] = krow.row
                        cnode["components"].append(self._node(krow, "leaf"))
                else:
                    cnode = self._node(crow, "leaf")
                fnode["criteria"].append(cnode)
            data.append(fnode)
        return data

    def _orphan(self, row: _Row, parent: str, kind: str) -> None:
        self.cell_error(
            row,
            "code",
            f"mục {row.code} không nằm dưới dòng {kind} {parent}: thiếu dòng {kind} {parent}, dòng đó có lỗi mã "
            "hoặc các dòng sai thứ tự (mục con phải đứng ngay dưới mục cha)",
        )
        self.sum_tainted.add(row.code)

    def _check_branch(self, row: _Row, *, field_row: bool) -> None:
        """Leaf-only cells on a field or on a criterion with components."""
        what = f"dòng lĩnh vực {row.code}" if field_row else f"tiêu chí {row.code} có tiêu chí thành phần"
        keys = LEAF_KEYS if field_row else ("scored_by", "rule")
        for key in keys:
            value = row.values.get(key)
            if value is not None and value is not False and value is not _BAD:
                where = "" if field_row else " (ghi ở từng tiêu chí thành phần)"
                self.cell_error(row, key, f"{what}: để trống cột {HEADER_BY_KEY[key]}{where}")

    def _node(self, row: _Row, kind: Literal["field", "branch", "leaf"]) -> dict[str, Any]:
        v = row.values
        node: dict[str, Any] = {
            "code": row.code,
            "title": _placeholder(v["title"], "?"),
            "max_points": _placeholder(v["max_points"], Decimal(0)),
        }
        rule = v["rule"] if v["rule"] is not _BAD else None
        if kind == "leaf":
            scored_by = v["scored_by"]
            if scored_by is None:
                self.cell_error(row, "scored_by", "thiếu Hình thức: ghi “Tự đánh giá” hoặc “Điều tra XHH”")
                scored_by = _BAD
            if scored_by is _BAD:
                scored_by = "self" if rule is not None else "survey"
                self.root_sums_tainted = True
            if scored_by == "self" and v["rule"] is None:
                self.cell_error(row, "rule", f"mục tự đánh giá phải có Cách chấm: {_RULE_HINT}")
            node["scored_by"] = scored_by
            if rule is not None:
                node["rule"] = rule
        if kind != "field":
            if v["guidance"] not in (None, _BAD):
                node["guidance"] = v["guidance"]
            for key in FLAG_KEYS:
                flag = v[key] is True
                if flag or (kind == "leaf" and node["scored_by"] == "self"):
                    node[key] = flag
        node["source"] = _placeholder(v["source"], "?")
        node["verified"] = v["verified"] is True
        return node

    # -- messages of parse_catalogue, back to cells
    def translate(self, messages: list[str]) -> None:
        """Turn ``fields[0].criteria[1].max_points (dòng 57): …`` lines into problems located by cell."""
        any_table_error = bool(self.errors)
        for message in messages:
            match = _MESSAGE.fullmatch(message)
            if match is None:
                self.add(message)
                continue
            body = self._body(match.group("body"))
            tokens: list[str | int] = [
                int(index) if index else name
                for name, index in re.findall(r"([a-z_]+)|\[(\d+)\]", match["path"] + match["tail"])
            ]
            node: tuple[str | int, ...] = ()
            i = 0
            while (
                i + 1 < len(tokens)
                and tokens[i] in ("fields", "criteria", "components")
                and isinstance(tokens[i + 1], int)
            ):
                node = (*node, tokens[i], tokens[i + 1])
                i += 2
            rest = [t for t in tokens[i:] if isinstance(t, str)]
            if not node:
                key = rest[0] if rest else ""
                if key in ("total_points", "self_points", "survey_points") and (
                    self.root_sums_tainted or self.sum_tainted
                ):
                    continue
                if key == "fields" and any_table_error:
                    continue
                row = self.info_rows.get(key, 0)
                if (SHEET_INFO, row) in self.tainted:
                    continue
                self.add(body, SHEET_INFO if key != "fields" else SHEET_TABLE, row, 2 if row else 0)
                continue
            row = self.node_rows.get(node, 0)
            code = self.row_codes.get(row)
            if (SHEET_TABLE, row) in self.tainted:
                continue
            key = rest[0] if rest else "code"
            if key == "max_points" and code is not None and any(c.startswith(code + ".") for c in self.sum_tainted):
                continue
            column = self.columns.get(key, self.columns["code"])
            self.add(body, SHEET_TABLE, row, column, code)

    def _body(self, body: str) -> str:
        def cell_of(match: re.Match[str]) -> str:
            tokens = [int(n) for n in re.findall(r"\[(\d+)\]", match.group(1))]
            names = re.findall(r"(fields|criteria|components)", match.group(1))
            node: tuple[str | int, ...] = tuple(x for pair in zip(names, tokens, strict=False) for x in pair)
            row = self.node_rows.get(node)
            if row is None:
                return match.group(0)
            from openpyxl.utils import get_column_letter

            return f"ô {get_column_letter(self.columns['code'])}{row}"

        body = _EMBEDDED_PATH.sub(cell_of, body)
        for old, new in _WORDING:
            body = body.replace(old, new)
        return body


class _BadValue:
    """Marker for a cell already reported as unusable."""


_BAD: Any = _BadValue()
_SOURCE_MISSING = "thiếu Nguồn: ghi văn bản và mục đã dùng (ví dụ “QĐ 876/QĐ-BNV, Bảng 2, mục 1.2”)"
_INFO_PLACEHOLDERS: dict[str, Any] = {
    "id": "bo-tieu-chi",
    "title": "?",
    "year": 0,
    "decision": "?",
    "total_points": Decimal(0),
    "self_points": Decimal(0),
    "survey_points": Decimal(0),
    "source": "?",
    "verified": False,
    "notes": None,
}
# ``PATH (dòng N, mục X): …`` or ``PATH (dòng N).rule.options: …`` (the forms of parcli.config.catalogue's messages)
_MESSAGE = re.compile(
    r"(?P<path>[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*)(?: \((?P<extra>[^()]*)\))?"
    r"(?P<tail>(?:\.[a-z_]+(?:\[\d+\])?)*): (?P<body>.*)",
    re.DOTALL,
)
_EMBEDDED_PATH = re.compile(
    r"(fields\[\d+\](?:\.criteria\[\d+\](?:\.components\[\d+\])?)?)(?:\.[a-z_]+(?:\[\d+\])?)*(?: \(dòng \d+\))?"
)
_WORDING: tuple[tuple[str, str], ...] = (
    ("self_points + survey_points", "điểm tự đánh giá + điểm điều tra (self_points + survey_points)"),
    ("phải bằng total_points", "phải bằng tổng điểm (total_points)"),
    ("các mục scored_by: self", "các mục “Tự đánh giá”"),
    ("các mục scored_by: survey", "các mục “Điều tra XHH”"),
    ("thiếu cách chấm (rule)", "thiếu Cách chấm"),
    ("khai báo scored_by/rule", "ghi Hình thức/Cách chấm"),
    ("phải khai báo scored_by (self hoặc survey)", "phải ghi Hình thức (Tự đánh giá hoặc Điều tra XHH)"),
)


def _placeholder(value: Any, default: Any) -> Any:
    return default if value is None or value is _BAD else value


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged or foreign files
        raise CatalogueTableError(
            path.name,
            [TableProblem(f"không mở được bảng tính .xlsx ({type(exc).__name__}); lưu lại ở định dạng Excel .xlsx")],
        ) from None


def _sort_key(problem: TableProblem) -> tuple[int, int, int]:
    sheet = {None: 0, SHEET_INFO: 1, SHEET_TABLE: 2}.get(problem.sheet, 3)
    return (sheet, problem.row, problem.column)


def import_table(path: Path) -> tuple[str, list[TableProblem]]:
    """Read a catalogue table (.xlsx) and return ``(catalogue YAML text, warnings)``.

    Every cell is checked, then the catalogue goes through
    :func:`parcli.config.catalogue.parse_catalogue` so every load-time check applies.
    Raise :class:`CatalogueTableError` listing every error by cell.  When a
    row has an error, the sums that depend on it are checked only once it is
    fixed (one wrong number is reported once, not at every level above it).
    """
    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(f"Không tìm thấy tệp {path}.")
    reader = _Reader(path.name)
    wb = _open_workbook(path)
    try:
        info: dict[str, Any] | None = None
        if SHEET_INFO in wb.sheetnames:
            info = reader.read_info(wb[SHEET_INFO])
        else:
            reader.add(f"không có trang tính “{SHEET_INFO}” (mã, tên, năm, tổng điểm của bộ tiêu chí)")
        rows = None
        if SHEET_TABLE in wb.sheetnames:
            rows = reader.read_rows(wb[SHEET_TABLE])
        else:
            reader.add(f"không có trang tính “{SHEET_TABLE}” (các trang tính: {', '.join(wb.sheetnames)})")
    finally:
        wb.close()
    text = ""
    if info is not None and rows is not None:
        info["fields"] = reader.build(rows)
        text = _yaml_text(info, path.name)
        try:
            catalogue = parse_catalogue(text, source=path.name)
        except CatalogueError as exc:
            reader.translate(exc.messages)
        else:
            text = dump_catalogue_yaml(catalogue.model, path.name)
    errors = sorted(reader.errors, key=_sort_key)
    if errors:
        raise CatalogueTableError(path.name, errors)
    warnings = sorted((p for p in reader.problems if p.severity == "warning"), key=_sort_key)
    return text, warnings


# --- the tree for `show` ----------------------------------------------------------------------
LEVEL_NAMES = {1: "Lĩnh vực", 2: "Tiêu chí", 3: "Tiêu chí thành phần"}


@dataclass(frozen=True)
class TreeRow:
    """One node of the catalogue as ``parcli catalogue show`` prints it."""

    level: int  # 1 field, 2 criterion, 3 component criterion
    code: str
    title: str
    max_points: Decimal
    self_points: Decimal  # maximum of the self-assessed leaves under (or at) this node
    survey_points: Decimal  # maximum of the survey leaves under (or at) this node
    scored_by: str | None  # leaves only: "self" or "survey"
    rule: str  # one-line summary of the scoring rule; empty for branches
    verified: bool
    is_leaf: bool


def rule_summary(rule: ChoiceRule | ScaleRule | None, scored_by: str | None) -> str:
    """``chọn 1 / 0,5 / 0``, ``thang, bước 0,25``, ``điều tra XHH`` or empty."""
    if isinstance(rule, ChoiceRule):
        return "chọn " + " / ".join(fmt_points(o.points) for o in rule.options)
    if isinstance(rule, ScaleRule):
        return f"thang, bước {fmt_points(rule.step)}"
    return "điều tra XHH" if scored_by == "survey" else ""


def catalogue_tree(catalogue: Catalogue) -> list[TreeRow]:
    """Every node in catalogue order with its self/survey split and rule summary."""
    rows: list[TreeRow] = []

    def add(level: int, node: FieldNode | Criterion | Component, leaf: bool) -> None:
        leaves = catalogue.leaves_under(node.code)
        scored_by = node.scored_by if leaf and not isinstance(node, FieldNode) else None
        rule = node.rule if leaf and not isinstance(node, FieldNode) else None
        rows.append(
            TreeRow(
                level=level,
                code=node.code,
                title=node.title,
                max_points=node.max_points,
                self_points=sum((x.max_points for x in leaves if x.is_self), Decimal(0)),
                survey_points=sum((x.max_points for x in leaves if not x.is_self), Decimal(0)),
                scored_by=scored_by,
                rule=rule_summary(rule, scored_by) if leaf else "",
                verified=node.verified,
                is_leaf=leaf,
            )
        )

    for f in catalogue.model.fields:
        add(1, f, False)
        for c in f.criteria:
            add(2, c, not c.components)
            for k in c.components:
                add(3, k, True)
    return rows


@dataclass(frozen=True)
class LevelTotal:
    """Count and points of one level of the catalogue (or of the scorable items)."""

    label: str
    count: int
    max_points: Decimal
    self_points: Decimal
    survey_points: Decimal
    unverified: int


def level_totals(catalogue: Catalogue) -> list[LevelTotal]:
    """Totals per level (fields, criteria, components) and for the scorable items (leaves)."""
    tree = catalogue_tree(catalogue)
    groups: list[tuple[str, list[TreeRow]]] = [
        (LEVEL_NAMES[level], [r for r in tree if r.level == level]) for level in (1, 2, 3)
    ]
    groups.append(("Mục chấm điểm", [r for r in tree if r.is_leaf]))
    return [
        LevelTotal(
            label=label,
            count=len(rows),
            max_points=sum((r.max_points for r in rows), Decimal(0)),
            self_points=sum((r.self_points for r in rows), Decimal(0)),
            survey_points=sum((r.survey_points for r in rows), Decimal(0)),
            unverified=sum(1 for r in rows if not r.verified),
        )
        for label, rows in groups
    ]
