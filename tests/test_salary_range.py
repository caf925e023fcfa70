"""A salary range never goes from high to low: every door refuses it with a field error
naming salary_max, and the database refuses it too (a check constraint)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from sayyes.pipeline import services
from sayyes.pipeline.models import Opportunity

from .conftest import api


def _opp(user, **fields):
    return services.create_opportunity(
        user, company_name="Northwind", title="Data Engineer", **fields
    )


def test_the_database_refuses_a_minimum_above_the_maximum(alice):
    opp = _opp(alice, salary_min=70_000, salary_max=80_000, salary_currency="EUR")
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opp.pk).update(salary_min=90_000)
    opp.refresh_from_db()
    assert (opp.salary_min, opp.salary_max) == (70_000, 80_000)


@pytest.mark.parametrize(
    ("low", "high"), [(None, None), (90_000, None), (None, 10), (80_000, 80_000), (1, 2)]
)
def test_the_database_takes_an_open_or_equal_or_rising_range(alice, low, high):
    opp = _opp(alice, salary_currency="EUR")
    Opportunity.objects.filter(pk=opp.pk).update(salary_min=low, salary_max=high)
    opp.refresh_from_db()
    assert (opp.salary_min, opp.salary_max) == (low, high)


def test_the_service_refuses_it_naming_the_maximum(alice):
    with pytest.raises(ValidationError) as caught:
        _opp(alice, salary_min=90_000, salary_max=10_000, salary_currency="EUR")
    assert caught.value.message_dict == {"salary_max": ["The maximum salary is below the minimum."]}
    assert not Opportunity.objects.exists()


def test_the_form_refuses_it_naming_the_maximum(alice_client):
    response = alice_client.post(
        "/opportunities/new/",
        {
            "company_name": "Northwind",
            "title": "Data Engineer",
            "status": "saved",
            "priority": "2",
            "salary_min": "90000",
            "salary_max": "10000",
            "salary_currency": "EUR",
        },
    )
    assert response.status_code == 400
    assert "The maximum salary is below the minimum." in response.content.decode()
    assert not Opportunity.objects.exists()


def test_the_api_refuses_it_naming_the_maximum(client, alice_token):
    response = api(
        client,
        "post",
        "/opportunities",
        alice_token,
        json={
            "company_name": "Northwind",
            "title": "Data Engineer",
            "salary_min": 90_000,
            "salary_max": 10_000,
            "salary_currency": "EUR",
        },
    )
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["salary_max"]
    assert not Opportunity.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_swaps_a_reversed_range_before_adding_the_constraint():
    before = [("pipeline", "0002_interview_sequence")]
    after = [("pipeline", "0003_opportunity_salary_range")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("auth", "User").objects.create(username="carol")
    company = old.get_model("pipeline", "Company").objects.create(owner_id=user.pk, name="Acme")
    Opp = old.get_model("pipeline", "Opportunity")
    reversed_range = Opp.objects.create(
        owner_id=user.pk, company_id=company.pk, title="SRE", salary_min=90, salary_max=10
    )
    fine = Opp.objects.create(
        owner_id=user.pk, company_id=company.pk, title="SWE", salary_min=10, salary_max=90
    )

    executor = MigrationExecutor(connection)  # reads the migrations applied now
    executor.migrate(after)
    Opp = executor.loader.project_state(after).apps.get_model("pipeline", "Opportunity")
    try:
        rows = dict(Opp.objects.values_list("pk", "salary_min").order_by("pk"))
        assert rows == {reversed_range.pk: 10, fine.pk: 10}
        assert Opp.objects.get(pk=reversed_range.pk).salary_max == 90
    finally:  # the rest of the suite runs on the latest schema
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
