"""Reading one appraisal workbook: what the appraiser typed, checked cell by cell against the campaign.

:func:`read_appraisal` never raises for bad data: a value that is not a number,
above the maximum, below zero or off the item's rule, or a formula, is an error
by file, sheet, cell and item; an appraisal of an item no longer in the
catalogue or no longer assigned to the department it was made for is
``appraisal-orphaned``.  Whether the return row has changed since (stale) and
whether two workbooks disagree (conflict) is decided across files, in
:mod:`.merge`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from parcli.collect.form import FormResult, Identity, check_identity, open_form, require_sheets
from parcli.collect.rows import Row, blank, finite_number, number_text, read_table, shown, text
from parcli.config.campaign import PROVINCE_SCOPE, Campaign
from parcli.config.catalogue import ChoiceRule, Leaf, ScaleRule
from parcli.numbers import fmt_points
from parcli.problems import ProblemCollector
from parcli.rounds.appraisal import layout

_SHEETS = (layout.SHEET_APPRAISAL, layout.SHEET_ITEMS, layout.SHEET_META)

_RESEND = "Đề nghị dùng phiếu thẩm định do parcli phát hành cho đợt này."


@dataclass(frozen=True)
class Recorded:
    """What the hidden item sheet says was appraised on one row."""

    scope: str
    code: str
    owner: str
    self_score: str
    digest: str


@dataclass
class AppraisalEntry:
    """One typed row of an appraisal workbook."""

    scope: str
    code: str
    cell: str  # the appraised-score cell (``K5``)
    score: Decimal | None  # None: no score typed (a note alone), or a bad value
    note: str
    supplement: str
    recorded: Recorded | None
    valid: bool = True  # False: a bad value or an orphaned item; never applied
    typed: str = ""  # the appraised-score cell as typed (to compare two copies of a workbook)

    @property
    def key(self) -> tuple[str, str]:
        """(scope, item code)."""
        return (self.scope, self.code)


@dataclass
class AppraisalResult(FormResult):
    """An appraisal workbook as read: its round and cut, the typed rows, the problems."""

    round_: int = 1
    by: str = ""
    owner_key: str = ""
    owner_name: str = ""
    entries: list[AppraisalEntry] = field(default_factory=list)
    rows: int = 0  # item rows issued


def read_appraisal(path: Path, campaign: Campaign) -> AppraisalResult:
    """Read one appraisal workbook against ``campaign``; never raises for bad data."""
    result = AppraisalResult(path=path)
    if not open_form(
        result,
        lambda wb, add: _read(wb, campaign, result, add),
        fast_sheets=_SHEETS,
        noun="phiếu thẩm định",
    ):
        result.usable = False
        result.entries.clear()
    return result


# What the hidden metadata of an appraisal workbook must say.
# (year, the campaign's round and every catalogue of the campaign; a workbook of an earlier parcli records no
# round and is taken as the last round's, the one ``appraise issue`` issued for by default)
IDENTITY = Identity(
    layout.KIND_APPRAISAL,
    layout.LAYOUT_VERSION,
    "phiếu thẩm định",
    _RESEND,
    round_key=layout.META_CAMPAIGN_ROUND,
    round_title_key=layout.META_CAMPAIGN_ROUND_TITLE,
    round_missing="last",
    round_advice="Đề nghị dùng phiếu thẩm định phát hành cho đúng đợt này (appraise issue --campaign-round).",
    catalogue_key=layout.META_CATALOGUE_HASH,
    catalogue_of="campaign",
    campaign_hash_key=layout.META_CAMPAIGN_HASH,
)


def _read(wb: Any, campaign: Campaign, result: AppraisalResult, add: ProblemCollector) -> None:
    from parcli.xlsx.open import read_metadata

    meta = read_metadata(wb, layout.SHEET_META, len(layout.META_KEYS) + 5)
    if not check_identity(meta, IDENTITY, campaign, add):
        return
    result.metadata = meta
    try:
        result.round_ = int(meta.get(layout.META_ROUND, "1"))
    except ValueError:
        result.round_ = 0
    result.by = meta.get(layout.META_BY, "")
    result.owner_key = meta.get(layout.META_OWNER, "")
    result.owner_name = meta.get(layout.META_OWNER_NAME, "")
    if result.round_ not in layout.ROUNDS or not result.by or not result.owner_key:
        add.add(
            "metadata-missing",
            "Trang tính ẩn của phiếu thẩm định đã bị sửa (lần thẩm định, phạm vi). "
            "Đề nghị dùng phiếu thẩm định do parcli phát hành cho đợt này.",
        )
        return
    result.owner_id = layout.owner_id(result.round_, result.by, result.owner_key)
    if not require_sheets(wb, (layout.SHEET_APPRAISAL, layout.SHEET_ITEMS), add, _RESEND):
        return
    recorded = _recorded(wb)
    _read_rows(wb[layout.SHEET_APPRAISAL], campaign, result, recorded, add)


def _recorded(wb: Any) -> dict[tuple[str, str], Recorded]:
    out: dict[tuple[str, str], Recorded] = {}
    for row in wb[layout.SHEET_ITEMS].iter_rows(min_row=2, max_col=len(layout.ITEM_HEADERS), values_only=True):
        cells = [text(v) for v in (*row, *([None] * len(layout.ITEM_HEADERS)))][: len(layout.ITEM_HEADERS)]
        if cells[1]:
            out[(cells[0], cells[1])] = Recorded(cells[0], cells[1], cells[2], cells[3], cells[4])
    return out


def _read_rows(
    ws: Any,
    campaign: Campaign,
    result: AppraisalResult,
    recorded: dict[tuple[str, str], Recorded],
    add: ProblemCollector,
) -> None:
    """Every appraised row: its item still the department's and self-assessed, its score checked."""
    table = read_table(
        ws,
        layout.table(units=campaign.is_units, round_=result.round_),
        add,
        max_rows=len(recorded) + 200,
        width=layout.READ_WIDTH,
    )
    if table is None:
        return
    result.usable = True
    scopes = {s.id: s for s in campaign.scopes}
    for row in table:
        code = row.text("code")
        result.rows += 1
        scope = row.text("scope") or PROVINCE_SCOPE
        note = row.typed("note", item=code)
        supplement = row.typed("supplement", item=code)
        if blank(row.value("appraised")) and not note and not supplement:
            continue  # not appraised (yet)
        entry = AppraisalEntry(
            scope,
            code,
            row.ref("appraised") or "",
            None,
            note,
            supplement,
            recorded.get((scope, code)),
            typed=shown(row.value("appraised")),
        )
        result.entries.append(entry)
        where = f"mục {code}" if scope == PROVINCE_SCOPE else f"mục {code} của đơn vị {scope}"
        target = scopes.get(scope)
        leaf = target.catalogue.leaf_by_code.get(code) if target is not None else None
        owner = target.owner_of.get(code) if target is not None and leaf is not None else None
        was = entry.recorded.owner if entry.recorded else ""
        if leaf is None or not leaf.is_self or owner is None or (was and owner.id != was):
            why = (
                "không còn trong bộ tiêu chí"
                if leaf is None
                else (
                    "không còn giao cho cơ quan đã được thẩm định"
                    if owner is not None
                    else "không phải mục tự đánh giá"
                )
            )
            row.problem(
                "appraisal-orphaned",
                f"Ý kiến thẩm định {where} nhưng mục này {why}; kết quả thẩm định không được tính. "
                "Đề nghị thẩm định lại trên phiếu thẩm định mới.",
                "appraised",
                item=code,
            )
            entry.valid = False
            continue
        entry.valid, entry.score = _score(row, leaf, where, code)


