"""Take the README's screenshots: a demo account, a real server, Debian's Chromium.

Run with `make screenshots`; the PNGs land in docs/screenshots/.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    os.environ["SAYYES_DATA_DIR"] = tempfile.mkdtemp(prefix="sayyes-shots-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sayyes.settings"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from waitress import create_server

    from sayyes.accounts.models import Profile
    from sayyes.accounts.services import create_user, login_link
    from sayyes.demo import fill_demo
    from sayyes.pipeline.models import Opportunity
    from sayyes.wsgi import application

    user = create_user("demo")
    Profile.objects.filter(user=user).update(timezone="Europe/London", timezone_confirmed=True)
    fill_demo(user, scale=1)
    server = create_server(application, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    from sayyes.practice import services as practice

    practice.load_bank()
    from sayyes.practice.models import PracticeSession, Question

    question = Question.objects.filter(
        category="behavioral", text__icontains="spotted a problem early"
    ).first()
    others = practice.plan_questions(user, mode="category", category="behavioral", count=3)
    session = PracticeSession.objects.create(
        owner=user,
        mode="category",
        category="behavioral",
        question_ids=[question.pk] + [q for q in others if q != question.pk][:2],
    )
    answer = practice.record_answer(
        user,
        question,
        "Last spring at my previous job, um, our checkout kept timing out during big sales. "
        "I was responsible for finding the cause before the holiday launch. I profiled the slow "
        "queries, added the missing index and, like, moved the stock check onto a queue. We "
        "tested it under twice the normal load with the QA team. As a result checkout errors "
        "fell by 80 percent and we handled the busiest day of the year without an outage.",
        session=session,
    )
    voice_session, voice_answer = _voice_answer(user, question)
    from django.utils import timezone as tz

    from sayyes.network.services import ensure_thank_yous
    from sayyes.pipeline.models import Interview

    for done in Interview.objects.filter(
        owner=user, status="done", starts_at__gte=tz.now() - timedelta(days=3)
    )[:4]:
        ensure_thank_yous(done)
    contact = user.contacts.filter(interactions__isnull=False).first() or user.contacts.first()
    thank_you = user.followups.filter(kind="thank_you").first()
    detail = (
        Opportunity.objects.filter(owner=user, status="interviewing").order_by("id").first()
        or Opportunity.objects.filter(owner=user).first()
    )
    # Say yes: one invitation to triage, another accepted with its prep checklist.
    from sayyes.triage.services import decide

    invites = list(
        Interview.objects.filter(owner=user, status="invited", starts_at__gte=tz.now()).order_by(
            "starts_at"
        )[:2]
    )
    decide(invites[1], "accept")

    from sayyes.offers.models import Offer

    offers = list(Offer.objects.owned_by(user).order_by("id"))  # the current job, then two offers
    shown_offers = {"compare": ",".join(str(o.pk) for o in offers), "negotiate": offers[1].pk}

    from sayyes.journal.models import Debrief

    debriefed = Debrief.objects.filter(owner=user).select_related("interview__opportunity")
    journal_company = debriefed.first().interview.opportunity.company_id
    compare_ids = "&".join(
        f"ids={d.interview.opportunity.company_id}" for d in debriefed.order_by("id")[:3]
    )
    journal_interview = debriefed.first().interview_id

    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(login_link(user, base))
        for name, path, full in [
            ("dashboard", "/", True),
            ("board", "/board/", False),
            ("opportunities", "/opportunities/?sort=company", False),
            ("opportunity", f"/opportunities/{detail.pk}/", True),
            ("interviews", "/interviews/", False),
            ("practice", f"/practice/sessions/{session.pk}/?answer={answer.pk}", True),
            ("practice-home", "/practice/", False),
            (
                "voice",
                f"/practice/sessions/{voice_session.pk}/?answer={voice_answer.pk}",
                True,
            ),
            ("agenda", "/agenda/", False),
            ("contact", f"/contacts/{contact.pk}/", False),
            ("contacts", "/contacts/", False),
            ("thank-you", f"/followups/{thank_you.pk}/thank-you/", False),
            ("import", "/contacts/import/", False),
            ("settings", "/settings/", True),
            ("triage", f"/interviews/{invites[0].pk}/triage/", True),
            ("prep", f"/interviews/{invites[1].pk}/", True),
            ("offers", "/offers/", False),
            ("offer-compare", f"/offers/compare/?ids={shown_offers['compare']}", True),
            ("offer-negotiation", f"/offers/{shown_offers['negotiate']}/negotiation/", True),
            ("debrief", f"/interviews/{journal_interview}/debrief/", True),
            ("questions-to-ask", f"/interviews/{journal_interview}/questions-to-ask/", False),
            ("company", f"/companies/{journal_company}/", False),
            ("compare", f"/companies/compare/?{compare_ids}", True),
            ("companies", "/companies/", False),
            ("insights", "/insights/", True),
        ]:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
            print(f"wrote {OUT / f'{name}.png'}")
        _import_pages(page, base)
        # The same account on a phone (390 px wide), beside the desktop pictures.
        phone = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
        phone.goto(login_link(user, base))
        for name, path in [
            ("board-phone", "/board/"),
            ("agenda-phone", "/agenda/"),
            ("triage-phone", f"/interviews/{invites[0].pk}/triage/"),
            ("practice-phone", f"/practice/sessions/{session.pk}/?answer={answer.pk}#feedback"),
        ]:
            phone.goto(base + path)
            phone.wait_for_load_state("networkidle")
            phone.screenshot(path=str(OUT / f"{name}.png"))
            print(f"wrote {OUT / f'{name}.png'}")
        _mock_pages(page, base, user)
        browser.close()
    server.close()


def _voice_answer(user, question):
    """A spoken answer (espeak-ng's voice, as in the tests), transcribed by the real model."""
    import subprocess
    import tempfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from sayyes.practice import voice
    from sayyes.practice.models import PracticeSession

    said = (
        "Last spring, um, our checkout kept failing during big sales. I was asked to find the "
        "cause before the holiday launch. I profiled the slow queries and, uh, added the "
        "missing index. As a result errors fell by eighty percent."
    )
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "answer.wav"
        subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), said], check=True)
        session = PracticeSession.objects.create(
            owner=user, mode="category", category="behavioral", question_ids=[question.pk]
        )
        upload = SimpleUploadedFile("answer.wav", wav.read_bytes())
        answer = voice.submit_recording(user, question, upload, session=session)
    voice.process(answer.pk)
    return session, answer


