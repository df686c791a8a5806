"""Lay out the report as HTML and render it with WeasyPrint as a tagged PDF (PDF/UA-1).

The PDF has a document language (``nl``), a title, real headings (H1-H3) and tables (TH with
scope), a structure tree in reading order, and an alternative text on every figure: the map's is
its key numbers in plain Dutch. Each part starts on a new page: profile, map, stress test,
co-financing and progress, sources. A part that shows a synthetic layer or its numbers is a
``synthetic`` page: every one of its pages carries the banner in the top margin, and the part
opens with the same warning as text (a screen reader does not read page margins). All text is
HTML-escaped, so user text ("$^$", "<b>") is printed as typed. Fonts: DejaVu Sans via
fontconfig; no network is used (images are data URIs, nothing else is fetched).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from adaptatie import fmt
from adaptatie.io.catalogue import Catalogue
from adaptatie.regions.atlas import Atlas
from adaptatie.report.content import NO_LAYERS, NOT_RECORDED, SYNTHETIC_BANNER, ReportContent
from adaptatie.report.figures import (
    NO_LAYERS_ON_MAP,
    RC,
    attribution,
    legend_rows,
    map_alt_text,
    map_png,
)
from adaptatie.stresstest.themes import legend_title

__all__ = ["RC", "render_html", "write_pdf"]

CSS = Path(__file__).resolve().parent / "templates" / "report.css"
PDF_VARIANT = "pdf/ua-1"
MAP_SIZE_IN = (6.7, 6.3)  # 17 x 16 cm: the text width of A4, room for the legend below
MAP_DPI = 200


def write_pdf(content: ReportContent, atlas: Atlas, catalogue: Catalogue, out: Path) -> Path:
    """Render the report of ``content`` to ``out`` (a tagged PDF/UA-1 file)."""
    import weasyprint  # heavy (pango, fonts): only when a report is made
    from weasyprint.urls import URLFetcher

    layer = content.map_layer
    raster = catalogue.file(layer, layer.analysis_file) if layer is not None else None
    image = map_png(atlas, content.region, layer, raster, size=MAP_SIZE_IN, dpi=MAP_DPI)
    html = render_html(content, image)
    # Only inline data (the map as a data URI): the report never reads a URL or a local file.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = weasyprint.HTML(string=html, base_url=str(CSS.parent), url_fetcher=fetcher)
    document.write_pdf(
        out,
        stylesheets=[weasyprint.CSS(filename=str(CSS))],
        pdf_variant=PDF_VARIANT,
        pdf_identifier=False,
        uncompressed_pdf=False,
    )
    return out


def render_html(content: ReportContent, map_image: bytes) -> str:
    """The whole report as one HTML document (Dutch, escaped)."""
    c = content
    title = f"Raadsrapportage klimaatadaptatie — {c.title}"
    footer = f"{title} — {fmt.date(c.generated)}"
    layer = c.map_layer
    map_synthetic = layer is not None and layer.synthetic
    risk_synthetic = any(r.layer.synthetic for r in c.layers)
    parts = [
        _section(_profile(c), synthetic=False),
        _section(_map(c, map_image), synthetic=map_synthetic),
        _section(_risk(c), synthetic=risk_synthetic),
        *(
            [_section(_exposure(c), synthetic=c.exposure.synthetic)]
            if c.exposure is not None
            else []
        ),
        _section(_finance_and_progress(c), synthetic=False),
        _section(_sources(c), synthetic=c.synthetic_sources),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        '<meta name="author" content="adaptatie">\n'
        f'<meta name="description" content="{escape(title, quote=True)}">\n'
        f'</head>\n<body data-footer="{escape(footer, quote=True)}">\n'
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


def _section(body: str, *, synthetic: bool) -> str:
    banner = f'<p class="banner" role="note">{escape(SYNTHETIC_BANNER)}</p>\n' if synthetic else ""
    css = ' class="synthetic"' if synthetic else ""
    return f"<section{css}>\n{banner}{body}</section>"


def _p(text: str, css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f"<p{klass}>{escape(text)}</p>\n"


def _h(level: int, text: str) -> str:
    return f"<h{level}>{escape(text)}</h{level}>\n"


def _table(
    rows: Sequence[Sequence[str]],
    *,
    header: bool = True,
    caption: str = "",
    row_headers: bool = False,
) -> str:
    """A real table: the header row as TH scope=col, or the first column as TH scope=row."""
    if not rows:
        return ""
    out = ["<table>"]
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    body: Iterable[Sequence[str]] = rows
    if header:
        head = "".join(f'<th scope="col">{escape(str(cell))}</th>' for cell in rows[0])
        out.append(f"<thead><tr>{head}</tr></thead>")
        body = rows[1:]
    out.append("<tbody>")
    for row in body:
        cells = []
        for index, cell in enumerate(row):
            if row_headers and index == 0:
                cells.append(f'<th scope="row">{escape(str(cell))}</th>')
            else:
                cells.append(f"<td>{escape(str(cell))}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table>\n")
    return "".join(out)


def _profile(c: ReportContent) -> str:
    out = [
        _p("Raadsrapportage klimaatadaptatie", "kicker"),
        _h(1, c.title),
        _p(f"Gemaakt op {fmt.date(c.generated)}", "muted"),
        _h(2, "Regio"),
        _table(c.facts, header=False, row_headers=True),
        _h(3, "Gemeenten (CBS-codes)"),
        _table([("CBS-code", "Gemeente", "Aandeel in regio"), *c.members]),
        _h(3, "Waterschappen"),
    ]
    if c.waterschappen:
        out.append(_table([("Code", "Waterschap", "Aandeel van de oppervlakte"), *c.waterschappen]))
    else:
        out.append(_p("Geen waterschap bedekt een noemenswaardig deel van deze regio."))
    if c.notes:
        out.append(_h(3, "Opmerkingen over de indeling"))
        out.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in c.notes) + "</ul>\n")
    return "".join(out)


def _map(c: ReportContent, image: bytes) -> str:
    layer = c.map_layer
    result = next((r for r in c.layers if layer is not None and r.layer.id == layer.id), None)
    alt = map_alt_text(c.region, layer, result.sentences if result is not None else ())
    caption = layer.title if layer is not None else f"Grenzen — {NO_LAYERS_ON_MAP}"
    data = base64.b64encode(image).decode("ascii")
    out = [
        _h(2, "Kaart"),
        _p(caption),
        "<figure>",
        f'<img src="data:image/png;base64,{data}" alt="{escape(alt, quote=True)}">',
        "<figcaption>"
        + escape(
            "Doorgetrokken rode lijn: grens van de regio; grijze vlakken met grijze lijnen: "
            "omliggende gemeenten; linksonder de schaalstok, rechtsboven het noorden. "
            + attribution(layer)
        )
        + "</figcaption></figure>\n",
    ]
    if layer is not None:
        swatches = [
            (f'<span class="swatch" style="background:{colour}"></span>', label)
            for colour, label in legend_rows(layer)
        ]
        rows = "".join(
            f"<tr><td>{swatch}</td><td>{escape(label)}</td></tr>" for swatch, label in swatches
        )
        out.append(
            f"<table><caption>Legenda: {escape(legend_title(layer))}</caption>"
            '<thead><tr><th scope="col">Kleur</th><th scope="col">Klasse</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>\n"
        )
    return "".join(out)


def _risk(c: ReportContent) -> str:
    out = [_h(2, "Stresstest per thema")]
    if not c.layers:
        out.append(_p(NO_LAYERS))
        return "".join(out)
    out.append(
        _p(
            f"Cijfers voor {c.region.name} ({c.region.kind.value}, grensjaar "
            f"{c.region.year}); aandelen zijn van de oppervlakte met geldige waarden."
        )
    )
    for result in c.layers:
        out.append(_h(3, result.layer.title))
        out.extend(_p(sentence) for sentence in result.sentences)
        out.append(_table([("Kenmerk", "Waarde"), *result.rows]))
        out.append(_p(f"Bron: {result.layer.source}", "muted"))
    return "".join(out)


def _exposure(c: ReportContent) -> str:
    """Hotspots, exposed objects and which hotspots the measures reach."""
    e = c.exposure
    if e is None:
        return ""
    out = [_h(2, "Hotspots, blootstelling en maatregelen")]
    out.extend(_p(sentence) for sentence in e.sentences)
    if e.hotspots:
        out.append(_table(e.hotspots))
    if e.objects:
        out.append(_table(e.objects))
    out.extend(_p(f"Bron: {source}", "muted") for source in e.sources)
    return "".join(out)


def _finance_and_progress(c: ReportContent) -> str:
    f = c.finance
    out = [_h(2, "Cofinanciering (Impulsregeling klimaatadaptatie)")]
    if f.rows:
        out.append(_table(f.rows, header=False, row_headers=True))
    if f.measures:
        out.append(_table(f.measures, caption="Maatregelen"))
    out.extend(_p(remark) for remark in f.remarks)
    out.append(_h(2, "Uitkomsten risicodialoog"))
    if not c.workshops:
        out.append(_p(NOT_RECORDED))
    for title, rows in c.workshops:
        out.append(_h(3, title))
        out.append(_table(rows) if rows else _p("Nog geen uitkomsten vastgelegd."))
    out.append(_h(2, "Voortgang DPRA"))
    out.append(_table(c.progress) if c.progress else _p(NOT_RECORDED))
    return "".join(out)


def _sources(c: ReportContent) -> str:
    return _h(2, "Bronnen en data") + _table([("Onderdeel", "Bron en datum"), *c.sources])
