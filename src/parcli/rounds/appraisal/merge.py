"""Collecting a folder of appraisal workbooks on the collection engine, and this round's own rules.

The engine lists the folder (lock files ignored), reads every workbook, groups
them by owner — a workbook's round, cut (department, field, unit group) and what
it covers — and applies the one version rule when an owner's workbook was saved
twice.  What is this round's own:

* ``appraisal-stale`` (warning): the return row appraised (self-score,
  explanation, evidence) has changed since the workbook was issued; the
  appraisal still counts and is listed until re-appraised;
* ``appraisal-conflict`` (error): two workbooks of one round give one item
  different scores; neither counts until they agree;
* ``appraisal-orphaned`` (error): an appraisal of an item with no usable return row
  (the department sent nothing, or the row was refused); ``appraisal-not-applicable``
  (error): a score on an item returned as not applicable — neither counts;
* a copy of a workbook set aside by the version rule is never dropped silently when
  it holds typed appraisals (``appraisal-copy-set-aside``, ``appraisal-copy-superseded``);
* round 2 is final: an item's final appraisal is its round-2 score, else its round-1 score.

The return rows as they stand are passed in (:class:`parcli.collect.rowhash.ReturnedRow`);
this round never reads the scoring returns itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parcli.collect.engine import collect_forms, manifest_inputs
from parcli.collect.form import FormResult, not_a_spreadsheet
from parcli.collect.rowhash import ReturnedRow
from parcli.collect.versions import Outcome, VersionDecision
from parcli.config.campaign import PROVINCE_SCOPE, Campaign
from parcli.numbers import fmt_points
from parcli.problems import Problem
from parcli.rounds.appraisal import layout
from parcli.rounds.appraisal.read import AppraisalEntry, AppraisalResult, read_appraisal

Key = tuple[str, str]  # (scope, item code)


@dataclass(frozen=True)
class Sheet:
    """One possible appraisal workbook: the owner of the collection engine."""

    round_: int
    by: str
    key: str
    name: str

    @property
    def id(self) -> str:
        """The owner id its metadata names."""
        return layout.owner_id(self.round_, self.by, self.key)


@dataclass
class SheetOutcome(Outcome[Sheet]):
    """The outcome of one appraisal workbook."""


@dataclass
class Appraised:
    """The appraisal of one item after both rounds."""

    score: Decimal | None  # the final appraised score (round 2 when typed, else round 1)
    note: str
    round1: Decimal | None = None
    round1_note: str = ""
    round2: Decimal | None = None
    supplement: str = ""
    files: tuple[str, ...] = ()
    stale: bool = False


@dataclass
class AppraisalCollection:
    """Everything :func:`collect_appraisals` found."""

    campaign: Campaign
    folder: Path
    results: list[AppraisalResult] = field(default_factory=list)
    outcomes: list[SheetOutcome] = field(default_factory=list)  # the workbooks found, one per owner
    problems: list[Problem] = field(default_factory=list)
    decisions: list[VersionDecision] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    items: dict[Key, Appraised] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no appraisal problem is an error."""
        return not any(p.is_error for p in self.problems)

    @property
    def stale(self) -> list[Key]:
        """The items whose appraisal was made against a return row that has changed since."""
        return [k for k, a in self.items.items() if a.stale]

    def scores(self) -> dict[Key, tuple[Decimal | None, str]]:
        """(final appraised score, note) by (scope, item code), for the consolidated workbook."""
        return {k: (a.score, a.note) for k, a in self.items.items()}

    def owner_names(self) -> dict[str, str]:
        """Each workbook's owner id → how the version decisions name it ("phiếu thẩm định lần 1 Sở Nội vụ")."""
        return {o.owner.id: f"Phiếu thẩm định lần {o.owner.round_} {o.owner.name}" for o in self.outcomes}

    def manifest_inputs(self) -> list[dict[str, Any]]:
        """Every appraisal workbook read, with its hash, owner and status (for ``manifest.json``)."""
        return manifest_inputs(self.results, self.outcomes, role="appraisal", owner_key="appraises")


