"""Reading a catalogue table back: every cell checked, every problem located by cell, then the YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from parcli.catalogue_table.cells import (
    RULE_HINT,
    BadCell,
    CatalogueTableError,
    TableProblem,
    cell_code,
    cell_flag,
    cell_not_applicable,
    cell_points,
    cell_scored_by,
    cell_text,
    header_key,
    parse_rule,
)
from parcli.catalogue_table.export import dump_catalogue_yaml, yaml_text
from parcli.catalogue_table.layout import (
    COLUMNS,
    FLAG_KEYS,
    HEADER_BY_KEY,
    HEADER_SEARCH_ROWS,
    INFO_KEYS,
    LEAF_KEYS,
    SHEET_INFO,
    SHEET_TABLE,
)
from parcli.config.catalogue import CATALOGUE_SCHEMA, parse_catalogue
from parcli.errors import CatalogueError, InputNotFoundError

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_TOTAL_WORDS = {"tổng", "tổng cộng", "cộng"}


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
            except BadCell as exc:
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
            return cell_flag(raw)
        if key in ("total_points", "self_points", "survey_points"):
            points = cell_points(raw)
            if points is None:
                raise BadCell("thiếu số điểm")
            return points
        if key == "year":
            if isinstance(raw, int) and not isinstance(raw, bool):
                return raw
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            text = cell_text(raw)
            if text is None or not text.isdigit():
                raise BadCell(f"năm phải là một số như 2023 (đang là “{text or ''}”)")
            return int(text)
        text = cell_text(raw)
        if key == "notes":
            return text
        if text is None:
            raise BadCell("không được để trống")
        if key == "id" and not _ID.fullmatch(text):
            raise BadCell(f"mã bộ tiêu chí “{text}” chỉ gồm chữ thường không dấu, số và dấu gạch nối")
        return text

    # -- the sheet "Bộ tiêu chí"
    def read_rows(self, ws: Any) -> list[_Row] | None:
        rows = list(ws.iter_rows(values_only=True))
        header_row = 0
        for index, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
            keys = {header_key(v): col for col, v in enumerate(values, start=1)}
            if header_key("Mã") in keys and header_key("Nội dung") in keys:
                header_row = index
                by_label = {header_key(label): key for label, key, _ in COLUMNS}
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
                raise BadCell("dòng có nội dung nhưng thiếu mã")
            code, warning = cell_code(code_cell)
        except BadCell as exc:
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
            "title": cell_text,
            "max_points": cell_points,
            "scored_by": cell_scored_by,
            "guidance": cell_text,
            "source": cell_text,
            "verified": cell_flag,
            **dict.fromkeys(FLAG_KEYS, cell_flag),
            "not_applicable": cell_not_applicable,
        }
        for key, read in readers.items():
            try:
                row.values[key] = read(raw[key])
            except BadCell as exc:
                self.cell_error(row, key, str(exc))
                row.values[key] = _BAD
        try:
            row.values["rule"] = parse_rule(cell_text(raw["rule"]))
        except (ValueError, BadCell) as exc:
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
                self.cell_error(row, "rule", f"mục tự đánh giá phải có Cách chấm: {RULE_HINT}")
            node["scored_by"] = scored_by
            if rule is not None:
                node["rule"] = rule
        if kind != "field":
            if v["guidance"] not in (None, _BAD):
                node["guidance"] = v["guidance"]
            for key in FLAG_KEYS:
                if isinstance(v[key], dict):
                    node[key] = v[key]
                    continue
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
                int(index) - 1 if index else name  # the messages count positions from 1
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
            tokens = [int(n) - 1 for n in re.findall(r"\[(\d+)\]", match.group(1))]  # counted from 1
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
    from parcli.xlsx.open import WorkbookRefused, open_workbook

    try:
        return open_workbook(path, fast_sheets=None, noun="bảng danh mục", read_only=False)
    except WorkbookRefused as exc:
        raise CatalogueTableError(
            path.name, [TableProblem(f"không mở được bảng tính .xlsx: {exc.message}; lưu lại ở định dạng Excel .xlsx")]
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
        text = yaml_text(info, path.name)
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
