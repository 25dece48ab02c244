"""Consolidating returns: every workbook in a folder, validated, into one workbook.

:func:`merge_returns` reads the folder (never modifying it), decides the status
of each department (``ok``, ``invalid``, ``missing``, ``duplicate``), and
:mod:`parcli.results.consolidated_write` writes one row per catalogue item with
the accepted self-assessed score and, when appraisal workbooks are given, the
appraised score collected from them.  :meth:`MergeResult.returned_rows` hands the
appraisal round the return rows as they stand (it never reads returns itself).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parcli.collect.engine import collect_forms, manifest_inputs
from parcli.collect.folder import PARALLEL_MIN_FILES, list_folder, read_all
from parcli.collect.form import FormResult, not_a_spreadsheet
from parcli.collect.rowhash import ReturnedRow
from parcli.collect.versions import (
    MTIME_MARGIN_SECONDS,
    Outcome,
    Status,
    VersionDecision,
    choose_version,
)
from parcli.config.campaign import Campaign, Department
from parcli.labels import RETURN_STATUS_LABELS as STATUS_LABELS
from parcli.problems import Problem
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.read import ItemEntry, ReturnResult, read_return


@dataclass
class DepartmentResult(Outcome[Department]):
    """One department's outcome (the owner is the department)."""

    score: Decimal = Decimal(0)
    sent_date: str | None = None
    received: str | None = None

    @property
    def department(self) -> Department:
        """The department this outcome is of."""
        return self.owner


@dataclass
class ItemRow:
    """One catalogue item in the consolidated view."""

    code: str
    score: Decimal | None
    not_applicable: bool
    explanation: str
    evidence: str
    status: str
    file: str | None


