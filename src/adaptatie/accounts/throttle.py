"""The brake on password guessing: a growing delay per account and per client.

A failed login answers only after a delay that grows with the failures of that account and of
that client within the last :data:`WINDOW_S` seconds: 0,05 s, 0,1 s, 0,2 s, 0,4 s, then 0,5 s
each, and 2 s each from the :data:`SLOW_AFTER`-th failure. The delay includes the time the
password check itself took, so 40 wrong passwords in a row take 0,05 + 0,1 + 0,2 + 0,4 + 36 x 0,5
= 18,75 s on any machine whose hash is faster than the delay. Attempts on the same account or from
the same client are served one at a time, so parallel sessions do not guess faster.

The delay is paid by the failing attempt, never by the next one: the right password after a run
of wrong ones works at once (a colleague who mistyped is not locked out), and a success resets the
account's count. An attempt that waits longer than :data:`MAX_WAIT_S` for its turn is refused
with a Dutch message. Counts live in the server process (one Streamlit server); they are not
shared between processes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass

from adaptatie.accounts.errors import LoginError

WINDOW_S = 15 * 60
BASE_S = 0.05
CAP_S = 0.5
SLOW_AFTER = 100
SLOW_S = 2.0
MAX_WAIT_S = 30.0
_MAX_KEYS = 10_000


def delay_after(failures: int) -> float:
    """Seconds a failed attempt takes when it is the ``failures``-th in the window."""
    if failures <= 0:
        return 0.0
    if failures >= SLOW_AFTER:
        return SLOW_S
    return min(BASE_S * 2 ** (failures - 1), CAP_S)


@dataclass
class _Count:
    failures: int = 0
    last: float = 0.0


class LoginThrottle:
    """Thread-safe failure counts per key (``account:NAME``, ``client:ADDRESS``)."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._guard = threading.Lock()
        self._counts: dict[str, _Count] = {}
        self._turns: dict[str, threading.Lock] = {}

    def failures(self, key: str) -> int:
        """Failures of ``key`` still inside the window."""
        with self._guard:
            return self._current(key).failures

    def attempt(self, keys: Iterable[str], check: Callable[[], bool]) -> bool:
        """Run ``check`` (the password check) as one attempt for every key; True on success.

        A failure sleeps until the attempt has taken :func:`delay_after` of the highest count.
        """
        ordered = sorted(set(keys))
        with ExitStack() as stack:
            for key in ordered:
                turn = self._turn(key)
                if not turn.acquire(timeout=MAX_WAIT_S):
                    raise LoginError(
                        "Er wachten te veel inlogpogingen voor dit account of deze computer. "
                        "Oplossing: probeer het over een minuut opnieuw; lukt het dan nog niet, "
                        "meld het aan de beheerder (mogelijk raadt iemand wachtwoorden)."
                    )
                stack.callback(turn.release)
            start = self._clock()
            ok = check()
            with self._guard:
                if ok:
                    for key in ordered:
                        if key.startswith("account:"):
                            self._counts.pop(key, None)
                    return True
                worst = 0
                for key in ordered:
                    count = self._current(key)
                    count.failures += 1
                    count.last = self._clock()
                    self._counts[key] = count
                    worst = max(worst, count.failures)
            wait = delay_after(worst) - (self._clock() - start)
            if wait > 0:
                self._sleep(wait)
            return False

    def _current(self, key: str) -> _Count:
        count = self._counts.get(key)
        if count is None or self._clock() - count.last > WINDOW_S:
            return _Count()
        return count

    def _turn(self, key: str) -> threading.Lock:
        with self._guard:
            if len(self._turns) > _MAX_KEYS:  # many names tried: forget idle keys
                now = self._clock()
                self._turns = {k: t for k, t in self._turns.items() if t.locked()}
                self._counts = {k: c for k, c in self._counts.items() if now - c.last <= WINDOW_S}
            return self._turns.setdefault(key, threading.Lock())