@dataclass(frozen=True)
class AppraisalForms:
    """The appraisal workbook as a form kind of the collection engine."""

    campaign: Campaign
    document: str = "phiếu thẩm định"
    owner_noun: str = "phạm vi thẩm định"
    role: str = "appraisal"

    def read(self, path: Path) -> AppraisalResult:
        """Read one appraisal workbook (see :func:`read_appraisal`)."""
        return read_appraisal(path, self.campaign)

    def worker(self) -> tuple[Callable[[str], AppraisalForms], str]:
        """Each worker process loads the campaign once, at the round being collected."""
        from parcli.config.campaign import campaign_ref

        return _forms_from_ref, campaign_ref(self.campaign)

    def owners(self) -> list[Sheet]:
        """Every workbook that could be issued: each round, each department (unit), field and unit group."""
        camp = self.campaign
        cuts = [("department", d.id, d.name) for d in camp.departments]
        cuts += [("field", f.code, f.title) for f in camp.catalogue.model.fields]
        if camp.is_units:
            groups = dict.fromkeys(d.group or "" for d in camp.departments)
            cuts += [("group", g, camp.group_name(g)) for g in groups]
        return [Sheet(r, by, key, name) for r in layout.ROUNDS for by, key, name in cuts]

    def owner_id(self, owner: Sheet) -> str:
        """``1:department:so-noi-vu``."""
        return owner.id

    def not_a_form(self, path: Path) -> Problem:
        """A file in the appraisals folder that is not a spreadsheet."""
        return not_a_spreadsheet(path, "phiếu thẩm định")

    def missing(self, owner: Sheet) -> Problem:
        """Not a problem for appraisals (an item not appraised is told by the report); dropped by the caller."""
        return Problem(slug="missing-return", message=f"Chưa có phiếu thẩm định lần {owner.round_} {owner.name}.")

    def duplicate(self, owner: Sheet, result: FormResult, files: list[str], reason: str) -> Problem:
        """Several copies of one appraisal workbook when none can be chosen."""
        return Problem(
            slug="duplicate-appraisal",
            file=result.file,
            message=f"Có {len(files)} bản phiếu thẩm định lần {owner.round_} {owner.name} ({', '.join(files)}); "
            f"{reason}, nên chưa dùng bản nào. Đề nghị giữ lại một bản hoặc chỉ định bằng --pick TÊN_TỆP.",
        )


def _forms_from_ref(ref: str) -> AppraisalForms:
    from parcli.config.campaign import load_ref

    return AppraisalForms(load_ref(ref))


def collect_appraisals(
    campaign: Campaign,
    folder: Path,
    returned: Mapping[str, Mapping[str, ReturnedRow]] | None = None,
    *,
    pick: list[str] | None = None,
) -> AppraisalCollection:
    """Read every appraisal workbook in ``folder`` (never modifying it) and settle each item's appraisal.

    ``returned`` holds the return rows as they stand now, by scope then item code;
    without it, staleness and orphans are not judged.  An appraisal counts only when it
    matches a return row: of an item with no usable return it is ``appraisal-orphaned``,
    a score on an item returned as not applicable is ``appraisal-not-applicable``.
    """
    kind = AppraisalForms(campaign)
    found = collect_forms(kind, folder, lambda sheet, files: SheetOutcome(owner=sheet, files=files), pick=pick)
    result = AppraisalCollection(
        campaign=campaign, folder=folder, results=found.results, decisions=found.decisions, ignored=found.ignored
    )
    ids = [s.id for s in kind.owners()]
    present = [oid for oid, o in zip(ids, found.outcomes, strict=True) if o.status != "missing"]
    result.outcomes = [o for o in found.outcomes if o.status != "missing"]
    _copies_set_aside(found.results, found.decisions, result.outcomes, found.problems_of, pick)
    by_round: dict[int, dict[Key, list[tuple[AppraisalResult, AppraisalEntry]]]] = {1: {}, 2: {}}
    for oid in present:
        chosen = found.chosen.get(oid)
        if chosen is None:
            continue
        for entry in chosen.entries:
            if entry.valid:
                by_round[chosen.round_].setdefault(entry.key, []).append((chosen, entry))
    # an item re-appraised in round 2 against the return as it stands is no longer stale from round 1
    final = {
        key
        for key, typed in by_round[2].items()
        if returned is not None and _fresh(typed, returned.get(key[0], {}).get(key[1]))
    }
    for round_ in layout.ROUNDS:
        for key, typed in by_round[round_].items():
            settled = _matching(found.problems_of, round_, key, typed, returned)
            if settled:
                _settle(result, found.problems_of, round_, key, settled, returned, round_ == 2 or key not in final)
    found.settle(ids)
    result.problems = found.general + [p for oid in present for p in found.problems_of[oid]]
    return result


