"""Reading the Ministry's appraisal from its workbook, against the catalogue; every mismatch named by row.

:func:`read_ministry` never raises for bad data.  It looks on every sheet for the items table (the
export of the scoring software) and for the fields table (the published decision), each by its
labels at any of the first rows (:mod:`.layout`).  Codes come from the code column, or are counted
from the order numbers when the table numbers its rows ``I / 1 / a)``; a code mapping (old → new,
``parcli catalogue diff``) turns the Ministry's codes into the catalogue's.  Then, by cell:

* ``result-unknown-code`` — a code the catalogue (after the mapping) does not have;
* ``result-max-differs`` — a maximum that is not the catalogue's;
* ``result-above-max``, ``result-below-zero``, ``result-not-a-number``, ``result-formula``,
  ``result-points-missing`` — the appraised points (those rows are not imported);
* ``result-duplicate-item`` — a second row for one item (the first counts);
* ``result-item-missing`` / ``result-field-missing`` — an item or field of the catalogue absent;
* ``result-title-differs``, ``result-total-differs``, ``result-field-sum-differs`` — warnings.

A workbook parcli wrote itself (a consolidated workbook, an earlier result) is refused:
``result-parcli-workbook``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from parcli.collect.form import FormResult, open_form
from parcli.collect.rows import Row, TableRows, blank, number_text, read_table, text
from parcli.config.catalogue import Catalogue
from parcli.numbers import fmt_points, to_decimal
from parcli.problems import ProblemCollector
from parcli.rounds.ministry import layout
from parcli.rounds.ministry.numbering import codes_of

ZERO = Decimal(0)
TITLE_SIMILARITY = 0.5  # titles less alike than this (word level) are worth a look
_NOUN = "bảng kết quả thẩm định của Bộ Nội vụ"
_ADVICE = layout.SOURCE_ADVICE
_FETCH = _ADVICE.removeprefix("Đề nghị ")  # the advice after "Đề nghị", for messages that say it themselves
_TOTAL_WORDS = ("tổng", "cộng")  # a total row ("Tổng cộng", "Tổng số điểm"): not an item


@dataclass
class MinistryItem:
    """One component criterion as the Ministry appraised it (``code`` is the catalogue's)."""

    code: str
    source_code: str  # the code or order number as written in the Ministry's table
    sheet: str
    row: int
    title: str = ""
    max_points: Decimal | None = None  # as written (checked against the catalogue)
    self_score: Decimal | None = None  # the province's self-assessment as the Ministry recorded it
    appraised: Decimal | None = None
    not_applicable: bool = False
    unit_note: str = ""
    note: str = ""
    max_differs: bool = False  # the row's maximum is not the catalogue's (the points still count)


@dataclass
class MinistryField:
    """One field of the published result."""

    code: str
    sheet: str
    row: int
    title: str = ""
    max_points: Decimal | None = None
    appraised: Decimal | None = None  # the self-assessed part, as appraised
    survey: Decimal | None = None  # the sociological survey part
    total: Decimal | None = None
    cell: str | None = None  # the appraised points' cell


@dataclass
class MinistryImport(FormResult):
    """The Ministry's workbook as read: items and fields by the catalogue's codes, problems by cell."""

    items: dict[str, MinistryItem] = field(default_factory=dict)
    fields: dict[str, MinistryField] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)  # catalogue codes whose row had an error (not imported)
    item_sheet: str = ""
    field_sheet: str = ""
    has_self: bool = False  # the items table has the self-assessed points

    @property
    def granularity(self) -> str:
        """``items`` when the table gives the points per component criterion, else ``fields``."""
        return "items" if self.item_sheet else "fields"


def read_ministry(path: Path, catalogue: Catalogue, mapping: dict[str, str | None] | None = None) -> MinistryImport:
    """Read the Ministry's result workbook against ``catalogue`` (codes through ``mapping``); never raises."""
    result = MinistryImport(path=path)
    opened = open_form(result, lambda wb, add: _read(wb, catalogue, mapping, result, add), fast_sheets=None, noun=_NOUN)
    if not opened:
        result.usable = False
    result.problems[:] = [_own_advice(p) for p in result.problems]
    return result


def _own_advice(problem: Any) -> Any:
    """A file-level message written for a returned form ("send the form issued") asks for the Ministry's file."""
    if problem.sheet is None and "đã được phát hành" in problem.message:
        return replace(problem, message=problem.message.split(" Đề nghị", 1)[0] + " " + _ADVICE)
    return problem


