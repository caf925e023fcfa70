"""Deleting an account removes every row, file, session and token of it, nothing else."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.test import Client

from sayyes.accounts.models import ApiToken, FailedLogin, LoginLink
from sayyes.accounts.services import issue_token, login_link
from sayyes.agenda.models import CalendarFeed
from sayyes.network.models import Contact
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import Company, Opportunity
from sayyes.portability import registry
from sayyes.portability.deletion import delete_account
from tests.test_cli import assert_one_line_error, run_main

PASSWORD = "correct horse battery staple"


def _bobs(bob):
    return {o.label: o.rows(bob).count() for o in registry.owned_models()}


def _fill(user):
    opp = pipeline.create_opportunity(user, company_name="Acme", title="Analyst")
    Contact.objects.create(owner=user, name="Pat", company=opp.company)
    issue_token(user, "x")
    login_link(user, "http://x")
    CalendarFeed.regenerate(user)
    FailedLogin.record(user.username)


def test_it_deletes_everything_of_the_user_and_nothing_else(alice, bob, opp):
    _fill(alice)
    _fill(bob)
    alice_client, bob_client = Client(), Client()
    alice_client.force_login(alice)
    bob_client.force_login(bob)
    bobs = _bobs(bob)
    alice_pk = alice.pk
    delete_account(alice)
    for model in (Opportunity, Company, Contact):
        assert not model.objects.filter(owner_id=alice_pk).exists()
    for model in (ApiToken, LoginLink, CalendarFeed):
        assert not model.objects.filter(user_id=alice_pk).exists()
    assert not FailedLogin.objects.filter(username="alice").exists()
    assert FailedLogin.objects.filter(username="bob").exists()
    assert _bobs(bob) == bobs
    # alice's session is gone, bob's still works.
    assert alice_client.get("/").status_code == 302
    assert bob_client.get("/").status_code == 200
    assert Session.objects.count() == 1


def test_the_page_asks_for_the_password_and_the_name(alice, alice_client, opp):
    page = alice_client.get("/settings/delete-account/")
    assert page.status_code == 200
    assert b"cannot be undone" in page.content and b"/settings/archive.zip" in page.content
    response = alice_client.post(
        "/settings/delete-account/", {"password": "wrong", "confirm": "alice"}
    )
    assert response.status_code == 400
    assert b"That is not your password." in response.content
    response = alice_client.post(
        "/settings/delete-account/", {"password": PASSWORD, "confirm": "alicia"}
    )
    assert response.status_code == 400 and b"Type alice to confirm." in response.content
    assert Opportunity.objects.filter(owner=alice).exists()
    response = alice_client.post(
        "/settings/delete-account/", {"password": PASSWORD, "confirm": "alice"}
    )
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert not Opportunity.objects.filter(pk=opp.pk).exists()
    assert alice_client.get("/").status_code == 302


def test_the_page_needs_a_post_with_csrf(alice, opp):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/settings/delete-account/", {"password": PASSWORD, "confirm": "alice"})
    assert response.status_code == 403
    assert Opportunity.objects.filter(pk=opp.pk).exists()
    assert client.get("/settings/delete-account/").status_code == 200
    assert Opportunity.objects.filter(pk=opp.pk).exists()


def test_the_cli_deletes_with_yes_and_asks_without(alice, bob, opp):
    bobs = _bobs(bob)
    result = run_main("user", "delete", "alice", stdin="n\n")
    assert result.code != 0
    assert Opportunity.objects.filter(pk=opp.pk).exists()
    result = run_main("user", "delete", "alice", "--yes")
    assert result.code == 0, result.err
    assert "Deleted 'alice'" in result.out
    assert not Opportunity.objects.filter(pk=opp.pk).exists()
    assert _bobs(bob) == bobs
    assert_one_line_error(run_main("user", "delete", "nobody", "--yes"), "no user named")
