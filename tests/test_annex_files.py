"""A file given as an annex that is not a Word .docx is told for what it is, in Vietnamese, never the library's
own words ("Package not found", "content type is …", libxml2's sentences)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli import app

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})

BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><w:document '
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;'
    "</w:t></w:r></w:p></w:body></w:document>"
)


def _zip(target: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return target


CASES = {
    "empty": (lambda p: p.write_bytes(b"") or p, "tệp rỗng"),
    "old-doc": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600) or p, "Word cũ (.doc)"),
    "truncated": (lambda p: p.write_bytes(b"PK\x03\x04\x14\x00\x00\x00") or p, "không phải văn bản Word"),
    "xlsx-renamed": (
        lambda p: _zip(p, {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
        "thực chất là bảng tính Excel",
    ),
    "entity-bomb": (
        lambda p: _zip(
            p,
            {
                "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package'
                '/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
                'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                'wordprocessingml.document.main+xml"/></Types>',
                "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package'
                '/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
                "word/document.xml": BOMB,
            },
        ),
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_not_a_docx(tmp_path: Path, case: str) -> None:
    make, words = CASES[case]
    annex = tmp_path / "phu-luc.docx"
    make(annex)
    res = runner.invoke(app, ["catalogue", "import", str(annex), "-o", str(tmp_path / "bo.yaml")])
    assert res.exit_code in (1, 3), res.output
    assert "Traceback" not in res.output
    for english in ("Package not found", "content type", "Entity", "entity", "Error", "lxml"):
        assert english not in res.output, res.output
    if words is not None:
        assert words in res.output, res.output
