"""YAML reading for catalogues and campaigns, and the translation of pydantic errors.

Floats are read as :class:`decimal.Decimal` straight from their text, so a
``0.1`` in a catalogue is exactly one tenth.  Validation errors are turned into
``fields[2].criteria[1].max_points (dòng 57, mục 3.2): …`` lines: the YAML path,
the line in the file and the code of the nearest node, in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


M = TypeVar("M", bound=BaseModel)


class _DecimalLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader (libyaml's when available) that reads floats as Decimal."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if text.lower().lstrip("+-") in (".inf", ".nan"):
        raise yaml.constructor.ConstructorError(
            None, None, f"“{text}” không phải một số hữu hạn; đề nghị ghi một số cụ thể", node.start_mark
        )
    return Decimal(text.replace("_", ""))


def _construct_date(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A YAML date (``2024-02-30`` passes the YAML pattern but is no day): a located message, not a traceback."""
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[no-untyped-call,arg-type]
    except (ValueError, OverflowError):
        text = loader.construct_scalar(node)  # type: ignore[arg-type]
        raise yaml.constructor.ConstructorError(
            None, None, f"“{text}” không phải một ngày có thật; đề nghị ghi ngày theo dạng YYYY-MM-DD", node.start_mark
        ) from None


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_DecimalLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)


class YamlSyntaxError(Exception):
    """The text is not valid YAML; ``message`` is Vietnamese and names the line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_yaml(text: str) -> Any:
    """Parse YAML text with Decimal floats; raise :class:`YamlSyntaxError` on bad syntax."""
    try:
        return yaml.load(text, Loader=_DecimalLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.constructor.ConstructorError as exc:  # a value of ours refused (a date, a number)
        mark = exc.problem_mark or exc.context_mark
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else "không rõ vị trí"
        raise YamlSyntaxError(f"giá trị không hợp lệ tại {where}: {exc.problem}") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else "không rõ vị trí"
        raise YamlSyntaxError(f"lỗi cú pháp YAML tại {where}: {yaml_problem(exc.problem or exc.context)}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"lỗi cú pháp YAML: {yaml_problem(str(exc))}") from exc


# PyYAML's sentences, as an officer editing campaign.yaml in Notepad should read them
_YAML_PROBLEMS: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed",
        "có dấu hai chấm ở chỗ không được có (thiếu dấu cách sau dấu hai chấm ở dòng trên, hoặc giá trị có dấu "
        "hai chấm cần đặt trong dấu ngoặc kép)",
    ),
    ("could not find expected ':'", "thiếu dấu hai chấm sau tên trường"),
    ("cannot start any token", "có ký tự Tab hoặc ký tự đặc biệt; YAML chỉ dùng dấu cách để thụt lề"),
    ("tab character", "có ký tự Tab; YAML chỉ dùng dấu cách để thụt lề"),
    ("did not find expected key", "thụt lề không thẳng hàng, hoặc thiếu dấu gạch đầu dòng “- ” của một phần tử"),
    ("did not find expected '-' indicator", "thiếu dấu gạch đầu dòng “- ” của một phần tử danh sách"),
    ("did not find expected node content", "thiếu giá trị sau dấu hai chấm hoặc dấu gạch đầu dòng"),
    ("did not find expected ',' or ']'", "danh sách trong dấu ngoặc vuông chưa đóng “]” hoặc thiếu dấu phẩy"),
    ("did not find expected ',' or '}'", "bảng trong dấu ngoặc nhọn chưa đóng “}” hoặc thiếu dấu phẩy"),
    ("found unexpected end of stream", "tệp kết thúc giữa chừng (thiếu dấu ngoặc kép hoặc ngoặc đóng)"),
    (
        "found unknown escape character",
        "có ký tự “\\” không hợp lệ trong chuỗi ngoặc kép (đường dẫn Windows nên đặt trong dấu ngoặc đơn ')",
    ),
    ("found undefined alias", "có bí danh (*) chưa được khai báo"),
    ("found duplicate anchor", "có neo (&) bị khai báo hai lần"),
    ("expected a single document", "tệp chứa nhiều văn bản YAML (dòng “---”); chỉ được có một"),
    ("unacceptable character", "có ký tự không đọc được (tệp có thể không phải UTF-8)"),
)


def yaml_problem(text: str | None) -> str:
    """What PyYAML found, in Vietnamese (never its English sentence)."""
    found = (text or "").lower()
    for english, vietnamese in _YAML_PROBLEMS:
        if english.lower() in found:
            return vietnamese
    return "cú pháp không đúng (kiểm tra thụt lề, dấu hai chấm và dấu ngoặc kép)"


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a BOM is tolerated)."""
    return path.read_text(encoding="utf-8-sig")


