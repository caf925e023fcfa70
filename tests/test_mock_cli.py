"""`sayyes mock`, in process: the conversation in the terminal, then the report."""

from __future__ import annotations

from sayyes.practice.models import Answer, Mock, MockTurn
from tests import test_mock
from tests.test_cli import assert_one_line_error, run_main
from tests.test_mock_followups import COMPLETE, SITUATION_ONLY

bank = test_mock.bank  # the same fixture


def test_a_mock_in_the_terminal_with_a_follow_up_then_the_report(alice, bank):
    answers = f"{SITUATION_ONLY}\n\n{COMPLETE}\n\n{COMPLETE}\n\n{COMPLETE}\n\n\n"
    result = run_main(
        "mock", "--user", "alice", "--kind", "behavioral", "--questions", "1", stdin=answers
    )
    assert result.code == 0, result.err
    mock = Mock.objects.get(owner=alice)
    assert mock.finished
    assert "Mock behavioral round, 1 question." in result.out
    assert "Morgan Ellis, hiring manager" in result.out
    assert "Question 1 of 1" in result.out and "Closing" in result.out
    assert "Do you have any questions for us?" in result.out
    assert "Your report" in result.out and "Overall score" in result.out
    assert "Strengths" in result.out and "Work on" in result.out
    follow_ups = MockTurn.objects.filter(mock=mock, kind="follow_up").count()
    assert result.out.count("follow-up") >= follow_ups
    assert Answer.objects.filter(owner=alice).count() == 1  # one practice answer per question


def test_an_empty_answer_stops_the_interview_and_prints_the_report_so_far(alice, bank):
    result = run_main("mock", "--user", "alice", "--questions", "2", stdin="\n")
    assert result.code == 0, result.err
    mock = Mock.objects.get(owner=alice)
    assert not mock.finished
    assert f"Stopped. Pick it up on the practice page: mock #{mock.pk}." in result.out
    assert "Your report" in result.out


def test_bad_options_are_one_line_naming_the_field(alice, bank):
    assert_one_line_error(run_main("mock", "--user", "alice", "--questions", "13"), "questions")
    assert_one_line_error(run_main("mock", "--user", "alice", "--kind", "chat"), "kind")
    assert not Mock.objects.exists()


def test_someone_elses_opportunity_is_not_found(alice, bob, bank):
    from sayyes.pipeline import services

    theirs = services.create_opportunity(bob, company_name="Bob Co", title="Secret")
    result = run_main("mock", "--user", "alice", "--opportunity", str(theirs.pk))
    assert_one_line_error(result, f"No opportunity #{theirs.pk}.", "sayyes list")
    assert not Mock.objects.exists()
