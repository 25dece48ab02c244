"""Returns that come as a package: a folder or a ``.zip`` holding the form and the files that go with it.

The form of a package is its one spreadsheet at the top (a zip that wraps
everything in a single folder counts from inside that folder); every other
file — spreadsheets in subfolders included — travels with it.  A zip's form is
copied, streamed and size-checked, into a private temporary folder and read from
there exactly as a plain returned workbook; nothing of the package is written
anywhere else.  Members refused for safety (:mod:`parcli.packages`) become
problems naming them; the rest stay listed on the result for the round to check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from parcli.packages import Member, Package, copy_member, member_path, open_package, zip_error
from parcli.problems import ProblemCollector

if TYPE_CHECKING:
    from parcli.collect.form import FormResult

SPREADSHEETS = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".xltx"})

_REFUSED = {
    "unsafe-path": (
        "package-unsafe-path",
        "có đường dẫn ra ngoài gói (“../” hoặc đường dẫn tuyệt đối) nên bị từ chối, không được đọc",
    ),
    "link": ("package-link", "là liên kết (symlink) nên bị từ chối, không được đọc"),
    "nested-archive": (
        "package-nested-archive",
        "là tệp nén nằm trong gói nên không được đọc; đề nghị giải nén và đặt trực tiếp các tệp vào gói",
    ),
    "bomb": ("package-bomb", "có dung lượng giải nén bất thường (nghi là “bom nén”) nên bị từ chối"),
}


def form_root(package: Package) -> str:
    """The folder inside the package the form and its files count from (``""``, or the one wrapping folder)."""
    tops = {PurePosixPath(m.name).parts[0] for m in package.members}
    if len(tops) == 1 and all(len(PurePosixPath(m.name).parts) > 1 for m in package.members):
        return next(iter(tops)) + "/"
    return ""


def _is_form_candidate(member: Member, root: str) -> bool:
    if not member.name.startswith(root):
        return False
    rest = member.name[len(root) :]
    base = PurePosixPath(rest).name
    return "/" not in rest and member.suffix in SPREADSHEETS and not base.startswith(("~$", ".~lock.", "."))


def holds_form(folder: Path) -> bool:
    """True when a folder has a spreadsheet at its top (it is then a package, not a stray subfolder)."""
    return any(
        p.is_file() and p.suffix.lower() in SPREADSHEETS and not p.name.startswith(("~$", "."))
        for p in folder.iterdir()
    )


def open_package_form(result: FormResult, add: ProblemCollector, open_file: Callable[[Path], bool]) -> bool:
    """List ``result.path`` as a package, name its refused members, and open its form with ``open_file``."""
    package = open_package(result.path)
    result.package = package
    if package.damaged is not None:
        add.add(
            "package-damaged",
            f"Không mở được tệp nén: {package.damaged}. Đề nghị nén lại phiếu và tài liệu (không đặt mật khẩu) rồi "
            "gửi lại.",
        )
        return False
    for refusal in package.refused:
        slug, why = _REFUSED[refusal.reason]
        detail = f" ({refusal.detail})" if refusal.detail else ""
        add.add(slug, f"Tệp “{refusal.name}” trong gói {why}{detail}.")
    root = form_root(package)
    forms = [m for m in package.members if _is_form_candidate(m, root)]
    if not forms:
        add.add(
            "package-no-form",
            "Gói không có phiếu chấm điểm (tệp .xlsx) ở thư mục gốc. Đề nghị đặt phiếu ở ngoài cùng của gói, "
            "tài liệu kiểm chứng bên cạnh hoặc trong thư mục con.",
        )
        return False
    if len(forms) > 1:
        names = ", ".join(m.name for m in forms)
        add.add(
            "package-several-forms",
            f"Gói có {len(forms)} bảng tính ở thư mục gốc ({names}); không biết tệp nào là phiếu. Đề nghị chỉ để "
            "phiếu ở thư mục gốc, bảng tính kiểm chứng đặt vào thư mục con.",
        )
        return False
    form = forms[0]
    result.form_member = form.name
    if form.encrypted:
        add.add(
            "package-damaged",
            f"Phiếu “{form.name}” trong gói được nén có đặt mật khẩu nên không mở được. Đề nghị nén lại không đặt "
            "mật khẩu rồi gửi lại.",
        )
        return False
    own = member_path(package, form)
    if own is not None:
        return open_file(own)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="parcli-") as tmp:
        try:
            # a short name of our own: the member's name may be longer than the file system allows
            copied = copy_member(package, form, Path(tmp), "phieu" + form.suffix)
        except Exception as exc:  # a damaged member: CRC, truncated data, a size that lies
            reason = zip_error(exc)
            add.add(
                "package-damaged",
                f"Không giải nén được phiếu “{form.name}” trong gói ({reason}). Đề nghị nén lại và gửi lại.",
            )
            return False
        return open_file(copied)


def evidence_members(result: FormResult) -> list[Member]:
    """The files of a return's package other than its form (empty for a plain workbook)."""
    if result.package is None:
        return []
    return [m for m in result.package.members if m.name != result.form_member]


@contextmanager
def form_file(result: FormResult) -> Iterator[Path]:
    """The workbook of a return as a file: the return itself, a folder package's form, or a private copy of a
    zip's form (removed on exit).  For a return whose form could be read (``result.form_member`` is set)."""
    package = result.package
    if package is None:
        yield result.path
        return
    form = next((m for m in package.members if m.name == result.form_member), None)
    if form is None:
        raise FileNotFoundError(result.form_member or result.file)
    own = member_path(package, form)
    if own is not None:
        yield own
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="parcli-") as tmp:
        yield copy_member(package, form, Path(tmp), "phieu" + form.suffix)
