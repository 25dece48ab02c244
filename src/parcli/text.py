"""Comparable text: the Unicode form and label keys every floor uses (ground floor, no imports from parcli).

Vietnamese can be typed composed (NFC) or decomposed (NFD); parcli writes NFC and compares
labels, sheet names and group names through :func:`label_key`.
"""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """Normalise text to NFC (composed Vietnamese)."""
    return unicodedata.normalize("NFC", text)


def label_key(value: object) -> str:
    """Comparable form of a label: NFC, trimmed, case-folded, single spaces."""
    if value is None:
        return ""
    return " ".join(nfc(str(value)).split()).casefold()
