"""Opening returned workbooks safely and fast; no domain words.

* :func:`is_lock_file` and :data:`SPREADSHEET_SUFFIXES` sort a folder's files;
* :func:`sniff_workbook` checks the container (zip, OLE, size, DTD) before any XML is parsed;
* :func:`read_workbook` opens a workbook with the python-calamine fast path
  (:class:`CalamineBook`, formulas found by :func:`_scan_formulas`) or the openpyxl
  fallback, turning parser failures into problems;
* :func:`read_metadata` reads the key/value pairs of a hidden metadata sheet;
* :func:`read_labelled_date` reads a date written beside a label (a cover sheet's "sent" date);
* :func:`looks_legacy` spots text typed in a pre-Unicode Vietnamese encoding (TCVN3/VNI).

Messages are Vietnamese; the caller names the document (``noun``) they speak of.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from parcli.problems import ProblemCollector
from parcli.xlsx.sheetxml import column_letter as column_letter  # re-exported: readers import it from here
from parcli.xlsx.sheetxml import part_formulas, sheet_extent

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".xltx"}
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # an issued form is a few hundred KB
MAX_RATIO = 150
MAX_SHEET_CELLS = 4_000_000  # rows × columns of one sheet's used range: ~130 MB in the fast reader
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
# every error a damaged container or part can raise while it is parsed
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    EOFError,
    UnicodeError,
    NotImplementedError,
    RuntimeError,
    AttributeError,
    AssertionError,
    MemoryError,
    OverflowError,
    RecursionError,
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TCVN3 = set("¸µ¶·¹¨©ª«¬®®ÇÕ×ÝÞßøùúûüýþ÷¡¢£¤¥¦§°±²³´½¾")
_VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
_VNI = re.compile(r"[aeiouyAEIOUY][øùûõïöüôâ]")


_SYSTEM_FILES = frozenset({"desktop.ini", "thumbs.db", ".ds_store"})


def is_lock_file(path: Path) -> bool:
    """A file a program leaves beside the ones people save, never a form: Excel's and Word's lock files
    (``~$name.xlsx``), LibreOffice's (``.~lock.name.xlsx#``), Excel's temporary save files (eight hex digits, no
    extension, or ``~…tmp``) and what Windows and macOS put in folders (``desktop.ini``, ``Thumbs.db``)."""
    name = path.name
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        return True
    if name.casefold() in _SYSTEM_FILES:
        return True
    if len(name) == 8 and all(c in "0123456789ABCDEFabcdef" for c in name):
        return True
    return name.startswith("~") and name.casefold().endswith(".tmp")


_CRASHED: set[Path] = set()


def mark_crashed(path: Path) -> None:
    """Record that a reader process died on ``path``: the next :func:`sniff_workbook` refuses it unopened."""
    _CRASHED.add(path)


def sniff_workbook(
    path: Path, add: Callable[[str, str], None], noun: str, *, only: tuple[str, ...] | None = None
) -> bool:
    """Check a returned file's container before any XML is parsed; True when a spreadsheet reader may open it.

    ``add(slug, message)`` receives each problem; ``noun`` names the document in
    the messages (in Vietnamese, as the caller calls its document).  Shared by every reader of
    returned workbooks, so they refuse the same things with the same slugs.  ``only`` names the
    worksheets the caller will read, when it reads no other: the others are neither bounded nor
    decompressed (a long table beside a small sheet costs nothing then).
    """
    resend = f"Đề nghị gửi lại đúng {noun} đã được phát hành (.xlsx)."
    if path in _CRASHED:
        _CRASHED.discard(path)
        add(
            "unreadable-workbook",
            "Trình đọc dừng bất thường khi mở tệp này (tệp bị hỏng hoặc quá lớn). Đề nghị mở tệp, lưu lại và gửi lại.",
        )
        return False
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        add("unreadable-workbook", f"Không đọc được tệp: {exc.strerror or exc}. {resend}")
        return False
    if size == 0:
        add("not-a-workbook", f"Tệp rỗng (0 byte). {resend}")
        return False
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in data:
            add(
                "encrypted-workbook",
                "Tệp được đặt mật khẩu mở. Đề nghị gỡ mật khẩu mở tệp (vẫn giữ nguyên trang tính) rồi gửi lại.",
            )
        elif "WordDocument".encode("utf-16-le") in data:
            add("not-a-workbook", f"Đây là tệp Word (.doc) được đổi tên, không phải {noun} .xlsx. {resend}")
        else:
            add(
                "legacy-xls",
                f"Tệp ở định dạng Excel 97-2003 (.xls). Đề nghị mở {noun} .xlsx đã được phát hành, điền và lưu ở "
                "định dạng .xlsx.",
            )
        return False
    if not head.startswith(b"PK"):
        add("not-a-workbook", f"Tệp không phải bảng tính Excel (.xlsx). {resend}")
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
                add(
                    "not-a-workbook",
                    "Tệp ở định dạng OpenDocument (.ods). Đề nghị lưu lại ở định dạng Excel 2007-365 (.xlsx) rồi gửi.",
                )
                return False
            if "word/document.xml" in names:
                add("not-a-workbook", f"Đây là tệp Word (.docx) được đổi tên, không phải {noun} .xlsx. {resend}")
                return False
            if "xl/workbook.bin" in names:
                add(
                    "binary-workbook",
                    "Tệp là sổ làm việc nhị phân của Excel (.xlsb). Đề nghị mở tệp, chọn Lưu thành (Save As) "
                    f"định dạng Excel Workbook (.xlsx) rồi gửi lại. {resend}",
                )
                return False
            if "xl/workbook.xml" not in names:
                add("not-a-workbook", f"Tệp nén không chứa bảng tính Excel. {resend}")
                return False
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and info.file_size:
                    with archive.open(info) as member:
                        head_xml = member.read(4096)
                    if b"<!DOCTYPE" in head_xml or b"<!ENTITY" in head_xml:
                        add(
                            "unsafe-workbook",
                            f"Tệp chứa khai báo DTD/thực thể XML ({info.filename}) — không có trong bảng tính bình "
                            f"thường, có thể là tệp độc hại; không được đọc. {resend}",
                        )
                        return False
            total = sum(info.file_size for info in infos)
            ratio = max((info.file_size / max(info.compress_size, 1) for info in infos), default=0)
            if total > MAX_UNCOMPRESSED or (ratio > MAX_RATIO and total > 20 * 1024 * 1024):
                add(
                    "unsafe-workbook",
                    f"Tệp giải nén ra {total // (1024 * 1024)} MB — bất thường đối với một {noun}, không được đọc "
                    f"vì lý do an toàn. {resend}",
                )
                return False
            _check_other_parts(archive, infos)  # worksheets are checked as they are bounded, below
            oversized = _oversized_sheet(archive, infos, path, None if only is None else _sheet_parts(archive, only))
            if oversized is not None:
                add(
                    "sheet-too-large",
                    f"{oversized} Đề nghị xóa các dòng, cột thừa ở cuối trang tính (kể cả định dạng) rồi lưu và "
                    "gửi lại.",
                )
                return False
    except Exception as exc:  # any damage in the container is a problem on this file
        slug, message = classify_error(exc, noun)
        add(slug, message)
        return False
    return True


# What the last sniff learnt of each worksheet part while bounding it, so that the fast reader
# does not decompress and scan the same XML again: (path, size, mtime) → part name → formulas.
# One entry only (memory stays bounded); taken by :func:`_scan_formulas`.
_SNIFFED: tuple[tuple[str, int, int], dict[str, dict[tuple[int, int], str] | None]] | None = None


def _file_key(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path), stat.st_size, stat.st_mtime_ns)


def _check_other_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Decompress every part but the worksheets to its end, so that a damaged one (its CRC-32 wrong) raises here.

    The fast reader does not check the CRC of the parts it reads: a byte changed in the shared strings
    would otherwise read as another text, without a word.
    """
    for info in infos:
        if "/worksheets/" in info.filename and info.filename.endswith(".xml"):
            continue
        with archive.open(info) as member:
            while member.read(1 << 20):
                pass


