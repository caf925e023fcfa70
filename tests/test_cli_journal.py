"""``sayyes debrief`` (interactive) and ``sayyes insights``."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sayyes.cli import app
from sayyes.journal.debriefs import save_debrief
from sayyes.journal.models import Debrief
from sayyes.pipeline import services as pipeline
from sayyes.practice.models import Question
from tests.conftest import api
from tests.test_cli import run_main


def _debrief_input(*, growth="4", interest="5"):
    lines = [
        "How do you handle schema changes?",
        "Why are you leaving your job?",
        "",  # end of the questions
        "dbt, Airflow",  # requirements
        "Moving to streaming",  # strategy
        "",  # goals
        "Friendly people",  # likes
        "Long process",  # dislikes
        "Priya Shah",  # people
        growth,  # growth
        "",  # culture
        "",  # work-life balance
        "",  # compensation
        "",  # management
        "",  # mission
        "",  # stability
        interest,  # overall interest
        "Follow up on Friday",  # notes
    ]
    return "\n".join(lines) + "\n"


def test_the_debrief_command_asks_and_saves(alice, interview):
    result = CliRunner().invoke(
        app, ["debrief", str(interview.pk), "--user", "alice"], input=_debrief_input()
    )
    assert result.exit_code == 0, result.output
    assert "Debrief saved. 2 questions asked are" in result.output
    debrief = Debrief.objects.get(interview=interview)
    assert debrief.learned_strategy == "Moving to streaming"
    assert debrief.ratings == {"growth": 4}
    assert debrief.overall_interest == 5
    assert [p.name for p in debrief.people.all()] == ["Priya Shah"]
    assert Question.objects.filter(owner=alice, source="real").count() == 2


def test_editing_with_the_command_keeps_what_you_leave_empty(alice, interview):
    save_debrief(alice, interview, questions=["Why data?"], likes="Coffee", ratings={"growth": 3})
    keep_all = "\n" * 30
    result = CliRunner().invoke(
        app, ["debrief", str(interview.pk), "--user", "alice"], input=keep_all
    )
    assert result.exit_code == 0, result.output
    debrief = Debrief.objects.get(interview=interview)
    assert debrief.likes == "Coffee" and debrief.ratings == {"growth": 3}
    assert Question.objects.filter(owner=alice, source="real").count() == 1


def test_a_rating_out_of_range_is_asked_again(alice, interview):
    text = _debrief_input(growth="9\n2")
    result = CliRunner().invoke(app, ["debrief", str(interview.pk), "--user", "alice"], input=text)
    assert result.exit_code == 0, result.output
    assert "'9' is not a number from 1 to 5" in result.output
    assert Debrief.objects.get().ratings == {"growth": 2}


def test_another_users_interview_is_one_clear_error(bob, interview):
    result = run_main("debrief", str(interview.pk), "--user", "bob")
    assert result.code == 1
    assert result.err.strip() == f"sayyes: No interview #{interview.pk}. See `sayyes agenda`."
    assert not Debrief.objects.exists()


def test_insights_print_themes_and_interest(alice, interview, client, alice_token):
    pipeline.update_company(interview.opportunity.company, industry="Technology")
    save_debrief(alice, interview, learned_strategy="Moving to Apache Kafka", overall_interest=4)
    result = CliRunner().invoke(app, ["insights", "--industry", "Technology", "--user", "alice"])
    assert result.exit_code == 0, result.output
    assert "Insights for Technology" in result.output
    assert "Northwind Analytics: 4.0/5" in result.output
    data = json.loads(CliRunner().invoke(app, ["insights", "--user", "alice", "--json"]).stdout)
    assert data["industry"] == "" and data["companies"] == ["Northwind Analytics"]
    assert data == api(client, "get", "/insights", alice_token).json()


def test_insights_for_an_unknown_industry_is_one_clear_error(alice):
    result = run_main("insights", "--industry", "Astrology", "--user", "alice")
    assert result.code == 1
    assert result.err.startswith("sayyes: industry: 'Astrology' is not an industry")
