"""A corpus of small bad input files, generated on the fly (SYNTHETIC content).

Each case names the file, how to make its bytes, the settings it runs under (lowered limits keep
the files tiny) and a fragment the Dutch refusal must contain. Used by tests/test_bad_files.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import openpyxl

HEADER = [
    "id", "naam", "werkregio", "gemeente", "thema", "status", "ronde", "totale_kosten",
    "subsidiabele_kosten", "rijksbijdrage", "kassier", "gereed_datum",
]  # fmt: skip
GOOD = [
    "FLU-010", "Wadi Hoogeveen", "Fluvius", "GM0118", "wateroverlast", "aangevraagd", "2022",
    "900000", "900000", "300000", "Gemeente Hoogeveen", "31-12-2027",
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    name: str
    file_name: str
    make: Callable[[], bytes]
    expect: str
    env: dict[str, str] = field(default_factory=dict)


def row(**changes: str) -> list[str]:
    cells = dict(zip(HEADER, GOOD, strict=True))
    cells.update(changes)
    return [cells[c] for c in HEADER]


def csv(*rows: list[str], header: list[str] = HEADER, sep: str = ";") -> bytes:
    lines = [sep.join(header), *(sep.join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx(*rows: list[object], header: list[str] = HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "maatregelen"
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def patch(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """The same zip with one member's bytes changed (or added when missing)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in names:
            content = source.read(name)
            target.writestr(name, change(content) if name == member else content)
        if member not in names:
            target.writestr(member, change(b""))
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def _dimension(ref: str) -> Callable[[bytes], bytes]:
    return lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml)


def _formula_in(column: str, formula: str) -> Callable[[bytes], bytes]:
    """Replace cell <column>2 by a formula cell without a cached value (<v>)."""

    def change(xml: bytes) -> bytes:
        pattern = rb'<c r="' + column.encode() + rb'2"[^>]*?(?:/>|>.*?</c>)'
        cell = f'<c r="{column}2"><f>{formula}</f></c>'.encode()
        new, count = re.subn(pattern, cell, xml, count=1, flags=re.DOTALL)
        assert count == 1, "cell not found in the generated sheet"
        return new

    return change


_BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)


def _entities(xml: bytes) -> bytes:
    return _BILLION_LAUGHS + re.sub(rb"^<\?xml[^>]*\?>", b"", xml)


