"""The ``sayyes`` command: a thin layer over the same service functions the pages use.

Every command migrates a fresh data directory as needed, honours ``SAYYES_DATA_DIR``
and ``DATABASE_URL``, and fails with one clear line on stderr and a non-zero exit.

Django is set up in one place, ``SetUp.invoke``: once a command's arguments are read, so
``--help`` and usage errors never touch the database. A command says how much it needs
with ``database=``: ``"migrated"`` (the default), ``"serving"`` (migrated, and logging
below ERROR: ``serve``, ``worker``), ``"configured"`` (Django without migrating:
``migrate``, ``manage``) or ``None`` (``backup``, ``restore``, ``transcribe``).
Each command group lives in its own module; importing them at the end registers them.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any, Literal

import typer
from typer.core import TyperCommand

from .common import CliError, err, error_text, setup

Database = Literal["migrated", "serving", "configured"] | None


class SetUp(TyperCommand):
    """A command that needs Django, set up after its arguments are read."""

    migrate = True
    logs = False  # one-shot commands print their own one-line errors: log only errors

    def invoke(self, ctx: Any) -> Any:
        # Looked up at call time, so `sayyes.cli.setup` can be replaced in tests.
        sys.modules[__name__].setup(migrate=self.migrate, logs=self.logs)
        return super().invoke(ctx)


class Serve(SetUp):
    """A long-running command (serve, worker): it logs tasks, refusals and its lifecycle."""

    logs = True


class Configure(SetUp):
    """A command that needs Django but migrates on its own terms (or not at all)."""

    migrate = False


_COMMAND_CLASS: dict[Database, type[TyperCommand]] = {
    "migrated": SetUp,
    "serving": Serve,
    "configured": Configure,
    None: TyperCommand,
}


class App(typer.Typer):
    """A Typer app whose commands set Django up as they declare (``database=``)."""

    def command(self, name: str | None = None, *, database: Database = "migrated", **kwargs):
        kwargs.setdefault("cls", _COMMAND_CLASS[database])
        return super().command(name, **kwargs)


app = App(
    help="sayyes: say yes to every interview, and get something out of each one.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
user_app = App(help="Manage accounts: create users, API tokens, login links.", no_args_is_help=True)
add_app = App(help="Add things to your pipeline.", no_args_is_help=True)
import_app = App(
    help="Bring data in: LinkedIn connections, vCards, archives, spreadsheets, postings, "
    "invitations.",
    no_args_is_help=True,
)
export_app = App(help="Take your data out: vCards, calendar files.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(add_app, name="add")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")


def main() -> None:
    """Run the CLI; every failure becomes one line on stderr and a non-zero exit."""
    from django.core.exceptions import ValidationError

    from sayyes.conf import ConfigError
    from sayyes.core.errors import BadParameter, NotFound

    try:
        # Outside standalone mode Typer returns the exit code of `raise typer.Exit(n)` and of
        # Ctrl+C (130) instead of exiting: pass it on, or an interrupted command "succeeds".
        code = app(standalone_mode=False)
    except (CliError, ConfigError, ValidationError, NotFound, BadParameter) as exc:
        err.print(f"sayyes: {error_text(exc)}")
        sys.exit(1)
    except typer.Abort:
        err.print("sayyes: aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except typer.TyperException as exc:
        # Usage errors (unknown command, bad option value). Typer vendors click, so these
        # are not click.ClickException. NoArgsIsHelpError has printed the help already.
        message = exc.format_message().strip()
        if message and type(exc).__name__ != "NoArgsIsHelpError":
            err.print(f"sayyes: {' '.join(message.split())}")
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("SAYYES_DEBUG", "").lower() in ("true", "1"):
            raise
        err.print(f"sayyes: {_describe(exc)}")
        sys.exit(1)
    if isinstance(code, int) and code:
        sys.exit(code)


def _describe(exc: Exception) -> str:
    from django.db.utils import OperationalError

    if isinstance(exc, OperationalError):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"cannot use the database: {first}"
    said = " ".join(str(exc).split())  # one line, whatever the exception says
    return f"unexpected error ({type(exc).__name__}: {said}); set SAYYES_DEBUG=true to see details"


# The commands, one module per group; this order is the order of `sayyes --help`.
COMMAND_MODULES = (
    "server", "accounts", "pipeline", "demo", "practice", "network", "agenda", "triage",
    "offers", "journal", "portability", "invitations",
)  # fmt: skip
for _module in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["app", "main", "setup", "CliError"]

if __name__ == "__main__":
    main()
