"""Evidence documents (tài liệu kiểm chứng): the evidence cell parsed, the package's files checked.

The evidence cell holds one entry per line: a file of the return's package
(``QD-123.pdf``), a document citation — number/symbol and date, e.g.
"Quyết định số 123/QĐ-UBND ngày 05/01/2023" — and/or a link.  :func:`parse_cell`
reads one cell; :func:`check_evidence` checks a whole return against its
package and the campaign's ``evidence:`` block, raising the ``evidence-*``
problems on the item's evidence cell.  The files are opened with pypdf (PDF),
``zipfile`` (DOCX/XLSX, sniffed, not parsed) and Pillow (images), streamed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any

from parcli.collect.package import evidence_members
from parcli.packages import Member, Package, member_path, spool_member, zip_error
from parcli.problems import ProblemCollector

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.config.campaign_models import EvidenceModel
    from parcli.rounds.scoring.read import ReturnResult

# Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.3: "Số: 123/QĐ-UBND"; laws and decrees carry the year, "05/2023/NĐ-CP"
SYMBOL_FORM = re.compile(r"^\d{1,6}(/\d{4})?/[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ0-9]+)+$")
_CITED_NUMBER = re.compile(r"\bsố\s*:?\s*(\d[^\s,;()]*)", re.IGNORECASE)
_DATE_SLASH = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/])")
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_FOR_YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)  # "năm 2023" outside a date: what a document is for
_LINK = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_FILE_NAME = re.compile(r"[^\s/\\:;,\"“”()]+\.(pdf|docx?|xlsx?|xlsm|ods|odt|jpe?g|png|tiff?|gif|zip|rar|7z)\b", re.I)
_PDF_MAGIC = b"%PDF-"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an encrypted Office file is an OLE container
_IMAGE_MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff"}


@dataclass
class Citation:
    """A document cited by number/symbol (and its date, when the line gives one)."""

    number: str
    well_formed: bool
    day: date | None = None


@dataclass
class ItemEvidence:
    """What one item's evidence cell says, parsed: files found and missing, citations, dates, links."""

    code: str
    cell: str | None
    files: list[str] = field(default_factory=list)  # package members named by the cell
    missing: list[str] = field(default_factory=list)  # file names the cell gives that the package lacks
    ambiguous: list[str] = field(default_factory=list)  # names that fit several files (case, or folders apart)
    citations: list[Citation] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)  # every date the cell gives
    # the years each date's line says its document is for ("Kế hoạch … ngày 23/12/2022 … năm 2023": 2023)
    years_for: list[tuple[int, ...]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


@dataclass
class EvidenceFile:
    """One file of a package as checked: size, hash, pages (PDF), and why it is refused (empty when fine)."""

    name: str
    size: int
    sha256: str = ""
    pages: int | None = None
    refused: str = ""  # the Vietnamese reason, when unreadable or too large
    slug: str = ""  # evidence-unreadable / evidence-too-large


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


class FileNames:
    """A package's file names as an evidence cell may write them (its path or its base name, any case).

    Built once per return; :meth:`find` looks a line up at the places a name can end (its suffix,
    ``.pdf``), so a line costs the same whether the package holds ten files or ten thousand.
    """

    def __init__(self, members: list[Member]) -> None:
        keys = sorted(((m.name, m.name.casefold(), m.base.casefold()) for m in members), key=lambda k: -len(k[2]))
        self.rank = {name: rank for rank, (name, _full, _base) in enumerate(keys)}
        self.forms: dict[str, str] = {}  # a folded form -> the member it names (the longer base name first)
        self.lengths: dict[str, list[int]] = {}  # a folded suffix -> the lengths of the forms it ends, longest first
        self.plain: list[tuple[str, str, str]] = []  # names with no suffix: looked for one by one
        self.twins: dict[str, list[str]] = {}  # a folded form -> every member it fits (names differing in case)
        for name, full, base in keys:
            suffix = PurePosixPath(base).suffix
            if not suffix:
                self.plain.append((name, full, base))
                continue
            for form in dict.fromkeys((full, base)):  # once each, a top-level file's path is its base name
                if form in self.forms and self.forms[form] != name:
                    twins = self.twins.setdefault(form, [self.forms[form]])
                    twins.extend([name] if name not in twins else [])
                self.forms.setdefault(form, name)
                self.lengths.setdefault(suffix, []).append(len(form))
        for suffix, lengths in self.lengths.items():
            self.lengths[suffix] = sorted(set(lengths), reverse=True)

    def find(self, line: str) -> tuple[list[str], list[str], str]:
        """The members a line names (in the package's order), the names it gives that fit several members,
        and the line with every name found blanked (same length, original case).

        A name is matched without regard to case, unless it fits several members (names differing only in
        case, or one base name in several folders): then only a spelling that fits exactly one of them
        counts, and any other is ambiguous.
        """
        folded = line.casefold()
        aligned = len(folded) == len(line)  # casefold kept every position (always so for Vietnamese)
        named: set[str] = set()
        ambiguous: list[str] = []
        for name, *forms in self.plain:
            for key in forms:
                if key and key in folded:
                    named.add(name)
                    folded = folded.replace(key, " " * len(key))
                    break
        spans: list[tuple[int, int, str]] = []
        for suffix, lengths in self.lengths.items():
            start = folded.find(suffix)
            while start >= 0:
                end = start + len(suffix)
                for length in lengths:  # the longest name ending here wins ("a/qd.pdf" over "qd.pdf")
                    hit = self.forms.get(folded[end - length : end]) if length <= end else None
                    if hit is not None:
                        spans.append((end - length, end, hit))
                        break
                start = folded.find(suffix, start + 1)
        taken: list[tuple[int, int]] = []
        for begin, end, name in sorted(spans, key=lambda s: s[0] - s[1]):
            if all(end <= b or begin >= e for b, e in taken):
                taken.append((begin, end))
                twins = self.twins.get(folded[begin:end])
                if twins is None:
                    named.add(name)
                    continue
                written = line[begin:end] if aligned else ""
                exact = [t for t in twins if written in (t, PurePosixPath(t).name)]
                if len(exact) == 1:
                    named.add(exact[0])
                elif written or not aligned:
                    ambiguous.append(written or folded[begin:end])
        for begin, end in taken:
            folded = folded[:begin] + " " * (end - begin) + folded[end:]
        kept = "".join(c if f != " " else " " for c, f in zip(line, folded, strict=True)) if aligned else line
        return sorted(named, key=self.rank.__getitem__), ambiguous, kept


def parse_cell(
    code: str, cell: str | None, text: str, members: list[Member], names: FileNames | None = None
) -> ItemEvidence:
    """Parse one evidence cell: which package files it names, its citations, dates and links.

    ``names`` is the package's :class:`FileNames` when many cells of one return are parsed.
    """
    found = ItemEvidence(code=code, cell=cell)
    names = names or FileNames(members)
    for raw_line in _nfc(text).splitlines():
        line = raw_line.strip()
        if not line:
            continue
        links = _LINK.findall(line)
        found.links += links
        rest = _LINK.sub(" ", line)
        files, ambiguous, kept = names.find(rest)
        found.files += [name for name in files if name not in found.files]
        found.ambiguous += [name for name in ambiguous if name not in found.ambiguous]
        for match in _FILE_NAME.finditer(kept):
            if match.group(0).casefold() not in found.missing:
                found.missing.append(match.group(0).casefold())
        kept = _FILE_NAME.sub(lambda m: " " * len(m.group(0)), kept)  # a file name is not a citation
        line_dates = [d for m in _DATE_SLASH.finditer(rest) if (d := _date(*m.groups())) is not None]
        line_dates += [d for m in _DATE_WORDS.finditer(rest) if (d := _date(*m.groups())) is not None]
        found.dates += line_dates
        undated = _DATE_WORDS.sub(" ", _DATE_SLASH.sub(" ", rest))
        named = tuple(int(y) for y in _FOR_YEAR.findall(undated))
        found.years_for += [named] * len(line_dates)
        for match in _CITED_NUMBER.finditer(kept):  # the text left once the file names are taken out
            number = match.group(1).rstrip(".")
            if _DATE_SLASH.fullmatch(number):
                continue  # "số 05/01/2023" is a date, not a number
            found.citations.append(
                Citation(number, bool(SYMBOL_FORM.match(number)), line_dates[0] if line_dates else None)
            )
    # a name the line gives in the original case, for the message
    found.missing = [_original_case(text, name) for name in found.missing]
    return found


def _original_case(text: str, folded: str) -> str:
    index = _nfc(text).casefold().find(folded)
    return _nfc(text)[index : index + len(folded)] if index >= 0 else folded


def period_of(settings: EvidenceModel, year: int) -> tuple[date, date]:
    """The assessment period: the campaign's ``evidence.period``, else its year."""
    if settings.period is not None:
        return settings.period.start, settings.period.end
    return date(year, 1, 1), date(year, 12, 31)


def check_file(package: Package, member: Member, settings: EvidenceModel) -> EvidenceFile:
    """Size, hash and readability of one package file; streamed, never loaded whole."""
    info = EvidenceFile(member.name, member.size)
    kind = member.suffix.lstrip(".")
    limit = int(settings.max_file_mb * (1 << 20))
    if member.size > limit:
        info.slug, info.refused = (
            "evidence-too-large",
            f"dung lượng {_mb(member.size)} MB, vượt {settings.max_file_mb} MB",
        )
        return info
    if kind not in settings.types:
        allowed = ", ".join(settings.types)
        info.slug, info.refused = "evidence-unreadable", f"loại tệp .{kind} không được chấp nhận (chỉ nhận {allowed})"
        return info
    if member.size == 0:
        info.slug, info.refused = "evidence-unreadable", "tệp rỗng (0 byte)"
        return info
    if member.encrypted:
        info.slug, info.refused = "evidence-unreadable", "tệp được nén có đặt mật khẩu, không mở được"
        return info
    own = member_path(package, member)
    try:
        stream: IO[bytes] = own.open("rb") if own is not None else spool_member(package, member, member.size)
    except Exception as exc:  # a zip member that cannot be decompressed
        info.slug, info.refused = "evidence-unreadable", f"không giải nén được ({zip_error(exc)})"
        return info
    with stream:
        digest = hashlib.sha256()
        while chunk := stream.read(1 << 16):
            digest.update(chunk)
        info.sha256 = digest.hexdigest()
        stream.seek(0)
        reason = _sniff(kind, stream, info)
    if reason:
        info.slug, info.refused = "evidence-unreadable", reason
    return info


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.1f}".replace(".", ",")


