"""Backup and restore of a whole installation, taken while the database is being written."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
import zipfile
from pathlib import Path

import pytest

from sayyes.portability.backup import DB_NAME, BackupError, backup, restore
from tests.test_cli import assert_one_line_error, run_main, sayyes


def _make_installation(folder: Path) -> dict[str, str]:
    """A data directory with a WAL database and some files; returns file checksums."""
    folder.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(folder / DB_NAME) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("create table item (id integer primary key, batch integer, note text)")
        conn.execute("create table total (id integer primary key, n integer)")
        conn.execute("insert into total values (1, 0)")
    files = {
        "secret_key": b"not-really-secret",
        "media/answers/2026/voice one.webm": os.urandom(300_000),
        "mail/2026-11-27.log": "Grüße\n".encode(),
    }
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (folder / "uploads").mkdir()
    (folder / "uploads" / "sheet-1-abc").write_bytes(b"pending, not backed up")
    return {rel: hashlib.sha256(c).hexdigest() for rel, c in files.items()}


class Writer(threading.Thread):
    """Writes batches of rows, each with the running total, until told to stop."""

    def __init__(self, db: Path):
        super().__init__(daemon=True)
        self.db = db
        self.stop = threading.Event()
        self.batches = 0
        self.error: Exception | None = None

    def run(self):
        conn = sqlite3.connect(self.db, timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout=30000")
        try:
            while not self.stop.is_set():
                conn.execute("BEGIN IMMEDIATE")
                batch = self.batches + 1
                conn.executemany(
                    "insert into item (batch, note) values (?, ?)",
                    [(batch, "x" * 200) for _ in range(20)],
                )
                conn.execute("update total set n = n + 20 where id = 1")
                conn.execute("COMMIT")
                self.batches = batch
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            conn.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_taken_during_writes_restores_consistently(tmp_path):
    live = tmp_path / "live"
    sums = _make_installation(live)
    writer = Writer(live / DB_NAME)
    writer.start()
    while writer.batches < 50 and writer.is_alive():
        time.sleep(0.005)
    archives = []
    for n in range(3):  # several backups while the writes go on
        dest = tmp_path / f"backup-{n}.zip"
        backup(dest, live, live / DB_NAME)
        archives.append((dest, writer.batches))
    writer.stop.set()
    writer.join()
    assert writer.error is None
    last = 0
    for n, (dest, batches_after) in enumerate(archives):
        target = tmp_path / f"restored-{n}"
        report = restore(dest, target)
        with sqlite3.connect(target / DB_NAME) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            items = conn.execute("select count(*) from item").fetchone()[0]
            total = conn.execute("select n from total").fetchone()[0]
            batches = conn.execute("select count(distinct batch) from item").fetchone()[0]
        # A snapshot: every batch whole, the total agrees with the rows, and time moves on.
        assert items == total == batches * 20
        assert 50 <= batches <= batches_after
        assert batches >= last
        last = batches
        assert report.tables["item"] == items
        for rel, digest in sums.items():
            assert _sha(target / rel) == digest, rel
        assert not (target / "uploads").exists()
        assert not (target / f"{DB_NAME}-wal").exists()


def test_the_manifest_lists_checksums(tmp_path):
    live = tmp_path / "live"
    sums = _make_installation(live)
    backup(tmp_path / "b.zip", live, live / DB_NAME)
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        db = zf.read(f"database/{DB_NAME}")
    assert manifest["format"] == "sayyes-backup" and manifest["version"] == 1
    assert {rel: e["sha256"] for rel, e in manifest["files"].items()} == sums
    assert hashlib.sha256(db).hexdigest() == manifest["database"]["sha256"]
    assert manifest["database"]["tables"] == {"item": 0, "total": 1}


def test_restore_refuses_a_folder_that_is_not_empty_unless_forced(tmp_path):
    live = tmp_path / "live"
    _make_installation(live)
    backup(tmp_path / "b.zip", live, live / DB_NAME)
    target = tmp_path / "target"
    target.mkdir()
    (target / DB_NAME).write_bytes(b"an old database")
    (target / f"{DB_NAME}-wal").write_bytes(b"its stale log")
    with pytest.raises(BackupError, match="is not empty"):
        restore(tmp_path / "b.zip", target)
    assert (target / DB_NAME).read_bytes() == b"an old database"
    restore(tmp_path / "b.zip", target, force=True)
    assert not (target / f"{DB_NAME}-wal").exists()
    with sqlite3.connect(target / DB_NAME) as conn:
        assert conn.execute("select n from total").fetchone()[0] == 0


def _rewrite(src: Path, dest: Path, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for name in zin.namelist():
            body = change(name, zin.read(name))
            if body is not None:
                zout.writestr(name, body)


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda n, b: b[:-10] if n.endswith(".webm") else b, "does not match its checksum"),
        (lambda n, b: None if n.startswith("files/mail") else b, "does not match the manifest"),
        (
            lambda n, b: b.replace(b'"version": 1', b'"version": 7') if n == "manifest.json" else b,
            "newer sayyes",
        ),
        (
            lambda n, b: b.replace(b'"secret_key"', b'"../evil"') if n == "manifest.json" else b,
            "unsafe path",
        ),
    ],
)
def test_a_damaged_backup_restores_nothing(tmp_path, change, message):
    live = tmp_path / "live"
    _make_installation(live)
    backup(tmp_path / "b.zip", live, live / DB_NAME)
    _rewrite(tmp_path / "b.zip", tmp_path / "bad.zip", change)
    target = tmp_path / "target"
    with pytest.raises(BackupError, match=message):
        restore(tmp_path / "bad.zip", target)
    assert list(target.iterdir()) == []
    assert not (tmp_path / "evil").exists()


def test_a_truncated_backup_restores_nothing(tmp_path):
    live = tmp_path / "live"
    _make_installation(live)
    backup(tmp_path / "b.zip", live, live / DB_NAME)
    data = (tmp_path / "b.zip").read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match="not a sayyes backup"):
        restore(tmp_path / "cut.zip", tmp_path / "target")


def test_on_postgresql_the_commands_point_to_pg_dump(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://sayyes@db.example/sayyes")
    result = run_main("backup", str(tmp_path / "b.zip"))
    assert_one_line_error(result, "pg_dump", "pg_restore")
    assert_one_line_error(run_main("restore", str(tmp_path / "b.zip")), "pg_dump")
    assert not (tmp_path / "b.zip").exists()


def test_the_commands_end_to_end(tmp_path):
    """The installed script: create an account, back up, restore elsewhere, use it."""
    live, copy = tmp_path / "live", tmp_path / "copy"
    assert sayyes(live, "user", "create", "alice").code == 0
    assert sayyes(live, "add", "opportunity", "--company", "Acme", "--title", "Analyst",
                  "--user", "alice").code == 0  # fmt: skip
    result = sayyes(live, "backup", str(tmp_path / "b.zip"))
    assert result.code == 0, result.err
    assert "Backed up database" in result.out
    result = sayyes(copy, "restore", str(tmp_path / "b.zip"))
    assert result.code == 0, result.err
    assert (copy / "secret_key").read_text() == (live / "secret_key").read_text()
    listed = sayyes(copy, "list", "--user", "alice", "--json")
    assert listed.code == 0 and "Analyst" in listed.out
    again = sayyes(copy, "restore", str(tmp_path / "b.zip"))
    assert again.code == 1 and "is not empty" in again.err and "--force" in again.err


def test_a_backup_whose_manifest_unpacks_past_the_limit_is_refused_unread(tmp_path, monkeypatch):
    from sayyes.portability import backup as backups

    live = tmp_path / "live"
    _make_installation(live)
    backup(tmp_path / "b.zip", live, live / DB_NAME)
    monkeypatch.setattr(backups, "MAX_MANIFEST", 100)
    target = tmp_path / "target"
    with pytest.raises(
        BackupError, match=r"its manifest unpacks to \d+ (bytes|kB), more than any backup's"
    ):
        restore(tmp_path / "b.zip", target)
    assert list(target.iterdir()) == []


def test_a_backup_larger_than_the_free_disk_is_refused_before_unpacking(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    live = tmp_path / "live"
    _make_installation(live)
    backup(tmp_path / "b.zip", live, live / DB_NAME)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 1000, 1000))
    target = tmp_path / "target"
    with pytest.raises(
        BackupError,
        match=r"the backup unpacks to \d+ kB but .* has only 1,000 bytes free: make room first",
    ):
        restore(tmp_path / "b.zip", target)
    assert list(target.iterdir()) == []
