"""What a form kind declares to the collection engine, and what reading one returned file yields.

A *form* is a workbook parcli issues to an *owner* (a department, a nominating
unit…), who fills it in and sends it back.  :class:`FormResult` is what every
reader returns for one file (identity, dates, problems); a round subclasses it
with its own values (scored items, respondents).  :class:`FormKind` is the
handful of things the engine needs from a round: how to read one file, who the
expected owners are, and the Vietnamese words and messages of that round.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from parcli.files import display_name, sha256_file
from parcli.packages import Package
from parcli.problems import Problem, ProblemCollector


@dataclass
class FormResult:
    """One returned file as read: identity, dates, problems (a round adds its values)."""

    path: Path
    sha256: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    owner_id: str | None = None  # the owner named by the file's metadata, once recognised
    problems: list[Problem] = field(default_factory=list)
    sent_date: date | None = None  # the date written on the cover sheet
    received: date | None = None  # the file's modification date
    modified: datetime | None = None  # the file's modification time
    usable: bool = False  # False when the file as a whole cannot be used
    package: Package | None = None  # the folder or .zip the form came in, with its other files
    form_member: str | None = None  # the form's name inside its package

    @property
    def file(self) -> str:
        """The file name shown in messages (bytes that are not UTF-8 shown as \ufffd; ``path`` is the real one)."""
        return display_name(self.path.name)

    @property
    def errors(self) -> int:
        """Number of errors."""
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        """Number of warnings."""
        return sum(1 for p in self.problems if not p.is_error)


def open_form(
    result: FormResult,
    read: Callable[[Any, ProblemCollector], None],
    *,
    fast_sheets: tuple[str, ...] | None,
    noun: str,
    open_noun: str | None = None,
) -> bool:
    """The steps every reader shares: sniff the container, hash and stamp the file, open it and run ``read``.

    ``read(workbook, add)`` fills ``result``.  Returns False when the file was
    refused or a part of it was damaged (the problems say why); ``noun`` names the
    document in the container messages, ``open_noun`` in the parser messages.
    """
    path = result.path
    add = ProblemCollector(result.problems, result.file)
    if path.is_dir() or path.suffix.lower() == ".zip":
        from parcli.collect.package import open_package_form

        return open_package_form(
            result, add, lambda source: _open_file(result, source, add, read, fast_sheets, noun, open_noun)
        )
    return _open_file(result, path, add, read, fast_sheets, noun, open_noun)


def _open_file(
    result: FormResult,
    source: Path,
    add: ProblemCollector,
    read: Callable[[Any, ProblemCollector], None],
    fast_sheets: tuple[str, ...] | None,
    noun: str,
    open_noun: str | None,
) -> bool:
    """Open the workbook at ``source`` (the returned file itself, or a package's form); hash and stamp the return."""
    from parcli.xlsx.open import read_workbook, sniff_workbook

    if not sniff_workbook(source, lambda slug, message: add.add(slug, message), noun=noun):
        return False
    stamped = result.path if result.path.is_file() else source  # a zip is stamped as itself, a folder by its form
    result.sha256 = sha256_file(stamped)
    result.modified = datetime.fromtimestamp(stamped.stat().st_mtime)
    result.received = result.modified.date()
    return read_workbook(source, add, lambda wb: read(wb, add), fast_sheets=fast_sheets, noun=open_noun or noun)


R = TypeVar("R", bound=FormResult)
R_co = TypeVar("R_co", bound=FormResult, covariant=True)
OwnerT = TypeVar("OwnerT")


class FormKind(Protocol[R_co, OwnerT]):
    """What a round declares so the engine can collect its forms.

    ``document`` is the short noun of the form in messages and labels ("phiếu",
    "danh sách"), ``owner_noun`` the noun of its owners ("cơ quan", "đơn vị"),
    ``role`` the file role written in ``manifest.json``.
    """

    @property
    def document(self) -> str:
        """The short noun of the form ("phiếu", "danh sách")."""
        ...

    @property
    def owner_noun(self) -> str:
        """The noun of the owners ("cơ quan", "đơn vị")."""
        ...

    @property
    def role(self) -> str:
        """The role of the files in ``manifest.json``."""
        ...

    def read(self, path: Path) -> R_co:
        """Read one file; never raises for bad data."""
        ...

    def worker(self) -> tuple[Callable[[str], FormKind[R_co, OwnerT]], str]:
        """A top-level function and its argument that rebuild this kind in a worker process."""
        ...

    def owners(self) -> Sequence[OwnerT]:
        """The expected owners, in the order outcomes are reported."""
        ...

    def owner_id(self, owner: OwnerT) -> str:
        """The id a file's metadata names its owner by."""
        ...

    def not_a_form(self, path: Path) -> Problem:
        """The problem of a file in the folder that is not a spreadsheet."""
        ...

    def missing(self, owner: OwnerT) -> Problem:
        """The problem of an owner who sent nothing."""
        ...

    def duplicate(self, owner: OwnerT, result: FormResult, files: list[str], reason: str) -> Problem:
        """The problem of one of several files of an owner when none can be chosen (``reason`` says why)."""
        ...
