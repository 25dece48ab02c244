"""What is already at a consolidated workbook's place: replaced only when it is parcli's own output, never
over values typed into it; those values read as typed, for ``parcli appraise import``.

:func:`check_replaceable` is the guard ``merge`` runs before writing over an existing workbook (its hidden
metadata, then — unless it is byte for byte what its manifest records — its appraisal columns against the
digest parcli recorded of what it wrote there); :func:`read_appraisals` reads what a reviewer typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.config.campaign import PROVINCE_SCOPE
from parcli.errors import ConsolidatedError
from parcli.results.consolidated import Appraisal, _column_letter, _item_table, _metadata, _open
from parcli.rounds.scoring import layout

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign

_KEEP = "parcli không ghi đè"
_ELSEWHERE = "Đề nghị chọn tên khác với --out hoặc chuyển tệp đó đi."


def _open_existing(path: Path, sheets: tuple[str, ...]) -> Any:
    return _open(path, sheets, f"Tệp {path} đã tồn tại nhưng không đọc được ({{error}}); {_KEEP}. {_ELSEWHERE}")


def _check_owned(wb: Any, path: Path, campaign: Campaign) -> None:
    """Raise :class:`ConsolidatedError` unless the open workbook is a consolidated workbook of ``campaign``."""
    meta = _metadata(wb, path)
    if not meta or meta.get(layout.META_KIND) != layout.KIND_CONSOLIDATED:
        raise ConsolidatedError(f"Tệp {path} đã tồn tại và không phải bảng tổng hợp của parcli; {_KEEP}. {_ELSEWHERE}")
    if meta.get(layout.META_CAMPAIGN) != campaign.id:
        raise ConsolidatedError(
            f"Tệp {path} là bảng tổng hợp của đợt “{meta.get(layout.META_CAMPAIGN)}”, không phải "
            f"“{campaign.id}”; {_KEEP}. {_ELSEWHERE}"
        )


APPRAISAL_DIGEST = "appraisals_written"  # metadata key: the digest of what parcli wrote into the appraisal columns


def appraisal_digest(values: Iterable[tuple[str, str, Any, Any]]) -> str:
    """The digest of (scope, code, appraised score, note) as written or read: numbers and texts compared as values."""
    import hashlib

    lines = sorted(f"{scope}\t{code}\t{_value_key(score)}\t{_value_key(note)}" for scope, code, score, note in values)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _value_key(value: Any) -> str:
    """A cell value as the digest compares it: a number by its value (0.5 = 0,50), a text stripped, blank as ""."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        try:
            return format(Decimal(str(value)).normalize(), "f")
        except InvalidOperation:
            return str(value)
    return " ".join(str(value).split())


def check_replaceable(path: Path, campaign: Campaign, new: Mapping[tuple[str, str], Any] | None = None) -> None:
    """Refuse (:class:`ConsolidatedError`) to replace ``path`` unless it is a consolidated workbook of ``campaign``
    holding nothing but what parcli wrote.

    A workbook still as parcli wrote it (its bytes as its manifest records) is checked by its hidden
    metadata alone.  Otherwise its appraisal columns are read: values that differ from what parcli
    recorded writing there (the digest in the metadata) were typed by hand — the habit of an earlier
    version — and would be lost; those that ``new`` (the appraisals about to be written, by (scope,
    code) → (score, note)) would change are named by cell and the workbook is kept, pointing to
    ``parcli appraise import``.
    """
    wb = _open_existing(path, (layout.SHEET_META,))
    try:
        _check_owned(wb, path, campaign)
        recorded = (_metadata(wb, path) or {}).get(APPRAISAL_DIGEST)
    finally:
        wb.close()
    if _as_written(path):
        return
    typed = _typed_appraisals(path, campaign)
    if appraisal_digest((s, c, score, note) for (s, c), (_cell, score, note) in typed.items()) == (
        recorded or appraisal_digest(())
    ):
        return
    coming = new or {}
    lost = [
        cell
        for key, (cell, score, note) in typed.items()
        if (_value_key(score), _value_key(note))
        != (_value_key(coming.get(key, (None, ""))[0]), _value_key(coming.get(key, (None, ""))[1]))
    ]
    if lost:
        shown = ", ".join(lost[:10]) + (f" và {len(lost) - 10} ô khác" if len(lost) > 10 else "")
        raise ConsolidatedError(
            f"Bảng tổng hợp {path.name} có điểm/ý kiến thẩm định được nhập tay mà parcli không ghi ({shown}); "
            f"tổng hợp lại sẽ làm mất các giá trị đó nên {_KEEP}. Đề nghị chuyển chúng sang phiếu thẩm định bằng "
            f"“parcli appraise import {path.name}”, rồi tổng hợp lại với --appraisals; hoặc ghi bảng tổng hợp mới "
            "với --out tên khác."
        )


