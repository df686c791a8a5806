"""The plain sentences of the maps' text alternatives (counts worked out by hand)."""

from __future__ import annotations

from adaptatie.ui.text_alternative import (
    measures_sentences,
    progress_sentences,
    waterkaart_sentences,
)


def test_progress_sentences_count_the_steps() -> None:
    # five municipalities: two without steps, one with 1, two with all 4
    first, _ = progress_sentences([0, 4, 1, 0, 4], 2024)
    assert first == (
        "Van de 5 gemeenten (indeling 2024): 2 met 4 van 4, 0 met 3 van 4, 0 met 2 van 4, "
        "1 met 1 van 4, 2 met 0 van 4 stappen gezet."
    )


def test_measures_sentences() -> None:
    assert measures_sentences(2, 5, {"idee": 1, "toegekend": 1, "gerealiseerd": 0}) == [
        "De kaart toont 2 van de 5 maatregelen (die met een locatie).",
        "Naar status: 1 idee, 1 toegekend.",
    ]


def test_waterkaart_sentences_name_the_layer_only_when_one_is_shown() -> None:
    plain = waterkaart_sentences(2024, 51, 3, None)
    assert plain[0].startswith("De kaart toont de 51 gemeenten van grensjaar 2024 en de 3")
    assert "toetsenbord" in plain[1]
    assert len(plain) == 2
    layered = waterkaart_sentences(2024, 51, 3, "Hitte · hete dag")
    assert "stresstestlaag Hitte · hete dag" in layered[2]
