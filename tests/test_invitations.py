"""Invitations into interviews: calendar files from Google, Outlook/Teams, Zoom and a
scheduling tool, e-mails, pasted text; reschedules, cancellations and every bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sayyes.invitations import services
from sayyes.invitations.models import Invitation
from sayyes.invitations.reader import InvitationError, propose_times, read_ics
from sayyes.network.models import Contact
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import Company, Interview, Opportunity

FIXTURES = Path(__file__).parent / "fixtures" / "invitations"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def counts(user) -> tuple[int, int, int, int, int]:
    return (
        Interview.objects.owned_by(user).count(),
        Opportunity.objects.owned_by(user).count(),
        Company.objects.owned_by(user).count(),
        Contact.objects.owned_by(user).count(),
        Invitation.objects.owned_by(user).count(),
    )


@pytest.fixture
def own_gmail(alice):
    services.set_own_addresses(alice, "alice.martin@gmail.com")
    return alice


def test_a_google_invitation_becomes_an_invited_interview_with_its_people(own_gmail):
    result = services.import_invitation(own_gmail, fixture("google.ics"))

    assert [o.action for o in result.outcomes] == ["created"]
    interview = result.first
    assert interview.status == "invited"
    assert interview.kind == "technical"
    assert interview.starts_at == datetime(2031, 3, 17, 13, 0, tzinfo=UTC)  # 14:00 in Berlin
    assert interview.timezone == "Europe/Berlin"
    assert interview.duration_minutes == 45
    assert interview.video_url == "https://meet.google.com/qrs-tuvw-xyz"
    opp = interview.opportunity
    assert (opp.company.name, opp.title, opp.status) == (
        "Lindqvist Labs",
        "Platform Engineer",
        "interviewing",
    )
    # The organizer is the recruiter; the user's own gmail and the room are skipped.
    assert [c.name for c in interview.interviewers.all()] == ["Jonas Berg"]
    recruiter = Contact.objects.get(email="mira.okafor@lindqvist-labs.example")
    assert recruiter.company == opp.company
    assert recruiter.tags == ["recruiter"] and recruiter.how_met == "interview"
    assert not Contact.objects.filter(email__contains="resource.calendar").exists()
    assert not Contact.objects.filter(email="alice.martin@gmail.com").exists()
    matched = result.outcomes[0].matched.as_dict()
    assert matched["company"]["how"] == "new"
    assert matched["recruiter"]["name"] == "Mira Okafor"


def test_a_reschedule_updates_the_same_interview_and_keeps_its_notes(own_gmail):
    first = services.import_invitation(own_gmail, fixture("google.ics")).first
    pipeline.update_interview(first, notes="Ask about on-call.", status="scheduled")
    before = counts(own_gmail)

    result = services.import_invitation(own_gmail, fixture("google_reschedule.ics"))

    assert result.outcomes[0].action == "updated"
    assert not result.created
    interview = Interview.objects.get(pk=first.pk)
    assert interview.starts_at == datetime(2031, 3, 18, 9, 0, tzinfo=UTC)
    assert interview.duration_minutes == 60
    assert interview.video_url == "https://meet.google.com/abc-defg-hij"
    assert interview.notes == "Ask about on-call."
    assert interview.status == "scheduled"
    assert interview.sequence > first.sequence  # the calendar feed follows
    assert counts(own_gmail) == before  # no duplicate anything
    assert Invitation.objects.get(interview=interview).sequence == 2


def test_a_reschedule_with_a_new_guest_replaces_the_interviewers(own_gmail):
    first = services.import_invitation(own_gmail, fixture("google.ics")).first
    assert [c.name for c in first.interviewers.all()] == ["Jonas Berg"]
    guest = (
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Ines Duarte:"
        "mailto:ines.duarte@lindqvist-labs.example\r\n"
    )
    moved = fixture("google_reschedule.ics").replace(
        b"X-GOOGLE-CONFERENCE", guest.encode() + b"X-GOOGLE-CONFERENCE", 1
    )

    result = services.import_invitation(own_gmail, moved)

    assert result.outcomes[0].action == "updated"
    interview = Interview.objects.get(pk=first.pk)
    assert sorted(c.name for c in interview.interviewers.all()) == ["Ines Duarte", "Jonas Berg"]
    new_guest = Contact.objects.get(email="ines.duarte@lindqvist-labs.example")
    assert new_guest.company == interview.opportunity.company


def test_the_profile_address_is_never_an_interviewer(alice):
    # alice's profile e-mail is her only own address here; she is a guest of the event.
    ics = fixture("google.ics").replace(b"alice.martin@gmail.com", alice.email.encode())

    interview = services.import_invitation(alice, ics).first

    assert [c.name for c in interview.interviewers.all()] == ["Jonas Berg"]
    assert not Contact.objects.owned_by(alice).filter(email=alice.email).exists()


def test_a_cancelled_status_without_a_cancel_method_cancels_too(own_gmail):
    interview = services.import_invitation(own_gmail, fixture("google.ics")).first
    status_only = fixture("google_cancel.ics").replace(b"METHOD:CANCEL", b"METHOD:REQUEST")

    result = services.import_invitation(own_gmail, status_only)

    assert result.outcomes[0].action == "cancelled"
    interview.refresh_from_db()
    assert interview.status == "cancelled"


def test_an_older_sequence_is_ignored_and_says_so(own_gmail):
    services.import_invitation(own_gmail, fixture("google_reschedule.ics"))

    result = services.import_invitation(own_gmail, fixture("google.ics"))

    assert result.outcomes[0].action == "ignored"
    assert "older" in result.summary()
    assert result.first.starts_at == datetime(2031, 3, 18, 9, 0, tzinfo=UTC)


def test_a_cancellation_cancels_it_and_the_calendar_feed_says_so(own_gmail):
    from sayyes.agenda.ics import interview_event

    interview = services.import_invitation(own_gmail, fixture("google.ics")).first

    result = services.import_invitation(own_gmail, fixture("google_cancel.ics"))

    assert result.outcomes[0].action == "cancelled"
    interview.refresh_from_db()
    assert interview.status == "cancelled"
    feed = interview_event(interview).to_ical().decode()
    assert "STATUS:CANCELLED" in feed
    again = services.import_invitation(own_gmail, fixture("google_cancel.ics"))
    assert again.outcomes[0].action == "unchanged"


def test_a_cancellation_of_an_unknown_interview_is_refused(alice):
    with pytest.raises(InvitationError, match="nothing to cancel"):
        services.import_invitation(alice, fixture("google_cancel.ics"))
    assert counts(alice) == (0, 0, 0, 0, 0)


def test_outlook_windows_zone_names_give_the_same_instant(alice):
    result = services.import_invitation(alice, fixture("outlook_teams.ics"))

    interview = result.first
    # 10:00 "Eastern Standard Time" in January is 15:00 UTC.
    assert interview.starts_at == datetime(2031, 1, 15, 15, 0, tzinfo=UTC)
    assert interview.timezone == "America/New_York"
    assert interview.duration_minutes == 90
    assert interview.kind == "panel"
    assert interview.video_url.startswith("https://teams.microsoft.com/l/meetup-join/19%3ameeting_")
    assert interview.location == ""  # "Microsoft Teams Meeting" is not a place
    assert sorted(c.name for c in interview.interviewers.all()) == ["Grace Liu", "Tom Whitfield"]
    assert not Contact.objects.filter(name__icontains="Conf Room").exists()
    assert interview.opportunity.title == "Clinical Data Analyst"
    assert interview.opportunity.company.name == "Harborview Health"


def test_a_zoom_invitation_finds_its_link_and_the_company_in_the_summary(alice):
    company = pipeline.create_company(alice, name="Copperline")
    opp = pipeline.create_opportunity(alice, company=company, title="Solutions Architect")

    result = services.import_invitation(alice, fixture("zoom.ics"))

    interview = result.first
    assert interview.opportunity == opp
    assert interview.kind == "phone_screen"
    assert interview.video_url == "https://us06web.zoom.us/j/88812345678?pwd=QWERTYabc123.1"
    assert interview.starts_at == datetime(2031, 4, 22, 16, 30, tzinfo=UTC)
    # Nobody else is invited: the organizer is the interviewer.
    assert [c.name for c in interview.interviewers.all()] == ["Rosa Delgado"]
    matched = result.outcomes[0].matched.as_dict()
    assert matched["company"]["how"] == "its name in the summary"
    assert matched["opportunity"]["how"] == "its title in the summary"


def test_the_organizers_domain_finds_the_company_first(alice):
    company = pipeline.create_company(
        alice, name="BK Labs", website="https://www.brightkite.example"
    )
    opp = pipeline.create_opportunity(alice, company=company, title="Support Lead")
    alice.profile.timezone = "America/Chicago"
    alice.profile.save()

    result = services.import_invitation(alice, fixture("scheduler.ics"))

    interview = result.first
    assert interview.opportunity == opp
    assert result.outcomes[0].matched.company_how == "the organizer's domain brightkite.example"
    assert interview.video_url == "https://brightkite.webex.com/meet/sam.osei"
    assert interview.duration_minutes == 30
    assert interview.timezone == "America/Chicago"  # a UTC time: shown in the user's zone
    assert interview.kind == "phone_screen"


def test_several_matching_companies_ask_the_user_to_pick_and_write_nothing(alice):
    for name in ("Brightkite", "Brightkite Europe"):
        company = pipeline.create_company(alice, name=name)
        Contact.objects.create(owner=alice, name=f"Someone at {name}", company=company,
                               email=f"hr.{len(name)}@brightkite.example")  # fmt: skip
    before = counts(alice)

    with pytest.raises(services.NeedsChoice) as raised:
        services.import_invitation(alice, fixture("scheduler.ics"))

    assert raised.value.what == "company"
    assert [name for _, name in raised.value.choices] == ["Brightkite", "Brightkite Europe"]
    assert counts(alice) == before
    chosen = raised.value.choices[1][0]
    result = services.import_invitation(alice, fixture("scheduler.ics"), company_id=chosen)
    assert result.first.opportunity.company_id == chosen


def test_several_open_opportunities_ask_which_one(alice):
    company = pipeline.create_company(alice, name="Copperline")
    for title in ("Sales Engineer", "Account Manager"):
        pipeline.create_opportunity(alice, company=company, title=title)
    with pytest.raises(services.NeedsChoice) as raised:
        services.import_invitation(alice, fixture("zoom.ics"))
    assert raised.value.what == "opportunity"
    assert len(raised.value.choices) == 2


def test_several_events_in_one_file_are_each_imported(alice):
    result = services.import_invitation(alice, fixture("several.ics"))

    assert [o.action for o in result.outcomes] == ["created", "created"]
    first, second = (o.interview for o in result.outcomes)
    assert first.opportunity == second.opportunity
    assert first.opportunity.title == "Backend Engineer"
    assert (first.kind, second.kind) == ("technical", "behavioral")


def test_an_eml_with_the_invitation_attached(alice):
    result = services.import_invitation(alice, fixture("eml_attached.eml"))

    assert result.first.video_url.startswith("https://us06web.zoom.us/j/88812345678")
    assert Invitation.objects.get(interview=result.first).source == "email"


def test_an_eml_with_the_invitation_inline(alice):
    result = services.import_invitation(alice, fixture("eml_inline.eml"))

    assert result.first.starts_at == datetime(2031, 1, 15, 15, 0, tzinfo=UTC)
    assert result.first.kind == "panel"


def test_pasted_text_proposes_times_in_the_zone_it_names_and_writes_nothing(alice):
    result = services.import_invitation(alice, fixture("pasted.txt"), source="text")

    assert result.outcomes == []
    assert counts(alice) == (0, 0, 0, 0, 0)
    proposals = result.proposals
    assert proposals.zone == "America/New_York"
    assert proposals.zone_from == "the e-mail"
    assert [p.starts_at.astimezone(UTC) for p in proposals.times] == [
        datetime(2031, 1, 14, 19, 0, tzinfo=UTC),
        datetime(2031, 1, 15, 15, 30, tzinfo=UTC),
    ]


def test_a_confirmed_proposal_makes_the_interview(alice):
    text = fixture("pasted.txt").decode()
    chosen = propose_times(text, "UTC", datetime.now(UTC)).times[1].starts_at

    outcome = services.confirm_proposal(alice, text, chosen, duration_minutes=45)

    interview = outcome.interview
    assert interview.starts_at == chosen
    assert interview.timezone == "America/New_York"
    assert interview.status == "invited"
    assert interview.opportunity.company.name == "Fernbrook"
    assert interview.opportunity.title == "Product Analyst"
    assert Contact.objects.filter(email="hannah.cole@fernbrook.example").exists()


def test_text_without_a_zone_uses_the_users_zone(alice):
    alice.profile.timezone = "Europe/Paris"
    alice.profile.save()
    text = b"Hi Alice, can you talk on Monday 3 March 2031 at 9:00? Thanks, Sam"

    proposals = services.import_invitation(alice, text, source="text").proposals

    assert proposals.zone == "Europe/Paris"
    assert proposals.zone_from == "your settings"
    assert [p.starts_at.astimezone(UTC).hour for p in proposals.times] == [8]


# --- Bad input: a clear error, nothing written ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.ics", r"line 7: DTSTART: can't read '2031-03-17 14:00' as a time"),
        ("no_event.ics", "holds no event"),
    ],
)
def test_a_bad_calendar_file_is_refused_naming_the_problem(alice, name, message):
    with pytest.raises(InvitationError, match=message):
        services.import_invitation(alice, fixture(name))
    assert counts(alice) == (0, 0, 0, 0, 0)


def test_a_broken_line_is_named():
    data = fixture("google.ics").replace(b"SUMMARY:", b"SUMMARY ")
    with pytest.raises(InvitationError, match=r"^line 45: 'SUMMARY Lindqvist"):
        read_ics(data)


def test_an_unclosed_event_is_named():
    data = fixture("zoom.ics").replace(b"END:VEVENT\r\n", b"")
    with pytest.raises(InvitationError, match=r"END:VCALENDAR where END:VEVENT was expected"):
        read_ics(data)


def test_an_event_that_ends_before_it_starts_is_refused():
    data = fixture("zoom.ics").replace(b"T100000", b"T080000")
    with pytest.raises(InvitationError, match="line 29: DTEND"):
        read_ics(data)


def test_a_whole_day_event_is_refused():
    data = fixture("scheduler.ics").replace(
        b"DTSTART:20310512T150000Z", b"DTSTART;VALUE=DATE:20310512"
    )
    with pytest.raises(InvitationError, match="whole day"):
        read_ics(data)


def test_a_file_over_2_mb_is_refused(alice):
    data = fixture("zoom.ics") + b"X-PADDING:" + b"x" * (2 * 1024 * 1024)
    with pytest.raises(InvitationError, match="at most 2 MB"):
        services.import_invitation(alice, data)
    assert counts(alice) == (0, 0, 0, 0, 0)


def test_a_past_event_offers_to_log_it_as_done(alice):
    with pytest.raises(services.PastEvent, match="in the past; log it as done"):
        services.import_invitation(alice, fixture("past.ics"))
    assert counts(alice) == (0, 0, 0, 0, 0)

    result = services.import_invitation(alice, fixture("past.ics"), past="done")

    assert result.first.status == "done"
    # Done: the interviewer gets a thank-you follow-up, as for any interview marked done.
    assert result.first.followups.filter(kind="thank_you").count() == 1


def test_one_bad_event_in_a_file_writes_nothing_of_the_others(alice):
    data = fixture("several.ics").replace(b"DTEND:20310610T153000Z", b"DTEND:20310610T143000Z")
    with pytest.raises(InvitationError, match="DTEND"):
        services.import_invitation(alice, data)
    assert counts(alice) == (0, 0, 0, 0, 0)


def test_a_guests_reply_is_not_an_invitation(alice):
    reply = fixture("google.ics").replace(b"METHOD:REQUEST", b"METHOD:REPLY")
    with pytest.raises(InvitationError, match=r"METHOD:REPLY\), not an invitation"):
        services.import_invitation(alice, reply)
    assert counts(alice) == (0, 0, 0, 0, 0)


def test_a_calendar_saved_as_utf_16_is_read(alice):
    data = fixture("outlook_teams.ics").decode().encode("utf-16")
    result = services.import_invitation(alice, data)
    assert result.first.starts_at == datetime(2031, 1, 15, 15, 0, tzinfo=UTC)


def test_an_empty_paste_is_refused(alice):
    with pytest.raises(InvitationError, match="empty"):
        services.import_invitation(alice, b"  \n ")


# --- Cross-user isolation ---------------------------------------------------------------------


def test_the_same_invitation_for_two_users_makes_two_separate_interviews(alice, bob):
    mine = services.import_invitation(alice, fixture("zoom.ics")).first
    theirs = services.import_invitation(bob, fixture("zoom.ics")).first
    services.import_invitation(bob, fixture("zoom.ics").replace(b"T093000", b"T113000")
                               .replace(b"T100000", b"T120000").replace(b"DTSTAMP", b"SEQUENCE:1\r\nDTSTAMP"))  # fmt: skip

    assert mine.pk != theirs.pk
    assert theirs.owner == bob and theirs.opportunity.owner == bob
    assert Interview.objects.get(pk=mine.pk).starts_at == datetime(2031, 4, 22, 16, 30, tzinfo=UTC)
    assert Interview.objects.get(pk=theirs.pk).starts_at == datetime(
        2031, 4, 22, 18, 30, tzinfo=UTC
    )


def test_another_users_company_cant_be_picked(alice, bob):
    from sayyes.core.errors import NotFound

    company = pipeline.create_company(bob, name="Copperline")
    with pytest.raises(NotFound):
        services.import_invitation(alice, fixture("zoom.ics"), company_id=company.pk)
    assert counts(alice) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Tuesday 14 January 2031 at 2pm Pacific Time works", "America/Los_Angeles"),
        ("Tuesday 14 January 2031 at 14:00 CET", "Europe/Paris"),
        ("Tuesday 14 January 2031 at 10:00 (Eastern Standard Time)", "America/New_York"),
        ("Tuesday 14 January 2031 at 10:00, Europe/Lisbon time", "Europe/Lisbon"),
        ("Tuesday 14 January 2031 at 9am PT", "America/Los_Angeles"),
        # Words that only look like zones: the user's zone.
        ("Let me estimate: Tuesday 14 January 2031 at 2pm, et cetera", "Asia/Tokyo"),
        ("Mardi 14 janvier 2031 à 14h, c'est noté", "Asia/Tokyo"),
    ],
)
def test_the_zone_an_email_names_is_found_and_only_that(text, zone):
    proposals = propose_times(text, "Asia/Tokyo", datetime(2030, 1, 1, tzinfo=UTC))
    assert proposals.zone == zone


@pytest.mark.parametrize(
    ("summary", "role", "kind", "company"),
    [
        ("Interview with Acme - Jane Doe (Data Engineer)", "Data Engineer", "other", ""),
        ("Acme | Onsite Interview | Data Engineer", "Data Engineer", "onsite", ""),
        ("Technical Interview: Senior Backend Engineer (Python)", "Senior Backend Engineer",
         "technical", ""),
        ("Invitation: Data Engineer phone screen @ Tue 14 Jan 2031 2pm - 2:30pm (EST) "
         "(alice@example.com)", "Data Engineer", "phone_screen", ""),
        ("Updated invitation: Product Designer interview at Acme Corp", "Product Designer",
         "other", "Acme Corp"),
    ],
)  # fmt: skip
def test_summaries_in_the_shapes_calendars_write(summary, role, kind, company):
    from sayyes.invitations.reader import Event, Person

    event = Event(uid="x", sequence=0, cancelled=False, summary=summary,
                  starts_at=datetime(2031, 1, 1, tzinfo=UTC), timezone="", duration_minutes=30)  # fmt: skip
    people = [Person("Jane Doe", "jane@acme.example")]
    assert services.role_from(summary, company or "Acme", people) == role
    assert services.kind_from(summary, has_video=False) == kind
    assert services.company_name_from(event, "") == company


def test_times_are_proposed_only_in_the_future():
    text = "Could you do Monday 3 March 2031 at 9:00 or Tuesday 4 March 2020 at 10am?"
    now = datetime(2030, 1, 1, tzinfo=UTC)
    proposals = propose_times(text, "UTC", now)
    assert [p.starts_at for p in proposals.times] == [
        datetime(2031, 3, 3, 9, 0, tzinfo=proposals.times[0].starts_at.tzinfo)
    ]
    assert timedelta(0) < proposals.times[0].starts_at - now


# --- Whatever arrives, the reader answers or refuses; it never crashes ------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ZOOM_LINES = fixture("zoom.ics").decode().split("\r\n")


@given(
    st.lists(st.tuples(st.integers(0, len(ZOOM_LINES) - 1), st.text(max_size=40)), max_size=4),
    st.sampled_from(["sniff", "ics", "eml"]),
)
def test_a_mangled_invitation_is_read_or_refused_never_a_crash(edits, how):
    from sayyes.invitations.reader import read_eml, sniff

    lines = list(ZOOM_LINES)
    for index, text in edits:
        lines[index] = text
    data = "\r\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        if how == "sniff":
            assert sniff(data) in ("ics", "eml", "text")
        elif how == "ics":
            for event in read_ics(data, "Europe/Paris"):
                assert event.starts_at.tzinfo is not None and 0 < event.duration_minutes <= 1440
        else:
            read_eml(b"Subject: x\r\nFrom: a@b.example\r\n\r\n" + data)
    except InvitationError as exc:
        assert str(exc) and "\n" not in str(exc)


@given(st.text(max_size=300))
def test_any_pasted_text_gives_proposals_in_the_future_or_none(text):
    proposals = propose_times(text, "America/Chicago", datetime(2030, 6, 1, tzinfo=UTC))
    assert all(p.starts_at > datetime(2030, 6, 1, tzinfo=UTC) for p in proposals.times)
