"""Reading a returned scoring workbook: every problem of a file in one pass.

:func:`read_return` never raises for bad data.  It recognises the campaign and
department from the hidden metadata sheet (not the file name), reads items by
their code (not their row), validates every item row against its catalogue
rule, and returns the values with a list of :class:`~parcli.problems.Problem`.
Opening the file (container checks, the fast reader and its fallback) is
:mod:`parcli.xlsx.open`'s; the steps every form shares are :mod:`parcli.collect.form`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.collect.form import FormResult, Identity, check_identity, open_form, require_sheets
from parcli.collect.rows import Row, TableRows, blank, finite_number, number_text, read_table, shown, text
from parcli.config.catalogue import ChoiceRule, Leaf, ScaleRule
from parcli.numbers import fmt_points, to_decimal
from parcli.problems import ProblemCollector
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.evidence import EvidenceFile, ItemEvidence, check_evidence
from parcli.xlsx.open import (
    SPREADSHEET_SUFFIXES,
    CalamineBook,
    is_lock_file,
    looks_legacy,
    read_labelled_date,
    read_workbook,
    root_cause_name,
    sniff_workbook,
)
from parcli.xlsx.open import read_metadata as _read_metadata_sheet
from parcli.xlsx.text import clean

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign, Department

_READ_SHEETS = (layout.SHEET_SCORES, layout.SHEET_COVER, layout.SHEET_META)


@dataclass
class ItemEntry:
    """What a department returned for one item."""

    code: str
    row: int
    score: Decimal | None = None
    not_applicable: bool = False
    explanation: str = ""
    evidence: str = ""
    accepted: bool = False
    evidence_cell: str | None = None  # the evidence cell's reference ("F12"), for problems on it


@dataclass
class ReturnResult(FormResult):
    """A returned workbook as read: identity, items, problems."""

    items: dict[str, ItemEntry] = field(default_factory=dict)
    evidence: dict[str, ItemEvidence] = field(default_factory=dict)  # item code -> its evidence cell, parsed
    evidence_files: dict[str, EvidenceFile] = field(default_factory=dict)  # package member -> checked file

    @property
    def department_id(self) -> str | None:
        """The department named by the metadata (the owner of the return)."""
        return self.owner_id


def read_return(path: Path, campaign: Campaign, *, fast: bool = True) -> ReturnResult:
    """Read and validate one returned workbook against the campaign; never raises for bad data.

    With ``fast`` (the default) the cell values are read with python-calamine (a
    Rust reader, ~15× faster than openpyxl) and formulas are found in the sheet
    XML; any workbook the fast reader cannot describe exactly (shared or array
    formulas, prefixed XML, a read error) is read with openpyxl instead.  Both
    paths give the same items and problems (tested on the bad-return corpus).
    """
    result = ReturnResult(path=path)
    if not open_form(
        result,
        lambda wb, add: _read_workbook(wb, campaign, result, add),
        fast_sheets=_READ_SHEETS if fast else None,
        noun="phiếu chấm điểm",
        open_noun="phiếu gốc",
    ):
        result.usable = False
        result.items.clear()
    elif result.usable and (campaign.model.evidence is not None or result.package is not None):
        check_evidence(result, campaign, layout.SHEET_SCORES)
    return result


def read_metadata(wb: Any) -> dict[str, str] | None:
    """The key/value pairs of the hidden metadata sheet, or None if the sheet is gone."""
    return _read_metadata_sheet(wb, layout.SHEET_META, len(layout.META_KEYS) + 5)


def read_cover_date(wb: Any) -> date | None:
    """The *Ngày gửi* written on the cover sheet, or None."""
    return read_labelled_date(wb, layout.SHEET_COVER, layout.label_key, layout.COVER_SENT)


# What the hidden metadata of a scoring return must say (the catalogue: the one its department scores on).
IDENTITY = Identity(
    layout.KIND_RETURN,
    layout.LAYOUT_VERSION,
    "phiếu chấm điểm",
    "Đề nghị điền vào phiếu chấm điểm mới nhất đã được phát hành cho đợt này (không sao chép sang tệp mới).",
    owner_key=layout.META_DEPARTMENT,
    round_key=layout.META_ROUND,
    round_title_key=layout.META_ROUND_TITLE,
    round_missing="accept",
    round_advice="Đề nghị gửi đúng phiếu chấm điểm của đợt này (phiếu đợt trước không được dùng lại).",
    catalogue_key=layout.META_CATALOGUE_HASH,
    campaign_hash_key=layout.META_CAMPAIGN_HASH,
)


def _read_workbook(wb: Any, campaign: Campaign, result: ReturnResult, add: ProblemCollector) -> None:
    meta = read_metadata(wb)
    if not check_identity(meta, IDENTITY, campaign, add, lambda: _guess_hint(wb, campaign)):
        return
    result.metadata = meta
    dept_id = meta.get(layout.META_DEPARTMENT, "")
    dept = campaign.department_by_id.get(dept_id)
    if dept is None:
        add.add(
            "unknown-department",
            f"Cơ quan “{dept_id}” ghi trong phiếu không có trong kế hoạch đánh giá. "
            "Đề nghị dùng phiếu đã được phát hành cho cơ quan mình.",
        )
        return
    result.owner_id = dept.id
    add.department = dept.id
    if not require_sheets(wb, (layout.SHEET_SCORES,), add, layout.SCORES.resend):
        return
    result.sent_date = read_cover_date(wb)
    _read_scores(wb[layout.SHEET_SCORES], campaign, dept, result, add)


def _guess_hint(wb: Any, campaign: Campaign) -> str:
    """A sentence naming the department the cover sheet text suggests (for the message only), or ""."""
    if layout.SHEET_COVER not in wb.sheetnames:
        return ""
    names = {layout.nfc(d.name).casefold(): d.name for d in campaign.departments}
    for row in wb[layout.SHEET_COVER].iter_rows(min_row=1, max_row=15, max_col=2, values_only=True):
        for value in row:
            if isinstance(value, str) and layout.nfc(value).strip().casefold() in names:
                return f" Tệp có vẻ là của {names[layout.nfc(value).strip().casefold()]}."
    return ""


def _read_scores(ws: Any, campaign: Campaign, dept: Department, result: ReturnResult, add: ProblemCollector) -> None:
    """Every row of the scoring table: an item assigned to the department, a group or total row, or a problem."""
    catalogue = dept.catalogue
    table = read_table(ws, layout.SCORES, add, max_rows=layout.HEADER_SEARCH_ROWS + 4 * len(catalogue.leaves) + 200)
    if table is None:
        return
    result.usable = True
    mine = {leaf.code: leaf for leaf in dept.items}
    groups = set(catalogue.node_titles) - set(catalogue.leaf_by_code)
    total = layout.label_key(layout.TOTAL_LABEL)
    for row in table:
        code = row.text("code")
        if code in groups or layout.label_key(code) == total:
            continue
        leaf = mine.get(code)
        if leaf is None:
            row.problem(
                "unknown-item",
                f"Dòng {row.number} có mã “{code}” {_not_assigned(code, campaign, dept)}. Đề nghị xóa dòng này hoặc "
                "khôi phục mã gốc.",
                "code",
                item=code,
            )
        elif code in result.items:
            row.problem(
                "duplicate-item",
                f"Mục {code} xuất hiện hai lần (dòng {result.items[code].row} và dòng {row.number}). Đề nghị chỉ giữ "
                "một dòng.",
                "code",
                item=code,
            )
        else:
            result.items[code] = _read_item(row, leaf, result)
    for leaf in dept.items:
        if leaf.code not in result.items:
            table.problem(
                "missing-item",
                f"Không tìm thấy dòng của mục {leaf.code} ({leaf.title}). Dòng đã bị xóa hoặc "
                "mã đã bị sửa; đề nghị khôi phục từ phiếu gốc.",
                item=leaf.code,
            )
    table.report_normalised()
    _check_below(ws, table)


def _not_assigned(code: str, campaign: Campaign, dept: Department) -> str:
    """Why an item code is not one of the department's rows (the end of the ``unknown-item`` sentence)."""
    owner = None if campaign.is_units else campaign.owner_of.get(code)
    if dept.is_exempt(code):
        return f"thuộc phần {dept.name} được miễn đánh giá"
    if owner is not None:
        return f"thuộc Phụ lục {owner.appendix} ({owner.name}), không thuộc phiếu này"
    if code in dept.catalogue.leaf_by_code:
        return "do điều tra xã hội học chấm điểm, không tự đánh giá"
    return "không có trong bộ tiêu chí (mã bị sửa hoặc dòng tự thêm)"


