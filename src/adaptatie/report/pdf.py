"""Lay out the report on A4 pages with matplotlib's PDF backend (no pyplot, no GUI).

Every figure gets its own Agg canvas explicitly (``FigureCanvasAgg``), so the process-wide
matplotlib backend is never consulted or changed. Text flows top to bottom; long text wraps and
tables continue on the next page with their header repeated. A page that shows a synthetic layer
or its numbers gets the synthetic banner.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from adaptatie import fmt
from adaptatie.io.catalogue import Catalogue
from adaptatie.regions.atlas import Atlas
from adaptatie.report.content import (
    NO_LAYERS,
    NOT_RECORDED,
    SYNTHETIC_BANNER,
    ReportContent,
)
from adaptatie.report.figures import draw_map, wrapped_attribution

A4_INCHES = (8.2677, 11.6929)  # 595 x 842 pt
PAGE_PT = A4_INCHES[1] * 72
MARGIN_X = 0.08  # figure fraction
TOP = 0.93  # below the banner area
BOTTOM = 0.06  # above the footer
CHAR_EM = 0.56  # average DejaVu Sans glyph width in em, for wrapping
# text.parse_math off: user text such as "$5 en $10" or "$^$" is printed as typed, never as
# matplotlib math (which renders it wrongly or fails).
RC = {
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
    "pdf.compression": 6,
    "text.parse_math": False,
}


def _chars(width_fraction: float, size: float) -> int:
    width_pt = width_fraction * A4_INCHES[0] * 72
    return max(8, int(width_pt / (size * CHAR_EM)))


def _line(size: float) -> float:
    return size * 1.35 / PAGE_PT


@dataclass
class _Writer:
    pdf: PdfPages
    footer: str
    fig: Figure | None = None
    y: float = TOP
    synthetic: bool = False
    page: int = 0

    def new_page(self) -> Figure:
        self.finish_page()
        self.fig = Figure(figsize=A4_INCHES)
        FigureCanvasAgg(self.fig)
        self.y, self.synthetic = TOP, False
        self.page += 1
        return self.fig

    def finish_page(self) -> None:
        if self.fig is None:
            return
        if self.synthetic:
            self.fig.text(
                0.5,
                0.965,
                SYNTHETIC_BANNER,
                ha="center",
                va="center",
                fontsize=11,
                fontweight="bold",
                color="white",
                bbox={"facecolor": "#c00000", "edgecolor": "#c00000", "boxstyle": "square,pad=0.5"},
            )
        self.fig.text(
            0.5,
            0.03,
            f"{self.footer} — pagina {self.page}",
            ha="center",
            fontsize=7,
            color="#555555",
        )
        self.pdf.savefig(self.fig)
        self.fig = None

    def room(self, height: float) -> None:
        if self.fig is None or self.y - height < BOTTOM:
            self.new_page()

    def text(
        self,
        text: str,
        size: float = 9,
        *,
        bold: bool = False,
        synthetic: bool = False,
        gap: float = 0.4,
        colour: str = "black",
    ) -> None:
        lines = textwrap.wrap(text, _chars(1 - 2 * MARGIN_X, size)) or [""]
        for line in lines:
            self.room(_line(size))
            self.fig.text(
                MARGIN_X,
                self.y,
                line,
                fontsize=size,
                va="top",
                color=colour,
                fontweight="bold" if bold else "normal",
            )
            self.y -= _line(size)
            self.synthetic |= synthetic
        self.y -= gap * _line(size)

    def heading(self, text: str, size: float = 13) -> None:
        self.room(_line(size) * 4)  # keep a heading with what follows
        self.y -= 0.4 * _line(size)
        self.text(text, size, bold=True)

    def table(
        self,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        header: bool = True,
        synthetic: bool = False,
        size: float = 8,
    ) -> None:
        """Rows of cells; ``widths`` are fractions of the text width. Wraps and paginates."""
        if not rows:
            return
        usable = 1 - 2 * MARGIN_X
        lefts = [MARGIN_X + usable * sum(widths[:i]) for i in range(len(widths))]
        chars = [_chars(usable * w, size) - 1 for w in widths]
        first = rows[0] if header else None
        for index, row in enumerate(rows):
            cells = [textwrap.wrap(str(c), n) or [""] for c, n in zip(row, chars, strict=True)]
            height = max(len(c) for c in cells) * _line(size) + 0.3 * _line(size)
            if self.fig is None or self.y - height < BOTTOM:
                self.new_page()
                if first is not None and index > 0:
                    self._row([[c] for c in first], lefts, size, bold=True, synthetic=synthetic)
            self._row(cells, lefts, size, bold=header and index == 0, synthetic=synthetic)
        self.y -= 0.6 * _line(size)

    def _row(
        self,
        cells: list[list[str]],
        lefts: list[float],
        size: float,
        *,
        bold: bool,
        synthetic: bool,
    ) -> None:
        for lines, left in zip(cells, lefts, strict=True):
            self.fig.text(
                left,
                self.y,
                "\n".join(lines),
                fontsize=size,
                va="top",
                linespacing=1.2,
                fontweight="bold" if bold else "normal",
            )
        height = max(len(c) for c in cells) * _line(size) + 0.3 * _line(size)
        self.y -= height
        self.fig.add_artist(
            mpl.lines.Line2D(
                [MARGIN_X, 1 - MARGIN_X],
                [self.y + 0.15 * _line(size)] * 2,
                lw=0.3,
                color="#bbbbbb",
            )
        )
        self.synthetic |= synthetic


def write_pdf(content: ReportContent, atlas: Atlas, catalogue: Catalogue, out: Path) -> Path:
    footer = f"Raadsrapportage klimaatadaptatie — {content.title} — {fmt.date(content.generated)}"
    metadata = {
        "Title": f"Raadsrapportage klimaatadaptatie — {content.title}",
        "Creator": "adaptatie",
    }
    with mpl.rc_context(RC), PdfPages(out, metadata=metadata) as pdf:
        writer = _Writer(pdf, footer)
        _profile_page(writer, content)
        _map_page(writer, content, atlas, catalogue)
        _risk_pages(writer, content)
        _exposure(writer, content)
        _finance_and_progress(writer, content)
        _sources_page(writer, content)
        writer.finish_page()
    return out


def _profile_page(w: _Writer, c: ReportContent) -> None:
    w.new_page()
    w.text("Raadsrapportage klimaatadaptatie", 11, colour="#555555")
    w.text(c.title, 20, bold=True)
    w.text(f"Gemaakt op {fmt.date(c.generated)}", 9, colour="#555555", gap=1.5)
    w.heading("Regio")
    w.table(c.facts, (0.3, 0.7), header=False, size=9)
    w.heading("Gemeenten (CBS-codes)", 11)
    w.table([("CBS-code", "Gemeente", "Aandeel in regio"), *c.members], (0.2, 0.5, 0.3))
    w.heading("Waterschappen", 11)
    if c.waterschappen:
        w.table(
            [("Code", "Waterschap", "Aandeel van de oppervlakte"), *c.waterschappen],
            (0.2, 0.5, 0.3),
        )
    else:
        w.text("Geen waterschap bedekt een noemenswaardig deel van deze regio.")
    if c.notes:
        w.heading("Opmerkingen over de indeling", 11)
        for note in c.notes:
            w.text(f"• {note}")


def _map_page(w: _Writer, c: ReportContent, atlas: Atlas, catalogue: Catalogue) -> None:
    fig = w.new_page()
    layer = c.map_layer
    w.heading("Kaart")
    caption = layer.title if layer is not None else "Grenzen (geen stresstestlaag)"
    w.text(caption, 10, synthetic=layer is not None and layer.synthetic)
    raster = catalogue.file(layer, layer.analysis_file) if layer is not None else None
    bottom = 0.16
    draw_map(
        fig,
        (MARGIN_X, bottom, 1 - 2 * MARGIN_X, w.y - bottom - 0.01),
        atlas,
        c.region,
        layer,
        raster,
    )
    fig.text(
        MARGIN_X,
        bottom - 0.01,
        "Rood: grens van de regio; grijs: omliggende gemeenten.\n" + wrapped_attribution(layer),
        fontsize=7,
        va="top",
        color="#333333",
    )
    w.y = BOTTOM  # the map fills the page


def _risk_pages(w: _Writer, c: ReportContent) -> None:
    w.new_page()
    w.heading("Stresstest per thema")
    if not c.layers:
        w.text(NO_LAYERS)
        return
    w.text(
        f"Cijfers voor {c.region.name} ({c.region.kind.value}, grensjaar "
        f"{c.region.year}); aandelen zijn van de oppervlakte met geldige waarden.",
        gap=1.0,
    )
    for result in c.layers:
        synthetic = result.layer.synthetic
        w.heading(result.layer.title, 11)
        for sentence in result.sentences:
            w.text(sentence, 10, synthetic=synthetic)
        w.table([("Kenmerk", "Waarde"), *result.rows], (0.6, 0.4), synthetic=synthetic)
        w.text(f"Bron: {result.layer.source}", 8, colour="#555555", synthetic=synthetic, gap=1.0)


def _exposure(w: _Writer, c: ReportContent) -> None:
    """Issue 16: hotspots, exposed objects and which hotspots the measures reach."""
    e = c.exposure
    if e is None:
        return
    w.heading("Hotspots, blootstelling en maatregelen")
    for sentence in e.sentences:
        w.text(sentence, 10, synthetic=e.synthetic)
    if e.hotspots:
        w.table(e.hotspots, (0.16, 0.22, 0.16, 0.14, 0.32), synthetic=e.synthetic)
    if e.objects:
        w.table(e.objects, (0.34, 0.46, 0.2), size=8, synthetic=e.synthetic)
    for source in e.sources:
        w.text(f"Bron: {source}", 7, colour="#555555", synthetic=e.synthetic)
    w.text("", gap=1.0)


def _finance_and_progress(w: _Writer, c: ReportContent) -> None:
    w.heading("Cofinanciering (Impulsregeling klimaatadaptatie)")
    f = c.finance
    if f.rows:
        w.table(f.rows, (0.45, 0.55), header=False, size=9)
    if f.measures:
        w.table(f.measures, (0.36, 0.16, 0.14, 0.14, 0.2))
    for remark in f.remarks:
        w.text(remark)
    w.heading("Uitkomsten risicodialoog")
    if not c.workshops:
        w.text(NOT_RECORDED)
    for title, rows in c.workshops:
        w.text(title)
        if rows:
            w.table(rows, (0.14, 0.16, 0.14, 0.1, 0.3, 0.16), size=8)
        else:
            w.text("Nog geen uitkomsten vastgelegd.")
    w.heading("Voortgang DPRA")
    if c.progress:
        w.table(c.progress, (0.28, 0.18, 0.16, 0.19, 0.19), size=8)
    else:
        w.text(NOT_RECORDED)


def _sources_page(w: _Writer, c: ReportContent) -> None:
    w.new_page()
    w.heading("Bronnen en data")
    w.table(
        [("Onderdeel", "Bron en datum"), *c.sources],
        (0.28, 0.72),
        size=8,
        synthetic=c.synthetic_sources,
    )
