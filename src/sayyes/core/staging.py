"""Files written during a database transaction: staged, then moved into place on commit.

A file under the data directory that a row will name (a recording) is first written at the
same relative place under ``DATA_DIR/staging/``. Once the transaction that writes its row
commits, the file is moved into place (``os.replace``, atomic on one file system); if the
transaction fails, the staged copy is removed. A crash (``kill -9``, a power cut) between
the two leaves a file in the staging folder, never one with no row in the real place:
``portability.housekeeping`` finishes or sweeps it at the next start.

    staged = StagedFiles()
    try:
        with transaction.atomic():
            path = staged.write(final_path, chunks)   # written under staging/
            Answer.objects.create(..., audio=name)
            staged.place_on_commit()                  # moved to final_path after COMMIT
    except BaseException:
        staged.discard()
        raise
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

STAGING = "staging"


def staging_dir() -> Path:
    return Path(settings.DATA_DIR) / STAGING


def staged_path(final: Path) -> Path:
    """Where ``final`` (a path under the data directory) is written until its row commits."""
    return staging_dir() / Path(final).resolve().relative_to(Path(settings.DATA_DIR).resolve())


def final_path(staged: Path) -> Path:
    """The place a staged file moves to (the inverse of :func:`staged_path`)."""
    return Path(settings.DATA_DIR) / Path(staged).relative_to(staging_dir())


def place(staged: Path, final: Path) -> None:
    """Move a staged file into place; already there (another process's sweep put it) is fine."""
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(staged, final)
    except FileNotFoundError:
        if not final.exists():
            raise


class StagedFiles:
    """Files staged for one transaction: placed when it commits, removed when it fails."""

    def __init__(self) -> None:
        self.files: list[tuple[Path, Path]] = []  # (staged, final)

    def reserve(self, final: Path) -> Path:
        """The staging path for ``final``, its folder made, remembered for place/discard."""
        staged = staged_path(final)
        staged.parent.mkdir(parents=True, exist_ok=True)
        self.files.append((staged, Path(final)))
        return staged

    def write(self, final: Path, chunks: Iterable[bytes]) -> Path:
        staged = self.reserve(final)
        with staged.open("wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        return staged

    def place_on_commit(self, using: str | None = None) -> None:
        """Move every file into place once the current transaction commits (at once if none
        is open). Register this before any on_commit hook that reads the files."""
        files = list(self.files)

        def move() -> None:
            for staged, final in files:
                try:
                    place(staged, final)
                except OSError:  # the row is committed: the sweep at the next start retries
                    log.exception("could not move %s into place", staged)

        transaction.on_commit(move, using=using)

    def discard(self) -> None:
        for staged, _final in self.files:
            try:
                staged.unlink(missing_ok=True)
            except OSError:
                pass
        self.files.clear()
