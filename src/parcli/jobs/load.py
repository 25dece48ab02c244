"""The one loader: every input a job reads, read once and the same way for every command.

* the campaign — the file named, else ``PARCLI_CAMPAIGN``, else ``campaign.yaml`` in the current
  folder, else the bundled example (said so) — at its round;
* the returns folder — workbooks, ``.zip`` and folder packages alike, the version rule
  applied and its decisions kept — through :func:`returns`, whatever the command;
* appraisal workbooks, judged against the returns as merged or as a consolidated
  workbook shows them;
* a consolidated workbook with the campaign it belongs to, at its round, checked once;
* the round rule (``--round``, else the workbook's round, else the last; remedy plans
  at the round before the last) and the departments expected to send remedy plans;
* remedy plans and last year's result.

Jobs call these; nothing above the jobs reads an input itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from parcli.errors import ConsolidatedError, InputNotFoundError
from parcli.jobs.base import SILENT, Listener

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign, Department
    from parcli.results.consolidated import Consolidated
    from parcli.rounds.appraisal.merge import AppraisalCollection
    from parcli.rounds.remedy.merge import RemedyCollection
    from parcli.rounds.scoring.merge import MergeResult


CAMPAIGN_ENV = "PARCLI_CAMPAIGN"
CAMPAIGN_FILE = "campaign.yaml"


def find_campaign(listener: Listener = SILENT) -> Path:
    """The campaign a command uses when none is named: ``PARCLI_CAMPAIGN``, else ``campaign.yaml`` in the
    current folder, else the bundled example — each said on the command's first line."""
    import os

    from parcli.config.campaign import default_campaign_path

    given = os.environ.get(CAMPAIGN_ENV)
    if given:
        listener.note(f"Dùng kế hoạch {given} (biến môi trường {CAMPAIGN_ENV}).")
        return Path(given)
    here = Path(CAMPAIGN_FILE)
    if here.is_file():
        listener.note(f"Dùng kế hoạch trong thư mục hiện tại: {here.resolve()}")
        return here
    path = default_campaign_path()
    listener.note(
        f"Dùng kế hoạch mẫu đi kèm parcli (ví dụ Hưng Yên 2023, không phải kế hoạch của Quý cơ quan): {path}. "
        f"Chỉ rõ kế hoạch bằng -c, hoặc chạy lệnh trong thư mục có {CAMPAIGN_FILE}."
    )
    return path


def campaign(path: Path | None, round_id: str | None = None, listener: Listener = SILENT) -> Campaign:
    """The campaign named, else the one found (:func:`find_campaign`), at round ``round_id`` (None: the last)."""
    from parcli.config.campaign import load_campaign

    if path is None:
        path = find_campaign(listener)
    camp = load_campaign(path, round_id)
    for note in camp.notes:
        listener.warn(note)
    if camp.round_id is not None:
        listener.note(f"Đợt đánh giá: {camp.round_title} ({camp.round_id})")
    return camp


def campaign_files(camp: Campaign) -> list[Path | None]:
    """The files a loaded campaign was read from: the plan and its catalogues."""
    cats = list(camp.catalogues.values()) or [camp.catalogue]
    return [camp.path, *(c.path for c in cats)]


def guard(
    listener: Listener,
    *,
    inputs: Sequence[Path | None] = (),
    files: Sequence[Path | None] = (),
    dirs: Sequence[Path | None] = (),
) -> list[str]:
    """The output guard (:func:`parcli.outputs.guard_outputs`) before anything is written; its warnings said."""
    from parcli.outputs import guard_outputs

    warnings = guard_outputs(inputs=inputs, files=files, dirs=dirs)
    for warning in warnings:
        listener.warn(warning)
    return warnings


def returns(camp: Campaign, folder: Path, pick: list[str] | None = None, listener: Listener = SILENT) -> MergeResult:
    """Every return in ``folder`` (workbooks and packages), read and judged, the version rule applied.

    This is the one way a command reads returns: ``merge``, ``status``, ``feedback``,
    ``remind``, ``appraise`` and ``evidence`` all see the same returns, packages,
    round checks and version decisions (:attr:`MergeResult.decisions`).
    """
    from parcli.rounds.scoring.merge import merge_returns

    with listener.track("Đang đọc phiếu") as tracker:
        return merge_returns(camp, folder, pick=pick, on_start=tracker.total, on_file=lambda _p: tracker.advance())


def appraisals(merged: MergeResult, folder: Path) -> AppraisalCollection:
    """The appraisal workbooks of ``folder``, judged against the returns as merged (stale, orphaned…)."""
    from parcli.results.appraisal import collect_for

    return collect_for(merged, folder)


def appraisals_of(camp: Campaign, data: Consolidated, folder: Path) -> AppraisalCollection:
    """The appraisal workbooks of ``folder``, judged against the return rows a consolidated workbook shows."""
    from parcli.results.appraisal import collect_for_consolidated

    return collect_for_consolidated(camp, data, folder)


def consolidated(path: Path) -> Consolidated:
    """A consolidated workbook as read (not yet checked against a campaign)."""
    from parcli.results.consolidated import load_consolidated

    if not path.is_file():
        raise InputNotFoundError(f"Không tìm thấy bảng tổng hợp {path}.")
    return load_consolidated(path)


