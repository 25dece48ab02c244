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
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from parcli import __version__, clock, layout
from parcli.campaign import Campaign, Department
from parcli.catalogue import Leaf
from parcli.errors import ConsolidatedError, InputNotFoundError
from parcli.fsutil import atomic_path
from parcli.problems import Problem
from parcli.returns import SPREADSHEET_SUFFIXES, ItemEntry, ReturnResult, is_lock_file, read_return

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
    items: dict[str, ItemRow] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    decisions: list[VersionDecision] = field(default_factory=list)
    unmatched_picks: list[str] = field(default_factory=list)
    unit_items: dict[str, dict[str, ItemRow]] = field(default_factory=dict)  # each-unit-scores mode

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
        """The consolidated rows: of the whole catalogue (split mode) or of one unit (each-unit-scores)."""
        if self.campaign.is_units:
            return self.unit_items.get(department_id or "", {})
        return self.items

    def unit_totals(self) -> list[dict[str, Any]]:
        """each-unit-scores: accepted self-assessed score and applicable self maximum per unit."""
        out = []
        for unit in self.campaign.departments:
            rows = self.unit_items.get(unit.id, {})
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
        fields = []
        overall = Decimal(0)
        for f in cat.model.fields:
            leaves = cat.leaves_under(f.code)
            score = sum((self.items[leaf.code].score or Decimal(0) for leaf in leaves if leaf.is_self), Decimal(0))
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
    from parcli.campaign import load_campaign

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
    if campaign.is_units:
        for unit in campaign.departments:
            rows: dict[str, ItemRow] = {}
            for leaf in unit.catalogue.leaves:
                if not leaf.is_self:
                    rows[leaf.code] = ItemRow(leaf.code, None, False, "", "", "Điều tra XHH", None)
                elif unit.is_exempt(leaf.code):
                    rows[leaf.code] = ItemRow(leaf.code, None, True, "", "", EXEMPT_STATUS, None)
                else:
                    rows[leaf.code] = _item_row(leaf.code, outcomes[unit.id], chosen.get(unit.id))
            result.unit_items[unit.id] = rows
        return
    for leaf in campaign.catalogue.leaves:
        if not leaf.is_self:
            result.items[leaf.code] = ItemRow(leaf.code, None, False, "", "", "Điều tra XHH", None)
            continue
        dept = campaign.owner_of[leaf.code]
        result.items[leaf.code] = _item_row(leaf.code, outcomes[dept.id], chosen.get(dept.id))


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


# --- the consolidated workbook ----------------------------------------------------------------


@dataclass(frozen=True)
class Appraisal:
    """What a reviewer typed into a consolidated workbook for one item."""

    score: Any
    note: Any


def appraisal_key(unit: str, code: str) -> str:
    """Appraisals are matched by item code, and by unit in each-unit-scores mode."""
    return f"{unit}/{code}" if unit else code


