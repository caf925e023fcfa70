"""Walk every URL pattern and API operation so no route is forgotten.

Anonymous visitors are sent to the login page (pages) or get 401 (API); bob, asking for
alice's objects, gets 404 and nothing of alice's changes.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from sayyes.api import api as ninja_api

PUBLIC_PAGES = {"healthz", "login", "link_login", "signup", "calendar_feed"}
# The bookmarklet's drop box: keeps a page for the login-protected confirmation step.
PUBLIC_PAGES |= {"posting_drop"}


def _page_patterns():
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("api/"):
                    continue
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append((p.name, prefix + str(p.pattern)))

    walk(get_resolver().url_patterns)
    return found


def _fill(route: str, ids: dict) -> str:
    def sub(match):
        name = match.group(2)
        return str(ids.get(name, ids["pk"]))

    return "/" + re.sub(r"<(\w+:)?(\w+)>", sub, route)


def _api_operations():
    schema = ninja_api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield method.upper(), path, op


@pytest.fixture
def things(alice, opp, interview, alice_token):
    """One of each of alice's objects, by the word that names it in a route."""
    from sayyes.accounts.models import ApiToken
    from sayyes.practice.models import Answer, PracticeSession, Question

    question = Question.objects.create(owner=alice, text="Alice's own question?", source="yours")
    session = PracticeSession.objects.create(owner=alice, mode="random", question_ids=[question.pk])
    answer = Answer.objects.create(
        owner=alice, question=question, session=session, text="Alice's answer", score=50
    )
    # Her answer was spoken: its recording (practice/answers/<pk>/audio) is hers alone.
    answer.audio, answer.audio_type = f"{alice.pk}/{'0' * 32}.webm", "audio/webm"
    answer.audio_path.parent.mkdir(parents=True, exist_ok=True)
    answer.audio_path.write_bytes(b"\x1a\x45\xdf\xa3 alice's voice")
    answer.save(update_fields=["audio", "audio_type"])
    from datetime import timedelta

    from django.utils import timezone

    from sayyes.network.models import Contact, FollowUp

    contact = Contact.objects.filter(owner=alice).first()
    followup = FollowUp.objects.create(
        owner=alice, contact=contact, kind="check_in", due_at=timezone.now() + timedelta(days=1)
    )
    # Say yes (issue 8): a triage, a checklist item and deal-breakers of alice's.
    from sayyes.triage import checklist, costs
    from sayyes.triage import services as triage_services

    triage_services.triage(interview)
    checklist.ensure_checklist(interview)
    costs.save_deal_breakers(alice, remote_only=True)
    item = interview.checklist_items.first()
    from sayyes.journal.debriefs import save_debrief
    from sayyes.journal.to_ask import save_questions_to_ask

    debrief = save_debrief(alice, interview, likes="Alice's like", ratings={"growth": 4})
    save_questions_to_ask(interview, [{"text": "Alice's question to ask?", "why": ""}])
    # Mock interviews (issue 19): one of alice's, in progress.
    from sayyes.practice.mocks.services import start_mock

    mock = start_mock(alice, kind="behavioral", count=1)
    return {
        "mocks": mock.pk,
        "questions-to-ask": interview.pk,
        "sessions": session.pk,
        "answers": answer.pk,
        "questions": question.pk,
        "interview": interview.pk,
        "token": ApiToken.objects.get(user=alice).pk,
        "compan": opp.company.pk,
        "contact": contact.pk,
        "followup": followup.pk,
        "opportunit": opp.pk,
        "checklist": item.pk,  # after "interview": interviews/<pk>/checklist/ is the interview's
        **_offer_things(alice, opp),
        "debrief": debrief.pk,
    }


def _offer_things(alice, opp) -> dict:
    """alice's exchange rate and offer (rates first: their routes contain "offers" too)."""
    from datetime import date

    from sayyes.offers.services import add_round, create_offer, set_rate

    rate = set_rate(alice, from_currency="EUR", to_currency="USD", rate="1.1", as_of=date.today())
    offer = create_offer(alice, opportunity=opp, currency="USD", base_salary="100000")
    add_round(offer, your_ask="110000")
    return {"rates": rate.pk, "offers": offer.pk}


def _object_for(route: str, things: dict) -> int:
    for word, pk in things.items():
        if word in route:
            return pk
    raise AssertionError(f"no object of alice's for {route}: add one to the things fixture")


def _snapshot(alice):
    from sayyes.accounts.models import ApiToken
    from sayyes.network.models import Contact, FollowUp, Interaction
    from sayyes.pipeline.models import Company, Interview, Opportunity, StatusEvent
    from sayyes.practice.models import Answer, Mock, MockTurn, PracticeSession, Question, Review

    return {
        "opportunities": list(Opportunity.objects.filter(owner=alice).values()),
        "events": list(StatusEvent.objects.filter(opportunity__owner=alice).values()),
        "interviews": list(Interview.objects.filter(owner=alice).values()),
        "companies": list(Company.objects.filter(owner=alice).values()),
        "contacts": list(Contact.objects.filter(owner=alice).values()),
        "tokens": list(ApiToken.objects.filter(user=alice).values()),
        "questions": list(Question.objects.filter(owner=alice).values()),
        "sessions": list(PracticeSession.objects.filter(owner=alice).values()),
        "answers": list(Answer.objects.filter(owner=alice).values()),
        "reviews": list(Review.objects.filter(owner=alice).values()),
        "mocks": list(Mock.objects.filter(owner=alice).values()),
        "mock_turns": list(MockTurn.objects.filter(mock__owner=alice).values()),
        "interactions": list(Interaction.objects.filter(owner=alice).values()),
        "followups": list(FollowUp.objects.filter(owner=alice).values()),
        **_triage_snapshot(alice),
        **_offer_snapshot(alice),
        **_journal_snapshot(alice),
    }