def _sniff(kind: str, stream: IO[bytes], info: EvidenceFile) -> str:
    """Why the file cannot be read ("" when it can); the page count of a PDF on ``info``."""
    head = stream.read(8)
    stream.seek(0)
    if kind == "pdf":
        if not head.startswith(_PDF_MAGIC):
            return "không phải tệp PDF (nội dung không đúng định dạng)"
        return _read_pdf(stream, info)
    if kind in ("docx", "xlsx", "xlsm", "pptx", "odt", "ods"):
        if head.startswith(_OLE_MAGIC):
            return "tệp được đặt mật khẩu (hoặc là định dạng Office cũ)"
        import zipfile

        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return "tệp bị hỏng, không mở được"
        return "" if "[Content_Types].xml" in names or "mimetype" in names else "tệp bị hỏng, không mở được"
    if kind in _IMAGE_MAGIC:
        if not head.startswith(_IMAGE_MAGIC[kind]):
            return "không phải tệp ảnh đúng định dạng"
        from PIL import Image

        try:
            with Image.open(stream) as image:
                image.verify()
        except Exception:  # Pillow raises many kinds for a damaged image
            return "ảnh bị hỏng, không mở được"
    return ""


def _read_pdf(stream: IO[bytes], info: EvidenceFile) -> str:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return "tệp PDF được đặt mật khẩu"
        info.pages = len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        if "password" in str(exc).lower() or "decrypt" in str(exc).lower():
            return "tệp PDF được đặt mật khẩu"
        return "tệp PDF bị hỏng, không mở được"
    return ""


