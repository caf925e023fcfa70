"""Transcriptions can't get stuck: a worker killed mid-way (kill -9) leaves nothing for ever."""
# ruff: noqa: F811 (the fixtures question and webm come from test_voice_api)

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sayyes.practice import voice
from sayyes.practice.models import Answer, Review
from sayyes.practice.recovery import INTERRUPTED, recover_transcriptions
from tests.conftest import api
from tests.test_voice_api import _upload, question, webm  # noqa: F401

TASK = "sayyes.practice.tasks.transcribe_answer"


def _rows(answer, status):
    return [
        r
        for r in DBTaskResult.objects.filter(task_path=TASK, status=status)
        if r.args_kwargs["args"] == [answer.pk]
    ]


def _killed_mid_transcription(answer) -> int:
    """What a worker killed by kill -9 in the middle of transcribing leaves: the task row
    RUNNING, the answer claimed."""
    (row,) = _rows(answer, "READY")
    row.claim("a-worker-since-killed")
    attempt = voice.claim(answer.pk)
    assert attempt is not None
    return attempt


def _later(minutes: int = 11):
    return timezone.now() + timedelta(minutes=minutes)


@pytest.fixture
def queued(client, alice_token, question, webm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, alice_token, question.pk, webm)
    assert response.status_code == 202, response.content
    return Answer.objects.get(pk=response.json()["id"])


def test_an_interrupted_transcription_is_queued_again_then_fails_after_three_attempts(
    client, alice_token, queued, django_capture_on_commit_callbacks
):
    for attempt in (1, 2, 3):
        assert _killed_mid_transcription(queued) == attempt
        # While the claim holds (the worker may be working), nothing is touched.
        assert recover_transcriptions() == {"requeued": 0, "failed": 0, "tasks_closed": 0}
        assert Answer.objects.get(pk=queued.pk).status == "transcribing"

        found = recover_transcriptions(now=_later())
        queued.refresh_from_db()
        (dead,) = _rows(queued, "FAILED")[-1:]
        assert dead.traceback.startswith("The worker stopped")
        assert not _rows(queued, "RUNNING")  # no task runs for ever
        if attempt < 3:
            assert found == {"requeued": 1, "failed": 0, "tasks_closed": 1}
            assert queued.status == "queued" and queued.error == ""
            assert len(_rows(queued, "READY")) == 1  # taken up again by the next worker
    assert found == {"requeued": 0, "failed": 1, "tasks_closed": 1}
    assert queued.status == "failed" and queued.error == INTERRUPTED
    assert not _rows(queued, "READY")
    shown = api(client, "get", f"/practice/answers/{queued.pk}", alice_token).json()
    assert shown["status"] == "failed" and shown["error"] == INTERRUPTED  # the page stops polling
    assert recover_transcriptions(now=_later(60)) == {"requeued": 0, "failed": 0, "tasks_closed": 0}


def test_a_queued_answer_whose_task_was_lost_is_queued_again_once(
    client,
    alice_token,
    question,
    webm,
):
    response = _upload(client, alice_token, question.pk, webm)  # killed before the task was queued
    answer = Answer.objects.get(pk=response.json()["id"])
    assert not _rows(answer, "READY")
    assert recover_transcriptions()["requeued"] == 0  # it may still be on its way
    assert recover_transcriptions(now=_later(2))["requeued"] == 1
    assert len(_rows(answer, "READY")) == 1
    assert recover_transcriptions(now=_later(2))["requeued"] == 0  # one is waiting now
    assert voice.process(answer.pk) == "done"


def test_a_task_left_running_after_its_answer_was_done_is_closed(queued):
    (row,) = _rows(queued, "READY")
    row.claim("a-worker-since-killed")
    assert voice.process(queued.pk) == "done"  # killed before the task was marked successful
    assert recover_transcriptions(now=_later())["tasks_closed"] == 1
    queued.refresh_from_db()
    assert queued.status == "done" and _rows(queued, "FAILED")


def test_the_transcription_is_idempotent(queued):
    """Run twice, or taken up again while the first run still goes on: one transcript."""
    first = _killed_mid_transcription(queued)  # not killed after all: only slow (a laptop slept)
    recover_transcriptions(now=_later())
    assert voice.process(queued.pk) == "done"  # the second attempt
    queued.refresh_from_db()
    done = (queued.transcript, queued.score, queued.next_review_at, queued.card_before)

    assert voice.transcribe_claimed(queued.pk, first) == "skipped"  # the first one ends
    assert voice.process(queued.pk) == "skipped"  # and the task runs once more
    queued.refresh_from_db()
    assert (queued.transcript, queued.score, queued.next_review_at, queued.card_before) == done
    assert queued.status == "done" and queued.attempts == 2 and queued.lease_until is None
    assert Review.objects.get(question=queued.question).reps == 1


@pytest.mark.django_db(transaction=True)
def test_a_claim_is_renewed_while_the_worker_transcribes(
    client,
    alice_token,
    question,
    webm,
    monkeypatch,
):
    response = _upload(client, alice_token, question.pk, webm)
    monkeypatch.setattr(voice, "RENEW_EVERY", 0.05)
    slow = voice.transcribe_claimed
    seen = []

    def transcribe(answer_id, attempt):  # a long transcription: the lease moves on meanwhile
        first = Answer.objects.get(pk=answer_id).lease_until
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            seen.append(Answer.objects.get(pk=answer_id).lease_until)
            if seen[-1] > first:
                break
            time.sleep(0.05)
        return slow(answer_id, attempt)

    monkeypatch.setattr(voice, "transcribe_claimed", transcribe)
    claimed_at = timezone.now()
    assert voice.process(response.json()["id"]) == "done"
    assert seen[-1] > claimed_at + voice.LEASE
    assert Answer.objects.get(pk=response.json()["id"]).lease_until is None  # the claim ended


@pytest.mark.django_db(transaction=True)
def test_a_worker_starting_takes_up_what_a_killed_one_left(client, alice_token, question, webm):
    from typer.testing import CliRunner

    from sayyes.cli import app

    response = _upload(client, alice_token, question.pk, webm)
    answer = Answer.objects.get(pk=response.json()["id"])
    _killed_mid_transcription(answer)
    Answer.objects.filter(pk=answer.pk).update(lease_until=timezone.now() - timedelta(seconds=1))

    outcome = CliRunner().invoke(app, ["worker", "--batch", "--quiet"])
    assert outcome.exit_code == 0, outcome.output
    answer.refresh_from_db()
    assert answer.status == "done", answer.error
    assert answer.attempts == 2
