"""The bookmarklet and the spreadsheet preview in a real Chromium (no network: the job
site is answered by Playwright from a fixture file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sayyes.pipeline.models import Opportunity
from tests.test_browser import _login_by_link, browser, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures" / "portability"


@pytest.mark.django_db(transaction=True)
def test_the_bookmarklet_sends_a_job_page_to_a_confirmation(page, live_server):  # noqa: F811
    from sayyes.accounts.services import create_user

    alice = create_user("alice")
    _login_by_link(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/import/posting/")
    code = page.get_attribute("a:has-text('Save to sayyes')", "href")
    assert code.startswith("javascript:")

    html = (FIXTURES / "posting-jsonld.html").read_text()
    page.context.route(
        "https://jobs.pelican.example/**",
        lambda route: route.fulfill(status=200, body=html, content_type="text/html"),
    )
    page.goto("https://jobs.pelican.example/ad/2291")
    with page.context.expect_page() as opened:
        page.evaluate(code.removeprefix("javascript:"))
    confirm = opened.value
    confirm.wait_for_selector("text=Check, then save")
    assert "Pelican Freight" in confirm.content()
    assert Opportunity.objects.count() == 0  # nothing before the click on sayyes's page
    confirm.click("button:has-text('Save as an opportunity')")
    confirm.wait_for_selector("h1:has-text('Senior Data Engineer')")
    opp = Opportunity.objects.get(owner=alice)
    assert (opp.company.name, opp.status, opp.salary_min) == ("Pelican Freight", "saved", 72000)
    assert "• Build pipelines in Python & SQL" in opp.posting_text


@pytest.mark.django_db(transaction=True)
def test_the_spreadsheet_preview_then_import(page, live_server, tmp_path):  # noqa: F811
    from sayyes.accounts.services import create_user

    alice = create_user("alice")
    _login_by_link(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/")
    page.click("a:has-text('Import')")
    page.set_input_files("#id_file", str(FIXTURES / "huntr.csv"))
    page.click("button:has-text('Upload and preview')")
    page.wait_for_selector("text=6 rows: 6 new opportunities")
    assert page.input_value("select[name='column:Employer']") == "company"
    page.select_option("select[name='column:Location']", "ignore")
    page.select_option("select[name='column:Notes']", "source")
    page.click("button:has-text('Check again with these columns')")
    page.wait_for_selector("text=6 rows: 6 new opportunities")
    assert page.input_value("select[name='column:Notes']") == "source"
    assert Opportunity.objects.count() == 0
    page.click("button:has-text('Import 6 rows')")
    page.wait_for_selector("text=Imported.")
    opps = Opportunity.objects.filter(owner=alice)
    assert opps.count() == 6
    assert opps.get(title="Data Engineer").source == "Found via a friend"
    assert not opps.exclude(location="").exists()
