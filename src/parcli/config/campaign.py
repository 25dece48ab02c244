"""The campaign plan: who self-assesses which items, and by when.

A campaign names its catalogue (a path relative to the campaign file), the
deadlines of the plan, and the departments (the plan's appendices) with the
codes they self-assess.  A code assigns its whole branch.  Every self-assessed
leaf must belong to exactly one department.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel

from parcli.config.campaign_models import (
    CAMPAIGN_SCHEMA,
    DEFAULT_BANDS,
    Band,
    CampaignModel,
    Documents,
    RoundModel,
    Signer,
    UnitModel,
    roman_to_int,
)
from parcli.config.catalogue import Catalogue, Leaf, canonical_hash, load_catalogue
from parcli.config.deadlines import DeadlineRule, deadline_words
from parcli.config.yamlio import path_line, read_yaml_mapping, validate_document
from parcli.errors import CampaignError, CatalogueError


@dataclass(frozen=True)
class Department:
    """A department with its resolved items."""

    id: str
    name: str
    appendix: str  # Roman numeral of the plan's appendix; "" for units
    order: int
    items: tuple[Leaf, ...]
    catalogue: Catalogue
    group: str | None = None  # each-unit-scores mode: the unit's group id
    exempt: tuple[str, ...] = ()  # codes of the branches the unit is exempt from

    @property
    def max_points(self) -> Decimal:
        """Sum of the maximum points of the department's items."""
        return sum((leaf.max_points for leaf in self.items), Decimal(0))

    @property
    def file_stem(self) -> str:
        """ASCII file name stem: ``PL01-so-noi-vu`` (by appendix) or ``huyen-003-h-van-lam`` (by group)."""
        if self.group is not None:
            return f"{self.group}-{self.order:03d}-{self.id}"
        return f"PL{self.order:02d}-{self.id}"

    @property
    def label(self) -> str:
        """``Phụ lục I`` for a department of a split campaign; the unit's group id otherwise."""
        return f"Phụ lục {self.appendix}" if self.appendix else f"nhóm {self.group}"

    def is_exempt(self, code: str) -> bool:
        """True when ``code`` lies in a branch the unit is exempt from."""
        if not self.exempt:
            return False
        if code in self.catalogue.node_titles:
            return code in self._exempt_nodes
        return self._under_exempt(code)

    def _under_exempt(self, code: str) -> bool:
        return any(code == e or code.startswith(e + ".") for e in self.exempt)

    @cached_property
    def _exempt_nodes(self) -> frozenset[str]:
        """The catalogue's codes (fields, criteria, items) that lie in an exempt branch."""
        return frozenset(code for code in self.catalogue.node_titles if self._under_exempt(code))


PROVINCE_SCOPE = "province"  # the one scope of a split campaign's consolidated data


@dataclass(frozen=True)
class Scope:
    """One scope of consolidated data: the province (split mode) or one unit (each-unit-scores)."""

    id: str
    catalogue: Catalogue
    owner_of: Mapping[str, Department]  # self-assessed item code -> who scores it
    unit: Department | None = None  # None: the province scope

    def is_exempt(self, code: str) -> bool:
        """True when the scope's unit is exempt from ``code``."""
        return self.unit is not None and self.unit.is_exempt(code)


