"""``parcli init``: an editable copy of the bundled campaign and catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from parcli.config.yamlio import read_text
from parcli.errors import OutputError
from parcli.files import atomic_write_text
from parcli.resources import data_dir


def init_project(directory: Path, *, force: bool = False) -> list[Path]:
    """Copy the example campaign (and its catalogue) into ``directory``; return the files written.

    The campaign's ``catalogue:`` line is rewritten to point at the copied
    catalogue, so the copy is self-contained and editable.
    """
    source_campaign = data_dir("examples") / "hung-yen-2023" / "campaign.yaml"
    campaign_text = read_text(source_campaign)
    match = re.search(r"^catalogue:\s*(\S+)\s*$", campaign_text, flags=re.MULTILINE)
    if match is None:  # pragma: no cover - the bundled file always has it
        raise OutputError("Kế hoạch mẫu không có dòng catalogue:")
    source_catalogue = (source_campaign.parent / match.group(1)).resolve()
    target_campaign = directory / "campaign.yaml"
    target_catalogue = directory / "criteria" / source_catalogue.name
    for target in (target_campaign, target_catalogue):
        if target.exists() and not force:
            raise OutputError(f"Tệp {target} đã tồn tại; dùng --force để ghi đè.")
    new_campaign = campaign_text[: match.start(1)] + f"criteria/{source_catalogue.name}" + campaign_text[match.end(1) :]
    new_campaign = re.sub(r"^example: true.*\n", "", new_campaign, flags=re.MULTILINE)  # the copy is a real campaign
    written = [target_campaign, target_catalogue]
    lists = re.search(r"^survey_lists:\s*(\S+)", campaign_text, flags=re.MULTILINE)
    if lists is not None:  # the survey lists plan sits beside the campaign under the same name
        source_lists = source_campaign.parent / lists.group(1)
        target_lists = directory / lists.group(1)
        if target_lists.exists() and not force:
            raise OutputError(f"Tệp {target_lists} đã tồn tại; dùng --force để ghi đè.")
        atomic_write_text(target_lists, read_text(source_lists))
        written.append(target_lists)
    atomic_write_text(target_catalogue, read_text(source_catalogue))
    atomic_write_text(target_campaign, new_campaign)
    return written
