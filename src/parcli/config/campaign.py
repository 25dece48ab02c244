"""The campaign plan: who self-assesses which items, and by when.

A campaign names its catalogue (a path relative to the campaign file), the
deadlines of the plan, and the departments (the plan's appendices) with the
codes they self-assess.  A code assigns its whole branch.  Every self-assessed
leaf must belong to exactly one department.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from parcli.config.catalogue import Catalogue, Leaf, canonical_hash, load_catalogue
from parcli.config.yamlio import path_line, read_yaml_mapping, validate_document
from parcli.errors import CampaignError, CatalogueError

CAMPAIGN_SCHEMA = "parcli/campaign@1"

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(numeral: str) -> int:
    """Convert a Roman numeral (I … C) to an int; raise ValueError if it is not one."""
    if not numeral or any(ch not in _ROMAN for ch in numeral):
        raise ValueError(numeral)
    total = 0
    for i, ch in enumerate(numeral):
        value = _ROMAN[ch]
        if i + 1 < len(numeral) and _ROMAN[numeral[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organiser(_Strict):
    """The body running the campaign (usually the Sở Nội vụ)."""

    name: str = Field(min_length=1)
    unit: str | None = None
    contact: str | None = None
    parent: str | None = None  # the superior body in the letterhead, e.g. "UBND tỉnh Hưng Yên"
    symbol: str | None = None  # the document-number symbol, e.g. "SNV" in "Số: …/BC-SNV"
    signer: str | None = None  # the signature block title, e.g. "GIÁM ĐỐC"
    place: str | None = None  # the place in the date line, e.g. "Hưng Yên"


class Deadlines(_Strict):
    """Dates of the plan."""

    returns: date
    report: date | None = None
    ministry: date | None = None


class DepartmentModel(_Strict):
    """One department (an appendix of the plan) and the codes it self-assesses."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    appendix: str = Field(pattern=r"^[IVXLC]+$")
    assign: list[str] = Field(min_length=1)


class GroupModel(_Strict):
    """A kind of unit with its own catalogue (each-unit-scores mode), e.g. ``so``, ``huyen``, ``xa``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    catalogue: str = Field(min_length=1)


class UnitModel(_Strict):
    """A unit that scores its group's whole catalogue, less the branches it is exempt from."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    group: str = Field(min_length=1)
    exempt: list[str] = Field(default_factory=list)


class Band(_Strict):
    """A classification band: a percentage at or above ``min`` gets ``label`` (the highest band that fits)."""

    label: str = Field(min_length=1)
    min: Decimal = Field(ge=0, le=100)


DEFAULT_BANDS = (
    Band(label="Tốt", min=Decimal(90)),
    Band(label="Khá", min=Decimal(80)),
    Band(label="Trung bình", min=Decimal(70)),
    Band(label="Yếu", min=Decimal(0)),
)