@dataclass(frozen=True)
class Campaign:
    """A loaded campaign with its catalogue and resolved assignment."""

    model: CampaignModel
    path: Path
    catalogue: Catalogue  # split mode: the catalogue; each-unit-scores: the first group's (see catalogues)
    departments: tuple[Department, ...]  # split: the departments; each-unit-scores: the units
    content_hash: str
    catalogues: dict[str, Catalogue] = field(default_factory=dict)  # group id -> catalogue
    round_id: str | None = None  # the round being worked on; None: a campaign without rounds
    notes: tuple[str, ...] = ()  # what loading noticed for the officer (a units list in the ANSI code page…)

    @property
    def rounds(self) -> tuple[RoundModel, ...]:
        """The rounds the campaign declares, in order (none: one implicit round)."""
        return tuple(self.model.rounds or ())

    @property
    def round_title(self) -> str:
        """The title of the current round ("" for a campaign without rounds)."""
        return next((r.title for r in self.rounds if r.id == self.round_id), "")

    @property
    def deadline_rule(self) -> DeadlineRule:
        """How the plan words its deadlines: “trước ngày” (before the day) or “đến hết ngày” (the day included)."""
        return self.model.deadline_rule

    def deadline_text(self, day: date | None = None) -> str:
        """A deadline as the plan words it, “trước ngày 15/01/2024”; default: the returns deadline of the round."""
        return deadline_words(day or self.model.deadlines.returns, self.model.deadline_rule)

    @property
    def last_deadline(self) -> date:
        """The returns deadline of the last round (the year-end one): no remedy may be due after it."""
        rounds = self.rounds
        return rounds[-1].deadlines.returns if rounds else self.model.deadlines.returns

    def at_round(self, round_id: str | None) -> Campaign:
        """The campaign at one of its rounds: that round's id and deadlines (None: the last round).

        A campaign without rounds has one implicit round and is returned unchanged when ``round_id`` is
        None.  Raises :class:`parcli.errors.UsageError` for a round the campaign does not declare.
        """
        from parcli.errors import UsageError

        rounds = self.rounds
        if not rounds:
            if round_id is None:
                return self
            raise UsageError(f"Kế hoạch {self.path.name} không khai báo các đợt (rounds), không có đợt “{round_id}”.")
        if round_id is None:
            chosen = rounds[-1]
        else:
            found = [r for r in rounds if r.id == round_id]
            if not found:
                known = ", ".join(r.id for r in rounds)
                raise UsageError(f"Kế hoạch {self.path.name} không có đợt “{round_id}” (các đợt: {known}).")
            chosen = found[0]
        model = self.model.model_copy(update={"deadlines": chosen.deadlines})
        return replace(self, model=model, round_id=chosen.id)

    @property
    def id(self) -> str:
        """The campaign id."""
        return self.model.id

    @property
    def is_units(self) -> bool:
        """True in each-unit-scores mode (every unit scores its own catalogue)."""
        return self.model.mode == "each-unit-scores"

    @cached_property
    def bands(self) -> tuple[Band, ...]:
        """Classification bands, highest first."""
        return tuple(sorted(self.model.bands or DEFAULT_BANDS, key=lambda b: b.min, reverse=True))

    def group_name(self, group_id: str) -> str:
        """The display name of a group."""
        return next((g.name for g in self.model.groups or () if g.id == group_id), group_id)

    def verification(self) -> tuple[int, int]:
        """(unverified nodes, all nodes) over every catalogue the campaign uses."""
        cats = list(self.catalogues.values()) if self.catalogues else [self.catalogue]
        seen: dict[str, tuple[int, int]] = {c.content_hash: c.verification() for c in cats}
        return sum(u for u, _ in seen.values()), sum(t for _, t in seen.values())

    @property
    def survey_lists_path(self) -> Path | None:
        """The survey respondent lists plan named by the campaign, if any."""
        if not self.model.survey_lists:
            return None
        return (self.path.parent / self.model.survey_lists).resolve()

    @property
    def documents(self) -> Documents:
        """The campaign's ``documents:`` block (all defaults when it has none)."""
        return self.model.documents or Documents()

    def letterhead(self, day: date | None = None) -> dict[str, str]:
        """The heading and signature of documents the organiser signs (Nghị định 30/2020/NĐ-CP, Phụ lục I).

        ``day`` is the document's date (the campaign's ``documents.report_date`` or
        ``letter_date``); without one the date line is left for the office to fill in.
        """
        model = self.model
        org = model.organiser
        docs = self.documents
        signer = docs.signer or Signer(title=org.signer or "GIÁM ĐỐC")
        place = org.place or model.province
        when = f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}" if day else "ngày … tháng … năm …"
        symbol = org.symbol or "SNV"
        letter_symbol = docs.symbol or f"{symbol}-CCHC"
        return {
            "parent": (org.parent or f"UBND tỉnh {model.province}").upper(),
            "agency": org.name.replace(f" tỉnh {model.province}", "").upper(),
            "symbol": symbol,
            "number": f"Số: …/BC-{symbol}",
            "letter_number": f"Số: …/{letter_symbol}",
            "archive": f"Lưu: VT, {letter_symbol.rsplit('-', 1)[-1]}." if "-" in letter_symbol else "Lưu: VT.",
            "date_line": f"{place}, {when}",
            "signer": signer.on_behalf or signer.title,  # the first line of the signature block
            "sign_on_behalf": signer.on_behalf or "",
            "sign_title": signer.title,
            "sign_name": signer.name or "",
            "organiser": org.name,  # the first mention in a letter's body: "Sở Nội vụ tỉnh Hưng Yên"
            "organiser_short": org.name.replace(f" tỉnh {model.province}", ""),  # later mentions: "Sở Nội vụ"
            "contact": org.contact or "",
        }

    @cached_property
    def department_by_id(self) -> dict[str, Department]:
        """Departments by id."""
        return {d.id: d for d in self.departments}

    @cached_property
    def owner_of(self) -> dict[str, Department]:
        """The department that self-assesses each item code."""
        return {leaf.code: d for d in self.departments for leaf in d.items}

    @cached_property
    def scopes(self) -> tuple[Scope, ...]:
        """The scopes of consolidated data: one per unit (each-unit-scores), else the province alone."""
        if not self.is_units:
            return (Scope(PROVINCE_SCOPE, self.catalogue, self.owner_of),)
        return tuple(Scope(u.id, u.catalogue, {leaf.code: u for leaf in u.items}, u) for u in self.departments)

    def scope_of(self, department_id: str | None) -> str:
        """The scope a department's return feeds: its own (a unit) or the province."""
        return (department_id or "") if self.is_units else PROVINCE_SCOPE


