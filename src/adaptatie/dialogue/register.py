"""The risk register of a region as data: per dialogue round, theme and hotspot the acceptance
class, the owner, the actions and the decision date, and how it changed between rounds.

Built from the workshops' outcomes (:mod:`adaptatie.dialogue.workshops`). When a region held
several workshops in one round, the latest decision per theme and hotspot counts. A hotspot
picked from the computed list in both rounds is matched by its polygon (overlap), so a renamed
or re-ranked hotspot is still the same place; typed hotspots are matched by name.
"""

from __future__ import annotations

import pandas as pd
import shapely

from adaptatie.dialogue.records import ROUNDS
from adaptatie.dialogue.workshops import WorkshopBook
from adaptatie.safe_csv import csv_bytes

COLUMNS = (
    "ronde",
    "thema",
    "hotspot",
    "acceptatie",
    "eigenaar",
    "trekkers",
    "acties",
    "besluitdatum",
    "risicodialoog",
)
SEVERITY = {"": 0, "acceptabel": 1, "onwenselijk": 2, "onacceptabel": 3}


def register(book: WorkshopBook, region_kind: str, region_code: str) -> pd.DataFrame:
    """Every decision of the region's workshops (the latest per round, theme and hotspot)."""
    rows = []
    workshops = [
        w for w in book.all() if w.region_kind == region_kind and w.region_code == region_code
    ]
    for workshop in sorted(workshops, key=lambda w: (w.held_on, w.id)):
        for o in book.outcomes(workshop.id):
            rows.append(
                {
                    "ronde": workshop.dialogue_round,
                    "thema": o.theme,
                    "hotspot": o.hotspot,
                    "acceptatie": o.acceptable,
                    "eigenaar": o.owner_kind,
                    "trekkers": o.owners,
                    "acties": o.actions,
                    "besluitdatum": o.decision_date.strftime("%d-%m-%Y") if o.decision_date else "",
                    "risicodialoog": workshop.title,
                    "_wkt": o.hotspot_wkt or "",
                }
            )
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "_wkt"])
    return frame.drop_duplicates(["ronde", "thema", "hotspot"], keep="last").reset_index(drop=True)


def compare(frame: pd.DataFrame, first: int = 1, second: int = 2) -> pd.DataFrame:
    """Per theme and hotspot: the acceptance class in each round and the change
    (``strenger``, ``milder``, ``gelijk``, ``nieuw``, ``niet meer besproken``)."""
    a = frame[frame["ronde"] == first]
    b = frame[frame["ronde"] == second]
    matched_b: set[int] = set()
    rows = []
    for _, row in a.iterrows():
        j = _match(row, b, matched_b)
        other = b.loc[j] if j is not None else None
        if j is not None:
            matched_b.add(j)
        rows.append(
            _row(
                row["thema"],
                row["hotspot"],
                other["hotspot"] if other is not None else "",
                row["acceptatie"],
                other["acceptatie"] if other is not None else None,
            )
        )
    for j, row in b.iterrows():
        if j not in matched_b:
            rows.append(_row(row["thema"], "", row["hotspot"], None, row["acceptatie"]))
    return pd.DataFrame(
        rows,
        columns=[
            "thema",
            f"hotspot {ROUNDS[first]}",
            f"hotspot {ROUNDS[second]}",
            f"acceptatie {ROUNDS[first]}",
            f"acceptatie {ROUNDS[second]}",
            "verandering",
        ],
    )


def _match(row: pd.Series, others: pd.DataFrame, taken: set[int]) -> int | None:
    same_theme = others[(others["thema"] == row["thema"]) & ~others.index.isin(taken)]
    if row["_wkt"]:
        geom = shapely.from_wkt(row["_wkt"])
        best, overlap = None, 0.0
        for j, other in same_theme.iterrows():
            if other["_wkt"]:
                area = shapely.intersection(geom, shapely.from_wkt(other["_wkt"])).area
                if area > overlap:
                    best, overlap = j, area
        if best is not None:
            return best
    named = same_theme[same_theme["hotspot"] == row["hotspot"]]
    return named.index[0] if len(named) else None


def _row(theme: str, h1: str, h2: str, c1: str | None, c2: str | None) -> list[str]:
    if c1 is None:
        change = "nieuw"
    elif c2 is None:
        change = "niet meer besproken"
    elif SEVERITY[c2] > SEVERITY[c1]:
        change = "strenger"
    elif SEVERITY[c2] < SEVERITY[c1]:
        change = "milder"
    else:
        change = "gelijk"
    label = "(thema als geheel)"
    first = h1 or (label if c1 is not None else "")
    second = h2 or (label if c2 is not None else "")
    return [theme, first, second, c1 or "", c2 or "", change]


def register_csv(frame: pd.DataFrame) -> bytes:
    """The register as a formula-safe CSV (:mod:`adaptatie.safe_csv`)."""
    header = list(COLUMNS)
    return csv_bytes(header, ([str(r[h]) for h in header] for _, r in frame.iterrows()))
