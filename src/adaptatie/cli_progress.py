"""A one-line progress bar on stderr with the pixels per second and the time left."""

from __future__ import annotations

import time
from collections.abc import Callable

import click

from adaptatie import fmt

_BAR = 24


class RateBar:
    """``bar(label, done, total)``: redraws at most a few times a second."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.label: str | None = None
        self.start = 0.0
        self.shown = 0.0

    def __call__(self, label: str, done: int, total: int) -> None:
        now = self.clock()
        if label != self.label:
            if self.label is not None:
                click.echo("", err=True)
            self.label, self.start, self.shown = label, now, 0.0
        elif now - self.shown < 0.25 and done < total:
            return
        self.shown = now
        click.echo("\r" + line(label, done, total, now - self.start), nl=False, err=True)

    def close(self) -> None:
        if self.label is not None:
            click.echo("", err=True)
            self.label = None


def line(label: str, done: int, total: int, seconds: float) -> str:
    """E.g. ``Controleren [######------] 50 % 12,5 Mpx/s, nog 0:40``."""
    share = done / total if total else 1.0
    filled = min(_BAR, round(_BAR * share))
    bar = "#" * filled + "-" * (_BAR - filled)
    text = f"{label:<16} [{bar}] {fmt.number(100 * share, 0)} %"
    if seconds > 0 and done > 0:
        rate = done / seconds
        left = (total - done) / rate
        text += f"  {fmt.number(rate / 1e6, 1)} Mpx/s, nog {_clock(left)}"
    return text


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
