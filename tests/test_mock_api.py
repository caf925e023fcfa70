"""The mock interview API: the contract, spoken answers, bad input, another user's mocks."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sayyes.practice import voice
from sayyes.practice.models import Answer, Mock, MockTurn, Question, Review
from tests import test_mock
from tests.conftest import api
from tests.test_mock_followups import COMPLETE, SITUATION_ONLY

bank, story = test_mock.bank, test_mock.story  # the same fixtures


def _start(client, token, **body):
    return api(client, "post", "/mocks", token, json={"kind": "behavioral", "questions": 2, **body})


def _answer(client, token, mock_id, text, **extra):
    return api(client, "post", f"/mocks/{mock_id}/answer", token, json={"text": text, **extra})


def _speak(client, token, mock, audio: bytes):
    """Answer the mock's current turn with a recording (multipart `audio`)."""
    upload = SimpleUploadedFile("a.webm", audio, "audio/webm")
    return client.post(
        f"/api/v1/mocks/{mock.pk}/answer", {"audio": upload}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _snapshot():
    return (
        list(Mock.objects.values()),
        list(MockTurn.objects.values()),
        list(Answer.objects.values()),
        list(Review.objects.values()),
    )


def test_starting_a_mock_answers_201_with_its_first_turn(client, bank, alice_token):
    response = _start(client, alice_token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "in_progress" and body["questions"] == 2
    turn = body["turn"]
    assert turn["kind"] == "question" and turn["number"] == 1
    assert turn["persona"] == {
        "key": "hiring_manager",
        "name": "Morgan Ellis",
        "role": "Hiring manager",
    }
    assert turn["text"].startswith("Hello, I'm Morgan Ellis")
    assert body["waiting"] is False and turn["closing"] is False


def test_a_typed_conversation_to_the_end_then_the_report(client, bank, alice, alice_token):
    mock_id = _start(client, alice_token, questions=1).json()["id"]
    mock = Mock.objects.get(pk=mock_id)
    mock.question_ids = [Question.objects.create(
        owner=alice, text="Tell me about a time you fixed a late project.", category="behavioral",
        source="yours",
    ).pk]  # fmt: skip
    mock.save()
    MockTurn.objects.filter(mock=mock).update(question_id=mock.question_ids[0])

    body = _answer(client, alice_token, mock_id, SITUATION_ONLY, duration_seconds=55).json()
    assert body["turn"]["kind"] == "follow_up"
    assert body["turn"]["text"] == "What did you do yourself, step by step?"
    body = _answer(client, alice_token, mock_id, COMPLETE).json()
    assert body["turn"]["closing"] is True and body["turn"]["kind"] == "question"
    assert "Do you have any questions for us?" in body["turn"]["text"]
    assert len(body["turn"]["suggestions"]) == 3
    body = _answer(client, alice_token, mock_id, "How do you measure success here?").json()
    assert body["status"] == "finished" and body["turn"] is None

    report = api(client, "get", f"/mocks/{mock_id}/report", alice_token).json()
    assert set(report) >= {"questions", "overall", "delivery", "comparison"}
    (question,) = report["questions"]
    assert question["answer"] == SITUATION_ONLY
    assert question["follow_ups"] == [
        {"text": "What did you do yourself, step by step?", "answer": COMPLETE, "rule": "action"}
    ]
    assert question["score"] > 0 and question["feedback"]["tips"]
    assert set(report["overall"]) >= {"score", "strengths", "work_on"}
    assert report["overall"]["score"] == question["score"]
    assert report["your_questions"] == "How do you measure success here?"

    listed = api(client, "get", "/mocks", alice_token).json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "finished"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "behavioral", "questions": 0}, "questions"),
        ({"kind": "behavioral", "questions": 13}, "questions"),
        ({"kind": "chat", "questions": 3}, "kind"),
        ({"kind": "behavioral", "questions": 3, "mood": "calm"}, "mood"),
        ({"kind": "behavioral", "questions": 3, "opportunity_id": 999999}, "opportunity_id"),
        ({"kind": "behavioral", "questions": 3, "interview_id": 2**63}, "interview_id"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
    client, bank, alice_token, body, field
):
    before = _snapshot()
    response = api(client, "post", "/mocks", alice_token, json=body)
    assert response.status_code == 422, response.content
    assert field in response.content.decode()
    assert _snapshot() == before


