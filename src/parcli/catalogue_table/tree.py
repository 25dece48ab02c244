"""The catalogue as ``parcli catalogue show`` prints it: the tree of nodes and the totals per level."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from parcli.config.catalogue import Catalogue, ChoiceRule, Component, Criterion, FieldNode, ScaleRule
from parcli.numbers import fmt_points

LEVEL_NAMES = {1: "Lĩnh vực", 2: "Tiêu chí", 3: "Tiêu chí thành phần"}


@dataclass(frozen=True)
class TreeRow:
    """One node of the catalogue as ``parcli catalogue show`` prints it."""

    level: int  # 1 field, 2 criterion, 3 component criterion
    code: str
    title: str
    max_points: Decimal
    self_points: Decimal  # maximum of the self-assessed leaves under (or at) this node
    survey_points: Decimal  # maximum of the survey leaves under (or at) this node
    scored_by: str | None  # leaves only: "self" or "survey"
    rule: str  # one-line summary of the scoring rule; empty for branches
    verified: bool
    is_leaf: bool


def rule_summary(rule: ChoiceRule | ScaleRule | None, scored_by: str | None) -> str:
    """``chọn 1 / 0,5 / 0``, ``thang, bước 0,25``, ``điều tra XHH`` or empty."""
    if isinstance(rule, ChoiceRule):
        return "chọn " + " / ".join(fmt_points(o.points) for o in rule.options)
    if isinstance(rule, ScaleRule):
        return f"thang, bước {fmt_points(rule.step)}"
    return "điều tra XHH" if scored_by == "survey" else ""


def catalogue_tree(catalogue: Catalogue) -> list[TreeRow]:
    """Every node in catalogue order with its self/survey split and rule summary."""
    rows: list[TreeRow] = []

    def add(level: int, node: FieldNode | Criterion | Component, leaf: bool) -> None:
        leaves = catalogue.leaves_under(node.code)
        scored_by = node.scored_by if leaf and not isinstance(node, FieldNode) else None
        rule = node.rule if leaf and not isinstance(node, FieldNode) else None
        rows.append(
            TreeRow(
                level=level,
                code=node.code,
                title=node.title,
                max_points=node.max_points,
                self_points=sum((x.max_points for x in leaves if x.is_self), Decimal(0)),
                survey_points=sum((x.max_points for x in leaves if not x.is_self), Decimal(0)),
                scored_by=scored_by,
                rule=rule_summary(rule, scored_by) if leaf else "",
                verified=node.verified,
                is_leaf=leaf,
            )
        )

    for f in catalogue.model.fields:
        add(1, f, False)
        for c in f.criteria:
            add(2, c, not c.components)
            for k in c.components:
                add(3, k, True)
    return rows


@dataclass(frozen=True)
class LevelTotal:
    """Count and points of one level of the catalogue (or of the scorable items)."""

    label: str
    count: int
    max_points: Decimal
    self_points: Decimal
    survey_points: Decimal
    unverified: int


def level_totals(catalogue: Catalogue) -> list[LevelTotal]:
    """Totals per level (fields, criteria, components) and for the scorable items (leaves)."""
    tree = catalogue_tree(catalogue)
    groups: list[tuple[str, list[TreeRow]]] = [
        (LEVEL_NAMES[level], [r for r in tree if r.level == level]) for level in (1, 2, 3)
    ]
    groups.append(("Mục chấm điểm", [r for r in tree if r.is_leaf]))
    return [
        LevelTotal(
            label=label,
            count=len(rows),
            max_points=sum((r.max_points for r in rows), Decimal(0)),
            self_points=sum((r.self_points for r in rows), Decimal(0)),
            survey_points=sum((r.survey_points for r in rows), Decimal(0)),
            unverified=sum(1 for r in rows if not r.verified),
        )
        for label, rows in groups
    ]
