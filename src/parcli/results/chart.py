"""The bar chart of percentage by field as a PNG, for the Word report (Pillow).

Drawn in the document's font, Times New Roman (or Liberation Serif, its
metric twin on Linux), with each field's full name wrapped beside its bar;
the caption ("Biểu đồ …") is a paragraph of the template, under the picture.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

# Times New Roman first, then its metric-compatible twin (fonts-liberation), then anything that has Vietnamese
_FONTS = (
    "times.ttf",
    "Times New Roman.ttf",
    "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "LiberationSerif-Regular.ttf",
    "DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def _font(size: int) -> Any:
    from PIL import ImageFont

    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def wrap(text: str, font: Any, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` pixels in ``font`` (at word boundaries)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


def bar_chart_png(fields: list[dict[str, Any]], target: Path) -> None:
    """Draw one horizontal bar per field (its code and full name, wrapped; value in %) into ``target``."""
    from PIL import Image, ImageDraw

    from parcli.numbers import fmt_percent

    scale = 2  # drawn at twice the size for a crisp print
    size, line_h = 17 * scale, 20 * scale
    left, width, right, pad = 300 * scale, 380 * scale, 90 * scale, 8 * scale
    font = _font(size)
    labels = [wrap(f"{f['code']}. {f['title']}", font, left - 2 * pad) for f in fields]
    heights = [max(len(lines) * line_h, 22 * scale) + 2 * pad for lines in labels]
    top, axis = 6 * scale, 26 * scale
    height = top + sum(heights) + axis
    image = Image.new("RGB", (left + width + right, height), "white")
    draw = ImageDraw.Draw(image)
    for tick in range(0, 101, 20):
        x = left + width * tick // 100
        draw.line([(x, top), (x, height - axis)], fill="#dddddd", width=scale)
        label = f"{tick}%"
        draw.text((x - font.getlength(label) / 2, height - axis + 4 * scale), label, fill="#555555", font=font)
    y = top
    for field, lines, h in zip(fields, labels, heights, strict=True):
        text_y = y + (h - len(lines) * line_h) // 2
        for n, line in enumerate(lines):
            draw.text((pad, text_y + n * line_h), line, fill="black", font=font)
        pct = field["percent"] if field["percent"] is not None else Decimal(0)
        bar = int(width * float(pct) / 100)
        bar_top = y + (h - 20 * scale) // 2
        draw.rectangle([left, bar_top, left + bar, bar_top + 20 * scale], fill="#2f5597")
        draw.text((left + bar + 6 * scale, bar_top + 1 * scale), fmt_percent(field["percent"]), fill="black", font=font)
        y += h
    image.save(target, format="PNG")
