"""By keyboard only, in Chromium: each in-page update leaves the focus where it makes sense."""

from __future__ import annotations

import pytest

from tests.test_browser import _login_by_link, browser, page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def quiet_400_page(browser):  # noqa: F811
    """A page that may get a 400 on purpose (Chromium logs it); any other error fails."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()  # noqa: F811
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "status of 400" not in msg.text
            else None
        ),
    )
    yield page
    context.close()
    assert not errors, f"the page logged errors: {errors}"


def _tab_to(page, selector: str, limit: int = 80) -> None:  # noqa: F811
    """Press Tab until the element is focused, as someone without a mouse would."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with Tab")


@pytest.mark.django_db(transaction=True)
def test_a_board_card_moves_by_keyboard_and_keeps_the_focus(page, live_server):  # noqa: F811
    from sayyes.accounts.services import create_user
    from sayyes.pipeline.services import create_opportunity

    alice = create_user("alice")
    opp = create_opportunity(alice, company_name="Acme", title="Engineer", status="applied")
    _login_by_link(page, live_server, alice)
    page.goto(f"{live_server.url}/board/")

    # The skip link is the first stop, and leads past the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    _tab_to(page, f"#status-{opp.pk}")
    page.keyboard.press("ArrowDown")  # Screening: chosen, not saved yet
    page.wait_for_timeout(300)
    opp.refresh_from_db()
    assert opp.status == "applied"

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent").startswith("Move")
    with page.expect_response(lambda r: r.url.endswith(f"/opportunities/{opp.pk}/status/")):
        page.keyboard.press("Enter")
    page.wait_for_selector(f'.cards[data-status="screening"] #card-{opp.pk}')
    page.wait_for_function(f"() => document.activeElement.id === 'card-{opp.pk}'")
    opp.refresh_from_db()
    assert opp.status == "screening"
    assert page.locator('#board [data-count-for="screening"]').inner_text() == "1"
    assert page.locator('#board [data-count-for="applied"]').inner_text() == "0"
    page.wait_for_function(
        "() => document.getElementById('live-status').textContent.includes('is in Screening')"
    )


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_board_follows_the_card_to_its_new_column(browser, live_server):  # noqa: F811
    from sayyes.accounts.services import create_user, login_link
    from sayyes.pipeline.services import create_opportunity

    alice = create_user("alice")
    opp = create_opportunity(alice, company_name="Acme", title="Engineer", status="applied")
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        page = context.new_page()
        page.goto(login_link(alice, live_server.url))
        page.goto(f"{live_server.url}/board/")
        # One column at a time: the first with cards, chosen in the tabs.
        assert page.locator("#tab-applied").get_attribute("aria-selected") == "true"
        assert page.locator("#column-applied").is_visible()
        assert not page.locator("#column-saved").is_visible()
        page.locator("#tab-applied").focus()
        page.keyboard.press("ArrowLeft")
        assert page.locator("#tab-saved").get_attribute("aria-selected") == "true"
        assert page.locator("#column-saved").is_visible()
        page.keyboard.press("ArrowRight")

        page.select_option(f"#status-{opp.pk}", "offer")
        page.locator(f"#card-{opp.pk} button.move").click()
        page.wait_for_function(f"() => document.activeElement.id === 'card-{opp.pk}'")
        assert page.locator("#tab-offer").get_attribute("aria-selected") == "true"
        assert page.locator(f"#column-offer #card-{opp.pk}").is_visible()
        assert page.locator("#tab-offer [data-count-for]").inner_text() == "1"
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_a_practice_question_answered_then_one_skipped_by_keyboard(quiet_400_page, live_server):
    page = quiet_400_page  # noqa: F811
    from sayyes.accounts.services import create_user
    from sayyes.practice.models import Answer, PracticeSession, Question

    alice = create_user("alice")
    questions = [
        Question.objects.create(owner=alice, text=f"Question {n} of mine?", source="yours")
        for n in (1, 2, 3)
    ]
    session = PracticeSession.objects.create(
        owner=alice, mode="random", question_ids=[q.pk for q in questions]
    )
    _login_by_link(page, live_server, alice)
    page.goto(f"{live_server.url}/practice/sessions/{session.pk}/")

    # Get feedback with nothing typed: the slot says why, and takes the focus.
    _tab_to(page, "#question form button[type=submit]:not([form])")
    page.keyboard.press("Enter")
    page.wait_for_selector("#feedback h2:has-text('No feedback yet')")
    page.wait_for_function("() => document.activeElement.textContent === 'No feedback yet'")
    assert page.locator("header.topbar").count() == 1  # no page inside the page

    _tab_to(page, "#id_text")
    page.keyboard.type(
        "Last year our releases slipped. I planned the work with the team each week, "
        "and as a result we shipped on time for six months."
    )
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#feedback h2:has-text('Feedback')")
    page.wait_for_function("() => document.activeElement.textContent === 'Feedback'")
    page.wait_for_function(
        "() => document.getElementById('live-status').textContent.startsWith('Feedback ready')"
    )
    assert Answer.objects.filter(session=session, question=questions[0]).count() == 1

    _tab_to(page, "button:has-text('Next question')")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Question 2 of 3')")
    page.wait_for_function("() => document.activeElement.id === 'question'")

    _tab_to(page, "button:has-text('Skip this question')")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Question 3 of 3')")
    page.wait_for_function("() => document.activeElement.id === 'question'")
    assert "Question 3 of mine?" in page.locator("#question").inner_text()
    assert not Answer.objects.filter(session=session, question=questions[1]).exists()


