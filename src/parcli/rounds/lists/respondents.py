"""Respondent lists for the Ministry's sociological survey (điều tra xã hội học).

The provincial plan makes every department, every district-level People's
Committee and the office of the People's Council send the list of people
selected for the survey: People's Council deputies, leaders of departments and
of the units under them, district leaders (all reached by their official
e-mail, *thư điện tử công vụ*), and citizens and businesses who had an
administrative-procedure dossier handled in the year (dossier code and
procedure instead of an e-mail).

* :func:`load_lists_plan` reads the lists plan the campaign names
  (``survey_lists:``), schema ``parcli/survey-lists@1``;
* :func:`generate_lists` issues one protected, validated list workbook per unit;
* :func:`read_list` reads one returned list: values plus problems, never an exception;
* :func:`merge_lists` reads a folder (never modifying it), decides each unit's
  status, finds the same person nominated twice (within a list or by two units)
  and checks the quotas;
* :func:`write_respondents` writes the consolidated workbook atomically: one
  sheet per group, the counts unit × group against the quotas, the problems.

The layout (sheet names, headers, metadata keys) comes from :mod:`parcli.rounds.scoring.layout`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from parcli import __version__, clock
from parcli.config.catalogue import canonical_hash
from parcli.config.yamlio import path_line, read_yaml_mapping, validate_document
from parcli.errors import CampaignError, ConsolidatedError, OutputError
from parcli.files import atomic_path, sha256_file
from parcli.problems import Problem, ProblemCollector
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.issue import OpenpyxlStyles, date_vn
from parcli.rounds.scoring.layout import fit_row_height, nfc
from parcli.rounds.scoring.merge import MTIME_MARGIN_SECONDS, list_returns
from parcli.rounds.scoring.read import (
    looks_legacy,
    read_cover_date,
    read_metadata,
    read_workbook,
    sniff_workbook,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from parcli.config.campaign import Campaign

LISTS_SCHEMA = "parcli/survey-lists@1"

GroupKind = Literal["official", "citizen"]
UnitKind = Literal["department", "district", "other"]
ListStatus = Literal["ok", "invalid", "missing", "duplicate"]
QuotaStatus = Literal["met", "short", "over", "free", "none"]

KINDS: tuple[GroupKind, ...] = ("official", "citizen")
STATUS_LABELS: dict[str, str] = {
    "ok": "Hợp lệ",
    "invalid": "Có lỗi",
    "missing": "Chưa nộp",
    "duplicate": "Trùng danh sách",
}
# Fields a row must have, by the kind of its group.  Officials are surveyed online through the
# official e-mail the Ministry writes to (plan III.4.c); citizens are met in person by the post
# office (plan III.5), so their dossier, procedure and phone identify and reach them.
REQUIRED: dict[str, tuple[str, ...]] = {
    "official": ("name", "position", "agency", "group", "email"),
    "citizen": ("name", "group", "dossier", "procedure", "phone"),
}
FIELD_NAMES: dict[str, str] = {
    "name": "họ và tên",
    "position": "chức vụ",
    "agency": "cơ quan/đơn vị",
    "group": "nhóm đối tượng",
    "email": "email công vụ",
    "phone": "số điện thoại",
    "dossier": "mã hồ sơ",
    "procedure": "tên thủ tục hành chính",
}
_ID = r"^[a-z0-9][a-z0-9-]*$"
_DOMAIN = r"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
_SHEET_NAME = r"^[^\[\]:*?/\\']+$"
RESERVED_SHEETS = (layout.SHEET_COUNTS, layout.SHEET_PROBLEMS, layout.SHEET_META)


# --- the lists plan -------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GroupModel(_Strict):
    """A respondent group of the plan."""

    id: str = Field(pattern=_ID)
    label: str = Field(min_length=1)
    short: str = Field(min_length=1)  # drop-down text and sheet name (checked in _resolve_plan)
    kind: GroupKind


class UnitModel(_Strict):
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
    official_domains: list[Annotated[str, Field(pattern=_DOMAIN)]] = Field(min_length=1)
    rows_per_sheet: StrictInt = Field(default=200, ge=10, le=2000)
    groups: list[GroupModel] = Field(min_length=1)
    units: list[UnitModel] = Field(min_length=1)


@dataclass(frozen=True)
class Group:
    """A respondent group."""

    id: str
    label: str
    short: str
    kind: GroupKind
    order: int


@dataclass(frozen=True)
class Unit:
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
    groups: tuple[Group, ...]
    units: tuple[Unit, ...]
    content_hash: str

    @cached_property
    def group_by_id(self) -> dict[str, Group]:
        """Groups by id."""
        return {g.id: g for g in self.groups}

    @cached_property
    def unit_by_id(self) -> dict[str, Unit]:
        """Units by id."""
        return {u.id: u for u in self.units}

    @property
    def domains(self) -> tuple[str, ...]:
        """Official e-mail domains, lower case (``*.x`` stands for the subdomains of ``x``)."""
        return tuple(d.lower() for d in self.model.official_domains)

    def groups_of(self, unit: Unit, kind: GroupKind | None = None) -> list[Group]:
        """The groups a unit may nominate, optionally of one kind, in plan order."""
        return [self.group_by_id[g] for g in unit.quotas if kind is None or self.group_by_id[g].kind == kind]

    def kinds_of(self, unit: Unit) -> list[GroupKind]:
        """The kinds of sheet a unit's workbook has."""
        return [k for k in KINDS if self.groups_of(unit, k)]

    def group_for_text(self, text: str) -> Group | None:
        """The group a cell names by its short label, full label or id."""
        key = layout.label_key(text)
        for group in self.groups:
            if key in (layout.label_key(group.short), layout.label_key(group.label), group.id):
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
) -> tuple[tuple[Group, ...], tuple[Unit, ...], list[str]]:
    """Whole-document checks; collect every mistake."""
    problems: list[str] = []
    if model.campaign is not None and model.campaign != campaign.id:
        problems.append(
            f"{path_line(text, ['campaign'])}: danh sách thuộc đợt “{model.campaign}”, "
            f"kế hoạch đang dùng là “{campaign.id}”"
        )
    groups: list[Group] = []
    seen: dict[str, str] = {}
    for gi, g in enumerate(model.groups):
        where = f"groups[{gi}]"
        for key, what, loc in (
            (g.id, "mã nhóm", "id"),
            (layout.label_key(g.short), "tên ngắn", "short"),
            (layout.label_key(g.label), "tên nhóm", "label"),
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
        if layout.label_key(g.short) in {layout.label_key(s) for s in RESERVED_SHEETS}:
            problems.append(
                f"{path_line(text, ['groups', gi, 'short'])}: tên ngắn “{g.short}” trùng tên trang tính dành riêng "
                f"({', '.join(RESERVED_SHEETS)})"
            )
        groups.append(Group(id=g.id, label=nfc(g.label), short=nfc(g.short), kind=g.kind, order=gi + 1))
    known = {g.id for g in groups}
    order = [g.id for g in groups]
    units: list[Unit] = []
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
        units.append(Unit(id=u.id, name=nfc(name), kind=u.kind, order=ui + 1, quotas=quotas))
    return tuple(groups), tuple(units), problems


# --- normalising and checking values -----------------------------------------------------------------

_EMAIL_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_EMAIL_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
_EMAIL = re.compile(rf"^(?P<local>{_EMAIL_LOCAL})@(?P<domain>{_EMAIL_DOMAIN})$")
PRIVATE_MAIL = {
    "gmail.com": "Gmail",
    "googlemail.com": "Gmail",
    "yahoo.com": "Yahoo",
    "yahoo.com.vn": "Yahoo",
    "ymail.com": "Yahoo",
    "outlook.com": "Outlook",
    "hotmail.com": "Hotmail",
    "live.com": "Outlook",
    "icloud.com": "iCloud",
    "zoho.com": "Zoho",
}


def check_email(text: str) -> tuple[str | None, str | None]:
    """Check one e-mail address; return ``(address in lower case, None)`` or ``(None, reason in Vietnamese)``.

    A practical subset of RFC 5321/5322 (dot-atom local part, a host name with a
    top-level domain), which is what a government mail system hands out; the
    standard library has no validator and no external one is needed for this.
    """
    value = nfc(text).strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :].strip()
    if not value:
        return None, "để trống"
    if value.count("@") > 1 or (value.count("@") == 1 and re.search(r"[;,]", value)):
        return None, "có nhiều hơn một địa chỉ; chỉ ghi một địa chỉ"
    if "@" not in value:
        return None, "thiếu ký tự @"
    if any(ch.isspace() for ch in value):
        return None, "có khoảng trắng"
    if not value.isascii():
        return None, "có chữ có dấu hoặc ký tự đặc biệt"
    match = _EMAIL.match(value)
    if match is None:
        return None, "không đúng dạng tên@tên-miền"
    if len(value) > 254 or len(match["local"]) > 64:
        return None, "quá dài"
    return value.lower(), None


