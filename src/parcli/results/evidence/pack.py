"""The evidence file (hồ sơ kiểm chứng): the cards, the upload pack by component criterion, written atomically.

:func:`build_evidence` turns merged returns (and, when given, the appraisal
workbooks collected against them) into plain cards — one per assigned item and
department or unit, with the self-score, explanation, evidence lines, files,
problems and appraisal state — and plans where every evidence file goes in the
pack: one folder per component criterion (``<code> <short title>``), inside
``<unit group>/<unit>/`` in each-unit-scores mode, files named
``<code>-<department>-<n>-<original name>``; the same file (by SHA-256) is
stored once — once per unit in each-unit-scores mode — with every item that
cites it recorded.  :func:`write_evidence` copies the files (streamed from
folders and zips), writes the index workbook (:mod:`parcli.results.evidence.index`)
and the site (:mod:`parcli.results.evidence.site`) and, with ``archive``, one
zip of both — all into a staging folder first, so a failed run leaves the
previous hồ sơ as it was.

A department may cite a survey respondent list (or a consolidated respondents workbook) as evidence:
it holds personal data.  Such a file is recognised by its hidden metadata while it is copied (through a
private folder, never in clear in the hồ sơ when a password is given): with a password it is stored
encrypted (it opens in Excel, LibreOffice or WPS with that password) and the zip is an AES-256 zip;
without one it is stored as sent, with a warning, and a zip is refused (:class:`PersonalDataError`).
The hồ sơ's marker names these files, so ``parcli survey purge`` can find them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from parcli.errors import OutputError, UsageError
from parcli.results.evidence.book import (
    ARCHIVE_NAME,
    INDEX_NAME,
    MARKER,
    PACK_DIR,
    SITE_DIR,
    Card,
    CardAppraisal,
    EvidenceBook,
    Owner,
    PackedFile,
    safe_name,
)

if TYPE_CHECKING:
    from parcli.config.campaign import Department
    from parcli.rounds.appraisal.merge import AppraisalCollection
    from parcli.rounds.scoring.merge import MergeResult
    from parcli.rounds.scoring.read import ReturnResult
    from parcli.secret import Password

_PERSONAL = "personal: "  # a line of the marker naming a file of the hồ sơ that holds personal data


class PersonalDataError(UsageError):
    """A zip of the hồ sơ would hold personal data without a password."""


def build_evidence(merge: MergeResult, appraisals: AppraisalCollection | None = None) -> EvidenceBook:
    """The cards and the pack plan from merged returns (the returns that count, one per department or unit).

    A department gets a card for every item assigned to it; a unit for every
    self-assessed item of its group's catalogue it is not exempt from.  With
    ``appraisals`` (collected against ``merge``), each card carries its
    appraisal: round 1, round 2, final score, note and whether the return row
    changed after it.
    """
    from parcli.rounds.scoring.merge import STATUS_LABELS

    campaign = merge.campaign
    book = EvidenceBook(title=campaign.model.title, year=campaign.model.year)
    if campaign.is_units:
        groups = dict.fromkeys(d.group or "" for d in campaign.departments)
        book.groups = [(g, campaign.group_name(g)) for g in groups]
        book.fields = {g: [(f.code, f.title) for f in campaign.catalogues[g].model.fields] for g in groups}
    else:
        book.fields = {"": [(f.code, f.title) for f in campaign.catalogue.model.fields]}
    if appraisals is not None:
        book.appraised = True
        book.appraisal_files = [o.used for o in appraisals.outcomes if o.used]
        book.appraisal_errors = sum(1 for p in appraisals.problems if p.is_error)
    by_file = {(r.owner_id, r.file): r for r in merge.returns}
    returned = merge.returned_rows()
    planner = _Planner(book, campaign.is_units)
    for outcome in merge.departments:
        dept = outcome.department
        status = STATUS_LABELS.get(outcome.status, outcome.status)
        book.departments.append(Owner(dept.id, dept.name, status, dept.group, dept.file_stem))
        scope = campaign.scope_of(dept.id)
        rows = returned.get(scope, {})
        kept: ReturnResult | None = by_file.get((dept.id, outcome.used)) if outcome.used else None
        for leaf in dept.items:
            entry = kept.items.get(leaf.code) if kept is not None else None
            row = rows.get(leaf.code)
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
                group=dept.group,
                appraisable=row is not None and not row.not_applicable,
            )
            if appraisals is not None and (found := appraisals.items.get((scope, leaf.code))) is not None:
                card.appraisal = CardAppraisal(found.round1, found.round2, found.score, found.note, found.stale)
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
            for n, name in enumerate(parsed.files, start=1):
                if not planner.place(card, dept, kept, n, name, leaf.title):
                    card.refused_files.append(name)
    return book


# No path inside the hồ sơ longer than this (``goi-tai-lieu/<folder>/<file>``, relative to the output folder), so
# that under a OneDrive Desktop folder, and while staged (~30 more), it stays within the 260 characters Explorer,
# Excel and Explorer's zip extraction still keep on Windows.  A file name keeps its extension whatever is cut.
MAX_PACK_PATH = 100
MIN_FILE_NAME = 28


class _Planner:
    """Where each evidence file goes in the pack, stored once per SHA-256 (per unit in each-unit-scores mode)."""

    def __init__(self, book: EvidenceBook, units: bool) -> None:
        self.book = book
        self.units = units
        self.by_hash: dict[tuple[str, str], PackedFile] = {}
        self.taken: set[str] = set()  # relative paths already planned (casefolded: Windows and macOS)
        self.group_names = dict(book.groups)

    def folder(self, dept: Department, code: str, title: str) -> str:
        """``<code> <title>``, under ``<group>/<unit>`` for a unit (short parts: Windows' path length)."""
        if not self.units:
            return safe_name(f"{code} {title}", 36)
        group = safe_name(self.group_names.get(dept.group or "", dept.group or ""), 20)
        return f"{group}/{safe_name(dept.file_stem, 22)}/{safe_name(f'{code} {title}', 14)}"

    def place(self, card: Card, dept: Department, kept: ReturnResult, n: int, name: str, title: str) -> bool:
        """Put one cited file of a card in the pack; False when it cannot be packed (missing, unreadable)."""
        from parcli.files import display_name

        info = kept.evidence_files.get(name)
        package = kept.package
        member = package.member(name) if package is not None else None
        if info is None or info.slug or member is None or package is None:
            return False
        key = (dept.id if self.units else "", info.sha256)
        packed = self.by_hash.get(key)
        if packed is None:
            folder = self.folder(dept, card.code, title)
            limit = max(MAX_PACK_PATH - len(f"{PACK_DIR}/{folder}/") - 4, MIN_FILE_NAME)  # 4: room for " (2)"
            stored = self._free(
                folder, safe_name(f"{card.code}-{dept.id}-{n}-{display_name(member.base)}", limit, keep_suffix=True)
            )
            packed = PackedFile(folder, stored, info.size, info.sha256, info.pages, (package, member))
            self.by_hash[key] = packed
            self.book.files.append(packed)
        packed.cited_by.append((card.code, dept.id))
        card.files.append(packed)
        return True

    def _free(self, folder: str, name: str) -> str:
        """``name``, or ``name (2)``… when a shortened name is already taken in ``folder``."""
        stem, dot, suffix = name.rpartition(".")
        candidate, k = name, 1
        while f"{folder}/{candidate}".casefold() in self.taken:
            k += 1
            candidate = f"{stem} ({k}).{suffix}" if dot else f"{name} ({k})"
        self.taken.add(f"{folder}/{candidate}".casefold())
        return candidate


def check_output(out: Path) -> None:
    """Refuse an ``out`` that holds files parcli evidence did not write (a leftover staging folder is ours)."""
    from parcli.files import STAGING_PREFIX

    if not out.exists() or (out / MARKER).exists():
        return
    if not out.is_dir():
        raise OutputError(f"{out} là một tệp, không phải thư mục. Đề nghị chọn thư mục khác cho hồ sơ kiểm chứng.")
    if any(not entry.name.startswith(STAGING_PREFIX) for entry in out.iterdir()):
        raise OutputError(
            f"Thư mục {out} đã có tệp không phải do lệnh parcli evidence ghi. "
            "Đề nghị chọn thư mục trống hoặc thư mục mới."
        )


def write_evidence(
    book: EvidenceBook, out: Path, *, archive: bool = False, password: Password | None = None
) -> list[Path]:
    """Write the pack, its index workbook and the site into ``out`` (and the zip); the paths written.

    Everything is written into a staging folder inside ``out`` first; only when
    all is written are the parts swapped in (the previous pack, site and zip
    removed).  A failure on the way leaves ``out`` as it was.  Files holding
    personal data are stored encrypted with ``password``, or refused in a zip
    without one (:class:`PersonalDataError`); ``book.personal`` names them.
    """
    from parcli.files import staged_folder

    check_output(out)
    with staged_folder(out) as stage:
        personal = _write_parts(book, stage, archive=archive, password=password)
        book.personal = personal
        lines = ["parcli evidence", *(f"{_PERSONAL}{name}" for name in personal)]
        (stage / MARKER).write_text("\n".join(lines) + "\n", encoding="utf-8")  # staged_folder moves it in
        _swap(out, stage, (PACK_DIR, SITE_DIR, ARCHIVE_NAME))
    written = [out / PACK_DIR, out / PACK_DIR / INDEX_NAME, out / SITE_DIR]
    return [*written, out / ARCHIVE_NAME] if archive else written


def personal_copies(folder: Path) -> list[Path]:
    """The files holding personal data in every hồ sơ under ``folder``, as the hồ sơ markers name them."""
    import os

    found: list[Path] = []
    for root, _dirs, files in os.walk(folder):
        if MARKER not in files:
            continue
        try:
            lines = (Path(root) / MARKER).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeError):
            continue
        for line in lines:
            relative = line[len(_PERSONAL) :] if line.startswith(_PERSONAL) else ""
            path = Path(root, *relative.split("/")) if relative and ".." not in relative.split("/") else None
            if path is not None and path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def _write_parts(book: EvidenceBook, stage: Path, *, archive: bool, password: Password | None) -> list[str]:
    """The pack (files copied, streamed), its index, the site and the zip, all inside ``stage``; the files of
    the hồ sơ (relative, ``/``) that hold personal data."""
    import contextlib

    from parcli.packages import reading
    from parcli.results.evidence.index import write_index
    from parcli.results.evidence.site import write_site

    pack = stage / PACK_DIR
    pack.mkdir()
    personal: list[str] = []
    with contextlib.ExitStack() as open_packages:  # each zip opened once, however many of its files are copied
        opened: set[Path] = set()
        for packed in book.files:
            folder = pack / packed.folder
            folder.mkdir(parents=True, exist_ok=True)
            assert packed.source is not None
            package = packed.source[0]
            if package.path not in opened:
                opened.add(package.path)
                open_packages.enter_context(reading(package))
            if _copy(packed, folder, password):
                personal.append(f"{PACK_DIR}/{packed.relative}")
    write_index(book, pack / INDEX_NAME)
    write_site(book, stage / SITE_DIR, f"../{PACK_DIR}")
    if archive:
        if personal and password is None:
            from parcli.secret import HOW_TO_GIVE

            raise PersonalDataError(
                f"Hồ sơ có {len(personal)} tệp chứa dữ liệu cá nhân (danh sách đối tượng điều tra: "
                f"{', '.join(Path(p).name for p in personal)}); parcli không nén chúng vào tệp .zip không mật khẩu. "
                f"Cho mật khẩu ({HOW_TO_GIVE}) để nén có mã hóa AES-256, hoặc chạy lại không có --zip. Chưa tệp "
                "nào được ghi."
            )
        _archive(stage, stage / ARCHIVE_NAME, password if personal else None)
        if personal:
            personal.append(ARCHIVE_NAME)
    return personal


