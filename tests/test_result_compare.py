"""``parcli result compare``, next year's plans (``remedy issue --result``) and ``report --previous`` with the result.

The province's figures are chosen here (self-assessed points, the province's appraisal), the Ministry's
too (written into a Ministry-like workbook by a minimal writer of this module, then imported); every
figure of the comparison is computed again here, item by item, and summed by field and by department.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import PROVINCE_SCOPE, Campaign, default_campaign_path
from parcli.errors import UsageError
from parcli.jobs.result import ImportRequest, import_result, last_year_of
from parcli.manifest import ManifestError, load_manifest
from parcli.numbers import ROUNDING_RULE, fmt_percent, fmt_points, percent
from parcli.results.compare import compare
from parcli.results.consolidated import Consolidated, ConsolidatedItem, read_consolidated
from parcli.results.consolidated_write import write_consolidated
from parcli.rounds.ministry.own import load_result
from parcli.rounds.scoring.merge import merge_returns

runner = CliRunner()
ZERO = Decimal(0)
HEADER = ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Điểm thẩm định", "Ghi chú của thẩm định"]


def _cell(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def write_xlsx(path: Path, sheets: list[tuple[str, list[list[Any]]]]) -> Path:
    """A minimal .xlsx of inline strings and numbers, one worksheet per (name, rows)."""
    ns = "http://schemas.openxmlformats.org"
    kinds = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{ns}/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    names = "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _) in enumerate(sheets, 1))
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{kinds}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>{names}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships">{rels}</Relationships>',
    }
    for i, (_, rows) in enumerate(sheets, 1):
        body = "".join(
            f'<row r="{r}">' + "".join(_cell(f"{chr(64 + c)}{r}", v) for c, v in enumerate(row, 1)) + "</row>"
            for r, row in enumerate(rows, 1)
        )
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + text)
    return path


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class Case:
    """The figures chosen for one comparison: per self-assessed item, self / province appraisal / Ministry."""

    self_scores: dict[str, Decimal]  # a code absent: the province has no score
    province: dict[str, Decimal]  # the province's appraisal, where it appraised
    ministry: dict[str, Decimal]  # a code absent: the Ministry's table leaves the item out
    notes: dict[str, str]
    survey: dict[str, Decimal]  # per field: the Ministry's survey points

    def final(self, code: str) -> Decimal | None:
        return self.province.get(code, self.self_scores.get(code))


def make_case(campaign: Campaign) -> Case:
    """Every item full; then, by a fixed rule, items missed, seen, caught, raised, left out and unscored."""
    cat = campaign.catalogue
    leaves = [leaf for leaf in cat.leaves if leaf.is_self]
    selfs = {leaf.code: leaf.max_points for leaf in leaves}
    province: dict[str, Decimal] = {}
    ministry = dict(selfs)
    notes: dict[str, str] = {}
    step = Decimal("0.25")
    for n, leaf in enumerate(leaves):
        top = leaf.max_points
        kind = n % 9
        if kind == 1:  # missed: the province kept the self-assessment, the Ministry took a quarter point
            ministry[leaf.code] = top - step
            notes[leaf.code] = f"Thiếu tài liệu kiểm chứng mục {leaf.code}."
        elif kind == 2:  # seen: the province took a quarter, the Ministry everything
            province[leaf.code] = top - step
            ministry[leaf.code] = ZERO
        elif kind == 4:  # caught: both took a quarter
            province[leaf.code] = top - step
            ministry[leaf.code] = top - step
        elif kind == 6:  # raised: self-assessed low, the Ministry gave full points
            selfs[leaf.code] = ZERO
            notes[leaf.code] = "Bộ công nhận đủ điểm."
    absent, unscored = leaves[3].code, leaves[12].code
    del ministry[absent]
    del selfs[unscored]
    survey = {
        f.code: sum((leaf.max_points for leaf in cat.leaves_under(f.code) if not leaf.is_self), ZERO) / 2
        for f in cat.model.fields
    }
    return Case(selfs, province, ministry, notes, survey)


def consolidated_of(campaign: Campaign, case: Case) -> Consolidated:
    rows = {
        code: ConsolidatedItem(
            code, campaign.catalogue.leaf_by_code[code].max_points, "self", score, False,
            case.province.get(code), "Tỉnh: trừ điểm" if code in case.province else "", "", "", "Đã nhận", "a.xlsx",
        )
        for code, score in case.self_scores.items()
    }  # fmt: skip
    return Consolidated(Path("tong-hop.xlsx"), {"campaign_id": campaign.id}, {PROVINCE_SCOPE: rows})


def ministry_book(path: Path, campaign: Campaign, case: Case, tops: dict[str, Decimal] | None = None) -> Path:
    cat = campaign.catalogue
    tops = tops or {}
    items: list[list[Any]] = [["KẾT QUẢ THẨM ĐỊNH (tệp thử)"], [], HEADER]
    for leaf in cat.leaves:
        if leaf.is_self and leaf.code not in case.ministry:
            continue
        final = case.final(leaf.code)
        points = case.ministry[leaf.code] if leaf.is_self else "Điều tra XHH"
        top = tops.get(leaf.code, leaf.max_points)
        items.append([leaf.code, leaf.title, number(top), None if final is None else number(final),
                      points if isinstance(points, str) else number(points), case.notes.get(leaf.code)])  # fmt: skip
    fields: list[list[Any]] = [["STT", "Lĩnh vực", "Điểm điều tra XHH"]]
    fields += [[f.code, f.title, number(case.survey[f.code])] for f in cat.model.fields]
    return write_xlsx(path, [("Chi tiết", items), ("Theo lĩnh vực", fields)])


def imported(campaign: Campaign, case: Case, tmp_path: Path) -> Path:
    source = ministry_book(tmp_path / "KET-QUA-BO.xlsx", campaign, case)
    out = tmp_path / "ket-qua-bo-noi-vu.xlsx"
    produced = import_result(ImportRequest(source, out, campaign.path))
    assert [p.slug for p in produced.imported.problems] == ["result-item-missing"]  # type: ignore[union-attr]
    return out


@dataclass
class Expected:
    max: Decimal = ZERO
    self_score: Decimal = ZERO
    province: Decimal = ZERO
    ministry: Decimal = ZERO
    not_accepted: Decimal = ZERO
    seen: Decimal = ZERO
    missed: Decimal = ZERO
    raised: Decimal = ZERO
    items: int = 0
    items_not_accepted: int = 0


def expected(
    campaign: Campaign, case: Case
) -> tuple[Expected, dict[str, Expected], dict[str, Expected], dict[str, Any]]:
    """Total, per field, per department, and per item (code → its figures), computed from the case alone."""
    total, fields, departments, items = Expected(), {}, {}, {}
    for leaf in campaign.catalogue.leaves:
        code = leaf.code
        if not leaf.is_self or code not in case.ministry or code not in case.self_scores:
            continue
        s, p, m = case.self_scores[code], case.final(code), case.ministry[code]
        assert p is not None
        lost = p - m if p > m else ZERO
        items[code] = {"not_accepted": lost, "raised": m - p if m > p else ZERO, "seen": s > p}
        owner = campaign.owner_of[code].id
        for e in (total, fields.setdefault(leaf.field_code, Expected()), departments.setdefault(owner, Expected())):
            e.items += 1
            e.max += leaf.max_points
            e.self_score += s
            e.province += p
            e.ministry += m
            e.not_accepted += lost
            e.raised += items[code]["raised"]
            e.items_not_accepted += 1 if lost else 0
            if lost and s > p:
                e.seen += lost
            elif lost:
                e.missed += lost
    return total, fields, departments, items


def _same(row: dict[str, Any], e: Expected) -> None:
    assert (row["items"], row["max"], row["self_score"], row["province"], row["ministry"]) == (
        e.items, e.max, e.self_score, e.province, e.ministry,
    )  # fmt: skip
    assert (row["not_accepted"], row["not_accepted_seen"], row["not_accepted_missed"], row["raised"]) == (
        e.not_accepted, e.seen, e.missed, e.raised,
    )  # fmt: skip
    assert row["items_not_accepted"] == e.items_not_accepted
    assert row["percent"] == percent(e.ministry, e.max)


def test_every_figure_by_item_field_and_department(campaign: Campaign, tmp_path: Path) -> None:
    case = make_case(campaign)
    result = load_result(imported(campaign, case, tmp_path))
    comparison = compare(campaign, consolidated_of(campaign, case), result)
    total, fields, departments, items = expected(campaign, case)
    _same(comparison["total"], total)
    for row in comparison["fields"]:
        _same(row, fields[row["code"]])
        assert row["survey_points"] == case.survey[row["code"]]
        self_max = sum((leaf.max_points for leaf in campaign.catalogue.leaves_under(row["code"]) if leaf.is_self), ZERO)
        own = result.fields[row["code"]].appraised  # None in a field where an item was left out
        if own is not None:
            assert row["ministry_total"] == own + case.survey[row["code"]]
            assert row["ministry_total_max"] == campaign.catalogue.node_max[row["code"]]
        assert result.fields[row["code"]].self_max == self_max
    for row in comparison["departments"]:
        _same(row, departments[row["id"]])
    # ranked by points not accepted: competition ranks among those with any, none for the others
    for row in comparison["departments"]:
        lost = departments[row["id"]].not_accepted
        rank = 1 + sum(1 for e in departments.values() if e.not_accepted > lost) if lost else None
        assert row["rank"] == rank, row["name"]
    order = [row["not_accepted"] for row in comparison["departments"]]
    assert order == sorted(order, reverse=True)
    # items: each list holds exactly the items of its kind
    assert {r["code"]: (r["not_accepted"], r["raised"], r["seen"]) for r in comparison["items"]} == {
        code: (i["not_accepted"], i["raised"], i["seen"]) for code, i in items.items()
    }
    assert {r["code"] for r in comparison["missed"]} == {
        c for c, i in items.items() if i["not_accepted"] and not i["seen"]
    }
    assert {r["code"] for r in comparison["seen"]} == {c for c, i in items.items() if i["not_accepted"] and i["seen"]}
    assert {r["code"] for r in comparison["raised"]} == {c for c, i in items.items() if i["raised"]}
    lost = [r["not_accepted"] for r in comparison["not_accepted"]]
    assert lost == sorted(lost, reverse=True) and len(lost) == sum(1 for i in items.values() if i["not_accepted"])
    leaves = [leaf for leaf in campaign.catalogue.leaves if leaf.is_self]
    assert [r["code"] for r in comparison["absent"]] == [leaves[3].code]  # the item the Ministry left out
    assert [r["code"] for r in comparison["unscored"]] == [leaves[12].code]
    missed = next(r for r in comparison["missed"])
    assert missed["ministry_note"] == case.notes[missed["code"]]
    assert missed["department"] == campaign.owner_of[missed["code"]].name
    # the survey part beside the self-assessed part, and the index by the Ministry
    survey_max = sum((leaf.max_points for leaf in campaign.catalogue.leaves if not leaf.is_self), ZERO)
    assert comparison["survey"]["points"] == sum(case.survey.values(), ZERO)
    assert comparison["survey"]["max"] == survey_max
    assert comparison["ministry_index"]["points"] is None  # a field lacks an item: no whole index


def test_an_item_whose_submitted_points_differ(campaign: Campaign, tmp_path: Path) -> None:
    """The Ministry's table records the self-assessed points the province submitted; a difference is listed."""
    case = make_case(campaign)
    result = load_result(imported(campaign, case, tmp_path))
    code = next(c for c in case.province)  # the province's appraisal says something else than the data now
    data = consolidated_of(campaign, case)
    item = data.rows[PROVINCE_SCOPE][code]
    data.rows[PROVINCE_SCOPE][code] = ConsolidatedItem(**{**item.__dict__, "appraised": ZERO})
    comparison = compare(campaign, data, result)
    assert [r["code"] for r in comparison["submitted_differs"]] == [code]


