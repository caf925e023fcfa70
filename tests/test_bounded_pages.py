"""Pages and API lists are bounded by what a person can read (issue 18).

Each test counts a page's queries (and checks what it shows) with a little demo data, then
again after much more: the number of queries must not grow with the data.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sayyes.agenda.services import OVERDUE_PAGE, PER_DAY, build_agenda
from sayyes.demo import fill_demo
from sayyes.network.models import Contact, FollowUp
from sayyes.pipeline import services as pipeline
from tests.conftest import api


def _queries(client, path: str, **headers) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries), response.content


def _crowd_the_week(user, opp, n: int) -> None:
    """``n`` interviews tomorrow and ``n`` follow-ups due tomorrow and overdue."""
    tomorrow = timezone.now() + timedelta(days=1)
    contact = Contact.objects.create(owner=user, name=f"Crowd {n}")
    for i in range(n):
        pipeline.create_interview(
            user, opp, starts_at=tomorrow.replace(hour=9) + timedelta(minutes=i), timezone="UTC"
        )
    FollowUp.objects.bulk_create(
        [
            FollowUp(owner=user, contact=contact, kind="check_in", due_at=when)
            for i in range(n)
            for when in (tomorrow.replace(hour=12), timezone.now() - timedelta(days=3, minutes=i))
        ]
    )


def _grow(user, opp) -> None:
    fill_demo(user, scale=2, seed=7)
    _crowd_the_week(user, opp, 40)


@pytest.mark.django_db
def test_the_agenda_page_lists_a_readable_day_whatever_the_data(alice_client, alice, opp):
    fill_demo(alice, scale=1)
    _crowd_the_week(alice, opp, 3)
    small, _ = _queries(alice_client, "/agenda/")
    _grow(alice, opp)
    large, html = _queries(alice_client, "/agenda/")
    assert large == small
    agenda = build_agenda(alice)
    tomorrow = agenda.days[1]
    assert len(tomorrow.interviews) == PER_DAY and tomorrow.interview_count >= 43
    assert len(tomorrow.followups) == PER_DAY and tomorrow.followup_count >= 43
    assert len(agenda.overdue) == OVERDUE_PAGE and agenda.overdue_count >= 43
    text = html.decode()
    assert f"and {tomorrow.more_interviews} more interviews that day" in text
    assert f"and {tomorrow.more_followups} more follow-ups due that day" in text
    # The earliest of the day are the ones listed.
    starts = [i.starts_at for i in tomorrow.interviews]
    assert starts == sorted(starts)


@pytest.mark.django_db
def test_the_api_agenda_is_paged(client, alice, alice_token, opp):
    fill_demo(alice, scale=1)
    _crowd_the_week(alice, opp, 3)
    api(client, "get", "/agenda", alice_token)  # the token's first use is written down
    with CaptureQueriesContext(connection) as ctx:
        assert api(client, "get", "/agenda", alice_token).status_code == 200
    small = len(ctx.captured_queries)
    _grow(alice, opp)
    with CaptureQueriesContext(connection) as ctx:
        body = api(client, "get", "/agenda?per_day=5&overdue_limit=7", alice_token).json()
    assert len(ctx.captured_queries) == small
    tomorrow = body["days"][1]
    assert len(tomorrow["interviews"]) == 5 and tomorrow["interview_count"] >= 43
    assert len(tomorrow["followups"]) == 5 and tomorrow["followup_count"] >= 43
    assert len(body["overdue"]) == 7 and body["overdue_count"] >= 43
    # The next page of overdue follow-ups starts where the first stopped, oldest first.
    second = api(client, "get", "/agenda?overdue_limit=7&overdue_offset=7", alice_token).json()
    first_ids = [f["id"] for f in body["overdue"]]
    assert not set(first_ids) & {f["id"] for f in second["overdue"]}
    assert body["overdue"][-1]["due_at"] <= second["overdue"][0]["due_at"]
    # Out of bounds is a 422 naming the field.
    bad = api(client, "get", "/agenda?per_day=0", alice_token)
    assert bad.status_code == 422 and "per_day" in bad.content.decode()


# --- Triage: free slots over sorted busy stretches ------------------------------------------


def _brute_free_slots(busy, *, length, tz, now, count=3):
    """The free slots worked out the slow way, in Python, over every busy interval."""
    from sayyes.triage.costs import SLOT_BUFFER, SLOT_DAYS, SLOT_STARTS, WORK_END, WORK_START

    first = now.astimezone(tz).date() + timedelta(days=1)
    slots = []
    for day in (first + timedelta(days=n) for n in range(SLOT_DAYS)):
        if day.weekday() >= 5 or len(slots) >= count:
            continue
        for hour in SLOT_STARTS:
            start = datetime.combine(day, time(hour), tz)
            end = start + length
            if end > datetime.combine(day, time(WORK_END), tz) or hour < WORK_START:
                continue
            if all(not (s - SLOT_BUFFER < end and e + SLOT_BUFFER > start) for s, e in busy):
                slots.append(start)
                break
    return slots


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(4))
def test_a_slot_is_free_exactly_when_it_misses_every_busy_interview(alice, opp, seed):
    """The database's answer (one EXISTS per candidate slot) against a walk over every busy
    interval, on crowded random calendars with long and short interviews."""
    import random

    from sayyes.pipeline.models import Interview
    from sayyes.triage.costs import free_slots

    rng = random.Random(seed)
    tz = ZoneInfo(["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"][seed])
    now = datetime(2026, 12, 3, 15, 7, tzinfo=UTC)
    Interview.objects.filter(owner=alice).delete()
    rows = []
    for _ in range(rng.randint(40, 160)):
        starts = now + timedelta(minutes=rng.randint(0, 24 * 60 * 24))
        minutes = rng.choice([15, 30, 45, 60, 90, 240, 600])
        status = rng.choice(["scheduled", "invited", "done", "cancelled"])
        rows.append(
            Interview(
                owner=alice,
                opportunity=opp,
                starts_at=starts,
                duration_minutes=minutes,
                status=status,
                timezone="UTC",
            )
        )
    Interview.objects.bulk_create(rows)
    busy = [
        (i.starts_at, i.starts_at + timedelta(minutes=i.duration_minutes))
        for i in rows
        if i.status in ("scheduled", "invited")
    ]
    for minutes in (30, 60, 120):
        length = timedelta(minutes=minutes)
        found = free_slots(alice, duration_minutes=minutes, tz=tz, now=now, count=5)
        assert found == _brute_free_slots(busy, length=length, tz=tz, now=now, count=5)


@pytest.mark.django_db
def test_triage_reads_only_the_candidate_window_whatever_the_data(alice_client, alice, opp):
    interview = opp.interviews.get()
    fill_demo(alice, scale=1)
    small, _ = _queries(alice_client, f"/interviews/{interview.pk}/triage/")
    _grow(alice, opp)
    large, html = _queries(alice_client, f"/interviews/{interview.pk}/triage/")
    assert large == small


# --- Dashboard: the funnel from each opportunity's stored furthest stage ----------------------


def _funnel_from_events(user) -> list[tuple[str, int]]:
    """The funnel counted the slow way, from every status event."""
    from sayyes.pipeline.models import FUNNEL_RANK, StatusEvent

    best: dict[int, int] = {}
    for opp_id, status in StatusEvent.objects.owned_by(user).values_list(
        "opportunity_id", "status"
    ):
        best[opp_id] = max(best.get(opp_id, 0), FUNNEL_RANK.get(status, 0))
    stages = ["applied", "screening", "interviewing", "offer"]
    return [(s, sum(1 for r in best.values() if r >= FUNNEL_RANK[s])) for s in stages]


@pytest.mark.django_db
def test_the_dashboard_funnel_is_kept_per_opportunity(alice_client, alice, opp):
    fill_demo(alice, scale=1)
    small, _ = _queries(alice_client, "/")
    assert pipeline.funnel(alice) == _funnel_from_events(alice)
    _grow(alice, opp)
    large, _ = _queries(alice_client, "/")
    assert large == small
    assert pipeline.funnel(alice) == _funnel_from_events(alice)
    # A status change raises it; going back (or rejected) never lowers it.
    fresh = pipeline.create_opportunity(alice, company_name="Umber", title="Analyst")
    assert fresh.furthest_stage == 0
    pipeline.change_status(fresh, "interviewing")
    pipeline.change_status(fresh, "rejected")
    fresh.refresh_from_db()
    assert fresh.furthest_stage == 3
    pipeline.update_opportunity(fresh, status="offer")
    fresh.refresh_from_db()
    assert fresh.furthest_stage == 4
    assert pipeline.funnel(alice) == _funnel_from_events(alice)


@pytest.mark.django_db
def test_the_migration_fills_the_furthest_stage_from_the_events(alice, opp):
    import importlib

    from django.apps import apps

    from sayyes.pipeline.models import Opportunity

    fill_demo(alice, scale=1)
    Opportunity.objects.update(furthest_stage=0)
    migration = importlib.import_module(
        "sayyes.pipeline.migrations.0004_opportunity_furthest_stage_interview_index"
    )
    migration.fill_furthest_stage(apps, None)
    assert pipeline.funnel(alice) == _funnel_from_events(alice)
    assert Opportunity.objects.filter(furthest_stage__gt=0).exists()


@pytest.mark.django_db
def test_an_archive_import_sets_the_furthest_stage(alice, bob, opp):
    from sayyes.portability.archive import export_archive_bytes, import_archive

    fill_demo(alice, scale=1)
    import_archive(bob, export_archive_bytes(alice))
    assert pipeline.funnel(bob) == pipeline.funnel(alice) == _funnel_from_events(bob)


# --- Opportunities: the company picker asks for names as you type ----------------------------


@pytest.mark.django_db
def test_the_company_picker_answers_at_most_20_of_your_names(alice_client, alice, bob):
    from sayyes.pipeline.models import Company

    Company.objects.bulk_create(
        [Company(owner=alice, name=f"Acme Works {n:02}") for n in range(30)]
        + [Company(owner=alice, name="Old Acme"), Company(owner=bob, name="Acme of Bob")]
    )
    html = alice_client.get("/companies/names/?company=acme").content.decode()
    assert html.count("<option") == 20
    assert "Acme Works 00" in html and "Old Acme" not in html and "Bob" not in html
    # Names that start with what was typed come first; the rest follow.
    html = alice_client.get("/companies/names/?company_name=old a").content.decode()
    assert html.count("<option") == 1 and "Old Acme" in html
    html = alice_client.get("/companies/names/?q=works 29").content.decode()
    assert html.strip() == '<option value="Acme Works 29">'
    # Enough names start with it: the one range of the name index answers, in name order.
    with CaptureQueriesContext(connection) as queries:
        names = pipeline.company_names(alice, "ACME w")
    assert names == [f"Acme Works {n:02}" for n in range(20)]
    assert len(queries.captured_queries) == 1
    # Too few do: names that only contain it follow; a name beyond ASCII is found too
    # (SQLite's lower() leaves "É" as it is, so the range misses it and the scan finds it).
    Company.objects.create(owner=alice, name="École Vétérinaire")
    assert pipeline.company_names(alice, "École") == ["École Vétérinaire"]
    assert pipeline.company_names(alice, "vétérinaire") == ["École Vétérinaire"]
    assert pipeline.company_names(alice, "Acme")[-1] == "Acme Works 19"
    assert pipeline.company_names(alice, "acme of") == []
    # Names are escaped.
    Company.objects.create(owner=alice, name='<b>"Bold"</b> Co')
    html = alice_client.get("/companies/names/?q=bold").content.decode()
    assert "<b>" not in html and "&lt;b&gt;" in html


@pytest.mark.django_db
def test_the_opportunities_page_no_longer_carries_every_company(alice_client, alice, opp):
    from sayyes.pipeline.models import Company

    fill_demo(alice, scale=1)
    small, small_html = _queries(alice_client, "/opportunities/")
    _grow(alice, opp)
    large, html = _queries(alice_client, "/opportunities/")
    assert large == small
    assert Company.objects.owned_by(alice).count() > 100
    assert html.count(b"<option value=") - small_html.count(b"<option value=") == 0
    assert b'hx-get="/companies/names/"' in html
    # The new-opportunity form too: suggestions for what is typed, never all the names.
    _, form = _queries(alice_client, "/opportunities/new/")
    assert form.count(b"<option value=") < 40


# --- A company's journal: the planner knows the data (SQLite statistics) -------------------


@pytest.mark.django_db
def test_the_demo_leaves_postgresql_statistics_too(alice):
    """Autovacuum would analyse the new rows a minute or more later; the demo (read at once
    by the benchmarks) asks for the statistics before it returns."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's statistics are checked below")

    def rows_planned() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'pipeline_interview'")
            return cursor.fetchone()[0]

    from sayyes.pipeline.models import Interview

    fill_demo(alice, scale=1)
    # Analysed now: the planner's row count is the table's (a small table is read whole).
    assert rows_planned() == Interview.objects.count() > 100


