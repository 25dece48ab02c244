"""``parcli init``: start a project — a campaign of a real year, or an editable copy of the bundled example.

:func:`init_year` writes a campaign for a province and a year after the 2025 reorganisation (departments
only, or departments and communes), everything marked as a proposal until the province reviews it;
:func:`init_project` copies the bundled Hưng Yên 2023 example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from parcli.config.deadlines import DEFAULT_RULE, DeadlineRule
from parcli.config.scaffold_yaml import (
    PlannedDepartment,
    YearPlan,
    campaign_yaml,
    catalogue_copy,
    lists_yaml,
    units_csv,
)
from parcli.config.unit_list import CommuneList
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


# --- a real year: ``parcli init DIR --province … --year … --mode …`` ------------------------------

MODES: tuple[str, ...] = ("so", "so-xa")  # jobs.generate.INIT_MODES repeats them for the command line
"""``so``: the departments self-assess the province's index (split); ``so-xa``: departments and communes are
each scored on their own catalogue and ranked (each-unit-scores)."""

UNITS_FILE = "don-vi-xa-phuong.csv"


@dataclass(frozen=True)
class YearSetup:
    """What the officer chose: the province, the year, the mode, the communes' list and optional departments."""

    province: str
    year: int
    mode: str = "so"
    units: Path | None = None  # the province's list of communes and wards (CSV or XLSX)
    optional: tuple[str, ...] = ()  # optional departments (presets.OPTIONAL_IDS)
    rule: DeadlineRule = DEFAULT_RULE


@dataclass
class Scaffolded:
    """The files written (campaign first) and the communes read."""

    written: list[Path] = field(default_factory=list)
    communes: CommuneList | None = None


def check_setup(setup: YearSetup) -> None:
    """Refuse a setup that cannot work, saying what to do (raises :class:`parcli.errors.UsageError`)."""
    from parcli.config.presets import OPTIONAL_IDS, REORGANISED_FROM
    from parcli.errors import UsageError

    if not setup.province.strip():
        raise UsageError('Chưa có tên tỉnh. Đề nghị ghi --province, ví dụ --province "Hưng Yên".')
    if not 1990 <= setup.year <= 2100:
        raise UsageError(f"Năm {setup.year} không hợp lệ. Đề nghị ghi năm đánh giá, ví dụ --year 2026.")
    if setup.year < REORGANISED_FROM:
        raise UsageError(
            f"Danh sách sở đề xuất là danh sách sau sắp xếp năm {REORGANISED_FROM}, không dùng cho năm {setup.year}. "
            "Với năm trước đó, đề nghị dùng parcli init THƯ_MỤC --example (bản sao kế hoạch mẫu 17 cơ quan) rồi sửa."
        )
    if setup.mode not in MODES:
        raise UsageError(f"Chế độ “{setup.mode}” không có. Đề nghị chọn --mode so hoặc --mode so-xa.")
    if setup.mode == "so-xa" and setup.units is None:
        raise UsageError(
            "Chế độ so-xa (các sở và các xã, phường) cần danh sách xã, phường của tỉnh: đề nghị ghi --units "
            "DANH-SACH.xlsx (hoặc .csv), mỗi đơn vị một dòng, có cột “Tên đơn vị”."
        )
    unknown = [d for d in setup.optional if d not in OPTIONAL_IDS]
    if unknown:
        raise UsageError(f"Không có sở tùy chọn “{', '.join(unknown)}”. Các sở tùy chọn: {', '.join(OPTIONAL_IDS)}.")