def test_the_points_per_field_only(campaign: Campaign, tmp_path: Path) -> None:
    case = make_case(campaign)
    cat = campaign.catalogue
    rows: list[list[Any]] = [["Lĩnh vực", "Mã", "Điểm thẩm định", "Điểm điều tra XHH"]]
    ministry_fields: dict[str, Decimal] = {}
    for f in cat.model.fields:
        ministry_fields[f.code] = sum(
            (case.ministry.get(leaf.code, ZERO) for leaf in cat.leaves_under(f.code) if leaf.is_self), ZERO
        )
        rows.append([f.title, f"Lĩnh vực {f.code}", number(ministry_fields[f.code]), number(case.survey[f.code])])
    source = write_xlsx(tmp_path / "quyet-dinh.xlsx", [("Phụ lục", rows)])
    out = tmp_path / "kq.xlsx"
    assert import_result(ImportRequest(source, out, campaign.path)).ok
    comparison = compare(campaign, consolidated_of(campaign, case), load_result(out))
    assert not comparison["by_items"] and comparison["items"] == [] and comparison["departments"] == []
    for row in comparison["fields"]:
        leaves = [leaf for leaf in cat.leaves_under(row["code"]) if leaf.is_self]
        province = sum((case.final(leaf.code) or ZERO for leaf in leaves), ZERO)
        assert row["ministry"] == ministry_fields[row["code"]]
        assert row["province"] == province
        assert row["not_accepted"] == max(province - ministry_fields[row["code"]], ZERO)
        assert row["raised"] == max(ministry_fields[row["code"]] - province, ZERO)
    assert comparison["ministry_index"]["points"] == sum(ministry_fields.values(), ZERO) + sum(
        case.survey.values(), ZERO
    )
    with pytest.raises(UsageError, match="chỉ có điểm theo lĩnh vực"):
        last_year_of(out, None)  # next year's report needs the points per item


