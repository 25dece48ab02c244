"""The survey lists plan (``parcli/survey-lists@1``): who nominates which respondents, and how many.

The provincial plan makes every department, every district-level People's
Committee and the office of the People's Council send the list of people
selected for the Ministry's sociological survey.  :func:`load_lists_plan` reads
the plan the campaign names (``survey_lists:``) and checks the whole document,
reporting every mistake with its YAML path and line.  The survey's groups and
units are :class:`RespondentGroup` and :class:`NominatingUnit` (``campaign.py``
has groups and units of its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from parcli.config.catalogue import canonical_hash
from parcli.config.yamlio import path_line, read_yaml_mapping, validate_document
from parcli.errors import CampaignError
from parcli.text import label_key, nfc

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign

LISTS_SCHEMA = "parcli/survey-lists@1"

GroupKind = Literal["official", "citizen"]
UnitKind = Literal["department", "district", "commune", "other"]  # commune: a xã, phường or đặc khu
KINDS: tuple[GroupKind, ...] = ("official", "citizen")
_ID = r"^[a-z0-9][a-z0-9-]*$"
_DOMAIN = r"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
_SHEET_NAME = r"^[^\[\]:*?/\\']+$"
# Sheet names of the respondents workbook a group's short label (its sheet name) may not take:
# the counts, the problems and the hidden metadata sheet (rounds/lists/layout.py; a test keeps them equal).
RESERVED_SHEETS = ("Số lượng", "Vấn đề", "parcli")


# --- the lists plan -------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RespondentGroupModel(_Strict):
    """A respondent group of the plan."""

    id: str = Field(pattern=_ID)
    label: str = Field(min_length=1)
    short: str = Field(min_length=1)  # drop-down text and sheet name (checked in _resolve_plan)
    kind: GroupKind


class NominatingUnitModel(_Strict):
    """A unit that sends a list, and the groups it nominates with their quotas (None: no fixed number)."""

    id: str = Field(pattern=_ID)
    name: str | None = None
    kind: UnitKind
    nominate: dict[str, Annotated[StrictInt, Field(ge=1)] | None] = Field(min_length=1)


class ListsPlanModel(_Strict):
    """The YAML document as written."""

    schema_: str = Field(alias="schema", pattern=r"^parcli/survey-lists@1$")
    campaign: str | None = None
    title: str = Field(min_length=1)
    deadline: date
    contact: str | None = None
    note: str | None = None
    # what the personal data is for and who receives it, one sentence on every list form (default: purpose_text)
    purpose: str | None = Field(default=None, min_length=1)
    official_domains: list[Annotated[str, Field(pattern=_DOMAIN)]] = Field(min_length=1)
    rows_per_sheet: StrictInt = Field(default=200, ge=10, le=2000)
    groups: list[RespondentGroupModel] = Field(min_length=1)
    units: list[NominatingUnitModel] = Field(min_length=1)


@dataclass(frozen=True)
class RespondentGroup:
    """A respondent group."""

    id: str
    label: str
    short: str
    kind: GroupKind
    order: int


@dataclass(frozen=True)
class NominatingUnit:
    """A unit with the groups it may nominate (in plan order) and their quotas."""

    id: str
    name: str
    kind: UnitKind
    order: int
    quotas: dict[str, int | None]

    @property
    def file_stem(self) -> str:
        """ASCII file name stem, in plan order: ``DS01-so-noi-vu``."""
        return f"DS{self.order:02d}-{self.id}"


@dataclass(frozen=True)
class ListsPlan:
    """A loaded lists plan, with its campaign."""

    model: ListsPlanModel
    path: Path
    campaign: Campaign
    groups: tuple[RespondentGroup, ...]
    units: tuple[NominatingUnit, ...]
    content_hash: str

    @cached_property
    def group_by_id(self) -> dict[str, RespondentGroup]:
        """Groups by id."""
        return {g.id: g for g in self.groups}

    @cached_property
    def unit_by_id(self) -> dict[str, NominatingUnit]:
        """Units by id."""
        return {u.id: u for u in self.units}

    @property
    def domains(self) -> tuple[str, ...]:
        """Official e-mail domains, lower case (``*.x`` stands for the subdomains of ``x``)."""
        return tuple(d.lower() for d in self.model.official_domains)

    def groups_of(self, unit: NominatingUnit, kind: GroupKind | None = None) -> list[RespondentGroup]:
        """The groups a unit may nominate, optionally of one kind, in plan order."""
        return [self.group_by_id[g] for g in unit.quotas if kind is None or self.group_by_id[g].kind == kind]

    def kinds_of(self, unit: NominatingUnit) -> list[GroupKind]:
        """The kinds of sheet a unit's workbook has."""
        return [k for k in KINDS if self.groups_of(unit, k)]

    def group_for_text(self, text: str) -> RespondentGroup | None:
        """The group a cell names by its short label, full label or id."""
        key = label_key(text)
        for group in self.groups:
            if key in (label_key(group.short), label_key(group.label), group.id):
                return group
        return None

    @property
    def primary_domain(self) -> str:
        """The first official domain, for examples in messages (``hungyen.gov.vn``)."""
        first = self.domains[0]
        return first[2:] if first.startswith("*.") else first

    def domain_hint(self) -> str:
        """``…@hungyen.gov.vn`` for messages."""
        return f"…@{self.primary_domain}"

    @property
    def purpose_text(self) -> str:
        """The one sentence every list form states: what the personal data is for, who receives it, when it goes.

        The plan's ``purpose:`` when it has one, else the survey's own purpose (Luật Bảo vệ dữ liệu cá nhân số
        91/2025/QH15: collected for a stated purpose, deleted once it is met).
        """
        if self.model.purpose:
            return " ".join(self.model.purpose.split())
        camp = self.campaign.model
        return (
            "Thông tin cá nhân trong danh sách chỉ dùng cho cuộc điều tra xã hội học xác định Chỉ số cải cách hành "
            f"chính năm {camp.year} của Bộ Nội vụ; {camp.organiser.name} tổng hợp và chỉ chuyển cho Bộ Nội vụ và "
            "đơn vị được Bộ Nội vụ giao thực hiện khảo sát (bưu điện), không dùng vào việc khác và xóa khi cuộc "
            "điều tra kết thúc."
        )


