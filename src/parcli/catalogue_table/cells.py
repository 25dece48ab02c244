"""Reading the cells of a catalogue table one at a time, and the problems found, located by cell.

A reader returns the value of a cell or raises :class:`BadCell` with a Vietnamese message; the
importer (:mod:`parcli.catalogue_table.import_`) turns that into a :class:`TableProblem`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from parcli.catalogue_table.layout import NA_FULL_POINTS, NO, YES
from parcli.errors import CatalogueError
from parcli.numbers import fmt_points, normalise
from parcli.rounds.scoring import layout

_NUM = r"\d+(?:[.,]\d+)?"
_POINTS_TEXT = re.compile(rf"({_NUM})(?:\s*(?:điểm|đ))?", re.IGNORECASE)
_OPTION = re.compile(rf"[-•+*]?\s*({_NUM})\s*(?:điểm|đ)?\s*[:：]\s*(.+)", re.IGNORECASE | re.DOTALL)
_SCALE = re.compile(
    rf"thang\s+điểm(?:\s*[,;:–-]?\s*bước(?:\s+nhảy)?\s*({_NUM})(?:\s*(?:điểm|đ))?)?\s*\.?",
    re.IGNORECASE,
)
_CODE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
RULE_HINT = (
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


# --- reading cells ----------------------------------------------------------------------------
class BadCell(Exception):
    """A cell value that cannot be used; the message is Vietnamese."""


def _is_formula(value: object) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    return not isinstance(value, int | float | Decimal | date | time | type(None))


def cell_text(value: object) -> str | None:
    """Cell text: NFC, line ends normalised, trimmed; None when blank."""
    if value is None:
        return None
    if _is_formula(value):
        raise BadCell("ô chứa công thức; nhập trực tiếp nội dung (parcli không đọc công thức)")
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


def cell_points(value: object) -> Decimal | None:
    """A number of points: a number cell or text with a decimal comma or dot; None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if _is_formula(value):
        raise BadCell("ô chứa công thức; nhập trực tiếp số điểm (parcli không đọc công thức)")
    if isinstance(value, bool | datetime | date | time):
        raise BadCell(f"không đọc được số điểm “{cell_text(value)}”")
    if isinstance(value, int | float):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise BadCell(f"không đọc được số điểm “{value}”") from None
    else:
        text = cell_text(value) or ""
        match = _POINTS_TEXT.fullmatch(text)
        if match is None:
            raise BadCell(f"không đọc được số điểm “{text}”: ghi một số như 1 hoặc 0,75")
        number = Decimal(match.group(1).replace(",", "."))
    return checked_points(number)


def checked_points(number: Decimal) -> Decimal:
    """``number`` normalised if it is a usable number of points (finite, ≥ 0, at most 4 decimals)."""
    if not number.is_finite() or number < 0:
        raise BadCell(f"số điểm phải từ 0 trở lên (đang là {number})")
    number = normalise(number)
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > 4 or len(number.as_tuple().digits) > 8:
        raise BadCell(f"số điểm {fmt_points(number)} quá dài: tối đa 4 chữ số thập phân")
    return number


def cell_flag(value: object) -> bool:
    """A Có/Không cell; blank is Không."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = (cell_text(value) or "").casefold()
    if text in ("", "không", "khong", "k", "no", "false", "0"):
        return False
    if text in ("có", "co", "x", "yes", "true", "1"):
        return True
    raise BadCell(f"ghi “{YES}” hoặc “{NO}” (đang là “{cell_text(value)}”)")


def cell_not_applicable(value: object) -> bool | dict[str, object]:
    """A *Cho phép không áp dụng* cell: Có/Không, or “Có – tính đủ điểm” (the full-points rule)."""
    if isinstance(value, str):
        key = " ".join(value.replace("-", "–").split()).casefold()
        if key == NA_FULL_POINTS.casefold():
            return {"allowed": True, "scoring": "full_points"}
    try:
        return cell_flag(value)
    except BadCell:
        raise BadCell(f"ghi “{YES}”, “{NA_FULL_POINTS}” hoặc “{NO}” (đang là “{cell_text(value)}”)") from None


def cell_scored_by(value: object) -> str | None:
    """A *Hình thức* cell: ``self``, ``survey`` or None when blank."""
    text = cell_text(value)
    if text is None:
        return None
    key = " ".join(text.split()).casefold()
    if key in ("tự đánh giá", "self"):
        return "self"
    if key in ("điều tra xhh", "điều tra xã hội học", "điều tra", "survey"):
        return "survey"
    raise BadCell(f"Hình thức “{text}” không hợp lệ: ghi “Tự đánh giá” hoặc “Điều tra XHH”")


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
            step = checked_points(Decimal(scale.group(1).replace(",", ".")))
        except BadCell as exc:
            raise ValueError(f"bước điểm: {exc}") from None
        return {"kind": "scale", "step": step}
    parts = text.split("\n") if "\n" in text else text.split(";")
    options: list[dict[str, Any]] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        match = _OPTION.fullmatch(part)
        if match is None:
            raise ValueError(f"Cách chấm “{part}” không đọc được: {RULE_HINT}")
        try:
            points = checked_points(Decimal(match.group(1).replace(",", ".")))
        except BadCell as exc:
            raise ValueError(f"mức “{part}”: {exc}") from None
        options.append({"points": points, "label": " ".join(match.group(2).split())})
    if len(options) < 2:
        raise ValueError(f"Cách chấm cần ít nhất 2 mức điểm: {RULE_HINT}")
    return {"kind": "choice", "options": options}


def cell_code(value: object) -> tuple[str, str | None]:
    """(code, warning) from a Mã cell; raise :class:`BadCell` when it is not a code."""
    warning = None
    if isinstance(value, datetime | date | time):
        raise BadCell("Excel đã đổi mã thành ngày tháng; định dạng cột Mã là Văn bản (Text) rồi nhập lại mã")
    if isinstance(value, bool):
        raise BadCell(f"mã “{value}” không hợp lệ")
    if isinstance(value, float):
        text = repr(value)
        warning = (
            f"mã {text} được nhập dạng số (1.10 sẽ thành 1.1); nên định dạng cột Mã là Văn bản (Text) rồi nhập lại"
        )
    else:
        text = cell_text(value) or ""
    text = "".join(text.split()).rstrip(".")
    if not _CODE.fullmatch(text):
        raise BadCell(f"mã “{text}” không đúng dạng 1 (lĩnh vực), 1.2 (tiêu chí) hoặc 1.2.3 (tiêu chí thành phần)")
    if text.count(".") > 2:
        raise BadCell(f"mã {text} có quá 3 cấp: chỉ có lĩnh vực, tiêu chí và tiêu chí thành phần")
    return text, warning


def header_key(value: object) -> str:
    """Header text without a parenthesised hint, NFC, case-folded."""
    text = re.sub(r"\(.*\)\s*$", "", str(value or ""), flags=re.DOTALL)
    return layout.label_key(text)
