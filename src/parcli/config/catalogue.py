"""The criteria catalogue: a tree of fields → criteria → component criteria.

A catalogue is a YAML file validated by the pydantic models below.  Leaves
(component criteria, or criteria without components) carry the scoring rule.
Load-time checks go beyond the per-node schema: codes are unique and
hierarchical, children's maximum points add up to their parent's, the whole
index adds up to its declared total, and every self-assessed leaf has a rule.

Every node says where its figures come from (``source``) and whether they were
checked against the official decision (``verified``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from parcli.config.yamlio import (
    YamlSyntaxError,
    parse_yaml,
    path_line,
    read_text,
    validation_messages,
)
from parcli.errors import CatalogueError
from parcli.numbers import fmt_points

CATALOGUE_SCHEMA = "parcli/catalogue@1"

Points = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=4)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One allowed score of a ``choice`` rule and what it means."""

    points: Points
    label: str = Field(min_length=1)


class ChoiceRule(_Strict):
    """The score is one of a list of allowed values."""

    kind: Literal["choice"]
    options: list[Option] = Field(min_length=2)

    def describe(self) -> str:
        """One line for prompts and guidance: ``1 điểm: …; 0 điểm: …``."""
        return "; ".join(f"{o.label}: {fmt_points(o.points)} điểm" for o in self.options)


class ScaleRule(_Strict):
    """The score is a decimal from 0 to the maximum, in multiples of ``step``."""

    kind: Literal["scale"]
    step: Points = Decimal("0.01")

    def describe(self) -> str:
        """One line for prompts and guidance."""
        return f"số thập phân từ 0 đến điểm tối đa, bước {fmt_points(self.step)}"


Rule = Annotated[ChoiceRule | ScaleRule, Field(discriminator="kind")]

NaScoring = Literal["exclude", "full_points"]
NA_SCORING_LABELS: dict[str, str] = {
    "exclude": "không tính vào điểm tối đa",
    "full_points": "được tính đủ điểm tối đa",
}


class NotApplicable(_Strict):
    """Whether an item may be marked not applicable, and how such an item is scored.

    The official method of each criterion decides: ``exclude`` leaves the item
    out of both score and maximum (the default), ``full_points`` awards its
    maximum.  The short form ``not_applicable: true`` means ``exclude``.
    """

    allowed: bool = True
    scoring: NaScoring = "exclude"


class _Node(_Strict):
    code: str = Field(pattern=r"^[0-9]+(\.[0-9]+)*$")
    title: str = Field(min_length=1)
    max_points: Points
    source: str = Field(min_length=1)
    verified: bool


class _LeafMixin(_Strict):
    scored_by: Literal["self", "survey"] | None = None
    rule: Rule | None = None
    guidance: str | None = None
    evidence_required: bool = False
    explanation_required: bool = False
    not_applicable: bool | NotApplicable = False

    @property
    def na_allowed(self) -> bool:
        """True when the item may be marked not applicable."""
        na = self.not_applicable
        return na.allowed if isinstance(na, NotApplicable) else na

    @property
    def na_scoring(self) -> NaScoring:
        """How a not-applicable mark is scored (``exclude`` unless declared)."""
        na = self.not_applicable
        return na.scoring if isinstance(na, NotApplicable) else "exclude"


class Component(_Node, _LeafMixin):
    """A component criterion (tiêu chí thành phần): always a leaf."""

    scored_by: Literal["self", "survey"]


class Criterion(_Node, _LeafMixin):
    """A criterion (tiêu chí): has components, or is itself a leaf."""

    components: list[Component] = Field(default_factory=list)

    @model_validator(mode="after")
    def _leaf_or_branch(self) -> Criterion:
        if self.components and (self.scored_by or self.rule):
            raise ValueError(
                "tiêu chí có tiêu chí thành phần thì không khai báo scored_by/rule "
                "(cách chấm nằm ở từng tiêu chí thành phần)"
            )
        if not self.components and self.scored_by is None:
            raise ValueError("tiêu chí không có tiêu chí thành phần phải khai báo scored_by (self hoặc survey)")
        return self


