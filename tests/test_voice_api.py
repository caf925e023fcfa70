"""Voice answers through the API and pages: upload, queue, transcription, access, deletion."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from sayyes.portability.housekeeping import sweep
from sayyes.practice import voice
from sayyes.practice.models import Answer, Question, Review, recordings_dir
from sayyes.practice.speech import audio as audio_module
from tests.conftest import api

URL = "/api/v1/practice/answers"


@pytest.fixture
def question(alice):
    return Question.objects.create(
        owner=alice, text="Tell me about a time you fixed a quality problem.", source="yours"
    )


def _upload(client, token, question_id, content: bytes, name="answer.webm", **fields):
    data = {"question_id": question_id, **fields} if question_id is not None else dict(fields)
    if content is not None:
        data["audio"] = SimpleUploadedFile(name, content, content_type="audio/webm")
    response = client.post(URL, data, HTTP_AUTHORIZATION=f"Bearer {token}")
    # The test's transaction never commits: put the staged recording in place, as the
    # commit (or, after a crash, the sweep at the next start) does.
    sweep()
    return response


def _files():
    root = recordings_dir()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def webm(recordings):
    return recordings["webm"].read_bytes()


def test_a_recording_is_queued_then_transcribed_with_feedback(
    client, alice, alice_token, question, webm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, alice_token, question.pk, webm)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and set(body) == {"id", "status"}
    answer = Answer.objects.get(pk=body["id"])
    assert re.fullmatch(rf"{alice.pk}/[0-9a-f]{{32}}\.webm", answer.audio.name)
    assert answer.audio_path.read_bytes() == webm
    task = DBTaskResult.objects.get(task_path="sayyes.practice.tasks.transcribe_answer")
    assert task.args_kwargs["args"] == [answer.pk] and task.status == "READY"

    queued = api(client, "get", f"/practice/answers/{answer.pk}", alice_token).json()
    assert queued["status"] == "queued" and queued["feedback"] is None
    assert queued["audio_url"] == f"/practice/answers/{answer.pk}/audio"

    assert voice.process(answer.pk) == "done"
    done = api(client, "get", f"/practice/answers/{answer.pk}", alice_token).json()
    assert done["status"] == "done" and done["error"] == ""
    assert "two weeks" in done["transcript"].lower()
    assert done["text"] == done["transcript"]
    speech = done["feedback"]["speech"]
    assert speech["pauses"]["count"] == 1 and speech["fillers"]["count"] >= 2
    assert done["feedback"]["words_per_minute"] == speech["words_per_minute"]
    assert done["score"] > 0 and done["next_review_at"]
    assert Review.objects.get(owner=alice, question=question).reps == 1
    # A second run of the same task changes nothing.
    assert voice.process(answer.pk) == "skipped"


@pytest.mark.django_db(transaction=True)
def test_the_worker_transcribes_queued_answers(client, alice_token, question, webm):
    from typer.testing import CliRunner

    from sayyes.cli import app

    response = _upload(client, alice_token, question.pk, webm)
    assert response.status_code == 202
    outcome = CliRunner().invoke(app, ["worker", "--batch", "--quiet"])
    assert outcome.exit_code == 0, outcome.output
    answer = Answer.objects.get(pk=response.json()["id"])
    assert answer.status == "done", answer.error
    assert "customers" in answer.transcript.lower()


def test_a_typed_answer_is_still_json_and_done_at_once(client, alice_token, question):
    response = api(
        client,
        "post",
        "/practice/answers",
        alice_token,
        json={"question_id": question.pk, "text": "I fixed the build in two days."},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "done" and response.json()["audio_url"] is None
    assert response.json()["feedback"]["speech"] is None
    bad = client.post(URL, "{not json", content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {alice_token}")  # fmt: skip
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body"]
    missing = api(client, "post", "/practice/answers", alice_token, json={"text": "x"})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "payload", "question_id"]


def _refused(response, field, words):
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", field], detail
    assert words in detail[0]["msg"], detail


def test_bad_uploads_are_refused_with_a_clear_detail(
    client, alice_token, question, webm, monkeypatch
):
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    _refused(_upload(client, alice_token, question.pk, b""), "audio", "empty")
    _refused(_upload(client, alice_token, question.pk, html), "audio", "not a recording")
    _refused(_upload(client, alice_token, question.pk, None), "audio", "Attach the recording")
    damaged = b"\x1a\x45\xdf\xa3" + b"\x00junk" * 200
    _refused(_upload(client, alice_token, question.pk, damaged), "audio", "")
    big = b"\x1a\x45\xdf\xa3" + bytes(26 * 1024 * 1024)
    _refused(_upload(client, alice_token, question.pk, big), "audio", "at most 25 MB")
    monkeypatch.setattr(voice, "MAX_BYTES", len(webm) - 1)
    _refused(_upload(client, alice_token, question.pk, webm), "audio", "at most")
    monkeypatch.undo()
    monkeypatch.setattr(audio_module, "MAX_SECONDS", 5)
    _refused(_upload(client, alice_token, question.pk, webm), "audio", "minutes long")
    _refused(_upload(client, alice_token, None, webm), "question_id", "which question")
    _refused(_upload(client, alice_token, "abc", webm), "question_id", "whole number")
    _refused(_upload(client, alice_token, question.pk + 999, webm), "question_id", "No question")
    _refused(_upload(client, alice_token, question.pk, webm, session_id=12345), "session_id", "No")
    assert Answer.objects.count() == 0
    assert _files() == []


def test_the_name_sent_is_never_used(client, alice, alice_token, question, webm, settings):
    for name in ("../../../../escape.webm", "..\\..\\win.webm", "/etc/passwd", "a\x00b.webm"):
        response = _upload(client, alice_token, question.pk, webm, name=name)
        assert response.status_code == 202, (name, response.content)
    names = [p.relative_to(recordings_dir()).as_posix() for p in _files()]
    assert len(names) == 4
    assert all(re.fullmatch(rf"{alice.pk}/[0-9a-f]{{32}}\.webm", n) for n in names), names
    assert not list(settings.DATA_DIR.parent.rglob("escape.webm"))


def test_another_users_question_cannot_be_answered(client, bob_token, question, webm):
    _refused(_upload(client, bob_token, question.pk, webm), "question_id", "No question")
    assert _files() == []


def test_answers_and_recordings_are_404_for_anyone_else(
    client, alice_client, bob_client, alice, alice_token, bob_token, question, webm
):
    response = _upload(client, alice_token, question.pk, webm)
    answer = Answer.objects.get(pk=response.json()["id"])
    audio_url = f"/practice/answers/{answer.pk}/audio"

    own = alice_client.get(audio_url)
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment;")
    assert own["Content-Type"] == "audio/webm"
    assert b"".join(own.streaming_content) == webm

    assert bob_client.get(audio_url).status_code == 404
    assert api(client, "get", f"/practice/answers/{answer.pk}", bob_token).status_code == 404
    assert api(client, "delete", f"/practice/answers/{answer.pk}", bob_token).status_code == 404
    assert answer.audio_path.exists()
    anonymous = client.get(audio_url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    # An answer typed (no recording) has no audio either.
    typed = Answer.objects.create(owner=alice, question=question, text="typed", score=1)
    assert alice_client.get(f"/practice/answers/{typed.pk}/audio").status_code == 404


def test_deleting_an_answer_deletes_its_recording(
    client, alice_token, question, webm, django_capture_on_commit_callbacks
):
    first = Answer.objects.get(pk=_upload(client, alice_token, question.pk, webm).json()["id"])
    second = Answer.objects.get(pk=_upload(client, alice_token, question.pk, webm).json()["id"])
    assert len(_files()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = api(client, "delete", f"/practice/answers/{first.pk}", alice_token)
    assert response.status_code == 204
    assert not first.audio_path.exists() and second.audio_path.exists()
    # Deleting the question deletes its answers, and their recordings along with them.
    with django_capture_on_commit_callbacks(execute=True):
        question.delete()
    assert _files() == []


def test_a_missing_or_silent_recording_fails_with_a_reason(
    client, alice_token, question, webm, tmp_path
):
    answer = Answer.objects.get(pk=_upload(client, alice_token, question.pk, webm).json()["id"])
    answer.audio_path.unlink()
    assert voice.process(answer.pk) == "failed"
    body = api(client, "get", f"/practice/answers/{answer.pk}", alice_token).json()
    assert body["status"] == "failed" and "missing" in body["error"]
    assert body["feedback"] is None


def _chunk(client, token, answer_id, content, final=False):
    data = {"final": "true" if final else "false"}
    if content is not None:
        data["audio"] = SimpleUploadedFile("chunk.webm", content, content_type="audio/webm")
    return client.post(f"{URL}/{answer_id}/chunks", data, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_recording_sent_while_speaking_is_transcribed_piece_by_piece(
    client, alice_token, bob_token, question, webm, monkeypatch, django_capture_on_commit_callbacks
):
    from sayyes.practice.speech import report

    monkeypatch.setattr(report, "MIN_WINDOW", 4.0)
    first, second, rest = (
        webm[: len(webm) // 5],
        webm[len(webm) // 5 : 7 * len(webm) // 10],
        (webm[7 * len(webm) // 10 :]),
    )
    started = _upload(client, alice_token, question.pk, first, live="true")
    assert started.status_code == 202, started.content
    assert started.json()["status"] == "recording"
    answer_id = started.json()["id"]

    with django_capture_on_commit_callbacks(execute=True):
        response = _chunk(client, alice_token, answer_id, second)
    assert response.status_code == 202 and response.json()["status"] == "recording"
    assert DBTaskResult.objects.filter(args_kwargs__args=[answer_id]).exists()
    # The worker transcribes what has arrived up to the pause, while the user goes on.
    assert voice.process(answer_id) == "recording"
    live = Answer.objects.get(pk=answer_id).live
    assert 5.0 < live["cut"] < 9.0, live
    assert "two weeks" in " ".join(s["text"] for s in live["segments"]).lower()
    polled = api(client, "get", f"/practice/answers/{answer_id}", alice_token).json()
    assert polled["status"] == "recording" and polled["feedback"] is None

    assert _chunk(client, bob_token, answer_id, rest, final=True).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = _chunk(client, alice_token, answer_id, rest, final=True)
    assert response.status_code == 202 and response.json()["status"] == "queued"
    decoded_from = []  # after Stop, only the tail is decoded (from a packet past the start)
    decode = report.decode
    monkeypatch.setattr(
        report,
        "decode",
        lambda *a, **kw: decoded_from.append(kw["from_packet"]) or decode(*a, **kw),
    )
    assert voice.process(answer_id) == "done"
    assert len(decoded_from) == 1 and decoded_from[0] > 0
    answer = Answer.objects.get(pk=answer_id)
    assert answer.live["segments"] and "levels" not in answer.live and "tail" not in answer.live
    assert answer.audio_path.read_bytes() == webm
    assert "customers" in answer.transcript.lower() and "two weeks" in answer.transcript.lower()
    assert answer.feedback["speech"]["pauses"]["count"] == 1
    assert answer.duration_seconds > 12
    _refused(_chunk(client, alice_token, answer_id, rest), "audio", "already complete")


def test_a_live_recording_must_start_with_audio(client, alice_token, question):
    html = b"<html>not a recording</html>"
    _refused(
        _upload(client, alice_token, question.pk, html, live="true"), "audio", "not a recording"
    )
    _refused(
        _upload(client, alice_token, question.pk, b"\x1a\x45\xdf\xa3", live="maybe"),
        "live",
        "true or false",
    )
    assert Answer.objects.count() == 0 and _files() == []


def test_an_answer_still_transcribing_is_not_rated_nor_charted(
    client, alice, alice_client, alice_token, question, webm
):
    answer_id = _upload(client, alice_token, question.pk, webm).json()["id"]
    response = alice_client.post(f"/practice/answers/{answer_id}/rate/", {"self_rating": "4"})
    assert response.status_code == 302
    answer = Answer.objects.get(pk=answer_id)
    assert answer.self_rating is None and answer.status == "queued"
    page = alice_client.get(f"/practice/questions/{question.pk}/")
    assert page.context["history"] == [] and page.context["best"] is None
    home = alice_client.get("/practice/")
    assert home.context["stats"]["n"] == 0 and list(home.context["recent"]) == []


def test_a_take_abandoned_half_way_goes_when_the_next_starts(
    client, alice, alice_token, question, webm, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    old_id = _upload(client, alice_token, question.pk, webm[:4000], live="true").json()["id"]
    fresh_id = _upload(client, alice_token, question.pk, webm[:4000], live="true").json()["id"]
    Answer.objects.filter(pk=old_id).update(created_at=timezone.now() - timedelta(hours=1))
    old_file = Answer.objects.get(pk=old_id).audio_path
    with django_capture_on_commit_callbacks(execute=True):
        newest = _upload(client, alice_token, question.pk, webm[:4000], live="true")
    assert newest.status_code == 202
    assert not Answer.objects.filter(pk=old_id).exists() and not old_file.exists()
    assert Answer.objects.filter(pk=fresh_id, status="recording").exists()
