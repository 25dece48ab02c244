"""The command line's own frame in Vietnamese: ``--help`` and usage errors, without forking typer.

Two parts, each the way its library allows:

* typer marks its words for gettext (``Arguments``, ``Options``, ``required``, ``No such command …``):
  :data:`TYPER_WORDS` is their Vietnamese catalogue, shipped compiled as ``locale/vi/LC_MESSAGES/messages.mo``
  (``scripts/build_locale.py`` writes it from this table; a test keeps the two equal) and installed by
  :func:`install`;
* the click that typer carries writes its words directly: :class:`Command` and :class:`Group` (typer's
  own classes, given as ``cls=``) say the usage line, the options' placeholder and the help option in
  Vietnamese, and the group's :meth:`Group.main` tells every usage error in Vietnamese
  (:func:`usage_message`) — a command that does not exist with the nearest one, an argument missing
  with its help, an option unknown, a value that is not one.
"""

from __future__ import annotations

import difflib
import os
import re
import struct
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from typer.core import TyperCommand, TyperGroup

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"  # typer calls gettext.gettext, which reads the default domain
USAGE = "Cách dùng: "
OPTIONS_METAVAR = "[TÙY CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [THAM SỐ]..."
HELP_TEXT = "Hiện hướng dẫn này rồi thoát."

TYPER_WORDS: dict[str, str] = {
    "Arguments": "Tham số",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "required": "bắt buộc",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "(dynamic)": "(tính khi chạy)",
    "Aborted!": "Đã dừng.",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "(deprecated) ": "(không còn dùng) ",
    "[default: {}]": "[mặc định: {}]",
    "[env var: {}]": "[biến môi trường: {}]",
    "[required]": "[bắt buộc]",
    "Error": "Lỗi",
    "Aborted.": "Đã dừng.",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "Xem hướng dẫn: [blue]{command_path} {help_option}[/]",
}


def mo_bytes(words: dict[str, str]) -> bytes:
    """A GNU gettext ``.mo`` file holding ``words`` (what ``msgfmt`` would write, without a hash table).

    The empty message carries the header that says the texts are UTF-8.
    """
    words = {"": "Content-Type: text/plain; charset=UTF-8\nLanguage: vi\n", **words}
    keys = sorted(words)
    ids = b"".join(k.encode("utf-8") + b"\0" for k in keys)
    strs = b"".join(words[k].encode("utf-8") + b"\0" for k in keys)
    header = 7 * 4
    table = header + 2 * 8 * len(keys)
    offsets: list[int] = []
    position = 0
    for key in keys:
        offsets += [len(key.encode("utf-8")), table + position]
        position += len(key.encode("utf-8")) + 1
    position = 0
    for key in keys:
        value = words[key].encode("utf-8")
        offsets += [len(value), table + len(ids) + position]
        position += len(value) + 1
    head = struct.pack("<7I", 0x950412DE, 0, len(keys), header, header + 8 * len(keys), 0, table)
    return head + struct.pack(f"<{len(offsets)}I", *offsets) + ids + strs


def install() -> None:
    """Make typer's gettext words Vietnamese for this process (the catalogue shipped with parcli)."""
    import gettext

    if (LOCALE_DIR / "vi" / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file():
        os.environ["LANGUAGE"] = "vi"
        gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))


# typer's placeholders for the kind of value an option takes, as the help shows them
PLACEHOLDERS = {
    "<file>": "<tệp>",
    "<dir>": "<thư mục>",
    "<path>": "<đường dẫn>",
    "<str>": "<chữ>",
    "<int>": "<số>",
    "<int range>": "<số>",
    "<float>": "<số>",
    "<list[str]>": "<tên tệp>",
    "<list[Path]>": "<tệp>",
    "<bool>": "<có/không>",
}
_ARGUMENT = re.compile(r"\{(\w+)\}")

