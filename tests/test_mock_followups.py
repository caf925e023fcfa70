"""The mock interviewer's follow-up rules, on answers written for these tests, through the
real coach (no Django needed)."""

from __future__ import annotations

import pytest

from sayyes.practice.coach import analyse
from sayyes.practice.mocks.followups import (
    MAX_FOLLOW_UPS,
    Facts,
    facts_from_feedback,
    next_follow_up,
    noun_phrase,
)

STORY_Q = "Tell me about a time you turned around a project that was running late."

SITUATION_ONLY = (
    "Last spring I was working at a logistics company. The warehouse system was being replaced "
    "and the migration project was three weeks behind schedule. The vendor had missed two "
    "deadlines, the warehouse managers were frustrated, and the launch date had already been "
    "announced to our customers. Everybody was worried about the peak season that was coming "
    "in the autumn, because the old system could not cope with the volume we expected then."
)
HYPOTHETICAL = (
    "I would start by talking to everyone involved to understand why the project is late. "
    "Then I would make a new plan with realistic dates, and I would tell the stakeholders "
    "early. I would also look for tasks that could be dropped or moved to a later phase, and "
    "I would check in with the team every day until things were back on track. If it were "
    "still late I would ask for more people."
)
WE_ONLY = (
    "Last year our team was asked to rebuild the billing service, which was two months late. "
    "We sat down together and we split the work into small pieces. We met every morning and "
    "we reviewed the risks as a group. We cut three features that nobody needed, and we "
    "worked closely with the finance team. In the end we delivered it on the new date and the "
    "invoices went out on time, which made our customers and our managers happy."
)
NO_NUMBERS = (
    "At my last job the new booking site was running late and the launch was at risk. My job "
    "was to get it back on track. I mapped every open task with the developers, I dropped the "
    "features that could wait, and I set up a short daily check-in with the vendor. I also "
    "wrote a weekly note for the directors so that nobody was surprised. As a result we "
    "launched on the new date, the site worked well from the first day, and the directors "
    "asked me to run the next launch as well."
)
COMPLETE = (
    "At my last job the new booking site was six weeks late and the launch was at risk. My job "
    "was to get it back on track. I mapped all 140 open tasks with the developers, I dropped "
    "the 12 features that could wait, and I set up a fifteen minute daily check-in with the "
    "vendor. I also wrote a weekly note for the directors so that nobody was surprised. As a "
    "result we launched only one week after the original date, bookings grew by 30 percent in "
    "the first quarter, and the directors asked me to run the next launch as well."
)
TOO_SHORT = "I fixed the delivery schedule for the marketing campaign."


def follow_up_for(answer: str, asked=(), *, question: str = STORY_Q, behavioural: bool = True):
    feedback = analyse(question, answer)
    return next_follow_up(facts_from_feedback(answer, feedback, behavioural=behavioural), asked)


def test_a_situation_without_action_asks_what_you_did():
    follow_up = follow_up_for(SITUATION_ONLY)
    assert follow_up.rule == "action"
    assert "What did you do yourself" in follow_up.text


def test_after_the_action_is_asked_the_missing_result_comes_next():
    follow_up = follow_up_for(SITUATION_ONLY, asked=["action"])
    assert follow_up.rule == "result"
    assert "outcome" in follow_up.text


def test_a_hypothetical_answer_to_a_behavioural_question_asks_for_a_real_time():
    follow_up = follow_up_for(HYPOTHETICAL)
    assert follow_up.rule == "real_example"
    assert "actually happened" in follow_up.text


def test_a_hypothetical_answer_to_a_situational_question_is_fine():
    question = "What would you do if a project you led was running late?"
    assert follow_up_for(HYPOTHETICAL, question=question, behavioural=False) is None


def test_we_without_i_asks_for_your_own_part():
    follow_up = follow_up_for(WE_ONLY)
    assert follow_up.rule == "own_part"
    assert "your own part" in follow_up.text
    # The story had its situation, actions, result and numbers: nothing else to ask.
    assert follow_up_for(WE_ONLY, asked=["own_part"]) is None


def test_a_story_with_no_number_asks_for_the_scale():
    follow_up = follow_up_for(NO_NUMBERS)
    assert follow_up.rule == "numbers"
    assert "scale" in follow_up.text


def test_a_complete_answer_gets_no_follow_up():
    assert follow_up_for(COMPLETE) is None


def test_a_far_too_short_answer_asks_about_something_you_said():
    follow_up = follow_up_for(TOO_SHORT, question="Why do you want this job?", behavioural=False)
    assert follow_up.rule == "more"
    assert follow_up.text == "Tell me more about the delivery schedule."


def test_at_most_two_follow_ups_and_never_the_same_twice():
    facts = Facts(text=SITUATION_ONLY, behavioural=True, word_count=10)
    first = next_follow_up(facts, [])
    second = next_follow_up(facts, [first.rule])
    assert second.rule != first.rule
    assert next_follow_up(facts, [first.rule, second.rule]) is None
    assert MAX_FOLLOW_UPS == 2


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("We rebuilt our onboarding process in a month.", "your onboarding process"),
        ("I led the warehouse migration.", "the warehouse migration"),
        ("I like it", None),
        ("At the end it was the same as the first time.", None),
        ("", None),
    ],
)
def test_the_noun_phrase_is_said_back_in_the_interviewers_words(text, phrase):
    assert noun_phrase(text) == phrase


def test_the_words_you_used_most_win_the_noun_phrase():
    text = "My manager asked me to fix the reporting tool, and the invoice backlog grew."
    assert noun_phrase(text, prefer=["invoice"]) == "the invoice backlog"
    assert noun_phrase(text) == "the reporting tool"


def test_each_persona_asks_in_its_own_words_and_never_an_empty_phrase():
    facts = Facts(text=TOO_SHORT, behavioural=False, word_count=9)
    texts = {p: next_follow_up(facts, [], p).text for p in ("hiring_manager", "peer", "hr")}
    assert texts == {
        "hiring_manager": "Tell me more about the delivery schedule.",
        "peer": "Can you say more about the delivery schedule?",
        "hr": "I'd like to hear more about the delivery schedule.",
    }
    assert next_follow_up(Facts(text="Yes.", behavioural=False), [], "hr").text == (
        "Tell me more: what happened, and what did you do?"
    )
    situation = Facts(text=SITUATION_ONLY, behavioural=True, word_count=80)
    assert next_follow_up(situation, [], "peer").text.startswith("Walk me through")
