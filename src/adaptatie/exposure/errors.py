"""Errors of hotspots and object layers (light: the UI's error boundary imports them)."""

from __future__ import annotations

from adaptatie.errors import AdaptatieError


class ObjectLayerNotFoundError(AdaptatieError, LookupError):
    """No object layer with that id."""


class HotspotError(AdaptatieError, ValueError):
    """Hotspots cannot be computed as asked."""