def load_campaign(path: Path, round_id: str | None = None) -> Campaign:
    """Read and check a campaign and its catalogue, at round ``round_id`` (None: the last round).

    Raises :class:`CampaignError` (or :class:`CatalogueError` for the catalogue)
    with every mistake found, each naming its place.
    """
    return _load_campaign(path).at_round(round_id)


def campaign_ref(campaign: Campaign) -> str:
    """A string a worker process turns back into the same campaign at the same round (see :func:`load_ref`)."""
    return f"{campaign.path.resolve()}\0{campaign.round_id or ''}"


def load_ref(ref: str) -> Campaign:
    """The campaign named by :func:`campaign_ref`, loaded again from its file."""
    path, _, round_id = ref.partition("\0")
    return load_campaign(Path(path), round_id or None)


def _load_campaign(path: Path) -> Campaign:
    label = str(path)
    data, text = read_yaml_mapping(path, CampaignError, fields_hint="schema, id, departments…")
    model = validate_document(CampaignModel, data, text, CampaignError, label)

    if model.mode == "each-unit-scores":
        return _load_units_campaign(model, path, text)
    assert model.catalogue is not None
    catalogue_path = (path.parent / model.catalogue).resolve()
    if not catalogue_path.is_file():
        raise CampaignError(
            label,
            [f"{path_line(text, ['catalogue'])}: không tìm thấy bộ tiêu chí {model.catalogue} ({catalogue_path})"],
        )
    catalogue = load_catalogue(catalogue_path)
    departments, problems = _resolve(model, catalogue, text)
    if problems:
        raise CampaignError(label, problems)
    content_hash = canonical_hash(
        {"campaign": model.model_dump(mode="json", by_alias=True), "catalogue": catalogue.content_hash}
    )
    return Campaign(model=model, path=path, catalogue=catalogue, departments=departments, content_hash=content_hash)


