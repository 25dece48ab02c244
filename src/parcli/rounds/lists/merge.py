"""Consolidating a folder of survey lists on the collection engine.

The engine (:mod:`parcli.collect`) lists the folder, reads every list, groups them
by unit, applies the version rule and settles each unit's status.  What is this
round's own is below: the form kind (:class:`ListForms`: reader, units, messages),
people nominated by two units, and the quotas.  The consolidated workbook is
:mod:`.write`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.collect.engine import collect_forms, manifest_inputs
from parcli.collect.form import FormResult, not_a_spreadsheet
from parcli.collect.versions import Outcome, VersionDecision
from parcli.config.lists_plan import ListsPlan, NominatingUnit
from parcli.problems import Problem
from parcli.rounds.lists import layout
from parcli.rounds.lists.checks import GroupCount, count_quotas, mark_duplicates
from parcli.rounds.lists.layout import STATUS_LABELS
from parcli.rounds.lists.read import read_list
from parcli.rounds.lists.records import ListResult, Respondent

if TYPE_CHECKING:
    from parcli.secret import Password


def _deadline(value: date) -> str:
    return value.strftime("%d/%m/%Y")


@dataclass
class UnitOutcome(Outcome[NominatingUnit]):
    """One unit's outcome, with its counts per group against the quotas."""

    sent_date: date | None = None
    counts: list[GroupCount] = field(default_factory=list)

    @property
    def unit(self) -> NominatingUnit:
        """The unit this outcome is of."""
        return self.owner


@dataclass
class ListsMergeResult:
    """Everything :func:`merge_lists` found."""

    plan: ListsPlan
    folder: Path
    lists: list[ListResult] = field(default_factory=list)
    units: list[UnitOutcome] = field(default_factory=list)
    respondents: list[Respondent] = field(default_factory=list)  # accepted, in unit then row order
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    decisions: list[VersionDecision] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every unit returned one list and no problem is an error."""
        return all(u.status == "ok" for u in self.units) and not any(p.is_error for p in self.problems)

    def manifest_inputs(self) -> list[dict[str, Any]]:
        """Every list file read, with its hash, unit and status (for ``manifest.json``; no personal data)."""
        return manifest_inputs(self.lists, self.units, role="survey-list", owner_key="unit")

    def by_group(self) -> dict[str, list[Respondent]]:
        """Accepted respondents per group id (every group present)."""
        out: dict[str, list[Respondent]] = {g.id: [] for g in self.plan.groups}
        for person in self.respondents:
            if person.group_id is not None:
                out[person.group_id].append(person)
        return out

    def to_json(self) -> dict[str, Any]:
        """The machine-readable summary written by ``survey merge --json`` (no personal data)."""
        per_group = self.by_group()
        return {
            "campaign": self.plan.campaign.id,
            "units": [
                {
                    "id": u.unit.id,
                    "name": u.unit.name,
                    "kind": u.unit.kind,
                    "status": u.status,
                    "files": u.files,
                    "used": u.used,
                    "errors": u.errors,
                    "warnings": u.warnings,
                    "groups": [
                        {
                            "id": c.group.id,
                            "quota": c.quota,
                            "nominated": c.nominated,
                            "accepted": c.accepted,
                            "status": c.status,
                        }
                        for c in u.counts
                    ],
                }
                for u in self.units
            ],
            "groups": [
                {"id": g.id, "label": g.label, "kind": g.kind, "accepted": len(per_group[g.id])}
                for g in self.plan.groups
            ],
            "problems": [p.to_dict() for p in self.problems],
            "versions": [
                {"unit": v.owner_id, "used": v.used, "others": list(v.others), "reason": v.reason}
                for v in self.decisions
            ],
            "ignored": self.ignored,
        }


@dataclass(frozen=True)
class ListForms:
    """The survey list as a form kind of the collection engine."""

    plan: ListsPlan
    password: Password | None = None  # of the lists units sent encrypted
    document: str = layout.DOCUMENT
    owner_noun: str = layout.OWNER_NOUN
    role: str = "survey-list"

    def read(self, path: Path) -> ListResult:
        """Read one list (see :func:`read_list`)."""
        return read_list(path, self.plan, self.password)

    def worker(self) -> tuple[Callable[[str], ListForms], str]:
        """Each worker process loads the campaign (at the round being collected) and its plan once; the
        password reaches it through the pool's pipe, never a file."""
        from parcli.config.campaign import campaign_ref

        return partial(_forms_from_ref, password=self.password), campaign_ref(self.plan.campaign)

    def owners(self) -> tuple[NominatingUnit, ...]:
        """The units of the plan, in plan order."""
        return self.plan.units

    def owner_id(self, owner: NominatingUnit) -> str:
        """The unit id."""
        return owner.id

    def not_a_form(self, path: Path) -> Problem:
        """A file in the lists folder that is not a spreadsheet."""
        return not_a_spreadsheet(path, "danh sách đối tượng điều tra")

    def missing(self, owner: NominatingUnit) -> Problem:
        """A unit that sent no list."""
        return Problem(
            slug="list-missing",
            department=owner.id,
            message=f"{owner.name} chưa gửi danh sách đối tượng điều tra xã hội học "
            f"(hạn {_deadline(self.plan.model.deadline)}).",
        )

    def duplicate(self, owner: NominatingUnit, result: FormResult, files: list[str], reason: str) -> Problem:
        """One of several lists of a unit when none can be chosen."""
        return Problem(
            slug="duplicate-list",
            file=result.file,
            department=owner.id,
            message=f"{owner.name} có {len(files)} danh sách trong thư mục ({', '.join(files)}); {reason}, nên "
            "chưa dùng danh sách nào. Đề nghị giữ lại một danh sách đúng (chuyển các tệp còn lại ra "
            "khỏi thư mục) hoặc chỉ định bằng --pick TÊN_TỆP.",
        )


