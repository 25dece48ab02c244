"""``parcli survey …``: the respondent lists for the Ministry's sociological survey."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from parcli import clock
from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.config.lists_plan import ListsPlan
    from parcli.rounds.lists.issue import GenerateListsResult
    from parcli.rounds.lists.merge import ListsMergeResult


@dataclass(frozen=True)
class ListsRequest:
    """``survey generate``: the campaign naming its lists plan, and the folder for the list workbooks."""

    out: Path
    campaign: Path | None = None


@dataclass
class ListsIssued(JobResult):
    """The lists plan and the list workbooks written, one per nominating unit."""

    plan: ListsPlan | None = None
    issued: GenerateListsResult | None = None


def generate(request: ListsRequest, listener: Listener = SILENT) -> ListsIssued:
    """Write one protected list workbook per unit of the lists plan."""
    from parcli.config.campaign import refuse_placeholders
    from parcli.config.lists_plan import load_lists_plan
    from parcli.rounds.lists.issue import generate_lists

    camp = load.campaign(request.campaign, None, listener)
    plan = load_lists_plan(camp)
    refuse_placeholders(camp, {plan.path.name: plan.model})
    warnings = load.guard(listener, inputs=[*load.campaign_files(camp), plan.path], dirs=[request.out])
    if plan.model.note:
        listener.note(" ".join(plan.model.note.split()), lead="Lưu ý: ")
    issued = generate_lists(plan, request.out)
    return ListsIssued(outputs=[i.path for i in issued.lists], warnings=warnings, plan=plan, issued=issued)


@dataclass(frozen=True)
class ListsMergeRequest:
    """``survey merge``: the folder of returned lists and the consolidated respondents workbook."""

    lists_dir: Path
    out: Path
    campaign: Path | None = None
    json_out: Path | None = None
    pick: tuple[str, ...] = ()


@dataclass
class ListsMerged(JobResult):
    """The lists as read and consolidated."""

    merged: ListsMergeResult | None = None


def merge(request: ListsMergeRequest, listener: Listener = SILENT) -> ListsMerged:
    """Check every list and write the respondents workbook (replaced only if unchanged since read) and manifest."""
    from parcli.config.lists_plan import load_lists_plan
    from parcli.manifest import manifest_path, write_manifest
    from parcli.rounds.lists.merge import merge_lists
    from parcli.rounds.lists.write import check_output, write_respondents

    camp = load.campaign(request.campaign, None, listener)
    plan = load_lists_plan(camp)
    out = request.out
    warnings = load.guard(
        listener,
        inputs=[*load.campaign_files(camp), plan.path, request.lists_dir],
        files=[out, manifest_path(out), request.json_out],
    )
    read = check_output(plan, request.lists_dir, out)  # before reading: refuse a bad --out at once (and stamp it)
    with listener.track("Đang đọc danh sách") as tracker:
        merged = merge_lists(
            plan,
            request.lists_dir,
            pick=list(request.pick),
            on_start=tracker.total,
            on_file=lambda _p: tracker.advance(),
        )
    stamp = clock.now()
    write_respondents(merged, out, now=stamp, read=read)
    write_manifest(
        out, "survey-merge", camp, merged.manifest_inputs(), {"lists_dir": str(request.lists_dir.resolve())}, now=stamp
    )
    return ListsMerged(
        ok=merged.ok,
        outputs=[out, manifest_path(out)],
        warnings=warnings,
        document=merged.to_json(),
        merged=merged,
    )
