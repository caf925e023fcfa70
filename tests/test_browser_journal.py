"""The journal in real Chromium: a debrief's question reaches practice, companies side by side."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.test_browser import _login_by_link, browser, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def _ended_interview(user, company):
    from sayyes.pipeline import services as pipeline

    opp = pipeline.create_opportunity(user, company_name=company, title="Data Engineer")
    return pipeline.create_interview(
        user, opp, kind="technical", starts_at=timezone.now() - timedelta(hours=5), timezone="UTC"
    )


@pytest.mark.django_db(transaction=True)
def test_a_debrief_puts_its_question_in_practice_and_the_company_side_by_side(
    page,  # noqa: F811
    live_server,
):
    from sayyes.accounts.services import create_user
    from sayyes.journal.debriefs import save_debrief
    from sayyes.journal.models import Debrief
    from sayyes.practice.models import Question

    alice = create_user("alice")
    acme = _ended_interview(alice, "Acme Robotics")
    globex = _ended_interview(alice, "Globex")
    save_debrief(
        alice,
        globex,
        ratings={"growth": 2, "culture": 4, "management": 3},
        overall_interest=2,
        likes="Free lunch",
    )
    _login_by_link(page, live_server, alice)

    # The agenda asks for the debrief of the interview that has ended.
    page.goto(f"{live_server.url}/agenda/")
    page.click(f"a[href='/interviews/{acme.pk}/debrief/']")
    page.wait_for_selector("h1:has-text('How did it go?')")
    page.fill("#id_questions_asked", "How would you migrate a fleet of robots to a new API?")
    page.fill("#id_likes", "Engineers who love their robots")
    page.fill("#id_dislikes", "Five interview rounds")
    page.select_option("#id_rating_0", "5")  # growth
    page.select_option("#id_rating_1", "4")  # culture
    page.select_option("#id_rating_4", "3")  # management
    page.select_option("#id_overall_interest", "5")
    page.fill("#id_people_names", "Grace Hopper")
    page.click("button:has-text('Save the debrief')")
    page.wait_for_selector("h1:has-text('Acme Robotics')")
    assert "Debrief saved. 1 question you were asked" in page.inner_text(".messages")
    assert Debrief.objects.get(interview=acme).ratings == {
        "growth": 5,
        "culture": 4,
        "management": 3,
    }

    # The question is in the practice bank, as asked in a real interview.
    page.goto(f"{live_server.url}/practice/questions/?source=real")
    row = page.locator("tr", has_text="migrate a fleet of robots")
    assert row.count() == 1
    assert "Asked in a real interview" in row.inner_text()
    assert Question.objects.filter(owner=alice, source="real").count() == 1

    # Side by side: tick both companies on the companies page.
    page.click("nav >> text=Companies")
    page.check("input[aria-label='Compare Acme Robotics']")
    page.check("input[aria-label='Compare Globex']")
    page.click("button:has-text('Compare side by side')")
    page.wait_for_selector("#compare-table")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('compare-chart'))"
    )
    chart = page.evaluate(
        "() => { const c = Chart.getChart(document.getElementById('compare-chart'));"
        " return {type: c.config.type, labels: c.data.labels,"
        " series: c.data.datasets.map(d => [d.label, d.data])}; }"
    )
    assert chart["type"] == "radar"
    assert chart["labels"] == ["growth", "culture", "management"]
    assert ["Acme Robotics", [5, 4, 3]] in chart["series"]
    assert ["Globex", [2, 4, 3]] in chart["series"]
    table = page.inner_text("#compare-table")
    assert "Engineers who love their robots" in table and "Free lunch" in table


@pytest.mark.django_db(transaction=True)
def test_questions_to_ask_are_reordered_with_the_arrows_and_saved(page, live_server):  # noqa: F811
    from sayyes.accounts.services import create_user
    from sayyes.journal.models import QuestionToAsk

    alice = create_user("alice")
    interview = _ended_interview(alice, "Acme Robotics")
    _login_by_link(page, live_server, alice)
    page.goto(f"{live_server.url}/interviews/{interview.pk}/questions-to-ask/")
    rows = page.locator(".ask-row")
    first, second = (rows.nth(i).locator("strong").inner_text() for i in (0, 1))
    rows.nth(0).locator("input[type=checkbox]").check()
    rows.nth(1).locator("input[type=checkbox]").check()
    rows.nth(0).locator(".ask-down").click()
    assert page.locator(".ask-row").nth(0).locator("strong").inner_text() == second
    assert page.locator(".ask-row").nth(0).locator(".ask-order").input_value() == "1"
    page.click("button:has-text('Save my questions')")
    page.wait_for_selector("#saved-questions")
    assert page.locator("#saved-questions li").nth(0).inner_text().startswith(second)
    saved = list(QuestionToAsk.objects.filter(interview=interview).values_list("text", flat=True))
    assert saved == [second, first]
