"""What an officer should check before issuing forms: parts not reviewed yet, and dates that disagree with the year.

Two kinds of output, both plain sentences in Vietnamese:

- :func:`unreviewed_notes` — for the forms themselves: a campaign that ``parcli init`` started says, on every
  cover sheet, which of its parts are still proposals (the assignment of items, the deadlines) until the
  campaign's ``unreviewed:`` list no longer names them;
- :func:`campaign_warnings` — for the officer, at ``init`` and ``generate``: a catalogue of another year or on
  a superseded legal basis, rounds, deadlines, titles or dates that name another year.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.config.catalogue import Catalogue

# The Ministry's decisions on the provincial index (domain notes §3, §9): number, date issued.
# 876/QĐ-BNV is the 2022–2030 scheme; 892/QĐ-BNV and 1187/QĐ-BNV came after it, for the later rounds.
KNOWN_DECISIONS: Final[tuple[tuple[str, date], ...]] = (
    ("876/QĐ-BNV", date(2022, 11, 10)),
    ("892/QĐ-BNV", date(2024, 12, 5)),
    ("1187/QĐ-BNV", date(2025, 10, 15)),
)

_YEAR_WORDS = re.compile(r"\bnăm (\d{4})\b")


def unreviewed_notes(campaign: Campaign) -> list[str]:
    """The cover sheet's notes on the parts of the campaign still proposals (none once reviewed)."""
    parts = set(campaign.model.unreviewed)
    notes: list[str] = []
    if "assignment" in parts and not campaign.is_units:
        notes.append(
            "Việc giao các mục cho từng cơ quan trong phiếu này là phân công ban đầu (ghép các phụ lục của kế "
            "hoạch mẫu theo các sở sau sắp xếp), đang được rà soát theo quyết định của Ủy ban nhân dân tỉnh. Mục "
            "nào không thuộc chức năng, nhiệm vụ của cơ quan, đề nghị báo ngay cho đơn vị tổng hợp."
        )
    if "deadlines" in parts:
        notes.append(
            "Thời hạn ghi trong phiếu là thời hạn dự kiến, chưa phải thời hạn theo kế hoạch chính thức của Ủy ban "
            "nhân dân tỉnh; đơn vị tổng hợp sẽ thông báo nếu có thay đổi."
        )
    return notes


def _years_named(text: str | None) -> set[int]:
    """The years a text names as “năm 2023”."""
    if not text:
        return set()
    return {int(y) for y in _YEAR_WORDS.findall(unicodedata.normalize("NFC", text))}


def _catalogue_warnings(catalogue: Catalogue, year: int) -> list[str]:
    """A catalogue of another year, or one whose legal basis was followed by later decisions by ``year``."""
    model = catalogue.model
    name = catalogue.path.name if catalogue.path else catalogue.id
    out: list[str] = []
    if model.year != year:
        out.append(
            f"bộ tiêu chí {name} ghi năm {model.year}, kế hoạch là năm {year}. Đề nghị kiểm tra đã dùng đúng bộ "
            f"tiêu chí áp dụng cho năm {year} chưa."
        )
    basis = unicodedata.normalize("NFC", model.decision).upper()
    cited = [i for i, (number, _) in enumerate(KNOWN_DECISIONS) if number.upper() in basis]
    if cited:
        later = [
            f"số {number} ngày {issued:%d/%m/%Y}"
            for number, issued in KNOWN_DECISIONS[max(cited) + 1 :]
            if issued.year <= year
        ]
        if later:
            out.append(
                f"bộ tiêu chí {name} căn cứ Quyết định số {KNOWN_DECISIONS[max(cited)][0]} của Bộ Nội vụ; sau quyết "
                f"định này Bộ Nội vụ đã ban hành Quyết định {', '.join(later)}. Đề nghị đối chiếu bộ tiêu chí với "
                f"văn bản áp dụng cho năm {year}."
            )
    return out


def campaign_warnings(campaign: Campaign, *, unreviewed: bool = True) -> list[str]:
    """Sentences for the officer: what in the campaign disagrees with its year, and (``unreviewed``) which of its
    parts are still proposals."""
    model = campaign.model
    year = model.year
    out: list[str] = []
    catalogues = list(campaign.catalogues.values()) if campaign.catalogues else [campaign.catalogue]
    seen: set[str] = set()
    for catalogue in catalogues:
        if catalogue.content_hash not in seen:
            seen.add(catalogue.content_hash)
            out += _catalogue_warnings(catalogue, year)
    for what, text in (("title", model.title), ("plan", model.plan)):
        other = sorted(_years_named(text) - {year})
        if other:
            out.append(f"trường {what} nói năm {', '.join(map(str, other))}, kế hoạch là năm {year}.")
    expected = {year, year + 1}  # a year's self-assessment closes in the first weeks of the next year
    rounds = campaign.rounds
    for r in rounds:
        other = sorted(_years_named(r.title) - {year})
        if other:
            out.append(f"đợt {r.id}: tên đợt “{r.title}” nói năm {', '.join(map(str, other))}, kế hoạch là năm {year}.")
        out += _dates_outside(f"đợt {r.id}", r.deadlines.model_dump(), expected, year)
    if not rounds:
        out += _dates_outside("deadlines", model.deadlines.model_dump(), expected, year)
    if model.evidence is not None and model.evidence.period is not None:
        period = model.evidence.period
        if period.start.year != year or period.end.year != year:
            out.append(f"evidence.period ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}) không nằm trong năm {year}.")
    docs = campaign.documents
    out += _dates_outside(
        "documents", {"report_date": docs.report_date, "letter_date": docs.letter_date}, expected, year
    )
    if unreviewed and model.unreviewed:
        named = {"assignment": "phân công các mục (departments)", "deadlines": "thời hạn (deadlines, rounds)"}
        parts = "; ".join(named[p] for p in model.unreviewed)
        out.append(
            f"kế hoạch còn phần đề xuất chưa rà soát: {parts} — các phiếu ghi rõ điều này. Rà soát xong phần nào, "
            "xóa tên phần đó khỏi dòng unreviewed trong kế hoạch."
        )
    return out


def _dates_outside(where: str, dates: dict[str, object], expected: set[int], year: int) -> list[str]:
    """A sentence for each date of ``dates`` that is neither in ``year`` nor in the next one."""
    wrong = [
        f"{key} {value:%d/%m/%Y}"
        for key, value in dates.items()
        if isinstance(value, date) and value.year not in expected
    ]
    if not wrong:
        return []
    return [f"{where}: {', '.join(wrong)} không thuộc năm {year} hoặc đầu năm {year + 1}. Đề nghị kiểm tra."]


__all__ = ["KNOWN_DECISIONS", "campaign_warnings", "unreviewed_notes"]
