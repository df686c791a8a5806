"""Municipal lineage between two boundary years, derived from area overlap.

The boundary files of different years are generalised differently: the same boundary can differ
by tens of metres, which shows up as overlaps of up to about 5 % of a municipality's area. Overlaps
are therefore judged by share, not by equality: a pair counts as a real relation when it covers at
least ``threshold`` (default 10 %) of either municipality. Smaller overlaps are generalisation
noise; real boundary corrections below the threshold are not detected (say so where it matters).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the lineage is often read back from the cache without them
    import geopandas as gpd
    import pandas as pd

DEFAULT_THRESHOLD = 0.10
KM2 = 1e6


@dataclass(frozen=True)
class Transfer:
    """Part of a municipality of one year that lies in a municipality of the other year."""

    from_code: str
    from_name: str
    to_code: str
    to_name: str
    share: float  # of the from-municipality's area
    area_km2: float


@dataclass(frozen=True)
class Change:
    """One municipality of ``to_year`` that is not simply the same municipality of ``from_year``.

    ``kind`` is ``samenvoeging`` (several predecessors), ``grenswijziging`` (received a part of
    another municipality), ``nieuwe code`` or ``nieuwe naam``.
    """

    kind: str
    to_code: str
    to_name: str
    from_codes: tuple[str, ...]
    from_names: tuple[str, ...]
    partial: tuple[Transfer, ...] = ()


@dataclass(frozen=True)
class Lineage:
    """How the municipalities of ``from_year`` relate to those of ``to_year``.

    ``pairs`` holds every significant overlap (columns ``left`` = from-code, ``right`` = to-code,
    ``area``, ``left_share``, ``right_share``). The same code works in both time directions.
    """

    from_year: int
    to_year: int
    pairs: pd.DataFrame
    from_names: dict[str, str]
    to_names: dict[str, str]

    @cached_property
    def _successors(self) -> dict[str, str]:
        largest = self.pairs.sort_values("area", ascending=False).drop_duplicates("left")
        return dict(zip(largest["left"], largest["right"], strict=True))

    def successor(self, code: str) -> str:
        """The ``to_year`` municipality that holds most of ``code``'s area."""
        return self._successors[code]

    def main_sources(self, code: str) -> tuple[str, ...]:
        """``from_year`` municipalities whose area went mostly to ``code``."""
        return tuple(sorted(c for c, target in self._successors.items() if target == code))

    @cached_property
    def _transfers(self) -> tuple[Transfer, ...]:
        return tuple(
            Transfer(
                row.left,
                self.from_names[row.left],
                row.right,
                self.to_names[row.right],
                float(row.left_share),
                float(row.area) / KM2,
            )
            for row in self.pairs.itertuples(index=False)
            if self._successors[row.left] != row.right
        )

    def transfers(self) -> tuple[Transfer, ...]:
        """Significant parts that went elsewhere than the municipality's successor."""
        return self._transfers

    def changes(self) -> tuple[Change, ...]:
        """Every ``to_year`` municipality that differs from a plain continuation."""
        transfers = self.transfers()
        out: list[Change] = []
        for code in sorted(self.to_names):
            sources = self.main_sources(code)
            partial = tuple(t for t in transfers if t.to_code == code)
            if len(sources) > 1:
                kind = "samenvoeging"
            elif partial:
                kind = "grenswijziging"
            elif len(sources) == 1 and sources[0] != code:
                kind = "nieuwe code"
            elif len(sources) == 1 and self.from_names[sources[0]] != self.to_names[code]:
                kind = "nieuwe naam"
            else:
                continue
            out.append(
                Change(
                    kind,
                    code,
                    self.to_names[code],
                    sources,
                    tuple(self.from_names[c] for c in sources),
                    partial,
                )
            )
        return tuple(out)

    @cached_property
    def _incoming(self) -> dict[str, list[tuple[str, float]]]:
        incoming: dict[str, list[tuple[str, float]]] = {}
        for left, right, area in zip(
            self.pairs["left"], self.pairs["right"], self.pairs["area"], strict=True
        ):
            incoming.setdefault(right, []).append((left, float(area)))
        return incoming

    def share_from(self, to_code: str, from_codes: set[str] | frozenset[str]) -> float:
        """Fraction of ``to_code``'s area that comes from ``from_codes`` (noise excluded).

        Only significant overlaps count, renormalised to their sum, so an unchanged municipality
        gets exactly 1.0 although the two year files do not coincide exactly.
        """
        pieces = self._incoming.get(to_code, [])
        total = sum(area for _, area in pieces)
        if total == 0:
            return 0.0
        return sum(area for left, area in pieces if left in from_codes) / total


def derive_lineage(
    from_frame: gpd.GeoDataFrame,
    to_frame: gpd.GeoDataFrame,
    from_year: int,
    to_year: int,
    threshold: float = DEFAULT_THRESHOLD,
) -> Lineage:
    """Derive the lineage between two municipal layers (columns ``code``, ``name``, geometry)."""
    from adaptatie.regions.overlap import overlap_table

    table = overlap_table(from_frame, to_frame)
    significant = (table["left_share"] >= threshold) | (table["right_share"] >= threshold)
    return Lineage(
        from_year,
        to_year,
        table[significant].reset_index(drop=True),
        dict(zip(from_frame["code"], from_frame["name"], strict=True)),
        dict(zip(to_frame["code"], to_frame["name"], strict=True)),
    )