def recorded_campaign(data: Consolidated) -> Path | None:
    """The campaign file a consolidated workbook recorded when it was merged, if it is still there."""
    recorded = data.campaign_path
    return Path(recorded) if recorded and Path(recorded).is_file() else None


def at_round_of(path: Path, data: Consolidated, asked: str | None, name: str, listener: Listener = SILENT) -> Campaign:
    """The campaign of ``path`` at the round of a consolidated workbook (the round rule).

    The round is ``asked`` (``--round``) when given, else the workbook's, else the last.
    A round asked for that is not the one the workbook was merged for is refused.
    """
    merged = data.round_id
    if asked is not None and merged is not None and asked != merged:
        raise ConsolidatedError(
            f"Bảng tổng hợp {name} được lập cho đợt “{merged}”, không phải đợt “{asked}” (--round). "
            "Đề nghị dùng bảng tổng hợp của đúng đợt."
        )
    return campaign(path, asked or merged, listener)


def campaign_of(
    path: Path, campaign_path: Path | None, round_id: str | None, listener: Listener = SILENT
) -> tuple[Campaign, Consolidated]:
    """A consolidated workbook and its campaign (given, else recorded in it) at its round, checked once."""
    from parcli.errors import UsageError
    from parcli.results.consolidated import consolidated_for

    data = consolidated(path)
    if campaign_path is None:
        campaign_path = recorded_campaign(data)
        if campaign_path is None:
            raise UsageError(
                f"Bảng tổng hợp {path.name} không ghi lại tệp kế hoạch còn dùng được; chỉ rõ bằng --campaign."
            )
        listener.note(f"Dùng kế hoạch đã dùng khi tổng hợp: {campaign_path}")
    camp = at_round_of(campaign_path, data, round_id, path.name, listener)
    return camp, consolidated_for(camp, data, " Chọn đúng kế hoạch với --campaign.")


def check_earlier_round(camp: Campaign, earlier: Consolidated, later: Consolidated) -> None:
    """Refuse a consolidated workbook given as an earlier round's (``--preliminary``) that is not of an earlier round.

    ``camp`` is the campaign at the round of ``later``.  The same round twice, or the two
    swapped, would report the points recovered as nothing or backwards.  A campaign without
    rounds records none: only the same workbook twice is refused there.  A workbook merged
    by an earlier parcli that records no round while the campaign has rounds cannot be
    judged and is accepted.
    """
    from parcli.errors import UsageError
    from parcli.files import sha256_file

    rounds = [r.id for r in camp.rounds]
    titles = {r.id: r.title for r in camp.rounds}
    before, after = earlier.round_id, camp.round_id
    name, other = earlier.path.name, later.path.name
    same_file = before is None and after is None and sha256_file(earlier.path) == sha256_file(later.path)
    if same_file or (before is not None and before == after):
        what = f"cùng đợt “{titles.get(after or '', after)}”" if after else "cùng một tệp"
        raise UsageError(
            f"Bảng tổng hợp {name} (--preliminary) và {other} thuộc {what}; so sánh như vậy sẽ cho số điểm khắc "
            "phục bằng 0. Đề nghị dùng --preliminary với bảng tổng hợp của đợt sơ bộ."
        )
    if before in rounds and after in rounds and rounds.index(before) > rounds.index(after or ""):
        raise UsageError(
            f"Bảng tổng hợp {name} (--preliminary) thuộc đợt “{titles[before or '']}”, sau đợt “{titles[after or '']}”"
            f" của {other}; hai tệp có vẻ bị đảo chỗ (số điểm khắc phục sẽ bị tính ngược). Đề nghị đưa bảng tổng "
            "hợp cả năm làm đối số chính và bảng tổng hợp đợt sơ bộ vào --preliminary."
        )


def preliminary_round(camp: Campaign) -> Campaign:
    """The campaign at the round remedy plans are issued from: the round before the last (if there are two)."""
    if len(camp.rounds) > 1:
        return camp.at_round(camp.rounds[-2].id)
    return camp


def remedy_owners(camp: Campaign, data: Consolidated) -> list[Department]:
    """The departments (units) expected to send a remedy plan: those with items that lost points in ``data``."""
    from parcli.results.remedy import lost_items
    from parcli.rounds.remedy.issue import plan_remedies

    return [dept for dept, _ in plan_remedies(camp, lost_items(camp, data))]


def remedies(
    camp: Campaign,
    folder: Path,
    day: date,
    expected: list[Department] | None,
    pick: list[str] | None = None,
) -> RemedyCollection:
    """The remedy plans of ``folder`` at the campaign's round; ``expected`` owners that sent none are named."""
    from parcli.rounds.remedy.merge import collect_remedies

    if not folder.is_dir():
        raise InputNotFoundError(f"Không tìm thấy thư mục {folder}.")
    return collect_remedies(camp, folder, day, expected, pick=pick)


def last_year(previous: Path, mapping: Path | None) -> tuple[Consolidated, dict[str, str | None] | None]:
    """Last year's consolidated workbook and the code mapping between the two catalogues, each read once."""
    from parcli.results.report import read_last_year

    return read_last_year(previous, mapping)
