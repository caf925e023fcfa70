"""Accounts: ``sayyes user create|token|link|list|delete``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from . import user_app
from .common import CliError, find_account, out


@user_app.command("create")
def user_create(
    name: str,
    email: Annotated[str, typer.Option(help="Email address.")] = "",
    display_name: Annotated[
        str, typer.Option(help="Your name as recruiters see it: it signs every draft.")
    ] = "",
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read a password from standard input (else the account signs in by link).",
        ),
    ] = False,
) -> None:
    """Create an account."""
    from sayyes.accounts.services import create_user

    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CliError("no password on standard input")
    user = create_user(name, email, password, display_name=display_name)
    out.print(f"Created user {user.username!r}.")


@user_app.command("token")
def user_token(
    name: str,
    label: Annotated[str, typer.Option("--name", help="What the token is for.")] = "cli",
) -> None:
    """Print a new API token for NAME (only the token, on stdout)."""
    from sayyes.accounts.services import issue_token

    sys.stdout.write(issue_token(find_account(name), label) + "\n")


@user_app.command("link")
def user_link(
    name: str,
    base_url: Annotated[
        str, typer.Option(help="Where sayyes is served.")
    ] = "http://127.0.0.1:8000",
) -> None:
    """Print a one-time login link for NAME."""
    from sayyes.accounts.services import login_link

    sys.stdout.write(login_link(find_account(name), base_url) + "\n")


@user_app.command("list")
def user_list() -> None:
    """List accounts."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    table = Table("user", "email", "opportunities", "joined")
    users = get_user_model().objects.annotate(n_opportunities=Count("opportunities"))
    for u in users.order_by("id"):
        table.add_row(u.username, u.email, str(u.n_opportunities), f"{u.date_joined:%Y-%m-%d}")
    out.print(table)


@user_app.command("delete")
def user_delete(
    name: str,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an account and everything it owns (rows, files, sessions, tokens)."""
    from sayyes.portability.deletion import delete_account

    account = find_account(name)
    if not yes:
        typer.confirm(
            f"Delete {account.username!r} and everything they own? This cannot be undone",
            abort=True,
        )
    counts = delete_account(account)
    out.print(f"Deleted {account.username!r} ({sum(counts.values()):,} records).")
