"""The one render pipeline: template search path, Jinja environment, filters, text and Word output.

Reports, rankings, unit sheets and reminders all go through :func:`render`
(or :func:`render_each`): the user's ``--templates`` folder is searched first,
then the built-in templates.  Templates render from plain data (dicts of
strings, Decimals and lists).  ``StrictUndefined`` makes a missing variable an
error, never a blank cell; HTML is autoescaped; Markdown escapes
table-breaking characters with ``md``.  A Jinja error becomes a
:class:`TemplateRenderError` here, at the library boundary, naming the
template and line in Vietnamese.
"""

from __future__ import annotations

import functools
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.errors import ParcliError, UsageError
from parcli.files import atomic_path, atomic_write_text
from parcli.numbers import fmt_percent, fmt_points
from parcli.resources import data_dir

if TYPE_CHECKING:
    from jinja2 import Environment

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(value: Any) -> str:
    """Escape text from returns for a Markdown table cell (no markup, no broken table)."""
    text = "" if value is None else str(value)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


def points_filter(value: Any) -> str:
    """Points with a decimal comma; a dash for None."""
    return "–" if value is None else fmt_points(Decimal(str(value)))


def signed_filter(value: Any) -> str:
    """A signed change with a decimal comma: +1,5 / −0,25 / 0."""
    if value is None:
        return "–"
    dec = Decimal(str(value))
    if dec == 0:
        return "0"
    return ("+" if dec > 0 else "−") + fmt_points(abs(dec))


def date_filter(value: Any) -> str:
    """dd/mm/yyyy."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


FILTERS = {
    "points": points_filter,
    "pct": fmt_percent,
    "signed": signed_filter,
    "date_vn": date_filter,
    "md": md_escape,
}


def make_environment(search_path: Sequence[Path], *, html: bool) -> Environment:
    """A Jinja environment over ``search_path`` (user folder first, then built-ins), one per process and path.

    Compiled templates are kept per process (the environment is reused) and between runs in the
    user's cache folder (:func:`cache_dir`), keyed by each template's own text, so an edited
    template is compiled again and a report or a set of letters does not compile its templates anew.
    """
    return _environment(tuple(str(p) for p in search_path), html)


@functools.lru_cache(maxsize=8)
def _environment(search_path: tuple[str, ...], html: bool) -> Environment:
    from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined

    folder = cache_dir()
    env = Environment(
        loader=FileSystemLoader(list(search_path)),
        undefined=StrictUndefined,
        autoescape=html,  # noqa: S701 - Markdown and Word escape with their own filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=FileSystemBytecodeCache(str(folder)) if folder is not None else None,
    )
    env.filters.update(FILTERS)
    return env


@functools.lru_cache(maxsize=8)
def _docx_environment(search_path: tuple[str, ...]) -> Environment:
    """The environment of Word templates: its own, since docxtpl turns autoescaping on in the one it renders with
    (shared with the Markdown templates, it would HTML-escape them afterwards)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(list(search_path)), undefined=StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    return env


CACHE_ENV = "PARCLI_CACHE_DIR"


def cache_dir() -> Path | None:
    """Where compiled templates are kept: ``PARCLI_CACHE_DIR``, else the user's cache folder (None if it cannot
    be made: templates are then compiled each run)."""
    import os
    import sys

    given = os.environ.get(CACHE_ENV)
    if given:
        folder = Path(given)
    elif sys.platform == "win32":
        folder = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "parcli" / "cache"
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "parcli"
    folder = folder / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


# --- the one render pipeline ----------------------------------------------------------------------

FORMATS = {".docx": "docx", ".html": "html", ".htm": "html", ".md": "md"}


class TemplateRenderError(ParcliError):
    """A template (often the office's own, given with ``--templates``) has a mistake."""


class TemplateMissingError(ParcliError):
    """A template is neither in the user's folder nor among the built-in ones."""


@dataclass(frozen=True)
class DocxImage:
    """A picture for a Word template: ``draw(path)`` writes a PNG there, placed ``width_mm`` wide.

    ``file_name`` is the picture's name inside the document.
    """

    draw: Callable[[Path], None]
    width_mm: int
    file_name: str


def template_search_path(template_dir: Path | None = None) -> list[Path]:
    """The user's template folder first (if given), then the built-in templates."""
    builtin = data_dir("templates")
    return [template_dir, builtin] if template_dir else [builtin]


def find_template(name: str, template_dir: Path | None = None) -> Path:
    """The file of template ``name``: from the user's folder if it has one, else the built-in one."""
    for folder in template_search_path(template_dir):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise TemplateMissingError(f"Không tìm thấy mẫu báo cáo {name}.")


def output_format(out: Path) -> str:
    """``docx``, ``html`` or ``md`` from the output's extension; a usage error for anything else."""
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise UsageError(f"Không hỗ trợ định dạng {out.suffix or '(không có đuôi)'}; dùng .docx, .html hoặc .md.")
    return fmt


def template_name(stem: str, fmt: str) -> str:
    """The template of a document in a format: ``report.docx``, ``report.html.j2``, ``report.md.j2``."""
    return f"{stem}.docx" if fmt == "docx" else f"{stem}.{fmt}.j2"


