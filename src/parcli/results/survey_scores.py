"""Survey scores (*điểm điều tra xã hội học*) as the organiser receives them, read and checked.

Split mode: a CSV ``code,points`` or a YAML ``code: points`` for the whole
province (:func:`load_survey`). each-unit-scores mode: a CSV
``unit,code,points`` (:func:`load_unit_survey`). Every mistake of a file is
listed in one :class:`SurveyError`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from parcli.config.campaign import Campaign
from parcli.config.catalogue import Leaf
from parcli.config.yamlio import YamlSyntaxError, parse_yaml
from parcli.errors import ParcliError
from parcli.numbers import fmt_points


class SurveyError(ParcliError):
    """The survey scores file cannot be used."""


def _survey_points(where: str, leaf: Leaf, value: Any, problems: list[str]) -> Decimal | None:
    """One survey score as typed (decimal comma accepted); None, with a problem noted, when not a number.

    A number outside 0..max is noted too but still returned, so that every mistake of the file is listed.
    """
    try:
        points = Decimal(str(value).strip().replace(",", "."))
        if not points.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        problems.append(f"{where}: điểm “{value}” của mục {leaf.code} không phải là số")
        return None
    if not Decimal(0) <= points <= leaf.max_points:
        problems.append(
            f"{where}: điểm {fmt_points(points)} của mục {leaf.code} phải từ 0 đến {fmt_points(leaf.max_points)}"
        )
    return points


def load_survey(path: Path, campaign: Campaign, notes: list[str] | None = None) -> dict[str, Decimal]:
    """Read survey scores (CSV ``code,points`` or YAML ``code: points``); every survey item must be given.

    A CSV saved by Excel in the Windows code page is read so, with a note added to ``notes``.
    """
    if not path.is_file():
        raise SurveyError(f"Không tìm thấy tệp điểm điều tra xã hội học {path}.")
    raw: list[tuple[str, str, Any]] = []  # (where, code, value)
    if path.suffix.lower() in (".yaml", ".yml"):
        text = path.read_text(encoding="utf-8-sig")
        try:
            data = parse_yaml(text)
        except YamlSyntaxError as exc:
            raise SurveyError(f"{path.name}: {exc.message}") from None
        if not isinstance(data, dict):
            raise SurveyError(f'{path.name}: cần một bảng mã mục: điểm, ví dụ  "1.5.3": 0.75')
        raw = [(f"{path.name} › {k}", str(k).strip(), v) for k, v in data.items()]
    else:
        # Excel on a Vietnamese system saves CSV with ";" (the comma is the decimal sign)
        for lineno, row in _csv_rows(path, notes):
            if not raw and not any(ch.isdigit() for ch in row[0]):  # a header line
                continue
            extra = [cell for cell in row[2:] if cell.strip()]
            if len(row) < 2 or extra:
                raise SurveyError(
                    f"{path.name} dòng {lineno}: cần đúng hai cột mã mục và điểm (đọc được {len(row)} cột). "
                    "Nếu điểm có dấu phẩy thập phân, dùng dấu chấm phẩy để ngăn cột hoặc đặt điểm trong ngoặc kép."
                )
            raw.append((f"{path.name} dòng {lineno}", row[0].strip(), row[1].strip()))
    if not raw:
        raise SurveyError(f"{path.name}: không có điểm nào (cần các dòng mã mục,điểm).")
    leaves = campaign.catalogue.leaf_by_code
    problems: list[str] = []
    scores: dict[str, Decimal] = {}
    for where, code, value in raw:
        leaf = leaves.get(code)
        if leaf is None or leaf.is_self:
            problems.append(f"{where}: mục {code} không phải mục điều tra xã hội học của bộ tiêu chí")
            continue
        points = _survey_points(where, leaf, value, problems)
        if points is not None:
            scores[code] = points
    missing = [leaf.code for leaf in campaign.catalogue.leaves if not leaf.is_self and leaf.code not in scores]
    if missing:
        problems.append(f"{path.name}: thiếu điểm các mục điều tra xã hội học {', '.join(missing)}")
    if problems:
        raise SurveyError("Tệp điểm điều tra xã hội học không hợp lệ:\n" + "\n".join(f"  - {p}" for p in problems))
    return scores


def _csv_rows(path: Path, notes: list[str] | None) -> list[tuple[int, list[str]]]:
    """The rows of a scores CSV (:func:`parcli.csvtable.read_csv`); a note when it is not UTF-8."""
    from parcli.csvtable import read_csv

    table = read_csv(path)
    note = table.note(path.name)
    if note is not None and notes is not None:
        notes.append(note)
    return table.rows


def load_unit_survey(path: Path, campaign: Campaign, notes: list[str] | None = None) -> dict[str, dict[str, Decimal]]:
    """each-unit-scores: survey scores per unit, a CSV ``unit,code,points`` (``,`` or ``;``).

    A unit that appears must have every survey item of its catalogue (not exempt);
    units that do not appear keep their survey part pending.
    """
    if not path.is_file():
        raise SurveyError(f"Không tìm thấy tệp điểm điều tra xã hội học {path}.")
    problems: list[str] = []
    scores: dict[str, dict[str, Decimal]] = {}
    for lineno, row in _csv_rows(path, notes):
        if not scores and not problems and len(row) >= 2 and not any(ch.isdigit() for ch in row[1]):
            continue  # a header line
        where = f"{path.name} dòng {lineno}"
        if len([c for c in row if c.strip()]) != 3:
            problems.append(f"{where}: cần đúng ba cột mã đơn vị, mã mục, điểm")
            continue
        unit_id, code, value = (c.strip() for c in row[:3])
        unit = campaign.department_by_id.get(unit_id)
        if unit is None:
            problems.append(f"{where}: đơn vị “{unit_id}” không có trong kế hoạch")
            continue
        leaf = unit.catalogue.leaf_by_code.get(code)
        if leaf is None or leaf.is_self or unit.is_exempt(code):
            problems.append(f"{where}: mục {code} không phải mục điều tra xã hội học của {unit.name}")
            continue
        points = _survey_points(where, leaf, value, problems)
        if points is not None:
            scores.setdefault(unit_id, {})[code] = points
    for unit_id, given in scores.items():
        unit = campaign.department_by_id[unit_id]
        missing = [
            leaf.code
            for leaf in unit.catalogue.leaves
            if not leaf.is_self and not unit.is_exempt(leaf.code) and leaf.code not in given
        ]
        if missing:
            problems.append(f"{path.name}: {unit.name} thiếu điểm các mục điều tra xã hội học {', '.join(missing)}")
    if not scores and not problems:
        problems.append(f"{path.name}: không có điểm nào (cần các dòng mã đơn vị,mã mục,điểm)")
    if problems:
        raise SurveyError("Tệp điểm điều tra xã hội học không hợp lệ:\n" + "\n".join(f"  - {p}" for p in problems))
    return scores
