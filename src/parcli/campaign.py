"""The campaign plan: who self-assesses which items, and by when.

A campaign names its catalogue (a path relative to the campaign file), the
deadlines of the plan, and the departments (the plan's appendices) with the
codes they self-assess.  A code assigns its whole branch.  Every self-assessed
leaf must belong to exactly one department.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from parcli.catalogue import Catalogue, Leaf, canonical_hash, load_catalogue
from parcli.errors import CampaignError, CatalogueError
from parcli.yamlio import YamlSyntaxError, parse_yaml, path_line, read_text, validation_messages

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


class CampaignModel(_Strict):
    """The YAML document as written."""

    schema_: str = Field(alias="schema", pattern=r"^parcli/campaign@1$")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    province: str = Field(min_length=1)
    year: int
    catalogue: str = Field(min_length=1)
    plan: str | None = None
    organiser: Organiser
    deadlines: Deadlines
    assignment_note: str | None = None
    protection_password: str | None = None
    survey_lists: str | None = None  # the survey respondent lists plan, a YAML path relative to this file
    departments: list[DepartmentModel] = Field(min_length=1)


@dataclass(frozen=True)
class Department:
    """A department with its resolved items."""

    id: str
    name: str
    appendix: str
    order: int
    items: tuple[Leaf, ...]

    @property
    def max_points(self) -> Decimal:
        """Sum of the maximum points of the department's items."""
        return sum((leaf.max_points for leaf in self.items), Decimal(0))

    @property
    def file_stem(self) -> str:
        """ASCII file name stem, sortable by appendix: ``PL01-so-noi-vu``."""
        return f"PL{self.order:02d}-{self.id}"


@dataclass(frozen=True)
class Campaign:
    """A loaded campaign with its catalogue and resolved assignment."""

    model: CampaignModel
    path: Path
    catalogue: Catalogue
    departments: tuple[Department, ...]
    content_hash: str

    @property
    def id(self) -> str:
        """The campaign id."""
        return self.model.id

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


def load_campaign(path: Path) -> Campaign:
    """Read and check a campaign and its catalogue.

    Raises :class:`CampaignError` (or :class:`CatalogueError` for the catalogue)
    with every mistake found, each naming its place.
    """
    label = str(path)
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise CampaignError(label, ["không tìm thấy tệp"]) from None
    except IsADirectoryError:
        raise CampaignError(label, ["đây là một thư mục, cần chỉ đến tệp campaign.yaml"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignError(label, [f"không đọc được tệp: {exc}"]) from None
    try:
        data = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise CampaignError(label, [exc.message]) from None
    if not isinstance(data, dict):
        raise CampaignError(label, ["tệp phải là một bảng (mapping) YAML với các trường schema, id, departments…"])
    try:
        model = CampaignModel.model_validate(data)
    except ValidationError as exc:
        raise CampaignError(label, validation_messages(exc, data, text)) from None

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


def _resolve(model: CampaignModel, catalogue: Catalogue, text: str) -> tuple[tuple[Department, ...], list[str]]:
    """Resolve assignments to leaves; collect every mistake."""
    problems: list[str] = []
    owner: dict[str, tuple[str, str]] = {}  # leaf code -> (department id, where)
    seen_ids: dict[str, int] = {}
    seen_appendix: dict[str, int] = {}
    departments: list[Department] = []
    known = set(catalogue.node_titles)
    for di, dept in enumerate(model.departments):
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
            Department(id=dept.id, name=dept.name, appendix=dept.appendix, order=order, items=tuple(items))
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