def is_official(address: str, domains: tuple[str, ...]) -> bool:
    """Whether a checked address is at an official domain (``x`` exactly, ``*.x`` any subdomain of ``x``)."""
    domain = address.rsplit("@", 1)[-1].lower()
    for entry in domains:
        entry = entry.lower()
        if entry.startswith("*."):
            if domain.endswith(entry[1:]):
                return True
        elif domain == entry:
            return True
    return False


_MOBILE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE = re.compile(r"^02\d{8,9}$")
_PHONE_TEXT = re.compile(r"^[\d\s.\-()+]+$")


def is_mobile(phone: str) -> bool:
    """A normalised mobile number (10 digits: 03, 05, 07, 08, 09)."""
    return bool(_MOBILE.match(phone))


def normalise_phone(value: object) -> tuple[str | None, str | None]:
    """Normalise a Vietnamese phone number to its national digits (``0912345678``).

    Accepts spaces, dots, hyphens, brackets, ``+84``/``84``/``0084`` and a number
    cell that dropped the leading zero.  Valid: mobiles of 10 digits (03, 05, 07,
    08, 09 — the 10-digit numbering since 2018) and landlines of 10–11 digits
    starting 02 (area codes since 2017).  Returns ``(digits, None)`` or
    ``(None, reason in Vietnamese)``.
    """
    if isinstance(value, bool | date):
        return None, "không phải số điện thoại (ô có thể đã bị định dạng ngày tháng)"
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if not value.is_integer():
            return None, "không phải số điện thoại"
        text = str(int(value))
    else:
        text = nfc(str(value or "")).strip()
    if not text:
        return None, "để trống"
    if not _PHONE_TEXT.match(text):
        if re.search(r"\d.*[/,;].*\d", text):
            return None, "có nhiều hơn một số; chỉ ghi một số"
        return None, "có chữ hoặc ký tự không phải chữ số"
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+"):
        if not digits.startswith("+84"):
            return None, "không phải số Việt Nam (mã quốc gia khác +84)"
        digits = "0" + digits[3:]
    elif digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits.isdigit():
        return None, "dấu + đặt sai chỗ"
    if not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits  # typed into a number cell: the leading zero was dropped
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return digits, None
    if re.match(r"^01\d{9}$", digits):
        return None, "đầu số di động 11 số (01…) đã chuyển sang 10 số từ năm 2018"
    if len(digits) < 10:
        return None, f"quá ngắn ({len(digits)} chữ số)"
    if len(digits) > 11:
        return None, f"quá dài ({len(digits)} chữ số)"
    return None, "đầu số không đúng (di động 03, 05, 07, 08, 09; cố định 02)"


def tidy_name(text: str) -> tuple[str, bool]:
    """NFC, single spaces; capital initials only when typed all upper or all lower case.

    Returns the name and whether its case was changed.  Mixed case (``Nguyễn văn
    An``, ``McKay``) is kept as typed: changing it could make it wrong.
    """
    name = " ".join(nfc(text).split())
    cased = [ch for ch in name if ch.isupper() or ch.islower()]
    if cased and (all(ch.isupper() for ch in cased) or all(ch.islower() for ch in cased)):
        fixed = nfc(" ".join(word.title() for word in name.split()))
        return fixed, fixed != name
    return name, False


# --- issuing the list workbooks ------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedList:
    """One issued list workbook."""

    unit: Unit
    path: Path
    sheets: tuple[str, ...]


@dataclass
class GenerateListsResult:
    """What :func:`generate_lists` produced."""

    out_dir: Path
    lists: list[GeneratedList] = field(default_factory=list)
    note: str | None = None


def generate_lists(
    plan: ListsPlan,
    out_dir: Path,
    *,
    now: datetime | None = None,
    units: list[str] | None = None,
    on_progress: Callable[[Unit], None] | None = None,
) -> GenerateListsResult:
    """Write one list workbook per unit into ``out_dir`` (atomically, file by file)."""
    stamp = (now or clock.now()).replace(microsecond=0)
    result = GenerateListsResult(out_dir=out_dir, note=plan.model.note)
    for unit in plan.units:
        if units and unit.id not in units:
            continue
        wb = build_list_workbook(plan, unit, stamp)
        target = out_dir / f"{unit.file_stem}.xlsx"
        with atomic_path(target) as tmp:
            wb.save(tmp)
        sheets = tuple(layout.LIST_SHEETS[k] for k in plan.kinds_of(unit))
        result.lists.append(GeneratedList(unit=unit, path=target, sheets=sheets))
        if on_progress is not None:
            on_progress(unit)
    return result


