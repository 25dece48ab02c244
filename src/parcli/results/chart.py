"""The bar chart of percentage by field as a PNG, for the Word report (Pillow)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

_FONTS = (
    "DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "arial.ttf",
    "times.ttf",
)


def _font(size: int) -> Any:
    from PIL import ImageFont

    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def bar_chart_png(fields: list[dict[str, Any]], target: Path) -> None:
    """Draw one horizontal bar per field (label ``Lĩnh vực N``, value in %) into ``target``."""
    from PIL import Image, ImageDraw

    from parcli.numbers import fmt_percent

    scale = 2  # drawn at twice the size for a crisp print
    row, left, width, right = 34 * scale, 150 * scale, 520 * scale, 110 * scale
    height = (len(fields) * 34 + 40) * scale
    image = Image.new("RGB", (left + width + right, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(14 * scale)
    for tick in range(0, 101, 20):
        x = left + width * tick // 100
        draw.line([(x, 10 * scale), (x, height - 25 * scale)], fill="#dddddd", width=scale)
        draw.text((x - 8 * scale, height - 22 * scale), f"{tick}%", fill="#555555", font=font)
    for i, field in enumerate(fields):
        y = 14 * scale + i * row
        pct = field["percent"] if field["percent"] is not None else Decimal(0)
        bar = int(width * float(pct) / 100)
        draw.text((8 * scale, y + 2 * scale), f"Lĩnh vực {field['code']}", fill="black", font=font)
        draw.rectangle([left, y, left + bar, y + 22 * scale], fill="#2f5597")
        draw.text((left + bar + 6 * scale, y + 2 * scale), fmt_percent(field["percent"]), fill="black", font=font)
    image.save(target, format="PNG")