def _oversized_sheet(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], path: Path, parts: set[str] | None = None
) -> str | None:
    """A message when a worksheet (hidden sheets included) reaches further than a reader may allocate.

    Each sheet's XML is read once, one at a time: bounded, and its formulas noted for the fast reader.
    ``parts``: only these worksheet parts (None: every one).
    """
    global _SNIFFED
    _SNIFFED = None
    formulas: dict[str, dict[tuple[int, int], str] | None] = {}
    for info in infos:
        name = info.filename
        if not (name.startswith("xl/") and name.endswith(".xml")) or "/worksheets/" not in name:
            continue
        if parts is not None and name not in parts:
            continue
        xml = archive.read(info)
        rows, columns = sheet_extent(xml)
        if rows * max(columns, 1) > MAX_SHEET_CELLS or rows > MAX_ROWS or columns > MAX_COLUMNS:
            return (
                f"Một trang tính ({name.rsplit('/', 1)[-1]}) có ô ở rất xa (tới dòng {rows:,}, cột "
                f"{column_letter(min(columns, MAX_COLUMNS))}) — vượt giới hạn {MAX_SHEET_CELLS:,} ô có thể đọc."
            ).replace(",", ".")
        formulas[name] = part_formulas(xml)
        del xml
    key = _file_key(path)
    if key is not None:
        _SNIFFED = (key, formulas)
    return None


