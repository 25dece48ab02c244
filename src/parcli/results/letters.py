"""Letters the organiser signs: one Word layout after Nghị định 30/2020, a text copy for e-mail.

Every letter parcli writes — reminders, appraisal notices, the cover letter of the
issued workbooks, remedy requests, the Tờ trình — is a *body* (a plain-text Jinja
template rendered with the letter's data, paragraphs separated by blank lines,
lines starting with "- " as list paragraphs) put into the one Word layout
``letter.docx`` with the letterhead, number, date line, recipients and signer
(Nghị định 30/2020/NĐ-CP, Phụ lục I), and into ``letter.txt.j2``, the same letter
as plain text for pasting into an e-mail.  Both go through :mod:`parcli.render`, so
an office's ``--templates`` folder overrides either.

The facts every letter states the same way are worded once, here: the plan cited
by number and date (:func:`plan_citation`), the officer to contact
(:func:`contact_sentence`), a deadline a letter sets (:func:`deadline_at`, “trước
17 giờ 00 ngày …”).  A letter to the organiser's own department is not a công văn
from it to itself: :func:`internal_note` makes it a note from the organiser's
division to the divisions responsible for those items.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.render import render_each, render_string

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign, Department

LETTER_DOCX = "letter.docx"
LETTER_TEXT = "letter.txt.j2"
CLOSING = "./."  # the end of a document's body (Nghị định 30/2020/NĐ-CP, Phụ lục I)
DAY_ENDS = "17 giờ 00"  # the hour a letter's own deadline falls on
TO_DIRECTOR = "Giám đốc Sở (để b/c)"  # a deputy signs on the director's behalf: the director gets a copy
NOTE_TITLE = "PHIẾU CHUYỂN"  # the internal note of a division (Nghị định 30/2020/NĐ-CP, Phụ lục III: phiếu chuyển)


@dataclass(frozen=True)
class Letter:
    """One letter: to whom, about what (trích yếu, without "V/v"), its body and who else receives it.

    ``recipients`` holds one name (“Kính gửi: Sở Tư pháp”) or several (listed under “Kính gửi:”).
    ``title`` is set for a titled document (“TỜ TRÌNH”, “PHIẾU CHUYỂN”): the subject then stands under
    the title (“Về việc …”) instead of under the number.  ``heading`` replaces the campaign's letterhead
    (an internal note's division, the People's Committee's draft).
    """

    recipients: tuple[str, ...]
    subject: str
    body: tuple[str, ...]
    copies: tuple[str, ...] = ("Như trên",)
    title: str = ""
    heading: Mapping[str, str] = field(default_factory=dict)

    @property
    def recipient(self) -> str:
        """The recipients as one line (the text copy, the terminal)."""
        return "; ".join(self.recipients)


def paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of a rendered body text, the last one closed with "./.".

    Blank lines separate paragraphs; inside one, lines are joined with a
    space, except that a line starting with "- " or "+ " opens a paragraph of
    its own (a list entry).
    """
    found: list[str] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        current: list[str] = []
        for raw in block.splitlines():
            line = " ".join(raw.split())
            if not line:
                continue
            if line.startswith(("- ", "+ ")) and current:
                found.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            found.append(" ".join(current))
    if found and not found[-1].endswith(CLOSING):
        found[-1] = found[-1].rstrip(" .;:") + CLOSING
    return tuple(found)


def body_of(template: str, context: Mapping[str, Any], template_dir: Path | None = None) -> tuple[str, ...]:
    """Render a body template (plain text) and split it into paragraphs."""
    return paragraphs(render_string(template, context, template_dir))


# --- the facts every letter words the same way ------------------------------------------------------


_CITATION = re.compile(r"^(Quyết định|Thông tư|Nghị định|Công văn|Hướng dẫn|Kế hoạch)\s+số\s+\S", re.IGNORECASE)


CRITERIA_TO_FILL = "Quyết định số …/QĐ-BNV ngày … của Bộ Nội vụ"


def criteria_citation(campaign: Campaign) -> str:
    """The catalogue's decision as a document cites it (“Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ”).

    When the catalogue's ``decision`` is a note rather than a citation (a provisional catalogue: “Chưa cập nhật
    theo văn bản áp dụng…”), the note is the officer's: the document gets :data:`CRITERIA_TO_FILL`, its number
    and date left as “…” for the office to fill in, as for the plan (see :func:`criteria_cited`).
    """
    decision = " ".join(campaign.catalogue.model.decision.split())
    return decision if criteria_cited(campaign) else CRITERIA_TO_FILL


def criteria_cited(campaign: Campaign) -> bool:
    """Whether the catalogue's ``decision`` cites a document (“Quyết định số …”, “Thông tư số …”)."""
    return bool(_CITATION.match(" ".join(campaign.catalogue.model.decision.split())))


def plan_citation(campaign: Campaign) -> str:
    """The plan as documents cite it: “Kế hoạch số 205/KH-UBND ngày 20/12/2023 của UBND tỉnh Hưng Yên về …”.

    From ``documents.plan``; a number or a date it does not give is left as “…” for the office to fill in.
    Without ``documents.plan`` the campaign's ``plan`` title (cut before an example's note) stands after
    “Kế hoạch số …/KH-UBND ngày … của UBND tỉnh …”, never pasted whole.
    """
    model = campaign.model
    ref = campaign.documents.plan
    issuer = (ref.issuer if ref and ref.issuer else None) or f"UBND tỉnh {model.province}"
    number = ref.number if ref and ref.number else "…/KH-UBND"
    day = f"ngày {ref.issued:%d/%m/%Y}" if ref and ref.issued else "ngày …"
    if ref is None:
        title = _without_note(model.plan or model.title)
        if title.casefold().startswith("kế hoạch số "):  # the plan's title already cites its number
            return title
        return f"Kế hoạch số {number} {day} của {issuer} về {_plan_subject(title)}"
    return f"Kế hoạch số {number} {day} của {issuer} về {ref.about}"


def _without_note(title: str) -> str:
    """A plan's title without an example's or a test's note (“… — VÍ DỤ do parcli lập …”, “… (kiểm thử)”)."""
    import re

    return re.split(r"\s[—–]\s|\s\(", title, maxsplit=1)[0].strip()


def _plan_subject(title: str) -> str:
    """What a plan's title is about, lower-cased after “Kế hoạch”: “triển khai xác định Chỉ số CCHC …”."""
    import re

    text = re.sub(r"^Kế hoạch\s+", "", title, flags=re.IGNORECASE)
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def contact_sentence(campaign: Campaign) -> str:
    """The officer to contact, as every công văn names them (“đ/c …, Phòng …, Sở Nội vụ; điện thoại: …; …”).

    From ``documents.contact``; without it the line is left with “…” for the office to fill in.
    """
    org = campaign.model.organiser
    short = organiser_short(campaign)
    contact = campaign.documents.contact
    if contact is None:
        unit = org.unit or "Phòng …"
        return f"Thông tin chi tiết, đề nghị liên hệ đ/c …, {unit}, {short}; điện thoại: …; thư điện tử: …."
    division = contact.unit or org.unit
    where = f"{division}, {short}" if division else short
    return (
        f"Thông tin chi tiết, đề nghị liên hệ đ/c {contact.name}, {where}; điện thoại: {contact.phone}; "
        f"thư điện tử: {contact.email}."
    )


def organiser_short(campaign: Campaign) -> str:
    """The organiser as a letter names it after the first mention: “Sở Nội vụ”."""
    model = campaign.model
    return model.organiser.name.replace(f" tỉnh {model.province}", "")


def is_organiser(campaign: Campaign, department: Department | str) -> bool:
    """Whether a department (or its name) is the organiser itself: its own items go to its divisions."""
    name = department if isinstance(department, str) else department.name
    return " ".join(name.split()).casefold() == " ".join(organiser_short(campaign).split()).casefold()


def part_of(campaign: Campaign, name: str) -> str:
    """What a department scores, as a letter words it: “Phụ lục III của Kế hoạch”, or for a unit that scores its
    group's catalogue “bộ tiêu chí của nhóm UBND xã, phường” (“Phụ lục của Kế hoạch” when the name is unknown)."""
    found = next((d for d in campaign.departments if d.name == name), None)
    if found is None:
        return "Phụ lục của Kế hoạch"
    if found.appendix:
        return f"Phụ lục {found.appendix} của Kế hoạch"
    groups = {g.id: g.name for g in campaign.model.groups or []}
    return f"bộ tiêu chí của nhóm {groups.get(found.group or '', found.group or '')}".rstrip()


def deadline_at(day: date) -> str:
    """A deadline a letter sets itself, fixed to the hour: “trước 17 giờ 00 ngày 18/01/2024”."""
    return f"trước {DAY_ENDS} ngày {day:%d/%m/%Y}"


def working_days_after(day: date, count: int) -> date:
    """The day ``count`` working days after ``day`` (Saturdays and Sundays skipped; public holidays are not known)."""
    current = day
    while count > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            count -= 1
    return current


def heading(campaign: Campaign, day: date | None = None) -> dict[str, str]:
    """The campaign's letterhead and signature (:meth:`Campaign.letterhead`) with what the other documents add.

    ``sign_for`` is the line above “KT. …” when the signer signs for a collective body (“TM. ỦY BAN NHÂN DÂN”);
    ``listing_number`` and ``record_number`` number the list for the leadership and the appraisal record;
    ``number_bare`` and ``date_short`` cite a document in its own appendix (“Số …/QĐ-UBND ngày …”).
    """
    base = campaign.letterhead(day)
    symbol = base["symbol"]
    return base | {
        "sign_for": "",
        "listing_number": "",
        "record_number": f"Số: …/BB-{symbol}",
        "number_bare": base["number"].removeprefix("Số: "),
        "date_short": f"{day:%d/%m/%Y}" if day else "…",
    }


def common_context(campaign: Campaign, day: date | None = None) -> dict[str, Any]:
    """What every letter body may use: the letterhead, the plan cited, the contact, the organiser's names."""
    model = campaign.model
    return {
        "campaign": {
            "id": campaign.id,
            "title": model.title,
            "plan": plan_citation(campaign),
            "year": model.year,
            "province": model.province,
        },
        "letterhead": heading(campaign, day or campaign.documents.letter_date),
        "plan": plan_citation(campaign),
        "contact": contact_sentence(campaign),
        "organiser": model.organiser.name,
        "organiser_short": organiser_short(campaign),
    }


# --- the organiser's own items: an internal note ----------------------------------------------------


def divisions_for(campaign: Campaign, codes: Sequence[str]) -> list[str]:
    """The organiser's divisions responsible for ``codes`` (``documents.internal.divisions``), in order met.

    A code takes the division of the longest field, criterion or component code it starts with; codes no
    division is named for go to “các phòng, đơn vị thuộc Sở được giao theo dõi”.
    """
    mapping = campaign.documents.internal.divisions if campaign.documents.internal else {}
    sender = " ".join((campaign.model.organiser.unit or "").split()).casefold()
    found: list[str] = []
    for code in codes:
        name = division_of(mapping, code)
        if name not in found and " ".join(name.split()).casefold() != sender:  # the note's own sender: not a recipient
            found.append(name)
    return found or [division_of({}, "")]


def division_of(mapping: Mapping[str, str], code: str) -> str:
    """The division of one item code (longest matching prefix), or the general recipient."""
    parts = code.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in mapping:
            return mapping[key]
    return "Các phòng, đơn vị thuộc Sở được giao theo dõi"


def letter_to(
    campaign: Campaign,
    name: str,
    subject: str,
    template: str,
    values: Mapping[str, Any],
    codes: Sequence[str],
    template_dir: Path | None = None,
) -> Letter:
    """The letter to one department, its body rendered from ``template`` with ``values`` and ``part`` (what the
    department scores); to the organiser itself, the same words as an :func:`internal_note` to its divisions
    (``you`` “các phòng”, ``receiver`` its division in charge, ``internal``) for the items ``codes``."""
    own = is_organiser(campaign, name)
    context = {**values, "part": part_of(campaign, name)}
    if own:
        unit = campaign.model.organiser.unit or organiser_short(campaign)
        context |= {"you": "các phòng", "receiver": unit, "internal": True}
    letter = Letter(recipients=(name,), subject=subject, body=body_of(template, context, template_dir))
    return internal_note(campaign, letter, codes) if own else letter


def internal_note(campaign: Campaign, letter: Letter, codes: Sequence[str]) -> Letter:
    """The letter to the organiser's own department turned into a note from its division to the divisions.

    The heading is the organiser over its division (“SỞ NỘI VỤ / PHÒNG CẢI CÁCH HÀNH CHÍNH”), the title
    “PHIẾU CHUYỂN” with the subject under it, the recipients the divisions responsible for ``codes``, the
    signer the head of the division (``documents.internal.signer``), and the copies the director's office.
    """
    org = campaign.model.organiser
    internal = campaign.documents.internal
    signer = internal.signer if internal and internal.signer else None
    note_heading = {
        "parent": organiser_short(campaign).upper(),
        "agency": (org.unit or "Phòng Cải cách hành chính").upper(),
        "letter_number": "",
        "sign_on_behalf": (signer.on_behalf or "") if signer else "",
        "sign_title": signer.title if signer else "TRƯỞNG PHÒNG",
        "sign_name": (signer.name or "") if signer else "",
        "archive": "Lưu: CCHC.",
    }
    return replace(
        letter,
        recipients=tuple(divisions_for(campaign, codes)),
        title=NOTE_TITLE,
        heading=note_heading,
        copies=("Như trên", "Lãnh đạo Sở (để b/c)"),
    )


# --- writing --------------------------------------------------------------------------------------


def letter_context(campaign: Campaign, letter: Letter, day: date | None = None) -> dict[str, Any]:
    """Plain data for the letter templates: letterhead, signer, recipients, subject, body, copies.

    ``day`` is the letter's date; without it the campaign's ``documents.letter_date``,
    and without that the date line is left for the office to fill in on signing.
    A deputy signing on the director's behalf (“KT. GIÁM ĐỐC”) sends the director a copy.
    """
    head = heading(campaign, day or campaign.documents.letter_date) | dict(letter.heading)
    copies = list(letter.copies)
    if head["sign_on_behalf"].startswith("KT.") and letter.title != NOTE_TITLE and TO_DIRECTOR not in copies:
        copies.append(TO_DIRECTOR)
    return {
        "letterhead": head,
        "recipient": letter.recipient,
        "recipients": list(letter.recipients),
        "subject": letter.subject,
        "title": letter.title,
        "body": list(letter.body),
        "copies": copies,
    }


def write_letters(
    campaign: Campaign,
    jobs: Sequence[tuple[Letter, Path]],
    *,
    template_dir: Path | None = None,
    text_copies: bool = True,
    day: date | None = None,
) -> list[Path]:
    """Write each letter as a Word document at its path (and, with ``text_copies``, a ``.txt`` beside it).

    Returns the Word documents written.
    """
    contexts = [(letter_context(campaign, letter, day), out) for letter, out in jobs]
    written = render_each(LETTER_DOCX, contexts, template_dir)
    if text_copies:
        render_each(LETTER_TEXT, [(context, out.with_suffix(".txt")) for context, out in contexts], template_dir)
    return written