def _read(
    wb: Any, catalogue: Catalogue, mapping: dict[str, str | None] | None, result: MinistryImport, add: ProblemCollector
) -> None:
    from parcli.xlsx.open import read_metadata

    meta = read_metadata(wb, layout.SHEET_META) if layout.SHEET_META in wb.sheetnames else None
    if meta and meta.get(layout.META_KIND, "").startswith("parcli-"):
        add.add(
            "result-parcli-workbook",
            "Tệp này do parcli ghi ra (bảng tổng hợp hoặc kết quả đã nhập), không phải bảng kết quả thẩm định của Bộ "
            f"Nội vụ. Đề nghị {_FETCH}",
        )
        return
    found = _find_tables(wb)
    if not found:
        add.add(
            "header-missing",
            f"Không tìm thấy bảng kết quả ({layout.HEADER_HINT}) trên trang tính nào. Đề nghị {_FETCH}",
        )
        return
    result.usable = True
    rows = len(catalogue.node_titles) * 3 + 200
    for sheet, (kind, labels, width) in found.items():
        table = read_table(
            wb[sheet], layout.ministry_table(sheet, labels, fields=kind == "fields"), add, max_rows=rows, width=width
        )
        if table is None:  # pragma: no cover - the header was found above with the same labels
            continue
        if kind == "items":
            result.item_sheet = sheet
            result.has_self = any(key == "self" for key, _ in labels)
            _read_items(table, catalogue, mapping, result)
        else:
            result.field_sheet = sheet
            _read_fields(table, catalogue, result)
        table.report_normalised()
    if result.item_sheet:
        _missing_items(catalogue, result, add)
    if result.field_sheet:
        _missing_fields(catalogue, result, add)
        if result.item_sheet:
            _cross_check(catalogue, result, add)


def _find_tables(wb: Any) -> dict[str, tuple[str, tuple[tuple[str, str], ...], int]]:
    """The first sheet holding the items table and the first holding the fields table.

    sheet → (``items`` or ``fields``, the (key, label) pairs found, the columns to read).  A header that
    has "Lĩnh vực" and points but no item title is the fields table.
    """
    from parcli.collect.layout import HEADER_SEARCH_ROWS

    item_labels, field_labels = _known(layout.ITEM_LABELS), _known(layout.FIELD_LABELS)
    out: dict[str, tuple[str, tuple[tuple[str, str], ...], int]] = {}
    for sheet in wb.sheetnames:
        if sheet == layout.SHEET_META or len(out) == 2:
            continue
        kinds = {kind for kind, _, _ in out.values()}
        for cells in wb[sheet].iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, max_col=40, values_only=True):
            keys = [layout.label_key(v) if isinstance(v, str) else "" for v in cells]
            as_items, as_fields = _labels(keys, item_labels), _labels(keys, field_labels)
            is_fields = all(k in as_fields for k in layout.FIELD_REQUIRED) and any(
                k in as_fields for k in layout.FIELD_POINTS
            )
            if is_fields and "title" not in as_items:
                if "fields" not in kinds:
                    out[sheet] = ("fields", _pairs(as_fields, layout.FIELD_LABELS), _width(as_fields))
                break
            if all(k in as_items for k in layout.ITEM_REQUIRED):
                if "items" not in kinds:
                    out[sheet] = ("items", _pairs(as_items, layout.ITEM_LABELS), _width(as_items))
                break
    return out


def _known(labels: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, int, str]]:
    """label key → (column key, rank of the label among that key's labels, the label)."""
    return {
        layout.label_key(label): (key, rank, label) for key, names in labels.items() for rank, label in enumerate(names)
    }


def _labels(keys: list[str], known: dict[str, tuple[str, int, str]]) -> dict[str, tuple[int, int, str]]:
    """column key → (rank, 1-based column, label) of the preferred label of that key a header row has."""
    found: dict[str, tuple[int, int, str]] = {}
    for index, cell in enumerate(keys, start=1):
        hit = known.get(cell)
        if hit is not None and (hit[0] not in found or hit[1] < found[hit[0]][0]):
            found[hit[0]] = (hit[1], index, hit[2])
    return found


def _pairs(found: dict[str, tuple[int, int, str]], labels: dict[str, tuple[str, ...]]) -> tuple[tuple[str, str], ...]:
    """(key, the label the header has) for every key found, in the order of ``labels``."""
    return tuple((key, found[key][2]) for key in labels if key in found)


def _width(found: dict[str, tuple[int, int, str]]) -> int:
    """The columns to read: up to the last one found, and one more."""
    return max(column for _, column, _ in found.values()) + 1


# --- the items table -----------------------------------------------------------------------------------


