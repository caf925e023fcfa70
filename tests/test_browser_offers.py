"""Offers in a real Chromium: two offers entered through the form, the comparison chart
drawn, and the negotiation draft naming the competing offer."""

from __future__ import annotations

import pytest

from sayyes.offers.models import Offer
from tests.test_browser import _login_by_link, browser, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def _enter_offer(tab, live_server, opp, base, equity=None):
    tab.goto(f"{live_server.url}/offers/new/?opportunity={opp.pk}")
    assert tab.locator("#id_opportunity").input_value() == str(opp.pk)
    tab.fill("#id_base_salary", base)
    tab.fill("#id_bonus_value", "10")
    if equity:
        tab.select_option("#id_equity_kind", "rsu")
        tab.fill("#id_rsu_grant_value", equity)
        tab.fill("#id_percent_text", "5/15/40/40")
    tab.fill("#id_deadline", "2026-12-04")
    tab.click("button:has-text('Save offer')")
    tab.wait_for_selector("#yearly")


@pytest.mark.django_db(transaction=True)
def test_two_offers_are_compared_in_a_chart_and_negotiated(page, live_server):  # noqa: F811
    from sayyes.accounts.services import create_user
    from sayyes.pipeline.services import create_opportunity

    alice = create_user("alice")
    acme = create_opportunity(alice, company_name="Acme Robotics", title="Lead", status="offer")
    birch = create_opportunity(alice, company_name="Birch Labs", title="Staff", status="offer")
    create_opportunity(alice, company_name="Cedar Health", title="Head", status="interviewing")
    _login_by_link(page, live_server, alice)

    page.click("nav >> text=Offers")
    _enter_offer(page, live_server, acme, "150000", equity="200000")
    assert page.locator("#total-4y").inner_text() == "860,000.00 USD"
    _enter_offer(page, live_server, birch, "170000.50")
    assert page.locator("#total-4y").inner_text() == "748,002.20 USD"
    assert Offer.objects.filter(owner=alice).count() == 2

    # Tick both on the list and compare.
    page.goto(f"{live_server.url}/offers/")
    for box in page.locator("#offers input[name=ids]").all():
        box.check()
    page.click("button:has-text('Compare the ticked offers')")
    page.wait_for_selector("#comparison")
    page.wait_for_function("() => document.getElementById('compare-chart').dataset.drawn === '10'")
    drawn = page.evaluate(
        """() => {
          const c = document.getElementById('compare-chart');
          const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
          return {width: c.width, painted};
        }"""
    )
    assert drawn["width"] > 100 and drawn["painted"] > 1000
    assert "-111,997.80" not in page.content()  # differences are signed with a real minus
    assert "−111,997.80" in page.locator("#comparison").inner_text()

    # The negotiation plan of Acme's offer names Birch's offer and Cedar's process.
    page.goto(f"{live_server.url}/offers/")
    page.click("text=Acme Robotics — Lead")
    page.click("text=Negotiation plan")
    page.fill("#id_target", "165000")
    page.fill("#id_walk_away", "155000")
    page.click("button:has-text('Save numbers')")
    draft = page.locator("#draft-body").inner_text()
    assert "offer from Birch Labs" in draft and "170,000.50 USD" in draft
    # Cedar Health is listed with why it is left out: no interview date to point to yet.
    assert "Cedar Health" not in draft
    assert "no interview date" in page.locator("#leverage").inner_text()
    assert "165,000 USD" in draft
