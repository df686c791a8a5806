"""One-line progress bars on stderr: :class:`StderrBar` and :func:`bar_text` for every bar of
the CLI, and :class:`RateBar`, with the pixels per second and the time left."""

from __future__ import annotations

import time
from collections.abc import Callable

import click

from adaptatie import fmt

_BAR = 24


class StderrBar:
    """A progress line on stderr, redrawn in place; another label goes on a new line."""

    def __init__(self) -> None:
        self.label: str | None = None

    def _switch(self, label: str) -> bool:
        """Go to a new line for a new ``label``; True when the label changed."""
        if label == self.label:
            return False
        if self.label is not None:
            click.echo("", err=True)
        self.label = label
        return True

    def close(self) -> None:
        """End the line that was drawn (nothing when none was)."""
        if self.label is not None:
            click.echo("", err=True)
            self.label = None


def bar_text(share: float) -> str:
    """``[######------]``: 24 characters, ``share`` (0 to 1) of them filled."""
    filled = min(_BAR, round(_BAR * share))
    return "[" + "#" * filled + "-" * (_BAR - filled) + "]"


class RateBar(StderrBar):
    """``bar(label, done, total)``: redraws at most a few times a second."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.clock = clock
        self.start = 0.0
        self.shown = 0.0

    def __call__(self, label: str, done: int, total: int) -> None:
        now = self.clock()
        if self._switch(label):
            self.start, self.shown = now, 0.0
        elif now - self.shown < 0.25 and done < total:
            return
        self.shown = now
        click.echo("\r" + line(label, done, total, now - self.start), nl=False, err=True)


def line(label: str, done: int, total: int, seconds: float) -> str:
    """E.g. ``Controleren [######------] 50 % 12,5 Mpx/s, nog 0:40``."""
    share = done / total if total else 1.0
    text = f"{label:<16} {bar_text(share)} {fmt.number(100 * share, 0)} %"
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
