"""You, as recruiters see you: a display name and a signature that sign every draft,
asked for on first run, editable in settings, and ``GET``/``PATCH /api/v1/me``."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from sayyes.accounts.models import NO_NAME, Profile
from sayyes.accounts.services import create_user, sign_off, update_me
from sayyes.network import services as network
from sayyes.network.models import FollowUp
from sayyes.offers import services as offers
from sayyes.pipeline import services as pipeline
from sayyes.triage.replies import write_replies
from tests.conftest import api
from tests.test_cli import invoke

SIGNATURE = "Alice Martin\n+44 20 7946 0000\nlinkedin.com/in/alice-martin"


def _profile(user) -> Profile:
    return Profile.objects.get(user=user)


# --- what signs a draft -----------------------------------------------------------------------


def test_the_signature_signs_else_the_display_name_else_a_placeholder_never_the_login(alice):
    assert sign_off(alice) == NO_NAME and "alice" not in sign_off(alice)
    update_me(alice, display_name="Alice Martin")
    assert sign_off(alice) == "Alice Martin"
    update_me(alice, signature=SIGNATURE)
    assert sign_off(alice) == SIGNATURE
    update_me(alice, signature="")
    assert sign_off(alice) == "Alice Martin"


def test_every_kind_of_draft_ends_with_the_signature(alice, interview):
    from zoneinfo import ZoneInfo

    update_me(alice, signature=SIGNATURE)
    pipeline.update_interview(interview, status="done")
    thank_you = network.thank_you_draft(FollowUp.objects.get())["body"]
    replies = write_replies(interview, tz=ZoneInfo("UTC"), slots=[])
    offer = offers.create_offer(alice, opportunity=interview.opportunity, base_salary=100000)
    letter = offers.counter_offer_draft(offer)["body"]
    for body in (thank_you, letter, *replies.values()):
        assert body.rstrip().endswith("Best regards,\n" + SIGNATURE)


def test_a_signature_has_at_most_six_lines_and_nothing_changes_on_an_error(alice):
    update_me(alice, display_name="Alice Martin")
    with pytest.raises(ValidationError) as info:
        update_me(alice, display_name="Someone Else", signature="\n".join("abcdefg"))
    assert "at most 6 lines" in info.value.message_dict["signature"][0]
    assert _profile(alice).display_name == "Alice Martin"


def test_a_new_account_can_be_given_its_display_name(db):
    user = create_user("olu", display_name="  Olu   Adeyemi ")
    assert _profile(user).display_name == "Olu Adeyemi"


# --- /api/v1/me -----------------------------------------------------------------------------


def test_me_is_always_the_callers_own(client, alice, bob, alice_token, bob_token):
    update_me(alice, display_name="Alice Martin", email="alice@example.com")
    update_me(bob, display_name="Bob Stone")
    assert api(client, "get", "/me", alice_token).json() == {
        "username": "alice",
        "display_name": "Alice Martin",
        "signature": "",
        "email": "alice@example.com",
        "timezone": "UTC",
        "base_currency": "USD",
    }
    assert api(client, "get", "/me", bob_token).json()["display_name"] == "Bob Stone"
    response = api(client, "patch", "/me", bob_token, json={"display_name": "Robert Stone"})
    assert response.status_code == 200 and response.json()["username"] == "bob"
    assert _profile(alice).display_name == "Alice Martin"
    assert api(client, "get", "/me").status_code == 401


def test_patch_me_changes_what_is_sent_only(client, alice, alice_token):
    body = {
        "signature": SIGNATURE,
        "timezone": "Europe/Paris",
        "base_currency": "eur",
        "email": "a@example.com",
    }
    response = api(client, "patch", "/me", alice_token, json=body)
    assert response.status_code == 200, response.content
    me = response.json()
    assert (me["signature"], me["timezone"], me["base_currency"], me["email"]) == (
        SIGNATURE,
        "Europe/Paris",
        "EUR",
        "a@example.com",
    )
    assert me["display_name"] == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"base_currency": "XYZ"}, "base_currency"),
        ({"email": "not-an-email"}, "email"),
        ({"display_name": "x" * 151}, "display_name"),
        ({"display_name": None}, "display_name"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_patch_me_refuses_bad_input_and_changes_nothing(client, alice, alice_token, body, field):
    before = api(client, "get", "/me", alice_token).json()
    response = api(client, "patch", "/me", alice_token, json={"display_name": "X Y", **body})
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    assert api(client, "get", "/me", alice_token).json() == before


# --- the settings page and the first run ------------------------------------------------------


def test_the_settings_page_saves_the_name_and_signature(alice_client, alice):
    page = alice_client.get("/settings/").content.decode()
    assert "How you sign" in page and NO_NAME in page
    response = alice_client.post(
        "/settings/",
        {
            "section": "signing",
            "signing-display_name": "Alice Martin",
            "signing-signature": SIGNATURE,
        },
    )
    assert response.status_code == 302
    assert (_profile(alice).display_name, _profile(alice).signature) == ("Alice Martin", SIGNATURE)
    assert _profile(alice).timezone == "UTC"  # the other form's fields are untouched


def test_the_settings_page_keeps_what_was_typed_on_error(alice_client, alice):
    too_long = "\n".join(f"line {n}" for n in range(9))
    response = alice_client.post(
        "/settings/",
        {
            "section": "signing",
            "signing-display_name": "Alice Martin",
            "signing-signature": too_long,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 6 lines" in page and "line 8" in page and 'value="Alice Martin"' in page
    assert _profile(alice).display_name == ""


def test_user_create_takes_a_display_name(db):
    result = invoke("user", "create", "maria", "--display-name", "Maria Lopez")
    assert result.exit_code == 0, result.output
    user = get_user_model().objects.get(username="maria")
    assert _profile(user).display_name == "Maria Lopez"


def test_the_first_run_owner_gets_the_display_name(db, capsys):
    from sayyes.cli.server import _create_owner

    owner = _create_owner("owner", "Olu Adeyemi")
    assert _profile(owner).display_name == "Olu Adeyemi"
    quiet = _create_owner("quiet")  # no terminal to ask: added later in Settings
    assert _profile(quiet).display_name == ""


def test_sign_up_asks_for_the_name_too(db, settings):
    from django.test import Client

    settings.SAYYES_SIGNUP = True
    client = Client()
    assert "Your name" in client.get("/signup/").content.decode()
    response = client.post(
        "/signup/",
        {"username": "carol", "display_name": "Carol Diaz", "password": "a long new passphrase 7"},
    )
    assert response.status_code == 302
    assert _profile(get_user_model().objects.get(username="carol")).display_name == "Carol Diaz"