class FieldNode(_Node):
    """A field (lĩnh vực)."""

    criteria: list[Criterion] = Field(min_length=1)


class CatalogueModel(_Strict):
    """The YAML document as written."""

    schema_: Literal["parcli/catalogue@1"] = Field(alias="schema")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2100)
    decision: str = Field(min_length=1)
    total_points: Points
    self_points: Points
    survey_points: Points
    source: str = Field(min_length=1)
    verified: bool
    notes: str | None = None
    fields: list[FieldNode] = Field(min_length=1)


@dataclass(frozen=True)
class Leaf:
    """A scorable item, flattened with its ancestry."""

    code: str
    title: str
    max_points: Decimal
    scored_by: str
    rule: ChoiceRule | ScaleRule
    guidance: str | None
    evidence_required: bool
    explanation_required: bool
    not_applicable: bool  # the item may be marked not applicable
    verified: bool
    source: str
    field_code: str
    criterion_code: str
    not_applicable_scoring: NaScoring = "exclude"  # how a not-applicable mark is scored

    @property
    def is_self(self) -> bool:
        """True for self-assessed items (issued to departments)."""
        return self.scored_by == "self"

    def allowed_points(self) -> list[Decimal] | None:
        """The allowed values of a choice rule, or None for a scale."""
        if isinstance(self.rule, ChoiceRule):
            return [o.points for o in self.rule.options]
        return None


@dataclass(frozen=True)
class Catalogue:
    """A loaded, checked catalogue with fast look-ups."""

    model: CatalogueModel
    path: Path | None
    content_hash: str

    @property
    def id(self) -> str:
        """The catalogue id."""
        return self.model.id

    @cached_property
    def leaves(self) -> list[Leaf]:
        """All scorable items in catalogue order."""
        out: list[Leaf] = []
        for f in self.model.fields:
            for c in f.criteria:
                nodes: list[Criterion | Component] = list(c.components) if c.components else [c]
                for n in nodes:
                    assert n.scored_by is not None
                    rule = n.rule if n.rule is not None else ScaleRule(kind="scale")
                    out.append(
                        Leaf(
                            code=n.code,
                            title=n.title,
                            max_points=n.max_points,
                            scored_by=n.scored_by,
                            rule=rule,
                            guidance=n.guidance,
                            evidence_required=n.evidence_required,
                            explanation_required=n.explanation_required,
                            not_applicable=n.na_allowed,
                            not_applicable_scoring=n.na_scoring,
                            verified=n.verified,
                            source=n.source,
                            field_code=f.code,
                            criterion_code=c.code,
                        )
                    )
        return out

    @cached_property
    def tree(self) -> tuple[tuple[FieldNode, tuple[tuple[Criterion, tuple[Leaf, ...]], ...]], ...]:
        """Fields, each with its criteria, each with its leaves (the criterion itself, or its components).

        The leaves in this order are :attr:`leaves`; a criterion's are its :meth:`leaves_under`.
        """
        leaves = iter(self.leaves)
        return tuple(
            (f, tuple((c, tuple(next(leaves) for _ in range(len(c.components) or 1))) for c in f.criteria))
            for f in self.model.fields
        )

    @cached_property
    def leaf_by_code(self) -> dict[str, Leaf]:
        """Leaves indexed by code."""
        return {leaf.code: leaf for leaf in self.leaves}

    @cached_property
    def node_titles(self) -> dict[str, str]:
        """Title of every node (field, criterion, component) by code."""
        out: dict[str, str] = {}
        for f in self.model.fields:
            out[f.code] = f.title
            for c in f.criteria:
                out[c.code] = c.title
                for k in c.components:
                    out[k.code] = k.title
        return out

    @cached_property
    def node_max(self) -> dict[str, Decimal]:
        """Maximum points of every node by code."""
        out: dict[str, Decimal] = {}
        for f in self.model.fields:
            out[f.code] = f.max_points
            for c in f.criteria:
                out[c.code] = c.max_points
                for k in c.components:
                    out[k.code] = k.max_points
        return out

    def leaves_under(self, code: str) -> list[Leaf]:
        """Leaves whose code is ``code`` or starts with ``code.`` (cached per code)."""
        cached = self._leaves_under.get(code)
        if cached is None:
            prefix = code + "."
            cached = [leaf for leaf in self.leaves if leaf.code == code or leaf.code.startswith(prefix)]
            self._leaves_under[code] = cached
        return cached

    @cached_property
    def _leaves_under(self) -> dict[str, list[Leaf]]:
        return {}

    def counts(self) -> dict[str, int]:
        """Number of fields, criteria and component criteria."""
        fields = self.model.fields
        return {
            "fields": len(fields),
            "criteria": sum(len(f.criteria) for f in fields),
            "components": sum(len(c.components) for f in fields for c in f.criteria),
        }

    def verification(self) -> tuple[int, int]:
        """(unverified nodes, all nodes), counting fields, criteria and components."""
        total = unverified = 0
        for f in self.model.fields:
            nodes: list[_Node] = [f]
            for c in f.criteria:
                nodes.append(c)
                nodes.extend(c.components)
            for n in nodes:
                total += 1
                unverified += 0 if n.verified else 1
        return unverified, total

    def self_total(self) -> Decimal:
        """Sum of the maximum points of self-assessed leaves."""
        return sum((leaf.max_points for leaf in self.leaves if leaf.is_self), Decimal(0))

    def survey_total(self) -> Decimal:
        """Sum of the maximum points of survey leaves."""
        return sum((leaf.max_points for leaf in self.leaves if not leaf.is_self), Decimal(0))