def render_string(name: str, context: Mapping[str, Any], template_dir: Path | None = None) -> str:
    """Render a text template (HTML is autoescaped, anything else is not) to a string."""
    search = template_search_path(template_dir)
    env = make_environment(search, html=_is_html(name))
    return _render_text(env, name, context, search)


def render(
    name: str,
    context: Mapping[str, Any],
    out: Path,
    template_dir: Path | None = None,
    *,
    images: Mapping[str, DocxImage] | None = None,
) -> None:
    """Render template ``name`` with ``context`` into ``out``, atomically.

    ``.docx`` templates go through docxtpl (``images`` are drawn and placed as
    inline pictures); any other template through Jinja (HTML autoescaped).  A
    mistake in the template raises :class:`TemplateRenderError` naming it, and
    nothing is written.
    """
    render_each(name, [(context, out)], template_dir, images=images)


def render_each(
    name: str,
    jobs: Iterable[tuple[Mapping[str, Any], Path]],
    template_dir: Path | None = None,
    *,
    images: Mapping[str, DocxImage] | None = None,
) -> list[Path]:
    """Render one template once per (context, output) pair, loading it once; the outputs written."""
    search = template_search_path(template_dir)
    written = []
    if name.endswith(".docx"):
        source = find_template(name, template_dir)
        # docxtpl sets ``autoescape`` on the environment it is given: never the one text templates share
        env = _docx_environment(tuple(str(p) for p in search))
        for context, out in jobs:
            _render_docx(source, env, context, out, images or {})
            written.append(out)
        return written
    env = make_environment(search, html=_is_html(name))
    for context, out in jobs:
        atomic_write_text(out, _render_text(env, name, context, search))
        written.append(out)
    return written


def _is_html(name: str) -> bool:
    return name.removesuffix(".j2").lower().endswith((".html", ".htm"))


def _render_text(env: Environment, name: str, context: Mapping[str, Any], search: Sequence[Path]) -> str:
    from jinja2 import TemplateError

    try:
        return env.get_template(name).render(**context)
    except TemplateError as exc:
        raise _template_error(exc, name, search) from exc


def _render_docx(
    source: Path, env: Environment, context: Mapping[str, Any], out: Path, images: Mapping[str, DocxImage]
) -> None:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from jinja2 import TemplateError

    template = DocxTemplate(str(source))
    values = dict(context)
    with tempfile.TemporaryDirectory(prefix="parcli-") as scratch:
        for key, image in images.items():
            png = Path(scratch) / image.file_name
            image.draw(png)
            values[key] = InlineImage(template, str(png), width=Mm(image.width_mm))
        try:
            # an overlay: docxtpl sets autoescape on the environment it is given, which is shared (cached)
            template.render(values, env.overlay(autoescape=True), autoescape=True)
        except TemplateError as exc:
            # docxtpl renders the document's XML: its line numbers mean nothing to the person who typed it
            raise _template_error(exc, source.name, (), line=False) from exc
        _properties(template, context.get("properties"))
        # the document is zipped in memory, then written: a disk that fills leaves no half-written zip behind
        # (whose close at exit would print a traceback), only the OSError of a plain write
        buffer = io.BytesIO()
        template.save(buffer)
        with atomic_path(out) as tmp:
            tmp.write_bytes(buffer.getvalue())


def _properties(template: Any, properties: Mapping[str, str] | None) -> None:
    """The document's properties (File › Properties in Word): title, author and the software's note.

    What made the figures (the consolidated workbook, parcli's version, the rounding rule) belongs here and in
    the manifest, not on a page the signer reads.
    """
    from parcli import clock

    core = template.docx.core_properties
    core.author = core.last_modified_by = ""
    core.created = core.modified = clock.now().replace(tzinfo=None)
    for key, value in (properties or {}).items():
        setattr(core, key, value)


def _template_error(exc: Exception, name: str, search: Sequence[Path], *, line: bool = True) -> TemplateRenderError:
    """The Vietnamese message for a Jinja error: which template, which line, what is wrong."""
    where = getattr(exc, "name", None) or getattr(exc, "filename", None)
    lineno = getattr(exc, "lineno", None)
    if where is None:  # a runtime error (undefined variable …): the line is in the traceback Jinja rewrote
        where, lineno = _template_frame(exc, search) or (name, None)
    at = f" {where}" + (f", dòng {lineno}" if lineno and line else "")
    detail = getattr(exc, "message", None) or str(exc)
    if type(exc).__name__ == "UndefinedError":
        detail = f"dùng một biến không có trong dữ liệu báo cáo ({detail})"
    return TemplateRenderError(f"mẫu{at} có lỗi: {detail}. Sửa mẫu trong thư mục --templates.")


def _template_frame(exc: BaseException, search: Sequence[Path]) -> tuple[str, int] | None:
    """(template name, line) of the innermost template frame of ``exc``'s traceback, if any."""
    roots = [p.resolve() for p in search]
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith("<"):
            path = Path(filename).resolve()
            root = next((r for r in roots if path.is_relative_to(r)), None)
            if root is not None:
                found = (path.relative_to(root).as_posix(), tb.tb_lineno)
        tb = tb.tb_next
    return found
