"""Issuing appraisal workbooks: one per department (or unit), field or unit group, for round 1 or 2.

Each row is one self-assessed item as the department returned it (self-score,
explanation, evidence), locked, with the appraiser's unlocked input columns
beside it; a hidden sheet records, per row, the scope, item, owner, self-score
and the hash of the return row appraised (:class:`parcli.collect.rowhash.ReturnedRow`).
Round 2 adds the round-1 appraisal and the department's additional explanation.
A set is written all or none, and never beside a workbook already issued for one of
its owners (:func:`parcli.collect.issue.issue_forms`).
What the workbooks are built from is passed in as plain values: this round
never reads the scoring returns itself.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from parcli import __version__, clock
from parcli.collect.form import catalogues_hash
from parcli.collect.issue import PlannedForm, TableForm, build_table_form, issue_forms
from parcli.collect.rowhash import ReturnedRow
from parcli.config.campaign import Campaign, Department
from parcli.config.catalogue import ChoiceRule, Leaf
from parcli.errors import UsageError
from parcli.numbers import fmt_points
from parcli.rounds.appraisal import layout
from parcli.rounds.appraisal.read import read_appraisal
from parcli.xlsx.open import column_letter
from parcli.xlsx.printing import Signature
from parcli.xlsx.write import cell_number

Key = tuple[str, str]  # (scope, item code)


@dataclass(frozen=True)
class Prior:
    """What an earlier round (or an old consolidated workbook) holds for one item: written into the new one."""

    score: Any = None  # a number, or text as typed (an import keeps what was typed, even a bad value)
    note: str = ""
    supplement: str = ""


@dataclass(frozen=True)
class Line:
    """One row of an appraisal workbook."""

    scope: str
    leaf: Leaf
    owner: Department
    returned: ReturnedRow | None


@dataclass
class IssuedWorkbook:
    """One appraisal workbook written."""

    path: Path
    owner: str  # department/unit id, field code or unit group
    owner_name: str
    items: int


@dataclass
class IssueResult:
    """The workbooks written, in order."""

    out_dir: Path
    workbooks: list[IssuedWorkbook] = field(default_factory=list)


def plan_workbooks(
    campaign: Campaign, rows: Mapping[str, Mapping[str, ReturnedRow]], by: str
) -> list[tuple[str, str, str, list[Line]]]:
    """(owner key, owner name, file stem, lines) of every workbook for ``by``, in catalogue order.

    ``by`` is ``department`` (a department or unit each), ``field`` (a field each,
    over every department or unit) or ``group`` (each-unit-scores: a unit group each).
    """
    if by not in (*layout.BY_CHOICES, "group"):
        raise UsageError(f"--by phải là department, field hoặc group, không phải “{by}”.")
    if by == "group" and not campaign.is_units:
        raise UsageError("--by group chỉ dùng cho đợt chấm điểm từng đơn vị (each-unit-scores).")
    lines: list[Line] = []
    for scope in campaign.scopes:
        scope_rows = rows.get(scope.id, {})
        for leaf in scope.catalogue.leaves:
            if leaf.is_self and not scope.is_exempt(leaf.code) and leaf.code in scope.owner_of:
                lines.append(Line(scope.id, leaf, scope.owner_of[leaf.code], scope_rows.get(leaf.code)))
    out: list[tuple[str, str, str, list[Line]]] = []
    if by == "department":
        for dept in campaign.departments:
            mine = [line for line in lines if line.owner.id == dept.id]
            if mine:
                out.append((dept.id, dept.name, dept.file_stem, mine))
    elif by == "field":
        for f in campaign.catalogue.model.fields:
            mine = [line for line in lines if line.leaf.field_code == f.code]
            if mine:
                out.append((f.code, f.title, f.code.replace(".", "-"), mine))
    else:
        groups: dict[str, list[Line]] = {}
        for line in lines:
            groups.setdefault(line.owner.group or "", []).append(line)
        for group, mine in groups.items():
            out.append((group, campaign.group_name(group), f"nhom-{group}", mine))
    return out


def issue_appraisals(
    campaign: Campaign,
    rows: Mapping[str, Mapping[str, ReturnedRow]],
    out_dir: Path,
    *,
    by: str = "department",
    round_: int = 1,
    prior: Mapping[Key, Prior] | None = None,
    source: str = "returns",
    now: datetime | None = None,
    on_progress: Callable[[IssuedWorkbook], None] | None = None,
    only: Collection[str] | None = None,
) -> IssueResult:
    """Write the appraisal workbooks of one round into ``out_dir``, all or none (:func:`issue_forms`).

    ``rows`` are the return rows as they stand, by scope then item code; ``prior``
    fills the round-1 columns of round 2, or (``source="import"``) the input
    columns with what was typed into an old consolidated workbook.  ``only``
    limits the workbooks to those owner keys (nothing else is written).  Refused
    (:class:`UsageError`) when ``out_dir`` already holds a workbook of one of them,
    for this round of the campaign, under any name.
    """
    if round_ not in layout.ROUNDS:
        raise UsageError(f"--round phải là 1 hoặc 2, không phải {round_}.")
    stamp = (now or clock.now()).replace(microsecond=0)
    result = IssueResult(out_dir)
    by_word = "field" if by == "field" else ("group" if by == "group" else "department")
    planned: list[PlannedForm] = []
    issued: dict[Path, IssuedWorkbook] = {}
    for key, name, stem, lines in plan_workbooks(campaign, rows, by):
        if only is not None and key not in only:
            continue
        target = out_dir / f"{layout.file_stem(round_, 'department' if by == 'department' else 'field', stem)}.xlsx"
        if by == "group":
            target = out_dir / f"tham-dinh-lan{round_}-{stem}.xlsx"
        form = _form(campaign, by_word, key, name, round_, lines, prior or {}, source, stamp)
        planned.append(PlannedForm(layout.owner_id(round_, by_word, key), target, partial(build_table_form, form=form)))
        issued[target] = IssuedWorkbook(target, key, name, len(lines))

    def written(form: PlannedForm) -> None:
        result.workbooks.append(issued[form.target])
        if on_progress is not None:
            on_progress(issued[form.target])

    issue_forms(
        out_dir,
        planned,
        lambda path: read_appraisal(path, campaign),
        document="phiếu thẩm định",
        typist="người thẩm định",
        on_written=written,
    )
    return result


def _form(
    campaign: Campaign,
    by: str,
    owner: str,
    owner_name: str,
    round_: int,
    lines: list[Line],
    prior: Mapping[Key, Prior],
    source: str,
    stamp: datetime,
) -> TableForm:
    """One appraisal workbook: the returned rows locked, the appraiser's columns open, what each row appraises."""
    table = layout.table(units=campaign.is_units, round_=round_)
    what = "theo lĩnh vực" if by == "field" else ("theo nhóm đơn vị" if by == "group" else "")
    first = table.header_row + 1
    appraised = column_letter(table.position("appraised"))
    items: list[tuple[str, ...]] = [layout.ITEM_HEADERS]
    for offset, line in enumerate(lines):
        returned = line.returned
        self_text = "" if returned is None or returned.score is None else fmt_points(returned.score, comma=False)
        if returned is not None and returned.not_applicable:
            self_text = layout.NOT_APPLICABLE
        digest = returned.digest if returned else ""
        items.append((line.scope, line.leaf.code, line.owner.id, self_text, digest, str(first + offset)))
    return TableForm(
        table,
        f"PHIẾU THẨM ĐỊNH LẦN {round_} {what.upper()} — {owner_name.upper()}".replace("  ", " "),
        f"{campaign.model.title}. Nhập “{layout.HEADER_APPRAISED}” và “{layout.HEADER_NOTE}” (ô màu vàng); "
        "các cột khác là kết quả tự đánh giá cơ quan đã gửi, không sửa.",
        [_values(line, round_, prior.get((line.scope, line.leaf.code))) for line in lines],
        layout.SHEET_ITEMS,
        items,
        {
            layout.META_KIND: layout.KIND_APPRAISAL,
            layout.META_LAYOUT: layout.LAYOUT_VERSION,
            layout.META_TOOL_VERSION: __version__,
            layout.META_CAMPAIGN: campaign.id,
            layout.META_CAMPAIGN_HASH: campaign.content_hash,
            layout.META_CATALOGUE_HASH: catalogues_hash(campaign),
            layout.META_ROUND: str(round_),
            layout.META_BY: by,
            layout.META_OWNER: owner,
            layout.META_OWNER_NAME: owner_name,
            layout.META_SOURCE: source,
            layout.META_GENERATED_AT: stamp.isoformat(),
            layout.META_CAMPAIGN_ROUND: campaign.round_id or "",
            layout.META_CAMPAIGN_ROUND_TITLE: campaign.round_title,
            layout.META_YEAR: str(campaign.model.year),
        },
        frozen=table.position("title") - 1,
        print_columns=table.position("title"),
        signature=Signature(layout.SIGNATURE, campaign.letterhead()["date_line"]),
        document=f"Thẩm định lần {round_} — {owner_name}",
        password=campaign.model.protection_password or "",
        created=stamp,
        validations=[
            {"appraised": _validation(line.leaf, f"{appraised}{first + offset}")} for offset, line in enumerate(lines)
        ],
    )