def _forms_from_ref(ref: str, password: Password | None = None) -> ListForms:
    from parcli.config.campaign import load_ref
    from parcli.config.lists_plan import load_lists_plan

    return ListForms(load_lists_plan(load_ref(ref)), password)


def merge_lists(
    plan: ListsPlan,
    folder: Path,
    *,
    pick: list[str] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
    password: Password | None = None,
) -> ListsMergeResult:
    """Read every list in ``folder`` (never modifying it) and consolidate; no file is written.

    ``password`` opens the lists units sent encrypted (see :func:`read_list`).

    Stages: read each file; decide each unit's list (missing, one, several: the
    version rule); report people nominated by two units once, naming both
    places; count each unit's accepted respondents per group against its quota.
    """
    found = collect_forms(
        ListForms(plan, password),
        folder,
        lambda unit, files: UnitOutcome(owner=unit, files=files),
        pick=pick,
        on_start=on_start,
        on_file=on_file,
    )
    result = ListsMergeResult(
        plan=plan, folder=folder, lists=found.results, units=found.outcomes, ignored=found.ignored
    )
    result.decisions = found.decisions
    unit_ids = [u.id for u in plan.units]
    # people nominated by two units: reported once, at the later one
    used_lists = [found.chosen[u] for u in unit_ids if u in found.chosen]
    for problem in mark_duplicates(used_lists, plan, across_units=True):
        found.problems_of[problem.department or ""].append(problem)
    for outcome in result.units:
        kept = found.used.get(outcome.unit.id)
        outcome.sent_date = kept.sent_date if kept else None
        chosen = found.chosen.get(outcome.unit.id)
        outcome.counts, problems = count_quotas(plan, outcome.unit, chosen)
        found.problems_of[outcome.unit.id].extend(problems)
        result.respondents.extend(p for p in (chosen.respondents if chosen else []) if p.accepted and p.group_id)
    found.settle(unit_ids)
    result.problems = found.problems(unit_ids)
    return result


__all__ = [
    "STATUS_LABELS",
    "ListForms",
    "ListResult",
    "ListsMergeResult",
    "UnitOutcome",
    "merge_lists",
]
