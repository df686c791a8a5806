"""Importing CSV and Excel files: what people have is accepted, bad files change nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from adaptatie.finance.errors import ImportRejectedError
from adaptatie.finance.imports import import_bytes, import_file, read_measures
from adaptatie.finance.ledger import Ledger
from adaptatie.finance.records import ClimateTheme, Status
from tests.finance.factories import HEADER, ROW_A, ROW_B, csv_bytes, measure


def rejected(ledger: Ledger, data: bytes, name: str = "maatregelen.csv") -> list[str]:
    """Import must fail and change nothing; returns the problem texts."""
    measures, audit = ledger.measures(), ledger.audit()
    with pytest.raises(ImportRejectedError) as caught:
        import_bytes(ledger, data, name, user="Anna")
    assert ledger.measures() == measures, "stored measures changed"
    assert ledger.audit() == audit, "audit log changed"
    assert "er is niets opgeslagen" in str(caught.value)
    return caught.value.problems


@pytest.fixture
def ledger_with_data(ledger: Ledger) -> Ledger:
    ledger.add(measure(), user="Bestaand")
    return ledger


# -- accepted files ---------------------------------------------------------------------------


def test_semicolon_utf8_bom_file(ledger: Ledger) -> None:
    result = import_bytes(ledger, csv_bytes(HEADER, ROW_A, ROW_B, bom=True), "m.csv", user="Anna")
    assert [m.id for m in result.measures] == ["FLU-010", "TWN-001"]
    a = ledger.get("FLU-010")
    assert a.werkregio == "WR-FLU" and a.status is Status.AANGEVRAAGD and a.round == 2022
    assert a.total_cost_cents == 123_456_789
    assert a.eligible_cost_cents == 90_000_000
    assert a.rijk_contribution_cents == 30_000_000
    assert a.completion_date == dt.date(2027, 12, 31)
    b = ledger.get("TWN-001")
    assert b.werkregio == "WR-TWN" and b.themes == {ClimateTheme.HITTE, ClimateTheme.WATEROVERLAST}
    assert b.completion_date == dt.date(2026, 6, 30)
    entries = ledger.audit("FLU-010")
    assert {e.action for e in entries} == {"import"} and {e.user for e in entries} == {"Anna"}
    assert "import uit m.csv (2 maatregelen)" in entries[0].note


def test_windows_1252_file(ledger: Ledger) -> None:
    row = (
        "NVS-001;Beek herstel Exloërmond;Noordelijke Vechtstromen;Borger-Odoorn;droogte;idee;;"
        "€ 12.000;€ 9.000;€ 3.000;Gemeente Borger-Odoorn;1-9-2026"
    )
    data = csv_bytes(HEADER, row, encoding="cp1252")
    assert b"\x80" in data and b"\xeb" in data  # € and ë in Windows-1252
    import_bytes(ledger, data, "oud.csv", user="Anna")
    stored = ledger.get("NVS-001")
    assert stored.name == "Beek herstel Exloërmond" and stored.total_cost_cents == 1_200_000
    assert stored.completion_date == dt.date(2026, 9, 1)


def test_comma_separated_file_with_quoted_values(ledger: Ledger) -> None:
    lines = [
        HEADER.replace(";", ","),
        'GND-001,Regenton actie,WR-GND,GM0014,"wateroverlast;droogte",aangevraagd,2023,'
        '"€ 30.000,00","30.000","€ 10.000",Gemeente Groningen,31-12-2027',
    ]
    import_bytes(ledger, csv_bytes(*lines), "komma.csv", user="Anna")
    stored = ledger.get("GND-001")
    assert stored.themes == {ClimateTheme.WATEROVERLAST, ClimateTheme.DROOGTE}
    assert stored.eligible_cost_cents == 3_000_000 and stored.rijk_contribution_cents == 1_000_000


def test_headers_are_forgiving_and_optional_columns_work(ledger: Ledger) -> None:
    header = HEADER.replace("gereed_datum", "Gereed datum").replace("thema", "Thema's")
    header += ";Omschrijving;locatie_wkt"
    row = ROW_A + ";Infiltratie in de wijk;POINT (232000 528000)"
    import_bytes(ledger, csv_bytes(header, "", row, ";;;;;;;;;;;;;"), "x.csv", user="Anna")
    stored = ledger.get("FLU-010")
    assert stored.description == "Infiltratie in de wijk"
    assert stored.location_wkt == "POINT (232000 528000)"


def xlsx_bytes(rows: list[list[object]], title: str = "Blad1") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_file_with_numbers_and_dates(ledger: Ledger) -> None:
    data = xlsx_bytes(
        [
            HEADER.split(";"),
            [
                "FLU-020",
                "Vijver",
                "WR-FLU",
                "GM1690",
                "wateroverlast",
                "Toegekend",
                2022,
                1234567.89,
                900000,
                300000,
                "Gemeente De Wolden",
                dt.datetime(2027, 12, 31),
            ],
            [None] * 12,
            [
                "FLU-021",
                "Sloot",
                "fluvius",
                "GM1690",
                "droogte",
                "idee",
                None,
                "€ 1.000",
                None,
                None,
                None,
                None,
            ],
        ]
    )
    result = import_bytes(ledger, data, "maatregelen.xlsx", user="Anna")
    assert [m.id for m in result.measures] == ["FLU-020", "FLU-021"]
    stored = ledger.get("FLU-020")
    assert stored.total_cost_cents == 123_456_789 and stored.round == 2022
    assert stored.completion_date == dt.date(2027, 12, 31)
    assert [w.code for w in result.warnings] == ["KOSTEN_ONTBREKEN"]  # idea without costs
    assert result.warnings[0].message.startswith("Rij 4, kolom subsidiabele_kosten (I): ")


def test_import_from_path(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes(HEADER, ROW_A))
    assert len(import_file(ledger, path, user="Anna").measures) == 1


# -- rejected files ---------------------------------------------------------------------------


def test_missing_column(ledger_with_data: Ledger) -> None:
    header = HEADER.replace(";rijksbijdrage", "")
    row = ROW_A.replace(";300.000", "")
    (problem,) = rejected(ledger_with_data, csv_bytes(header, row))
    assert problem.startswith("Rij 1: verplichte kolom(men) ontbreken: rijksbijdrage")


def test_unknown_column(ledger_with_data: Ledger) -> None:
    (problem,) = rejected(ledger_with_data, csv_bytes(HEADER + ";opmerking", ROW_A + ";x"))
    assert problem.startswith("Rij 1, kolom opmerking (M): kolom 'opmerking' is onbekend")


def test_non_numeric_and_negative_amounts(ledger_with_data: Ledger) -> None:
    bad = ROW_A.replace("€ 1.234.567,89", "ca. 1,2 mln").replace("€ 900.000,00", "-900000")
    problems = rejected(ledger_with_data, csv_bytes(HEADER, bad))
    assert problems[0].startswith("Rij 2, kolom totale_kosten (H): 'ca. 1,2 mln' is geen bedrag")
    assert problems[1].startswith("Rij 2, kolom subsidiabele_kosten (I): '-900000' is negatief")
    assert len(problems) == 2


def test_unknown_werkregio(ledger_with_data: Ledger) -> None:
    (problem,) = rejected(ledger_with_data, csv_bytes(HEADER, ROW_A.replace("Fluvius", "Drenthe")))
    assert problem.startswith("Rij 2, kolom werkregio (C): werkregio 'Drenthe' is onbekend")
    assert "WR-FLU (Fluvius)" in problem


def test_duplicate_ids_in_the_file(ledger_with_data: Ledger) -> None:
    (problem,) = rejected(ledger_with_data, csv_bytes(HEADER, ROW_A, ROW_B, ROW_A))
    assert problem.startswith("Rij 4, kolom id (A): id FLU-010 staat ook in rij 2")


def test_duplicate_id_against_the_database(ledger_with_data: Ledger) -> None:
    (problem,) = rejected(ledger_with_data, csv_bytes(HEADER, ROW_A.replace("FLU-010", "FLU-001")))
    assert problem.startswith("Rij 2, kolom id (A): maatregel FLU-001 bestaat al")
    assert ledger_with_data.get("FLU-001").name == "Wadi Meppel-Noord"


def test_rows_using_another_separator_than_the_header(ledger_with_data: Ledger) -> None:
    problems = rejected(ledger_with_data, csv_bytes(HEADER, ROW_A.replace(";", ","), ROW_B))
    (problem,) = problems
    assert problem.startswith("Rij 2: de rij heeft")
    assert "hetzelfde scheidingsteken als in de kopregel (';')" in problem


def test_unquoted_separator_inside_a_value(ledger_with_data: Ledger) -> None:
    row = ROW_B.replace("hitte, wateroverlast", "hitte;wateroverlast")
    (problem,) = rejected(ledger_with_data, csv_bytes(HEADER, ROW_A, row))
    assert problem.startswith("Rij 3: de rij heeft 13 velden, de kopregel 12")
    assert "aanhalingstekens" in problem


def test_unrecognised_separator(ledger_with_data: Ledger) -> None:
    (problem,) = rejected(
        ledger_with_data, csv_bytes(HEADER.replace(";", "|"), ROW_A.replace(";", "|"))
    )
    assert problem.startswith("Rij 1: de kopregel 'id|naam|werkregio")
    assert "gescheiden door ; of ," in problem


def test_bytes_that_are_neither_utf8_nor_windows_1252(ledger_with_data: Ledger) -> None:
    data = csv_bytes(HEADER, ROW_A, ROW_B, encoding="cp1252").replace(b"Groene", b"Gr\x81ne")
    (problem,) = rejected(ledger_with_data, data)
    assert problem.startswith("Rij 3: byte 0x81 is geen geldig teken in UTF-8 of Windows-1252")


def test_utf16_without_bom_and_excel_renamed(ledger_with_data: Ledger) -> None:
    utf16 = "\r\n".join([HEADER, ROW_A]).encode("utf-16-le")
    assert "nul-bytes" in rejected(ledger_with_data, utf16)[0]
    renamed = xlsx_bytes([HEADER.split(";")])
    assert "Excel-bestand (.xlsx) met de extensie .csv" in rejected(ledger_with_data, renamed)[0]


def test_utf16_with_bom_is_read(ledger: Ledger) -> None:
    data = "\r\n".join([HEADER.replace(";", "\t"), ROW_A.replace(";", "\t")]).encode("utf-16")
    import_bytes(ledger, data, "unicode-tekst.txt", user="Anna")
    assert ledger.get("FLU-010").total_cost_cents == 123_456_789


def test_double_encoded_text(ledger_with_data: Ledger) -> None:
    row = ROW_A.replace("Wadi Hoogeveen", "Wadi ExloÃ«rmond")
    (problem,) = rejected(ledger_with_data, csv_bytes(HEADER, row))
    assert problem.startswith("Rij 2, kolom naam (B): de tekst 'Wadi ExloÃ«rmond' bevat verminkte")


def test_all_errors_are_listed_at_once(ledger_with_data: Ledger) -> None:
    rows = [
        ROW_A.replace("31-12-2027", "31-02-2027"),  # row 2: no such date
        ROW_B.replace("toegekend", "klaar"),  # row 3: unknown status
        ROW_A.replace("FLU-010", "").replace("wateroverlast", "bodemdaling"),  # row 4: two
        ROW_A.replace("FLU-010", "FLU-011").replace("300.000", "300.001"),  # row 5: > 1/3
    ]
    problems = rejected(ledger_with_data, csv_bytes(HEADER, *rows))
    places = [p.split(":")[0] for p in problems]
    assert places == [
        "Rij 2, kolom gereed_datum (L)",
        "Rij 3, kolom status (F)",
        "Rij 4, kolom id (A)",
        "Rij 4, kolom thema (E)",
        "Rij 5, kolom rijksbijdrage (J)",
    ]
    assert "[EENDERDE]" in problems[-1] and "€ 300.001,00" in problems[-1]


def test_rules_apply_to_file_and_stored_data_together(ledger_with_data: Ledger) -> None:
    # stored: EUR 100.000 for Fluvius; the file adds EUR 4.900.000,01 -> one cent over
    big = ROW_A.replace("€ 1.234.567,89", "14.700.000,03").replace("€ 900.000,00", "14.700.000,03")
    big = big.replace("300.000", "4.900.000,01")
    (problem,) = rejected(ledger_with_data, csv_bytes(HEADER, big))
    assert "[TOEWIJZING_OVERSCHREDEN]" in problem and "€ 5.000.000,01" in problem
    exact = big.replace("4.900.000,01", "4.900.000,00")
    import_bytes(ledger_with_data, csv_bytes(HEADER, exact), "m.csv", user="Anna")
    assert ledger_with_data.totals()[2].planned_rijk_cents == 5_000_000_00


def test_heat_only_and_late_rows_are_rejected_with_row_numbers(ledger_with_data: Ledger) -> None:
    rows = [
        ROW_B.replace("hitte, wateroverlast", "hitte"),
        ROW_A.replace("31-12-2027", "01-01-2028"),
    ]
    problems = rejected(ledger_with_data, csv_bytes(HEADER, *rows))
    assert problems[0].startswith("Rij 2, kolom thema (E): Maatregel TWN-001")
    assert "[ALLEEN_HITTE]" in problems[0]
    assert problems[1].startswith("Rij 3, kolom gereed_datum (L): Maatregel FLU-010")
    assert "[GEREED_TE_LAAT]" in problems[1]


@pytest.mark.parametrize(
    ("name", "says"),
    [("m.xls", "oude Excel-formaat"), ("m.ods", "wordt niet ondersteund")],
)
def test_unsupported_file_types(ledger_with_data: Ledger, name: str, says: str) -> None:
    assert says in rejected(ledger_with_data, b"whatever", name)[0]


def test_broken_excel_file(ledger_with_data: Ledger) -> None:
    assert "geen leesbaar Excel-bestand" in rejected(ledger_with_data, b"PK\x03\x04xx", "m.xlsx")[0]


def test_header_only_and_empty_files(ledger_with_data: Ledger) -> None:
    assert "geen maatregelen" in rejected(ledger_with_data, csv_bytes(HEADER))[0]
    assert "leeg" in rejected(ledger_with_data, b"")[0]


def test_reading_never_raises_for_bad_content(ledger: Ledger) -> None:
    parsed = read_measures(b"\x00\x01\x02", "x.csv", ledger.werkregios)
    assert parsed.rows == [] and parsed.problems


def test_conflicting_write_between_check_and_store_still_rejects_with_rows(
    ledger: Ledger, monkeypatch
) -> None:
    """If someone stores the same id after the file was checked, the ledger's own check wins."""
    from adaptatie.finance import imports as finance_io

    real_check = finance_io.check_import

    def check_then_someone_else_saves(parsed, stored, allocations):
        outcome = real_check(parsed, stored, allocations)
        ledger.add(measure(id="FLU-010"), user="Bob")
        return outcome

    monkeypatch.setattr(finance_io, "check_import", check_then_someone_else_saves)
    with pytest.raises(ImportRejectedError) as caught:
        import_bytes(ledger, csv_bytes(HEADER, ROW_B, ROW_A), "m.csv", user="Anna")
    (problem,) = caught.value.problems
    assert problem.startswith("Rij 3, kolom id (A): Maatregel FLU-010")
    assert "[ID_BESTAAT_AL]" in problem
    assert [m.id for m in ledger.measures()] == ["FLU-010"]
