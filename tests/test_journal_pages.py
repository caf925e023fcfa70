"""The journal's pages: debrief, questions to ask, companies, side by side, insights."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sayyes.journal.debriefs import save_debrief
from sayyes.journal.models import Debrief, Dimension, QuestionToAsk
from sayyes.pipeline import services as pipeline
from sayyes.practice.models import Question


@pytest.fixture
def ended(interview):
    """alice's interview, moved to yesterday."""
    pipeline.update_interview(interview, starts_at=timezone.now() - timedelta(days=1))
    interview.refresh_from_db()
    return interview


def _form(**extra):
    data = {
        "questions_asked": "How do you size a Kafka cluster?\nWhy this company?",
        "learned_requirements": "Kafka, SQL",
        "learned_strategy": "Real-time first",
        "likes": "Honest answers",
        "dislikes": "",
        "people_names": "Priya Shah",
        "rating_0": "4",
        "overall_interest": "5",
        "notes": "",
        "new_dimension": "",
        "new_dimension_rating": "",
    }
    data.update(extra)
    return data


def test_the_agenda_and_the_interview_page_prompt_for_the_debrief(alice_client, ended):
    for url in ("/agenda/", f"/interviews/{ended.pk}/edit/"):
        page = alice_client.get(url).content.decode()
        assert "How did it go? Write the debrief" in page, url
        assert f"/interviews/{ended.pk}/debrief/" in page
    save_debrief(ended.owner, ended, likes="Good")
    for url in ("/agenda/", f"/interviews/{ended.pk}/edit/"):
        assert "How did it go?" not in alice_client.get(url).content.decode(), url


def test_a_future_interview_asks_for_no_debrief(alice_client, interview):
    page = alice_client.get(f"/interviews/{interview.pk}/edit/").content.decode()
    assert "How did it go?" not in page
    assert "Prepare questions to ask the employer" in page


def test_the_debrief_form_saves_and_editing_adds_no_question_twice(alice_client, ended):
    url = f"/interviews/{ended.pk}/debrief/"
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url, _form())
    assert response.status_code == 302
    assert response["Location"] == f"/companies/{ended.opportunity.company_id}/"
    debrief = Debrief.objects.get(interview=ended)
    assert debrief.ratings == {"growth": 4} and debrief.overall_interest == 5
    assert [p.name for p in debrief.people.all()] == ["Priya Shah"]
    page = alice_client.get(url).content.decode()
    assert "How do you size a Kafka cluster?" in page  # the form shows what was saved
    alice_client.post(url, _form(likes="Honest answers, good snacks"))
    assert Question.objects.filter(owner=ended.owner, source="real").count() == 2
    assert Debrief.objects.get().likes == "Honest answers, good snacks"


def test_a_new_dimension_is_added_and_rated_from_the_form(alice_client, ended):
    url = f"/interviews/{ended.pk}/debrief/"
    alice_client.post(url, _form(new_dimension="Commute", new_dimension_rating="2"))
    assert Debrief.objects.get().ratings == {"growth": 4, "commute": 2}
    page = alice_client.get(url).content.decode()
    assert ">Commute<" in page


def test_a_bad_rating_keeps_what_was_typed_and_saves_nothing(alice_client, ended):
    response = alice_client.post(
        f"/interviews/{ended.pk}/debrief/", _form(rating_0="9", likes="Typed text stays")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Typed text stays" in page and "Select a valid choice" in page
    assert not Debrief.objects.exists()
    assert not Question.objects.filter(source="real").exists()


def test_a_default_dimension_as_new_is_an_error_and_saves_nothing(alice_client, ended):
    response = alice_client.post(
        f"/interviews/{ended.pk}/debrief/", _form(new_dimension="growth", new_dimension_rating="3")
    )
    assert response.status_code == 400
    assert "already one of the dimensions" in response.content.decode()
    assert not Debrief.objects.exists() and not Dimension.objects.exists()


def test_questions_to_ask_are_picked_ordered_and_saved(alice_client, interview):
    url = f"/interviews/{interview.pk}/questions-to-ask/"
    page = alice_client.get(url).content.decode()
    assert page.count('class="ask-row"') >= 5
    assert "Why:" in page
    response = alice_client.post(
        url,
        {
            "text_0": "First suggestion?",
            "why_0": "a",
            "order_0": "2",
            "text_1": "Second suggestion?",
            "why_1": "b",
            "order_1": "1",
            "text_2": "Not picked?",
            "order_2": "3",
            "pick": ["0", "1"],
            "own": "What would you change about the team?",
        },
    )
    assert response.status_code == 302
    saved = list(QuestionToAsk.objects.filter(interview=interview).values_list("text", flat=True))
    assert saved == [
        "Second suggestion?",
        "First suggestion?",
        "What would you change about the team?",
    ]
    page = alice_client.get(f"/interviews/{interview.pk}/edit/").content.decode()
    assert "Second suggestion?" in page


def test_the_company_journal_shows_impressions(alice_client, ended):
    save_debrief(ended.owner, ended, likes="Honest answers", ratings={"growth": 4})
    page = alice_client.get(f"/companies/{ended.opportunity.company_id}/").content.decode()
    assert "Honest answers" in page and "Growth" in page and "Dana Reyes" in page
    assert 'id="company-chart-data"' in page


def test_the_companies_page_says_when_there_are_not_enough_debriefs(alice_client, ended):
    page = alice_client.get("/companies/").content.decode()
    assert "Not enough debriefs yet: 0 of the 5" in page
    assert "Northwind Analytics" in page


def _company(user, name, interest):
    opp = pipeline.create_opportunity(user, company_name=name, title="Analyst")
    iv = pipeline.create_interview(
        user, opp, starts_at=timezone.now() - timedelta(days=3), timezone="UTC"
    )
    save_debrief(user, iv, ratings={"growth": interest, "culture": 3, "mission": 2},
                 overall_interest=interest, dislikes=f"{name} dislike")  # fmt: skip
    return opp.company


def test_side_by_side_page(alice_client, alice):
    a, b = _company(alice, "Acme", 5), _company(alice, "Globex", 2)
    page = alice_client.get(f"/companies/compare/?ids={a.pk}&ids={b.pk}").content.decode()
    assert "Globex dislike" in page and "Acme dislike" in page
    assert 'id="compare-chart-data"' in page
    one = alice_client.get(f"/companies/compare/?ids={a.pk}")
    assert one.status_code == 400 and "Choose 2 to 5" in one.content.decode()


def test_side_by_side_with_bobs_company_is_404(alice_client, alice, bob):
    a, theirs = _company(alice, "Acme", 5), _company(bob, "Bob Co", 2)
    assert alice_client.get(f"/companies/compare/?ids={a.pk},{theirs.pk}").status_code == 404


def test_the_insights_page(alice_client, alice, bob):
    a = _company(alice, "Acme", 5)
    pipeline.update_company(a, industry="Retail")
    theirs = _company(bob, "Bob Mart", 1)
    pipeline.update_company(theirs, industry="Retail")
    page = alice_client.get("/insights/?industry=Retail").content.decode()
    assert "Acme" in page and "Bob Mart" not in page
    assert alice_client.get("/insights/?industry=Nope").status_code == 400
    assert 'aria-current="page">Insights' in page
