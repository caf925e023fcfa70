"""Backup and restore of a whole installation on SQLite: the database and the data directory.

    backup(dest, data_dir, db_path) -> BackupReport
    restore(source, data_dir, force=False) -> BackupReport

A backup is a zip file:

- ``manifest.json``: ``{"format": "sayyes-backup", "version": 1, "created_at": ...,
  "database": {"name": "sayyes.sqlite3", "size": n, "sha256": ...},
  "files": {"relative/path": {"size": n, "sha256": ...}}}``
- ``database/sayyes.sqlite3``: a consistent copy of the live database, made with SQLite's
  online backup API (never a file copy, which could catch a half-written page), while the
  server goes on working;
- ``files/...``: every other file of the data directory (the secret key, recordings, the
  mail folder), except the live database's own files and unfinished uploads.

A restore checks the whole backup (checksums, ``PRAGMA integrity_check``) before putting
anything in place, and only into an empty data directory unless ``force``.

No Django here: the CLI calls these before (or without) configuring Django, so a restore
never creates a database of its own first.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

FORMAT = "sayyes-backup"
VERSION = 1
DB_NAME = "sayyes.sqlite3"
# Not backed up: the live database's own files (the backup has a consistent copy),
# unfinished uploads waiting for a confirmation, collected static files, files staged for a
# transaction (core/staging.py), and temporary folders: a restore's (even one killed
# half-way) and a backup's own, when it is written inside the data directory.
SKIP_NAMES = {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"}
SKIP_DIRS = {"uploads", "static", "staging"}
RESTORE_PREFIX = ".restore-"
BACKUP_PREFIX = "sayyes-backup-"
TEMPORARY = (RESTORE_PREFIX, BACKUP_PREFIX)
CHUNK = 1024 * 1024
# A manifest lists a checksum per file: a few MB for the largest installation. It is the one
# member read into memory, so a larger one (a zip bomb's) is refused from the directory.
MAX_MANIFEST = 64 * 1024 * 1024


class BackupError(Exception):
    """The backup or restore can't be done; nothing was changed. One line."""


@dataclass
class BackupReport:
    database_bytes: int
    files: int
    file_bytes: int
    tables: dict[str, int]

    def summary(self) -> str:
        rows = sum(self.tables.values())
        return (
            f"database {self.database_bytes / 1e6:,.1f} MB ({rows:,} rows in "
            f"{len(self.tables)} tables), {self.files:,} files "
            f"({self.file_bytes / 1e6:,.1f} MB)"
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _data_files(data_dir: Path, exclude: set[Path]) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(data_dir):
        here = Path(root)
        if here == data_dir:
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(TEMPORARY)]
        dirs.sort()
        for name in sorted(files):
            path = here / name
            if here == data_dir and name in SKIP_NAMES:
                continue
            if path.resolve() in exclude or not path.is_file():
                continue
            found.append(path)
    return found


def table_counts(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "select name from sqlite_master where type='table' and name not like 'sqlite_%'"
            )
        ]
        return {n: conn.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names}


def backup(
    dest: Path,
    data_dir: Path,
    db_path: Path,
    progress: Callable[[str], None] | None = None,
) -> BackupReport:
    """Write a backup of ``db_path`` and the files of ``data_dir`` to ``dest`` (a zip)."""
    dest = Path(dest)
    data_dir = Path(data_dir)
    db_path = Path(db_path)
    if not db_path.is_file():
        raise BackupError(f"there is no database at {db_path}")
    dest_parent = dest.resolve().parent
    if not dest_parent.is_dir():
        raise BackupError(f"cannot write {dest}: no folder {dest_parent}")
    with tempfile.TemporaryDirectory(prefix=BACKUP_PREFIX, dir=dest_parent) as tmp:
        copy = Path(tmp) / DB_NAME
        if progress:
            progress("Copying the database")
        source = sqlite3.connect(db_path, timeout=30)
        target = sqlite3.connect(copy)
        try:
            source.execute("PRAGMA busy_timeout=30000")
            # All pages in one step: a consistent snapshot however busy the server is.
            source.backup(target)
        except sqlite3.Error as exc:
            raise BackupError(f"cannot copy the database: {exc}") from None
        finally:
            target.close()
            source.close()
        with sqlite3.connect(copy) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        tables = table_counts(copy)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "database": {
                "name": DB_NAME,
                "size": copy.stat().st_size,
                "sha256": _sha256(copy),
                "tables": tables,
            },
            "files": {},
        }
        part = Path(tmp) / "backup.zip"
        file_bytes = 0
        exclude = {dest.resolve(), part.resolve()}
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.write(copy, f"database/{DB_NAME}")
            files = _data_files(data_dir, exclude)
            if progress:
                progress(f"Copying {len(files)} files")
            for path in files:
                rel = path.relative_to(data_dir).as_posix()
                try:
                    content = path.read_bytes()  # read once: checksum and copy agree
                except OSError:
                    continue  # removed meanwhile
                zf.writestr(f"files/{rel}", content)
                manifest["files"][rel] = {
                    "size": len(content),
                    "sha256": hashlib.sha256(content).hexdigest(),
                }
                file_bytes += len(content)
            zf.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
        try:
            part.chmod(0o600)  # it holds the secret key and everyone's data: yours only
            os.replace(part, dest)
        except OSError as exc:
            raise BackupError(f"cannot write {dest}: {exc.strerror}") from None
    return BackupReport(manifest["database"]["size"], len(manifest["files"]), file_bytes, tables)


