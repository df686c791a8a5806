"""Toegankelijkheid: the accessibility statement."""

from adaptatie.ui import accessibility_page
from adaptatie.ui.errors import guard
from adaptatie.ui.layout import page

page("Toegankelijkheid", "Toegankelijkheidsverklaring van dit dashboard.")
with guard():  # the one error boundary: no page shows a traceback
    accessibility_page.render()
