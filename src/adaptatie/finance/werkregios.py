"""The DPRA werkregio's the ledger knows, from ``geodata/regions.toml``, and name lookup."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from adaptatie.config import regions_file
from adaptatie.io.regions_file import read_region_definitions
from adaptatie.regions.models import RegionKind


@dataclass(frozen=True)
class Werkregio:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class WerkregioIndex:
    """Werkregio's by id, resolvable by id, name or alias (case and spacing ignored)."""

    werkregios: tuple[Werkregio, ...]

    @classmethod
    def load(cls, path: Path | str | None = None) -> WerkregioIndex:
        """Read the werkregio's from the region definitions file (``regions_file()``)."""
        definitions = read_region_definitions(regions_file(path))
        return cls(
            tuple(
                Werkregio(r.id, r.name, r.aliases)
                for r in definitions.regions
                if r.kind is RegionKind.WERKREGIO
            )
        )

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(w.id for w in self.werkregios)

    def get(self, werkregio_id: str) -> Werkregio | None:
        return next((w for w in self.werkregios if w.id == werkregio_id), None)

    def resolve(self, text: str) -> str | None:
        """The werkregio id for an id, name or alias (``fluvius`` -> ``WR-FLU``), else ``None``."""
        key = _key(text)
        if not key:
            return None
        for w in self.werkregios:
            names = (w.id, w.id.removeprefix("WR-"), w.name, *w.aliases)
            if key in {_key(n) for n in names}:
                return w.id
        return None

    def choices(self) -> str:
        """``WR-GND (Groningen/Noord-Drenthe), WR-NVS (...)`` for messages."""
        return ", ".join(f"{w.id} ({w.name})" for w in self.werkregios)


def _key(text: str) -> str:
    """Case and spacing ignored, and a leading word "werkregio" ("Werkregio Fluvius")."""
    key = " ".join(text.replace("\u00a0", " ").split()).casefold()
    return key.removeprefix("werkregio ").strip()