def _cut(xml: bytes) -> bytes:
    return xml[: len(xml) // 2]


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

IMPORT_CASES: list[Case] = [
    # -- limits, checked before the expensive work ---------------------------------------------
    Case(
        "declared-whole-sheet",
        "m.xlsx",
        lambda: patch(xlsx(row()), SHEET, _dimension("A1:XFD1048576")),
        "A1:XFD1048576",
    ),
    Case(
        "declared-too-wide",
        "m.xlsx",
        lambda: patch(xlsx(row()), SHEET, _dimension("A1:ZZ2")),
        "ADAPTATIE_MAX_COLUMNS",
    ),
    Case(
        "csv-too-many-rows",
        "m.csv",
        lambda: csv(*[row(id=f"FLU-{i:03}") for i in range(6)]),
        "ADAPTATIE_MAX_ROWS",
        {"ADAPTATIE_MAX_ROWS": "5"},
    ),
    Case(
        "xlsx-too-many-rows",
        "m.xlsx",
        lambda: xlsx(*[row(id=f"FLU-{i:03}") for i in range(6)]),
        "ADAPTATIE_MAX_ROWS",
        {"ADAPTATIE_MAX_ROWS": "5"},
    ),
    Case(
        "xlsx-rows-beyond-declared",
        "m.xlsx",
        lambda: patch(xlsx(*[row(id=f"FLU-{i:03}") for i in range(6)]), SHEET, _dimension("A1:L2")),
        "heeft gegevens in rij 7",
        {"ADAPTATIE_MAX_ROWS": "5"},
    ),
    Case(
        "upload-too-large",
        "m.csv",
        lambda: csv(row(omschrijving="x")) + b"\r\n" * (1024 * 1024 + 10),
        "ADAPTATIE_MAX_UPLOAD_MB",
        {"ADAPTATIE_MAX_UPLOAD_MB": "1"},
    ),
    Case(
        "field-too-long",
        "m.csv",
        lambda: csv(row(naam="n" * 60)),
        "ADAPTATIE_MAX_FIELD_CHARS",
        {"ADAPTATIE_MAX_FIELD_CHARS": "50"},
    ),
    Case(
        "unclosed-quote-huge-field",
        "m.csv",
        lambda: csv(row(naam='"open' + "x" * 140_000)),
        "langer dan 131.072 tekens",
    ),
    Case(
        "zip-bomb",
        "m.xlsx",
        lambda: patch(xlsx(row()), "xl/media/padding.bin", lambda _: b"\0" * (2 * 1024 * 1024)),
        "ADAPTATIE_MAX_UNZIPPED_MB",
        {"ADAPTATIE_MAX_UNZIPPED_MB": "1"},
    ),
    # -- hostile or broken workbooks -----------------------------------------------------------
    Case(
        "encrypted-xlsx",
        "m.xlsx",
        lambda: OLE + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64,
        "wachtwoord",
    ),
    Case("xls-renamed-xlsx", "m.xlsx", lambda: OLE + b"\0" * 1024, "oude Excel-formaat"),
    Case("entities-in-sheet", "m.xlsx", lambda: patch(xlsx(row()), SHEET, _entities), "DOCTYPE"),
    Case(
        "entities-in-workbook",
        "m.xlsx",
        lambda: patch(xlsx(row()), "xl/workbook.xml", _entities),
        "DOCTYPE",
    ),
    Case(
        "entities-in-content-types",
        "m.xlsx",
        lambda: patch(xlsx(row()), "[Content_Types].xml", _entities),
        "DOCTYPE",
    ),
    Case(
        "cut-sheet-xml",
        "m.xlsx",
        lambda: patch(xlsx(row()), SHEET, _cut),
        "afgebroken of beschadigd",
    ),
    Case("cut-zip", "m.xlsx", lambda: xlsx(row())[:700], "geen leesbaar Excel-bestand"),
    Case("not-a-zip", "m.xlsx", lambda: b"dit is tekst, geen werkmap", "geen leesbaar Excel"),
    Case(
        "hyperlink-without-value",
        "m.xlsx",
        lambda: patch(xlsx(row()), SHEET, _formula_in("B", 'HYPERLINK("http://x","Wadi")')),
        "formule '=HYPERLINK",
    ),
    Case(
        "formula-amount-without-value",
        "m.xlsx",
        lambda: patch(xlsx(row(totale_kosten=900000)), SHEET, _formula_in("H", "I2*1")),
        "de uitkomst niet",
    ),
    # -- values the database cannot hold the same way on both backends -------------------------
    Case("amount-1e20-csv", "m.csv", lambda: csv(row(totale_kosten="1" + "0" * 20)), "aannemelijk"),
    Case(
        "amount-1e20-xlsx",
        "m.xlsx",
        lambda: xlsx(row(totale_kosten=1e20, subsidiabele_kosten=900000)),
        "niet aannemelijk",
    ),
    Case("name-5000-chars", "m.csv", lambda: csv(row(naam="n" * 5000)), "ten hoogste 300 tekens"),
    Case(
        "gemeente-300-chars",
        "m.csv",
        lambda: csv(row(gemeente="g" * 300)),
        "ten hoogste 200 tekens",
    ),
    Case(
        "kassier-250-chars", "m.csv", lambda: csv(row(kassier="k" * 250)), "ten hoogste 200 tekens"
    ),
    # -- file type and encoding ----------------------------------------------------------------
    Case("xls-extension", "m.xls", lambda: OLE, "oude Excel-formaat (.xls)"),
    Case("ods-extension", "m.ods", lambda: b"PK\x03\x04", "wordt niet ondersteund"),
    Case("xlsx-named-csv", "m.csv", lambda: xlsx(row()), "met de extensie .csv"),
    Case("nul-bytes", "m.csv", lambda: b"id;naam\x00\x00;x\r\n", "nul-bytes"),
    Case(
        "utf16-broken",
        "m.csv",
        lambda: b"\xff\xfe" + "id;naam".encode("utf-16-le") + b"\x00",
        "tekenset",
    ),
    Case("empty-file", "m.csv", lambda: b"", "leeg"),
    Case("header-only", "m.csv", lambda: csv(), "geen maatregelen"),
    Case("blank-first-line", "m.csv", lambda: b"\r\n" + csv(row()), "rij 1 staan"),
    Case("xlsx-empty-header", "m.xlsx", lambda: xlsx(row(), header=[""] * 12), "is leeg"),
    # -- columns and cells ---------------------------------------------------------------------
    Case(
        "unknown-column",
        "m.csv",
        lambda: csv([*row(), "x"], header=[*HEADER, "kleur"]),
        "kolom 'kleur' is onbekend",
    ),
    Case("missing-columns", "m.csv", lambda: csv(["a", "b"], header=["id", "naam"]), "ontbreken"),
    Case("unrecognised-header", "m.csv", lambda: b"a|b|c\r\n1|2|3\r\n", "niet herkend"),
    Case("too-many-fields", "m.csv", lambda: csv(row(naam="Wadi;Hoogeveen")), "velden"),
    Case("bad-date", "m.csv", lambda: csv(row(gereed_datum="31-31-2027")), "bestaat niet als"),
    Case("text-date", "m.csv", lambda: csv(row(gereed_datum="eind 2027")), "geen datum"),
    Case("negative-amount", "m.csv", lambda: csv(row(totale_kosten="-5")), "negatief"),
    Case("unknown-status", "m.csv", lambda: csv(row(status="klaar")), "geen status"),
    Case("unknown-theme", "m.csv", lambda: csv(row(thema="zeespiegel")), "thema 'zeespiegel'"),
    Case("duplicate-id", "m.csv", lambda: csv(row(), row()), "staat ook in rij 2"),
    Case("mojibake", "m.csv", lambda: csv(row(naam="CafÃ© Wadi")), "verminkte tekens"),
    Case("bad-round", "m.csv", lambda: csv(row(ronde="volgend jaar")), "geen aanvraagronde"),
    Case("unknown-werkregio", "m.csv", lambda: csv(row(werkregio="Atlantis")), "onbekend"),
    Case(
        "bad-wkt",
        "m.csv",
        lambda: csv([*row(), "POINT (1 2"], header=[*HEADER, "locatie_wkt"]),
        "geen leesbare WKT-tekst",
    ),
    Case("missing-id", "m.csv", lambda: csv(row(id="")), "de id ontbreekt"),
]