def _values(line: Line, round_: int, prior: Prior | None) -> dict[str, Any]:
    """The cells of one row by column key: the return as sent; round 1's appraisal in round 2; an import's values."""
    leaf, returned = line.leaf, line.returned
    values: dict[str, Any] = {
        "scope": line.scope,
        "code": leaf.code,
        "title": leaf.title,
        "department": line.owner.name,
        "max": cell_number(leaf.max_points),
        "self": None,
        "explanation": returned.explanation if returned else "",
        "evidence": returned.evidence if returned else "",
    }
    if returned is not None:
        if returned.not_applicable:  # how the catalogue counts it: left out, or its full points
            full = leaf.not_applicable_scoring == "full_points"
            values["self"] = layout.NOT_APPLICABLE_FULL if full else layout.NOT_APPLICABLE
        else:
            values["self"] = None if returned.score is None else cell_number(returned.score)
    if round_ == 2 and prior is not None:
        values.update(round1_score=prior.score, round1_note=prior.note, supplement=prior.supplement)
    if round_ == 1 and prior is not None:  # an import: what was typed, as typed
        values.update(appraised=prior.score, note=prior.note)
    return values


def _validation(leaf: Leaf, cell: str) -> dict[str, object]:
    """The data validation of an appraised-score cell (``K5``): the item's options, or 0..max."""
    top = fmt_points(leaf.max_points, comma=False)
    options: dict[str, object] = {
        "ignore_blank": True,
        "show_error": True,
        "error_type": "stop",
        "error_title": "Điểm thẩm định không hợp lệ",
        "input_title": f"Mục {leaf.code}: tối đa {fmt_points(leaf.max_points)}"[:32],
    }
    if isinstance(leaf.rule, ChoiceRule):
        allowed = [fmt_points(o.points, comma=False) for o in leaf.rule.options]
        options["validate"] = "custom"
        options["value"] = "OR(" + ",".join(f"{cell}={v}" for v in allowed) + ")"
        levels = "; ".join(fmt_points(o.points) for o in leaf.rule.options)
        options["error_message"] = f"Mục {leaf.code}: chỉ được nhập một trong các mức {levels}."[:255]
        options["input_message"] = f"Chọn một mức: {levels}."[:255]
    else:
        options["validate"] = "decimal"
        options["criteria"] = "between"
        options["minimum"] = "0"
        options["maximum"] = top
        step = fmt_points(leaf.rule.step)
        options["error_message"] = f"Mục {leaf.code}: nhập số từ 0 đến {fmt_points(leaf.max_points)}, bước {step}."
        options["input_message"] = f"Nhập số từ 0 đến {fmt_points(leaf.max_points)}, bước {step}."
    return options
