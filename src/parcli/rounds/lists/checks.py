"""The row-independent rules of the survey lists: e-mail, phone and name checks, duplicates, quotas.

* :func:`check_email`, :func:`is_official`, :func:`normalise_phone`, :func:`tidy_name`
  check and normalise one value (the reader calls them for every row);
* :func:`mark_duplicates` finds a person nominated twice, within a list or by two units;
* :func:`count_quotas` counts a unit's accepted respondents per group against its quota.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from parcli.config.lists_plan import ListsPlan, NominatingUnit, RespondentGroup
from parcli.problems import Problem
from parcli.rounds.lists import layout
from parcli.rounds.lists.layout import nfc

if TYPE_CHECKING:
    from parcli.rounds.lists.records import ListResult, Respondent

QuotaStatus = Literal["met", "short", "over", "free", "none"]

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


def mark_duplicates(lists: list[ListResult], plan: ListsPlan, *, across_units: bool) -> list[Problem]:
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
                message = (  # the places, never the person's name or the value itself
                    f"Một người được giới thiệu hai lần (trùng {what}): {where}. Mỗi người chỉ được giới thiệu một "
                    f"lần; đề nghị giữ lại ở một nơi (nếu là hai người khác nhau, ghi {what} riêng của từng người)."
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

# --- quotas ------------------------------------------------------------------------------------------


@dataclass
class GroupCount:
    """A unit's count for one group against its quota."""

    group: RespondentGroup
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


def count_quotas(
    plan: ListsPlan, unit: NominatingUnit, used: ListResult | None
) -> tuple[list[GroupCount], list[Problem]]:
    """A unit's count per group against its quota (nothing counted without a usable list), and the problems."""
    counts: list[GroupCount] = []
    problems: list[Problem] = []
    for group in plan.groups_of(unit):
        count = GroupCount(group=group, quota=unit.quotas[group.id])
        counts.append(count)
        if used is None:
            continue
        people = [p for p in used.respondents if p.group_id == group.id]
        count.nominated = len(people)
        count.accepted = sum(1 for p in people if p.accepted)
        if count.quota is None:
            count.status = "free"
        elif count.accepted < count.quota:
            count.status = "short"
            problems.append(
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
            problems.append(
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
    return counts, problems