def build_list_workbook(plan: ListsPlan, unit: Unit, generated_at: datetime) -> Workbook:
    """Build (not save) the list workbook of one unit."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    styles = OpenpyxlStyles()
    password = plan.campaign.model.protection_password
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = layout.SHEET_COVER
    sheets = {kind: wb.create_sheet(layout.LIST_SHEETS[kind]) for kind in plan.kinds_of(unit)}
    meta = wb.create_sheet(layout.SHEET_META)
    _write_list_cover(cover, plan, unit, styles)
    choices = _write_list_meta(meta, plan, unit, generated_at)
    for kind, ws in sheets.items():
        _write_list_sheet(ws, plan, unit, kind, choices[kind], styles)
    meta.sheet_state = "hidden"
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    if password:
        wb.security.workbookPassword = password
    wb.properties.creator = f"parcli {__version__}"
    wb.properties.title = f"{plan.model.title} — {unit.name}"
    return wb


def _quota_text(quota: int | None) -> str:
    return f"{quota} người" if quota is not None else "không quy định số lượng"


def _write_list_cover(ws: Worksheet, plan: ListsPlan, unit: Unit, s: OpenpyxlStyles) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    camp = plan.campaign.model
    m = plan.model
    kinds = plan.kinds_of(unit)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 95
    rows: list[tuple[str, str, str]] = [  # (label, value, style)
        (camp.organiser.name.upper(), "", "bold"),
        ("DANH SÁCH ĐỐI TƯỢNG ĐIỀU TRA XÃ HỘI HỌC", "", "title"),
        (m.title, "", "bold"),
        ("", "", ""),
        ("Đơn vị giới thiệu", unit.name, "value"),
        ("Hạn gửi danh sách", f"Trước ngày {date_vn(m.deadline)} (gửi về {camp.organiser.name})", "value"),
        ("Căn cứ", camp.plan or camp.title, "value"),
        ("Liên hệ", m.contact or camp.organiser.contact or "", "value"),
    ]
    if m.note:
        rows.append(("Lưu ý", " ".join(m.note.split()), "warning"))
    rows += [("", "", ""), ("NHÓM ĐỐI TƯỢNG ĐƠN VỊ GIỚI THIỆU", "", "bold")]
    for group in plan.groups_of(unit):
        rows.append(
            (
                group.short,
                f"{group.label}. Số lượng đề nghị: {_quota_text(unit.quotas[group.id])}. "
                f"Ghi vào trang tính “{layout.LIST_SHEETS[group.kind]}”.",
                "value",
            )
        )
    steps = [
        "Mỗi người một dòng; chỉ nhập vào các ô nền vàng, các ô khác đã được khoá. Cột "
        f"“{layout.LIST_HEADER_GROUP}”: chọn trong danh sách thả xuống (trang tính chỉ có một nhóm thì "
        "có thể để trống).",
    ]
    if "official" in kinds:
        steps.append(
            f"Trang tính “{layout.LIST_SHEET_OFFICIALS}”: bắt buộc ghi Họ và tên, Chức vụ, Cơ quan/đơn vị, "
            f"Nhóm đối tượng và Email công vụ. Email phải là thư điện tử công vụ ({plan.domain_hint()}) vì "
            "Bộ Nội vụ gửi thư hướng dẫn khảo sát trực tuyến đến địa chỉ này; không dùng hộp thư cá nhân "
            "(Gmail, Yahoo…). Số điện thoại không bắt buộc."
        )
    if "citizen" in kinds:
        steps.append(
            f"Trang tính “{layout.LIST_SHEET_CITIZENS}”: người dân, doanh nghiệp có hồ sơ thủ tục hành chính "
            "được giải quyết trong năm; bắt buộc ghi Họ và tên, Nhóm đối tượng, Mã hồ sơ (ghi trên giấy tiếp "
            "nhận hồ sơ và hẹn trả kết quả), Thủ tục hành chính và Số điện thoại. Chức vụ, Cơ quan/đơn vị "
            "(tên doanh nghiệp) ghi nếu có."
        )
    steps += [
        "Số điện thoại: số di động 10 chữ số (ví dụ 0912 345 678) hoặc số cố định bắt đầu bằng 02 (ví dụ "
        "0221 3xxx xxx); có thể ghi +84. Mỗi người chỉ được giới thiệu một lần: không trùng email, số "
        "di động với người khác trong danh sách hoặc trong danh sách của đơn vị khác.",
        "Không đổi tên, thêm, xoá hay sắp xếp lại trang tính, cột; không sao chép sang tệp khác. Có thể đổi "
        "tên tệp. Lưu ở định dạng .xlsx (Excel, LibreOffice hoặc WPS).",
        "Thông tin cá nhân trong danh sách chỉ dùng cho việc điều tra xã hội học xác định Chỉ số CCHC "
        "(Nghị định số 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân).",
        "Điền các thông tin dưới đây, lưu tệp và gửi về đơn vị tổng hợp trước hạn.",
    ]
    rows += [("", "", ""), ("CÁCH ĐIỀN", "", "bold")]
    rows += [(f"{i}.", text, "value") for i, text in enumerate(steps, start=1)]
    rows += [("", "", ""), ("THÔNG TIN NGƯỜI LẬP BIỂU", "", "bold")]
    for r, (label, value, style) in enumerate(rows, start=1):
        a = ws.cell(row=r, column=1, value=label or None)
        b = ws.cell(row=r, column=2, value=value or None)
        a.font = s.font
        b.font = s.font
        b.alignment = s.wrap
        a.alignment = s.wrap if style in ("value", "warning") else s.nowrap
        for cell in (a, b):
            if isinstance(cell.value, str):
                cell.data_type = "s"
        fit_row_height(ws, r, {2: 95})
        if style == "title":
            a.font = s.title
        elif style == "bold":
            a.font = s.bold
        elif style == "warning":
            a.font = s.warning
            b.font = s.warning
    start = len(rows) + 1
    for offset, label in enumerate(layout.COVER_INPUT_LABELS):
        r = start + offset
        ws.cell(row=r, column=1, value=label).font = s.bold
        cell = ws.cell(row=r, column=2)
        cell.protection = s.unlocked
        cell.fill = s.input_fill
        cell.border = s.border
        cell.font = s.font
        if label == layout.COVER_SENT:
            cell.number_format = "DD/MM/YYYY"
            dv = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="36526",  # 01/01/2000
                allow_blank=True,
                showErrorMessage=True,
                showInputMessage=True,
                errorTitle="Ngày không hợp lệ",
                error="Nhập ngày gửi theo dạng ngày/tháng/năm, ví dụ 03/01/2024.",
                promptTitle="Ngày gửi",
                prompt="Ngày đơn vị gửi danh sách (ngày/tháng/năm).",
            )
            dv.add(cell.coordinate)
            ws.add_data_validation(dv)
        else:
            cell.number_format = "@"
    ws.protection.sheet = True
    if plan.campaign.model.protection_password:
        ws.protection.password = plan.campaign.model.protection_password
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _write_list_meta(ws: Worksheet, plan: ListsPlan, unit: Unit, generated_at: datetime) -> dict[str, str]:
    """Write metadata and the group drop-down lists; return the list range of each sheet kind."""
    from openpyxl.utils import get_column_letter

    values = {
        layout.META_KIND: layout.KIND_SURVEY_LIST,
        layout.META_LAYOUT: layout.LIST_LAYOUT_VERSION,
        layout.META_TOOL_VERSION: __version__,
        layout.META_CAMPAIGN: plan.campaign.id,
        layout.META_LISTS_HASH: plan.content_hash,
        layout.META_UNIT: unit.id,
        layout.META_UNIT_NAME: unit.name,
        layout.META_GROUPS: ",".join(unit.quotas),
        layout.META_GENERATED_AT: generated_at.isoformat(),
    }
    for r, key in enumerate(layout.LIST_META_KEYS, start=1):
        ws.cell(row=r, column=1, value=key)
        ws.cell(row=r, column=2, value=values[key]).data_type = "s"
    ranges: dict[str, str] = {}
    for offset, kind in enumerate(KINDS):
        groups = plan.groups_of(unit, kind)
        if not groups:
            continue
        row = layout.LIST_META_CHOICES_ROW + offset
        ws.cell(row=row, column=1, value=kind)
        for c, group in enumerate(groups, start=2):
            ws.cell(row=row, column=c, value=group.short).data_type = "s"
        last = get_column_letter(1 + len(groups))
        ranges[kind] = layout.sheet_ref(layout.SHEET_META, f"$B${row}:${last}${row}")
    return ranges


def _row_styles(wb: Any, s: OpenpyxlStyles) -> tuple[str, str]:
    """Named styles for the numbered column and the input cells, registered once per workbook.

    One named style per cell instead of six style attributes keeps issuing 28 workbooks of
    a few thousand input cells fast.  Input cells are unlocked, yellow, and formatted as
    text, so phone numbers and dossier codes keep their leading zeros.
    """
    from openpyxl.styles import NamedStyle, Protection

    names = ("parcli-stt", "parcli-input")
    if names[0] not in wb.named_styles:
        wb.add_named_style(NamedStyle(name=names[0], font=s.font, border=s.border, alignment=s.center))
        wb.add_named_style(
            NamedStyle(
                name=names[1],
                font=s.font,
                border=s.border,
                alignment=s.wrap,
                fill=s.input_fill,
                number_format="@",
                protection=Protection(locked=False),
            )
        )
    return names


def _email_formula(cell: str, domains: tuple[str, ...]) -> str:
    """A custom validation: one @, no space and, when it fits in 255 characters, an official domain."""
    base = f'AND(ISERROR(FIND(" ",{cell})),LEN({cell})-LEN(SUBSTITUTE({cell},"@",""))=1'
    tests = []
    for entry in domains:
        suffix = entry[1:] if entry.startswith("*.") else "@" + entry
        tests.append(f'RIGHT(LOWER({cell}),{len(suffix)})="{suffix}"')
    full = f"{base},OR({','.join(tests)}))"
    return full if len(full) <= 255 else base + ")"


def _write_list_sheet(
    ws: Worksheet, plan: ListsPlan, unit: Unit, kind: GroupKind, choices: str, s: OpenpyxlStyles
) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    m = plan.model
    camp = plan.campaign.model
    fields = layout.LIST_FIELDS[kind]
    groups = plan.groups_of(unit, kind)
    title = (
        "DANH SÁCH ĐẠI BIỂU, LÃNH ĐẠO THAM GIA KHẢO SÁT TRỰC TUYẾN"
        if kind == "official"
        else "DANH SÁCH NGƯỜI DÂN, DOANH NGHIỆP CÓ HỒ SƠ THỦ TỤC HÀNH CHÍNH"
    )
    ws.cell(row=1, column=1, value=title).font = s.title
    ws.cell(row=2, column=1, value=f"{unit.name} — {m.title}").font = s.bold
    ws.cell(
        row=3,
        column=1,
        value=f"(Gửi {camp.organiser.name} trước ngày {date_vn(m.deadline)}; mỗi người một dòng, chỉ nhập vào "
        "các ô nền vàng)",
    ).font = s.italic
    hr = layout.LIST_HEADER_ROW
    headers = (layout.LIST_HEADER_NO, *(layout.LIST_FIELD_HEADERS[f] for f in fields))
    widths = {1: float(layout.LIST_NO_WIDTH)}
    widths.update({i: layout.LIST_FIELD_WIDTHS[f] for i, f in enumerate(fields, start=2)})
    for col, label in enumerate(headers, start=1):
        c = ws.cell(row=hr, column=col, value=label)
        c.font, c.fill, c.border, c.alignment = s.bold, s.header_fill, s.border, s.center
        ws.column_dimensions[get_column_letter(col)].width = widths[col]
    ws.row_dimensions[hr].height = 33
    first, last = hr + 1, hr + m.rows_per_sheet
    row_style, input_style = _row_styles(ws.parent, s)
    for r in range(first, last + 1):
        ws.cell(row=r, column=1, value=r - hr).style = row_style
        for col in range(2, len(headers) + 1):
            ws.cell(row=r, column=col).style = input_style

    letter = {f: get_column_letter(i) for i, f in enumerate(fields, start=2)}
    common: dict[str, Any] = {"allow_blank": True, "showInputMessage": True}
    only = " Trang tính chỉ có một nhóm nên có thể để trống." if len(groups) == 1 else ""
    specs: dict[str, dict[str, Any]] = {
        "name": {"promptTitle": "Họ và tên", "prompt": "Họ và tên đầy đủ, có dấu, ví dụ Nguyễn Văn An."},
        "position": {
            "promptTitle": "Chức vụ",
            "prompt": "Chức vụ hiện giữ, ví dụ Giám đốc, Phó Chủ tịch UBND huyện."
            if kind == "official"
            else "Chức vụ (nếu có), ví dụ Giám đốc công ty.",
        },
        "agency": {
            "promptTitle": "Cơ quan/đơn vị",
            "prompt": "Cơ quan, đơn vị công tác." if kind == "official" else "Tên doanh nghiệp, tổ chức (nếu có).",
        },
        "group": {
            "type": "list",
            "formula1": choices,
            "showErrorMessage": True,
            "errorStyle": "stop",
            "errorTitle": "Nhóm không hợp lệ",
            "error": "Chọn một nhóm đối tượng trong danh sách thả xuống.",
            "promptTitle": "Nhóm đối tượng",
            "prompt": ("Chọn: " + "; ".join(g.short for g in groups) + "." + only)[:255],
        },
        "email": {
            "type": "custom",
            "formula1": _email_formula(f"{letter['email']}{first}", plan.domains) if "email" in letter else None,
            "showErrorMessage": True,
            "errorStyle": "stop",
            "errorTitle": "Email không hợp lệ",
            "error": f"Ghi một địa chỉ thư điện tử công vụ ({plan.domain_hint()}); không dùng hộp thư cá nhân "
            "(Gmail, Yahoo…).",
            "promptTitle": "Email công vụ",
            "prompt": f"Thư điện tử công vụ, ví dụ nguyenvanan@{plan.primary_domain}.",
        },
        "phone": {
            "type": "textLength",
            "operator": "between",
            "formula1": "9",
            "formula2": "20",
            "showErrorMessage": True,
            "errorStyle": "warning",
            "errorTitle": "Số điện thoại",
            "error": "Số di động 10 chữ số hoặc số cố định bắt đầu bằng 02, ví dụ 0912 345 678.",
            "promptTitle": "Số điện thoại",
            "prompt": "Số di động 10 chữ số (ví dụ 0912 345 678) hoặc số cố định bắt đầu bằng 02."
            + (" Bắt buộc." if kind == "citizen" else " Không bắt buộc."),
        },
        "dossier": {
            "promptTitle": "Mã hồ sơ",
            "prompt": "Mã hồ sơ thủ tục hành chính ghi trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
        },
        "procedure": {"promptTitle": "Thủ tục hành chính", "prompt": "Tên thủ tục hành chính của hồ sơ."},
    }
    for f in fields:
        dv = DataValidation(**common, **specs[f])
        dv.add(f"{letter[f]}{first}:{letter[f]}{last}")
        ws.add_data_validation(dv)

    ws.freeze_panes = ws.cell(row=hr + 1, column=3)
    ws.print_title_rows = f"{hr}:{hr}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    if camp.protection_password:
        ws.protection.password = camp.protection_password


# --- reading one returned list ---------------------------------------------------------------------


class Respondent(BaseModel):
    """One nominated person as read from a list: normalised values, where they came from, accepted or not.

    Values that failed their check are left empty (``None``/``""``); ``accepted``
    is True only for a row without errors (and not a duplicate of an earlier row).
    """

    model_config = ConfigDict(extra="forbid")

    unit_id: str
    kind: GroupKind
    group_id: str | None = None
    name: str = ""
    position: str = ""
    agency: str = ""
    email: str | None = Field(default=None, pattern=r"^[^@\sA-Z]+@[^@\sA-Z]+$")
    phone: str | None = Field(default=None, pattern=r"^0\d{9,10}$")
    dossier: str = ""
    procedure: str = ""
    file: str
    sheet: str
    row: int
    cells: dict[str, str]  # field -> cell reference
    accepted: bool = True

    def place(self, fieldname: str) -> str:
        """``file › sheet › cell`` of one of the row's fields."""
        return " › ".join((self.file, self.sheet, self.cells.get(fieldname, f"A{self.row}")))