def check_evidence(result: ReturnResult, campaign: Campaign, sheet: str) -> None:
    """Parse every item's evidence cell and check the package's files; problems go to ``result.problems``."""
    from parcli.config.campaign_models import EvidenceModel

    settings = campaign.model.evidence or EvidenceModel()
    add = ProblemCollector(result.problems, result.file)
    add.department = result.owner_id
    members = evidence_members(result)
    package = result.package
    start, end = period_of(settings, campaign.model.year)
    if package is not None:
        from parcli.packages import reading

        with reading(package):
            result.evidence_files = {m.name: check_file(package, m, settings) for m in members}
        _refuse_twins(members, result.evidence_files)
    cited: set[str] = set()
    names = FileNames(members)
    for code, entry in result.items.items():
        parsed = parse_cell(code, entry.evidence_cell, entry.evidence, members, names)
        result.evidence[code] = parsed
        cited.update(parsed.files)
        _item_problems(parsed, entry.evidence, result, add, sheet, start, end)
    refused = {p.item for p in result.problems if p.is_error and p.slug.startswith("evidence-") and p.item}
    for item in refused:
        if item in result.items:
            result.items[item].accepted = False  # an item with an evidence error is not counted, as any row error
    for member in members:
        if member.name not in cited:
            add.add(
                "evidence-file-unused",
                f"Tệp “{member.name}” trong gói không được ghi ở cột tài liệu kiểm chứng của mục nào. "
                "Đề nghị ghi tên tệp vào đúng mục hoặc bỏ tệp khỏi gói.",
            )


