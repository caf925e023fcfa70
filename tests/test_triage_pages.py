"""Say yes pages: log an invitation, triage it, decide, the prep page and its checklist."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from sayyes.accounts.models import Profile
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import Interview, InterviewStatus
from sayyes.triage import checklist, reasons
from sayyes.triage.models import ChecklistItem, DealBreakers, Triage


def _html(response) -> str:
    return response.content.decode()


@pytest.fixture
def invitation(alice, opp):
    return pipeline.create_interview(
        alice,
        opp,
        kind="technical",
        starts_at=timezone.now() + timedelta(days=5),
        timezone="Europe/Paris",
        status="invited",
        video_url="https://meet.example.org/abc",
    )


def _form_data(opp, **over):
    data = {
        "opportunity": opp.pk,
        "kind": "behavioral",
        "date": (timezone.now() + timedelta(days=6)).date().isoformat(),
        "time": "14:00",
        "timezone": "Europe/Paris",
        "duration_minutes": "45",
        "status": "invited",
        "interviewers": "Robin Vale",
        "location": "",
        "video_url": "",
        "notes": "",
    }
    data.update(over)
    return data


def test_the_interview_form_logs_an_invitation_and_opens_its_triage(alice, alice_client, opp):
    page = _html(alice_client.get("/interviews/new/?status=invited"))
    assert "Log an invitation" in page and 'value="invited" selected' in page
    response = alice_client.post("/interviews/new/?status=invited", _form_data(opp))
    interview = Interview.objects.get(owner=alice, kind="behavioral")
    assert interview.status == InterviewStatus.INVITED
    assert response.status_code == 302
    assert response["Location"] == f"/interviews/{interview.pk}/triage/"


def test_a_scheduled_interview_still_goes_back_to_its_opportunity(alice, alice_client, opp):
    response = alice_client.post("/interviews/new/", _form_data(opp, status="scheduled"))
    assert response["Location"] == f"/opportunities/{opp.pk}/"


def test_the_lists_offer_to_log_an_invitation_and_link_the_prep_page(alice_client, interview):
    listing = _html(alice_client.get("/interviews/"))
    assert "/interviews/invitation/" in listing
    assert f'href="/interviews/{interview.pk}/"' in listing
    detail = _html(alice_client.get(f"/opportunities/{interview.opportunity_id}/"))
    assert f'href="/interviews/{interview.pk}/"' in detail
    assert "Log an invitation" in _html(alice_client.get("/"))


def test_the_triage_page_shows_reasons_recommendation_goals_and_replies(
    alice, alice_client, invitation
):
    Profile.objects.filter(user=alice).update(timezone="America/New_York")
    response = alice_client.get(f"/interviews/{invitation.pk}/triage/")
    assert response.status_code == 200
    html = _html(response)
    for label in reasons.REASON_LABELS.values():
        assert label.replace("'", "&#x27;") in html
    assert "Say yes" in html
    assert html.count('role="meter"') == 6
    chart = json.loads(html.split('id="reasons-data" type="application/json">')[1].split("<")[0])
    assert len(chart["scores"]) == 6
    assert 'id="reply-accept"' in html and "Northwind Analytics" in html
    assert "(America/New_York, UTC-05:00)" in html
    assert "mailto:" in html
    assert "sayyes/triage.js" in html
    # Looking changes nothing: the triage is stored when the user acts.
    assert not Triage.objects.exists()


def test_accepting_schedules_it_and_the_prep_page_shows_the_checklist(alice_client, invitation):
    response = alice_client.post(
        f"/interviews/{invitation.pk}/triage/", {"action": "accept", "travel_minutes": ""}
    )
    assert response["Location"] == f"/interviews/{invitation.pk}/"
    invitation.refresh_from_db()
    assert invitation.status == "scheduled"
    assert invitation.triage.decision == "accepted"
    page = _html(alice_client.get(f"/interviews/{invitation.pk}/"))
    assert "Prep checklist" in page
    items = ChecklistItem.objects.filter(interview=invitation)
    assert items.count() >= 8
    for item in items:
        assert f'id="item-{item.pk}"' in page
    assert 'name="category" value="role_specific"' in page  # practise now, in the round's category
    assert "0 of" in page


def test_declining_cancels_it(alice_client, invitation):
    alice_client.post(f"/interviews/{invitation.pk}/triage/", {"action": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == "cancelled"


def test_rescheduling_keeps_it_invited_and_says_what_next(alice_client, invitation):
    response = alice_client.post(
        f"/interviews/{invitation.pk}/triage/", {"action": "reschedule"}, follow=True
    )
    invitation.refresh_from_db()
    assert invitation.status == "invited"
    assert "send the reschedule reply" in _html(response)


def test_travel_time_is_kept_and_a_bad_one_is_refused(alice_client, invitation):
    response = alice_client.post(
        f"/interviews/{invitation.pk}/triage/", {"action": "recheck", "travel_minutes": "-3"}
    )
    assert response.status_code == 400
    assert "greater than or equal to 0" in _html(response)
    assert not Triage.objects.exists()
    alice_client.post(
        f"/interviews/{invitation.pk}/triage/", {"action": "recheck", "travel_minutes": "40"}
    )
    assert Triage.objects.get(interview=invitation).travel_minutes == 40
    assert 'value="40"' in _html(alice_client.get(f"/interviews/{invitation.pk}/triage/"))


def test_a_checklist_item_toggles_with_htmx(alice_client, interview):
    checklist.ensure_checklist(interview)
    item = ChecklistItem.objects.filter(interview=interview).first()
    response = alice_client.post(
        f"/checklist/{item.pk}/toggle/", {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    html = _html(response)
    assert f'id="item-{item.pk}"' in html and 'aria-checked="true"' in html
    assert 'id="checklist-progress" hx-swap-oob="true">1 of' in html
    item.refresh_from_db()
    assert item.done
    response = alice_client.post(f"/checklist/{item.pk}/toggle/", {"done": "0"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.done


def test_the_prep_page_makes_a_checklist_and_takes_your_own_items(alice_client, interview):
    page = _html(alice_client.get(f"/interviews/{interview.pk}/"))
    assert "Make my prep checklist" in page and "Not triaged yet" in page
    alice_client.post(f"/interviews/{interview.pk}/checklist/")
    assert ChecklistItem.objects.filter(interview=interview).count() == 7
    # The mock interview item links to a mock for this interview (issue 19).
    page = _html(alice_client.get(f"/interviews/{interview.pk}/"))
    assert f'href="/practice/mocks/new/?interview={interview.pk}"' in page
    alice_client.post(f"/interviews/{interview.pk}/checklist/", {"text": "Print my CV"})
    assert ChecklistItem.objects.filter(interview=interview, text="Print my CV").exists()
    response = alice_client.post(
        f"/interviews/{interview.pk}/checklist/", {"text": "  "}, follow=True
    )
    assert "Write what you want to do." in _html(response)
    assert ChecklistItem.objects.filter(interview=interview).count() == 8


def test_the_agenda_reminds_the_day_before_of_unfinished_items(alice, alice_client, opp):
    soon = pipeline.create_interview(
        alice, opp, starts_at=timezone.now() + timedelta(hours=20), status="scheduled"
    )
    checklist.ensure_checklist(soon)
    html = _html(alice_client.get("/agenda/"))
    assert "Get ready" in html and f"/interviews/{soon.pk}/#checklist" in html
    ChecklistItem.objects.filter(interview=soon).update(done=True)
    assert "Get ready" not in _html(alice_client.get("/agenda/"))


def test_settings_link_to_the_deal_breakers(alice_client):
    assert 'href="/settings/deal-breakers/"' in _html(alice_client.get("/settings/"))


def test_deal_breakers_are_saved_from_the_settings_page(alice, alice_client):
    response = alice_client.post(
        "/settings/deal-breakers/",
        {
            "minimum_salary": "65000",
            "salary_currency": "eur",
            "remote_only": "on",
            "home_location": "",
            "max_travel_minutes": "90",
            "avoid_industries": ["Gas & Oil", "Banking"],
        },
    )
    assert response.status_code == 302
    rules = DealBreakers.objects.get(owner=alice)
    assert (rules.minimum_salary, rules.salary_currency, rules.remote_only) == (65000, "EUR", True)
    assert rules.avoid_industries == ["Gas & Oil", "Banking"]
    page = _html(alice_client.get("/settings/deal-breakers/"))
    assert 'value="65000"' in page and "checked" in page


def test_bad_deal_breakers_name_the_field_keep_the_input_and_save_nothing(alice, alice_client):
    response = alice_client.post(
        "/settings/deal-breakers/",
        {"minimum_salary": "65000", "salary_currency": "", "no_relocation": "on"},
    )
    assert response.status_code == 400
    html = _html(response)
    assert "Say which currency" in html and "Say where you live" in html
    assert 'value="65000"' in html
    assert not DealBreakers.objects.filter(owner=alice).exists()


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/interviews/{pk}/"),
        ("get", "/interviews/{pk}/triage/"),
        ("post", "/interviews/{pk}/triage/"),
        ("post", "/interviews/{pk}/checklist/"),
    ],
)
def test_another_users_interview_is_404_and_unchanged(bob_client, invitation, method, url):
    response = getattr(bob_client, method)(url.format(pk=invitation.pk), {"action": "decline"})
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "invited"
    assert not Triage.objects.exists() and not ChecklistItem.objects.exists()


def test_another_users_checklist_item_is_404(bob_client, interview):
    checklist.ensure_checklist(interview)
    item = ChecklistItem.objects.filter(interview=interview).first()
    assert bob_client.post(f"/checklist/{item.pk}/toggle/", {"done": "1"}).status_code == 404
    item.refresh_from_db()
    assert not item.done


def test_the_dashboard_lists_invitations_waiting_for_an_answer(alice_client, invitation):
    html = _html(alice_client.get("/"))
    assert "Invitations waiting for your answer" in html
    assert f"/interviews/{invitation.pk}/triage/" in html
    alice_client.post(f"/interviews/{invitation.pk}/triage/", {"action": "accept"})
    assert "Invitations waiting for your answer" not in _html(alice_client.get("/"))
