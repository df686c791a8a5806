"""Everything one user session works with: regions, stress-test themes, layers and results."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from adaptatie.config import home_dir, themes_file
from adaptatie.io.catalogue import Catalogue
from adaptatie.io.themes_file import read_themes
from adaptatie.logs import configure_logging
from adaptatie.regions.atlas import Atlas
from adaptatie.stresstest.themes import Theme


class Workspace:
    """Opens the source data lazily; the CLI makes one per command, the UI one per process."""

    def __init__(
        self,
        data_dir: str | Path | None = None,
        regions_file: str | Path | None = None,
        home: str | Path | None = None,
        themes: str | Path | None = None,
    ) -> None:
        self._data_dir = data_dir
        self._regions_file = regions_file
        self.home = home_dir(home)
        self._themes_file = themes_file(themes)
        configure_logging(self.home)

    @cached_property
    def atlas(self) -> Atlas:
        return Atlas.open(self._data_dir, self._regions_file, self.home)

    @cached_property
    def themes(self) -> dict[str, Theme]:
        return read_themes(self._themes_file)

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.home)
