"""The risk dialogue (risicodialoog): workshops and their outcomes per theme and hotspot.

``workshops`` holds :class:`~adaptatie.dialogue.workshops.WorkshopBook`, stored in
:mod:`adaptatie.db`; ``records`` the records it returns and the choices of their fields. The
stress-test sentences it shows come from :mod:`adaptatie.stresstest`.
"""
