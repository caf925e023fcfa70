"""The companies API: list, create, read, change and delete one user's companies."""

from __future__ import annotations

import pytest

from sayyes.pipeline.models import Company
from tests.conftest import api

FIELDS = {"id", "name", "industry", "website", "location", "notes"}


def _post(client, token, **body):
    return api(client, "post", "/companies", token, json=body)


def _snapshot(user):
    return list(Company.objects.filter(owner=user).order_by("pk").values())


def _error_fields(response) -> set[str]:
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    for item in detail:
        assert item["msg"]
    return {item["loc"][-1] for item in detail}


def test_it_creates_a_company_with_every_field(client, alice, alice_token):
    response = _post(
        client,
        alice_token,
        name="  Contoso  ",
        industry="Technology",
        website="https://contoso.example/",
        location="Lisbon",
        notes="Friendly.",
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == FIELDS
    assert body == {
        "id": body["id"],
        "name": "Contoso",
        "industry": "Technology",
        "website": "https://contoso.example/",
        "location": "Lisbon",
        "notes": "Friendly.",
    }
    company = Company.objects.get(pk=body["id"])
    assert (company.owner, company.name, company.location) == (alice, "Contoso", "Lisbon")


def test_a_company_needs_only_a_name(client, alice_token):
    response = _post(client, alice_token, name="Contoso")

    assert response.status_code == 201
    assert response.json() | {"id": 0} == {
        "id": 0,
        "name": "Contoso",
        "industry": "",
        "website": "",
        "location": "",
        "notes": "",
    }


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Contoso", "industry": "Alchemy"}, "industry"),
        ({"name": "Contoso", "website": "not a url"}, "website"),
        ({"name": "Contoso", "website": "ftp://contoso.example/"}, "website"),
        ({"name": "Contoso", "location": "x" * 201}, "location"),
        ({"name": "Con\x00toso"}, "name"),
        ({"name": "Contoso", "notes": "a\x00b"}, "notes"),
    ],
)
def test_it_rejects_a_bad_company_and_writes_nothing(client, alice, alice_token, body, field):
    response = _post(client, alice_token, **body)

    assert field in _error_fields(response)
    assert not Company.objects.exists()


def test_a_duplicate_name_in_another_case_is_422_naming_name(client, alice, alice_token):
    _post(client, alice_token, name="Contoso")
    before = _snapshot(alice)

    response = _post(client, alice_token, name="  CONTOSO ", notes="again")

    assert _error_fields(response) == {"name"}
    assert _snapshot(alice) == before


def test_a_name_that_only_the_database_finds_equal_is_a_clean_answer(client, alice, alice_token):
    # U+212A KELVIN SIGN lower-cases to "k" in PostgreSQL's LOWER(), which the unique
    # constraint uses, but not in its UPPER(), which iexact uses. Either answer is fine;
    # a server error is not.
    _post(client, alice_token, name="k")

    response = _post(client, alice_token, name="\u212a")

    assert response.status_code in (201, 422), response.content
    if response.status_code == 422:
        assert _error_fields(response) == {"name"}
        assert Company.objects.filter(owner=alice).count() == 1


def test_bob_may_have_a_company_named_like_alices(client, alice_token, bob, bob_token):
    _post(client, alice_token, name="Contoso")

    response = _post(client, bob_token, name="contoso")

    assert response.status_code == 201
    assert Company.objects.get(pk=response.json()["id"]).owner == bob
    assert Company.objects.filter(name__iexact="contoso").count() == 2


def test_it_lists_companies_by_name_with_a_count(client, alice_token):
    for name in ("beta", "Alpha", "Gamma"):
        _post(client, alice_token, name=name)

    body = api(client, "get", "/companies", alice_token).json()

    assert body["count"] == 3
    assert [c["name"] for c in body["items"]] == ["Alpha", "beta", "Gamma"]
    assert all(set(c) == FIELDS for c in body["items"])


def test_the_list_pages_with_limit_and_offset(client, alice_token):
    for i in range(5):
        _post(client, alice_token, name=f"Company {i}")

    page = api(client, "get", "/companies?limit=2&offset=3", alice_token).json()
    beyond = api(client, "get", "/companies?limit=2&offset=10", alice_token).json()

    assert page["count"] == 5
    assert [c["name"] for c in page["items"]] == ["Company 3", "Company 4"]
    assert beyond == {"items": [], "count": 5}


