"""Voice practice in real Chromium: its fake microphone plays an espeak-ng recording."""

from __future__ import annotations

import time

import pytest

from sayyes.practice.models import Answer, PracticeSession, Question
from tests.test_browser import chromium

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(recordings):
    with chromium(
        "--autoplay-policy=no-user-gesture-required",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={recordings['short_late']}%noloop",
    ) as browser:
        yield browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"the page logged errors: {errors}"


def _run_the_worker_once_the_task_is_queued(answer_count: int = 1):
    """What `sayyes worker` does in `sayyes serve`, run here in the test's thread."""
    from django_tasks_db.models import DBTaskResult
    from typer.testing import CliRunner

    from sayyes.cli import app

    for _ in range(300):  # the upload has landed within a few seconds
        if DBTaskResult.objects.filter(status="READY").count() >= answer_count:
            break
        time.sleep(0.1)
    outcome = CliRunner().invoke(app, ["worker", "--batch", "--quiet"])
    assert outcome.exit_code == 0, outcome.output


@pytest.mark.django_db(transaction=True)
def test_a_spoken_answer_is_recorded_transcribed_and_coached(page, live_server):
    from sayyes.accounts.services import create_user, login_link

    alice = create_user("alice")
    question = Question.objects.create(
        owner=alice, text="Tell me about a time you fixed a quality problem.", source="yours"
    )
    session = PracticeSession.objects.create(owner=alice, mode="random", question_ids=[question.pk])
    page.goto(login_link(alice, live_server.url))
    page.wait_for_selector("text=Your search at a glance")
    page.goto(f"{live_server.url}/practice/sessions/{session.pk}/")

    page.click("[data-rec-start]")
    page.wait_for_selector("text=Recording…")
    assert not page.locator("[data-rec-send]").is_visible()
    # The level meter moves with the voice, and the timer counts.
    page.wait_for_function("() => document.querySelector('[data-rec-level]').value > 0.02")
    # The recording goes to the server while the user speaks (every 8 s).
    with page.expect_response(lambda r: r.url.endswith("/api/v1/practice/answers")) as first:
        pass
    assert first.value.status == 202
    answer = Answer.objects.get(owner=alice)
    assert answer.status == "recording"
    page.wait_for_function(
        "() => document.querySelector('[data-rec-time]').textContent >= '0:09'", timeout=20_000
    )
    page.click("[data-rec-stop]")
    page.wait_for_selector("[data-rec-send]:visible")
    assert page.locator("[data-rec-again]").is_visible()

    with page.expect_response(lambda r: r.url.endswith(f"/{answer.pk}/chunks")) as info:
        page.click("[data-rec-send]")
    assert info.value.status == 202
    page.wait_for_selector(".voice-pending")

    _run_the_worker_once_the_task_is_queued()

    page.wait_for_selector("#voice-feedback", timeout=20_000)
    answer.refresh_from_db()
    assert answer.status == "done", answer.error
    assert Answer.objects.filter(owner=alice).count() == 1
    assert answer.audio.name.endswith(".webm")
    transcript = page.locator("[data-transcript]").inner_text().lower()
    assert "two weeks" in transcript and "team" in transcript
    assert page.locator("mark.filler").count() >= 1
    feedback = page.locator("#voice-feedback").inner_text()
    assert "words a minute" in feedback and "Fillers as spoken" in feedback
    assert page.locator(".score-big").is_visible()
    assert page.locator("#voice-feedback audio").get_attribute("src") == (
        f"/practice/answers/{answer.pk}/audio"
    )
    # The recording plays back: the audio element loads it from its owner-only address.
    duration = page.evaluate(
        """() => new Promise((resolve) => {
            const a = document.querySelector('#voice-feedback audio');
            a.addEventListener('loadedmetadata', () => resolve(a.duration));
            a.addEventListener('error', () => resolve(-1));
            a.load();
        })"""
    )
    assert duration != -1


@pytest.mark.django_db(transaction=True)
def test_recording_again_throws_the_first_take_away(page, live_server):
    from sayyes.accounts.services import create_user, login_link

    alice = create_user("alice")
    question = Question.objects.create(owner=alice, text="Why this role?", source="yours")
    session = PracticeSession.objects.create(owner=alice, mode="random", question_ids=[question.pk])
    page.goto(login_link(alice, live_server.url))
    page.wait_for_selector("text=Your search at a glance")
    page.goto(f"{live_server.url}/practice/sessions/{session.pk}/")

    with page.expect_response(lambda r: r.url.endswith("/api/v1/practice/answers")) as first:
        page.click("[data-rec-start]")
    assert first.value.status == 202
    first_take = Answer.objects.get(owner=alice)
    page.click("[data-rec-stop]")
    with page.expect_response(lambda r: r.request.method == "DELETE") as deleted:
        page.click("[data-rec-again]")
    assert deleted.value.status == 204
    assert not Answer.objects.filter(pk=first_take.pk).exists()
    assert not first_take.audio_path.exists()

    # A short second take (under 8 s) is uploaded whole when it is sent.
    page.wait_for_function("() => document.querySelector('[data-rec-time]').textContent >= '0:02'")
    page.click("[data-rec-stop]")
    with page.expect_response(lambda r: r.url.endswith("/api/v1/practice/answers")) as whole:
        page.click("[data-rec-send]")
    assert whole.value.status == 202
    page.wait_for_selector(".voice-pending")
    second = Answer.objects.get(owner=alice)
    assert second.status == "queued" and second.audio_path.exists()
