"""Say yes: what an interview invitation is worth to you, what stands in its way, what to do.

Shared by the pages, the API and the CLI. ``assess`` weighs an invitation: the six reasons
(:mod:`.reasons`), its costs and blockers (:mod:`.costs`), the goals and reply drafts
(:mod:`.replies`); ``triage`` stores the result and ``decide`` acts on the answer, giving an
accepted interview its prep checklist (:mod:`.checklist`). Everything here reads only the
acting user's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sayyes.pipeline.models import Interview, InterviewStatus
from sayyes.pipeline.services import update_interview

from . import reasons as score
from .checklist import ensure_checklist
from .costs import check_deal_breakers, check_travel, find_conflicts, free_slots, recommend, user_tz
from .models import DealBreakers, Decision, Triage
from .reasons import Reason
from .replies import build_goals, write_replies


@dataclass
class Assessment:
    """A triage computed from today's data, before it is stored."""

    interview: Interview
    tz: str
    reasons: list[Reason]
    conflicts: list[dict]
    blockers: list[dict]
    recommendation: str
    recommendation_why: str
    goals: list[dict]
    replies: dict[str, str]
    travel_minutes: int | None = None
    slots: list[datetime] = field(default_factory=list)

    @property
    def value(self) -> float:
        return round(sum(r.score for r in self.reasons) / len(self.reasons), 2)

    def as_api(self) -> dict:
        return {
            "recommendation": self.recommendation,
            "reasons": [{"reason": r.reason, "score": r.score, "why": r.why} for r in self.reasons],
            "conflicts": self.conflicts,
            "goals": [g["text"] for g in self.goals],
            "replies": dict(self.replies),
        }


def assess(
    interview: Interview, *, travel_minutes: int | None = None, now: datetime | None = None
) -> Assessment:
    """Weigh an invitation with the user's data today. Reads only; nothing is stored."""
    travel_minutes = check_travel(travel_minutes)
    now = now or timezone.now()
    user = interview.owner
    tz = user_tz(user)
    practice, weakest = score.practice(interview, now)
    network, new_people, known = score.network(interview)
    leverage, offers, _signals = score.leverage(interview)
    serendipity, other_roles = score.serendipity(interview)
    reasons = [
        practice,
        score.industry(interview),
        network,
        score.market(interview),
        leverage,
        serendipity,
    ]
    conflicts = find_conflicts(interview, travel_minutes=travel_minutes, tz=tz)
    blockers = check_deal_breakers(
        interview.opportunity, DealBreakers.for_user(user), travel_minutes
    )
    recommendation, why = recommend(conflicts, blockers)
    slots = free_slots(
        user, duration_minutes=interview.duration_minutes, tz=tz, now=now, exclude=interview
    )
    return Assessment(
        interview=interview,
        tz=tz.key,
        reasons=reasons,
        conflicts=conflicts,
        blockers=blockers,
        recommendation=str(recommendation),
        recommendation_why=why,
        goals=build_goals(
            interview,
            reasons,
            weakest=weakest,
            new_people=new_people,
            known=known,
            offers=offers,
            other_roles=other_roles,
        ),
        replies=write_replies(interview, tz=tz, slots=slots),
        travel_minutes=travel_minutes,
        slots=slots,
    )


def stored_travel(interview: Interview) -> int | None:
    triage = Triage.objects.filter(interview=interview).only("travel_minutes").first()
    return triage.travel_minutes if triage else None


@transaction.atomic
def save_triage(assessment: Assessment) -> Triage:
    interview = assessment.interview
    values = {
        "owner": interview.owner,
        "recommendation": assessment.recommendation,
        "recommendation_why": assessment.recommendation_why,
        "reasons": [r.as_dict() for r in assessment.reasons],
        "conflicts": assessment.conflicts,
        "blockers": assessment.blockers,
        "goals": assessment.goals,
        "replies": assessment.replies,
        "travel_minutes": assessment.travel_minutes,
        "updated_at": timezone.now(),
    }
    triage, _ = Triage.objects.update_or_create(interview=interview, defaults=values)
    return triage


def triage(
    interview: Interview, *, travel_minutes: int | None = None, now: datetime | None = None
) -> tuple[Assessment, Triage]:
    """Assess an invitation and store the result (the API and the CLI)."""
    assessment = assess(interview, travel_minutes=travel_minutes, now=now)
    return assessment, save_triage(assessment)


DECISIONS = {
    "accept": Decision.ACCEPTED,
    "reschedule": Decision.RESCHEDULE,
    "decline": Decision.DECLINED,
}


@transaction.atomic
def decide(interview: Interview, decision: str, *, travel_minutes: int | None = None) -> Triage:
    """Accept (the interview is scheduled and gets its checklist), ask to reschedule (it stays
    invited), or decline (it is cancelled). The triage is stored with the decision."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose accept, reschedule or decline."})
    if travel_minutes is None:
        travel_minutes = stored_travel(interview)
    assessment, saved = triage(interview, travel_minutes=travel_minutes)
    saved.decision = DECISIONS[decision]
    saved.decided_at = timezone.now()
    saved.save(update_fields=["decision", "decided_at"])
    if decision == "accept":
        if interview.status != InterviewStatus.SCHEDULED:
            update_interview(interview, status=InterviewStatus.SCHEDULED)
        ensure_checklist(interview, goals=assessment.goals)
    elif decision == "decline" and interview.status != InterviewStatus.CANCELLED:
        update_interview(interview, status=InterviewStatus.CANCELLED)
    return saved
