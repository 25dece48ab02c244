"""The evidence file (hồ sơ kiểm chứng): the upload pack by component criterion and its index workbook.

:func:`build_evidence` turns merged returns into plain cards — one per assigned
item and department, with the self-score, explanation, evidence lines, files
and problems — and plans where every evidence file goes in the pack: one folder
per component criterion (``<code> <short title>``), files named
``<code>-<department>-<n>-<original name>``, the same file (by SHA-256) stored
once with every item that cites it recorded.  :func:`write_evidence` copies the
files (streamed from folders and zips), writes the index workbook and the site
(:mod:`parcli.results.evidence_site`) and, with ``archive``, one zip of both.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from parcli.errors import OutputError

if TYPE_CHECKING:
    from parcli.packages import Member, Package
    from parcli.rounds.scoring.merge import MergeResult
    from parcli.rounds.scoring.read import ReturnResult

PACK_DIR = "goi-tai-lieu"
SITE_DIR = "trang-kiem-chung"
INDEX_NAME = "danh-muc-tai-lieu.xlsx"
ARCHIVE_NAME = "ho-so-kiem-chung.zip"
MARKER = ".parcli-ho-so-kiem-chung"  # marks a folder parcli wrote, so a new run may replace its parts
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass
class PackedFile:
    """One file of the pack: where it is stored, where it came from, and every item citing it."""

    folder: str
    name: str
    size: int
    sha256: str
    pages: int | None
    source: tuple[Package, Member] | None
    cited_by: list[tuple[str, str]] = field(default_factory=list)  # (item code, department id)

    @property
    def relative(self) -> str:
        """The path inside the pack folder."""
        return f"{self.folder}/{self.name}"


@dataclass
class Card:
    """One item of one department, as the appraisers see it."""

    code: str
    title: str
    field_code: str
    department: str
    department_name: str
    max_points: Decimal
    score: Decimal | None
    not_applicable: bool
    status: str
    explanation: str = ""
    lines: list[str] = field(default_factory=list)
    files: list[PackedFile] = field(default_factory=list)
    refused_files: list[str] = field(default_factory=list)  # cited but missing or unreadable
    dates: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (severity, slug, message)


@dataclass
class EvidenceBook:
    """Everything the pack, the index and the site are written from."""

    title: str
    year: int
    cards: list[Card] = field(default_factory=list)
    files: list[PackedFile] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)  # (code, title) in catalogue order
    departments: list[tuple[str, str, str]] = field(default_factory=list)  # (id, name, status)

    @property
    def errors(self) -> int:
        """Errors on the cards."""
        return sum(1 for c in self.cards for p in c.problems if p[0] == "error")


def safe_name(text: str, limit: int = 80) -> str:
    """A file or folder name every system accepts: no separators or reserved characters, at most ``limit``."""
    name = " ".join(_UNSAFE.sub(" ", text).split()).strip(" .")
    if len(name) > limit:
        cut = name[:limit].rsplit(" ", 1)[0]
        name = cut if len(cut) > limit // 2 else name[:limit]
    return name or "tep"


def build_evidence(merge: MergeResult) -> EvidenceBook:
    """The cards and the pack plan from merged returns (the returns that count, one per department)."""
    from parcli.files import display_name
    from parcli.rounds.scoring.merge import STATUS_LABELS

    campaign = merge.campaign
    book = EvidenceBook(title=campaign.model.title, year=campaign.model.year)
    book.fields = [(f.code, f.title) for f in campaign.catalogue.model.fields]
    by_file = {(r.owner_id, r.file): r for r in merge.returns}
    by_hash: dict[str, PackedFile] = {}
    for outcome in merge.departments:
        dept = outcome.department
        book.departments.append((dept.id, dept.name, STATUS_LABELS.get(outcome.status, outcome.status)))
        kept: ReturnResult | None = by_file.get((dept.id, outcome.used)) if outcome.used else None
        for leaf in dept.items:
            entry = kept.items.get(leaf.code) if kept is not None else None
            card = Card(
                code=leaf.code,
                title=leaf.title,
                field_code=leaf.field_code,
                department=dept.id,
                department_name=dept.name,
                max_points=leaf.max_points,
                score=entry.score if entry is not None else None,
                not_applicable=entry.not_applicable if entry is not None else False,
                status="Đã nhận" if entry is not None and entry.accepted else ("Có lỗi" if entry else "Chưa có"),
            )
            book.cards.append(card)
            if kept is None or entry is None:
                continue
            card.explanation = entry.explanation
            card.lines = [line.strip() for line in entry.evidence.splitlines() if line.strip()]
            card.problems = [(p.severity, p.slug, p.message) for p in kept.problems if p.item == leaf.code]
            parsed = kept.evidence.get(leaf.code)
            if parsed is None:
                continue
            card.links = list(parsed.links)
            card.dates = [d.strftime("%d/%m/%Y") for d in parsed.dates]
            card.refused_files = list(parsed.missing)
            folder = safe_name(f"{leaf.code} {leaf.title}", 60)
            for n, name in enumerate(parsed.files, start=1):
                info = kept.evidence_files.get(name)
                package = kept.package
                member = package.member(name) if package is not None else None
                if info is None or info.slug or member is None or package is None:
                    card.refused_files.append(name)
                    continue
                packed = by_hash.get(info.sha256)
                if packed is None:
                    stored = safe_name(f"{leaf.code}-{dept.id}-{n}-{display_name(member.base)}", 150)
                    packed = PackedFile(folder, stored, info.size, info.sha256, info.pages, (package, member))
                    by_hash[info.sha256] = packed
                    book.files.append(packed)
                packed.cited_by.append((leaf.code, dept.id))
                card.files.append(packed)
    return book


def prepare_output(out: Path) -> None:
    """Make ``out`` ready: created, or a folder parcli wrote before (its pack and site are replaced)."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputError(
            f"Thư mục {out} đã có tệp không phải do lệnh parcli evidence ghi; chọn thư mục trống hoặc thư mục mới."
        )
    out.mkdir(parents=True, exist_ok=True)
    for part in (PACK_DIR, SITE_DIR):
        if (out / part).exists():
            shutil.rmtree(out / part)
    (out / ARCHIVE_NAME).unlink(missing_ok=True)
    (out / MARKER).write_text("parcli evidence\n", encoding="utf-8")


