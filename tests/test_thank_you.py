"""Thank-you notes: built from the topics discussed, 60-180 words, the same draft on the page
and at ``/api/v1/followups/{id}/draft``, edited before sending, logged as sent."""

from __future__ import annotations

import html
import re

import pytest

from sayyes.accounts.services import update_me
from sayyes.core import prose
from sayyes.journal import debriefs
from sayyes.network import drafts, services
from sayyes.network.models import FollowUp, Interaction
from sayyes.pipeline import services as pipeline
from tests.conftest import api


@pytest.fixture
def followup(alice, interview):
    update_me(alice, display_name="Alice Martin")
    pipeline.update_interview(interview, status="done")
    return FollowUp.objects.get()


def _page_body(client, followup) -> str:
    page = client.get(f"/followups/{followup.pk}/thank-you/").content.decode()
    match = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, page
    return html.unescape(match.group(1)).lstrip("\n")


# --- the note ---------------------------------------------------------------------------------


def test_the_note_names_interviewer_role_round_two_topics_and_looks_forward(followup):
    interview = followup.interview
    pipeline.update_interview(
        interview,
        topics="- talked about their move to event sourcing.\nthe on-call rota\nhiring plans",
    )
    followup.refresh_from_db()
    body = services.thank_you_draft(followup)["body"]
    assert body.startswith("Dear Dana,\n")
    assert "in the video interview for the Data Engineer role at Northwind Analytics" in body
    assert "our conversation about their move to event sourcing and the on-call rota." in body
    assert "hiring plans" not in body  # one or two topics, not a list
    assert "I look forward to hearing about the next steps" in body
    assert drafts.MIN_WORDS <= prose.word_count(body) <= drafts.MAX_WORDS
    assert prose.article_errors(body) == []


def test_without_topics_the_note_is_still_whole_and_never_pastes_the_notes(followup):
    pipeline.update_interview(followup.interview, notes="talked about migrating their CI. Lunch.")
    body = services.thank_you_draft(followup)["body"]
    assert "migrating" not in body and "talked about" not in body
    assert "Northwind Analytics' plans" in body  # the possessive of a name ending in s
    assert drafts.MIN_WORDS <= prose.word_count(body) <= drafts.MAX_WORDS


def test_a_second_interview_is_our_second_conversation(followup, alice):
    from datetime import timedelta

    first = followup.interview
    later = pipeline.create_interview(
        alice,
        first.opportunity,
        kind="technical",
        starts_at=first.starts_at + timedelta(days=3),
        interviewer_ids=[followup.contact_id],
        status="done",
    )
    note = FollowUp.objects.get(interview=later)
    assert "in the technical interview for" in services.thank_you_draft(note)["body"]
    assert "our second conversation." in services.thank_you_draft(note)["body"]


def test_topics_are_short_phrases_one_a_line(interview):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        pipeline.update_interview(interview, topics="x" * 101)
    assert "short phrase" in info.value.message_dict["topics"][0]
    with pytest.raises(ValidationError):
        pipeline.update_interview(interview, topics="\n".join(f"topic {n}" for n in range(9)))
    interview.refresh_from_db()
    assert interview.topics == ""
    pipeline.update_interview(interview, topics="  * SQL tuning;\n\nSQL tuning\n- dbt models ")
    assert interview.topics == "SQL tuning\ndbt models"


