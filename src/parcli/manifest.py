"""A reproducible record of each ``merge`` and ``report``: what went in, with hashes.

``<output>.manifest.json`` lists the tool version, the campaign and catalogue
(file hash and content hash), every input file with its SHA-256 (for merge:
its status and the items it supplied; a package return with its members), the outputs and the time.  A report can
be re-created from its manifest; any input whose bytes changed is refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli import __version__, clock
from parcli.errors import ParcliError
from parcli.files import MANIFEST_SUFFIX, atomic_write_text, json_text, sha256_file
from parcli.packages import Member, Package, member_path, open_package, sha256_listing

if TYPE_CHECKING:  # the manifest only reads a campaign's ids, paths and hashes
    from parcli.config.campaign import Campaign

MANIFEST_FORMAT = "parcli-manifest/1"


class ManifestError(ParcliError):
    """A manifest cannot be read, or an input it names is missing or changed."""


def manifest_path(output: Path) -> Path:
    """``tong-hop.xlsx`` → ``tong-hop.xlsx.manifest.json``."""
    return output.with_name(output.name + MANIFEST_SUFFIX)


def file_entry(path: Path, **extra: Any) -> dict[str, Any]:
    """Path (absolute), size and SHA-256 of one file, plus any extra fields."""
    return {
        "path": str(path.resolve()),
        "name": path.name,
        "size": path.stat().st_size,
        "sha256": sha256_file(path),
        **extra,
    }


def package_entry(package: Package, known: Mapping[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    """A package return: a zip by its file, a folder by its members, each with its members listed.

    ``known`` maps member names to the SHA-256 the reader already computed (the evidence files), so that
    nothing is read twice.  A zip is hashed as a file (``kind: "zip"``); its members are listed with their
    size and, where the reader computed it, their SHA-256 (else null: a zip is never opened again for
    this).  A folder (``kind: "folder"``) has the combined SHA-256 of its members
    (:func:`parcli.packages.sha256_listing`), its size is their sum, and every member has its SHA-256.
    """
    known = known or {}
    if package.is_zip:
        entry = file_entry(package.path, kind="zip", **extra)
        entry["members"] = [{"name": m.name, "size": m.size, "sha256": known.get(m.name)} for m in package.members]
        return entry
    hashes = [(m.name, known.get(m.name) or _member_sha(package, m)) for m in package.members]
    return {
        "path": str(package.path.resolve()),
        "name": package.path.name,
        "kind": "folder",
        "size": sum(m.size for m in package.members),
        "sha256": sha256_listing(hashes),
        "members": [
            {"name": m.name, "size": m.size, "sha256": sha}
            for m, (_name, sha) in zip(package.members, hashes, strict=True)
        ],
        **extra,
    }


def _member_sha(package: Package, member: Member) -> str:
    path = member_path(package, member)
    assert path is not None  # a folder's member is a file of its own
    return sha256_file(path)


def folder_sha256(folder: Path) -> str:
    """The combined SHA-256 of a folder package as it is now (the rule of :func:`parcli.packages.sha256_listing`)."""
    package = open_package(folder)
    return sha256_listing([(m.name, _member_sha(package, m)) for m in package.members])


def campaign_entry(campaign: Campaign) -> dict[str, Any]:
    """The campaign and its catalogue, by file hash and content hash."""
    cat_path = campaign.catalogue.path
    return {
        "id": campaign.id,
        "content_hash": campaign.content_hash,
        "file": file_entry(campaign.path),
        "catalogue": {
            "id": campaign.catalogue.id,
            "content_hash": campaign.catalogue.content_hash,
            "file": file_entry(cat_path) if cat_path else None,
        },
    }


def write_manifest(
    output: Path,
    kind: str,
    campaign: Campaign,
    inputs: list[dict[str, Any]],
    options: dict[str, Any] | None = None,
    *,
    now: datetime | None = None,
) -> Path:
    """Write the manifest of ``output`` (atomically) and return its path (``now`` defaults to :func:`clock.now`)."""
    record = {
        "format": MANIFEST_FORMAT,
        "kind": kind,
        "tool": {"name": "parcli", "version": __version__},
        "created": (now or clock.now()).isoformat(),
        "campaign": campaign_entry(campaign),
        "inputs": inputs,
        "options": options or {},
        "output": file_entry(output),
    }
    target = manifest_path(output)
    atomic_write_text(target, json_text(record))
    return target


_REDO = "Đề nghị dùng đúng tệp .manifest.json do parcli ghi ra (không sửa tay), hoặc lập lại báo cáo từ dữ liệu gốc."


def load_manifest(path: Path) -> dict[str, Any]:
    """Read a manifest and check that every input it names is still there, byte for byte.

    ``path`` may also be the output itself (``bao-cao.docx``) when its manifest lies beside it.
    A manifest that is not JSON, or whose entries are missing or of the wrong type (edited by hand,
    cut short), raises :class:`ManifestError` naming the file, like a changed input.
    """
    if not path.name.endswith(".manifest.json") and manifest_path(path).is_file():
        path = manifest_path(path)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"Không tìm thấy tệp manifest {path}. {_REDO}") from None
    except IsADirectoryError:
        raise ManifestError(f"{path} là một thư mục, không phải tệp manifest. {_REDO}") from None
    except (OSError, UnicodeError, ValueError, RecursionError) as exc:
        raise ManifestError(f"Không đọc được manifest {path}: {exc}. {_REDO}") from None
    if not isinstance(record, dict) or record.get("format") != MANIFEST_FORMAT:
        raise ManifestError(f"{path.name} không phải manifest của parcli ({MANIFEST_FORMAT}). {_REDO}")
    wrong = _malformed(record)
    if wrong:
        raise ManifestError(f"Manifest {path.name} bị sửa hoặc hỏng: {wrong}. {_REDO}")
    changed = []
    entries = [record["campaign"].get("file"), record["campaign"]["catalogue"].get("file"), *record.get("inputs", [])]
    for entry in entries:
        if not entry:
            continue
        file = Path(entry["path"])
        folder = entry.get("kind") == "folder"  # a package return sent as a folder: its members, combined
        try:
            exists = file.is_dir() if folder else file.is_file()
            same = exists and (folder_sha256(file) if folder else sha256_file(file)) == entry["sha256"]
        except (OSError, ValueError) as exc:  # a path too long, a NUL byte, a folder that cannot be read
            changed.append(f"{file}: không đọc được ({exc})")
            continue
        if not exists:
            what = "thư mục" if folder else "tệp"
            changed.append(f"{file}: không còn tồn tại (hoặc không phải {what})")
        elif not same:
            changed.append(f"{file}: nội dung đã thay đổi (SHA-256 khác với lúc lập báo cáo)")
    for key in ("templates", "appraisals", "remedies"):  # folders the replay reads again
        value = record.get("options", {}).get(key)
        if not value:
            continue
        try:
            there = Path(value).is_dir()
        except (OSError, ValueError):  # a name too long, a NUL byte
            there = False
        if not there:
            changed.append(f"{value[:120]}: thư mục không còn tồn tại hoặc không đọc được")
    if changed:
        raise ManifestError(
            "Không thể tạo lại đúng báo cáo vì dữ liệu đầu vào đã thay đổi:\n"
            + "\n".join(f"  - {c}" for c in changed)
            + "\nĐề nghị lập lại báo cáo từ dữ liệu hiện có (không dùng --manifest)."
        )
    return record


def _malformed(record: dict[str, Any]) -> str:
    """What is wrong with the shape of a manifest ("" when every entry the replay reads has its type)."""

    def entry_problem(entry: Any, where: str, optional: bool = False) -> str:
        if entry is None and optional:
            return ""
        if not isinstance(entry, dict):
            return f"mục {where} không hợp lệ"
        if not isinstance(entry.get("path"), str) or not entry["path"] or "\x00" in entry["path"]:
            return f"mục {where} thiếu đường dẫn"
        if not isinstance(entry.get("sha256"), str):
            return f"mục {where} thiếu mã SHA-256"
        if "kind" in entry and not isinstance(entry["kind"], str):
            return f"mục {where} có loại không hợp lệ"
        return ""

    campaign = record.get("campaign")
    if not isinstance(campaign, dict) or not isinstance(campaign.get("catalogue"), dict):
        return "thiếu mục campaign"
    inputs = record.get("inputs")
    if not isinstance(inputs, list):
        return "thiếu danh sách inputs"
    if not isinstance(record.get("options", {}), dict) or not isinstance(record.get("kind", ""), str):
        return "mục options hoặc kind không hợp lệ"
    problems = [
        entry_problem(campaign.get("file"), "campaign.file"),
        entry_problem(campaign["catalogue"].get("file"), "campaign.catalogue.file", optional=True),
        entry_problem(record.get("output"), "output"),
        *(entry_problem(e, f"inputs[{i}]") for i, e in enumerate(inputs)),
        *(
            f"mục inputs[{i}] có vai trò không hợp lệ"
            for i, e in enumerate(inputs)
            if isinstance(e, dict) and not isinstance(e.get("role", ""), str)
        ),
    ]
    options = record.get("options", {})
    for key in ("today", "templates", "appraisals", "remedies"):
        value = options.get(key)
        if value is not None and (not isinstance(value, str) or "\x00" in value):
            problems.append(f"tùy chọn {key} không hợp lệ")
    if isinstance(options.get("today"), str) and options["today"]:
        try:
            date.fromisoformat(options["today"])
        except ValueError:
            problems.append(f"ngày {options['today']!r} không hợp lệ")
    return next((p for p in problems if p), "")


def option_date(record: dict[str, Any], key: str) -> date | None:
    """A date option recorded in a manifest."""
    value = record.get("options", {}).get(key)
    return date.fromisoformat(value) if value else None
