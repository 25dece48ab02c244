"""Reading parcli's result workbook back: the Ministry's points by the catalogue's codes, and their identity.

The comparison (``parcli result compare``), next year's remedy plans (``parcli remedy issue --result``)
and next year's report (``parcli report --previous``) read the result through :func:`load_result`, never
the Ministry's own file.  The workbook is parcli's output, so anything wrong with it stops the command
(:class:`ResultWorkbookError`, naming the file and cell) with the advice to import again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from parcli.collect.rows import Row, TableRows, blank, number_text, read_table, text
from parcli.errors import InputNotFoundError, ParcliError
from parcli.numbers import normalise, to_decimal
from parcli.problems import Problem, ProblemCollector
from parcli.rounds.ministry import layout

_AGAIN = "Đề nghị chạy lại parcli result import (từ tệp kết quả của Bộ) để ghi lại bảng kết quả."
_RUN_AGAIN = "chạy lại parcli result import (từ tệp kết quả của Bộ) để ghi lại bảng kết quả."
_SHEETS = (layout.SHEET_ITEMS, layout.SHEET_FIELDS, layout.SHEET_META)


class ResultWorkbookError(ParcliError):
    """parcli's result workbook cannot be used: unreadable, another kind of workbook, or edited."""


@dataclass(frozen=True)
class ResultItem:
    """One component criterion of the result workbook (``appraised`` None: no figure of the Ministry)."""

    code: str
    source_code: str
    title: str
    field_code: str
    scored_by: str  # "self" or "survey"
    max_points: Decimal
    self_score: Decimal | None  # the self-assessment as the Ministry recorded it
    appraised: Decimal | None
    not_applicable: bool
    unit_note: str
    note: str
    status: str


@dataclass(frozen=True)
class ResultField:
    """One field of the result workbook (None: the Ministry's file did not give that figure)."""

    code: str
    title: str
    max_points: Decimal | None
    self_max: Decimal
    appraised: Decimal | None
    survey_max: Decimal
    survey: Decimal | None
    total: Decimal | None
    source: str


@dataclass
class MinistryResult:
    """A result workbook as read: its metadata, items and fields."""

    path: Path
    metadata: dict[str, str]
    items: dict[str, ResultItem] = field(default_factory=dict)
    fields: dict[str, ResultField] = field(default_factory=dict)

    @property
    def campaign_id(self) -> str:
        """The campaign the result was imported for."""
        return self.metadata.get(layout.META_CAMPAIGN, "")

    @property
    def year(self) -> str:
        """The year appraised."""
        return self.metadata.get(layout.META_YEAR, "")

    @property
    def catalogue_hash(self) -> str:
        """The content hash of the catalogue the codes belong to."""
        return self.metadata.get(layout.META_CATALOGUE_HASH, "")

    @property
    def by_items(self) -> bool:
        """True when the Ministry's points are known per component criterion (else per field only)."""
        return self.metadata.get(layout.META_GRANULARITY) == "items"

    @property
    def has_self(self) -> bool:
        """True when the Ministry's table recorded the province's self-assessed points."""
        return self.metadata.get(layout.META_HAS_SELF) == "1"

    @property
    def source_file(self) -> str:
        """The Ministry's file the result was imported from."""
        return self.metadata.get(layout.META_SOURCE_FILE, "")

    @property
    def source_sha256(self) -> str:
        """The SHA-256 of that file."""
        return self.metadata.get(layout.META_SOURCE_SHA256, "")

    @property
    def errors(self) -> int:
        """How many errors the import found."""
        value = self.metadata.get(layout.META_ERRORS, "0")
        return int(value) if value.isdigit() else 0


def result_kind(path: Path) -> bool:
    """Whether ``path`` is a workbook whose hidden metadata names it a result workbook (never raises)."""
    from parcli.xlsx.open import WorkbookRefused, open_workbook, read_metadata

    try:
        wb = open_workbook(path, fast_sheets=(layout.SHEET_META,), noun="bảng kết quả")
    except (WorkbookRefused, OSError):
        return False
    try:
        meta = read_metadata(wb, layout.SHEET_META, len(layout.META_KEYS) + 5) or {}
    except Exception:  # a parser's own error class (calamine, lxml): not a workbook parcli can tell
        return False
    finally:
        wb.close()
    return meta.get(layout.META_KIND) == layout.KIND_RESULT


