"""Remedies computed from consolidated data: the items that lost points, and the points their remedies recovered.

:func:`lost_items` turns a consolidated workbook of a round (the preliminary
one) into the plain :class:`parcli.rounds.remedy.issue.LostItem` values the
remedy workbooks are issued from (the appraised score where there is one).
:func:`recovery` compares that round with the year-end consolidated workbook:
per item lost in the preliminary round, its remedy and progress (from the
remedy plans, when given), its year-end score and the points recovered
(year-end score − preliminary score), summed by field and by department, and the
items still losing points at year end.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from parcli.config.campaign import Campaign

if TYPE_CHECKING:
    from parcli.results.consolidated import Consolidated
    from parcli.results.scoring import ItemScore
    from parcli.rounds.remedy.issue import LostItem
    from parcli.rounds.remedy.merge import RemedyCollection

ZERO = Decimal(0)


def scored_items(campaign: Campaign, data: Consolidated) -> Iterator[tuple[str, ItemScore]]:
    """(scope, item score) of every self-assessed item of every scope."""
    from parcli.results.scoring import compute_scores, compute_unit_scores

    if campaign.is_units:
        for scope, scores in compute_unit_scores(campaign, data).items():
            for item in scores.items.values():
                yield scope, item
    else:
        (province,) = campaign.scopes
        for item in compute_scores(campaign, data).items.values():
            yield province.id, item


def lost_items(campaign: Campaign, data: Consolidated) -> list[LostItem]:
    """The self-assessed items that lost points in ``data``, in catalogue order, with their owner."""
    from parcli.rounds.remedy.issue import LostItem

    owners = {s.id: s.owner_of for s in campaign.scopes}
    out = []
    for scope, item in scored_items(campaign, data):
        leaf = item.leaf
        owner = owners.get(scope, {}).get(leaf.code)
        if not leaf.is_self or owner is None or item.final is None or item.lost is None or item.lost <= 0:
            continue
        out.append(LostItem(scope, leaf.code, leaf.title, item.applicable_max, item.final, item.appraisal_note, owner))
    return out


@dataclass
class Sums:
    """Items, points lost before, points recovered and points still lost, summed."""

    lost_before: Decimal = ZERO
    recovered: Decimal = ZERO
    lost_after: Decimal = ZERO
    items: int = 0

    def add(self, lost_before: Decimal, recovered: Decimal, lost_after: Decimal) -> None:
        """Count one item."""
        self.items += 1
        self.lost_before += lost_before
        self.recovered += recovered
        self.lost_after += lost_after

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "lost_before": self.lost_before,
            "recovered": self.recovered,
            "lost_after": self.lost_after,
        }


def recovery(
    campaign: Campaign,
    preliminary: Consolidated,
    year_end: Consolidated,
    remedies: RemedyCollection | None = None,
) -> dict[str, Any]:
    """The report's remedy section as plain data (see the module docstring).

    ``campaign`` is the campaign at any round: both workbooks are scored against
    its catalogue and assignment.  An item not scored at year end counts as
    recovering nothing (its year-end score is shown empty).
    """
    before = lost_items(campaign, preliminary)
    after = {(scope, item.leaf.code): item for scope, item in scored_items(campaign, year_end)}
    plans = {(i.entry.scope, i.entry.code): i for i in remedies.items} if remedies is not None else {}
    fields = {f.code: f.title for f in campaign.catalogue.model.fields}
    by_field: dict[str, Sums] = {}
    by_department: dict[str, Sums] = {}
    rows = []
    total = Sums()
    for lost in before:
        final = after.get((lost.scope, lost.code))
        score = final.final if final is not None else None
        recovered = (score - lost.score) if score is not None else ZERO
        lost_after = (final.applicable_max - score) if final is not None and score is not None else lost.lost
        plan = plans.get((lost.scope, lost.code))
        leaf = lost.owner.catalogue.leaf_by_code[lost.code]
        for sums in (
            by_field.setdefault(leaf.field_code, Sums()),
            by_department.setdefault(lost.owner.id, Sums()),
            total,
        ):
            sums.add(lost.lost, recovered, lost_after)
        rows.append(
            {
                "scope": lost.scope,
                "code": lost.code,
                "title": lost.title,
                "department": lost.owner.name,
                "max": lost.max_points,
                "preliminary": lost.score,
                "lost": lost.lost,
                "lost_before": lost.lost,
                "remedy": plan.entry.remedy if plan else "",
                "deadline": plan.entry.deadline if plan else None,
                "progress": plan.entry.progress if plan else "",
                "overdue": bool(plan and plan.overdue),
                "year_end": score,
                "recovered": recovered,
                "still_losing": lost_after > 0,
                "lost_after": lost_after,
            }
        )
    names = {d.id: d.name for d in campaign.departments}
    return {
        "preliminary_round": preliminary.round_id or "",
        "year_end_round": year_end.round_id or "",
        "items": rows,
        "by_field": [
            {"code": code, "title": fields.get(code, code), **sums.as_dict()} for code, sums in by_field.items()
        ],
        "by_department": [
            {"id": dept, "name": names.get(dept, dept), **sums.as_dict()} for dept, sums in by_department.items()
        ],
        "total": total.as_dict(),
        "still_losing": [r for r in rows if r["still_losing"]],
        "with_plans": remedies is not None,
        "silent": [d.name for d in remedies.silent] if remedies is not None else [],
    }


def per_unit(campaign: Campaign, section: dict[str, Any]) -> dict[str, Any]:
    """each-unit-scores: a remedy section (:func:`recovery`, or against last year) regrouped by unit and unit group.

    Adds ``units`` (per unit with items: its sums and the items it still loses,
    in campaign order) and ``groups`` (the sums of each unit group).
    """
    units: dict[str, Sums] = {}
    losing: dict[str, list[dict[str, Any]]] = {}
    for row in section["items"]:
        units.setdefault(row["scope"], Sums()).add(row["lost_before"], row["recovered"], row["lost_after"])
        if row["still_losing"]:
            losing.setdefault(row["scope"], []).append(row)
    groups: dict[str, Sums] = {}
    out_units = []
    for unit in campaign.departments:
        sums = units.get(unit.id)
        if sums is None:
            continue
        group = groups.setdefault(unit.group or "", Sums())
        group.add(sums.lost_before, sums.recovered, sums.lost_after)
        group.items += sums.items - 1
        out_units.append(
            {
                "id": unit.id,
                "name": unit.name,
                "group": unit.group or "",
                "group_name": campaign.group_name(unit.group or ""),
                **sums.as_dict(),
                "still_losing": losing.get(unit.id, []),
            }
        )
    return section | {
        "units": out_units,
        "groups": [
            {"id": g.id, "name": g.name, **groups[g.id].as_dict()}
            for g in campaign.model.groups or ()
            if g.id in groups
        ],
    }
