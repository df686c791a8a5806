"""Shared pieces of the command line."""

from __future__ import annotations

import sys
from typing import Any

import click

from adaptatie.errors import AdaptatieError


class DutchErrorGroup(click.Group):
    """Turns every AdaptatieError into a Dutch message on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AdaptatieError as exc:
            click.echo(f"Fout: {exc}", err=True)
            sys.exit(1)
