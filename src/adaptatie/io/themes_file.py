"""Read the stress-test themes file (``geodata/stresstest.toml``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from adaptatie.errors import DataFileError
from adaptatie.io.versions import read_toml_file
from adaptatie.stresstest.themes import THEME_KEYS, Classes, Theme


def read_themes(path: Path) -> dict[str, Theme]:
    """All themes, checked: ascending edges, one label and colour per class."""
    data = read_toml_file(
        path, "het bestand met stresstestthema's", "zet geodata/stresstest.toml terug uit git."
    )
    themes = {}
    for key in THEME_KEYS:
        entry = data.get("theme", {}).get(key)
        if entry is None:
            raise DataFileError(path, f"thema '{key}' ontbreekt.", f"voeg [theme.{key}] toe.")
        themes[key] = _theme(key, entry, path)
    return themes


def _theme(key: str, entry: dict[str, Any], path: Path) -> Theme:
    def fail(problem: str, fix: str) -> DataFileError:
        return DataFileError(path, f"thema '{key}': {problem}", fix)

    edges = tuple(float(e) for e in entry.get("edges", []))
    labels = tuple(str(x) for x in entry.get("labels", []))
    colours = tuple(str(c) for c in entry.get("colours", []))
    if list(edges) != sorted(set(edges)):
        raise fail("de klassengrenzen (edges) lopen niet strikt op.", "zet ze van laag naar hoog.")
    if len(labels) != len(edges) + 1 or len(colours) != len(edges) + 1:
        raise fail(
            f"{len(edges)} grenzen geven {len(edges) + 1} klassen, maar er zijn {len(labels)} "
            f"namen en {len(colours)} kleuren.",
            "geef elke klasse één naam (labels) en één kleur (colours).",
        )
    bad = [c for c in colours if not re.fullmatch(r"#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?", c)]
    if bad:
        raise fail(f"ongeldige kleur(en): {', '.join(bad)}.", "gebruik #rrggbb of #rrggbbaa.")
    thresholds = tuple(float(t) for t in entry.get("thresholds", []))
    threshold_labels = tuple(str(t) for t in entry.get("threshold_labels", []))
    if len(thresholds) != len(threshold_labels):
        raise fail(
            "elke drempel (thresholds) heeft één omschrijving nodig.", "vul threshold_labels aan."
        )
    units = {str(u): (float(r[0]), float(r[1])) for u, r in entry.get("units", {}).items()}
    if entry.get("unit") not in units:
        raise fail(
            "de eenheid (unit) staat niet in units.", "voeg de eenheid met bereik toe aan units."
        )
    return Theme(
        key=key,
        label=str(entry.get("label", key)),
        quantity=str(entry.get("quantity", "")),
        unit=str(entry["unit"]),
        units=units,
        classes=Classes(edges, labels, colours),
        thresholds=thresholds,
        threshold_labels=threshold_labels,
        scenarios=tuple(str(s) for s in entry.get("scenarios", [])),
    )