def write_evidence(book: EvidenceBook, out: Path, *, archive: bool = False) -> list[Path]:
    """Write the pack, its index workbook and the site into ``out`` (and the zip); the paths written."""
    import contextlib

    from parcli.packages import copy_member, reading
    from parcli.results.evidence_site import write_site

    prepare_output(out)
    pack = out / PACK_DIR
    pack.mkdir()
    with contextlib.ExitStack() as open_packages:  # each zip opened once, however many of its files are copied
        opened: set[Path] = set()
        for packed in book.files:
            folder = pack / packed.folder
            folder.mkdir(exist_ok=True)
            assert packed.source is not None
            package, member = packed.source
            if package.path not in opened:
                opened.add(package.path)
                open_packages.enter_context(reading(package))
            copy_member(package, member, folder, packed.name)
    written = [pack, write_index(book, pack / INDEX_NAME), write_site(book, out / SITE_DIR, f"../{PACK_DIR}")]
    if archive:
        written.append(_archive(out, out / ARCHIVE_NAME))
    return written


def _archive(out: Path, target: Path) -> Path:
    import zipfile

    from parcli.files import atomic_path

    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in (PACK_DIR, SITE_DIR):
            for path in sorted((out / part).rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(out).as_posix())
    return target


INDEX_HEADERS = ("Mục", "Cơ quan", "Tệp trong gói", "Dung lượng (KB)", "Số trang", "Ngày văn bản", "Vấn đề")


def write_index(book: EvidenceBook, target: Path) -> Path:
    """The index workbook: one row per (item, department) with each file it cites, or none."""
    from parcli.xlsx.style import XW, xw_format
    from parcli.xlsx.write import page, set_column_widths, write_text, write_xlsxwriter

    def build(wb: object) -> None:
        ws = wb.add_worksheet("Danh mục tài liệu")  # type: ignore[attr-defined]
        head = xw_format(wb, XW.bold, XW.border, XW.header_fill, XW.center)
        body = xw_format(wb, XW.font, XW.border, XW.wrap)
        number = xw_format(wb, XW.font, XW.border, XW.nowrap)
        ws.write_string(0, 0, f"DANH MỤC TÀI LIỆU KIỂM CHỨNG — {book.title}", xw_format(wb, XW.title))
        for col, label in enumerate(INDEX_HEADERS):
            ws.write_string(2, col, label, head)
        row = 3
        for card in book.cards:
            problems = "\n".join(message for _sev, _slug, message in card.problems)
            files: list[PackedFile | None] = list(card.files) or [None]
            for packed in files:
                write_text(ws, row, 0, f"{card.code}. {card.title}", body)
                write_text(ws, row, 1, card.department_name, body)
                write_text(ws, row, 2, packed.relative if packed else "", body)
                if packed is not None:
                    ws.write_number(row, 3, round(packed.size / 1024, 1), number)
                else:
                    ws.write_blank(row, 3, None, number)
                if packed is not None and packed.pages is not None:
                    ws.write_number(row, 4, packed.pages, number)
                else:
                    ws.write_blank(row, 4, None, number)
                write_text(ws, row, 5, ", ".join(card.dates), body)
                write_text(ws, row, 6, problems, body)
                row += 1
        set_column_widths(ws, {1: 40, 2: 28, 3: 50, 4: 12, 5: 9, 6: 16, 7: 60})
        ws.freeze_panes(3, 0)
        ws.autofilter(2, 0, max(row - 1, 2), len(INDEX_HEADERS) - 1)
        page(ws, landscape=True, repeat_row=2)

    write_xlsxwriter(target, build)
    return target
