"""Log an invitation in real Chromium: drop an .ics on the page, land on the triage."""

from __future__ import annotations

import pytest

from tests.test_browser import _login_by_link, browser, page  # noqa: F401 (fixtures)
from tests.test_invitations import fixture

pytestmark = pytest.mark.browser

DROP = """([zone, text]) => {
    const data = new DataTransfer();
    data.items.add(new File([text], "invite.ics", {type: "text/calendar"}));
    for (const name of ["dragenter", "dragover", "drop"]) {
        zone.dispatchEvent(new DragEvent(name, {dataTransfer: data, bubbles: true, cancelable: true}));
    }
}"""


@pytest.mark.django_db(transaction=True)
def test_dropping_an_ics_on_the_page_lands_on_the_triage(page, live_server):  # noqa: F811
    from sayyes.accounts.services import create_user
    from sayyes.pipeline.models import Interview

    alice = create_user("alice", "alice@example.com")
    _login_by_link(page, live_server, alice)

    page.click("nav >> text=Interviews")
    page.click("text=+ Log an invitation")
    # The zone is on the page before its script listens (under load, well before): wait for it.
    page.wait_for_selector("#drop-zone[data-ready]")
    zone = page.locator("#drop-zone").element_handle()
    with page.expect_navigation():
        page.evaluate(DROP, [zone, fixture("outlook_teams.ics").decode()])

    page.wait_for_selector("text=Invitation triage")
    interview = Interview.objects.get(owner=alice)
    assert page.url.endswith(f"/interviews/{interview.pk}/triage/")
    assert interview.status == "invited"
    assert interview.opportunity.title == "Clinical Data Analyst"
    assert "New interview" in page.locator("[role=status], .messages, body").first.inner_text()


@pytest.mark.django_db(transaction=True)
def test_choosing_the_file_without_dropping_works_too_at_390_px(page, live_server, tmp_path):  # noqa: F811
    from sayyes.accounts.services import create_user
    from sayyes.pipeline.models import Interview

    alice = create_user("alice", "alice@example.com")
    _login_by_link(page, live_server, alice)
    page.set_viewport_size({"width": 390, "height": 800})
    invite = tmp_path / "zoom.ics"
    invite.write_bytes(fixture("zoom.ics"))

    page.goto(f"{live_server.url}/interviews/invitation/")
    page.set_input_files("#id_file", str(invite))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.click("button:has-text('Read the invitation')")

    page.wait_for_selector("text=Invitation triage")
    assert Interview.objects.get(owner=alice).video_url.startswith("https://us06web.zoom.us/")
