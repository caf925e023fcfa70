"""Housekeeping at start (``sayyes serve`` and ``sayyes worker``): no file left behind.

- A staged file (``core.staging``) whose row committed is moved into place: the process
  that wrote it died between the commit and the move.
- A staged file with no row, older than a day, is removed: its transaction never committed.
- A stored file (a recording) that no row names, older than a day, is removed: a crash
  between deleting a row and deleting its file, or a file from an older sayyes.
- A restore's temporary folder (``.restore-*``) older than a day is removed: a restore
  that was killed half-way.

"Older than a day" leaves alone what another process (a second worker, a web server
process) is writing right now. Every model's file fields are found through the registry,
so a new app's files are covered without changes here.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from sayyes.core.staging import final_path, place, staging_dir

from .backup import RESTORE_PREFIX
from .registry import file_fields, owned_models

log = logging.getLogger(__name__)

DAY = 24 * 3600.0


@dataclass
class Swept:
    placed: int = 0  # staged files moved into place (their row had committed)
    staged: int = 0  # staged files removed (their row never came)
    orphans: int = 0  # stored files no row names
    folders: int = 0  # stale restore folders

    def __bool__(self) -> bool:
        return bool(self.placed or self.staged or self.orphans or self.folders)


def _stores() -> dict[Path, set[str]]:
    """Every file store under the data directory: its folder -> the names rows hold."""
    found: dict[Path, set[str]] = {}
    data_dir = Path(settings.DATA_DIR).resolve()
    for o in owned_models():
        for f in file_fields(o.model):
            storage = f.storage
            if not isinstance(storage, FileSystemStorage):
                continue
            root = Path(storage.location).resolve()
            if not root.is_relative_to(data_dir):
                continue  # a store elsewhere is someone else's to look after
            names = found.setdefault(root, set())
            rows = o.model._default_manager.exclude(**{f.attname: ""}).exclude(
                **{f"{f.attname}__isnull": True}
            )
            names.update(rows.values_list(f.attname, flat=True).iterator(chunk_size=5000))
    return found


def _named(stores: dict[Path, set[str]], path: Path) -> bool:
    """Whether a row names the file at ``path`` (a path where a store keeps its files)."""
    path = path.resolve()
    for root, names in stores.items():
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix() in names
    return False


def _age(path: Path, now: float) -> float:
    try:
        return now - path.stat().st_mtime
    except OSError:
        return 0.0


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _remove_empty_folders(folder: Path) -> None:
    if not folder.is_dir():
        return
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        try:
            sub.rmdir()  # only when empty
        except OSError:
            pass


def finish_staged(max_age: float = DAY, stores: dict[Path, set[str]] | None = None) -> Swept:
    """Put in place the staged files whose row committed; remove the old ones with no row.

    Cheap (it walks the staging folder only): the worker runs it every minute too, so a
    recording whose web server died between COMMIT and the move is in place before its
    transcription is taken up again.
    """
    now = time.time()
    done = Swept()
    staged_files = _files(staging_dir())
    if not staged_files:
        return done
    stores = _stores() if stores is None else stores
    for staged in staged_files:
        final = final_path(staged)
        if _named(stores, final):
            place(staged, final)
            done.placed += 1
        elif _age(staged, now) > max_age:
            staged.unlink(missing_ok=True)
            done.staged += 1
    _remove_empty_folders(staging_dir())
    return done


def sweep(max_age: float = DAY) -> Swept:
    """Finish or remove what crashes left behind (see the module's text); what was done."""
    now = time.time()
    stores = _stores()
    done = finish_staged(max_age, stores)
    for root, names in stores.items():
        for path in _files(root):
            if path.relative_to(root).as_posix() not in names and _age(path, now) > max_age:
                path.unlink(missing_ok=True)
                done.orphans += 1
    data_dir = Path(settings.DATA_DIR)
    for folder in data_dir.glob(f"{RESTORE_PREFIX}*"):
        if folder.is_dir() and _age(folder, now) > max_age:
            shutil.rmtree(folder, ignore_errors=True)
            done.folders += 1
    if done:
        log.info(
            "housekeeping: %d staged files put in place, %d unfinished ones removed, "
            "%d files no record names removed, %d stale restore folders removed",
            done.placed,
            done.staged,
            done.orphans,
            done.folders,
        )
    return done


def remove_user_files(user_id: int) -> None:
    """Every store's folder of one user (``<store>/<user id>/``), staged copies included.

    Account deletion calls this after its commit: files a crash left there, named by no row,
    go with the account too.
    """
    from sayyes.core.staging import staged_path

    for root in _stores():
        for folder in (root / str(int(user_id)), staged_path(root / str(int(user_id)))):
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
