"""A mock interview in real Chromium: its fake microphone plays an espeak-ng answer.

Two questions: the first answered out loud (transcribed by the worker), which brings a
follow-up; the follow-up and the second question typed; then the closing and the report.
The browser's speech synthesis is replaced by a recorder of what would be said, offering one
network voice and one voice of the machine: only the local one may be used.
"""

from __future__ import annotations

import pytest

from sayyes.practice.models import Category, Mock, MockTurn, Question, Source
from tests.test_browser import chromium
from tests.test_mock_followups import COMPLETE
from tests.test_voice_browser import _run_the_worker_once_the_task_is_queued

pytestmark = pytest.mark.browser

FAKE_SPEECH = """
(() => {
  const voices = [
    {name: "Cloud Voice", lang: "en-US", localService: false, voiceURI: "cloud", default: true},
    {name: "Local English", lang: "en-GB", localService: true, voiceURI: "local", default: false},
  ];
  window.__spoken = [];
  const synth = {
    getVoices: () => voices,
    speak: (u) => window.__spoken.push({text: u.text, voice: u.voice && u.voice.name}),
    cancel: () => {},
    addEventListener: () => {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();
"""


@pytest.fixture(scope="module")
def browser(recordings):
    with chromium(
        "--autoplay-policy=no-user-gesture-required",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={recordings['short']}%noloop",
    ) as browser:
        yield browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    context.add_init_script(FAKE_SPEECH)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"the page logged errors: {errors}"


@pytest.mark.django_db(transaction=True)
def test_a_two_question_mock_spoken_and_typed_with_a_follow_up_then_the_report(page, live_server):
    from sayyes.accounts.services import create_user, login_link
    from sayyes.practice.mocks import services as mocks

    alice = create_user("alice")
    first, second = (
        Question.objects.create(
            owner=alice, text=text, category=Category.BEHAVIORAL, source=Source.YOURS
        )
        for text in (
            "Tell me about a time you fixed a quality problem.",
            "Tell me about a time you turned around a project that was running late.",
        )
    )
    mock = Mock.objects.create(owner=alice, kind="behavioral", question_ids=[first.pk, second.pk])
    mocks._ask_question(mock, 0)
    page.goto(login_link(alice, live_server.url))
    page.wait_for_selector("text=Your search at a glance")
    page.goto(f"{live_server.url}/practice/mocks/{mock.pk}/")

    # The interviewer: a name, a role, the question shown and read by the local voice only.
    assert page.locator("[data-persona-name]").inner_text() == "Morgan Ellis"
    assert "Question 1 of 2" in page.locator("h1").inner_text()
    page.wait_for_function("() => window.__spoken.length === 1")
    spoken = page.evaluate("() => window.__spoken")
    assert spoken[0]["voice"] == "Local English"
    assert spoken[0]["text"].endswith(first.text)
    assert "Local English" in page.locator("[data-speak-status]").inner_text()
    page.wait_for_function(
        "() => document.querySelector('[data-timer]').textContent >= '0:01'", timeout=5_000
    )
    _no_serious_accessibility_problems(page)

    # Question 1, out loud.
    page.click("[data-rec-start]")
    page.wait_for_selector("text=Recording…")
    page.wait_for_function(
        "() => document.querySelector('[data-rec-time]').textContent >= '0:06'", timeout=20_000
    )
    page.click("[data-rec-stop]")
    with page.expect_response(lambda r: r.url.endswith(f"/api/v1/mocks/{mock.pk}/answer")) as sent:
        page.click("[data-rec-send]")
    assert sent.value.status == 202
    page.wait_for_selector("#mock-waiting")
    _run_the_worker_once_the_task_is_queued()

    # The transcript is in: the interviewer digs.
    page.wait_for_selector(".turn-kind:has-text('Follow-up')", timeout=30_000)
    follow_up = MockTurn.objects.get(mock=mock, kind="follow_up")
    assert page.locator("#turn-text").inner_text() == follow_up.text
    spoken_answer = MockTurn.objects.get(mock=mock, position=0).reply.lower()
    assert "two weeks" in spoken_answer
    assert "You: " in page.locator(".mock-so-far").inner_text()
    page.wait_for_function(
        "() => window.__spoken.some((s) => s.text.startsWith('"
        + follow_up.text[:20].replace("'", "\\'")
        + "'))"
    )

    # The follow-up, typed.
    page.fill("textarea[name=text]", COMPLETE)
    page.click("button:has-text('Answer')")
    page.wait_for_selector("h1:has-text('Question 2 of 2')")
    assert second.text in page.locator("#turn-text").inner_text()

    # Question 2, typed: complete, so no follow-up; then the closing.
    page.fill("textarea[name=text]", COMPLETE)
    page.click("button:has-text('Answer')")
    page.wait_for_selector("h1:has-text('Your questions for them')")
    assert "Do you have any questions for us?" in page.locator("#turn-text").inner_text()
    page.fill("textarea[name=text]", "What would my first month look like?")
    page.click("button:has-text('Ask, and finish the interview')")

    # The report.
    page.wait_for_selector("h1:has-text('Your report')")
    assert page.url.endswith(f"/practice/mocks/{mock.pk}/report/")
    questions = page.locator("#report-questions").inner_text()
    assert first.text in questions and second.text in questions
    assert follow_up.text in questions
    assert "What would my first month look like?" in questions
    assert page.locator("#work-on li").count() >= 1
    _no_serious_accessibility_problems(page)
    delivery = page.locator("#report-delivery").inner_text()
    assert "words a minute over 1 spoken answer" in delivery
    # Nothing wider than the phone's screen.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    # Printed, the report is the report alone: no menu, footer or buttons.
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    assert not page.locator(".footer").is_visible()
    assert page.locator("main button:visible, main .button:visible").count() == 0
    assert page.locator("#report-questions").is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".topbar").is_visible()
    mock.refresh_from_db()
    assert mock.finished


def _no_serious_accessibility_problems(page) -> None:
    """axe-core on the page's main content: nothing serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context="main")
    serious = [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, serious