@dataclass
class ListResult:
    """A returned list as read: identity, respondents, problems."""

    path: Path
    sha256: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    unit_id: str | None = None
    respondents: list[Respondent] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sent_date: date | None = None
    modified: datetime | None = None
    usable: bool = False  # False when the file as a whole cannot be used

    @property
    def file(self) -> str:
        """The file name shown in messages."""
        return self.path.name

    @property
    def errors(self) -> int:
        """Number of errors."""
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        """Number of warnings."""
        return sum(1 for p in self.problems if not p.is_error)


def read_list(path: Path, plan: ListsPlan) -> ListResult:
    """Read and check one returned list against the plan; never raises for bad data.

    The unit is recognised from the hidden metadata sheet (not the file name);
    every filled row is checked (required fields, group allowed for the unit,
    e-mail and official domain, phone); the same person twice in the list is
    reported at the second row, naming the first.  Quotas and duplicates across
    units are :func:`merge_lists`' business.
    """
    result = ListResult(path=path)
    add = ProblemCollector(result.problems, result.file)
    if not sniff_workbook(path, lambda slug, message: add.add(slug, message), noun="danh sách"):
        return result
    result.sha256 = sha256_file(path)
    result.modified = datetime.fromtimestamp(path.stat().st_mtime)
    list_sheets = (layout.LIST_SHEET_OFFICIALS, layout.LIST_SHEET_CITIZENS, layout.SHEET_COVER, layout.SHEET_META)
    if not read_workbook(
        path, add, lambda wb: _read_list_workbook(wb, plan, result, add), fast_sheets=list_sheets, noun="danh sách"
    ):
        result.usable = False
        result.respondents.clear()
    if result.usable:
        result.problems.extend(_mark_duplicates([result], plan, across_units=False))
    return result


