"""Private files (issue 14): what sayyes writes is readable by its owner only.

sayyes runs with umask 077 and its data directory is 0700; an installation made before
that is tightened at the next start. The end-to-end tests run the ``sayyes`` script in a
subprocess started with the usual umask 022, so nothing private comes from the test itself.
"""

from __future__ import annotations

import logging
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.test_cli import PASSWORD, Server, alive, cli_env, sayyes

DB = "sayyes.sqlite3"


@contextmanager
def usual_umask() -> Iterator[None]:
    """Subprocesses started inside inherit umask 022, as from a login shell."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    """The mode of the folder and of everything under it, by relative path."""
    found = {".": mode(folder)}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            found[path.relative_to(folder).as_posix()] = mode(path)
    return found


def not_private(folder: Path) -> dict[str, str]:
    return {rel: oct(m) for rel, m in modes(folder).items() if m & 0o077}


@pytest.fixture
def serving(tmp_path):
    """`sayyes serve` on a fresh data directory, started with umask 022. One process (waitress):
    it holds the database open as it serves, so its WAL and SHM files exist to be looked at
    (gunicorn's master holds no connection, and each request closes its own)."""
    with usual_umask():
        server = Server(tmp_path / "data", args=("--processes", "1"))
    yield server
    workers = server.worker_pids() if server.proc.poll() is None else []
    server.stop()
    for pid in workers:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_a_fresh_installation_is_private_while_it_serves(serving, tmp_path):
    data = tmp_path / "data"
    serving.login_link()
    serving.wait_until_healthy()
    serving.wait_for_worker(timeout=60)
    # The server and its worker hold the database open: its WAL and SHM files exist.
    found = modes(data)
    assert found["."] == 0o700
    for name in (DB, f"{DB}-wal", f"{DB}-shm", "secret_key"):
        assert found.get(name) == 0o600, (name, found)
    assert not_private(data) == {}


def _archive_with_a_recording_and_an_interview(alice, recordings, path: Path) -> None:
    """alice's archive: an interview in two hours (so a digest has something to say) and a
    voice answer (so importing it writes a recording)."""
    from sayyes.pipeline import services
    from sayyes.portability.archive import export_archive_bytes
    from sayyes.portability.housekeeping import sweep
    from sayyes.practice import voice
    from sayyes.practice.models import Question

    opportunity = services.create_opportunity(alice, company_name="Acme", title="Analyst")
    services.create_interview(
        alice, opportunity, kind="video", starts_at=timezone.now() + timedelta(hours=2),
        timezone="UTC", duration_minutes=30,
    )  # fmt: skip
    question = Question.objects.create(
        owner=alice, text="Why this team?", category="motivation", source="yours"
    )
    upload = SimpleUploadedFile("answer.webm", recordings["webm"].read_bytes())
    voice.submit_recording(alice, question, upload)
    sweep()  # this test's transaction never commits: put the staged recording in place
    path.write_bytes(export_archive_bytes(alice))


def test_recordings_mail_and_backups_are_private(
    tmp_path, alice, recordings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # no transcription needed here
        _archive_with_a_recording_and_an_interview(alice, recordings, tmp_path / "a.zip")
    data = tmp_path / "data"
    with usual_umask():
        made = sayyes(data, "user", "create", "bob", "--email", "bob@example.com", stdin=PASSWORD)
        assert made.code == 0, made.err
        imported = sayyes(data, "import", "archive", str(tmp_path / "a.zip"), "--user", "bob")
        assert imported.code == 0, imported.err
        sent = sayyes(data, "remind", "--now", "--user", "bob")
        assert "Sent 1 digest" in sent.out, sent.err
        inside = sayyes(data, "backup", str(data / "inside.zip"))
        assert inside.code == 0, inside.err
    found = modes(data)
    recorded = [rel for rel in found if rel.startswith("recordings/") and rel.endswith(".webm")]
    mailed = [rel for rel in found if rel.startswith("mail/") and rel.endswith(".log")]
    assert recorded and mailed and "inside.zip" in found, found
    assert not_private(data) == {}


def test_a_backup_file_is_private_wherever_it_goes(tmp_path):
    data = tmp_path / "data"
    elsewhere = tmp_path / "elsewhere"
    with usual_umask():
        assert sayyes(data, "user", "list").code == 0
        elsewhere.mkdir()
        (elsewhere / "old.zip").write_bytes(b"an older backup")
        (elsewhere / "old.zip").chmod(0o644)
        for name in ("new.zip", "old.zip"):
            result = sayyes(data, "backup", str(elsewhere / name))
            assert result.code == 0, result.err
            assert mode(elsewhere / name) == 0o600
    assert mode(elsewhere) == 0o755  # its folder is not sayyes's: left alone


def _loosen(data: Path) -> None:
    """An installation made by an older sayyes: every folder 0755, every file 0644, and no
    mark that it was made private (sayyes walks the data directory only without one)."""
    (data / ".private").unlink(missing_ok=True)
    for rel in ("recordings/7", "mail", "uploads", "backups"):
        (data / rel).mkdir(parents=True, exist_ok=True)
    for rel in (f"{DB}-wal", f"{DB}-shm", "recordings/7/a.webm", "mail/1.log",
                "uploads/sheet-7-x", "backups/b.zip"):  # fmt: skip
        (data / rel).write_bytes(b"")
    for root, dirs, files in os.walk(data):
        for name in dirs:
            (Path(root) / name).chmod(0o755)
        for name in files:
            (Path(root) / name).chmod(0o644)
    data.chmod(0o755)


def test_an_existing_installation_is_tightened_at_the_next_start_and_says_so(tmp_path):
    data = tmp_path / "data"
    with usual_umask():
        assert sayyes(data, "user", "list").code == 0
        _loosen(data)
        loose = len(not_private(data))
        assert loose >= 12
        started = sayyes(data, "user", "list")
        assert started.code == 0, started.err
        assert not_private(data) == {}
        assert f"made {loose} files and folders private" in started.err
        assert str(data) in started.err
        again = sayyes(data, "user", "list")
    assert again.code == 0 and again.err == ""  # all private already: nothing to say


def test_tightening_leaves_what_links_point_to_alone(tmp_path, caplog):
    from sayyes.conf import tighten

    data = tmp_path / "data"
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "file").write_bytes(b"")
    (outside / "folder" / "inner").write_bytes(b"")
    data.mkdir()
    (data / "own").write_bytes(b"")
    (data / "to-file").symlink_to(outside / "file")
    (data / "to-folder").symlink_to(outside / "folder", target_is_directory=True)
    for path in (outside / "file", outside / "folder" / "inner", data / "own"):
        path.chmod(0o644)
    for path in (outside, outside / "folder", data):
        path.chmod(0o755)
    with caplog.at_level(logging.INFO, logger="sayyes"):
        assert tighten(data) == 2
    assert mode(data) == 0o700 and mode(data / "own") == 0o600
    assert mode(outside / "file") == 0o644
    assert mode(outside / "folder") == 0o755
    assert mode(outside / "folder" / "inner") == 0o644
    assert [r.getMessage() for r in caplog.records] == [
        f"data directory {data}: made 2 files and folders private (readable by you only)"
    ]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="sayyes"):
        assert tighten(data) == 0
    assert caplog.records == []


