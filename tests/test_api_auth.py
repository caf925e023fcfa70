"""How the API knows who is asking: a bearer token, or the browser session with its CSRF token.

(That every route refuses anonymous callers and hides other users' objects is in
test_meta_ownership.py.)
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sayyes.accounts.models import ApiToken
from sayyes.pipeline.models import Company
from tests.conftest import api

NEW_COMPANY = {"name": "Contoso"}


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _csrf_token(client: Client) -> str:
    """GET a page that renders {% csrf_token %}; it sets the csrftoken cookie."""
    response = client.get("/")
    assert response.status_code == 200
    return client.cookies["csrftoken"].value


# --- Bearer tokens ------------------------------------------------------------------------


def test_a_bearer_token_acts_as_its_owner(client, alice, alice_token):
    response = api(client, "post", "/companies", alice_token, json=NEW_COMPANY)

    assert response.status_code == 201
    assert Company.objects.get(pk=response.json()["id"]).owner == alice


def test_a_bearer_token_lists_only_its_owners_objects(client, opp, bob, bob_token):
    Company.objects.create(owner=bob, name="Bob's Bakery")

    response = api(client, "get", "/companies", bob_token)

    assert response.status_code == 200
    assert [c["name"] for c in response.json()["items"]] == ["Bob's Bakery"]
    assert api(client, "get", "/opportunities", bob_token).json() == {"items": [], "count": 0}


def test_using_a_token_records_when_it_was_last_used(client, alice, alice_token):
    token = ApiToken.objects.get(user=alice)
    assert token.last_used_at is None
    before = timezone.now()

    assert api(client, "get", "/companies", alice_token).status_code == 200

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert before <= token.last_used_at <= timezone.now()


def test_a_token_used_again_soon_after_keeps_its_last_used_time(client, alice, alice_token):
    api(client, "get", "/companies", alice_token)
    first = ApiToken.objects.get(user=alice).last_used_at

    api(client, "get", "/companies", alice_token)

    assert ApiToken.objects.get(user=alice).last_used_at == first


def test_a_token_unused_for_a_while_gets_a_new_last_used_time(client, alice, alice_token):
    long_ago = timezone.now() - timedelta(hours=1)
    ApiToken.objects.filter(user=alice).update(last_used_at=long_ago)

    api(client, "get", "/companies", alice_token)

    assert ApiToken.objects.get(user=alice).last_used_at > long_ago


def test_a_revoked_token_gets_401_and_writes_nothing(client, alice, alice_token):
    ApiToken.objects.get(user=alice).revoke()

    read = api(client, "get", "/companies", alice_token)
    write = api(client, "post", "/companies", alice_token, json=NEW_COMPANY)

    assert read.status_code == 401
    assert write.status_code == 401
    assert isinstance(write.json()["detail"], str)
    assert not Company.objects.exists()


def test_a_token_of_a_deactivated_user_gets_401(client, alice, alice_token):
    alice.is_active = False
    alice.save()

    assert api(client, "get", "/companies", alice_token).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer garbage",
        "Bearer sy_",
        "Bearer ",
        "Bearer sy_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Basic YWxpY2U6Y29ycmVjdCBob3JzZQ==",
        "garbage",
    ],
)
def test_a_bad_authorization_header_gets_401_with_a_detail(client, alice, alice_token, header):
    response = client.post(
        "/api/v1/companies",
        NEW_COMPANY,
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )

    assert response.status_code == 401
    assert set(response.json()) == {"detail"}
    assert not Company.objects.exists()


def test_a_token_that_differs_by_one_character_gets_401(client, alice, alice_token):
    tampered = alice_token[:-1] + ("A" if alice_token[-1] != "A" else "B")

    assert api(client, "get", "/companies", tampered).status_code == 401


def test_anonymous_callers_are_told_how_to_authenticate(client, opp):
    response = api(client, "get", "/opportunities")

    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_the_version_needs_no_authentication(client):
    response = api(client, "get", "/version")

    assert response.status_code == 200
    assert response.json()["version"]


# --- Session and CSRF -----------------------------------------------------------------------


def test_a_session_reads_without_a_csrf_token(alice, opp):
    client = _csrf_client(alice)

    response = api(client, "get", "/opportunities")

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_a_session_write_without_the_csrf_token_is_refused_and_writes_nothing(alice):
    client = _csrf_client(alice)
    _csrf_token(client)  # the cookie is there; only the header is missing

    response = api(client, "post", "/companies", json=NEW_COMPANY)

    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Company.objects.exists()


def test_a_session_write_with_a_wrong_csrf_token_is_refused_and_writes_nothing(alice):
    client = _csrf_client(alice)
    _csrf_token(client)

    response = api(client, "post", "/companies", json=NEW_COMPANY, HTTP_X_CSRFTOKEN="x" * 64)

    assert response.status_code == 403
    assert not Company.objects.exists()


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_session_change_without_the_csrf_token_changes_nothing(alice, opp, method):
    client = _csrf_client(alice)
    _csrf_token(client)

    response = api(client, method, f"/opportunities/{opp.pk}", json={"title": "Changed"})

    assert response.status_code == 403
    opp.refresh_from_db()
    assert opp.title == "Data Engineer"


def test_a_session_write_with_the_csrf_token_succeeds(alice):
    client = _csrf_client(alice)
    token = _csrf_token(client)

    response = api(client, "post", "/companies", json=NEW_COMPANY, HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 201
    assert Company.objects.get().owner == alice


def test_a_bearer_token_needs_no_csrf_token(alice, alice_token):
    client = Client(enforce_csrf_checks=True)

    response = api(client, "post", "/companies", alice_token, json=NEW_COMPANY)

    assert response.status_code == 201
    assert Company.objects.filter(owner=alice).count() == 1


def test_a_logged_out_session_gets_401(alice):
    client = _csrf_client(alice)
    client.logout()

    assert api(client, "get", "/companies").status_code == 401