# --- through the command line, from files -----------------------------------------------------------------


@pytest.fixture
def year_end(campaign: Campaign, full_returns: Path, tmp_path: Path) -> tuple[Path, Case]:
    """A consolidated workbook merged from valid returns, the province's appraisal written into it, and the case
    (self-assessed points as returned; the Ministry's chosen by :func:`make_case`'s rule)."""
    case = make_case(campaign)
    path = tmp_path / "tong-hop.xlsx"
    merged = merge_returns(campaign, full_returns)
    write_consolidated(merged, path)
    returned = read_consolidated(path, campaign).items()
    case.self_scores = {code: i.score for code, i in returned.items() if i.score is not None}
    case.province = {c: p for c, p in case.province.items() if p <= case.self_scores[c]}  # below what was returned
    appraisals = {(PROVINCE_SCOPE, code): (score, "Tỉnh: trừ điểm") for code, score in case.province.items()}
    write_consolidated(merged, path, appraisals=appraisals)
    return path, case


def _text_of_docx(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        xml = book.read("word/document.xml").decode("utf-8")
    return " ".join(re.sub(r"<[^>]+>", "", part) for part in re.split(r"</w:p>", xml))


def test_compare_from_files_in_every_format(campaign: Campaign, year_end: tuple[Path, Case], tmp_path: Path) -> None:
    consolidated, case = year_end
    result = imported(campaign, case, tmp_path)
    total, _, departments, _ = expected(campaign, case)
    outputs = {}
    for suffix in ("docx", "html", "md", "xlsx"):
        out = tmp_path / f"so-sanh.{suffix}"
        doc = tmp_path / f"so-sanh-{suffix}.json"
        run = runner.invoke(
            app, ["result", "compare", str(consolidated), "--result", str(result), "-o", str(out), "--json", str(doc)]
        )
        assert run.exit_code == 1, run.output  # an item is absent from the Ministry's result
        outputs[suffix] = out
        document = json.loads(doc.read_text(encoding="utf-8"))
        assert Decimal(document["total"]["not_accepted"]) == total.not_accepted
        assert Decimal(document["total"]["ministry"]) == total.ministry
    first = max(departments.values(), key=lambda e: e.not_accepted)
    name = next(d.name for d in campaign.departments if departments.get(d.id) is first)
    texts = {
        "docx": _text_of_docx(outputs["docx"]),
        "html": outputs["html"].read_text(encoding="utf-8"),
        "md": outputs["md"].read_text(encoding="utf-8"),
    }
    for fmt, text in texts.items():
        assert "So sánh kết quả thẩm định Chỉ số cải cách hành chính" in text, fmt
        assert f"{fmt_points(total.not_accepted)} điểm" in text, fmt
        assert fmt_percent(percent(total.ministry, total.max)) in text, fmt
        assert name in text, fmt
        assert "Độc lập - Tự do - Hạnh phúc" in text, fmt
        # the software, hashes and rounding rule are the officer's: in the manifest, not on the pages
        assert "NGUỒN SỐ LIỆU" not in text and "parcli" not in text and "SHA-256" not in text, fmt
        assert "chưa được đối chiếu" not in text, fmt  # the catalogue caveat: the officer's, on the terminal
    with zipfile.ZipFile(outputs["xlsx"]) as book:
        workbook = book.read("xl/workbook.xml").decode("utf-8")
    assert "Theo lĩnh vực" in workbook and "Theo cơ quan" in workbook and "Theo tiêu chí thành phần" in workbook


def test_compare_writes_its_manifest(campaign: Campaign, year_end: tuple[Path, Case], tmp_path: Path) -> None:
    """The comparison records what it was made from, each input with its hash: a changed input is named."""
    consolidated, case = year_end
    result = imported(campaign, case, tmp_path)
    out = tmp_path / "so-sanh.docx"
    run = runner.invoke(
        app, ["result", "compare", str(consolidated), "--result", str(result), "-o", str(out), "--today", "2024-03-01"]
    )
    assert run.exit_code == 1, run.output
    unverified, nodes = campaign.catalogue.verification()
    assert unverified and f"{unverified}/{nodes} mục chưa được đối chiếu" in " ".join(run.output.split())
    manifest = tmp_path / "so-sanh.docx.manifest.json"
    record = load_manifest(manifest)
    assert record["kind"] == "result-compare" and record["options"]["today"] == "2024-03-01"
    roles = {entry["role"]: entry for entry in record["inputs"]}
    assert set(roles) == {"consolidated", "ministry-result", "template"}
    assert roles["ministry-result"]["sha256"] == hashlib.sha256(result.read_bytes()).hexdigest()
    assert roles["template"]["name"] == "compare.docx"
    notes = record["options"]["notes"]
    assert notes["rounding_rule"] == ROUNDING_RULE and notes["catalogue_unverified"] == f"{unverified}/{nodes}"
    assert notes["ministry_source"]["sha256"] == load_result(result).source_sha256
    # the comparison cannot be written over its own manifest's inputs, and a changed result is named
    with result.open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ManifestError, match=result.name):
        load_manifest(manifest)


