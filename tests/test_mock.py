"""Mock interviews: starting one, the turns and follow-ups, the review schedule, the report."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sayyes.practice import services
from sayyes.practice.mocks import services as mocks
from sayyes.practice.mocks.report import report
from sayyes.practice.models import (
    Answer,
    Category,
    Mock,
    MockTurn,
    Question,
    Review,
    Source,
)
from tests.test_mock_followups import COMPLETE, HYPOTHETICAL, SITUATION_ONLY

ACTION_AND_RESULT = (
    "I split the remaining work into weekly goals, I moved two developers from support onto "
    "the migration and I met the vendor every morning. As a result we went live four weeks "
    "later with 98 percent of orders flowing through the new system."
)


@pytest.fixture
def bank(db):
    services.load_bank()
    return Question.objects.filter(source=Source.BUILTIN)


@pytest.fixture
def story(alice):
    return Question.objects.create(
        owner=alice,
        text="Tell me about a time you turned around a project that was running late.",
        category=Category.BEHAVIORAL,
        source=Source.YOURS,
    )


def _mock_of(alice, *questions, kind="behavioral"):
    """A mock asking exactly these questions (the plan is tested on its own)."""
    mock = Mock.objects.create(owner=alice, kind=kind, question_ids=[q.pk for q in questions])
    mocks._ask_question(mock, 0)
    return mock


def test_a_mock_starts_with_an_opening_line_and_its_first_question(bank, alice):
    mock = mocks.start_mock(alice, kind="phone_screen", count=3, seed=1)
    assert len(mock.question_ids) == 3
    turn = mocks.current_turn(mock)
    assert turn.kind == "question" and turn.persona == "hr"
    assert turn.text.startswith("Hello, I'm Priya Raman, HR partner.")
    assert turn.text.endswith(turn.question.text)
    assert Question.objects.filter(pk__in=mock.question_ids, category="closing").count() == 0


@pytest.mark.parametrize(
    ("kind", "count", "field"),
    [("behavioral", 0, "questions"), ("behavioral", 13, "questions"), ("chat", 3, "kind")],
)
def test_bad_starts_name_the_field_and_write_nothing(bank, alice, kind, count, field):
    with pytest.raises(ValidationError) as info:
        mocks.start_mock(alice, kind=kind, count=count)
    assert field in info.value.message_dict
    assert not Mock.objects.exists() and not MockTurn.objects.exists()


def test_a_panel_takes_turns_between_three_people(bank, alice):
    mock = mocks.start_mock(alice, kind="panel", count=3, seed=2)
    first = mocks.current_turn(mock)
    assert "There are three of us today" in first.text
    seen = [first.persona]
    for _ in range(2):
        mocks.answer_text(mock, COMPLETE)
        turn = mocks.current_turn(mock)
        while turn.kind == "follow_up":
            mocks.answer_text(mock, COMPLETE)
            turn = mocks.current_turn(mock)
        seen.append(turn.persona)
    assert seen == ["hiring_manager", "peer", "hr"]


def test_questions_asked_at_the_company_and_weak_categories_come_first(bank, alice, opp):
    real = Question.objects.create(
        owner=alice,
        text="Why do you want to work at Northwind?",
        category=Category.MOTIVATION,
        source=Source.REAL,
        opportunity=opp,
        company=opp.company,
    )
    tough = bank.filter(category=Category.TOUGH).first()
    services.record_answer(alice, tough, "No idea.")  # a weak category: tough questions
    mock = mocks.start_mock(alice, kind="final", count=4, opportunity=opp, seed=3)
    assert mock.question_ids[0] == real.pk
    assert Question.objects.get(pk=mock.question_ids[1]).category == Category.TOUGH


def test_an_interview_chooses_the_opportunity(bank, alice, interview):
    mock = mocks.start_mock(alice, kind="technical", count=2, interview=interview)
    assert mock.opportunity == interview.opportunity
    assert "for the Data Engineer role at Northwind Analytics" in mocks.current_turn(mock).text


def test_a_thin_answer_gets_follow_ups_then_the_next_question(alice, story, bank):
    second = bank.filter(category=Category.MOTIVATION).first()
    mock = _mock_of(alice, story, second)
    mocks.answer_text(mock, SITUATION_ONLY, duration_seconds=50)
    turn = mocks.current_turn(mock)
    assert (turn.kind, turn.rule, turn.persona) == ("follow_up", "action", "hiring_manager")
    mocks.answer_text(mock, ACTION_AND_RESULT)
    # Action and result are there now, with numbers: the answer is complete, next question.
    turn = mocks.current_turn(mock)
    assert turn.kind == "question" and turn.question == second
    # One practice answer for the question: its whole text, scored and scheduled once.
    answer = Answer.objects.get(owner=alice, question=story)
    assert SITUATION_ONLY in answer.text and ACTION_AND_RESULT in answer.text
    assert answer.feedback["star"]["result"]["present"]
    review = Review.objects.get(owner=alice, question=story)
    assert review.due == answer.next_review_at


def test_no_more_than_two_follow_ups_and_none_after_a_complete_answer(alice, story):
    mock = _mock_of(alice, story)
    mocks.answer_text(mock, HYPOTHETICAL)
    assert mocks.current_turn(mock).rule == "real_example"
    mocks.answer_text(mock, SITUATION_ONLY)  # a real time now, but only its background
    second = mocks.current_turn(mock)
    assert (second.kind, second.rule) == ("follow_up", "action")
    mocks.answer_text(mock, "I would still do the same.")
    assert mocks.current_turn(mock).closing  # two follow-ups: enough
    # The real example replaced the "I would ..." in the answer kept for practice.
    answer = Answer.objects.get(pk=mock.turns.get(position=0).answer_id)
    assert answer.text.startswith(SITUATION_ONLY) and "I would start" not in answer.text

    still = _mock_of(alice, story)
    mocks.answer_text(still, HYPOTHETICAL)
    mocks.answer_text(still, HYPOTHETICAL)  # still no real time: the interviewer moves on
    assert mocks.current_turn(still).closing

    other = _mock_of(alice, story)
    mocks.answer_text(other, COMPLETE)
    assert mocks.current_turn(other).closing


def test_the_closing_turn_offers_your_questions_to_ask_then_the_mock_ends(alice, story, bank):
    Question.objects.create(
        owner=alice,
        text="How will you measure success in the first 90 days?",
        category=Category.CLOSING,
        source=Source.YOURS,
    )
    mock = _mock_of(alice, story)
    mocks.answer_text(mock, COMPLETE)
    closing = mocks.current_turn(mock)
    assert closing.closing and "Do you have any questions for us?" in closing.text
    assert mocks.suggestions(mock) == ["How will you measure success in the first 90 days?"]
    mocks.answer_text(mock, "What does the team find hardest right now?")
    mock.refresh_from_db()
    assert mock.finished and mock.finished_at
    assert mocks.current_turn(mock) is None
    with pytest.raises(ValidationError) as info:
        mocks.answer_text(mock, "One more thing")
    assert "text" in info.value.message_dict
    assert MockTurn.objects.filter(mock=mock).count() == 2


def test_the_report_quotes_you_and_says_what_to_work_on(alice, story, bank):
    other = Question.objects.create(
        owner=alice,
        text="Describe a time you had to win over a sceptical colleague.",
        category=Category.BEHAVIORAL,
        source=Source.YOURS,
    )
    mock = _mock_of(alice, story, other)
    mocks.answer_text(mock, SITUATION_ONLY)  # follow-up: action
    mocks.answer_text(mock, "I called the vendor.")  # follow-up: result
    mocks.answer_text(mock, "I don't remember.")
    mocks.answer_text(mock, COMPLETE)  # the second question, complete at once
    mocks.answer_text(mock, "No questions, thank you.")
    result = report(mock)
    first, second = result["questions"]
    assert first["question"] == story.text and first["answer"] == SITUATION_ONLY
    assert [f["answer"] for f in first["follow_ups"]] == [
        "I called the vendor.",
        "I don't remember.",
    ]
    assert first["follow_ups"][0]["text"] == "What did you do yourself, step by step?"
    assert second["follow_ups"] == []
    assert second["score"] > first["score"]
    assert first["feedback"]["tips"]
    overall = result["overall"]
    assert overall["score"] == round((first["score"] + second["score"]) / 2)
    assert 1 <= len(overall["work_on"]) <= 3
    assert overall["work_on"][0].startswith("One of your 2 stories ended without a result")
    assert "\u201c\u2026 " in overall["work_on"][0]  # it quotes how the story ended
    assert any("A complete story" in s for s in overall["strengths"])
    assert result["your_questions"] == "No questions, thank you."
    assert result["delivery"]["answers"] == 4
    assert result["comparison"] is None


def test_the_report_compares_with_the_previous_mock_of_the_same_kind(alice, story):
    first = _mock_of(alice, story)
    mocks.answer_text(first, SITUATION_ONLY)
    mocks.answer_text(first, "I called the vendor.")
    mocks.answer_text(first, "I don't remember.")
    mocks.answer_text(first, "No.")
    other_kind = _mock_of(alice, story, kind="final")
    mocks.answer_text(other_kind, COMPLETE)
    mocks.answer_text(other_kind, "No.")
    second = _mock_of(alice, story)
    mocks.answer_text(second, COMPLETE)
    mocks.answer_text(second, "No.")
    result = report(second)
    assert result["comparison"]["id"] == first.pk
    before = report(first)["overall"]["score"]
    assert result["comparison"]["score_change"] == result["overall"]["score"] - before > 0


def test_deleting_a_mock_keeps_the_practice_answers(alice, story):
    mock = _mock_of(alice, story)
    mocks.answer_text(mock, COMPLETE)
    mocks.delete_mock(mock)
    assert not MockTurn.objects.exists()
    assert Answer.objects.filter(owner=alice, question=story).count() == 1


def test_a_mock_goes_with_the_archive_its_questions_remapped(alice, bob, story):
    from tests.test_archive import _export

    mock = _mock_of(alice, story)
    mocks.answer_text(mock, COMPLETE)
    from sayyes.portability import archive

    archive.import_archive(bob, _export(alice))
    copy = Mock.objects.get(owner=bob)
    bobs_story = Question.objects.get(owner=bob, text=story.text)
    assert copy.question_ids == [bobs_story.pk]
    assert [t.question_id for t in copy.turns.all()] == [bobs_story.pk, None]
    assert report(copy)["questions"][0]["answer"] == COMPLETE


def test_role_specific_questions_only_for_the_companys_industry(bank, alice, opp):
    unknown = mocks.start_mock(alice, kind="technical", count=6, seed=4)
    asked = Question.objects.filter(pk__in=unknown.question_ids)
    assert not asked.filter(category=Category.ROLE_SPECIFIC).exists()
    opp.company.industry = "Healthcare"
    opp.company.save(update_fields=["industry"])
    mock = mocks.start_mock(alice, kind="technical", count=6, opportunity=opp, seed=4)
    role = Question.objects.filter(pk__in=mock.question_ids, category=Category.ROLE_SPECIFIC)
    assert role.exists() and all("Healthcare" in q.industries for q in role)


def test_work_on_items_quote_what_you_said(alice, story):
    from tests.test_mock_followups import NO_NUMBERS, WE_ONLY

    mock = _mock_of(alice, story)
    mocks.answer_text(mock, NO_NUMBERS)  # follow-up: the scale
    mocks.answer_text(mock, "It was a big project for the whole company.")
    mocks.answer_text(mock, "No.")
    work_on = report(mock)["overall"]["work_on"]
    assert work_on[0].startswith("Your story had no number in it, such as \u201c")
    assert "the directors asked me" in work_on[0] or "launched on the new date" in work_on[0]

    other = _mock_of(alice, story)
    mocks.answer_text(other, WE_ONLY)  # follow-up: your own part
    mocks.answer_text(other, "We all did the same work.")
    mocks.answer_text(other, "No.")
    work_on = report(other)["overall"]["work_on"]
    assert any("said \u201cwe\u201d and never \u201cI\u201d, for example" in w for w in work_on)


def test_questions_naming_the_postings_terms_come_early(bank, alice, opp):
    opp.posting_text = (
        "We are hiring a platform engineer to run our Kubernetes clusters. You will own "
        "Kubernetes upgrades, on-call for Kubernetes, and incident response. Experience with "
        "Kubernetes and Terraform is required."
    )
    opp.save(update_fields=["posting_text"])
    named = Question.objects.create(
        owner=alice,
        text="Tell me about an incident response you led. What did you learn?",
        category=Category.BEHAVIORAL,
        source=Source.YOURS,
    )
    mock = mocks.start_mock(alice, kind="behavioral", count=3, opportunity=opp, seed=9)
    assert mock.question_ids[0] == named.pk
