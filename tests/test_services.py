"""The pipeline's domain functions (pipeline/services.py), shared by pages, API and CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sayyes.network.models import Contact
from sayyes.pipeline import services
from sayyes.pipeline.models import Company, Interview, Opportunity, StatusEvent


def _history(opp) -> list[str]:
    return list(StatusEvent.objects.filter(opportunity=opp).values_list("status", flat=True))


def _new(user, company="Acme", title="Engineer", **fields):
    return services.create_opportunity(user, company_name=company, title=title, **fields)


def _snapshot():
    return {
        "companies": list(Company.objects.values()),
        "opportunities": list(Opportunity.objects.values()),
        "events": list(StatusEvent.objects.values()),
        "interviews": list(Interview.objects.values()),
    }


# --- create / update / change_status ---------------------------------------------------------


def test_create_opportunity_records_its_first_status_event(alice):
    opp = _new(alice, status="applied")

    assert opp.owner == alice
    assert opp.company.name == "Acme"
    events = list(opp.events.all())
    assert [e.status for e in events] == ["applied"]
    assert events[0].at == opp.created_at


def test_create_opportunity_defaults_to_saved_and_records_it(alice):
    opp = _new(alice)
    assert opp.status == "saved"
    assert _history(opp) == ["saved"]


def test_update_opportunity_without_a_status_change_records_no_event(alice):
    opp = _new(alice, status="applied")

    services.update_opportunity(opp, title="Senior Engineer", notes="Call back Monday")

    opp.refresh_from_db()
    assert opp.title == "Senior Engineer"
    assert opp.notes == "Call back Monday"
    assert _history(opp) == ["applied"]


def test_update_opportunity_with_the_same_status_records_no_event(alice):
    opp = _new(alice, status="applied")
    services.update_opportunity(opp, status="applied", title="Renamed")
    assert _history(opp) == ["applied"]


def test_update_opportunity_records_an_event_when_the_status_changes(alice):
    opp = _new(alice, status="applied")

    services.update_opportunity(opp, status="screening")

    opp.refresh_from_db()
    assert opp.status == "screening"
    assert _history(opp) == ["applied", "screening"]


def test_update_opportunity_moves_it_to_another_company_by_name(alice):
    opp = _new(alice, company="Acme")
    services.update_opportunity(opp, company_name="Globex")
    opp.refresh_from_db()
    assert opp.company.name == "Globex"
    assert set(Company.objects.filter(owner=alice).values_list("name", flat=True)) == {
        "Acme",
        "Globex",
    }


def test_change_status_is_conditional_and_records_one_event(alice):
    opp = _new(alice, status="applied")

    assert services.change_status(opp, "interviewing") is True
    assert services.change_status(opp, "interviewing") is False

    opp.refresh_from_db()
    assert opp.status == "interviewing"
    assert _history(opp) == ["applied", "interviewing"]


def test_change_status_with_a_stale_copy_records_no_second_event(alice):
    """Two tabs hold the same card: the second drag to the same column is a no-op."""
    opp = _new(alice, status="applied")
    stale = Opportunity.objects.get(pk=opp.pk)

    assert services.change_status(opp, "offer") is True
    assert services.change_status(stale, "offer") is False
    assert _history(opp) == ["applied", "offer"]


def test_change_status_to_an_unknown_status_names_status_and_writes_nothing(alice):
    opp = _new(alice, status="applied")
    before = _snapshot()

    with pytest.raises(ValidationError) as exc:
        services.change_status(opp, "hired")

    assert "status" in exc.value.message_dict
    assert "hired" in exc.value.message_dict["status"][0]
    assert _snapshot() == before


def test_create_opportunity_with_an_unknown_status_names_status_and_writes_nothing(alice):
    before = _snapshot()

    with pytest.raises(ValidationError) as exc:
        _new(alice, company="Brand New Co", status="hired")

    assert "status" in exc.value.message_dict
    # Not even the company the call would have created.
    assert _snapshot() == before


def test_update_opportunity_with_an_unknown_status_names_status_and_writes_nothing(alice):
    opp = _new(alice, status="applied")
    before = _snapshot()

    with pytest.raises(ValidationError) as exc:
        services.update_opportunity(opp, status="hired", company_name="Other Co")

    assert "status" in exc.value.message_dict
    assert _snapshot() == before


@pytest.mark.parametrize("call", ["create", "update"])
def test_salary_min_above_salary_max_is_refused(alice, call):
    existing = _new(alice) if call == "create" else _new(alice, company="Initech")
    before = _snapshot()

    with pytest.raises(ValidationError) as exc:
        if call == "create":
            _new(alice, salary_min=90_000, salary_max=80_000, salary_currency="EUR")
        else:
            services.update_opportunity(
                existing, salary_min=90_000, salary_max=80_000, salary_currency="EUR"
            )

    assert "salary_max" in exc.value.message_dict
    assert _snapshot() == before


def test_an_equal_salary_range_and_a_currency_are_accepted(alice):
    opp = _new(alice, salary_min=80_000, salary_max=80_000, salary_currency="EUR")
    opp.refresh_from_db()
    assert (opp.salary_min, opp.salary_max, opp.salary_currency) == (80_000, 80_000, "EUR")


def test_a_salary_without_a_currency_is_refused(alice):
    with pytest.raises(ValidationError) as exc:
        _new(alice, salary_min=50_000)
    assert "salary_currency" in exc.value.message_dict
    assert not Opportunity.objects.exists()


def test_an_unknown_currency_is_refused(alice):
    with pytest.raises(ValidationError) as exc:
        _new(alice, salary_min=50_000, salary_currency="XYZ")
    assert "salary_currency" in exc.value.message_dict
    assert not Opportunity.objects.exists()


def test_an_unknown_field_is_refused(alice):
    with pytest.raises(ValidationError) as exc:
        _new(alice, owner_id=99)
    assert "owner_id" in exc.value.message_dict
    assert not Opportunity.objects.exists()


def test_create_opportunity_refuses_another_users_company(alice, bob):
    bobs = services.get_or_create_company(bob, "Bob Corp")
    with pytest.raises(ValidationError) as exc:
        services.create_opportunity(alice, company=bobs, title="Spy")
    assert "company_id" in exc.value.message_dict
    assert not Opportunity.objects.exists()


# --- companies -------------------------------------------------------------------------------


def test_get_or_create_company_reuses_a_company_case_insensitively(alice):
    first = services.get_or_create_company(alice, "Northwind Analytics")
    again = services.get_or_create_company(alice, "  northwind ANALYTICS ")

    assert again.pk == first.pk
    assert again.name == "Northwind Analytics"
    assert Company.objects.filter(owner=alice).count() == 1


def test_get_or_create_company_does_not_cross_users(alice, bob):
    alices = services.get_or_create_company(alice, "Northwind Analytics")
    bobs = services.get_or_create_company(bob, "northwind analytics")

    assert bobs.pk != alices.pk
    assert bobs.owner == bob
    assert alices.owner == alice
    assert Company.objects.count() == 2


def test_opportunities_with_differently_cased_company_names_share_one_company(alice):
    a = _new(alice, company="Globex", title="One")
    b = _new(alice, company="GLOBEX", title="Two")
    assert a.company_id == b.company_id


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_get_or_create_company_refuses_a_blank_or_overlong_name(alice, name):
    with pytest.raises(ValidationError) as exc:
        services.get_or_create_company(alice, name)
    assert "company_name" in exc.value.message_dict
    assert not Company.objects.exists()


# --- search ----------------------------------------------------------------------------------


@pytest.fixture
def catalogue(alice, bob):
    """A few of alice's opportunities, plus one of bob's that must never show up."""
    make = services.create_opportunity
    ops = {
        "pipes": make(
            alice,
            company_name="Northwind Analytics",
            title="Data Engineer",
            status="applied",
            priority=3,
            notes="Referred by Sam.",
        ),
        "ml": make(
            alice,
            company_name="acme robotics",
            title="Machine Learning Engineer",
            status="screening",
            priority=2,
            posting_text="PyTorch and Kubernetes",
        ),
        "pm": make(
            alice,
            company_name="Zeta Health",
            title="Product Manager",
            status="saved",
            priority=1,
            notes="python-adjacent",
        ),
        "bobs": make(
            bob,
            company_name="Northwind Analytics",
            title="Data Engineer",
            status="applied",
            priority=3,
            notes="Referred by Sam.",
        ),
    }
    return ops


def _pks(qs) -> list[int]:
    return [o.pk for o in qs]


def test_search_matches_title(alice, catalogue):
    assert _pks(services.search_opportunities(alice, q="manager")) == [catalogue["pm"].pk]


def test_search_matches_company_name(alice, catalogue):
    assert _pks(services.search_opportunities(alice, q="NORTHWIND")) == [catalogue["pipes"].pk]


def test_search_matches_notes(alice, catalogue):
    assert _pks(services.search_opportunities(alice, q="sam")) == [catalogue["pipes"].pk]


def test_search_matches_posting_text(alice, catalogue):
    assert _pks(services.search_opportunities(alice, q="kubernetes")) == [catalogue["ml"].pk]


def test_search_with_several_words_needs_every_word(alice, catalogue):
    # "engineer" alone matches two; with "pytorch" (posting text) only one has both.
    assert set(_pks(services.search_opportunities(alice, q="engineer"))) == {
        catalogue["pipes"].pk,
        catalogue["ml"].pk,
    }
    assert _pks(services.search_opportunities(alice, q="engineer  pytorch")) == [catalogue["ml"].pk]
    # Words may come from different fields (company and title).
    assert _pks(services.search_opportunities(alice, q="acme learning")) == [catalogue["ml"].pk]
    assert _pks(services.search_opportunities(alice, q="engineer zeta")) == []


def test_search_never_returns_another_users_opportunities(alice, bob, catalogue):
    found = _pks(services.search_opportunities(alice, q="data engineer"))
    assert found == [catalogue["pipes"].pk]
    assert catalogue["bobs"].pk not in _pks(services.search_opportunities(alice))
    assert _pks(services.search_opportunities(bob)) == [catalogue["bobs"].pk]


def test_search_filters_by_status(alice, catalogue):
    assert _pks(services.search_opportunities(alice, status="screening")) == [catalogue["ml"].pk]


def test_search_filters_by_company_name_or_id(alice, catalogue):
    by_name = services.search_opportunities(alice, company="ZETA HEALTH")
    assert _pks(by_name) == [catalogue["pm"].pk]
    by_id = services.search_opportunities(alice, company=str(catalogue["ml"].company_id))
    assert _pks(by_id) == [catalogue["ml"].pk]


def test_search_by_company_id_ignores_another_users_company(alice, catalogue):
    bobs_company = str(catalogue["bobs"].company_id)
    assert _pks(services.search_opportunities(alice, company=bobs_company)) == []


def test_search_filters_by_priority(alice, catalogue):
    assert _pks(services.search_opportunities(alice, priority="1")) == [catalogue["pm"].pk]
    assert _pks(services.search_opportunities(alice, priority=3)) == [catalogue["pipes"].pk]


def test_search_combines_query_and_filters(alice, catalogue):
    assert _pks(services.search_opportunities(alice, q="engineer", status="applied")) == [
        catalogue["pipes"].pk
    ]
    assert _pks(services.search_opportunities(alice, q="engineer", priority=1)) == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["pipes", "ml", "pm"]),
        ("priority", ["pipes", "ml", "pm"]),
        ("status", ["pipes", "pm", "ml"]),
        # Case must not matter: "acme robotics" comes before "Northwind" and "Zeta".
        ("company", ["ml", "pipes", "pm"]),
    ],
)
def test_search_sorts(alice, catalogue, sort, expected):
    got = _pks(services.search_opportunities(alice, sort=sort))
    assert got == [catalogue[k].pk for k in expected]


def test_search_sorts_titles_case_insensitively(alice):
    for title in ("zoologist", "Analyst", "backend developer"):
        _new(alice, title=title)
    got = [o.title for o in services.search_opportunities(alice, sort="title")]
    assert got == ["Analyst", "backend developer", "zoologist"]


def test_search_sorts_by_updated_most_recent_first(alice, catalogue):
    services.update_opportunity(catalogue["pipes"], notes="touched last")
    got = _pks(services.search_opportunities(alice, sort="updated"))
    assert got[0] == catalogue["pipes"].pk
    assert set(got) == {catalogue["pipes"].pk, catalogue["ml"].pk, catalogue["pm"].pk}


def test_search_sorts_by_created_most_recent_first(alice, catalogue):
    Opportunity.objects.filter(pk=catalogue["ml"].pk).update(
        created_at=timezone.now() + timedelta(days=1)
    )
    got = _pks(services.search_opportunities(alice, sort="created"))
    assert got[0] == catalogue["ml"].pk


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sort": "salary"}, "sort"),
        ({"status": "hired"}, "status"),
        ({"priority": "high"}, "priority"),
    ],
)
def test_search_refuses_bad_parameters_by_name(alice, catalogue, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        list(services.search_opportunities(alice, **kwargs))
    assert field in exc.value.message_dict


# --- counts and funnel -------------------------------------------------------------------------


def test_status_counts_lists_every_status_with_only_the_users_rows(alice, bob):
    _new(alice, title="a", status="applied")
    _new(alice, title="b", status="applied")
    _new(alice, title="c", status="offer")
    _new(bob, title="d", status="rejected")

    counts = services.status_counts(alice)

    assert counts["applied"] == 2
    assert counts["offer"] == 1
    assert counts["rejected"] == 0
    assert set(counts) == {
        "saved",
        "applied",
        "screening",
        "interviewing",
        "offer",
        "accepted",
        "declined",
        "rejected",
        "withdrawn",
    }
    assert sum(counts.values()) == 3


def test_status_counts_follow_status_changes(alice):
    opp = _new(alice, status="applied")
    services.change_status(opp, "screening")
    counts = services.status_counts(alice)
    assert counts["applied"] == 0
    assert counts["screening"] == 1


def test_funnel_counts_the_stages_a_rejected_opportunity_reached(alice):
    opp = _new(alice, status="applied")
    services.change_status(opp, "screening")
    services.change_status(opp, "rejected")

    assert services.funnel(alice) == [
        ("applied", 1),
        ("screening", 1),
        ("interviewing", 0),
        ("offer", 0),
    ]


def test_funnel_counts_an_accepted_opportunity_at_every_stage(alice):
    opp = _new(alice, status="saved")
    services.change_status(opp, "accepted")

    assert services.funnel(alice) == [
        ("applied", 1),
        ("screening", 1),
        ("interviewing", 1),
        ("offer", 1),
    ]


def test_funnel_counts_each_opportunity_once_per_stage_and_ignores_other_users(alice, bob):
    a = _new(alice, title="a", status="applied")
    services.change_status(a, "interviewing")
    services.change_status(a, "screening")  # moved back: still one opportunity
    services.change_status(a, "interviewing")
    _new(alice, title="b", status="saved")  # never applied
    _new(bob, title="c", status="offer")

    assert services.funnel(alice) == [
        ("applied", 1),
        ("screening", 1),
        ("interviewing", 1),
        ("offer", 0),
    ]
    assert services.funnel(bob) == [
        ("applied", 1),
        ("screening", 1),
        ("interviewing", 1),
        ("offer", 1),
    ]


# --- interviews ------------------------------------------------------------------------------


def _at(days: float) -> datetime:
    return timezone.now() + timedelta(days=days)


def test_create_interview_stores_the_instant_and_interviewers(alice):
    opp = _new(alice)
    dana = Contact.objects.create(owner=alice, name="Dana")
    starts = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)

    interview = services.create_interview(
        alice, opp, starts_at=starts, timezone="Europe/Paris", interviewer_ids=[dana.pk]
    )

    interview.refresh_from_db()
    assert interview.starts_at == starts
    assert interview.timezone == "Europe/Paris"
    assert list(interview.interviewers.all()) == [dana]


def test_create_interview_refuses_a_naive_datetime(alice):
    opp = _new(alice)
    with pytest.raises(ValidationError) as exc:
        services.create_interview(alice, opp, starts_at=datetime(2026, 12, 1, 14, 0))
    assert "starts_at" in exc.value.message_dict
    assert not Interview.objects.exists()


def test_update_interview_refuses_a_naive_datetime(interview):
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.update_interview(interview, starts_at=datetime(2026, 12, 1, 14, 0))
    assert "starts_at" in exc.value.message_dict
    assert _snapshot() == before


def test_create_interview_refuses_another_users_opportunity(alice, bob):
    bobs = _new(bob)
    with pytest.raises(ValidationError) as exc:
        services.create_interview(alice, bobs, starts_at=_at(1))
    assert "opportunity_id" in exc.value.message_dict
    assert not Interview.objects.exists()


def test_create_interview_refuses_another_users_contacts_and_writes_nothing(alice, bob):
    opp = _new(alice)
    mine = Contact.objects.create(owner=alice, name="Dana")
    theirs = Contact.objects.create(owner=bob, name="Eve")
    before = _snapshot()

    with pytest.raises(ValidationError) as exc:
        services.create_interview(
            alice, opp, starts_at=_at(1), interviewer_ids=[mine.pk, theirs.pk]
        )

    assert "interviewer_ids" in exc.value.message_dict
    assert str(theirs.pk) in exc.value.message_dict["interviewer_ids"][0]
    assert _snapshot() == before
    assert not theirs.interviews.exists()


def test_update_interview_refuses_another_users_opportunity(interview, bob):
    bobs = _new(bob)
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.update_interview(interview, opportunity=bobs)
    assert "opportunity_id" in exc.value.message_dict
    assert _snapshot() == before


def test_create_interview_refuses_an_unknown_timezone(alice):
    opp = _new(alice)
    with pytest.raises(ValidationError) as exc:
        services.create_interview(alice, opp, starts_at=_at(1), timezone="Mars/Olympus")
    assert "timezone" in exc.value.message_dict
    assert not Interview.objects.exists()


def test_upcoming_interviews_excludes_cancelled_past_and_other_users(alice, bob):
    opp = _new(alice)
    soon = services.create_interview(alice, opp, starts_at=_at(1))
    later = services.create_interview(alice, opp, starts_at=_at(3), status="invited")
    services.create_interview(alice, opp, starts_at=_at(2), status="cancelled")
    services.create_interview(alice, opp, starts_at=_at(-1))
    services.create_interview(bob, _new(bob), starts_at=_at(1))

    assert list(services.upcoming_interviews(alice)) == [soon, later]
