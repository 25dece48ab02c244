"""Scores: pure arithmetic from the consolidated data and the catalogue (no I/O).

Per item, criterion, field and the whole index: maximum, self-assessed score,
appraised score (*điểm thẩm định*, used wherever the reviewer typed one),
final score, percentage and points lost.  An item marked not applicable
follows its catalogue rule (``not_applicable.scoring``): ``exclude`` leaves
both score and maximum, ``full_points`` awards the maximum; an item of an
exempt branch is always left out.  Survey items are pending ("chờ kết quả điều tra xã hội
học") unless survey scores are given; then the index is (appraised
self-assessment + survey) / applicable maximum.

All sums are exact decimals; percentages use :func:`parcli.numbers.percent`,
the project's single rounding rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, Rounded, localcontext

from parcli.config.campaign import Campaign, Scope
from parcli.config.campaign_models import Band
from parcli.config.catalogue import Catalogue, Leaf, NaScoring
from parcli.numbers import percent
from parcli.results.consolidated import Consolidated, ConsolidatedItem

ZERO = Decimal(0)


@dataclass(frozen=True)
class ItemScore:
    """One scorable item."""

    leaf: Leaf
    department_id: str | None
    self_score: Decimal | None
    appraised: Decimal | None
    final: Decimal | None  # None: not scored (no valid return, or survey pending)
    not_applicable: bool
    explanation: str
    appraisal_note: str
    status: str
    na_rule: NaScoring | None = None  # the rule applied to a not-applicable item, None otherwise

    @property
    def na_full_points(self) -> bool:
        """True when the item is not applicable and its rule awards full points."""
        return self.not_applicable and self.na_rule == "full_points"

    @property
    def applicable_max(self) -> Decimal:
        """The item's maximum, or 0 when it is not applicable and left out."""
        return ZERO if self.not_applicable and not self.na_full_points else self.leaf.max_points

    @property
    def lost(self) -> Decimal | None:
        """Points lost (applicable max − final), None when not scored."""
        return None if self.final is None else self.applicable_max - self.final


@dataclass
class Totals:
    """Sums over a set of items, split into the self-assessed and the survey part."""

    max_points: Decimal = ZERO  # catalogue maximum (applicable or not)
    self_max: Decimal = ZERO  # applicable maximum of self-assessed items
    self_score: Decimal = ZERO  # as the departments scored themselves
    appraised: Decimal = ZERO  # self part after appraisal
    survey_max: Decimal = ZERO
    survey_score: Decimal | None = None  # None while the survey is pending
    unscored: int = 0  # self items without an accepted score
    scored: int = 0  # self items with a final score
    scored_max: Decimal = ZERO  # applicable maximum of the self items that have a score

    def add(self, item: ItemScore) -> None:
        """Add one item."""
        leaf = item.leaf
        top = leaf.max_points
        self.max_points += top
        final = item.final
        full = item.not_applicable and item.na_rule == "full_points"  # item.na_full_points
        applicable = ZERO if item.not_applicable and not full else top  # item.applicable_max
        if leaf.scored_by == "self":
            self.self_max += applicable
            if final is None:
                if not item.not_applicable:
                    self.unscored += 1
            else:
                self.scored += 1
                self.scored_max += applicable
            self.self_score += top if full else item.self_score or ZERO
            self.appraised += final or ZERO
        else:
            self.survey_max += applicable
            if final is not None:
                self.add_survey(final)

    def add_survey(self, final: Decimal) -> None:
        """Add one survey item's points to the survey part (pending until the first one)."""
        self.survey_score = (self.survey_score or ZERO) + final

    def merge(self, other: Totals) -> None:
        """Add the sums of ``other``, all but its survey points (added item by item: see :func:`score_scope`).

        Exact sums do not depend on how the items are grouped; :func:`score_scope` checks that they are.
        """
        self.max_points += other.max_points
        self.self_max += other.self_max
        self.self_score += other.self_score
        self.appraised += other.appraised
        self.survey_max += other.survey_max
        self.unscored += other.unscored
        self.scored += other.scored
        self.scored_max += other.scored_max

    @property
    def survey_included(self) -> bool:
        """True when survey scores were given for this part."""
        return self.survey_score is not None or self.survey_max == 0

    @property
    def final(self) -> Decimal:
        """Appraised self part plus the survey part when known."""
        return self.appraised + (self.survey_score or ZERO)

    @property
    def applicable_max(self) -> Decimal:
        """The denominator of the percentage: self part, plus survey part when known."""
        return self.self_max + (self.survey_max if self.survey_score is not None else ZERO)

    @property
    def percent(self) -> Decimal | None:
        """final / applicable max, in % (rounded once, by the project's rule); None when nothing is scored.

        Self items without a score (no valid return) count as 0 in the provisional figure.
        """
        if self.scored == 0 and self.survey_score is None:
            return None
        return percent(self.final, self.applicable_max)

    @property
    def appraised_percent(self) -> Decimal | None:
        """The self part after appraisal / its applicable max, in % (the basis of year-on-year change)."""
        return None if self.scored == 0 else percent(self.appraised, self.self_max)

    @property
    def self_percent(self) -> Decimal | None:
        """Self-assessed (before appraisal) / self max, in %."""
        return percent(self.self_score, self.self_max)

    @property
    def lost(self) -> Decimal:
        """Points lost by the scored self items (items without a score are not counted as lost)."""
        return self.scored_max - self.appraised


