"""Remedies against last year's result, and last year's ranking of the units.

:func:`against_previous` is the remedy section measured against last year's
consolidated workbook instead of the preliminary round: every self-assessed
item that lost points last year (the appraised score where there is one), its
code this year (through an old → new code mapping when the catalogues differ),
this year's score and the points recovered, defined as last year's points lost
− this year's points lost, so that a maximum changed between the two years
is never counted as recovery.  Items gone from this year's catalogue (or not
applicable this year) are listed apart and left out of the sums.

:func:`previous_units` gives each unit's self-assessed score, percentage and
rank in last year's consolidated workbook (each-unit-scores mode), ranked in
this year's groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parcli.config.campaign import PROVINCE_SCOPE, Campaign
from parcli.errors import UsageError
from parcli.results.remedy import ZERO, Sums, scored_items

if TYPE_CHECKING:
    from parcli.results.consolidated import Consolidated, ConsolidatedItem
    from parcli.rounds.remedy.merge import RemedyCollection

NOTE = (
    "Điểm khôi phục = điểm bị trừ năm trước − điểm bị trừ năm nay của cùng mục, nên phần điểm tối đa của mục "
    "thay đổi giữa hai năm không được tính là khôi phục; năm trước tính theo điểm thẩm định (nếu có)."
)


@dataclass
class _Before:
    """A self-assessed item (or several old items mapped to one new code) that lost points last year."""

    old_codes: list[str] = field(default_factory=list)
    max_points: Decimal = ZERO
    score: Decimal = ZERO

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.score


def _final(item: ConsolidatedItem) -> Decimal | None:
    return item.appraised if item.appraised is not None else item.score


def _lost_last_year(items: dict[str, ConsolidatedItem]) -> dict[str, ConsolidatedItem]:
    """Last year's self-assessed, applicable, scored items with points lost, by old code."""
    out = {}
    for code, item in items.items():
        final = _final(item)
        if item.scored_by != "self" or item.not_applicable or final is None or item.max_points is None:
            continue
        if item.max_points - final > 0:
            out[code] = item
    return out


def _scope_pairs(campaign: Campaign, previous: Consolidated) -> tuple[list[str], list[str]]:
    """(scopes present both years, scopes of last year's workbook that are gone this year)."""
    if previous.is_units != campaign.is_units:
        raise UsageError(
            f"Bảng tổng hợp năm trước {previous.path.name} và kế hoạch năm nay không cùng chế độ (tỉnh hoặc xếp hạng "
            "đơn vị). Đề nghị chọn đúng bảng tổng hợp năm trước."
        )
    now = [s.id for s in campaign.scopes]
    if not campaign.is_units:
        return [PROVINCE_SCOPE], []
    return [s for s in now if s in previous.rows], [s for s in previous.rows if s not in now]


