"""Your data in and out: archives, postings, spreadsheets, backups and restores."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from . import app, export_app, import_app
from .common import (
    CliError,
    DryRun,
    UserOption,
    current_user,
    err,
    nothing_imported,
    out,
    progress_bar,
    read_file,
    report_import,
)


@export_app.command("archive")
def export_archive_command(
    file: Annotated[Path, typer.Argument(help="Where to write the archive (.zip).")],
    user: UserOption = None,
) -> None:
    """Write everything you own (a zip of versioned JSON and your recordings)."""
    import tempfile

    from sayyes.portability.archive import export_archive
    from sayyes.portability.registry import archived_models

    account = current_user(user)
    try:
        with (
            tempfile.NamedTemporaryFile(
                dir=file.resolve().parent, prefix=f".{file.name}.", delete=False
            ) as tmp,
            progress_bar() as progress,
        ):
            task = progress.add_task("Exporting", total=len(archived_models()))
            report = export_archive(
                account, tmp, lambda label: progress.update(task, advance=1, description=label)
            )
        Path(tmp.name).replace(file)  # never a half-written archive
    except OSError as exc:
        raise CliError(f"cannot write {file}: {exc.strerror}") from None
    out.print(f"Wrote {report.summary().removesuffix('.')} to {file}.")


@import_app.command("archive")
def import_archive_command(
    file: Annotated[Path, typer.Argument(help="An archive made by `sayyes export archive`.")],
    user: UserOption = None,
) -> None:
    """Add a sayyes archive to an account (all or nothing; new ids, links kept)."""
    from sayyes.portability.archive import ArchiveError, import_archive

    account = current_user(user)
    try:
        source = file.open("rb")  # read as a stream: the archive is never held whole
    except OSError as exc:
        raise CliError(f"cannot read {file}: {exc.strerror}") from None
    with source:
        report = nothing_imported(file, lambda: import_archive(account, source), ArchiveError)
    out.print(f"Imported {report.summary()}")


@import_app.command("posting")
def import_posting_command(
    source: Annotated[str, typer.Argument(help="A saved job-ad page (.html) or its URL.")],
    user: UserOption = None,
    url: Annotated[
        str, typer.Option("--url", help="The posting's address, when SOURCE is a saved file.")
    ] = "",
) -> None:
    """Save a job posting as an opportunity (read from its schema.org data or its text)."""
    from sayyes.network.importers import ImportFailed
    from sayyes.portability.posting import fetch, import_posting

    account = current_user(user)

    def run() -> Any:
        nonlocal url
        if source.lower().startswith(("http://", "https://")):
            data, url = fetch(source)
        else:
            data = read_file(Path(source))
        return import_posting(account, data, url)

    result = nothing_imported(source, run, ImportFailed)
    out.print(f"{result.summary()} Opportunity {result.opportunity.pk}.")


@import_app.command("csv")
def import_csv_command(
    file: Annotated[Path, typer.Argument(help="A spreadsheet: .csv or .xlsx.")],
    user: UserOption = None,
    dry_run: DryRun = False,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help='Match a column to a field: "Column=field" (or "Column=ignore").'
        ),
    ] = None,
) -> None:
    """Import opportunities from a job-hunt spreadsheet (all rows or none)."""
    from sayyes.network.importers import ImportFailed
    from sayyes.portability.spreadsheet import analyse, apply_sheet, parse_mapping

    account = current_user(user)
    data = read_file(file)
    sheet = nothing_imported(
        file, lambda: analyse(data, file.name, parse_mapping(map_)), ImportFailed
    )
    for column in sheet.columns:
        how = f" (by {column.how})" if column.how else ""
        err.print(f"  {column.header} -> {column.field_label}{how}")
    with progress_bar() as progress:
        task = progress.add_task("Importing rows", total=len(sheet.rows))
        report_import(
            file,
            lambda: apply_sheet(
                account,
                sheet,
                dry_run=dry_run,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            ),
            dry_run,
        )


def _sqlite_or_explain(action: str) -> None:
    from sayyes.conf import env

    if env("DATABASE_URL"):
        raise CliError(
            f"sayyes is using the database in DATABASE_URL, not SQLite: {action} it with "
            "PostgreSQL's own tools (pg_dump -Fc / pg_restore; see the README's PostgreSQL "
            "section)"
        )


@app.command("backup", database=None)
def backup_command(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (.zip).")],
) -> None:
    """Back up the whole installation (SQLite database and data folder), while it runs."""
    from sayyes.conf import data_dir
    from sayyes.portability.backup import DB_NAME, BackupError, backup

    _sqlite_or_explain("back up")
    folder = data_dir()
    try:
        with progress_bar() as progress:
            task = progress.add_task("Backing up", total=None)
            report = backup(
                file,
                folder,
                folder / DB_NAME,
                progress=lambda what: progress.update(task, description=what),
            )
    except BackupError as exc:
        raise CliError(str(exc)) from None
    out.print(f"Backed up {report.summary()} to {file}.")


@app.command("restore", database=None)
def restore_command(
    file: Annotated[Path, typer.Argument(help="A backup made by `sayyes backup`.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Restore even if the data folder is not empty."),
    ] = False,
) -> None:
    """Restore a backup into an empty data folder (SAYYES_DATA_DIR). Stop sayyes first."""
    from sayyes.conf import data_dir
    from sayyes.portability.backup import BackupError, restore

    _sqlite_or_explain("restore")
    folder = data_dir()
    try:
        report = restore(file, folder, force=force)
    except BackupError as exc:
        raise CliError(f"{exc}; nothing was restored") from None
    out.print(f"Restored {report.summary()} into {folder}.")
