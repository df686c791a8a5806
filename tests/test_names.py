"""The name resolver on the real CBS files (2017-2024) and on the synthetic world.

Expected answers are CBS facts: Hengelo (GM0164) is written 'Hengelo' until 2019 and
'Hengelo (O.)' in the 2024 file; Haren (GM0017) went into Groningen (GM0014) on 01-01-2019;
most of Winsum (GM0053) went into Het Hogeland (GM1966), a part into Westerkwartier.
"""

from __future__ import annotations

import pytest

from adaptatie.errors import AmbiguousRegionError, UnknownRegionError
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import RegionKind
from adaptatie.regions.names import NameTable


@pytest.fixture(scope="module")
def names(atlas: Atlas) -> NameTable:
    return atlas.names()


@pytest.mark.parametrize(
    "text",
    [
        "Hengelo",
        "Hengelo (O.)",
        "hengelo (o.)",
        "  HENGELO  ",
        "Gemeente Hengelo",
        "gemeente hengelo (o.)",
        "GM0164",
        "gm0164",
        "0164",
        "Gemeente GM0164",
    ],
)
def test_every_way_of_writing_hengelo_is_gm0164(names: NameTable, text: str) -> None:
    place = names.gemeente(text)
    assert (place.kind, place.code, place.name, place.year) == (
        RegionKind.GEMEENTE,
        "GM0164",
        "Hengelo (O.)",
        2024,
    )
    assert place.note == ""


def test_the_name_of_an_older_boundary_year(names: NameTable) -> None:
    assert names.gemeente("Hengelo (O.)", 2017).name == "Hengelo"
    assert names.gemeente("Hengelo", 2017).code == "GM0164"


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        ("Den Haag", "GM0518", "'s-Gravenhage"),
        ("s-Gravenhage", "GM0518", "'s-Gravenhage"),
        ("Den Bosch", "GM0796", "'s-Hertogenbosch"),
        ("Sudwest Fryslan", "GM1900", "Súdwest-Fryslân"),
        ("de Pekala's", "GM0765", "Pekela"),  # the client's alias in geodata/regions.toml
        ("Bergen (NH.)", "GM0373", "Bergen (NH.)"),
        ("Bergen (L.)", "GM0893", "Bergen (L.)"),
        ("Emmen", "GM0114", "Emmen"),
    ],
)
def test_aliases_diacritics_and_cbs_parentheticals(
    names: NameTable, text: str, code: str, name: str
) -> None:
    place = names.gemeente(text)
    assert (place.code, place.name) == (code, name)


def test_bergen_alone_is_ambiguous(names: NameTable) -> None:
    with pytest.raises(AmbiguousRegionError) as caught:
        names.gemeente("Bergen")
    assert caught.value.candidates == ("Bergen (NH.) (GM0373)", "Bergen (L.) (GM0893)")
    assert "Bergen (L.) (GM0893); Bergen (NH.) (GM0373)" in str(caught.value)
    assert "Oplossing:" in str(caught.value)


def test_a_merged_municipality_goes_to_its_successor_with_a_note(names: NameTable) -> None:
    place = names.gemeente("Haren")
    assert (place.code, place.name) == ("GM0014", "Groningen")
    assert place.note == "Haren (GM0017) is op 01-01-2019 opgegaan in Groningen (GM0014)."
    winsum = names.gemeente("Winsum")
    assert (winsum.code, winsum.name) == ("GM1966", "Het Hogeland")
    assert "grotendeels opgegaan in Het Hogeland" in winsum.note
    # Appingedam ended in 2021 (Eemsdelta); in 2019 it still existed.
    assert names.gemeente("Appingedam").name == "Eemsdelta"
    assert names.gemeente("Appingedam", 2019).code == "GM0003"


def test_unknown_names_and_codes_say_what_to_write(names: NameTable) -> None:
    with pytest.raises(UnknownRegionError, match="'Amsterdm' is geen gemeente") as caught:
        names.gemeente("Amsterdm")
    assert "Bedoelde u: Amsterdam?" in str(caught.value)
    with pytest.raises(UnknownRegionError, match="geen gemeente met CBS-code GM9999"):
        names.gemeente("GM9999")
    with pytest.raises(UnknownRegionError, match="geen gemeente ingevuld"):
        names.gemeente("Gemeente ")
    # Leerdam ended in 2019 outside the map area: no lineage there, so no guessing.
    with pytest.raises(UnknownRegionError, match=r"Leerdam \(GM0545\), die na 2018 niet meer"):
        names.gemeente("Leerdam")


def test_codes_in_another_boundary_year(names: NameTable) -> None:
    # Midden-Groningen (GM1952, 2018) was Hoogezand-Sappemeer, Menterwolde and Slochteren.
    assert names.codes_in("GM1952", 2017) == ("GM0018", "GM0040", "GM1987")
    assert names.codes_in("GM0017", 2024) == ("GM0014",)  # Haren is Groningen now
    assert names.codes_in("GM0164", 2017) == ("GM0164",)
    assert names.codes_in("GM0363", 2017) == ("GM0363",)  # Amsterdam, outside the map area


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Emmen", "Gemeente Emmen"),
        ("gemeente  emmen", "Gemeente Emmen"),
        ("GM0114", "Gemeente Emmen"),
        ("Gemeente Hengelo", "Gemeente Hengelo (O.)"),
        ("Gemeente Groningen", "Gemeente Groningen"),
        ("Provincie Groningen", "Provincie Groningen"),
        ("PV20", "Provincie Groningen"),
        ("PV22", "Provincie Drenthe"),
        ("pv23", "Provincie Overijssel"),
        ("Provincie Drenthe", "Provincie Drenthe"),
        ("Drenthe", "Provincie Drenthe"),
        ("Friesland", "Provincie Fryslân"),
    ],
)
def test_kassier_as_gemeente_or_provincie(names: NameTable, text: str, label: str) -> None:
    place = names.body(text)
    assert place is not None
    assert place.label == label


@pytest.mark.parametrize("text", ["Groningen", "Utrecht"])
def test_kassier_that_is_both_a_gemeente_and_a_provincie_is_asked_back(
    names: NameTable, text: str
) -> None:
    with pytest.raises(AmbiguousRegionError) as caught:
        names.body(text)
    assert str(caught.value) == (
        f"'{text}' kan de gemeente {text} of de provincie {text} zijn. Oplossing: schrijf "
        f"'Gemeente {text}' of 'Provincie {text}'."
    )


def test_kassier_that_is_neither(names: NameTable) -> None:
    assert names.body("Waterschap Vechtstromen") is None  # the rules say why
    assert names.body("Vitens") is None
    with pytest.raises(UnknownRegionError, match="'Gemeente Foo' is geen gemeente"):
        names.body("Gemeente Foo")
    with pytest.raises(UnknownRegionError, match="'Provincie Foo' is geen provincie"):
        names.body("Provincie Foo")


def test_synthetic_world_merger(synthetic_atlas: Atlas) -> None:
    """Beedorp (2017) went for 70 % into Nieuwdorp in 2018: its successor, partly."""
    names = synthetic_atlas.names()
    place = names.gemeente("Beedorp")
    assert (place.code, place.name, place.year) == ("GM9004", "Nieuwdorp", 2019)
    assert "grotendeels opgegaan in Nieuwdorp" in place.note
    assert names.gemeente("de Bee's", 2017).code == "GM9002"  # alias of the synthetic file
    assert names.codes_in("GM9004", 2017) == ("GM9001", "GM9002")