def against_previous(
    campaign: Campaign,
    previous: Consolidated,
    year_end: Consolidated,
    mapping: dict[str, str | None] | None = None,
    remedies: RemedyCollection | None = None,
) -> dict[str, Any]:
    """The remedy section against last year's consolidated workbook, as plain data (see the module docstring).

    ``mapping`` maps last year's codes to this year's (None: the item is gone);
    without it a code means the same item both years.  ``remedies`` (the plans
    of this year's preliminary round) give an item's remedy and progress.
    Rows, sums and ``still_losing`` have the shape of
    :func:`parcli.results.remedy.recovery`'s (``lost_before`` is last year's).
    """
    scopes, gone_units = _scope_pairs(campaign, previous)
    by_scope = {s.id: s for s in campaign.scopes}
    now = {(scope, item.leaf.code): item for scope, item in scored_items(campaign, year_end)}
    plans = {(i.entry.scope, i.entry.code): i for i in remedies.items} if remedies is not None else {}
    fields = {f.code: f.title for cat in campaign.catalogues.values() for f in cat.model.fields}
    fields |= {f.code: f.title for f in campaign.catalogue.model.fields}
    by_field: dict[str, Sums] = {}
    by_department: dict[str, Sums] = {}
    total = Sums()
    rows: list[dict[str, Any]] = []
    apart: list[dict[str, Any]] = []  # gone this year, unknown to the mapping, not applicable this year
    for scope_id in scopes:
        scope = by_scope[scope_id]
        grouped: dict[str, _Before] = {}
        for old, item in _lost_last_year(previous.items(scope_id)).items():
            if mapping is not None and old not in mapping:
                apart.append(_apart(scope_id, old, item, "không có trong tệp đối chiếu mã"))
                continue
            new = mapping[old] if mapping is not None else old
            if new is None or new not in scope.catalogue.leaf_by_code or new not in scope.owner_of:
                apart.append(_apart(scope_id, old, item, "không còn trong bộ tiêu chí năm nay"))
                continue
            before = grouped.setdefault(new, _Before())
            before.old_codes.append(old)
            before.max_points += item.max_points or ZERO
            before.score += _final(item) or ZERO
        for code in (leaf.code for leaf in scope.catalogue.leaves if leaf.code in grouped):
            before = grouped[code]
            this = now.get((scope_id, code))
            leaf = scope.catalogue.leaf_by_code[code]
            owner = scope.owner_of[code]
            if this is not None and this.not_applicable and not this.na_full_points:
                apart.append(_apart(scope_id, ", ".join(before.old_codes), None, "năm nay không áp dụng", before))
                continue
            score = this.final if this is not None else None
            lost_after = this.lost if this is not None and this.lost is not None else before.lost
            recovered = before.lost - lost_after if score is not None else ZERO
            for sums in (
                by_field.setdefault(leaf.field_code, Sums()),
                by_department.setdefault(owner.id, Sums()),
                total,
            ):
                sums.add(before.lost, recovered, lost_after)
            plan = plans.get((scope_id, code))
            rows.append(
                {
                    "scope": scope_id,
                    "code": code,
                    "old_code": ", ".join(c for c in before.old_codes if c != code),
                    "title": leaf.title,
                    "department_id": owner.id,
                    "department": owner.name,
                    "previous_max": before.max_points,
                    "previous": before.score,
                    "lost_before": before.lost,
                    "max": this.applicable_max if this is not None else leaf.max_points,
                    "year_end": score,
                    "recovered": recovered,
                    "lost_after": lost_after,
                    "still_losing": lost_after > 0,
                    "remedy": plan.entry.remedy if plan else "",
                    "progress": plan.entry.progress if plan else "",
                    "overdue": bool(plan and plan.overdue),
                }
            )
    names = {d.id: d.name for d in campaign.departments}
    return {
        "previous_file": previous.path.name,
        "previous_year": campaign.model.year - 1,
        "note": NOTE,
        "mapped": mapping is not None,
        "items": rows,
        "by_field": [
            {"code": c, "title": fields.get(c, c), **s.as_dict()} for c, s in sorted(by_field.items(), key=_order)
        ],
        "by_department": [{"id": d, "name": names.get(d, d), **s.as_dict()} for d, s in by_department.items()],
        "total": total.as_dict(),
        "still_losing": [r for r in rows if r["still_losing"]],
        "apart": apart,
        "gone_units": gone_units,
        "with_plans": remedies is not None,
        "silent": [d.name for d in remedies.silent] if remedies is not None else [],
    }


def _order(pair: tuple[str, Any]) -> tuple[int, str]:
    code = pair[0]
    return (int(code), "") if code.isdigit() else (10**6, code)


def _apart(
    scope: str, old: str, item: ConsolidatedItem | None, why: str, before: _Before | None = None
) -> dict[str, Any]:
    """A last-year item left out of the sums, and why."""
    top = before.max_points if before is not None else (item.max_points if item is not None else None)
    score = before.score if before is not None else (_final(item) if item is not None else None)
    lost = top - score if top is not None and score is not None else None
    return {"scope": scope, "old_code": old, "previous_max": top, "previous": score, "lost_before": lost, "why": why}


def previous_units(campaign: Campaign, previous: Consolidated) -> dict[str, Any]:
    """Each unit's result in last year's consolidated workbook, ranked within this year's groups.

    A unit's score is the sum of its self-assessed items as appraised (else as
    self-assessed), its maximum that of the items that applied (survey items
    and not-applicable or exempt items left out); the percentage is rounded like
    the published one and ranked like this year's (ties share a rank).  Returns
    ``units`` (unit id → final, max, percent, rank, of) and ``only_previous``
    (unit ids of last year's workbook that are not units this year).
    """
    from parcli.numbers import percent

    _, gone = _scope_pairs(campaign, previous)
    totals: dict[str, tuple[Decimal, Decimal, bool]] = {}
    for scope, items in previous.rows.items():
        final = top = ZERO
        scored = False
        for item in items.values():
            value = _final(item)
            if item.scored_by != "self" or item.not_applicable or item.max_points is None:
                continue
            top += item.max_points
            if value is not None:
                final += value
                scored = True
        totals[scope] = (final, top, scored)
    units: dict[str, dict[str, Any]] = {}
    for group in campaign.model.groups or ():
        members = [u.id for u in campaign.departments if u.group == group.id and u.id in totals]
        pct = {u: percent(totals[u][0], totals[u][1]) if totals[u][2] else None for u in members}
        ranked = sorted((u for u in members if pct[u] is not None), key=lambda u: -(pct[u] or ZERO))
        for u in members:
            rank = None if pct[u] is None else 1 + sum(1 for v in ranked if (pct[v] or ZERO) > (pct[u] or ZERO))
            final, top, scored = totals[u]
            units[u] = {
                "final": final if scored else None,
                "max": top,
                "percent": pct[u],
                "rank": rank,
                "of": len(members),
            }
    names = {u: u for u in gone}
    return {
        "file": previous.path.name,
        "year": campaign.model.year - 1,
        "units": units,
        "only_previous": [names[u] for u in gone],
    }
