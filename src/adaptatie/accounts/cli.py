"""``adaptatie users add|list|set-role|reset-password|remove``: the accounts from the shell.

Whoever can run this on the server administers the installation, so these commands need no
login; the first ``beheerder`` is made here. Passwords are asked twice without echo and never
printed. ``users add NAAM --role redacteur --from-editor-hash`` takes over the old single editor
password (``ADAPTATIE_EDITOR_PASSWORD_HASH``) as the password of a named account.
"""

from __future__ import annotations

import os

import click

from adaptatie.accounts.roles import Role, parse_role
from adaptatie.accounts.store import AccountStore
from adaptatie.cli_support import DutchErrorGroup
from adaptatie.db.engine import database_url, make_engine, migrate
from adaptatie.db.errors import ConfigurationError
from adaptatie.finance.auth import PASSWORD_HASH_ENV

ROLES = click.Choice([r.value for r in Role], case_sensitive=False)


def _store(ctx: click.Context) -> AccountStore:
    url = database_url(ctx.obj, ctx.find_root().params.get("home"))
    engine = make_engine(url)
    migrate(engine)
    return AccountStore(engine)


def _password(prompt: str) -> str:
    return click.prompt(prompt, hide_input=True, confirmation_prompt="Herhaal het wachtwoord")


@click.group(cls=DutchErrorGroup)
@click.option(
    "--db-url",
    default=None,
    help="Database (standaard: $ADAPTATIE_DB_URL of adaptatie.sqlite in de werkmap).",
)
@click.pass_context
def users(ctx: click.Context, db_url: str | None) -> None:
    """Gebruikers en rollen: lezer, redacteur, facilitator, beheerder."""
    ctx.obj = db_url


@users.command("add")
@click.argument("username")
@click.option("--role", "role", type=ROLES, required=True, help="lezer, redacteur, ...")
@click.option("--name", "full_name", default="", help="Volledige naam, bijv. 'Anna de Vries'.")
@click.option(
    "--from-editor-hash",
    is_flag=True,
    help=f"Neem het oude redacteurswachtwoord over uit ${PASSWORD_HASH_ENV}.",
)
@click.pass_context
def users_add(
    ctx: click.Context, username: str, role: str, full_name: str, from_editor_hash: bool
) -> None:
    """Een gebruiker toevoegen (het wachtwoord wordt twee keer gevraagd)."""
    store = _store(ctx)
    if from_editor_hash:
        encoded = os.environ.get(PASSWORD_HASH_ENV, "").strip()
        if not encoded:
            raise ConfigurationError(
                f"{PASSWORD_HASH_ENV} is niet gezet. Oplossing: zet de oude waarde in de "
                "omgeving, of laat --from-editor-hash weg en kies een nieuw wachtwoord."
            )
        account = store.add(username, parse_role(role), full_name=full_name, password_hash=encoded)
    else:
        account = store.add(
            username, parse_role(role), _password("Wachtwoord"), full_name=full_name
        )
    click.echo(f"Gebruiker {account.display} toegevoegd met rol {account.role.value}.")


@users.command("list")
@click.pass_context
def users_list(ctx: click.Context) -> None:
    """Alle gebruikers met hun rol."""
    accounts = _store(ctx).list()
    if not accounts:
        click.echo(
            "Er zijn nog geen gebruikers. Maak de eerste beheerder met "
            "'adaptatie users add NAAM --role beheerder'."
        )
    for account in accounts:
        click.echo(f"{account.username}\t{account.role.value}\t{account.full_name}")


@users.command("set-role")
@click.argument("username")
@click.argument("role", type=ROLES)
@click.pass_context
def users_set_role(ctx: click.Context, username: str, role: str) -> None:
    """De rol van een gebruiker wijzigen (lopende sessies eindigen)."""
    account = _store(ctx).set_role(username, parse_role(role))
    click.echo(f"{account.display} heeft nu de rol {account.role.value}.")


@users.command("reset-password")
@click.argument("username")
@click.pass_context
def users_reset_password(ctx: click.Context, username: str) -> None:
    """Een nieuw wachtwoord instellen (lopende sessies eindigen)."""
    store = _store(ctx)
    store.get(username)  # a clear message before asking for a password
    store.reset_password(username, _password("Nieuw wachtwoord"))
    click.echo(f"Wachtwoord van {username.strip().casefold()} gewijzigd; opnieuw inloggen.")


@users.command("remove")
@click.argument("username")
@click.option("--yes", is_flag=True, help="Niet om bevestiging vragen.")
@click.pass_context
def users_remove(ctx: click.Context, username: str, yes: bool) -> None:
    """Een gebruiker verwijderen (het auditlog houdt de naam)."""
    store = _store(ctx)
    account = store.get(username)
    if not yes:
        click.confirm(f"Gebruiker {account.display} verwijderen?", abort=True)
    store.remove(account.username)
    click.echo(f"Gebruiker {account.display} verwijderd.")
