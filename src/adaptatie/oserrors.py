"""Dutch descriptions of operating-system errors (instead of "No such file or directory")."""

from __future__ import annotations

import errno
import re

_DUTCH = {
    errno.ENOENT: "het bestand of de map bestaat niet",
    errno.EACCES: "geen toestemming",
    errno.EPERM: "geen toestemming",
    errno.EISDIR: "dit is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENOSPC: "de schijf is vol",
    errno.EEXIST: "er bestaat al een bestand met die naam",
    errno.EBUSY: "het bestand is in gebruik",
    errno.EIO: "leesfout van de schijf",
}


def describe(exc: OSError) -> str:
    """What went wrong, in Dutch (for example ``het bestand of de map bestaat niet``)."""
    if exc.errno in _DUTCH:
        return _DUTCH[exc.errno]
    return f"systeemfout {exc.errno}" if exc.errno is not None else "systeemfout"


def position(exc: BaseException) -> str:
    """Where a TOML or JSON parser stopped, in Dutch (``regel 3, kolom 5``), or ``op een
    onbekende plek``; the parser's English wording is left out."""
    match = re.search(r"line (\d+),? column (\d+)", str(exc))
    if match is None:
        return "op een onbekende plek"
    return f"in regel {match.group(1)}, kolom {match.group(2)}"
