"""The campaign file's pydantic models: what a campaign.yaml may say, checked field by field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from parcli.config.deadlines import DEFAULT_RULE, DeadlineRule, parse_rule

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


class Signer(_Strict):
    """Who signs the organiser's documents (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục 7)."""

    title: str = Field(min_length=1)  # the signer's own title, e.g. "GIÁM ĐỐC" or "PHÓ GIÁM ĐỐC"
    on_behalf: str | None = None  # the line above it when a deputy signs, e.g. "KT. GIÁM ĐỐC"
    name: str | None = None  # the full name under the signature; left blank for the office to type


class Contact(_Strict):
    """The officer a công văn names for questions: “đ/c …, Phòng CCHC, ĐT …, email …”."""

    name: str = Field(min_length=1)  # "Nguyễn Thị B"
    unit: str | None = None  # the division; none: the organiser's unit (organiser.unit)
    phone: str = Field(min_length=1)
    email: str = Field(min_length=3)


class PlanRef(_Strict):
    """The plan every document cites: “Kế hoạch số 205/KH-UBND ngày 20/12/2023 của UBND tỉnh Hưng Yên về …”."""

    number: str | None = None  # "205/KH-UBND"; none: “số …/KH-UBND”, for the office to fill in
    issued: date | None = None  # the day it was signed; none: “ngày …”, for the office to fill in
    issuer: str | None = None  # none: "UBND tỉnh <province>"
    about: str = Field(min_length=1)  # what the plan is about, after “về”: "triển khai xác định Chỉ số CCHC …"


class InternalNotes(_Strict):
    """The organiser's own appendix: its items go to its own divisions as an internal note, never a công văn."""

    signer: Signer | None = None  # none: "TRƯỞNG PHÒNG" of the organiser's unit, name left to write
    # item code (a field, criterion or component; the longest that matches wins) → the division responsible
    divisions: dict[str, str] = Field(default_factory=dict)


class TeamMember(_Strict):
    """A member of the appraisal team (tổ thẩm định), as the record (biên bản) lists them."""

    name: str = Field(min_length=1)
    position: str = Field(min_length=1)  # "Phó Giám đốc Sở Nội vụ"
    role: Literal["Tổ trưởng", "Tổ phó", "Thành viên", "Thư ký"] = "Thành viên"


class Documents(_Strict):
    """What the organiser's letters and report carry: signer, number symbol, reference dates, plan, contact."""

    signer: Signer | None = None
    symbol: str | None = Field(default=None, min_length=1)  # "SNV-CCHC" in a letter's "Số: …/SNV-CCHC"
    letter_date: date | None = None  # the letters' date line; none: "ngày … tháng … năm …" to fill in
    report_date: date | None = None  # the report's date line; none: "ngày … tháng … năm …" to fill in
    plan: PlanRef | None = None  # the plan cited by number and date (“Căn cứ Kế hoạch số …”)
    contact: Contact | None = None  # named in every công văn
    internal: InternalNotes | None = None  # the organiser's own items: notes to its divisions
    # the People's Committee's signer of the drafts it signs (Tờ trình's draft report, the Quyết định)
    committee_signer: Signer | None = None
    appraisal_team: list[TeamMember] = Field(default_factory=list)  # the appraisal record's members


SAMPLE_MARK = "ví dụ"
"""How the example marks a value of its ``documents:`` block (contact, plan number) as a sample: “(ví dụ)”."""


def document_samples(documents: Documents | None) -> list[tuple[str, str]]:
    """(dotted path, text) of every value of a ``documents:`` block still marked as an example (“… (ví dụ)”).

    A real campaign must not send them: :func:`parcli.config.campaign.refuse_placeholders` lists them with
    the other leftovers.
    """
    if documents is None:
        return []
    found: list[tuple[str, str]] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, str):
            if SAMPLE_MARK in value.casefold():
                found.append((path, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i + 1}]")

    walk(documents.model_dump(mode="json", exclude_none=True), "documents")
    return found


