"""The collection engine: a folder of returned forms → one outcome per expected owner.

:func:`collect_forms` lists the folder (lock files, hidden files, subfolders and
non-spreadsheets sorted out), reads every spreadsheet (on both cores when there
are many), groups the files by the owner their metadata names, applies the one
version rule when an owner sent several, and settles each owner's status (``ok``,
``invalid``, ``missing``, ``duplicate``).  :func:`manifest_inputs` lists every
file read for ``manifest.json``.

How a new form kind plugs in: a round declares its table in its layout
(:class:`~parcli.collect.rows.Table`), reads one file into a
:class:`~parcli.collect.form.FormResult` subclass (:func:`~parcli.collect.form.open_form`
doing the shared opening steps, :func:`~parcli.collect.rows.read_table` the row loop),
and gives a small :class:`~parcli.collect.form.FormKind` naming its owners and its
missing / duplicate messages.  Then ``collect_forms(kind, folder, make_outcome=...)``
gives the outcomes; the round adds only what is its own (item rows, quotas…).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from parcli.collect.folder import list_folder, read_all
from parcli.collect.form import FormKind, FormResult
from parcli.collect.versions import Outcome, VersionDecision, choose_version
from parcli.files import display_name
from parcli.problems import Problem
from parcli.xlsx.open import is_lock_file

R = TypeVar("R", bound=FormResult)
OwnerT = TypeVar("OwnerT")
Out = TypeVar("Out", bound=Outcome[Any])


@dataclass
class Collection(Generic[R, Out]):
    """Everything the engine found in a folder, before a round adds its own consolidation."""

    results: list[R] = field(default_factory=list)  # every spreadsheet read, in file name order
    outcomes: list[Out] = field(default_factory=list)  # one per expected owner, in the kind's order
    general: list[Problem] = field(default_factory=list)  # files not spreadsheets, files of no known owner
    problems_of: dict[str, list[Problem]] = field(default_factory=dict)  # owner id -> the owner's problems
    used: dict[str, R] = field(default_factory=dict)  # owner id -> the one file kept (usable or not)
    chosen: dict[str, R] = field(default_factory=dict)  # owner id -> the file whose values count
    decisions: list[VersionDecision] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    unmatched_picks: list[str] = field(default_factory=list)

    def problems(self, owner_ids: list[str]) -> list[Problem]:
        """The general problems, then each owner's in the given order."""
        return self.general + [p for oid in owner_ids for p in self.problems_of.get(oid, [])]

    def settle(self, owner_ids: list[str]) -> None:
        """Recount each owner's problems and status (after a round added problems of its own)."""
        for oid, outcome in zip(owner_ids, self.outcomes, strict=True):
            kept = self.used.get(oid)
            outcome.settle(self.problems_of[oid], kept is not None and kept.usable)


def _key(name: str) -> str:
    """A file name as ``--pick`` compares it: its base name, NFC, without case."""
    return unicodedata.normalize("NFC", display_name(Path(name).name)).casefold()


def skipped_entry(path: Path) -> Problem:
    """The warning for a folder entry that is not read: a subfolder, a broken link or a hidden file."""
    name = display_name(path.name)
    if path.is_dir():
        why = "là thư mục con; các tệp trong đó không được đọc (đặt phiếu trực tiếp vào thư mục gửi về)"
    elif not path.exists():
        why = "là liên kết hỏng (tệp nó trỏ tới không còn); không đọc được"
    else:
        why = "là tệp ẩn (tên bắt đầu bằng dấu chấm) nên không được đọc; đổi tên nếu đây là phiếu gửi về"
    return Problem("folder-entry-skipped", f"{name} {why}.", file=name)


def collect_forms(
    kind: FormKind[R, OwnerT],
    folder: Path,
    make_outcome: Callable[[OwnerT, list[str]], Out],
    *,
    pick: list[str] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> Collection[R, Out]:
    """Read every form in ``folder`` (never modifying it) and decide each owner's outcome.

    ``make_outcome(owner, files)`` builds the round's outcome type; ``pick``
    names files (a name or a path) that win when an owner sent several versions.
    """
    sheets, others, ignored = list_folder(folder)
    found: Collection[R, Out] = Collection(ignored=[display_name(p.name) for p in ignored])
    if on_start is not None:
        on_start(len(sheets))
    found.general = [skipped_entry(path) for path in ignored if not is_lock_file(path)]
    found.general += [kind.not_a_form(path) for path in others]
    for result in read_all(kind.read, sheets, kind.worker()):
        found.results.append(result)
        if on_file is not None:
            on_file(result.path)
    # a file name or a path, as shell completion writes it; compared without case, as Windows compares names
    picks = {_key(p) for p in pick or ()}
    read = {_key(r.file) for r in found.results}
    found.unmatched_picks = sorted(display_name(Path(p).name) for p in pick or () if _key(p) not in read)

    by_owner: dict[str, list[R]] = {}
    for result in found.results:
        if result.owner_id is None:
            found.general.extend(result.problems)
        else:
            by_owner.setdefault(result.owner_id, []).append(result)
    owner_ids: list[str] = []
    for owner in kind.owners():
        oid = kind.owner_id(owner)
        owner_ids.append(oid)
        files = by_owner.get(oid, [])
        outcome = make_outcome(owner, [r.file for r in files])
        days = [d for d in (r.sent_date or r.received for r in files) if d is not None]
        outcome.first_received = min(days, default=None)
        found.outcomes.append(outcome)
        bucket = found.problems_of[oid] = []
        if not files:
            bucket.append(kind.missing(owner))
            continue
        if len(files) > 1:
            used, reason = choose_version(files, picks, document=kind.document, owner_noun=kind.owner_noun)
            others_ = tuple(r.file for r in files if r is not used)
            found.decisions.append(VersionDecision(oid, used.file if used else None, others_, reason))
            if used is None:
                outcome.status = "duplicate"
                names = [r.file for r in files]
                for result in files:
                    bucket.extend(result.problems)
                    bucket.append(kind.duplicate(owner, result, names, reason))
                continue
            files = [used]
        kept = files[0]
        bucket.extend(kept.problems)
        outcome.used = kept.file
        outcome.status = "ok"
        found.used[oid] = kept
        if kept.usable:
            found.chosen[oid] = kept
    found.settle(owner_ids)
    return found


def manifest_inputs(
    results: list[R],
    outcomes: list[Out],
    *,
    role: str,
    owner_key: str,
    extra: Callable[[R], dict[str, Any]] | None = None,
    member_hashes: Callable[[R], dict[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """Every file read, with its hash, owner (under ``owner_key``), status and counts (for ``manifest.json``).

    A file not used is ``superseded`` when its owner is known, else ``unidentified``.  A package return (a
    zip or a folder) is listed with its members (:func:`parcli.manifest.package_entry`); ``member_hashes``
    gives the members' SHA-256 the round already computed, so that none is read twice.
    """
    from functools import partial

    from parcli.manifest import file_entry, package_entry

    used = {o.used: o for o in outcomes if o.used}
    out = []
    for result in results:
        if result.package is not None and (result.package.is_zip or result.path.is_dir()):
            entry = partial(package_entry, result.package, member_hashes(result) if member_hashes else None)
        elif result.path.is_file():
            entry = partial(file_entry, result.path)
        else:
            continue
        outcome = used.get(result.file)
        status = outcome.status if outcome else ("superseded" if result.owner_id else "unidentified")
        out.append(
            entry(
                role=role,
                **{owner_key: result.owner_id},
                status=status,
                errors=result.errors,
                warnings=result.warnings,
                **(extra(result) if extra else {}),
            )
        )
    return out
