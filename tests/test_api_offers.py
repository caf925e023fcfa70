"""The offers API: CRUD with yearly and total_4y, compare, negotiation, rounds, rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from sayyes.offers import services
from sayyes.offers.models import ExchangeRate, NegotiationRound, Offer
from sayyes.pipeline import services as pipeline
from tests.conftest import api


def _opp(user, company="Acme", status="offer"):
    return pipeline.create_opportunity(user, company_name=company, title="Engineer", status=status)


def _snapshot():
    return {
        "offers": list(Offer.objects.values()),
        "rounds": list(NegotiationRound.objects.values()),
        "rates": list(ExchangeRate.objects.values()),
    }


def test_create_an_offer_and_read_its_years_as_exact_decimal_strings(client, alice, alice_token):
    opp = _opp(alice)
    response = api(
        client,
        "post",
        "/offers",
        alice_token,
        json={
            "opportunity_id": opp.pk,
            "currency": "usd",
            "base_salary": "160000.50",
            "bonus_kind": "fixed",
            "bonus_value": 5000,
            "sign_on": "10000",
            "equity_kind": "options",
            "option_count": 1000,
            "option_strike": "10",
            "option_value": "25.5",
            "vesting_percent_by_year": ["5", "15", "40", "40"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["currency"] == "USD"
    assert body["vesting_percent_by_year"] == ["5", "15", "40", "40"]
    assert body["yearly"][0] == {
        "year": 1,
        "base": "160000.50",
        "bonus": "5000.00",
        "sign_on": "10000.00",
        "equity": "775.00",
        "other": "0.00",
        "total": "175775.50",
    }
    assert [y["equity"] for y in body["yearly"]] == ["775.00", "2325.00", "6200.00", "6200.00"]
    assert body["total_4y"] == "685502.00"  # 640002 + 20000 + 10000 + 15500
    got = api(client, "get", f"/offers/{body['id']}", alice_token).json()
    assert got["total_4y"] == "685502.00"
    listed = api(client, "get", "/offers", alice_token).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"base_salary": "-1"}, "base_salary"),
        ({"sign_on": -5}, "sign_on"),
        ({"currency": "ZZZ"}, "currency"),
        ({"vesting_percent_by_year": [5, 15, 40, 30]}, "vesting_percent_by_year"),
        ({"cliff_months": 60}, "cliff_months"),
        ({"vesting_years": 2, "cliff_months": 25}, "cliff_months"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_saves_nothing(
    client, alice, alice_token, extra, field
):
    opp = _opp(alice)
    before = _snapshot()
    response = api(
        client,
        "post",
        "/offers",
        alice_token,
        json={"opportunity_id": opp.pk, "currency": "USD", "base_salary": "1", **extra},
    )
    assert response.status_code == 422, response.content
    assert field in [error["loc"][-1] for error in response.json()["detail"]]
    assert _snapshot() == before


def test_patch_changes_fields_ratings_and_refuses_bad_ones(client, alice, alice_token):
    offer = services.create_offer(alice, opportunity=_opp(alice), base_salary=D("100000"))
    response = api(
        client,
        "patch",
        f"/offers/{offer.pk}",
        alice_token,
        json={"base_salary": "110000", "target": "125000", "ratings": {"growth": 4}},
    )
    assert response.status_code == 200, response.content
    assert response.json()["base_salary"] == "110000.00"
    assert response.json()["ratings"] == {"growth": 4}
    before = _snapshot()
    response = api(client, "patch", f"/offers/{offer.pk}", alice_token, json={"cliff_months": 100})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "cliff_months"
    response = api(client, "patch", f"/offers/{offer.pk}", alice_token, json={"currency": None})
    assert response.status_code == 422
    assert _snapshot() == before
    assert api(client, "delete", f"/offers/{offer.pk}", alice_token).status_code == 204
    assert not Offer.objects.exists()


def test_compare(client, alice, bob, alice_token):
    current = services.create_offer(alice, is_current=True, label="Now", base_salary=D("100000"))
    offer = services.create_offer(alice, opportunity=_opp(alice), base_salary=D("120000"))
    response = api(client, "get", f"/offers/compare?ids={offer.pk},{current.pk}", alice_token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["currency"] == "USD" and body["baseline_id"] == current.pk
    assert [o["total_4y"] for o in body["offers"]] == ["400000.00", "480000.00"]
    assert body["offers"][1]["difference_4y"] == "80000.00"
    assert body["offers"][1]["yearly"][0]["total"] == "120000.00"
    theirs = services.create_offer(bob, opportunity=_opp(bob), base_salary=D("1"))
    response = api(client, "get", f"/offers/compare?ids={offer.pk},{theirs.pk}", alice_token)
    assert response.status_code == 404
    response = api(client, "get", f"/offers/compare?ids={offer.pk}", alice_token)
    assert response.status_code == 422
    response = api(client, "get", "/offers/compare?ids=1,x", alice_token)
    assert response.status_code == 422


def test_compare_without_a_rate_names_the_pair(client, alice, alice_token):
    a = services.create_offer(alice, opportunity=_opp(alice), currency="EUR", base_salary=D("1"))
    b = services.create_offer(
        alice, opportunity=_opp(alice, "B"), currency="GBP", base_salary=D("1")
    )
    response = api(client, "get", f"/offers/compare?ids={a.pk},{b.pk}", alice_token)
    assert response.status_code == 422
    assert "No exchange rate from EUR to USD" in response.json()["detail"][0]["msg"]
    for pair in (("EUR", "USD", "1.1"), ("GBP", "USD", "1.25")):
        response = api(
            client,
            "post",
            "/exchange-rates",
            alice_token,
            json={
                "from_currency": pair[0],
                "to_currency": pair[1],
                "rate": pair[2],
                "as_of": "2026-11-01",
            },
        )
        assert response.status_code == 201, response.content
    response = api(client, "get", f"/offers/compare?ids={a.pk},{b.pk}", alice_token)
    assert response.status_code == 200
    assert [o["total_4y"] for o in response.json()["offers"]] == ["4.40", "5.00"]


def test_negotiation_and_rounds(client, alice, alice_token):
    mine = services.create_offer(alice, opportunity=_opp(alice), base_salary=D("100000"))
    services.create_offer(
        alice,
        opportunity=_opp(alice, "Birch Labs"),
        base_salary=D("115000"),
        deadline=date(2026, 12, 1),
    )
    _opp(alice, "Cedar Health", status="screening")
    body = api(client, "get", f"/offers/{mine.pk}/negotiation", alice_token).json()
    kinds = [(item["kind"], item["company"]) for item in body["leverage"]]
    assert kinds == [("offer", "Birch Labs"), ("process", "Cedar Health")]
    assert body["leverage"][0]["base_salary"] == "115000.00"
    assert [item["used"] for item in body["leverage"]] == [True, False]
    assert body["leverage"][1]["why"].startswith("Left out: still early (screening")
    assert "Birch Labs" in body["draft"] and "Cedar Health" not in body["draft"]
    assert body["suggested_target"] == "115000.00"
    assert body["target"] is None
    response = api(
        client,
        "post",
        f"/offers/{mine.pk}/rounds",
        alice_token,
        json={"your_ask": "120000", "their_answer": "We'll check", "on": "2026-11-20"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["your_ask"] == "120000.00"
    response = api(client, "post", f"/offers/{mine.pk}/rounds", alice_token, json={"your_ask": -1})
    assert response.status_code == 422
    listed = api(client, "get", f"/offers/{mine.pk}/rounds", alice_token).json()
    assert listed["count"] == 1


def test_rates_api_refuses_bad_rates(client, alice, alice_token):
    for body, field in (
        (
            {"from_currency": "EUR", "to_currency": "QQQ", "rate": "1", "as_of": "2026-01-01"},
            "to_currency",
        ),
        (
            {"from_currency": "EUR", "to_currency": "USD", "rate": "0", "as_of": "2026-01-01"},
            "rate",
        ),
    ):
        response = api(client, "post", "/exchange-rates", alice_token, json=body)
        assert response.status_code == 422
        assert field in [e["loc"][-1] for e in response.json()["detail"]]
    assert not ExchangeRate.objects.exists()


def test_another_users_offers_are_404(client, alice, bob_token):
    offer = services.create_offer(alice, opportunity=_opp(alice), base_salary=D("1"))
    rate = services.set_rate(
        alice, from_currency="EUR", to_currency="USD", rate="1", as_of=date.today()
    )
    before = _snapshot()
    for method, path, body in (
        ("get", f"/offers/{offer.pk}", None),
        ("patch", f"/offers/{offer.pk}", {"base_salary": "5"}),
        ("delete", f"/offers/{offer.pk}", None),
        ("get", f"/offers/{offer.pk}/negotiation", None),
        ("get", f"/offers/{offer.pk}/rounds", None),
        ("post", f"/offers/{offer.pk}/rounds", {"your_ask": "1"}),
        ("delete", f"/exchange-rates/{rate.pk}", None),
        ("get", f"/offers/compare?ids={offer.pk},{offer.pk + 1}", None),
    ):
        assert api(client, method, path, bob_token, json=body).status_code == 404, path
    assert api(client, "get", "/offers", bob_token).json()["count"] == 0
    assert api(client, "get", "/exchange-rates", bob_token).json()["count"] == 0
    assert _snapshot() == before