class Deadlines(_Strict):
    """Dates of the plan."""

    returns: date
    report: date | None = None
    ministry: date | None = None


class RoundModel(_Strict):
    """A round within the year (e.g. the 9-month preliminary assessment) with its own deadlines."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    deadlines: Deadlines


class DepartmentModel(_Strict):
    """One department (an appendix of the plan) and the codes it self-assesses."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    appendix: str = Field(pattern=r"^[IVXLC]+$")
    # an empty list is read, then refused with what to do (campaign._resolve): assign items or remove it
    assign: list[str] = Field(default_factory=list)


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


DEFAULT_EVIDENCE_TYPES = ("pdf", "docx", "xlsx", "jpg", "jpeg", "png")


class Period(_Strict):
    """A span of dates, both ends included."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("end phải không sớm hơn start")
        return self


class EvidenceModel(_Strict):
    """How evidence documents (tài liệu kiểm chứng) are checked; with this block the checks are on."""

    max_file_mb: Decimal = Field(default=Decimal(20), gt=0, le=10240)  # a file above this is evidence-too-large
    types: list[str] = Field(default_factory=lambda: list(DEFAULT_EVIDENCE_TYPES), min_length=1)  # accepted suffixes
    period: Period | None = None  # the assessment period; none: 1 January – 31 December of the campaign's year

    @model_validator(mode="after")
    def _suffixes(self) -> EvidenceModel:
        for kind in self.types:
            if not kind or not kind.isalnum() or kind != kind.lower():
                raise ValueError(f"types: “{kind}” phải là đuôi tệp viết thường, không dấu chấm (ví dụ pdf)")
        return self


# Parts of a campaign that ``parcli init`` proposed and the province has not reviewed yet: the forms say so.
Unreviewed = Literal["assignment", "deadlines"]


class CampaignModel(_Strict):
    """The YAML document as written."""

    schema_: str = Field(alias="schema", pattern=r"^parcli/campaign@1$")
    mode: Literal["split", "each-unit-scores"] = "split"
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    province: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2100)
    catalogue: str | None = Field(default=None, min_length=1)
    plan: str | None = None
    organiser: Organiser
    documents: Documents | None = None
    deadlines: Deadlines
    # how the plan words its deadlines: "trước ngày" (before the day) or "đến hết ngày" (the day included)
    deadline_rule: DeadlineRule = DEFAULT_RULE
    rounds: list[RoundModel] | None = None  # rounds within the year; none: one implicit round (deadlines above)
    assignment_note: str | None = None
    protection_password: str | None = None
    survey_lists: str | None = None  # the survey respondent lists plan, a YAML path relative to this file
    departments: list[DepartmentModel] | None = None  # split mode
    groups: list[GroupModel] | None = None  # each-unit-scores mode
    units: list[UnitModel] | None = None
    units_file: str | None = None  # CSV or XLSX with columns id, name, group, exempt
    bands: list[Band] | None = None
    evidence: EvidenceModel | None = None  # evidence checks (file, citation, period); none: only a non-empty cell
    example: bool = False  # the bundled example: its sample contacts may reach documents (marked as samples)
    unreviewed: list[Unreviewed] = Field(default_factory=list)  # proposals of `parcli init` not yet reviewed

    @field_validator("deadline_rule", mode="before")
    @classmethod
    def _rule_words(cls, value: object) -> object:
        return parse_rule(value)

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
        if self.rounds is not None:
            if not self.rounds:
                raise ValueError("rounds cần ít nhất một đợt (hoặc bỏ hẳn trường rounds)")
            if len({r.id for r in self.rounds}) != len(self.rounds):
                raise ValueError("rounds có hai đợt cùng mã id")
        if self.bands is not None:
            if not any(b.min == 0 for b in self.bands):
                raise ValueError("bands cần một mức có min: 0 để đơn vị nào cũng được xếp loại")
            if len({b.min for b in self.bands}) != len(self.bands):
                raise ValueError("bands có hai mức cùng min")
        return self