def test_the_list_searches_names(client, alice_token):
    for name in ("Contoso", "Northwind", "Fabrikam"):
        _post(client, alice_token, name=name)

    body = api(client, "get", "/companies?q=WIND", alice_token).json()

    assert body["count"] == 1
    assert body["items"][0]["name"] == "Northwind"


@pytest.mark.parametrize(
    "query,field",
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("offset=-1", "offset"),
        ("offset=99999999999999999999999", "offset"),
        ("q=a%00b", "q"),
    ],
)
def test_a_bad_list_query_is_422_naming_it(client, alice_token, query, field):
    response = api(client, "get", f"/companies?{query}", alice_token)

    assert _error_fields(response) == {field}


def test_it_reads_one_company(client, alice_token):
    created = _post(client, alice_token, name="Contoso", location="Lisbon").json()

    response = api(client, "get", f"/companies/{created['id']}", alice_token)

    assert response.status_code == 200
    assert response.json() == created


def test_patch_changes_only_the_fields_sent(client, alice, alice_token):
    created = _post(
        client,
        alice_token,
        name="Contoso",
        industry="Retail",
        website="https://contoso.example/",
        location="Lisbon",
        notes="Old notes.",
    ).json()

    response = api(
        client, "patch", f"/companies/{created['id']}", alice_token, json={"notes": "New notes."}
    )

    assert response.status_code == 200
    assert response.json() == created | {"notes": "New notes."}
    assert Company.objects.get(pk=created["id"]).notes == "New notes."
    assert Company.objects.get(pk=created["id"]).industry == "Retail"


def test_patch_clears_the_website_when_sent_null(client, alice_token):
    created = _post(client, alice_token, name="Contoso", website="https://contoso.example/")

    response = api(
        client, "patch", f"/companies/{created.json()['id']}", alice_token, json={"website": None}
    )

    assert response.status_code == 200
    assert response.json()["website"] == ""


def test_patch_may_change_only_the_case_of_the_name(client, alice_token):
    created = _post(client, alice_token, name="contoso").json()

    response = api(
        client, "patch", f"/companies/{created['id']}", alice_token, json={"name": "Contoso"}
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Contoso"


def test_patch_to_a_name_already_taken_is_422_and_changes_nothing(client, alice, alice_token):
    _post(client, alice_token, name="Contoso")
    other = _post(client, alice_token, name="Fabrikam").json()
    before = _snapshot(alice)

    response = api(
        client,
        "patch",
        f"/companies/{other['id']}",
        alice_token,
        json={"name": "CONTOSO", "notes": "renamed"},
    )

    assert _error_fields(response) == {"name"}
    assert _snapshot(alice) == before


@pytest.mark.parametrize(
    "body,field",
    [
        ({"name": ""}, "name"),
        ({"industry": "Alchemy"}, "industry"),
        ({"website": "nope"}, "website"),
        ({"notes": "\x00"}, "notes"),
    ],
)
def test_a_bad_patch_is_422_and_changes_nothing(client, alice, alice_token, body, field):
    created = _post(client, alice_token, name="Contoso").json()
    before = _snapshot(alice)

    response = api(client, "patch", f"/companies/{created['id']}", alice_token, json=body)

    assert _error_fields(response) == {field}
    assert _snapshot(alice) == before


def test_it_deletes_a_company_without_opportunities(client, alice, alice_token):
    created = _post(client, alice_token, name="Contoso").json()

    response = api(client, "delete", f"/companies/{created['id']}", alice_token)

    assert response.status_code == 204
    assert not Company.objects.filter(pk=created["id"]).exists()
    assert api(client, "get", f"/companies/{created['id']}", alice_token).status_code == 404


def test_deleting_a_company_with_opportunities_is_422_and_deletes_nothing(
    client, alice, alice_token, opp
):
    before = _snapshot(alice)

    response = api(client, "delete", f"/companies/{opp.company_id}", alice_token)

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"]
    assert _snapshot(alice) == before
    assert opp.company.opportunities.count() == 1


def test_an_unknown_company_is_404(client, alice_token):
    response = api(client, "get", "/companies/999999", alice_token)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
