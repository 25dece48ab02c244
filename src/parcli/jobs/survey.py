"""``parcli survey …``: the respondent lists for the Ministry's sociological survey.

The lists hold personal data (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15): ``merge`` writes the
consolidated list encrypted when given a password (and reads the lists units sent encrypted with it),
says so when it has none, and ``purge`` finds and removes what parcli wrote once the survey is over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from parcli import clock
from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.config.lists_plan import ListsPlan
    from parcli.rounds.lists.issue import GenerateListsResult
    from parcli.rounds.lists.merge import ListsMergeResult
    from parcli.rounds.lists.purge import PurgeFindings
    from parcli.secret import Password


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
    password: Password | None = None  # encrypts the output, opens the lists sent encrypted; never recorded


@dataclass
class ListsMerged(JobResult):
    """The lists as read and consolidated."""

    merged: ListsMergeResult | None = None
    encrypted: bool = False  # the consolidated list was written with a password


def check_password(password: Password | None) -> None:
    """Refuse a password too weak to protect a file with (:class:`UsageError`)."""
    from parcli.errors import UsageError

    why = password.weak() if password is not None else None
    if why:
        raise UsageError(f"Mật khẩu không dùng được để mã hóa: {why}. Đặt mật khẩu khác rồi chạy lại.")


def personal_data_warning(out: Path) -> str:
    """“… holds personal data and is written without a password …”."""
    from parcli.secret import HOW_TO_GIVE

    return (
        f"{out} chứa dữ liệu cá nhân (họ tên, email, số điện thoại của người được giới thiệu) và được ghi KHÔNG có "
        f"mật khẩu: ai có tệp cũng mở được. Để mã hóa, cho mật khẩu ({HOW_TO_GIVE}) rồi chạy lại lệnh."
    )


def merge(request: ListsMergeRequest, listener: Listener = SILENT) -> ListsMerged:
    """Check every list and write the respondents workbook (replaced only if unchanged since read) and manifest."""
    from parcli.config.lists_plan import load_lists_plan
    from parcli.manifest import manifest_path, write_manifest
    from parcli.rounds.lists.merge import merge_lists
    from parcli.rounds.lists.write import check_output, write_respondents

    check_password(request.password)
    camp = load.campaign(request.campaign, None, listener)
    plan = load_lists_plan(camp)
    out = request.out
    warnings = load.guard(
        listener,
        inputs=[*load.campaign_files(camp), plan.path, request.lists_dir],
        files=[out, manifest_path(out), request.json_out],
    )
    # before reading: refuse a bad --out at once (and stamp it); an encrypted one is opened with the password
    read = check_output(plan, request.lists_dir, out, request.password)
    with listener.track("Đang đọc danh sách") as tracker:
        merged = merge_lists(
            plan,
            request.lists_dir,
            pick=list(request.pick),
            on_start=tracker.total,
            on_file=lambda _p: tracker.advance(),
            password=request.password,
        )
    stamp = clock.now()
    write_respondents(merged, out, now=stamp, read=read, password=request.password)
    encrypted = request.password is not None
    options = {"lists_dir": str(request.lists_dir.resolve()), "encrypted": encrypted}  # never the password
    write_manifest(out, "survey-merge", camp, merged.manifest_inputs(), options, now=stamp)
    if not encrypted:
        listener.warn(personal_data_warning(out))
    return ListsMerged(
        ok=merged.ok,
        outputs=[out, manifest_path(out)],
        warnings=warnings,
        document=merged.to_json(),
        merged=merged,
        encrypted=encrypted,
    )


@dataclass(frozen=True)
class PurgeRequest:
    """``survey purge``: the folder to search, the password of encrypted files, and whether to remove."""

    folder: Path
    password: Password | None = None
    remove: bool = False  # False: a dry run, nothing is removed


@dataclass
class Purged(JobResult):
    """What holds personal data under the folder, and what was removed."""

    found: PurgeFindings | None = None
    removed: list[Path] = field(default_factory=list)


def find_purge(request: PurgeRequest, listener: Listener = SILENT) -> Purged:
    """Find the files holding respondents' personal data under the folder; with ``remove``, remove parcli's own.

    parcli's own: consolidated respondents workbooks (and their manifests), and the list copies evidence
    packs record in their marker.  Lists the units typed are named, never removed; encrypted workbooks
    that cannot be told are named too.
    """
    from parcli.results.evidence.pack import personal_copies
    from parcli.rounds.lists.purge import find_personal_files, remove_files

    found = find_personal_files(request.folder, request.password, personal_copies(request.folder))
    removed = remove_files(found.ours) if request.remove else []
    return Purged(outputs=removed, found=found, removed=removed)
