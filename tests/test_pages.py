"""The pipeline's pages, one section per page, driven through Django's test client."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sayyes.accounts.models import Profile
from sayyes.network.models import Contact
from sayyes.pipeline import services
from sayyes.pipeline.models import Company, Interview, Opportunity, StatusEvent

HTMX = {"HTTP_HX_REQUEST": "true"}


def _html(response) -> str:
    return response.content.decode()


def _new(user, title, company="Acme", **fields):
    return services.create_opportunity(user, company_name=company, title=title, **fields)


def _snapshot():
    return {
        "companies": list(Company.objects.order_by("pk").values()),
        "opportunities": list(Opportunity.objects.order_by("pk").values()),
        "events": list(StatusEvent.objects.order_by("pk").values()),
        "interviews": list(Interview.objects.order_by("pk").values()),
    }


def _between(html: str, start: str, end: str) -> str:
    assert start in html, f"{start!r} not on the page"
    rest = html.split(start, 1)[1]
    assert end in rest, f"{end!r} not after {start!r}"
    return rest.split(end, 1)[0]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- dashboard -------------------------------------------------------------------------------


def _stat(html: str, status: str) -> int:
    match = re.search(rf'class="stat status-{status}"[^>]*><span class="n">([\d,]+)</span>', html)
    assert match, f"no count for {status}"
    return int(match.group(1).replace(",", ""))


def test_dashboard_shows_the_count_per_status(alice, alice_client, bob):
    _new(alice, "One", status="applied")
    _new(alice, "Two", status="applied")
    _new(alice, "Three", status="offer")
    _new(bob, "Bob's", status="rejected")

    html = _html(alice_client.get("/"))

    assert _stat(html, "applied") == 2
    assert _stat(html, "offer") == 1
    assert _stat(html, "rejected") == 0
    assert _stat(html, "saved") == 0
    assert "Welcome to sayyes" not in html


def test_dashboard_welcomes_a_new_user_with_an_empty_state(bob_client):
    response = bob_client.get("/")
    html = _html(response)
    assert response.status_code == 200
    assert "Welcome to sayyes" in html
    assert 'href="/opportunities/new/"' in html
    assert _stat(html, "applied") == 0


def test_dashboard_lists_this_weeks_interviews_only(alice, alice_client):
    now = timezone.now()
    this_week = _new(alice, "Now role", company="Thisweek Co")
    services.create_interview(alice, this_week, starts_at=now, kind="technical")
    far = _new(alice, "Far role", company="Nextmonth Co")
    services.create_interview(alice, far, starts_at=now + timedelta(days=30))
    services.create_interview(alice, far, starts_at=now - timedelta(days=30))
    dropped = _new(alice, "Dropped role", company="Cancelled Co")
    services.create_interview(alice, dropped, starts_at=now, status="cancelled")

    html = _html(alice_client.get("/"))
    week = _between(html, "Interviews this week</h2>", "</ul>")

    assert "Thisweek Co — Now role" in week
    assert "Technical" in week
    assert "Nextmonth Co" not in week
    assert "Cancelled Co" not in week


def test_dashboard_says_when_no_interview_is_this_week(alice, alice_client):
    _new(alice, "Quiet role")
    html = _html(alice_client.get("/"))
    assert "No interviews this week." in html


def test_dashboard_carries_the_funnel_as_json_script(alice, alice_client):
    rejected = _new(alice, "Rejected", status="applied")
    services.change_status(rejected, "screening")
    services.change_status(rejected, "rejected")
    accepted = _new(alice, "Accepted", status="applied")
    services.change_status(accepted, "accepted")

    html = _html(alice_client.get("/"))
    match = re.search(
        r'<script id="funnel-data" type="application/json">(.*?)</script>', html, re.S
    )

    assert match, "funnel-data json_script missing"
    data = json.loads(match.group(1))
    assert data == {
        "labels": ["Applied", "Screening", "Interviewing", "Offer"],
        "values": [2, 2, 1, 1],
    }
    assert 'id="funnel-chart"' in html


# --- board -----------------------------------------------------------------------------------


def _columns(html: str) -> dict[str, str]:
    parts = re.split(r'<section class="column status-(\w+)"', html)[1:]
    return dict(zip(parts[::2], parts[1::2], strict=True))


def test_board_has_a_column_per_status_with_the_right_cards(alice, alice_client, bob):
    saved = _new(alice, "Saved role", status="saved")
    applied = _new(alice, "Applied role", status="applied")
    offer = _new(alice, "Offer role", status="offer")
    bobs = _new(bob, "Bob's role", status="applied")

    response = alice_client.get("/board/")
    columns = _columns(_html(response))

    assert response.status_code == 200
    assert list(columns) == [
        "saved",
        "applied",
        "screening",
        "interviewing",
        "offer",
        "accepted",
        "declined",
        "rejected",
        "withdrawn",
    ]
    assert f'id="card-{saved.pk}"' in columns["saved"]
    assert f'id="card-{applied.pk}"' in columns["applied"]
    assert f'id="card-{offer.pk}"' in columns["offer"]
    assert f'id="card-{applied.pk}"' not in columns["saved"]
    assert "card-" not in columns["screening"]
    assert "Nothing here yet." in columns["screening"]
    assert all(f'id="card-{bobs.pk}"' not in col for col in columns.values())
    assert 'data-count-for="applied">1<' in columns["applied"]


def test_status_form_without_js_moves_the_card_and_redirects_back(alice, alice_client):
    opp = _new(alice, "Mover", status="applied")

    response = alice_client.post(
        f"/opportunities/{opp.pk}/status/", {"status": "interviewing", "next": "/board/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/board/"
    opp.refresh_from_db()
    assert opp.status == "interviewing"
    assert list(opp.events.values_list("status", flat=True)) == ["applied", "interviewing"]
    page = alice_client.get("/board/")
    assert "Mover at Acme moved to Interviewing." in _messages(page)
    assert f'id="card-{opp.pk}"' in _columns(_html(page))["interviewing"]


def test_status_form_redirects_to_the_board_without_a_safe_next(alice, alice_client):
    opp = _new(alice, "Mover", status="applied")
    for nxt in ("", "board", "https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = alice_client.post(
            f"/opportunities/{opp.pk}/status/", {"status": "offer", "next": nxt}
        )
        assert response.status_code == 302
        assert response["Location"] == "/board/"


def test_status_form_with_the_same_status_records_no_event(alice, alice_client):
    opp = _new(alice, "Stayer", status="applied")
    alice_client.post(f"/opportunities/{opp.pk}/status/", {"status": "applied"})
    assert opp.events.count() == 1


def test_status_form_with_an_unknown_status_shows_an_error_and_changes_nothing(alice, alice_client):
    opp = _new(alice, "Stayer", status="applied")
    before = _snapshot()

    response = alice_client.post(
        f"/opportunities/{opp.pk}/status/", {"status": "hired", "next": "/board/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/board/"
    assert any("'hired' is not a status" in m for m in _messages(response))
    assert "&#x27;hired&#x27; is not a status" in _html(response)
    assert _snapshot() == before


def test_status_form_error_never_redirects_off_site(alice, alice_client):
    opp = _new(alice, "Stayer", status="applied")
    for nxt in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = alice_client.post(
            f"/opportunities/{opp.pk}/status/", {"status": "hired", "next": nxt}
        )
        assert response.status_code == 302
        assert response["Location"] == "/board/"


def test_htmx_status_post_returns_the_card_with_its_new_status(alice, alice_client):
    opp = _new(alice, "Dragged", status="applied")

    response = alice_client.post(f"/opportunities/{opp.pk}/status/", {"status": "offer"}, **HTMX)
    html = _html(response)

    assert response.status_code == 200
    assert html.lstrip().startswith('<article class="opp-card')
    assert f'id="card-{opp.pk}"' in html
    assert 'data-status="offer"' in html
    assert '<option value="offer" selected>' in html
    assert '<option value="applied" selected>' not in html
    assert "<html" not in html and 'class="topbar"' not in html
    opp.refresh_from_db()
    assert opp.status == "offer"
    assert opp.events.count() == 2


def test_htmx_status_post_with_an_unknown_status_is_422_and_changes_nothing(alice, alice_client):
    opp = _new(alice, "Dragged", status="applied")
    before = _snapshot()

    response = alice_client.post(f"/opportunities/{opp.pk}/status/", {"status": "hired"}, **HTMX)

    assert response.status_code == 422
    assert "is not a status" in _html(response)
    assert _snapshot() == before


def test_status_form_refuses_get(alice, alice_client):
    opp = _new(alice, "Dragged", status="applied")
    assert alice_client.get(f"/opportunities/{opp.pk}/status/").status_code == 405


# --- opportunities list ----------------------------------------------------------------------


def _listed(html: str) -> list[str]:
    """The titles listed (a search marks the matched words in them)."""
    found = re.findall(r'<td><a href="/opportunities/\d+/">(.*?)</a>', html)
    return [re.sub(r"</?mark>", "", title) for title in found]


@pytest.fixture
def listing(alice, bob):
    _new(
        alice,
        "Data Engineer",
        company="Northwind",
        status="applied",
        priority=3,
        notes="Referred by Sam",
    )
    _new(
        alice,
        "ML Engineer",
        company="acme robotics",
        status="screening",
        priority=2,
        posting_text="PyTorch please",
    )
    _new(alice, "Product Manager", company="Zeta Health", status="saved", priority=1)
    _new(bob, "Bob Engineer", company="Northwind", status="applied", priority=3)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Data Engineer", "ML Engineer", "Product Manager"]),
        ("?q=engineer", ["Data Engineer", "ML Engineer"]),
        ("?q=engineer+pytorch", ["ML Engineer"]),
        ("?q=sam", ["Data Engineer"]),
        ("?status=saved", ["Product Manager"]),
        ("?company=zeta+health", ["Product Manager"]),
        ("?priority=3", ["Data Engineer"]),
        ("?q=engineer&status=screening", ["ML Engineer"]),
    ],
)
def test_opportunity_list_searches_and_filters(alice_client, listing, query, expected):
    response = alice_client.get(f"/opportunities/{query}")
    assert response.status_code == 200
    assert sorted(_listed(_html(response))) == sorted(expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Data Engineer", "ML Engineer", "Product Manager"]),
        ("company", ["ML Engineer", "Data Engineer", "Product Manager"]),
        ("priority", ["Data Engineer", "ML Engineer", "Product Manager"]),
        ("status", ["Data Engineer", "Product Manager", "ML Engineer"]),
    ],
)
def test_opportunity_list_sorts(alice_client, listing, sort, expected):
    html = _html(alice_client.get(f"/opportunities/?sort={sort}"))
    assert _listed(html) == expected
    assert f'<option value="{sort}" selected>' in html


def test_opportunity_list_keeps_the_filters_in_the_form(alice_client, listing):
    html = _html(alice_client.get("/opportunities/?q=engineer&status=screening&priority=2"))
    assert 'name="q" value="engineer"' in html
    assert '<option value="screening" selected>' in html
    assert '<option value="2" selected>' in html
    assert "matching “engineer”" in html


def test_opportunity_list_paginates_25_per_page(alice, alice_client):
    for i in range(30):
        _new(alice, f"Role {i:02d}", priority=2)

    first = alice_client.get("/opportunities/?q=role&sort=title")
    second = alice_client.get("/opportunities/?q=role&sort=title&page=2")

    assert _listed(_html(first)) == [f"Role {i:02d}" for i in range(25)]
    assert "Page 1 of 2" in _html(first)
    # The next-page link keeps the search and the sort.
    assert re.search(r'href="\?q=role&(amp;)?sort=title&(amp;)?page=2"', _html(first))
    assert _listed(_html(second)) == [f"Role {i:02d}" for i in range(25, 30)]
    assert "Page 2 of 2" in _html(second)
    assert "30 opportunities" in _html(second)


def test_opportunity_list_htmx_request_returns_only_the_results(alice_client, listing):
    response = alice_client.get("/opportunities/?q=engineer", **HTMX)
    html = _html(response)

    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results">')
    assert html.rstrip().endswith("</div>")
    assert "<html" not in html
    assert 'class="topbar"' not in html
    assert 'class="filters"' not in html
    assert sorted(_listed(html)) == ["Data Engineer", "ML Engineer"]


def test_opportunity_list_full_page_wraps_the_results(alice_client, listing):
    html = _html(alice_client.get("/opportunities/"))
    assert "<html" in html and 'class="filters"' in html and '<div id="results">' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "?sort=salary",
            "Sort by one of: relevance, updated, created, company, title, priority, status.",
        ),
        ("?status=hired", "&#x27;hired&#x27; is not a status."),
        ("?priority=urgent", "Priority is 1 (low), 2 (medium) or 3 (high)."),
    ],
)
def test_opportunity_list_bad_parameter_is_a_clear_400(alice_client, listing, query, message):
    response = alice_client.get(f"/opportunities/{query}")
    html = _html(response)
    assert response.status_code == 400
    assert message in html
    assert 'role="alert"' in html
    assert _listed(html) == []

    partial = alice_client.get(f"/opportunities/{query}", **HTMX)
    assert partial.status_code == 400
    assert message in _html(partial)


# --- opportunity detail ----------------------------------------------------------------------


def test_opportunity_detail_shows_every_field(alice, alice_client):
    opp = _new(
        alice,
        "Staff Engineer",
        company="Initech",
        status="screening",
        priority=3,
        posting_url="https://jobs.example.com/staff-42",
        posting_text="Rust and Postgres.",
        source="Meetup",
        location="Lisbon",
        remote="hybrid",
        salary_min=90_000,
        salary_max=110_000,
        salary_currency="EUR",
        notes="Ask about the team size.",
    )
    Company.objects.filter(pk=opp.company_id).update(industry="Technology")

    response = alice_client.get(f"/opportunities/{opp.pk}/")
    html = _html(response)

    assert response.status_code == 200
    assert "<h1>Staff Engineer</h1>" in html
    assert "Initech · Technology" in html
    assert "<dt>Priority</dt><dd>High</dd>" in html
    assert "Lisbon (Hybrid)" in html
    assert "90,000 – 110,000 EUR a year" in html
    assert "<dd>Meetup</dd>" in html
    assert 'href="https://jobs.example.com/staff-42"' in html
    assert "Ask about the team size." in html
    assert "Rust and Postgres." in html
    assert '<option value="screening" selected>' in html


def test_opportunity_detail_lists_the_status_history_oldest_first(alice, alice_client):
    opp = _new(alice, "Climber", status="applied")
    services.change_status(opp, "screening")
    services.change_status(opp, "interviewing")
    # Put the events out of id order in time, so the page must order by time.
    first, second, third = opp.events.order_by("id")
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    StatusEvent.objects.filter(pk=first.pk).update(at=start)
    StatusEvent.objects.filter(pk=second.pk).update(at=start + timedelta(days=9))
    StatusEvent.objects.filter(pk=third.pk).update(at=start + timedelta(days=3))

    history = _between(
        _html(alice_client.get(f"/opportunities/{opp.pk}/")), 'id="history">', "</ol>"
    )

    assert re.findall(r"badge status-(\w+)", history) == ["applied", "interviewing", "screening"]
    assert "Jan 5, 2026 09:00" in history


def test_opportunity_detail_lists_its_interviews(alice_client, opp, interview):
    html = _html(alice_client.get(f"/opportunities/{opp.pk}/"))
    assert f'href="/interviews/{interview.pk}/edit/"' in html
    assert "Video call" in html
    assert "45 min" in html
    assert 'With <a href="/contacts/' in html and "Dana Reyes</a>" in html


def test_opportunity_detail_of_another_user_is_404(bob_client, opp):
    response = bob_client.get(f"/opportunities/{opp.pk}/")
    assert response.status_code == 404
    assert "Data Engineer" not in _html(response)


# --- create and edit -------------------------------------------------------------------------

TYPED = {
    "company_name": "Umbrella Corp",
    "title": "Site Reliability Engineer",
    "status": "applied",
    "priority": "3",
    "posting_url": "https://jobs.example.com/sre",
    "source": "Referral",
    "location": "Lisbon",
    "remote": "hybrid",
    "salary_min": "70000",
    "salary_max": "85000",
    "salary_currency": "EUR",
    "notes": "Ask about on-call",
    "posting_text": "Terraform and Go",
}


def _assert_keeps_typed_values(html: str, data: dict) -> None:
    for name in (
        "company_name",
        "title",
        "posting_url",
        "source",
        "location",
        "salary_min",
        "salary_max",
        "salary_currency",
    ):
        if data[name]:
            assert f'name="{name}" value="{data[name]}"' in html, name
    for name in ("notes", "posting_text"):
        assert f"{data[name]}</textarea>" in html, name
    for name in ("status", "priority", "remote"):
        select = _between(html, f'name="{name}"', "</select>")
        assert f'<option value="{data[name]}" selected>' in select, name


def test_create_form_is_offered_with_a_saved_status(alice_client):
    html = _html(alice_client.get("/opportunities/new/?status=applied"))
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<option value="applied" selected>' in _between(html, 'name="status"', "</select>")


def test_create_opportunity_saves_and_redirects(alice, alice_client):
    response = alice_client.post("/opportunities/new/", TYPED)

    opp = Opportunity.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{opp.pk}/"
    assert opp.company.name == "Umbrella Corp"
    assert opp.title == "Site Reliability Engineer"
    assert (opp.salary_min, opp.salary_max, opp.salary_currency) == (70_000, 85_000, "EUR")
    assert opp.priority == 3 and opp.remote == "hybrid"
    assert list(opp.events.values_list("status", flat=True)) == ["applied"]


def test_create_opportunity_uppercases_the_currency_and_reuses_the_company(alice, alice_client):
    existing = services.get_or_create_company(alice, "Umbrella Corp")
    alice_client.post(
        "/opportunities/new/", {**TYPED, "company_name": "umbrella corp", "salary_currency": "eur"}
    )
    opp = Opportunity.objects.get(owner=alice)
    assert opp.company_id == existing.pk
    assert opp.salary_currency == "EUR"


INVALID = [
    ({"title": ""}, "title", "This field is required."),
    ({"company_name": ""}, "company_name", "This field is required."),
    (
        {"salary_min": "90000", "salary_max": "80000"},
        "salary_max",
        "The maximum salary is below the minimum.",
    ),
    (
        {"salary_currency": "XYZ"},
        "salary_currency",
        "&#x27;XYZ&#x27; is not an ISO 4217 currency code",
    ),
    ({"salary_currency": ""}, "salary_currency", "Say which currency the salary is in."),
    ({"posting_url": "not a url"}, "posting_url", "Enter a valid URL."),
    ({"salary_min": "-5"}, "salary_min", "Ensure this value is greater than or equal to 0."),
    ({"status": "hired"}, "status", "Select a valid choice."),
]


@pytest.mark.parametrize(("change", "field", "message"), INVALID)
def test_create_opportunity_invalid_is_400_keeps_input_and_writes_nothing(
    alice, alice_client, change, field, message
):
    data = {**TYPED, **change}
    before = _snapshot()

    response = alice_client.post("/opportunities/new/", data)
    html = _html(response)

    assert response.status_code == 400
    assert message in html
    assert f'id="id_{field}-error"' in html
    assert "nothing was saved yet" in html
    if field != "status":
        _assert_keeps_typed_values(html, data)
    assert _snapshot() == before


def test_edit_form_shows_the_current_values(alice, alice_client):
    opp = _new(
        alice,
        "Site Reliability Engineer",
        company="Umbrella Corp",
        **{k: v for k, v in TYPED.items() if k not in ("company_name", "title")},
    )
    html = _html(alice_client.get(f"/opportunities/{opp.pk}/edit/"))
    _assert_keeps_typed_values(html, TYPED)


def test_edit_opportunity_updates_and_records_a_status_change(alice, alice_client):
    opp = _new(alice, "Old title", company="Umbrella Corp", status="applied")

    response = alice_client.post(
        f"/opportunities/{opp.pk}/edit/",
        {**TYPED, "title": "New title", "status": "offer", "company_name": "Globex"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{opp.pk}/"
    opp.refresh_from_db()
    assert opp.title == "New title"
    assert opp.status == "offer"
    assert opp.company.name == "Globex"
    assert list(opp.events.values_list("status", flat=True)) == ["applied", "offer"]


def test_edit_opportunity_without_a_status_change_records_no_event(alice, alice_client):
    opp = _new(alice, "Old title", company="Umbrella Corp", status="applied")
    alice_client.post(f"/opportunities/{opp.pk}/edit/", {**TYPED, "status": "applied"})
    assert opp.events.count() == 1


@pytest.mark.parametrize(("change", "field", "message"), INVALID)
def test_edit_opportunity_invalid_is_400_keeps_input_and_writes_nothing(
    alice, alice_client, change, field, message
):
    opp = _new(alice, "Original", company="Original Co", status="saved")
    data = {**TYPED, **change}
    before = _snapshot()

    response = alice_client.post(f"/opportunities/{opp.pk}/edit/", data)
    html = _html(response)

    assert response.status_code == 400
    assert message in html
    assert f'id="id_{field}-error"' in html
    if field != "status":
        _assert_keeps_typed_values(html, data)
    assert _snapshot() == before


def test_edit_of_another_users_opportunity_is_404_and_changes_nothing(bob_client, opp):
    before = _snapshot()
    response = bob_client.post(f"/opportunities/{opp.pk}/edit/", {**TYPED, "title": "Hijacked"})
    assert response.status_code == 404
    assert _snapshot() == before


# --- delete ----------------------------------------------------------------------------------


def test_delete_get_asks_for_confirmation_and_deletes_nothing(alice_client, opp, interview):
    before = _snapshot()
    response = alice_client.get(f"/opportunities/{opp.pk}/delete/")
    html = _html(response)
    assert response.status_code == 200
    assert "Delete this opportunity?" in html
    assert "Data Engineer at Northwind Analytics" in html
    assert "and 1 interview go with it" in html
    assert _snapshot() == before


def test_delete_post_removes_the_opportunity_its_interviews_and_events(
    alice, alice_client, opp, interview
):
    keep = _new(alice, "Keep me")

    response = alice_client.post(f"/opportunities/{opp.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/opportunities/"
    assert not Opportunity.objects.filter(pk=opp.pk).exists()
    assert not Interview.objects.filter(pk=interview.pk).exists()
    assert not StatusEvent.objects.filter(opportunity_id=opp.pk).exists()
    assert Opportunity.objects.filter(pk=keep.pk).exists()
    assert keep.events.count() == 1


def test_delete_of_another_users_opportunity_is_404(bob_client, opp):
    before = _snapshot()
    assert bob_client.post(f"/opportunities/{opp.pk}/delete/").status_code == 404
    assert _snapshot() == before


# --- interviews list -------------------------------------------------------------------------


@pytest.fixture
def new_york(alice):
    Profile.objects.filter(user=alice).update(timezone="America/New_York")


def test_interview_list_shows_upcoming_and_past_in_the_users_timezone(
    alice, alice_client, new_york
):
    upcoming_opp = _new(alice, "Future role", company="Future Co")
    past_opp = _new(alice, "Past role", company="Past Co")
    services.create_interview(
        alice, upcoming_opp, starts_at=datetime(2099, 1, 15, 15, 0, tzinfo=UTC)
    )
    services.create_interview(alice, past_opp, starts_at=datetime(2020, 1, 15, 16, 30, tzinfo=UTC))

    upcoming = _html(alice_client.get("/interviews/"))
    past = _html(alice_client.get("/interviews/?show=past"))

    assert "Upcoming (1)" in upcoming and "Past (1)" in upcoming
    assert "America/New_York" in upcoming
    assert re.search(r"Jan 15, 2099 10:00</time>", upcoming)
    assert "15:00</time>" not in upcoming
    assert "Future Co" in upcoming and "Past Co" not in upcoming

    assert re.search(r"Jan 15, 2020 11:30</time>", past)
    assert "Past Co" in past and "Future Co" not in past


def test_interview_list_in_summer_uses_daylight_time(alice, alice_client, new_york):
    opp = _new(alice, "Summer role")
    services.create_interview(alice, opp, starts_at=datetime(2099, 7, 15, 15, 0, tzinfo=UTC))
    assert re.search(r"Jul 15, 2099 11:00</time>", _html(alice_client.get("/interviews/")))


def test_interview_list_never_shows_another_users_interviews(bob_client, interview):
    html = _html(bob_client.get("/interviews/"))
    assert "Upcoming (0)" in html
    assert "Northwind Analytics" not in html


# --- interview create / edit -----------------------------------------------------------------


def _interview_data(opp, **change):
    data = {
        "opportunity": str(opp.pk),
        "kind": "technical",
        "date": "2026-12-01",
        "time": "14:00",
        "timezone": "Europe/Paris",
        "duration_minutes": "90",
        "status": "scheduled",
        "location": "Room 4",
        "video_url": "",
        "notes": "Bring a laptop",
    }
    data.update(change)
    return data


@pytest.mark.parametrize(
    ("date", "time", "tz", "expected"),
    [
        ("2026-12-01", "14:00", "Europe/Paris", datetime(2026, 12, 1, 13, 0, tzinfo=UTC)),
        ("2026-07-01", "14:00", "Europe/Paris", datetime(2026, 7, 1, 12, 0, tzinfo=UTC)),
        ("2026-12-01", "09:30", "America/New_York", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("2026-12-01", "14:00", "UTC", datetime(2026, 12, 1, 14, 0, tzinfo=UTC)),
    ],
)
def test_interview_create_combines_date_time_and_zone_into_utc(
    alice, alice_client, date, time, tz, expected
):
    opp = _new(alice, "Interviewing role")

    response = alice_client.post(
        "/interviews/new/", _interview_data(opp, date=date, time=time, timezone=tz)
    )

    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{opp.pk}/"
    interview = Interview.objects.get(owner=alice)
    assert interview.starts_at == expected
    assert interview.timezone == tz
    assert interview.opportunity == opp
    assert (interview.kind, interview.duration_minutes, interview.location) == (
        "technical",
        90,
        "Room 4",
    )


def test_interview_create_refuses_a_local_time_the_clocks_skip(alice, alice_client):
    """02:30 on 29 March 2026 never happens in Paris; it must not become 03:30 silently."""
    opp = _new(alice, "Interviewing role")
    before = _snapshot()

    response = alice_client.post(
        "/interviews/new/", _interview_data(opp, date="2026-03-29", time="02:30")
    )

    assert response.status_code == 400
    assert 'id="id_time-error"' in _html(response)
    assert "02:30 does not exist on 2026-03-29 in Europe/Paris" in _html(response)
    assert _snapshot() == before


def test_interview_create_takes_the_first_of_a_repeated_local_time(alice, alice_client):
    opp = _new(alice, "Interviewing role")
    alice_client.post("/interviews/new/", _interview_data(opp, date="2026-10-25", time="02:30"))
    interview = Interview.objects.get(owner=alice)
    assert interview.starts_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_interview_form_defaults_to_the_users_timezone_and_chosen_opportunity(
    alice, alice_client, new_york
):
    opp = _new(alice, "Interviewing role")
    html = _html(alice_client.get(f"/interviews/new/?opportunity={opp.pk}"))
    zone = _between(html, 'name="timezone"', "</select>")
    assert '<option value="America/New_York" selected>' in zone
    choice = _between(html, 'name="opportunity"', "</select>")
    assert f'<option value="{opp.pk}" selected>' in choice


def test_interview_edit_shows_local_date_and_time_in_the_interviews_timezone(
    alice, alice_client, new_york
):
    opp = _new(alice, "Interviewing role")
    interview = services.create_interview(
        alice, opp, starts_at=datetime(2026, 12, 1, 13, 0, tzinfo=UTC), timezone="Europe/Paris"
    )

    html = _html(alice_client.get(f"/interviews/{interview.pk}/edit/"))

    assert 'name="date" value="2026-12-01"' in html
    assert re.search(r'name="time" value="14:00(:00)?"', html)
    zone = _between(html, 'name="timezone"', "</select>")
    assert '<option value="Europe/Paris" selected>' in zone


def test_interview_edit_saves_a_new_local_time(alice, alice_client):
    opp = _new(alice, "Interviewing role")
    interview = services.create_interview(
        alice, opp, starts_at=datetime(2026, 12, 1, 13, 0, tzinfo=UTC), timezone="Europe/Paris"
    )

    response = alice_client.post(
        f"/interviews/{interview.pk}/edit/", _interview_data(opp, time="15:30", status="done")
    )

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.starts_at == datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    assert interview.status == "done"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": ""}, "date", "This field is required."),
        ({"time": "25:99"}, "time", "Enter a valid time."),
        ({"timezone": "Mars/Olympus"}, "timezone", "Select a valid choice."),
        ({"duration_minutes": "-5"}, "duration_minutes", "greater than or equal to 0"),
        ({"video_url": "not a url"}, "video_url", "Enter a valid URL."),
    ],
)
@pytest.mark.parametrize("page", ["new", "edit"])
def test_interview_form_errors_are_400_keep_input_and_write_nothing(
    alice, alice_client, change, field, message, page
):
    opp = _new(alice, "Interviewing role")
    url = "/interviews/new/"
    if page == "edit":
        interview = services.create_interview(
            alice, opp, starts_at=datetime(2026, 11, 1, 9, 0, tzinfo=UTC), location="Lobby"
        )
        url = f"/interviews/{interview.pk}/edit/"
    data = _interview_data(opp, **change)
    before = _snapshot()

    response = alice_client.post(url, data)
    html = _html(response)

    assert response.status_code == 400
    assert message in html
    assert f'id="id_{field}-error"' in html
    assert 'name="location" value="Room 4"' in html
    assert "Bring a laptop</textarea>" in html
    if field != "duration_minutes":
        assert 'name="duration_minutes" value="90"' in html
    else:
        assert 'name="duration_minutes" value="-5"' in html
    if field != "time":
        assert 'name="time" value="14:00"' in html
    assert '<option value="technical" selected>' in html
    assert _snapshot() == before


def test_interview_form_never_offers_another_users_opportunity(alice, bob, bob_client, opp):
    mine = _new(bob, "Bob's role", company="Bob Co")

    html = _html(bob_client.get("/interviews/new/"))
    choice = _between(html, 'name="opportunity"', "</select>")

    assert f'<option value="{mine.pk}"' in choice
    assert f'value="{opp.pk}"' not in choice
    assert "Northwind" not in html


def test_interview_form_refuses_a_forged_opportunity_of_another_user(bob, bob_client, opp):
    _new(bob, "Bob's role", company="Bob Co")
    before = _snapshot()

    response = bob_client.post("/interviews/new/", _interview_data(opp))

    assert response.status_code == 400
    assert 'id="id_opportunity-error"' in _html(response)
    assert "Select a valid choice." in _html(response)
    assert _snapshot() == before


def test_interview_edit_refuses_moving_to_another_users_opportunity(bob, bob_client, opp):
    mine = _new(bob, "Bob's role", company="Bob Co")
    bobs_interview = services.create_interview(
        bob, mine, starts_at=datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    )
    before = _snapshot()

    response = bob_client.post(f"/interviews/{bobs_interview.pk}/edit/", _interview_data(opp))

    assert response.status_code == 400
    assert 'id="id_opportunity-error"' in _html(response)
    assert _snapshot() == before


def test_interview_edit_of_another_users_interview_is_404(bob_client, interview):
    before = _snapshot()
    response = bob_client.post(
        f"/interviews/{interview.pk}/edit/", _interview_data(interview.opportunity)
    )
    assert response.status_code == 404
    assert _snapshot() == before


def test_interview_edit_page_shows_and_keeps_the_interviewers(alice_client, interview):
    """The form lists the interviewers by name; sending them back keeps the same contacts."""
    contact = Contact.objects.get(name="Dana Reyes")
    page = alice_client.get(f"/interviews/{interview.pk}/edit/")
    assert 'value="Dana Reyes"' in _html(page)
    data = _interview_data(interview.opportunity) | {"interviewers": "dana reyes"}
    alice_client.post(f"/interviews/{interview.pk}/edit/", data)
    assert list(interview.interviewers.all()) == [contact]
    assert Contact.objects.filter(name__iexact="dana reyes").count() == 1


def test_interview_form_turns_new_interviewer_names_into_contacts(alice_client, interview):
    data = _interview_data(interview.opportunity) | {"interviewers": "Dana Reyes,  Sam   Lee ,"}
    response = alice_client.post(f"/interviews/{interview.pk}/edit/", data)
    assert response.status_code == 302
    names = sorted(c.name for c in interview.interviewers.all())
    assert names == ["Dana Reyes", "Sam Lee"]
    sam = Contact.objects.get(name="Sam Lee")
    assert sam.owner == interview.owner
    assert sam.company == interview.opportunity.company


# --- health and errors -----------------------------------------------------------------------


def test_healthz_is_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("url", ["/no-such-page/", "/opportunities/999999/"])
def test_404_is_the_friendly_page(alice_client, url):
    response = alice_client.get(url)
    html = _html(response)
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in html
    assert "Back to your dashboard" in html
    assert "Traceback" not in html


def test_404_for_a_visitor_is_the_friendly_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Not found" in _html(response)
    assert "Traceback" not in _html(response)


# --- CSRF ------------------------------------------------------------------------------------


@pytest.fixture
def strict_client(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def test_opportunity_form_needs_the_csrf_token(alice, strict_client):
    page = strict_client.get("/opportunities/new/")
    assert 'name="csrfmiddlewaretoken"' in _html(page)
    before = _snapshot()

    refused = strict_client.post("/opportunities/new/", TYPED)

    assert refused.status_code == 403
    assert _snapshot() == before

    token = strict_client.cookies["csrftoken"].value
    accepted = strict_client.post("/opportunities/new/", {**TYPED, "csrfmiddlewaretoken": token})

    assert accepted.status_code == 302
    assert Opportunity.objects.filter(owner=alice, title=TYPED["title"]).count() == 1


def test_status_form_needs_the_csrf_token(alice, strict_client):
    opp = _new(alice, "Guarded", status="applied")
    page = strict_client.get("/board/")
    assert 'name="csrfmiddlewaretoken"' in _between(_html(page), f'id="card-{opp.pk}"', "</form>")
    before = _snapshot()

    refused = strict_client.post(f"/opportunities/{opp.pk}/status/", {"status": "offer"})
    refused_htmx = strict_client.post(
        f"/opportunities/{opp.pk}/status/", {"status": "offer"}, **HTMX
    )

    assert refused.status_code == 403
    assert refused_htmx.status_code == 403
    assert _snapshot() == before

    token = strict_client.cookies["csrftoken"].value
    accepted = strict_client.post(
        f"/opportunities/{opp.pk}/status/", {"status": "offer", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    opp.refresh_from_db()
    assert opp.status == "offer"
    # htmx sends the token in a header (base.html's hx-headers) instead of the form.
    via_header = strict_client.post(
        f"/opportunities/{opp.pk}/status/", {"status": "accepted"}, HTTP_X_CSRFTOKEN=token, **HTMX
    )
    assert via_header.status_code == 200
    opp.refresh_from_db()
    assert opp.status == "accepted"