def _read_item(row: Row, leaf: Leaf, result: ReturnResult) -> ItemEntry:
    """One assigned item's row, accepted when it adds no error."""
    before = len(result.problems)
    entry = ItemEntry(code=leaf.code, row=row.number)
    entry.explanation = _typed(row, "explanation", leaf.code)
    entry.evidence = _typed(row, "evidence", leaf.code)
    entry.evidence_cell = row.ref("evidence")
    _check_max(row, leaf)
    _read_score(row, leaf, entry)
    _check_required(row, leaf, entry)
    entry.accepted = not any(p.is_error for p in result.problems[before:])
    return entry


def _typed(row: Row, key: str, code: str) -> str:
    """An explanation or evidence text; a formula (kept as its text) or a legacy encoding is a warning."""
    typed = row.typed(key, item=code)
    if row.is_formula(key):
        row.problem(
            "formula-in-text",
            f"Ô chứa công thức {clean(shown(row.value(key)))}; nội dung công thức được giữ nguyên dưới "
            "dạng chữ, không lấy kết quả tính. Đề nghị nhập trực tiếp nội dung.",
            key,
            item=code,
        )
    if typed and looks_legacy(typed):
        row.problem(
            "legacy-encoding",
            "Văn bản có vẻ được gõ bằng bảng mã cũ (TCVN3/VNI) nên hiển thị sai "
            "dấu. Đề nghị chuyển sang Unicode (ví dụ bằng Unikey) và gửi lại.",
            key,
            item=code,
        )
    return typed


