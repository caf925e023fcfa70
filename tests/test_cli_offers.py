"""`sayyes offers`: the list and the comparison, in process."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from sayyes.offers import services
from sayyes.pipeline.services import create_opportunity
from tests.conftest import api
from tests.test_cli import assert_one_line_error, run_main


@pytest.fixture
def offers(alice, bob):
    current = services.create_offer(alice, is_current=True, label="Globex", base_salary=D("90000"))
    acme = services.create_offer(
        alice,
        opportunity=create_opportunity(alice, company_name="Acme", title="Lead", status="offer"),
        base_salary=D("100000.50"),
        sign_on=D("5000"),
    )
    secret = services.create_offer(
        bob,
        opportunity=create_opportunity(bob, company_name="Bobco", title="Secret", status="offer"),
        base_salary=D("1"),
    )
    return current, acme, secret


def test_offers_lists_that_users_offers_with_exact_totals(offers, client, alice_token):
    current, acme, _ = offers
    result = run_main("offers", "--user", "alice", "--json")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [r["id"] for r in rows] == [current.pk, acme.pk]
    assert rows[1]["total_4y"] == "405002.00"
    assert rows == api(client, "get", "/offers", alice_token).json()["items"]
    table = run_main("offers", "--user", "alice")
    assert "Acme — Lead" in table.out and "405,002.00 USD" in table.out
    assert "Bobco" not in table.out


def test_offers_compare_prints_a_table_with_the_difference(offers, client, alice_token):
    current, acme, _ = offers
    result = run_main("offers", "--user", "alice", "--compare", str(acme.pk), str(current.pk))
    assert result.code == 0, result.err
    assert "Compared in USD" in result.out and "Globex" in result.out
    data = json.loads(
        run_main(
            "offers", "--user", "alice", "--json", "--compare", str(acme.pk), str(current.pk)
        ).out
    )
    assert data["baseline_id"] == current.pk
    assert [o["total_4y"] for o in data["offers"]] == ["360000.00", "405002.00"]
    assert data["offers"][1]["difference_4y"] == "45002.00"
    ids = f"{acme.pk},{current.pk}"
    assert data == api(client, "get", f"/offers/compare?ids={ids}", alice_token).json()


def test_offers_compare_refuses_someone_elses_offer_and_missing_rates(offers, alice):
    current, acme, secret = offers
    result = run_main("offers", "--user", "alice", "--compare", str(acme.pk), str(secret.pk))
    assert_one_line_error(result, f"No offer #{secret.pk}.")
    services.update_offer(acme, currency="EUR")
    result = run_main("offers", "--user", "alice", "--compare", str(acme.pk), str(current.pk))
    assert_one_line_error(result, "No exchange rate from EUR to USD")
    result = run_main("offers", "--user", "alice", str(acme.pk))
    assert_one_line_error(result, "--compare")