@pytest.mark.django_db(transaction=True)
def test_a_checklist_item_ticked_by_keyboard_keeps_the_focus_on_it(page, live_server, opp):  # noqa: F811
    from sayyes.accounts.services import login_link
    from sayyes.triage.checklist import ensure_checklist

    interview = opp.interviews.get()
    ensure_checklist(interview)
    item = interview.checklist_items.order_by("id").first()
    page.goto(login_link(opp.owner, live_server.url))
    page.goto(f"{live_server.url}/interviews/{interview.pk}/")

    tick = f"#item-{item.pk} button.tick"
    _tab_to(page, tick)
    assert page.locator(tick).get_attribute("aria-checked") == "false"
    page.keyboard.press("Space")
    page.wait_for_selector(f'{tick}[aria-checked="true"]')
    page.wait_for_function(f"() => document.activeElement === document.querySelector('{tick}')")
    item.refresh_from_db()
    assert item.done
    assert page.locator("#checklist-progress").inner_text().startswith("1 of")
    page.wait_for_function(
        "() => document.getElementById('live-status').textContent.startsWith('Done: ')"
    )


@pytest.mark.django_db(transaction=True)
def test_the_browsers_time_zone_is_proposed_and_set_on_confirm(browser, live_server):  # noqa: F811
    from sayyes.accounts.models import Profile
    from sayyes.accounts.services import create_user, login_link

    alice = create_user("alice")
    context = browser.new_context(
        timezone_id="Europe/Paris", viewport={"width": 390, "height": 844}
    )
    try:
        page = context.new_page()
        page.goto(login_link(alice, live_server.url))
        offer = page.locator("#timezone-offer")
        offer.wait_for()
        assert "Europe/Paris" in offer.inner_text()
        assert Profile.for_user(alice).timezone == "UTC"  # nothing changes until confirmed
        offer.locator("button:not([name=keep])").click()
        page.wait_for_selector(".messages >> text=Times are shown in Europe/Paris")
        assert page.locator("#timezone-offer").count() == 0
        assert Profile.for_user(alice).timezone == "Europe/Paris"

        # The picker's search narrows the zones and picks the first match.
        page.goto(f"{live_server.url}/settings/")
        page.fill(".select-search", "buenos")
        assert page.locator("#id_timezone").input_value() == "America/Argentina/Buenos_Aires"
        visible = page.evaluate(
            "() => [...document.querySelectorAll('#id_timezone option')].filter(o => !o.hidden).length"
        )
        assert visible == 1
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_picking_an_opportunity_proposes_its_currency_unless_one_was_typed(page, live_server):  # noqa: F811
    from sayyes.accounts.services import create_user
    from sayyes.pipeline.services import create_opportunity

    alice = create_user("alice")
    paris = create_opportunity(
        alice, company_name="Paris Co", title="Analyst", salary_currency="EUR", salary_min=1
    )
    tokyo = create_opportunity(
        alice, company_name="Tokyo Co", title="Analyst", salary_currency="JPY", salary_min=1
    )
    _login_by_link(page, live_server, alice)
    page.goto(f"{live_server.url}/offers/new/")
    assert page.input_value("#id_currency") == "USD"
    page.select_option("#id_opportunity", str(paris.pk))
    assert page.input_value("#id_currency") == "EUR"
    page.select_option("#id_opportunity", str(tokyo.pk))
    assert page.input_value("#id_currency") == "JPY"
    page.fill("#id_currency", "GBP")
    page.select_option("#id_opportunity", str(paris.pk))
    assert page.input_value("#id_currency") == "GBP"


@pytest.mark.django_db(transaction=True)
def test_typing_a_search_keeps_the_focus_and_reads_out_the_count(page, live_server):  # noqa: F811
    from sayyes.accounts.services import create_user
    from sayyes.pipeline.services import create_opportunity

    alice = create_user("alice")
    for title in ("Data Engineer", "Data Analyst", "Designer"):
        create_opportunity(alice, company_name=f"{title} Co", title=title, status="saved")
    _login_by_link(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/")
    page.locator("input[name=q]").focus()
    page.keyboard.type("data")
    page.wait_for_function(
        "() => document.getElementById('live-status').textContent"
        " === '2 opportunities matching “data”.'"
    )
    assert page.evaluate("() => document.activeElement.name") == "q"