def _check_below(ws: Any, table: TableRows) -> None:
    """Warn about content far below the table (it is not read)."""
    try:
        max_row = ws.max_row or 0
    except Exception:  # a damaged dimension; the table itself was read
        return
    if max_row > table.scanned and max_row > table.last + 50:
        table.problem(
            "content-below-table",
            f"Trang tính có nội dung đến dòng {max_row}, rất xa bảng chấm điểm "
            f"(kết thúc ở dòng {table.last}); phần đó không được đọc. Đề nghị xóa nội dung thừa.",
            cell=f"A{max_row}",
        )


def _check_max(row: Row, leaf: Leaf) -> None:
    """The maximum is the catalogue's: an edited maximum cell is a warning."""
    cell = row.cell("max")
    value = getattr(cell, "value", None)
    if value is None or getattr(cell, "data_type", None) == "f":
        return
    try:
        typed = to_decimal(value) if isinstance(value, int | float) else Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        typed = None
    if typed != leaf.max_points:
        row.problem(
            "max-changed",
            f"Điểm tối đa của mục {leaf.code} bị sửa thành “{shown(value)}”; điểm tối đa "
            f"được tính theo bộ tiêu chí là {fmt_points(leaf.max_points)}. Đề nghị không sửa cột điểm tối đa.",
            "max",
            item=leaf.code,
        )


