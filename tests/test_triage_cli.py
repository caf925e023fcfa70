"""``sayyes triage INTERVIEW_ID``: the triage in a terminal, for the right user only."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from sayyes.pipeline import services as pipeline
from sayyes.triage.models import Triage
from tests.conftest import api
from tests.test_cli import assert_one_line_error, invoke, run_main


@pytest.fixture
def invitation(alice, opp):
    return pipeline.create_interview(
        alice,
        opp,
        kind="final",
        starts_at=timezone.now() + timedelta(days=4),
        timezone="Europe/Paris",
        status="invited",
    )


def test_it_prints_the_recommendation_reasons_goals_and_reply(alice, invitation):
    result = invoke("triage", str(invitation.pk), "--user", "alice")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Invitation triage" in out and "Say yes" in out
    for label in ("Sharpen your interview skills", "Gain bargaining power", "You never know"):
        assert label in out
    assert "Goals" in out and "Reply: accept" in out and "Northwind Analytics" in out
    assert Triage.objects.filter(interview=invitation).exists()


def test_json_is_the_apis_shape(alice, invitation, client, alice_token):
    result = run_main("triage", str(invitation.pk), "--json", "--travel-minutes", "120")
    assert result.code == 0, result.err
    body = json.loads(result.out)
    assert set(body) == {"recommendation", "reasons", "conflicts", "goals", "replies"}
    assert body["recommendation"] == "yes_with_conditions"
    assert Triage.objects.get(interview=invitation).travel_minutes == 120
    path = f"/interviews/{invitation.pk}/triage"
    assert body == api(client, "post", path, alice_token, json={"travel_minutes": 120}).json()


def test_it_records_a_decision(alice, invitation):
    result = invoke("triage", str(invitation.pk), "--decide", "accept", "--reply", "accept")
    assert result.exit_code == 0, result.output
    assert "Recorded: accepted; the interview is now scheduled." in result.output
    invitation.refresh_from_db()
    assert invitation.status == "scheduled" and invitation.checklist_items.count() >= 8


def test_another_users_interview_is_not_found(alice, bob, invitation):
    result = run_main("triage", str(invitation.pk), "--user", "bob")
    assert_one_line_error(result, f"No interview #{invitation.pk}.")
    assert not Triage.objects.exists()


def test_a_bad_choice_is_one_line(alice, invitation):
    result = run_main("triage", str(invitation.pk), "--decide", "maybe")
    assert_one_line_error(result, "--decide")
    invitation.refresh_from_db()
    assert invitation.status == "invited"