def _where(key: Key) -> str:
    scope, code = key
    return f"mục {code}" if scope == PROVINCE_SCOPE else f"mục {code} của đơn vị {scope}"


def _problem(slug: str, message: str, r: AppraisalResult, e: AppraisalEntry) -> Problem:
    """A problem on the appraised-score cell of one typed row."""
    return Problem(slug=slug, file=r.file, sheet=layout.SHEET_APPRAISAL, cell=e.cell, item=e.code, message=message)


def _matching(
    problems_of: dict[str, list[Problem]],
    round_: int,
    key: Key,
    typed: list[tuple[AppraisalResult, AppraisalEntry]],
    returned: Mapping[str, Mapping[str, ReturnedRow]] | None,
) -> list[tuple[AppraisalResult, AppraisalEntry]]:
    """The typed rows of one item that match what was returned; every other one is an error by cell.

    No usable return row for the item (the department sent nothing, or the row was refused):
    ``appraisal-orphaned``, whatever was typed.  A score on an item returned as not applicable:
    ``appraisal-not-applicable`` (a note alone is kept).  Without ``returned`` the row recorded
    in the workbook says whether the item was returned as not applicable.
    """
    current = None if returned is None else returned.get(key[0], {}).get(key[1])
    kept = []
    for r, e in typed:
        bucket = problems_of[r.owner_id or ""]
        if returned is not None and current is None:
            bucket.append(
                _problem(
                    "appraisal-orphaned",
                    f"Phiếu thẩm định lần {round_} có kết quả thẩm định {_where(key)} nhưng không có phiếu tự đánh "
                    "giá hợp lệ nào cho mục này (cơ quan chưa gửi phiếu, phiếu không dùng được hoặc mục bị lỗi); "
                    "kết quả thẩm định không được tính. Đề nghị thẩm định lại khi cơ quan đã gửi phiếu hợp lệ.",
                    r,
                    e,
                )
            )
            continue
        not_applicable = (
            current.not_applicable
            if current is not None
            else (e.recorded is not None and e.recorded.self_score == layout.NOT_APPLICABLE)
        )
        if not_applicable and e.score is not None:
            bucket.append(
                _problem(
                    "appraisal-not-applicable",
                    f"Điểm thẩm định lần {round_} {_where(key)} là {fmt_points(e.score)} nhưng cơ quan đã chọn "
                    f"“{layout.NOT_APPLICABLE}” cho mục này, nên điểm thẩm định không được tính. Nếu tổ thẩm định "
                    "đồng ý không áp dụng, đề nghị xóa điểm (ghi ý kiến nếu cần); nếu mục có áp dụng, đề nghị cơ "
                    "quan chấm điểm và gửi lại phiếu tự đánh giá, rồi thẩm định trên phiếu thẩm định mới.",
                    r,
                    e,
                )
            )
            continue
        kept.append((r, e))
    return kept


def _settle(
    result: AppraisalCollection,
    problems_of: dict[str, list[Problem]],
    round_: int,
    key: Key,
    typed: list[tuple[AppraisalResult, AppraisalEntry]],
    returned: Mapping[str, Mapping[str, ReturnedRow]] | None,
    judge_stale: bool,
) -> None:
    """One item of one round: conflict between workbooks, staleness (``judge_stale``), then the value that counts."""
    scored = [(r, e) for r, e in typed if e.score is not None]
    values = {e.score for _, e in scored}
    item = result.items.setdefault(key, Appraised(score=None, note=""))
    note = "; ".join(dict.fromkeys(e.note for _, e in typed if e.note))
    supplement = "; ".join(dict.fromkeys(e.supplement for _, e in typed if e.supplement))
    if len(values) > 1:
        names = ", ".join(f"{r.file} › {e.cell} ({fmt_points(e.score)})" for r, e in scored)
        for r, e in scored:
            problems_of[r.owner_id or ""].append(
                _problem(
                    "appraisal-conflict",
                    f"Điểm thẩm định lần {round_} {_where(key)} khác nhau giữa các phiếu: {names}; chưa "
                    "tính điểm nào. Đề nghị các thành viên tổ thẩm định thống nhất và sửa lại một phiếu.",
                    r,
                    e,
                )
            )
        score = None
    else:
        score = next(iter(values)) if values else None
    current = None if returned is None else returned.get(key[0], {}).get(key[1])
    for r, e in typed:
        digest = e.recorded.digest if e.recorded else None
        if not judge_stale or current is None or digest is None:
            continue
        if current.digest != digest:
            item.stale = True
            problems_of[r.owner_id or ""].append(
                _problem(
                    "appraisal-stale",
                    f"Phiếu tự đánh giá {_where(key)} đã thay đổi (điểm, giải trình hoặc tài liệu) sau khi "
                    f"thẩm định lần {round_}; điểm thẩm định vẫn được tính, đề nghị thẩm định lại.",
                    r,
                    e,
                )
            )
    files = tuple(dict.fromkeys((*item.files, *(r.file for r, _ in typed))))
    if round_ == 1:
        item.round1, item.round1_note = score, note
        item.score, item.note = score, note
    else:
        item.round2, item.supplement = score, supplement
        if score is not None:
            item.score = score
        if note:
            item.note = note
    item.files = files


