"""Say yes in real Chromium: log an invitation, triage it, accept, prepare."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from urllib.parse import unquote

import pytest
from django.utils import timezone

from sayyes.triage.costs import format_when
from tests.test_browser import _login_by_link, browser, page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_log_an_invitation_triage_it_accept_and_see_it_scheduled_with_its_checklist(
    page,  # noqa: F811
    live_server,
):
    from sayyes.accounts.models import Profile
    from sayyes.accounts.services import create_user
    from sayyes.pipeline.models import Interview
    from sayyes.pipeline.services import create_opportunity
    from sayyes.triage.models import ChecklistItem

    alice = create_user("alice")
    Profile.objects.filter(user=alice).update(timezone="Europe/Paris")
    opp = create_opportunity(
        alice, company_name="Bluepeak Health", title="Product Analyst", status="applied"
    )
    _login_by_link(page, live_server, alice)

    # Log the invitation with the interview form.
    page.click("nav >> text=Interviews")
    page.click("text=+ Log an invitation")
    page.click("text=Type it in instead")  # the page takes a calendar file too (issue 20)
    page.wait_for_selector("#id_status")
    assert page.locator("#id_status").input_value() == "invited"
    page.select_option("#id_opportunity", str(opp.pk))
    page.select_option("#id_kind", "technical")
    day = (timezone.now() + timedelta(days=8)).date()
    page.fill("#id_date", day.isoformat())
    page.fill("#id_time", "14:00")
    page.fill("#id_interviewers", "Mina Park")
    page.fill("#id_video_url", "https://meet.example.org/bluepeak")
    page.click("button:has-text('Save and triage it')")

    # The triage: six reasons on a radar chart, a recommendation, goals, replies.
    page.wait_for_selector("text=Invitation triage")
    interview = Interview.objects.get(owner=alice)
    assert interview.status == "invited"
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('reasons-chart'))"
    )
    scores = page.evaluate(
        "() => Chart.getChart(document.getElementById('reasons-chart')).data.datasets[0].data"
    )
    assert len(scores) == 6 and all(0 <= s <= 100 for s in scores)
    assert "Say yes" in page.locator("#recommendation").inner_text()
    assert page.locator("ol.goals li").count() >= 3
    accept = page.locator("#reply-accept")
    assert "Bluepeak Health" in accept.input_value()
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    expected = format_when(datetime.combine(day, time(14, 0), paris), paris)
    assert f"{expected}" in accept.input_value() and "(Europe/Paris, UTC+0" in expected

    # An edited reply goes to the mail app as edited.
    accept.fill(accept.input_value().replace("I look forward", "I really look forward"))
    href = page.locator("#mailto-accept").get_attribute("href")
    assert "I really look forward" in unquote(href)
    # ... and to the clipboard as edited too.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.locator("[data-copy-value='#reply-accept']").click()
    page.wait_for_selector("[data-copy-value='#reply-accept']:has-text('Copied')")
    assert "I really look forward" in page.evaluate("() => navigator.clipboard.readText()")

    # Accept: the interview is scheduled and its prep page shows the checklist.
    page.click("button:has-text('Accept')")
    page.wait_for_selector("text=Prep checklist")
    assert "Scheduled" in page.locator("h1 .badge").inner_text()
    interview.refresh_from_db()
    assert interview.status == "scheduled"
    items = page.locator("ul.checklist li.check-item")
    total = ChecklistItem.objects.filter(interview=interview).count()
    assert items.count() == total >= 8
    assert "Goal" in items.first.inner_text()

    # Tick the first item (htmx): it is done, and the count follows.
    items.first.locator("button.tick").click()
    page.wait_for_selector(f"#checklist-progress:has-text('1 of {total} done')")
    assert ChecklistItem.objects.filter(interview=interview, done=True).count() == 1
    page.reload()
    assert page.locator("ul.checklist li.check-item.done").count() == 1
