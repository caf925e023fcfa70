"""What every command module shares: the consoles, Django set-up, the current user, files,
errors and JSON in the API's shapes."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

# The account a command works on; needed only when the installation has several.
UserOption = Annotated[str | None, typer.Option(help="Account (needed when there are several).")]
# An import that only says what it would do.
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show what would happen; import nothing.")]

# No markup: names, titles and error messages are user text, and "[/x]" in one of them made
# Rich raise MarkupError (a traceback) or swallow "[bold]" silently.
out = Console(markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


class CliError(Exception):
    """A failure to report as one line on stderr."""


# --- Django ------------------------------------------------------------------------------------


def setup(migrate: bool = True, logs: bool = False) -> None:
    """Configure Django and bring the database schema up to date.

    Only the long-running commands (``logs=True``) log below ERROR: the others print
    their own one-line errors."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sayyes.settings")
    import django
    from django.apps import apps

    if not apps.ready:  # once: setting up again would point logging at another stderr
        django.setup()
    if not logs:
        from sayyes.core.logs import errors_only

        errors_only()
    if migrate:
        migrate_if_needed()


def migrate_if_needed(verbose: bool = False) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        if verbose:
            err.print(f"Preparing the database ({len(plan)} migrations)…")
        call_command("migrate", verbosity=0, interactive=False)


def refresh_question_bank() -> None:
    """Add the built-in questions a new version of sayyes brings (never touches yours)."""
    from sayyes.practice.services import load_bank

    created, updated = load_bank()
    if created or updated:
        err.print(f"Question bank: {created} new, {updated} updated.")


# --- who and what ------------------------------------------------------------------------------


def find_account(name: str) -> Any:
    """The account called ``name`` (any case), or a one-line error."""
    from django.core.exceptions import ValidationError

    from sayyes.accounts.services import find_user

    try:
        return find_user(name)
    except ValidationError as exc:
        raise CliError(exc.message_dict["user"][0]) from None


def current_user(name: str | None) -> Any:
    """The account a command works on: ``--user NAME``, or the only one there is."""
    from django.contrib.auth import get_user_model

    if name:
        return find_account(name)
    users = list(get_user_model().objects.order_by("id")[:2])
    if len(users) == 1:
        return users[0]
    if not users:
        raise CliError("there is no account yet; run `sayyes serve` or `sayyes user create NAME`")
    raise CliError("several accounts exist; say which with --user NAME")


def owned(queryset: Any, account: Any, pk: object, *, see: str) -> Any:
    """The account's object with this id (a list of ids: these objects, in this order),
    through core's ``get_for``/``many_for``; else one line saying which is missing, and where
    to look (``see``)."""
    from sayyes.core.errors import NotFound, one_line

    try:
        if isinstance(pk, list):
            return queryset.many_for(account, pk)
        return queryset.get_for(account, pk)
    except NotFound as exc:
        raise CliError(f"{one_line(exc)} See `{see}`.") from None


# --- errors ------------------------------------------------------------------------------------


def error_text(exc: BaseException) -> str:
    """One line for a failure; a form error names its field (``salary_max: ...``)."""
    from django.core.exceptions import ValidationError

    from sayyes.core.errors import one_line

    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        text = f"{field}: {messages[0]}" if field != "__all__" else messages[0]
        return " ".join(text.split())
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages[0].split())
    return one_line(exc)


# --- JSON in the API's shapes ------------------------------------------------------------------


def api_json(data: Any, schema: Any = None) -> str:
    """``data`` as the API answers it: through its ``Out`` schema (when given) and its encoder
    (ISO 8601 times, ``Z`` for UTC, decimals as exact strings), on one line."""
    from sayyes.api import Encoder

    if schema is not None:
        data = schema.model_validate(data).model_dump()
    return json.dumps(data, cls=Encoder)


def print_json(data: Any, schema: Any = None) -> None:
    sys.stdout.write(api_json(data, schema) + "\n")


# --- terminal and files ------------------------------------------------------------------------


def progress_bar() -> Progress:
    """The progress bar of long work, on stderr so stdout stays clean for scripts."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
    )


def read_answer() -> str:
    """Lines typed until an empty one (or the end of input), as one text."""
    lines = []
    while True:
        try:
            line = input("> " if sys.stdin.isatty() else "")
        except EOFError:
            break
        if not line.strip():
            break
        lines.append(line)
    return "\n".join(lines).strip()


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from None


def write_file(path: Path, data: bytes) -> None:
    try:
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # never a half-written file
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror}") from None


def nothing_imported(source: object, run: Any, *errors: type[Exception]) -> Any:
    """Run an import; a refused file (``errors``, ImportFailed when none are named) is one
    line naming it, and nothing was written."""
    from sayyes.core.errors import ImportFailed

    refused = errors or (ImportFailed,)
    try:
        return run()
    except refused as exc:
        raise CliError(f"{source}: {exc}; nothing was imported") from None


def report_import(file: object, run: Any, dry_run: bool) -> None:
    """Run an import and print what it did (or, for a dry run, would do)."""
    report = nothing_imported(file, run)
    out.print(("Dry run, nothing written. " if dry_run else "") + report.summary())