def _as_written(path: Path) -> bool:
    """Whether ``path`` is byte for byte the output its manifest records (nothing was saved over it since)."""
    import json

    from parcli.files import sha256_file
    from parcli.manifest import manifest_path

    try:
        record = json.loads(manifest_path(path).read_text(encoding="utf-8"))
        return bool(record["output"]["sha256"] == sha256_file(path))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _typed_appraisals(path: Path, campaign: Campaign) -> dict[tuple[str, str], tuple[str, Any, Any]]:
    """(scope, code) → (cell of the appraised score, score, note) for every item with something in those columns."""
    return {
        (scope, code): (cell, score, note)
        for scope, code, cell, score, note in _typed_rows(path, campaign)
        if _value_key(score) or _value_key(note)
    }


def _typed_rows(path: Path, campaign: Campaign) -> list[tuple[str, str, str, Any, Any]]:
    """(scope, code, cell of the appraised score, score, note) of every item row of an existing workbook of
    ``campaign`` (refused, and kept, when it is not one)."""
    wb = _open_existing(path, (layout.SHEET_CONSOLIDATED, layout.SHEET_META))
    try:
        _check_owned(wb, path, campaign)
        if layout.SHEET_CONSOLIDATED not in wb.sheetnames:
            raise ConsolidatedError(f"Tệp {path} thiếu trang tính “{layout.SHEET_CONSOLIDATED}”; {_KEEP}. {_ELSEWHERE}")
        rows, header = _item_table(
            wb,
            path,
            (*layout.CONSOLIDATED_HEADERS, layout.HEADER_UNIT_ID),
            (layout.HEADER_CODE, layout.HEADER_APPRAISED, layout.HEADER_APPRAISAL_NOTE),
        )
        if header is None:
            raise ConsolidatedError(
                f"Không tìm thấy dòng tiêu đề trong {path} › {layout.SHEET_CONSOLIDATED}; {_KEEP}. {_ELSEWHERE}"
            )
        c_code = header.columns[layout.HEADER_CODE] - 1
        c_app = header.columns[layout.HEADER_APPRAISED] - 1
        c_note = header.columns[layout.HEADER_APPRAISAL_NOTE] - 1
        c_unit = header.columns.get(layout.HEADER_UNIT_ID)
        out: list[tuple[str, str, str, Any, Any]] = []
        for number, row in enumerate(rows[header.row :], start=header.row + 1):
            if len(row) <= max(c_code, c_app, c_note) or row[c_code] is None:
                continue
            scope = str(row[c_unit - 1] or "").strip() if c_unit is not None else PROVINCE_SCOPE
            cell = f"{_column_letter(c_app + 1)}{number}"
            out.append((scope, str(row[c_code]).strip(), cell, row[c_app], row[c_note]))
        return out
    finally:
        wb.close()


def read_appraisals(path: Path, campaign: Campaign) -> dict[tuple[str, str], Appraisal]:
    """The appraised scores and notes typed into an existing consolidated workbook, by (scope, item code).

    Values are kept as typed (``appraise import`` carries them over, whatever they are). Raises
    :class:`ConsolidatedError` when the file is not a consolidated workbook of this
    campaign (it is then not overwritten).
    """
    return {
        (scope, code): Appraisal(score=score, note=note)
        for scope, code, _cell, score, note in _typed_rows(path, campaign)
        if score not in (None, "") or note not in (None, "")
    }
