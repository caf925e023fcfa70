"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server."""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest
from playwright.sync_api import expect

from sayyes.pipeline.models import Opportunity, StatusEvent

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("SAYYES_TEST_CHROMIUM", "/usr/bin/chromium")


@contextlib.contextmanager
def chromium(*extra_args: str):
    """Debian's Chromium under Playwright (skipped, or failed on CI, when it is missing)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in these
    # tests are still synchronous and safe. Only for this module, not for subprocesses.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    *extra_args,
                ],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    yield page
    context.close()
    assert not errors, f"the page logged errors: {errors}"


def _login_by_link(page, live_server, user):
    from sayyes.accounts.services import login_link

    page.goto(login_link(user, live_server.url))
    page.wait_for_selector("text=Your search at a glance")


@pytest.mark.django_db(transaction=True)
def test_a_new_user_logs_in_by_link_adds_an_opportunity_and_drags_it(page, live_server):
    from sayyes.accounts.services import create_user

    alice = create_user("alice")
    _login_by_link(page, live_server, alice)

    # Create an opportunity through the form.
    page.click("text=+ Opportunity")
    page.fill("#id_company_name", "Bluepeak Health")
    page.fill("#id_title", "Product Analyst")
    page.select_option("#id_status", "saved")
    page.click("button:has-text('Save opportunity')")
    page.wait_for_selector("h1:has-text('Product Analyst')")
    opp = Opportunity.objects.get(owner=alice, title="Product Analyst")
    assert opp.status == "saved"

    # Drag its card from Saved to Applied on the board.
    page.goto(f"{live_server.url}/board/")
    card = page.locator(f"#card-{opp.pk}")
    target = page.locator('.cards[data-status="applied"]')
    assert card.locator("xpath=..").get_attribute("data-status") == "saved"
    with page.expect_response(lambda r: r.url.endswith(f"/opportunities/{opp.pk}/status/")) as info:
        _drag(page, card, target)
    assert info.value.status == 200
    page.wait_for_selector(f'.cards[data-status="applied"] #card-{opp.pk}')
    # Sortable drops the card at once; the counts change when the server's answer arrives.
    expect(page.locator('#board [data-count-for="applied"]')).to_have_text("1")
    expect(page.locator('#board [data-count-for="saved"]')).to_have_text("0")

    # Reload: the new status stays, and the detail page shows the history.
    page.reload()
    assert page.locator(f'.cards[data-status="applied"] #card-{opp.pk}').count() == 1
    page.click(f"#card-{opp.pk} .opp-title")
    page.wait_for_url(f"**/opportunities/{opp.pk}/")
    history = page.locator("#history li")
    expect(history).to_have_count(2)
    assert "Saved" in history.nth(0).inner_text()
    assert "Applied" in history.nth(1).inner_text()
    assert list(StatusEvent.objects.filter(opportunity=opp).values_list("status", flat=True)) == [
        "saved",
        "applied",
    ]


def _drag(page, card, target):
    """Drag with real mouse events, in steps, as SortableJS expects."""
    source_box = card.locator(".opp-company").bounding_box()
    target_box = target.bounding_box()
    page.mouse.move(source_box["x"] + 10, source_box["y"] + 5)
    page.mouse.down()
    page.mouse.move(source_box["x"] + 30, source_box["y"] + 20, steps=5)
    page.mouse.move(target_box["x"] + target_box["width"] / 2, target_box["y"] + 30, steps=20)
    page.mouse.up()


@pytest.mark.django_db(transaction=True)
def test_the_card_select_moves_a_card_without_dragging(page, live_server):
    from sayyes.accounts.services import create_user
    from sayyes.pipeline.services import create_opportunity

    alice = create_user("alice")
    opp = create_opportunity(alice, company_name="Acme", title="Engineer", status="applied")
    _login_by_link(page, live_server, alice)
    page.goto(f"{live_server.url}/board/")
    page.select_option(f"#status-{opp.pk}", "screening")
    # Picking a status alone saves nothing: the Move button confirms it.
    page.wait_for_timeout(300)
    opp.refresh_from_db()
    assert opp.status == "applied"
    with page.expect_response(lambda r: r.url.endswith(f"/opportunities/{opp.pk}/status/")):
        page.click(f"#card-{opp.pk} button.move")
    page.wait_for_selector(f'.cards[data-status="screening"] #card-{opp.pk}')
    opp.refresh_from_db()
    assert opp.status == "screening"


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_draws_the_funnel_chart(page, live_server):
    from sayyes.accounts.services import create_user
    from sayyes.pipeline.services import create_opportunity

    alice = create_user("alice")
    for status in ("applied", "screening", "offer"):
        create_opportunity(alice, company_name=f"Co {status}", title="Role", status=status)
    _login_by_link(page, live_server, alice)
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('funnel-chart'))"
    )
    values = page.evaluate(
        "() => Chart.getChart(document.getElementById('funnel-chart')).data.datasets[0].data"
    )
    # A stage counts every opportunity that reached it or went beyond it.
    assert values == [3, 2, 1, 1]


@pytest.mark.django_db(transaction=True)
def test_the_api_docs_load_from_sayyes_itself(page, live_server):
    from sayyes.accounts.services import create_user

    alice = create_user("alice")
    _login_by_link(page, live_server, alice)
    outside: list[str] = []
    page.on(
        "request",
        lambda req: outside.append(req.url) if not req.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path >> nth=0")
    assert "sayyes API" in page.content()
    assert [url for url in outside if not url.startswith("data:")] == []


@pytest.mark.django_db(transaction=True)
def test_answering_a_question_shows_the_feedback_beside_it(page, live_server):
    from sayyes.accounts.services import create_user
    from sayyes.practice.models import Answer
    from sayyes.practice.services import load_bank

    load_bank()
    alice = create_user("alice")
    _login_by_link(page, live_server, alice)
    page.click("nav >> text=Practice")
    page.click("button:has-text('Behavioral')")
    page.wait_for_selector("text=Question 1 of 5")
    page.wait_for_function("() => document.querySelector('[data-timer]').textContent !== '0:00'")
    page.fill(
        "#id_text",
        "Last year at my previous job our support queue doubled. I was responsible for fixing "
        "it. I rebuilt the triage rules and trained two new colleagues. As a result the wait "
        "fell from five days to one.",
    )
    page.click("button:has-text('Get feedback')")
    feedback = page.locator("#feedback")
    feedback.wait_for()
    assert "Situation" in feedback.inner_text()
    assert feedback.locator(".checks li.yes").count() >= 3
    answer = Answer.objects.get(owner=alice)
    assert feedback.locator(".score-big span").inner_text() == str(answer.score)
    # The page still shows the question; the next one is one click away.
    page.click("button:has-text('Next question')")
    page.wait_for_selector("text=Question 2 of 5")


@pytest.mark.django_db(transaction=True)
def test_a_done_interview_puts_a_thank_you_on_the_agenda_and_it_gets_sent(page, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from sayyes.accounts.services import create_user
    from sayyes.network.models import FollowUp, Interaction
    from sayyes.pipeline.services import (
        create_interview,
        create_opportunity,
        set_interviewers_by_name,
    )

    alice = create_user("alice")
    opp = create_opportunity(alice, company_name="Bluepeak Health", title="Product Analyst")
    interview = create_interview(
        alice,
        opp,
        starts_at=timezone.now() - timedelta(hours=2),
        timezone="UTC",
        duration_minutes=45,
        notes="The new patient portal. We also covered pricing.",
    )
    set_interviewers_by_name(interview, ["Mina Park"])
    _login_by_link(page, live_server, alice)

    # Mark the interview done on its form.
    page.goto(f"{live_server.url}/interviews/{interview.pk}/edit/")
    page.select_option("#id_status", "done")
    page.click("button:has-text('Save changes')")
    page.wait_for_selector("h1:has-text('Product Analyst')")

    # The agenda shows the thank-you, due within a day.
    page.click("nav >> text=Agenda")
    item = page.locator("li.followup", has_text="Mina Park")
    item.wait_for()
    assert "Thank-you note" in item.inner_text()

    # The draft names the role; the notes are offered as topics to pick, never pasted in.
    item.locator("text=Write the note").click()
    body = page.locator("#id_body")
    assert "Product Analyst" in body.input_value()
    assert "patient portal" not in body.input_value()
    page.check("input[name=pick][value='the new patient portal']")
    page.click("button:has-text('Save the topics')")
    page.wait_for_selector("text=the draft below mentions them")
    assert "our conversation about the new patient portal." in body.input_value()
    page.click("button:has-text('Mark as sent')")
    page.wait_for_selector("text=Marked as sent to Mina Park")
    followup = FollowUp.objects.get(interview=interview)
    assert followup.done_at is not None
    assert Interaction.objects.filter(contact=followup.contact, kind="emailed").exists()
    assert page.locator("li.followup", has_text="Mina Park").count() == 0
