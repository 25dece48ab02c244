"""The evidence book: the plain data the pack, its index workbook and the site are written from.

A :class:`Card` is one item of one department (or unit) as the appraisers see
it; a :class:`PackedFile` one file of the pack with every item citing it; the
:class:`EvidenceBook` holds them with the fields, the departments (or units
and their groups) and whether the appraisal workbooks were read.  Built by
:func:`parcli.results.evidence.pack.build_evidence`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from parcli.packages import Member, Package
    from parcli.results.appraisal import Progress

PACK_DIR = "goi-tai-lieu"
SITE_DIR = "trang-kiem-chung"
INDEX_NAME = "danh-muc-tai-lieu.xlsx"
ARCHIVE_NAME = "ho-so-kiem-chung.zip"
MARKER = ".parcli-ho-so-kiem-chung"  # marks a folder parcli wrote, so a new run may replace its parts
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')

# the appraisal state of a card (``Card.appraisal_state``)
APPRAISED, STALE, PENDING = "appraised", "stale", "pending"
STATE_LABELS = {APPRAISED: "Đã thẩm định", STALE: "Cần thẩm định lại", PENDING: "Chưa thẩm định", "": ""}


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


@dataclass(frozen=True)
class CardAppraisal:
    """What the appraisal workbooks say of one item: round 1, round 2, the final score, the note, stale or not."""

    round1: Decimal | None
    round2: Decimal | None
    final: Decimal | None
    note: str
    stale: bool


@dataclass
class Card:
    """One item of one department (or unit), as the appraisers see it."""

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
    group: str | None = None  # each-unit-scores: the unit's group id
    appraisable: bool = False  # a return row merge accepted, not marked not applicable: the appraisers' work
    appraisal: CardAppraisal | None = None

    @property
    def appraisal_state(self) -> str:
        """``stale``, ``appraised``, ``pending`` (to be appraised) or ``""`` (nothing to appraise yet)."""
        a = self.appraisal
        if a is not None and a.stale:
            return STALE
        if a is not None and a.final is not None:
            return APPRAISED
        return PENDING if self.appraisable else ""


@dataclass(frozen=True)
class Owner:
    """A department (or unit) of the hồ sơ: its return status and, for a unit, its group."""

    id: str
    name: str
    status: str
    group: str | None = None
    file_stem: str = ""


@dataclass
class EvidenceBook:
    """Everything the pack, the index and the site are written from."""

    title: str
    year: int
    cards: list[Card] = field(default_factory=list)
    files: list[PackedFile] = field(default_factory=list)
    fields: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # group ("" province) -> (code, title)
    departments: list[Owner] = field(default_factory=list)
    groups: list[tuple[str, str]] = field(default_factory=list)  # each-unit-scores: (id, name) in plan order
    appraised: bool = False  # built with the appraisal workbooks
    appraisal_files: list[str] = field(default_factory=list)  # the appraisal workbooks used
    appraisal_errors: int = 0  # errors in the appraisal workbooks (conflicts, bad values…)
    personal: list[str] = field(default_factory=list)  # files of the hồ sơ holding personal data (set when written)

    @property
    def units(self) -> bool:
        """True for an each-unit-scores campaign."""
        return bool(self.groups)

    @property
    def errors(self) -> int:
        """Errors on the cards."""
        return sum(1 for c in self.cards for p in c.problems if p[0] == "error")


MAX_NAME_BYTES = 240  # a file name on Linux is at most 255 bytes


def safe_name(text: str, limit: int = 80, *, keep_suffix: bool = False) -> str:
    """A file or folder name every system accepts: no separators or reserved characters, at most ``limit``.

    With ``keep_suffix`` the extension (``.pdf``) survives the cut: the stem is shortened instead.
    """
    name = " ".join(_UNSAFE.sub(" ", text).split()).strip(" .")
    suffix = ""
    if keep_suffix:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and 0 < len(ext) <= 5 and " " not in ext:
            name, suffix = stem.rstrip(" ."), "." + ext
    room = max(limit - len(suffix), 8)
    if len(name) > room:
        cut = name[:room].rsplit(" ", 1)[0]
        name = cut if len(cut) > room // 2 else name[:room]
    while len((name + suffix).encode("utf-8")) > MAX_NAME_BYTES:  # Linux counts bytes: 150 letters "ệ" are 450
        name = name[:-1].rstrip(" .")
    return (name or "tep") + suffix


def appraisal_progress(name: str, cards: Iterable[Card]) -> Progress:
    """Self-assessed → round 1 → final over the cards the appraisers have to judge, counted as the report does.

    A card counts when merge accepted its return row and it is not marked not
    applicable; an item not appraised counts with its self-score.
    """
    from parcli.results.appraisal import Progress

    total = Progress(name)
    for c in cards:
        if c.appraisable:
            a = c.appraisal
            total.add(c.score, a.round1 if a else None, a.final if a else None, bool(a and a.stale))
    return total
