"""Contacts, follow-ups, thank-you notes, the agenda, reminders and the calendar feed."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from sayyes.accounts.models import Profile
from sayyes.agenda.models import CalendarFeed
from sayyes.agenda.services import build_agenda, send_due_digests
from sayyes.network import services
from sayyes.network.models import Contact, FollowUp, Interaction
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.signals import interview_done
from tests.conftest import api


def _done(interview):
    return pipeline.update_interview(interview, status="done")


# --- the thank-you rule ---------------------------------------------------------------------


def test_marking_an_interview_done_gives_each_interviewer_a_thank_you_within_24_hours(interview):
    sam = Contact.objects.create(owner=interview.owner, name="Sam Lee")
    interview.interviewers.add(sam)
    _done(interview)
    followups = FollowUp.objects.filter(interview=interview, kind="thank_you")
    assert sorted(f.contact.name for f in followups) == ["Dana Reyes", "Sam Lee"]
    for f in followups:
        assert f.due_at == interview.ends_at + timedelta(hours=24)
        assert f.owner == interview.owner


def test_thank_yous_are_never_created_twice(interview):
    _done(interview)
    pipeline.update_interview(interview, status="scheduled")
    _done(interview)
    pipeline.update_interview(interview, notes="Went well")
    assert FollowUp.objects.filter(interview=interview, kind="thank_you").count() == 1


def test_an_interviewer_added_after_the_interview_is_done_gets_a_thank_you(interview):
    _done(interview)
    pipeline.set_interviewers_by_name(interview, ["Dana Reyes", "Priya Shah"])
    names = FollowUp.objects.filter(interview=interview).values_list("contact__name", flat=True)
    assert sorted(names) == ["Dana Reyes", "Priya Shah"]


def test_meeting_at_an_interview_goes_on_the_contacts_timeline(interview):
    _done(interview)
    dana = Contact.objects.get(name="Dana Reyes")
    assert dana.how_met == "interview"
    assert dana.interactions.filter(kind="met", at=interview.starts_at).count() == 1
    assert dana.last_touched_at == interview.starts_at


def test_a_scheduled_interview_creates_no_follow_up(interview):
    pipeline.update_interview(interview, notes="Prep done")
    assert not FollowUp.objects.exists()


def test_the_pipeline_says_interview_done_and_the_network_makes_the_thank_yous(interview):
    heard = []

    def listener(sender, interview, **kwargs):
        heard.append(interview.status)

    interview_done.connect(listener)
    try:
        pipeline.update_interview(interview, notes="Prep done")
        assert heard == []
        _done(interview)
    finally:
        interview_done.disconnect(listener)
    assert heard == ["done"]
    # The network's receiver is connected once, when the app is ready, and makes no copies.
    interview_done.send(sender=type(interview), interview=interview)
    assert FollowUp.objects.filter(interview=interview, kind="thank_you").count() == 1


# --- contacts and follow-ups ----------------------------------------------------------------


def test_a_contact_is_created_with_its_company_and_clean_tags(alice):
    contact = services.create_contact(
        alice, name="Ana Silva", company_name="Bluepeak Health", tags="mentor, Data,  mentor"
    )
    assert contact.company.name == "Bluepeak Health" and contact.company.owner == alice
    assert contact.tags == ["mentor", "Data"]


def test_a_bad_email_is_refused_and_nothing_is_written(alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.create_contact(alice, name="X", email="not-an-email")
    assert "email" in exc.value.message_dict
    assert not Contact.objects.exists()


def test_check_in_suggestions_follow_the_users_setting(alice):
    old = services.create_contact(alice, name="Quiet Quentin")
    recent = services.create_contact(alice, name="Recent Rita")
    services.log_interaction(old, at=timezone.now() - timedelta(weeks=10))
    services.log_interaction(recent, at=timezone.now() - timedelta(weeks=2))
    Profile.objects.filter(user=alice).update(checkin_after_weeks=8)
    assert [c.name for c in services.checkin_suggestions(alice)] == ["Quiet Quentin"]
    Profile.objects.filter(user=alice).update(checkin_after_weeks=1)
    assert {c.name for c in services.checkin_suggestions(alice)} == {"Quiet Quentin", "Recent Rita"}


def test_a_follow_up_marked_done_twice_keeps_its_first_time(interview):
    _done(interview)
    followup = FollowUp.objects.get()
    services.set_done(followup, True)
    first = followup.done_at
    services.set_done(followup, True)
    assert followup.done_at == first
    services.set_done(followup, False)
    assert followup.done_at is None


# --- thank-you notes ------------------------------------------------------------------------


def test_the_draft_names_the_role_the_round_and_a_topic_never_the_raw_notes(interview):
    pipeline.update_interview(
        interview,
        notes="talked about migrating their CI. Also lunch.",
        topics="Talked about migrating their CI to GitHub Actions",
    )
    _done(interview)
    draft = services.thank_you_draft(FollowUp.objects.get())
    assert "Dear Dana" in draft["body"]
    assert "Data Engineer" in draft["body"] and "Northwind Analytics" in draft["body"]
    assert "video interview" in draft["body"]
    assert "our conversation about migrating their CI to GitHub Actions." in draft["body"]
    assert "talked about" not in draft["body"].lower() and "lunch" not in draft["body"]
    assert draft["subject"] == "Thank you for the video interview: Data Engineer"


def test_the_eml_download_is_a_real_email_message(alice_client, interview):
    Contact.objects.filter(name="Dana Reyes").update(email="dana@example.com")
    _done(interview)
    followup = FollowUp.objects.get()
    response = alice_client.post(
        f"/followups/{followup.pk}/thank-you/",
        {
            "to": "dana@example.com",
            "subject": "Thanks!",
            "body": "Merci beaucoup — à bientôt.",
            "action": "eml",
        },
    )
    assert response["Content-Type"] == "message/rfc822"
    message = email.message_from_bytes(response.content, policy=email.policy.default)
    assert message["To"] == "dana@example.com" and message["Subject"] == "Thanks!"
    assert message.get_content().strip() == "Merci beaucoup — à bientôt."
    assert FollowUp.objects.get().done_at is None


def test_marking_the_note_sent_logs_an_interaction_and_closes_the_follow_up(
    alice_client, interview
):
    _done(interview)
    followup = FollowUp.objects.get()
    response = alice_client.post(
        f"/followups/{followup.pk}/thank-you/",
        {
            "to": "",
            "subject": "Thanks",
            "body": "Thank you for your time.",
            "action": "sent",
        },
    )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.done_at is not None
    assert Interaction.objects.filter(contact=followup.contact, kind="emailed").count() == 1


def test_the_draft_page_offers_copy_mailto_and_download(alice_client, interview):
    _done(interview)
    html = alice_client.get(f"/followups/{FollowUp.objects.get().pk}/thank-you/").content.decode()
    assert "mailto:" in html and 'value="eml"' in html and "data-copy" in html


# --- pages ----------------------------------------------------------------------------------


def test_the_contact_form_keeps_what_was_typed_when_the_email_is_wrong(alice_client):
    response = alice_client.post(
        "/contacts/new/",
        {
            "name": "Ana Silva",
            "email": "nope",
            "company_name": "Bluepeak",
            "tags_text": "mentor",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Ana Silva"' in html and 'value="Bluepeak"' in html and 'value="mentor"' in html
    assert not Contact.objects.filter(name="Ana Silva").exists()


def test_a_contact_page_shows_the_timeline_and_logs_interactions(alice_client, alice):
    contact = services.create_contact(alice, name="Ana Silva")
    alice_client.post(
        f"/contacts/{contact.pk}/interactions/", {"kind": "called", "note": "Coffee chat"}
    )
    html = alice_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Coffee chat" in html and "Called" in html


def test_the_contact_list_searches(alice_client, alice):
    services.create_contact(alice, name="Ana Silva", title="Recruiter")
    services.create_contact(alice, name="Ben Okafor", title="Engineer")
    html = alice_client.get("/contacts/?q=recruit").content.decode()
    assert "Ana Silva" in html and "Ben Okafor" not in html


# --- the agenda -----------------------------------------------------------------------------


def test_the_agenda_groups_by_day_in_the_users_time_zone(alice, opp):
    Profile.objects.filter(user=alice).update(timezone="America/Los_Angeles")
    now = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)  # noon in Los Angeles
    late = pipeline.create_interview(
        alice,
        opp,
        starts_at=datetime(2026, 12, 2, 6, 30, tzinfo=UTC),  # 22:30 on the 1st
        timezone="America/Los_Angeles",
    )
    agenda = build_agenda(alice, now=now)
    assert agenda.today.isoformat() == "2026-12-01"
    assert late in agenda.days[0].interviews
    assert len(agenda.days) == 8


def test_overdue_follow_ups_come_first(alice, interview):
    _done(interview)
    FollowUp.objects.update(due_at=timezone.now() - timedelta(days=2))
    agenda = build_agenda(alice)
    assert [f.contact.name for f in agenda.overdue] == ["Dana Reyes"]


def test_the_agenda_page_shows_the_20_oldest_overdue_and_counts_them_all(alice_client, alice):
    contact = Contact.objects.create(owner=alice, name="Many Reminders")
    for n in range(25):
        FollowUp.objects.create(
            owner=alice,
            contact=contact,
            kind="check_in",
            due_at=timezone.now() - timedelta(days=30 - n),
        )
    html = alice_client.get("/agenda/").content.decode()
    assert 'Overdue <span class="muted">(25)</span>' in html
    assert html.count("Many Reminders</a>") == 20  # the links to the contact
    assert "The 20 oldest are shown" in html
    # The rest are on the next page, with a way back.
    html = alice_client.get("/agenda/?overdue_page=2").content.decode()
    assert 'Overdue <span class="muted">(25)</span>' in html
    assert html.count("Many Reminders</a>") == 5
    assert "?overdue_page=1#overdue" in html and "?overdue_page=3" not in html
    # A page number that isn't one is the first page.
    assert (
        alice_client.get("/agenda/?overdue_page=x2").content.decode().count("Many Reminders</a>")
        == 20
    )


def test_the_agenda_page_lists_todays_interviews_with_a_prep_link(alice_client, alice, opp):
    pipeline.create_interview(
        alice, opp, starts_at=timezone.now() + timedelta(hours=1), timezone="UTC"
    )
    html = alice_client.get("/agenda/").content.decode()
    assert "Today" in html and f"/opportunities/{opp.pk}/" in html and "Prepare" in html


# --- reminders ------------------------------------------------------------------------------


def test_the_digest_is_sent_once_a_morning(alice, opp):
    pipeline.create_interview(
        alice, opp, starts_at=timezone.now() + timedelta(hours=3), timezone="UTC"
    )
    Profile.objects.filter(user=alice).update(timezone="Europe/Paris")
    morning = datetime.now(ZoneInfo("Europe/Paris")).replace(hour=8, minute=0)
    assert send_due_digests(now=morning) == 1
    assert send_due_digests(now=morning + timedelta(minutes=30)) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    assert "Your sayyes agenda" in mail.outbox[0].subject
    assert "Northwind Analytics" in mail.outbox[0].body


def test_no_digest_before_the_morning_hour_or_when_turned_off(alice, opp):
    pipeline.create_interview(
        alice, opp, starts_at=timezone.now() + timedelta(hours=3), timezone="UTC"
    )
    Profile.objects.filter(user=alice).update(timezone="UTC")
    early = datetime.now(UTC).replace(hour=5)
    assert send_due_digests(now=early) == 0
    Profile.objects.filter(user=alice).update(daily_digest=False)
    assert send_due_digests(now=early.replace(hour=9)) == 0
    assert mail.outbox == []


def test_sayyes_remind_sends_now(alice, opp):
    from typer.testing import CliRunner

    from sayyes.cli import app

    pipeline.create_interview(
        alice, opp, starts_at=timezone.now() + timedelta(hours=3), timezone="UTC"
    )
    result = CliRunner().invoke(app, ["remind", "--user", "alice"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 digest" in result.output and len(mail.outbox) == 1


def test_sayyes_agenda_prints_the_week(alice, opp):
    from typer.testing import CliRunner

    from sayyes.cli import app

    pipeline.create_interview(
        alice, opp, starts_at=timezone.now() + timedelta(days=1), timezone="UTC"
    )
    result = CliRunner().invoke(app, ["agenda", "--user", "alice"])
    assert result.exit_code == 0, result.output
    assert "Data Engineer at Northwind Analytics" in result.output


# --- the calendar feed ----------------------------------------------------------------------


def test_the_feed_serves_only_its_owners_interviews(alice, bob, interview):
    from icalendar import Calendar

    bobs = pipeline.create_opportunity(bob, company_name="Bob Corp", title="Bob's job")
    pipeline.create_interview(
        bob, bobs, starts_at=timezone.now() + timedelta(days=1), timezone="UTC"
    )
    token = CalendarFeed.regenerate(alice)
    response = Client().get(f"/calendar/{token}/feed.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1 and "Northwind" in str(events[0]["SUMMARY"])


def test_a_regenerated_or_revoked_feed_address_stops_working(alice, interview):
    old = CalendarFeed.regenerate(alice)
    new = CalendarFeed.regenerate(alice)
    assert Client().get(f"/calendar/{old}/feed.ics").status_code == 404
    assert Client().get(f"/calendar/{new}/feed.ics").status_code == 200
    CalendarFeed.revoke(alice)
    assert Client().get(f"/calendar/{new}/feed.ics").status_code == 404


def test_the_settings_page_shows_the_new_feed_address_once(alice_client, alice):
    alice_client.post("/settings/calendar/", {"action": "regenerate"})
    first = alice_client.get("/settings/").content.decode()
    assert "/calendar/" in first and "feed.ics" in first
    assert "feed.ics" not in alice_client.get("/settings/").content.decode()


def test_one_interview_downloads_as_ics(alice_client, bob_client, interview):
    response = alice_client.get(f"/interviews/{interview.pk}/calendar.ics")
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content
    assert bob_client.get(f"/interviews/{interview.pk}/calendar.ics").status_code == 404


# --- API ------------------------------------------------------------------------------------


def test_contacts_api_crud_and_isolation(client, alice_token, bob_token):
    created = api(
        client,
        "post",
        "/contacts",
        alice_token,
        json={
            "name": "Ana Silva",
            "company_name": "Bluepeak",
            "tags": ["mentor"],
            "email": "ana@example.com",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["company"] == "Bluepeak" and body["tags"] == ["mentor"]
    cid = body["id"]
    assert api(client, "get", f"/contacts/{cid}", bob_token).status_code == 404
    assert api(client, "get", "/contacts?q=ana", alice_token).json()["count"] == 1
    assert api(client, "get", "/contacts?q=ana", bob_token).json()["count"] == 0
    patched = api(client, "patch", f"/contacts/{cid}", alice_token, json={"title": "Recruiter"})
    assert patched.json()["title"] == "Recruiter" and patched.json()["email"] == "ana@example.com"
    bad = api(client, "post", "/contacts", alice_token, json={"name": "X", "email": "nope"})
    assert bad.status_code == 422 and Contact.objects.filter(name="X").count() == 0
    logged = api(
        client,
        "post",
        f"/contacts/{cid}/interactions",
        alice_token,
        json={"kind": "called", "note": "Intro"},
    )
    assert logged.status_code == 201
    assert api(client, "get", f"/contacts/{cid}/interactions", alice_token).json()["count"] == 1


def test_followups_api(client, alice_token, bob_token, interview):
    dana = Contact.objects.get(name="Dana Reyes")
    created = api(
        client,
        "post",
        "/followups",
        alice_token,
        json={
            "contact_id": dana.pk,
            "kind": "check_in",
            "due_at": "2026-12-24T09:00:00+01:00",
        },
    )
    assert created.status_code == 201, created.content
    fid = created.json()["id"]
    assert created.json()["done"] is False
    assert (
        api(client, "patch", f"/followups/{fid}", alice_token, json={"done": True}).json()["done"]
        is True
    )
    assert (
        api(client, "patch", f"/followups/{fid}", bob_token, json={"done": False}).status_code
        == 404
    )
    stolen = api(
        client,
        "post",
        "/followups",
        bob_token,
        json={
            "contact_id": dana.pk,
            "due_at": "2026-12-24T09:00:00+01:00",
        },
    )
    assert stolen.status_code == 422


def test_agenda_api(client, alice_token, alice, opp):
    pipeline.create_interview(
        alice, opp, starts_at=timezone.now() + timedelta(hours=2), timezone="UTC"
    )
    body = api(client, "get", "/agenda?days=2", alice_token).json()
    assert len(body["days"]) == 3
    assert sum(len(d["interviews"]) for d in body["days"]) >= 1


def test_interviews_accept_interviewer_ids_of_your_own_contacts(client, alice_token, opp, alice):
    ana = services.create_contact(alice, name="Ana Silva")
    response = api(
        client,
        "post",
        "/interviews",
        alice_token,
        json={
            "opportunity_id": opp.pk,
            "starts_at": "2026-12-03T10:00:00+00:00",
            "interviewer_ids": [ana.pk],
        },
    )
    assert response.status_code == 201 and response.json()["interviewer_ids"] == [ana.pk]


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_digests_and_schedules_the_next_hourly_run(alice, opp):
    from django_tasks_db.models import DBTaskResult
    from typer.testing import CliRunner

    from sayyes.agenda.tasks import schedule_reminders, send_reminders
    from sayyes.cli import app

    pipeline.create_interview(
        alice, opp, starts_at=timezone.now() + timedelta(hours=3), timezone="UTC"
    )
    Profile.objects.filter(user=alice).update(timezone="Pacific/Kiritimati")  # morning somewhere
    local_hour = datetime.now(ZoneInfo("Pacific/Kiritimati")).hour
    schedule_reminders()
    schedule_reminders()  # already waiting: not queued twice
    tasks = DBTaskResult.objects.filter(task_path=send_reminders.module_path)
    assert tasks.count() == 1
    outcome = CliRunner().invoke(app, ["worker", "--batch", "--quiet"])
    assert outcome.exit_code == 0, outcome.output
    assert tasks.filter(status="SUCCESSFUL").count() == 1
    waiting = tasks.get(status="READY")
    assert waiting.run_after > timezone.now() + timedelta(minutes=50)
    assert len(mail.outbox) == (1 if local_hour >= 7 else 0)


# --- import and export, through the page and the CLI ----------------------------------------

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"


def test_the_import_page_checks_then_imports_linkedin_connections(alice_client, alice):
    path = FIXTURES / "linkedin" / "bom_notes_url.csv"
    with path.open("rb") as f:
        checked = alice_client.post(
            "/contacts/import/", {"kind": "linkedin", "file": f, "dry_run": "on"}
        )
    assert checked.status_code == 200
    assert "nothing was imported" in checked.content.decode()
    assert not Contact.objects.filter(owner=alice).exists()
    with path.open("rb") as f:
        done = alice_client.post("/contacts/import/", {"kind": "linkedin", "file": f})
    assert done.status_code == 302
    assert Contact.objects.filter(owner=alice, how_met="linkedin").exists()


def test_a_broken_file_on_the_import_page_names_the_line_and_imports_nothing(alice_client, alice):
    with (FIXTURES / "linkedin" / "bad_field_count.csv").open("rb") as f:
        response = alice_client.post("/contacts/import/", {"kind": "linkedin", "file": f})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html and "line" in html
    assert not Contact.objects.filter(owner=alice).exists()


def test_the_vcard_export_downloads_every_contact(alice_client, alice):
    services.create_contact(alice, name="Ana Silva", email="ana@example.com")
    response = alice_client.get("/contacts/export.vcf")
    assert response["Content-Type"].startswith("text/vcard")
    assert b"FN:Ana Silva" in response.content and b"VERSION:4.0" in response.content


def test_the_cli_imports_linkedin_and_exports_vcard_and_ics(alice, interview, tmp_path):
    from typer.testing import CliRunner

    from sayyes.cli import app

    runner = CliRunner()
    result = runner.invoke(
        app,
        ["import", "linkedin", str(FIXTURES / "linkedin" / "old_no_url.csv"), "--user", "alice"],
    )
    assert result.exit_code == 0, result.output
    count = Contact.objects.filter(owner=alice).count()
    again = runner.invoke(
        app,
        ["import", "linkedin", str(FIXTURES / "linkedin" / "old_no_url.csv"), "--user", "alice"],
    )
    assert again.exit_code == 0 and Contact.objects.filter(owner=alice).count() == count

    broken = runner.invoke(
        app,
        [
            "import",
            "linkedin",
            str(FIXTURES / "linkedin" / "unclosed_quote.csv"),
            "--user",
            "alice",
        ],
    )
    assert broken.exit_code != 0 and Contact.objects.filter(owner=alice).count() == count

    vcf, ics = tmp_path / "contacts.vcf", tmp_path / "interviews.ics"
    assert runner.invoke(app, ["export", "vcard", str(vcf), "--user", "alice"]).exit_code == 0
    assert vcf.read_text(encoding="utf-8").count("BEGIN:VCARD") == count
    assert runner.invoke(app, ["export", "ics", str(ics), "--user", "alice"]).exit_code == 0
    from icalendar import Calendar

    assert len(Calendar.from_ical(ics.read_bytes()).walk("VEVENT")) == 1


def test_the_feed_answers_304_when_nothing_changed_and_skips_old_interviews(alice, interview, opp):
    old = pipeline.create_interview(
        alice, opp, starts_at=timezone.now() - timedelta(days=400), timezone="UTC"
    )
    token = CalendarFeed.regenerate(alice)
    first = Client().get(f"/calendar/{token}/feed.ics")
    assert f"interview-{old.pk}@".encode() not in first.content
    etag = first["ETag"]
    assert Client().get(f"/calendar/{token}/feed.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    pipeline.update_interview(interview, duration_minutes=90)
    changed = Client().get(f"/calendar/{token}/feed.ics", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.parametrize(
    "path,data",
    [
        ("/contacts/new/", {"name": "Forged"}),
        ("/settings/calendar/", {"action": "regenerate"}),
    ],
)
def test_the_new_forms_refuse_a_post_without_the_csrf_token(alice, path, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(path, data).status_code == 403
    assert not Contact.objects.filter(name="Forged").exists()
    assert not CalendarFeed.objects.exists()


def test_marking_a_thank_you_sent_needs_the_csrf_token(alice, interview):
    _done(interview)
    followup = FollowUp.objects.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        f"/followups/{followup.pk}/thank-you/",
        {
            "subject": "x",
            "body": "y",
            "action": "sent",
        },
    )
    assert response.status_code == 403
    followup.refresh_from_db()
    assert followup.done_at is None
    page = client.get(f"/followups/{followup.pk}/thank-you/")
    token = page.cookies["csrftoken"].value
    client.post(
        f"/followups/{followup.pk}/thank-you/",
        {
            "subject": "x",
            "body": "y",
            "action": "sent",
            "csrfmiddlewaretoken": token,
        },
    )
    followup.refresh_from_db()
    assert followup.done_at is not None


def test_the_feed_changes_when_the_interviewers_or_the_role_change(alice, interview, opp):
    token = CalendarFeed.regenerate(alice)
    etag = Client().get(f"/calendar/{token}/feed.ics")["ETag"]
    pipeline.set_interviewers_by_name(interview, ["Dana Reyes", "Noor Haddad"])
    second = Client().get(f"/calendar/{token}/feed.ics", HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200 and b"Noor Haddad" in second.content
    pipeline.update_opportunity(opp, title="Senior Data Engineer")
    third = Client().get(f"/calendar/{token}/feed.ics", HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200 and b"Senior Data Engineer" in third.content.replace(
        b"\r\n ", b""
    )


def test_a_contacts_company_can_be_cleared_with_null_but_not_its_name(client, alice_token, alice):
    ana = services.create_contact(alice, name="Ana Silva", company_name="Bluepeak")
    cleared = api(client, "patch", f"/contacts/{ana.pk}", alice_token, json={"company_id": None})
    assert cleared.status_code == 200 and cleared.json()["company_id"] is None
    refused = api(client, "patch", f"/contacts/{ana.pk}", alice_token, json={"name": None})
    assert refused.status_code == 422
    ana.refresh_from_db()
    assert ana.name == "Ana Silva" and ana.company is None


def test_the_dashboard_says_how_many_follow_ups_are_due(alice_client, interview):
    assert "follow-up" not in alice_client.get("/").content.decode()
    pipeline.update_interview(interview, starts_at=timezone.now() - timedelta(hours=3))
    _done(interview)
    html = alice_client.get("/").content.decode()
    assert "<strong>1</strong> follow-up due" in html and "/agenda/" in html


def test_the_settings_page_keeps_the_digest_address(alice_client, alice):
    page = alice_client.get("/settings/").content.decode()
    assert 'value="alice@example.com"' in page and "Email me the day" in page
    alice_client.post(
        "/settings/",
        {
            "timezone": "UTC",
            "email": "alice@new.example",
            "base_currency": "USD",
            "checkin_after_weeks": "8",
            "daily_digest": "on",
        },
    )
    alice.refresh_from_db()
    assert alice.email == "alice@new.example"
    bad = alice_client.post(
        "/settings/",
        {
            "timezone": "UTC",
            "email": "nope",
            "base_currency": "USD",
            "checkin_after_weeks": "8",
        },
    )
    assert bad.status_code == 400
    alice.refresh_from_db()
    assert alice.email == "alice@new.example"


@pytest.mark.parametrize("tag", ["mentor", "MENTOR", "café"])
def test_contacts_filter_by_a_whole_tag(alice, tag):
    services.create_contact(alice, name="Ana", tags=["Mentor", "Café"])
    services.create_contact(alice, name="Ben", tags=["mentorship", "cafés"])
    assert [c.name for c in services.search_contacts(alice, tag=tag)] == ["Ana"]


def test_the_feed_changes_when_the_company_or_an_interviewer_is_renamed(alice, interview, opp):
    token = CalendarFeed.regenerate(alice)
    etag = Client().get(f"/calendar/{token}/feed.ics")["ETag"]
    pipeline.update_company(opp.company, name="Northwind Labs")
    second = Client().get(f"/calendar/{token}/feed.ics", HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200 and b"Northwind Labs" in second.content
    contact = interview.interviewers.get()
    contact.name = "Dana Reyes-Okafor"
    contact.save(update_fields=["name"])
    third = Client().get(f"/calendar/{token}/feed.ics", HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200
    assert b"Dana Reyes-Okafor" in third.content.replace(b"\r\n ", b"")
    # Nothing changed since: a 304 again.
    again = Client().get(f"/calendar/{token}/feed.ics", HTTP_IF_NONE_MATCH=third["ETag"])
    assert again.status_code == 304