@lru_cache(maxsize=4)
def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree of ``text`` (cached: line look-ups happen many times per file)."""
    try:
        return yaml.compose(text, Loader=_SafeBase)
    except yaml.YAMLError:
        return None


def _node_lines(text: str, loc: list[str | int]) -> int | None:
    """Return the 1-based line of the YAML node at ``loc``, or of its nearest ancestor."""
    node = _compose(text)
    if node is None:
        return None
    line = None
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            nxt = None
            for key, value in node.value:
                if key.value == part:
                    nxt = value
                    line = key.start_mark.line + 1
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            node = None
    if node is not None:
        line = node.start_mark.line + 1
    return line


def _data_path(data: Any, loc: tuple[str | int, ...]) -> tuple[list[str | int], str | None]:
    """Follow a pydantic ``loc`` through the raw data; return the real path and nearest code.

    Discriminator tags that pydantic inserts into ``loc`` are skipped because
    they are not keys of the data.
    """
    path: list[str | int] = []
    code: str | None = None
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            if "code" in current:
                code = str(current["code"])
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and part not in current:
            # a missing key: keep it as the last element, nothing to descend into
            if "code" in current:
                code = str(current["code"])
            path.append(part)
            current = None
        # anything else is a pydantic tag (union member name): skip it
    if isinstance(current, dict) and "code" in current:
        code = str(current["code"])
    return path, code


def format_path(path: list[str | int]) -> str:
    """``['fields', 2, 'max_points']`` → ``fields[3].max_points``: positions counted from 1, as a person counts."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + part
    return out or "(gốc tệp)"


_MESSAGES: dict[str, str] = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường này không được hỗ trợ (kiểm tra lại chính tả tên trường)",
    "string_type": "phải là chuỗi ký tự",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "decimal_type": "phải là một số",
    "decimal_parsing": "phải là một số",
    "float_parsing": "phải là một số",
    "list_type": "phải là một danh sách",
    "dict_type": "phải là một bảng (mapping) các trường",
    "model_type": "phải là một bảng (mapping) các trường",
    "date_type": "phải là ngày theo dạng YYYY-MM-DD",
    "date_parsing": "phải là ngày theo dạng YYYY-MM-DD",
    "date_from_datetime_parsing": "phải là ngày theo dạng YYYY-MM-DD",
    "string_too_short": "không được để trống",
    "too_short": "phải có ít nhất {min_length} phần tử",
    "string_pattern_mismatch": "không đúng định dạng",
    "union_tag_invalid": "loại không hợp lệ: {tag}; cho phép: {expected_tags}",
    "union_tag_not_found": "thiếu trường phân loại '{discriminator}'",
}


def _translate(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "greater_than":
        return f"phải lớn hơn {ctx.get('gt')}"
    if kind == "greater_than_equal":
        return f"phải lớn hơn hoặc bằng {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"phải nhỏ hơn hoặc bằng {ctx.get('le')}"
    if kind == "literal_error":
        return f"phải là một trong: {ctx.get('expected')}"
    if kind == "enum":
        return f"phải là một trong: {ctx.get('expected')}"
    if kind == "string_type" and isinstance(error.get("input"), int | float | Decimal):
        shown = error["input"]
        return (
            f"phải là chuỗi ký tự; YAML đã đọc giá trị này thành số {shown}: mã như 1.10 cần đặt trong dấu ngoặc "
            'kép ("1.10"), nếu không YAML đọc thành số 1.1'
        )
    template = _MESSAGES.get(kind)
    if template is not None:
        try:
            return template.format(**ctx)
        except (KeyError, IndexError):
            return template
    return f"giá trị không hợp lệ ({error['msg']})"


def validation_messages(exc: ValidationError, data: Any, text: str) -> list[str]:
    """Translate a pydantic ValidationError into Vietnamese lines with YAML path and line."""
    lines: list[str] = []
    for error in exc.errors():
        path, code = _data_path(data, tuple(error["loc"]))
        where = format_path(path)
        extras = []
        line = _node_lines(text, path)
        if line is not None:
            extras.append(f"dòng {line}")
        if code is not None:
            extras.append(f"mục {code}")
        suffix = f" ({', '.join(extras)})" if extras else ""
        lines.append(f"{where}{suffix}: {_translate(error)}")
    return lines


def path_line(text: str, path: list[str | int]) -> str:
    """Format a path with its line for messages raised by whole-tree checks."""
    line = _node_lines(text, path)
    where = format_path(path)
    return f"{where} (dòng {line})" if line is not None else where


def read_yaml_mapping(
    path: Path,
    error: Callable[[str, list[str]], Exception],
    *,
    fields_hint: str,
    not_found: str = "không tìm thấy tệp",
) -> tuple[dict[str, Any], str]:
    """Read a YAML file that must hold a mapping; raise ``error(label, [message])`` naming what is wrong."""
    label = str(path)
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise error(label, [not_found]) from None
    except IsADirectoryError:
        raise error(label, ["đây là một thư mục, cần chỉ đến một tệp .yaml"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(label, [f"không đọc được tệp: {exc}"]) from None
    try:
        data = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise error(label, [exc.message]) from None
    if not isinstance(data, dict):
        raise error(label, [f"tệp phải là một bảng (mapping) YAML với các trường {fields_hint}"])
    return data, text


def validate_document(
    model: type[M], data: dict[str, Any], text: str, error: Callable[[str, list[str]], Exception], label: str
) -> M:
    """Validate a YAML mapping with a pydantic model; errors become YAML paths with lines."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(label, validation_messages(exc, data, text)) from None
