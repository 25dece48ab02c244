"""The Vietnamese words for statuses, timings and severities, and the colours of the statuses.

One place for them: the terminal tables, the workbooks and the template contexts
all take their labels from here, so "Chưa nộp" cannot drift between two outputs.
Colours are rich style names (used only by the command line).
"""

from __future__ import annotations

from typing import Final

# What the collection engine decides for each owner of a form; the duplicate status names the document.
STATUS_LABELS: Final[dict[str, str]] = {
    "ok": "Hợp lệ",
    "invalid": "Có lỗi",
    "missing": "Chưa nộp",
    "duplicate": "Trùng phiếu",
}


def status_labels(document: str) -> dict[str, str]:
    """The status labels of a form kind: the duplicate status names its document ("Trùng danh sách")."""
    return STATUS_LABELS | {"duplicate": f"Trùng {document}"}


RETURN_STATUS_LABELS: Final[dict[str, str]] = status_labels("phiếu")  # a department's scoring return
LIST_STATUS_LABELS: Final[dict[str, str]] = status_labels("danh sách")  # a unit's survey respondent list
STATUS_COLOURS: Final[dict[str, str]] = {
    "ok": "green",
    "invalid": "red",
    "missing": "yellow",
    "duplicate": "magenta",
}
# When a return arrived against the deadline (see parcli.results.status.timing_of).
# "undated": the return has no Ngày gửi on its cover; it is never judged by its file's date.
TIMING_LABELS: Final[dict[str, str]] = {"on-time": "Đúng hạn", "late": "Muộn", "undated": "Chưa ghi ngày gửi"}
SEVERITY_LABELS: Final[dict[str, str]] = {"error": "Lỗi", "warning": "Cảnh báo"}
SEVERITY_COLOURS: Final[dict[str, str]] = {"error": "red", "warning": "yellow"}


def severity_label(is_error: bool) -> str:
    """“Lỗi” for an error, “Cảnh báo” for a warning."""
    return SEVERITY_LABELS["error" if is_error else "warning"]
