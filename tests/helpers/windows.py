"""What Windows writes: text in the Vietnamese ANSI code page (cp1258)."""

from __future__ import annotations

import unicodedata

TONES = "\u0300\u0301\u0303\u0309\u0323"  # the tone marks cp1258 writes as combining characters


def cp1258(text: str) -> bytes:
    """Text as Vietnamese Windows writes it: base letters precomposed (ê, ơ…), tone marks combining."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)) + tones)
    return "".join(out).encode("cp1258")
