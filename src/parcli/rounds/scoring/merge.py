"""Consolidating returns: every workbook in a folder, validated, into one workbook.

:func:`merge_returns` reads the folder (never modifying it), decides the status
of each department (``ok``, ``invalid``, ``missing``, ``duplicate``), and
:func:`write_consolidated` writes one row per catalogue item with the accepted
self-assessed score, keeping any appraisal already typed into an earlier
consolidated workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from parcli.config.campaign import Campaign, Department
from parcli.errors import InputNotFoundError
from parcli.problems import Problem
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.read import SPREADSHEET_SUFFIXES, ItemEntry, ReturnResult, is_lock_file, read_return

Status = Literal["ok", "invalid", "missing", "duplicate"]
STATUS_LABELS: dict[str, str] = {
    "ok": "Hợp lệ",
    "invalid": "Có lỗi",
    "missing": "Chưa nộp",
    "duplicate": "Trùng phiếu",
}


@dataclass
class DepartmentResult:
    """One department's outcome."""

    department: Department
    status: Status
    files: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    score: Decimal = Decimal(0)
    sent_date: str | None = None
    received: str | None = None
    used: str | None = None  # the file whose scores count


@dataclass
class ItemRow:
    """One catalogue item in the consolidated view."""

    code: str
    score: Decimal | None
    not_applicable: bool
    explanation: str
    evidence: str
    status: str
    file: str | None


@dataclass(frozen=True)
class VersionDecision:
    """Which of several returns of one department counts, and why (shown to the operator)."""

    department_id: str
    used: str | None  # None: ambiguous, none used
    others: tuple[str, ...]
    reason: str


MTIME_MARGIN_SECONDS = 60


def choose_version(rets: list[ReturnResult], pick: set[str]) -> tuple[ReturnResult | None, str]:
    """Apply the version rule to several returns of one department.

    1. A file named with ``--pick`` wins.
    2. Identical files (same SHA-256) are one return.
    3. Otherwise the newest by the date written on the cover sheet (*Ngày gửi*), when
       every file has one and the newest is unique;
    4. otherwise the newest by file time, when it is at least a minute newer than the next.
    Anything else is ambiguous: none is used until the operator decides.
    """
    picked = [r for r in rets if r.file in pick]
    if len(picked) == 1:
        return picked[0], f"chọn theo --pick {picked[0].file}"
    if len(picked) > 1:
        return None, "--pick chỉ định nhiều hơn một tệp của cùng cơ quan"
    if len({r.sha256 for r in rets}) == 1 and rets[0].sha256:
        return rets[0], "các tệp giống hệt nhau (cùng mã băm SHA-256)"
    if all(r.sent_date for r in rets):
        ordered = sorted(rets, key=lambda r: r.sent_date or date.min, reverse=True)
        if ordered[0].sent_date != ordered[1].sent_date:
            when = ordered[0].sent_date.strftime("%d/%m/%Y") if ordered[0].sent_date else ""
            return ordered[0], f"mới nhất theo ngày gửi ghi trên phiếu ({when})"
    stamped = [r for r in rets if r.modified is not None]
    if len(stamped) == len(rets):
        ordered = sorted(stamped, key=lambda r: r.modified or datetime.min, reverse=True)
        first, second = ordered[0].modified, ordered[1].modified
        if first and second and (first - second).total_seconds() >= MTIME_MARGIN_SECONDS:
            return ordered[0], f"mới nhất theo thời gian tệp ({first.strftime('%d/%m/%Y %H:%M')})"
    return None, "không phân định được tệp nào mới hơn (cùng ngày gửi, thời gian tệp gần nhau)"


