"""The one place that knows how the survey list workbook and the respondents workbook are laid out.

The issuer (:mod:`.issue`), the reader (:mod:`.read`) and the consolidated writer
(:mod:`.write`) take every sheet name, header label, column and metadata key from here.
"""

from __future__ import annotations

# The conventions every parcli form shares (cover sheet and its "Ngày gửi", hidden metadata
# sheet and its common keys, the kinds of parcli workbooks, header search, the problems
# sheet), re-exported so the list round reads every name from its own layout.
from parcli.collect.layout import (
    COVER_INPUT_LABELS,
    COVER_SENT,
    HEADER_FILES,
    HEADER_SEARCH_ROWS,
    KIND_RESPONDENTS,
    KIND_RETURN,
    KIND_SURVEY_LIST,
    META_CAMPAIGN,
    META_GENERATED_AT,
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    PROBLEM_HEADERS,
    SHEET_COVER,
    SHEET_META,
    SHEET_PROBLEMS,
    find_header,
    fit_row_height,
    label_key,
    nfc,
    sheet_ref,
)
from parcli.collect.rows import Column, Table
from parcli.labels import status_labels

# The list workbook a unit (department, district People's Committee) fills with the people it
# nominates for the Ministry's sociological survey, and the consolidated respondents workbook.
# Both take every sheet name, header label and metadata key from here.
LIST_LAYOUT_VERSION = "1"

# One input sheet per kind of respondent group ("official": reached by official e-mail;
# "citizen": dossier code and procedure instead of an e-mail).
LIST_SHEET_OFFICIALS = "Đại biểu, lãnh đạo"
LIST_SHEET_CITIZENS = "Người dân, doanh nghiệp"
LIST_SHEETS: dict[str, str] = {"official": LIST_SHEET_OFFICIALS, "citizen": LIST_SHEET_CITIZENS}

LIST_HEADER_NO = "STT"
LIST_HEADER_NAME = "Họ và tên"
LIST_HEADER_POSITION = "Chức vụ"
LIST_HEADER_AGENCY = "Cơ quan/đơn vị"
LIST_HEADER_GROUP = "Nhóm đối tượng"
LIST_HEADER_EMAIL = "Email công vụ"
LIST_HEADER_PHONE = "Số điện thoại"
LIST_HEADER_DOSSIER = "Mã hồ sơ"
LIST_HEADER_PROCEDURE = "Thủ tục hành chính"
LIST_HEADER_NOMINATED_BY = "Đơn vị giới thiệu"

# Every input column of a list sheet: its key, header label, width and what it holds in messages
# ("Dòng 12: chưa ghi email công vụ").
LIST_COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        Column("name", LIST_HEADER_NAME, required=True, input=True, width=26, noun="họ và tên"),
        Column("position", LIST_HEADER_POSITION, required=True, input=True, width=24, noun="chức vụ"),
        Column("agency", LIST_HEADER_AGENCY, required=True, input=True, width=34, noun="cơ quan/đơn vị"),
        Column("group", LIST_HEADER_GROUP, "choice", required=True, input=True, width=28, noun="nhóm đối tượng"),
        Column("email", LIST_HEADER_EMAIL, required=True, input=True, width=32, noun="email công vụ"),
        Column("phone", LIST_HEADER_PHONE, required=True, input=True, width=16, noun="số điện thoại"),
        Column("dossier", LIST_HEADER_DOSSIER, required=True, input=True, width=28, noun="mã hồ sơ"),
        Column("procedure", LIST_HEADER_PROCEDURE, required=True, input=True, width=40, noun="tên thủ tục hành chính"),
    )
}
LIST_FIELD_HEADERS: dict[str, str] = {key: c.label for key, c in LIST_COLUMNS.items()}
LIST_FIELD_WIDTHS: dict[str, float] = {key: c.width for key, c in LIST_COLUMNS.items()}
FIELD_NAMES: dict[str, str] = {key: c.noun for key, c in LIST_COLUMNS.items()}
# input columns of each sheet, in order (column A is the locked row number, STT)
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "official": ("name", "position", "agency", "group", "email", "phone"),
    "citizen": ("name", "position", "agency", "group", "dossier", "procedure", "phone"),
}
LIST_NO_WIDTH = 6
LIST_HEADER_ROW = 5  # where generate puts the header; the reader searches for it
LIST_MAX_ROWS = 100_000  # rows read below the header at most; a list longer than that is refused (list-too-long)


