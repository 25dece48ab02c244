"""The text of the files ``parcli init`` writes for a year: campaign, survey lists plan, catalogue copies.

Written as text, not dumped, so that every file carries Vietnamese comments saying what each part is, which
values are proposals, and what to check — the officer edits these files by hand.  Strings are written as
JSON strings, which YAML reads as double-quoted scalars.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from parcli.config.deadlines import RULES, DeadlineRule
from parcli.config.presets import (
    COMMUNE_QUOTAS,
    DEPARTMENT_QUOTAS,
    SURVEY_GROUPS,
    DepartmentPreset,
    RoundDates,
    mail_domain,
)
from parcli.config.unit_list import Commune


def q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class PlannedDepartment:
    """A department as the campaign will list it: the preset, its appendix and the codes it scores."""

    preset: DepartmentPreset
    appendix: str
    assign: tuple[str, ...]
    came_from: tuple[str, ...]  # “Phụ lục I (Sở Nội vụ)” … of the 2023 example


@dataclass(frozen=True)
class YearPlan:
    """Everything the campaign file says, decided before it is written."""

    province: str
    year: int
    campaign_id: str
    units_mode: bool
    rounds: tuple[RoundDates, ...]
    rule: DeadlineRule
    departments: tuple[PlannedDepartment, ...]
    catalogue: str  # split mode: path of the catalogue copy, relative to the campaign
    groups: tuple[tuple[str, str, str], ...]  # units mode: (id, name, catalogue path)
    units_file: str | None  # units mode: the communes table, relative to the campaign
    communes: tuple[Commune, ...]
    communes_source: str  # the province's file they were read from ("" when none)
    command: str  # the command line that wrote the files, for the header


def _dates(d: RoundDates, indent: str) -> list[str]:
    lines = [f"{indent}returns: {d.returns.isoformat()}   # các cơ quan, đơn vị gửi kết quả tự đánh giá về Sở Nội vụ"]
    lines.append(f"{indent}report: {d.report.isoformat()}    # Sở Nội vụ báo cáo UBND tỉnh")
    if d.ministry is not None:
        lines.append(f"{indent}ministry: {d.ministry.isoformat()}  # chốt số liệu trên phần mềm của Bộ Nội vụ")
    return lines


def _common_head(plan: YearPlan) -> list[str]:
    """Organiser, documents, deadline rule, deadlines and rounds: the same in both modes."""
    p, y = plan.province, plan.year
    last = plan.rounds[-1]
    lines = [
        "organiser:",
        f"  name: {q(f'Sở Nội vụ tỉnh {p}')}",
        f"  unit: {q('Phòng Cải cách hành chính')}   # sửa theo tên phòng, đơn vị phụ trách hiện nay",
        "  # contact: in trên trang Hướng dẫn của mỗi phiếu; bỏ dấu # và ghi đầu mối thật, ví dụ",
        f'  # contact: "Phòng …, Sở Nội vụ tỉnh {p}; điện thoại …; thư điện tử …@{mail_domain(p)}"',
        f"  parent: {q(f'UBND tỉnh {p}')}   # cơ quan chủ quản trên tiêu đề văn bản (Nghị định 30/2020/NĐ-CP)",
        f"  symbol: {q('SNV')}                # báo cáo: “Số: …/BC-SNV”",
        f"  signer: {q('GIÁM ĐỐC')}",
        f"  place: {q(p)}",
        "# documents: người ký, ký hiệu và ngày của công văn, báo cáo. Bỏ dấu # ở các dòng cần dùng:",
        "# documents:",
        '#   signer: {on_behalf: "KT. GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "…"}',
        '#   symbol: "SNV-CCHC"          # công văn: “Số: …/SNV-CCHC”',
        f"#   report_date: {last.report.isoformat()}   # ngày ghi trên báo cáo; bỏ trống: “ngày … tháng … năm …”",
        "",
        "# Cách Kế hoạch ghi thời hạn, in đúng như vậy trên phiếu và công văn:",
        f"#   {q(RULES[0])}    — ngày ghi trong hạn đã là muộn (hạn 15/01: gửi chậm nhất ngày 14/01);",
        f"#   {q(RULES[1])}  — ngày ghi trong hạn vẫn đúng hạn.",
        f"deadline_rule: {q(plan.rule)}",
        f"# Thời hạn ĐỀ XUẤT cho năm {y} (theo mẫu kế hoạch năm trước; thứ Bảy, Chủ nhật đã dời sang thứ Hai, chưa",
        "# tính ngày lễ). Sửa theo Kế hoạch của UBND tỉnh, rồi xóa “deadlines” khỏi dòng unreviewed bên dưới.",
        "# deadlines là thời hạn của đợt cuối; mỗi đợt trong rounds có thời hạn riêng (lệnh nhận --round MÃ_ĐỢT).",
        "deadlines:",
        *_dates(last, "  "),
        "rounds:",
    ]
    for r in plan.rounds:
        lines += [f"  - id: {r.id}", f"    title: {q(r.title)}", "    deadlines:", *_dates(r, "      ")]
    return lines


def campaign_yaml(plan: YearPlan) -> str:
    """The campaign file of a year, split mode (departments) or each-unit-scores (departments and communes)."""
    p, y = plan.province, plan.year
    n_dept = len(plan.departments)
    unreviewed = ["deadlines"] if plan.units_mode else ["assignment", "deadlines"]
    head = [
        f"# Kế hoạch xác định Chỉ số cải cách hành chính (Chỉ số CCHC) tỉnh {p} năm {y} — tệp kế hoạch của parcli.",
        f"# Tạo bằng lệnh: {plan.command}",
        "# Đây là BẢN ĐỀ XUẤT BAN ĐẦU. Các phiếu phát hành từ tệp này ghi rõ phần nào còn là dự kiến cho đến khi",
        "# phần đó được rà soát (dòng unreviewed). Những việc cần làm trước khi phát hành phiếu:",
    ]
    if plan.units_mode:
        head += [
            f"#   1. units: {n_dept} sở, ngành (12 sở có ở mọi tỉnh sau sắp xếp theo Nghị định số 45/2025/NĐ-CP và",
            "#      số 150/2025/NĐ-CP) và các xã, phường trong tệp "
            + (plan.units_file or "")
            + ". Đối chiếu danh sách;",
            "#      exempt (mục được miễn) của từng đơn vị là ví dụ, sửa theo quyết định của tỉnh.",
            "#   2. groups: hai bộ tiêu chí trong thư mục criteria/ là KHUNG VÍ DỤ do parcli soạn (mọi mục",
            "#      verified: false); thay bằng bộ tiêu chí theo quyết định của UBND tỉnh (parcli catalogue import).",
        ]
    else:
        head += [
            f"#   1. departments: {n_dept} cơ quan (12 sở có ở mọi tỉnh sau sắp xếp theo Nghị định số 45/2025/NĐ-CP",
            "#      và số 150/2025/NĐ-CP). Các mục giao cho từng cơ quan (assign) là VÍ DỤ: 17 phụ lục của kế hoạch",
            "#      mẫu (Hưng Yên năm 2023) ghép theo các sở đã hợp nhất. Đối chiếu với các phụ lục của Kế hoạch, sửa",
            "#      assign, rồi xóa “assignment” khỏi dòng unreviewed. Cơ quan không tự chấm mục nào thì xóa khỏi",
            "#      danh sách.",
            f"#   2. catalogue: {plan.catalogue} là bộ tiêu chí TẠM TÍNH (mọi mục verified: false);",
            f"#      thay bằng bộ tiêu chí theo văn bản của Bộ Nội vụ áp dụng cho năm {y}",
            "#      (parcli catalogue import PHU-LUC.docx -o criteria/TEN-MOI.yaml, rồi sửa dòng catalogue).",
        ]
    head += [
        "#   3. deadline_rule, deadlines, rounds: thời hạn đề xuất; sửa theo Kế hoạch.",
        "#   4. organiser, documents: tên đơn vị, đầu mối liên hệ, người ký.",
        "#   5. survey-lists.yaml: các đơn vị đề xuất đối tượng điều tra xã hội học và số lượng.",
        *(
            [f"# Xem lại bộ tiêu chí: parcli catalogue show {path}" for _, _, path in plan.groups]
            if plan.units_mode
            else ["# Xem lại bộ tiêu chí: parcli catalogue show -c campaign.yaml"]
        ),
        "# In thử phiếu:       parcli generate -c campaign.yaml -o phieu-thu",
        "",
        "schema: parcli/campaign@1",
    ]
    if plan.units_mode:
        head += ["mode: each-unit-scores   # mỗi sở, mỗi xã, phường tự chấm cả bộ tiêu chí của nhóm mình, rồi xếp hạng"]
        title = f"Xác định Chỉ số CCHC năm {y} của các sở, ban, ngành và Ủy ban nhân dân các xã, phường tỉnh {p}"
        plan_text = f"Kế hoạch xác định Chỉ số CCHC năm {y} của các sở, ban, ngành và UBND các xã, phường tỉnh {p}"
    else:
        title = f"Xác định Chỉ số CCHC tỉnh {p} năm {y}"
        plan_text = f"Kế hoạch triển khai xác định Chỉ số CCHC tỉnh {p} năm {y}"
    head += [
        f"id: {plan.campaign_id}",
        f"title: {q(title)}",
        f"province: {q(p)}",
        f"year: {y}",
    ]
    if not plan.units_mode:
        head.append(f"catalogue: {plan.catalogue}")
    head += [
        f"plan: {q(plan_text)}   # thêm số, ngày ban hành của Kế hoạch khi có",
        *_common_head(plan),
        "# Phần còn là đề xuất, chưa rà soát: các phiếu ghi rõ điều này. Rà soát xong phần nào, xóa tên phần đó.",
        f"unreviewed: [{', '.join(unreviewed)}]",
        "survey_lists: survey-lists.yaml   # danh sách đối tượng điều tra xã hội học (parcli survey …)",
        "evidence:                        # kiểm tra tài liệu kiểm chứng — giá trị ví dụ, sửa theo hướng dẫn của tỉnh",
        "  max_file_mb: 20                # tệp lớn hơn bị từ chối (evidence-too-large)",
        "  types: [pdf, docx, xlsx, jpg, jpeg, png]",
        f"  period: {{start: {date(y, 1, 1).isoformat()}, end: {date(y, 12, 31).isoformat()}}}   # kỳ đánh giá",
    ]
    body = _units_part(plan) if plan.units_mode else _departments_part(plan)
    return "\n".join(head + body) + "\n"


def _departments_part(plan: YearPlan) -> list[str]:
    lines = [
        "assignment_note: >-",
        "  Phân công ban đầu do parcli init lập: các mục của 17 phụ lục trong kế hoạch mẫu được giao cho các sở",
        "  sau sắp xếp (Sở Nội vụ nhận cả các mục của Sở Lao động - Thương binh và Xã hội; Sở Tài chính cả các mục",
        "  của Sở Kế hoạch và Đầu tư; Sở Khoa học và Công nghệ cả các mục của Sở Thông tin và Truyền thông; Sở Nông",
        "  nghiệp và Môi trường các mục của Sở Tài nguyên và Môi trường và Sở Nông nghiệp và Phát triển nông thôn;",
        "  Sở Xây dựng cả các mục của Sở Giao thông vận tải). Tỉnh rà soát theo các phụ lục của Kế hoạch năm nay.",
        "# Mỗi cơ quan một phụ lục (số La Mã); assign nhận mã lĩnh vực, tiêu chí hoặc tiêu chí thành phần (một mã",
        "# gồm cả các mục con). Mỗi mục tự đánh giá giao cho đúng một cơ quan; mục điều tra xã hội học không giao.",
        "departments:",
    ]
    for d in plan.departments:
        origin = ", ".join(d.came_from) if d.came_from else "cơ quan không có trong kế hoạch mẫu"
        lines.append(f"  # Phụ lục {d.appendix}: {d.preset.name} — {origin}")
        lines += [
            f"  - id: {d.preset.id}",
            f"    name: {q(d.preset.name)}",
            f"    appendix: {q(d.appendix)}",
        ]
        if d.assign:
            lines.append(f"    assign: [{', '.join(q(code) for code in d.assign)}]")
        else:
            lines.append("    assign: []   # CHƯA GIAO MỤC NÀO: giao các mục thuộc chức năng của sở, hoặc xóa sở này")
    return lines


def _units_part(plan: YearPlan) -> list[str]:
    lines = ["# Nhóm đơn vị: mỗi nhóm chấm một bộ tiêu chí và được xếp hạng riêng.", "groups:"]
    for gid, name, path in plan.groups:
        lines.append(f"  - {{id: {gid}, name: {q(name)}, catalogue: {path}}}")
    lines += [
        "# exempt: mã lĩnh vực, tiêu chí được miễn (đơn vị không có chức năng đó); chỉ số tính trên phần áp dụng.",
        "units:",
        "  # ── Sở, ban, ngành tỉnh (nhóm so) ──",
    ]
    for d in plan.departments:
        exempt = ""
        comment = ""
        if d.preset.id == "van-phong-ubnd":
            exempt, comment = ', exempt: ["3"]', "   # ví dụ: không trực tiếp giải quyết thủ tục hành chính"
        elif d.preset.id == "thanh-tra":
            exempt, comment = ', exempt: ["3", "7.5"]', "   # ví dụ"
        lines.append(f"  - {{id: {d.preset.id}, name: {q(d.preset.name)}, group: so{exempt}}}{comment}")
    if plan.units_file:
        counts = _count_words(plan.communes)
        lines += [
            "# Các xã, phường (nhóm xa): mỗi đơn vị một dòng trong tệp dưới đây (cột id, name, group, exempt),",
            f"# lập từ {plan.communes_source}: {counts}.",
            f"units_file: {plan.units_file}",
        ]
    lines += [
        "# Xếp loại theo tỷ lệ điểm (mức cao nhất đạt được) — ví dụ, sửa theo quyết định của tỉnh.",
        "bands:",
        '  - {label: "Tốt", min: 90}          # từ 90% trở lên',
        '  - {label: "Khá", min: 80}          # từ 80% đến dưới 90%',
        '  - {label: "Trung bình", min: 70}   # từ 70% đến dưới 80%',
        '  - {label: "Yếu", min: 0}           # dưới 70%',
    ]
    return lines


def _count_words(communes: Iterable[Commune]) -> str:
    """“104 đơn vị: 93 xã, 11 phường”."""
    from parcli.config.unit_list import KINDS

    units = list(communes)
    parts = [
        f"{sum(1 for u in units if u.kind == k)} {word}" for k, word in KINDS.items() if any(u.kind == k for u in units)
    ]
    return f"{len(units)} đơn vị: {', '.join(parts)}"


def units_csv(communes: Iterable[Commune]) -> str:
    """The communes as parcli's units table (``id,name,group,exempt``), group ``xa``."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "group", "exempt"])
    for unit in communes:
        writer.writerow([unit.id, unit.name, "xa", " ".join(unit.exempt)])
    return out.getvalue()