def _read_list_workbook(wb: Any, plan: ListsPlan, result: ListResult, add: ProblemCollector) -> None:
    meta = read_metadata(wb)
    if meta is not None and meta.get(layout.META_KIND) == layout.KIND_RETURN:
        add.add(
            "metadata-missing",
            "Tệp này là phiếu chấm điểm Chỉ số CCHC, không phải danh sách đối tượng điều tra xã hội học. "
            "Đề nghị gửi phiếu chấm điểm riêng; thư mục này chỉ chứa danh sách.",
        )
        return
    if meta is None or layout.META_UNIT not in meta:
        add.add(
            "metadata-missing",
            f"Không nhận diện được danh sách: trang tính ẩn “{layout.SHEET_META}” đã bị xoá hoặc sửa. Đề nghị "
            "điền lại vào tệp danh sách đã được phát hành (không sao chép sang tệp mới).",
        )
        return
    result.metadata = meta
    if meta.get(layout.META_KIND) != layout.KIND_SURVEY_LIST:
        add.add(
            "metadata-missing",
            "Tệp này không phải danh sách đối tượng điều tra xã hội học do parcli phát hành (có thể là bảng "
            "tổng hợp). Chỉ gửi tệp danh sách đã được phát hành.",
        )
        return
    if meta.get(layout.META_LAYOUT) != layout.LIST_LAYOUT_VERSION:
        add.add(
            "unsupported-layout",
            f"Danh sách theo mẫu phiên bản {meta.get(layout.META_LAYOUT)!r}, parcli này đọc mẫu phiên bản "
            f"{layout.LIST_LAYOUT_VERSION}. Đề nghị dùng tệp danh sách của đợt hiện tại.",
        )
        return
    campaign = plan.campaign
    if meta.get(layout.META_CAMPAIGN) != campaign.id:
        add.add(
            "wrong-campaign",
            f"Danh sách thuộc đợt “{meta.get(layout.META_CAMPAIGN)}”, không phải “{campaign.id}” "
            f"({campaign.model.title}). Có thể đã gửi nhầm danh sách năm trước; đề nghị gửi đúng danh sách của "
            "đợt này.",
        )
        return
    unit = plan.unit_by_id.get(meta.get(layout.META_UNIT, ""))
    if unit is None:
        add.add(
            "unknown-department",
            f"Đơn vị “{meta.get(layout.META_UNIT)}” ghi trong danh sách không có trong kế hoạch ({plan.path.name}).",
        )
        return
    result.unit_id = unit.id
    add.department = unit.id
    result.usable = True
    result.sent_date = read_cover_date(wb)
    for kind in plan.kinds_of(unit):
        sheet = layout.LIST_SHEETS[kind]
        if sheet not in wb.sheetnames:
            add.add(
                "sheet-missing",
                f"Không có trang tính “{sheet}” (đã bị xoá hoặc đổi tên). Đề nghị điền lại vào tệp danh sách "
                "đã được phát hành.",
                sheet=sheet,
            )
            continue
        _read_sheet(wb[sheet], plan, unit, kind, result, add)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_sheet(
    ws: Any, plan: ListsPlan, unit: Unit, kind: GroupKind, result: ListResult, add: ProblemCollector
) -> None:
    """Find the header, check every filled row, then the sheet-wide warnings."""
    from openpyxl.utils import get_column_letter

    sheet = layout.LIST_SHEETS[kind]
    fields = layout.LIST_FIELDS[kind]
    labels = tuple(layout.LIST_FIELD_HEADERS[f] for f in fields)
    limit = layout.HEADER_SEARCH_ROWS + layout.LIST_MAX_ROWS
    rows = [tuple(r) for r in ws.iter_rows(min_row=1, max_row=limit, max_col=len(fields) + 4)]
    header = layout.find_header([tuple(getattr(c, "value", None) for c in r) for r in rows], labels, labels)
    if header is None:
        add.add(
            "header-missing",
            f"Không tìm thấy dòng tiêu đề (có đủ các cột {', '.join(f'“{label}”' for label in labels)}) trên trang "
            "tính. Đề nghị điền lại vào tệp danh sách đã được phát hành.",
            sheet=sheet,
        )
        return
    columns = {f: header.columns[layout.LIST_FIELD_HEADERS[f]] for f in fields}
    checker = _RowChecker(plan, unit, kind, result, add)
    for index in range(header.row, len(rows)):
        row = rows[index]
        cells = {f: (row[c - 1] if c - 1 < len(row) else None) for f, c in columns.items()}
        if all(_blank(getattr(cell, "value", None)) for cell in cells.values()):
            continue
        refs = {f: f"{get_column_letter(c)}{index + 1}" for f, c in columns.items()}
        result.respondents.append(checker.check(index + 1, cells, refs))
    if checker.nfd_cells:
        add.add(
            "text-normalised",
            f"{len(checker.nfd_cells)} ô có chữ tiếng Việt dạng tổ hợp (NFD); parcli đã chuẩn hoá về dạng dựng sẵn "
            "(NFC).",
            sheet=sheet,
            cell=checker.nfd_cells[0],
        )
    if checker.recased:
        cell, typed, written = checker.recased[0]
        add.add(
            "name-recased",
            f"{len(checker.recased)} họ tên được viết toàn chữ hoa hoặc toàn chữ thường; parcli đã viết hoa chữ cái "
            f"đầu mỗi từ (ví dụ “{typed}” → “{written}”). Đề nghị kiểm tra lại nếu có tên viết khác thường.",
            sheet=sheet,
            cell=cell,
        )
    try:
        max_row = ws.max_row or 0
    except Exception:  # a damaged dimension; the rows themselves were read
        max_row = 0
    if max_row > limit:
        add.add(
            "content-below-table",
            f"Trang tính có nội dung đến dòng {max_row}; parcli chỉ đọc đến dòng {limit}. Đề nghị xoá nội dung "
            "thừa hoặc chia danh sách.",
            sheet=sheet,
            cell=f"A{max_row}",
        )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _RowChecker:
    """Checks the filled rows of one sheet; collects the sheet-wide warnings (NFD text, re-cased names)."""

    def __init__(self, plan: ListsPlan, unit: Unit, kind: GroupKind, result: ListResult, add: ProblemCollector) -> None:
        self.plan = plan
        self.unit = unit
        self.kind = kind
        self.sheet = layout.LIST_SHEETS[kind]
        self.groups = plan.groups_of(unit, kind)
        self.result = result
        self.add = add
        self.nfd_cells: list[str] = []
        self.recased: list[tuple[str, str, str]] = []  # (cell, as typed, as written)

    def problem(self, slug: str, message: str, ref: str, item: str | None = None) -> None:
        self.add.add(slug, message, sheet=self.sheet, cell=ref, item=item)

    def check(self, rownum: int, cells: dict[str, Any], refs: dict[str, str]) -> Respondent:
        """Check one filled row; return the respondent, accepted when the row has no error."""
        errors_before = self.result.errors
        texts, formulas = self._texts(rownum, cells, refs)
        name, changed = tidy_name(texts["name"])
        if changed:
            self.recased.append((refs["name"], texts["name"], name))
        who = f"Dòng {rownum} ({name})" if name else f"Dòng {rownum}"
        group = self._group(who, texts["group"], "group" in formulas, refs["group"])
        group_id = group.id if group else None
        for f in REQUIRED[self.kind]:
            if f == "group" and (group is not None or texts["group"]):
                continue  # a group that is there but wrong was reported as such
            if not texts.get(f) and f not in formulas:
                self._missing(who, f, refs[f], group_id)
        email = self._email(who, texts["email"], refs["email"], group_id) if texts.get("email") else None
        phone = self._phone(who, cells["phone"], texts["phone"], refs["phone"], group_id) if texts["phone"] else None
        return Respondent(
            unit_id=self.unit.id,
            kind=self.kind,
            group_id=group_id,
            name=name,
            position=texts["position"],
            agency=texts["agency"],
            email=email,
            phone=phone,
            dossier=texts.get("dossier", ""),
            procedure=texts.get("procedure", ""),
            file=self.result.file,
            sheet=self.sheet,
            row=rownum,
            cells=refs,
            accepted=self.result.errors == errors_before,
        )

    def _texts(self, rownum: int, cells: dict[str, Any], refs: dict[str, str]) -> tuple[dict[str, str], set[str]]:
        """Every cell as NFC text with single spaces; formulas reported and left empty."""
        texts: dict[str, str] = {}
        formulas: set[str] = set()
        for f, cell in cells.items():
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                self.problem(
                    "formula-in-cell",
                    f"Dòng {rownum}: ô {FIELD_NAMES[f]} chứa công thức {value}; đề nghị nhập trực tiếp nội dung "
                    "(hoặc dán dạng giá trị).",
                    refs[f],
                )
                texts[f] = ""
                formulas.add(f)
                continue
            text = _cell_text(value)
            if text != nfc(text):
                self.nfd_cells.append(refs[f])
            texts[f] = " ".join(nfc(text).split())
            if f in ("name", "position", "agency", "procedure") and texts[f] and looks_legacy(texts[f]):
                self.problem(
                    "legacy-encoding",
                    f"Dòng {rownum}: {FIELD_NAMES[f]} “{texts[f]}” có vẻ được gõ bằng bảng mã cũ (TCVN3/VNI) nên "
                    "hiển thị sai dấu. Đề nghị chuyển sang Unicode (ví dụ bằng Unikey) và gửi lại.",
                    refs[f],
                )
        return texts, formulas

    def _group(self, who: str, text: str, formula: bool, ref: str) -> Group | None:
        """The row's group; an empty cell on a sheet with a single group means that group."""
        if not text:
            return self.groups[0] if len(self.groups) == 1 and not formula else None
        found = self.plan.group_for_text(text)
        unit = self.unit
        if found is None:
            self.problem(
                "group-unknown",
                f"{who}: nhóm đối tượng “{text}” không có trong danh sách. Đề nghị chọn trong danh sách thả xuống: "
                f"{'; '.join(g.short for g in self.groups)}.",
                ref,
            )
        elif found.id not in unit.quotas:
            allowed = "; ".join(f"“{g.short}”" for g in self.plan.groups_of(unit))
            self.problem(
                "group-not-allowed",
                f"{who}: {unit.name} không thuộc diện giới thiệu nhóm “{found.short}”. Các nhóm {unit.name} được "
                f"giới thiệu: {allowed}. Đề nghị xoá dòng này hoặc chọn lại nhóm.",
                ref,
                found.id,
            )
        elif found.kind != self.kind:
            self.problem(
                "group-not-allowed",
                f"{who}: nhóm “{found.short}” được ghi ở trang tính “{layout.LIST_SHEETS[found.kind]}”, không phải "
                f"trang tính “{self.sheet}”. Đề nghị chuyển người này sang đúng trang tính.",
                ref,
                found.id,
            )
        else:
            return found
        return None

    def _missing(self, who: str, fieldname: str, ref: str, group_id: str | None) -> None:
        why = ""
        if fieldname == "email":
            why = (
                "; công chức tham gia khảo sát trực tuyến phải dùng thư điện tử công vụ để nhận thư hướng dẫn "
                "của Bộ Nội vụ"
            )
        elif fieldname == "group":
            why = f" (chọn: {'; '.join(g.short for g in self.groups)})"
        self.problem(
            "respondent-field-missing",
            f"{who}: chưa ghi {FIELD_NAMES[fieldname]}{why}. Đề nghị bổ sung.",
            ref,
            group_id,
        )

    def _email(self, who: str, text: str, ref: str, group_id: str | None) -> str | None:
        """The address in lower case when valid and official; otherwise None and a problem."""
        plan = self.plan
        email, reason = check_email(text)
        if email is None:
            self.problem(
                "email-invalid",
                f"{who}: email “{text}” không hợp lệ ({reason}). Đề nghị ghi đúng một địa chỉ thư điện tử công vụ, "
                f"ví dụ nguyenvanan@{plan.primary_domain}.",
                ref,
                group_id,
            )
            return None
        if is_official(email, plan.domains):
            return email
        domain = email.rsplit("@", 1)[1]
        what = (
            f"là hộp thư cá nhân ({PRIVATE_MAIL[domain]})"
            if domain in PRIVATE_MAIL
            else f"không thuộc tên miền thư điện tử công vụ của tỉnh ({', '.join(plan.domains)})"
        )
        self.problem(
            "email-not-official",
            f"{who}: “{email}” {what}, không phải thư điện tử công vụ. Công chức tham gia khảo sát trực tuyến phải "
            f"dùng thư điện tử công vụ ({plan.domain_hint()}) để nhận thư hướng dẫn khảo sát của Bộ Nội vụ. Đề nghị "
            "thay bằng địa chỉ công vụ.",
            ref,
            group_id,
        )
        return None

    def _phone(self, who: str, cell: Any, text: str, ref: str, group_id: str | None) -> str | None:
        """The national digits when valid; a number cell is read from its number (it lost the leading 0)."""
        raw = getattr(cell, "value", None)
        phone, reason = normalise_phone(raw if isinstance(raw, int | float) else text)
        if phone is None:
            self.problem(
                "phone-invalid",
                f"{who}: số điện thoại “{text}” không hợp lệ ({reason}). Số di động gồm 10 chữ số (ví dụ 0912 345 "
                "678), số cố định bắt đầu bằng 02 (ví dụ 0221 3xxx xxx).",
                ref,
                group_id,
            )
        return phone


