"""The appraisal's documents: the notices to the departments (round 1 and final) and the team's record.

- :func:`write_notices` — round 1: a công văn per department with items appraised below its self-score, the
  appraisers' notes and the deadline for additional explanation (body ``appraisal-notice.txt.j2``); round 2: the
  final result of the same departments (body ``appraisal-final.txt.j2``).  The organiser's own items go to its
  divisions as an internal note (:func:`parcli.results.letters.internal_note`).
- :func:`write_record` — the appraisal team's record (biên bản thẩm định, ``record.docx``): who, what, the result
  per department, the items lowered with the notes, the conclusion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from parcli import clock
from parcli.config.campaign import PROVINCE_SCOPE
from parcli.render import render
from parcli.results.appraisal import self_items
from parcli.results.letters import (
    common_context,
    deadline_at,
    letter_to,
    write_letters,
)
from parcli.rounds.appraisal.merge import AppraisalCollection
from parcli.rounds.scoring.merge import MergeResult

NOTICE_TEMPLATE = "appraisal-notice.txt.j2"  # round 1
FINAL_TEMPLATE = "appraisal-final.txt.j2"  # round 2: the final result
RECORD_TEMPLATE = "record.docx"
ZERO = Decimal(0)


def _by_appendix(campaign: Any) -> list[Any]:
    from parcli.results.report import appendix_order

    return sorted(campaign.departments, key=lambda d: appendix_order(d.appendix))


def notice_context(
    merged: MergeResult, appraisals: AppraisalCollection, deadline: date | None, today: date, round_: int = 1
) -> dict[str, Any]:
    """Per department, the items appraised below the self-score (round 1, or the final score in round 2)."""
    campaign = merged.campaign
    model = campaign.model
    rows = []
    for dept in _by_appendix(campaign):
        items = []
        for scope, leaf, owner_id, _ in self_items(campaign):
            if owner_id != dept.id:
                continue
            row = merged.rows.get(scope, {}).get(leaf.code)
            a = appraisals.items.get((scope, leaf.code))
            if row is None or row.score is None or a is None:
                continue
            score = a.round1 if round_ == 1 else a.score
            if score is None or score >= row.score:
                continue
            items.append(
                {
                    "item": leaf.code,
                    "title": leaf.title,
                    "unit": "" if scope == PROVINCE_SCOPE else scope,
                    "self_score": row.score,
                    "appraised": score,
                    "round1": a.round1,
                    "note": a.round1_note if round_ == 1 else a.note,
                }
            )
        if items:
            rows.append({"id": dept.id, "name": dept.name, "file_stem": dept.file_stem, "items": items})
    return common_context(campaign, today) | {
        "campaign": {"title": model.title, "plan": model.plan or model.title, "year": model.year},
        "deadline": deadline,
        # a deadline the notice sets itself, to the hour (“trước 17 giờ 00 ngày 25/01/2024”)
        "deadline_words": deadline_at(deadline) if deadline else "",
        "today": today,
        "round": round_,
        "you": "Quý cơ quan",
        "receiver": common_context(campaign)["organiser_short"],
        "internal": False,
        "departments": rows,
    }


def write_notices(
    merged: MergeResult,
    appraisals: AppraisalCollection,
    out_dir: Path,
    *,
    deadline: date | None = None,
    today: date | None = None,
    template_dir: Path | None = None,
    round_: int = 1,
) -> list[tuple[str, Path]]:
    """One notice per department with items appraised below its self-score; (department id, path).

    Round 1 asks for additional explanation by ``deadline``; round 2 tells the final result.
    """
    campaign = merged.campaign
    context = notice_context(merged, appraisals, deadline, today or clock.today(), round_)
    year = context["campaign"]["year"]
    subject = (
        f"thông báo kết quả thẩm định lần 1 kết quả tự đánh giá Chỉ số CCHC năm {year}"
        if round_ == 1
        else f"thông báo kết quả thẩm định lần 2 (kết quả cuối cùng) kết quả tự đánh giá Chỉ số CCHC năm {year}"
    )
    template = NOTICE_TEMPLATE if round_ == 1 else FINAL_TEMPLATE
    stem = "thong-bao-tham-dinh" if round_ == 1 else "thong-bao-tham-dinh-lan-2"
    jobs = []
    for dept in context["departments"]:
        codes = [i["item"] for i in dept["items"]]
        values = {**context, "dept": dept}
        letter = letter_to(campaign, dept["name"], subject, template, values, codes, template_dir)
        jobs.append((letter, out_dir / f"{stem}-{dept['file_stem']}.docx"))
    if jobs:
        out_dir.mkdir(parents=True, exist_ok=True)
    written = write_letters(campaign, jobs, template_dir=template_dir)
    return [(dept["id"], path) for dept, path in zip(context["departments"], written, strict=True)]


@dataclass
class _Sums:
    """A department's items, self-assessed and final points, items not appraised."""

    items: int = 0
    self_score: Decimal = ZERO
    final: Decimal = ZERO
    not_appraised: int = 0
    lowered: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "self_score": self.self_score,
            "final": self.final,
            "change": self.final - self.self_score,
            "not_appraised": self.not_appraised,
        }


