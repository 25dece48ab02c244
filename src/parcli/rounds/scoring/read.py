"""Reading a returned scoring workbook: every problem of a file in one pass.

:func:`read_return` never raises for bad data.  It recognises the campaign and
department from the hidden metadata sheet (not the file name), reads items by
their code (not their row), validates every item row against its catalogue
rule, and returns the values with a list of :class:`~parcli.problems.Problem`.
Opening the file (container checks, the fast reader and its fallback) is
:mod:`parcli.xlsx.open`'s; the steps every form shares are :mod:`parcli.collect.form`'s.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.collect.form import FormResult, Identity, check_identity, open_form
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
from parcli.xlsx.text import text_warnings

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign, Department

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
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


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == datetime.min.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return repr(value)
    return str(value)


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
    round_optional=True,
    round_advice="Đề nghị gửi đúng phiếu chấm điểm của đợt này (phiếu đợt trước không được dùng lại).",
    catalogue_key=layout.META_CATALOGUE_HASH,
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
    if layout.SHEET_SCORES not in wb.sheetnames:
        add.add(
            "sheet-missing",
            f"Không có trang tính “{layout.SHEET_SCORES}” (đã bị xóa hoặc đổi tên). Đề nghị điền lại vào phiếu gốc.",
            sheet=layout.SHEET_SCORES,
        )
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


def _code_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return layout.nfc(str(value)).strip()


def _read_scores(ws: Any, campaign: Campaign, dept: Department, result: ReturnResult, add: ProblemCollector) -> None:
    from parcli.xlsx.open import column_letter as get_column_letter

    sheet = layout.SHEET_SCORES
    assigned = dept.items
    catalogue = dept.catalogue
    limit = layout.HEADER_SEARCH_ROWS + 4 * len(catalogue.leaves) + 200
    ncols = len(layout.SCORE_HEADERS) + 3
    rows: list[tuple[Any, ...]] = []
    for raw in ws.iter_rows(min_row=1, max_row=limit, max_col=ncols):
        rows.append(tuple(raw))
    header = layout.find_header(
        [tuple(getattr(c, "value", None) for c in r) for r in rows[: layout.HEADER_SEARCH_ROWS]],
        layout.SCORE_HEADERS,
        (layout.HEADER_CODE, layout.HEADER_SCORE),
    )
    if header is None:
        add.add(
            "header-missing",
            f"Không tìm thấy dòng tiêu đề (có các cột “{layout.HEADER_CODE}” và "
            f"“{layout.HEADER_SCORE}”) trên trang tính. Đề nghị điền lại vào phiếu gốc.",
            sheet=sheet,
        )
        return
    result.usable = True
    cols = header.columns
    c_code = cols[layout.HEADER_CODE]
    c_score = cols[layout.HEADER_SCORE]
    c_max = cols.get(layout.HEADER_MAX)
    c_expl = cols.get(layout.HEADER_EXPLANATION)
    c_evid = cols.get(layout.HEADER_EVIDENCE)
    for label in (layout.HEADER_EXPLANATION, layout.HEADER_EVIDENCE):
        if label not in cols:
            add.add(
                "header-missing",
                f"Thiếu cột “{label}” trên trang tính. Đề nghị điền lại vào phiếu gốc.",
                sheet=sheet,
                cell=f"{get_column_letter(len(layout.SCORE_HEADERS))}{header.row}",
            )
    mine = {leaf.code: leaf for leaf in assigned}
    leaves = catalogue.leaf_by_code
    groups = set(catalogue.node_titles) - set(leaves)
    nfd_cells: list[str] = []
    last_table_row = header.row
    for index in range(header.row, len(rows)):
        row = rows[index]
        rownum = index + 1

        def cell_at(col: int | None, row: tuple[Any, ...] = row) -> Any:
            return row[col - 1] if col is not None and col - 1 < len(row) else None

        def ref(col: int, rownum: int = rownum) -> str:
            return f"{get_column_letter(col)}{rownum}"

        code = _code_of(getattr(cell_at(c_code), "value", None))
        if not code:
            continue
        last_table_row = rownum
        if layout.label_key(code) == layout.label_key(layout.TOTAL_LABEL) or code in groups:
            continue
        leaf = mine.get(code)
        if leaf is None:
            owner = None if campaign.is_units else campaign.owner_of.get(code)
            if dept.is_exempt(code):
                why = f"thuộc phần {dept.name} được miễn đánh giá"
            elif owner is not None:
                why = f"thuộc Phụ lục {owner.appendix} ({owner.name}), không thuộc phiếu này"
            elif code in leaves:
                why = "do điều tra xã hội học chấm điểm, không tự đánh giá"
            else:
                why = "không có trong bộ tiêu chí (mã bị sửa hoặc dòng tự thêm)"
            add.add(
                "unknown-item",
                f"Dòng {rownum} có mã “{code}” {why}. Đề nghị xóa dòng này hoặc khôi phục mã gốc.",
                sheet=sheet,
                cell=ref(c_code),
                item=code,
            )
            continue
        if code in result.items:
            add.add(
                "duplicate-item",
                f"Mục {code} xuất hiện hai lần (dòng {result.items[code].row} và dòng "
                f"{rownum}). Đề nghị chỉ giữ một dòng.",
                sheet=sheet,
                cell=ref(c_code),
                item=code,
            )
            continue
        entry = ItemEntry(code=code, row=rownum)
        result.items[code] = entry
        errors_before = sum(1 for p in result.problems if p.is_error)
        texts: dict[str, str] = {}
        for name, col in (("explanation", c_expl), ("evidence", c_evid)):
            if col is None:
                continue
            cell = cell_at(col)
            value = getattr(cell, "value", None)
            text, unfit = text_warnings(_text(value))
            for slug, message in unfit:
                add.add(slug, message, sheet=sheet, cell=ref(col), item=code)
            if getattr(cell, "data_type", None) == "f":
                add.add(
                    "formula-in-text",
                    f"Ô chứa công thức {text}; nội dung công thức được giữ nguyên dưới "
                    "dạng chữ, không lấy kết quả tính. Đề nghị nhập trực tiếp nội dung.",
                    sheet=sheet,
                    cell=ref(col),
                    item=code,
                )
            if text != unicodedata.normalize("NFC", text):
                nfd_cells.append(ref(col))
            text = " ".join(layout.nfc(text).split()) if "\n" not in text else layout.nfc(text).strip()
            if text and looks_legacy(text):
                add.add(
                    "legacy-encoding",
                    "Văn bản có vẻ được gõ bằng bảng mã cũ (TCVN3/VNI) nên hiển thị sai "
                    "dấu. Đề nghị chuyển sang Unicode (ví dụ bằng Unikey) và gửi lại.",
                    sheet=sheet,
                    cell=ref(col),
                    item=code,
                )
            texts[name] = text
        entry.explanation = texts.get("explanation", "")
        entry.evidence = texts.get("evidence", "")
        entry.evidence_cell = ref(c_evid) if c_evid else None
        _check_max(cell_at(c_max), leaf, add, sheet, ref(c_max) if c_max else None)
        _read_score(cell_at(c_score), leaf, entry, add, sheet, ref(c_score))
        _check_required(leaf, entry, add, sheet, ref(c_expl) if c_expl else None, ref(c_evid) if c_evid else None)
        entry.accepted = sum(1 for p in result.problems if p.is_error) == errors_before
    for leaf in assigned:
        if leaf.code not in result.items:
            add.add(
                "missing-item",
                f"Không tìm thấy dòng của mục {leaf.code} ({leaf.title}). Dòng đã bị xóa hoặc "
                "mã đã bị sửa; đề nghị khôi phục từ phiếu gốc.",
                sheet=sheet,
                item=leaf.code,
            )
    if nfd_cells:
        add.add(
            "text-normalised",
            f"{len(nfd_cells)} ô có chữ tiếng Việt dạng tổ hợp (NFD), đã được chuẩn hóa về dạng dựng sẵn (NFC).",
            sheet=sheet,
            cell=nfd_cells[0],
        )
    _check_below(ws, last_table_row, len(rows), add, sheet)


def _check_below(ws: Any, last_table_row: int, scanned: int, add: ProblemCollector, sheet: str) -> None:
    """Warn about content far below the table (it is not read)."""
    try:
        max_row = ws.max_row or 0
    except Exception:  # a damaged dimension; the table itself was read
        return
    if max_row > scanned and max_row > last_table_row + 50:
        add.add(
            "content-below-table",
            f"Trang tính có nội dung đến dòng {max_row}, rất xa bảng chấm điểm "
            f"(kết thúc ở dòng {last_table_row}); phần đó không được đọc. Đề nghị xóa nội dung thừa.",
            sheet=sheet,
            cell=f"A{max_row}",
        )


def _check_max(cell: Any, leaf: Leaf, add: ProblemCollector, sheet: str, ref: str | None) -> None:
    value = getattr(cell, "value", None)
    if value is None or getattr(cell, "data_type", None) == "f":
        return
    try:
        typed = to_decimal(value) if isinstance(value, int | float) else Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        typed = None
    if typed != leaf.max_points:
        add.add(
            "max-changed",
            f"Điểm tối đa của mục {leaf.code} bị sửa thành “{_text(value)}”; điểm tối đa "
            f"được tính theo bộ tiêu chí là {fmt_points(leaf.max_points)}. Đề nghị không sửa cột điểm tối đa.",
            sheet=sheet,
            cell=ref,
            item=leaf.code,
        )


def _read_score(cell: Any, leaf: Leaf, entry: ItemEntry, add: ProblemCollector, sheet: str, ref: str) -> None:
    value = getattr(cell, "value", None)
    code = leaf.code
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
        add.add(
            "formula-in-score",
            f"Ô điểm của mục {code} chứa công thức {value}; kết quả công thức không bảo "
            "đảm chính xác (có thể chưa được tính). Đề nghị nhập trực tiếp số điểm.",
            sheet=sheet,
            cell=ref,
            item=code,
        )
        return
    if value is None or (isinstance(value, str) and not value.strip()):
        add.add(
            "score-missing",
            f"Mục {code} chưa có điểm tự đánh giá (tối đa {fmt_points(leaf.max_points)}). Đề nghị nhập điểm"
            + (f" hoặc chọn “{layout.NOT_APPLICABLE}”." if leaf.not_applicable else "."),
            sheet=sheet,
            cell=ref,
            item=code,
        )
        return
    score: Decimal
    if isinstance(value, (bool, datetime | date)):
        add.add(
            "not-a-number",
            f"Điểm của mục {code} là “{_text(value)}”, không phải số (ô có thể đã bị định "
            "dạng ngày tháng). Đề nghị nhập lại số điểm.",
            sheet=sheet,
            cell=ref,
            item=code,
        )
        return
    if isinstance(value, int | float):
        score = to_decimal(value)
    else:
        text = layout.nfc(str(value)).strip()
        if layout.label_key(text) == layout.label_key(layout.NOT_APPLICABLE):
            if not leaf.not_applicable:
                add.add(
                    "not-applicable-not-allowed",
                    f"Mục {code} không được phép chọn “{layout.NOT_APPLICABLE}” "
                    f"theo bộ tiêu chí. Đề nghị chấm điểm từ 0 đến {fmt_points(leaf.max_points)}.",
                    sheet=sheet,
                    cell=ref,
                    item=code,
                )
                return
            entry.not_applicable = True
            return
        if not _NUMBER.match(text):
            add.add(
                "not-a-number",
                f"Điểm của mục {code} là “{text}”, không phải số. Đề nghị nhập số điểm từ 0 đến "
                f"{fmt_points(leaf.max_points)}.",
                sheet=sheet,
                cell=ref,
                item=code,
            )
            return
        score = Decimal(text.replace(",", "."))
        if "," in text:
            add.add(
                "decimal-comma",
                f"Điểm của mục {code} được nhập dạng chữ “{text}”, được hiểu là {fmt_points(score)}. "
                "Đề nghị kiểm tra lại và nhập dạng số.",
                sheet=sheet,
                cell=ref,
                item=code,
            )
        else:
            add.add(
                "number-as-text",
                f"Điểm của mục {code} được lưu dạng chữ “{text}”, được hiểu là {fmt_points(score)}. "
                "Đề nghị kiểm tra lại và nhập dạng số.",
                sheet=sheet,
                cell=ref,
                item=code,
            )
    entry.score = score
    if score < 0:
        add.add(
            "score-below-zero",
            f"Điểm của mục {code} là {fmt_points(score)}, nhỏ hơn 0. Đề nghị chấm lại.",
            sheet=sheet,
            cell=ref,
            item=code,
        )
    elif score > leaf.max_points:
        add.add(
            "score-above-max",
            f"Điểm của mục {code} là {fmt_points(score)}, vượt điểm tối đa {fmt_points(leaf.max_points)}. "
            "Đề nghị chấm lại.",
            sheet=sheet,
            cell=ref,
            item=code,
        )
    elif isinstance(leaf.rule, ChoiceRule):
        allowed = [o.points for o in leaf.rule.options]
        if score not in allowed:
            levels = "; ".join(fmt_points(p) for p in allowed)
            add.add(
                "score-not-allowed",
                f"Điểm của mục {code} là {fmt_points(score)}, không thuộc các mức cho phép "
                f"({levels}). Đề nghị chọn một mức trong danh sách.",
                sheet=sheet,
                cell=ref,
                item=code,
            )
    elif isinstance(leaf.rule, ScaleRule) and score % leaf.rule.step != 0:
        add.add(
            "score-off-step",
            f"Điểm của mục {code} là {fmt_points(score)}, phải là bội số của {fmt_points(leaf.rule.step)}. "
            "Đề nghị chấm lại.",
            sheet=sheet,
            cell=ref,
            item=code,
        )


def _check_required(
    leaf: Leaf, entry: ItemEntry, add: ProblemCollector, sheet: str, expl_ref: str | None, evid_ref: str | None
) -> None:
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
            add.add(
                "explanation-missing",
                f"Mục {code} {why}. Đề nghị ghi vào cột {layout.HEADER_EXPLANATION}.",
                sheet=sheet,
                cell=expl_ref,
                item=code,
            )
    if leaf.evidence_required and not entry.evidence and entry.score is not None and entry.score > 0:
        add.add(
            "evidence-missing",
            f"Mục {code} bắt buộc có tài liệu kiểm chứng cho điểm {fmt_points(entry.score)}. "
            f"Đề nghị ghi số, ký hiệu, ngày của văn bản vào cột {layout.HEADER_EVIDENCE}.",
            sheet=sheet,
            cell=evid_ref,
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
