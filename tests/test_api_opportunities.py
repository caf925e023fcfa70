"""The opportunities API: create, search, page, change, status history and delete."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayyes.pipeline import services
from sayyes.pipeline.models import Company, Opportunity, StatusEvent
from tests.conftest import api

FIELDS = {
    "id", "company_id", "company", "title", "status", "posting_url", "posting_text", "source",
    "location", "remote", "salary_min", "salary_max", "salary_currency", "priority", "notes",
    "created_at", "updated_at",
}  # fmt: skip
HYPOTHESIS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _post(client, token, **body):
    return api(client, "post", "/opportunities", token, json=body)


def _snapshot(*users):
    return {
        "opportunities": list(Opportunity.objects.filter(owner__in=users).order_by("pk").values()),
        "companies": list(Company.objects.filter(owner__in=users).order_by("pk").values()),
        "events": list(
            StatusEvent.objects.filter(opportunity__owner__in=users).order_by("pk").values()
        ),
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
    assert value.tzinfo is not None, text
    return value


# --- Create ---------------------------------------------------------------------------------


def test_it_creates_an_opportunity_with_every_field(client, alice, alice_token):
    response = _post(
        client,
        alice_token,
        company_name="Contoso",
        title="  Platform Engineer ",
        status="applied",
        posting_url="https://jobs.example/42",
        posting_text="Go and SQL.",
        source="LinkedIn",
        location="Lisbon",
        remote="hybrid",
        salary_min=50_000,
        salary_max=70_000,
        salary_currency="eur",
        priority=3,
        notes="Ask about on-call.",
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == FIELDS
    company = Company.objects.get(owner=alice, name="Contoso")
    assert {k: v for k, v in body.items() if k not in ("id", "created_at", "updated_at")} == {
        "company_id": company.pk,
        "company": "Contoso",
        "title": "Platform Engineer",
        "status": "applied",
        "posting_url": "https://jobs.example/42",
        "posting_text": "Go and SQL.",
        "source": "LinkedIn",
        "location": "Lisbon",
        "remote": "hybrid",
        "salary_min": 50_000,
        "salary_max": 70_000,
        "salary_currency": "EUR",
        "priority": 3,
        "notes": "Ask about on-call.",
    }
    assert _aware(body["created_at"]) == _aware(body["updated_at"])
    assert Opportunity.objects.get(pk=body["id"]).owner == alice


def test_the_defaults_are_saved_medium_priority_and_blank_fields(client, alice_token):
    body = _post(client, alice_token, company_name="Contoso", title="Analyst").json()

    assert (body["status"], body["priority"], body["remote"]) == ("saved", 2, "")
    assert body["salary_min"] is None and body["salary_max"] is None
    assert body["posting_url"] == body["salary_currency"] == body["notes"] == ""


def test_company_name_reuses_an_existing_company_whatever_its_case(client, alice, alice_token):
    first = _post(client, alice_token, company_name="Contoso", title="One").json()

    second = _post(client, alice_token, company_name="  CONTOSO ", title="Two").json()

    assert second["company_id"] == first["company_id"]
    assert second["company"] == "Contoso"
    assert Company.objects.filter(owner=alice).count() == 1


def test_company_name_does_not_reuse_another_users_company(client, opp, bob, bob_token):
    body = _post(client, bob_token, company_name="Northwind Analytics", title="Spy").json()

    assert body["company_id"] != opp.company_id
    assert Company.objects.get(pk=body["company_id"]).owner == bob


def test_company_id_files_it_under_your_own_company(client, alice_token, opp):
    response = _post(client, alice_token, company_id=opp.company_id, title="Second role")

    assert response.status_code == 201
    assert response.json()["company"] == "Northwind Analytics"
    assert opp.company.opportunities.count() == 2


def test_bob_cannot_file_an_opportunity_under_alices_company(client, alice, opp, bob, bob_token):
    before = _snapshot(alice, bob)

    response = _post(client, bob_token, company_id=opp.company_id, title="Sneaky")

    assert _error_fields(response) == {"company_id"}
    assert "Northwind" not in response.content.decode()
    assert _snapshot(alice, bob) == before


@pytest.mark.parametrize(
    "body,field",
    [
        ({"title": "No company"}, "company_name"),
        ({"company_name": "  ", "title": "Blank company"}, "company_name"),
        ({"company_name": "Contoso"}, "title"),
        ({"company_name": "Contoso", "title": "   "}, "title"),
        ({"company_name": "Contoso", "title": "x" * 201}, "title"),
        ({"company_name": "Contoso", "title": "T", "status": "hired"}, "status"),
        ({"company_name": "Contoso", "title": "T", "status": "SAVED"}, "status"),
        ({"company_name": "Contoso", "title": "T", "remote": "moon"}, "remote"),
        ({"company_name": "Contoso", "title": "T", "priority": 4}, "priority"),
        ({"company_name": "Contoso", "title": "T", "priority": 0}, "priority"),
        ({"company_name": "Contoso", "title": "T", "posting_url": "jobs"}, "posting_url"),
        ({"company_name": "Contoso", "title": "T", "salary_min": -1}, "salary_min"),
        ({"company_name": "Contoso", "title": "T", "salary_min": 1.5}, "salary_min"),
        (
            {
                "company_name": "Contoso",
                "title": "T",
                "salary_min": 70_000,
                "salary_max": 50_000,
                "salary_currency": "EUR",
            },
            "salary_max",
        ),
        ({"company_name": "Contoso", "title": "T", "salary_min": 50_000}, "salary_currency"),
        (
            {"company_name": "Contoso", "title": "T", "salary_min": 1, "salary_currency": "XYZ"},
            "salary_currency",
        ),
        ({"company_name": "Contoso", "title": "T", "salary_currency": "EURO"}, "salary_currency"),
        ({"company_name": "Contoso", "title": "T", "source": "s" * 101}, "source"),
        ({"company_name": "Contoso", "title": "a\x00b"}, "title"),
        ({"company_name": "Con\x00toso", "title": "T"}, "company_name"),
        ({"company_name": "Contoso", "title": "T", "notes": "\x00"}, "notes"),
        ({"company_id": 2**70, "title": "T"}, "company_id"),
    ],
)
def test_it_rejects_a_bad_opportunity_and_writes_nothing(client, alice, alice_token, body, field):
    response = _post(client, alice_token, **body)

    assert _error_fields(response) == {field}
    assert _snapshot(alice) == {"opportunities": [], "companies": [], "events": []}


def test_an_error_says_what_is_wrong_with_the_field(client, alice_token):
    response = _post(
        client,
        alice_token,
        company_name="Contoso",
        title="T",
        salary_min=9,
        salary_max=1,
        salary_currency="EUR",
    )

    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "salary_max"]
    assert "below the minimum" in error["msg"]


def test_a_salary_range_of_one_value_is_accepted(client, alice_token):
    response = _post(
        client,
        alice_token,
        company_name="Contoso",
        title="T",
        salary_min=60_000,
        salary_max=60_000,
        salary_currency="USD",
    )

    assert response.status_code == 201
    assert (response.json()["salary_min"], response.json()["salary_max"]) == (60_000, 60_000)


def test_the_first_status_is_recorded_as_an_event(client, alice_token):
    body = _post(client, alice_token, company_name="Contoso", title="T", status="applied").json()

    events = api(client, "get", f"/opportunities/{body['id']}/events", alice_token).json()

    assert events["count"] == 1
    assert [e["status"] for e in events["items"]] == ["applied"]
    assert _aware(events["items"][0]["at"]) == _aware(body["created_at"])


@given(
    title=st.text(min_size=1, max_size=200).filter(
        lambda t: "\x00" not in t and t.strip() == t and t.strip("\x1c\x1d\x1e\x1f") == t
    )
)
@HYPOTHESIS
def test_any_title_round_trips_exactly(client, alice_token, title):
    created = _post(client, alice_token, company_name="Contoso", title=title)
    assert created.status_code == 201, created.content

    read = api(client, "get", f"/opportunities/{created.json()['id']}", alice_token).json()

    assert read["title"] == created.json()["title"] == title


@given(
    title=st.text(
        alphabet=st.characters(exclude_characters="\x00"), min_size=1, max_size=50
    ).filter(lambda t: t.strip() == t and t.strip("\x1c\x1d\x1e\x1f") == t),
    before=st.sampled_from(["", " ", "\t", "\n ", "\u3000"]),
    after=st.sampled_from(["", " ", "\r\n", "\u00a0"]),
)
@HYPOTHESIS
def test_a_title_is_stored_without_surrounding_whitespace(
    client, alice_token, title, before, after
):
    response = _post(client, alice_token, company_name="Contoso", title=before + title + after)

    assert response.status_code == 201
    assert Opportunity.objects.get(pk=response.json()["id"]).title == title


@given(text=st.text(min_size=0, max_size=20), at=st.integers(0, 20))
@HYPOTHESIS
def test_text_with_a_nul_character_is_422_and_writes_nothing(client, alice_token, text, at):
    before = Opportunity.objects.count()
    notes = text[:at] + "\x00" + text[at:]

    response = _post(client, alice_token, company_name="Contoso", title="T", notes=notes)

    assert _error_fields(response) == {"notes"}
    assert Opportunity.objects.count() == before


# --- List -------------------------------------------------------------------------------------


@pytest.fixture
def pipeline(alice):
    """Five of alice's opportunities across companies and statuses."""
    rows = [
        ("Contoso", "Backend Engineer", "saved", "", ""),
        ("Contoso", "Data Analyst", "applied", "Needs dbt.", ""),
        ("Fabrikam", "Site Reliability Engineer", "applied", "", "Kubernetes on call."),
        ("Northwind", "Product Manager", "interviewing", "Friend of Sam.", ""),
        ("Tailspin", "Designer", "rejected", "", "Figma, research."),
    ]
    return [
        services.create_opportunity(
            alice,
            company_name=company,
            title=title,
            status=status,
            notes=notes,
            posting_text=posting,
        )
        for company, title, status, notes, posting in rows
    ]


