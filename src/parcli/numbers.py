"""Exact numbers: parsing scores, the one rounding rule, Vietnamese formatting.

All arithmetic on points is done with :class:`decimal.Decimal`.  Scores are
exact as typed; the only rounding happens for display and for percentages, in
:func:`round_points` and :func:`percent`, half-up to two decimals (the way the
Ministry publishes the index, e.g. 86,98%).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ROUNDING_RULE = "làm tròn đến 2 chữ số thập phân (từ 5 trở lên làm tròn lên), chỉ khi hiển thị và tính tỷ lệ %"
_TWO = Decimal("0.01")


def round_points(value: Decimal) -> Decimal:
    """The project's single rounding rule: half-up to two decimals."""
    return value.quantize(_TWO, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` as a percentage rounded by :func:`round_points`; None when whole is 0."""
    if whole == 0:
        return None
    return round_points(part * 100 / whole)


def normalise(value: Decimal) -> Decimal:
    """Drop trailing zeros without scientific notation (``1.50`` → ``1.5``, ``10`` stays ``10``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def fmt_points(value: Decimal | int | float | None, *, comma: bool = True) -> str:
    """Format points the Vietnamese way: ``0,5``, ``10``, ``1.234,25``; empty for None."""
    if value is None:
        return ""
    dec = normalise(Decimal(str(value)))
    text = f"{dec:,f}"
    if not comma:
        return text.replace(",", "")
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def fmt_percent(value: Decimal | None) -> str:
    """``86.98`` → ``86,98%``; a dash for None."""
    if value is None:
        return "–"
    text = f"{round_points(value):,.2f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".") + "%"


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """Convert a cell value to Decimal exactly as a person typed it.

    Floats from a workbook go through ``repr`` (shortest round-trip text), so
    ``0.1`` read by openpyxl becomes ``Decimal('0.1')``, never ``0.1000000000000000055…``.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidOperation("boolean is not a number")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def date_vn(value: object) -> str:
    """``2024-01-15`` → ``15/01/2024`` (the date form of Vietnamese administrative documents)."""
    from datetime import date

    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)
