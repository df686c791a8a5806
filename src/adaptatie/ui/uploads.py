"""File-upload fields in Dutch, with the app's own size limit.

Streamlit 1.67 writes the texts of its file uploader in English ("Upload", "200MB per file • TIF",
"Drag and drop a file here") and has no setting for them. :data:`DUTCH_UPLOADER_CSS`, put on every
page by :func:`adaptatie.ui.layout.page`, hides those texts and shows Dutch ones in their place
(keyed on Streamlit's ``data-testid`` attributes, not on its generated class names);
:func:`upload_field` states the real limit and the file types in a Dutch caption.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from adaptatie import fmt
from adaptatie.limits import Limit

_DROPZONE = '[data-testid="stFileUploaderDropzone"]'
_INSTRUCTIONS = '[data-testid="stFileUploaderDropzoneInstructions"] span'
_DRAGGING = '[data-testid="stFileUploaderDropzoneInput"] + div > span:only-child'
# The English text is made invisible (and so left out of what a screen reader reads); the Dutch
# text is generated content, which browsers include in the accessible name of the button.
DUTCH_UPLOADER_CSS = f"""
<style>
  {_DROPZONE} button [data-testid="stMarkdownContainer"] p {{ display: none; }}
  {_DROPZONE} button [data-testid="stMarkdownContainer"]::after {{ content: "Bestand kiezen"; }}
  {_INSTRUCTIONS}, {_DRAGGING} {{ font-size: 0 !important; visibility: hidden; }}
  {_INSTRUCTIONS}::after {{
    content: "of sleep het bestand hierheen"; font-size: 0.875rem; visibility: visible;
  }}
  {_DRAGGING}::after {{
    content: "Laat het bestand hier los"; font-size: 1rem; visibility: visible;
  }}
</style>
"""
def allowed_mb(limit: Limit) -> int:
    """``limit`` in whole MB, at most the server's ``server.maxUploadSize``, which Streamlit
    enforces on every upload whatever a field allows."""
    server = int(st.get_option("server.maxUploadSize"))
    return max(1, min(int(limit.value), server))


def upload_caption(types: Sequence[str], size_mb: int) -> str:
    """Dutch: one file of these types, at most this size (``.tif of .tiff``, ``20 MB``)."""
    kinds = [f".{t}" for t in types]
    listed = kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} of {kinds[-1]}"
    return f"Eén bestand ({listed}), ten hoogste {fmt.number(size_mb)} MB."


def upload_field(
    label: str, types: Sequence[str], limit: Limit, key: str | None = None
) -> UploadedFile | None:
    """A file uploader for one file of ``types`` up to ``limit``, with the Dutch caption."""
    size = allowed_mb(limit)
    upload = st.file_uploader(label, type=list(types), key=key, max_upload_size=size)
    st.caption(upload_caption(types, size))
    return upload