def _mock_pages(page, base: str, user) -> None:
    """A mock interview waiting for a follow-up answer, and the report of a finished one."""
    from sayyes.practice.mocks import services as mocks
    from sayyes.practice.models import Category, Question

    asked = Question.objects.filter(category=Category.BEHAVIORAL, owner=None)
    story = asked.filter(text__icontains="spotted a problem early").first() or asked.first()
    others = [q for q in asked.exclude(pk=story.pk).order_by("id")[:2]]
    thin = (
        "Last year at the warehouse our picking errors kept going up and the team was getting "
        "complaints from the stores every week. We looked at the process together."
    )
    full = (
        "I pulled the error logs for a month and found that 70 percent came from two aisles "
        "with look-alike labels. I redesigned the labels with the team lead and trained the "
        "night shift. Within six weeks errors fell from 40 a week to 9, and store complaints "
        "stopped."
    )
    hypothetical = (
        "I would first talk to the people involved, and I would try to understand both "
        "sides. Then I would suggest a compromise and I would follow up a week later."
    )
    earlier = mocks.start_mock(user, kind="behavioral", count=2, seed=5)  # to compare with
    while not earlier.finished:
        earlier = mocks.answer_text(earlier, thin)
    finished = mocks.start_mock(user, kind="behavioral", count=3, seed=7)
    finished.question_ids = [story.pk, *[q.pk for q in others]]
    finished.save(update_fields=["question_ids"])
    finished.turns.all().delete()
    mocks._ask_question(finished, 0)
    for text in (thin, full, hypothetical, thin + " " + full, full, "How do you measure success?"):
        if finished.finished:
            break
        finished = mocks.answer_text(finished, text)
    live = mocks.start_mock(user, kind="panel", count=4, seed=11)
    mocks.answer_text(live, thin)
    for name, path in (
        ("mock", f"/practice/mocks/{live.pk}/"),
        ("mock-report", f"/practice/mocks/{finished.pk}/report/"),
    ):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
        print(f"wrote {OUT / f'{name}.png'}")


def _import_pages(page, base: str) -> None:
    """The spreadsheet preview and a job posting waiting for confirmation."""
    fixtures = ROOT / "tests" / "fixtures" / "portability"
    page.goto(base + "/opportunities/import/")
    page.set_input_files("#id_file", str(fixtures / "huntr.csv"))
    page.click("button:has-text('Upload and preview')")
    page.wait_for_selector("#preview")
    page.screenshot(path=str(OUT / "import-spreadsheet.png"), full_page=True)
    print(f"wrote {OUT / 'import-spreadsheet.png'}")
    page.goto(base + "/opportunities/import/posting/")
    page.fill("#id_html", (fixtures / "posting-jsonld.html").read_text())
    page.click("button:has-text('Read the posting')")
    page.wait_for_selector("#confirm")
    page.screenshot(path=str(OUT / "import-posting.png"), full_page=True)
    print(f"wrote {OUT / 'import-posting.png'}")


if __name__ == "__main__":
    sys.exit(main())
