"""What a written municipality or province name means: one resolver for forms, imports, views.

:class:`NameTable` maps a text to a CBS municipality (code and official name of a boundary year)
by, in this order (the first step that finds anything decides):

1. the CBS code (``GM0164``, ``gm0164`` or ``0164``);
2. the official name in the newest boundary year, then in any boundary year of the source
   folder (case, spacing, punctuation and diacritics ignored, and a leading ``Gemeente``);
3. an alias: those of ``geodata/regions.toml`` and :data:`COMMON_ALIASES` (``Den Haag``);
4. the official name without the CBS parenthetical (``Hengelo`` for ``Hengelo (O.)``).

A step that finds several municipalities raises :class:`AmbiguousRegionError` (``Bergen`` is
Bergen (L.) or Bergen (NH.)); nothing found raises :class:`UnknownRegionError`, with close names.
A municipality that no longer exists is followed to its successor (where most of its area went,
from the lineage of the boundary files) and the answer says so (``Haren`` -> ``Groningen`` since
2019). Successors are known inside the map area only; outside it an old name is refused.

Provinces work the same way (``PV22``, ``Drenthe``, ``Provincie Drenthe``). :meth:`NameTable.body`
reads a kassier: ``Gemeente Emmen``, ``Provincie Drenthe``, a code, or a bare name that is one of
the two; ``Groningen`` alone (gemeente or provincie?) is asked back.

The table is plain data (picklable, no geopandas); build it with :func:`build_name_table`, or use
:meth:`adaptatie.regions.atlas.Atlas.names`, which keeps it on disk.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from adaptatie.errors import AmbiguousRegionError, UnknownRegionError
from adaptatie.regions.lookup import normalise
from adaptatie.regions.models import RegionKind

if TYPE_CHECKING:
    from adaptatie.regions.atlas import Atlas

#: Names people use that are neither the CBS name nor the CBS name without its parenthetical
#: (alias -> CBS code). The client's own aliases are in ``geodata/regions.toml``.
COMMON_ALIASES: dict[str, str] = {
    "Den Haag": "GM0518",
    "Den Bosch": "GM0796",
    "Nuenen": "GM0820",
    "Friesland": "PV21",
}

_GM_CODE = re.compile(r"(?:gm)?\s*(\d{4})", re.IGNORECASE)
_PV_CODE = re.compile(r"pv\s*(\d{2})", re.IGNORECASE)
_PARENTHETICAL = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class Place:
    """A municipality or province as resolved: its code and official name in ``year``.

    ``note`` (Dutch) says why the answer is not simply the name that was written, for example
    that the municipality was merged into another one.
    """

    kind: RegionKind
    code: str
    name: str
    year: int
    note: str = ""

    @property
    def label(self) -> str:
        """``Gemeente Emmen`` or ``Provincie Drenthe``: how a kassier is stored."""
        return f"{self.kind.label} {self.name}"


@dataclass(frozen=True)
class Merger:
    """A municipality that ended: most of its area is in ``successor`` from ``year`` on."""

    successor: str
    year: int
    partial: bool = False  # a significant part went to another municipality


@dataclass(frozen=True)
class NameTable:
    """Municipality names per boundary year, provinces, aliases and mergers (see the module)."""

    gemeenten: Mapping[int, Mapping[str, str]]  # year -> CBS code -> official name
    provincies: Mapping[str, str] = field(default_factory=dict)  # PV code -> name
    aliases: Mapping[str, str] = field(default_factory=dict)  # alias -> GM or PV code
    mergers: Mapping[str, Merger] = field(default_factory=dict)  # ended GM code -> successor

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.gemeenten))

    @property
    def newest(self) -> int:
        return max(self.gemeenten)

    # --- municipalities --------------------------------------------------------------------------

    def gemeente(self, text: str, year: int | None = None) -> Place:
        """The municipality of boundary year ``year`` (default: the newest) that ``text`` means."""
        target = self.newest if year is None else year
        return self._in_year(self.code(text), target, text)

    def code(self, text: str) -> str:
        """The CBS code of the municipality ``text`` names, in whatever year it existed
        (``Haren`` is GM0017); raises as :meth:`gemeente` does."""
        return self._gemeente_code(text)

    def codes_in(self, code: str, year: int) -> tuple[str, ...]:
        """The municipalities of ``year`` that make up municipality ``code`` (of any year).

        The same code when it exists in ``year``; its successor when it ended before ``year``;
        the municipalities that were merged into it when it is younger than ``year``; empty when
        the table cannot tell (outside the map area).
        """
        if code in self.gemeenten.get(year, {}):
            return (code,)
        later = self._forward(code, year)
        if later is not None:
            return (later,)
        first = next((y for y in self.years if y > year and code in self.gemeenten[y]), None)
        if first is None or year not in self.gemeenten:
            return ()
        return tuple(c for c in sorted(self.gemeenten[year]) if self._forward(c, first) == code)

    # --- provinces and kassiers ------------------------------------------------------------------

    def provincie(self, text: str) -> Place:
        """The province that ``text`` means (``PV22``, ``Drenthe``, ``Provincie Drenthe``)."""
        key = _strip_prefix(normalise(text), "provincie")
        found = self._provincie_codes(key)
        if len(found) == 1:
            return self._province(found[0])
        if not key:
            raise UnknownRegionError(
                "Er is geen provincie ingevuld. Oplossing: schrijf bijv. 'Provincie Drenthe' "
                "of PV22."
            )
        close = difflib.get_close_matches(
            key, [normalise(n) for n in self.provincies.values()], n=3, cutoff=0.6
        )
        names = {normalise(n): n for n in self.provincies.values()}
        hint = f" Bedoelde u: {', '.join(names[c] for c in close)}?" if close else ""
        raise UnknownRegionError(
            f"'{_clean(text)}' is geen provincie.{hint} Oplossing: schrijf de naam van een "
            "provincie (bijv. 'Provincie Drenthe') of de CBS-code (PV20 t/m PV31).",
            tuple(names[c] for c in close),
        )

    def body(self, text: str) -> Place | None:
        """The municipality or province a kassier text names; ``None`` when it names neither
        (a water board, a company: :func:`adaptatie.finance.rules.kassier_problem` says why).

        Raises :class:`AmbiguousRegionError` for a bare name that is both (``Groningen``) or
        several municipalities, :class:`UnknownRegionError` for ``Gemeente X`` or ``Provincie X``
        with an unknown X, or an unknown code.
        """
        key = normalise(text)
        if key.startswith("gemeente ") or _GM_CODE.fullmatch(_clean(text)):
            return self.gemeente(text)
        if key.startswith("provincie ") or _PV_CODE.fullmatch(_clean(text)):
            return self.provincie(text)
        try:
            gemeente: Place | None = self.gemeente(text)
        except UnknownRegionError:
            gemeente = None
        provincie = self._provincie_codes(key)
        if gemeente is not None and provincie:
            name = _clean(text)
            raise AmbiguousRegionError(
                f"'{name}' kan de gemeente {gemeente.name} of de provincie "
                f"{self.provincies[provincie[0]]} zijn. Oplossing: schrijf 'Gemeente "
                f"{gemeente.name}' of 'Provincie {self.provincies[provincie[0]]}'.",
                (gemeente.label, f"Provincie {self.provincies[provincie[0]]}"),
            )
        if gemeente is not None:
            return gemeente
        if len(provincie) == 1:
            return self._province(provincie[0])
        return None

    # --- internals -------------------------------------------------------------------------------

    @cached_property
    def _names(self) -> dict[str, dict[int, set[str]]]:
        """Normalised official name -> year -> codes."""
        out: dict[str, dict[int, set[str]]] = {}
        for year, names in self.gemeenten.items():
            for code, name in names.items():
                out.setdefault(normalise(name), {}).setdefault(year, set()).add(code)
        return out

    @cached_property
    def _short(self) -> dict[str, set[str]]:
        """Normalised official name without its parenthetical -> codes (any year)."""
        out: dict[str, set[str]] = {}
        for names in self.gemeenten.values():
            for code, name in names.items():
                out.setdefault(normalise(_PARENTHETICAL.sub("", name)), set()).add(code)
        return out

    @cached_property
    def _alias_codes(self) -> dict[str, str]:
        return {normalise(alias): code for alias, code in self.aliases.items()}

    @cached_property
    def _all_codes(self) -> dict[str, str]:
        """Every municipal code -> its name in the last year it existed."""
        out: dict[str, str] = {}
        for year in self.years:
            out.update(self.gemeenten[year])
        return out

    def _gemeente_code(self, text: str) -> str:
        written = _clean(text)
        bare = re.sub(r"^gemeente\s+", "", written, flags=re.IGNORECASE)
        code_match = _GM_CODE.fullmatch(bare)
        if code_match:
            code = f"GM{code_match.group(1)}"
            if code in self._all_codes:
                return code
            raise UnknownRegionError(
                f"Er is geen gemeente met CBS-code {code} in de grensjaren "
                f"{self.years[0]}–{self.newest}. Oplossing: controleer de code, of schrijf de "
                "naam van de gemeente."
            )
        key = _strip_prefix(normalise(text), "gemeente")
        if not key:
            raise UnknownRegionError(
                "Er is geen gemeente ingevuld. Oplossing: schrijf de naam of de CBS-code, "
                "bijv. 'Enschede' of GM0153."
            )
        by_year = self._names.get(key, {})
        steps = [
            by_year.get(self.newest, set()),
            set().union(*by_year.values()) if by_year else set(),
            {c} if (c := self._alias_codes.get(key, "")).startswith("GM") else set(),
            self._short.get(key, set()),
        ]
        for codes in steps:
            codes = self._collapse(codes)
            if len(codes) == 1:
                return next(iter(codes))
            if codes:
                listing = "; ".join(
                    f"{self._all_codes[c]} ({c})"
                    for c in sorted(codes, key=lambda c: self._all_codes[c])
                )
                example = self._all_codes[min(codes, key=lambda c: self._all_codes[c])]
                raise AmbiguousRegionError(
                    f"'{written}' kan meerdere gemeenten zijn: {listing}. Oplossing: schrijf de "
                    f"naam zoals CBS hem schrijft (bijv. '{example}') of de CBS-code.",
                    tuple(f"{self._all_codes[c]} ({c})" for c in sorted(codes)),
                )
        labels = {normalise(n): n for n in self._all_codes.values()}
        close = difflib.get_close_matches(key, list(labels), n=3, cutoff=0.75)
        hint = f" Bedoelde u: {', '.join(labels[c] for c in close)}?" if close else ""
        raise UnknownRegionError(
            f"'{written}' is geen gemeente in de CBS-indeling {self.years[0]}–{self.newest}."
            f"{hint} Oplossing: schrijf de naam zoals CBS hem schrijft (bijv. 'Hengelo (O.)') "
            "of de CBS-code (bijv. GM0164).",
            tuple(labels[c] for c in close),
        )

    def _collapse(self, codes: set[str]) -> set[str]:
        """Drop codes whose municipality ended in another code of the set (old and new name)."""
        return {c for c in codes if not set(self._successors(c)) & (codes - {c})}

    def _successors(self, code: str) -> list[str]:
        """The municipalities an ended ``code`` went into, one merger after the other."""
        chain: list[str] = []
        while (merger := self.mergers.get(code)) is not None and merger.successor not in chain:
            code = merger.successor
            chain.append(code)
        return chain

    def _forward(self, code: str, year: int) -> str | None:
        """The municipality of ``year`` that an ended ``code`` went into (``None``: unknown)."""
        seen: set[str] = set()
        while code not in self.gemeenten.get(year, {}):
            merger = self.mergers.get(code)
            if merger is None or merger.year > year or code in seen:
                return None
            seen.add(code)
            code = merger.successor
        return code

    def _in_year(self, code: str, year: int, text: str) -> Place:
        names = self.gemeenten.get(year, {})
        if code in names:
            return Place(RegionKind.GEMEENTE, code, names[code], year)
        later = self._forward(code, year)
        old = self._all_codes[code]
        if later is not None:
            merger = self.mergers[code]
            chain = [code]
            while chain[-1] != later:
                chain.append(self.mergers[chain[-1]].successor)
            how = "grotendeels opgegaan in" if merger.partial else "opgegaan in"
            note = (
                f"{old} ({code}) is op 01-01-{merger.year} {how} {names[later]} ({later})."
                if len(chain) == 2
                else f"{old} ({code}) bestaat sinds 01-01-{merger.year} niet meer; het gebied "
                f"hoort in {year} bij {names[later]} ({later})."
            )
            return Place(RegionKind.GEMEENTE, later, names[later], year, note)
        last = max(y for y in self.years if code in self.gemeenten[y])
        if last > year:
            raise UnknownRegionError(
                f"Gemeente {old} ({code}) bestond in {year} nog niet. Oplossing: kies een "
                f"grensjaar vanaf {min(y for y in self.years if code in self.gemeenten[y])}."
            )
        raise UnknownRegionError(
            f"'{_clean(text)}' is de gemeente {old} ({code}), die na {last} niet meer bestaat; "
            "het dashboard kent haar opvolger niet (ze ligt buiten het kaartgebied). "
            "Oplossing: schrijf de huidige gemeente."
        )

    def _provincie_codes(self, key: str) -> list[str]:
        code_match = _PV_CODE.fullmatch(key.replace(" ", ""))
        if code_match and f"PV{code_match.group(1)}" in self.provincies:
            return [f"PV{code_match.group(1)}"]
        found = [c for c, n in self.provincies.items() if normalise(n) == key]
        alias = self._alias_codes.get(key, "")
        if not found and alias in self.provincies:
            found = [alias]
        return found

    def _province(self, code: str) -> Place:
        return Place(RegionKind.PROVINCIE, code, self.provincies[code], self.newest)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _strip_prefix(key: str, word: str) -> str:
    return key.removeprefix(f"{word} ").strip() if key != word else ""


def build_name_table(atlas: Atlas) -> NameTable:
    """Every municipality of every boundary year, the provinces, the aliases and the mergers in
    the map area (derived from the lineage between consecutive boundary years)."""
    source = atlas.source
    gemeenten = {}
    for year in atlas.years:
        frame = source.gemeenten(year).frame
        gemeenten[year] = dict(zip(frame["code"], frame["name"], strict=True))
    provinces = source.provincies().frame
    mergers: dict[str, Merger] = {}
    for before, after in itertools.pairwise(atlas.years):
        ended = set(gemeenten[before]) - set(gemeenten[after])
        ended &= set(atlas.gemeenten(before)["code"])
        if not ended:
            continue
        lineage = atlas.lineage(before, after)
        for code in sorted(ended):
            parts = lineage.pairs[lineage.pairs["left"] == code]
            if parts.empty:
                continue
            mergers[code] = Merger(lineage.successor(code), after, len(parts) > 1)
    return NameTable(
        gemeenten,
        dict(zip(provinces["code"], provinces["name"], strict=True)),
        {**COMMON_ALIASES, **atlas.definitions.aliases},
        mergers,
    )
