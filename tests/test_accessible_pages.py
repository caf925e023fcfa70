"""Pages on a phone, by keyboard and with a screen reader (issue 16): what the server says."""

from __future__ import annotations

import re

import pytest

from sayyes.practice.models import Answer, PracticeSession, Question

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def session(alice):
    first = Question.objects.create(owner=alice, text="What went wrong last?", source="yours")
    second = Question.objects.create(owner=alice, text="What went right?", source="yours")
    return PracticeSession.objects.create(
        owner=alice, mode="random", question_ids=[first.pk, second.pk]
    )


def test_an_empty_answer_sent_by_htmx_gets_the_feedback_fragment_not_a_page(alice_client, session):
    response = alice_client.post(f"/practice/sessions/{session.pk}/", {"text": ""}, **HTMX)

    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html and "<nav" not in html and "<footer" not in html
    assert 'id="feedback"' in html
    assert "No feedback yet" in html
    assert "Your answer: This field is required." in html
    assert 'href="#id_text"' in html
    assert not Answer.objects.filter(session=session).exists()


def test_an_empty_answer_without_htmx_gets_the_page_with_what_was_typed(alice_client, session):
    response = alice_client.post(f"/practice/sessions/{session.pk}/", {"text": "   "})

    assert response.status_code == 400
    assert "<nav" in response.content.decode()


def test_skip_moves_to_the_next_question_without_an_answer_and_lands_on_it(alice_client, session):
    page = alice_client.get(f"/practice/sessions/{session.pk}/").content.decode()
    assert "Skip this question" in page
    assert 'id="question" tabindex="-1"' in page

    response = alice_client.post(f"/practice/sessions/{session.pk}/next/")

    assert response.status_code == 302
    assert response["Location"] == f"/practice/sessions/{session.pk}/#question"
    session.refresh_from_db()
    assert session.position == 1
    assert not Answer.objects.filter(session=session).exists()
    assert "What went right?" in alice_client.get(response["Location"]).content.decode()


def test_the_question_is_a_heading_under_the_page_title(alice_client, session):
    page = alice_client.get(f"/practice/sessions/{session.pk}/").content.decode()
    levels = [int(n) for n in re.findall(r"<h([1-6])", page)]
    assert levels[:2] == [1, 2]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_compare_with_ticks_this_company_and_asks_for_one_more(alice_client, opp):
    company = opp.company
    detail = alice_client.get(f"/companies/{company.pk}/").content.decode()
    assert f"/companies/compare/?with={company.pk}" in detail

    response = alice_client.get(f"/companies/compare/?with={company.pk}")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{company.pk}" checked' in html
    assert "tick at least one more company" in html
    assert 'role="alert"' not in html


def test_compare_with_someone_elses_company_is_404(bob_client, opp):
    assert bob_client.get(f"/companies/compare/?with={opp.company.pk}").status_code == 404


def test_compare_with_junk_says_what_is_wrong(alice_client):
    response = alice_client.get("/companies/compare/?with=abc")
    assert response.status_code == 400
    assert "is not an id" in response.content.decode()


def test_every_page_has_a_skip_link_a_menu_button_and_its_live_regions(alice_client):
    html = alice_client.get("/").content.decode()
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert 'aria-controls="menu" hidden>Menu</button>' in html
    assert '<nav aria-label="Main" id="menu">' in html
    assert '<div class="messages" role="status">' in html
    assert '<p id="live-status" class="visually-hidden" role="status"></p>' in html


def test_the_board_moves_a_card_on_a_button_not_on_a_change_of_the_select(alice_client, opp):
    html = alice_client.get("/board/").content.decode()
    assert "hx-trigger" not in html
    assert (
        f'<button type="submit" class="small move">Move<span class="visually-hidden"> {opp.title}'
        in html
    )
    assert 'role="tablist"' in html
    assert html.count(f'data-count-for="{opp.status}">1<') == 2  # the tab and the column
