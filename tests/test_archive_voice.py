"""Voice recordings travel with the archive and go with the account (issues 4 and 9)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from sayyes.portability.archive import export_archive_bytes, import_archive
from sayyes.portability.deletion import delete_account
from sayyes.portability.housekeeping import sweep
from sayyes.practice import voice
from sayyes.practice.models import Answer, Question


def _recorded(user, recordings) -> Answer:
    question = Question.objects.create(
        owner=user, text="Why this team?", category="motivation", source="yours"
    )
    upload = SimpleUploadedFile("my answer.webm", recordings["webm"].read_bytes())
    answer = voice.submit_recording(user, question, upload)
    sweep()  # the test's transaction never commits: put the staged file in place
    return answer


def test_a_recording_is_archived_and_restored_under_a_new_name(
    alice, bob, recordings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # no transcription needed here
        mine = _recorded(alice, recordings)
    original = mine.audio_path.read_bytes()
    import_archive(bob, io.BytesIO(export_archive_bytes(alice)))
    sweep()
    copy = Answer.objects.get(owner=bob)
    assert copy.audio.name != mine.audio.name
    assert copy.audio.name.startswith(f"{bob.pk}/")  # kept per owner, like a new recording
    assert copy.audio_path.read_bytes() == original
    assert copy.audio_type == mine.audio_type


def test_deleting_the_account_deletes_its_recordings_only(
    alice, bob, recordings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        hers = _recorded(alice, recordings)
        his = _recorded(bob, recordings)
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(alice)
    assert not hers.audio_path.exists()
    assert his.audio_path.exists()
