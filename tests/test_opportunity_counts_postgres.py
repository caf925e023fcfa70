"""The opportunity count triggers under concurrent writes on PostgreSQL (issue 18): two
transactions of one user moving opportunities in opposite directions never deadlock (the
trigger takes the owner's lock before any count row), and the counts stay exact.

PostgreSQL only: ``DATABASE_URL=postgres://... pytest tests/test_opportunity_counts_postgres.py``.
The migrations' SQL check at the end runs on both databases.
"""

from __future__ import annotations

import importlib
import threading
from collections import Counter

import pytest
from django.db import connection, transaction

from sayyes.pipeline import counts
from sayyes.pipeline.models import Company, Opportunity, OpportunityCount, Status

ROUNDS = 12  # transactions per thread in the interleaved test (each pair would deadlock)
TOGGLES = 150  # single moves per thread in the plain test


def _in_threads(*jobs) -> list[BaseException]:
    """Run each job on a thread of its own (each with its own connection); the errors."""
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            job()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is still waiting"
    return errors


def _move(pk: int, status: str) -> None:
    # A queryset update, as the services' conditional writes are: the trigger counts it.
    Opportunity.objects.filter(pk=pk).update(status=status)


def _assert_counts_exact(user) -> None:
    stored = Counter(
        {
            (r.status, r.furthest_stage): r.n
            for r in OpportunityCount.objects.filter(owner_id=user.pk)
        }
    )
    fresh = Counter(Opportunity.objects.filter(owner=user).values_list("status", "furthest_stage"))
    assert stored == fresh


def _opportunities(user, *statuses: str) -> list[int]:
    company = Company.objects.create(owner=user, name="Acme")
    return [
        Opportunity.objects.create(owner=user, company=company, title=f"Job {i}", status=s).pk
        for i, s in enumerate(statuses)
    ]


@pytest.mark.django_db(transaction=True)
def test_opposite_moves_in_two_transactions_wait_instead_of_deadlocking(alice):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time")
    a1, a2, b1, b2 = _opportunities(
        alice, Status.SAVED, Status.REJECTED, Status.APPLIED, Status.SCREENING
    )
    # Each transaction makes two moves with the other's first move in between, if the other
    # gets that far: the first locks (saved, screening) and then wants (rejected, applied),
    # the second locks (applied, rejected) and then wants (screening, saved). Without the
    # owner's lock, each would hold the rows the other wants.
    # Each round moves the two back and forth between the same two statuses, so the rows
    # each move locks stay the same.
    first_done = [threading.Event(), threading.Event()]

    def one(me: int, moves: list[tuple[int, str, str]]) -> None:
        other = 1 - me
        for round_ in range(ROUNDS):
            with transaction.atomic():
                for step, (pk, there, back) in enumerate(moves):
                    _move(pk, there if round_ % 2 == 0 else back)
                    if step == 0:
                        first_done[me].set()
                        # With the owner's lock, the other is waiting for this transaction.
                        first_done[other].wait(timeout=0.3)
            first_done[other].clear()

    errors = _in_threads(
        lambda: one(
            0, [(a1, Status.SCREENING, Status.SAVED), (a2, Status.APPLIED, Status.REJECTED)]
        ),
        lambda: one(
            1, [(b1, Status.REJECTED, Status.APPLIED), (b2, Status.SAVED, Status.SCREENING)]
        ),
    )
    assert errors == []
    _assert_counts_exact(alice)


@pytest.mark.django_db(transaction=True)
def test_many_opposite_single_moves_keep_the_counts_exact(alice, bob):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time")
    a, b = _opportunities(alice, Status.SAVED, Status.APPLIED)
    (c,) = _opportunities(bob, Status.SAVED)

    def toggle(pk: int, first: str, second: str) -> None:
        for i in range(TOGGLES):
            with transaction.atomic():
                _move(pk, second if i % 2 == 0 else first)

    errors = _in_threads(
        lambda: toggle(a, Status.SAVED, Status.APPLIED),
        lambda: toggle(b, Status.APPLIED, Status.SAVED),
        lambda: toggle(c, Status.SAVED, Status.APPLIED),
    )
    assert errors == []
    _assert_counts_exact(alice)
    _assert_counts_exact(bob)


def test_the_sql_in_counts_is_what_the_latest_migrations_installed():
    """counts.py describes the triggers as they are; the migrations keep frozen copies."""
    m9 = importlib.import_module("sayyes.pipeline.migrations.0009_opportunity_counts")
    m10 = importlib.import_module("sayyes.pipeline.migrations.0010_opportunity_counts_owner_lock")
    assert counts.SQLITE_CREATE == m9.SQLITE_CREATE
    assert counts.SQLITE_DROP == m9.SQLITE_DROP
    assert counts.POSTGRES_DROP == m9.POSTGRES_DROP
    assert counts.POSTGRES_FUNCTION == m10.FUNCTION_WITH_OWNER_LOCK
    assert counts.POSTGRES_CREATE[1:] == m9.POSTGRES_CREATE[1:]
    assert "pg_advisory_xact_lock" in m10.FUNCTION_WITH_OWNER_LOCK
