"""A small thread-safe memo for objects that compute each result once per instance."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Memo:
    """Compute each keyed value once; safe to share between Streamlit session threads.

    Two threads may compute the same key at the same time; the first result stored wins, so every
    caller sees the same object. Stored values must be treated as read-only.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, object] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                return self._values[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            return self._values.setdefault(key, value)  # type: ignore[return-value]

    def values(self) -> list[object]:
        with self._lock:
            return list(self._values.values())
