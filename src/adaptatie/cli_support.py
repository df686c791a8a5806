"""Shared pieces of the command line: every error in Dutch, never a traceback.

:class:`DutchErrorGroup` turns an :class:`AdaptatieError` into ``Fout: ...`` on stderr with exit
status 1, and click's own usage errors (a wrong choice, a missing option, a folder given as file,
an unknown option or command) into a Dutch message with the fix and exit status 2.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import sys
from collections.abc import Iterator
from typing import Any

import click

from adaptatie.errors import AdaptatieError

_PATH = re.compile(r"^(?:File|Directory|Path) '(?P<p>.*)' (?P<what>.*)\.$", re.DOTALL)
_PATH_PROBLEMS = {
    "does not exist": "bestaat niet",
    "is a directory": "is een map; hier hoort een bestand",
    "is a file": "is een bestand; hier hoort een map",
    "is not readable": "kan niet worden gelezen (geen toestemming)",
    "is not writable": "kan niet worden geschreven (geen toestemming)",
    "is not executable": "is niet uitvoerbaar",
}
_VALUE = re.compile(r"^'?(?P<v>.*?)'? is not", re.DOTALL)


class DutchUsageError(click.UsageError):
    """A usage error whose message is already Dutch; shown without click's English frame."""

    def show(self, file: Any = None) -> None:
        click.echo(f"Fout: {self.message}", err=True)


def folder_option(name: str, help: str) -> Any:
    """A ``--name`` option naming a folder (``None`` when not given); one definition for the
    root command's and the sub-commands' ``--home`` and ``--data-dir``."""
    return click.option(name, type=click.Path(file_okay=False), default=None, help=help)


def year_option() -> Any:
    """The ``--year`` option (``None`` when not given: the newest boundary year); one definition
    for every command that reads one boundary year."""
    return click.option(
        "--year", type=int, default=None, help="Grensjaar (standaard: het nieuwste)."
    )


def output_option(*formats: str) -> Any:
    """The ``--format`` option (parameter ``output``) with ``formats``, the first the default;
    one definition for every command that writes a table as text, CSV or JSON."""
    return click.option(
        "--format",
        "output",
        type=click.Choice(list(formats)),
        default=formats[0],
        show_default=True,
        help="Uitvoervorm.",
    )


def _range_text(kind: click.IntRange | click.FloatRange) -> str:
    """Dutch for the bounds of a click range, e.g. 'van minstens 1'."""
    parts = []
    if kind.min is not None:
        parts.append(f"groter dan {kind.min}" if kind.min_open else f"minstens {kind.min}")
    if kind.max is not None:
        parts.append(f"kleiner dan {kind.max}" if kind.max_open else f"hoogstens {kind.max}")
    return "van " + " en ".join(parts)


def dutch_usage(exc: click.ClickException, ctx: click.Context | None) -> str:
    """The Dutch text for one of click's usage errors, with "Oplossing: ..."."""
    command = ctx.command_path if ctx is not None else "adaptatie"
    help_hint = f"zie '{command} --help'."
    if isinstance(exc, click.MissingParameter):
        name = _param_name(exc.param)
        kind = "het argument" if isinstance(exc.param, click.Argument) else "de optie"
        return (
            f"{kind} {name} ontbreekt. Oplossing: geef {name} op{_choices(exc.param)}; {help_hint}"
        )
    if isinstance(exc, click.BadParameter):
        name = _param_name(exc.param) if exc.param is not None else "een waarde"
        message = exc.message
        path = _PATH.match(message)
        if path is not None:
            problem = _PATH_PROBLEMS.get(path.group("what"), "is niet bruikbaar")
            return (
                f"{name}: '{path.group('p')}' {problem}. Oplossing: controleer het pad; "
                + help_hint
            )
        value = _VALUE.match(message)
        shown = f"'{value.group('v')}'" if value else "de waarde"
        if exc.param is not None and isinstance(exc.param.type, click.Choice):
            choices = ", ".join(str(c) for c in exc.param.type.choices)
            return f"{name}: {shown} is geen geldige keuze. Oplossing: kies een van: {choices}."
        kind = exc.param.type if exc.param is not None else None
        if isinstance(kind, click.IntRange | click.FloatRange) and "not in the range" in message:
            bounds = _range_text(kind)
            return f"{name}: {shown} ligt buiten het bereik. Oplossing: geef een getal {bounds}."
        if isinstance(kind, click.types.IntParamType):
            year = "year" in (exc.param.name or "")
            fix = "geef een getal, bijv. 2024" if year else "geef een geheel getal"
            return f"{name}: {shown} is geen geheel getal. Oplossing: {fix}."
        if exc.param is not None and isinstance(exc.param.type, click.types.FloatParamType):
            return f"{name}: {shown} is geen getal. Oplossing: geef een getal met een punt."
        return f"{name}: {shown} is ongeldig. Oplossing: {help_hint}"
    if isinstance(exc, click.NoSuchOption):
        close = f" Bedoelt u {' of '.join(exc.possibilities)}?" if exc.possibilities else ""
        return f"de optie {exc.option_name} bestaat niet.{close} Oplossing: {help_hint}"
    if exc.__class__.__name__ == "NoSuchCommand":
        name = getattr(exc, "command_name", "")
        return f"de opdracht '{name}' bestaat niet. Oplossing: {help_hint}"
    if exc.message.startswith("Got unexpected extra argument"):
        extra = exc.message[exc.message.find("(") + 1 : exc.message.rfind(")")]
        return f"te veel argumenten: {extra}. Oplossing: {help_hint}"
    if exc.message.startswith("Missing command"):
        return f"er ontbreekt een opdracht. Oplossing: {help_hint}"
    return f"de opdracht is niet juist gegeven. Oplossing: {help_hint}"


