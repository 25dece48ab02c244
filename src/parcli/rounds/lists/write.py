"""The consolidated respondents workbook: one sheet per group, the counts unit × group, the problems.

Written by the table writer of every consolidated output (:mod:`parcli.xlsx.table`), encrypted when a
password is given (it holds personal data: names, e-mail addresses, phone numbers).  Only the fields the
Ministry's survey needs are handed on (:data:`parcli.rounds.lists.layout.RESPONDENT_FIELDS`).
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from types import EllipsisType
from typing import TYPE_CHECKING

from parcli import __version__, clock
from parcli.errors import ConsolidatedError, OutputError
from parcli.files import FileStamp, stamp_if_exists
from parcli.glossary import time_vn
from parcli.rounds.lists import layout
from parcli.rounds.lists.layout import STATUS_LABELS
from parcli.xlsx.table import table_workbook

# The problems sheet as people read it: names, not ids; the problem's code last, for the technical reader.
PROBLEM_HEADERS: tuple[str, ...] = (
    "Mức độ",
    "Đơn vị",
    layout.HEADER_FILES,
    "Trang tính",
    "Ô",
    "Nhóm đối tượng",
    "Nội dung",
    "Mã lỗi (kỹ thuật)",
)
PROBLEM_WIDTHS = (10, 30, 28, 18, 8, 24, 90, 22)

if TYPE_CHECKING:
    from parcli.config.lists_plan import ListsPlan
    from parcli.rounds.lists.merge import ListsMergeResult
    from parcli.secret import Password


def check_output(plan: ListsPlan, folder: Path, out: Path, password: Password | None = None) -> FileStamp | None:
    """Refuse an output inside the lists folder or over a file that is not a respondents workbook of this campaign.

    Returns the stamp of ``out`` as it was read (None when there is none yet): the workbook is
    replaced only if still so.  :func:`write_respondents` calls it; a command may call it before
    reading the folder, to fail fast, and pass the stamp on.  An existing workbook encrypted with a
    password is opened with ``password`` to be recognised; without one (or with another) it is never
    replaced — least of all by a copy without a password.
    """
    if folder.resolve() in out.resolve().parents:
        raise OutputError(
            f"Tệp kết quả {out} nằm trong thư mục danh sách {folder}; parcli không ghi thêm tệp vào thư mục "
            "đầu vào. Chọn vị trí khác với --out."
        )
    read = stamp_if_exists(out)  # taken before the file is read: a save made from now on is noticed
    if read is not None:
        from parcli.secret import is_encrypted

        if is_encrypted(out):
            _check_existing(out, plan, _decrypted(out, password))
        else:
            _check_existing(out, plan)
    return read


def _decrypted(out: Path, password: Password | None) -> io.BytesIO:
    """The existing output, encrypted with an opening password, decrypted in memory; else ``ConsolidatedError``."""
    from parcli.secret import HOW_TO_GIVE, CannotDecrypt, WrongPassword, decrypt_bytes

    if password is None:
        raise ConsolidatedError(
            f"Tệp {out} đã tồn tại và được đặt mật khẩu mở; parcli không ghi đè khi chưa mở được tệp, và không "
            f"bao giờ ghi bản không mật khẩu lên bản có mật khẩu. Cho mật khẩu ({HOW_TO_GIVE}) hoặc chọn tên khác "
            "với --out."
        )
    try:
        return io.BytesIO(decrypt_bytes(out, password))
    except WrongPassword:
        raise ConsolidatedError(
            f"Tệp {out} đã tồn tại và mật khẩu đã cho không mở được tệp; parcli không ghi đè. Kiểm tra mật khẩu "
            "hoặc chọn tên khác với --out."
        ) from None
    except CannotDecrypt as exc:
        raise ConsolidatedError(
            f"Tệp {out} đã tồn tại, được mã hóa theo cách parcli không mở được ({exc}); parcli không ghi đè. "
            "Chọn tên khác với --out."
        ) from None


def _check_existing(out: Path, plan: ListsPlan, decrypted: io.BytesIO | None = None) -> None:
    """Refuse to overwrite a file that is not a respondents workbook of this campaign (``decrypted``: its content,
    when the file is encrypted)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(decrypted if decrypted is not None else out, read_only=True)
    except Exception as exc:
        raise ConsolidatedError(
            f"Tệp {out} đã tồn tại nhưng không đọc được ({type(exc).__name__}); parcli không ghi đè. Chọn tên "
            "khác với --out hoặc chuyển tệp đó đi."
        ) from exc
    try:
        from parcli.xlsx.open import read_metadata

        meta = read_metadata(wb, layout.SHEET_META, len(layout.LIST_META_KEYS) + 5)
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


