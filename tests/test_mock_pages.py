"""Mock interview pages: start, the turn page, typed answers and follow-ups, the report."""

from __future__ import annotations

import html

from sayyes.practice.models import Mock, MockTurn
from tests import test_mock
from tests.test_mock_followups import COMPLETE, SITUATION_ONLY

bank, story = test_mock.bank, test_mock.story  # the same fixtures


def _html(response) -> str:
    return html.unescape(response.content.decode())


def test_the_practice_page_links_to_a_mock(alice_client, bank):
    page = _html(alice_client.get("/practice/"))
    assert 'href="/practice/mocks/new/"' in page and "Start a mock interview" in page
    assert 'href="/practice/mocks/new/?kind=panel"' in page


def test_starting_a_mock_from_the_form(alice_client, alice, bank, opp):
    page = _html(alice_client.get("/practice/mocks/new/?kind=technical"))
    assert '<option value="technical" selected>' in page
    response = alice_client.post(
        "/practice/mocks/new/", {"kind": "panel", "questions": "3", "opportunity": opp.pk}
    )
    mock = Mock.objects.get(owner=alice)
    assert response.status_code == 302 and response["Location"] == f"/practice/mocks/{mock.pk}/"
    assert mock.kind == "panel" and mock.opportunity == opp and len(mock.question_ids) == 3
    page = _html(alice_client.get(response["Location"]))
    assert "Question 1 of 3" in page and "Morgan Ellis" in page and "Hiring manager" in page
    assert "There are three of us today" in page
    assert "data-timer" in page and "data-say" in page and "data-recorder" in page


def test_a_bad_start_keeps_the_form_and_says_why(alice_client, bank):
    response = alice_client.post("/practice/mocks/new/", {"kind": "behavioral", "questions": "13"})
    assert response.status_code == 400
    page = _html(response)
    assert "less than or equal to 12" in page and 'value="13"' in page
    assert not Mock.objects.exists()


def test_an_interviews_checklist_starts_a_mock_for_it(alice_client, alice, bank, interview):
    page = _html(alice_client.get(f"/practice/mocks/new/?interview={interview.pk}"))
    assert "Prepare for Northwind Analytics" in page
    assert f'name="interview" value="{interview.pk}"' in page
    assert '<option value="behavioral" selected>' in page  # a video call: a behavioral round
    alice_client.post(
        "/practice/mocks/new/",
        {"kind": "behavioral", "questions": "2", "interview": interview.pk},
    )
    mock = Mock.objects.get(owner=alice)
    assert mock.interview == interview and mock.opportunity == interview.opportunity


def test_a_typed_answer_brings_a_follow_up_then_the_report(alice_client, alice, story):
    mock = Mock.objects.create(owner=alice, kind="behavioral", question_ids=[story.pk])
    from sayyes.practice.mocks import services as mocks

    mocks._ask_question(mock, 0)
    url = f"/practice/mocks/{mock.pk}/"
    assert alice_client.post(url, {"text": SITUATION_ONLY}).status_code == 302
    page = _html(alice_client.get(url))
    assert "a follow-up" in page and "What did you do yourself, step by step?" in page
    assert "You: Last spring" in page  # the conversation so far
    alice_client.post(url, {"text": COMPLETE})
    page = _html(alice_client.get(url))
    assert "Your questions for them" in page and "Do you have any questions for us?" in page
    response = alice_client.post(url, {"text": "What is the hardest part of the job?"})
    assert alice_client.get(url)["Location"] == f"/practice/mocks/{mock.pk}/report/"
    report = _html(alice_client.get(f"/practice/mocks/{mock.pk}/report/"))
    assert response.status_code == 302
    assert "Question by question" in report and story.text in report
    assert "Follow-up: What did you do yourself, step by step?" in report.replace(
        "<strong>", ""
    ).replace("</strong>", "")
    assert "Strengths" in report and "Work on" in report
    assert "Delivery across the session" in report
    assert "Your first behavioral mock" in report
    assert "What is the hardest part of the job?" in report
    assert "sayyes/mock.css" in report  # its print stylesheet


def test_an_empty_answer_keeps_the_turn_and_says_why(alice_client, alice, story):
    mock = Mock.objects.create(owner=alice, kind="behavioral", question_ids=[story.pk])
    from sayyes.practice.mocks import services as mocks

    mocks._ask_question(mock, 0)
    response = alice_client.post(f"/practice/mocks/{mock.pk}/", {"text": ""})
    assert response.status_code == 400 and "This field is required." in _html(response)
    assert MockTurn.objects.filter(mock=mock).count() == 1


def test_bob_gets_404_on_alices_mock_pages(alice, bob_client, story, interview):
    mock = Mock.objects.create(owner=alice, kind="behavioral", question_ids=[story.pk])
    for url in (
        f"/practice/mocks/{mock.pk}/",
        f"/practice/mocks/{mock.pk}/report/",
        f"/practice/mocks/{mock.pk}/delete/",
        f"/practice/mocks/new/?interview={interview.pk}",
    ):
        assert bob_client.get(url).status_code == 404, url
    assert bob_client.post(f"/practice/mocks/{mock.pk}/", {"text": "hi"}).status_code == 404
    assert bob_client.post(f"/practice/mocks/{mock.pk}/delete/").status_code == 404
    assert Mock.objects.filter(pk=mock.pk).exists()


def test_deleting_a_mock_from_its_report(alice_client, alice, story):
    mock = Mock.objects.create(owner=alice, kind="behavioral", question_ids=[story.pk])
    assert "Your answers stay in your practice history." in _html(
        alice_client.get(f"/practice/mocks/{mock.pk}/delete/")
    )
    alice_client.post(f"/practice/mocks/{mock.pk}/delete/")
    assert not Mock.objects.exists()