def clear_leftovers(data_dir: Path) -> int:
    """Remove what restores and backups killed half-way left in ``data_dir`` (their
    temporary folders); how many. Run before a restore: nothing else uses them then."""
    removed = 0
    if data_dir.is_dir():
        for path in data_dir.iterdir():
            if path.is_dir() and path.name.startswith(TEMPORARY):
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
    return removed


def _safe_rel(name: str) -> PurePosixPath:
    rel = PurePosixPath(name)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or "\\" in name:
        raise BackupError(f"the backup holds an unsafe path: {name!r}")
    return rel


def _check_sizes(zf: zipfile.ZipFile, source: Path, data_dir: Path) -> None:
    """Refuse a backup by its zip directory before anything is unpacked: a manifest larger
    than any real one, or more than the disk has free (the staging copy and the restored
    files are on the same disk, so everything must fit once)."""
    from sayyes.core.prose import file_size

    infos = zf.infolist()
    manifest = next((i for i in infos if i.filename == "manifest.json"), None)
    if manifest is not None and manifest.file_size > MAX_MANIFEST:
        raise BackupError(
            f"{source} is not a sayyes backup: its manifest unpacks to "
            f"{file_size(manifest.file_size)}, more than any backup's"
        )
    needed = sum(i.file_size for i in infos)
    free = shutil.disk_usage(data_dir).free
    if needed > free:
        raise BackupError(
            f"the backup unpacks to {file_size(needed)} but {data_dir} has only "
            f"{file_size(free)} free: make room first"
        )


def restore(source: Path, data_dir: Path, force: bool = False) -> BackupReport:
    """Put a backup in ``data_dir``: checked completely first, into an empty folder."""
    source = Path(source)
    data_dir = Path(data_dir)
    clear_leftovers(data_dir)
    if data_dir.exists() and any(data_dir.iterdir()) and not force:
        raise BackupError(
            f"the data directory {data_dir} is not empty; restore into an empty one "
            "(set SAYYES_DATA_DIR) or add --force to replace its database"
        )
    try:
        zf = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise BackupError(f"there is no file {source}") from None
    except (zipfile.BadZipFile, OSError):
        raise BackupError(
            f"{source} is not a sayyes backup (not a zip file, or cut short)"
        ) from None
    data_dir.mkdir(parents=True, exist_ok=True)
    with zf, tempfile.TemporaryDirectory(prefix=RESTORE_PREFIX, dir=data_dir) as tmp:
        staging = Path(tmp)
        try:
            _check_sizes(zf, source, data_dir)
            manifest = json.loads(zf.read("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise BackupError(f"{source} is not a sayyes backup")
            if not isinstance(manifest.get("version"), int) or manifest["version"] > VERSION:
                raise BackupError("the backup was made by a newer sayyes: update sayyes first")
            listed = {f"database/{DB_NAME}"} | {f"files/{_safe_rel(n)}" for n in manifest["files"]}
            names = set(zf.namelist()) - {"manifest.json"}
            if names != listed:
                odd = sorted(names ^ listed)[0]
                raise BackupError(f"the backup was altered: {odd} does not match the manifest")
            db_copy = staging / DB_NAME
            with zf.open(f"database/{DB_NAME}") as src, db_copy.open("wb") as out:
                shutil.copyfileobj(src, out, CHUNK)
            if _sha256(db_copy) != manifest["database"]["sha256"]:
                raise BackupError("the backup's database does not match its checksum")
            for rel, entry in manifest["files"].items():
                target = staging / "files" / _safe_rel(rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(f"files/{rel}") as src, target.open("wb") as out:
                    shutil.copyfileobj(src, out, CHUNK)
                if _sha256(target) != entry["sha256"]:
                    raise BackupError(f"the backup's file {rel} does not match its checksum")
        except (
            KeyError,
            ValueError,
            TypeError,
            AttributeError,
            zipfile.BadZipFile,
            OSError,
        ) as exc:
            if isinstance(exc, BackupError):
                raise
            raise BackupError(f"{source} is damaged or cut short") from None
        with sqlite3.connect(db_copy) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"the backup's database is damaged ({result})")
        tables = table_counts(db_copy)
        # Everything checked: put it in place.
        for name in SKIP_NAMES:
            (data_dir / name).unlink(missing_ok=True)
        file_bytes = 0
        for rel in manifest["files"]:
            target = data_dir / _safe_rel(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / "files" / rel, target)
            target.chmod(0o600)  # the secret key among them: readable by you only
            file_bytes += target.stat().st_size
        os.replace(db_copy, data_dir / DB_NAME)
        (data_dir / DB_NAME).chmod(0o600)
        # Files staged for the replaced database's transactions belong to none of its rows.
        shutil.rmtree(data_dir / "staging", ignore_errors=True)
    return BackupReport(
        (data_dir / DB_NAME).stat().st_size, len(manifest["files"]), file_bytes, tables
    )