def canonical_hash(data: Any) -> str:
    """SHA-256 of a canonical JSON rendering (independent of YAML formatting and comments)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_tree(model: CatalogueModel, text: str) -> list[str]:
    """Whole-tree checks that per-node validation cannot do."""
    problems: list[str] = []
    seen: dict[str, list[str | int]] = {}  # code → YAML path; lines are looked up only for a problem

    def note_code(code: str, path: list[str | int]) -> None:
        if code in seen:
            problems.append(f"{path_line(text, path)}: mã {code} bị trùng (đã dùng tại {path_line(text, seen[code])})")
        else:
            seen[code] = path

    def check_sum(node_max: Decimal, children: list[Decimal], path: list[str | int], code: str) -> None:
        total = sum(children, Decimal(0))
        if total != node_max:
            problems.append(
                f"{path_line(text, [*path, 'max_points'])}: điểm tối đa của mục {code} là "
                f"{fmt_points(node_max)} nhưng tổng điểm các mục con là {fmt_points(total)}"
            )

    def check_leaf(node: Criterion | Component, path: list[str | int]) -> None:

        def where() -> str:
            return path_line(text, path)

        if node.scored_by == "self" and node.rule is None:
            problems.append(f"{where()}: mục {node.code} tự đánh giá nhưng thiếu cách chấm (rule)")
        if isinstance(node.rule, ChoiceRule):
            points = [o.points for o in node.rule.options]
            if len(set(points)) != len(points):
                problems.append(f"{where()}.rule.options: mục {node.code} có mức điểm bị lặp")
            if max(points) != node.max_points:
                problems.append(
                    f"{where()}.rule.options: mức điểm cao nhất của mục {node.code} "
                    f"({fmt_points(max(points))}) phải bằng điểm tối đa ({fmt_points(node.max_points)})"
                )
        if isinstance(node.rule, ScaleRule):
            step = node.rule.step
            if step <= 0 or node.max_points % step != 0:
                problems.append(
                    f"{where()}.rule.step: bước điểm {fmt_points(step)} của mục {node.code} "
                    f"phải lớn hơn 0 và chia hết điểm tối đa {fmt_points(node.max_points)}"
                )

    for fi, f in enumerate(model.fields):
        fpath: list[str | int] = ["fields", fi]
        note_code(f.code, fpath)
        if "." in f.code:
            problems.append(f"{path_line(text, [*fpath, 'code'])}: mã lĩnh vực {f.code} phải là một số (ví dụ 1)")
        check_sum(f.max_points, [c.max_points for c in f.criteria], fpath, f.code)
        for ci, c in enumerate(f.criteria):
            cpath = [*fpath, "criteria", ci]
            note_code(c.code, cpath)
            if c.code.rsplit(".", 1)[0] != f.code or c.code.count(".") != 1:
                problems.append(
                    f"{path_line(text, [*cpath, 'code'])}: mã tiêu chí {c.code} phải có dạng "
                    f"{f.code}.N (thuộc lĩnh vực {f.code})"
                )
            if c.components:
                check_sum(c.max_points, [k.max_points for k in c.components], cpath, c.code)
                for ki, k in enumerate(c.components):
                    kpath = [*cpath, "components", ki]
                    note_code(k.code, kpath)
                    if k.code.rsplit(".", 1)[0] != c.code or k.code.count(".") != 2:
                        problems.append(
                            f"{path_line(text, [*kpath, 'code'])}: mã tiêu chí thành phần {k.code} "
                            f"phải có dạng {c.code}.N (thuộc tiêu chí {c.code})"
                        )
                    check_leaf(k, kpath)
            else:
                check_leaf(c, cpath)

    total = sum((f.max_points for f in model.fields), Decimal(0))
    if total != model.total_points:
        problems.append(
            f"{path_line(text, ['total_points'])}: tổng điểm khai báo là {fmt_points(model.total_points)} "
            f"nhưng tổng điểm các lĩnh vực là {fmt_points(total)}"
        )
    if model.self_points + model.survey_points != model.total_points:
        problems.append(
            f"{path_line(text, ['self_points'])}: self_points + survey_points "
            f"({fmt_points(model.self_points)} + {fmt_points(model.survey_points)}) phải bằng total_points"
        )
    return problems


def load_catalogue(path: Path) -> Catalogue:
    """Read, validate and check a catalogue file; raise :class:`CatalogueError` on any mistake."""
    label = str(path)
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise CatalogueError(label, ["không tìm thấy tệp"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(label, [f"không đọc được tệp: {exc}"]) from None
    return parse_catalogue(text, source=label, path=path)


def parse_catalogue(text: str, source: str = "<văn bản>", path: Path | None = None) -> Catalogue:
    """Validate catalogue YAML text; raise :class:`CatalogueError` naming YAML paths."""
    try:
        data = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise CatalogueError(source, [exc.message]) from None
    if not isinstance(data, dict):
        raise CatalogueError(source, ["tệp phải là một bảng (mapping) YAML với các trường schema, id, fields…"])
    try:
        model = CatalogueModel.model_validate(data)
    except ValidationError as exc:
        raise CatalogueError(source, validation_messages(exc, data, text)) from None
    problems = _check_tree(model, text)
    if problems:
        raise CatalogueError(source, problems)
    catalogue = Catalogue(model=model, path=path, content_hash=canonical_hash(model.model_dump(mode="json")))
    leaf_self = catalogue.self_total()
    leaf_survey = catalogue.survey_total()
    sums = []
    if leaf_self != model.self_points:
        sums.append(
            f"{path_line(text, ['self_points'])}: khai báo {fmt_points(model.self_points)} điểm tự đánh giá "
            f"nhưng các mục scored_by: self cộng lại {fmt_points(leaf_self)}"
        )
    if leaf_survey != model.survey_points:
        sums.append(
            f"{path_line(text, ['survey_points'])}: khai báo {fmt_points(model.survey_points)} điểm điều tra "
            f"nhưng các mục scored_by: survey cộng lại {fmt_points(leaf_survey)}"
        )
    if sums:
        raise CatalogueError(source, sums)
    return catalogue