def test_the_debrief_keeps_the_topics_on_the_interview(alice_client, interview):
    pipeline.update_interview(interview, status="done")
    response = alice_client.post(
        f"/interviews/{interview.pk}/debrief/",
        {"topics": "their data platform\ncost of cloud storage", "overall_interest": "4"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    interview.refresh_from_db()
    assert interview.topic_list == ["their data platform", "cost of cloud storage"]
    debriefs.save_debrief(interview.owner, interview, topics="one topic")
    interview.refresh_from_db()
    assert interview.topics == "one topic"


def test_noun_phrases_from_the_notes_are_offered_and_can_be_picked(alice_client, followup):
    pipeline.update_interview(
        followup.interview,
        notes="Priya asked about my Kafka experience; the team is rebuilding the billing pipeline.",
    )
    offered = drafts.suggest_topics(followup.interview.notes)
    assert "the billing pipeline" in offered and "my Kafka experience" in offered
    assert "the team" not in offered and "Priya" not in offered
    page = alice_client.get(f"/followups/{followup.pk}/thank-you/").content.decode()
    assert 'value="the billing pipeline"' in page
    alice_client.post(
        f"/followups/{followup.pk}/thank-you/",
        {"action": "topics", "topics": "", "pick": ["the billing pipeline"]},
    )
    followup.interview.refresh_from_db()
    assert followup.interview.topics == "the billing pipeline"
    assert "our conversation about the billing pipeline." in _page_body(alice_client, followup)


# --- the same draft on the page and in the API; edited; sent ---------------------------------


def test_the_api_draft_is_the_one_the_page_shows(client, alice_client, alice_token, followup):
    Interaction.objects.all().delete()
    draft = api(client, "get", f"/followups/{followup.pk}/draft", alice_token).json()
    assert set(draft) == {"subject", "body", "to", "mailto", "edited"}
    assert draft["body"] == _page_body(alice_client, followup)
    assert draft["mailto"].startswith("mailto:?subject=Thank%20you") and not draft["edited"]


def test_an_edited_draft_is_kept_for_the_page_and_the_api(
    client, alice_client, alice_token, followup
):
    response = api(
        client,
        "patch",
        f"/followups/{followup.pk}/draft",
        alice_token,
        json={"body": "Dear Dana,\n\nThanks for Tuesday.\n\nAlice", "to": "dana@example.com"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["edited"] is True
    assert _page_body(alice_client, followup) == "Dear Dana,\n\nThanks for Tuesday.\n\nAlice\n"
    again = api(client, "get", f"/followups/{followup.pk}/draft", alice_token).json()
    assert again["to"] == "dana@example.com" and again["subject"].startswith("Thank you for")
    reset = api(client, "delete", f"/followups/{followup.pk}/draft", alice_token).json()
    assert not reset["edited"] and reset["body"].startswith("Dear Dana,\n\nThank you")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to": "not an address"}, "to"),
        ({"subject": "  "}, "subject"),
        ({"body": ""}, "body"),
        ({"body": None}, "body"),
        ({"cc": "x@example.com"}, "cc"),
    ],
)
def test_a_bad_edit_is_refused_and_nothing_changes(client, alice_token, followup, body, field):
    response = api(client, "patch", f"/followups/{followup.pk}/draft", alice_token, json=body)
    assert response.status_code == 422 and field in str(response.json()["detail"])
    followup.refresh_from_db()
    assert followup.draft_body == ""


def test_the_page_saves_the_edited_draft(alice_client, followup):
    response = alice_client.post(
        f"/followups/{followup.pk}/thank-you/",
        {"to": "", "subject": "Thanks, Dana", "body": "Dear Dana, thank you.", "action": "save"},
    )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert (followup.draft_subject, followup.draft_body) == (
        "Thanks, Dana",
        "Dear Dana, thank you.\n",
    )


def test_what_is_logged_on_the_timeline_is_what_was_sent(client, alice_token, followup):
    api(
        client, "patch", f"/followups/{followup.pk}/draft", alice_token, json={"subject": "Thanks!"}
    )
    sent = api(client, "get", f"/followups/{followup.pk}/draft", alice_token).json()
    response = api(client, "post", f"/followups/{followup.pk}/sent", alice_token)
    assert response.status_code == 200 and response.json()["done"] is True
    logged = Interaction.objects.get(contact=followup.contact, kind="emailed")
    assert logged.note == f"Thank-you note sent. Subject: Thanks!\n\n{sent['body'].strip()}"
    api(client, "post", f"/followups/{followup.pk}/sent", alice_token)  # again: nothing new
    assert Interaction.objects.filter(kind="emailed").count() == 1
    refused = api(
        client, "patch", f"/followups/{followup.pk}/draft", alice_token, json={"body": "x"}
    )
    assert refused.status_code == 422 and "already sent" in str(refused.json())
    assert (
        api(client, "get", f"/followups/{followup.pk}/draft", alice_token).json()["body"]
        == (sent["body"])
    )


def test_the_page_logs_the_note_as_typed_when_marked_sent(alice_client, followup):
    alice_client.post(
        f"/followups/{followup.pk}/thank-you/",
        {"to": "", "subject": "Thank you", "body": "Dear Dana,\nThank you.", "action": "sent"},
    )
    logged = Interaction.objects.get(contact=followup.contact, kind="emailed")
    assert logged.note == "Thank-you note sent. Subject: Thank you\n\nDear Dana,\nThank you."


# --- another user's follow-up is not found ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "draft", None),
        ("patch", "draft", {"body": "Mine now"}),
        ("delete", "draft", None),
        ("post", "sent", None),
    ],
)
def test_another_users_draft_is_not_found_and_nothing_changes(
    client, bob_token, followup, method, suffix, body
):
    response = api(client, method, f"/followups/{followup.pk}/{suffix}", bob_token, json=body)
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    followup.refresh_from_db()
    assert followup.draft_body == "" and followup.done_at is None
    assert not Interaction.objects.filter(kind="emailed").exists()