def test_compare_refuses_another_years_result(campaign: Campaign, year_end: tuple[Path, Case], tmp_path: Path) -> None:
    consolidated, case = year_end
    other = next_campaign(tmp_path / "nam-sau")
    source = ministry_book(tmp_path / "kq.xlsx", campaign, case)
    out = tmp_path / "kq-2024.xlsx"
    import_result(ImportRequest(source, out, other))
    run = runner.invoke(
        app, ["result", "compare", str(consolidated), "--result", str(out), "-o", str(tmp_path / "x.md")]
    )
    assert run.exit_code == 2, run.output
    assert "hung-yen-2024" in run.output


# --- next year -----------------------------------------------------------------------------------------------


def next_campaign(folder: Path) -> Path:
    """The bundled campaign moved to the following year: id, year, every date a year later (text edits)."""
    source = default_campaign_path()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source.parent / "survey-lists.yaml", folder / "survey-lists.yaml")
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"\b(20\d\d)-(\d\d)-(\d\d)\b", lambda m: f"{int(m[1]) + 1}-{m[2]}-{m[3]}", text)
    text = text.replace("id: hung-yen-2023", "id: hung-yen-2024").replace("year: 2023", "year: 2024")
    catalogue = (source.parent / "../../criteria/par-province-2023.yaml").resolve()
    text = text.replace("catalogue: ../../criteria/par-province-2023.yaml", f"catalogue: {catalogue.as_posix()}")
    path = folder / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_next_years_plans_for_the_items_not_accepted(campaign: Campaign, tmp_path: Path) -> None:
    case = make_case(campaign)
    result = imported(campaign, case, tmp_path)
    nxt = next_campaign(tmp_path / "2024")
    _, _, _, items = expected(campaign, case)
    a, b = [leaf.code for leaf in campaign.catalogue.leaves if leaf.is_self][:2]
    mapping = tmp_path / "doi-chieu.csv"  # last year's a is this year's b and the other way round
    rows = [f"{leaf.code},{ {a: b, b: a}.get(leaf.code, leaf.code) }" for leaf in campaign.catalogue.leaves]
    mapping.write_text("ma_cu,ma_moi\n" + "\n".join(rows) + "\n", encoding="utf-8")
    plans = tmp_path / "khac-phuc"
    run = runner.invoke(
        app, ["remedy", "issue", "--result", str(result), "-c", str(nxt), "--mapping", str(mapping), "-o", str(plans)]
    )
    assert run.exit_code == 0, run.output
    tracking = tmp_path / "theo-doi.json"
    merged = runner.invoke(
        app,
        [
            "remedy",
            "merge",
            str(plans),
            "-c",
            str(nxt),
            "-o",
            str(tmp_path / "t.xlsx"),
            "--json",
            str(tracking),
            "--today",
            "2024-05-01",
        ],
    )
    assert merged.exit_code == 1, merged.output  # nothing typed yet: every remedy missing
    document = json.loads(tracking.read_text(encoding="utf-8"))
    assert document["campaign"] == "hung-yen-2024" and document["round"] == "so-bo-9-thang"
    swap = {a: b, b: a}
    wanted = {swap.get(c, c): i for c, i in items.items() if i["not_accepted"]}  # appraised below the self-assessed
    assert {i["code"] for i in document["items"]} == set(wanted)
    for item in document["items"]:
        old = swap.get(item["code"], item["code"])
        top = campaign.catalogue.leaf_by_code[old].max_points
        assert Decimal(item["lost"]) == top - case.ministry[old]
        assert item["department"] == campaign.owner_of[item["code"]].id
    same = runner.invoke(
        app, ["remedy", "issue", "--result", str(result), "-c", str(campaign.path), "-o", str(tmp_path / "x")]
    )
    assert same.exit_code == 2 and "năm sau" in same.output  # the result's own campaign: its deadlines have passed


