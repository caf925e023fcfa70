"""Accounts: signing in (password, one-time link), throttling, settings, tokens, sign-up."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from sayyes.accounts.models import ApiToken, FailedLogin, LoginLink, Profile
from sayyes.accounts.services import create_user
from sayyes.accounts.views import GENERIC_LOGIN_ERROR

ALICE_PASSWORD = "correct horse battery staple"  # as in conftest
NEW_PASSWORD = "an entirely new passphrase 42"


def login(client: Client, username: str, password: str, **extra):
    return client.post("/login/", {"username": username, "password": password, **extra})


def signed_in_as(client: Client):
    """The user the client's session belongs to, or None."""
    from django.contrib.auth import SESSION_KEY

    pk = client.session.get(SESSION_KEY)
    return get_user_model().objects.filter(pk=pk).first() if pk else None


def alert(response) -> str:
    """The text of the page's error box."""
    pattern = r'<div class="alert error" role="alert">(.*?)</div>'
    match = re.search(pattern, response.content.decode(), re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split()) if match else ""


def fail_logins(username: str, n: int, hours_ago: float = 0) -> None:
    at = timezone.now() - timedelta(hours=hours_ago)
    FailedLogin.objects.bulk_create(
        [FailedLogin(username=FailedLogin.key(username), at=at) for _ in range(n)]
    )


# --- the login page ----------------------------------------------------------------------------


def test_the_login_page_shows_a_form(db):
    response = Client().get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert "csrfmiddlewaretoken" in html