def _refuse_twins(members: list[Member], files: dict[str, EvidenceFile]) -> None:
    """Refuse a name that several members share (stored twice, or NFC and NFD spellings): which one is meant is
    unknown, and reading either would pass the other over in silence."""
    from collections import Counter

    for name, count in Counter(m.name for m in members).items():
        if count > 1 and name in files:
            files[name].slug = "evidence-unreadable"
            files[
                name
            ].refused = (
                f"gói có {count} tệp cùng tên này (lưu hai lần hoặc gõ dấu theo hai cách), không rõ tệp nào là tài liệu"
            )


def _in_period(day: date, years: tuple[int, ...], start: date, end: date) -> bool:
    """A document dated in the period, or issued before it for a year of it: the year's plan is issued in the
    December before (“Kế hoạch số 204/KH-UBND ngày 23/12/2022 … năm 2023” is evidence for 2023)."""
    if start <= day <= end:
        return True
    return day < start and any(start.year <= year <= end.year for year in years)


def _item_problems(
    parsed: ItemEvidence, text: str, result: ReturnResult, add: ProblemCollector, sheet: str, start: date, end: date
) -> None:
    where = {"sheet": sheet, "cell": parsed.cell, "item": parsed.code}
    for name in parsed.missing:
        inside = "gói gửi kèm" if result.package is not None else "phiếu (phiếu gửi riêng, không kèm tệp)"
        add.add(
            "evidence-file-missing",
            f"Mục {parsed.code} ghi tệp “{name}” nhưng không có tệp này trong {inside}. "
            "Đề nghị gửi phiếu cùng tài liệu trong một thư mục hoặc tệp .zip, tên tệp ghi đúng như trong gói.",
            **where,
        )
    for name in parsed.ambiguous:
        add.add(
            "evidence-file-ambiguous",
            f"Mục {parsed.code} ghi tệp “{name}” nhưng gói có nhiều tệp mang tên này (ở các thư mục khác nhau, hoặc "
            "chỉ khác chữ hoa, chữ thường); không rõ tệp nào là tài liệu. Đề nghị ghi cả thư mục (ví dụ "
            "tai-lieu/QD.pdf) hoặc đổi tên các tệp cho khác nhau.",
            **where,
        )
    for name in parsed.files:
        info = result.evidence_files.get(name)
        if info is not None and info.slug:
            add.add(
                info.slug, f"Tài liệu “{name}” của mục {parsed.code}: {info.refused}. Đề nghị gửi lại tệp.", **where
            )
    for citation in parsed.citations:
        if not citation.well_formed:
            add.add(
                "evidence-citation-malformed",
                f"Số, ký hiệu văn bản “{citation.number}” của mục {parsed.code} không đúng thể thức Nghị định "
                "30/2020/NĐ-CP (số/ký hiệu loại văn bản-cơ quan ban hành, ví dụ 123/QĐ-UBND). Đề nghị ghi đúng "
                "như trên văn bản.",
                **where,
            )
    if parsed.dates and not any(
        _in_period(day, years, start, end) for day, years in zip(parsed.dates, parsed.years_for, strict=True)
    ):
        shown = ", ".join(d.strftime("%d/%m/%Y") for d in parsed.dates)
        add.add(
            "evidence-outside-period",
            f"Văn bản kiểm chứng của mục {parsed.code} đều ban hành ngoài kỳ đánh giá "
            f"({start:%d/%m/%Y}–{end:%d/%m/%Y}): {shown}. Tài liệu ngoài kỳ thường không được tính điểm.",
            **where,
        )
    if text.strip() and not (parsed.files or parsed.missing or parsed.ambiguous or parsed.citations or parsed.links):
        add.add(
            "evidence-vague",
            f"Cột tài liệu kiểm chứng của mục {parsed.code} chỉ ghi “{_short(text)}”, không có tệp, văn bản (số, "
            "ký hiệu, ngày) hay đường dẫn nào. Đề nghị ghi rõ tài liệu, mỗi tài liệu một dòng.",
            **where,
        )


