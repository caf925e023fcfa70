"""Practice: the bank, sessions, answers with feedback, spaced repetition, pages, API, CLI."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sayyes.practice import services
from sayyes.practice.models import Answer, Category, PracticeSession, Question, Review, Source
from tests.conftest import api

STAR_ANSWER = (
    "Last spring at my previous job our checkout service kept timing out during sales. "
    "I was responsible for finding the cause before the holiday launch. "
    "I profiled the slow queries, added an index and moved the inventory check to a queue. "
    "As a result checkout errors fell by 80 percent and we handled twice the traffic."
)


@pytest.fixture
def bank(db):
    services.load_bank()
    return Question.objects.filter(source=Source.BUILTIN)


@pytest.fixture
def behavioral(bank):
    return bank.filter(category=Category.BEHAVIORAL).first()


# --- the bank ---------------------------------------------------------------------------------


def test_the_bank_has_over_300_questions_in_every_category(bank):
    assert bank.count() >= 300
    for category in Category.values:
        assert bank.filter(category=category).exists(), category
    industries = {i for q in bank.filter(category=Category.ROLE_SPECIFIC) for i in q.industries}
    assert len(industries) >= 12
    for question in bank:
        assert 2 <= len(question.talking_points) <= 5, question.key
        assert question.competencies, question.key


def test_loading_the_bank_twice_adds_nothing_and_keeps_users_questions(bank, alice):
    count = bank.count()
    own = services.create_question(alice, text="Why sayyes?", category="motivation")
    assert services.load_bank() == (0, 0)
    assert Question.objects.filter(source=Source.BUILTIN).count() == count
    own.refresh_from_db()
    assert own.text == "Why sayyes?"


def test_an_upgrade_adds_new_questions_and_refreshes_changed_ones(bank, monkeypatch):
    data = [dict(item) for item in services._bank_data()]
    data[0]["text"] = "A reworded question?"
    data.append(dict(data[1], key="brand-new-question", text="A brand new question?"))
    monkeypatch.setattr(services, "_bank_data", lambda: data)
    assert services.load_bank() == (1, 1)
    assert Question.objects.get(key=data[0]["key"]).text == "A reworded question?"
    assert Question.objects.filter(key="brand-new-question").exists()


def test_built_in_questions_cannot_be_changed_or_deleted(behavioral):
    with pytest.raises(ValidationError):
        services.update_question(behavioral, text="Hacked")
    with pytest.raises(ValidationError):
        services.delete_question(behavioral)


def test_a_question_needs_text_and_a_known_category(alice):
    with pytest.raises(ValidationError) as exc:
        services.create_question(alice, text="  ", category="nonsense")
    assert set(exc.value.message_dict) == {"text", "category"}
    assert not Question.objects.filter(owner=alice).exists()


# --- choosing questions -------------------------------------------------------------------------


def test_questions_really_asked_at_the_company_come_first(bank, alice, opp, behavioral):
    real = services.mark_asked(alice, behavioral, opp)
    assert real.source == Source.REAL and real.company == opp.company and real.owner == alice
    ids = services.plan_questions(alice, mode="opportunity", opportunity=opp, count=5, seed=3)
    assert ids[0] == real.pk
    assert len(ids) == 5


def test_questions_asked_for_a_similar_role_come_next(bank, alice, opp, behavioral):
    from sayyes.pipeline.services import create_opportunity

    other = create_opportunity(alice, company_name="Elsewhere", title="Senior Data Engineer")
    unrelated = create_opportunity(alice, company_name="Bakery", title="Pastry Chef")
    similar = services.mark_asked(alice, behavioral, other)
    services.mark_asked(alice, bank.filter(category="tough").first(), unrelated)
    ids = services.plan_questions(alice, mode="opportunity", opportunity=opp, count=5, seed=1)
    assert ids[0] == similar.pk
    assert Question.objects.get(pk=ids[1]).source != Source.REAL


def test_marking_twice_makes_one_real_question(bank, alice, opp, behavioral):
    first = services.mark_asked(alice, behavioral, opp)
    assert services.mark_asked(alice, first, opp) == first
    assert Question.objects.filter(owner=alice, source=Source.REAL).count() == 1


def test_a_panel_takes_turns_between_three_interviewers(bank, alice):
    ids = services.plan_questions(alice, mode="panel", count=6, seed=2)
    personas = [Question.objects.get(pk=i).persona for i in ids]
    assert personas == ["hiring_manager", "peer", "hr"] * 2


def test_nothing_due_is_a_clear_error(bank, alice):
    with pytest.raises(ValidationError) as exc:
        services.start_session(alice, mode="due")
    assert "Nothing is due" in str(exc.value)


def test_bob_cannot_plan_with_alices_opportunity(bank, bob, opp):
    with pytest.raises(ValidationError):
        services.plan_questions(bob, mode="opportunity", opportunity=opp)


# --- answers and scheduling ---------------------------------------------------------------------


def test_an_answer_stores_feedback_score_and_schedules_a_review(bank, alice, behavioral):
    answer = services.record_answer(alice, behavioral, STAR_ANSWER)
    assert answer.feedback["word_count"] == len(STAR_ANSWER.split())
    assert answer.feedback["star"]["result"]["present"] is True
    assert 0 < answer.score <= 100
    review = Review.objects.get(owner=alice, question=behavioral)
    assert review.due > timezone.now() - timedelta(seconds=5)
    assert answer.next_review_at == review.due


def test_a_weak_answer_comes_back_sooner_than_a_strong_one(bank, alice, bob, behavioral):
    strong = services.record_answer(alice, behavioral, STAR_ANSWER, self_rating=4)
    weak = services.record_answer(bob, behavioral, "um I would like maybe try", self_rating=1)
    assert weak.score < strong.score
    assert weak.next_review_at < strong.next_review_at


def test_a_self_rating_reschedules_from_before_the_answer(bank, alice, behavioral):
    answer = services.record_answer(alice, behavioral, STAR_ANSWER)
    first_due = answer.next_review_at
    services.rate_answer(answer, 1)
    answer.refresh_from_db()
    assert answer.self_rating == 1
    assert answer.next_review_at < first_due
    assert Review.objects.get(owner=alice, question=behavioral).reps == 1


def test_only_the_latest_answer_can_be_rated(bank, alice, behavioral):
    old = services.record_answer(alice, behavioral, STAR_ANSWER)
    services.record_answer(alice, behavioral, STAR_ANSWER)
    with pytest.raises(ValidationError):
        services.rate_answer(old, 3)


def test_an_empty_answer_is_refused_and_nothing_is_stored(bank, alice, behavioral):
    with pytest.raises(ValidationError):
        services.record_answer(alice, behavioral, "   ")
    assert not Answer.objects.exists() and not Review.objects.exists()


def test_bob_cannot_answer_alices_own_question(bank, alice, bob):
    own = services.create_question(alice, text="Alice's private question?")
    with pytest.raises(ValidationError):
        services.record_answer(bob, own, "An answer")


def test_the_due_queue_lists_questions_whose_review_has_come(bank, alice, behavioral):
    services.record_answer(alice, behavioral, STAR_ANSWER)
    assert services.due_count(alice) == 0
    Review.objects.filter(owner=alice).update(due=timezone.now() - timedelta(minutes=1))
    assert services.due_count(alice) == 1
    session = services.start_session(alice, mode="due")
    assert session.question_ids == [behavioral.pk]


# --- pages --------------------------------------------------------------------------------------


def test_the_practice_home_shows_categories_and_the_due_count(alice_client, bank):
    response = alice_client.get("/practice/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Behavioral" in html and "Panel interview" in html
    assert "due for review" in html


def test_a_session_shows_one_question_then_the_feedback(alice_client, alice, bank):
    response = alice_client.post(
        "/practice/start/", {"mode": "category", "category": "behavioral", "count": "2"}
    )
    session = PracticeSession.objects.get(owner=alice)
    assert response["Location"] == f"/practice/sessions/{session.pk}/"
    page = alice_client.get(response["Location"]).content.decode()
    question = Question.objects.get(pk=session.question_ids[0])
    assert "Question 1 of 2" in page and question.text in page.replace("&#x27;", "'")
    assert "data-timer" in page

    answered = alice_client.post(response["Location"], {"text": STAR_ANSWER}, follow=True)
    html = answered.content.decode()
    assert "Feedback" in html and "Situation" in html
    answer = Answer.objects.get(owner=alice)
    assert answer.session == session and answer.question == question

    alice_client.post(f"/practice/sessions/{session.pk}/next/")
    assert "Question 2 of 2" in alice_client.get(response["Location"]).content.decode()


def test_an_htmx_answer_returns_only_the_feedback_panel(alice_client, alice, bank):
    alice_client.post("/practice/start/", {"mode": "random", "count": "1"})
    session = PracticeSession.objects.get(owner=alice)
    response = alice_client.post(
        f"/practice/sessions/{session.pk}/", {"text": STAR_ANSWER}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="feedback"' in html and "<nav" not in html


def test_an_empty_answer_keeps_the_page_and_says_why(alice_client, alice, bank):
    alice_client.post("/practice/start/", {"mode": "random", "count": "1"})
    session = PracticeSession.objects.get(owner=alice)
    response = alice_client.post(f"/practice/sessions/{session.pk}/", {"text": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Answer.objects.exists()


def test_rating_an_answer_from_the_page(alice_client, alice, bank, behavioral):
    answer = services.record_answer(alice, behavioral, STAR_ANSWER)
    response = alice_client.post(f"/practice/answers/{answer.pk}/rate/", {"self_rating": "2"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.self_rating == 2


def test_the_question_page_charts_the_scores_over_time(alice_client, alice, bank, behavioral):
    services.record_answer(alice, behavioral, STAR_ANSWER)
    services.record_answer(alice, behavioral, "It went fine I guess.")
    html = alice_client.get(f"/practice/questions/{behavioral.pk}/").content.decode()
    assert 'id="score-chart"' in html
    data = json.loads(re.search(r'id="score-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert [point["score"] for point in data] == list(
        Answer.objects.filter(question=behavioral)
        .order_by("created_at")
        .values_list("score", flat=True)
    )


def test_the_bank_page_searches_and_filters(alice_client, bank):
    html = alice_client.get("/practice/questions/?category=closing").content.decode()
    assert "Questions to ask the employer" in html
    assert alice_client.get("/practice/questions/?category=nope").status_code == 400


def test_adding_your_own_question_keeps_what_you_typed_on_error(alice_client, alice):
    response = alice_client.post(
        "/practice/questions/new/",
        {
            "text": "",
            "category": "behavioral",
            "persona": "peer",
            "difficulty": "2",
            "competencies": "grit, focus",
            "talking_points": "One\nTwo",
        },
    )
    assert response.status_code == 400
    assert "grit, focus" in response.content.decode()
    response = alice_client.post(
        "/practice/questions/new/",
        {
            "text": "What did you learn last year?",
            "category": "behavioral",
            "persona": "peer",
            "difficulty": "2",
            "competencies": "grit, focus",
            "talking_points": "One\nTwo",
        },
    )
    question = Question.objects.get(owner=alice)
    assert response["Location"] == f"/practice/questions/{question.pk}/"
    assert question.competencies == ["grit", "focus"] and question.talking_points == ["One", "Two"]


def test_marking_a_question_as_asked_from_the_page(alice_client, alice, bank, behavioral, opp):
    response = alice_client.post(
        f"/practice/questions/{behavioral.pk}/asked/", {"opportunity": opp.pk}
    )
    real = Question.objects.get(owner=alice, source=Source.REAL)
    assert response["Location"] == f"/practice/questions/{real.pk}/"


def test_bob_cannot_mark_a_question_as_asked_for_alices_opportunity(
    bob_client, bank, behavioral, opp
):
    bob_client.post(f"/practice/questions/{behavioral.pk}/asked/", {"opportunity": opp.pk})
    assert not Question.objects.filter(source=Source.REAL).exists()


# --- API ----------------------------------------------------------------------------------------


def test_the_feedback_endpoint_is_stateless(client, alice_token, bank):
    response = api(
        client,
        "post",
        "/practice/feedback",
        alice_token,
        json={
            "question": "Tell me about a time you fixed a hard problem.",
            "answer": STAR_ANSWER,
            "duration_seconds": 30,
            "posting_text": "We need incident response and Python skills.",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= {
        "word_count",
        "pace",
        "fillers",
        "hedges",
        "star",
        "hypothetical",
        "i_we_ratio",
        "numbers",
        "length",
        "job_terms",
        "most_used_words",
        "talking_points",
        "tips",
    }
    assert body["words_per_minute"] == pytest.approx(body["word_count"] * 2, rel=0.01)
    assert not Answer.objects.exists()


def test_the_feedback_endpoint_uses_an_opportunitys_posting(client, alice_token, opp, bob_token):
    body = api(
        client,
        "post",
        "/practice/feedback",
        alice_token,
        json={
            "question": "Why this job?",
            "answer": "I love Python and SQL work.",
            "opportunity_id": opp.pk,
        },
    ).json()
    assert body["job_terms"]["used"] or body["job_terms"]["missing"]
    response = api(
        client,
        "post",
        "/practice/feedback",
        bob_token,
        json={
            "question": "Why?",
            "answer": "Because.",
            "opportunity_id": opp.pk,
        },
    )
    assert response.status_code == 422


def test_questions_api_lists_the_bank_and_protects_built_ins(client, alice_token, bank, behavioral):
    listing = api(client, "get", "/questions?category=behavioral&limit=5", alice_token).json()
    assert listing["count"] == bank.filter(category="behavioral").count()
    assert len(listing["items"]) == 5 and listing["items"][0]["read_only"] is True
    response = api(client, "patch", f"/questions/{behavioral.pk}", alice_token, json={"text": "x"})
    assert response.status_code == 422
    assert api(client, "delete", f"/questions/{behavioral.pk}", alice_token).status_code == 422
    assert Question.objects.filter(pk=behavioral.pk).exists()


def test_your_own_questions_have_full_crud(client, alice_token, bob_token):
    created = api(
        client,
        "post",
        "/questions",
        alice_token,
        json={
            "text": "What surprised you?",
            "category": "culture_fit",
            "talking_points": ["a", "b"],
        },
    )
    assert created.status_code == 201
    qid = created.json()["id"]
    assert api(client, "get", f"/questions/{qid}", bob_token).status_code == 404
    assert (
        api(client, "patch", f"/questions/{qid}", bob_token, json={"text": "x"}).status_code == 404
    )
    patched = api(client, "patch", f"/questions/{qid}", alice_token, json={"difficulty": 3})
    assert patched.json()["difficulty"] == 3 and patched.json()["text"] == "What surprised you?"
    assert (
        api(
            client, "post", "/questions", alice_token, json={"text": "x", "category": "nope"}
        ).status_code
        == 422
    )
    assert api(client, "delete", f"/questions/{qid}", alice_token).status_code == 204


def test_answers_api_stores_feedback_and_schedule(client, alice_token, bob_token, bank, behavioral):
    response = api(
        client,
        "post",
        "/practice/answers",
        alice_token,
        json={
            "question_id": behavioral.pk,
            "text": STAR_ANSWER,
            "self_rating": 3,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["feedback"]["star"]["action"]["present"] is True
    assert body["next_review_at"] and body["self_rating"] == 3
    assert api(client, "get", f"/practice/answers/{body['id']}", bob_token).status_code == 404
    assert api(client, "get", "/practice/answers", bob_token).json()["count"] == 0
    assert api(client, "get", "/practice/answers", alice_token).json()["count"] == 1
    bad = api(
        client,
        "post",
        "/practice/answers",
        alice_token,
        json={"question_id": behavioral.pk, "text": ""},
    )
    assert bad.status_code == 422


# --- CLI ----------------------------------------------------------------------------------------


def test_the_cli_asks_questions_and_stores_answers(alice, bank, monkeypatch):
    from typer.testing import CliRunner

    from sayyes.cli import app

    answers = f"{STAR_ANSWER}\n\n\nSecond answer about teamwork and results.\n\n"
    result = CliRunner().invoke(
        app,
        ["practice", "--category", "behavioral", "--count", "3", "--user", "alice"],
        input=answers,
    )
    assert result.exit_code == 0, result.output
    assert "Question 1 of 3" in result.output and "Score" in result.output
    stored = Answer.objects.filter(owner=alice).order_by("created_at")
    assert stored.count() == 2  # the second question was skipped with an empty answer
    assert stored[0].text == STAR_ANSWER
    assert "STAR" in result.output


def test_the_cli_refuses_another_users_opportunity(bob, opp, bank):
    from typer.testing import CliRunner

    from sayyes.cli import app

    result = CliRunner().invoke(app, ["practice", "--opportunity", str(opp.pk), "--user", "bob"])
    assert result.exit_code != 0
    assert not PracticeSession.objects.exists()
