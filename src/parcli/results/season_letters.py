"""The other letters of the season: the cover letter of the issued workbooks and the remedy plans' letters.

- :func:`write_cover_letter` — the công văn sent with the issued workbooks: what to do, by when, each
  department's appendix; the organiser's own appendix goes to its divisions as an internal note.
- :func:`write_remedy_requests` — after the preliminary round, a công văn per department with items that lost
  points: the items, and the request for a remedy plan (the workbook ``parcli remedy issue`` wrote) by a day.
- :func:`write_remedy_reminders` — a reminder to each department that sent no remedy plan.

Bodies: ``cover-letter.txt.j2``, ``remedy-request.txt.j2``, ``remedy-remind.txt.j2``; the layout is
``letter.docx`` (:mod:`parcli.results.letters`).  No file name, no cell reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.files import staged_folder
from parcli.results.letters import (
    Letter,
    body_of,
    common_context,
    deadline_at,
    is_organiser,
    letter_to,
    organiser_short,
    write_letters,
)

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign, Department
    from parcli.rounds.remedy.issue import LostItem

COVER_TEMPLATE = "cover-letter.txt.j2"
REQUEST_TEMPLATE = "remedy-request.txt.j2"
REMIND_TEMPLATE = "remedy-remind.txt.j2"
MAX_LISTED = 5  # more recipients than this are addressed together (“Các sở, ban, ngành tỉnh”)


def _order(campaign: Campaign) -> list[Department]:
    from parcli.results.report import appendix_order

    return sorted(campaign.departments, key=lambda d: appendix_order(d.appendix))


def _base(campaign: Campaign, today: date | None) -> dict[str, Any]:
    return common_context(campaign, today) | {
        "you": "Quý cơ quan",
        "receiver": organiser_short(campaign),
        "internal": False,
    }


def cover_context(campaign: Campaign, today: date | None = None) -> dict[str, Any]:
    """Plain data for the cover letter: the round, the deadline as the plan words it, each department's part."""
    model = campaign.model
    group_names = {g.id: g.name for g in model.groups or []}
    departments = [
        {
            "id": d.id,
            "name": d.name,
            "appendix": d.appendix,
            "items": len(d.items),
            "codes": [leaf.code for leaf in d.items],
            "own": is_organiser(campaign, d),
            "group_name": group_names.get(d.group or "", ""),
        }
        for d in _order(campaign)
    ]
    return _base(campaign, today) | {
        "round_title": campaign.round_title,
        "preliminary": bool(campaign.rounds) and campaign.round_id != campaign.rounds[-1].id,
        "deadline_words": campaign.deadline_text(),
        "year": model.year,
        "departments": departments,
        "units": campaign.is_units,
        "groups": _groups(campaign) if campaign.is_units else [],
    }


def _groups(campaign: Campaign) -> list[dict[str, Any]]:
    """Each group of units as the cover letter names it: how many units, the items of its catalogue, and the
    units that do not score part of it (by name, in words, with their own count)."""
    from parcli.results.ranking import exempt_words

    groups = []
    for group in campaign.model.groups or []:
        units = [d for d in campaign.departments if d.group == group.id]
        if not units:
            continue
        full = max(len(d.items) for d in units)
        groups.append(
            {
                "name": group.name,
                "addressed": addressed(group.name),
                "count": len(units),
                "items": full,
                "exempt": [
                    {"name": d.name, "words": exempt_words(d.exempt), "items": len(d.items)} for d in units if d.exempt
                ],
            }
        )
    return groups


def addressed(group: str) -> str:
    """A group of units as a letter addresses it: “Sở, ban, ngành tỉnh” → “Các sở, ban, ngành tỉnh”, “UBND xã,
    phường” → “UBND các xã, phường”; a name that already says “các” is kept."""
    if "các " in group.casefold():
        return group
    if group.startswith("UBND "):
        return "UBND các " + group.removeprefix("UBND ")
    return "Các " + group[:1].lower() + group[1:]


def write_cover_letter(
    campaign: Campaign, out_dir: Path, *, today: date | None = None, template_dir: Path | None = None
) -> list[Path]:
    """The cover letter to every department but the organiser, and the internal note for the organiser's own part.

    Written as ``cong-van-gui-phieu.docx`` (and ``phieu-chuyen-noi-bo.docx`` when the organiser scores items
    itself), each with its ``.txt`` copy; all or none.
    """
    context = cover_context(campaign, today)
    others = [d for d in context["departments"] if not d["own"]]
    own = [d for d in context["departments"] if d["own"]]
    year = campaign.model.year
    what = (
        f"đánh giá sơ bộ kết quả thực hiện Chỉ số CCHC năm {year}"
        if context["preliminary"]
        else f"tự đánh giá, chấm điểm Chỉ số CCHC năm {year}"
    )
    # a few departments are listed under “Kính gửi:”; more are addressed together, the body naming each one
    if len(others) <= MAX_LISTED:
        recipients = tuple(d["name"] for d in others)
    elif campaign.is_units:
        recipients = tuple(g["addressed"] for g in context["groups"])
    else:
        recipients = ("Các sở, ban, ngành tỉnh",)
    jobs: list[tuple[Letter, Path]] = []
    if others:
        letter = Letter(
            recipients=recipients,
            subject=f"triển khai {what}",
            body=body_of(COVER_TEMPLATE, context | {"listed": others}, template_dir),
        )
        jobs.append((letter, out_dir / "cong-van-gui-phieu.docx"))
    for dept in own:
        values = context | {"listed": [dept]}
        letter = letter_to(campaign, dept["name"], f"triển khai {what}", COVER_TEMPLATE, values, dept["codes"],
                           template_dir)  # fmt: skip
        jobs.append((letter, out_dir / "phieu-chuyen-noi-bo.docx"))
    with staged_folder(out_dir) as stage:
        write_letters(campaign, [(letter, stage / path.name) for letter, path in jobs], template_dir=template_dir)
    return [path for _, path in jobs]