# what a person types over in place of each argument, as the usage line, the help and the usage errors show it
# (a command whose argument means something else by the same name gives its own ``metavar=``)
ARGUMENTS = {
    "returns_dir": "THƯ_MỤC_PHIẾU",
    "consolidated": "BẢNG_TỔNG_HỢP",
    "remedies_dir": "THƯ_MỤC_KẾ_HOẠCH",
    "lists_dir": "THƯ_MỤC_DANH_SÁCH",
    "folder": "THƯ_MỤC",
    "directory": "THƯ_MỤC",
    "files": "PHIẾU",
    "source": "BẢNG_KẾT_QUẢ_CỦA_BỘ",
    "table": "BẢNG_TIÊU_CHÍ",
    "catalogue": "BỘ_TIÊU_CHÍ",
}


def frame(text: str) -> str:
    """typer's placeholders in Vietnamese, and ``{returns_dir}`` as the ``THƯ_MỤC_PHIẾU`` a person types over."""
    for english, vietnamese in PLACEHOLDERS.items():
        text = text.replace(english, vietnamese)
    return _ARGUMENT.sub(lambda m: ARGUMENTS.get(m.group(1), m.group(1).upper()), text)


def usage_line(ctx: Any) -> str:
    """The usage line of the context's command: “Cách dùng: parcli merge [TÙY CHỌN] THƯ_MỤC_PHIẾU”."""
    return frame(f"{USAGE}{ctx.command_path} {' '.join(ctx.command.collect_usage_pieces(ctx))}")


def _placeholder(shown: str) -> Any:
    """typer's ``display_type_rich`` of an argument, answering its placeholder in Vietnamese."""
    vietnamese = PLACEHOLDERS.get(shown, shown)

    def display_type_rich(ctx: Any = None) -> str:
        return vietnamese

    return display_type_rich


class _Frame:
    """What every command and group says in Vietnamese: the usage line, the placeholders, ``--help``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("options_metavar", "[OPTIONS]") == "[OPTIONS]":
            kwargs["options_metavar"] = OPTIONS_METAVAR
        super().__init__(*args, **kwargs)
        if getattr(self, "subcommand_metavar", None) == "COMMAND [ARGS]...":
            self.subcommand_metavar = SUBCOMMAND_METAVAR
        for param in getattr(self, "params", ()):
            if param.param_type_name == "argument" and param.metavar is None:
                param.metavar = ARGUMENTS.get(param.name, param.name.upper())

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        """“Cách dùng: parcli merge [TÙY CHỌN] THƯ_MỤC_PHIẾU”."""
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, frame(" ".join(pieces)), prefix=USAGE)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """typer's help, its placeholders in Vietnamese (options' set before the columns are measured)."""
        for param in getattr(self, "params", ()):
            if param.param_type_name == "option" and param.metavar is None and not getattr(param, "is_flag", False):
                shown = param.display_type(ctx)
                param.metavar = PLACEHOLDERS.get(shown, shown)
            elif param.param_type_name == "argument" and hasattr(param, "display_type_rich"):
                # typer writes the kind of value after the name (“THƯ_MỤC <đường dẫn>”): in Vietnamese before the
                # columns are measured, as for the options
                param.display_type_rich = _placeholder(param.display_type(ctx))
        super().format_help(ctx, formatter)  # type: ignore[misc]
        formatter.buffer[:] = [frame(part) for part in formatter.buffer]

    def get_help_option(self, ctx: Any) -> Any:
        """``--help`` with its help in Vietnamese."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option


class Command(_Frame, TyperCommand):
    """A typer command whose frame speaks Vietnamese."""