def _titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {o["title"] for o in response.json()["items"]}


def test_the_list_has_items_and_a_count(client, alice_token, pipeline):
    body = api(client, "get", "/opportunities", alice_token).json()

    assert body["count"] == 5
    assert len(body["items"]) == 5
    assert all(set(o) == FIELDS for o in body["items"])


@pytest.mark.parametrize(
    "limit,offset,expected_items",
    [(2, 0, 2), (2, 4, 1), (10, 0, 5), (1, 5, 0), (3, 100, 0)],
)
def test_the_count_is_of_all_matches_while_items_are_one_page(
    client, alice_token, pipeline, limit, offset, expected_items
):
    body = api(client, "get", f"/opportunities?limit={limit}&offset={offset}", alice_token).json()

    assert body["count"] == 5
    assert len(body["items"]) == expected_items


def test_pages_cover_every_opportunity_once(client, alice_token, pipeline):
    ids = []
    for offset in range(0, 6, 2):
        page = api(client, "get", f"/opportunities?limit=2&offset={offset}", alice_token).json()
        ids += [o["id"] for o in page["items"]]

    assert sorted(ids) == sorted(o.pk for o in pipeline)


@pytest.mark.parametrize(
    "q,expected",
    [
        ("fabrikam", {"Site Reliability Engineer"}),  # company name
        ("ENGINEER", {"Backend Engineer", "Site Reliability Engineer"}),  # title
        ("sam", {"Product Manager"}),  # notes
        ("kubernetes", {"Site Reliability Engineer"}),  # posting text
        ("contoso dbt", {"Data Analyst"}),  # every word must match
        ("nothing-like-this", set()),
    ],
)
def test_q_searches_company_title_notes_and_posting_text(
    client, alice_token, pipeline, q, expected
):
    response = api(client, "get", "/opportunities", alice_token, data={"q": q})

    assert _titles(response) == expected
    assert response.json()["count"] == len(expected)