def test_the_right_password_signs_in_and_lands_on_the_dashboard(alice):
    client = Client()
    response = login(client, "alice", ALICE_PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_as(client) == alice
    assert client.get("/").status_code == 200


def test_a_user_name_signs_in_whatever_its_case(alice):
    client = Client()
    response = login(client, "  ALICE ", ALICE_PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == alice


def test_an_empty_form_is_refused_with_field_errors(db):
    response = Client().post("/login/", {"username": "", "password": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not FailedLogin.objects.exists()


def test_a_wrong_password_gets_the_same_answer_for_known_and_unknown_users(alice):
    known = login(Client(), "alice", "not the password")
    unknown = login(Client(), "nobody-here", "not the password")
    assert known.status_code == unknown.status_code == 400
    assert alert(known) == alert(unknown) == GENERIC_LOGIN_ERROR
    assert FailedLogin.objects.filter(username="alice").count() == 1
    assert FailedLogin.objects.filter(username="nobody-here").count() == 1


# --- throttling --------------------------------------------------------------------------------


def test_it_refuses_the_right_password_after_twenty_failures(alice, settings):
    assert settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY == 20
    client = Client()
    for _ in range(settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY):
        assert login(client, "alice", "guess").status_code == 400
    response = login(client, "alice", ALICE_PASSWORD)
    assert response.status_code == 400
    assert "locked for today" in alert(response)
    assert signed_in_as(client) is None
    # Another client (another address) is locked out just the same: the limit is per account.
    other = Client()
    assert login(other, "Alice", ALICE_PASSWORD).status_code == 400
    assert signed_in_as(other) is None


def test_it_still_accepts_the_right_password_after_nineteen_failures(alice, settings):
    fail_logins("alice", settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY - 1)
    client = Client()
    assert login(client, "alice", ALICE_PASSWORD).status_code == 302
    assert signed_in_as(client) == alice


def test_an_unknown_name_is_throttled_the_same_way(alice, settings):
    fail_logins("alice", settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY)
    fail_logins("ghost", settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY)
    known = login(Client(), "alice", "guess")
    unknown = login(Client(), "ghost", "guess")
    assert known.status_code == unknown.status_code == 400
    assert alert(known) == alert(unknown)
    # Once locked, attempts are no longer even recorded, for either.
    limit = settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY
    assert FailedLogin.objects.filter(username="alice").count() == limit
    assert FailedLogin.objects.filter(username="ghost").count() == limit


def test_one_account_locked_leaves_others_alone(alice, bob, settings):
    fail_logins("alice", settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY)
    client = Client()
    assert login(client, "bob", "another long passphrase").status_code == 302
    assert signed_in_as(client) == bob


def test_failures_older_than_a_day_no_longer_count(alice, settings):
    fail_logins("alice", settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY, hours_ago=25)
    client = Client()
    assert login(client, "alice", ALICE_PASSWORD).status_code == 302
    assert signed_in_as(client) == alice


def test_failures_within_the_day_still_count(alice, settings):
    fail_logins("alice", settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY, hours_ago=23)
    assert login(Client(), "alice", ALICE_PASSWORD).status_code == 400


def test_the_limit_follows_the_setting(alice, settings):
    settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY = 3
    fail_logins("alice", 3)
    assert login(Client(), "alice", ALICE_PASSWORD).status_code == 400


# --- one-time login links ----------------------------------------------------------------------


def test_a_login_link_signs_in_once(alice):
    raw = LoginLink.issue(alice)
    first = Client()
    response = first.get(f"/login/link/{raw}/")
    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_as(first) == alice

    second = Client()
    again = second.get(f"/login/link/{raw}/")
    assert again.status_code == 404
    assert "no longer works" in again.content.decode()
    assert signed_in_as(second) is None


def test_an_expired_login_link_is_refused(alice):
    raw = LoginLink.issue(alice)
    LoginLink.objects.filter(user=alice).update(expires_at=timezone.now() - timedelta(seconds=1))
    client = Client()
    response = client.get(f"/login/link/{raw}/")
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()
    assert signed_in_as(client) is None
    assert LoginLink.objects.get(user=alice).used_at is None


def test_an_unknown_login_link_is_refused(db):
    response = Client().get("/login/link/made-up-token/")
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()


def test_a_login_link_of_a_deactivated_account_is_refused(alice):
    raw = LoginLink.issue(alice)
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    client = Client()
    assert client.get(f"/login/link/{raw}/").status_code == 404
    assert signed_in_as(client) is None


def test_only_the_hash_of_a_login_link_is_stored(alice):
    raw = LoginLink.issue(alice)
    link = LoginLink.objects.get(user=alice)
    assert link.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in link.token_hash


# --- logout, next ------------------------------------------------------------------------------


def test_logout_is_post_only(alice_client, alice):
    assert alice_client.get("/logout/").status_code == 405
    assert signed_in_as(alice_client) == alice
    response = alice_client.post("/logout/")
    assert response.status_code == 302
    assert response.url == "/login/"
    assert signed_in_as(alice_client) is None
    assert alice_client.get("/").status_code == 302


def test_next_sends_you_back_to_a_local_page(alice):
    response = login(Client(), "alice", ALICE_PASSWORD, next="/settings/")
    assert response.status_code == 302
    assert response.url == "/settings/"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "http://evil.example/settings/",
     "/\\evil.example/", "javascript:alert(1)"],
)  # fmt: skip
def test_next_never_sends_you_to_another_site(alice, target):
    client = Client()
    response = login(client, "alice", ALICE_PASSWORD, next=target)
    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_as(client) == alice
    # Already signed in, the login page ignores it as well.
    again = client.get("/login/", {"next": target})
    assert again.status_code == 302
    assert again.url == "/"


def test_a_page_that_needs_a_login_sends_you_to_it_and_back(alice):
    client = Client()
    response = client.get("/settings/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/settings/"
    page = client.get(response.url)
    assert 'value="/settings/"' in page.content.decode()


# --- passwords ---------------------------------------------------------------------------------


@pytest.mark.real_hasher
def test_passwords_are_hashed_with_argon2(alice):
    assert alice.password.startswith("argon2")
    assert ALICE_PASSWORD not in alice.password


@pytest.mark.real_hasher
def test_changing_a_password_needs_the_old_one(alice_client, alice):
    response = alice_client.post("/settings/password/", {
        "old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })  # fmt: skip
    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.check_password(ALICE_PASSWORD)

    response = alice_client.post("/settings/password/", {
        "old_password": ALICE_PASSWORD, "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    })  # fmt: skip
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert alice.password.startswith("argon2")
    # This session survives the change.
    assert alice_client.get("/settings/").status_code == 200


def test_a_weak_new_password_is_refused(alice_client, alice):
    response = alice_client.post("/settings/password/", {
        "old_password": ALICE_PASSWORD, "new_password1": "12345678", "new_password2": "12345678",
    })  # fmt: skip
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(ALICE_PASSWORD)


def test_a_link_only_account_can_set_a_password_without_an_old_one(db):
    owner = create_user("owner")
    assert not owner.has_usable_password()
    client = Client()
    client.force_login(owner)
    page = client.get("/settings/password/")
    assert page.status_code == 200
    assert "Set a password" in page.content.decode()
    assert 'name="old_password"' not in page.content.decode()

    response = client.post(
        "/settings/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert login(Client(), "owner", NEW_PASSWORD).status_code == 302


def test_setting_a_password_refuses_two_different_entries(db):
    owner = create_user("owner")
    client = Client()
    client.force_login(owner)
    response = client.post(
        "/settings/password/", {"new_password1": NEW_PASSWORD, "new_password2": "something else 9"}
    )
    assert response.status_code == 400
    owner.refresh_from_db()
    assert not owner.has_usable_password()


# --- settings ----------------------------------------------------------------------------------


def test_settings_save_the_timezone_and_base_currency(alice_client, alice):
    response = alice_client.post(
        "/settings/",
        {"timezone": "Europe/Paris", "base_currency": "eur", "checkin_after_weeks": "6"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=alice)
    assert (profile.timezone, profile.base_currency) == ("Europe/Paris", "EUR")
    assert profile.checkin_after_weeks == 6 and profile.daily_digest is False  # unticked box


def test_settings_refuse_an_unknown_timezone_and_change_nothing(alice_client, alice):
    response = alice_client.post(
        "/settings/",
        {"timezone": "Mars/Olympus", "base_currency": "EUR", "checkin_after_weeks": "6"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "timezone" in form.errors
    html = response.content.decode()
    assert 'value="EUR"' in html  # what was typed stays
    profile = Profile.objects.get(user=alice)
    assert (profile.timezone, profile.base_currency) == ("UTC", "USD")


def test_settings_refuse_a_currency_that_is_not_iso_4217_and_keep_what_was_typed(
    alice_client, alice
):
    response = alice_client.post(
        "/settings/", {"timezone": "Asia/Tokyo", "base_currency": "XYZ", "checkin_after_weeks": "6"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["base_currency"]
    html = response.content.decode()
    assert "is not an ISO 4217 currency code" in html
    assert 'value="XYZ"' in html
    assert re.search(r'<option value="Asia/Tokyo" selected>', html)
    profile = Profile.objects.get(user=alice)
    assert (profile.timezone, profile.base_currency) == ("UTC", "USD")


# --- API tokens --------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(alice_client, alice):
    response = alice_client.post("/settings/tokens/", {"name": "my scripts"}, follow=True)
    assert response.redirect_chain == [("/settings/", 302)]
    pattern = r'<code class="token" id="new-token">(sy_[^<]+)</code>'
    raw = re.search(pattern, response.content.decode())
    assert raw, "the new token is on the page"
    raw = raw.group(1)
    token = ApiToken.objects.get(user=alice)
    assert token.name == "my scripts"
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(user=alice).values_list().get()]
    assert not any(raw in value for value in stored)
    assert ApiToken.authenticate(raw) == alice
    # Shown only once: reloading the page shows the hint, and makes no second token.
    later = alice_client.get("/settings/")
    assert raw not in later.content.decode()
    assert token.hint in later.content.decode()
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_a_revoked_token_no_longer_authenticates(alice_client, alice, alice_token):
    token = ApiToken.objects.get(user=alice)
    assert alice_client.get(f"/settings/tokens/{token.pk}/revoke/").status_code == 405
    response = alice_client.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.authenticate(alice_token) is None
    page = alice_client.get("/settings/")
    assert "revoked" in page.content.decode()
    assert token not in page.context["tokens"]
    assert f"<code>{token.hint}…</code>" not in page.content.decode()


def test_bob_cannot_revoke_alices_token(bob_client, alice, alice_token):
    token = ApiToken.objects.get(user=alice)
    response = bob_client.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.authenticate(alice_token) == alice


def test_settings_list_only_your_own_tokens(alice_client, alice_token, bob_token):
    alice_hint = ApiToken.objects.get(user__username="alice").hint
    bob_hint = ApiToken.objects.get(user__username="bob").hint
    html = alice_client.get("/settings/").content.decode()
    assert alice_hint in html
    assert bob_hint not in html


# --- sign-up -----------------------------------------------------------------------------------


def test_sign_up_is_off_by_default(db, settings):
    assert settings.SAYYES_SIGNUP is False
    assert Client().get("/signup/").status_code == 404
    response = Client().post(
        "/signup/", {"username": "mallory", "email": "", "password": NEW_PASSWORD}
    )
    assert response.status_code == 404
    assert not get_user_model().objects.filter(username="mallory").exists()
    assert 'href="/signup/"' not in Client().get("/login/").content.decode()


@pytest.mark.real_hasher
def test_sign_up_creates_an_account_when_it_is_on(db, settings):
    settings.SAYYES_SIGNUP = True
    assert 'href="/signup/"' in Client().get("/login/").content.decode()
    client = Client()
    assert client.get("/signup/").status_code == 200
    response = client.post(
        "/signup/", {"username": "carol", "email": "carol@example.com", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    carol = get_user_model().objects.get(username="carol")
    assert signed_in_as(client) == carol
    assert carol.password.startswith("argon2")
    assert Profile.objects.filter(user=carol).exists()


def test_sign_up_refuses_a_weak_password_and_a_taken_name(alice, settings):
    settings.SAYYES_SIGNUP = True
    weak = Client().post("/signup/", {"username": "carol", "email": "", "password": "password"})
    assert weak.status_code == 400
    assert "too common" in weak.content.decode()
    taken = Client().post("/signup/", {"username": "Alice", "email": "", "password": NEW_PASSWORD})
    assert taken.status_code == 400
    assert "taken" in taken.content.decode()
    assert sorted(get_user_model().objects.values_list("username", flat=True)) == ["alice"]


# --- CSRF --------------------------------------------------------------------------------------


def test_the_login_form_without_a_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    response = login(client, "alice", ALICE_PASSWORD)
    assert response.status_code == 403
    assert signed_in_as(client) is None
    # With the token from the page, the same post works (so the 403 was about CSRF).
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    response = login(client, "alice", ALICE_PASSWORD, csrfmiddlewaretoken=token)
    assert response.status_code == 302
    assert signed_in_as(client) == alice


def test_the_settings_form_without_a_csrf_token_changes_nothing(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/settings/", {"timezone": "Europe/Paris", "base_currency": "EUR"})
    assert response.status_code == 403
    profile = Profile.objects.get(user=alice)
    assert (profile.timezone, profile.base_currency) == ("UTC", "USD")
    response = client.post("/settings/tokens/", {"name": "sneaky"})
    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=alice).exists()