def _read_items(
    table: TableRows, catalogue: Catalogue, mapping: dict[str, str | None] | None, result: MinistryImport
) -> None:
    """Every row with a code: a component criterion (its points checked), a field or criterion row (its
    maximum checked), or a code unknown to the catalogue."""
    rows = [row for row in table if not _is_total(row)]
    sheet = table.table.sheet
    codes = codes_of([_code_text(row.value("code")) for row in rows])
    seen: dict[str, int] = {}
    titles = _titles(catalogue)
    for row, (written, code, doubt) in zip(rows, codes, strict=True):
        if code is None:
            code = titles.get(layout.label_key(row.value("title")))
        if code is None:
            why = f" ({doubt})" if doubt else ""
            row.problem(
                "result-unknown-code",
                f"Số thứ tự “{written}”{why} không xác định được tiêu chí nào. Đề nghị ghi mã tiêu chí (ví dụ 1.2.3) "
                "vào cột STT/Mã của dòng này.",
                "code",
                item=written,
            )
            continue
        target = code
        if mapping is not None and code in mapping:
            target = mapping[code] or ""
        if target in catalogue.leaf_by_code:
            if target in seen:
                row.problem(
                    "result-duplicate-item",
                    f"Mục {target} đã có ở dòng {seen[target]}; dòng này không được dùng. Đề nghị xóa dòng trùng "
                    "hoặc sửa mã (và tệp đối chiếu mã, nếu có).",
                    "code",
                    item=target,
                )
                continue
            seen[target] = row.number
            _read_item(row, catalogue, target, written, sheet, result)
        elif target in catalogue.node_titles:  # a field's or a criterion's row
            top = _number(row, "max", target, "Điểm tối đa", quiet=True)
            _differs(row, top, catalogue.node_max[target], target, "max")
        else:
            gone = " (tệp đối chiếu mã ghi “không còn”)" if mapping is not None and code in mapping else ""
            shown = code if target == code or not target else f"{code} → {target}"
            row.problem(
                "result-unknown-code",
                f"Mã {shown}{gone} không có trong bộ tiêu chí {catalogue.model.title}. Đề nghị kiểm tra mã, hoặc "
                "nhập kèm tệp đối chiếu mã (--mapping) khi bộ tiêu chí đã thay đổi.",
                "code",
                item=code,
            )


def _titles(catalogue: Catalogue) -> dict[str, str]:
    """The comparable title of every component criterion whose title is unique → its code."""
    seen: dict[str, list[str]] = {}
    for leaf in catalogue.leaves:
        seen.setdefault(layout.label_key(leaf.title), []).append(leaf.code)
    return {title: codes[0] for title, codes in seen.items() if len(codes) == 1}


def _code_text(value: Any) -> str:
    """A code cell as text: a whole number typed as a number reads without its decimal point."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text(value)


def _is_total(row: Row) -> bool:
    """A total row ("Tổng cộng"): its code or title cell starts with a total word."""
    for key in ("code", "title"):
        words = layout.label_key(row.value(key)).split()
        if words and words[0] in _TOTAL_WORDS:
            return True
    return False


def _read_item(row: Row, catalogue: Catalogue, code: str, written: str, sheet: str, result: MinistryImport) -> None:
    leaf = catalogue.leaf_by_code[code]
    item = MinistryItem(code, written, sheet, row.number, title=row.typed("title", item=code))
    item.unit_note = row.typed("unit_note", item=code)
    item.note = row.typed("note", item=code)
    item.max_points = _number(row, "max", code, "Điểm tối đa")
    # a maximum unlike the catalogue's is an error, but the points (within the catalogue's maximum) still count
    item.max_differs = _differs(row, item.max_points, leaf.max_points, code, "max")
    item.self_score = _number(row, "self", code, "Điểm tự chấm", top=leaf.max_points)
    value = row.value("appraised")
    if not leaf.is_self:  # a survey item: its points when the table gives them ("Điều tra XHH" and blanks say not)
        number = None if isinstance(value, bool | datetime | date) or row.is_formula("appraised") else _plain(value)
        if number is not None:
            item.appraised = _number(row, "appraised", code, "Điểm điều tra XHH", top=leaf.max_points)
        result.items[code] = item
        return
    if isinstance(value, str) and layout.label_key(value) == layout.label_key(layout.NOT_APPLICABLE):
        item.not_applicable = True
    elif blank(value) and not row.is_formula("appraised"):
        row.problem(
            "result-points-missing",
            f"Mục {code} chưa có điểm thẩm định. Đề nghị ghi điểm thẩm định của Bộ (hoặc “Không áp dụng”).",
            "appraised",
            item=code,
        )
    else:
        item.appraised = _number(row, "appraised", code, "Điểm thẩm định", top=leaf.max_points)
    if item.title and _unlike(item.title, leaf.title):
        row.problem(
            "result-title-differs",
            f"Nội dung “{item.title}” khác tên tiêu chí thành phần {code} trong bộ tiêu chí (“{leaf.title}”). Kiểm "
            "tra lại mã, hoặc tệp đối chiếu mã khi bộ tiêu chí đã thay đổi.",
            "title",
            item=code,
        )
    result.items[code] = item
    if item.appraised is None and not item.not_applicable:
        result.rejected.add(code)


def _differs(row: Row, written: Decimal | None, expected: Decimal, code: str, key: str) -> bool:
    """Whether the row writes a maximum other than the catalogue's (then ``result-max-differs`` on its cell)."""
    if written is None or written == expected:
        return False
    row.problem(
        "result-max-differs",
        f"{_subject(code)}: điểm tối đa trong bảng của Bộ là {fmt_points(written)}, trong bộ tiêu chí là "
        f"{fmt_points(expected)}. Đề nghị sửa bộ tiêu chí theo văn bản chính thức (hoặc kiểm tra mã) rồi nhập lại.",
        key,
        item=_item(code),
    )
    return True


