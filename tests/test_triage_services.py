"""The triage: each reason moves with its data; conflicts, deal-breakers, replies, checklist."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayyes.accounts.models import Profile
from sayyes.network.models import Contact
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import Company, InterviewStatus
from sayyes.practice.models import Answer, Question
from sayyes.triage import checklist, costs, reasons, services
from sayyes.triage.models import ChecklistItem, DealBreakers, Triage

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # a Tuesday


def _opp(user, company="Northwind Analytics", title="Data Engineer", **fields):
    fields.setdefault("status", "applied")
    return pipeline.create_opportunity(user, company_name=company, title=title, **fields)


def _invite(user, opp, *, starts_at=None, kind="technical", tz="UTC", status="invited", **kw):
    return pipeline.create_interview(
        user,
        opp,
        kind=kind,
        starts_at=starts_at or NOW + timedelta(days=3),
        timezone=tz,
        status=status,
        **kw,
    )


def _industry(opp, industry):
    opp.company.industry = industry
    opp.company.save(update_fields=["industry"])


def _reason(assessment, name):
    return next(r for r in assessment.reasons if r.reason == name)


def _answer(user, category, score):
    question = Question.objects.create(
        owner=user, text=f"A {category} question?", category=category
    )
    return Answer.objects.create(
        owner=user, question=question, text="An answer.", score=score, created_at=NOW
    )


# --- The six reasons --------------------------------------------------------------------------


def test_it_scores_six_reasons_between_0_and_1_each_with_a_sentence(alice):
    interview = _invite(alice, _opp(alice))
    assessment = services.assess(interview, now=NOW)
    assert [r.reason for r in assessment.reasons] == list(reasons.REASONS)
    for reason in assessment.reasons:
        assert 0 <= reason.score <= 1
        assert reason.why.endswith((".", ")")) and len(reason.why) > 20


def test_more_practice_in_the_category_lowers_the_practice_score(alice):
    interview = _invite(alice, _opp(alice), kind="technical")
    before = _reason(services.assess(interview, now=NOW), "practice")
    assert "first technical round" in before.why
    for _ in range(6):
        _answer(alice, "role_specific", 80)
    after = _reason(services.assess(interview, now=NOW), "practice")
    assert after.score < before.score
    assert "6 practice answers" in after.why and "average score 80/100" in after.why


def test_practice_in_another_category_does_not_count(alice):
    interview = _invite(alice, _opp(alice), kind="technical")
    before = _reason(services.assess(interview, now=NOW), "practice").score
    for _ in range(6):
        _answer(alice, "closing", 80)
    assert _reason(services.assess(interview, now=NOW), "practice").score == before


def test_rounds_of_the_same_kind_done_before_lower_the_practice_score(alice):
    opp = _opp(alice)
    interview = _invite(alice, opp, kind="behavioral")
    before = _reason(services.assess(interview, now=NOW), "practice").score
    for days in (10, 20):
        _invite(alice, opp, kind="behavioral", status="done", starts_at=NOW - timedelta(days=days))
    after = _reason(services.assess(interview, now=NOW), "practice")
    assert after.score < before
    assert "2 behavioral rounds" in after.why


def test_an_industry_new_to_you_scores_higher_than_a_familiar_one(alice):
    Company.objects.create(owner=alice, name="Acme Bank", industry="Banking")
    for name in ("Bank One", "Bank Two"):
        opp = _opp(alice, company=name)
        _industry(opp, "Banking")
    familiar = _opp(alice, company="Third Bank")
    _industry(familiar, "Banking")
    novel = _opp(alice, company="Greenfield Farms")
    _industry(novel, "Agriculture")
    familiar_score = _reason(services.assess(_invite(alice, familiar), now=NOW), "industry")
    novel_score = _reason(services.assess(_invite(alice, novel), now=NOW), "industry")
    assert novel_score.score > familiar_score.score
    assert "Agriculture is new to you" in novel_score.why
    assert "Banking from 2 other companies" in familiar_score.why


def test_an_unset_industry_says_so(alice):
    reason = _reason(services.assess(_invite(alice, _opp(alice)), now=NOW), "industry")
    assert "industry is not set" in reason.why


def test_new_interviewers_raise_the_network_score_and_are_named(alice):
    opp = _opp(alice)
    interview = _invite(alice, opp)
    before = _reason(services.assess(interview, now=NOW), "network")
    assert "don't know yet who you will meet" in before.why
    pipeline.set_interviewers_by_name(interview, ["Dana Reyes", "Lee Park"])
    after = _reason(services.assess(interview, now=NOW), "network")
    assert after.score > before.score
    assert "Dana Reyes" in after.why and "Lee Park" in after.why


def test_contacts_you_already_have_at_the_company_are_named(alice):
    opp = _opp(alice)
    Contact.objects.create(owner=alice, name="Sam Ortiz", company=opp.company)
    reason = _reason(services.assess(_invite(alice, opp), now=NOW), "network")
    assert "you already know Sam Ortiz" in reason.why


def test_market_is_worth_less_once_you_have_seen_the_company(alice):
    opp = _opp(alice)
    interview = _invite(alice, opp)
    before = _reason(services.assess(interview, now=NOW), "market")
    assert "no debrief in your journal yet" in before.why
    _invite(alice, opp, status="done", starts_at=NOW - timedelta(days=5))
    after = _reason(services.assess(interview, now=NOW), "market")
    assert after.score < before.score


def test_a_competing_offer_raises_leverage(alice):
    interview = _invite(alice, _opp(alice))
    before = _reason(services.assess(interview, now=NOW), "leverage")
    assert "No offer in hand" in before.why
    _opp(alice, company="Bluepeak Health", title="Analyst", status="offer")
    after = _reason(services.assess(interview, now=NOW), "leverage")
    assert after.score > before.score
    assert "1 competing offer (Bluepeak Health)" in after.why


def test_an_offer_deadline_before_the_interview_lowers_leverage(alice):
    from sayyes.offers.services import create_offer

    interview = _invite(alice, _opp(alice), starts_at=NOW + timedelta(days=10))
    other = _opp(alice, company="Bluepeak Health", title="Analyst", status="interviewing")
    assert (
        "no offer deadline on record"
        in _reason(services.assess(interview, now=NOW), "leverage").why
    )
    offer = create_offer(
        alice, opportunity=other, currency="USD", base_salary="120000",
        deadline=(NOW + timedelta(days=20)).date(),
    )  # fmt: skip
    in_time = _reason(services.assess(interview, now=NOW), "leverage")
    assert "1 competing offer (Bluepeak Health)" in in_time.why
    assert "comes before it" in in_time.why
    offer.deadline = (NOW + timedelta(days=3)).date()
    offer.save()
    too_late = _reason(services.assess(interview, now=NOW), "leverage")
    assert "may not land in time" in too_late.why
    assert too_late.score < in_time.score


def test_debriefs_in_the_journal_lower_the_market_score(alice):
    from sayyes.journal.debriefs import save_debrief

    opp = _opp(alice)
    interview = _invite(alice, opp, starts_at=NOW + timedelta(days=2))
    before = _reason(services.assess(interview, now=NOW), "market")
    earlier = _invite(alice, opp, status="done", starts_at=NOW - timedelta(days=5))
    save_debrief(alice, earlier, likes="Clear answers", ratings={"growth": 4})
    after = _reason(services.assess(interview, now=NOW), "market")
    assert "1 debrief in your journal" in after.why
    assert after.score < before.score


def test_other_roles_at_the_company_raise_serendipity(alice):
    opp = _opp(alice)
    interview = _invite(alice, opp)
    before = _reason(services.assess(interview, now=NOW), "serendipity")
    assert "Company size: no data yet" in before.why
    _opp(alice, title="Analytics Engineer", status="saved")
    after = _reason(services.assess(interview, now=NOW), "serendipity")
    assert after.score > before.score
    assert "Analytics Engineer" in after.why


# --- Conflicts ----------------------------------------------------------------------------------


def test_an_overlapping_scheduled_interview_asks_for_a_reschedule(alice):
    start = NOW + timedelta(days=3)
    other = _invite(alice, _opp(alice, company="Bluepeak"), starts_at=start + timedelta(minutes=30),
                    status="scheduled")  # fmt: skip
    interview = _invite(alice, _opp(alice), starts_at=start)
    assessment = services.assess(interview, now=NOW)
    assert [c["interview_id"] for c in assessment.conflicts] == [other.pk]
    assert assessment.recommendation == "reschedule"
    assert "Bluepeak" in assessment.recommendation_why


def test_an_overlapping_invitation_is_a_conflict_too(alice):
    start = NOW + timedelta(days=3)
    _invite(alice, _opp(alice, company="Bluepeak"), starts_at=start, status="invited")
    interview = _invite(alice, _opp(alice), starts_at=start)
    assert len(services.assess(interview, now=NOW).conflicts) == 1


def test_cancelled_and_back_to_back_interviews_are_not_conflicts(alice):
    start = NOW + timedelta(days=3)
    _invite(alice, _opp(alice, company="A"), starts_at=start, status="cancelled")
    _invite(alice, _opp(alice, company="B"), starts_at=start + timedelta(minutes=60),
            status="scheduled")  # fmt: skip
    interview = _invite(alice, _opp(alice), starts_at=start, duration_minutes=60)
    assessment = services.assess(interview, now=NOW)
    assert assessment.conflicts == []
    assert assessment.recommendation == "yes"


def test_conflicts_compare_instants_across_time_zones(alice):
    # 15:00 in Paris is 09:00 in New York on 3 December 2026: the same instant.
    paris = datetime(2026, 12, 3, 15, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    new_york = datetime(2026, 12, 3, 9, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    _invite(alice, _opp(alice, company="Paris Co"), starts_at=paris, tz="Europe/Paris",
            status="scheduled")  # fmt: skip
    interview = _invite(alice, _opp(alice), starts_at=new_york, tz="America/New_York")
    assert len(services.assess(interview, now=NOW).conflicts) == 1
    # The same wall clock times, read naively, would not overlap: 09:30 next day is clear.
    later = _invite(alice, _opp(alice, company="Later"), starts_at=paris + timedelta(hours=3))
    assert services.assess(later, now=NOW).conflicts == []


def test_travel_time_turns_a_close_interview_into_a_conflict(alice):
    start = NOW + timedelta(days=3)
    _invite(alice, _opp(alice, company="Before"), starts_at=start - timedelta(minutes=90),
            status="scheduled")  # fmt: skip
    interview = _invite(alice, _opp(alice), starts_at=start)
    assert services.assess(interview, now=NOW).conflicts == []
    with_travel = services.assess(interview, travel_minutes=45, now=NOW)
    assert len(with_travel.conflicts) == 1
    assert "with travel" in with_travel.conflicts[0]["why"]


def test_bobs_interviews_never_conflict_with_alices(alice, bob):
    start = NOW + timedelta(days=3)
    _invite(bob, _opp(bob), starts_at=start, status="scheduled")
    assert services.assess(_invite(alice, _opp(alice), starts_at=start), now=NOW).conflicts == []


# --- Deal-breakers -----------------------------------------------------------------------------


def test_a_salary_below_your_minimum_is_a_decline(alice):
    costs.save_deal_breakers(alice, minimum_salary=70000, salary_currency="eur")
    opp = _opp(alice, salary_min=50000, salary_max=60000, salary_currency="EUR")
    assessment = services.assess(_invite(alice, opp), now=NOW)
    assert assessment.recommendation == "decline"
    assert "60,000 EUR, below your minimum of 70,000 EUR" in assessment.recommendation_why


def test_an_unknown_salary_is_a_condition_not_a_decline(alice):
    costs.save_deal_breakers(alice, minimum_salary=70000, salary_currency="EUR")
    assessment = services.assess(_invite(alice, _opp(alice)), now=NOW)
    assert assessment.recommendation == "yes_with_conditions"
    assert "salary is unknown" in assessment.recommendation_why


def test_a_salary_in_another_currency_is_not_compared(alice):
    costs.save_deal_breakers(alice, minimum_salary=70000, salary_currency="EUR")
    opp = _opp(alice, salary_max=60000, salary_currency="USD")
    assert services.assess(_invite(alice, opp), now=NOW).recommendation == "yes_with_conditions"


def test_no_relocation_declines_a_role_elsewhere_but_not_nearby_or_remote(alice):
    costs.save_deal_breakers(alice, no_relocation=True, home_location="Lyon, France")
    far = _opp(alice, company="Far", location="Paris", remote="onsite")
    near = _opp(alice, company="Near", location="Lyon", remote="hybrid")
    remote = _opp(alice, company="Anywhere", location="Berlin", remote="remote")
    assert services.assess(_invite(alice, far), now=NOW).recommendation == "decline"
    later = NOW + timedelta(days=4)
    assert services.assess(_invite(alice, near, starts_at=later), now=NOW).recommendation == "yes"
    latest = NOW + timedelta(days=5)
    assert (
        services.assess(_invite(alice, remote, starts_at=latest), now=NOW).recommendation == "yes"
    )


def test_remote_only_declines_an_onsite_role(alice):
    costs.save_deal_breakers(alice, remote_only=True)
    opp = _opp(alice, remote="onsite")
    assessment = services.assess(_invite(alice, opp), now=NOW)
    assert assessment.recommendation == "decline"
    assert "remote only" in assessment.recommendation_why


def test_an_avoided_industry_is_a_decline(alice):
    costs.save_deal_breakers(alice, avoid_industries=["Gas & Oil"])
    opp = _opp(alice, company="Petro")
    _industry(opp, "Gas & Oil")
    assert services.assess(_invite(alice, opp), now=NOW).recommendation == "decline"


def test_a_deal_breaker_outranks_a_conflict(alice):
    costs.save_deal_breakers(alice, remote_only=True)
    start = NOW + timedelta(days=3)
    _invite(alice, _opp(alice, company="Other"), starts_at=start, status="scheduled")
    interview = _invite(alice, _opp(alice, remote="onsite"), starts_at=start)
    assert services.assess(interview, now=NOW).recommendation == "decline"


def test_long_travel_is_a_condition(alice):
    costs.save_deal_breakers(alice, max_travel_minutes=60)
    interview = _invite(alice, _opp(alice))
    assessment = services.assess(interview, travel_minutes=120, now=NOW)
    assert assessment.recommendation == "yes_with_conditions"
    assert "120 minutes each way" in assessment.recommendation_why
    assert services.assess(interview, travel_minutes=30, now=NOW).recommendation == "yes"


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"minimum_salary": 50000}, "salary_currency"),
        ({"minimum_salary": 50000, "salary_currency": "XYZ"}, "salary_currency"),
        ({"no_relocation": True}, "home_location"),
        ({"avoid_industries": ["Knitting"]}, "avoid_industries"),
    ],
)
def test_bad_deal_breakers_name_the_field_and_save_nothing(alice, fields, field):
    with pytest.raises(ValidationError) as info:
        costs.save_deal_breakers(alice, **fields)
    assert field in info.value.message_dict
    assert not DealBreakers.objects.filter(owner=alice).exists()


@pytest.mark.parametrize("value", ["-5", "abc", str(24 * 60 + 1)])
def test_a_bad_travel_time_is_refused(alice, value):
    with pytest.raises(ValidationError) as info:
        services.assess(_invite(alice, _opp(alice)), travel_minutes=value, now=NOW)
    assert "travel_minutes" in info.value.message_dict


# --- Goals and replies --------------------------------------------------------------------------


def test_it_sets_at_least_three_goals_from_the_reasons(alice):
    opp = _opp(alice)
    interview = _invite(alice, opp, kind="behavioral")
    pipeline.set_interviewers_by_name(interview, ["Dana Reyes"])
    goals = services.assess(interview, now=NOW).goals
    kinds = [g["kind"] for g in goals]
    assert len(goals) >= 3
    assert {"skill", "question", "person", "fact"} <= set(kinds)
    assert goals[0]["category"] == "behavioral"
    assert any("Dana Reyes" in g["text"] for g in goals)
    assert any("salary range" in g["text"] for g in goals)


def test_the_skill_goal_picks_the_weakest_matching_category(alice):
    interview = _invite(alice, _opp(alice), kind="behavioral")
    _answer(alice, "behavioral", 90)
    _answer(alice, "situational", 30)
    assert services.assess(interview, now=NOW).goals[0]["category"] == "situational"


def test_replies_name_the_company_role_and_time_in_the_users_time_zone(alice):
    Profile.objects.filter(user=alice).update(timezone="Asia/Tokyo")
    start = datetime(2026, 12, 3, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    interview = _invite(alice, _opp(alice), starts_at=start, tz="Europe/London")
    replies = services.assess(interview, now=NOW).replies
    assert set(replies) == {"accept", "reschedule", "decline"}
    accept = replies["accept"]
    assert "Northwind Analytics" in accept and "Data Engineer" in accept
    # 09:00 in London is 18:00 in Tokyo.
    assert "Thursday 3 December 2026 at 18:00 (Asia/Tokyo, UTC+09:00)" in accept
    assert "09:00 (Europe/London, UTC+00:00) on your side" in accept
    assert "Northwind Analytics" in replies["decline"] and "future openings" in replies["decline"]


def test_the_reschedule_reply_proposes_three_free_working_slots(alice):
    Profile.objects.filter(user=alice).update(timezone="America/New_York")
    tz = zoneinfo.ZoneInfo("America/New_York")
    # A scheduled interview fills the morning of the first working day.
    busy = datetime(2026, 12, 2, 10, 0, tzinfo=tz)
    _invite(alice, _opp(alice, company="Busy"), starts_at=busy, status="scheduled")
    interview = _invite(alice, _opp(alice))
    assessment = services.assess(interview, now=NOW)
    slots = assessment.slots
    assert len(slots) == 3
    for slot in slots:
        local = slot.astimezone(tz)
        assert local.weekday() < 5 and 9 <= local.hour and local.hour + 1 <= 17
        assert not (slot < busy + timedelta(minutes=90) and slot + timedelta(hours=1) > busy)
    assert len({s.astimezone(tz).date() for s in slots}) == 3
    for slot in slots:
        assert costs.format_when(slot, tz) in assessment.replies["reschedule"]


def test_free_slots_skip_the_weekend(alice):
    friday = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    slots = costs.free_slots(alice, duration_minutes=60, tz=zoneinfo.ZoneInfo("UTC"), now=friday)
    assert [s.date().isoformat() for s in slots] == ["2026-12-07", "2026-12-08", "2026-12-09"]


# --- Storing, deciding, the checklist ----------------------------------------------------------


def test_triage_stores_the_assessment_once_per_interview(alice):
    interview = _invite(alice, _opp(alice))
    assessment, stored = services.triage(interview, travel_minutes=20, now=NOW)
    services.triage(interview, now=NOW)
    assert Triage.objects.filter(interview=interview).count() == 1
    stored.refresh_from_db()
    assert stored.recommendation == assessment.recommendation
    assert len(stored.reasons) == 6 and stored.replies["accept"]


def test_accepting_schedules_the_interview_and_builds_its_checklist(alice):
    interview = _invite(alice, _opp(alice), kind="technical", video_url="https://meet.example/x")
    services.decide(interview, "accept")
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.SCHEDULED
    assert interview.sequence == 1
    triage = interview.triage
    assert triage.decision == "accepted" and triage.decided_at is not None
    items = list(checklist.items_for(interview))
    kinds = [i.kind for i in items]
    assert kinds[:3] == ["goal", "goal", "goal"]
    assert {"research", "questions", "logistics"} <= set(kinds)
    assert any("video link" in i.text and i.link == "https://meet.example/x" for i in items)
    # The skill goal practises the round's category, so the standard item is not repeated.
    practice = [i for i in items if i.practice_category]
    assert [(i.kind, i.practice_category) for i in practice] == [("goal", "role_specific")]
    # Accepting again adds nothing twice.
    services.decide(interview, "accept")
    assert checklist.items_for(interview).count() == len(items)


def test_declining_cancels_the_interview(alice):
    interview = _invite(alice, _opp(alice))
    services.decide(interview, "decline")
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
    assert interview.triage.decision == "declined"
    assert not ChecklistItem.objects.filter(interview=interview).exists()


def test_asking_to_reschedule_keeps_the_invitation(alice):
    interview = _invite(alice, _opp(alice))
    services.decide(interview, "reschedule")
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.INVITED
    assert interview.triage.decision == "reschedule"


def test_an_unknown_decision_changes_nothing(alice):
    interview = _invite(alice, _opp(alice))
    with pytest.raises(ValidationError):
        services.decide(interview, "maybe")
    assert not Triage.objects.exists()


def test_a_checklist_without_triage_has_the_standard_items(alice):
    interview = _invite(alice, _opp(alice), status="scheduled", location="1 Main St")
    assert checklist.ensure_checklist(interview) == 7
    assert checklist.ensure_checklist(interview) == 0
    items = list(checklist.items_for(interview))
    assert any("route to 1 Main St" in i.text for i in items)
    # A mock interview of the same kind of round, before the day (issue 19).
    mock = next(i for i in items if i.text.startswith("Do a mock technical round before "))
    assert mock.link == f"/practice/mocks/new/?interview={interview.pk}"


def test_own_items_are_added_at_the_end_and_must_say_something(alice):
    interview = _invite(alice, _opp(alice), status="scheduled")
    checklist.ensure_checklist(interview)
    item = checklist.add_item(interview, "  Iron   the shirt ")
    assert item.text == "Iron the shirt"
    assert list(checklist.items_for(interview))[-1] == item
    with pytest.raises(ValidationError):
        checklist.add_item(interview, "   ")


def test_reminders_list_unfinished_items_of_interviews_in_the_window(alice):
    start = timezone.now() + timedelta(days=1)
    interview = _invite(alice, _opp(alice), starts_at=start, status="scheduled")
    checklist.ensure_checklist(interview)
    first = checklist.items_for(interview).first()
    checklist.set_done(first, True)
    found = checklist.prep_reminders(
        alice, start=start - timedelta(hours=1), end=start + timedelta(hours=1)
    )
    assert len(found) == 1 and found[0]["interview"] == interview
    assert first not in found[0]["items"] and len(found[0]["items"]) == 6
    assert (
        checklist.prep_reminders(
            alice, start=start + timedelta(hours=1), end=start + timedelta(days=1)
        )
        == []
    )


def test_reminders_list_the_soonest_interviews_only_with_all_their_open_items(alice):
    start = timezone.now() + timedelta(days=1)
    interviews = []
    for n in range(5):  # made out of order: the reminders come soonest first
        at = start + timedelta(hours=(n * 3) % 5)
        interview = _invite(alice, _opp(alice, company=f"Co {n}"), starts_at=at, status="scheduled")
        checklist.ensure_checklist(interview)
        interviews.append(interview)
    done = interviews[0]
    for item in checklist.items_for(done):
        checklist.set_done(item, True)  # nothing left to do: no reminder

    found = checklist.prep_reminders(
        alice, start=start - timedelta(hours=1), end=start + timedelta(days=1), limit=3
    )

    soonest = sorted(interviews[1:], key=lambda i: i.starts_at)[:3]
    assert [f["interview"] for f in found] == soonest
    assert all(len(f["items"]) == 7 for f in found)


def test_a_long_interview_that_started_the_day_before_is_a_conflict(alice):
    start = NOW + timedelta(days=3)
    _invite(alice, _opp(alice, company="Assessment Day"), starts_at=start - timedelta(hours=30),
            duration_minutes=32 * 60, status="scheduled")  # fmt: skip
    interview = _invite(alice, _opp(alice), starts_at=start)
    assert len(services.assess(interview, now=NOW).conflicts) == 1


ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    a_start=st.integers(0, 3000),
    b_start=st.integers(0, 3000),
    a_len=st.integers(15, 300),
    b_len=st.integers(15, 300),
    a_zone=st.sampled_from(ZONES),
    b_zone=st.sampled_from(ZONES),
)
def test_conflicts_are_symmetric_and_match_the_overlap_of_instants(
    alice, a_start, b_start, a_len, b_len, a_zone, b_zone
):
    base = NOW + timedelta(days=2)
    opp = _opp(alice)
    a = _invite(alice, opp, starts_at=(base + timedelta(minutes=a_start)).astimezone(
        zoneinfo.ZoneInfo(a_zone)), tz=a_zone, duration_minutes=a_len)  # fmt: skip
    b = _invite(alice, opp, starts_at=(base + timedelta(minutes=b_start)).astimezone(
        zoneinfo.ZoneInfo(b_zone)), tz=b_zone, duration_minutes=b_len, status="scheduled")  # fmt: skip
    try:
        overlap = a_start < b_start + b_len and b_start < a_start + a_len
        a_sees = [c["interview_id"] for c in costs.find_conflicts(a)]
        b_sees = [c["interview_id"] for c in costs.find_conflicts(b)]
        assert a_sees == ([b.pk] if overlap else [])
        assert b_sees == ([a.pk] if overlap else [])
    finally:
        a.delete()
        b.delete()