def test_status_filters_the_list(client, alice_token, pipeline):
    response = api(client, "get", "/opportunities?status=applied", alice_token)

    assert _titles(response) == {"Data Analyst", "Site Reliability Engineer"}


def test_filters_combine_with_paging(client, alice_token, pipeline):
    body = api(
        client, "get", "/opportunities?q=engineer&status=applied&limit=1", alice_token
    ).json()

    assert body["count"] == 1
    assert [o["title"] for o in body["items"]] == ["Site Reliability Engineer"]


def test_company_id_filters_the_list(client, alice_token, pipeline):
    response = api(
        client, "get", f"/opportunities?company_id={pipeline[0].company_id}", alice_token
    )

    assert _titles(response) == {"Backend Engineer", "Data Analyst"}


@pytest.mark.parametrize(
    "query,field",
    [
        ("status=hired", "status"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("offset=-1", "offset"),
        ("offset=100000000000000000000000", "offset"),
        ("company_id=100000000000000000000000", "company_id"),
        ("priority=7", "priority"),
        ("sort=shoe-size", "sort"),
        ("q=a%00b", "q"),
    ],
)
def test_a_bad_list_query_is_422_naming_the_parameter(client, alice_token, pipeline, query, field):
    response = api(client, "get", f"/opportunities?{query}", alice_token)

    assert _error_fields(response) == {field}


# --- Read, change, delete -------------------------------------------------------------------


def test_it_reads_one_opportunity(client, alice_token, opp):
    response = api(client, "get", f"/opportunities/{opp.pk}", alice_token)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == FIELDS
    assert (body["id"], body["title"], body["company"]) == (
        opp.pk,
        "Data Engineer",
        "Northwind Analytics",
    )
    assert _aware(body["created_at"]) == opp.created_at


def test_patch_changes_only_the_fields_sent(client, alice, alice_token, opp):
    before = api(client, "get", f"/opportunities/{opp.pk}", alice_token).json()

    response = api(
        client,
        "patch",
        f"/opportunities/{opp.pk}",
        alice_token,
        json={"notes": "Second call on Friday.", "priority": 3},
    )

    assert response.status_code == 200
    after = response.json()
    assert after["notes"] == "Second call on Friday." and after["priority"] == 3
    unchanged = FIELDS - {"notes", "priority", "updated_at"}
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert _aware(after["updated_at"]) > _aware(before["updated_at"])
    assert api(client, "get", f"/opportunities/{opp.pk}", alice_token).json() == after
    assert opp.events.count() == 1  # no status change, no event


def test_patch_can_clear_the_salary_and_the_posting_url(client, alice_token):
    created = _post(
        client,
        alice_token,
        company_name="Contoso",
        title="T",
        salary_min=1,
        salary_max=2,
        salary_currency="EUR",
        posting_url="https://jobs.example/1",
    )

    response = api(
        client,
        "patch",
        f"/opportunities/{created.json()['id']}",
        alice_token,
        json={"salary_min": None, "salary_max": None, "posting_url": None},
    )

    body = response.json()
    assert (body["salary_min"], body["salary_max"], body["posting_url"]) == (None, None, "")
    assert body["salary_currency"] == "EUR"


def test_patch_status_records_an_event_and_events_are_oldest_first(client, alice_token, opp):
    for status in ("screening", "interviewing", "interviewing", "offer"):
        response = api(
            client, "patch", f"/opportunities/{opp.pk}", alice_token, json={"status": status}
        )
        assert response.status_code == 200
        assert response.json()["status"] == status

    body = api(client, "get", f"/opportunities/{opp.pk}/events", alice_token).json()

    assert [e["status"] for e in body["items"]] == ["applied", "screening", "interviewing", "offer"]
    assert body["count"] == 4
    assert all(set(e) == {"status", "at"} for e in body["items"])
    times = [_aware(e["at"]) for e in body["items"]]
    assert times == sorted(times)


def test_the_events_page_with_limit_and_offset(client, alice_token, opp):
    for status in ("screening", "interviewing"):
        api(client, "patch", f"/opportunities/{opp.pk}", alice_token, json={"status": status})

    body = api(
        client, "get", f"/opportunities/{opp.pk}/events?limit=1&offset=1", alice_token
    ).json()

    assert body["count"] == 3
    assert [e["status"] for e in body["items"]] == ["screening"]


def test_patch_company_name_moves_it_to_a_new_company(client, alice, alice_token, opp):
    response = api(
        client, "patch", f"/opportunities/{opp.pk}", alice_token, json={"company_name": "Fabrikam"}
    )

    body = response.json()
    assert body["company"] == "Fabrikam"
    assert Company.objects.get(pk=body["company_id"]).owner == alice
    assert body["company_id"] != opp.company_id


def test_patch_cannot_move_it_to_bobs_company(client, alice, alice_token, opp, bob):
    bobs = Company.objects.create(owner=bob, name="Bob's Bakery")
    before = _snapshot(alice, bob)

    response = api(
        client,
        "patch",
        f"/opportunities/{opp.pk}",
        alice_token,
        json={"company_id": bobs.pk, "title": "Moved"},
    )

    assert _error_fields(response) == {"company_id"}
    assert _snapshot(alice, bob) == before


@pytest.mark.parametrize(
    "body,field",
    [
        ({"status": "hired"}, "status"),
        ({"title": ""}, "title"),
        ({"salary_min": 90, "salary_max": 10, "salary_currency": "EUR"}, "salary_max"),
        ({"salary_min": 90}, "salary_currency"),
        ({"salary_currency": "XYZ"}, "salary_currency"),
        ({"priority": 9}, "priority"),
        ({"posting_text": "\x00"}, "posting_text"),
    ],
)
def test_a_bad_patch_is_422_and_changes_nothing(client, alice, alice_token, opp, body, field):
    before = _snapshot(alice)

    response = api(
        client,
        "patch",
        f"/opportunities/{opp.pk}",
        alice_token,
        json=body | {"notes": "should not be saved"},
    )

    assert _error_fields(response) == {field}
    assert _snapshot(alice) == before


def test_patch_keeping_a_salary_consistent_with_the_stored_one_is_checked(client, alice_token):
    created = _post(
        client,
        alice_token,
        company_name="Contoso",
        title="T",
        salary_min=50,
        salary_max=60,
        salary_currency="EUR",
    ).json()

    response = api(
        client, "patch", f"/opportunities/{created['id']}", alice_token, json={"salary_min": 70}
    )

    assert _error_fields(response) == {"salary_max"}
    assert Opportunity.objects.get(pk=created["id"]).salary_min == 50


def test_delete_removes_it_and_then_it_is_404(client, alice_token, opp):
    response = api(client, "delete", f"/opportunities/{opp.pk}", alice_token)

    assert response.status_code == 204
    assert not Opportunity.objects.filter(pk=opp.pk).exists()
    assert not StatusEvent.objects.filter(opportunity_id=opp.pk).exists()
    assert api(client, "get", f"/opportunities/{opp.pk}", alice_token).status_code == 404
    assert api(client, "get", f"/opportunities/{opp.pk}/events", alice_token).status_code == 404
    assert api(client, "delete", f"/opportunities/{opp.pk}", alice_token).status_code == 404


def test_an_unknown_opportunity_is_404_with_a_detail(client, alice_token):
    response = api(client, "get", "/opportunities/999999", alice_token)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_body_that_is_not_json_is_refused_and_writes_nothing(client, alice_token):
    response = client.post(
        "/api/v1/opportunities",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {alice_token}",
    )

    assert response.status_code in (400, 422)
    assert "detail" in response.json()
    assert not Opportunity.objects.exists()


def test_a_patch_with_null_for_a_required_field_is_refused_and_changes_nothing(
    client, opp, alice_token
):
    from tests.conftest import api

    response = api(client, "patch", f"/opportunities/{opp.pk}", alice_token, json={"title": None})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "title"
    opp.refresh_from_db()
    assert opp.title == "Data Engineer"
    cleared = api(
        client, "patch", f"/opportunities/{opp.pk}", alice_token, json={"salary_min": None}
    )
    assert cleared.status_code == 200 and cleared.json()["salary_min"] is None


def test_the_list_total_comes_from_the_stored_counts_and_is_exact(client, alice, bob, alice_token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i, status in enumerate(["saved", "applied", "applied", "interviewing", "rejected"]):
        services.create_opportunity(alice, company_name=f"Co {i}", title="Analyst", status=status)
    services.create_opportunity(bob, company_name="Bob's", title="Analyst", status="applied")
    moved = Opportunity.objects.get(owner=alice, status="saved")
    services.change_status(moved, "applied")

    with CaptureQueriesContext(connection) as queries:
        every = api(client, "get", "/opportunities?limit=2", alice_token).json()
    assert every["count"] == 5 and len(every["items"]) == 2
    counted = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counted if "pipeline_opportunity" in sql], counted

    applied = api(client, "get", "/opportunities?status=applied", alice_token).json()
    assert applied["count"] == 3 == len(applied["items"])
    offers = api(client, "get", "/opportunities?status=offer", alice_token).json()
    assert offers == {"count": 0, "items": []}
    # With a filter the stored counts can't answer, the rows are counted.
    found = api(client, "get", "/opportunities?q=Analyst&priority=2", alice_token).json()
    assert found["count"] == len(found["items"]) == 5