def load_result(path: Path) -> MinistryResult:
    """Read a result workbook written by ``parcli result import``; :class:`ResultWorkbookError` if it is not one."""
    from parcli.xlsx.open import WorkbookRefused, open_workbook, read_metadata, root_cause_name

    if not path.is_file():
        raise InputNotFoundError(f"Không tìm thấy bảng kết quả {path}.")
    try:
        wb = open_workbook(path, fast_sheets=_SHEETS, noun="bảng kết quả")
    except WorkbookRefused as exc:
        raise ResultWorkbookError(
            f"Không đọc được {path.name}: {exc.message.split(' Đề nghị', 1)[0]} {_AGAIN}"
        ) from None
    try:
        meta = read_metadata(wb, layout.SHEET_META, len(layout.META_KEYS) + 5) or {}
        if meta.get(layout.META_KIND) != layout.KIND_RESULT:
            raise ResultWorkbookError(
                f"{path.name} không phải bảng kết quả do parcli result import ghi ra (trang tính ẩn "
                f"“{layout.SHEET_META}” không có hoặc ghi loại khác). {_AGAIN}"
            )
        if meta.get(layout.META_LAYOUT) != layout.LAYOUT_VERSION:
            raise ResultWorkbookError(f"{path.name} theo mẫu phiên bản {meta.get(layout.META_LAYOUT)!r}. {_AGAIN}")
        result = MinistryResult(path, meta)
        problems: list[Problem] = []
        add = ProblemCollector(problems, path.name)
        for table in (layout.OWN_ITEMS, layout.OWN_FIELDS):
            if table.sheet not in wb.sheetnames:
                raise ResultWorkbookError(f"{path.name} thiếu trang tính “{table.sheet}”. {_AGAIN}")
        items = read_table(wb[layout.SHEET_ITEMS], layout.OWN_ITEMS, add, max_rows=5000)
        fields = read_table(wb[layout.SHEET_FIELDS], layout.OWN_FIELDS, add, max_rows=200)
        if items is None or fields is None:
            raise ResultWorkbookError(f"{path.name}: {problems[0].message}")
        _items(items, result, add)
        _fields(fields, result, add)
        errors = [p for p in problems if p.is_error]
        if errors:
            lines = "\n".join(f"  - {p.where()}: {p.message}" for p in errors[:10])
            raise ResultWorkbookError(f"Bảng kết quả {path.name} có ô không hợp lệ:\n{lines}\n{_AGAIN}")
        return result
    except ResultWorkbookError:
        raise
    except Exception as exc:  # a part damaged past the guarded open (calamine, lxml)
        raise ResultWorkbookError(f"{path.name} bị hỏng, không đọc được ({root_cause_name(exc)}). {_AGAIN}") from None
    finally:
        wb.close()


def _number(row: Row, key: str) -> Decimal | None:
    """A number written by the import (None for an empty cell); anything else is an error on the cell."""
    value = row.value(key)
    if blank(value):
        return None
    number: Decimal | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = to_decimal(value)
        number = normalise(number) if number.is_finite() else None
    elif isinstance(value, str) and not row.is_formula(key):
        number = number_text(text(value))
    if number is None or not number.is_finite() or number < 0:
        row.problem("result-not-a-number", f"ô “{text(value)}” không phải số điểm. Đề nghị {_RUN_AGAIN}", key)
        return None
    return number


def _items(table: TableRows, result: MinistryResult, add: ProblemCollector) -> None:
    scored_by = {v: k for k, v in layout.SCORED_BY_LABELS.items()}
    for row in table:
        code = row.text("code")
        value = row.value("appraised")
        na = isinstance(value, str) and layout.label_key(value) == layout.label_key(layout.NOT_APPLICABLE)
        top = _number(row, "max")
        if top is None:
            row.problem(
                "result-not-a-number", f"Mục {code} không có điểm tối đa. Đề nghị {_RUN_AGAIN}", "max", item=code
            )
            continue
        result.items[code] = ResultItem(
            code=code,
            source_code=row.text("source_code"),
            title=row.text("title"),
            field_code=row.text("field") or code.split(".")[0],
            scored_by=scored_by.get(row.text("scored_by"), "self"),
            max_points=top,
            self_score=_number(row, "self"),
            appraised=None if na else _number(row, "appraised"),
            not_applicable=na,
            unit_note=row.typed("unit_note"),
            note=row.typed("note"),
            status=row.text("status"),
        )


def _fields(table: TableRows, result: MinistryResult, add: ProblemCollector) -> None:
    for row in table:
        code = row.text("code")
        if not code:
            continue  # the total row
        result.fields[code] = ResultField(
            code=code,
            title=row.text("title"),
            max_points=_number(row, "max"),
            self_max=_number(row, "self_max") or Decimal(0),
            appraised=_number(row, "appraised"),
            survey_max=_number(row, "survey_max") or Decimal(0),
            survey=_number(row, "survey"),
            total=_number(row, "total"),
            source=row.text("source"),
        )
