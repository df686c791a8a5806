"""Stress-test themes and the layers registered for them (domain objects)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

#: The four DPRA climate themes with their Dutch labels: the only theme list. Stress-test layers,
#: measures in the ledger (:class:`adaptatie.finance.records.ClimateTheme`), the risk dialogue and
#: the command line all use these keys.
THEME_LABELS = {
    "wateroverlast": "Wateroverlast",
    "hitte": "Hitte",
    "droogte": "Droogte",
    "overstroming": "Overstromingen",
}
THEME_KEYS = tuple(THEME_LABELS)


@dataclass(frozen=True)
class Classes:
    """Value classes: class i holds ``bounds[i] <= v < bounds[i + 1]``.

    ``edges`` are the inner edges; the first class is open below, the last open above.
    """

    edges: tuple[float, ...]
    labels: tuple[str, ...]
    colours: tuple[str, ...]

    @property
    def bounds(self) -> tuple[float, ...]:
        return (-math.inf, *self.edges, math.inf)

    def background(self, index: int) -> bool:
        """True for a class drawn transparent (no water, below what matters).

        Such a class is not a finding: maps leave it out and reports give no share for it.
        """
        colour = self.colours[index]
        return len(colour) == 9 and colour[7:].lower() == "00"


@dataclass(frozen=True)
class Theme:
    """One stress-test theme (wateroverlast, hitte, droogte, overstroming)."""

    key: str
    label: str
    quantity: str
    unit: str
    units: dict[str, tuple[float, float]]  # accepted unit -> plausible (min, max)
    classes: Classes
    thresholds: tuple[float, ...]
    threshold_labels: tuple[str, ...]
    scenarios: tuple[str, ...] = ()

    @property
    def categorical(self) -> bool:
        """Class rasters (droogte risk classes) are resampled with nearest neighbour."""
        return self.unit == "klasse"

    def factor(self, unit: str) -> float:
        """Multiply values given in ``unit`` by this to get the theme's unit."""
        if unit == self.unit or unit in ("degC", "°C"):
            return 1.0
        if unit == "cm" and self.unit == "m":
            return 0.01
        raise KeyError(unit)


@dataclass(frozen=True)
class LayerRecord:
    """A stress-test raster in the catalogue, with everything needed to show its source."""

    id: str
    theme: str
    scenario: str
    quantity: str
    unit: str  # the unit of the stored analysis copy
    classes: Classes
    thresholds: tuple[float, ...]
    threshold_labels: tuple[str, ...]
    source: str
    date: str  # ISO date of the data (not of the upload)
    licence: str
    resolution_m: float
    synthetic: bool
    analysis_file: str  # relative to the layer folder
    display_file: str
    display_bounds: tuple[float, float, float, float]  # lat/lon: south, west, north, east
    checksum: str  # sha256 of the analysis copy
    added_at: str
    original_name: str = ""
    original_crs: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        """Dutch title for lists and legends, with the synthetic label where it applies."""
        label = f"{self.theme.capitalize()} · {self.scenario}"
        return f"{label} (synthetisch)" if self.synthetic else label


_UNIT_IN_LABEL = re.compile(r"\d\s*(?:mm|cm|m|°C)\b")


def legend_title(layer: LayerRecord | Theme) -> str:
    """``waterdiepte`` when the class labels carry their own unit ("5-10 cm"), so that the
    title never says "m" over classes in cm; ``quantity (unit)`` otherwise; no "(klasse)"."""
    if layer.unit == "klasse" or any(_UNIT_IN_LABEL.search(x) for x in layer.classes.labels):
        return layer.quantity
    return f"{layer.quantity} ({layer.unit})"