def test_report_takes_the_ministrys_result_as_last_year(
    campaign: Campaign, year_end: tuple[Path, Case], tmp_path: Path
) -> None:
    consolidated, case = year_end
    result = imported(campaign, case, tmp_path)
    last, codes = last_year_of(result, None)
    assert codes is None
    assert set(last.items()) == set(case.ministry)  # the Ministry's figures only (survey points not given)
    out = tmp_path / "bao-cao.md"
    run = runner.invoke(app, ["report", str(consolidated), "--previous", str(result), "-o", str(out)])
    assert run.exit_code == 0, run.output
    text = out.read_text(encoding="utf-8")
    for field in campaign.catalogue.model.fields:
        leaves = [leaf for leaf in campaign.catalogue.leaves_under(field.code) if leaf.code in case.ministry]
        shown = fmt_percent(
            percent(sum((case.ministry[x.code] for x in leaves), ZERO), sum((x.max_points for x in leaves), ZERO))
        )
        line = next(line for line in text.splitlines() if line.startswith(f"| {field.code} | "))
        assert f"| {shown} |" in line, (field.code, line)
    lost = sum(
        (campaign.catalogue.leaf_by_code[c].max_points - m for c, m in case.ministry.items()),
        ZERO,
    )
    assert f"bị trừ tổng cộng {fmt_points(lost)} điểm" in text


