"""Finding 14: the bookmarklet's key is a stored random key that settings can replace; the
old bookmarklet then stops working with a message saying why."""

from __future__ import annotations

from sayyes.portability.models import DropBox
from sayyes.portability.views import drop_key

PAGE = {"html": "<html><title>Data Engineer</title><p>Python.</p></html>", "url": "https://x.org"}


def _drop(client, key):
    return client.post(f"/opportunities/import/posting/drop/{key}/", PAGE)


def test_the_key_is_random_stored_and_not_the_user_id(alice, bob):
    key = drop_key(alice)
    assert key == drop_key(alice) == DropBox.objects.get(user=alice).key
    assert str(alice.pk) not in key.split(".") and len(key) >= 32
    assert drop_key(bob) != key


def test_the_import_page_shows_the_bookmarklet_with_the_current_key(alice, alice_client):
    body = alice_client.get("/opportunities/import/posting/").content.decode()
    assert f"/posting/drop/{drop_key(alice)}/" in body


def test_making_a_new_key_from_settings_stops_the_old_bookmarklet(alice, alice_client, client):
    old = drop_key(alice)
    assert _drop(client, old).status_code == 303
    assert "Make a new bookmarklet key" in alice_client.get("/settings/").content.decode()
    response = alice_client.post("/settings/bookmarklet/", follow=True)
    assert response.status_code == 200
    assert "new key" in response.content.decode()
    new = drop_key(alice)
    assert new != old
    refused = _drop(client, old)
    assert refused.status_code == 404
    assert "no longer works" in refused.content.decode()
    assert "drag the new button" in refused.content.decode()
    assert _drop(client, new).status_code == 303


def test_rotating_needs_a_post_and_a_login(alice, alice_client, client):
    old = drop_key(alice)
    assert alice_client.get("/settings/bookmarklet/").status_code == 405
    assert client.post("/settings/bookmarklet/").status_code == 302  # to the login page
    assert drop_key(alice) == old


def test_rotating_touches_only_your_own_key(alice, bob, bob_client):
    theirs = drop_key(alice)
    bob_client.post("/settings/bookmarklet/")
    assert drop_key(alice) == theirs


def test_an_old_style_signed_key_is_refused(alice, client):
    from django.core.signing import Signer

    signed = Signer(salt="sayyes.portability.posting-drop", sep=".").sign(str(alice.pk))
    assert _drop(client, signed).status_code == 404


def test_the_key_is_not_in_the_archive(alice):
    from sayyes.portability.archive import dump

    drop_key(alice)
    data, _files = dump(alice)
    assert "portability.DropBox" not in data