@dataclass
class MergeResult:
    """Everything merge found: per-department status, accepted items, problems."""

    campaign: Campaign
    returns: list[ReturnResult] = field(default_factory=list)
    departments: list[DepartmentResult] = field(default_factory=list)
    rows: dict[str, dict[str, ItemRow]] = field(default_factory=dict)  # scope -> item code -> row
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    decisions: list[VersionDecision] = field(default_factory=list)
    unmatched_picks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every department returned one valid workbook."""
        return all(d.status == "ok" for d in self.departments)

    def manifest_inputs(self) -> list[dict[str, Any]]:
        """Every file read, with its hash, status and the items it supplied (for ``manifest.json``)."""
        from parcli.manifest import file_entry

        used = {d.used: d for d in self.departments if d.used}
        out = []
        for ret in self.returns:
            if not ret.path.is_file():
                continue
            outcome = used.get(ret.file)
            supplied = [
                code
                for code, item in self.item_rows(ret.department_id).items()
                if (item.file == ret.file and item.score is not None) or (item.file == ret.file and item.not_applicable)
            ]
            out.append(
                file_entry(
                    ret.path,
                    role="return",
                    department=ret.department_id,
                    status=outcome.status if outcome else ("superseded" if ret.department_id else "unidentified"),
                    errors=ret.errors,
                    warnings=ret.warnings,
                    items=supplied,
                )
            )
        return out

    def item_rows(self, department_id: str | None = None) -> dict[str, ItemRow]:
        """The consolidated rows of the scope a department feeds: the province's, or its own as a unit."""
        return self.rows.get(self.campaign.scope_of(department_id), {})

    def unit_totals(self) -> list[dict[str, Any]]:
        """each-unit-scores: accepted self-assessed score and applicable self maximum per unit."""
        out = []
        for unit in self.campaign.departments:
            rows = self.item_rows(unit.id)
            out.append(
                {
                    "id": unit.id,
                    "name": unit.name,
                    "group": unit.group,
                    "self_max": sum((leaf.max_points for leaf in unit.items), Decimal(0)),
                    "score": sum((r.score or Decimal(0) for r in rows.values()), Decimal(0)),
                }
            )
        return out

    def totals(self) -> dict[str, Any]:
        """Accepted self-assessed scores summed per field and overall (per unit in each-unit-scores mode)."""
        if self.campaign.is_units:
            units = self.unit_totals()
            return {
                "max": sum((u["self_max"] for u in units), Decimal(0)),
                "self_max": sum((u["self_max"] for u in units), Decimal(0)),
                "score": sum((u["score"] for u in units), Decimal(0)),
                "fields": [],
                "units": units,
            }
        cat = self.campaign.catalogue
        rows = self.item_rows()
        fields = []
        overall = Decimal(0)
        for f in cat.model.fields:
            leaves = cat.leaves_under(f.code)
            score = sum((rows[leaf.code].score or Decimal(0) for leaf in leaves if leaf.is_self), Decimal(0))
            self_max = sum((leaf.max_points for leaf in leaves if leaf.is_self), Decimal(0))
            overall += score
            fields.append({"code": f.code, "title": f.title, "max": f.max_points, "self_max": self_max, "score": score})
        return {"max": cat.model.total_points, "self_max": cat.model.self_points, "score": overall, "fields": fields}

    def to_json(self) -> dict[str, Any]:
        """The machine-readable summary written by ``merge --json``."""

        def num(value: Decimal) -> int | float:
            return int(value) if value == value.to_integral_value() else float(value)

        totals = self.totals()
        return {
            "campaign": self.campaign.id,
            "departments": [
                {
                    "id": d.department.id,
                    "name": d.department.name,
                    "appendix": d.department.appendix,
                    "status": d.status,
                    "files": d.files,
                    "used": d.used,
                    "errors": d.errors,
                    "warnings": d.warnings,
                }
                for d in self.departments
            ],
            "problems": [p.to_dict() for p in self.problems],
            "versions": [
                {"department": v.department_id, "used": v.used, "others": list(v.others), "reason": v.reason}
                for v in self.decisions
            ],
            "totals": {
                "max": num(totals["max"]),
                "self_max": num(totals["self_max"]),
                "score": num(totals["score"]),
                "fields": [
                    {
                        "code": f["code"],
                        "title": f["title"],
                        "max": num(f["max"]),
                        "self_max": num(f["self_max"]),
                        "score": num(f["score"]),
                    }
                    for f in totals["fields"]
                ],
                **(
                    {"units": [u | {"self_max": num(u["self_max"]), "score": num(u["score"])} for u in totals["units"]]}
                    if "units" in totals
                    else {}
                ),
            },
        }