def load_lists_plan(campaign: Campaign) -> ListsPlan:
    """Read and check the survey lists plan named by the campaign (``survey_lists:``).

    Raises :class:`CampaignError` with every mistake found, each with its YAML path and line.
    """
    path = campaign.survey_lists_path
    if path is None:
        raise CampaignError(
            str(campaign.path),
            ["chưa khai báo survey_lists: (tệp danh sách đối tượng điều tra xã hội học, ví dụ survey-lists.yaml)"],
        )
    label = str(path)
    data, text = read_yaml_mapping(
        path,
        CampaignError,
        fields_hint="schema, groups, units…",
        not_found=f"không tìm thấy tệp (khai báo survey_lists: trong {campaign.path.name})",
    )
    model = validate_document(ListsPlanModel, data, text, CampaignError, label)
    groups, units, problems = _resolve_plan(model, campaign, text)
    if problems:
        raise CampaignError(label, problems)
    content_hash = canonical_hash(model.model_dump(mode="json", by_alias=True))
    return ListsPlan(model=model, path=path, campaign=campaign, groups=groups, units=units, content_hash=content_hash)


def _resolve_plan(
    model: ListsPlanModel, campaign: Campaign, text: str
) -> tuple[tuple[RespondentGroup, ...], tuple[NominatingUnit, ...], list[str]]:
    """Whole-document checks; collect every mistake."""
    problems: list[str] = []
    if model.campaign is not None and model.campaign != campaign.id:
        problems.append(
            f"{path_line(text, ['campaign'])}: danh sách thuộc đợt “{model.campaign}”, "
            f"kế hoạch đang dùng là “{campaign.id}”"
        )
    groups: list[RespondentGroup] = []
    seen: dict[str, str] = {}
    for gi, g in enumerate(model.groups):
        where = f"groups[{gi + 1}]"  # counted from 1, as the messages count
        for key, what, loc in (
            (g.id, "mã nhóm", "id"),
            (label_key(g.short), "tên ngắn", "short"),
            (label_key(g.label), "tên nhóm", "label"),
        ):
            tag = f"{loc}:{key}"
            if tag in seen:
                problems.append(f"{path_line(text, ['groups', gi, loc])}: {what} “{key}” bị trùng với {seen[tag]}")
            seen.setdefault(tag, where)
        if len(g.short) > 31 or not re.match(_SHEET_NAME, g.short):
            problems.append(
                f"{path_line(text, ['groups', gi, 'short'])}: tên ngắn “{g.short}” dùng làm tên trang tính nên tối đa "
                "31 ký tự và không có các ký tự [ ] : * ? / \\ '"
            )
        if label_key(g.short) in {label_key(s) for s in RESERVED_SHEETS}:
            problems.append(
                f"{path_line(text, ['groups', gi, 'short'])}: tên ngắn “{g.short}” trùng tên trang tính dành riêng "
                f"({', '.join(RESERVED_SHEETS)})"
            )
        groups.append(RespondentGroup(id=g.id, label=nfc(g.label), short=nfc(g.short), kind=g.kind, order=gi + 1))
    known = {g.id for g in groups}
    order = [g.id for g in groups]
    units: list[NominatingUnit] = []
    unit_seen: dict[str, int] = {}
    for ui, u in enumerate(model.units):
        upath: list[str | int] = ["units", ui]
        if u.id in unit_seen:
            problems.append(
                f"{path_line(text, [*upath, 'id'])}: mã đơn vị {u.id} bị trùng với units[{unit_seen[u.id]}]"
            )
        unit_seen.setdefault(u.id, ui)
        name = u.name
        if u.kind == "department":
            dept = campaign.department_by_id.get(u.id)
            if dept is None:
                problems.append(
                    f"{path_line(text, [*upath, 'id'])}: {u.id} không phải mã cơ quan trong kế hoạch "
                    f"{campaign.path.name} (departments[].id)"
                )
            name = name or (dept.name if dept else None)
        if not name:
            problems.append(f"{path_line(text, [*upath, 'name'])}: thiếu tên đơn vị")
            name = u.id
        for gid in u.nominate:
            if gid not in known:
                problems.append(
                    f"{path_line(text, [*upath, 'nominate', gid])}: nhóm “{gid}” không có trong groups "
                    f"({', '.join(order)})"
                )
        quotas = {gid: u.nominate[gid] for gid in order if gid in u.nominate}
        units.append(NominatingUnit(id=u.id, name=nfc(name), kind=u.kind, order=ui + 1, quotas=quotas))
    return tuple(groups), tuple(units), problems