class CampaignModel(_Strict):
    """The YAML document as written."""

    schema_: str = Field(alias="schema", pattern=r"^parcli/campaign@1$")
    mode: Literal["split", "each-unit-scores"] = "split"
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    province: str = Field(min_length=1)
    year: int
    catalogue: str | None = Field(default=None, min_length=1)
    plan: str | None = None
    organiser: Organiser
    deadlines: Deadlines
    assignment_note: str | None = None
    protection_password: str | None = None
    survey_lists: str | None = None  # the survey respondent lists plan, a YAML path relative to this file
    departments: list[DepartmentModel] | None = None  # split mode
    groups: list[GroupModel] | None = None  # each-unit-scores mode
    units: list[UnitModel] | None = None
    units_file: str | None = None  # CSV or XLSX with columns id, name, group, exempt
    bands: list[Band] | None = None

    @model_validator(mode="after")
    def _mode_fields(self) -> CampaignModel:
        if self.mode == "split":
            if not self.catalogue:
                raise ValueError("chế độ split cần trường catalogue (đường dẫn bộ tiêu chí)")
            if not self.departments:
                raise ValueError("chế độ split cần danh sách departments")
        else:
            if not self.groups:
                raise ValueError("chế độ each-unit-scores cần danh sách groups (nhóm đơn vị và bộ tiêu chí)")
            if not self.units and not self.units_file:
                raise ValueError("chế độ each-unit-scores cần danh sách units hoặc units_file")
        if self.bands is not None:
            if not any(b.min == 0 for b in self.bands):
                raise ValueError("bands cần một mức có min: 0 để đơn vị nào cũng được xếp loại")
            if len({b.min for b in self.bands}) != len(self.bands):
                raise ValueError("bands có hai mức cùng min")
        return self


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
        return any(code == e or code.startswith(e + ".") for e in self.exempt)


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

    @property
    def id(self) -> str:
        """The campaign id."""
        return self.model.id

    @property
    def is_units(self) -> bool:
        """True in each-unit-scores mode (every unit scores its own catalogue)."""
        return self.model.mode == "each-unit-scores"

    @property
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

    def letterhead(self, day: date) -> dict[str, str]:
        """The heading of documents the organiser signs (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
        model = self.model
        org = model.organiser
        return {
            "parent": (org.parent or f"UBND tỉnh {model.province}").upper(),
            "agency": org.name.replace(f" tỉnh {model.province}", "").upper(),
            "symbol": org.symbol or "SNV",
            "number": f"Số: …/BC-{org.symbol or 'SNV'}",
            "date_line": f"{org.place or model.province}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
            "signer": org.signer or "GIÁM ĐỐC",
            "organiser": org.name,
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


def load_campaign(path: Path) -> Campaign:
    """Read and check a campaign and its catalogue.

    Raises :class:`CampaignError` (or :class:`CatalogueError` for the catalogue)
    with every mistake found, each naming its place.
    """
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
    for ui, unit in enumerate(model.units or ()):
        raw_units.append((path_line(text, ["units", ui]), unit))
    if model.units_file:
        raw_units.extend(read_units_file((path.parent / model.units_file).resolve(), label))
    units: list[Department] = []
    seen: dict[str, str] = {}
    order_in_group: dict[str, int] = {}
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
        items = tuple(leaf for leaf in cat.leaves if leaf.is_self and not dept.is_exempt(leaf.code))
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
    )


def read_units_file(path: Path, campaign_label: str) -> list[tuple[str, UnitModel]]:
    """Units from a CSV (``,`` or ``;``) or XLSX table with columns id, name, group, exempt."""
    import csv
    import io

    if not path.is_file():
        raise CampaignError(campaign_label, [f"units_file: không tìm thấy {path}"])
    rows: list[tuple[str, list[str]]] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from parcli.xlsx.open import WorkbookRefused, open_workbook

        try:
            wb = open_workbook(path, fast_sheets=None, noun="bảng đơn vị", data_only=True)
        except WorkbookRefused as exc:
            raise CampaignError(campaign_label, [f"units_file: {path.name}: {exc.message}"]) from None
        try:
            ws = wb.worksheets[0]
            for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
                rows.append(
                    (f"{path.name} › {ws.title} › dòng {r}", ["" if v is None else str(v).strip() for v in values])
                )
        finally:
            wb.close()
    else:
        text = path.read_text(encoding="utf-8-sig")
        first = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = ";" if first.count(";") > first.count(",") else ","
        for r, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            rows.append((f"{path.name} dòng {r}", [v.strip() for v in values]))
    rows = [(w, v) for w, v in rows if any(v)]
    if not rows:
        raise CampaignError(campaign_label, [f"{path.name}: không có dòng nào"])
    header = [h.casefold() for h in rows[0][1]]
    missing = [h for h in ("id", "name", "group") if h not in header]
    if missing:
        raise CampaignError(
            campaign_label, [f"{rows[0][0]}: thiếu cột {', '.join(missing)} (cần các cột id, name, group, exempt)"]
        )
    out: list[tuple[str, UnitModel]] = []
    problems: list[str] = []
    for where, values in rows[1:]:
        record = dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))
        exempt = [c for c in re.split(r"[\s,;]+", record.get("exempt", "")) if c]
        try:
            out.append((where, UnitModel(id=record["id"], name=record["name"], group=record["group"], exempt=exempt)))
        except ValidationError as exc:
            fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
            problems.append(f"{where}: giá trị không hợp lệ ở cột {fields} (mã đơn vị chỉ gồm chữ thường a-z, số, -)")
    if problems:
        raise CampaignError(campaign_label, problems)
    return out


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
                f"{path_line(text, [*dpath, 'id'])}: mã cơ quan {dept.id} bị trùng với departments[{seen_ids[dept.id]}]"
            )
        seen_ids.setdefault(dept.id, di)
        if dept.appendix in seen_appendix:
            problems.append(
                f"{path_line(text, [*dpath, 'appendix'])}: Phụ lục {dept.appendix} đã được giao cho "
                f"departments[{seen_appendix[dept.appendix]}]"
            )
        seen_appendix.setdefault(dept.appendix, di)
        try:
            order = roman_to_int(dept.appendix)
        except ValueError:
            problems.append(f"{path_line(text, [*dpath, 'appendix'])}: {dept.appendix} không phải số La Mã hợp lệ")
            order = 0
        items: list[Leaf] = []
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
    "load_campaign",
]
