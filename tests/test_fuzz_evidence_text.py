"""Fuzzing the reader of an evidence cell: texts put together from the pieces departments type (citations,
dates in figures and in words, “năm 2023”, file names, links, stray punctuation, decomposed diacritics).

Every text parses without an exception; each date it finds carries the years its line says its document is
for (the two lists stay aligned: the period check pairs them); a date is never read as a year a document is
for.  Seeded (``PARCLI_FUZZ_SEED``) and bounded (``PARCLI_FUZZ``; 300 texts in ``make test``).
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date

from parcli.packages import Member
from parcli.rounds.scoring.evidence import parse_cell
from tests.helpers.mutate import SEED, fuzz_count

PIECES = [
    "Kế hoạch số 204/KH-UBND",
    "Quyết định số 88/QĐ-UBND",
    "Báo cáo số 7/BC",
    "ngày 23/12/2022",
    "ngày 5.1.2023",
    "ngày 31-12-2023",
    "ngày 23 tháng 12 năm 2022",
    "ngày 99/99/2023",
    "ngày 29/02/2023",
    "năm 2023",
    "Năm 2024",
    "năm  2021",
    "năm20231",
    "giai đoạn 2021-2025",
    "QD-123.pdf",
    "tai lieu/bao cao.docx",
    "https://hungyen.gov.vn/a?b=1",
    "số",
    "của UBND tỉnh",
    ";",
    ",",
    "—",
    "\t",
    "\n",
    "\n\n",
    "(",
    ")",
    "“",
    "”",
    "12/2023",
    "2023",
    "/",
]


def _text(rng: random.Random) -> str:
    parts = [rng.choice(PIECES) for _ in range(rng.randint(0, 14))]
    text = " ".join(parts)
    if rng.random() < 0.3:
        text = unicodedata.normalize("NFD", text)  # typed on a Mac, or pasted from a PDF
    return text


def test_evidence_texts_parse_and_keep_dates_with_their_years() -> None:
    rng = random.Random(SEED)
    members = [Member("QD-123.pdf", 10), Member("tai lieu/bao cao.docx", 20)]
    for _ in range(fuzz_count(300)):
        text = _text(rng)
        parsed = parse_cell("1.1.1", "F8", text, members)
        assert len(parsed.dates) == len(parsed.years_for), text
        for day, years in zip(parsed.dates, parsed.years_for, strict=True):
            assert isinstance(day, date)
            assert all(1000 <= year <= 9999 for year in years), (text, years)


def test_a_date_in_words_is_not_a_year_its_document_is_for() -> None:
    parsed = parse_cell("1.1.1", "F8", "Quyết định số 88/QĐ-UBND ngày 10 tháng 3 năm 2022", [])
    assert parsed.dates == [date(2022, 3, 10)] and parsed.years_for == [()]
    typed = unicodedata.normalize("NFD", "Kế hoạch số 1/KH-UBND ngày 23/12/2022 năm 2023")
    parsed = parse_cell("1.1.1", "F8", typed, [])
    assert parsed.years_for == [(2023,)]
