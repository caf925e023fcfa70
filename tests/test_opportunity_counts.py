"""The per-user opportunity counts kept by database triggers (issue 18) always equal a fresh
count, whichever way the opportunities were written: the services, bulk writes, queryset
updates, the demo, an account's deletion."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayyes.demo import fill_demo
from sayyes.pipeline import services
from sayyes.pipeline.counts import refresh_opportunity_counts
from sayyes.pipeline.models import Company, Opportunity, OpportunityCount, Status
from sayyes.portability.deletion import delete_account

STATUSES = list(Status.values)


def stored(user) -> Counter:
    return Counter(
        {
            (row.status, row.furthest_stage): row.n
            for row in OpportunityCount.objects.filter(owner_id=user.pk)
        }
    )


def fresh(user) -> Counter:
    return Counter(Opportunity.objects.filter(owner=user).values_list("status", "furthest_stage"))


def assert_counts_match(user) -> None:
    assert stored(user) == fresh(user)
    assert not OpportunityCount.objects.filter(owner_id=user.pk, n__lte=0).exists()


steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.sampled_from(STATUSES), st.integers(0, 5)),
        st.tuples(st.just("change"), st.sampled_from(STATUSES), st.integers(0, 50)),
        st.tuples(st.just("delete"), st.just(""), st.integers(0, 50)),
        st.tuples(st.just("bulk"), st.sampled_from(STATUSES), st.integers(1, 4)),
        st.tuples(st.just("update"), st.sampled_from(STATUSES), st.integers(0, 3)),
    ),
    max_size=25,
)


@pytest.mark.django_db
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_stored_counts_equal_a_fresh_count_after_any_sequence_of_writes(alice, bob, steps):
    Opportunity.objects.filter(owner__in=[alice, bob]).delete()
    services.create_opportunity(bob, company_name="Other", title="Bob's", status="offer")
    company = Company.objects.get_or_create(owner=alice, name="Acme")[0]
    for kind, status, n in steps:
        mine = list(Opportunity.objects.filter(owner=alice).order_by("id"))
        if kind == "create":
            services.create_opportunity(alice, company_name=f"C{n}", title="Job", status=status)
        elif kind == "change" and mine:
            services.change_status(mine[n % len(mine)], status)
        elif kind == "delete" and mine:
            services.delete_opportunity(mine[n % len(mine)])
        elif kind == "bulk":  # bypasses save() and the services, as the imports do
            Opportunity.objects.bulk_create(
                Opportunity(owner=alice, company=company, title=f"Bulk {i}", status=status)
                for i in range(n)
            )
        elif kind == "update":  # a queryset update: the stage and status of many at once
            Opportunity.objects.filter(owner=alice, id__in=[o.id for o in mine[::2]]).update(
                status=status, furthest_stage=n
            )
        assert_counts_match(alice)
    assert_counts_match(bob)
    counts = services.status_counts(alice)
    assert sum(counts.values()) == Opportunity.objects.filter(owner=alice).count()


@pytest.mark.django_db
def test_the_demo_and_an_account_deletion_keep_the_counts(alice, bob):
    fill_demo(alice, scale=1)
    services.create_opportunity(bob, company_name="Other", title="Bob's", status="applied")
    assert_counts_match(alice)
    assert services.funnel(alice)[0][1] == (
        Opportunity.objects.filter(owner=alice, furthest_stage__gte=1).count()
    )

    delete_account(alice)

    assert not OpportunityCount.objects.filter(owner_id=alice.pk).exists()
    assert_counts_match(bob)


@pytest.mark.django_db
def test_refresh_rebuilds_counts_that_went_wrong(alice, bob):
    for status in ["saved", "applied", "applied", "offer"]:
        services.create_opportunity(alice, company_name="Acme", title="Job", status=status)
    services.create_opportunity(bob, company_name="Other", title="Job", status="saved")
    OpportunityCount.objects.filter(owner_id=alice.pk).update(n=99)  # as if written around

    assert refresh_opportunity_counts(alice.pk) == len(fresh(alice))

    assert_counts_match(alice)
    assert_counts_match(bob)
    refresh_opportunity_counts()
    assert_counts_match(alice)
    assert_counts_match(bob)


@pytest.mark.django_db
def test_dashboard_shows_the_counts_and_says_99_plus_past_its_cap(alice, alice_client):
    from datetime import timedelta

    from django.utils import timezone

    from sayyes.network.models import Contact, FollowUp

    for status in ["saved", "applied", "applied"]:
        services.create_opportunity(alice, company_name="Acme", title="Job", status=status)
    contact = Contact.objects.create(owner=alice, name="Ann")
    past = timezone.now() - timedelta(days=2)
    FollowUp.objects.bulk_create(
        FollowUp(owner=alice, contact=contact, due_at=past) for _ in range(5)
    )
    page = alice_client.get("/").content.decode()
    assert "<strong>5</strong> follow-ups due" in page
    assert "5 overdue" in page

    FollowUp.objects.bulk_create(
        FollowUp(owner=alice, contact=contact, due_at=past) for _ in range(100)
    )
    page = alice_client.get("/").content.decode()
    assert "<strong>99+</strong> follow-ups due" in page
    assert "99+ overdue" in page
    # The status boxes, from the count rows.
    assert '<span class="n">2</span><span class="label">Applied</span>' in page
    assert '<span class="n">1</span><span class="label">Saved</span>' in page


@pytest.mark.django_db
def test_the_recount_command_repairs_the_counts(alice):
    from io import StringIO

    from django.core.management import call_command

    services.create_opportunity(alice, company_name="Acme", title="Job", status="applied")
    OpportunityCount.objects.all().delete()
    out = StringIO()

    call_command("recount_opportunities", stdout=out)

    assert out.getvalue().strip() == "Recounted: 1 count row."
    assert_counts_match(alice)