def _short(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= 60 else one[:57] + "…"


def evidence_json(result: ReturnResult) -> dict[str, Any]:
    """The evidence of one return for ``--json``: its package, its files as checked, each item's cell parsed.

    ``package`` is None for a plain workbook, else its kind (``zip``/``folder``), form and refused members;
    ``evidence_files`` lists every file of the package but the form (name, size, pages, sha256, the items
    citing it, the problem slugs on it); ``evidence`` lists every item (its cell parsed, its evidence slugs).
    """
    package = result.package
    cited_by: dict[str, list[str]] = {}
    for code, parsed in result.evidence.items():
        for name in parsed.files:
            cited_by.setdefault(name, []).append(code)
    item_slugs: dict[str, list[str]] = {}
    for problem in result.problems:
        if (
            problem.item
            and problem.slug.startswith("evidence-")
            and problem.slug not in item_slugs.get(problem.item, [])
        ):
            item_slugs.setdefault(problem.item, []).append(problem.slug)
    files = []
    for member in evidence_members(result):
        info = result.evidence_files.get(member.name)
        slugs = [info.slug] if info is not None and info.slug else []
        if member.name not in cited_by:
            slugs.append("evidence-file-unused")
        files.append(
            {
                "name": member.name,
                "size": member.size,
                "pages": info.pages if info is not None else None,
                "sha256": (info.sha256 or None) if info is not None else None,
                "cited_by": cited_by.get(member.name, []),
                "problems": slugs,
            }
        )
    return {
        "package": None
        if package is None
        else {
            "kind": "zip" if package.is_zip else "folder",
            "form": result.form_member,
            "damaged": package.damaged,
            "refused": [{"reason": r.reason, "name": r.name, "detail": r.detail} for r in package.refused],
        },
        "evidence_files": files,
        "evidence": [
            {
                "item": code,
                "cell": parsed.cell,
                "files": parsed.files,
                "missing": parsed.missing,
                "citations": [
                    {
                        "number": c.number,
                        "well_formed": c.well_formed,
                        "date": c.day.isoformat() if c.day else None,
                    }
                    for c in parsed.citations
                ],
                "dates": [d.isoformat() for d in parsed.dates],
                "links": parsed.links,
                "problems": item_slugs.get(code, []),
            }
            for code, parsed in result.evidence.items()
        ],
    }