def lists_yaml(plan: YearPlan, survey_deadline: date) -> str:
    """The survey lists plan of the year: departments, communes and the People's Council office nominate."""
    p, y = plan.province, plan.year
    domain = mail_domain(p)
    lines = [
        f"# Danh sách đối tượng điều tra xã hội học (XHH) xác định Chỉ số CCHC tỉnh {p} năm {y} — tệp của parcli",
        "# (parcli survey generate, parcli survey merge). Do parcli init lập: BẢN ĐỀ XUẤT.",
        "#",
        "# Các nhóm đối tượng ghi theo kế hoạch năm 2025 của các tỉnh, thành phố sau khi bỏ cấp huyện (ví dụ Hà",
        "# Nội): lãnh đạo UBND xã, phường và lãnh đạo các phòng thuộc UBND xã, phường thay cho lãnh đạo UBND cấp",
        "# huyện; kiểm tra lại theo Kế hoạch của tỉnh. Hạn gửi, số người mỗi nhóm",
        "# (nominate), đơn vị nào đề xuất nhóm nào và tên miền thư công vụ là VÍ DỤ: sửa theo văn bản hướng dẫn của",
        "# Sở Nội vụ, rồi xóa dòng note (khi còn note, lệnh parcli survey generate từ chối phát hành).",
        "#",
        "# groups[].kind: official — liên hệ qua thư điện tử công vụ (bắt buộc, kiểm tra tên miền);",
        "#                citizen  — mã hồ sơ, thủ tục và số điện thoại thay cho thư điện tử.",
        "# units[].kind: department (sở, ngành — mã trùng với kế hoạch), commune (xã, phường), other.",
        "# nominate: mã nhóm → số người đề xuất (null: không giới hạn).",
        "",
        "schema: parcli/survey-lists@1",
        f"campaign: {plan.campaign_id}",
        f"title: {q(f'Danh sách đối tượng điều tra xã hội học xác định Chỉ số CCHC tỉnh {p} năm {y}')}",
        f"deadline: {survey_deadline.isoformat()}   # đề xuất",
        "note: >-",
        "  Hạn gửi và số lượng đối tượng đề nghị của từng nhóm là VÍ DỤ do parcli lập; thay bằng số liệu theo văn",
        "  bản hướng dẫn của Sở Nội vụ trước khi phát hành.",
        "official_domains:",
        f"  - {domain}   # ví dụ: tên miền thư công vụ của tỉnh — kiểm tra, thêm tên miền khác nếu có",
        "rows_per_sheet: 200",
        "",
        "groups:",
    ]
    for g in SURVEY_GROUPS:
        lines += [f"  - id: {g.id}", f"    label: {q(g.label)}", f"    short: {q(g.short)}", f"    kind: {g.kind}"]
    lines += ["", "units:", "  # các sở, ngành (mã như trong campaign.yaml); anchor &so dùng lại cho các dòng sau"]
    for i, d in enumerate(plan.departments):
        if i == 0:
            lines += [f"  - id: {d.preset.id}", "    kind: department", "    nominate: &so"]
            lines += [f"      {gid}: {_quota(n)}" for gid, n in DEPARTMENT_QUOTAS.items()]
        else:
            lines.append(f"  - {{id: {d.preset.id}, kind: department, nominate: *so}}")
    if plan.communes:
        lines.append(f"  # các xã, phường ({_count_words(plan.communes)}); anchor &xa dùng lại cho các dòng sau")
        for i, c in enumerate(plan.communes):
            if i == 0:
                lines += [f"  - id: {c.id}", f"    name: {q(c.name)}", "    kind: commune", "    nominate: &xa"]
                lines += [f"      {gid}: {_quota(n)}" for gid, n in COMMUNE_QUOTAS.items()]
            else:
                lines.append(f"  - {{id: {c.id}, name: {q(c.name)}, kind: commune, nominate: *xa}}")
    else:
        lines += [
            "  # Chưa có danh sách xã, phường: chạy lại parcli init với --units DANH-SACH.xlsx, hoặc thêm mỗi đơn vị",
            "  # một dòng, ví dụ:",
            '  # - {id: xa-an-binh, name: "UBND xã An Bình", kind: commune, nominate: {lanh-dao-ubnd-xa: 2}}',
        ]
    lines += [
        "  # đại biểu HĐND tỉnh do Văn phòng Đoàn ĐBQH và HĐND tỉnh đề xuất — kiểm tra tên cơ quan hiện nay",
        "  - id: vp-doan-dbqh-hdnd",
        f"    name: {q('Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh')}",
        "    kind: other",
        "    nominate:",
        "      dai-bieu-hdnd: null   # không giới hạn số lượng",
    ]
    return "\n".join(lines) + "\n"