def test_the_provinces_appraisal_from_the_appraisal_workbooks(
    campaign: Campaign, year_end: tuple[Path, Case], tmp_path: Path
) -> None:
    """``--appraisals DIR``: the province's figure is what the appraisal workbooks say (none here), not the
    consolidated workbook's appraisal column."""
    consolidated, case = year_end
    result = imported(campaign, case, tmp_path)
    folder = tmp_path / "tham-dinh"
    folder.mkdir()
    doc = tmp_path / "so-sanh.json"
    out = tmp_path / "so-sanh.md"
    args = ["result", "compare", str(consolidated), "--result", str(result), "-o", str(out), "--json", str(doc)]
    run = runner.invoke(app, [*args, "--appraisals", str(folder)])
    assert run.exit_code == 1, run.output
    document = json.loads(doc.read_text(encoding="utf-8"))
    assert document["total"]["province"] == document["total"]["self_score"]
    case.province = {}
    total, _, _, _ = expected(campaign, case)
    assert Decimal(document["total"]["not_accepted"]) == total.not_accepted
    assert document["seen"] == [] and document["caught"] == []
    # the folder is in the manifest (with each workbook it held: none here), not on the comparison's pages
    record = load_manifest(out.with_name(out.name + ".manifest.json"))
    assert "appraisal" not in [e["role"] for e in record["inputs"]]
    assert record["options"]["appraisals"] == str(folder.resolve())