def _number(
    row: Row, key: str, code: str, label: str, *, top: Decimal | None = None, quiet: bool = False
) -> Decimal | None:
    """The number in a cell (a decimal comma and text are accepted), None when empty; a bad value is an error
    on the cell, or, when ``quiet`` (a subtotal row's maximum, only read for a check), just None."""
    value = row.value(key)
    if blank(value) and not row.is_formula(key):
        return None
    if quiet:
        formula = row.is_formula(key) or (isinstance(value, str) and value.strip().startswith("="))
        number = None if formula or isinstance(value, bool | datetime | date) else _plain(value)
        return number if number is not None and number >= 0 else None
    if row.is_formula(key) or (isinstance(value, str) and value.strip().startswith("=")):
        row.problem(
            "result-formula",
            f"{_subject(code)}: ô “{label}” là công thức; kết quả tính sẵn không được dùng. Đề nghị dán giá trị "
            "(Paste Values) thay cho công thức rồi nhập lại.",
            key,
            item=_item(code),
        )
        return None
    number = None if isinstance(value, bool | datetime | date) else _plain(value)
    if number is None:
        row.problem(
            "result-not-a-number",
            f"{_subject(code)}: “{label}” là “{text(value)}”, không phải số. Đề nghị ghi số điểm (ví dụ 0,5).",
            key,
            item=_item(code),
        )
        return None
    if number < 0:
        row.problem(
            "result-below-zero",
            f"{_subject(code)}: “{label}” là {fmt_points(number)}, nhỏ hơn 0. Đề nghị kiểm tra lại bảng của Bộ.",
            key,
            item=_item(code),
        )
        return None
    if top is not None and number > top:
        row.problem(
            "result-above-max",
            f"{_subject(code)}: “{label}” là {fmt_points(number)}, vượt điểm tối đa {fmt_points(top)}. Đề nghị "
            "kiểm tra lại bảng của Bộ, hoặc điểm tối đa trong bộ tiêu chí.",
            key,
            item=_item(code),
        )
        return None
    return number


def _subject(code: str) -> str:
    """``Mục 1.2.3`` for an item, ``Lĩnh vực 1`` for a field (``code`` given as ``lĩnh vực 1``)."""
    return f"Mục {code}" if code[:1].isdigit() else code[:1].upper() + code[1:]


def _item(code: str) -> str:
    """The code a problem is filed under: the item's, or the field's number."""
    return code.rsplit(" ", 1)[-1]


def _plain(value: Any) -> Decimal | None:
    """A number typed or stored in a cell (finite), or None."""
    if isinstance(value, int | float):
        number = to_decimal(value)
        return number if number.is_finite() else None
    return number_text(text(value))


def _unlike(written: str, title: str) -> bool:
    """Whether two titles differ beyond wording (word-level similarity below :data:`TITLE_SIMILARITY`)."""
    a, b = layout.label_key(written).split(), layout.label_key(title).split()
    return difflib.SequenceMatcher(None, a, b).ratio() < TITLE_SIMILARITY


def _missing_items(catalogue: Catalogue, result: MinistryImport, add: ProblemCollector) -> None:
    """Every self-assessed component criterion the items table leaves out (survey items may be left out)."""
    for leaf in catalogue.leaves:
        if leaf.is_self and leaf.code not in result.items:
            add.add(
                "result-item-missing",
                f"Tiêu chí thành phần {leaf.code} ({leaf.title}) không có trong bảng kết quả của Bộ. Đề nghị bổ sung "
                "dòng của mục này, hoặc kiểm tra mã và tệp đối chiếu mã (--mapping).",
                sheet=result.item_sheet,
                item=leaf.code,
            )