def read_appraisals(path: Path, campaign: Campaign) -> dict[str, Appraisal]:
    """Read the appraised scores and notes typed into an existing consolidated workbook.

    Raises :class:`ConsolidatedError` when the file is not a consolidated
    workbook of this campaign (it is then not overwritten).
    """
    from openpyxl import load_workbook

    from parcli.returns import CalamineBook

    wb: Any = CalamineBook.open(path, (layout.SHEET_CONSOLIDATED, layout.SHEET_META))
    if wb is None:
        try:
            wb = load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:
            raise ConsolidatedError(
                f"Tệp {path} đã tồn tại nhưng không đọc được ({type(exc).__name__}); parcli không ghi đè. "
                "Chọn tên khác với --out hoặc chuyển tệp đó đi."
            ) from exc
    try:
        from parcli.returns import read_metadata

        meta = read_metadata(wb)
        if not meta or meta.get(layout.META_KIND) != layout.KIND_CONSOLIDATED:
            raise ConsolidatedError(
                f"Tệp {path} đã tồn tại và không phải bảng tổng hợp của parcli; parcli không ghi đè. "
                "Chọn tên khác với --out."
            )
        if meta.get(layout.META_CAMPAIGN) != campaign.id:
            raise ConsolidatedError(
                f"Tệp {path} là bảng tổng hợp của đợt “{meta.get(layout.META_CAMPAIGN)}”, không phải "
                f"“{campaign.id}”; parcli không ghi đè. Chọn tên khác với --out."
            )
        if layout.SHEET_CONSOLIDATED not in wb.sheetnames:
            raise ConsolidatedError(f"Tệp {path} thiếu trang tính “{layout.SHEET_CONSOLIDATED}”; parcli không ghi đè.")
        ws = wb[layout.SHEET_CONSOLIDATED]
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        header = layout.find_header(
            rows,
            (*layout.CONSOLIDATED_HEADERS, layout.HEADER_UNIT_ID),
            (layout.HEADER_CODE, layout.HEADER_APPRAISED, layout.HEADER_APPRAISAL_NOTE),
        )
        if header is None:
            raise ConsolidatedError(
                f"Không tìm thấy dòng tiêu đề trong {path} › {layout.SHEET_CONSOLIDATED}; parcli không ghi đè."
            )
        c_code = header.columns[layout.HEADER_CODE] - 1
        c_app = header.columns[layout.HEADER_APPRAISED] - 1
        c_note = header.columns[layout.HEADER_APPRAISAL_NOTE] - 1
        c_unit = header.columns.get(layout.HEADER_UNIT_ID)
        out: dict[str, Appraisal] = {}
        for row in rows[header.row :]:
            if len(row) <= max(c_code, c_app, c_note) or row[c_code] is None:
                continue
            score, note = row[c_app], row[c_note]
            if score not in (None, "") or note not in (None, ""):
                unit = str(row[c_unit - 1] or "").strip() if c_unit is not None else ""
                out[appraisal_key(unit, str(row[c_code]).strip())] = Appraisal(score=score, note=note)
        return out
    finally:
        wb.close()