def classify_error(exc: BaseException, noun: str) -> tuple[str, str]:
    """The problem (slug, Vietnamese message) for an error raised while a workbook was opened or read."""
    name = root_cause_name(exc)
    text = str(exc).lower()
    if name in UNSAFE_PARSER_ERRORS:
        return (
            "unsafe-workbook",
            f"Tệp chứa cấu trúc XML nguy hiểm (khai báo thực thể/DTD) nên bị từ chối vì lý do an toàn. "
            f"Đề nghị gửi lại {noun}.",
        )
    if "encrypt" in text or "password" in text or name == "PasswordError":
        return (
            "encrypted-workbook",
            "Tệp (hoặc một phần của tệp) được mã hóa theo cách parcli không đọc được. Đề nghị gỡ mật khẩu rồi gửi lại.",
        )
    if isinstance(exc, MemoryError):
        return ("sheet-too-large", f"Tệp quá lớn để đọc ({name}). Đề nghị xóa nội dung thừa rồi gửi lại {noun}.")
    if isinstance(exc, OSError) and not isinstance(exc, zipfile.BadZipFile) and exc.errno is not None:
        return ("unreadable-workbook", f"Không đọc được tệp: {exc.strerror or exc}.")
    return ("unreadable-workbook", f"Tệp .xlsx bị hỏng, không mở được ({name}). Đề nghị lưu lại và gửi lại.")


def looks_legacy(text: str) -> bool:
    """Whether text looks typed in TCVN3 or VNI (a pre-Unicode Vietnamese encoding) rather than Unicode."""
    if _VIETNAMESE.search(text):
        return False
    tcvn = sum(1 for ch in text if ch in _TCVN3)
    return tcvn >= 2 or len(_VNI.findall(text)) >= 2