def _copy(packed: PackedFile, folder: Path, password: Password | None) -> bool:
    """Copy one packed file into ``folder``; True when it holds personal data (then encrypted with ``password``).

    A workbook is first copied into a private folder and told there (:func:`parcli.rounds.lists.purge.holding`),
    so a list of personal data reaches the hồ sơ only encrypted when there is a password.
    """
    import shutil
    import tempfile

    from parcli.packages import copy_member
    from parcli.secret import encrypt_bytes, private_folder

    assert packed.source is not None
    package, member = packed.source
    if member.suffix not in (".xlsx", ".xlsm"):
        copy_member(package, member, folder, packed.name)
        return False
    from parcli.rounds.lists.purge import holding

    with tempfile.TemporaryDirectory(prefix="parcli-", dir=private_folder()) as private:
        copied = copy_member(package, member, Path(private), "tep" + member.suffix)
        personal = holding(copied) in ("list", "respondents")
        if personal and password is not None:
            (folder / packed.name).write_bytes(encrypt_bytes(copied.read_bytes(), password))
        else:
            shutil.copyfile(copied, folder / packed.name)
    return personal


def _swap(out: Path, stage: Path, parts: tuple[str, ...]) -> None:
    """Replace ``parts`` of ``out`` by those of ``stage`` (a part ``stage`` lacks is removed), all or nothing.

    :func:`parcli.files.swap_in` does it: renames within one folder, retried while an antivirus
    holds a file, undone if one fails, and the previous hồ sơ never deleted after a failed undo.
    """
    from parcli.files import swap_in

    moves = [(stage / part, out / part) for part in parts if (stage / part).exists()]
    remove = [out / part for part in parts if not (stage / part).exists()]
    swap_in(out, moves, remove=remove)


def _archive(root: Path, target: Path, password: Password | None = None) -> Path:
    """The zip of the pack and the site; AES-256 encrypted with ``password`` when given (7-Zip, WinRAR and
    WinZip open it; Windows Explorer's own zip folders do not)."""
    import contextlib
    import zipfile

    from parcli.files import atomic_path

    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(atomic_path(target))
        if password is None:
            archive = stack.enter_context(zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED))
        else:
            import pyzipper

            archive = stack.enter_context(
                pyzipper.AESZipFile(tmp, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES)
            )
            archive.setpassword(password.reveal().encode("utf-8"))
        for part in (PACK_DIR, SITE_DIR):
            for path in sorted((root / part).rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(root).as_posix())
    return target