def test_the_backup_function_writes_a_private_file_whatever_the_umask(tmp_path):
    import sqlite3

    from sayyes.portability.backup import backup

    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / DB) as conn:
        conn.execute("create table t (x)")
    with usual_umask():
        backup(tmp_path / "b.zip", data, data / DB)
    assert mode(tmp_path / "b.zip") == 0o600


def test_a_recording_saved_through_the_storage_is_private(tmp_path, settings):
    from django.core.files.base import ContentFile

    from sayyes.practice.models import RecordingStorage

    with usual_umask():
        name = RecordingStorage().save("7/a.webm", ContentFile(b"x"))
    path = settings.DATA_DIR / "recordings" / name
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


def test_the_wsgi_entry_runs_private_and_tightens_too(tmp_path):
    data = tmp_path / "data"
    with usual_umask():
        assert sayyes(data, "user", "list").code == 0
        _loosen(data)
        started = subprocess.run(
            [sys.executable, "-c", "import os, sayyes.wsgi; open('made-by-wsgi', 'w')"],
            cwd=data, env=cli_env(data), capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert started.returncode == 0, started.stderr
    assert "files and folders private" in started.stderr
    assert not_private(data) == {}
    assert mode(data / "made-by-wsgi") == 0o600  # the process's umask is 077


def test_later_starts_leave_the_walk_out_once_the_installation_is_marked_private(tmp_path):
    from sayyes.conf import PRIVATE_MARK, tighten_once

    data = tmp_path / "data"
    (data / "recordings").mkdir(parents=True)
    (data / "recordings" / "a.webm").write_bytes(b"")
    (data / "recordings" / "a.webm").chmod(0o644)
    assert tighten_once(data) >= 1 and (data / PRIVATE_MARK).exists()
    (data / "recordings" / "a.webm").chmod(0o644)  # not written by sayyes
    assert tighten_once(data) == 0  # no walk over every recording at each start