UNSAFE_PARSER_ERRORS = {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError"}


def root_cause_name(exc: BaseException) -> str:
    """The class name of the innermost cause (openpyxl wraps parser errors in ValueError)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    name = type(exc).__name__
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = type(current).__name__
        if name in UNSAFE_PARSER_ERRORS:
            return name
        current = current.__cause__ or current.__context__
    return name


class WorkbookRefused(Exception):
    """A workbook :func:`open_workbook` will not open or could not read: the problem's slug and message."""

    def __init__(self, slug: str, message: str) -> None:
        super().__init__(message)
        self.slug = slug
        self.message = message


def open_workbook(
    path: Path, *, fast_sheets: tuple[str, ...] | None, noun: str, read_only: bool = True, data_only: bool = False
) -> Any:
    """The guarded open for workbooks read whole rather than as returned forms (results, tables, lists).

    Sniffs the container and bounds its sheets, then opens with calamine (``fast_sheets``) or
    openpyxl; raises :class:`WorkbookRefused` with the first problem instead of a parser error.
    """
    problems: list[tuple[str, str]] = []
    if not sniff_workbook(path, lambda slug, message: problems.append((slug, message)), noun, only=fast_sheets):
        raise WorkbookRefused(*problems[0])
    if fast_sheets is not None:
        book = CalamineBook.open(path, fast_sheets)
        if book is not None:
            return book
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=read_only, data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise WorkbookRefused(*classify_error(exc, noun)) from exc


def read_workbook(
    path: Path,
    add: ProblemCollector,
    read: Callable[[Any], None],
    *,
    fast_sheets: tuple[str, ...] | None,
    noun: str,
) -> bool:
    """Open a returned workbook and run ``read`` on it; False when a part of it is damaged or unsafe.

    With ``fast_sheets`` the workbook is read with python-calamine (formulas of those
    sheets found in their XML) unless it needs openpyxl to be described exactly;
    otherwise, or then, with openpyxl in read-only mode.  Every parser, zip or crypto
    failure becomes a problem (:func:`classify_error`), never an exception.
    """
    wb: Any = CalamineBook.open(path, fast_sheets) if fast_sheets is not None else None
    if wb is None:
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            add.add(*classify_error(exc, noun))
            return True  # nothing was read; the problem says why
    try:
        read(wb)
    except Exception as exc:  # a damaged part found while streaming rows
        slug, message = classify_error(exc, noun)
        if slug == "unreadable-workbook":
            message = f"Một phần của tệp bị hỏng ({root_cause_name(exc)}); không đọc được. Đề nghị lưu lại và gửi lại."
        add.add(slug, message)
        return False
    finally:
        with contextlib.suppress(Exception):
            wb.close()
    return True


class _Cell:
    """A cell as the reader needs it: value and whether it holds a formula (openpyxl's data_type 'f')."""

    __slots__ = ("data_type", "value")

    def __init__(self, value: Any, data_type: str) -> None:
        self.value = value
        self.data_type = data_type


_EMPTY = _Cell(None, "n")


class _CalamineSheet:
    """Read-only sheet over python-calamine values, mimicking the openpyxl calls the reader makes."""

    def __init__(self, sheet: Any, formulas: dict[tuple[int, int], str]) -> None:
        self._sheet = sheet
        self._formulas = formulas

    @property
    def max_row(self) -> int:
        end = self._sheet.end
        return 0 if end is None else int(end[0]) + 1

    def iter_rows(
        self, min_row: int = 1, max_row: int | None = None, max_col: int | None = None, values_only: bool = False
    ) -> Iterator[tuple[Any, ...]]:
        """Rows from ``min_row`` (1-based, empty rows included) like openpyxl's read-only iter_rows.

        The rows are taken from the sheet's top-left corner (``skip_empty_area=False``, documented):
        python-calamine's row iterator gives every row from the first but the columns only from the
        first used one (python-calamine issue #177), so taking its rows for the used area alone read
        a sheet whose first rows are empty shifted down by as many rows.
        """
        end = self._sheet.end
        if end is None:
            return
        stop = int(end[0]) + 1 if max_row is None else min(max_row, int(end[0]) + 1)
        if stop < min_row:
            return
        try:
            rows = self._sheet.to_python(skip_empty_area=False, nrows=stop)
        except TypeError:  # a python-calamine without ``nrows``
            rows = self._sheet.to_python(skip_empty_area=False)[:stop]
        for number in range(min_row, stop + 1):
            yield self._row(rows[number - 1] if number <= len(rows) else [], number, max_col, values_only)

    def cell_values(self) -> list[list[Any]] | list[tuple[Any, ...]]:
        """Every row's values from row 1, for reading a whole table at once; an empty cell is None or "".

        A sheet that starts at A1 and holds no formula is calamine's own rows, not copied cell by cell
        (an empty cell is ""); any other is :meth:`iter_rows` (a formula as its text, an empty cell None).
        """
        start = self._sheet.start
        if not self._formulas and start is not None and (int(start[0]), int(start[1])) == (0, 0):
            rows: list[list[Any]] = self._sheet.to_python()
            return rows
        return list(self.iter_rows(values_only=True))

    def _row(self, raw: list[Any], row: int, max_col: int | None, values_only: bool) -> tuple[Any, ...]:
        """One row as openpyxl gives it: values (``values_only``) or cells, ``max_col`` wide; "" is None."""
        width = max_col if max_col is not None else len(raw)
        if values_only and not self._formulas:  # the common case, kept fast for long tables
            values = [None if v == "" else v for v in (raw if width >= len(raw) else raw[:width])]
            if len(values) < width:
                values += [None] * (width - len(values))
            return tuple(values)
        cells: list[Any] = []
        for col in range(1, width + 1):
            value = raw[col - 1] if col <= len(raw) else None
            if value == "":
                value = None
            formula = self._formulas.get((row, col))
            if formula is not None:
                cells.append(formula if values_only else _Cell(formula, "f"))
            else:
                cells.append(value if values_only else (_Cell(value, "n") if value is not None else _EMPTY))
        return tuple(cells)


class CalamineBook:
    """A workbook read with python-calamine, or None from :meth:`open` when openpyxl must read it."""

    def __init__(self, workbook: Any, formulas: dict[str, dict[tuple[int, int], str]]) -> None:
        self._workbook = workbook
        self._formulas = formulas
        self._sheets: dict[str, Any] = {}
        self.sheetnames: list[str] = list(workbook.sheet_names)

    def __getitem__(self, name: str) -> _CalamineSheet:
        sheet = self._sheets.get(name)
        if sheet is None:
            sheet = self._sheets[name] = self._workbook.get_sheet_by_name(name)
        return _CalamineSheet(sheet, self._formulas.get(name, {}))

    def close(self) -> None:
        """Nothing to release (the reader keeps no file handle)."""

    @classmethod
    def open(cls, path: Path, sheets: tuple[str, ...]) -> CalamineBook | None:
        """Open with calamine; ``sheets`` are those whose formulas must be known."""
        try:
            from python_calamine import CalamineWorkbook

            formulas = _scan_formulas(path, sheets)
            if formulas is None:
                return None
            book = cls(CalamineWorkbook.from_path(str(path)), formulas)
            for name in sheets:  # parse now: a damaged part sends the file to openpyxl, which names it
                if name in book.sheetnames:
                    book._sheets[name] = book._workbook.get_sheet_by_name(name)
            return book
        except Exception:  # anything unusual: the openpyxl path diagnoses it
            return None


def _scan_formulas(path: Path, sheets: tuple[str, ...]) -> dict[str, dict[tuple[int, int], str]] | None:
    """Formula cells of the sheets the reader uses, as openpyxl shows them (``=TEXT``).

    Returns None when that cannot be exact (see :func:`_part_formulas`): openpyxl then
    reads the file.  What :func:`sniff_workbook` just found in the same file is used
    rather than read again.
    """
    global _SNIFFED
    sniffed, _SNIFFED = _SNIFFED, None
    known = sniffed[1] if sniffed is not None and sniffed[0] == _file_key(path) else {}
    with zipfile.ZipFile(path) as archive:
        out: dict[str, dict[tuple[int, int], str]] = {}
        for name, part in _named_parts(archive):
            if name not in sheets:
                continue
            if part is None:
                return None
            cells = known[part] if part in known else part_formulas(archive.read(part))
            if cells is None:
                return None
            out[name] = cells
        return out


def _named_parts(archive: zipfile.ZipFile) -> list[tuple[str, str | None]]:
    """(sheet name, its worksheet part, None when the workbook does not say) in workbook order."""
    import html

    workbook_xml = archive.read("xl/workbook.xml")
    rels_xml = archive.read("xl/_rels/workbook.xml.rels")
    targets = {m[0]: m[1] for m in re.findall(rb'Id="([^"]+)"[^>]*Target="([^"]+)"', rels_xml)}
    targets.update({m[1]: m[0] for m in re.findall(rb'Target="([^"]+)"[^>]*Id="([^"]+)"', rels_xml)})
    out: list[tuple[str, str | None]] = []
    for raw_name, rid in re.findall(rb'<sheet\s[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', workbook_xml):
        target = targets.get(rid)
        part = None
        if target is not None:
            part = target.decode().lstrip("/")
            part = part if part.startswith("xl/") else "xl/" + part
        out.append((html.unescape(raw_name.decode("utf-8")), part))
    return out


def _sheet_parts(archive: zipfile.ZipFile, sheets: tuple[str, ...]) -> set[str] | None:
    """The worksheet parts of ``sheets`` (absent sheets left out); None, to bound them all, when a part
    cannot be told for certain (no target, or one that is not literally a member of the archive)."""
    try:
        named = _named_parts(archive)
    except DAMAGE_ERRORS:
        return None
    members = set(archive.namelist())
    found: set[str] = set()
    for name, part in named:
        if name in sheets:
            if part is None or part not in members:
                return None
            found.add(part)
    return found


def read_metadata(wb: Any, sheet: str, max_rows: int = 17) -> dict[str, str] | None:
    """The key/value pairs (column A, column B) of the hidden metadata ``sheet``, or None if the sheet is gone."""
    if sheet not in wb.sheetnames:
        return None
    meta: dict[str, str] = {}
    for row in wb[sheet].iter_rows(min_row=1, max_row=max_rows, max_col=2, values_only=True):
        if row and row[0] is not None and len(row) > 1:
            meta[str(row[0]).strip()] = "" if row[1] is None else str(row[1]).strip()
    return meta


def read_labelled_date(wb: Any, sheet: str, key: Callable[[object], str], label: str) -> date | None:
    """The date written in column B beside ``label`` in column A of ``sheet`` (first 60 rows), or None.

    ``key`` makes labels comparable (case, spaces, Unicode form); a text date is read as ``dd/mm/yyyy``.
    """
    if sheet not in wb.sheetnames:
        return None
    for row in wb[sheet].iter_rows(min_row=1, max_row=60, max_col=2, values_only=True):
        if len(row) > 1 and key(row[0]) == key(label):
            value = row[1]
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, date):
                return value
            if isinstance(value, str):
                match = re.match(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$", value)
                if match:
                    try:
                        return date(int(match[3]), int(match[2]), int(match[1]))
                    except ValueError:
                        return None
    return None
