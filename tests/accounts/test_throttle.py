"""The brake on password guessing: 40 wrong passwords take 12-24 s, the right one works at once.

Delays after the n-th failure in the window (see adaptatie.accounts.throttle): 0,05, 0,1, 0,2,
0,4 s, then 0,5 s; so 40 failures in a row take 0,05 + 0,1 + 0,2 + 0,4 + 36 x 0,5 = 18,75 s.
"""

from __future__ import annotations

import threading
import time

import pytest

from adaptatie.accounts.errors import LoginError
from adaptatie.accounts.roles import Role
from adaptatie.accounts.store import AccountStore
from adaptatie.accounts.throttle import WINDOW_S, LoginThrottle

PASSWORD = "de juiste lange zin"


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_forty_failures_take_18_75_seconds_then_the_right_password_passes_at_once() -> None:
    fake = FakeTime()
    throttle = LoginThrottle(fake.clock, fake.sleep)
    keys = ("account:anna", "client:10.0.0.9")
    for _ in range(40):
        assert not throttle.attempt(keys, lambda: False)
    assert fake.sleeps[:5] == pytest.approx([0.05, 0.1, 0.2, 0.4, 0.5])
    assert sum(fake.sleeps) == pytest.approx(18.75)
    before = len(fake.sleeps)
    assert throttle.attempt(keys, lambda: True)
    assert len(fake.sleeps) == before  # no delay for the right password
    assert throttle.failures("account:anna") == 0  # a success resets the account
    assert throttle.failures("client:10.0.0.9") == 40  # but not the client


def test_the_client_is_braked_across_accounts() -> None:
    fake = FakeTime()
    throttle = LoginThrottle(fake.clock, fake.sleep)
    for index in range(5):  # five different names from one client
        throttle.attempt((f"account:naam{index}", "client:x"), lambda: False)
    assert fake.sleeps == pytest.approx([0.05, 0.1, 0.2, 0.4, 0.5])


def test_failures_are_forgotten_after_the_window() -> None:
    fake = FakeTime()
    throttle = LoginThrottle(fake.clock, fake.sleep)
    for _ in range(10):
        throttle.attempt(("account:anna",), lambda: False)
    fake.now += WINDOW_S + 1
    throttle.attempt(("account:anna",), lambda: False)
    assert fake.sleeps[-1] == pytest.approx(0.05)


def test_parallel_attempts_on_one_account_are_served_one_at_a_time() -> None:
    throttle = LoginThrottle()
    inside = []
    overlap = []

    def check() -> bool:
        inside.append(1)
        overlap.append(len(inside))
        time.sleep(0.02)
        inside.pop()
        return False

    threads = [
        threading.Thread(target=throttle.attempt, args=(("account:anna",), check))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert max(overlap) == 1


def test_real_brake_through_the_store(accounts: AccountStore) -> None:
    """In real time, with the real scrypt hash: 40 wrong passwords take 12-24 s."""
    accounts.add("anna", Role.REDACTEUR, PASSWORD)
    start = time.monotonic()
    for attempt in range(40):
        with pytest.raises(LoginError, match="klopt niet"):
            accounts.authenticate("anna", f"fout wachtwoord {attempt}", client="10.0.0.9")
    elapsed = time.monotonic() - start
    assert 12 <= elapsed <= 24, elapsed
    start = time.monotonic()
    assert accounts.authenticate("anna", PASSWORD, client="10.0.0.9").username == "anna"
    assert time.monotonic() - start < 1.0  # one scrypt check, no brake