def _planned_departments(setup: YearSetup) -> tuple[PlannedDepartment, ...]:
    """The departments with their appendix and, in split mode, the 2023 example's items they take over."""
    from parcli.config.campaign import default_campaign_path
    from parcli.config.campaign_models import CampaignModel
    from parcli.config.presets import ROMAN, departments
    from parcli.config.yamlio import parse_yaml

    example = CampaignModel.model_validate(parse_yaml(read_text(default_campaign_path())))
    old = {d.id: d for d in example.departments or ()}
    planned = []
    for i, preset in enumerate(departments(setup.optional)):
        codes: list[str] = []
        came_from: list[str] = []
        for old_id in preset.merged_from:
            dept = old[old_id]
            codes += [str(c) for c in dept.assign]
            came_from.append(f"Phụ lục {dept.appendix} ({dept.name})")
        codes.sort(key=lambda code: tuple(int(part) for part in code.split(".")))
        origin = tuple([f"nhận các mục của {' và '.join(came_from)} trong kế hoạch mẫu"] if came_from else [])
        planned.append(PlannedDepartment(preset, ROMAN[i], tuple(codes), origin))
    return tuple(planned)


def _catalogue_header(source: str, year: int, what: str) -> str:
    return "\n".join(
        [
            f"# {what}.",
            f"# Bản do parcli init chép từ tệp {source} đi kèm parcli, cho kế hoạch năm {year}.",
            "# KHÔNG PHẢI VĂN BẢN CHÍNH THỨC: mọi mục ghi verified: false; phiếu phát hành từ tệp này ghi rõ số mục",
            "# chưa đối chiếu. Sửa từng mục theo văn bản (title, max_points, scored_by, rule, guidance), ghi nguồn",
            "# vào source và đặt verified: true cho mục đã đối chiếu; hoặc nhập bảng phụ lục của văn bản bằng lệnh",
            "# parcli catalogue import PHU-LUC.docx -o criteria/TEN-MOI.yaml rồi sửa dòng catalogue trong kế hoạch.",
            '# Quy tắc parcli kiểm tra khi nạp tệp: mã mục đặt trong dấu ngoặc kép ("1", "1.2", "1.2.3"); điểm',
            "# tối đa của mục cha bằng tổng các mục con; các lĩnh vực cộng lại bằng total_points; mục tự đánh giá",
            "# cộng lại bằng self_points, mục điều tra xã hội học bằng survey_points; mục scored_by: self có rule.",
        ]
    )


def _catalogue_names(setup: YearSetup) -> list[str]:
    """The catalogue copies of a year, relative to the project."""
    if setup.mode == "so":
        return [f"criteria/par-province-{setup.year}-tam-tinh.yaml"]
    return ["criteria/unit-so-example.yaml", "criteria/unit-xa-example.yaml"]


def planned_files(directory: Path, setup: YearSetup) -> list[Path]:
    """The files :func:`init_year` writes for ``setup`` (the campaign first), for the output guard."""
    names = ["campaign.yaml", "survey-lists.yaml", *_catalogue_names(setup)]
    if setup.mode == "so-xa":
        names.append(UNITS_FILE)
    return [directory / name for name in names]


def _catalogues(setup: YearSetup) -> dict[str, str]:
    """The catalogue copies of a year: path relative to the project → text."""
    from parcli.config.presets import RENAMED

    year = setup.year
    bundled = data_dir("criteria")
    if setup.mode == "so":
        (name,) = _catalogue_names(setup)
        text = catalogue_copy(
            read_text(bundled / "par-province-2023.yaml"),
            header=_catalogue_header("par-province-2023.yaml", year, "Bộ tiêu chí Chỉ số CCHC cấp tỉnh, TẠM TÍNH"),
            values={
                "id": f"par-province-{year}-tam-tinh",
                "title": f"Bộ tiêu chí xác định Chỉ số CCHC cấp tỉnh năm {year} (tạm tính)",
                "year": year,
                "decision": f"Chưa cập nhật theo văn bản áp dụng cho năm {year}: bộ tạm tính theo cấu trúc "
                "Quyết định số 876/QĐ-BNV của Bộ Nội vụ",
            },
            notes=(
                f"Bản TẠM TÍNH do parcli init chép từ bộ tiêu chí tạm tính năm 2023 đi kèm parcli (par-province-2023, "
                f"theo cấu trúc Quyết định số 876/QĐ-BNV), đổi năm thành {year} và tên cơ quan, cấp hành chính theo "
                "sắp xếp năm 2025; KHÔNG phải văn bản chính thức, mọi mục chưa đối chiếu (verified: false). Sau "
                "Quyết định số 876/QĐ-BNV, Bộ Nội vụ đã ban hành Quyết định số 892/QĐ-BNV ngày 05/12/2024 và số "
                f"1187/QĐ-BNV ngày 15/10/2025: đối chiếu từng mục với văn bản áp dụng cho năm {year}, sửa nội dung, "
                "điểm, cách chấm, ghi nguồn vào source và đặt verified: true cho mục đã đối chiếu."
            ),
            renames=RENAMED,
        )
        return {name: text}
    out = {}
    for name, what in zip(
        _catalogue_names(setup),
        (
            "Bộ tiêu chí Chỉ số CCHC của các sở, ban, ngành, VÍ DỤ MINH HỌA",
            "Bộ tiêu chí Chỉ số CCHC của UBND xã, phường, KHUNG VÍ DỤ",
        ),
        strict=True,
    ):
        source = name.removeprefix("criteria/")
        out[name] = catalogue_copy(
            read_text(bundled / source),
            header=_catalogue_header(source, year, what),
            values={"year": year},
            renames=RENAMED,
        )
    return out