# --- the fields table ----------------------------------------------------------------------------------


def _field_code(written: str, known: set[str]) -> str | None:
    """The field a cell names: ``1``, ``1.``, ``I``, ``Lĩnh vực 1`` (or None)."""
    from parcli.config.campaign_models import roman_to_int

    words = written.replace(".", " ").replace(":", " ").split()
    if words and layout.label_key(" ".join(words[:2])) == "lĩnh vực":
        words = words[2:]
    if len(words) != 1:
        return None
    word = words[0]
    if word.isdigit():
        code = str(int(word))
    else:
        try:
            code = str(roman_to_int(word.upper()))
        except ValueError:
            return None
    return code if code in known else None


def _read_fields(table: TableRows, catalogue: Catalogue, result: MinistryImport) -> None:
    fields = {f.code: f for f in catalogue.model.fields}
    for row in table:
        if _is_total(row):
            continue
        written = _code_text(row.value("code")) or row.text("title")
        code = _field_code(written, set(fields))
        if code is None:
            code = _field_code(row.text("title"), set(fields))
        if code is None:
            row.problem(
                "result-unknown-code",
                f"Dòng “{written}” không xác định được lĩnh vực nào của bộ tiêu chí. Đề nghị ghi số thứ tự lĩnh vực "
                "(1 đến 8, hoặc I đến VIII).",
                "code",
                item=written,
            )
            continue
        name = f"lĩnh vực {code}"
        if code in result.fields:
            row.problem(
                "result-duplicate-item",
                f"Lĩnh vực {code} đã có ở dòng {result.fields[code].row}; dòng này không được dùng. Đề nghị xóa "
                "dòng trùng.",
                "code",
                item=code,
            )
            continue
        node = fields[code]
        self_max = sum((leaf.max_points for leaf in catalogue.leaves_under(code) if leaf.is_self), ZERO)
        entry = MinistryField(code, table.table.sheet, row.number, title=row.text("title"))
        entry.max_points = _number(row, "max", name, "Điểm tối đa")
        _differs(row, entry.max_points, node.max_points, name, "max")
        entry.cell = row.ref("appraised") or row.ref("code")
        entry.appraised = _number(row, "appraised", name, "Điểm thẩm định", top=self_max)
        entry.survey = _number(row, "survey", name, "Điểm điều tra XHH", top=node.max_points - self_max)
        entry.total = _number(row, "total", name, "Tổng điểm", top=node.max_points)
        parts = (entry.appraised, entry.survey)
        if entry.total is not None and None not in parts and entry.total != sum(p or ZERO for p in parts):
            row.problem(
                "result-total-differs",
                f"Lĩnh vực {code}: tổng điểm {fmt_points(entry.total)} khác điểm thẩm định cộng điểm điều tra XHH "
                f"({fmt_points(sum(p or ZERO for p in parts))}). Kiểm tra lại bảng của Bộ.",
                "total",
                item=code,
            )
        result.fields[code] = entry


def _missing_fields(catalogue: Catalogue, result: MinistryImport, add: ProblemCollector) -> None:
    for node in catalogue.model.fields:
        if node.code not in result.fields:
            add.add(
                "result-field-missing",
                f"Lĩnh vực {node.code} ({node.title}) không có trong bảng kết quả theo lĩnh vực. Đề nghị bổ sung dòng "
                "của lĩnh vực này.",
                sheet=result.field_sheet,
                item=node.code,
            )


def _cross_check(catalogue: Catalogue, result: MinistryImport, add: ProblemCollector) -> None:
    """Where both tables are given: a field's appraised points against the sum of its items (all present)."""
    for code, entry in result.fields.items():
        leaves = [leaf for leaf in catalogue.leaves_under(code) if leaf.is_self]
        items = [result.items.get(leaf.code) for leaf in leaves]
        if entry.appraised is None or any(i is None or i.code in result.rejected for i in items):
            continue
        total = sum((i.appraised or ZERO for i in items if i is not None), ZERO)
        if total != entry.appraised:
            add.add(
                "result-field-sum-differs",
                f"Lĩnh vực {code}: điểm thẩm định theo lĩnh vực là {fmt_points(entry.appraised)}, cộng các tiêu chí "
                f"thành phần được {fmt_points(total)}. Số liệu so sánh tính theo từng tiêu chí thành phần; kiểm tra "
                "lại bảng của Bộ.",
                sheet=result.field_sheet,
                cell=entry.cell,
                item=code,
            )