def _load_units_campaign(model: CampaignModel, path: Path, text: str) -> Campaign:
    """each-unit-scores: one catalogue per group; every unit scores its group's self items less its exemptions."""
    label = str(path)
    problems: list[str] = []
    catalogues: dict[str, Catalogue] = {}
    for gi, group in enumerate(model.groups or ()):
        gpath: list[str | int] = ["groups", gi]
        if group.id in catalogues:
            problems.append(f"{path_line(text, [*gpath, 'id'])}: mã nhóm {group.id} bị trùng")
            continue
        cat_path = (path.parent / group.catalogue).resolve()
        if not cat_path.is_file():
            problems.append(
                f"{path_line(text, [*gpath, 'catalogue'])}: không tìm thấy bộ tiêu chí {group.catalogue} ({cat_path})"
            )
            continue
        catalogues[group.id] = load_catalogue(cat_path)
    if problems:
        raise CampaignError(label, problems)
    raw_units: list[tuple[str, UnitModel]] = []
    notes: list[str] = []
    for ui, unit in enumerate(model.units or ()):
        raw_units.append((path_line(text, ["units", ui]), unit))
    if model.units_file:
        from parcli.config.units_file import read_units_file

        raw_units.extend(read_units_file((path.parent / model.units_file).resolve(), label, notes))
    units: list[Department] = []
    seen: dict[str, str] = {}
    order_in_group: dict[str, int] = {}
    self_leaves: dict[int, tuple[Leaf, ...]] = {}  # id of a catalogue → its self-assessed leaves
    for where, unit in raw_units:
        if unit.id in seen:
            problems.append(f"{where}: mã đơn vị {unit.id} bị trùng (đã có tại {seen[unit.id]})")
            continue
        seen[unit.id] = where
        cat = catalogues.get(unit.group)
        if cat is None:
            problems.append(f"{where}: đơn vị {unit.id} thuộc nhóm “{unit.group}” không có trong groups")
            continue
        unknown = [code for code in unit.exempt if code not in cat.node_titles]
        if unknown:
            problems.append(
                f"{where}: đơn vị {unit.id} được miễn mục {', '.join(unknown)} "
                f"nhưng bộ tiêu chí {cat.id} không có mã này"
            )
            continue
        exempt = tuple(str(code).strip() for code in unit.exempt)
        order_in_group[unit.group] = order_in_group.get(unit.group, 0) + 1
        dept = Department(
            id=unit.id,
            name=unit.name,
            appendix="",
            order=order_in_group[unit.group],
            items=(),
            catalogue=cat,
            group=unit.group,
            exempt=exempt,
        )
        self_items = self_leaves.get(id(cat))
        if self_items is None:
            self_items = self_leaves[id(cat)] = tuple(leaf for leaf in cat.leaves if leaf.is_self)
        # a unit without exemptions scores its group's self-assessed items, one tuple shared by all of them
        items = tuple(leaf for leaf in self_items if not dept.is_exempt(leaf.code)) if exempt else self_items
        if not items:
            problems.append(f"{where}: đơn vị {unit.id} được miễn tất cả các mục tự đánh giá")
            continue
        units.append(
            Department(
                id=unit.id,
                name=unit.name,
                appendix="",
                order=dept.order,
                items=items,
                catalogue=cat,
                group=unit.group,
                exempt=exempt,
            )
        )
    if problems:
        raise CampaignError(label, problems)
    content_hash = canonical_hash(
        {
            "campaign": model.model_dump(mode="json", by_alias=True),
            "catalogues": {g: c.content_hash for g, c in catalogues.items()},
            "units": [(u.id, u.name, u.group, u.exempt) for u in units],
        }
    )
    first = next(iter(catalogues.values()))
    return Campaign(
        model=model,
        path=path,
        catalogue=first,
        departments=tuple(units),
        content_hash=content_hash,
        catalogues=catalogues,
        notes=tuple(notes),
    )


def _resolve(model: CampaignModel, catalogue: Catalogue, text: str) -> tuple[tuple[Department, ...], list[str]]:
    """Resolve assignments to leaves; collect every mistake."""
    problems: list[str] = []
    owner: dict[str, tuple[str, str]] = {}  # leaf code -> (department id, where)
    seen_ids: dict[str, int] = {}
    seen_appendix: dict[str, int] = {}
    departments: list[Department] = []
    known = set(catalogue.node_titles)
    for di, dept in enumerate(model.departments or ()):
        dpath: list[str | int] = ["departments", di]
        if dept.id in seen_ids:
            problems.append(
                f"{path_line(text, [*dpath, 'id'])}: mã cơ quan {dept.id} bị trùng với "
                f"departments[{seen_ids[dept.id] + 1}]"
            )
        seen_ids.setdefault(dept.id, di)
        if dept.appendix in seen_appendix:
            problems.append(
                f"{path_line(text, [*dpath, 'appendix'])}: Phụ lục {dept.appendix} đã được giao cho "
                f"departments[{seen_appendix[dept.appendix] + 1}]"
            )
        seen_appendix.setdefault(dept.appendix, di)
        try:
            order = roman_to_int(dept.appendix)
        except ValueError:
            problems.append(f"{path_line(text, [*dpath, 'appendix'])}: {dept.appendix} không phải số La Mã hợp lệ")
            order = 0
        items: list[Leaf] = []
        if not dept.assign:
            problems.append(
                f"{path_line(text, dpath)}: {dept.name} (Phụ lục {dept.appendix}) chưa được giao mục nào để tự chấm "
                'điểm. Đề nghị giao cho cơ quan các mục thuộc chức năng của mình (assign: ["mã mục", …], mỗi mục '
                "chỉ giao cho một cơ quan) hoặc xóa cơ quan khỏi danh sách departments nếu năm nay cơ quan không "
                "tự chấm điểm."
            )
        for ai, code in enumerate(dept.assign):
            apath = [*dpath, "assign", ai]
            where = path_line(text, apath)
            code = str(code).strip()
            if code not in known:
                problems.append(f"{where}: {dept.name} được giao mục {code} nhưng bộ tiêu chí không có mã này")
                continue
            leaves = catalogue.leaves_under(code)
            self_leaves = [leaf for leaf in leaves if leaf.is_self]
            if not self_leaves:
                problems.append(
                    f"{where}: mục {code} do điều tra xã hội học chấm điểm, không giao cho cơ quan tự đánh giá"
                )
                continue
            for leaf in self_leaves:
                if leaf.code in owner:
                    other_id, other_where = owner[leaf.code]
                    problems.append(
                        f"{where}: mục {leaf.code} được giao hai lần — cho {dept.id} và cho {other_id} ({other_where})"
                    )
                    continue
                owner[leaf.code] = (dept.id, where)
                items.append(leaf)
        order_index = {leaf.code: i for i, leaf in enumerate(catalogue.leaves)}
        items.sort(key=lambda leaf: order_index[leaf.code])
        departments.append(
            Department(
                id=dept.id, name=dept.name, appendix=dept.appendix, order=order, items=tuple(items), catalogue=catalogue
            )
        )
    for leaf in catalogue.leaves:
        if leaf.is_self and leaf.code not in owner:
            problems.append(f"departments: mục {leaf.code} ({leaf.title}) chưa được giao cho cơ quan nào")
    return tuple(departments), problems