@dataclass
class NodeScores:
    """A field or criterion with its totals."""

    code: str
    title: str
    totals: Totals


@dataclass
class DepartmentScores:
    """One department's items and totals."""

    department_id: str
    totals: Totals = field(default_factory=Totals)
    items: int = 0


@dataclass
class Scores:
    """Everything the report needs, computed."""

    items: dict[str, ItemScore]
    index: Totals
    fields: list[NodeScores]
    criteria: list[NodeScores]
    departments: dict[str, DepartmentScores]

    def lost_items(self) -> list[ItemScore]:
        """Self-assessed items that lost points, most points lost first (then catalogue order)."""
        lost: list[tuple[Decimal, int, ItemScore]] = []
        for position, item in enumerate(self.items.values()):
            if item.final is not None and item.leaf.scored_by == "self":
                amount = item.applicable_max - item.final  # item.lost
                if amount > 0:
                    lost.append((-amount, position, item))
        lost.sort(key=lambda entry: entry[:2])
        return [item for _, _, item in lost]

    def unscored_items(self) -> list[ItemScore]:
        """Self-assessed items without an accepted score (return missing or invalid)."""
        return [i for i in self.items.values() if i.leaf.is_self and i.final is None and not i.not_applicable]


def compute_scores(campaign: Campaign, data: Consolidated, survey: Mapping[str, Decimal] | None = None) -> Scores:
    """Compute item, criterion, field, department and index scores of a split campaign (its province scope)."""
    (scope,) = campaign.scopes
    return score_scope(scope, data.items(scope.id), survey, [d.id for d in campaign.departments])


def compute_unit_scores(
    campaign: Campaign, data: Consolidated, survey: Mapping[str, Mapping[str, Decimal]] | None = None
) -> dict[str, Scores]:
    """each-unit-scores: the scores of every unit over its own catalogue, exempt branches left out.

    ``survey`` gives, per unit id, the survey items' points; a unit without them
    keeps its survey part pending (its percentage is of the self-assessed part).
    """
    return {
        scope.id: score_scope(scope, data.items(scope.id), (survey or {}).get(scope.id), [scope.id])
        for scope in campaign.scopes
    }


def score_scope(
    scope: Scope,
    rows: Mapping[str, ConsolidatedItem],
    survey: Mapping[str, Decimal] | None,
    department_ids: list[str],
) -> Scores:
    """The core: score one scope's catalogue from its consolidated rows (exempt items count as not applicable).

    Each item is added once, to its criterion (and, when it has one, to its department's part of the
    criterion); fields, the index and the departments add up those sums.  Exact decimal sums do not
    depend on the grouping: the sums are made with every rounding trapped, and should one round (a
    score with more digits than the decimal context holds) they are made again item by item, in
    catalogue order, as :meth:`Totals.add` always did.
    """
    items = _item_scores(scope, rows, survey)
    try:
        with localcontext() as exact:
            exact.traps[Rounded] = True
            return _add_up(scope.catalogue, items, department_ids)
    except Rounded:
        return _add_up_item_by_item(scope.catalogue, items, department_ids)