def _quota(n: int | None) -> str:
    return "null" if n is None else str(n)


_TOP = {key: re.compile(rf"^{key}: .*$", re.MULTILINE) for key in ("id", "title", "year", "decision")}
_NOTES = re.compile(r"^notes: >-\n(?:[ ]{2}.*\n)+", re.MULTILINE)


def catalogue_copy(
    text: str,
    *,
    header: str,
    values: dict[str, str | int],
    notes: str | None = None,
    renames: Iterable[tuple[str, str]] = (),
) -> str:
    """A bundled catalogue's text for a project: a new leading comment, top-level values replaced, names renamed.

    ``values`` replaces the top-level ``id``, ``title``, ``year`` and ``decision`` lines; ``notes`` the folded
    ``notes:`` block; ``renames`` are applied to the nodes (after ``fields:``).
    """
    start = text.index("schema: parcli/catalogue@1")
    top, _, nodes = text[start:].partition("\nfields:")
    for key, value in values.items():
        top = _replace(_TOP[key], top, f"{key}: {value if isinstance(value, int) else q(value)}")
    if notes is not None:
        block = "notes: >-\n" + "".join(f"  {line}\n" for line in _wrap(notes, 104))
        top = _replace(_NOTES, top + "\n", block).rstrip("\n")
    for old, new in renames:
        nodes = nodes.replace(old, new)
    return header.rstrip("\n") + "\n\n" + top + "\nfields:" + nodes


def _replace(pattern: re.Pattern[str], text: str, new: str) -> str:
    """``text`` with the first match of ``pattern`` replaced by ``new`` taken literally (unchanged without one)."""
    match = pattern.search(text)
    return text if match is None else text[: match.start()] + new + text[match.end() :]


def _wrap(text: str, width: int) -> list[str]:
    """Words in lines of at most ``width`` characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


__all__ = ["PlannedDepartment", "YearPlan", "campaign_yaml", "catalogue_copy", "lists_yaml", "q", "units_csv"]
