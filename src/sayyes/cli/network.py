"""Contacts in and out: ``sayyes import linkedin|vcard`` and ``sayyes export vcard``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import export_app, import_app
from .common import (
    DryRun,
    UserOption,
    current_user,
    out,
    progress_bar,
    read_file,
    report_import,
    write_file,
)


@import_app.command("linkedin")
def import_linkedin_command(
    file: Annotated[Path, typer.Argument(help="LinkedIn's Connections.csv.")],
    user: UserOption = None,
    dry_run: DryRun = False,
) -> None:
    """Import your LinkedIn connections (all or nothing; re-importing changes nothing)."""
    from sayyes.network.importers import import_linkedin

    account = current_user(user)
    data = read_file(file)
    with progress_bar() as progress:
        task = progress.add_task("Importing connections", total=None)
        report_import(
            file,
            lambda: import_linkedin(
                account,
                data,
                dry_run=dry_run,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            ),
            dry_run,
        )


@import_app.command("vcard")
def import_vcard_command(
    file: Annotated[Path, typer.Argument(help="A .vcf file (vCard 3.0 or 4.0).")],
    user: UserOption = None,
    dry_run: DryRun = False,
) -> None:
    """Import contacts from a vCard file."""
    from sayyes.network.importers import import_vcards

    account, data = current_user(user), read_file(file)
    report_import(file, lambda: import_vcards(account, data, dry_run=dry_run), dry_run)


@export_app.command("vcard")
def export_vcard_command(
    file: Annotated[Path, typer.Argument(help="Where to write the .vcf file.")],
    user: UserOption = None,
) -> None:
    """Write your contacts as vCard 4.0."""
    from sayyes.network.importers import export_vcards
    from sayyes.network.models import Contact

    account = current_user(user)
    write_file(file, export_vcards(account).encode("utf-8"))
    out.print(f"Wrote {Contact.objects.owned_by(account).count()} contacts to {file}.")
