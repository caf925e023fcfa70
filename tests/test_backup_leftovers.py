"""Finding 12: a restore killed half-way leaves nothing that a later backup takes in, and
the next restore clears it; staging and temporary folders are never backed up."""

from __future__ import annotations

import json
import os
import zipfile

import pytest

from sayyes.portability.backup import BackupError, backup, clear_leftovers, restore
from tests.test_backup import _make_installation


def _listed(zip_path) -> set[str]:
    with zipfile.ZipFile(zip_path) as zf:
        return set(json.loads(zf.read("manifest.json"))["files"])


def _leave_leftovers(folder) -> None:
    """What a restore killed half-way, a staged recording and a killed backup leave."""
    killed = folder / ".restore-k1ll3d"
    (killed / "files" / "recordings" / "1").mkdir(parents=True)
    (killed / "files" / "recordings" / "1" / "old.webm").write_bytes(os.urandom(50_000))
    (killed / "sayyes.sqlite3").write_bytes(b"a database copy cut short")
    (folder / "staging" / "recordings" / "1").mkdir(parents=True)
    (folder / "staging" / "recordings" / "1" / "new.webm").write_bytes(b"not committed yet")
    (folder / "sayyes-backup-x1y2").mkdir()
    (folder / "sayyes-backup-x1y2" / "backup.zip").write_bytes(b"half a zip")


def test_a_backup_skips_staging_and_temporary_folders(tmp_path):
    live = tmp_path / "live"
    checksums = _make_installation(live)
    _leave_leftovers(live)
    backup(tmp_path / "b.zip", live, live / "sayyes.sqlite3")
    assert _listed(tmp_path / "b.zip") == set(checksums)


def test_a_restore_clears_what_a_killed_restore_left(tmp_path):
    live = tmp_path / "live"
    checksums = _make_installation(live)
    backup(tmp_path / "b.zip", live, live / "sayyes.sqlite3")
    target = tmp_path / "restored"
    target.mkdir()
    (target / ".restore-k1ll3d" / "files").mkdir(parents=True)
    (target / ".restore-k1ll3d" / "files" / "secret_key").write_bytes(b"half")
    # Only the leftover is there: the folder counts as empty, no --force needed.
    restore(tmp_path / "b.zip", target)
    assert not list(target.glob(".restore-*"))
    assert set(checksums) <= {
        p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()
    }


def test_a_forced_restore_drops_the_replaced_databases_staged_files(tmp_path):
    live = tmp_path / "live"
    _make_installation(live)
    backup(tmp_path / "b.zip", live, live / "sayyes.sqlite3")
    _leave_leftovers(live)
    restore(tmp_path / "b.zip", live, force=True)
    assert not (live / "staging").exists()
    assert not list(live.glob(".restore-*")) and not list(live.glob("sayyes-backup-*"))


def test_a_refused_restore_still_clears_leftovers_only(tmp_path):
    live = tmp_path / "live"
    _make_installation(live)
    backup(tmp_path / "b.zip", live, live / "sayyes.sqlite3")
    _leave_leftovers(live)
    with pytest.raises(BackupError, match="not empty"):
        restore(tmp_path / "b.zip", live)
    assert not list(live.glob(".restore-*"))
    assert (live / "secret_key").exists() and (live / "staging").exists()


def test_clear_leftovers_leaves_everything_else(tmp_path):
    _make_installation(tmp_path)
    before = sorted(p for p in tmp_path.rglob("*"))
    (tmp_path / ".restore-abc").mkdir()
    assert clear_leftovers(tmp_path) == 1
    assert sorted(p for p in tmp_path.rglob("*")) == before