def _list_table(kind: str) -> Table:
    """The table of a list sheet: the row number (STT), then the sheet's input columns."""
    fields = LIST_FIELDS[kind]
    named = ", ".join(f"“{LIST_FIELD_HEADERS[f]}”" for f in fields)
    return Table(
        LIST_SHEETS[kind],
        (Column("no", LIST_HEADER_NO, "number", width=LIST_NO_WIDTH), *(LIST_COLUMNS[f] for f in fields)),
        LIST_HEADER_ROW,
        f"có đủ các cột {named}",
        "Đề nghị điền lại vào tệp danh sách đã được phát hành.",
        row_key=fields,
        spaces="words",  # one line per value: a name, an address, a phone number
        whole_numbers=True,  # a phone number or a dossier code typed as a number
    )


LIST_TABLES: dict[str, Table] = {kind: _list_table(kind) for kind in LIST_FIELDS}

# The hidden metadata sheet of a list workbook (SHEET_META): keys in column A, values in column B.
META_UNIT = "unit_id"
META_UNIT_NAME = "unit_name"
META_LISTS_HASH = "survey_lists_hash"
META_GROUPS = "groups"
LIST_META_KEYS = (
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    META_CAMPAIGN,
    META_LISTS_HASH,
    META_UNIT,
    META_UNIT_NAME,
    META_GROUPS,
    META_GENERATED_AT,
)
LIST_META_CHOICES_ROW = 31  # drop-down lists: sheet kind in A, group labels from B, one row per kind

# The consolidated respondents workbook written by ``parcli survey merge``: one sheet per group
# (named by the group's short label), then the counts and the problems (SHEET_PROBLEMS).
SHEET_COUNTS = "Số lượng"
RESPONDENTS_HEADER_ROW = 4
# The fields handed on, by kind of group: only what the Ministry's survey uses to reach a person
# (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15: data limited to the purpose).  Officials answer online,
# at the official e-mail the Ministry writes to (plan III.4.c): name, position and agency say who they
# are and which group of the sample they stand for; their phone, optional on the list, is not handed on.
# Citizens and businesses are met by the post office (plan III.5): name, organisation (a business
# answers as one), the dossier code and procedure the questions are about, and the phone to arrange the
# visit; a citizen's position is not part of the survey.  The lists still hold what the units typed.
RESPONDENT_FIELDS: dict[str, tuple[str, ...]] = {
    "official": ("name", "position", "agency", "email"),
    "citizen": ("name", "agency", "dossier", "procedure", "phone"),
}
RESPONDENT_COLUMNS: dict[str, tuple[str, ...]] = {
    kind: (LIST_HEADER_NO, *(LIST_FIELD_HEADERS[f] for f in fields), LIST_HEADER_NOMINATED_BY)
    for kind, fields in RESPONDENT_FIELDS.items()
}
RESPONDENT_WIDTHS: dict[str, tuple[float, ...]] = {
    "official": (6, 26, 26, 34, 32, 30),
    "citizen": (6, 26, 30, 28, 40, 15, 30),
}
HEADER_UNIT = "Đơn vị"
HEADER_UNIT_ID = "Mã đơn vị"
HEADER_LIST_STATUS = "Tình trạng danh sách"
HEADER_QUOTA = "Số lượng đề nghị"
HEADER_NOMINATED = "Số người được giới thiệu"
HEADER_ACCEPTED = "Số người hợp lệ"
HEADER_QUOTA_STATUS = "Đối chiếu số lượng"
COUNT_HEADERS: tuple[str, ...] = (
    HEADER_UNIT,
    HEADER_UNIT_ID,
    HEADER_LIST_STATUS,
    LIST_HEADER_GROUP,
    HEADER_QUOTA,
    HEADER_NOMINATED,
    HEADER_ACCEPTED,
    HEADER_QUOTA_STATUS,
    HEADER_FILES,
)
COUNT_WIDTHS = (34, 18, 16, 30, 12, 14, 12, 22, 36)

__all__ = [
    "COVER_INPUT_LABELS",
    "COVER_SENT",
    "HEADER_FILES",
    "HEADER_SEARCH_ROWS",
    "KIND_RESPONDENTS",
    "KIND_RETURN",
    "KIND_SURVEY_LIST",
    "META_CAMPAIGN",
    "META_GENERATED_AT",
    "META_KIND",
    "META_LAYOUT",
    "META_TOOL_VERSION",
    "PROBLEM_HEADERS",
    "SHEET_COVER",
    "SHEET_META",
    "SHEET_PROBLEMS",
    "find_header",
    "fit_row_height",
    "label_key",
    "nfc",
    "sheet_ref",
]

# The words of the collection engine's messages and labels for this form kind.
DOCUMENT = "danh sách"
OWNER_NOUN = "đơn vị"
STATUS_LABELS = status_labels(DOCUMENT)  # "duplicate": "Trùng danh sách"
