"""Read the CBS population table (Kerncijfers wijken en buurten, municipalities)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from adaptatie.errors import DataFileError

REQUIRED = ("statcode", "jaar", "aantal_inwoners")


@dataclass(frozen=True)
class PopulationTable:
    """Inhabitants per municipality code and year, with the provenance per year."""

    frame: pd.DataFrame  # columns: code, year, inhabitants
    sources: dict[int, str]
    paths: tuple[Path, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.sources))

    def for_year(self, year: int) -> dict[str, int]:
        """Inhabitants per municipality code for one table year."""
        rows = self.frame[self.frame["year"] == year]
        return dict(zip(rows["code"], rows["inhabitants"], strict=True))


def read_population(paths: list[Path]) -> PopulationTable:
    """Read one or more CBS key-figure CSV files into one validated table."""
    frames: list[pd.DataFrame] = []
    sources: dict[int, str] = {}
    for path in paths:
        frame = _read_one(path)
        for year, group in frame.groupby("year"):
            sources[int(year)] = str(group["source"].iloc[0])
        frames.append(frame)
    if not frames:
        return PopulationTable(pd.DataFrame({"code": [], "year": [], "inhabitants": []}), {}, ())
    table = pd.concat(frames, ignore_index=True)
    dup = table[table.duplicated(["code", "year"], keep=False)]
    if len(dup):
        first = dup.iloc[0]
        raise DataFileError(
            paths[-1],
            f"gemeente {first['code']} staat meer dan eens in de bevolkingscijfers voor "
            f"{first['year']}.",
            "houd per gemeente en jaar één regel over (ook over meerdere bestanden heen).",
        )
    return PopulationTable(table[["code", "year", "inhabitants"]], sources, tuple(paths))


def _read_one(path: Path) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            path, "het bestand is niet in UTF-8 opgeslagen.", "sla het op als CSV UTF-8."
        ) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
        raise DataFileError(
            path,
            f"het bestand is geen leesbare CSV ({str(exc).splitlines()[0][:120]}).",
            "exporteer de CBS-tabel opnieuw als CSV met kopregel.",
        ) from exc
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise DataFileError(
            path,
            f"verplichte kolom(men) ontbreken: {', '.join(missing)}.",
            "de tabel heeft de kolommen statcode, jaar en aantal_inwoners nodig.",
        )
    out = pd.DataFrame({"code": raw["statcode"].str.strip()})
    for column, target in (("jaar", "year"), ("aantal_inwoners", "inhabitants")):
        values = pd.to_numeric(raw[column].str.strip(), errors="coerce")
        bad = values.isna() | (values < 0) | (values % 1 != 0)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise DataFileError(
                path,
                f"regel {row + 2}, kolom '{column}': '{raw[column].iloc[row]}' is geen geheel "
                "getal van 0 of meer.",
                "corrigeer de waarde (zonder punten of spaties) of verwijder de regel.",
            )
        out[target] = values.astype("int64")
    out["source"] = raw["bron"] if "bron" in raw.columns else path.name
    return out
