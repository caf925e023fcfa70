# ruff: noqa: F811 (the fixtures question and webm come from test_staged_files)
"""Per-user quotas (finding 14): recordings kept and uploads waiting, each refused clearly
when full, through the API, the pages and the CLI, with nothing written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sayyes.core.staging import staging_dir
from sayyes.portability.archive import export_archive_bytes
from sayyes.portability.housekeeping import sweep
from sayyes.practice import voice
from sayyes.practice.models import Answer, Question, recordings_dir
from tests.test_cli import assert_one_line_error, run_main
from tests.test_staged_files import question, webm  # noqa: F401

MB = 1024 * 1024


def _fill(user, megabytes: float) -> None:
    folder = recordings_dir() / str(user.pk)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "older-answers.webm").write_bytes(b"x" * int(megabytes * MB))


def _post(client, token, question_id, content: bytes):
    return client.post(
        "/api/v1/practice/answers",
        {"question_id": question_id, "audio": SimpleUploadedFile("a.webm", content)},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_recording_past_the_quota_is_a_422_saying_so(
    client, alice, alice_token, question, webm, settings
):
    settings.SAYYES_RECORDINGS_QUOTA_MB = 1
    _fill(alice, 1 - len(webm) / MB / 2)  # room for half a recording
    response = _post(client, alice_token, question.pk, webm)
    assert response.status_code == 422
    assert "recordings are full" in response.content.decode()
    assert "SAYYES_RECORDINGS_QUOTA_MB" in response.content.decode()
    assert not Answer.objects.filter(owner=alice).exists()
    assert not any(p.is_file() for p in staging_dir().rglob("*"))


def test_a_recording_that_fits_is_taken(client, alice, alice_token, question, webm, settings):
    settings.SAYYES_RECORDINGS_QUOTA_MB = 1
    _fill(alice, 1 - 2 * len(webm) / MB)
    assert _post(client, alice_token, question.pk, webm).status_code == 202


def test_the_quota_is_per_user(client, alice, bob, bob_token, webm, settings):
    settings.SAYYES_RECORDINGS_QUOTA_MB = 1
    _fill(alice, 1)
    theirs = Question.objects.create(owner=bob, text="Why us?", source="yours")
    assert _post(client, bob_token, theirs.pk, webm).status_code == 202


def test_a_live_chunk_past_the_quota_is_refused(alice, question, webm, settings):
    from django.core.exceptions import ValidationError

    answer = voice.submit_recording(
        alice, question, SimpleUploadedFile("a.webm", webm[:4000]), live=True
    )
    sweep()
    settings.SAYYES_RECORDINGS_QUOTA_MB = 1
    _fill(alice, 1)
    with pytest.raises(ValidationError, match="recordings are full"):
        voice.append_chunk(answer, SimpleUploadedFile("b.webm", webm[4000:]), final=False)
    assert answer.audio_path.stat().st_size == 4000


def test_the_cli_refuses_an_archive_whose_recordings_do_not_fit(
    alice, bob, question, webm, settings, tmp_path
):
    voice.submit_recording(alice, question, SimpleUploadedFile("a.webm", webm))
    sweep()
    path = tmp_path / "alice.zip"
    path.write_bytes(export_archive_bytes(alice))
    settings.SAYYES_RECORDINGS_QUOTA_MB = 1
    _fill(bob, 1)
    result = run_main("import", "archive", str(path), "--user", "bob")
    assert_one_line_error(result, "recordings quota", "SAYYES_RECORDINGS_QUOTA_MB")
    assert not Answer.objects.filter(owner=bob).exists()


def test_a_spreadsheet_past_the_uploads_quota_is_refused_on_the_page(alice, alice_client, settings):
    settings.SAYYES_UPLOADS_QUOTA_MB = 1
    sheet = b"Company,Title\n" + b"Acme,Analyst\n" * (MB // 13 + 10)
    response = alice_client.post(
        "/opportunities/import/", {"file": SimpleUploadedFile("jobs.csv", sheet)}
    )
    assert response.status_code == 413
    assert "uploads waiting for a confirmation are full" in response.content.decode()
    assert not list((settings.DATA_DIR / "uploads").glob("sheet-*"))


def test_bookmarklet_postings_past_the_uploads_quota_are_refused(
    alice, alice_client, client, settings
):
    from sayyes.portability.views import drop_key

    settings.SAYYES_UPLOADS_QUOTA_MB = 1
    page = "<html><title>Analyst</title><p>" + "x" * (400 * 1024) + "</p></html>"
    url = f"/opportunities/import/posting/drop/{drop_key(alice)}/"
    codes = [client.post(url, {"html": page, "url": "https://example.org"}).status_code
             for _ in range(3)]  # fmt: skip
    assert codes == [303, 303, 413]
    response = client.post(url, {"html": page})
    assert "uploads waiting for a confirmation are full" in response.content.decode()
    assert len(list((settings.DATA_DIR / "uploads").glob("posting-*"))) == 2


def test_the_quota_settings_are_checked(monkeypatch):
    from sayyes.conf import ConfigError, envint

    monkeypatch.setenv("SAYYES_RECORDINGS_QUOTA_MB", "lots")
    with pytest.raises(ConfigError):
        envint("SAYYES_RECORDINGS_QUOTA_MB", 500, minimum=1)
