"""Every page of a demo account on a phone (360 and 390 px) and on a desktop, in Chromium.

The pages are the URLconf's own: a new route is walked without touching this file, and a
route that takes an id gets a real one of the demo account's. A route that answers GET with
something other than an HTML page must be listed in NOT_PAGES with its reason.

On a phone: no sideways scroll, the menu opens behind its button and every link in it is at
least 44 px tall, and every link on the page can be reached (inside the viewport, or inside
a box of its own that scrolls). axe-core (axe-playwright-python, injected through the
DevTools protocol: the page's CSP stays as it is) finds no serious or critical violation at
phone and desktop widths.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.test_browser import browser  # noqa: F401 (fixture)
from tests.test_meta_ownership import PUBLIC_PAGES, _fill, _object_for, _page_patterns

pytestmark = pytest.mark.browser

PHONES = (390, 360)
DESKTOP = {"width": 1366, "height": 900}

# Routes that answer GET with no HTML page of their own, by name, with the reason.
NOT_PAGES = {
    "logout": "POST only",
    "opportunity_status": "POST only (the board's status change)",
    "practice_start": "POST only",
    "practice_next": "POST only",
    "answer_rate": "POST only",
    "answer_audio": "a recording",
    "question_asked": "POST only",
    "contact_export": "a vCard file",
    "interaction_add": "POST only",
    "followup_add": "POST only",
    "followup_done": "POST only",
    "interview_ics": "a calendar file",
    "checklist_add": "POST only",
    "calendar_settings": "POST only (a new calendar address)",
    "checklist_toggle": "POST only",
    "token_create": "POST only",
    "token_revoke": "POST only",
    "rate_delete": "POST only",
    "round_add": "POST only",
    "offer_ratings": "POST only",
    "archive_download": "a zip file",
    "interview_mark_done": "POST only",
    "interview_undo_done": "POST only",
    "timezone_confirm": "POST only",
    "company_names": "a fragment: the company suggestions of a form's field",
    "bookmarklet_key_rotate": "POST only",
    "mailbox_check": "POST only",
    "mailbox_remove": "POST only",
}

# Pages worth seeing with a query string too (with the ids filled in by _extra_urls).
AXE_IMPACTS = {"serious", "critical"}
# Rules checked whatever axe rates them: headings that skip a level or come before the h1.
AXE_ALWAYS = {"heading-order", "page-has-heading-one"}


# Every visible link: inside the viewport, or inside a box that scrolls sideways by itself
# (a wide table in its own scroll box) whose own edges are inside the viewport.
UNREACHABLE_LINKS_JS = """
() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  for (const a of document.querySelectorAll('a[href], button, select, input, textarea')) {
    const r = a.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(a).visibility === 'hidden') continue;
    if (a.closest('.visually-hidden, [hidden]')) continue;
    let box = null;
    for (let el = a.parentElement; el && el !== document.body; el = el.parentElement) {
      const ox = getComputedStyle(el).overflowX;
      if (ox === 'auto' || ox === 'scroll') { box = el; break; }
    }
    const edge = box ? box.getBoundingClientRect() : r;
    if (edge.left < -1 || edge.right > vw + 1) {
      out.push((a.textContent || a.name || a.tagName).trim().slice(0, 40) + ' @' + Math.round(r.left));
    }
  }
  return out;
}
"""


# Every link of the open menu: shown, at least 44 px tall, inside the viewport.
MENU_LINKS_JS = """
() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  for (const a of document.querySelectorAll('#menu a, #menu button')) {
    const r = a.getBoundingClientRect();
    const name = a.textContent.trim();
    if (!r.width || !r.height) out.push(`menu link ${name} is hidden`);
    else if (r.height < 44 || r.left < 0 || r.right > vw + 1)
      out.push(`menu link ${name} is ${Math.round(r.width)}x${Math.round(r.height)} at ${Math.round(r.left)}`);
  }
  return out;
}
"""

# The innermost elements that stick out on the right (what makes a page scroll sideways).
WIDE_ELEMENTS_JS = """
() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > vw + 1))
      out.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 40)}"`);
  }
  return out.slice(0, 3);
}
"""

DUPLICATE_IDS_JS = """
() => {
  const seen = {};
  document.querySelectorAll('[id]').forEach(el => { seen[el.id] = (seen[el.id] || 0) + 1; });
  return Object.keys(seen).filter(id => seen[id] > 1);
}
"""


def _demo_ids(user) -> dict:
    """One of the demo account's objects for every word that names one in a route (the same
    words, in the same order, as the ownership meta-test)."""
    from sayyes.accounts.services import issue_token
    from sayyes.journal.models import Debrief
    from sayyes.network.models import Contact, FollowUp
    from sayyes.offers.models import ExchangeRate, Offer
    from sayyes.pipeline.models import Interview
    from sayyes.practice import services as practice
    from sayyes.practice.models import PracticeSession, Question
    from sayyes.triage import checklist
    from sayyes.triage import services as triage

    practice.load_bank()
    question = Question.objects.create(
        owner=user, text="Tell me about a plan of yours that changed halfway.", source="yours"
    )
    session = PracticeSession.objects.create(owner=user, mode="random", question_ids=[question.pk])
    answer = practice.record_answer(
        user,
        question,
        "Last year our releases kept slipping. I set up a weekly plan with the team and, um, "
        "we shipped on time for six months, so the customers stopped complaining.",
        session=session,
    )
    debrief = Debrief.objects.filter(owner=user).select_related("interview").first()
    interview = (
        Interview.objects.owned_by(user).filter(status="scheduled").order_by("starts_at").first()
        or Interview.objects.owned_by(user).first()
    )
    triage.triage(interview)
    checklist.ensure_checklist(interview)
    issue_token(user, "phone test")
    contact = Contact.objects.owned_by(user).filter(interactions__isnull=False).first()
    from sayyes.network.services import ensure_thank_yous

    # The latest done interviews that had interviewers (which ones are done depends on the
    # time of day the demo is made: the latest three alone may have had none).
    done_with_people = (
        Interview.objects.owned_by(user)
        .filter(status="done", interviewers__isnull=False)
        .distinct()
        .order_by("-starts_at")[:3]
    )
    for done in done_with_people:
        ensure_thank_yous(done)
    followup = FollowUp.objects.owned_by(user).first()
    offer = Offer.objects.owned_by(user).order_by("id").last()
    from sayyes.offers.services import set_rate

    set_rate(user, from_currency="EUR", to_currency="USD", rate="1.08", as_of=date.today())
    rate = ExchangeRate.objects.owned_by(user).first()
    from sayyes.practice.mocks.services import start_mock

    mock = start_mock(user, kind="behavioral", count=2)
    return {
        "mocks": mock.pk,
        "questions-to-ask": debrief.interview_id,
        "sessions": session.pk,
        "answers": answer.pk,
        "questions": question.pk,
        "interview": interview.pk,
        "token": user.api_tokens.first().pk,
        "compan": debrief.interview.opportunity.company_id,
        "contact": (contact or Contact.objects.owned_by(user).first()).pk,
        "followup": followup.pk,
        "opportunit": interview.opportunity_id,
        "checklist": interview.checklist_items.first().pk,
        "rates": rate.pk,
        "offers": offer.pk,
        "debrief": debrief.interview_id,
        "_answer": answer.pk,
        "_offers": [o.pk for o in Offer.objects.owned_by(user).order_by("id")],
        "_companies": list(
            Debrief.objects.filter(owner=user).values_list(
                "interview__opportunity__company_id", flat=True
            )[:3]
        ),
    }


def _urls(ids: dict) -> list[tuple[str, str]]:
    urls = []
    for name, route in _page_patterns():
        if name in PUBLIC_PAGES or name in NOT_PAGES:
            continue
        pk = _object_for(route, ids) if "<" in route else 0
        urls.append((name, _fill(route, {"pk": pk})))
    # The same pages with what they are usually opened with.
    urls += [
        (
            "practice_session+answer",
            f"/practice/sessions/{ids['sessions']}/?answer={ids['_answer']}",
        ),
        ("offer_compare+ids", "/offers/compare/?" + "&".join(f"ids={i}" for i in ids["_offers"])),
        (
            "company_compare+ids",
            "/companies/compare/?" + "&".join(f"ids={i}" for i in ids["_companies"]),
        ),
    ]
    return urls


def _login(context, live_server, user):
    from sayyes.accounts.services import login_link

    page = context.new_page()
    page.goto(login_link(user, live_server.url))
    return page


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in AXE_IMPACTS or v["id"] in AXE_ALWAYS
    ]


def _check_phone(page, width: int) -> list[str]:
    problems = []
    page.set_viewport_size({"width": width, "height": 800})
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll > width:
        wide = page.evaluate(WIDE_ELEMENTS_JS)
        problems.append(f"{width} px: the page is {scroll} px wide, because of {wide}")
    toggle = page.locator(".menu-toggle")
    if toggle.count() != 1 or not toggle.is_visible():
        return [*problems, f"{width} px: no visible menu button"]
    if toggle.get_attribute("aria-expanded") != "false":
        problems.append(f"{width} px: the menu starts open")
    toggle.click()
    if toggle.get_attribute("aria-expanded") != "true":
        problems.append(f"{width} px: the menu button does not say it opened the menu")
    problems += [f"{width} px: {p}" for p in page.evaluate(MENU_LINKS_JS)]
    unreachable = page.evaluate(UNREACHABLE_LINKS_JS)
    if unreachable:
        problems.append(f"{width} px: out of reach: {unreachable[:5]}")
    toggle.click()
    if toggle.get_attribute("aria-expanded") != "false":
        problems.append(f"{width} px: the menu does not close again")
    return problems


@pytest.mark.django_db(transaction=True)
def test_every_page_of_a_demo_account_works_on_a_phone_and_passes_axe(browser, live_server):  # noqa: F811
    from sayyes.accounts.models import Profile
    from sayyes.accounts.services import create_user
    from sayyes.demo import fill_demo

    user = create_user("demo")
    Profile.objects.filter(user=user).update(timezone="Europe/London")
    fill_demo(user, scale=1)
    urls = _urls(_demo_ids(user))
    assert len(urls) > 40

    problems: dict[str, list[str]] = {}
    phone = browser.new_context(viewport={"width": PHONES[0], "height": 800}, has_touch=True)
    desktop = browser.new_context(viewport=DESKTOP)
    try:
        on_phone = _login(phone, live_server, user)
        on_desktop = _login(desktop, live_server, user)
        for name, url in urls:
            found = []
            response = on_phone.request.get(live_server.url + url, max_redirects=0)
            kind = response.headers.get("content-type", "")
            if response.status != 200 or not kind.startswith("text/html"):
                problems[f"{name} {url}"] = [
                    f"GET answered {response.status} {kind}: add it to NOT_PAGES with its reason"
                ]
                continue
            on_phone.goto(live_server.url + url)
            found += [f"390 px axe: {v}" for v in _serious(on_phone)]
            if twice := on_phone.evaluate(DUPLICATE_IDS_JS):
                found.append(f"ids used twice: {twice}")
            for width in PHONES:
                found += _check_phone(on_phone, width)
            on_desktop.goto(live_server.url + url)
            found += [f"desktop axe: {v}" for v in _serious(on_desktop)]
            if found:
                problems[f"{name} {url}"] = found
    finally:
        phone.close()
        desktop.close()
    report = "\n".join(f"{page}:\n  " + "\n  ".join(found) for page, found in problems.items())
    assert not problems, f"{len(problems)} of {len(urls)} pages have problems:\n{report}"


@pytest.mark.django_db(transaction=True)
def test_every_page_of_a_new_empty_account_works_on_a_phone(browser, live_server):  # noqa: F811
    """A fresh account has other pages: empty lists, first-step hints, the time zone offer."""
    from sayyes.accounts.services import create_user

    user = create_user("newcomer")
    urls = [
        (name, "/" + route)
        for name, route in _page_patterns()
        if "<" not in route and name not in PUBLIC_PAGES and name not in NOT_PAGES
    ]
    assert len(urls) > 20
    problems: dict[str, list[str]] = {}
    phone = browser.new_context(
        viewport={"width": PHONES[0], "height": 800}, has_touch=True, timezone_id="Europe/Paris"
    )
    try:
        page = _login(phone, live_server, user)
        page.wait_for_selector("#timezone-offer:not([hidden])")
        for name, url in urls:
            page.goto(live_server.url + url)
            found = _check_phone(page, min(PHONES))  # the narrower is the stricter
            if found:
                problems[f"{name} {url}"] = found
    finally:
        phone.close()
    report = "\n".join(f"{page}:\n  " + "\n  ".join(found) for page, found in problems.items())
    assert not problems, f"{len(problems)} of {len(urls)} pages have problems:\n{report}"