def _mark_duplicates(lists: list[ListResult], plan: ListsPlan, *, across_units: bool) -> list[Problem]:
    """Find each person nominated a second time (same e-mail, or same mobile number): one problem naming both places.

    The later row is not accepted.  Landlines are not a person's identity (an office
    number is shared), so only mobiles count.  :func:`read_list` looks within its one
    file; :func:`merge_lists` looks across units (``across_units``) and leaves the
    pairs within a file, already reported, alone.
    """
    seen: dict[tuple[str, str], Respondent] = {}  # (field, value) -> first occurrence
    found: list[Problem] = []
    for listed in lists:
        for person in listed.respondents:
            keys = []
            if person.email:
                keys.append(("email", person.email))
            if person.phone and is_mobile(person.phone):
                keys.append(("phone", person.phone))
            reported = False
            for fieldname, value in keys:
                first = seen.get((fieldname, value))
                if first is None:
                    seen[(fieldname, value)] = person
                    continue
                if reported or first is person:
                    continue
                same_file = first.file == person.file
                if same_file == across_units:
                    continue
                what = "email" if fieldname == "email" else "số di động"
                here = person.place(fieldname)
                there = first.place(fieldname)
                if same_file:
                    where = f"dòng {first.row} ({there}) và dòng {person.row} ({here}) của cùng danh sách"
                else:
                    first_unit = plan.unit_by_id[first.unit_id].name
                    this_unit = plan.unit_by_id[person.unit_id].name
                    where = f"{first_unit} ({there}) và {this_unit} ({here})"
                message = (
                    f"{person.name or 'Người được giới thiệu'} (trùng {what} “{value}”) được giới thiệu hai lần: "
                    f"{where}. Mỗi người chỉ được giới thiệu một lần; đề nghị giữ lại ở một nơi (nếu là hai người "
                    f"khác nhau, ghi {what} riêng của từng người)."
                )
                found.append(
                    Problem(
                        slug="respondent-duplicate",
                        message=message,
                        file=person.file,
                        sheet=person.sheet,
                        cell=person.cells.get(fieldname),
                        item=person.group_id,
                        department=person.unit_id,
                    )
                )
                person.accepted = False
                reported = True
    return found


# --- merging a folder of lists -------------------------------------------------------------------------


@dataclass
class GroupCount:
    """A unit's count for one group against its quota."""

    group: Group
    quota: int | None
    nominated: int = 0
    accepted: int = 0
    status: QuotaStatus = "none"

    @property
    def label(self) -> str:
        """Vietnamese status for the count table."""
        if self.status == "met":
            return "Đủ"
        if self.status == "short":
            return f"Thiếu {(self.quota or 0) - self.accepted}"
        if self.status == "over":
            return f"Vượt {self.accepted - (self.quota or 0)}"
        if self.status == "free":
            return "Không quy định"
        return "Chưa có danh sách dùng được"


@dataclass
class UnitOutcome:
    """One unit's list: status, files, problems counted, counts per group."""

    unit: Unit
    status: ListStatus
    files: list[str] = field(default_factory=list)
    used: str | None = None
    errors: int = 0
    warnings: int = 0
    sent_date: date | None = None
    counts: list[GroupCount] = field(default_factory=list)


@dataclass(frozen=True)
class ListVersion:
    """Which of several lists of one unit counts, and why (shown to the operator)."""

    unit_id: str
    used: str | None  # None: ambiguous, none used
    others: tuple[str, ...]
    reason: str


