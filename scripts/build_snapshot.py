"""Build the embedded data snapshot in geodata/snapshot/ from a source folder.

    .venv/bin/python scripts/build_snapshot.py [SOURCE_FOLDER] [--date JJJJ-MM-DD]

SOURCE_FOLDER defaults to ../shared/geodata beside the checkout. Every layer is validated as the
app validates it; the snapshot is replaced only when all layers were written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    from adaptatie import fmt
    from adaptatie.errors import AdaptatieError
    from adaptatie.io.snapshot import build_snapshot

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=str(ROOT.parent / "shared" / "geodata"))
    parser.add_argument("--date", default=None, help="datum van de momentopname (JJJJ-MM-DD)")
    parser.add_argument("--target", default=str(ROOT / "geodata" / "snapshot"))
    args = parser.parse_args()
    day = dt.date.fromisoformat(args.date) if args.date else None
    try:
        manifest = build_snapshot(Path(args.source), Path(args.target), day)
    except AdaptatieError as exc:
        print(f"Momentopname niet gemaakt: {exc}", file=sys.stderr)
        return 1
    total = sum((Path(args.target) / e.file).stat().st_size for e in manifest.layers)
    for entry in manifest.layers:
        print(f"{entry.file:<42} {fmt.number(entry.features):>6} objecten/rijen")
    print(f"Momentopname in {args.target}: {fmt.number(total / 1e6, 1)} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