def test_another_users_thank_you_page_is_not_found(bob_client, followup):
    assert bob_client.get(f"/followups/{followup.pk}/thank-you/").status_code == 404
    response = bob_client.post(
        f"/followups/{followup.pk}/thank-you/", {"action": "topics", "topics": "mine"}
    )
    assert response.status_code == 404
    followup.interview.refresh_from_db()
    assert followup.interview.topics == ""


def test_the_debrief_api_reads_and_writes_the_topics(client, alice_token, interview):
    pipeline.update_interview(interview, status="done")
    body = {"interview_id": interview.pk, "topics": "their data platform\n- the on-call rota"}
    created = api(client, "post", "/debriefs", alice_token, json=body)
    assert created.status_code == 201, created.content
    assert created.json()["topics"] == "their data platform\nthe on-call rota"
    debrief_id = created.json()["id"]
    bad = api(client, "patch", f"/debriefs/{debrief_id}", alice_token, json={"topics": "x" * 101})
    assert bad.status_code == 422 and "topics" in str(bad.json()["detail"])
    interview.refresh_from_db()
    assert interview.topic_list == ["their data platform", "the on-call rota"]


def test_a_check_in_reads_as_one_and_is_signed(alice):
    from datetime import timedelta

    from django.utils import timezone

    update_me(alice, display_name="Alice Martin")
    contact = services.create_contact(alice, name="Sam Lee", company_name="Contoso")
    check_in = services.create_followup(
        alice, contact, kind="check_in", due_at=timezone.now() + timedelta(days=1)
    )
    draft = services.thank_you_draft(check_in)
    assert draft["subject"] == "Catching up, Sam"
    assert draft["body"].startswith("Dear Sam,\n\nIt has been a while")
    assert "at Contoso." in draft["body"] and "Thank you for" not in draft["body"]
    assert draft["body"].rstrip().endswith("Best regards,\nAlice Martin")
    assert drafts.MIN_WORDS <= prose.word_count(draft["body"]) <= drafts.MAX_WORDS


def test_an_edit_from_a_stale_page_doesnt_overwrite_a_note_sent_meanwhile(followup):
    from django.core.exceptions import ValidationError

    stale = FollowUp.objects.get(pk=followup.pk)  # the edit page, opened before sending
    services.mark_thank_you_sent(FollowUp.objects.get(pk=followup.pk))
    sent_body = FollowUp.objects.get(pk=followup.pk).draft_body

    with pytest.raises(ValidationError, match="already sent"):
        services.save_thank_you_draft(stale, body="Dear Dana,\nSomething else entirely.")
    assert FollowUp.objects.get(pk=followup.pk).draft_body == sent_body


# --- a line break in a subject can't become a header ------------------------------------------


def test_a_line_break_in_the_subject_is_folded_on_the_page_the_api_and_the_eml(
    client, alice_client, alice_token, followup
):
    import email
    from email import policy

    injected = "Thanks, Dana\r\nBcc: everyone@example.com"
    response = api(
        client, "patch", f"/followups/{followup.pk}/draft", alice_token, json={"subject": injected}
    )
    assert response.status_code == 200, response.content
    assert response.json()["subject"] == "Thanks, Dana Bcc: everyone@example.com"

    eml = alice_client.post(
        f"/followups/{followup.pk}/thank-you/",
        {"to": "dana@example.com", "subject": injected, "body": "Dear Dana.", "action": "eml"},
    )
    assert eml.status_code == 200
    message = email.message_from_bytes(eml.content, policy=policy.default)
    assert message["Bcc"] is None
    assert message["Subject"] == "Thanks, Dana Bcc: everyone@example.com"

    saved = alice_client.post(
        f"/followups/{followup.pk}/thank-you/",
        {"to": "", "subject": "Thanks\nagain", "body": "Dear Dana.", "action": "save"},
    )
    assert saved.status_code == 302
    followup.refresh_from_db()
    assert followup.draft_subject == "Thanks again"