def list_returns(folder: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Split a folder's files into (spreadsheets, other files, ignored lock/hidden files)."""
    if not folder.exists():
        raise InputNotFoundError(f"Không tìm thấy thư mục {folder}.")
    if not folder.is_dir():
        raise InputNotFoundError(f"{folder} không phải là thư mục.")
    sheets: list[Path] = []
    others: list[Path] = []
    ignored: list[Path] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        if is_lock_file(path) or path.name.startswith("."):
            ignored.append(path)
        elif path.suffix.lower() in SPREADSHEET_SUFFIXES:
            sheets.append(path)
        else:
            others.append(path)
    return sheets, others, ignored


PARALLEL_MIN_FILES = 24  # below this, starting worker processes costs more than it saves
_worker_campaign: Campaign | None = None


def _init_worker(campaign_path: str) -> None:
    global _worker_campaign
    from parcli.config.campaign import load_campaign

    _worker_campaign = load_campaign(Path(campaign_path))


def _read_in_worker(path: Path) -> ReturnResult:
    assert _worker_campaign is not None
    return read_return(path, _worker_campaign)


def read_returns(campaign: Campaign, paths: list[Path]) -> Iterator[ReturnResult]:
    """Read returns in order, on both cores when there are many (each worker loads the campaign once)."""
    import os

    workers = min(2, os.cpu_count() or 1)
    if len(paths) < PARALLEL_MIN_FILES or workers < 2:
        for path in paths:
            yield read_return(path, campaign)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(str(campaign.path.resolve()),)
    ) as pool:
        yield from pool.map(_read_in_worker, paths, chunksize=8)


