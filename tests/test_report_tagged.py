"""The council report is a tagged PDF (PDF/UA-1): structure tree, language, title, headings,
real tables, alternative text on every figure, text extractable in reading order.

Numbers from the SYNTHETIC world of tests/synthetic.py (see tests/test_report.py): the heat ramp
is 10 + x °C, so in cluster WEST (x 10-30 km) 25,0 % of the area lies above 35 °C (x 25-30).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject

from adaptatie.regions.models import RegionKind
from adaptatie.report import build_report
from adaptatie.report.content import gather
from adaptatie.report.pdf import write_pdf
from adaptatie.stresstest.results import ResultsStore
from adaptatie.workspace import Workspace

GENERATED = dt.date(2026, 11, 27)
H2_ORDER = [
    "Regio",
    "Kaart",
    "Stresstest per thema",
    "Hotspots, blootstelling en maatregelen",
    "Cofinanciering (Impulsregeling klimaatadaptatie)",
    "Uitkomsten risicodialoog",
    "Voortgang DPRA",
    "Bronnen en data",
]


@pytest.fixture
def workspace(store: ResultsStore, synthetic_dir: Path, tmp_path: Path) -> Workspace:
    space = Workspace(synthetic_dir, tmp_path / "regions.toml", tmp_path / "home")
    space.__dict__["atlas"] = store.atlas
    return space


@pytest.fixture
def west_pdf(workspace: Workspace, tmp_path: Path) -> PdfReader:
    west = workspace.atlas.region(RegionKind.CLUSTER, "WEST", 2017)
    out = build_report(workspace, west, tmp_path / "west.pdf", generated=GENERATED)
    return PdfReader(io.BytesIO(out.read_bytes()))


def elements(reader: PdfReader) -> list[DictionaryObject]:
    """Every structure element, depth first (the logical reading order)."""
    out: list[DictionaryObject] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
            return
        if not isinstance(node, DictionaryObject):
            return  # a marked-content id
        if "/S" in node:
            out.append(node)
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return out


def text_of(element: DictionaryObject, reader: PdfReader) -> str:
    """The text of an element, from its marked content on its page."""
    ids: list[tuple[object, int]] = []

    def walk(node: object, page: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):
            ids.append((page, int(node)))
        elif isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, page)
        elif isinstance(node, DictionaryObject):
            here = node.get("/Pg", page)
            if "/MCID" in node:
                ids.append((here, int(node["/MCID"])))
            elif "/K" in node:
                walk(node["/K"], here)

    walk(element, element.get("/Pg"))
    marked = marked_texts(reader)
    texts = [marked.get((page.idnum, mcid), "") for page, mcid in ids]
    return " ".join(" ".join(texts).split())


def marked_texts(reader: PdfReader) -> dict[tuple[int, int], str]:
    """The text of every marked-content sequence: (page object number, MCID) -> text."""
    cached = getattr(reader, "_marked_texts", None)
    if cached is not None:
        return cached
    out: dict[tuple[int, int], str] = {}
    for page in reader.pages:
        number = page.indirect_reference.idnum
        stack: list[int | None] = []

        def visitor(operator: bytes, operands: list, cm: object, tm: object, stack=stack) -> None:
            if operator == b"BDC":
                props = operands[1] if len(operands) > 1 else {}
                stack.append(props.get("/MCID") if isinstance(props, dict) else None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def collect(
            text: str, cm: object, tm: object, font: object, size: object, stack=stack, n=number
        ) -> None:
            if stack and stack[-1] is not None:
                key = (n, int(stack[-1]))
                out[key] = out.get(key, "") + text

        page.extract_text(visitor_operand_before=visitor, visitor_text=collect)
    reader._marked_texts = out
    return out


def drawn_images(reader: PdfReader) -> int:
    """Images painted on the pages (``Do`` of an image XObject), not merely listed."""
    count = 0
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Do" and xobjects[operands[0]].get_object()["/Subtype"] == "/Image":
                count += 1
    return count


def test_document_language_title_and_pdf_ua_identification(west_pdf: PdfReader) -> None:
    root = west_pdf.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert west_pdf.metadata.title == "Raadsrapportage klimaatadaptatie — Cluster Oostcluster"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp  # PDF/UA-1 identification


def test_headings_in_order(west_pdf: PdfReader) -> None:
    tree = elements(west_pdf)
    h1 = [text_of(e, west_pdf) for e in tree if e["/S"] == "/H1"]
    h2 = [text_of(e, west_pdf) for e in tree if e["/S"] == "/H2"]
    assert h1 == ["Cluster Oostcluster"]
    assert h2 == H2_ORDER


def test_real_tables_with_header_cells(west_pdf: PdfReader) -> None:
    tree = elements(west_pdf)
    tables = [e for e in tree if e["/S"] == "/Table"]
    assert len(tables) >= 5  # facts, members, water boards, legend, risk, sources, ...
    headers = [text_of(e, west_pdf) for e in tree if e["/S"] == "/TH"]
    for expected in ("CBS-code", "Gemeente", "Aandeel in regio", "Kenmerk", "Waarde", "Onderdeel"):
        assert expected in headers
    cells = [text_of(e, west_pdf) for e in tree if e["/S"] == "/TD"]
    assert "GM9002" in cells and "GM9003" in cells


def test_every_image_has_alternative_text_and_the_map_says_its_key_numbers(
    west_pdf: PdfReader,
) -> None:
    figures = [e for e in elements(west_pdf) if e["/S"] == "/Figure"]
    images = drawn_images(west_pdf)
    assert images == 1  # the map; the banner and legend swatches are drawn, not images
    assert len(figures) == images
    alt = str(figures[0]["/Alt"])
    assert alt.startswith("Kaart van cluster Oostcluster (grensjaar 2017)")
    assert "SYNTHETISCHE" in alt
    assert "heeft 25,0 % van de oppervlakte een gevoelstemperatuur boven 35 °C" in alt


def test_text_is_extractable_in_reading_order(west_pdf: PdfReader) -> None:
    text = " ".join(" ".join(p.extract_text().split()) for p in west_pdf.pages)
    positions = [text.index(heading) for heading in H2_ORDER]
    assert positions == sorted(positions)
    first = " ".join(west_pdf.pages[0].extract_text().split())
    assert first.index("Cluster Oostcluster") < first.index("Gemeenten (CBS-codes)")
    assert first.index("Gemeenten (CBS-codes)") < first.index("Waterschappen")


def test_user_text_is_printed_as_typed(workspace: Workspace, tmp_path: Path) -> None:
    west = workspace.atlas.region(RegionKind.CLUSTER, "WEST", 2017)
    content = gather(workspace, west, None, GENERATED)
    typed = "<b>vet</b> & $^$ en $5 en $10"
    content = replace(content, notes=(typed,))
    out = write_pdf(content, workspace.atlas, workspace.catalogue, tmp_path / "typed.pdf")
    first = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert typed in first