def record_context(
    merged: MergeResult, appraisals: AppraisalCollection, today: date, round_: int = 1
) -> dict[str, Any]:
    """Plain data for the appraisal team's record: the team, what was appraised, per department, the items lowered.

    An item not appraised counts with its self-score; items returned as not applicable are left out.
    """
    campaign = merged.campaign
    docs = campaign.documents
    sums = {d.id: _Sums() for d in campaign.departments}
    total = _Sums()
    lowered: list[dict[str, Any]] = []
    raised = 0
    for scope, leaf, owner_id, owner_name in self_items(campaign):
        row = merged.rows.get(scope, {}).get(leaf.code)
        if row is None or row.score is None or row.not_applicable:
            continue
        a = appraisals.items.get((scope, leaf.code))
        score = (a.round1 if round_ == 1 else a.score) if a else None
        note = (a.round1_note if round_ == 1 else a.note) if a else ""
        final = row.score if score is None else score
        for s in (sums[owner_id], total):
            s.items += 1
            s.self_score += row.score
            s.final += final
            s.not_appraised += score is None
        if score is not None and score < row.score:
            lowered.append(
                {
                    "code": leaf.code,
                    "title": leaf.title,
                    "department": owner_name if scope == PROVINCE_SCOPE else f"{owner_name}",
                    "self_score": row.score,
                    "final": score,
                    "note": note,
                }
            )
        raised += score is not None and score > row.score
    departments = [
        {"appendix": d.appendix if not campaign.is_units else "", "name": d.name, **sums[d.id].as_dict()}
        for d in _by_appendix(campaign)
        if sums[d.id].items
    ]
    team = [{"name": m.name, "position": m.position, "role": m.role} for m in docs.appraisal_team]
    leader = next((m.name for m in docs.appraisal_team if m.role == "Tổ trưởng"), "")
    secretary = next((m.name for m in docs.appraisal_team if m.role == "Thư ký"), "")
    year = campaign.model.year
    base = common_context(campaign, None)  # the meeting's day is written in on signing, like its hour
    files = len([o for o in appraisals.outcomes if o.used])
    appraised = total.items - total.not_appraised
    content = [
        f"Tổ thẩm định đã thẩm định kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm {year} (thẩm định lần {round_}) "
        f"của {len(departments)} cơ quan trên {files} phiếu thẩm định: đã thẩm định {appraised}/{total.items} tiêu chí "
        "thành phần các cơ quan đã tự đánh giá.",
        f"Kết quả: tổng điểm các cơ quan tự đánh giá {_p(total.self_score)} điểm; sau thẩm định {_p(total.final)} "
        f"điểm; {len(lowered)} tiêu chí thành phần thẩm định thấp hơn điểm tự đánh giá, {raised} tiêu chí thành phần "
        f"thẩm định cao hơn; {total.not_appraised} tiêu chí thành phần chưa thẩm định (tính theo điểm tự đánh giá). "
        "Chi tiết tại các bảng sau:",
    ]
    conclusion = [
        "Tổ thẩm định thống nhất kết quả thẩm định nêu trên."
        + (
            f" Giao {base['letterhead']['organiser_short']} thông báo kết quả thẩm định lần 1 để các cơ quan giải "
            "trình bổ sung trước khi thẩm định lần 2."
            if round_ == 1
            else " Kết quả thẩm định lần 2 là kết quả cuối cùng, làm căn cứ tổng hợp, báo cáo UBND tỉnh."
        ),
        "Biên bản kết thúc hồi … giờ … cùng ngày, đã được các thành viên Tổ thẩm định thống nhất thông qua./.",
    ]
    return base | {
        "subject": f"Thẩm định kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm {year} (lần {round_})",
        "when": "hồi … giờ … phút, ngày … tháng … năm …",
        "place": f"trụ sở {campaign.model.organiser.name}",
        "team": team,
        "leader": leader,
        "secretary": secretary,
        "content": content,
        "departments": departments,
        "total": total.as_dict(),
        "lowered": lowered,
        "conclusion": conclusion,
        "round": round_,
    }


def _p(value: Decimal) -> str:
    from parcli.numbers import fmt_points

    return fmt_points(value)


def write_record(
    merged: MergeResult,
    appraisals: AppraisalCollection,
    out: Path,
    *,
    today: date | None = None,
    template_dir: Path | None = None,
    round_: int = 1,
) -> Path:
    """Write the appraisal team's record (``record.docx``) at ``out``."""
    context = record_context(merged, appraisals, today or clock.today(), round_)
    render(RECORD_TEMPLATE, context, out, template_dir)
    return out