@pytest.mark.parametrize("args", [[], ["TONG-HOP.xlsx", "--result", "KQ.xlsx"]])
def test_remedy_issue_takes_one_source(tmp_path: Path, args: list[str]) -> None:
    run = runner.invoke(app, ["remedy", "issue", *args, "-o", str(tmp_path / "khac-phuc")])
    assert run.exit_code == 2, run.output
    assert "--result" in run.output


def test_a_maximum_that_differs_is_an_error_but_its_points_are_compared(campaign: Campaign, tmp_path: Path) -> None:
    case = make_case(campaign)
    code = next(r for r in case.notes if case.ministry.get(r, ZERO) < case.self_scores.get(r, ZERO))  # a missed item
    top = campaign.catalogue.leaf_by_code[code].max_points
    source = ministry_book(tmp_path / "kq.xlsx", campaign, case, {code: top + 1})
    out = tmp_path / "kq-bo.xlsx"
    produced = import_result(ImportRequest(source, out, campaign.path))
    assert sorted(p.slug for p in produced.imported.problems) == ["result-item-missing", "result-max-differs"]  # type: ignore[union-attr]
    comparison = compare(campaign, consolidated_of(campaign, case), load_result(out))
    assert comparison["result_errors"] == 2
    row = next(r for r in comparison["items"] if r["code"] == code)
    assert (row["max"], row["ministry"]) == (top, case.ministry[code])  # the catalogue's maximum, the Ministry's points
    assert row["not_accepted"] == case.self_scores[code] - case.ministry[code]
