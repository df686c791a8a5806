"""The legend of the risk dialogue's map as page text, large enough to read on a projector.

The map is an image (:func:`adaptatie.report.figures.map_png`); a legend drawn into it would have
report-sized letters, a few pixels high on a projector screen. This legend is HTML below the
image instead: at least 20 px, and larger in large-type mode (it is sized in rem).
"""

from __future__ import annotations

import re

from adaptatie.stresstest.themes import LayerRecord
from adaptatie.ui.safe import html_text

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
REGION_LINE = "#c00000"  # the region's outline on the map (report.figures.REGION_EDGE)
CSS = """
<style>
  .adaptatie-projector-legend { font-size: max(20px, 1.25rem); line-height: 1.4; }
  .adaptatie-projector-legend .adaptatie-legend-title { font-weight: bold; }
  .adaptatie-projector-legend ul {
    list-style: none; padding: 0; margin: 0.2em 0 0 0;
    display: flex; flex-wrap: wrap; gap: 0.2em 1.4em;
  }
  [data-testid="stMarkdownContainer"] .adaptatie-projector-legend li {
    font-size: inherit; margin: 0; padding: 0;
  }
  .adaptatie-projector-legend .adaptatie-swatch {
    display: inline-block; width: 1.6em; height: 0.9em; margin-right: 0.4em;
    vertical-align: middle; border: 1px solid #666666;
  }
</style>
"""


def legend_html(layer: LayerRecord, region_name: str) -> str:
    """The classes of ``layer`` with their colours, and the region's outline; all text escaped.

    Classes drawn transparent on the map (water under 5 cm, dry land) are left out, as on the
    regional water map.
    """
    rows = [_row(f"border: 3px solid {REGION_LINE};", f"grens van {region_name}")]
    classes = layer.classes
    for index, (label, colour) in enumerate(zip(classes.labels, classes.colours, strict=True)):
        if classes.background(index):
            continue
        fill = colour[:7] if _HEX.match(colour[:7]) else "#808080"
        rows.append(_row(f"background: {fill};", label))
    title = html_text(f"Legenda: {layer.quantity} ({layer.unit})")
    return (
        f'{CSS}<div class="adaptatie-projector-legend" role="group" aria-label="Legenda">'
        f'<div class="adaptatie-legend-title">{title}</div><ul>{"".join(rows)}</ul></div>'
    )


def _row(swatch_style: str, label: str) -> str:
    return (
        f'<li><span class="adaptatie-swatch" style="{swatch_style}" aria-hidden="true"></span>'
        f"{html_text(label)}</li>"
    )