def init_year(directory: Path, setup: YearSetup, *, force: bool = False) -> Scaffolded:
    """Write a campaign of ``setup.year`` for ``setup.province`` into ``directory``; return the files written.

    Writes ``campaign.yaml`` (the departments after the 2025 reorganisation, dates proposed from the year, the
    parts still to review listed in ``unreviewed``), ``survey-lists.yaml`` consistent with it, the catalogue
    copies under ``criteria/`` and, in ``so-xa`` mode, the communes' table ``don-vi-xa-phuong.csv``.  Raises
    :class:`parcli.errors.UsageError` for a setup that cannot work and :class:`OutputError` when a file exists
    (without ``force``); nothing is written then.
    """
    from parcli.config.presets import proposed_rounds, slug, survey_deadline
    from parcli.config.unit_list import read_commune_list

    check_setup(setup)
    communes = read_commune_list(setup.units) if setup.units is not None else None
    units_mode = setup.mode == "so-xa"
    catalogues = _catalogues(setup)
    province = " ".join(setup.province.split())
    command = f'parcli init --province "{province}" --year {setup.year} --mode {setup.mode}'
    command += "".join(f" --optional {d}" for d in setup.optional)
    command += f" --units {setup.units.name}" if setup.units is not None else ""
    plan = YearPlan(
        province=province,
        year=setup.year,
        campaign_id=f"{slug(province)}-so-xa-{setup.year}" if units_mode else f"{slug(province)}-{setup.year}",
        units_mode=units_mode,
        rounds=proposed_rounds(setup.year),
        rule=setup.rule,
        departments=_planned_departments(setup),
        catalogue=next(iter(catalogues)),
        groups=(
            ("so", "Sở, ban, ngành tỉnh", "criteria/unit-so-example.yaml"),
            ("xa", "UBND xã, phường", "criteria/unit-xa-example.yaml"),
        ),
        units_file=UNITS_FILE if units_mode and communes else None,
        communes=communes.units if communes else (),
        communes_source=f"tệp {setup.units.name}" if setup.units is not None else "",
        command=command,
    )
    files: dict[Path, str] = {directory / "campaign.yaml": campaign_yaml(plan)}
    files[directory / "survey-lists.yaml"] = lists_yaml(plan, survey_deadline(setup.year))
    files.update({directory / rel: text for rel, text in catalogues.items()})
    if plan.units_file and communes:
        files[directory / plan.units_file] = units_csv(communes.units)
    existing = [path for path in files if path.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise OutputError(f"Đã có {names}; dùng --force để ghi đè (hoặc chọn thư mục khác).")
    for path, text in files.items():
        atomic_write_text(path, text)
    return Scaffolded(written=list(files), communes=communes)