def _read_score(row: Row, leaf: Leaf, entry: ItemEntry) -> None:
    """The self-assessed score (or not applicable), checked against the item's rule."""
    cell = row.cell("score")
    value = getattr(cell, "value", None)
    code = leaf.code

    def problem(slug: str, message: str) -> None:
        row.problem(slug, message, "score", item=code)

    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
        problem(
            "formula-in-score",
            f"Ô điểm của mục {code} chứa công thức {value}; kết quả công thức không bảo "
            "đảm chính xác (có thể chưa được tính). Đề nghị nhập trực tiếp số điểm.",
        )
        return
    error = row.error("score")
    if error is not None:
        problem(
            "not-a-number",
            f"Ô điểm của mục {code} hiển thị lỗi {error} của bảng tính, không phải số điểm. Đề nghị nhập trực tiếp "
            f"số điểm từ 0 đến {fmt_points(leaf.max_points)}.",
        )
        return
    if blank(value):
        problem(
            "score-missing",
            f"Mục {code} chưa có điểm tự đánh giá (tối đa {fmt_points(leaf.max_points)}). Đề nghị nhập điểm"
            + (f" hoặc chọn “{layout.NOT_APPLICABLE}”." if leaf.not_applicable else "."),
        )
        return
    score: Decimal | None
    if isinstance(value, (bool, datetime | date)):
        problem(
            "not-a-number",
            f"Điểm của mục {code} là “{shown(value)}”, không phải số (ô có thể đã bị định "
            "dạng ngày tháng). Đề nghị nhập lại số điểm.",
        )
        return
    if isinstance(value, int | float):
        score = finite_number(value)
        if score is None:
            problem(
                "not-a-number",
                f"Điểm của mục {code} là “{shown(value)}”, không phải một số điểm. Đề nghị nhập số điểm từ 0 đến "
                f"{fmt_points(leaf.max_points)}.",
            )
            return
    else:
        typed = text(value)
        if layout.label_key(typed) == layout.label_key(layout.NOT_APPLICABLE):
            if not leaf.not_applicable:
                problem(
                    "not-applicable-not-allowed",
                    f"Mục {code} không được phép chọn “{layout.NOT_APPLICABLE}” "
                    f"theo bộ tiêu chí. Đề nghị chấm điểm từ 0 đến {fmt_points(leaf.max_points)}.",
                )
                return
            entry.not_applicable = True
            return
        score = number_text(typed)
        if score is None:
            problem(
                "not-a-number",
                f"Điểm của mục {code} là “{typed}”, không phải số. Đề nghị nhập số điểm từ 0 đến "
                f"{fmt_points(leaf.max_points)}.",
            )
            return
        how = "được nhập dạng chữ" if "," in typed else "được lưu dạng chữ"
        problem(
            "decimal-comma" if "," in typed else "number-as-text",
            f"Điểm của mục {code} {how} “{typed}”, được hiểu là {fmt_points(score)}. "
            "Đề nghị kiểm tra lại và nhập dạng số.",
        )
    entry.score = score
    if score < 0:
        problem("score-below-zero", f"Điểm của mục {code} là {fmt_points(score)}, nhỏ hơn 0. Đề nghị chấm lại.")
    elif score > leaf.max_points:
        problem(
            "score-above-max",
            f"Điểm của mục {code} là {fmt_points(score)}, vượt điểm tối đa {fmt_points(leaf.max_points)}. "
            "Đề nghị chấm lại.",
        )
    elif isinstance(leaf.rule, ChoiceRule):
        allowed = [o.points for o in leaf.rule.options]
        if score not in allowed:
            levels = "; ".join(fmt_points(p) for p in allowed)
            problem(
                "score-not-allowed",
                f"Điểm của mục {code} là {fmt_points(score)}, không thuộc các mức cho phép "
                f"({levels}). Đề nghị chọn một mức trong danh sách.",
            )
    elif isinstance(leaf.rule, ScaleRule) and score % leaf.rule.step != 0:
        problem(
            "score-off-step",
            f"Điểm của mục {code} là {fmt_points(score)}, phải là bội số của {fmt_points(leaf.rule.step)}. "
            "Đề nghị chấm lại.",
        )


def _check_required(row: Row, leaf: Leaf, entry: ItemEntry) -> None:
    """The explanation a deduction, a not-applicable item or the catalogue asks for; the evidence it requires."""
    code = leaf.code
    if entry.score is None and not entry.not_applicable:
        return
    if not entry.explanation:
        why = None
        if entry.not_applicable:
            why = "được chọn “Không áp dụng” nhưng chưa giải trình lý do"
        elif leaf.explanation_required:
            why = "chưa có giải trình (bộ tiêu chí yêu cầu giải trình cho mục này)"
        elif entry.score is not None and entry.score < leaf.max_points:
            why = "bị trừ điểm nhưng chưa giải trình lý do"
        if why:
            row.problem(
                "explanation-missing",
                f"Mục {code} {why}. Đề nghị ghi vào cột {layout.HEADER_EXPLANATION}.",
                "explanation",
                item=code,
            )
    if leaf.evidence_required and not entry.evidence and entry.score is not None and entry.score > 0:
        row.problem(
            "evidence-missing",
            f"Mục {code} bắt buộc có tài liệu kiểm chứng cho điểm {fmt_points(entry.score)}. "
            f"Đề nghị ghi số, ký hiệu, ngày của văn bản vào cột {layout.HEADER_EVIDENCE}.",
            "evidence",
            item=code,
        )


__all__ = [
    "SPREADSHEET_SUFFIXES",
    "CalamineBook",
    "ItemEntry",
    "ReturnResult",
    "is_lock_file",
    "looks_legacy",
    "read_cover_date",
    "read_metadata",
    "read_return",
    "read_workbook",
    "root_cause_name",
    "sniff_workbook",
]