def _score(row: Row, leaf: Leaf, where: str, code: str) -> tuple[bool, Decimal | None]:
    """(valid, the appraised score) of a row; bad values are errors on the appraised cell."""
    value = row.value("appraised")

    def bad(slug: str, message: str) -> tuple[bool, Decimal | None]:
        row.problem(slug, message, "appraised", item=code)
        return False, None

    if row.is_formula("appraised") or (isinstance(value, str) and value.strip().startswith("=")):
        return bad(
            "appraisal-formula",
            f"Điểm thẩm định {where} là công thức {value}; đề nghị nhập trực tiếp số điểm.",
        )
    error = row.error("appraised")
    if error is not None:  # never "not appraised": the cell holds a value, only not a score
        return bad(
            "appraisal-not-a-number",
            f"Ô điểm thẩm định {where} hiển thị lỗi {error} của bảng tính, không phải số điểm. Đề nghị nhập trực "
            "tiếp số điểm.",
        )
    if blank(value):
        return True, None
    if isinstance(value, bool | datetime | date):
        return bad(
            "appraisal-not-a-number", f"Điểm thẩm định {where} là “{value}”, không phải số. Đề nghị nhập số điểm."
        )
    if isinstance(value, int | float):
        number = finite_number(value)
        if number is None:
            return bad(
                "appraisal-not-a-number",
                f"Điểm thẩm định {where} là “{shown(value)}”, không phải một số điểm. Đề nghị nhập số điểm.",
            )
        score = number
    else:
        typed = text(value)
        number = number_text(typed)
        if number is None:
            return bad(
                "appraisal-not-a-number", f"Điểm thẩm định {where} là “{typed}”, không phải số. Đề nghị nhập số điểm."
            )
        score = number
    if score < 0:
        return bad(
            "appraisal-below-zero", f"Điểm thẩm định {where} là {fmt_points(score)}, nhỏ hơn 0. Đề nghị thẩm định lại."
        )
    if score > leaf.max_points:
        return bad(
            "appraisal-above-max",
            f"Điểm thẩm định {where} là {fmt_points(score)}, "
            f"vượt điểm tối đa {fmt_points(leaf.max_points)}. Đề nghị thẩm định lại.",
        )
    if isinstance(leaf.rule, ChoiceRule) and score not in [o.points for o in leaf.rule.options]:
        levels = "; ".join(fmt_points(o.points) for o in leaf.rule.options)
        return bad(
            "appraisal-not-allowed",
            f"Điểm thẩm định {where} là {fmt_points(score)}, không thuộc các mức cho phép ({levels}). "
            "Đề nghị chọn một mức.",
        )
    if isinstance(leaf.rule, ScaleRule) and score % leaf.rule.step != 0:
        return bad(
            "appraisal-not-allowed",
            f"Điểm thẩm định {where} là {fmt_points(score)}, phải là bội số của {fmt_points(leaf.rule.step)}. "
            "Đề nghị thẩm định lại.",
        )
    return True, score
