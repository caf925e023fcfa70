"""The interviews API: times with offsets, kinds and statuses, interviewers, filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayyes.accounts.models import Profile
from sayyes.network.models import Contact
from sayyes.pipeline import services
from sayyes.pipeline.models import Interview
from tests.conftest import api

FIELDS = {
    "id", "opportunity_id", "kind", "starts_at", "timezone", "duration_minutes", "location",
    "video_url", "status", "interviewer_ids", "notes", "topics",
}  # fmt: skip
HYPOTHESIS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
AT = "2026-12-01T14:00:00+01:00"


def _post(client, token, **body):
    return api(client, "post", "/interviews", token, json=body)


def _snapshot(*users):
    interviews = Interview.objects.filter(owner__in=users).order_by("pk")
    return {
        "interviews": list(interviews.values()),
        "interviewers": [sorted(i.interviewers.values_list("pk", flat=True)) for i in interviews],
    }


def _error_fields(response) -> set[str]:
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    for item in detail:
        assert isinstance(item["loc"], list) and item["msg"]
    return {item["loc"][-1] for item in detail}


def _aware(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None, f"{text} has no offset"
    return value


# --- Create ---------------------------------------------------------------------------------


def test_it_creates_an_interview_with_every_field(client, alice, alice_token, opp):
    dana = opp.company.contacts.get()
    lee = Contact.objects.create(owner=alice, name="Lee Park")

    response = _post(
        client,
        alice_token,
        opportunity_id=opp.pk,
        kind="technical",
        starts_at=AT,
        timezone="Europe/Lisbon",
        duration_minutes=90,
        location="Room 4",
        video_url="https://meet.example/abc",
        status="invited",
        interviewer_ids=[lee.pk, dana.pk],
        notes="Bring a laptop.",
        topics="- their test strategy\nrelease trains.",
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == FIELDS
    assert {k: v for k, v in body.items() if k not in ("id", "starts_at")} == {
        "opportunity_id": opp.pk,
        "kind": "technical",
        "timezone": "Europe/Lisbon",
        "duration_minutes": 90,
        "location": "Room 4",
        "video_url": "https://meet.example/abc",
        "status": "invited",
        "interviewer_ids": sorted([lee.pk, dana.pk]),
        "notes": "Bring a laptop.",
        "topics": "their test strategy\nrelease trains",
    }
    interview = Interview.objects.get(pk=body["id"])
    assert interview.owner == alice
    assert set(interview.interviewers.all()) == {dana, lee}


def test_the_defaults_are_a_scheduled_hour_long_video_call(client, alice_token, opp):
    body = _post(client, alice_token, opportunity_id=opp.pk, starts_at=AT).json()

    assert (body["kind"], body["status"], body["duration_minutes"]) == ("video", "scheduled", 60)
    assert body["interviewer_ids"] == [] and body["video_url"] == ""


def test_the_time_zone_defaults_to_the_users_setting(client, alice, alice_token, opp):
    Profile.objects.filter(user=alice).update(timezone="America/Chicago")

    body = _post(client, alice_token, opportunity_id=opp.pk, starts_at=AT).json()

    assert body["timezone"] == "America/Chicago"


def test_starts_at_with_an_offset_is_the_same_instant(client, alice_token, opp):
    created = _post(client, alice_token, opportunity_id=opp.pk, starts_at=AT).json()

    read = api(client, "get", f"/interviews/{created['id']}", alice_token).json()

    assert _aware(read["starts_at"]) == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    assert _aware(created["starts_at"]) == _aware(read["starts_at"])
    assert Interview.objects.get(pk=created["id"]).starts_at == datetime(
        2026, 12, 1, 13, 0, tzinfo=UTC
    )


def test_starts_at_keeps_its_microseconds(client, alice_token, opp):
    body = _post(
        client, alice_token, opportunity_id=opp.pk, starts_at="2026-12-01T14:00:00.123456+01:00"
    ).json()

    assert _aware(body["starts_at"]) == datetime(2026, 12, 1, 13, 0, 0, 123456, tzinfo=UTC)


@given(
    moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31)),
    offset_minutes=st.integers(-(23 * 60 + 59), 23 * 60 + 59),
)
@HYPOTHESIS
def test_starts_at_with_any_offset_round_trips_to_the_same_instant(
    client, alice_token, opp, moment, offset_minutes
):
    starts_at = moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))

    created = _post(client, alice_token, opportunity_id=opp.pk, starts_at=starts_at.isoformat())
    assert created.status_code == 201, created.content
    read = api(client, "get", f"/interviews/{created.json()['id']}", alice_token).json()

    assert _aware(read["starts_at"]) == starts_at
    assert Interview.objects.get(pk=read["id"]).starts_at == starts_at


@pytest.mark.parametrize(
    "starts_at",
    ["2026-12-01T14:00:00", "2026-12-01", "2026-12-01T14:00"],
)
def test_a_time_without_an_offset_is_422_naming_starts_at(
    client, alice, alice_token, opp, starts_at
):
    before = _snapshot(alice)

    response = _post(client, alice_token, opportunity_id=opp.pk, starts_at=starts_at)

    assert _error_fields(response) == {"starts_at"}
    assert _snapshot(alice) == before


@pytest.mark.parametrize(
    "starts_at",
    [
        "2026-13-01T14:00:00+01:00",
        "2026-02-30T14:00:00+01:00",
        "2026-12-01T25:00:00+01:00",
        "2026-12-01T14:00:00+24:00",
        "tomorrow at two",
        "",
        None,
        "9999-12-31T23:00:00-05:00",  # past year 9999 in UTC
        "0001-01-01T00:30:00+01:00",  # before year 1 in UTC
    ],
)
def test_a_malformed_or_impossible_time_is_422_and_writes_nothing(
    client, alice, alice_token, opp, starts_at
):
    before = _snapshot(alice)

    response = _post(client, alice_token, opportunity_id=opp.pk, starts_at=starts_at)

    assert _error_fields(response) == {"starts_at"}
    assert _snapshot(alice) == before


@pytest.mark.parametrize(
    "body,field",
    [
        ({"kind": "interrogation"}, "kind"),
        ({"kind": "Video"}, "kind"),
        ({"status": "postponed"}, "status"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"video_url": "meet me"}, "video_url"),
        ({"location": "x" * 301}, "location"),
        ({"notes": "a\x00b"}, "notes"),
        ({"interviewer_ids": [2**64]}, 0),
        ({"interviewer_ids": "1,2"}, "interviewer_ids"),
        ({"opportunity_id": 2**64}, "opportunity_id"),
        ({"opportunity_id": 999_999}, "opportunity_id"),
    ],
)
def test_a_bad_interview_is_422_and_writes_nothing(client, alice, alice_token, opp, body, field):
    before = _snapshot(alice)

    response = _post(client, alice_token, **({"opportunity_id": opp.pk, "starts_at": AT} | body))

    assert _error_fields(response) == {field}
    assert _snapshot(alice) == before


def test_an_interviewer_must_be_one_of_your_own_contacts(client, alice, opp, bob, bob_token):
    alices_contact = opp.company.contacts.get()
    bobs_opp = services.create_opportunity(bob, company_name="Bakery", title="Baker")
    bobs_contact = Contact.objects.create(owner=bob, name="Bob's friend")
    before = _snapshot(alice, bob)

    response = _post(
        client,
        bob_token,
        opportunity_id=bobs_opp.pk,
        starts_at=AT,
        interviewer_ids=[bobs_contact.pk, alices_contact.pk],
    )

    assert _error_fields(response) == {"interviewer_ids"}
    assert "Dana" not in response.content.decode()
    assert _snapshot(alice, bob) == before
    assert not alices_contact.interviews.exclude(owner=alice).exists()


def test_the_same_interviewer_twice_is_listed_once(client, alice_token, opp):
    dana = opp.company.contacts.get()

    body = _post(
        client, alice_token, opportunity_id=opp.pk, starts_at=AT, interviewer_ids=[dana.pk, dana.pk]
    ).json()

    assert body["interviewer_ids"] == [dana.pk]


# --- List -------------------------------------------------------------------------------------


@pytest.fixture
def calendar(alice, opp):
    """alice's interviews: the fixture's own (in two days) plus three more on two openings."""
    soon = opp.interviews.get()
    other = services.create_opportunity(alice, company_name="Contoso", title="Analyst")
    make = services.create_interview
    return {
        "opp": opp,
        "soon": soon,
        "other": other,
        "early": make(alice, opp, starts_at=datetime(2026, 1, 10, 9, tzinfo=UTC), status="done"),
        "middle": make(alice, other, starts_at=datetime(2026, 1, 20, 9, tzinfo=UTC)),
        "late": make(
            alice, other, starts_at=datetime(2026, 1, 30, 9, tzinfo=UTC), status="cancelled"
        ),
    }


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return [i["id"] for i in body["items"]]


def test_the_list_is_in_time_order_with_a_count(client, alice_token, calendar):
    response = api(client, "get", "/interviews", alice_token)

    assert _ids(response) == [
        calendar["early"].pk,
        calendar["middle"].pk,
        calendar["late"].pk,
        calendar["soon"].pk,
    ]
    assert all(set(i) == FIELDS for i in response.json()["items"])


def test_the_list_filters_by_opportunity(client, alice_token, calendar):
    response = api(client, "get", f"/interviews?opportunity_id={calendar['other'].pk}", alice_token)

    assert _ids(response) == [calendar["middle"].pk, calendar["late"].pk]


def test_the_list_filters_by_status(client, alice_token, calendar):
    response = api(client, "get", "/interviews?status=cancelled", alice_token)

    assert _ids(response) == [calendar["late"].pk]


def test_after_is_inclusive_and_before_is_exclusive(client, alice_token, calendar):
    # 10:00+01:00 is exactly the middle interview's 09:00 UTC.
    response = api(
        client,
        "get",
        "/interviews",
        alice_token,
        data={
            "after": "2026-01-20T10:00:00+01:00",
            "before": "2026-01-30T09:00:00Z",
        },
    )

    assert _ids(response) == [calendar["middle"].pk]


def test_filters_combine(client, alice_token, calendar):
    response = api(
        client,
        "get",
        "/interviews",
        alice_token,
        data={
            "opportunity_id": calendar["other"].pk,
            "after": "2026-01-01T00:00:00Z",
            "status": "scheduled",
        },
    )

    assert _ids(response) == [calendar["middle"].pk]


def test_the_list_pages_with_limit_and_offset(client, alice_token, calendar):
    body = api(client, "get", "/interviews?limit=2&offset=1", alice_token).json()

    assert body["count"] == 4
    assert [i["id"] for i in body["items"]] == [calendar["middle"].pk, calendar["late"].pk]


@pytest.mark.parametrize(
    "query,field",
    [
        ("status=postponed", "status"),
        ("after=2026-01-20T10:00:00", "after"),
        ("before=last-week", "before"),
        ("after=9999-12-31T23:00:00-05:00", "after"),
        ("opportunity_id=100000000000000000000000", "opportunity_id"),
        ("limit=0", "limit"),
    ],
)
def test_a_bad_list_query_is_422_naming_the_parameter(client, alice_token, calendar, query, field):
    response = api(client, "get", f"/interviews?{query}", alice_token)

    assert _error_fields(response) == {field}


# --- Read, change, delete -------------------------------------------------------------------


def test_it_reads_one_interview(client, alice_token, interview):
    response = api(client, "get", f"/interviews/{interview.pk}", alice_token)

    body = response.json()
    assert response.status_code == 200
    assert (body["id"], body["timezone"], body["duration_minutes"]) == (
        interview.pk,
        "Europe/Paris",
        45,
    )
    assert _aware(body["starts_at"]) == interview.starts_at
    assert body["interviewer_ids"] == [interview.interviewers.get().pk]


def test_patch_changes_only_the_fields_sent(client, alice_token, interview):
    before = api(client, "get", f"/interviews/{interview.pk}", alice_token).json()

    response = api(
        client,
        "patch",
        f"/interviews/{interview.pk}",
        alice_token,
        json={"status": "done", "notes": "Went well."},
    )

    assert response.status_code == 200
    assert response.json() == before | {"status": "done", "notes": "Went well."}
    assert api(client, "get", f"/interviews/{interview.pk}", alice_token).json() == (
        response.json()
    )


def test_patch_moves_the_start_to_the_same_instant(client, alice_token, interview):
    response = api(
        client,
        "patch",
        f"/interviews/{interview.pk}",
        alice_token,
        json={"starts_at": "2027-03-05T09:30:00-08:00"},
    )

    assert _aware(response.json()["starts_at"]) == datetime(2027, 3, 5, 17, 30, tzinfo=UTC)
    interview.refresh_from_db()
    assert interview.starts_at == datetime(2027, 3, 5, 17, 30, tzinfo=UTC)


def test_patch_replaces_and_clears_the_interviewers(client, alice, alice_token, interview):
    lee = Contact.objects.create(owner=alice, name="Lee Park")

    replaced = api(
        client,
        "patch",
        f"/interviews/{interview.pk}",
        alice_token,
        json={"interviewer_ids": [lee.pk]},
    ).json()
    cleared = api(
        client, "patch", f"/interviews/{interview.pk}", alice_token, json={"interviewer_ids": []}
    ).json()

    assert replaced["interviewer_ids"] == [lee.pk]
    assert cleared["interviewer_ids"] == []
    assert not interview.interviewers.exists()


def test_patch_can_move_it_to_another_of_your_opportunities(client, alice, alice_token, interview):
    other = services.create_opportunity(alice, company_name="Contoso", title="Analyst")

    response = api(
        client,
        "patch",
        f"/interviews/{interview.pk}",
        alice_token,
        json={"opportunity_id": other.pk},
    )

    assert response.json()["opportunity_id"] == other.pk
    assert Interview.objects.get(pk=interview.pk).opportunity == other


@pytest.mark.parametrize(
    "body,field",
    [
        ({"starts_at": None}, "starts_at"),
        ({"starts_at": "2026-12-01T14:00:00"}, "starts_at"),
        ({"starts_at": "not a time"}, "starts_at"),
        ({"kind": "interrogation"}, "kind"),
        ({"status": "postponed"}, "status"),
        ({"timezone": "Nowhere/Special"}, "timezone"),
        ({"opportunity_id": 999_999}, "opportunity_id"),
        ({"interviewer_ids": [999_999]}, "interviewer_ids"),
        ({"duration_minutes": -5}, "duration_minutes"),
    ],
)
def test_a_bad_patch_is_422_and_changes_nothing(client, alice, alice_token, interview, body, field):
    before = _snapshot(alice)

    response = api(
        client,
        "patch",
        f"/interviews/{interview.pk}",
        alice_token,
        json=body | {"notes": "should not be saved"},
    )

    assert _error_fields(response) == {field}
    assert _snapshot(alice) == before


def test_patch_cannot_name_bobs_contact_as_interviewer(client, alice, alice_token, interview, bob):
    bobs_contact = Contact.objects.create(owner=bob, name="Bob's friend")
    before = _snapshot(alice)

    response = api(
        client,
        "patch",
        f"/interviews/{interview.pk}",
        alice_token,
        json={"interviewer_ids": [bobs_contact.pk]},
    )

    assert _error_fields(response) == {"interviewer_ids"}
    assert _snapshot(alice) == before
    assert not bobs_contact.interviews.exists()


def test_delete_removes_it_and_then_it_is_404(client, alice_token, interview, opp):
    contact = interview.interviewers.get()

    response = api(client, "delete", f"/interviews/{interview.pk}", alice_token)

    assert response.status_code == 204
    assert not Interview.objects.filter(pk=interview.pk).exists()
    assert api(client, "get", f"/interviews/{interview.pk}", alice_token).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()  # the person stays a contact
    assert opp.interviews.count() == 0
