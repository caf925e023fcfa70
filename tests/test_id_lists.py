"""Id lists in a query string (``?ids=3,5``) are read one way, by ``sayyes.core.ids``.

A part that is not ASCII digits (``¹`` is a digit to ``str.isdigit()``) is a 422 naming
``ids`` in the API, never a 500; the pages keep their answers (404 for offers, 400 with
the reason for companies).
"""

from __future__ import annotations

from decimal import Decimal as D
from urllib.parse import quote

import pytest

from sayyes.offers import services as offers
from sayyes.pipeline import services as pipeline
from tests.conftest import api

JUNK = ["¹", "1,x", "1,¹", "٣,4", "1.5,2", "-1,2", "0,1", "9" * 30]


def _ids(raw: str) -> str:
    return quote(raw, safe=",")


@pytest.fixture
def two_offers(alice):
    opp = pipeline.create_opportunity(alice, company_name="Acme", title="Engineer")
    return (
        offers.create_offer(alice, opportunity=opp, base_salary=D("120000")),
        offers.create_offer(alice, is_current=True, label="Now", base_salary=D("100000")),
    )


@pytest.mark.parametrize("path", ["/offers/compare", "/companies/compare"])
@pytest.mark.parametrize("raw", JUNK)
def test_a_junk_id_list_is_a_422_naming_ids(client, alice, alice_token, path, raw):
    response = api(client, "get", f"{path}?ids={_ids(raw)}", alice_token)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["query", "ids"]
    assert "is not an id" in detail[0]["msg"]


def test_too_many_ids_is_a_422_naming_ids(client, alice, alice_token):
    many = ",".join(str(n) for n in range(1, 7))
    response = api(client, "get", f"/companies/compare?ids={many}", alice_token)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "ids"]


def test_the_offers_compare_endpoint_still_compares(client, alice, alice_token, two_offers):
    offer, current = two_offers
    response = api(client, "get", f"/offers/compare?ids={offer.pk},{current.pk}", alice_token)
    assert response.status_code == 200, response.content
    assert [o["id"] for o in response.json()["offers"]] == [current.pk, offer.pk]


@pytest.mark.parametrize("raw", JUNK)
def test_the_offers_compare_page_is_404_for_a_junk_id(alice_client, raw):
    assert alice_client.get(f"/offers/compare/?ids={_ids(raw)}").status_code == 404


@pytest.mark.parametrize("raw", JUNK)
def test_the_companies_compare_page_says_what_is_wrong(alice_client, raw):
    response = alice_client.get(f"/companies/compare/?ids={_ids(raw)}")
    assert response.status_code == 400
    assert "is not an id" in response.content.decode()


@pytest.mark.parametrize("raw", ["¹", "abc", "0", "9" * 30])
def test_a_junk_id_in_a_form_or_link_is_never_a_500(alice_client, opp, raw):
    # A question to practise, from a form: 404, as for another user's question.
    assert alice_client.post("/practice/start/", {"question": raw}).status_code == 404
    # A link that preselects an opportunity: the form, with nothing chosen.
    response = alice_client.get(f"/interviews/new/?opportunity={quote(raw)}")
    assert response.status_code == 200
    assert response.context["form"].initial.get("opportunity") is None
    # The page still preselects the user's own opportunity.
    response = alice_client.get(f"/interviews/new/?opportunity={opp.pk}")
    assert response.context["form"].initial["opportunity"] == opp.pk
