"""Finding 11: files written in a transaction are staged and move into place on commit; at
start what a crash left is finished or swept; account deletion takes the whole folder."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sayyes.core.staging import StagedFiles, staged_path, staging_dir
from sayyes.portability import housekeeping
from sayyes.portability.archive import ArchiveError, export_archive_bytes, import_archive
from sayyes.portability.deletion import delete_account
from sayyes.practice import voice
from sayyes.practice.models import Answer, Question, recordings_dir

DAY_AND_A_BIT = 25 * 3600


def _files(root) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _age(path, seconds: float = DAY_AND_A_BIT) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.fixture
def question(alice):
    return Question.objects.create(owner=alice, text="Why this team?", source="yours")


@pytest.fixture
def webm(recordings):
    return recordings["webm"].read_bytes()


def _submit(user, question, webm) -> Answer:
    return voice.submit_recording(user, question, SimpleUploadedFile("a.webm", webm))


def test_a_recording_waits_in_staging_until_its_row_commits(
    alice, question, webm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        answer = _submit(alice, question, webm)
        # Written, but not where the row says until the commit.
        assert not answer.audio_path.exists()
        assert staged_path(answer.audio_path).read_bytes() == webm
    hooks[0]()  # the commit: the file moves (before the transcription is queued)
    assert answer.audio_path.read_bytes() == webm
    assert _files(staging_dir()) == []


def test_a_failed_transaction_leaves_no_recording(alice, question, webm, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Answer.objects, "create", broken)
    with pytest.raises(RuntimeError):
        _submit(alice, question, webm)
    assert _files(staging_dir()) == []
    assert not recordings_dir().exists() or _files(recordings_dir()) == []


def test_an_archive_import_stages_its_recordings(
    alice, bob, question, webm, django_capture_on_commit_callbacks
):
    _submit(alice, question, webm)
    housekeeping.sweep()  # alice's recording in place (this test's transaction never commits)
    data = export_archive_bytes(alice)
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        import_archive(bob, io.BytesIO(data))
    copy = Answer.objects.get(owner=bob)
    assert not copy.audio_path.exists()
    assert staged_path(copy.audio_path).exists()
    for hook in hooks:
        hook()
    assert copy.audio_path.read_bytes() == webm


def test_a_refused_archive_import_leaves_no_staged_file(alice, bob, question, webm, settings):
    _submit(alice, question, webm)
    housekeeping.sweep()
    data = export_archive_bytes(alice)
    settings.SAYYES_RECORDINGS_QUOTA_MB = 1
    (recordings_dir() / str(bob.pk)).mkdir(parents=True)
    (recordings_dir() / str(bob.pk) / "big.webm").write_bytes(b"x" * (1024 * 1024))
    with pytest.raises(ArchiveError, match="recordings quota"):
        import_archive(bob, io.BytesIO(data))
    assert _files(staging_dir()) == []
    assert not Answer.objects.filter(owner=bob).exists()


def test_the_sweep_finishes_what_committed_and_removes_what_did_not(alice, question, webm):
    """A crash between COMMIT and the move, and one before COMMIT."""
    committed = _submit(alice, question, webm)  # row written, file still staged
    lost = StagedFiles()
    never = lost.write(recordings_dir() / str(alice.pk) / "never-committed.webm", [b"x"])
    young = lost.write(recordings_dir() / str(alice.pk) / "being-written.webm", [b"y"])
    _age(never)
    done = housekeeping.sweep()
    assert (done.placed, done.staged) == (1, 1)
    assert committed.audio_path.read_bytes() == webm
    assert not never.exists()
    assert young.exists()  # another process may be about to commit it


def test_the_sweep_removes_old_files_no_row_names(alice, question, webm):
    answer = _submit(alice, question, webm)
    housekeeping.sweep()
    folder = recordings_dir() / str(alice.pk)
    orphan, fresh = folder / "orphan.webm", folder / "fresh.webm"
    orphan.write_bytes(b"left by a crash")
    fresh.write_bytes(b"just written")
    _age(orphan)
    _age(answer.audio_path)  # old, but named by its row
    assert housekeeping.sweep().orphans == 1
    assert not orphan.exists()
    assert fresh.exists() and answer.audio_path.exists()


def test_the_sweep_removes_a_stale_restore_folder(db, settings):
    stale = settings.DATA_DIR / ".restore-abc123"
    (stale / "files").mkdir(parents=True)
    (stale / "sayyes.sqlite3").write_bytes(b"half a database")
    current = settings.DATA_DIR / ".restore-now"
    current.mkdir()
    _age(stale)
    assert housekeeping.sweep().folders == 1
    assert not stale.exists() and current.exists()


def test_the_worker_sweeps_when_it_starts(alice, question, webm, monkeypatch):
    from django.core import management

    from sayyes.worker import run_worker

    # Only its start matters here: django-tasks' loop (which closes a connection it finds
    # inside a transaction, as this test's is on PostgreSQL) is not run.
    monkeypatch.setattr(management, "call_command", lambda *args, **kwargs: None)
    answer = _submit(alice, question, webm)
    orphan = recordings_dir() / str(alice.pk) / "orphan.webm"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x")
    _age(orphan)
    run_worker(quiet=True, batch=True)
    assert answer.audio_path.exists()
    assert not orphan.exists()


def test_deleting_an_account_removes_its_whole_recordings_folder(
    alice, bob, question, webm, django_capture_on_commit_callbacks
):
    _submit(alice, question, webm)
    housekeeping.sweep()
    theirs = recordings_dir() / str(alice.pk)
    (theirs / "left-by-a-crash.webm").write_bytes(b"no row names me")
    staged = StagedFiles().write(theirs / "staged.webm", [b"half"])
    bobs = recordings_dir() / str(bob.pk) / "bob.webm"
    bobs.parent.mkdir(parents=True)
    bobs.write_bytes(b"bob's")
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(alice)
    assert not theirs.exists()
    assert not staged.exists()
    assert bobs.exists()


def test_the_worker_recovery_puts_committed_recordings_in_place_first(alice, question, webm):
    """A web server killed between COMMIT and the move, while a worker goes on running: the
    minute's recovery finishes the move before it queues the transcription again."""
    from sayyes.worker import recover

    answer = _submit(alice, question, webm)
    assert not answer.audio_path.exists()
    recover()
    assert answer.audio_path.read_bytes() == webm