class Group(_Frame, TyperGroup):
    """A typer group whose frame speaks Vietnamese and whose usage errors are told in Vietnamese (exit 2)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; in standalone mode a usage error is said in Vietnamese and exits 2."""
        from typer.exceptions import TyperException

        run = {"complete_var": complete_var, "windows_expand_args": windows_expand_args, **extra}
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **run)
        try:
            code = super().main(args, prog_name, standalone_mode=False, **run)
        except TyperException as exc:
            from parcli.cli.common import err_console

            ctx = getattr(exc, "ctx", None)
            text = ctx.get_help() if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None else None
            words = list(sys.argv[1:] if args is None else args)
            err_console().print(text or usage_message(exc, self._path(prog_name or "parcli", words)), soft_wrap=True)
            sys.exit(int(getattr(exc, "exit_code", 2)))
        sys.exit(code if isinstance(code, int) else 0)

    def _path(self, prog: str, words: list[str]) -> str:
        """The command a line names (``parcli appraise issue``), for a usage error that lost its context."""
        path, group = [prog], self
        for word in words:
            command = getattr(group, "commands", {}).get(word)
            if command is None:
                break
            path.append(word)
            group = command
        return " ".join(path)


def _param_name(param: Any) -> str:
    """How an option or argument is written on the command line (``--round``, ``THƯ_MỤC_PHIẾU``)."""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "option" and opts:
        return str(max(opts, key=len))
    if getattr(param, "metavar", None):
        return str(param.metavar)
    name = str(getattr(param, "name", "") or getattr(param, "human_readable_name", None) or "")
    return ARGUMENTS.get(name, name.upper())


def usage_message(exc: Exception, path: str = "parcli") -> str:
    """A usage error in Vietnamese: what is wrong, the usage line, and where the help is (``path``: the
    command named on the line, when the error carries no context)."""
    ctx = getattr(exc, "ctx", None)
    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    message = str(getattr(exc, "message", "") or exc)
    if kind == "MissingParameter" and param is not None:
        help_text = getattr(param, "help", None)
        what = f"Thiếu tham số {_param_name(param)}" + (f" ({help_text.rstrip('.')})" if help_text else "") + "."
    elif kind == "NoSuchOption":
        option = str(getattr(exc, "option_name", ""))
        what = f"Không có tùy chọn {option}."
        known = [o for p in (ctx.command.params if ctx is not None else []) for o in getattr(p, "opts", [])]
        near = difflib.get_close_matches(option, [o for o in known if o.startswith("-")], n=1)
        if near:
            what += f" Có phải ý là {near[0]}?"
    elif kind == "BadOptionUsage":
        what = f"Tùy chọn {getattr(exc, 'option_name', '')} dùng không đúng: cần đi kèm một giá trị."
    elif kind == "BadParameter" and param is not None:
        what = f"Giá trị của {_param_name(param)} không hợp lệ."
        wanted = {"<int>": "một số nguyên", "<float>": "một số"}.get(
            param.display_type(ctx) if hasattr(param, "display_type") else "", ""
        )
        if wanted:
            what += f" Cần ghi {wanted}."
    elif message.startswith("No such command") or message.startswith("Không có lệnh"):
        name = message.split("'")[1] if "'" in message else ""
        what = f"Không có lệnh “{name}”."
        commands = list(getattr(ctx.command, "commands", {}) if ctx is not None else [])
        near = difflib.get_close_matches(name, commands, n=1)
        if near:
            what += f" Có phải ý là “{near[0]}”?"
    elif kind == "BadArgumentUsage" or "unexpected extra argument" in message.lower():
        what = "Thừa tham số trên dòng lệnh (tên tệp, thư mục có dấu cách cần đặt trong dấu ngoặc kép)."
    elif "is not a valid" in message or "Input should be" in message or "Value " in message:
        value = message.split("'")[1] if "'" in message else ""
        shown = f" “{value}”" if value else ""
        what = f"Giá trị{shown} không hợp lệ: phải là một số nguyên, một ngày hoặc một lựa chọn mà lệnh cho phép."
    else:
        what = "Dòng lệnh không đúng cách dùng."
    lines = [f"Lỗi: {what}"]
    if ctx is not None:
        lines.append(usage_line(ctx))
        path = ctx.command_path
    lines.append(f"Xem hướng dẫn: {path} --help")
    return "\n".join(lines)