def _item_scores(
    scope: Scope, rows: Mapping[str, ConsolidatedItem], survey: Mapping[str, Decimal] | None
) -> dict[str, ItemScore]:
    """Every leaf of the scope's catalogue scored, in catalogue order."""
    owner = {code: d.id for code, d in scope.owner_of.items()}
    given = survey or {}
    items: dict[str, ItemScore] = {}
    for leaf in scope.catalogue.leaves:
        code = leaf.code
        row = rows.get(code)
        exempt = scope.is_exempt(code)
        if leaf.scored_by == "self":
            if row is None:
                self_score = appraised = None
                not_applicable = exempt
            else:
                self_score = row.score
                appraised = row.appraised
                not_applicable = row.not_applicable or exempt
            final = None if not_applicable else (appraised if appraised is not None else self_score)
        else:
            self_score = appraised = None
            not_applicable = exempt
            final = None if not_applicable else given.get(code)
        na_rule: NaScoring | None = None
        if not_applicable:
            # Each criterion's official method decides (catalogue ``not_applicable.scoring``); an exempt branch is
            # outside the unit's index altogether.
            na_rule = "exclude" if exempt else leaf.not_applicable_scoring
            if na_rule == "full_points":
                final = leaf.max_points
        item: ItemScore = _NEW(ItemScore)  # ItemScore(...), some 100,000 times for a commune campaign: see _NEW
        item.__dict__.update(
            leaf=leaf,
            department_id=owner.get(code),
            self_score=self_score,
            appraised=appraised,
            final=final,
            not_applicable=not_applicable,
            explanation=row.explanation if row else "",
            appraisal_note=row.appraisal_note if row else "",
            status=row.status if row else "",
            na_rule=na_rule,
        )
        items[code] = item
    return items


# ItemScore is built with its fields put in place at once rather than by one object.__setattr__ each (the
# frozen dataclass has no __post_init__; tests/test_fast_build.py holds the two ways equal, field for field).
_NEW = object.__new__


def _add_up(catalogue: Catalogue, items: dict[str, ItemScore], department_ids: list[str]) -> Scores:
    """Criterion, field, department and index totals, each item added once (see :func:`score_scope`).

    Survey points are added item by item at every level: a pending survey part (None) and a zero
    are told apart the way :meth:`Totals.add` does, in catalogue order.
    """
    index = Totals()
    fields: list[NodeScores] = []
    criteria: list[NodeScores] = []
    departments = {d: DepartmentScores(department_id=d) for d in department_ids}
    for f, branches in catalogue.tree:
        ftotals = Totals()
        for c, leaves in branches:
            ctotals = Totals()
            scored = [items[leaf.code] for leaf in leaves]
            for item in scored:
                ctotals.add(item)
            owners = {item.department_id for item in scored}
            only = owners.pop() if len(owners) == 1 else None
            owner = departments.get(only) if only is not None else None
            if owner is not None:  # the criterion's items are all one department's
                owner.totals.merge(ctotals)
                owner.items += len(scored)
            for item in scored:
                if owner is None and item.department_id is not None and item.department_id in departments:
                    departments[item.department_id].totals.add(item)
                    departments[item.department_id].items += 1
                if item.final is not None and item.leaf.scored_by != "self":
                    ftotals.add_survey(item.final)
                    index.add_survey(item.final)
                    if owner is not None:
                        owner.totals.add_survey(item.final)
            ftotals.merge(ctotals)
            criteria.append(NodeScores(code=c.code, title=c.title, totals=ctotals))
        index.merge(ftotals)
        fields.append(NodeScores(code=f.code, title=f.title, totals=ftotals))
    return Scores(items=items, index=index, fields=fields, criteria=criteria, departments=departments)


