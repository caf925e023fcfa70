"""The journal's services: debriefs, questions to ask, companies, what you value, insights."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayyes.journal import debriefs, insights, to_ask
from sayyes.journal.models import Debrief, Dimension, QuestionToAsk
from sayyes.network.models import Contact
from sayyes.pipeline import services as pipeline
from sayyes.practice.models import Question, Source

KUBE_POSTING = (
    "We are hiring a data engineer. You will build data pipelines with Apache Airflow and "
    "Kubernetes. Airflow experience is essential; Kubernetes is a plus. Strong SQL and Python."
)


def make_interview(user, company, *, posting="", industry="", days_ago=2, title="Engineer"):
    opp = pipeline.create_opportunity(
        user, company_name=company, title=title, status="interviewing", posting_text=posting
    )
    if industry:
        pipeline.update_company(opp.company, industry=industry)
    return pipeline.create_interview(
        user,
        opp,
        kind="video",
        starts_at=timezone.now() - timedelta(days=days_ago),
        timezone="UTC",
        duration_minutes=60,
    )


def real_questions(user):
    return Question.objects.filter(owner=user, source=Source.REAL)


# --- debriefs: questions asked reach the bank once ----------------------------------------


def test_questions_asked_become_real_practice_questions_linked_to_the_opportunity(interview):
    alice = interview.owner
    debriefs.save_debrief(
        alice,
        interview,
        questions=["How would you design a nightly batch job?", "What is your biggest regret?"],
    )
    asked = list(real_questions(alice).order_by("id"))
    assert [q.text for q in asked] == [
        "How would you design a nightly batch job?",
        "What is your biggest regret?",
    ]
    assert all(q.opportunity == interview.opportunity for q in asked)
    assert all(q.company == interview.opportunity.company for q in asked)


def test_editing_a_debrief_does_not_add_its_questions_twice(interview):
    alice = interview.owner
    texts = ["How would you design a nightly batch job?", "Why do you want to work here?"]
    debriefs.save_debrief(alice, interview, questions=texts, likes="Kind people")
    debriefs.save_debrief(alice, interview, questions=texts, likes="Kind people, good coffee")
    debriefs.save_debrief(alice, interview, questions="\n".join(texts))
    assert real_questions(alice).count() == 2
    assert Debrief.objects.get(interview=interview).likes == "Kind people, good coffee"


def test_a_corrected_question_is_updated_not_added(interview):
    alice = interview.owner
    debriefs.save_debrief(alice, interview, questions=["How would you desing a batch job?"])
    debriefs.save_debrief(alice, interview, questions=["How would you design a batch job?"])
    assert list(real_questions(alice).values_list("text", flat=True)) == [
        "How would you design a batch job?"
    ]


def test_a_question_taken_out_of_the_debrief_leaves_the_bank(interview):
    alice = interview.owner
    debriefs.save_debrief(alice, interview, questions=["Tell me about a time you failed."])
    debriefs.save_debrief(alice, interview, questions=[])
    assert real_questions(alice).count() == 0


def test_a_question_you_had_marked_asked_stays_when_the_debrief_drops_it(interview):
    alice = interview.owner
    from sayyes.practice.services import create_question, mark_asked

    own = create_question(alice, text="Walk me through your biggest migration.")
    asked = mark_asked(alice, own, interview.opportunity)
    debriefs.save_debrief(alice, interview, questions=[asked.text])
    assert list(Debrief.objects.get().questions.all()) == [asked]
    debriefs.save_debrief(alice, interview, questions=[])
    assert Question.objects.filter(pk=asked.pk).exists()


def test_a_question_like_one_of_the_bank_is_linked_to_it(interview):
    alice = interview.owner
    from sayyes.practice.services import ensure_bank

    ensure_bank()
    bank = Question.objects.filter(source=Source.BUILTIN, category="behavioral").first()
    debriefs.save_debrief(alice, interview, questions=[bank.text.rstrip("?.") + "?"])
    (asked,) = real_questions(alice)
    assert asked.based_on == bank
    assert asked.category == "behavioral"


def test_the_same_question_in_two_rounds_of_one_opportunity_is_one_question(interview):
    alice = interview.owner
    second = pipeline.create_interview(
        alice, interview.opportunity, kind="technical", starts_at=timezone.now(), timezone="UTC"
    )
    debriefs.save_debrief(alice, interview, questions=["How do you test data pipelines?"])
    debriefs.save_debrief(alice, second, questions=["How do you test data pipelines?"])
    assert real_questions(alice).count() == 1
    assert Debrief.objects.get(interview=second).questions.count() == 1


def test_people_met_become_contacts_at_the_company(interview):
    alice = interview.owner
    dana = Contact.objects.get(name="Dana Reyes")
    debrief = debriefs.save_debrief(
        alice, interview, people_ids=[dana.pk], people_names="Priya Shah, dana reyes"
    )
    assert sorted(p.name for p in debrief.people.all()) == ["Dana Reyes", "Priya Shah"]
    priya = Contact.objects.get(owner=alice, name="Priya Shah")
    assert priya.company == interview.opportunity.company


def test_people_of_another_user_are_refused(interview, bob):
    stranger = Contact.objects.create(owner=bob, name="Bob's friend")
    with pytest.raises(ValidationError) as exc:
        debriefs.save_debrief(interview.owner, interview, people_ids=[stranger.pk])
    assert "people_ids" in exc.value.message_dict
    assert not Debrief.objects.exists()


# --- ratings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ratings,needle",
    [
        ({"growth": 7}, "growth from 1 to 5 (got 7)"),
        ({"growth": 0}, "got 0"),
        ({"growth": "lots"}, "whole number"),
        ({"growth": 2.5}, "whole number"),
        ({"vibes": 3}, "'vibes' is not one of your dimensions"),
    ],
)
def test_ratings_out_of_range_are_refused_and_nothing_is_saved(interview, ratings, needle):
    alice = interview.owner
    with pytest.raises(ValidationError) as exc:
        debriefs.save_debrief(
            alice, interview, ratings=ratings, likes="Nice", questions=["Why data engineering?"]
        )
    assert needle in exc.value.message_dict["ratings"][0]
    assert not Debrief.objects.exists()
    assert real_questions(alice).count() == 0


def test_an_overall_interest_of_six_is_refused(interview):
    with pytest.raises(ValidationError) as exc:
        debriefs.save_debrief(interview.owner, interview, overall_interest=6)
    assert "overall_interest" in exc.value.message_dict
    assert not Debrief.objects.exists()


def test_a_dimension_you_add_can_be_rated(interview):
    alice = interview.owner
    debriefs.add_dimension(alice, "  Remote   Flexibility ")
    debrief = debriefs.save_debrief(
        alice, interview, ratings={"Remote flexibility": 4, "growth": 5}, overall_interest=4
    )
    assert debrief.ratings == {"remote flexibility": 4, "growth": 5}
    assert debriefs.dimensions(alice)[-1] == "remote flexibility"


def test_a_dimension_is_added_once_and_defaults_are_not_added(alice):
    debriefs.add_dimension(alice, "Commute")
    debriefs.add_dimension(alice, "commute")
    assert Dimension.objects.filter(owner=alice).count() == 1
    with pytest.raises(ValidationError):
        debriefs.add_dimension(alice, "Growth")


def test_another_users_dimension_is_not_yours(interview, bob):
    debriefs.add_dimension(bob, "commute")
    with pytest.raises(ValidationError):
        debriefs.save_debrief(interview.owner, interview, ratings={"commute": 3})


def test_company_ratings_are_means_per_dimension(alice):
    first = make_interview(alice, "Acme")
    second = pipeline.create_interview(
        alice, first.opportunity, kind="final", starts_at=timezone.now(), timezone="UTC"
    )
    debriefs.save_debrief(alice, first, ratings={"growth": 4, "culture": 2})
    debriefs.save_debrief(alice, second, ratings={"growth": 5})
    company = first.opportunity.company
    assert debriefs.company_ratings(alice, company) == {"growth": 4.5, "culture": 2.0}
    assert debriefs.debrief_count(alice, company) == 2
    other = make_interview(alice, "Other Co").opportunity.company
    assert debriefs.company_ratings(alice, other) == {}
    assert debriefs.debrief_count(alice, other) == 0


# --- the debrief prompt --------------------------------------------------------------------


def test_an_ended_interview_without_a_debrief_is_due(alice):
    ended = make_interview(alice, "Acme", days_ago=1)
    future = make_interview(alice, "Futura", days_ago=-2)
    cancelled = make_interview(alice, "Gone", days_ago=1)
    pipeline.update_interview(cancelled, status="cancelled")
    assert debriefs.debriefs_due(alice) == [ended]
    debriefs.save_debrief(alice, ended, likes="Good")
    assert debriefs.debriefs_due(alice) == []
    assert future not in debriefs.debriefs_due(alice)


def test_the_agenda_prompts_for_the_debrief(alice):
    from sayyes.agenda.services import build_agenda

    ended = make_interview(alice, "Acme", days_ago=1)
    assert ended in build_agenda(alice).debriefs
    debriefs.save_debrief(alice, ended, likes="Good")
    assert ended not in build_agenda(alice).debriefs


# --- questions to ask ----------------------------------------------------------------------


def test_there_are_at_least_five_questions_to_ask_each_with_a_reason(interview):
    suggestions = to_ask.questions_to_ask(interview)
    assert len(suggestions) >= 5
    assert all(s.why for s in suggestions)
    assert len({s.text for s in suggestions}) == len(suggestions)
    assert suggestions[-1].text.startswith("What are the next steps")


def test_questions_to_ask_follow_the_posting(alice):
    interview = make_interview(alice, "Acme", posting=KUBE_POSTING)
    texts = " ".join(s.text for s in to_ask.questions_to_ask(interview))
    assert "Airflow" in texts or "Kubernetes" in texts
    plain = make_interview(alice, "Plain", posting="")
    texts = " ".join(s.text for s in to_ask.questions_to_ask(plain))
    assert "Airflow" not in texts and "Kubernetes" not in texts
    assert not any(s.kind == "posting" for s in to_ask.questions_to_ask(plain))


def test_questions_to_ask_are_not_about_the_companys_own_name(alice):
    posting = (
        "Silverline Tours serves travellers across Europe. Silverline Tours needs a "
        "coordinator for Amadeus bookings. Amadeus experience and supplier contracts matter."
    )
    interview = make_interview(alice, "Silverline Tours", posting=posting)
    texts = [s.text for s in to_ask.questions_to_ask(interview) if s.kind == "posting"]
    assert texts and not any("Silverline" in t or "Tours" in t for t in texts)
    assert any("Amadeus" in t for t in texts)


def test_questions_to_ask_fill_the_gaps_of_earlier_debriefs(alice):
    first = make_interview(alice, "Acme", days_ago=5)
    second = pipeline.create_interview(
        alice, first.opportunity, kind="final", starts_at=timezone.now(), timezone="UTC"
    )
    gaps = [s.why for s in to_ask.questions_to_ask(second) if s.kind == "gap"]
    assert any("the department's strategy" in why for why in gaps)
    debriefs.save_debrief(
        alice,
        first,
        learned_strategy="Moving from batch to streaming this year.",
        ratings={"growth": 4},
    )
    gaps = [s.why for s in to_ask.questions_to_ask(second) if s.kind == "gap"]
    assert not any("strategy" in why for why in gaps)
    assert any("the company's goals" in why for why in gaps)
    assert any("haven't rated Acme on management" in why for why in gaps)
    assert not any("on growth" in why for why in gaps)


def test_questions_to_ask_follow_the_interviewers_role(interview):
    dana = Contact.objects.get(name="Dana Reyes")
    dana.title = "Senior Recruiter"
    dana.save()
    suggestions = to_ask.questions_to_ask(interview)
    round_ = [s for s in suggestions if s.kind == "round"]
    assert round_ and "Dana Reyes (Senior Recruiter)" in round_[0].why
    assert Question.objects.get(pk=round_[0].question_id).persona == "hr"
    dana.title = "Engineering Manager"
    dana.save()
    round_ = [s for s in to_ask.questions_to_ask(interview) if s.kind == "round"]
    assert Question.objects.get(pk=round_[0].question_id).persona == "hiring_manager"


def test_chosen_questions_to_ask_are_saved_in_order_and_replaced(interview):
    to_ask.save_questions_to_ask(
        interview, [{"text": "Second?", "why": "b"}, {"text": "First?", "why": "a"}]
    )
    assert [q.text for q in to_ask.saved_questions(interview)] == ["Second?", "First?"]
    to_ask.save_questions_to_ask(interview, [{"text": "Only this?", "why": ""}])
    assert QuestionToAsk.objects.filter(interview=interview).count() == 1


# --- companies ----------------------------------------------------------------------------


@pytest.fixture
def two_companies(alice):
    acme = make_interview(alice, "Acme", industry="Technology", posting=KUBE_POSTING)
    pipeline.change_status(acme.opportunity, "offer")
    globex = make_interview(
        alice,
        "Globex",
        industry="Technology",
        posting="Join our platform team to run Kubernetes clusters. Python and Terraform.",
    )
    debriefs.save_debrief(
        alice,
        acme,
        ratings={"growth": 5, "culture": 4},
        overall_interest=5,
        likes="Clear career ladder",
        dislikes="Long commute",
        learned_strategy="Moving everything to Kubernetes this year.",
        questions=["How do you keep Kubernetes costs down?"],
    )
    debriefs.save_debrief(
        alice,
        globex,
        ratings={"growth": 2},
        overall_interest=2,
        dislikes="Chaotic on-call",
        questions=["How do you keep Kubernetes costs down?"],
    )
    return acme.opportunity.company, globex.opportunity.company


def test_companies_side_by_side(alice, two_companies):
    acme, globex = two_companies
    items = insights.compare_companies(alice, [acme, globex])
    assert [i["name"] for i in items] == ["Acme", "Globex"]
    assert items[0]["ratings"] == {"growth": 5.0, "culture": 4.0}
    assert items[0]["likes"] == ["Clear career ladder"]
    assert items[0]["stage"] == "offer"
    assert items[1]["dislikes"] == ["Chaotic on-call"]
    assert items[1]["stage"] == "interviewing"
    assert items[1]["overall_interest"] == 2


def test_comparing_needs_two_to_five_of_your_companies(alice, bob, two_companies):
    acme, _ = two_companies
    with pytest.raises(ValidationError):
        insights.compare_companies(alice, [acme])
    bobs = make_interview(bob, "Bob Co").opportunity.company
    with pytest.raises(ValidationError):
        insights.compare_companies(alice, [acme, bobs])


def test_the_company_journal_gathers_everything(alice, two_companies):
    acme, _ = two_companies
    journal = insights.company_journal(alice, acme)
    assert len(journal["timeline"]) == 1 and journal["timeline"][0]["debrief"] is not None
    assert journal["likes"][0]["text"] == "Clear career ladder"
    assert journal["overall_interest"] == 5
    assert journal["opportunities"][0].title == "Engineer"


# --- what you value ------------------------------------------------------------------------


def test_what_you_value_needs_five_debriefs(alice):
    for i in range(4):
        debriefs.save_debrief(
            alice,
            make_interview(alice, f"Co {i}"),
            ratings={"growth": i + 1},
            overall_interest=i + 1,
        )
    value = insights.what_you_value(alice)
    assert value["enough"] is False and value["debriefs"] == 4
    assert value["dimensions"] == []


def test_what_you_value_finds_the_dimension_that_goes_with_interest(alice):
    growth = [1, 2, 3, 4, 5, 5]
    pay = [3, 1, 4, 2, 3, 3]
    for i in range(6):
        debriefs.save_debrief(
            alice,
            make_interview(alice, f"Co {i}"),
            ratings={"growth": growth[i], "compensation": pay[i]},
            overall_interest=growth[i],
        )
    value = insights.what_you_value(alice)
    assert value["enough"] is True
    first = value["dimensions"][0]
    assert first["name"] == "growth" and first["correlation"] == 1.0
    assert "strongly goes with" in first["summary"]
    pay_row = next(d for d in value["dimensions"] if d["name"] == "compensation")
    assert abs(pay_row["correlation"]) < 0.5


# --- insights ------------------------------------------------------------------------------


def test_industry_insights_pool_themes_questions_and_interest(alice, two_companies):
    found = insights.industry_insights(alice, "technology")
    assert found["industry"] == "Technology"
    kube = next(t for t in found["themes"] if t["term"].lower() == "kubernetes")
    assert kube["companies"] == ["Acme", "Globex"]
    assert kube["count"] >= 3  # two postings and a debrief
    top = found["questions"][0]
    assert top["count"] == 2 and top["companies"] == ["Acme", "Globex"]
    assert {i["company"]: i["overall_interest"] for i in found["interest"]} == {
        "Acme": 5,
        "Globex": 2,
    }
    assert any(
        r["term"] == "Kubernetes" or "Kubernetes" in r["term"] for r in found["requirements"]
    )


def test_an_unknown_industry_is_refused(alice):
    with pytest.raises(ValidationError) as exc:
        insights.industry_insights(alice, "Astrology")
    assert "industry" in exc.value.message_dict


def test_insights_never_mix_users(alice, bob, two_companies):
    secret = make_interview(bob, "Initech", industry="Technology", posting=KUBE_POSTING)
    debriefs.save_debrief(
        bob,
        secret,
        learned_strategy="Quantum blockchain migration.",
        overall_interest=1,
        questions=["How do you keep Kubernetes costs down?"],
    )
    mine = insights.industry_insights(alice, "Technology")
    text = repr(mine)
    assert "Initech" not in text and "Quantum" not in text
    assert mine["questions"][0]["count"] == 2
    bobs = insights.industry_insights(bob, "Technology")
    assert "Acme" not in repr(bobs) and "Globex" not in repr(bobs)
    assert bobs["companies"] == ["Initech"]


def test_demo_debriefs_give_enough_for_what_you_value(alice):
    from sayyes.demo.journal import add_debriefs
    from sayyes.demo.words import words

    def add_demo_debriefs(user, count):
        return add_debriefs(user, words().debrief, count=count, seed=7)

    for i in range(6):
        interview = make_interview(alice, f"Demo {i}", industry="Technology")
        pipeline.update_interview(interview, status="done")
    assert add_demo_debriefs(alice, count=6) == 6
    assert add_demo_debriefs(alice, count=6) == 0  # never twice
    assert insights.what_you_value(alice)["enough"] is True
    assert insights.industry_insights(alice, "Technology")["questions"]


def test_the_companies_overview_matches_the_journal_in_a_fixed_number_of_queries(
    alice, two_companies, django_assert_max_num_queries
):
    for i in range(5):
        make_interview(alice, f"Extra {i}")
    with django_assert_max_num_queries(5):
        rows = insights.companies_overview(alice)
    by_name = {r["company"].name: r for r in rows}
    acme, globex = two_companies
    assert by_name["Acme"]["stage"] == insights.stage_reached(acme) == "offer"
    assert by_name["Acme"]["debriefs"] == 1 and by_name["Acme"]["overall_interest"] == 5
    assert by_name["Globex"]["stage"] == "interviewing"
    assert by_name["Extra 0"]["debriefs"] == 0 and by_name["Extra 0"]["overall_interest"] is None
    assert by_name["Extra 0"]["opportunities"] == 1


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.one_of(st.integers(-10, 15), st.text(max_size=4), st.floats(), st.none()))
def test_a_rating_is_kept_only_when_it_is_a_whole_number_from_1_to_5(alice, value):
    def as_int(v):
        if isinstance(v, float):
            return None
        try:
            return int(v)
        except (TypeError, ValueError):
            return None

    empty = value is None or value == ""
    ok = empty or (as_int(value) is not None and 1 <= as_int(value) <= 5)
    try:
        cleaned = debriefs.clean_ratings(alice, {"Growth": value})
    except ValidationError as exc:
        assert not ok, (value, exc)
        assert "growth" in exc.message_dict["ratings"][0].lower()
    else:
        assert ok, value
        assert cleaned == ({} if empty else {"growth": as_int(value)})


def test_insights_requirements_come_from_what_postings_ask_for_not_their_perks(alice):
    perks = "We offer 25 days of paid time off, a home-office allowance and a company match."
    for company, skill in (("Acme", "Kubernetes"), ("Globex", "Kubernetes"), ("Initech", "Go")):
        opp = pipeline.create_opportunity(alice, company_name=company, title="Platform Engineer")
        pipeline.update_opportunity(
            opp,
            posting_text=f"You have strong experience with {skill} in production. {perks}",
        )
    data = insights.industry_insights(alice)
    requirements = {t["term"].lower(): t for t in data["requirements"]}
    assert requirements["kubernetes"]["count"] == 2
    assert requirements["kubernetes"]["companies"] == ["Acme", "Globex"]
    assert not any("allowance" in term or "paid" in term for term in requirements)
    themes = [t["term"].lower() for t in data["themes"]]
    assert "days" not in themes and "paid" not in themes and "days of paid" not in themes
    assert not any("allowance" in term or "company match" in term for term in themes)


def test_insights_count_every_posting_from_its_stored_terms_and_say_how_many(alice):
    for n, skill in enumerate(("Cobol", "Rust", "Elixir")):
        opp = pipeline.create_opportunity(alice, company_name=f"Firm {n}", title="Engineer")
        pipeline.update_opportunity(opp, posting_text=f"You have experience with {skill}.")
    data = insights.industry_insights(alice)
    assert (data["postings"], data["postings_total"], data["pending"]) == (3, 3, False)
    terms = {t["term"] for t in data["requirements"]}
    assert {"Elixir", "Cobol", "Rust"} <= terms  # the oldest counts too