def choose_list(lists: list[ListResult], pick: set[str]) -> tuple[ListResult | None, str]:
    """The version rule of ``parcli merge`` applied to several lists of one unit.

    A file named with ``pick`` wins; identical files (same SHA-256) are one; else the
    newest by the *Ngày gửi* on the cover when all have one and it is unique; else the
    newest by file time when at least a minute newer than the next; else none.
    """
    picked = [r for r in lists if r.file in pick]
    if len(picked) == 1:
        return picked[0], f"chọn theo --pick {picked[0].file}"
    if len(picked) > 1:
        return None, "--pick chỉ định nhiều hơn một tệp của cùng đơn vị"
    if len({r.sha256 for r in lists}) == 1 and lists[0].sha256:
        return lists[0], "các tệp giống hệt nhau (cùng mã băm SHA-256)"
    if all(r.sent_date for r in lists):
        ordered = sorted(lists, key=lambda r: r.sent_date or date.min, reverse=True)
        if ordered[0].sent_date != ordered[1].sent_date:
            return ordered[0], f"mới nhất theo ngày gửi ghi trên danh sách ({date_vn(ordered[0].sent_date)})"
    if all(r.modified for r in lists):
        ordered = sorted(lists, key=lambda r: r.modified or datetime.min, reverse=True)
        first, second = ordered[0].modified, ordered[1].modified
        if first and second and (first - second).total_seconds() >= MTIME_MARGIN_SECONDS:
            return ordered[0], f"mới nhất theo thời gian tệp ({first.strftime('%d/%m/%Y %H:%M')})"
    return None, "không phân định được tệp nào mới hơn (cùng ngày gửi, thời gian tệp gần nhau)"


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
    decisions: list[ListVersion] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every unit returned one list and no problem is an error."""
        return all(u.status == "ok" for u in self.units) and not any(p.is_error for p in self.problems)

    def manifest_inputs(self) -> list[dict[str, Any]]:
        """Every list file read, with its hash, unit and status (for ``manifest.json``; no personal data)."""
        from parcli.manifest import file_entry

        used = {u.used: u for u in self.units if u.used}
        entries = []
        for lst in self.lists:
            if not lst.path.is_file():
                continue
            outcome = used.get(lst.file)
            status = outcome.status if outcome else ("superseded" if lst.unit_id else "unidentified")
            entries.append(
                file_entry(
                    lst.path,
                    role="survey-list",
                    unit=lst.unit_id,
                    status=status,
                    errors=lst.errors,
                    warnings=lst.warnings,
                )
            )
        return entries

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
                {"unit": v.unit_id, "used": v.used, "others": list(v.others), "reason": v.reason}
                for v in self.decisions
            ],
            "ignored": self.ignored,
        }


def merge_lists(
    plan: ListsPlan,
    folder: Path,
    *,
    pick: list[str] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> ListsMergeResult:
    """Read every list in ``folder`` (never modifying it) and consolidate; no file is written.

    Stages: read each file; decide each unit's list (missing, one, several: the
    version rule); report people nominated by two units once, naming both
    places; count each unit's accepted respondents per group against its quota.
    """
    sheets, others, ignored = list_returns(folder)
    result = ListsMergeResult(plan=plan, folder=folder, ignored=[p.name for p in ignored])
    if on_start is not None:
        on_start(len(sheets))
    general: list[Problem] = [
        Problem(
            slug="not-a-return",
            file=path.name,
            message="Tệp không phải bảng tính nên không được đọc. Nếu đây là danh sách đối tượng điều tra, đề nghị "
            "lưu lại ở định dạng .xlsx.",
        )
        for path in others
    ]
    for path in sheets:
        result.lists.append(read_list(path, plan))
        if on_file is not None:
            on_file(path)

    # stage 2: one list per unit
    by_unit: dict[str, list[ListResult]] = {}
    for lst in result.lists:
        if lst.unit_id is None:
            general.extend(lst.problems)
        else:
            by_unit.setdefault(lst.unit_id, []).append(lst)
    bucket: dict[str, list[Problem]] = {u.id: [] for u in plan.units}
    chosen: dict[str, ListResult] = {}
    pick_set = set(pick or ())
    for unit in plan.units:
        lists = by_unit.get(unit.id, [])
        outcome = UnitOutcome(unit=unit, status="missing", files=[r.file for r in lists])
        result.units.append(outcome)
        if not lists:
            bucket[unit.id].append(
                Problem(
                    slug="list-missing",
                    department=unit.id,
                    message=f"{unit.name} chưa gửi danh sách đối tượng điều tra xã hội học "
                    f"(hạn {date_vn(plan.model.deadline)}).",
                )
            )
            continue
        if len(lists) > 1:
            used, reason = choose_list(lists, pick_set)
            result.decisions.append(
                ListVersion(unit.id, used.file if used else None, tuple(r.file for r in lists if r is not used), reason)
            )
            if used is None:
                outcome.status = "duplicate"
                names = ", ".join(r.file for r in lists)
                for lst in lists:
                    bucket[unit.id].extend(lst.problems)
                    bucket[unit.id].append(
                        Problem(
                            slug="duplicate-list",
                            file=lst.file,
                            department=unit.id,
                            message=f"{unit.name} có {len(lists)} danh sách trong thư mục ({names}); {reason}, nên "
                            "chưa dùng danh sách nào. Đề nghị giữ lại một danh sách đúng (chuyển các tệp còn lại ra "
                            "khỏi thư mục) hoặc chỉ định bằng --pick TÊN_TỆP.",
                        )
                    )
                continue
            lists = [used]
        lst = lists[0]
        bucket[unit.id].extend(lst.problems)
        outcome.used = lst.file
        outcome.sent_date = lst.sent_date
        outcome.status = "ok" if lst.usable else "invalid"
        if lst.usable:
            chosen[unit.id] = lst

    # stage 3: the same person nominated by two units
    used_lists = [chosen[u.id] for u in plan.units if u.id in chosen]
    for problem in _mark_duplicates(used_lists, plan, across_units=True):
        bucket[problem.department or ""].append(problem)

    # stage 4: counts and quotas
    for outcome in result.units:
        unit = outcome.unit
        used = chosen.get(unit.id)
        for group in plan.groups_of(unit):
            count = GroupCount(group=group, quota=unit.quotas[group.id])
            outcome.counts.append(count)
            if used is None:
                continue
            people = [p for p in used.respondents if p.group_id == group.id]
            count.nominated = len(people)
            count.accepted = sum(1 for p in people if p.accepted)
            if count.quota is None:
                count.status = "free"
            elif count.accepted < count.quota:
                count.status = "short"
                bucket[unit.id].append(
                    Problem(
                        slug="quota-not-met",
                        file=used.file,
                        sheet=layout.LIST_SHEETS[group.kind],
                        item=group.id,
                        department=unit.id,
                        message=f"{unit.name}: nhóm “{group.short}” có {count.accepted} người hợp lệ (đã giới thiệu "
                        f"{count.nominated}), chưa đủ số lượng đề nghị {count.quota} người. Đề nghị bổ sung "
                        f"{count.quota - count.accepted} người"
                        + (" hoặc sửa các dòng có lỗi." if count.nominated > count.accepted else "."),
                    )
                )
            elif count.accepted > count.quota:
                count.status = "over"
                bucket[unit.id].append(
                    Problem(
                        slug="quota-exceeded",
                        file=used.file,
                        sheet=layout.LIST_SHEETS[group.kind],
                        item=group.id,
                        department=unit.id,
                        message=f"{unit.name}: nhóm “{group.short}” có {count.accepted} người, vượt số lượng đề nghị "
                        f"{count.quota} người. Đề nghị xem lại và chỉ giữ {count.quota} người.",
                    )
                )
            else:
                count.status = "met"
        result.respondents.extend(p for p in (used.respondents if used else []) if p.accepted and p.group_id)

    result.problems = general + [p for u in plan.units for p in bucket[u.id]]
    for outcome in result.units:
        mine = bucket[outcome.unit.id]
        outcome.errors = sum(1 for p in mine if p.is_error)
        outcome.warnings = len(mine) - outcome.errors
        if outcome.status == "ok" and outcome.errors:
            outcome.status = "invalid"
    return result


# --- the consolidated workbook -------------------------------------------------------------------------


def check_output(plan: ListsPlan, folder: Path, out: Path) -> None:
    """Refuse an output inside the lists folder or over a file that is not a respondents workbook of this campaign.

    :func:`write_respondents` calls it; a command may call it before reading the folder, to fail fast.
    """
    if folder.resolve() in out.resolve().parents:
        raise OutputError(
            f"Tệp kết quả {out} nằm trong thư mục danh sách {folder}; parcli không ghi thêm tệp vào thư mục "
            "đầu vào. Chọn vị trí khác với --out."
        )
    if out.exists():
        _check_existing(out, plan)


def _check_existing(out: Path, plan: ListsPlan) -> None:
    """Refuse to overwrite a file that is not a respondents workbook of this campaign."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(out, read_only=True)
    except Exception as exc:
        raise ConsolidatedError(
            f"Tệp {out} đã tồn tại nhưng không đọc được ({type(exc).__name__}); parcli không ghi đè. Chọn tên "
            "khác với --out hoặc chuyển tệp đó đi."
        ) from exc
    try:
        meta = read_metadata(wb)
    finally:
        wb.close()
    if not meta or meta.get(layout.META_KIND) != layout.KIND_RESPONDENTS:
        raise ConsolidatedError(
            f"Tệp {out} đã tồn tại và không phải danh sách tổng hợp đối tượng điều tra của parcli; parcli không ghi "
            "đè. Chọn tên khác với --out."
        )
    if meta.get(layout.META_CAMPAIGN) != plan.campaign.id:
        raise ConsolidatedError(
            f"Tệp {out} là danh sách tổng hợp của đợt “{meta.get(layout.META_CAMPAIGN)}”, không phải "
            f"“{plan.campaign.id}”; parcli không ghi đè. Chọn tên khác với --out."
        )


