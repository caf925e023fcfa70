"""The thank-you note and the signature in real Chromium, 390 px wide, by keyboard."""

from __future__ import annotations

import pytest

from sayyes.network.models import FollowUp, Interaction
from tests.test_browser import _login_by_link, chromium

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.django_db(transaction=True)
def test_sign_pick_a_topic_edit_and_send_a_thank_you_on_a_phone(phone, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from sayyes.accounts.services import create_user
    from sayyes.network.models import Contact
    from sayyes.pipeline import services as pipeline

    alice = create_user("alice")
    opp = pipeline.create_opportunity(
        alice, company_name="Northwind Traders", title="IT Specialist"
    )
    dana = Contact.objects.create(owner=alice, name="Dana Reyes", company=opp.company)
    pipeline.create_interview(
        alice,
        opp,
        starts_at=timezone.now() - timedelta(days=1),
        interviewer_ids=[dana.pk],
        status="done",
        notes="Dana walked me through the service desk migration and their asset inventory.",
    )
    followup = FollowUp.objects.get()
    _login_by_link(phone, live_server, alice)

    # How you sign, from the settings page, by keyboard.
    phone.goto(f"{live_server.url}/settings/")
    assert _fits(phone)
    phone.focus("#id_signing-display_name")
    phone.keyboard.type("Alice Martin")
    phone.keyboard.press("Tab")
    phone.keyboard.type("Alice Martin\n+44 20 7946 0000")
    phone.click("button:has-text('Save how I sign')")
    phone.wait_for_selector("text=Your name and signature are saved.")

    # The note: pick a topic offered from the notes, by keyboard.
    phone.goto(f"{live_server.url}/followups/{followup.pk}/thank-you/")
    assert _fits(phone)
    body = phone.input_value("#id_body")
    assert body.rstrip().endswith("Alice Martin\n+44 20 7946 0000")
    assert "service desk migration" not in body  # nothing from the notes until picked
    phone.focus("input[name=pick][value='the service desk migration']")
    phone.keyboard.press("Space")
    phone.click("button:has-text('Save the topics')")
    phone.wait_for_selector("text=the draft below mentions them")
    body = phone.input_value("#id_body")
    assert "our conversation about the service desk migration." in body

    # Edit, save, and mark it sent: the timeline gets the note as sent.
    phone.fill("#id_subject", "Thank you, Dana")
    phone.click("button:has-text('Save the draft')")
    phone.wait_for_selector("text=Draft saved")
    assert phone.input_value("#id_subject") == "Thank you, Dana"
    phone.click("button:has-text('Mark as sent')")
    phone.wait_for_selector("text=Marked as sent to Dana Reyes")
    logged = Interaction.objects.get(kind="emailed")
    assert logged.note.startswith("Thank-you note sent. Subject: Thank you, Dana")
    assert "our conversation about the service desk migration." in logged.note
