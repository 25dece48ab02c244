"""Reading a returned scoring workbook: every problem of a file in one pass.

:func:`read_return` never raises for bad data.  It recognises the campaign and
department from the hidden metadata sheet (not the file name), reads items by
their code (not their row), validates every item row against its catalogue
rule, and returns the values with a list of :class:`~parcli.problems.Problem`.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.config.catalogue import ChoiceRule, Leaf, ScaleRule
from parcli.files import sha256_file
from parcli.numbers import fmt_points, to_decimal
from parcli.problems import Problem, ProblemCollector
from parcli.rounds.scoring import layout

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign, Department

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xltx"}
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a scoring workbook is a few hundred KB
MAX_RATIO = 150
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_TCVN3 = set("¸µ¶·¹¨©ª«¬®®ÇÕ×ÝÞßøùúûüýþ÷¡¢£¤¥¦§°±²³´½¾")
_VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
_VNI = re.compile(r"[aeiouyAEIOUY][øùûõïöüôâ]")


def is_lock_file(path: Path) -> bool:
    """Excel (``~$name.xlsx``) and LibreOffice (``.~lock.name.xlsx#``) lock files."""
    name = path.name
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


@dataclass
class ItemEntry:
    """What a department returned for one item."""

    code: str
    row: int
    score: Decimal | None = None
    not_applicable: bool = False
    explanation: str = ""
    evidence: str = ""
    accepted: bool = False


@dataclass
class ReturnResult:
    """A returned workbook as read: identity, items, problems."""

    path: Path
    sha256: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    department_id: str | None = None
    items: dict[str, ItemEntry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sent_date: date | None = None
    received: date | None = None  # the file's modification date
    modified: datetime | None = None  # the file's modification time
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


def sniff_workbook(path: Path, add: Callable[[str, str], None], noun: str = "phiếu chấm điểm") -> bool:
    """Check a returned file's container before any XML is parsed; True when a spreadsheet reader may open it.

    ``add(slug, message)`` receives each problem; ``noun`` names the document in
    the messages ("phiếu chấm điểm", "danh sách").  Shared by every reader of
    returned workbooks, so they refuse the same things with the same slugs.
    """
    resend = f"Đề nghị gửi lại đúng {noun} đã được phát hành (.xlsx)."
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        add("unreadable-workbook", f"Không đọc được tệp: {exc.strerror or exc}.")
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
    except (zipfile.BadZipFile, OSError, KeyError):
        add("unreadable-workbook", "Tệp .xlsx bị hỏng, không mở được. Đề nghị lưu lại và gửi lại.")
        return False
    return True


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == datetime.min.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def looks_legacy(text: str) -> bool:
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


def read_return(path: Path, campaign: Campaign, *, fast: bool = True) -> ReturnResult:
    """Read and validate one returned workbook against the campaign; never raises for bad data.

    With ``fast`` (the default) the cell values are read with python-calamine (a
    Rust reader, ~15× faster than openpyxl) and formulas are found in the sheet
    XML; any workbook the fast reader cannot describe exactly (shared or array
    formulas, prefixed XML, a read error) is read with openpyxl instead.  Both
    paths give the same items and problems (tested on the bad-return corpus).
    """
    result = ReturnResult(path=path)
    add = ProblemCollector(result.problems, result.file)
    if not sniff_workbook(path, lambda slug, message: add.add(slug, message)):
        return result
    result.sha256 = sha256_file(path)
    result.modified = datetime.fromtimestamp(path.stat().st_mtime)
    result.received = result.modified.date()
    if not read_workbook(
        path,
        add,
        lambda wb: _read_workbook(wb, campaign, result, add),
        fast_sheets=_READ_SHEETS if fast else None,
        noun="phiếu gốc",
    ):
        result.usable = False
        result.items.clear()
    return result


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
    otherwise, or then, with openpyxl in read-only mode.  Parser failures become
    ``unsafe-workbook`` / ``unreadable-workbook`` problems, never exceptions.
    """
    if fast_sheets is not None:
        book = CalamineBook.open(path, fast_sheets)
        if book is not None:
            read(book)
            return True
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        name = root_cause_name(exc)
        if name in UNSAFE_PARSER_ERRORS:
            add.add(
                "unsafe-workbook",
                f"Tệp chứa cấu trúc XML nguy hiểm (khai báo thực thể/DTD) nên bị từ chối vì lý do an toàn. "
                f"Đề nghị gửi lại {noun}.",
            )
        else:
            add.add("unreadable-workbook", f"Tệp .xlsx bị hỏng, không mở được ({name}). Đề nghị lưu lại và gửi lại.")
        return True  # nothing was read; the problem says why
    try:
        read(wb)
    except Exception as exc:  # a damaged part found while streaming rows
        name = root_cause_name(exc)
        slug = "unsafe-workbook" if name in UNSAFE_PARSER_ERRORS else "unreadable-workbook"
        add.add(slug, f"Một phần của tệp bị hỏng hoặc không an toàn ({name}); không đọc được. Đề nghị gửi lại.")
        return False
    finally:
        wb.close()
    return True


class _Cell:
    """A cell as the reader needs it: value and whether it holds a formula (openpyxl's data_type 'f')."""

    __slots__ = ("data_type", "value")

    def __init__(self, value: Any, data_type: str) -> None:
        self.value = value
        self.data_type = data_type


_EMPTY = _Cell(None, "n")
_FORMULA_RE = re.compile(rb"<f(\s[^>]*)?(?:/>|>(.*?)</f>)", re.S)


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
        """Rows from ``min_row`` (1-based, empty rows included) like openpyxl's read-only iter_rows."""
        start = self._sheet.start
        first_row, first_col = (1, 0) if start is None else (int(start[0]) + 1, int(start[1]))
        row_number = min_row
        while row_number < first_row and (max_row is None or row_number <= max_row):
            yield self._row([], row_number, max_col, values_only, 0)
            row_number += 1
        if start is None:
            return
        for offset, raw in enumerate(self._sheet.iter_rows()):
            current = first_row + offset
            if max_row is not None and current > max_row:
                return
            if current >= min_row:
                yield self._row(raw, current, max_col, values_only, first_col)

    def _row(self, raw: list[Any], row: int, max_col: int | None, values_only: bool, skip: int) -> tuple[Any, ...]:
        width = max_col if max_col is not None else len(raw) + skip
        if values_only and not skip and not self._formulas:  # the common case, kept fast for long tables
            values = tuple(None if v == "" else v for v in raw[:width])
            return values + (None,) * (width - len(values)) if len(values) < width else values
        cells: list[Any] = []
        for col in range(1, width + 1):
            index = col - 1 - skip
            value = raw[index] if 0 <= index < len(raw) else None
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
        self.sheetnames: list[str] = list(workbook.sheet_names)

    def __getitem__(self, name: str) -> _CalamineSheet:
        return _CalamineSheet(self._workbook.get_sheet_by_name(name), self._formulas.get(name, {}))

    def close(self) -> None:
        """Nothing to release (the reader keeps no file handle)."""

    @classmethod
    def open(cls, path: Path, sheets: tuple[str, ...] | None = None) -> CalamineBook | None:
        """Open with calamine; ``sheets`` are those whose formulas must be known (default: a return's)."""
        try:
            from python_calamine import CalamineWorkbook

            formulas = _scan_formulas(path, sheets or _READ_SHEETS)
            if formulas is None:
                return None
            return cls(CalamineWorkbook.from_path(str(path)), formulas)
        except Exception:  # anything unusual: the openpyxl path diagnoses it
            return None


_READ_SHEETS = (layout.SHEET_SCORES, layout.SHEET_COVER, layout.SHEET_META)
_REF_RE = re.compile(rb'\sr="([A-Z]+)([0-9]+)"')


def _scan_formulas(path: Path, sheets: tuple[str, ...]) -> dict[str, dict[tuple[int, int], str]] | None:
    """Formula cells of the sheets the reader uses, as openpyxl shows them (``=TEXT``).

    Returns None when that cannot be exact (shared or array formulas, an XML
    shape other than the usual unprefixed one): openpyxl then reads the file.
    """
    import html

    from openpyxl.utils import column_index_from_string

    with zipfile.ZipFile(path) as archive:
        workbook_xml = archive.read("xl/workbook.xml")
        rels_xml = archive.read("xl/_rels/workbook.xml.rels")
        targets = {m[0]: m[1] for m in re.findall(rb'Id="([^"]+)"[^>]*Target="([^"]+)"', rels_xml)}
        targets.update({m[1]: m[0] for m in re.findall(rb'Target="([^"]+)"[^>]*Id="([^"]+)"', rels_xml)})
        out: dict[str, dict[tuple[int, int], str]] = {}
        for raw_name, rid in re.findall(rb'<sheet\s[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', workbook_xml):
            name = html.unescape(raw_name.decode("utf-8"))
            if name not in sheets:
                continue
            target = targets.get(rid)
            if target is None:
                return None
            part = target.decode().lstrip("/")
            xml = archive.read(part if part.startswith("xl/") else "xl/" + part)
            cells: dict[tuple[int, int], str] = {}
            position = xml.find(b"<f")
            while position != -1:
                tail = xml[position + 2 : position + 3]
                if tail not in (b">", b" ", b"/"):  # e.g. <fill… is not a formula
                    position = xml.find(b"<f", position + 2)
                    continue
                match = _FORMULA_RE.match(xml, position)
                cell_start = xml.rfind(b"<c ", 0, position)
                ref = _REF_RE.search(xml, cell_start, position) if cell_start != -1 else None
                if match is None or match[2] is None or b' t="' in (match[1] or b"") or ref is None:
                    return None  # shared or array formula, or an unusual shape: openpyxl expands these
                text = html.unescape(match[2].decode("utf-8"))
                cells[(int(ref[2]), column_index_from_string(ref[1].decode()))] = "=" + text
                position = xml.find(b"<f", match.end())
            if b":c " in xml[:4096] and b"<c " not in xml:
                return None  # namespace-prefixed cells
            out[name] = cells
        return out


def read_metadata(wb: Any) -> dict[str, str] | None:
    """The key/value pairs of the hidden metadata sheet, or None if the sheet is gone."""
    if layout.SHEET_META not in wb.sheetnames:
        return None
    ws = wb[layout.SHEET_META]
    meta: dict[str, str] = {}
    for row in ws.iter_rows(min_row=1, max_row=len(layout.META_KEYS) + 5, max_col=2, values_only=True):
        if row and row[0] is not None and len(row) > 1:
            meta[str(row[0]).strip()] = "" if row[1] is None else str(row[1]).strip()
    return meta


def _read_workbook(wb: Any, campaign: Campaign, result: ReturnResult, add: ProblemCollector) -> None:
    meta = read_metadata(wb)
    if meta is None or layout.META_DEPARTMENT not in meta:
        guess = _guess_department(wb, campaign)
        hint = f" Tệp có vẻ là của {guess}." if guess else ""
        add.add(
            "metadata-missing",
            f"Không nhận diện được phiếu: trang tính ẩn “{layout.SHEET_META}” đã bị xoá "
            f"hoặc sửa.{hint} Đề nghị điền lại vào phiếu gốc đã được phát hành (không sao chép sang tệp mới).",
        )
        return
    result.metadata = meta
    if meta.get(layout.META_KIND) != layout.KIND_RETURN:
        add.add(
            "metadata-missing",
            "Tệp này không phải phiếu chấm điểm của cơ quan (có thể là bảng tổng hợp). "
            "Chỉ gửi phiếu chấm điểm đã được phát hành.",
        )
        return
    if meta.get(layout.META_LAYOUT) != layout.LAYOUT_VERSION:
        add.add(
            "unsupported-layout",
            f"Phiếu theo mẫu phiên bản {meta.get(layout.META_LAYOUT)!r}, parcli này đọc "
            f"mẫu phiên bản {layout.LAYOUT_VERSION}. Đề nghị dùng phiếu của đợt đánh giá hiện tại.",
        )
        return
    if meta.get(layout.META_CAMPAIGN) != campaign.id:
        add.add(
            "wrong-campaign",
            f"Phiếu thuộc đợt đánh giá “{meta.get(layout.META_CAMPAIGN)}”, không phải "
            f"“{campaign.id}” ({campaign.model.title}). Có thể đã gửi nhầm phiếu năm trước; đề nghị gửi "
            "đúng phiếu của đợt này.",
        )
        return
    dept_id = meta.get(layout.META_DEPARTMENT, "")
    dept = campaign.department_by_id.get(dept_id)
    expected_hash = dept.catalogue.content_hash if dept is not None else campaign.catalogue.content_hash
    if meta.get(layout.META_CATALOGUE_HASH) != expected_hash:
        add.add(
            "wrong-catalogue-version",
            "Phiếu được tạo từ một phiên bản bộ tiêu chí khác với phiên bản đang "
            "dùng để tổng hợp. Đề nghị điền vào phiếu mới nhất đã được phát hành.",
        )
        return
    if dept is None:
        add.add("unknown-department", f"Cơ quan “{dept_id}” ghi trong phiếu không có trong kế hoạch đánh giá.")
        return
    result.department_id = dept.id
    add.department = dept.id
    if layout.SHEET_SCORES not in wb.sheetnames:
        add.add(
            "sheet-missing",
            f"Không có trang tính “{layout.SHEET_SCORES}” (đã bị xoá hoặc đổi tên). Đề nghị điền lại vào phiếu gốc.",
            sheet=layout.SHEET_SCORES,
        )
        return
    result.sent_date = read_cover_date(wb)
    _read_scores(wb[layout.SHEET_SCORES], campaign, dept, result, add)


def _guess_department(wb: Any, campaign: Campaign) -> str | None:
    """Best guess of the department from the cover sheet text, for the message only."""
    if layout.SHEET_COVER not in wb.sheetnames:
        return None
    names = {layout.nfc(d.name).casefold(): d.name for d in campaign.departments}
    for row in wb[layout.SHEET_COVER].iter_rows(min_row=1, max_row=15, max_col=2, values_only=True):
        for value in row:
            if isinstance(value, str) and layout.nfc(value).strip().casefold() in names:
                return names[layout.nfc(value).strip().casefold()]
    return None


def read_cover_date(wb: Any) -> date | None:
    if layout.SHEET_COVER not in wb.sheetnames:
        return None
    for row in wb[layout.SHEET_COVER].iter_rows(min_row=1, max_row=60, max_col=2, values_only=True):
        if len(row) > 1 and layout.label_key(row[0]) == layout.label_key(layout.COVER_SENT):
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


def _code_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return layout.nfc(str(value)).strip()


def _read_scores(ws: Any, campaign: Campaign, dept: Department, result: ReturnResult, add: ProblemCollector) -> None:
    from openpyxl.utils import get_column_letter

    sheet = layout.SHEET_SCORES
    assigned = dept.items
    catalogue = dept.catalogue
    limit = layout.HEADER_SEARCH_ROWS + 4 * len(catalogue.leaves) + 200
    ncols = len(layout.SCORE_HEADERS) + 3
    rows: list[tuple[Any, ...]] = []
    for raw in ws.iter_rows(min_row=1, max_row=limit, max_col=ncols):
        rows.append(tuple(raw))
    header = layout.find_header(
        [tuple(getattr(c, "value", None) for c in r) for r in rows[: layout.HEADER_SEARCH_ROWS]],
        layout.SCORE_HEADERS,
        (layout.HEADER_CODE, layout.HEADER_SCORE),
    )
    if header is None:
        add.add(
            "header-missing",
            f"Không tìm thấy dòng tiêu đề (có các cột “{layout.HEADER_CODE}” và "
            f"“{layout.HEADER_SCORE}”) trên trang tính. Đề nghị điền lại vào phiếu gốc.",
            sheet=sheet,
        )
        return
    result.usable = True
    cols = header.columns
    c_code = cols[layout.HEADER_CODE]
    c_score = cols[layout.HEADER_SCORE]
    c_max = cols.get(layout.HEADER_MAX)
    c_expl = cols.get(layout.HEADER_EXPLANATION)
    c_evid = cols.get(layout.HEADER_EVIDENCE)
    for label in (layout.HEADER_EXPLANATION, layout.HEADER_EVIDENCE):
        if label not in cols:
            add.add(
                "header-missing",
                f"Thiếu cột “{label}” trên trang tính.",
                sheet=sheet,
                cell=f"{get_column_letter(len(layout.SCORE_HEADERS))}{header.row}",
            )
    mine = {leaf.code: leaf for leaf in assigned}
    leaves = catalogue.leaf_by_code
    groups = set(catalogue.node_titles) - set(leaves)
    nfd_cells: list[str] = []
    last_table_row = header.row
    for index in range(header.row, len(rows)):
        row = rows[index]
        rownum = index + 1

        def cell_at(col: int | None, row: tuple[Any, ...] = row) -> Any:
            return row[col - 1] if col is not None and col - 1 < len(row) else None

        def ref(col: int, rownum: int = rownum) -> str:
            return f"{get_column_letter(col)}{rownum}"

        code = _code_of(getattr(cell_at(c_code), "value", None))
        if not code:
            continue
        last_table_row = rownum
        if layout.label_key(code) == layout.label_key(layout.TOTAL_LABEL) or code in groups:
            continue
        leaf = mine.get(code)
        if leaf is None:
            owner = None if campaign.is_units else campaign.owner_of.get(code)
            if dept.is_exempt(code):
                why = f"thuộc phần {dept.name} được miễn đánh giá"
            elif owner is not None:
                why = f"thuộc Phụ lục {owner.appendix} ({owner.name}), không thuộc phiếu này"
            elif code in leaves:
                why = "do điều tra xã hội học chấm điểm, không tự đánh giá"
            else:
                why = "không có trong bộ tiêu chí (mã bị sửa hoặc dòng tự thêm)"
            add.add(
                "unknown-item",
                f"Dòng {rownum} có mã “{code}” {why}. Đề nghị xoá dòng này hoặc khôi phục mã gốc.",
                sheet=sheet,
                cell=ref(c_code),
                item=code,
            )
            continue
        if code in result.items:
            add.add(
                "duplicate-item",
                f"Mục {code} xuất hiện hai lần (dòng {result.items[code].row} và dòng "
                f"{rownum}). Đề nghị chỉ giữ một dòng.",
                sheet=sheet,
                cell=ref(c_code),
                item=code,
            )
            continue
        entry = ItemEntry(code=code, row=rownum)
        result.items[code] = entry
        errors_before = sum(1 for p in result.problems if p.is_error)
        texts: dict[str, str] = {}
        for name, col in (("explanation", c_expl), ("evidence", c_evid)):
            if col is None:
                continue
            cell = cell_at(col)
            value = getattr(cell, "value", None)
            text = _text(value)
            if getattr(cell, "data_type", None) == "f":
                add.add(
                    "formula-in-text",
                    f"Ô chứa công thức {text}; parcli giữ nguyên nội dung công thức dưới "
                    "dạng chữ, không lấy kết quả tính.",
                    sheet=sheet,
                    cell=ref(col),
                    item=code,
                )
            if text != unicodedata.normalize("NFC", text):
                nfd_cells.append(ref(col))
            text = " ".join(layout.nfc(text).split()) if "\n" not in text else layout.nfc(text).strip()
            if text and looks_legacy(text):
                add.add(
                    "legacy-encoding",
                    "Văn bản có vẻ được gõ bằng bảng mã cũ (TCVN3/VNI) nên hiển thị sai "
                    "dấu. Đề nghị chuyển sang Unicode (ví dụ bằng Unikey) và gửi lại.",
                    sheet=sheet,
                    cell=ref(col),
                    item=code,
                )
            texts[name] = text
        entry.explanation = texts.get("explanation", "")
        entry.evidence = texts.get("evidence", "")
        _check_max(cell_at(c_max), leaf, add, sheet, ref(c_max) if c_max else None)
        _read_score(cell_at(c_score), leaf, entry, add, sheet, ref(c_score))
        _check_required(leaf, entry, add, sheet, ref(c_expl) if c_expl else None, ref(c_evid) if c_evid else None)
        entry.accepted = sum(1 for p in result.problems if p.is_error) == errors_before
    for leaf in assigned:
        if leaf.code not in result.items:
            add.add(
                "missing-item",
                f"Không tìm thấy dòng của mục {leaf.code} ({leaf.title}). Dòng đã bị xoá hoặc "
                "mã đã bị sửa; đề nghị khôi phục từ phiếu gốc.",
                sheet=sheet,
                item=leaf.code,
            )
    if nfd_cells:
        add.add(
            "text-normalised",
            f"{len(nfd_cells)} ô có chữ tiếng Việt dạng tổ hợp (NFD); parcli đã chuẩn hoá về dạng dựng sẵn (NFC).",
            sheet=sheet,
            cell=nfd_cells[0],
        )
    _check_below(ws, last_table_row, len(rows), add, sheet)


def _check_below(ws: Any, last_table_row: int, scanned: int, add: ProblemCollector, sheet: str) -> None:
    """Warn about content far below the table (it is not read)."""
    try:
        max_row = ws.max_row or 0
    except Exception:  # a damaged dimension; the table itself was read
        return
    if max_row > scanned and max_row > last_table_row + 50:
        add.add(
            "content-below-table",
            f"Trang tính có nội dung đến dòng {max_row}, rất xa bảng chấm điểm "
            f"(kết thúc ở dòng {last_table_row}); phần đó không được đọc. Đề nghị xoá nội dung thừa.",
            sheet=sheet,
            cell=f"A{max_row}",
        )


def _check_max(cell: Any, leaf: Leaf, add: ProblemCollector, sheet: str, ref: str | None) -> None:
    value = getattr(cell, "value", None)
    if value is None or getattr(cell, "data_type", None) == "f":
        return
    try:
        typed = to_decimal(value) if isinstance(value, int | float) else Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        typed = None
    if typed != leaf.max_points:
        add.add(
            "max-changed",
            f"Điểm tối đa của mục {leaf.code} bị sửa thành “{_text(value)}”; parcli dùng điểm "
            f"tối đa theo bộ tiêu chí là {fmt_points(leaf.max_points)}.",
            sheet=sheet,
            cell=ref,
            item=leaf.code,
        )


def _read_score(cell: Any, leaf: Leaf, entry: ItemEntry, add: ProblemCollector, sheet: str, ref: str) -> None:
    value = getattr(cell, "value", None)
    code = leaf.code
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
        add.add(
            "formula-in-score",
            f"Ô điểm của mục {code} chứa công thức {value}; kết quả công thức không được "
            "tin cậy (có thể chưa được tính). Đề nghị nhập trực tiếp số điểm.",
            sheet=sheet,
            cell=ref,
            item=code,
        )
        return
    if value is None or (isinstance(value, str) and not value.strip()):
        add.add(
            "score-missing",
            f"Mục {code} chưa có điểm tự đánh giá (tối đa {fmt_points(leaf.max_points)}). Đề nghị nhập điểm"
            + (f" hoặc chọn “{layout.NOT_APPLICABLE}”." if leaf.not_applicable else "."),
            sheet=sheet,
            cell=ref,
            item=code,
        )
        return
    score: Decimal
    if isinstance(value, (bool, datetime | date)):
        add.add(
            "not-a-number",
            f"Điểm của mục {code} là “{_text(value)}”, không phải số (ô có thể đã bị định "
            "dạng ngày tháng). Đề nghị nhập lại số điểm.",
            sheet=sheet,
            cell=ref,
            item=code,
        )
        return
    if isinstance(value, int | float):
        score = to_decimal(value)
    else:
        text = layout.nfc(str(value)).strip()
        if layout.label_key(text) == layout.label_key(layout.NOT_APPLICABLE):
            if not leaf.not_applicable:
                add.add(
                    "not-applicable-not-allowed",
                    f"Mục {code} không được phép chọn “{layout.NOT_APPLICABLE}” "
                    f"theo bộ tiêu chí. Đề nghị chấm điểm từ 0 đến {fmt_points(leaf.max_points)}.",
                    sheet=sheet,
                    cell=ref,
                    item=code,
                )
                return
            entry.not_applicable = True
            return
        if not _NUMBER.match(text):
            add.add(
                "not-a-number",
                f"Điểm của mục {code} là “{text}”, không phải số. Đề nghị nhập số điểm từ 0 đến "
                f"{fmt_points(leaf.max_points)}.",
                sheet=sheet,
                cell=ref,
                item=code,
            )
            return
        score = Decimal(text.replace(",", "."))
        if "," in text:
            add.add(
                "decimal-comma",
                f"Điểm của mục {code} được nhập dạng chữ “{text}”; parcli đọc là {fmt_points(score)}.",
                sheet=sheet,
                cell=ref,
                item=code,
            )
        else:
            add.add(
                "number-as-text",
                f"Điểm của mục {code} được lưu dạng chữ “{text}”; parcli đọc là {fmt_points(score)}.",
                sheet=sheet,
                cell=ref,
                item=code,
            )
    entry.score = score
    if score < 0:
        add.add(
            "score-below-zero",
            f"Điểm của mục {code} là {fmt_points(score)}, nhỏ hơn 0.",
            sheet=sheet,
            cell=ref,
            item=code,
        )
    elif score > leaf.max_points:
        add.add(
            "score-above-max",
            f"Điểm của mục {code} là {fmt_points(score)}, vượt điểm tối đa {fmt_points(leaf.max_points)}. "
            "Đề nghị chấm lại.",
            sheet=sheet,
            cell=ref,
            item=code,
        )
    elif isinstance(leaf.rule, ChoiceRule):
        allowed = [o.points for o in leaf.rule.options]
        if score not in allowed:
            levels = "; ".join(fmt_points(p) for p in allowed)
            add.add(
                "score-not-allowed",
                f"Điểm của mục {code} là {fmt_points(score)}, không thuộc các mức cho phép "
                f"({levels}). Đề nghị chọn một mức trong danh sách.",
                sheet=sheet,
                cell=ref,
                item=code,
            )
    elif isinstance(leaf.rule, ScaleRule) and score % leaf.rule.step != 0:
        add.add(
            "score-off-step",
            f"Điểm của mục {code} là {fmt_points(score)}, phải là bội số của {fmt_points(leaf.rule.step)}.",
            sheet=sheet,
            cell=ref,
            item=code,
        )


def _check_required(
    leaf: Leaf, entry: ItemEntry, add: ProblemCollector, sheet: str, expl_ref: str | None, evid_ref: str | None
) -> None:
    code = leaf.code
    if entry.score is None and not entry.not_applicable:
        return
    if not entry.explanation:
        why = None
        if entry.not_applicable:
            why = "mục được chọn “Không áp dụng” phải giải trình lý do"
        elif leaf.explanation_required:
            why = "bộ tiêu chí yêu cầu giải trình cho mục này"
        elif entry.score is not None and entry.score < leaf.max_points:
            why = "mục bị trừ điểm phải giải trình lý do"
        if why:
            add.add(
                "explanation-missing",
                f"Mục {code}: {why}. Đề nghị ghi vào cột {layout.HEADER_EXPLANATION}.",
                sheet=sheet,
                cell=expl_ref,
                item=code,
            )
    if leaf.evidence_required and not entry.evidence and entry.score is not None and entry.score > 0:
        add.add(
            "evidence-missing",
            f"Mục {code} bắt buộc có tài liệu kiểm chứng cho điểm {fmt_points(entry.score)}. "
            f"Đề nghị ghi số, ký hiệu, ngày của văn bản vào cột {layout.HEADER_EVIDENCE}.",
            sheet=sheet,
            cell=evid_ref,
            item=code,
        )