def _fresh(typed: list[tuple[AppraisalResult, AppraisalEntry]], current: ReturnedRow | None) -> bool:
    """True when a round's score was typed against the return row as it stands."""
    digests = {e.recorded.digest for _, e in typed if e.score is not None and e.recorded is not None}
    return bool(digests) and digests == {current.digest if current else ""}


def _copies_set_aside(
    results: list[AppraisalResult],
    decisions: list[VersionDecision],
    outcomes: list[SheetOutcome],
    problems_of: dict[str, list[Problem]],
    pick: list[str] | None,
) -> None:
    """A copy of an appraisal workbook set aside by the version rule is named whenever it holds typed appraisals.

    Appraisers type into copies (``… - Copy.xlsx``): what a copy set aside holds that the
    copy used does not (another score, note or additional explanation, or an item typed
    only there) would be lost, so it is an error naming both files
    (``appraisal-copy-set-aside``).  A copy whose typed rows are all in the copy used, or one
    set aside by ``--pick`` (the operator's decision), is a warning (``appraisal-copy-superseded``).
    """
    from parcli.files import display_name

    by_file = {r.file: r for r in results}
    sheets = {o.owner.id: o.owner for o in outcomes}
    picked = {display_name(Path(p).name) for p in pick or ()}
    for decision in decisions:
        used = by_file.get(decision.used or "")
        sheet = sheets.get(decision.owner_id)
        if used is None or sheet is None:
            continue
        kept = {e.key: _typed(e) for e in used.entries}
        for name in decision.others:
            other = by_file[name]
            if not other.entries or other.sha256 == used.sha256:
                continue
            lost = [e for e in other.entries if kept.get(e.key) != _typed(e)]
            where = f"phiếu thẩm định lần {sheet.round_} {sheet.name}"
            cells = ", ".join(f"{_where(e.key)} (ô {e.cell})" for e in lost[:5]) + (", …" if len(lost) > 5 else "")
            first = (lost or other.entries)[0]
            if lost and used.file not in picked:
                problems_of[decision.owner_id].append(
                    _problem(
                        "appraisal-copy-set-aside",
                        f"{other.file} là một bản của {where} có {len(lost)} mục đã nhập khác với bản đang được "
                        f"dùng {used.file} ({decision.reason}): {cells}. Các mục này chưa được tính. Đề nghị chép "
                        f"các ô đó sang {used.file} rồi chuyển {other.file} ra khỏi thư mục, hoặc chỉ định bản "
                        "được dùng bằng --pick TÊN_TỆP.",
                        other,
                        first,
                    )
                )
                continue
            told = (
                f"{len(lost)} mục khác với bản được dùng không được tính: {cells}"
                if lost
                else "mọi mục đã nhập đều có trong bản được dùng"
            )
            problems_of[decision.owner_id].append(
                _problem(
                    "appraisal-copy-superseded",
                    f"{other.file} là một bản của {where} có {len(other.entries)} mục đã nhập, không được dùng: "
                    f"dùng {used.file} ({decision.reason}); {told}.",
                    other,
                    first,
                )
            )


def _typed(entry: AppraisalEntry) -> tuple[str, str, str]:
    """What was typed on one row: the appraised score as typed, the note, the additional explanation."""
    return (entry.typed, entry.note, entry.supplement)
