"""The iCalendar feed: parsed back with icalendar and checked field by field (RFC 5545)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar, Event

from sayyes.agenda.ics import calendar_for, interview_event
from sayyes.network.models import Contact
from sayyes.pipeline import services
from sayyes.pipeline.models import Interview

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def add_interview(opp, *, starts_at, tz="Europe/Paris", interviewers=(), **fields) -> Interview:
    ids = [
        Contact.objects.create(owner=opp.owner, name=name, company=opp.company).pk
        for name in interviewers
    ]
    return services.create_interview(
        opp.owner, opp, starts_at=starts_at, timezone=tz, interviewer_ids=ids, **fields
    )


def render(*interviews, **kwargs) -> bytes:
    return calendar_for(list(interviews), **kwargs)


def parse(raw: bytes) -> Calendar:
    return Calendar.from_ical(raw)


def only_event(raw: bytes) -> Event:
    events = parse(raw).events
    assert len(events) == 1
    return events[0]


def by_uid(raw: bytes) -> dict[str, Event]:
    return {str(event["UID"]): event for event in parse(raw).events}


def physical_lines(raw: bytes) -> list[bytes]:
    assert raw.endswith(b"\r\n")
    return raw[: -len(b"\r\n")].split(b"\r\n")


@pytest.fixture
def paris_interview(opp):
    return add_interview(
        opp,
        starts_at=datetime(2026, 6, 15, 14, 30, tzinfo=PARIS),
        kind="technical",
        duration_minutes=90,
        interviewers=["Dana Reyes", "Sam Okafor"],
        video_url="https://meet.example.com/abc-defg-hij",
    )


# --- The calendar ---------------------------------------------------------------------------


def test_calendar_declares_version_prodid_scale_method_and_its_name(paris_interview):
    cal = parse(render(paris_interview, name="Alice’s interviews — été ☀"))

    assert cal["VERSION"] == "2.0"
    assert str(cal["PRODID"]) == "-//sayyes//sayyes interviews//EN"
    assert cal["CALSCALE"] == "GREGORIAN"
    assert cal["METHOD"] == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Alice’s interviews — été ☀"


def test_calendar_without_interviews_is_still_a_valid_calendar(alice):
    raw = calendar_for(Interview.objects.filter(owner=alice))
    cal = parse(raw)

    assert cal["VERSION"] == "2.0"
    assert str(cal["X-WR-CALNAME"]) == "sayyes interviews"
    assert cal.events == []
    assert cal.timezones == []


def test_one_event_per_interview_each_with_its_own_uid(opp, paris_interview):
    other = add_interview(opp, starts_at=datetime(2026, 7, 1, 9, tzinfo=PARIS))

    events = by_uid(render(paris_interview, other))

    assert set(events) == {f"interview-{paris_interview.pk}@sayyes", f"interview-{other.pk}@sayyes"}


def test_uid_is_stable_between_renders_and_after_a_reschedule(alice, paris_interview):
    first = str(only_event(render(paris_interview))["UID"])
    second = str(only_event(render(paris_interview))["UID"])
    services.update_interview(paris_interview, starts_at=datetime(2026, 6, 16, 11, tzinfo=PARIS))
    rescheduled = str(only_event(render(paris_interview))["UID"])

    assert first == second == rescheduled
    # Nothing about the user (or any secret) goes into the identifier.
    assert re.fullmatch(r"interview-\d+@sayyes", first)
    assert alice.username not in first and alice.email not in first


def test_interview_event_is_the_same_vevent_the_feed_carries(paris_interview):
    event = interview_event(paris_interview, base_url="https://jobs.example.org")
    in_feed = only_event(render(paris_interview, base_url="https://jobs.example.org"))

    assert isinstance(event, Event)
    for name in ("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "STATUS"):
        assert str(event[name]) == str(in_feed[name])
    assert event.start == in_feed.start and event.end == in_feed.end


def test_a_queryset_is_rendered_in_a_constant_number_of_queries(opp, django_assert_max_num_queries):
    for day in range(1, 6):
        add_interview(
            opp,
            starts_at=datetime(2026, 9, day, 10, tzinfo=PARIS),
            interviewers=[f"Interviewer {day}"],
        )

    with django_assert_max_num_queries(2):
        raw = calendar_for(Interview.objects.filter(owner=opp.owner))

    assert len(parse(raw).events) == 6  # the fixture's interview and these five


# --- Times and time zones -------------------------------------------------------------------


def test_start_and_end_are_the_stored_instants_written_in_the_interviews_timezone(opp):
    interview = add_interview(
        opp, starts_at=datetime(2026, 6, 15, 5, 30, tzinfo=UTC), tz="Asia/Tokyo",
        duration_minutes=75,
    )  # fmt: skip
    raw = render(interview)
    event = only_event(raw)

    assert event["DTSTART"].dt == interview.starts_at
    assert event["DTEND"].dt == interview.ends_at == interview.starts_at + timedelta(minutes=75)
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event["DTEND"].params["TZID"] == "Asia/Tokyo"
    # The wall-clock time where it was arranged: 05:30 UTC is 14:30 in Tokyo.
    assert b"DTSTART;TZID=Asia/Tokyo:20260615T143000\r\n" in raw
    assert b"DTEND;TZID=Asia/Tokyo:20260615T154500\r\n" in raw


def test_every_tzid_used_has_a_vtimezone_and_utc_needs_none(opp):
    interviews = [
        add_interview(opp, starts_at=datetime(2026, 6, 1, 10, tzinfo=PARIS)),
        add_interview(opp, starts_at=datetime(2026, 6, 2, 10, tzinfo=NEW_YORK),
                      tz="America/New_York"),
        add_interview(opp, starts_at=datetime(2026, 6, 3, 10, tzinfo=TOKYO), tz="Asia/Tokyo"),
        add_interview(opp, starts_at=datetime(2026, 6, 4, 10, tzinfo=UTC), tz="UTC"),
    ]  # fmt: skip
    raw = render(*interviews)
    cal = parse(raw)

    used = {e["DTSTART"].params["TZID"] for e in cal.events if "TZID" in e["DTSTART"].params}
    used |= {e["DTEND"].params["TZID"] for e in cal.events if "TZID" in e["DTEND"].params}
    assert used == {"Europe/Paris", "America/New_York", "Asia/Tokyo"}
    assert sorted(tz.tz_name for tz in cal.timezones) == sorted(used)
    assert cal.get_missing_tzids() == set()
    # The UTC interview is written with the Z suffix, which needs no VTIMEZONE.
    assert b"DTSTART:20260604T100000Z\r\n" in raw


DST_CASES = [
    # Europe/Paris springs forward on 2026-03-29: 10:00 is CEST (+2) after, CET (+1) before.
    ("Europe/Paris", datetime(2026, 3, 29, 10), datetime(2026, 3, 29, 8, tzinfo=UTC)),
    ("Europe/Paris", datetime(2026, 3, 28, 10), datetime(2026, 3, 28, 9, tzinfo=UTC)),
    # America/New_York falls back on 2026-11-01: 10:00 is EST (-5) after, EDT (-4) before.
    ("America/New_York", datetime(2026, 11, 2, 10), datetime(2026, 11, 2, 15, tzinfo=UTC)),
    ("America/New_York", datetime(2026, 10, 31, 10), datetime(2026, 10, 31, 14, tzinfo=UTC)),
]


@pytest.mark.parametrize(("tzid", "wall_clock", "utc"), DST_CASES)
def test_daylight_saving_boundary_parses_back_to_the_right_utc_instant(opp, tzid, wall_clock, utc):
    interview = add_interview(opp, starts_at=wall_clock.replace(tzinfo=ZoneInfo(tzid)), tz=tzid)
    assert interview.starts_at == utc  # stored in UTC

    raw = render(interview)
    event = only_event(raw)

    assert event["DTSTART"].params["TZID"] == tzid
    assert event["DTSTART"].dt.astimezone(UTC) == utc
    assert event["DTSTART"].dt.astimezone(UTC).hour == utc.hour
    assert f"DTSTART;TZID={tzid}:{wall_clock:%Y%m%dT%H%M%S}\r\n".encode() in raw


@pytest.mark.parametrize(("tzid", "wall_clock", "utc"), DST_CASES)
def test_the_generated_vtimezone_alone_gives_the_right_offset(opp, tzid, wall_clock, utc):
    """A client without a time-zone database must get the same instant from our VTIMEZONE."""
    interview = add_interview(opp, starts_at=wall_clock.replace(tzinfo=ZoneInfo(tzid)), tz=tzid)
    cal = parse(render(interview))

    [vtimezone] = cal.timezones
    assert vtimezone.tz_name == tzid
    assert vtimezone.daylight and vtimezone.standard  # the transitions of that year are in it
    own_rules = vtimezone.to_tz(lookup_tzid=False)
    assert wall_clock.replace(tzinfo=own_rules).astimezone(UTC) == utc


def test_vtimezone_covers_every_year_its_events_fall_in(opp):
    early = add_interview(opp, starts_at=datetime(2026, 3, 29, 10, tzinfo=PARIS))
    late = add_interview(opp, starts_at=datetime(2027, 10, 31, 10, tzinfo=PARIS))
    [vtimezone] = parse(render(early, late)).timezones
    own_rules = vtimezone.to_tz(lookup_tzid=False)

    # 2027-10-31 is the autumn change of 2027: 10:00 that day is CET again.
    assert datetime(2027, 10, 31, 10, tzinfo=own_rules).astimezone(UTC).hour == 9
    assert datetime(2027, 10, 30, 10, tzinfo=own_rules).astimezone(UTC).hour == 8
    assert datetime(2026, 3, 29, 10, tzinfo=own_rules).astimezone(UTC).hour == 8


# --- Changes --------------------------------------------------------------------------------


def test_sequence_grows_after_a_reschedule_and_dtstart_moves(paris_interview):
    before = only_event(render(paris_interview))
    new_start = datetime(2026, 6, 16, 11, tzinfo=PARIS)
    services.update_interview(paris_interview, starts_at=new_start)
    paris_interview.refresh_from_db()
    after = only_event(render(paris_interview))

    assert before["SEQUENCE"] == 0
    assert after["SEQUENCE"] == paris_interview.sequence == 1
    assert after["UID"] == before["UID"]
    assert after["DTSTART"].dt == new_start
    assert after["DTEND"].dt == new_start + timedelta(minutes=90)
    assert after["LAST-MODIFIED"].dt >= before["LAST-MODIFIED"].dt


def test_last_modified_created_and_dtstamp_are_utc_times(paris_interview):
    earliest = timezone.now().replace(microsecond=0)
    raw = render(paris_interview)
    latest = timezone.now()
    event = only_event(raw)

    assert event["LAST-MODIFIED"].dt == paris_interview.updated_at.replace(microsecond=0)
    assert event["CREATED"].dt == paris_interview.created_at.replace(microsecond=0)
    assert earliest <= event["DTSTAMP"].dt <= latest
    for name in (b"DTSTAMP", b"LAST-MODIFIED", b"CREATED"):
        [line] = [ln for ln in physical_lines(raw) if ln.startswith(name + b":")]
        assert line.endswith(b"Z")


def test_cancelled_interview_is_cancelled_and_has_no_alarms(paris_interview):
    services.update_interview(paris_interview, status="cancelled")
    paris_interview.refresh_from_db()
    raw = render(paris_interview)
    event = only_event(raw)

    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert event.walk("VALARM") == []
    assert b"BEGIN:VALARM" not in raw


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("invited", "TENTATIVE"),
        ("scheduled", "CONFIRMED"),
        ("done", "CONFIRMED"),
        ("no_show", "CONFIRMED"),  # it happened, in the calendar sense
        ("cancelled", "CANCELLED"),
    ],
)
def test_status_follows_the_interview_status(opp, status, expected):
    interview = add_interview(opp, starts_at=datetime(2026, 6, 1, 10, tzinfo=PARIS), status=status)

    assert only_event(render(interview))["STATUS"] == expected


# --- Alarms ---------------------------------------------------------------------------------


def test_two_display_alarms_24_hours_and_2_hours_before(paris_interview):
    raw = render(paris_interview)
    alarms = only_event(raw).walk("VALARM")

    assert sorted(alarm["TRIGGER"].dt for alarm in alarms) == [
        timedelta(hours=-24),
        timedelta(hours=-2),
    ]
    for alarm in alarms:
        assert alarm["ACTION"] == "DISPLAY"
        assert "Technical interview — Data Engineer at Northwind Analytics" in str(
            alarm["DESCRIPTION"]
        )
    # Exactly 24 hours, not the nominal day (-P1D) that moves with a DST change.
    assert b"TRIGGER:-PT24H\r\n" in raw
    assert b"TRIGGER:-PT2H\r\n" in raw


# --- What the event says --------------------------------------------------------------------


def test_summary_names_round_role_and_company(paris_interview):
    event = only_event(render(paris_interview))

    assert str(event["SUMMARY"]) == "Technical interview — Data Engineer at Northwind Analytics"


def test_location_is_the_place_when_given_and_url_is_the_video_link(opp):
    interview = add_interview(
        opp,
        starts_at=datetime(2026, 6, 1, 10, tzinfo=PARIS),
        location="Northwind HQ, 10 rue de Rivoli; 3rd floor",
        video_url="https://meet.example.com/xyz",
    )
    event = only_event(render(interview))

    assert str(event["LOCATION"]) == "Northwind HQ, 10 rue de Rivoli; 3rd floor"
    assert str(event["URL"]) == "https://meet.example.com/xyz"


def test_location_falls_back_to_the_video_link(opp):
    interview = add_interview(
        opp,
        starts_at=datetime(2026, 6, 1, 10, tzinfo=PARIS),
        video_url="https://meet.example.com/q",
    )
    event = only_event(render(interview))

    assert str(event["LOCATION"]) == "https://meet.example.com/q"
    assert str(event["URL"]) == "https://meet.example.com/q"


def test_no_location_or_url_when_neither_is_known(opp):
    interview = add_interview(opp, starts_at=datetime(2026, 6, 1, 10, tzinfo=PARIS))
    event = only_event(render(interview))

    assert "LOCATION" not in event
    assert "URL" not in event


def test_description_has_role_company_round_interviewers_video_and_prep_link(paris_interview):
    event = only_event(render(paris_interview, base_url="https://jobs.example.org/"))
    lines = str(event["DESCRIPTION"]).split("\n")

    assert "Role: Data Engineer" in lines
    assert "Company: Northwind Analytics" in lines
    assert "Round: Technical" in lines
    assert "Interviewers: Dana Reyes, Sam Okafor" in lines
    assert "Video link: https://meet.example.com/abc-defg-hij" in lines
    assert f"Prepare: https://jobs.example.org/interviews/{paris_interview.pk}/" in lines


def test_description_has_no_prep_link_without_a_base_url(paris_interview):
    description = str(only_event(render(paris_interview))["DESCRIPTION"])

    assert "Prepare:" not in description
    assert "/interviews/" not in description


def test_private_notes_stay_out_of_the_feed(paris_interview):
    services.update_interview(paris_interview, notes="Salary floor 95k, do not tell them")

    assert b"Salary floor" not in render(paris_interview)


# --- Serialization --------------------------------------------------------------------------


def test_output_uses_crlf_line_endings_and_lines_of_at_most_75_octets(opp, paris_interview):
    other = add_interview(
        opp,
        starts_at=datetime(2026, 11, 2, 10, tzinfo=NEW_YORK),
        tz="America/New_York",
        location="A very long address, " * 8,
        interviewers=["Someone With A Remarkably Long Name", "Another Person"],
    )
    raw = render(paris_interview, other, base_url="https://jobs.example.org")
    lines = physical_lines(raw)

    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # something long was folded
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"


def test_long_non_ascii_description_folds_on_character_boundaries_and_round_trips(alice):
    opp = services.create_opportunity(
        alice,
        company_name="Société Générale des Données Éphémères 🚀",
        title="Ingénieure données sénior — équipe « Qualité » 🧪",
    )
    interview = add_interview(
        opp,
        starts_at=datetime(2026, 6, 1, 10, tzinfo=PARIS),
        kind="panel",
        location="Bâtiment Ø, 12 boulevard Haussmann, Paris 9ᵉ 🏢",
        video_url="https://visio.example.fr/réunion/ümlaut",
        interviewers=["Zoë Ångström 😀", "François Müller-Lüdenscheidt", "Željko Łukasiewicz 🎉"],
    )
    expected = str(interview_event(interview)["DESCRIPTION"])
    assert len(expected.encode()) > 300  # long enough to fold several times

    raw = render(interview)
    lines = physical_lines(raw)

    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # no multi-byte character was cut in two by folding
    start = next(i for i, line in enumerate(lines) if line.startswith(b"DESCRIPTION:"))
    assert lines[start + 1].startswith(b" ")  # the description really was folded

    event = only_event(raw)
    assert str(event["DESCRIPTION"]) == expected
    [names] = [ln for ln in expected.split("\n") if ln.startswith("Interviewers: ")]
    assert set(names.removeprefix("Interviewers: ").split(", ")) == {
        "Zoë Ångström 😀",
        "François Müller-Lüdenscheidt",
        "Željko Łukasiewicz 🎉",
    }
    assert str(event["SUMMARY"]) == (
        "Panel interview — Ingénieure données sénior — équipe « Qualité » 🧪"
        " at Société Générale des Données Éphémères 🚀"
    )
    assert str(event["LOCATION"]) == "Bâtiment Ø, 12 boulevard Haussmann, Paris 9ᵉ 🏢"
