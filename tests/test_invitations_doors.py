"""The doors to invitations: POST /api/v1/invitations, the "+ Log an invitation" page,
`sayyes import invite`, and the invitation settings."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sayyes.invitations.models import Invitation, Mailbox, OwnAddresses
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import Interview
from tests.conftest import api
from tests.test_cli import assert_one_line_error, run_main
from tests.test_invitations import FIXTURES, counts, fixture


def upload(client, name: str, token: str | None = None, data: bytes | None = None, **fields):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    body = {"file": SimpleUploadedFile(name, data if data is not None else fixture(name)), **fields}
    return client.post("/api/v1/invitations", body, **headers)


# --- API -------------------------------------------------------------------------------------


def test_the_api_answers_201_with_the_interview_and_what_was_matched(client, alice, alice_token):
    response = upload(client, "outlook_teams.ics", alice_token)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["action"] == "created"
    assert body["interview"]["status"] == "invited"
    assert body["interview"]["starts_at"] == "2031-01-15T15:00:00Z"
    assert body["interview"]["timezone"] == "America/New_York"
    assert body["matched"]["company"] == {
        "id": body["matched"]["company"]["id"],
        "name": "Harborview Health",
        "how": "new",
    }
    assert body["matched"]["recruiter"]["name"] == "Priya Raman"
    assert sorted(p["name"] for p in body["matched"]["interviewers"]) == [
        "Grace Liu",
        "Tom Whitfield",
    ]
    assert len(body["results"]) == 1


def test_the_api_answers_200_when_it_updates_and_when_it_ignores(client, alice, alice_token):
    services_own = OwnAddresses.objects.create(user=alice, addresses=["alice.martin@gmail.com"])
    assert services_own.pk
    first = upload(client, "google.ics", alice_token).json()

    updated = upload(client, "google_reschedule.ics", alice_token)
    ignored = upload(client, "google.ics", alice_token)
    cancelled = upload(client, "google_cancel.ics", alice_token)

    assert (updated.status_code, updated.json()["action"]) == (200, "updated")
    assert updated.json()["interview"]["id"] == first["interview"]["id"]
    assert (ignored.status_code, ignored.json()["action"]) == (200, "ignored")
    assert "older" in ignored.json()["message"]
    assert (cancelled.status_code, cancelled.json()["interview"]["status"]) == (200, "cancelled")
    assert Interview.objects.owned_by(alice).count() == 1


def test_pasted_text_as_json_proposes_then_confirms(client, alice, alice_token):
    text = fixture("pasted.txt").decode()

    proposed = api(client, "post", "/invitations", alice_token, json={"text": text})

    assert proposed.status_code == 200
    body = proposed.json()
    assert body["action"] == "proposed"
    assert body["zone"] == "America/New_York"
    assert [p["starts_at"] for p in body["proposals"]] == [
        "2031-01-14T14:00:00-05:00",
        "2031-01-15T10:30:00-05:00",
    ]
    assert counts(alice) == (0, 0, 0, 0, 0)

    confirmed = api(
        client,
        "post",
        "/invitations",
        alice_token,
        json={"text": text, "starts_at": body["proposals"][0]["starts_at"]},
    )

    assert confirmed.status_code == 201, confirmed.content
    assert confirmed.json()["interview"]["starts_at"] == "2031-01-14T19:00:00Z"


def test_a_pasted_calendar_as_json_is_imported(client, alice, alice_token):
    response = api(
        client, "post", "/invitations", alice_token, json={"text": fixture("zoom.ics").decode()}
    )
    assert response.status_code == 201
    assert Invitation.objects.get().source == "text"


@pytest.mark.parametrize(
    ("name", "data", "loc", "message"),
    [
        ("malformed.ics", None, "file", "line 7: DTSTART"),
        ("no_event.ics", None, "file", "no event"),
        ("big.ics", b"BEGIN:VCALENDAR\r\n" + b"X" * (2 * 1024 * 1024 + 10), "file", "2 MB"),
        ("past.ics", None, "past", 'Send past="done"'),
    ],
)
def test_bad_files_are_a_422_naming_the_problem_and_write_nothing(
    client, alice, alice_token, name, data, loc, message
):
    response = upload(client, name, alice_token, data=data)

    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", loc]
    assert message in detail[0]["msg"]
    assert counts(alice) == (0, 0, 0, 0, 0)


def test_a_past_interview_is_logged_as_done_when_asked(client, alice, alice_token):
    response = upload(client, "past.ics", alice_token, past="done")
    assert response.status_code == 201
    assert response.json()["interview"]["status"] == "done"


def test_several_companies_answer_the_choices(client, alice, alice_token):
    for name in ("Brightkite", "Brightkite Europe"):
        company = pipeline.create_company(
            alice, name=name, website=f"https://{name[:5]}.brightkite.example"
        )
        assert company.pk
    response = upload(client, "scheduler.ics", alice_token)

    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["type"] == "choice_needed"
    assert detail["loc"] == ["body", "company_id"]
    assert [c["name"] for c in detail["choices"]] == ["Brightkite", "Brightkite Europe"]

    chosen = upload(
        client, "scheduler.ics", alice_token, company_id=str(detail["choices"][0]["id"])
    )
    assert chosen.status_code == 201


def test_unknown_fields_and_bad_json_are_refused(client, alice, alice_token):
    assert upload(client, "zoom.ics", alice_token, colour="red").status_code == 422
    bad = api(client, "post", "/invitations", alice_token, json={"text": "hi", "colour": "red"})
    assert bad.status_code == 422
    assert "colour" in json.dumps(bad.json())
    missing = client.post("/api/v1/invitations", {"company_id": "3"},
                          HTTP_AUTHORIZATION=f"Bearer {alice_token}")  # fmt: skip
    assert missing.status_code == 422
    assert counts(alice) == (0, 0, 0, 0, 0)


def test_bob_cant_pick_alices_company_or_update_her_interview(
    client, alice, bob, alice_token, bob_token
):
    mine = upload(client, "zoom.ics", alice_token).json()
    company_id = mine["matched"]["company"]["id"]

    response = upload(client, "zoom.ics", bob_token, company_id=str(company_id))
    assert response.status_code == 404
    theirs = upload(client, "zoom.ics", bob_token)
    assert theirs.status_code == 201  # bob's own copy, not an update of alice's
    assert theirs.json()["interview"]["id"] != mine["interview"]["id"]
    assert Interview.objects.owned_by(alice).count() == 1


def test_anonymous_is_401(client):
    assert (
        client.post("/api/v1/invitations", {"file": SimpleUploadedFile("a.ics", b"x")}).status_code
        == 401
    )


# --- The page ----------------------------------------------------------------------------------


def test_the_page_takes_a_file_and_lands_on_the_triage(alice_client, alice):
    page = alice_client.get("/interviews/invitation/")
    assert page.status_code == 200
    assert b"Drop the .ics or .eml file here" in page.content

    response = alice_client.post(
        "/interviews/invitation/", {"file": SimpleUploadedFile("zoom.ics", fixture("zoom.ics"))}
    )

    interview = Interview.objects.owned_by(alice).get()
    assert response.status_code == 302
    assert response["Location"] == f"/interviews/{interview.pk}/triage/"


def test_the_page_asks_which_company_and_keeps_the_file(alice_client, alice):
    for name in ("Brightkite", "Brightkite Europe"):
        pipeline.create_company(alice, name=name, website=f"https://{name[:5]}.brightkite.example")
    response = alice_client.post(
        "/interviews/invitation/",
        {"file": SimpleUploadedFile("scheduler.ics", fixture("scheduler.ics"))},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Which company is it?" in html
    carried = response.context["carried"]
    chosen = response.context["choice"].choices[1][0]

    done = alice_client.post("/interviews/invitation/", {"carried": carried, "company_id": chosen})

    interview = Interview.objects.owned_by(alice).get()
    assert done["Location"] == f"/interviews/{interview.pk}/triage/"
    assert interview.opportunity.company_id == chosen


def test_the_page_offers_to_log_a_past_interview_as_done(alice_client, alice):
    response = alice_client.post(
        "/interviews/invitation/", {"file": SimpleUploadedFile("past.ics", fixture("past.ics"))}
    )
    assert b"Log it as done" in response.content
    assert counts(alice) == (0, 0, 0, 0, 0)
    done = alice_client.post(
        "/interviews/invitation/", {"carried": response.context["carried"], "past": "done"}
    )
    assert done.status_code == 302
    assert Interview.objects.owned_by(alice).get().status == "done"


def test_pasted_text_on_the_page_proposes_times_and_logs_the_one_picked(alice_client, alice):
    text = fixture("pasted.txt").decode()
    response = alice_client.post("/interviews/invitation/", {"text": text})
    assert response.status_code == 200
    assert b"When is it?" in response.content
    # In the zone the e-mail names, whatever the page's own zone.
    assert "Tuesday 14 January 2031, 14:00" in response.content.decode()
    assert counts(alice) == (0, 0, 0, 0, 0)
    picked = response.context["proposals"].times[1].starts_at.isoformat()

    done = alice_client.post("/interviews/invitation/", {"text": text, "starts_at": picked})

    interview = Interview.objects.owned_by(alice).get()
    assert done["Location"] == f"/interviews/{interview.pk}/triage/"
    assert interview.starts_at == datetime(2031, 1, 15, 15, 30, tzinfo=UTC)


def test_a_bad_file_on_the_page_says_what_is_wrong(alice_client, alice):
    response = alice_client.post(
        "/interviews/invitation/",
        {"file": SimpleUploadedFile("malformed.ics", fixture("malformed.ics"))},
    )
    assert response.status_code == 400
    assert "line 7: DTSTART" in response.content.decode()
    assert counts(alice) == (0, 0, 0, 0, 0)
    empty = alice_client.post("/interviews/invitation/", {"text": "  "})
    assert empty.status_code == 400
    assert b"Drop or choose the invitation file" in empty.content


def test_the_lists_link_the_invitation_page(alice_client, opp):
    assert b"/interviews/invitation/" in alice_client.get("/interviews/").content
    assert b"/interviews/invitation/" in alice_client.get("/").content


# --- Settings ------------------------------------------------------------------------------------


def test_settings_save_your_addresses_and_the_mailbox_encrypted(alice_client, alice, settings):
    response = alice_client.post(
        "/settings/invitations/",
        {"action": "addresses", "addresses": "alice.martin@gmail.com\nALICE@work.example"},
    )
    assert response.status_code == 302
    assert OwnAddresses.objects.get(user=alice).addresses == [
        "alice.martin@gmail.com",
        "alice@work.example",
    ]
    response = alice_client.post(
        "/settings/invitations/",
        {"action": "mailbox", "host": "imap.example.org", "port": "993",
         "username": "alice@example.org", "password": "app-secret-1", "folder": "Interviews",
         "enabled": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    mailbox = Mailbox.objects.get(user=alice)
    assert "app-secret-1" not in mailbox.password_encrypted
    key = settings.DATA_DIR / "mailbox.key"
    assert key.stat().st_mode & 0o777 == 0o600
    from sayyes.invitations.mailbox import unseal

    assert unseal(mailbox.password_encrypted) == "app-secret-1"
    page = alice_client.get("/settings/").content.decode()
    assert "Watching <strong>Interviews</strong>" in page
    assert "app-secret-1" not in alice_client.get("/settings/invitations/").content.decode()


def test_settings_refuse_bad_input_and_keep_what_was_typed(alice_client, alice):
    response = alice_client.post(
        "/settings/invitations/",
        {"action": "addresses", "addresses": "me@ok.example not-an-address"},
    )
    assert response.status_code == 400
    assert "not-an-address" in response.content.decode()
    assert not OwnAddresses.objects.filter(user=alice).exists()
    response = alice_client.post(
        "/settings/invitations/",
        {"action": "mailbox", "host": "imap example", "port": "993", "username": "a",
         "password": "", "folder": "Interviews"},
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the mail server" in html and "Give the mailbox" in html
    assert 'value="imap example"' in html
    assert not Mailbox.objects.exists()


def test_bobs_settings_never_touch_alices_mailbox(alice_client, bob_client, alice):
    alice_client.post(
        "/settings/invitations/",
        {"action": "mailbox", "host": "imap.example.org", "port": "993", "username": "alice",
         "password": "secret", "folder": "Interviews", "enabled": "on"},
    )  # fmt: skip
    bob_client.post("/settings/invitations/mailbox/remove/")
    assert Mailbox.objects.filter(user=alice).exists()
    assert "imap.example.org" not in bob_client.get("/settings/invitations/").content.decode()


# --- CLI -----------------------------------------------------------------------------------------


def test_the_command_imports_then_updates(alice):
    result = run_main("import", "invite", str(FIXTURES / "outlook_teams.ics"), "--user", "alice")
    assert result.code == 0, result.err
    interview = Interview.objects.owned_by(alice).get()
    assert f"sayyes triage {interview.pk}" in result.out

    again = run_main(
        "import", "invite", str(FIXTURES / "outlook_teams.ics"), "--user", "alice", "--json"
    )
    assert again.code == 0
    assert json.loads(again.out)["action"] == "unchanged"


def test_the_command_proposes_times_and_logs_the_one_given(alice):
    result = run_main("import", "invite", str(FIXTURES / "pasted.txt"), "--user", "alice")
    assert result.code == 0, result.err
    assert "--at 2031-01-14T14:00:00-05:00" in result.out
    assert counts(alice) == (0, 0, 0, 0, 0)

    logged = run_main("import", "invite", str(FIXTURES / "pasted.txt"), "--user", "alice",
                      "--at", "2031-01-14T14:00:00-05:00")  # fmt: skip
    assert logged.code == 0, logged.err
    assert Interview.objects.owned_by(alice).get().starts_at == datetime(
        2031, 1, 14, 19, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("name", "extra", "fragments"),
    [
        ("malformed.ics", [], ["malformed.ics: line 7: DTSTART", "nothing was imported"]),
        ("past.ics", [], ["in the past", "--done"]),
        ("missing.ics", [], ["cannot read"]),
        ("pasted.txt", ["--at", "soon"], ["--at: can't read 'soon'"]),
    ],
)
def test_the_command_refuses_bad_input_in_one_line(alice, name, extra, fragments):
    result = run_main("import", "invite", str(FIXTURES / name), "--user", "alice", *extra)
    assert_one_line_error(result, *fragments)
    assert counts(alice) == (0, 0, 0, 0, 0)


def test_the_command_lists_the_companies_to_pick_from(alice):
    for name in ("Brightkite", "Brightkite Europe"):
        pipeline.create_company(alice, name=name, website=f"https://{name[:5]}.brightkite.example")
    result = run_main("import", "invite", str(FIXTURES / "scheduler.ics"), "--user", "alice")
    assert_one_line_error(result, "--company-id", "Brightkite Europe")
    assert result.code == 1


def test_a_pasted_mail_from_nobody_known_asks_for_the_company_then_logs_it(alice_client, alice):
    text = "Hello! Could we talk on Monday 3 March 2031 at 9:00 about the Analyst role?"
    proposals = alice_client.post("/interviews/invitation/", {"text": text})
    picked = proposals.context["proposals"].times[0].starts_at.isoformat()

    asked = alice_client.post(
        "/interviews/invitation/", {"text": text, "starts_at": picked, "title": "Analyst"}
    )
    assert b"Which company is it?" in asked.content
    assert counts(alice) == (0, 0, 0, 0, 0)
    html = asked.content.decode()
    assert f'name="starts_at" value="{picked}"' in html

    done = alice_client.post(
        "/interviews/invitation/",
        {"text": text, "starts_at": picked, "title": "Analyst", "company_name": "Quarry Bay"},
    )

    interview = Interview.objects.owned_by(alice).get()
    assert done["Location"] == f"/interviews/{interview.pk}/triage/"
    assert (interview.opportunity.company.name, interview.opportunity.title) == (
        "Quarry Bay",
        "Analyst",
    )
