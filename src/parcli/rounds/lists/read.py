"""Reading one returned survey list: values plus problems, never an exception.

The unit is recognised from the hidden metadata sheet (not the file name); each
sheet's header is found by its labels; every filled row is checked (required
fields, group allowed for the unit, e-mail and official domain, phone) and
becomes a :class:`Respondent`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.collect.form import Identity, check_identity, open_form, require_sheets
from parcli.collect.rows import Row, TableRows, blank, read_table
from parcli.config.lists_plan import GroupKind, ListsPlan, NominatingUnit, RespondentGroup
from parcli.problems import ProblemCollector
from parcli.rounds.lists import layout
from parcli.rounds.lists.checks import (
    PRIVATE_MAIL,
    check_email,
    is_official,
    mark_duplicates,
    normalise_phone,
    tidy_name,
)
from parcli.rounds.lists.layout import FIELD_NAMES
from parcli.rounds.lists.records import ListResult, Respondent
from parcli.secret import Unlock
from parcli.xlsx.open import looks_legacy, read_labelled_date, read_metadata

if TYPE_CHECKING:
    from parcli.secret import Password

# Fields a row must have, by the kind of its group.  Officials are surveyed online through the
# official e-mail the Ministry writes to (plan III.4.c); citizens are met in person by the post
# office (plan III.5), so their dossier, procedure and phone identify and reach them.
REQUIRED: dict[str, tuple[str, ...]] = {
    "official": ("name", "position", "agency", "group", "email"),
    "citizen": ("name", "group", "dossier", "procedure", "phone"),
}
_LEGACY_FIELDS = ("name", "position", "agency", "procedure")  # free text, where a legacy encoding shows
# A message never quotes what identifies or reaches a person (name, e-mail, phone, dossier code): it names
# the cell instead.  Messages go to the terminal, the JSON and the problems sheet, and back to the units.
PERSONAL_FIELDS = frozenset({"name", "email", "phone", "dossier"})
_LIST_SHEETS = (layout.LIST_SHEET_OFFICIALS, layout.LIST_SHEET_CITIZENS, layout.SHEET_COVER, layout.SHEET_META)


def read_list(path: Path, plan: ListsPlan, password: Password | None = None) -> ListResult:
    """Read and check one returned list against the plan; never raises for bad data.

    A list the unit saved encrypted with an opening password is read with ``password``
    (none, or another: a problem on that file, ``encrypted-workbook`` or ``wrong-password``).

    The unit is recognised from the hidden metadata sheet (not the file name);
    every filled row is checked (required fields, group allowed for the unit,
    e-mail and official domain, phone); the same person twice in the list is
    reported at the second row, naming the first.  Quotas and duplicates across
    units are :func:`merge_lists`' business.
    """
    result = ListResult(path=path)
    if not open_form(
        result,
        lambda wb, add: _read_list_workbook(wb, plan, result, add),
        fast_sheets=_LIST_SHEETS,
        noun="danh sách",
        unlock=Unlock(password),
    ):
        result.usable = False
        result.respondents.clear()
    if result.usable:
        result.problems.extend(mark_duplicates([result], plan, across_units=False))
    return result


# What the hidden metadata of a survey list must say (a scoring return sent here is named as such).
IDENTITY = Identity(
    layout.KIND_SURVEY_LIST,
    layout.LIST_LAYOUT_VERSION,
    "danh sách đối tượng điều tra xã hội học",
    "Đề nghị điền vào tệp danh sách đã được phát hành cho đợt này (không sao chép sang tệp mới).",
    owner_key=layout.META_UNIT,
    others=((layout.KIND_RETURN, "phiếu chấm điểm Chỉ số CCHC"),),
)


def _read_list_workbook(wb: Any, plan: ListsPlan, result: ListResult, add: ProblemCollector) -> None:
    meta = read_metadata(wb, layout.SHEET_META, len(layout.LIST_META_KEYS) + 5)
    if not check_identity(meta, IDENTITY, plan.campaign, add):
        return
    result.metadata = meta
    unit = plan.unit_by_id.get(meta.get(layout.META_UNIT, ""))
    if unit is None:
        add.add(
            "unknown-department",
            f"Đơn vị “{meta.get(layout.META_UNIT)}” ghi trong danh sách không có trong kế hoạch ({plan.path.name}). "
            "Đề nghị dùng tệp danh sách đã được phát hành cho đơn vị.",
        )
        return
    result.owner_id = unit.id
    add.department = unit.id
    result.usable = True
    result.sent_date = read_labelled_date(wb, layout.SHEET_COVER, layout.label_key, layout.COVER_SENT)
    for kind in plan.kinds_of(unit):
        table = layout.LIST_TABLES[kind]
        if require_sheets(wb, (table.sheet,), add, table.resend):
            _read_sheet(wb[table.sheet], plan, unit, kind, result, add)


def _read_sheet(
    ws: Any, plan: ListsPlan, unit: NominatingUnit, kind: GroupKind, result: ListResult, add: ProblemCollector
) -> None:
    """Find the header, check every filled row, then the sheet-wide warnings."""
    limit = layout.HEADER_SEARCH_ROWS + layout.LIST_MAX_ROWS
    table = read_table(ws, layout.LIST_TABLES[kind], add, max_rows=limit)
    if table is None:
        return
    checker = _RowChecker(plan, unit, kind, result)
    for row in table:
        result.respondents.append(checker.check(row))
    table.report_normalised()
    if checker.recased:
        cells = [cell for cell, _typed, _written in checker.recased]
        shown = ", ".join(cells[:5]) + (" …" if len(cells) > 5 else "")
        table.problem(
            "name-recased",
            f"{len(cells)} họ tên được viết toàn chữ hoa hoặc toàn chữ thường, đã được viết hoa chữ cái đầu mỗi từ "
            f"(ô {shown}). Đề nghị kiểm tra lại nếu có tên viết khác thường.",
            cell=cells[0],
        )
    try:
        max_row = ws.max_row or 0
    except Exception:  # a damaged dimension; the rows themselves were read
        max_row = 0
    if max_row > limit:
        _refuse_beyond(ws, limit, max_row, len(table.table.columns) + 3, table)


def _refuse_beyond(ws: Any, limit: int, max_row: int, width: int, table: TableRows) -> None:
    """A row typed below the rows parcli reads is an error naming the limit, never a silent cut."""
    most = f"{layout.LIST_MAX_ROWS:_}".replace("_", ".")
    for number, row in enumerate(ws.iter_rows(min_row=limit + 1, max_row=max_row, max_col=width), start=limit + 1):
        if any(not blank(getattr(c, "value", None)) for c in row):
            table.problem(
                "list-too-long",
                f"Danh sách có nội dung đến dòng {number} (và có thể xa hơn); chỉ đọc tối đa {most} dòng dưới "
                f"dòng tiêu đề (đến dòng {limit}). Đề nghị chia danh sách thành nhiều tệp hoặc xóa nội dung thừa.",
                cell=f"A{number}",
            )
            return


class _RowChecker:
    """Checks the filled rows of one sheet; collects the re-cased names for one sheet-wide warning."""

    def __init__(self, plan: ListsPlan, unit: NominatingUnit, kind: GroupKind, result: ListResult) -> None:
        self.plan = plan
        self.unit = unit
        self.kind = kind
        self.fields = layout.LIST_FIELDS[kind]
        self.sheet = layout.LIST_SHEETS[kind]
        self.groups = plan.groups_of(unit, kind)
        self.result = result
        self.recased: list[tuple[str, str, str]] = []  # (cell, as typed, as written)

    def check(self, row: Row) -> Respondent:
        """Check one filled row; return the respondent, accepted when the row has no error."""
        before = len(self.result.problems)
        texts, formulas = self._texts(row)
        refs = {f: row.ref(f) or "" for f in self.fields}
        name, changed = tidy_name(texts["name"])
        if changed:
            self.recased.append((refs["name"], texts["name"], name))
        who = f"Dòng {row.number}"  # never the name: see PERSONAL_FIELDS
        group = self._group(row, who, texts["group"], "group" in formulas)
        group_id = group.id if group else None
        for f in REQUIRED[self.kind]:
            if f == "group" and (group is not None or texts["group"]):
                continue  # a group that is there but wrong was reported as such
            if not texts.get(f) and f not in formulas:
                self._missing(row, who, f, group_id)
        email = self._email(row, who, texts["email"], group_id) if texts.get("email") else None
        phone = self._phone(row, who, texts["phone"], group_id) if texts["phone"] else None
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
            row=row.number,
            cells=refs,
            accepted=not any(p.is_error for p in self.result.problems[before:]),
        )

    def _texts(self, row: Row) -> tuple[dict[str, str], set[str]]:
        """Every cell as NFC text with single spaces; formulas reported and left empty."""
        texts: dict[str, str] = {}
        formulas: set[str] = set()
        for f in self.fields:
            if row.is_formula(f):
                formula = "" if f in PERSONAL_FIELDS else f" {row.value(f)}"
                row.problem(
                    "formula-in-cell",
                    f"Dòng {row.number}: ô {FIELD_NAMES[f]} chứa công thức{formula}; đề nghị nhập trực tiếp "
                    "nội dung (hoặc dán dạng giá trị).",
                    f,
                )
                texts[f] = ""
                formulas.add(f)
                continue
            texts[f] = row.typed(f, prefix=f"Dòng {row.number}, {FIELD_NAMES[f]}: ")
            if f in _LEGACY_FIELDS and texts[f] and looks_legacy(texts[f]):
                quoted = "" if f in PERSONAL_FIELDS else f" “{texts[f]}”"
                row.problem(
                    "legacy-encoding",
                    f"Dòng {row.number}: {FIELD_NAMES[f]}{quoted} có vẻ được gõ bằng bảng mã cũ (TCVN3/VNI) nên "
                    "hiển thị sai dấu. Đề nghị chuyển sang Unicode (ví dụ bằng Unikey) và gửi lại.",
                    f,
                )
        return texts, formulas

    def _group(self, row: Row, who: str, text: str, formula: bool) -> RespondentGroup | None:
        """The row's group; an empty cell on a sheet with a single group means that group."""
        if not text:
            return self.groups[0] if len(self.groups) == 1 and not formula else None
        found = self.plan.group_for_text(text)
        unit = self.unit
        if found is None:
            row.problem(
                "group-unknown",
                f"{who}: nhóm đối tượng “{text}” không có trong danh sách. Đề nghị chọn trong danh sách thả xuống: "
                f"{'; '.join(g.short for g in self.groups)}.",
                "group",
            )
        elif found.id not in unit.quotas:
            allowed = "; ".join(f"“{g.short}”" for g in self.plan.groups_of(unit))
            row.problem(
                "group-not-allowed",
                f"{who}: {unit.name} không thuộc diện giới thiệu nhóm “{found.short}”. Các nhóm {unit.name} được "
                f"giới thiệu: {allowed}. Đề nghị xóa dòng này hoặc chọn lại nhóm.",
                "group",
                item=found.id,
            )
        elif found.kind != self.kind:
            row.problem(
                "group-not-allowed",
                f"{who}: nhóm “{found.short}” được ghi ở trang tính “{layout.LIST_SHEETS[found.kind]}”, không phải "
                f"trang tính “{self.sheet}”. Đề nghị chuyển người này sang đúng trang tính.",
                "group",
                item=found.id,
            )
        else:
            return found
        return None

    def _missing(self, row: Row, who: str, fieldname: str, group_id: str | None) -> None:
        """A required field left empty (a group left empty on a sheet of several groups)."""
        why = ""
        if fieldname == "email":
            why = (
                "; công chức tham gia khảo sát trực tuyến phải dùng thư điện tử công vụ để nhận thư hướng dẫn "
                "của Bộ Nội vụ"
            )
        elif fieldname == "group":
            why = f" (chọn: {'; '.join(g.short for g in self.groups)})"
        row.problem(
            "respondent-field-missing",
            f"{who}: chưa ghi {FIELD_NAMES[fieldname]}{why}. Đề nghị bổ sung.",
            fieldname,
            item=group_id,
        )

    def _email(self, row: Row, who: str, text: str, group_id: str | None) -> str | None:
        """The address in lower case when valid and official; otherwise None and a problem."""
        plan = self.plan
        email, reason = check_email(text)
        if email is None:
            row.problem(
                "email-invalid",
                f"{who}: email không hợp lệ ({reason}). Đề nghị ghi đúng một địa chỉ thư điện tử công vụ, "
                f"ví dụ nguyenvanan@{plan.primary_domain}.",
                "email",
                item=group_id,
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
        row.problem(
            "email-not-official",
            f"{who}: email ở tên miền @{domain} {what}, không phải thư điện tử công vụ. Công chức tham gia khảo sát "
            "trực tuyến phải "
            f"dùng thư điện tử công vụ ({plan.domain_hint()}) để nhận thư hướng dẫn khảo sát của Bộ Nội vụ. Đề nghị "
            "thay bằng địa chỉ công vụ.",
            "email",
            item=group_id,
        )
        return None

    def _phone(self, row: Row, who: str, text: str, group_id: str | None) -> str | None:
        """The national digits when valid; a number cell is read from its number (it lost the leading 0)."""
        raw = row.value("phone")
        phone, reason = normalise_phone(raw if isinstance(raw, int | float) else text)
        if phone is None:
            row.problem(
                "phone-invalid",
                f"{who}: số điện thoại không hợp lệ ({reason}). Số di động gồm 10 chữ số (ví dụ 0912 345 "
                "678), số cố định bắt đầu bằng 02 (ví dụ 0221 3xxx xxx). Đề nghị sửa lại số điện thoại.",
                "phone",
                item=group_id,
            )
        return phone
