"""The say-yes API: POST /interviews/{id}/triage, decisions, and the checklist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sayyes.pipeline import services as pipeline
from sayyes.triage import checklist, reasons
from sayyes.triage.models import ChecklistItem, Triage
from tests.conftest import api


@pytest.fixture
def invitation(alice, opp):
    return pipeline.create_interview(
        alice,
        opp,
        kind="panel",
        starts_at=timezone.now() + timedelta(days=4),
        timezone="Europe/Paris",
        status="invited",
    )


def test_triage_returns_exactly_the_documented_shape_and_stores_it(client, alice_token, invitation):
    response = api(client, "post", f"/interviews/{invitation.pk}/triage", alice_token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"recommendation", "reasons", "conflicts", "goals", "replies"}
    assert body["recommendation"] == "yes"
    assert [r["reason"] for r in body["reasons"]] == list(reasons.REASONS)
    for reason in body["reasons"]:
        assert set(reason) == {"reason", "score", "why"} and 0 <= reason["score"] <= 1
    assert len(body["goals"]) >= 3 and all(isinstance(g, str) for g in body["goals"])
    assert set(body["replies"]) == {"accept", "reschedule", "decline"}
    assert "Northwind Analytics" in body["replies"]["accept"]
    stored = Triage.objects.get(interview=invitation)
    assert stored.recommendation == "yes" and stored.travel_minutes is None


def test_triage_reports_conflicts_with_iso_times(client, alice, alice_token, invitation, opp):
    pipeline.create_interview(
        alice, opp, starts_at=invitation.starts_at + timedelta(minutes=15), status="scheduled"
    )
    body = api(client, "post", f"/interviews/{invitation.pk}/triage", alice_token, json={}).json()
    assert body["recommendation"] == "reschedule"
    conflict = body["conflicts"][0]
    assert conflict["status"] == "scheduled" and conflict["starts_at"].endswith("Z")


def test_triage_takes_a_travel_time(client, alice_token, invitation):
    response = api(
        client,
        "post",
        f"/interviews/{invitation.pk}/triage",
        alice_token,
        json={"travel_minutes": 100},
    )
    assert response.status_code == 200
    assert response.json()["recommendation"] == "yes_with_conditions"
    assert Triage.objects.get(interview=invitation).travel_minutes == 100


@pytest.mark.parametrize("value", [-1, 5000, "soon", None])
def test_a_bad_travel_time_is_a_422_and_stores_nothing(client, alice_token, invitation, value):
    response = api(
        client,
        "post",
        f"/interviews/{invitation.pk}/triage",
        alice_token,
        json={"travel_minutes": value},
    )
    if value is None:  # null means "no travel time", like leaving it out
        assert response.status_code == 200
        return
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "travel_minutes"
    assert not Triage.objects.exists()


def test_accepting_by_api_schedules_it_and_the_checklist_can_be_ticked(
    client, alice_token, invitation
):
    response = api(
        client,
        "post",
        f"/interviews/{invitation.pk}/triage/decision",
        alice_token,
        json={"decision": "accept"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decision"] == "accepted" and body["interview_status"] == "scheduled"
    assert body["checklist_items"] >= 8
    listing = api(client, "get", f"/interviews/{invitation.pk}/checklist?limit=3", alice_token)
    data = listing.json()
    assert data["count"] == body["checklist_items"] and len(data["items"]) == 3
    first = data["items"][0]
    assert first["kind"] == "goal" and first["done"] is False
    patched = api(client, "patch", f"/checklist/{first['id']}", alice_token, json={"done": True})
    assert patched.status_code == 200 and patched.json()["done"] is True
    assert ChecklistItem.objects.get(pk=first["id"]).done


def test_a_decision_must_be_named(client, alice_token, invitation):
    response = api(
        client, "post", f"/interviews/{invitation.pk}/triage/decision", alice_token, json={}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "decision"]
    response = api(
        client,
        "post",
        f"/interviews/{invitation.pk}/triage/decision",
        alice_token,
        json={"decision": "maybe"},
    )
    assert response.status_code == 422
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_done_cannot_be_null(client, alice_token, interview):
    checklist.ensure_checklist(interview)
    item = ChecklistItem.objects.filter(interview=interview).first()
    response = api(client, "patch", f"/checklist/{item.pk}", alice_token, json={"done": None})
    assert response.status_code == 422


def test_bob_gets_404_for_alices_triage_decision_and_checklist(client, bob_token, invitation):
    checklist.ensure_checklist(invitation)
    item = ChecklistItem.objects.filter(interview=invitation).first()
    calls = [
        ("post", f"/interviews/{invitation.pk}/triage", {}),
        ("post", f"/interviews/{invitation.pk}/triage/decision", {"decision": "decline"}),
        ("get", f"/interviews/{invitation.pk}/checklist", None),
        ("patch", f"/checklist/{item.pk}", {"done": True}),
    ]
    for method, path, body in calls:
        assert api(client, method, path, bob_token, json=body).status_code == 404, path
    invitation.refresh_from_db()
    item.refresh_from_db()
    assert invitation.status == "invited" and not item.done
    assert not Triage.objects.exists()