def write_respondents(result: ListsMergeResult, out: Path, *, now: datetime | None = None) -> None:
    """Write the consolidated respondents workbook atomically.

    One sheet per group in the plan's order (STT, name, position, agency, e-mail or
    dossier code and procedure, phone, nominating unit), the count sheet (unit ×
    group against the quota) and the problems.  Every text is written as text,
    never as a formula.  Refuses (``OutputError``) to write inside the lists
    folder, and (``ConsolidatedError``) to overwrite a file that is not a
    respondents workbook of the same campaign.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    plan = result.plan
    check_output(plan, result.folder, out)
    stamp = (now or clock.now()).replace(microsecond=0)

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="Times New Roman", size=11)
    bold = Font(name="Times New Roman", size=11, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    center = Alignment(horizontal="center", vertical="top")
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    total_fill = PatternFill("solid", fgColor="F2F2F2")

    def put(ws: Any, r: int, c: int, value: object, *, style: Any = font) -> Any:
        cell = ws.cell(row=r, column=c, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text from lists stays text, never a formula
        cell.font, cell.border, cell.alignment = style, border, wrap
        return cell

    def header(ws: Any, r: int, labels: tuple[str, ...], widths: tuple[float, ...]) -> None:
        for c, label in enumerate(labels, start=1):
            put(ws, r, c, label, style=bold).fill = header_fill
            ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]

    def page(ws: Any, hr: int, ncols: int, last: int) -> None:
        ws.freeze_panes = ws.cell(row=hr + 1, column=3)
        if last > hr:
            ws.auto_filter.ref = f"A{hr}:{get_column_letter(ncols)}{last}"
        ws.print_title_rows = f"{hr}:{hr}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    wb = Workbook()
    first_sheet = wb.active
    assert first_sheet is not None
    wb.remove(first_sheet)
    units = plan.unit_by_id
    when = stamp.strftime("%d/%m/%Y %H:%M")
    for group, people in zip(plan.groups, result.by_group().values(), strict=True):
        ws = wb.create_sheet(group.short)
        labels = layout.RESPONDENT_COLUMNS[group.kind]
        widths = layout.RESPONDENT_WIDTHS[group.kind]
        ws.cell(row=1, column=1, value=f"DANH SÁCH {group.label.upper()}").font = bold
        ws.cell(
            row=2,
            column=1,
            value=f"{plan.model.title}. {len(people)} người; tổng hợp lúc {when} (UTC) bằng parcli {__version__}.",
        ).font = font
        hr = layout.RESPONDENTS_HEADER_ROW
        header(ws, hr, labels, widths)
        for i, person in enumerate(people, start=1):
            r = hr + i
            contact = [person.email or ""] if group.kind == "official" else [person.dossier, person.procedure]
            row_values = [i, person.name, person.position, person.agency, *contact, person.phone or ""]
            row_values.append(units[person.unit_id].name)
            for c, value in enumerate(row_values, start=1):
                put(ws, r, c, value if value != "" else None)
            ws.cell(row=r, column=1).alignment = center
            fit_row_height(ws, r, dict(enumerate(widths, start=1)))
        page(ws, hr, len(labels), hr + len(people))

    counts = wb.create_sheet(layout.SHEET_COUNTS)
    counts.cell(row=1, column=1, value="SỐ LƯỢNG ĐỐI TƯỢNG THEO ĐƠN VỊ VÀ NHÓM").font = bold
    counts.cell(row=2, column=1, value=f"{plan.model.title}. Tổng hợp lúc {when} (UTC).").font = font
    hr = layout.RESPONDENTS_HEADER_ROW
    header(counts, hr, layout.COUNT_HEADERS, layout.COUNT_WIDTHS)
    r = hr
    for outcome in result.units:
        for count in outcome.counts:
            r += 1
            files = outcome.used or ", ".join(outcome.files)
            for c, value in enumerate(
                [
                    outcome.unit.name,
                    outcome.unit.id,
                    STATUS_LABELS[outcome.status],
                    count.group.short,
                    count.quota,
                    count.nominated if outcome.used else None,
                    count.accepted if outcome.used else None,
                    count.label,
                    files or None,
                ],
                start=1,
            ):
                put(counts, r, c, value)
    for group in plan.groups:
        r += 1
        rows = [c for u in result.units for c in u.counts if c.group.id == group.id]
        quotas = [c.quota for c in rows]
        total_quota = sum(q for q in quotas if q is not None) if all(q is not None for q in quotas) else None
        for c, value in enumerate(
            [
                "Cộng",
                None,
                None,
                group.short,
                total_quota,
                sum(c.nominated for c in rows),
                sum(c.accepted for c in rows),
                None,
                None,
            ],
            start=1,
        ):
            put(counts, r, c, value, style=bold).fill = total_fill
    page(counts, hr, len(layout.COUNT_HEADERS), r)

    problems = wb.create_sheet(layout.SHEET_PROBLEMS)
    header(problems, 1, layout.PROBLEM_HEADERS, (10, 22, 30, 28, 18, 8, 20, 90))
    for r, p in enumerate(result.problems, start=2):
        unit = units.get(p.department or "")
        for c, value in enumerate(
            [
                "Lỗi" if p.is_error else "Cảnh báo",
                p.slug,
                unit.name if unit else "",
                p.file or "",
                p.sheet or "",
                p.cell or "",
                p.item or "",
                p.message,
            ],
            start=1,
        ):
            put(problems, r, c, value if value != "" else None)
    problems.freeze_panes = "A2"
    if result.problems:
        problems.auto_filter.ref = f"A1:{get_column_letter(len(layout.PROBLEM_HEADERS))}{len(result.problems) + 1}"

    meta = wb.create_sheet(layout.SHEET_META)
    values = {
        layout.META_KIND: layout.KIND_RESPONDENTS,
        layout.META_LAYOUT: layout.LIST_LAYOUT_VERSION,
        layout.META_TOOL_VERSION: __version__,
        layout.META_CAMPAIGN: plan.campaign.id,
        layout.META_LISTS_HASH: plan.content_hash,
        layout.META_GENERATED_AT: stamp.isoformat(),
    }
    for i, (key, value) in enumerate(values.items(), start=1):
        meta.cell(row=i, column=1, value=key)
        meta.cell(row=i, column=2, value=value).data_type = "s"
    meta.sheet_state = "hidden"
    wb.active = 0
    wb.properties.creator = f"parcli {__version__}"
    wb.properties.title = plan.model.title
    with atomic_path(out) as tmp:
        wb.save(tmp)


__all__ = [
    "LISTS_SCHEMA",
    "GenerateListsResult",
    "ListResult",
    "ListsMergeResult",
    "ListsPlan",
    "Respondent",
    "check_email",
    "check_output",
    "generate_lists",
    "load_lists_plan",
    "merge_lists",
    "normalise_phone",
    "read_list",
    "tidy_name",
    "write_respondents",
]