def merge_returns(
    campaign: Campaign,
    folder: Path,
    *,
    on_file: Callable[[Path], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    pick: list[str] | None = None,
) -> MergeResult:
    """Read every return in ``folder`` and decide each department's status (no files written).

    ``pick`` names files that win when a department returned several versions
    (see :func:`choose_version`).
    """
    sheets, others, ignored = list_returns(folder)
    result = MergeResult(campaign=campaign, ignored=[p.name for p in ignored])
    if on_start is not None:
        on_start(len(sheets))
    for path in others:
        result.problems.append(
            Problem(
                slug="not-a-return",
                file=path.name,
                message="Tệp không phải bảng tính nên không được đọc. Nếu đây là phiếu "
                "chấm điểm, đề nghị lưu lại ở định dạng .xlsx.",
            )
        )
    for ret in read_returns(campaign, sheets):
        result.returns.append(ret)
        if on_file is not None:
            on_file(ret.path)
    # --pick takes a file name or a path (as shell completion writes it)
    picks = {Path(p).name for p in pick or ()}
    names = {r.file for r in result.returns}
    result.unmatched_picks = sorted(picks - names)
    _decide(result, picks)
    return result


def _decide(result: MergeResult, pick: set[str]) -> None:
    """Group returns by department, decide statuses, collect accepted items and problems."""
    campaign = result.campaign
    by_dept: dict[str, list[ReturnResult]] = {}
    for ret in result.returns:
        if ret.department_id is not None:
            by_dept.setdefault(ret.department_id, []).append(ret)
        else:
            result.problems.extend(ret.problems)
    chosen: dict[str, ReturnResult] = {}
    for dept in campaign.departments:
        rets = by_dept.get(dept.id, [])
        outcome = DepartmentResult(department=dept, status="missing", files=[r.file for r in rets])
        if not rets:
            result.problems.append(
                Problem(
                    slug="missing-return",
                    department=dept.id,
                    message=f"{dept.name} ({dept.label}) chưa gửi phiếu chấm điểm.",
                )
            )
            outcome.errors = 1
        elif len(rets) > 1:
            used, reason = choose_version(rets, pick)
            others = tuple(r.file for r in rets if r is not used)
            result.decisions.append(VersionDecision(dept.id, used.file if used else None, others, reason))
            if used is not None:
                rets = [used]
            else:
                outcome.status = "duplicate"
                names = ", ".join(r.file for r in rets)
                for ret in rets:
                    result.problems.extend(ret.problems)
                    result.problems.append(
                        Problem(
                            slug="duplicate-return",
                            file=ret.file,
                            department=dept.id,
                            message=f"{dept.name} có {len(rets)} phiếu trong thư mục ({names}); {reason}, nên chưa "
                            "dùng phiếu nào. Đề nghị giữ lại một phiếu đúng (chuyển các phiếu còn lại ra khỏi thư "
                            "mục) hoặc chỉ định bằng --pick TÊN_TỆP.",
                        )
                    )
                outcome.errors = sum(r.errors for r in rets) + len(rets)
                outcome.warnings = sum(r.warnings for r in rets)
        if len(rets) == 1:
            ret = rets[0]
            result.problems.extend(ret.problems)
            outcome.errors = ret.errors
            outcome.warnings = ret.warnings
            outcome.status = "ok" if ret.errors == 0 and ret.usable else "invalid"
            outcome.sent_date = ret.sent_date.isoformat() if ret.sent_date else None
            outcome.received = ret.received.isoformat() if ret.received else None
            outcome.used = ret.file
            if ret.usable:
                chosen[dept.id] = ret
        result.departments.append(outcome)

    outcomes = {d.department.id: d for d in result.departments}
    _build_item_rows(result, outcomes, chosen)


def _build_item_rows(
    result: MergeResult, outcomes: dict[str, DepartmentResult], chosen: dict[str, ReturnResult]
) -> None:
    """One row per item of every scope, from the return that counts for the item's owner."""
    for scope in result.campaign.scopes:
        rows: dict[str, ItemRow] = {}
        for leaf in scope.catalogue.leaves:
            if not leaf.is_self:
                rows[leaf.code] = ItemRow(leaf.code, None, False, "", "", "Điều tra XHH", None)
            elif scope.is_exempt(leaf.code):
                rows[leaf.code] = ItemRow(leaf.code, None, True, "", "", EXEMPT_STATUS, None)
            else:
                owner = scope.owner_of[leaf.code].id
                rows[leaf.code] = _item_row(leaf.code, outcomes[owner], chosen.get(owner))
        result.rows[scope.id] = rows


EXEMPT_STATUS = layout.EXEMPT_STATUS


def _item_row(code: str, outcome: DepartmentResult, picked: ReturnResult | None) -> ItemRow:
    """The consolidated row of one self-assessed item from the return that counts (if any)."""
    entry: ItemEntry | None = picked.items.get(code) if picked else None
    if picked is None:
        status = {"missing": "Chưa nộp", "duplicate": "Trùng phiếu – chưa dùng"}.get(
            outcome.status, "Phiếu không hợp lệ"
        )
        return ItemRow(code, None, False, "", "", status, None)
    if entry is None:
        return ItemRow(code, None, False, "", "", "Thiếu dòng trong phiếu", picked.file)
    accepted = entry.accepted
    status = ("Không áp dụng" if entry.not_applicable else "Đã nhận") if accepted else "Có lỗi – chưa tính"
    score = entry.score if accepted and not entry.not_applicable else None
    if score is not None:
        outcome.score += score
    return ItemRow(
        code, score, accepted and entry.not_applicable, entry.explanation, entry.evidence, status, picked.file
    )
