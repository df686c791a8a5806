"""adaptatie as an ASGI app: the dashboard (``app.py`` and ``pages/``) with its frontend compressed.

Start it with ``streamlit run server.py`` (``make app`` does): Streamlit finds the ``app`` below
and serves ``app.py`` as always, with :mod:`adaptatie.ui.frontend` in front of it, so that a first
visit downloads Streamlit's JavaScript gzip-compressed (about 2 instead of 6 MB).
``streamlit run app.py`` still works, without that compression.
"""

import streamlit as st

from adaptatie.ui.frontend import middleware

app = st.App("app.py", middleware=middleware())
