"""Starting points for ``parcli init``: the departments after the 2025 reorganisation, a year's dates, survey groups.

Nothing here is official.  Each value is a proposal the province checks against its own decisions; the
files ``parcli init`` writes say so, and the forms say so until the campaign marks a part reviewed.

Sources of the facts used (see the project's domain notes):

- the departments: Nghị định 45/2025/NĐ-CP, then Nghị định 150/2025/NĐ-CP — from 1/3/2025 Tài chính + Kế hoạch
  và Đầu tư → Sở Tài chính; Xây dựng + Giao thông vận tải → Sở Xây dựng; Khoa học và Công nghệ + Thông tin và
  Truyền thông → Sở Khoa học và Công nghệ; Nông nghiệp và PTNT + Tài nguyên và Môi trường → Sở Nông nghiệp và
  Môi trường; Nội vụ + Lao động - Thương binh và Xã hội → Sở Nội vụ; twelve departments in every province, at
  most fourteen (Sở Ngoại vụ, Sở Dân tộc và Tôn giáo where a province has them);
- no district level from 1/7/2025 (Luật Tổ chức chính quyền địa phương số 72/2025/QH15): the survey's groups
  name commune leaders instead of district leaders (Hà Nội's 2025 plan);
- the dates: the pattern of the Hưng Yên 2023 plan (returns before 15 January of the next year, the report
  by the 19th, the Ministry's software by the 25th) and its preliminary 9-month round — moved to the year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

REORGANISED_FROM: Final = 2025
"""The first assessment year whose departments are those after the 2025 reorganisation."""


@dataclass(frozen=True)
class DepartmentPreset:
    """A provincial department after the reorganisation and the appendices of the 2023 example it takes over."""

    id: str
    name: str
    merged_from: tuple[str, ...]  # ids of departments of the bundled 2023 example whose items it takes over
    optional: bool = False  # only where the province has it (Sở Ngoại vụ, Sở Dân tộc và Tôn giáo)


DEPARTMENTS: Final[tuple[DepartmentPreset, ...]] = (
    DepartmentPreset("so-noi-vu", "Sở Nội vụ", ("so-noi-vu", "so-ld-tb-xh")),
    DepartmentPreset("van-phong-ubnd", "Văn phòng UBND tỉnh", ("van-phong-ubnd",)),
    DepartmentPreset("so-tu-phap", "Sở Tư pháp", ("so-tu-phap",)),
    DepartmentPreset("so-tai-chinh", "Sở Tài chính", ("so-tai-chinh", "so-kh-dt")),
    DepartmentPreset("so-kh-cn", "Sở Khoa học và Công nghệ", ("so-tt-tt", "so-kh-cn")),
    DepartmentPreset("so-nn-mt", "Sở Nông nghiệp và Môi trường", ("so-tn-mt", "so-nn-ptnt")),
    DepartmentPreset("so-vh-tt-dl", "Sở Văn hóa, Thể thao và Du lịch", ("so-vh-tt-dl",)),
    DepartmentPreset("so-y-te", "Sở Y tế", ("so-y-te",)),
    DepartmentPreset("so-xay-dung", "Sở Xây dựng", ("so-xay-dung", "so-gtvt")),
    DepartmentPreset("so-cong-thuong", "Sở Công Thương", ("so-cong-thuong",)),
    DepartmentPreset("so-gd-dt", "Sở Giáo dục và Đào tạo", ("so-gd-dt",)),
    DepartmentPreset("thanh-tra", "Thanh tra tỉnh", ("thanh-tra",)),
    DepartmentPreset("so-ngoai-vu", "Sở Ngoại vụ", (), optional=True),
    DepartmentPreset("so-dan-toc-ton-giao", "Sở Dân tộc và Tôn giáo", (), optional=True),
)
"""The twelve departments every province has, then the two a province may have, in appendix order."""

OPTIONAL_IDS: Final[tuple[str, ...]] = tuple(d.id for d in DEPARTMENTS if d.optional)

# Names in the provisional texts of the bundled catalogues that the reorganisation changed; the copies
# `parcli init` writes for a year from 2025 on use the new ones.
RENAMED: Final[tuple[tuple[str, str], ...]] = (
    ("Sở Giao thông vận tải", "Sở Xây dựng"),
    ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
    ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
    ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường"),
    ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"),
    ("Ủy ban nhân dân cấp huyện", "Ủy ban nhân dân cấp xã"),
    ("giữa cấp tỉnh và cấp huyện", "giữa cấp tỉnh và cấp xã"),
)


def departments(optional: tuple[str, ...] = ()) -> list[DepartmentPreset]:
    """The twelve departments, then the optional ones asked for (in preset order).

    Raises ValueError naming an id that is not an optional department.
    """
    unknown = [d for d in optional if d not in OPTIONAL_IDS]
    if unknown:
        raise ValueError(", ".join(unknown))
    return [d for d in DEPARTMENTS if not d.optional or d.id in optional]


ROMAN: Final = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV")


# --- dates ----------------------------------------------------------------------------------------


def working_day(day: date) -> date:
    """The day itself, or the Monday after when it falls on a Saturday or a Sunday (public holidays not known)."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