def _param_name(param: click.Parameter | None) -> str:
    if param is None:
        return "een waarde"
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return (param.name or "").upper()


def _choices(param: click.Parameter | None) -> str:
    if param is not None and isinstance(param.type, click.Choice):
        return " (een van: " + ", ".join(str(c) for c in param.type.choices) + ")"
    return ""


_USAGE_WORDS = {"[OPTIONS]": "[OPTIES]", "COMMAND [ARGS]...": "OPDRACHT [ARGUMENTEN]..."}


class DutchHelp:
    """Dutch headings and help-option text in ``--help`` (click writes them in English)."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Toon deze hulptekst en stop."
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        pieces = [_USAGE_WORDS.get(p, p) for p in pieces]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Gebruik: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        params = self.get_params(ctx)  # type: ignore[attr-defined]
        options = [p for p in params if not isinstance(p, click.Argument)]
        rows = [
            (r[0], r[1].replace("[required]", "[verplicht]").replace("[default: ", "[standaard: "))
            for p in options
            if (r := p.get_help_record(ctx)) is not None
        ]
        if rows:
            with formatter.section("Opties"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            found = [(n, self.get_command(ctx, n)) for n in self.list_commands(ctx)]
            shown = [(n, c) for n, c in found if c is not None and not c.hidden]
            if shown:
                width = formatter.width - 6 - max(len(n) for n, _ in shown)
                with formatter.section("Opdrachten"):
                    formatter.write_dl([(n, c.get_short_help_str(width)) for n, c in shown])


class DutchCommand(DutchHelp, click.Command):
    """A sub-command with Dutch help."""


def version_option() -> Any:
    """``--version`` in Dutch."""
    return click.version_option(
        package_name="adaptatie",
        help="Toon de versie en stop.",
        message="%(prog)s, versie %(version)s",
    )


class DutchErrorGroup(DutchHelp, click.Group):
    """Turns every AdaptatieError and click usage error into a Dutch message on stderr; its
    sub-commands and sub-groups get Dutch help too."""

    command_class = DutchCommand

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _usage_in_dutch():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _usage_in_dutch():
                return super().invoke(ctx)
        except AdaptatieError as exc:
            click.echo(f"Fout: {exc}", err=True)
            sys.exit(1)


@contextlib.contextmanager
def _usage_in_dutch() -> Iterator[None]:
    """Click's usage errors raised inside, as a :class:`DutchUsageError`."""
    try:
        yield
    except click.UsageError as exc:
        if isinstance(exc, DutchUsageError):
            raise
        raise DutchUsageError(dutch_usage(exc, exc.ctx), exc.ctx) from exc


DutchErrorGroup.group_class = DutchErrorGroup


class LazyGroup(DutchErrorGroup):
    """A command group whose subcommands are imported only when they are run.

    ``lazy`` maps a command name to ``"module:attribute"``; ``adaptatie regions show`` then never
    imports the ledger (SQLAlchemy) or the report (matplotlib).
    """

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)
