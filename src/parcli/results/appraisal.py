"""What is computed from the returns and the appraisal workbooks together.

The appraisal round (:mod:`parcli.rounds.appraisal`) never reads the scoring
returns; this module joins the two: it collects the appraisals against the
merged returns (:func:`collect_for`), carries what was typed into an old
consolidated workbook over into appraisal workbooks (:func:`import_consolidated`),
sums self-assessed → round 1 → final per field, department and unit group
(:func:`progress`).  The notices and the record are :mod:`parcli.results.appraisal_letters`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.collect.rowhash import ReturnedRow
from parcli.config.campaign import PROVINCE_SCOPE, Campaign
from parcli.rounds.appraisal.issue import IssueResult, Prior, issue_appraisals
from parcli.rounds.appraisal.merge import AppraisalCollection, collect_appraisals
from parcli.rounds.scoring.merge import MergeResult

if TYPE_CHECKING:
    from parcli.results.consolidated import Consolidated

ZERO = Decimal(0)


def collect_for(merged: MergeResult, folder: Path, *, pick: list[str] | None = None) -> AppraisalCollection:
    """The appraisal workbooks of ``folder``, judged against the returns as merged (stale, orphaned…)."""
    return collect_appraisals(merged.campaign, folder, merged.returned_rows(), pick=pick)


def import_consolidated(campaign: Campaign, old: Path, out_dir: Path, *, now: datetime | None = None) -> IssueResult:
    """Round-1 appraisal workbooks (one per department or unit) from an old consolidated workbook.

    Every appraised score and note typed into ``old`` is written, as typed, into
    the input columns; the return row recorded with it is the one the old
    workbook showed, so an appraisal of a row that has changed since is stale.
    Departments with nothing typed get no workbook.
    """
    from parcli.results.consolidated import load_consolidated
    from parcli.results.consolidated_existing import read_appraisals

    data = load_consolidated(old)  # first: a damaged workbook is named as an input, not as an output kept
    typed = read_appraisals(old, campaign)
    rows = returned_rows_of(campaign, data)
    prior = {key: Prior(score=a.score, note="" if a.note is None else str(a.note)) for key, a in typed.items()}
    owners = {
        scope.owner_of[code].id
        for scope in campaign.scopes
        for (s, code) in typed
        if s == scope.id and code in scope.owner_of
    }
    return issue_appraisals(
        campaign, rows, out_dir, by="department", round_=1, prior=prior, source="import", now=now, only=owners
    )


def returned_rows_of(campaign: Campaign, data: Consolidated) -> dict[str, dict[str, ReturnedRow]]:
    """The return rows a consolidated workbook shows, by scope then item code (as merge accepted them)."""
    out: dict[str, dict[str, ReturnedRow]] = {}
    for scope in campaign.scopes:
        rows = out[scope.id] = {}
        for code, item in data.items(scope.id).items():
            if item.score is not None or item.not_applicable:
                owner = scope.owner_of[code].id if code in scope.owner_of else ""
                rows[code] = ReturnedRow(item.score, item.not_applicable, item.explanation, item.evidence, owner)
    return out


def with_appraisals(data: Consolidated, appraisals: AppraisalCollection) -> Consolidated:
    """The consolidated rows with the appraised score and note of the appraisal workbooks, and no other.

    What the consolidated workbook itself shows in its appraisal columns is
    replaced: the appraisal workbooks are the only input of appraised scores.
    """
    from dataclasses import replace

    typed = appraisals.scores()
    rows = {
        scope: {
            code: replace(
                item,
                appraised=typed.get((scope, code), (None, ""))[0],
                appraisal_note=typed.get((scope, code), (None, ""))[1],
                appraised_problem="",
            )
            for code, item in items.items()
        }
        for scope, items in data.rows.items()
    }
    return replace(data, rows=rows)


def collect_for_consolidated(campaign: Campaign, data: Consolidated, folder: Path) -> AppraisalCollection:
    """The appraisal workbooks of ``folder``, judged against the return rows a consolidated workbook shows."""
    return collect_appraisals(campaign, folder, returned_rows_of(campaign, data))


def round1_prior(appraisals: AppraisalCollection) -> dict[tuple[str, str], Prior]:
    """The round-1 appraisal of each item, for the round-2 workbooks."""
    return {
        key: Prior(score=a.round1, note=a.round1_note, supplement=a.supplement)
        for key, a in appraisals.items.items()
        if a.round1 is not None or a.round1_note
    }


@dataclass
class Progress:
    """Self-assessed → round 1 → final over a set of items, with what is left to do."""

    name: str
    code: str = ""  # a field's code; a department's appendix
    self_score: Decimal = ZERO
    round1: Decimal = ZERO
    final: Decimal = ZERO
    items: int = 0
    appraised: int = 0
    stale: int = 0

    def add(self, self_score: Decimal | None, round1: Decimal | None, final: Decimal | None, stale: bool) -> None:
        """Count one item (an item not appraised counts with its self-score in round 1 and final)."""
        base = self_score or ZERO
        self.items += 1
        self.self_score += base
        self.round1 += base if round1 is None else round1
        self.final += base if final is None else final
        self.appraised += final is not None
        self.stale += stale

    def to_dict(self) -> dict[str, Any]:
        """Plain data for templates and JSON."""
        return {
            "name": self.name,
            "code": self.code,
            "appendix": self.code,
            "self_score": self.self_score,
            "round1": self.round1,
            "final": self.final,
            "items": self.items,
            "appraised": self.appraised,
            "not_appraised": self.items - self.appraised,
            "stale": self.stale,
        }


def progress(
    campaign: Campaign, rows: Mapping[str, Mapping[str, ReturnedRow]], appraisals: AppraisalCollection
) -> dict[str, Any]:
    """Per field, per department (or unit) and per unit group: self-assessed, round 1, final; what is left.

    ``rows`` are the return rows as they stand (:meth:`MergeResult.returned_rows`
    or :func:`returned_rows_of` a consolidated workbook). Returns plain data:
    ``fields``, ``departments``, ``groups``, ``total``, ``stale`` and
    ``not_appraised`` (lists of items) and ``files`` (the appraisal workbooks used).
    An item not returned, or returned as not applicable, is left out.
    """
    fields = {f.code: Progress(f.title, f.code) for f in campaign.catalogue.model.fields}
    depts = {d.id: Progress(d.name, "" if campaign.is_units else d.appendix) for d in _by_appendix(campaign)}
    groups: dict[str, Progress] = {}
    total = Progress("Cộng")
    stale: list[dict[str, str]] = []
    missing: list[dict[str, str]] = []
    for scope, leaf, owner_id, owner_name in self_items(campaign):
        row = rows.get(scope, {}).get(leaf.code)
        if row is None or row.not_applicable:
            continue
        a = appraisals.items.get((scope, leaf.code))
        r1, final, is_stale = (a.round1, a.score, a.stale) if a else (None, None, False)
        buckets = [total, depts[owner_id]]
        if leaf.field_code in fields:
            buckets.append(fields[leaf.field_code])
        dept = campaign.department_by_id[owner_id]
        if campaign.is_units:
            group = dept.group or ""
            buckets.append(groups.setdefault(group, Progress(campaign.group_name(group))))
        for b in buckets:
            b.add(row.score, r1, final, is_stale)
        entry = {
            "scope": scope,
            "unit": "" if scope == PROVINCE_SCOPE else owner_name,
            "item": leaf.code,
            "title": leaf.title,
            "department": owner_name,
            "self_score": row.score,
            "round1": r1,
            "final": final,
        }
        if is_stale:
            stale.append(entry)
        if final is None:
            missing.append(entry)
    return {
        "fields": [p.to_dict() for p in fields.values()],
        "departments": [p.to_dict() for p in depts.values()],
        "groups": [p.to_dict() for p in groups.values()],
        "total": total.to_dict(),
        "stale": stale,
        "not_appraised": missing,
        "pending": _pending_by_department(missing),
        "files": [o.used for o in appraisals.outcomes if o.used],
    }


def _by_appendix(campaign: Campaign) -> list[Any]:
    """The departments in the order of the plan's appendices (units in the campaign's order)."""
    from parcli.config.campaign_models import roman_to_int

    if campaign.is_units:
        return list(campaign.departments)

    def order(appendix: str) -> int:
        try:
            return roman_to_int(appendix)
        except ValueError:
            return 10_000

    return sorted(campaign.departments, key=lambda d: order(d.appendix))


def _pending_by_department(missing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items not appraised yet, grouped by department (or unit), in the order met."""
    grouped: dict[str, list[str]] = {}
    for entry in missing:
        grouped.setdefault(entry["department"], []).append(entry["item"])
    return [{"department": name, "count": len(codes), "codes": ", ".join(codes)} for name, codes in grouped.items()]


def self_items(campaign: Campaign) -> Iterable[tuple[str, Any, str, str]]:
    """(scope, leaf, owner id, owner name) of every self-assessed item an owner scores, in catalogue order."""
    for scope in campaign.scopes:
        for leaf in scope.catalogue.leaves:
            if leaf.is_self and not scope.is_exempt(leaf.code) and leaf.code in scope.owner_of:
                owner = scope.owner_of[leaf.code]
                yield scope.id, leaf, owner.id, owner.name