def write_consolidated(result: MergeResult, out: Path, *, now: datetime | None = None) -> int:
    """Write the consolidated workbook atomically; return how many appraisals were carried over."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter

    campaign = result.campaign
    cat = campaign.catalogue
    appraisals = read_appraisals(out, campaign) if out.exists() else {}
    stamp = (now or clock.now()).replace(microsecond=0)
    if campaign.is_units:
        return _write_units_consolidated(result, out, appraisals, stamp)

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="Times New Roman", size=11)
    bold = Font(name="Times New Roman", size=11, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    field_fill = PatternFill("solid", fgColor="DDEBF7")
    crit_fill = PatternFill("solid", fgColor="F2F2F2")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    unlocked = Protection(locked=False)

    wb = Workbook()
    wb.properties.created = wb.properties.modified = stamp.astimezone(UTC).replace(tzinfo=None)
    ws = wb.active
    assert ws is not None
    ws.title = layout.SHEET_CONSOLIDATED
    ws.cell(row=1, column=1, value=f"BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ — {campaign.model.title.upper()}").font = bold
    ws.cell(
        row=2,
        column=1,
        value=f"Tổng hợp lúc {stamp.strftime('%d/%m/%Y %H:%M')} (UTC) bằng parcli {__version__}. "
        f"Cột “{layout.HEADER_APPRAISED}” và “{layout.HEADER_APPRAISAL_NOTE}” dành cho thẩm định; "
        "được giữ lại khi tổng hợp lại.",
    ).font = font
    hr = layout.CONSOLIDATED_HEADER_ROW
    col = {label: i for i, label in enumerate(layout.CONSOLIDATED_HEADERS, start=1)}
    widths = dict(enumerate(layout.CONSOLIDATED_WIDTHS, start=1))
    for label, i in col.items():
        c = ws.cell(row=hr, column=i, value=label)
        c.font, c.fill, c.border, c.alignment = bold, header_fill, border, wrap
    for i, width in enumerate(layout.CONSOLIDATED_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    def put_text(r: int, label: str, value: str | None) -> None:
        c = ws.cell(row=r, column=col[label], value=value or None)
        if value:
            c.data_type = "s"  # text from returns stays text, never a formula

    def put_num(r: int, label: str, value: Decimal | None) -> None:
        if value is not None:
            ws.cell(row=r, column=col[label], value=int(value) if value == value.to_integral_value() else float(value))

    totals = result.totals()
    field_scores = {f["code"]: f["score"] for f in totals["fields"]}
    carried = 0
    r = hr + 1
    for f in cat.model.fields:
        _style_row(ws, r, len(col), bold, field_fill, border, wrap)
        put_text(r, layout.HEADER_CODE, f.code)
        put_text(r, layout.HEADER_LEVEL, layout.LEVEL_LABELS[1])
        put_text(r, layout.HEADER_TITLE, f.title)
        put_num(r, layout.HEADER_MAX, f.max_points)
        put_num(r, layout.HEADER_SCORE, field_scores[f.code])
        r += 1
        for c in f.criteria:
            leaves = cat.leaves_under(c.code)
            if c.components:
                _style_row(ws, r, len(col), bold, crit_fill, border, wrap)
                put_text(r, layout.HEADER_CODE, c.code)
                put_text(r, layout.HEADER_LEVEL, layout.LEVEL_LABELS[2])
                put_text(r, layout.HEADER_TITLE, c.title)
                put_num(r, layout.HEADER_MAX, c.max_points)
                put_num(
                    r, layout.HEADER_SCORE, sum((result.items[x.code].score or Decimal(0) for x in leaves), Decimal(0))
                )
                r += 1
            for leaf in leaves:
                item = result.items[leaf.code]
                _style_row(ws, r, len(col), font, None, border, wrap)
                put_text(r, layout.HEADER_CODE, leaf.code)
                put_text(r, layout.HEADER_LEVEL, layout.LEVEL_LABELS[3] if c.components else layout.LEVEL_LABELS[2])
                put_text(r, layout.HEADER_TITLE, leaf.title)
                put_num(r, layout.HEADER_MAX, leaf.max_points)
                put_text(r, layout.HEADER_SCORED_BY, layout.SCORED_BY_LABELS[leaf.scored_by])
                if item.not_applicable:
                    put_text(r, layout.HEADER_SCORE, layout.NOT_APPLICABLE)
                else:
                    put_num(r, layout.HEADER_SCORE, item.score)
                put_text(r, layout.HEADER_EXPLANATION, item.explanation)
                put_text(r, layout.HEADER_EVIDENCE, item.evidence)
                if leaf.is_self:
                    dept = campaign.owner_of[leaf.code]
                    put_text(r, layout.HEADER_DEPARTMENT, dept.name)
                    put_text(r, layout.HEADER_APPENDIX, dept.appendix)
                    for label in (layout.HEADER_APPRAISED, layout.HEADER_APPRAISAL_NOTE):
                        cell = ws.cell(row=r, column=col[label])
                        cell.protection = unlocked
                        cell.fill = input_fill
                    kept = appraisals.get(leaf.code)
                    if kept is not None:
                        carried += 1
                        ws.cell(row=r, column=col[layout.HEADER_APPRAISED], value=kept.score)
                        put_text(r, layout.HEADER_APPRAISAL_NOTE, None if kept.note is None else str(kept.note))
                put_text(r, layout.HEADER_ITEM_STATUS, item.status)
                put_text(r, layout.HEADER_FILE, item.file)
                layout.fit_row_height(ws, r, widths)
                r += 1
    ws.freeze_panes = ws.cell(row=hr + 1, column=col[layout.HEADER_MAX])
    ws.auto_filter.ref = f"A{hr}:{get_column_letter(len(col))}{r - 1}"
    ws.print_title_rows = f"{hr}:{hr}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    _write_departments(wb.create_sheet(layout.SHEET_DEPARTMENTS), result, bold, header_fill, border, wrap)
    _write_problems(wb.create_sheet(layout.SHEET_PROBLEMS), result, bold, header_fill, border, wrap)
    meta = wb.create_sheet(layout.SHEET_META)
    for i, (key, value) in enumerate(_metadata_values(campaign, stamp).items(), start=1):
        meta.cell(row=i, column=1, value=key)
        meta.cell(row=i, column=2, value=value).data_type = "s"
    meta.sheet_state = "hidden"
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return carried


def _metadata_values(campaign: Campaign, stamp: datetime) -> dict[str, str]:
    return {
        layout.META_KIND: layout.KIND_CONSOLIDATED,
        layout.META_LAYOUT: layout.LAYOUT_VERSION,
        layout.META_TOOL_VERSION: __version__,
        layout.META_CAMPAIGN: campaign.id,
        layout.META_CAMPAIGN_HASH: campaign.content_hash,
        layout.META_CATALOGUE: campaign.catalogue.id,
        layout.META_CATALOGUE_HASH: campaign.catalogue.content_hash,
        layout.META_GENERATED_AT: stamp.isoformat(),
        "campaign_path": str(campaign.path.resolve()),
        layout.META_MODE: campaign.model.mode,
    }


def _write_units_consolidated(result: MergeResult, out: Path, appraisals: dict[str, Appraisal], stamp: datetime) -> int:
    """each-unit-scores: one long table (unit × item), streamed row by row with xlsxwriter.

    A province-wide commune campaign is ~100,000 rows: xlsxwriter's constant-memory
    mode writes them several times faster than openpyxl and in flat memory.
    """
    import xlsxwriter

    campaign = result.campaign
    carried = 0
    with atomic_path(out) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        bold = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
        unlocked = wb.add_format({"locked": False, "bg_color": "#" + layout.INPUT_FILL})
        ws = wb.add_worksheet(layout.SHEET_CONSOLIDATED)
        for i, width in enumerate(layout.UNIT_CONSOLIDATED_WIDTHS):
            ws.set_column(i, i, width)
        ws.write_string(0, 0, f"BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ — {campaign.model.title.upper()}")
        ws.write_string(
            1,
            0,
            f"Tổng hợp lúc {stamp.strftime('%d/%m/%Y %H:%M')} (UTC) bằng parcli {__version__}; mỗi dòng là một mục "
            f"của một đơn vị. Cột “{layout.HEADER_APPRAISED}” và “{layout.HEADER_APPRAISAL_NOTE}” dành cho thẩm "
            "định; được giữ lại khi tổng hợp lại.",
        )
        header_row = 3
        for col, label in enumerate(layout.UNIT_CONSOLIDATED_HEADERS):
            ws.write_string(header_row, col, label, bold)
        c_appraised = layout.UNIT_CONSOLIDATED_HEADERS.index(layout.HEADER_APPRAISED)
        row = header_row + 1

        def put(col: int, value: Any, fmt: Any = None) -> None:
            if value is None or value == "":
                if fmt is not None:
                    ws.write_blank(row, col, None, fmt)
                return
            if isinstance(value, Decimal):
                ws.write_number(row, col, int(value) if value == value.to_integral_value() else float(value), fmt)
            elif isinstance(value, bool):
                ws.write_boolean(row, col, value, fmt)
            elif isinstance(value, int | float):
                ws.write_number(row, col, value, fmt)
            else:
                ws.write_string(row, col, str(value), fmt)  # text from returns stays text, never a formula

        write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
        # the per-item constants of each catalogue, computed once (a commune campaign repeats them 1,000 times)
        constants: dict[str, list[tuple[Leaf, str, str, float, str]]] = {}
        for unit in campaign.departments:
            cat = unit.catalogue
            if cat.id not in constants:
                constants[cat.id] = [
                    (leaf, leaf.code, leaf.title, float(leaf.max_points), layout.SCORED_BY_LABELS[leaf.scored_by])
                    for leaf in cat.leaves
                ]
        c_rest = c_appraised + 2
        for unit in campaign.departments:
            rows = result.unit_items.get(unit.id, {})
            unit_id, unit_name, group = unit.id, unit.name, unit.group or ""
            for leaf, code, title, max_points, scored_by in constants[unit.catalogue.id]:
                item = rows[code]
                exempt = item.status == EXEMPT_STATUS
                write_string(row, 0, unit_id)
                write_string(row, 1, unit_name)
                write_string(row, 2, group)
                write_string(row, 3, code)
                write_string(row, 4, title)
                write_number(row, 5, max_points)
                write_string(row, 6, scored_by)
                if item.not_applicable and not exempt:
                    write_string(row, 7, layout.NOT_APPLICABLE)
                elif item.score is not None:
                    write_number(row, 7, float(item.score))
                if leaf.is_self and not exempt:
                    kept = appraisals.get(appraisal_key(unit_id, code))
                    if kept is None:
                        write_blank(row, c_appraised, None, unlocked)
                        write_blank(row, c_appraised + 1, None, unlocked)
                    else:
                        carried += 1
                        put(c_appraised, kept.score, unlocked)
                        put(c_appraised + 1, None if kept.note is None else str(kept.note), unlocked)
                # text from returns stays text (write_string), never a formula
                if item.explanation:
                    write_string(row, c_rest, item.explanation)
                if item.evidence:
                    write_string(row, c_rest + 1, item.evidence)
                write_string(row, c_rest + 2, item.status)
                if item.file:
                    write_string(row, c_rest + 3, item.file)
                row += 1
        ws.freeze_panes(header_row + 1, 3)
        ws.autofilter(header_row, 0, max(row - 1, header_row), len(layout.UNIT_CONSOLIDATED_HEADERS) - 1)
        ws.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True})

        for name, headers, rows_ in (
            (layout.SHEET_DEPARTMENTS, layout.DEPARTMENT_HEADERS, _department_rows(result)),
            (layout.SHEET_PROBLEMS, layout.PROBLEM_HEADERS, _problem_rows(result)),
        ):
            sheet = wb.add_worksheet(name)
            date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
            for col, label in enumerate(headers):
                sheet.write_string(0, col, label, bold)
            for r, values in enumerate(rows_, start=1):
                for col, value in enumerate(values):
                    if value is None:
                        continue
                    if isinstance(value, date):
                        sheet.write_datetime(r, col, datetime(value.year, value.month, value.day), date_format)
                    elif isinstance(value, int | float):
                        sheet.write_number(r, col, value)
                    else:
                        sheet.write_string(r, col, str(value))
        meta = wb.add_worksheet(layout.SHEET_META)
        for r, (key, value) in enumerate(_metadata_values(campaign, stamp).items()):
            meta.write_string(r, 0, key)
            meta.write_string(r, 1, value)
        meta.hide()
        wb.close()
    return carried


def _style_row(ws: Any, r: int, ncols: int, font: Any, fill: Any, border: Any, wrap: Any) -> None:
    for i in range(1, ncols + 1):
        c = ws.cell(row=r, column=i)
        c.font, c.border, c.alignment = font, border, wrap
        if fill is not None:
            c.fill = fill


def _write_table(
    ws: Any,
    headers: tuple[str, ...],
    rows: list[list[Any]],
    widths: list[int],
    bold: Any,
    fill: Any,
    border: Any,
    wrap: Any,
) -> None:
    from openpyxl.utils import get_column_letter

    for i, label in enumerate(headers, start=1):
        c = ws.cell(row=1, column=i, value=label)
        c.font, c.fill, c.border, c.alignment = bold, fill, border, wrap
        ws.column_dimensions[get_column_letter(i)].width = widths[i - 1]
    for r, values in enumerate(rows, start=2):
        for i, value in enumerate(values, start=1):
            c = ws.cell(row=r, column=i, value=value)
            if isinstance(value, str):
                c.data_type = "s"
            elif isinstance(value, date):
                c.number_format = "DD/MM/YYYY"
            c.border, c.alignment = border, wrap
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _department_rows(result: MergeResult) -> list[list[Any]]:
    rows = []
    for d in result.departments:
        dept = d.department
        rows.append(
            [
                dept.appendix or dept.group,
                dept.id,
                dept.name,
                STATUS_LABELS[d.status],
                d.status,
                len(dept.items),
                float(dept.max_points),
                float(d.score),
                d.errors,
                d.warnings,
                ", ".join(d.files),
                date.fromisoformat(d.sent_date) if d.sent_date else None,
                date.fromisoformat(d.received) if d.received else None,
            ]
        )
    return rows


def _problem_rows(result: MergeResult) -> list[list[Any]]:
    names = {d.id: d.name for d in result.campaign.departments}
    return [
        [
            "Lỗi" if p.is_error else "Cảnh báo",
            p.slug,
            names.get(p.department or "", ""),
            p.file or "",
            p.sheet or "",
            p.cell or "",
            p.item or "",
            p.message,
        ]
        for p in result.problems
    ]


def _write_departments(ws: Any, result: MergeResult, *style: Any) -> None:
    rows = _department_rows(result)
    _write_table(ws, layout.DEPARTMENT_HEADERS, rows, [8, 16, 38, 14, 10, 10, 11, 12, 8, 10, 40, 14, 14], *style)


def _write_problems(ws: Any, result: MergeResult, *style: Any) -> None:
    _write_table(ws, layout.PROBLEM_HEADERS, _problem_rows(result), [10, 22, 30, 28, 14, 8, 8, 80], *style)