@dataclass(frozen=True)
class RoundDates:
    """A proposed round of a year: id, title and deadlines."""

    id: str
    title: str
    returns: date
    report: date
    ministry: date | None = None


def proposed_rounds(year: int) -> tuple[RoundDates, RoundDates]:
    """The preliminary 9-month round and the year-end round of ``year``, with dates moved off weekends."""
    return (
        RoundDates(
            "so-bo-9-thang",
            f"Đánh giá sơ bộ 9 tháng đầu năm {year}",
            working_day(date(year, 10, 10)),
            working_day(date(year, 10, 20)),
        ),
        RoundDates(
            "ca-nam",
            f"Tự đánh giá cả năm {year}",
            working_day(date(year + 1, 1, 15)),
            working_day(date(year + 1, 1, 19)),
            working_day(date(year + 1, 1, 25)),
        ),
    )


def survey_deadline(year: int) -> date:
    """A proposed deadline for the survey respondent lists of ``year`` (early January of the next year)."""
    return working_day(date(year + 1, 1, 5))


# --- the survey's groups after 2025 ----------------------------------------------------------------


@dataclass(frozen=True)
class SurveyGroup:
    """A respondent group of the survey lists plan."""

    id: str
    label: str
    short: str
    kind: str  # official | citizen


SURVEY_GROUPS: Final[tuple[SurveyGroup, ...]] = (
    SurveyGroup("dai-bieu-hdnd", "Đại biểu Hội đồng nhân dân tỉnh", "Đại biểu HĐND tỉnh", "official"),
    SurveyGroup(
        "lanh-dao-so", "Lãnh đạo các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh", "Lãnh đạo sở, ngành", "official"
    ),
    SurveyGroup(
        "lanh-dao-don-vi",
        "Lãnh đạo đơn vị thuộc, trực thuộc cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh",
        "Lãnh đạo đơn vị thuộc sở",
        "official",
    ),
    SurveyGroup("lanh-dao-ubnd-xa", "Lãnh đạo Ủy ban nhân dân xã, phường", "Lãnh đạo UBND cấp xã", "official"),
    SurveyGroup(
        "lanh-dao-phong-xa",
        "Lãnh đạo các phòng chuyên môn thuộc Ủy ban nhân dân xã, phường",
        "Lãnh đạo phòng thuộc UBND xã",
        "official",
    ),
    SurveyGroup(
        "nguoi-dan-doanh-nghiep",
        "Người dân, doanh nghiệp có giao dịch hồ sơ thủ tục hành chính với cơ quan hành chính nhà nước tỉnh trong "
        "năm đánh giá",
        "Người dân, doanh nghiệp",
        "citizen",
    ),
)

# Example quotas (people per group) by kind of nominating unit; the province sets its own.
DEPARTMENT_QUOTAS: Final[dict[str, int | None]] = {"lanh-dao-so": 3, "lanh-dao-don-vi": 5, "nguoi-dan-doanh-nghiep": 10}
COMMUNE_QUOTAS: Final[dict[str, int | None]] = {
    "lanh-dao-ubnd-xa": 2,
    "lanh-dao-phong-xa": 3,
    "nguoi-dan-doanh-nghiep": 10,
}


# --- names ----------------------------------------------------------------------------------------


def ascii_fold(text: str) -> str:
    """Vietnamese without tone marks, lower case: “Hưng Yên” → “hung yen”."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).casefold()).replace("đ", "d")
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def slug(text: str) -> str:
    """An id for names: “Hưng Yên” → “hung-yen” (a-z, 0-9 and -)."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text)).strip("-")


def mail_domain(province: str) -> str:
    """The usual official mail domain of a province: “Hưng Yên” → “hungyen.gov.vn” (an example to check)."""
    return slug(province).replace("-", "") + ".gov.vn"


__all__ = [
    "COMMUNE_QUOTAS",
    "DEPARTMENTS",
    "DEPARTMENT_QUOTAS",
    "OPTIONAL_IDS",
    "RENAMED",
    "REORGANISED_FROM",
    "ROMAN",
    "SURVEY_GROUPS",
    "DepartmentPreset",
    "RoundDates",
    "SurveyGroup",
    "ascii_fold",
    "departments",
    "mail_domain",
    "proposed_rounds",
    "slug",
    "survey_deadline",
    "working_day",
]
