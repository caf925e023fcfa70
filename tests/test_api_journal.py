"""The journal API: debriefs, dimensions, questions to ask, compare, what you value, insights."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sayyes.journal.debriefs import save_debrief
from sayyes.journal.models import Debrief, QuestionToAsk
from sayyes.pipeline import services as pipeline
from sayyes.practice.models import Question
from tests.conftest import api


def _body(interview, **extra):
    return {
        "interview_id": interview.pk,
        "questions_asked": ["How would you model late-arriving events?"],
        "learned": {"requirements": "dbt and Airflow", "strategy": "Streaming first", "goals": ""},
        "likes": "Calm team",
        "dislikes": "Open office",
        "ratings": {"growth": 4, "culture": 5},
        "overall_interest": 4,
        "notes": "Ask about on-call next time.",
        **extra,
    }


def test_a_debrief_is_created_read_patched_and_deleted(client, interview, alice_token):
    response = api(client, "post", "/debriefs", alice_token, json=_body(interview))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["questions_asked"] == ["How would you model late-arriving events?"]
    assert data["learned"] == {
        "requirements": "dbt and Airflow",
        "strategy": "Streaming first",
        "goals": "",
    }
    assert data["ratings"] == {"growth": 4, "culture": 5}
    debrief_id = data["id"]
    got = api(client, "get", f"/debriefs/{debrief_id}", alice_token).json()
    assert got["overall_interest"] == 4 and got["likes"] == "Calm team"

    patched = api(
        client,
        "patch",
        f"/debriefs/{debrief_id}",
        alice_token,
        json={"learned": {"goals": "IPO in two years"}, "questions_asked": data["questions_asked"]},
    ).json()
    assert patched["learned"]["goals"] == "IPO in two years"
    assert patched["learned"]["strategy"] == "Streaming first"
    assert Question.objects.filter(owner=interview.owner, source="real").count() == 1

    listed = api(client, "get", f"/debriefs?interview_id={interview.pk}", alice_token).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == debrief_id

    assert api(client, "delete", f"/debriefs/{debrief_id}", alice_token).status_code == 204
    assert not Debrief.objects.exists()
    assert not Question.objects.filter(source="real").exists()


def test_a_second_debrief_for_one_interview_is_refused(client, interview, alice_token):
    assert api(client, "post", "/debriefs", alice_token, json=_body(interview)).status_code == 201
    response = api(client, "post", "/debriefs", alice_token, json=_body(interview))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "interview_id"]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"ratings": {"growth": 9}}, "ratings"),
        ({"ratings": {"happiness": 3}}, "ratings"),
        ({"overall_interest": 0}, "overall_interest"),
        ({"overall_interest": 6}, "overall_interest"),
    ],
)
def test_bad_ratings_are_a_422_naming_the_field_and_nothing_is_saved(
    client, interview, alice_token, change, field
):
    response = api(client, "post", "/debriefs", alice_token, json=_body(interview, **change))
    assert response.status_code == 422
    assert field in response.json()["detail"][0]["loc"]
    assert not Debrief.objects.exists()
    assert not Question.objects.filter(source="real").exists()


def test_a_bad_rating_in_a_patch_changes_nothing(client, interview, alice_token):
    debrief_id = api(client, "post", "/debriefs", alice_token, json=_body(interview)).json()["id"]
    response = api(
        client,
        "patch",
        f"/debriefs/{debrief_id}",
        alice_token,
        json={"likes": "Changed", "ratings": {"growth": 6}},
    )
    assert response.status_code == 422
    assert "growth" in response.json()["detail"][0]["msg"]
    assert Debrief.objects.get().likes == "Calm team"


def test_a_dimension_added_through_the_api_can_be_rated(client, interview, alice_token):
    response = api(client, "post", "/dimensions", alice_token, json={"name": "Commute"})
    assert response.status_code == 201
    names = api(client, "get", "/dimensions", alice_token).json()["items"]
    assert names[-1] == "commute" and "growth" in names
    body = _body(interview, ratings={"commute": 2})
    assert api(client, "post", "/debriefs", alice_token, json=body).status_code == 201


def test_bob_cannot_debrief_alices_interview(client, interview, bob_token):
    response = api(client, "post", "/debriefs", bob_token, json=_body(interview))
    assert response.status_code == 422
    assert not Debrief.objects.exists()


def test_questions_to_ask_are_suggested_and_saved(client, interview, alice_token, bob_token):
    path = f"/interviews/{interview.pk}/questions-to-ask"
    data = api(client, "get", path, alice_token).json()
    assert data["count"] >= 5 and all(item["why"] for item in data["items"])
    picks = [{"text": i["text"], "why": i["why"]} for i in data["items"][:3]][::-1]
    saved = api(client, "put", path, alice_token, json={"questions": picks}).json()["saved"]
    assert [s["text"] for s in saved] == [p["text"] for p in picks]
    assert api(client, "get", path, bob_token).status_code == 404
    assert api(client, "put", path, bob_token, json={"questions": []}).status_code == 404
    assert QuestionToAsk.objects.count() == 3


def _company_with_debrief(user, name, interest, likes=""):
    opp = pipeline.create_opportunity(user, company_name=name, title="Analyst", status="applied")
    interview = pipeline.create_interview(
        user, opp, kind="video", starts_at=timezone.now() - timedelta(days=1), timezone="UTC"
    )
    save_debrief(
        user, interview, ratings={"growth": interest}, overall_interest=interest, likes=likes
    )
    return opp.company


def test_companies_are_compared(client, alice, alice_token):
    acme = _company_with_debrief(alice, "Acme", 5, likes="Mentoring")
    globex = _company_with_debrief(alice, "Globex", 2)
    response = api(client, "get", f"/companies/compare?ids={globex.pk},{acme.pk}", alice_token)
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [i["name"] for i in items] == ["Globex", "Acme"]
    assert items[1]["ratings"] == {"growth": 5.0} and items[1]["likes"] == ["Mentoring"]
    assert items[1]["stage"] == "applied"
    assert items[0]["compensation"] is None


def test_side_by_side_shows_an_offer_with_its_exact_4_year_total(
    client, alice, alice_token, alice_client
):
    from sayyes.offers.services import create_offer

    acme = _company_with_debrief(alice, "Acme", 5)
    globex = _company_with_debrief(alice, "Globex", 2)
    create_offer(
        alice, opportunity=acme.opportunities.get(), currency="EUR", base_salary="160000.50"
    )
    items = api(client, "get", f"/companies/compare?ids={acme.pk},{globex.pk}", alice_token)
    offer = items.json()["items"][0]["compensation"]
    assert offer["currency"] == "EUR" and offer["total_4y"] == "640002.00"
    page = alice_client.get(f"/companies/compare/?ids={acme.pk},{globex.pk}")
    assert "640,002.00 EUR" in page.content.decode()


def test_comparing_needs_two_to_five_own_companies(client, alice, bob, alice_token):
    acme = _company_with_debrief(alice, "Acme", 5)
    bobs = _company_with_debrief(bob, "Bob Co", 3)
    one = api(client, "get", f"/companies/compare?ids={acme.pk}", alice_token)
    # ids is a query parameter, and the answer says so (it used to say "body").
    assert one.status_code == 422 and one.json()["detail"][0]["loc"] == ["query", "ids"]
    junk = api(client, "get", f"/companies/compare?ids={acme.pk},x", alice_token)
    assert junk.status_code == 422
    theirs = api(client, "get", f"/companies/compare?ids={acme.pk},{bobs.pk}", alice_token)
    assert theirs.status_code == 404


def test_insights_by_industry_and_never_bobs(client, alice, bob, alice_token):
    acme = _company_with_debrief(alice, "Acme", 5)
    pipeline.update_company(acme, industry="Banking")
    theirs = _company_with_debrief(bob, "Bob Bank", 3)
    pipeline.update_company(theirs, industry="Banking")
    data = api(client, "get", "/insights?industry=Banking", alice_token).json()
    assert data["industry"] == "Banking" and data["companies"] == ["Acme"]
    assert [i["company"] for i in data["interest"]] == ["Acme"]
    bad = api(client, "get", "/insights?industry=Astrology", alice_token)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "industry"]


def test_what_you_value_says_when_there_is_not_enough(client, alice, alice_token):
    _company_with_debrief(alice, "Acme", 5)
    data = api(client, "get", "/what-you-value", alice_token).json()
    assert data["enough"] is False and data["debriefs"] == 1 and data["needed"] == 5
