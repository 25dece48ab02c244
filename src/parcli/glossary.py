"""The office's wording: preferred terms and the variants parcli must not write (ground floor, no parcli imports).

Everything an official reads — messages, workbook texts, help, templates, letters — uses one style:

- tone marks in the new style on ``oa``, ``oe``, ``uy`` without a final consonant: “khóa”, “xóa”,
  “hóa”, “hòa”, “thủy” (not “khoá”, “xoá”, “hoá”, “hoà”, “thuỷ”);
- points are “điểm”, never “đ” (which reads as đồng);
- a figure that may be wrong “không bảo đảm chính xác” (not “không được tin cậy”);
- “kinh tế - xã hội” with a hyphen; a percentage without a space (“88,10%”);
- impersonal wording to a department: the software is not named as the one that reads
  (“parcli đọc là …” → “được hiểu là …”);
- no repeated noun after a code (“mục 2.1.2: mục bị trừ điểm”), no code told twice in one entry
  (“Mục 2.1.2 (…): Mục 2.1.2 bị trừ điểm”).

:func:`find_forbidden` returns the variants found in a text; the test suite runs it over every string
literal in ``src/``, every template, the generated workbooks and the CLI help. Error messages to a
department end with what to do (“Đề nghị …”): :data:`REQUEST` is that opening.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

REQUEST = "Đề nghị"
"""How every error message addressed to a department says what to do."""

UTC_OFFSET_HOURS = 7
"""Vietnam time (UTC+7, no daylight saving): time stamps shown to people use it."""

VIETNAM = timezone(timedelta(hours=UTC_OFFSET_HOURS), "ICT")


@dataclass(frozen=True)
class Rule:
    """One forbidden variant: its pattern, the preferred wording and why."""

    slug: str
    pattern: re.Pattern[str]
    preferred: str
    why: str


# Old-style tone placement: the mark on the second vowel of oa/oe/uy at the end of a syllable
# (“hoá”, “khoẻ”, “thuỷ”). With a final consonant (“hoạt”, “toàn”) both styles agree; after “q” the
# “u” belongs to the consonant (“quý”), so those are not matched.
_OLD_TONE = re.compile(r"\w*(?<![qQ])(?:[oO][áàảãạÁÀẢÃẠéèẻẽẹÉÈẺẼẸ]|[uU][ýỳỷỹỵÝỲỶỸỴ])(?!\w)")

RULES: tuple[Rule, ...] = (
    Rule("old-tone", _OLD_TONE, "khóa, xóa, hóa, hòa, thủy", "one tone style: the new one (Bộ GD&ĐT 2018)"),
    Rule(
        "points-as-dong",
        re.compile(r"(?:\d|\})\s*đ(?!\w)"),
        "điểm",
        "“đ” reads as đồng; points are “điểm”",
    ),
    Rule("not-trusted", re.compile(r"không được tin cậy", re.IGNORECASE), "không bảo đảm chính xác", "office wording"),
    Rule("en-dash-kinh-te", re.compile(r"kinh tế\s*[–—]\s*xã hội", re.IGNORECASE), "kinh tế - xã hội", "office form"),
    Rule("space-before-percent", re.compile(r"(?:\d|\})[ \u00a0]+%(?!\})"), "88,10%", "one form for percentages"),
    Rule(
        "software-reads",
        re.compile(r"parcli (?:đọc|hiểu|dùng điểm) ", re.IGNORECASE),
        "được hiểu là …",
        "impersonal wording to a department",
    ),
    Rule(
        "repeated-muc",
        re.compile(r"\bmục \S+: mục\b", re.IGNORECASE),
        "mục 2.1.2 bị trừ điểm",
        "the noun once",
    ),
    Rule(
        "repeated-code",
        re.compile(r"\b[Mm]ục (\d+(?:\.\d+)+)\b[^\n]*?: [^\n]*?\b[Mm]ục \1\b"),
        "Mục 2.1.2 (…): Bị trừ điểm …",
        "a list entry names its item once",
    ),
    Rule("missing-space-after-stop", re.compile(r"[)à-ỹ]\.(?=[A-ZĐÀ-Ỹ][a-zà-ỹ])"), ". Mục", "a space after a stop"),
)


@dataclass(frozen=True)
class Hit:
    """A forbidden variant found in a text."""

    slug: str
    found: str
    preferred: str


def find_forbidden(text: str) -> list[Hit]:
    """Every forbidden variant in *text* (compared in NFC), in rule order."""
    text = unicodedata.normalize("NFC", text)
    hits: list[Hit] = []
    for rule in RULES:
        for match in rule.pattern.finditer(text):
            hits.append(Hit(rule.slug, match.group(0), rule.preferred))
    return hits


_NEW_TONE = str.maketrans(
    {
        "á": "a",
        "à": "a",
        "ả": "a",
        "ã": "a",
        "ạ": "a",
        "é": "e",
        "è": "e",
        "ẻ": "e",
        "ẽ": "e",
        "ẹ": "e",
        "ý": "y",
        "ỳ": "y",
        "ỷ": "y",
        "ỹ": "y",
        "ỵ": "y",
    }
)
_MOVE_TO = {
    ("o", "á"): "ó",
    ("o", "à"): "ò",
    ("o", "ả"): "ỏ",
    ("o", "ã"): "õ",
    ("o", "ạ"): "ọ",
    ("o", "é"): "ó",
    ("o", "è"): "ò",
    ("o", "ẻ"): "ỏ",
    ("o", "ẽ"): "õ",
    ("o", "ẹ"): "ọ",
    ("u", "ý"): "ú",
    ("u", "ỳ"): "ù",
    ("u", "ỷ"): "ủ",
    ("u", "ỹ"): "ũ",
    ("u", "ỵ"): "ụ",
}


def new_tone(word: str) -> str:
    """Move an old-style tone mark to the new place: ``hoá`` → ``hóa``, ``thuỷ`` → ``thủy`` (lower case)."""
    if len(word) < 2:
        return word
    first, second = word[-2], word[-1]
    moved = _MOVE_TO.get((first.lower(), second.lower()))
    if moved is None:
        return word
    if first.isupper():
        moved = moved.upper()
    plain = second.lower().translate(_NEW_TONE)
    if second.isupper():
        plain = plain.upper()
    return word[:-2] + moved + plain


def time_vn(moment: datetime) -> str:
    """A time stamp as people in Vietnam read it: ``lúc 15:00 ngày 20/12/2023 (giờ Việt Nam)``.

    A naive *moment* is taken as UTC (parcli's clock and metadata are UTC; metadata keeps ISO UTC).
    """
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(VIETNAM)
    return f"lúc {local:%H:%M} ngày {local:%d/%m/%Y} (giờ Việt Nam)"


PLACEHOLDER_MARKERS: tuple[str, ...] = ("thay bằng thông tin thật", "VÍ DỤ do parcli lập")
"""Words that mark a sample value in the bundled example; a real campaign must not send them out."""


def placeholders(data: object, path: str = "") -> list[tuple[str, str]]:
    """The (dotted path, text) of every string in *data* (dicts and lists) that still holds a placeholder."""
    found: list[tuple[str, str]] = []
    if isinstance(data, str):
        folded = unicodedata.normalize("NFC", data).casefold()
        if any(marker.casefold() in folded for marker in PLACEHOLDER_MARKERS):
            found.append((path, data))
    elif isinstance(data, dict):
        for key, value in data.items():
            found += placeholders(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            found += placeholders(value, f"{path}[{i + 1}]")  # counted from 1
    return found
