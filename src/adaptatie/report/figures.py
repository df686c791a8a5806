"""The report map, drawn offline with matplotlib in EPSG:28992 (RD New metres).

The region's full-detail boundary over its neighbouring municipalities (light grey), its member
municipalities named, with one
stress-test layer underneath, read at a resolution that fits the figure and coloured with the
layer's class colours; a class legend, a scale bar in km, a north arrow and an attribution.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import rasterio
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from rasterio.enums import Resampling
from rasterio.windows import from_bounds

from adaptatie import fmt
from adaptatie.io.render import colourise
from adaptatie.regions.atlas import Atlas
from adaptatie.regions.models import Region
from adaptatie.report.content import iso_date
from adaptatie.stresstest.themes import LayerRecord, legend_title

if TYPE_CHECKING:
    import geopandas as gpd

NO_LAYERS_ON_MAP = "Geen stresstestlagen beschikbaar"
MAX_PIXELS = 1200  # long side of the raster image on the map
NEIGHBOUR_FILL = "#e6e6e6"
NEIGHBOUR_EDGE = "#b0b0b0"
REGION_EDGE = "#c00000"
# text.parse_math off: text such as "$5 en $10" or "$^$" is drawn as typed, never as matplotlib
# math (which renders it wrongly or fails).
RC = {"font.family": "DejaVu Sans", "text.parse_math": False}
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def draw_map(
    fig: Figure,
    rect: tuple[float, float, float, float],
    atlas: Atlas,
    region: Region,
    layer: LayerRecord | None,
    raster: Path | None,
    legend: bool = True,
) -> Axes:
    """Draw the map into ``rect`` (figure fraction: left, bottom, width, height); without the
    class legend when ``legend`` is false (a screen that shows the legend as text beside it)."""
    ax = fig.add_axes(rect)
    geometry = atlas.geometry(region)
    bounds = _extent(geometry, fig, rect)
    west, south, east, north = bounds
    neighbours = atlas.gemeenten(region.year)
    view = shapely.box(*bounds)
    for geom in neighbours.geometry:
        if geom.intersects(view):
            _polygon(ax, geom, facecolor=NEIGHBOUR_FILL, edgecolor=NEIGHBOUR_EDGE, lw=0.5, z=1)
    if layer is not None and raster is not None:
        _raster(ax, layer, raster, bounds)
    else:
        ax.text(
            0.5,
            0.5,
            NO_LAYERS_ON_MAP,
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=12,
            color="#444444",
            zorder=6,
            bbox={"facecolor": "white", "edgecolor": "#888888", "alpha": 0.9},
        )
    _polygon(ax, geometry, facecolor="none", edgecolor=REGION_EDGE, lw=1.6, z=4)
    _member_names(ax, neighbours, region)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    _scale_bar(ax, bounds)
    _north_arrow(ax)
    if layer is not None and legend:
        _legend(ax, layer)
    return ax


def member_labels(gemeenten: gpd.GeoDataFrame, region: Region) -> list[tuple[str, float, float]]:
    """The name of each member municipality at a point inside it (for the map)."""
    codes = {m.code for m in region.members}
    members = gemeenten[gemeenten["code"].isin(codes)]
    points = shapely.point_on_surface(members.geometry.to_numpy())
    return [
        (name, float(p.x), float(p.y))
        for name, p in zip(members["name"], points, strict=True)
    ]


def _member_names(ax: Axes, gemeenten: gpd.GeoDataFrame, region: Region) -> None:
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for name, x, y in member_labels(gemeenten, region):
        ax.text(
            x, y, name, ha="center", va="center", fontsize=8, color="#222222", zorder=7,
            path_effects=halo,
        )  # fmt: skip


def attribution(layer: LayerRecord | None) -> str:
    text = "Grenzen: CBS/Kadaster, CC-BY 4.0. Waterschappen: Het Waterschapshuis via PDOK."
    if layer is not None:
        text += f" Stresstestlaag: {layer.source} ({iso_date(layer.date)})."
        if layer.synthetic:
            text += " SYNTHETISCH."
    return text + " Coördinaten RD New (EPSG:28992)."


def legend_rows(layer: LayerRecord) -> list[tuple[str, str]]:
    """``(#rrggbb, label)`` per class, as on the map's legend (for the report's legend table)."""
    rows = []
    for colour, label in zip(layer.classes.colours, layer.classes.labels, strict=True):
        rgb = colour[:7]
        rows.append((rgb if _HEX.match(rgb) else "#808080", label))
    return rows


def map_alt_text(region: Region, layer: LayerRecord | None, sentences: Sequence[str]) -> str:
    """The map's text alternative: what it shows and its key numbers in plain Dutch."""
    where = f"Kaart van {region.kind.label.lower()} {region.name} (grensjaar {region.year})"
    if layer is None:
        return (
            f"{where} met de omliggende gemeenten. Er is geen stresstestlaag beschikbaar, dus "
            "de kaart toont alleen grenzen."
        )
    synthetic = " Let op: SYNTHETISCHE gegevens, geen meting." if layer.synthetic else ""
    numbers = " ".join(sentences) or "Voor deze regio zijn geen kerncijfers berekend."
    return (
        f"{where} met de stresstestlaag {layer.title} (bron: {layer.source}, "
        f"{iso_date(layer.date)}).{synthetic} Kerncijfers: {numbers}"
    )


def wrapped_attribution(layer: LayerRecord | None, width: int = 110) -> str:
    return "\n".join(textwrap.wrap(attribution(layer), width))


def _extent(
    geometry: shapely.Geometry, fig: Figure, rect: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """Region bounds with a margin, widened to the aspect ratio of the axes."""
    west, south, east, north = geometry.bounds
    width, height = max(east - west, 1.0), max(north - south, 1.0)
    width, height = width * 1.15, height * 1.15
    fig_w, fig_h = fig.get_size_inches()
    aspect = (rect[2] * fig_w) / (rect[3] * fig_h)  # axes width / height
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    cx, cy = (west + east) / 2, (south + north) / 2
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def _polygon(
    ax: Axes, geom: shapely.Geometry, *, facecolor: str, edgecolor: str, lw: float, z: int
) -> None:
    for part in shapely.get_parts(geom):
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        rings = [part.exterior, *part.interiors]
        vertices = np.concatenate([np.asarray(r.coords)[:, :2] for r in rings])
        codes = np.concatenate(
            [
                [MplPath.MOVETO] + [MplPath.LINETO] * (len(r.coords) - 2) + [MplPath.CLOSEPOLY]
                for r in rings
            ]
        )
        patch = PathPatch(
            MplPath(vertices, codes), facecolor=facecolor, edgecolor=edgecolor, lw=lw, zorder=z
        )
        ax.add_patch(patch)


def _raster(
    ax: Axes, layer: LayerRecord, path: Path, bounds: tuple[float, float, float, float]
) -> None:
    with rasterio.open(path) as src:
        west = max(bounds[0], src.bounds.left)
        south = max(bounds[1], src.bounds.bottom)
        east = min(bounds[2], src.bounds.right)
        north = min(bounds[3], src.bounds.top)
        if west >= east or south >= north:
            return
        window = from_bounds(west, south, east, north, src.transform)
        native = abs(src.transform.a)
        scale = max(max(east - west, north - south) / MAX_PIXELS, native)
        width = max(1, round((east - west) / scale))
        height = max(1, round((north - south) / scale))
        resampling = Resampling.nearest if layer.unit == "klasse" else Resampling.average
        data = src.read(
            1, window=window, out_shape=(height, width), masked=True, resampling=resampling
        )
    values = np.ma.filled(data.astype("float64"), np.nan)
    image = colourise(values, layer.classes).convert("RGBA")
    ax.imshow(
        np.asarray(image),
        extent=(west, east, south, north),
        origin="upper",
        interpolation="nearest",
        zorder=2,
        alpha=0.85,
    )


def _nice_length(width_m: float) -> float:
    target = width_m / 5
    for km in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100):
        if km * 1000 >= target:
            return km * 1000
    return 100_000.0


def _scale_bar(ax: Axes, bounds: tuple[float, float, float, float]) -> None:
    west, south, east, north = bounds
    length = _nice_length(east - west)
    x0 = west + 0.04 * (east - west)
    y0 = south + 0.04 * (north - south)
    h = 0.012 * (north - south)
    for i in range(2):
        ax.add_patch(
            Rectangle(
                (x0 + i * length / 2, y0),
                length / 2,
                h,
                facecolor="black" if i == 0 else "white",
                edgecolor="black",
                lw=0.8,
                zorder=7,
            )
        )
    km = length / 1000
    label = fmt.number(km, 0 if km == int(km) else 1)
    style = {"fontsize": 7, "ha": "center", "va": "bottom", "zorder": 7}
    ax.text(x0, y0 + 1.6 * h, "0", **style)
    ax.text(x0 + length, y0 + 1.6 * h, f"{label} km", **style)


def _north_arrow(ax: Axes) -> None:
    ax.annotate(
        "N",
        xy=(0.95, 0.95),
        xytext=(0.95, 0.86),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=11,
        fontweight="bold",
        zorder=7,
        arrowprops={"facecolor": "black", "width": 3, "headwidth": 9, "headlength": 8},
    )


def _legend(ax: Axes, layer: LayerRecord) -> None:
    handles = [
        Patch(facecolor=colour[:7], alpha=_alpha(colour), edgecolor="#666666", label=label)
        for colour, label in zip(layer.classes.colours, layer.classes.labels, strict=True)
    ]
    ax.legend(
        handles=handles,
        title=legend_title(layer),
        loc="lower right",
        fontsize=7,
        title_fontsize=7,
        framealpha=0.9,
    ).set_zorder(8)


def _alpha(colour: str) -> float:
    return int(colour[7:9], 16) / 255 if len(colour) == 9 else 1.0


def map_png(
    atlas: Atlas,
    region: Region,
    layer: LayerRecord | None,
    raster: Path | None,
    size: tuple[float, float] = (12.0, 7.5),
    dpi: int = 100,
    legend: bool = True,
) -> bytes:
    """The same map as in the report, as a PNG (for screens such as a projector)."""
    import io

    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with rc_context(RC):
        fig = Figure(figsize=size, dpi=dpi)
        FigureCanvasAgg(fig)
        draw_map(fig, (0.01, 0.01, 0.98, 0.98), atlas, region, layer, raster, legend)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    return buffer.getvalue()