def _add_up_item_by_item(catalogue: Catalogue, items: dict[str, ItemScore], department_ids: list[str]) -> Scores:
    """:func:`_add_up` adding every item to its criterion, field, department and the index in turn."""
    index = Totals()
    fields: list[NodeScores] = []
    criteria: list[NodeScores] = []
    departments = {d: DepartmentScores(department_id=d) for d in department_ids}
    for f, branches in catalogue.tree:
        ftotals = Totals()
        for c, leaves in branches:
            ctotals = Totals()
            for leaf in leaves:
                item = items[leaf.code]
                ctotals.add(item)
                ftotals.add(item)
                index.add(item)
                if item.department_id is not None and item.department_id in departments:
                    departments[item.department_id].totals.add(item)
                    departments[item.department_id].items += 1
            criteria.append(NodeScores(code=c.code, title=c.title, totals=ctotals))
        fields.append(NodeScores(code=f.code, title=f.title, totals=ftotals))
    return Scores(items=items, index=index, fields=fields, criteria=criteria, departments=departments)


@dataclass(frozen=True)
class RankRow:
    """One unit in a group's ranking."""

    unit_id: str
    rank: int | None  # None: no score at all (no valid return)
    percent: Decimal | None
    band: str | None
    scores: Scores


TIE_RULE = (
    "Xếp hạng theo tỷ lệ % điểm đạt trên tổng điểm tối đa áp dụng của từng đơn vị, làm tròn 2 chữ số thập phân "
    "như số công bố; các đơn vị bằng tỷ lệ được đồng hạng (hạng tiếp theo bỏ qua số hạng tương ứng: 1, 2, 2, 4); "
    "trong cùng hạng, thứ tự trình bày theo điểm đạt cao hơn, rồi theo tên đơn vị."
)


def na_rule(full_points_used: bool) -> str:
    """How exempt and not-applicable items count, as the ranking and unit sheets state it (one wording).

    ``full_points_used``: some item returned as not applicable was given its full
    points (the catalogue's ``not_applicable: full_points``), so "left out" alone would be wrong.
    """
    if full_points_used:
        return (
            "Mục được miễn không tính vào điểm tối đa; mục không áp dụng tính theo cách quy định cho từng mục "
            "trong bộ tiêu chí (không tính vào điểm tối đa, hoặc được tính đủ điểm tối đa)."
        )
    return "Mục được miễn và mục không áp dụng không tính vào điểm và điểm tối đa."


def band_of(percent: Decimal | None, bands: tuple[Band, ...]) -> str | None:
    """The highest band whose minimum the percentage reaches (bands sorted highest first)."""
    if percent is None:
        return None
    return next((b.label for b in bands if percent >= b.min), None)


def rank_units(campaign: Campaign, unit_scores: dict[str, Scores]) -> dict[str, list[RankRow]]:
    """Competition ranking per group (ties share a rank; see :data:`TIE_RULE`)."""
    out: dict[str, list[RankRow]] = {}
    for group in campaign.model.groups or ():
        units = [u for u in campaign.departments if u.group == group.id]
        scored = [u for u in units if unit_scores[u.id].index.percent is not None]
        unscored = [u for u in units if unit_scores[u.id].index.percent is None]
        scored.sort(
            key=lambda u: (
                -(unit_scores[u.id].index.percent or ZERO),
                -unit_scores[u.id].index.final,
                vietnamese_sort_key(u.name),
            )
        )
        rows: list[RankRow] = []
        previous: Decimal | None = None
        rank = 0
        for position, unit in enumerate(scored, start=1):
            pct = unit_scores[unit.id].index.percent
            if pct != previous:
                rank = position
                previous = pct
            rows.append(RankRow(unit.id, rank, pct, band_of(pct, campaign.bands), unit_scores[unit.id]))
        for unit in sorted(unscored, key=lambda u: vietnamese_sort_key(u.name)):
            rows.append(RankRow(unit.id, None, None, None, unit_scores[unit.id]))
        out[group.id] = rows
    return out


_VN_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_VN_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
_VN_VARIANTS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}


def vietnamese_sort_key(name: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Vietnamese alphabetical order: a ă â b c d đ e ê …; letters first, then tones (ngang … nặng)."""
    import unicodedata

    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", name).casefold():
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        for mark in marks:
            if mark in _VN_TONES:
                tone = _VN_TONES[mark]
            else:
                base = _VN_VARIANTS.get((base, mark), base)
        index = _VN_LETTERS.find(base)
        letters.append(100 + index if index >= 0 else ord(base) if ord(base) < 100 else 1000 + ord(base))
        tones.append(tone)
    return tuple(letters), tuple(tones)