def default_campaign_path() -> Path:
    """The bundled Hưng Yên 2023 example campaign."""
    from parcli.resources import data_dir

    return data_dir("examples") / "hung-yen-2023" / "campaign.yaml"


def refuse_placeholders(campaign: Campaign, extra: dict[str, BaseModel] | None = None) -> None:
    """Refuse to issue documents for a real campaign whose fields still hold sample values.

    *extra* names further YAML documents that feed the documents (file name → model), e.g. the survey
    lists plan.  The bundled example (``example: true``) is allowed: its documents show the sample marks.
    Raises :class:`parcli.errors.PlaceholderError` listing every such field of every file at once, so that
    one run tells the officer everything to fill in.
    """
    from parcli.errors import PlaceholderError

    if campaign.model.example:
        return
    found = leftover_samples(campaign, extra)
    if not found:
        return
    entries = [f"Trường {where} trong {name} vẫn là thông tin mẫu (“{_short(text)}”)" for name, where, text in found]
    if len(entries) == 1:
        raise PlaceholderError(f"{entries[0]}. Đề nghị thay bằng thông tin thật trước khi phát hành văn bản.")
    listed = "\n".join(f"  - {entry};" for entry in entries)
    raise PlaceholderError(
        f"Còn {len(entries)} trường là thông tin mẫu:\n{listed[:-1]}.\nĐề nghị thay bằng thông tin thật (hoặc xóa "
        "trường không dùng) trước khi phát hành văn bản."
    )


def leftover_samples(campaign: Campaign, extra: dict[str, BaseModel] | None = None) -> list[tuple[str, str, str]]:
    """Every field that still holds a sample value: (file name, dotted path, text), files in order."""
    from parcli.config.campaign_models import document_samples
    from parcli.glossary import placeholders

    sources: dict[str, BaseModel] = {campaign.path.name: campaign.model, **(extra or {})}
    found = [
        (name, where, text)
        for name, model in sources.items()
        for where, text in placeholders(model.model_dump(mode="json", by_alias=True, exclude_none=True))
    ]
    seen = {where for name, where, _ in found if name == campaign.path.name}
    samples = document_samples(campaign.model.documents)  # the example's contact and plan, marked “(ví dụ)”
    return found + [(campaign.path.name, where, text) for where, text in samples if where not in seen]


def _short(text: str, limit: int = 90) -> str:
    """A sample value as a message quotes it: one line, cut at ``limit`` characters."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def campaign_slug(text: str) -> str:
    """A safe ASCII slug for file names."""
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "campaign"


__all__ = [
    "CAMPAIGN_SCHEMA",
    "Campaign",
    "CampaignError",
    "CatalogueError",
    "Department",
    "default_campaign_path",
    "leftover_samples",
    "load_campaign",
    "refuse_placeholders",
]