@dataclass
class MergeResult:
    """Everything merge found: per-department status, accepted items, problems."""

    campaign: Campaign
    returns: list[ReturnResult] = field(default_factory=list)
    departments: list[DepartmentResult] = field(default_factory=list)
    rows: dict[str, dict[str, ItemRow]] = field(default_factory=dict)  # scope -> item code -> row
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    decisions: list[VersionDecision] = field(default_factory=list)
    unmatched_picks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every department returned one valid workbook."""
        return all(d.status == "ok" for d in self.departments)

    def manifest_inputs(self) -> list[dict[str, Any]]:
        """Every file read, with its hash, status and the items it supplied (for ``manifest.json``)."""

        def supplied(ret: ReturnResult) -> dict[str, Any]:
            rows = self.item_rows(ret.department_id).items()
            return {"items": [c for c, i in rows if i.file == ret.file and (i.score is not None or i.not_applicable)]}

        def hashes(ret: ReturnResult) -> dict[str, str]:
            return {name: info.sha256 for name, info in ret.evidence_files.items() if info.sha256}

        return manifest_inputs(
            self.returns, self.departments, role="return", owner_key="department", extra=supplied, member_hashes=hashes
        )

    def returned_rows(self) -> dict[str, dict[str, ReturnedRow]]:
        """The self-assessed rows a department returned and merge accepted, by scope then item code.

        An item with no usable return (missing, invalid, duplicate) has no row.
        """
        out: dict[str, dict[str, ReturnedRow]] = {}
        for scope in self.campaign.scopes:
            rows = out[scope.id] = {}
            for code, row in self.rows.get(scope.id, {}).items():
                if row.file is not None and (row.score is not None or row.not_applicable):
                    owner = scope.owner_of[code].id if code in scope.owner_of else ""
                    rows[code] = ReturnedRow(row.score, row.not_applicable, row.explanation, row.evidence, owner)
        return out

    def item_rows(self, department_id: str | None = None) -> dict[str, ItemRow]:
        """The consolidated rows of the scope a department feeds: the province's, or its own as a unit."""
        return self.rows.get(self.campaign.scope_of(department_id), {})

    def unit_totals(self) -> list[dict[str, Any]]:
        """each-unit-scores: accepted self-assessed score and applicable self maximum per unit."""
        out = []
        for unit in self.campaign.departments:
            rows = self.item_rows(unit.id)
            out.append(
                {
                    "id": unit.id,
                    "name": unit.name,
                    "group": unit.group,
                    "self_max": sum((leaf.max_points for leaf in unit.items), Decimal(0)),
                    "score": sum((r.score or Decimal(0) for r in rows.values()), Decimal(0)),
                }
            )
        return out

    def totals(self) -> dict[str, Any]:
        """Accepted self-assessed scores summed per field and overall (per unit in each-unit-scores mode)."""
        if self.campaign.is_units:
            units = self.unit_totals()
            return {
                "max": sum((u["self_max"] for u in units), Decimal(0)),
                "self_max": sum((u["self_max"] for u in units), Decimal(0)),
                "score": sum((u["score"] for u in units), Decimal(0)),
                "fields": [],
                "units": units,
            }
        cat = self.campaign.catalogue
        rows = self.item_rows()
        fields = []
        overall = Decimal(0)
        for f in cat.model.fields:
            leaves = cat.leaves_under(f.code)
            score = sum((rows[leaf.code].score or Decimal(0) for leaf in leaves if leaf.is_self), Decimal(0))
            self_max = sum((leaf.max_points for leaf in leaves if leaf.is_self), Decimal(0))
            overall += score
            fields.append({"code": f.code, "title": f.title, "max": f.max_points, "self_max": self_max, "score": score})
        return {"max": cat.model.total_points, "self_max": cat.model.self_points, "score": overall, "fields": fields}

    def to_json(self) -> dict[str, Any]:
        """The machine-readable summary written by ``merge --json``."""

        def num(value: Decimal) -> int | float:
            return int(value) if value == value.to_integral_value() else float(value)

        from parcli.rounds.scoring.evidence import evidence_json

        totals = self.totals()
        used = {d.used for d in self.departments if d.used}
        return {
            "campaign": self.campaign.id,
            "departments": [
                {
                    "id": d.department.id,
                    "name": d.department.name,
                    "appendix": d.department.appendix,
                    "status": d.status,
                    "files": d.files,
                    "used": d.used,
                    "errors": d.errors,
                    "warnings": d.warnings,
                }
                for d in self.departments
            ],
            "problems": [p.to_dict() for p in self.problems],
            "returns": [
                {
                    "file": r.file,
                    "department": r.department_id,
                    "used": r.file in used,
                    "errors": r.errors,
                    "warnings": r.warnings,
                    **evidence_json(r),
                }
                for r in self.returns
            ],
            "versions": [
                {"department": v.owner_id, "used": v.used, "others": list(v.others), "reason": v.reason}
                for v in self.decisions
            ],
            "totals": {
                "max": num(totals["max"]),
                "self_max": num(totals["self_max"]),
                "score": num(totals["score"]),
                "fields": [
                    {
                        "code": f["code"],
                        "title": f["title"],
                        "max": num(f["max"]),
                        "self_max": num(f["self_max"]),
                        "score": num(f["score"]),
                    }
                    for f in totals["fields"]
                ],
                **(
                    {"units": [u | {"self_max": num(u["self_max"]), "score": num(u["score"])} for u in totals["units"]]}
                    if "units" in totals
                    else {}
                ),
            },
        }