def _lost_by_owner(items: Sequence[LostItem]) -> list[tuple[Department, list[LostItem]]]:
    from parcli.results.report import appendix_order

    grouped: dict[str, tuple[Department, list[LostItem]]] = {}
    for item in items:
        grouped.setdefault(item.owner.id, (item.owner, []))[1].append(item)
    return sorted(grouped.values(), key=lambda pair: appendix_order(pair[0].appendix))


def write_remedy_requests(
    campaign: Campaign,
    lost: Sequence[LostItem],
    out_dir: Path,
    *,
    deadline: date | None,
    today: date | None = None,
    template_dir: Path | None = None,
) -> list[tuple[str, Path]]:
    """One request for a remedy plan per department with items that lost points; (department id, path).

    ``deadline`` is the day the plans are due (“trước 17 giờ 00 ngày …”); without it the letter asks for the plan
    within the round's report deadline when the campaign gives one.
    """
    base = _base(campaign, today)
    due = deadline or campaign.model.deadlines.report
    year = campaign.model.year
    jobs: list[tuple[str, Letter, Path]] = []
    for owner, items in _lost_by_owner(lost):
        rows: list[dict[str, Any]] = [
            {
                "code": i.code,
                "title": i.title,
                "max": i.max_points,
                "score": i.score,
                "lost": i.lost,
                "unit": "" if i.scope == "province" else i.owner.name,
                "note": i.note,
            }
            for i in items
        ]
        values = base | {
            "dept": {"name": owner.name, "appendix": owner.appendix, "items": rows},
            "round_title": campaign.round_title or f"đánh giá sơ bộ năm {year}",
            "deadline_words": deadline_at(due) if due else "",
        }
        subject = f"xây dựng kế hoạch khắc phục các nội dung bị trừ điểm Chỉ số CCHC năm {year}"
        codes = [r["code"] for r in rows]
        letter = letter_to(campaign, owner.name, subject, REQUEST_TEMPLATE, values, codes, template_dir)
        jobs.append((owner.id, letter, out_dir / f"de-nghi-khac-phuc-{owner.file_stem}.docx"))
    with staged_folder(out_dir) as stage:
        write_letters(campaign, [(letter, stage / path.name) for _, letter, path in jobs], template_dir=template_dir)
    return [(owner_id, path) for owner_id, _, path in jobs]


def write_remedy_reminders(
    campaign: Campaign,
    silent: Sequence[Department],
    lost: Sequence[LostItem],
    out_dir: Path,
    *,
    deadline: date,
    today: date,
    template_dir: Path | None = None,
) -> list[tuple[str, Path]]:
    """A reminder to each department that sent no remedy plan: its items, and a day to send by; (id, path)."""
    base = _base(campaign, today)
    year = campaign.model.year
    by_owner = {d.id: items for d, items in _lost_by_owner(lost)}
    jobs: list[tuple[str, Letter, Path]] = []
    for owner in sorted(silent, key=lambda d: _order(campaign).index(d) if d in campaign.departments else 0):
        items = by_owner.get(owner.id, [])
        values = base | {
            "dept": {
                "name": owner.name,
                "appendix": owner.appendix,
                "items": [{"code": i.code, "title": i.title, "lost": i.lost} for i in items],
            },
            "today": today,
            "round_title": campaign.round_title or f"đánh giá sơ bộ năm {year}",
            "deadline_words": deadline_at(deadline),
        }
        subject = f"đôn đốc gửi kế hoạch khắc phục các nội dung bị trừ điểm Chỉ số CCHC năm {year}"
        codes = [i.code for i in items]
        letter = letter_to(campaign, owner.name, subject, REMIND_TEMPLATE, values, codes, template_dir)
        jobs.append((owner.id, letter, out_dir / f"nhac-khac-phuc-{owner.file_stem}.docx"))
    with staged_folder(out_dir) as stage:
        write_letters(campaign, [(letter, stage / path.name) for _, letter, path in jobs], template_dir=template_dir)
    return [(owner_id, path) for owner_id, _, path in jobs]
