"""Seeded mutations of a zip container (a workbook, a package): the damage the fuzz tests feed every reader.

Each mutation takes the original bytes and a :class:`random.Random` and returns one damaged copy: a byte
flipped (compressed or not), XML truncated or malformed, a shared-string index out of range, a huge dimension
or a far cell, control characters, a part deleted or stored twice.  :func:`mutants` cycles through them.
``COUNT`` (``PARCLI_FUZZ``) and ``SEED`` (``PARCLI_FUZZ_SEED``) set the size of a run; :func:`fuzz_count`
gives each reader's quick default when ``PARCLI_FUZZ`` is not set.
"""

from __future__ import annotations

import io
import os
import random
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from typing import Any

COUNT = int(os.environ.get("PARCLI_FUZZ", "60"))
SEED = int(os.environ.get("PARCLI_FUZZ_SEED", "12"))


def fuzz_count(quick: int) -> int:
    """``PARCLI_FUZZ`` when set (the long run), else ``quick`` (the share of ``make test``)."""
    return int(os.environ["PARCLI_FUZZ"]) if os.environ.get("PARCLI_FUZZ") else quick


Members = list[tuple[str, bytes]]


def members_of(data: bytes) -> Members:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


FIXED_ZIP_TIME = (2024, 1, 15, 8, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def zip_of(members: Members) -> bytes:
    """A zip of ``members`` with fixed time stamps, so the same members always give the same bytes.

    openpyxl stamps the save time into ``docProps/core.xml`` and zipfile stamps every entry: left as they
    are, the bytes (and so where a seeded mutation lands) would change from one run to the next.
    """
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name (duplicate-part)
        for name, body in members:
            if name == "docProps/core.xml":
                body = _CORE_TIMES.sub(rb"\g<1>2024-01-15T08:00:00Z\g<2>", body)
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            archive.writestr(info, body, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def stable(data: bytes) -> bytes:
    """The same workbook with its time stamps fixed (see :func:`zip_of`): the seeded mutants of every run agree."""
    return zip_of(members_of(data))


def xml_members(members: Members) -> list[int]:
    return [i for i, (name, _) in enumerate(members) if name.endswith((".xml", ".rels"))]


def sheets_of(members: Members) -> list[int]:
    return [i for i, (name, _) in enumerate(members) if "/worksheets/" in name and name.endswith(".xml")]


def flip_compressed(data: bytes, rng: random.Random) -> bytes:
    """Flip a byte anywhere in the file (compressed data, headers, central directory)."""
    buffer = bytearray(data)
    position = rng.randrange(len(buffer))
    buffer[position] ^= 1 << rng.randrange(8)
    return bytes(buffer)


def flip_member(data: bytes, rng: random.Random) -> bytes:
    """Flip a byte in the uncompressed text of one member."""
    members = members_of(data)
    index = rng.randrange(len(members))
    name, body = members[index]
    if body:
        raw = bytearray(body)
        raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
        members[index] = (name, bytes(raw))
    return zip_of(members)


def truncate_xml(data: bytes, rng: random.Random) -> bytes:
    """Cut one XML part anywhere."""
    members = members_of(data)
    index = rng.choice(xml_members(members))
    name, body = members[index]
    members[index] = (name, body[: rng.randrange(len(body) + 1)])
    return zip_of(members)


def malformed_xml(data: bytes, rng: random.Random) -> bytes:
    """Unbalanced tags, a stray ampersand or a bad attribute in one XML part."""
    members = members_of(data)
    index = rng.choice(xml_members(members))
    name, body = members[index]
    junk = rng.choice([b"<", b"&", b"</x>", b'<c r="A1" t="s"><v>x</v>', b"\x00", b"<row r='-1'>", b"\xff\xfe"])
    position = rng.randrange(len(body) + 1)
    members[index] = (name, body[:position] + junk + body[position:])
    return zip_of(members)


def shared_string_out_of_range(data: bytes, rng: random.Random) -> bytes:
    """A shared-string cell pointing past the table."""
    members = members_of(data)
    for index in sheets_of(members):
        name, body = members[index]
        big = str(rng.choice([10**6, 2**31, 2**40, 99999])).encode()
        pattern = rb'(t="s"[^>]*><v>)\d+(</v>)'
        body = re.sub(pattern, lambda m, big=big: m[1] + big + m[2], body, count=rng.randint(1, 3))
        members[index] = (name, body)
    return zip_of(members)


def huge_dimension(data: bytes, rng: random.Random) -> bytes:
    """A dimension or a far cell at the sheet limit in one sheet (the hidden metadata sheet too)."""
    members = members_of(data)
    index = rng.choice(sheets_of(members))
    name, body = members[index]
    far = rng.choice(["XFD1048576", "A1048576", "XFD1", "ZZ99999"])
    if rng.random() < 0.5:
        if b"<dimension" in body:
            body = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="A1:{far}"'.encode(), body)
        else:
            body = body.replace(b"<sheetData", f'<dimension ref="A1:{far}"/><sheetData'.encode(), 1)
    else:
        row = re.sub(r"[A-Z]+", "", far)
        cell = f'<row r="{row}"><c r="{far}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
        body = body.replace(b"</sheetData>", cell + b"</sheetData>", 1)
    members[index] = (name, body)
    return zip_of(members)


def control_characters(data: bytes, rng: random.Random) -> bytes:
    """Control characters (escaped and raw) in shared strings and inline text."""
    members = members_of(data)
    for index, (name, body) in enumerate(members):
        if name.endswith("sharedStrings.xml"):
            junk = rng.choice([b"_x000B_", b"_x000C_", b"_x0001_", b"\x0b", b"\x1f"])
            members[index] = (name, body.replace(b"</t>", junk + b"</t>", rng.randint(1, 20)))
    return zip_of(members)


def delete_part(data: bytes, rng: random.Random) -> bytes:
    """One part removed."""
    members = members_of(data)
    del members[rng.randrange(len(members))]
    return zip_of(members)


def duplicate_part(data: bytes, rng: random.Random) -> bytes:
    """One part stored twice (the second copy damaged or not)."""
    members = members_of(data)
    name, body = members[rng.randrange(len(members))]
    copy = body if rng.random() < 0.5 else body[: len(body) // 2]
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        for member_name, member_body in members:
            archive.writestr(member_name, member_body)
        archive.writestr(name, copy)
    return buffer.getvalue()


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip-compressed": flip_compressed,
    "flip-member": flip_member,
    "truncate-xml": truncate_xml,
    "malformed-xml": malformed_xml,
    "shared-string-out-of-range": shared_string_out_of_range,
    "huge-dimension": huge_dimension,
    "control-characters": control_characters,
    "delete-part": delete_part,
    "duplicate-part": duplicate_part,
}


def mutants(original: bytes, count: int, seed: int) -> list[tuple[str, bytes]]:
    """``count`` seeded mutants of ``original``, cycling through the mutations."""
    rng = random.Random(seed)
    names = sorted(MUTATIONS)
    return [(names[i % len(names)], MUTATIONS[names[i % len(names)]](original, rng)) for i in range(count)]


# Mutations whose result can be a well-formed workbook a person could have typed (a digit flipped in a value,
# a control character in a text): what is read may differ without a problem.  Every other mutation either
# leaves what is read unchanged or must be reported.
EDIT_LIKE = frozenset({"flip-member", "control-characters"})
# Known limitation: python-calamine (quick-xml) takes a few malformed tags inside a cell's text (``<t<row r='-1'>>``)
# as an empty text instead of failing; a strict XML parse of every sheet would cost the report its time budget.
# Counted apart (``lenient``) rather than hidden.
LENIENT = frozenset({"malformed-xml"})


def kind_mutants(original: bytes, kind: str, count: int, seed: int) -> list[bytes]:
    """``count`` seeded mutants of ``original`` by one mutation."""
    rng = random.Random(f"{seed}:{kind}")
    return [MUTATIONS[kind](original, rng) for _ in range(count)]


def per_kind(total: int) -> int:
    """Mutants of each kind when ``total`` are spread over every mutation (at least one)."""
    return max(1, -(-total // len(MUTATIONS)))


def judge(kind: str, problems: list[Any], name: str, read: Any, original: Any) -> str:
    """How one mutant was taken: ``error`` (refused), ``read`` (as the original) or ``edited`` (an edit-like
    mutation read as typed).  Fails when a problem is not on the file or has no catalogued slug, or when the
    mutant is read differently from the original without an error."""
    from parcli.problems import SLUGS

    assert all(p.file == name and p.slug in SLUGS and p.message for p in problems), (kind, problems)
    if any(p.is_error for p in problems):
        return "error"
    if read == original:
        return "read"
    if kind in LENIENT:
        return "lenient"
    assert kind in EDIT_LIKE, f"{kind}: read differently without a problem:\n{read}\n!=\n{original}"
    return "edited"


def summary(title: str, figures: Counter[str]) -> str:
    """One line of figures for the long run."""
    parts = ", ".join(f"{k}={v}" for k, v in sorted(figures.items()))
    return f"\nfuzz ({title}): {sum(figures.values())} mutants, seed {SEED}, 0 tracebacks; {parts}"


def shared_strings(data: bytes) -> bytes:
    """The same workbook with its inline strings moved into a shared-string table, as Excel saves it (openpyxl
    writes inline strings, which the shared-string mutations would not reach)."""
    members = members_of(data)
    table: dict[bytes, int] = {}

    def share(match: re.Match[bytes]) -> bytes:
        index = table.setdefault(match[2], len(table))
        return match[1] + b't="s"><v>' + str(index).encode() + b"</v></c>"

    inline = re.compile(rb'(<c [^>]*?)t="inlineStr"[^>]*><is><t[^>]*>(.*?)</t></is></c>', re.S)
    members = [(n, inline.sub(share, b) if n in {members[i][0] for i in sheets_of(members)} else b) for n, b in members]
    if not table:
        return data
    items = b"".join(b'<si><t xml:space="preserve">' + text + b"</t></si>" for text in table)
    sst = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (len(table), len(table))
        + items
        + b"</sst>"
    )
    out = []
    for name, body in members:
        if name == "[Content_Types].xml":
            body = body.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        elif name == "xl/_rels/workbook.xml.rels":
            body = body.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
            )
        out.append((name, body))
    out.append(("xl/sharedStrings.xml", sst))
    return zip_of(out)


# Package mutations: the damage a whole ``.zip`` package takes in transit (its members are not XML, so the
# workbook-only mutations do not apply).  :func:`package_mutants` draws them like :func:`kind_mutants`.


def truncate_file(data: bytes, rng: random.Random) -> bytes:
    """The file cut anywhere (a download stopped half-way)."""
    return data[: rng.randrange(len(data))]


def _damage_records(data: bytes, rng: random.Random, signature: bytes, length: int) -> bytes:
    buffer = bytearray(data)
    starts = [m.start() for m in re.finditer(re.escape(signature), data)]
    if not starts:
        return flip_compressed(data, rng)
    start = rng.choice(starts)
    for _ in range(rng.randint(1, 4)):  # a size, an offset, a name length, a name byte
        position = start + rng.randrange(4, min(length, len(buffer) - start))
        buffer[position] = rng.randrange(256)
    return bytes(buffer)


def damage_central(data: bytes, rng: random.Random) -> bytes:
    """Bytes of one central-directory record overwritten (sizes, offsets, lengths, the name)."""
    return _damage_records(data, rng, b"PK\x01\x02", 64)


def damage_local(data: bytes, rng: random.Random) -> bytes:
    """Bytes of one local file header overwritten (method, CRC, sizes, the name)."""
    return _damage_records(data, rng, b"PK\x03\x04", 48)


PACKAGE_MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip-compressed": flip_compressed,
    "flip-member": flip_member,
    "truncate-file": truncate_file,
    "damage-central": damage_central,
    "damage-local": damage_local,
    "delete-part": delete_part,
    "duplicate-part": duplicate_part,
}


def package_mutants(original: bytes, kind: str, count: int, seed: int) -> list[bytes]:
    """``count`` seeded mutants of a package's bytes by one package mutation."""
    rng = random.Random(f"{seed}:package:{kind}")
    return [PACKAGE_MUTATIONS[kind](original, rng) for _ in range(count)]
