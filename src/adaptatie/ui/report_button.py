"""The council report (raadsrapportage) of the selected region, as a PDF download."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from adaptatie.regions.models import Region, RegionKind
from adaptatie.report import build_report, report_filename
from adaptatie.ui import state
from adaptatie.ui.errors import guard
from adaptatie.ui.finance_state import ledger

REPORT_KINDS = (
    RegionKind.GEMEENTE,
    RegionKind.CLUSTER,
    RegionKind.SAMENWERKINGSVERBAND,
    RegionKind.WERKREGIO,
)


def report_button(region: Region) -> None:
    """Build on request (about a second), then offer the PDF for download."""
    if region.kind not in REPORT_KINDS:
        return
    key = f"report_{region.kind.value}_{region.id}_{region.year}"
    if st.button("Raadsrapportage maken (pdf)", key=f"{key}_make"):
        with (
            guard(),
            st.spinner("Raadsrapportage opmaken…"),
            tempfile.TemporaryDirectory() as folder,
        ):
            path = build_report(
                state.workspace(),
                region,
                Path(folder) / report_filename(region),
                ledger=ledger(),
            )
            st.session_state[key] = path.read_bytes()
    if key in st.session_state:
        st.download_button(
            "Download raadsrapportage",
            st.session_state[key],
            file_name=report_filename(region),
            mime="application/pdf",
            key=f"{key}_download",
        )
