"""Where a measure lies: its location as WKT (a point or a polygon in RD New), checked."""

from __future__ import annotations

import shapely
from shapely.errors import ShapelyError
from shapely.validation import explain_validity

from adaptatie import fmt

# Plausible extent of RD New coordinates (metres) for the Netherlands.
_RD_X = (-7_000.0, 300_000.0)
_RD_Y = (289_000.0, 629_000.0)


def location_problem(wkt: str) -> str | None:
    """Why a WKT text is not a usable location (point or polygon, RD New), or ``None``."""
    try:
        geometry = shapely.from_wkt(wkt)
    except (ShapelyError, ValueError):
        return "de locatie is geen leesbare WKT-tekst (controleer haakjes en komma's)."
    if geometry is None or geometry.is_empty:
        return "de locatie is leeg."
    if geometry.geom_type not in ("Point", "Polygon"):
        return f"de locatie is een {geometry.geom_type}; alleen een punt of een vlak (polygon) mag."
    if not geometry.is_valid:
        return f"het vlak is ongeldig ({explain_validity(geometry)})."
    minx, miny, maxx, maxy = geometry.bounds
    if not (_RD_X[0] <= minx and maxx <= _RD_X[1] and _RD_Y[0] <= miny and maxy <= _RD_Y[1]):
        hint = " (het lijken graden, WGS84)" if abs(maxx) <= 180 and abs(maxy) <= 90 else ""
        return (
            f"de coördinaten ({fmt.number(minx)}, {fmt.number(miny)}) liggen niet in Nederland "
            f"in RD New{hint}."
        )
    return None
