"""Files in the archive and in account deletion (voice recordings will be such files).

No app has a file field yet, so this test makes a model with one, owned through a user
foreign key, found by the same registry walk as every real model.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, models
from django.test.utils import isolate_apps

from sayyes.accounts.services import create_user
from sayyes.core import owned
from sayyes.portability import archive, registry
from sayyes.portability.archive import ArchiveError
from sayyes.portability.deletion import delete_account

AUDIO = b"RIFF....WAVEfmt " + bytes(range(256)) * 40


@pytest.fixture
def recording_model(transactional_db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with isolate_apps("sayyes.portability"):

        class Recording(models.Model):
            owner = models.ForeignKey(get_user_model(), on_delete=models.CASCADE, related_name="+")
            title = models.CharField(max_length=100)
            audio = models.FileField(upload_to="recordings/", blank=True)

            class Meta:
                app_label = "portability"

            def __str__(self) -> str:
                return self.title

        real = owned.sayyes_models
        monkeypatch.setattr(owned, "sayyes_models", lambda: [*real(), Recording])
        with connection.schema_editor() as editor:
            editor.create_model(Recording)
        try:
            yield Recording
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Recording)


def _files(root) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_files_travel_in_the_archive_under_new_names(recording_model, tmp_path):
    Recording = recording_model
    alice, bob = create_user("alice"), create_user("bob")
    mine = Recording.objects.create(owner=alice, title="Why us?")
    mine.audio.save("why us.wav", ContentFile(AUDIO))
    Recording.objects.create(owner=alice, title="no audio")
    assert "portability.Recording" in {o.label for o in registry.archived_models()}

    buffer = io.BytesIO()
    report = archive.export_archive(alice, buffer)
    assert report.files == 1
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zf:
        names = [n for n in zf.namelist() if n.startswith("files/")]
        assert len(names) == 1 and names[0].endswith("why_us.wav")
        assert zf.read(names[0]) == AUDIO

    archive.import_archive(bob, buffer.getvalue())
    copy = Recording.objects.get(owner=bob, title="Why us?")
    assert copy.audio.name != mine.audio.name  # a new name made by the server
    assert copy.audio.name.startswith("recordings/") and copy.audio.name.endswith(".wav")
    assert copy.audio.read() == AUDIO
    assert not Recording.objects.get(owner=bob, title="no audio").audio
    assert archive.canonical(bob) == archive.canonical(alice)


def test_a_failed_import_leaves_no_files_behind(recording_model, tmp_path):
    Recording = recording_model
    alice = create_user("alice")
    Recording.objects.create(owner=alice, title="one").audio.save("a.wav", ContentFile(AUDIO))
    buffer = io.BytesIO()
    archive.export_archive(alice, buffer)
    # A clash after the file was stored (practice comes after portability): alice's
    # review of a question clashes with itself when her archive goes into her own account.
    from django.utils import timezone

    from sayyes.practice.models import Question, Review

    question = Question.objects.create(
        key="files-test-q", text="Q?", source="builtin", category="behavioral"
    )
    Review.objects.create(owner=alice, question=question, due=timezone.now())
    data = io.BytesIO()
    archive.export_archive(alice, data)
    before = _files(tmp_path / "media")
    with pytest.raises(ArchiveError, match="clash"):
        archive.import_archive(alice, data.getvalue())
    assert _files(tmp_path / "media") == before
    assert Recording.objects.filter(owner=alice).count() == 1


def test_deleting_the_account_removes_its_files_only(recording_model, tmp_path):
    Recording = recording_model
    alice, bob = create_user("alice"), create_user("bob")
    hers = Recording.objects.create(owner=alice, title="a")
    hers.audio.save("a.wav", ContentFile(AUDIO))
    his = Recording.objects.create(owner=bob, title="b")
    his.audio.save("b.wav", ContentFile(AUDIO))
    hers_path, his_path = hers.audio.path, his.audio.path
    delete_account(alice)
    assert not Recording.objects.filter(title="a").exists()
    import os

    assert not os.path.exists(hers_path)
    assert os.path.exists(his_path)
