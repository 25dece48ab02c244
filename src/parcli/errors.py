"""Exceptions for "cannot proceed" situations and the exit codes of the CLI.

Bad data in returned workbooks is never raised: it is reported as
:class:`parcli.problems.Problem` values.  Exceptions are reserved for the
situations where a command cannot do its job at all (an unreadable campaign,
a missing folder, an output that cannot be written).
"""

from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of every ``parcli`` command (documented in the README)."""

    OK = 0
    DATA_PROBLEMS = 1
    USAGE = 2
    CANNOT_PROCEED = 3
    INTERNAL = 4  # a fault of parcli itself: one sentence on the terminal, the traceback in a log file


class ParcliError(Exception):
    """Base class: the command cannot proceed; the message is Vietnamese and user-facing."""

    exit_code: ExitCode = ExitCode.CANNOT_PROCEED


class CatalogueError(ParcliError):
    """The criteria catalogue cannot be read or does not pass its checks."""

    def __init__(self, source: str, messages: list[str]) -> None:
        self.source = source
        self.messages = messages
        body = "\n".join(f"  - {m}" for m in messages)
        super().__init__(f"Bộ tiêu chí {source} không hợp lệ:\n{body}")


class CampaignError(ParcliError):
    """The campaign plan cannot be read or does not pass its checks."""

    def __init__(self, source: str, messages: list[str]) -> None:
        self.source = source
        self.messages = messages
        body = "\n".join(f"  - {m}" for m in messages)
        super().__init__(f"Kế hoạch đánh giá {source} không hợp lệ:\n{body}")


class InputNotFoundError(ParcliError):
    """A file or folder named on the command line does not exist."""


class OutputError(ParcliError):
    """An output file or folder cannot be written."""


class ConsolidatedError(ParcliError):
    """An existing consolidated workbook cannot be used (wrong campaign, unreadable)."""


class UsageError(ParcliError):
    """The command was called in a way that cannot work (wrong format, mismatched inputs)."""

    exit_code = ExitCode.USAGE


class PlaceholderError(ParcliError):
    """A real campaign still holds a sample value where a document would show it."""


_OS_REASONS: dict[int, str] = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết dung lượng được cấp",
    errno.EACCES: "không có quyền truy cập (hoặc tệp đang được chương trình khác mở)",
    errno.EPERM: "không được phép thao tác",
    errno.ENOENT: "không tìm thấy tệp hoặc thư mục",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.EBUSY: "tệp đang được chương trình khác sử dụng",
    errno.ENAMETOOLONG: "tên hoặc đường dẫn quá dài",
    errno.EEXIST: "đã có tệp hoặc thư mục trùng tên",
    errno.EISDIR: "đây là thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENOTEMPTY: "thư mục không trống",
    errno.EIO: "lỗi đọc ghi của thiết bị",
    errno.EMFILE: "đang mở quá nhiều tệp",
    errno.EINVAL: "tên hoặc thao tác không hợp lệ",
}
_WINDOWS_REASONS: dict[int, str] = {
    5: "không có quyền truy cập (tệp có thể đang mở trong chương trình khác hoặc bị phần mềm diệt virus giữ)",
    32: "tệp đang được chương trình khác (Excel, Word, phần mềm diệt virus, OneDrive…) mở",
    33: "một phần tệp đang bị chương trình khác khóa",
    112: "ổ đĩa đã đầy",
    206: "tên hoặc đường dẫn quá dài",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Vietnamese (never the system's English sentence)."""
    winerror = getattr(exc, "winerror", None)
    if isinstance(winerror, int) and winerror in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[winerror]
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    return f"lỗi hệ thống số {exc.errno}" if exc.errno is not None else "lỗi hệ thống"


def os_error_message(exc: OSError) -> str:
    """One sentence naming the file an operating-system call failed on and why."""
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    where = f" {' → '.join(names)}" if names else ""
    return f"Không đọc/ghi được{where}: {os_reason(exc)}. Kiểm tra tệp, thư mục và dung lượng ổ đĩa rồi chạy lại."