def test_answering_a_finished_mock_is_refused(client, bank, alice, alice_token, story):
    mock_id = _start(client, alice_token, questions=1).json()["id"]
    Mock.objects.filter(pk=mock_id).update(status="finished")
    before = _snapshot()
    response = _answer(client, alice_token, mock_id, COMPLETE)
    assert response.status_code == 422
    assert "text" in response.json()["detail"][0]["loc"]
    assert "finished" in response.json()["detail"][0]["msg"]
    assert _snapshot() == before


def test_an_empty_answer_names_the_text(client, bank, alice_token):
    mock_id = _start(client, alice_token).json()["id"]
    before = _snapshot()
    response = _answer(client, alice_token, mock_id, "   ")
    assert response.status_code == 422 and "text" in response.json()["detail"][0]["loc"]
    assert _snapshot() == before


def test_bob_gets_404_for_alices_mock_and_nothing_changes(client, bank, alice_token, bob_token):
    mock_id = _start(client, alice_token).json()["id"]
    before = _snapshot()
    for method, path, body in (
        ("get", f"/mocks/{mock_id}", None),
        ("get", f"/mocks/{mock_id}/report", None),
        ("post", f"/mocks/{mock_id}/answer", {"text": COMPLETE}),
        ("delete", f"/mocks/{mock_id}", None),
    ):
        response = api(client, method, path, bob_token, json=body)
        assert response.status_code == 404, (method, path)
    assert api(client, "get", "/mocks", bob_token).json()["count"] == 0
    assert _snapshot() == before


def test_bob_cannot_start_a_mock_with_alices_opportunity(client, bank, opp, interview, bob_token):
    for body, field in (({"opportunity_id": opp.pk}, "opportunity_id"),
                        ({"interview_id": interview.pk}, "interview_id")):  # fmt: skip
        response = _start(client, bob_token, **body)
        assert response.status_code == 422 and field in response.content.decode()
    assert not Mock.objects.exists()


def test_deleting_a_mock(client, bank, alice_token):
    mock_id = _start(client, alice_token).json()["id"]
    assert api(client, "delete", f"/mocks/{mock_id}", alice_token).status_code == 204
    assert api(client, "get", f"/mocks/{mock_id}", alice_token).status_code == 404


def test_a_spoken_answer_is_transcribed_then_the_mock_moves_on(
    client, alice, alice_token, story, recordings, django_capture_on_commit_callbacks
):
    mock = Mock.objects.create(owner=alice, kind="behavioral", question_ids=[story.pk])
    from sayyes.practice.mocks import services as mocks

    mocks._ask_question(mock, 0)
    with django_capture_on_commit_callbacks(execute=True):
        response = _speak(client, alice_token, mock, recordings["webm"].read_bytes())
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["waiting"] is True and body["turn"]["number"] == 1
    # A typed answer while the recording is transcribed is refused.
    assert _answer(client, alice_token, mock.pk, COMPLETE).status_code == 422
    waiting = api(client, "get", f"/mocks/{mock.pk}", alice_token).json()
    assert waiting["waiting"] is True

    answer = Answer.objects.get(owner=alice)
    assert voice.process(answer.pk) == "done"
    body = api(client, "get", f"/mocks/{mock.pk}", alice_token).json()
    assert body["waiting"] is False
    # "we fixed them in two weeks ... went down by half": the result is there, no "I" action
    # on its own is missing; whatever is asked, it is a follow-up on this question.
    assert body["turn"]["kind"] == "follow_up" and body["turn"]["number"] == 1
    turn = MockTurn.objects.get(mock=mock, position=0)
    assert "two weeks" in turn.reply.lower() and turn.feedback["speech"]
    assert Review.objects.get(owner=alice, question=story).reps == 1