def write_respondents(
    result: ListsMergeResult,
    out: Path,
    *,
    now: datetime | None = None,
    read: FileStamp | EllipsisType | None = ...,
    password: Password | None = None,
) -> None:
    """Write the consolidated respondents workbook atomically.

    One sheet per group in the plan's order (STT, the fields the survey needs —
    :data:`~parcli.rounds.lists.layout.RESPONDENT_FIELDS` —, nominating unit), the count
    sheet (unit × group against the quota) and the problems.  With ``password`` the
    workbook is written encrypted (it opens only with that password in Excel,
    LibreOffice or WPS); an existing encrypted workbook is recognised with it.  Every text is written as text,
    never as a formula.  Refuses (``OutputError``) to write inside the lists
    folder, and (``ConsolidatedError``) to overwrite a file that is not a
    respondents workbook of the same campaign.  Like the consolidated workbook, an existing
    file is replaced only if unchanged since it was read (``read``: the stamp
    :func:`check_output` returned when the command started; by default, now), else
    ``OutputError`` and nothing is lost.
    """
    plan = result.plan
    checked = check_output(plan, result.folder, out, password)
    since = checked if isinstance(read, EllipsisType) else read
    stamp = (now or clock.now()).replace(microsecond=0)
    units = plan.unit_by_id
    when = time_vn(stamp)
    header_row = layout.RESPONDENTS_HEADER_ROW - 1
    frozen = 2  # the running number and the name stay in view
    # a few thousand people: built in memory, where repeated text (agencies, units) is stored once
    with table_workbook(
        out,
        created=stamp,
        read=since,
        author=f"parcli {__version__}",
        title=plan.model.title,
        streamed=False,
        password=password,
    ) as book:
        for group, people in zip(plan.groups, result.by_group().values(), strict=True):
            table = book.table(
                group.short,
                layout.RESPONDENT_COLUMNS[group.kind],
                layout.RESPONDENT_WIDTHS[group.kind],
                title=f"DANH SÁCH {group.label.upper()}",
                note=f"{plan.model.title}. {len(people)} người; tổng hợp {when} bằng parcli {__version__}.",
                header_row=header_row,
                freeze_columns=frozen,
                print_columns=frozen,
                centred=(0,),
            )
            fields = layout.RESPONDENT_FIELDS[group.kind]
            for i, person in enumerate(people, start=1):
                table.row([i, *(getattr(person, f) for f in fields), units[person.unit_id].name])

        counts = book.table(
            layout.SHEET_COUNTS,
            layout.COUNT_HEADERS,
            layout.COUNT_WIDTHS,
            title="SỐ LƯỢNG ĐỐI TƯỢNG THEO ĐƠN VỊ VÀ NHÓM",
            note=f"{plan.model.title}. Tổng hợp {when}.",
            header_row=header_row,
            freeze_columns=frozen,
            print_columns=frozen,
        )
        for outcome in result.units:
            for count in outcome.counts:
                counts.row(
                    [
                        outcome.unit.name,
                        outcome.unit.id,
                        STATUS_LABELS[outcome.status],
                        count.group.short,
                        count.quota,
                        count.nominated if outcome.used else None,
                        count.accepted if outcome.used else None,
                        count.label,
                        outcome.used or ", ".join(outcome.files),
                    ]
                )
        for group in plan.groups:
            rows = [c for u in result.units for c in u.counts if c.group.id == group.id]
            quotas = [c.quota for c in rows]
            total_quota = sum(q for q in quotas if q is not None) if all(q is not None for q in quotas) else None
            total = ["Cộng", None, None, group.short, total_quota, sum(c.nominated for c in rows)]
            counts.row([*total, sum(c.accepted for c in rows), None, None], "subgroup")

        problems = book.table(layout.SHEET_PROBLEMS, PROBLEM_HEADERS, PROBLEM_WIDTHS, print_columns=2)
        groups = plan.group_by_id
        for p in result.problems:
            unit = units.get(p.department or "")
            named = groups.get(p.item or "")
            problems.row(
                [
                    "Lỗi" if p.is_error else "Cảnh báo",
                    unit.name if unit else "",
                    p.file,
                    p.sheet,
                    p.cell,
                    named.label if named else p.item,
                    p.message,
                    p.slug,
                ]
            )

        book.metadata(
            layout.SHEET_META,
            {
                layout.META_KIND: layout.KIND_RESPONDENTS,
                layout.META_LAYOUT: layout.LIST_LAYOUT_VERSION,
                layout.META_TOOL_VERSION: __version__,
                layout.META_CAMPAIGN: plan.campaign.id,
                layout.META_LISTS_HASH: plan.content_hash,
                layout.META_GENERATED_AT: stamp.isoformat(),
            },
        )