def _triage_snapshot(alice):
    from sayyes.triage.models import ChecklistItem, DealBreakers, Triage

    return {
        "triages": list(Triage.objects.filter(owner=alice).values()),
        "checklist_items": list(ChecklistItem.objects.filter(owner=alice).values()),
        "deal_breakers": list(DealBreakers.objects.filter(owner=alice).values()),
    }


def _offer_snapshot(alice):
    from sayyes.offers.models import ExchangeRate, NegotiationRound, Offer

    return {
        "offers": list(Offer.objects.filter(owner=alice).values()),
        "rates": list(ExchangeRate.objects.filter(owner=alice).values()),
        "rounds": list(NegotiationRound.objects.filter(owner=alice).values()),
    }


def _journal_snapshot(alice):
    from sayyes.journal.models import Debrief, Dimension, QuestionToAsk

    return {
        "debriefs": list(Debrief.objects.filter(owner=alice).values()),
        "dimensions": list(Dimension.objects.filter(owner=alice).values()),
        "questions_to_ask": list(QuestionToAsk.objects.filter(owner=alice).values()),
    }


def test_every_page_needs_login(client, opp, interview):
    patterns = _page_patterns()
    assert len(patterns) > 10
    for name, route in patterns:
        if name in PUBLIC_PAGES:
            continue
        url = _fill(route, {"pk": opp.pk, "token": "x"})
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 405), (name, method, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/login/"), (name, response["Location"])


def test_every_page_on_alices_objects_is_404_for_bob(bob_client, alice, things):
    before = _snapshot(alice)
    checked = 0
    for name, route in _page_patterns():
        if "<" not in route or name in PUBLIC_PAGES:
            continue
        pk = _object_for(route, things)
        url = _fill(route, {"pk": pk})
        data_post = {"status": "offer", "title": "Hacked", "text": "Hacked", "self_rating": "4"}
        for method, data in (("get", {}), ("post", data_post)):
            response = getattr(bob_client, method)(url, data)
            assert response.status_code in (404, 405), (name, method, response.status_code)
            checked += 1
    assert checked >= 8
    assert _snapshot(alice) == before


def test_every_api_operation_needs_auth(client, opp):
    operations = list(_api_operations())
    assert len(operations) >= 15
    for method, path, op in operations:
        if not op.get("security"):
            continue  # public operations, such as the version
        url = "/api/v1" + re.sub(r"\{\w+\}", str(opp.pk), path.removeprefix("/api/v1"))
        response = client.generic(method, url, "{}", content_type="application/json")
        assert response.status_code == 401, (method, path, response.status_code)
        assert "detail" in response.json()


def _hacked_body(op: dict) -> dict:
    """A body the operation accepts (an unknown field would be a 422 before anything else):
    "Hacked" in its first plain text field, so a write that got through would show."""
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return {}
    schema = content["schema"]
    if "$ref" in schema:
        schema = ninja_api.get_openapi_schema()["components"]["schemas"][
            schema["$ref"].rsplit("/", 1)[-1]
        ]
    for name, prop in schema.get("properties", {}).items():
        options = [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]
        plain = [
            o
            for o in options
            if o.get("type") == "string" and not {"enum", "format", "pattern"} & set(o)
        ]
        if plain and len(plain) == len(options):
            return {name: "Hacked"}
    return {}


def test_every_api_operation_on_alices_objects_is_404_for_bob(client, alice, things, bob_token):
    before = _snapshot(alice)
    checked = 0
    failures = []
    for method, path, op in _api_operations():
        if "{" not in path:
            continue
        pk = _object_for(path, things)
        url = "/api/v1" + re.sub(r"\{\w+\}", str(pk), path.removeprefix("/api/v1"))
        body = json.dumps(_hacked_body(op))
        response = client.generic(
            method,
            url,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {bob_token}",
        )
        if response.status_code != 404:
            failures.append((method, path, response.status_code, response.content[:200]))
        checked += 1
    assert failures == [], "\n".join(map(str, failures))
    assert checked >= 10
    assert _snapshot(alice) == before


@pytest.mark.parametrize(
    "field,make_value",
    [
        ("opportunity_id", lambda opp, interview: opp.pk),
    ],
)
def test_bob_cannot_attach_his_interview_to_alices_opportunity(
    client, opp, interview, bob_token, field, make_value
):
    from tests.conftest import api

    response = api(
        client,
        "post",
        "/interviews",
        bob_token,
        json={
            field: make_value(opp, interview),
            "starts_at": "2026-12-01T10:00:00+01:00",
        },
    )
    assert response.status_code == 422
    assert opp.interviews.count() == 1