def test_a_recording_that_cannot_be_transcribed_says_why_and_can_be_retried(
    client, alice, alice_token, story, django_capture_on_commit_callbacks
):
    from sayyes.practice.mocks import services as mocks

    mock = Mock.objects.create(owner=alice, kind="behavioral", question_ids=[story.pk])
    mocks._ask_question(mock, 0)
    answer = Answer.objects.create(
        owner=alice, question=story, text="", status="failed", error="No speech was found."
    )
    MockTurn.objects.filter(mock=mock).update(answer=answer)
    body = api(client, "get", f"/mocks/{mock.pk}", alice_token).json()
    assert body["waiting"] is False and body["turn"]["error"] == "No speech was found."
    assert not Answer.objects.filter(pk=answer.pk).exists()
    assert _answer(client, alice_token, mock.pk, COMPLETE).json()["turn"]["closing"]


def test_the_closing_turn_can_be_spoken_and_the_last_question_keeps_its_schedule(
    client, alice, alice_token, story, recordings, django_capture_on_commit_callbacks
):
    from sayyes.practice.mocks import services as mocks

    mock = Mock.objects.create(owner=alice, kind="behavioral", question_ids=[story.pk])
    mocks._ask_question(mock, 0)
    mocks.answer_text(mock, COMPLETE)
    main = Answer.objects.get(owner=alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = _speak(client, alice_token, mock, recordings["webm"].read_bytes())
    assert response.status_code == 202 and response.json()["turn"]["closing"] is True
    spoken = Answer.objects.exclude(pk=main.pk).get(owner=alice)
    assert voice.process(spoken.pk) == "done"
    with django_capture_on_commit_callbacks(execute=True):
        body = api(client, "get", f"/mocks/{mock.pk}", alice_token).json()
    assert body["status"] == "finished" and body["turn"] is None
    closing = MockTurn.objects.get(mock=mock, kind="closing")
    assert "two weeks" in closing.reply.lower()
    assert list(Answer.objects.filter(owner=alice)) == [main]
    main.refresh_from_db()
    assert main.text == COMPLETE
    assert Review.objects.get(owner=alice, question=story).due == main.next_review_at
    report = api(client, "get", f"/mocks/{mock.pk}/report", alice_token).json()
    assert report["your_questions"] == closing.reply
    assert report["delivery"]["spoken_answers"] == 1


def test_a_spoken_follow_up_joins_the_questions_answer_and_its_copy_goes(
    client, alice, alice_token, story, recordings, django_capture_on_commit_callbacks
):
    from sayyes.practice.mocks import services as mocks

    mock = Mock.objects.create(owner=alice, kind="behavioral", question_ids=[story.pk])
    mocks._ask_question(mock, 0)
    mocks.answer_text(mock, SITUATION_ONLY)
    main = Answer.objects.get(owner=alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = _speak(client, alice_token, mock, recordings["webm"].read_bytes())
    assert response.status_code == 202 and response.json()["turn"]["kind"] == "follow_up"
    spoken = Answer.objects.exclude(pk=main.pk).get(owner=alice)
    assert voice.process(spoken.pk) == "done"
    with django_capture_on_commit_callbacks(execute=True):  # recordings go after the commit
        api(client, "get", f"/mocks/{mock.pk}", alice_token)
    # The follow-up's transcript is kept in the mock and added to the question's answer;
    # its own practice answer (and recording) is gone, and the question is scheduled once,
    # from where it stood before the mock.
    follow_up = MockTurn.objects.get(mock=mock, kind="follow_up", rule="action")
    assert "two weeks" in follow_up.reply.lower() and follow_up.answered_at
    assert not Answer.objects.filter(pk=spoken.pk).exists()
    assert not spoken.audio_path.exists()
    main.refresh_from_db()
    assert main.text.startswith(SITUATION_ONLY) and follow_up.reply in main.text
    review = Review.objects.get(owner=alice, question=story)
    assert review.due == main.next_review_at