def list_returns(folder: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Split a folder's files into (spreadsheets, other files, ignored lock/hidden files)."""
    return list_folder(folder)


@dataclass(frozen=True)
class ScoringForms:
    """The scoring return as a form kind of the collection engine."""

    campaign: Campaign
    document: str = "phiếu"
    owner_noun: str = "cơ quan"
    role: str = "return"

    def read(self, path: Path) -> ReturnResult:
        """Read one return (see :func:`read_return`)."""
        return read_return(path, self.campaign)

    def worker(self) -> tuple[Callable[[str], ScoringForms], str]:
        """Each worker process loads the campaign once, at the round being collected."""
        from parcli.config.campaign import campaign_ref

        return _forms_from_ref, campaign_ref(self.campaign)

    def owners(self) -> list[Department]:
        """The departments (or units) of the campaign."""
        return list(self.campaign.departments)

    def owner_id(self, owner: Department) -> str:
        """The department id."""
        return owner.id

    def not_a_form(self, path: Path) -> Problem:
        """A file in the returns folder that is not a spreadsheet."""
        return not_a_spreadsheet(path, "phiếu chấm điểm")

    def missing(self, owner: Department) -> Problem:
        """A department that returned nothing."""
        return Problem(
            slug="missing-return",
            department=owner.id,
            message=f"{owner.name} ({owner.label}) chưa gửi phiếu chấm điểm.",
        )

    def duplicate(self, owner: Department, result: FormResult, files: list[str], reason: str) -> Problem:
        """One of several returns of a department when none can be chosen."""
        return Problem(
            slug="duplicate-return",
            file=result.file,
            department=owner.id,
            message=f"{owner.name} có {len(files)} phiếu trong thư mục ({', '.join(files)}); {reason}, nên chưa "
            "dùng phiếu nào. Đề nghị giữ lại một phiếu đúng (chuyển các phiếu còn lại ra khỏi thư "
            "mục) hoặc chỉ định bằng --pick TÊN_TỆP.",
        )


def _forms_from_ref(ref: str) -> ScoringForms:
    from parcli.config.campaign import load_ref

    return ScoringForms(load_ref(ref))


def read_returns(campaign: Campaign, paths: list[Path]) -> Iterator[ReturnResult]:
    """Read returns in order, on both cores when there are many (each worker loads the campaign once)."""
    forms = ScoringForms(campaign)
    return read_all(forms.read, paths, forms.worker())


def merge_returns(
    campaign: Campaign,
    folder: Path,
    *,
    on_file: Callable[[Path], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    pick: list[str] | None = None,
) -> MergeResult:
    """Read every return in ``folder`` and decide each department's status (no files written).

    ``pick`` names files that win when a department returned several versions
    (see :func:`choose_version`).
    """
    found = collect_forms(
        ScoringForms(campaign),
        folder,
        lambda dept, files: DepartmentResult(owner=dept, files=files),
        pick=pick,
        on_start=on_start,
        on_file=on_file,
    )
    result = MergeResult(
        campaign=campaign,
        returns=found.results,
        departments=found.outcomes,
        problems=found.problems([d.id for d in campaign.departments]),
        ignored=found.ignored,
        decisions=found.decisions,
        unmatched_picks=found.unmatched_picks,
    )
    for outcome in result.departments:
        kept = found.used.get(outcome.department.id)
        if kept is not None:
            outcome.sent_date = kept.sent_date.isoformat() if kept.sent_date else None
            outcome.received = kept.received.isoformat() if kept.received else None
    _build_item_rows(result, {d.department.id: d for d in result.departments}, found.chosen)
    return result


def _build_item_rows(
    result: MergeResult, outcomes: dict[str, DepartmentResult], chosen: dict[str, ReturnResult]
) -> None:
    """The consolidated item rows from the returns that count."""
    for scope in result.campaign.scopes:
        rows: dict[str, ItemRow] = {}
        for leaf in scope.catalogue.leaves:
            if not leaf.is_self:
                rows[leaf.code] = ItemRow(leaf.code, None, False, "", "", "Điều tra XHH", None)
            elif scope.is_exempt(leaf.code):
                rows[leaf.code] = ItemRow(leaf.code, None, True, "", "", EXEMPT_STATUS, None)
            else:
                owner = scope.owner_of[leaf.code].id
                rows[leaf.code] = _item_row(leaf.code, outcomes[owner], chosen.get(owner))
        result.rows[scope.id] = rows


EXEMPT_STATUS = layout.EXEMPT_STATUS


def _item_row(code: str, outcome: DepartmentResult, picked: ReturnResult | None) -> ItemRow:
    """The consolidated row of one self-assessed item from the return that counts (if any)."""
    entry: ItemEntry | None = picked.items.get(code) if picked else None
    if picked is None:
        status = {"missing": "Chưa nộp", "duplicate": "Trùng phiếu – chưa dùng"}.get(
            outcome.status, "Phiếu không hợp lệ"
        )
        return ItemRow(code, None, False, "", "", status, None)
    if entry is None:
        return ItemRow(code, None, False, "", "", "Thiếu dòng trong phiếu", picked.file)
    accepted = entry.accepted
    status = ("Không áp dụng" if entry.not_applicable else "Đã nhận") if accepted else "Có lỗi – chưa tính"
    score = entry.score if accepted and not entry.not_applicable else None
    if score is not None:
        outcome.score += score
    return ItemRow(
        code, score, accepted and entry.not_applicable, entry.explanation, entry.evidence, status, picked.file
    )


__all__ = [
    "MTIME_MARGIN_SECONDS",
    "PARALLEL_MIN_FILES",
    "STATUS_LABELS",
    "DepartmentResult",
    "ItemRow",
    "MergeResult",
    "ScoringForms",
    "Status",
    "VersionDecision",
    "choose_version",
    "list_returns",
    "merge_returns",
    "read_returns",
]