@pytest.mark.django_db
def test_the_demo_leaves_sqlite_statistics_for_the_journal_query(alice, opp):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL gathers its own statistics")
    from sayyes.pipeline.models import Interview

    fill_demo(alice, scale=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'pipeline_interview'")
        assert cursor.fetchone()[0] > 0
    company = opp.company
    journal = Interview.objects.owned_by(alice).filter(opportunity__company=company)
    plan = journal.order_by("starts_at").explain()
    # The company's opportunities first, then their interviews by the composite index; not
    # every interview of the user by the owner index.
    assert "USING INDEX interview_opp_starts" in plan, plan
    assert "pipeline_in_owner" not in plan, plan


@pytest.mark.django_db
def test_the_triage_lists_five_clashes_and_counts_the_rest(alice_client, alice, opp):
    interview = opp.interviews.get()
    for minutes in range(8):
        pipeline.create_interview(
            alice, opp, starts_at=interview.starts_at + timedelta(minutes=minutes), timezone="UTC"
        )
    html = alice_client.get(f"/interviews/{interview.pk}/triage/").content.decode()
    listed = html.split('<ul class="plain conflicts">', 1)[1].split("</ul>", 1)[0]
    assert listed.count("Overlaps your") == 5
    assert "and 3 more clashes" in listed
    # The recommendation names two and counts the rest: 2 + 5 in all.
    assert html.count("Overlaps your") == 7 and "And 6 more clashes." in html


def _offers_in_hand(user, n: int, start: int = 0) -> None:
    from sayyes.pipeline.models import Company, Opportunity

    for i in range(start, start + n):
        company = Company.objects.create(owner=user, name=f"Offering {i}")
        Opportunity.objects.create(owner=user, company=company, title="Engineer", status="offer")


@pytest.mark.django_db
def test_triage_names_a_few_competing_offers_and_counts_the_rest(alice_client, alice, opp):
    interview = opp.interviews.get()
    path = f"/interviews/{interview.pk}/triage/"
    _offers_in_hand(alice, 3)
    small, _ = _queries(alice_client, path)
    _offers_in_hand(alice, 30, start=3)
    with CaptureQueriesContext(connection) as ctx:
        response = alice_client.get(path)
    assert response.status_code == 200
    assert len(ctx.captured_queries) == small
    assert "You have 33 competing offers (Offering" in response.content.decode()
    # The offer-stage opportunities are counted in the database; only the named few are read.
    loads = [
        q["sql"]
        for q in ctx.captured_queries
        if '"pipeline_opportunity"."status" = \'offer\'' in q["sql"] and "COUNT(" not in q["sql"]
    ]
    assert loads and all("LIMIT 3" in sql for sql in loads)


@pytest.mark.django_db
def test_triage_counts_your_rounds_of_a_kind_from_an_index(alice, opp):
    """The practice reason's count reads only the rounds of that status and kind."""
    from sayyes.pipeline.models import Interview

    if connection.vendor != "sqlite":
        pytest.skip("the query plan is read on SQLite")
    rounds = Interview.objects.owned_by(alice).filter(kind="onsite", status="done")
    sql, params = rounds.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "interview_owner_status_kind" in plan, plan


# --- Board: the first cards of each column, read in order from an index --------------------


@pytest.mark.django_db
def test_the_board_shows_the_first_cards_of_each_column_and_counts_the_rest(
    alice_client, alice, opp
):
    from sayyes.pipeline.models import Opportunity, Status
    from sayyes.pipeline.views import BOARD_CARDS_PER_COLUMN

    fill_demo(alice, scale=1)
    small, _ = _queries(alice_client, "/board/")
    _grow(alice, opp)
    large, html = _queries(alice_client, "/board/")
    assert large == small
    text = html.decode()
    counts = pipeline.status_counts(alice)
    for status in Status:
        column = text.split(f'<div class="cards" data-status="{status.value}">', 1)[1]
        column = column.split("</section>", 1)[0]
        shown = column.count('<article class="opp-card ')
        assert shown == min(counts[status.value], BOARD_CARDS_PER_COLUMN), status
        assert f'data-count-for="{status.value}">{counts[status.value]}<' in text
        if counts[status.value] > BOARD_CARDS_PER_COLUMN:
            assert f'?status={status.value}">All {counts[status.value]} →' in column
    # The cards shown are the column's first in the board's order (priority, then latest).
    busiest = max(Status, key=lambda s: counts[s.value])
    first = list(
        Opportunity.objects.owned_by(alice)
        .filter(status=busiest)
        .order_by("-priority", "-updated_at", "-id")
        .values_list("pk", flat=True)[:BOARD_CARDS_PER_COLUMN]
    )
    column = text.split(f'<div class="cards" data-status="{busiest.value}">', 1)[1]
    column = column.split("</section>", 1)[0]
    for pk in first:
        assert f"/opportunities/{pk}/" in column


@pytest.mark.django_db
def test_the_board_column_is_read_from_its_index(alice):
    if connection.vendor != "sqlite":
        pytest.skip("the query plan is read on SQLite")
    from sayyes.pipeline.models import Opportunity

    column = (
        Opportunity.objects.owned_by(alice)
        .filter(status="applied")
        .order_by("-priority", "-updated_at", "-id")
    )
    plan = column[:20].explain()
    assert "opportunity_board_column" in plan and "TEMP B-TREE" not in plan, plan


# --- Dashboard: the latest changes from the end of an index ---------------------------------


@pytest.mark.django_db
def test_the_latest_changes_are_the_users_newest_events(alice, bob, opp):
    from sayyes.pipeline.models import StatusEvent

    fill_demo(alice, scale=1)
    fill_demo(bob, scale=1, seed=3)
    latest = pipeline.latest_events(alice, 8)
    expected = list(StatusEvent.objects.owned_by(alice).order_by("-at", "-id")[:8])
    assert [e.pk for e in latest] == [e.pk for e in expected]
    assert all(e.opportunity.owner_id == alice.pk for e in latest)
    # Bob's newer events never show in Alice's.
    bobs = pipeline.create_opportunity(bob, company_name="Later", title="Newest")
    pipeline.change_status(bobs, "applied")
    assert [e.pk for e in pipeline.latest_events(alice, 8)] == [e.pk for e in expected]


@pytest.mark.django_db
def test_a_quiet_account_gets_its_older_changes_among_busy_ones(alice, bob):
    """Fewer than 8 changes in the window: the user's own events, never another's, even
    when every recent event on the server is someone else's."""
    from datetime import timedelta

    from django.utils import timezone

    from sayyes.pipeline.models import StatusEvent

    old = pipeline.create_opportunity(alice, company_name="Quiet", title="Old role")
    pipeline.change_status(old, "applied")
    long_ago = timezone.now() - timedelta(days=pipeline.LATEST_WINDOW_DAYS + 10)
    StatusEvent.objects.filter(opportunity=old).update(at=long_ago)
    fill_demo(bob, scale=1, seed=3)

    latest = pipeline.latest_events(alice, 8)

    assert [(e.opportunity_id, e.status) for e in latest] == [
        (old.pk, "applied"),
        (old.pk, "saved"),
    ]


# --- Insights: stored terms' counts, the companies with the most debriefs -----------------


@pytest.mark.django_db
def test_insights_read_a_bounded_share_whatever_the_data(
    alice_client, alice, opp, client, alice_token, monkeypatch
):
    from sayyes.journal import insights
    from sayyes.journal.models import Debrief
    from sayyes.pipeline.models import Opportunity

    monkeypatch.setattr(insights, "MAX_INSIGHT_COMPANIES", 3)
    fill_demo(alice, scale=1)
    small, small_html = _queries(alice_client, "/insights/")
    small_data = insights.industry_insights(alice)
    _grow(alice, opp)
    large, html = _queries(alice_client, "/insights/")
    assert large == small
    # The page no longer grows with the companies: it counts them.
    assert len(html) < len(small_html) * 1.3
    data = insights.industry_insights(alice)
    assert len(data["themes"]) == len(small_data["themes"]) == insights.THEMES
    assert len(data["requirements"]) == insights.REQUIREMENTS
    total = Debrief.objects.owned_by(alice).count()
    assert data["debriefs"] == data["debriefs_read"] == total
    # Every posting counts (their terms are stored, not read again per request).
    postings = Opportunity.objects.owned_by(alice).exclude(posting_text="").count()
    assert data["postings"] == data["postings_total"] == postings > small_data["postings"]
    assert len(data["interest"]) == 3 < data["interest_total"]
    text = html.decode()
    assert f"{postings} postings." in text
    assert f"The 3 companies with the most debriefs, of {data['interest_total']}" in text
    # The listed companies are those with the most debriefs, each with its mean interest.
    per_company: dict[int, list] = {}
    for d in Debrief.objects.owned_by(alice).select_related("interview__opportunity"):
        per_company.setdefault(d.interview.opportunity.company_id, []).append(d)
    most = sorted(len(v) for v in per_company.values())[-3:]
    assert sorted(i["debriefs"] for i in data["interest"]) == most
    for item in data["interest"]:
        mine = [d.overall_interest for d in per_company[item["company_id"]] if d.overall_interest]
        expected = round(sum(mine) / len(mine), 2) if mine else None
        assert item["overall_interest"] == expected
    # The API says the same, with every company's name.
    body = api(client, "get", "/insights", alice_token).json()
    assert body["interest"] == data["interest"] and body["companies_total"] == len(
        body["companies"]
    )


@pytest.mark.django_db
def test_the_market_reason_counts_companies_only_as_far_as_its_score_reads(alice, opp):
    """Past five companies interviewed at, the score is the same and the sentence says "more
    than 5"; up to five it names the number, as before."""
    from sayyes.pipeline.models import Company, Interview, Opportunity
    from sayyes.triage import reasons

    interview = opp.interviews.get()

    def interviewed_at(n: int, prefix: str) -> None:
        for i in range(n):
            company = Company.objects.create(owner=alice, name=f"{prefix} {i}")
            other = Opportunity.objects.create(owner=alice, company=company, title="Analyst")
            for _ in range(2):  # two rounds at one company count once
                pipeline.create_interview(
                    alice, other, starts_at=timezone.now() - timedelta(days=30), timezone="UTC"
                )
        Interview.objects.owned_by(alice).exclude(pk=interview.pk).update(status="done")

    interviewed_at(5, "First")
    five = reasons.market(interview)
    assert "compare with the 5 companies you have interviewed at" in five.why
    Interview.objects.owned_by(alice).exclude(pk=interview.pk).delete()
    interviewed_at(9, "Then")
    many = reasons.market(interview)
    assert "the many companies (more than 5)" in many.why
    assert many.score == five.score


# --- Contacts and companies: the first rows of their order, read from an index -------------


@pytest.mark.django_db
def test_the_contacts_to_check_in_with_and_the_companies_page_are_read_from_indexes(alice):
    """The check-in suggestions (longest untouched first) and a page of companies in name
    order walk an index from its start and stop, instead of sorting every row."""
    if connection.vendor != "sqlite":
        pytest.skip("the query plan is read on SQLite")
    from django.db.models.functions import Lower

    from sayyes.network import services as network
    from sayyes.network.models import Contact
    from sayyes.pipeline.models import Company

    with CaptureQueriesContext(connection) as ctx:
        network.checkin_suggestions(alice, limit=5)
    sql = next(q["sql"] for q in ctx.captured_queries if "network_contact" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "contact_owner_touched" in plan and "TEMP B-TREE" not in plan, plan
    assert Contact._meta.ordering == ["name", "id"]
    page = Company.objects.owned_by(alice).order_by(Lower("name"), "pk")[:50].explain()
    assert "company_owner_lower_name" in page and "TEMP B-TREE" not in page, page


@pytest.mark.django_db
def test_the_opportunities_list_takes_its_total_from_the_stored_counts(alice_client, alice, bob):
    from sayyes.pipeline.models import Opportunity

    fill_demo(alice, scale=1)
    pipeline.create_opportunity(bob, company_name="Bob Co", title="Not alice's")
    total = Opportunity.objects.filter(owner=alice).count()
    applied = Opportunity.objects.filter(owner=alice, status="applied").count()
    for path, n in (("/opportunities/", total), ("/opportunities/?status=applied", applied)):
        with CaptureQueriesContext(connection) as ctx:
            html = alice_client.get(path).content.decode()
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
        assert not [sql for sql in counts if "pipeline_opportunity" in sql], path
        assert f"{n} opportunities." in html, path
        assert f"of {-(-n // 25)}" in html, path  # "Page 1 of N"
    # A search, a company or a priority is counted, as before.
    html = alice_client.get("/opportunities/?priority=3").content.decode()
    high = Opportunity.objects.filter(owner=alice, priority=3).count()
    assert f"{high} opportunit" in html
