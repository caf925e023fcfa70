"""Say yes: what an interview invitation is worth to you, what stands in its way, what to do.

Shared by the pages, the API and the CLI. The six reasons are scored from the user's own
data, each 0–1 with a sentence; costs and blockers are conflicts, travel and deal-breakers.
Everything here reads only the acting user's rows.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Max
from django.urls import reverse
from django.utils import timezone

from sayyes.accounts.models import Profile
from sayyes.network.models import Contact
from sayyes.pipeline.models import (
    ACTIVE_STATUSES,
    INDUSTRIES,
    Interview,
    InterviewKind,
    InterviewStatus,
    Opportunity,
    Remote,
    Status,
)
from sayyes.practice.models import Answer, Category

from .models import ChecklistItem, DealBreakers, Decision, ItemKind, Recommendation, Triage

REASONS = ("practice", "industry", "network", "market", "leverage", "serendipity")
REASON_LABELS = {
    "practice": "Sharpen your interview skills",
    "industry": "Discover your industry",
    "network": "Build your network",
    "market": "Learn what's out there",
    "leverage": "Gain bargaining power",
    "serendipity": "You never know",
}

# The practice categories that prepare each round kind, the most telling first.
KIND_CATEGORIES: dict[str, tuple[str, ...]] = {
    InterviewKind.PHONE_SCREEN: (Category.MOTIVATION, Category.CAREER_STORY),
    InterviewKind.VIDEO: (Category.BEHAVIORAL, Category.MOTIVATION),
    InterviewKind.TECHNICAL: (Category.ROLE_SPECIFIC, Category.SITUATIONAL),
    InterviewKind.BEHAVIORAL: (Category.BEHAVIORAL, Category.SITUATIONAL),
    InterviewKind.PANEL: (Category.PANEL, Category.BEHAVIORAL),
    InterviewKind.ONSITE: (Category.BEHAVIORAL, Category.ROLE_SPECIFIC, Category.CULTURE_FIT),
    InterviewKind.FINAL: (Category.CULTURE_FIT, Category.TOUGH, Category.MOTIVATION),
    InterviewKind.OTHER: (Category.BEHAVIORAL, Category.TOUGH),
}
# Rounds near the end of a process, which can turn into an offer soon.
LATE_ROUNDS = {InterviewKind.ONSITE, InterviewKind.FINAL, InterviewKind.PANEL}
BUSY = (InterviewStatus.SCHEDULED, InterviewStatus.INVITED)
PRACTICE_WINDOW_DAYS = 90
PRACTICE_QUESTIONS = 5
LONG_TRAVEL_MINUTES = 90
WORK_START, WORK_END = 9, 17  # working hours for proposed slots, in the user's time zone
SLOT_STARTS = (10, 14, 11, 15, 9, 16)
SLOT_BUFFER = timedelta(minutes=30)
MAX_TRAVEL_MINUTES = 24 * 60
NO_DATA = "no data yet"


@dataclass
class Reason:
    reason: str
    score: float
    why: str

    @property
    def label(self) -> str:
        return REASON_LABELS[self.reason]

    def as_dict(self) -> dict:
        return {"reason": self.reason, "label": self.label, "score": self.score, "why": self.why}


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


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 2)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def user_tz(user) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(Profile.for_user(user).timezone)


def format_when(moment: datetime, tz: zoneinfo.ZoneInfo) -> str:
    """'Tuesday 1 December 2026 at 14:00 (Europe/Paris, UTC+01:00)': no room for doubt."""
    local = moment.astimezone(tz)
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M} ({tz.key}, {offset})"


def categories_for(kind: str) -> tuple[str, ...]:
    return KIND_CATEGORIES.get(kind, KIND_CATEGORIES[InterviewKind.OTHER])


def _label(category: str) -> str:
    return Category(category).label


# --- The six reasons -----------------------------------------------------------------------------


def _practice(interview: Interview, now: datetime) -> tuple[Reason, str]:
    """Less experience with this kind of round means more to gain from it."""
    user = interview.owner
    cats = categories_for(interview.kind)
    rounds = (
        Interview.objects.filter(owner=user, kind=interview.kind, status=InterviewStatus.DONE)
        .exclude(pk=interview.pk)
        .count()
    )
    answers = Answer.objects.filter(
        owner=user,
        question__category__in=cats,
        created_at__gte=now - timedelta(days=PRACTICE_WINDOW_DAYS),
    )
    stats = answers.aggregate(n=Count("id"), avg=Avg("score"))
    n, avg = stats["n"] or 0, stats["avg"]
    # The weakest of the matching categories (or the first never practised) is the one to work on.
    per_cat = dict(answers.values_list("question__category").annotate(a=Avg("score")).order_by())
    untried = [c for c in cats if c not in per_cat]
    weakest = untried[0] if untried else min(per_cat, key=per_cat.get)
    experience = min(rounds, 5) / 5 * 0.5 + min(n, 20) / 20 * 0.3
    if avg is not None:
        experience += (avg / 100) * 0.2
    score = _clamp(1 - experience)
    kind = interview.get_kind_display().lower()
    names = " and ".join(_label(c).lower() for c in cats)
    if rounds == 0 and n == 0:
        why = (
            f"Your first {kind} round on record, and no recent practice in {names} questions: "
            "every minute of it is new practice."
        )
    else:
        practised = (
            f"{_plural(n, 'practice answer')} to {names} questions in the last "
            f"{PRACTICE_WINDOW_DAYS} days"
            + (f" (average score {round(avg)}/100)" if avg is not None else "")
        )
        why = f"You have had {_plural(rounds, kind + ' round')}; {practised}. " + (
            "Still plenty to sharpen here."
            if score >= 0.5
            else "You are well practised: use it to polish, and to test what you've learned."
        )
    return Reason("practice", score, why), weakest


def _industry(interview: Interview) -> Reason:
    """An industry and a company new to you teach you the most."""
    user = interview.owner
    company = interview.opportunity.company
    here = (
        Interview.objects.filter(owner=user, opportunity__company=company)
        .exclude(pk=interview.pk)
        .exclude(status=InterviewStatus.CANCELLED)
        .count()
    )
    company_part = 1.0 if here == 0 else 0.4 if here < 3 else 0.15
    if not company.industry:
        score = _clamp(0.5 * 0.6 + company_part * 0.4)
        why = f"{company.name}'s industry is not set (set it on the company to weigh this); " + (
            "it is a company new to you."
            if here == 0
            else f"you already have {_plural(here, 'other interview')} there."
        )
        return Reason("industry", score, why)
    peers = (
        Opportunity.objects.filter(owner=user, company__industry=company.industry)
        .exclude(company=company)
        .values("company")
        .distinct()
        .count()
    )
    industry_part = 1 / (1 + peers)
    score = _clamp(industry_part * 0.6 + company_part * 0.4)
    if peers == 0:
        first = f"{company.industry} is new to you: no other company of yours is in it"
    else:
        first = (
            f"You know {company.industry} from {_plural(peers, 'other company', 'other companies')}"
        )
    second = (
        f"and {company.name} is new to you."
        if here == 0
        else f"and you have had {_plural(here, 'other interview')} at {company.name}."
    )
    return Reason("industry", score, f"{first}, {second}")


def _network(interview: Interview) -> tuple[Reason, list[Contact], list[Contact]]:
    """The people you would meet, and those you already know there."""
    user = interview.owner
    company = interview.opportunity.company
    people = list(interview.interviewers.all())
    met_before = set(
        Interview.objects.filter(owner=user, interviewers__in=people)
        .exclude(pk=interview.pk)
        .values_list("interviewers", flat=True)
    )
    new = [p for p in people if p.pk not in met_before]
    known = list(
        Contact.objects.filter(owner=user, company=company).exclude(pk__in=[p.pk for p in people])[
            :5
        ]
    )
    score = 0.3 + 0.2 * min(len(new), 3) + (0.1 if not known else 0.0)
    if people:
        names = ", ".join(p.name for p in people[:4])
        first = f"You would meet {names}" + (
            f" ({_plural(len(new), 'new contact')})" if len(new) != len(people) else ""
        )
    else:
        first = "You don't know yet who you will meet (ask, and add them as interviewers)"
    if known:
        second = f"you already know {', '.join(c.name for c in known[:3])} at {company.name}."
    else:
        second = f"you have no contacts at {company.name} yet: this is your first way in."
    return Reason("network", _clamp(score), f"{first}; {second}"), new, known


def _market(interview: Interview) -> Reason:
    """What you would learn about this company against the others you know."""
    user = interview.owner
    company = interview.opportunity.company
    from sayyes.journal.services import debrief_count

    debriefs = debrief_count(user, company)
    done_here = (
        Interview.objects.filter(
            owner=user, opportunity__company=company, status=InterviewStatus.DONE
        )
        .exclude(pk=interview.pk)
        .count()
    )
    known_elsewhere = (
        Interview.objects.filter(owner=user, status=InterviewStatus.DONE)
        .exclude(opportunity__company=company)
        .values("opportunity__company")
        .distinct()
        .count()
    )
    seen = max(debriefs, done_here)
    score = _clamp(0.75 / (1 + seen) + 0.25 * min(known_elsewhere, 5) / 5)
    journal = (
        f"{_plural(debriefs, 'debrief')} in your journal"
        if debriefs
        else "no debrief in your journal yet"
    )
    if seen == 0:
        first = f"You have no first-hand view of {company.name} yet ({journal})"
    else:
        first = f"You have seen {company.name} in {_plural(seen, 'earlier interview')} ({journal})"
    if known_elsewhere:
        second = (
            f"it will compare with the {_plural(known_elsewhere, 'company', 'companies')} "
            "you have interviewed at."
        )
    else:
        second = "it will be the first company you can compare the next ones with."
    return Reason("market", score, f"{first}; {second}")


def _offer_signals(user, opportunity) -> dict:
    """Open offers in hand (other than this opportunity's) and the nearest answer deadline.

    Returns {"offers": [{"company", "deadline": date | None}], "nearest_deadline": date | None}.
    """
    from sayyes.offers.models import OPEN_STATUSES, Offer

    offers = (
        Offer.objects.filter(owner=user, is_current=False, status__in=OPEN_STATUSES)
        .exclude(opportunity=opportunity)
        .select_related("opportunity__company")
        .order_by("deadline", "id")
    )
    found = [
        {"company": o.opportunity.company.name, "deadline": o.deadline}
        for o in offers
        if o.opportunity_id
    ]
    deadlines = [o["deadline"] for o in found if o["deadline"]]
    return {"offers": found, "nearest_deadline": min(deadlines) if deadlines else None}


def _leverage(interview: Interview) -> tuple[Reason, list[Opportunity], dict]:
    """Another process running alongside your offers and applications is bargaining power."""
    user = interview.owner
    opp = interview.opportunity
    others = Opportunity.objects.filter(owner=user, status__in=ACTIVE_STATUSES).exclude(pk=opp.pk)
    active = others.exclude(status=Status.SAVED).count()
    offers = list(others.filter(status=Status.OFFER).select_related("company"))
    signals = _offer_signals(user, opp)
    n_offers = max(len(offers), len(signals["offers"]))
    late = interview.kind in LATE_ROUNDS
    score = 0.2 + 0.35 * min(n_offers, 2) / 2 + 0.25 * min(active, 4) / 4 + (0.2 if late else 0.05)
    parts = []
    if n_offers:
        companies = [o.company.name for o in offers] + [o["company"] for o in signals["offers"]]
        names = ", ".join(list(dict.fromkeys(companies))[:3]) or "elsewhere"
        parts.append(
            f"You have {_plural(n_offers, 'competing offer')} ({names}): another process "
            "running strengthens your hand"
        )
    else:
        parts.append("No offer in hand yet: every process you keep going is future leverage")
    parts.append(f"{_plural(active, 'other active process', 'other active processes')}")
    deadline = signals["nearest_deadline"]
    if deadline is not None:
        in_time = interview.starts_at.date() <= deadline
        if not in_time:
            score -= 0.2
        parts.append(
            f"your nearest offer deadline is {deadline:%d %B}: this interview "
            + ("comes before it" if in_time else "comes after it, so it may not land in time")
        )
    else:
        parts.append("no offer deadline on record")
    stage = (
        "a late round, so it can become an offer soon."
        if late
        else "an early round, so an offer is further away."
    )
    why = "; ".join(parts) + f". This is {stage}"
    return Reason("leverage", _clamp(score), why), offers, signals


def _serendipity(interview: Interview) -> tuple[Reason, list[Opportunity]]:
    """Other roles at the same company: a door may open that you didn't knock on."""
    opp = interview.opportunity
    others = list(
        Opportunity.objects.filter(
            owner=interview.owner, company=opp.company, status__in=ACTIVE_STATUSES
        ).exclude(pk=opp.pk)[:5]
    )
    score = _clamp(0.4 + 0.2 * min(len(others), 3))
    if others:
        titles = ", ".join(o.title for o in others[:3])
        why = (
            f"{_plural(len(others), 'other role')} at {opp.company.name} "
            f"you saved or applied to ({titles}): ask about them too."
        )
    else:
        why = (
            f"No other open roles of yours at {opp.company.name}, but interviews lead to roles "
            "nobody posted. Company size: no data yet."
        )
    return Reason("serendipity", score, why), others


# --- Costs and blockers ---------------------------------------------------------------------------


def find_conflicts(
    interview: Interview, *, travel_minutes: int | None = None, tz=None
) -> list[dict]:
    """Other scheduled or invited interviews that overlap this one (instants compared in UTC).

    With a travel time, the trip there and back counts as busy too.
    """
    travel = timedelta(minutes=travel_minutes or 0)
    start, end = interview.starts_at - travel, interview.ends_at + travel
    tz = tz or user_tz(interview.owner)
    busy = Interview.objects.filter(owner=interview.owner, status__in=BUSY)
    # An interview that started before this one overlaps when it is long enough to reach it.
    longest = busy.aggregate(m=Max("duration_minutes"))["m"] or 0
    candidates = (
        busy.filter(starts_at__lt=end, starts_at__gt=start - timedelta(minutes=longest))
        .exclude(pk=interview.pk)
        .select_related("opportunity__company")
        .order_by("starts_at")
    )
    found = []
    for other in candidates:
        if other.starts_at < end and other.ends_at > start:
            overlaps_itself = (
                other.starts_at < interview.ends_at and other.ends_at > interview.starts_at
            )
            found.append(
                {
                    "interview_id": other.pk,
                    "company": other.opportunity.company.name,
                    "title": other.opportunity.title,
                    "status": other.status,
                    "starts_at": other.starts_at.isoformat(),
                    "why": (
                        f"{'Overlaps' if overlaps_itself else 'Too close, with travel, to'} your "
                        f"{other.get_status_display().lower()} {other.get_kind_display().lower()} "
                        f"with {other.opportunity.company.name} on "
                        f"{format_when(other.starts_at, tz)}."
                    ),
                }
            )
    return found


def _same_place(home: str, where: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.lower().replace(",", " , ").split())

    home_n, where_n = norm(home), norm(where)
    home_city = home_n.split(" , ")[0].strip()
    where_city = where_n.split(" , ")[0].strip()
    return bool(home_city) and (home_city in where_n or (bool(where_city) and where_city in home_n))


def check_deal_breakers(
    opp: Opportunity, rules: DealBreakers, travel_minutes: int | None
) -> list[dict]:
    """Blockers (a deal-breaker is hit) and concerns (something to check first)."""
    found: list[dict] = []

    def add(kind: str, severity: str, why: str) -> None:
        found.append({"kind": kind, "severity": severity, "why": why})

    if rules.minimum_salary:
        cur = rules.salary_currency
        if opp.salary_max is None and opp.salary_min is None:
            add(
                "salary",
                "concern",
                f"The salary is unknown; your minimum is {rules.minimum_salary:,} {cur}. "
                "Ask for the range before you invest in later rounds.",
            )
        elif opp.salary_currency != cur:
            add(
                "salary",
                "concern",
                f"The salary is in {opp.salary_currency}, your minimum in {cur}: "
                "compare them before the next round.",
            )
        elif opp.salary_max is not None and opp.salary_max < rules.minimum_salary:
            add(
                "salary",
                "blocker",
                f"The salary goes up to {opp.salary_max:,} {cur}, below your minimum of "
                f"{rules.minimum_salary:,} {cur}.",
            )
    if rules.remote_only:
        if opp.remote in (Remote.ONSITE, Remote.HYBRID):
            add(
                "remote",
                "blocker",
                f"The role is {opp.get_remote_display().lower()} and you want remote only.",
            )
        elif opp.remote == Remote.UNKNOWN:
            add("remote", "concern", "The posting doesn't say if it is remote: ask.")
    if rules.no_relocation and opp.remote != Remote.REMOTE:
        if not opp.location:
            add("location", "concern", "The role's location is not stated: check it is near you.")
        elif rules.home_location and not _same_place(rules.home_location, opp.location):
            add(
                "location",
                "blocker",
                f"The role is in {opp.location} and you won't relocate from {rules.home_location}.",
            )
    industry = opp.company.industry
    if industry and industry in (rules.avoid_industries or []):
        add("industry", "blocker", f"{opp.company.name} is in {industry}, an industry you avoid.")
    if travel_minutes:
        limit = rules.max_travel_minutes
        if limit and travel_minutes > limit:
            add(
                "travel",
                "concern",
                f"The trip takes {travel_minutes} minutes each way, more than your limit of "
                f"{limit}: ask for a video call, or for the company to cover the travel.",
            )
        elif not limit and travel_minutes >= LONG_TRAVEL_MINUTES:
            add(
                "travel",
                "concern",
                f"The trip takes {travel_minutes} minutes each way: ask whether this round "
                "can be a video call.",
            )
    return found


def recommend(conflicts: list[dict], blockers: list[dict]) -> tuple[str, str]:
    hard = [b for b in blockers if b["severity"] == "blocker"]
    soft = [b for b in blockers if b["severity"] == "concern"]
    if hard:
        return Recommendation.DECLINE, "A deal-breaker of yours: " + " ".join(
            b["why"] for b in hard
        )
    if conflicts:
        return Recommendation.RESCHEDULE, "It clashes with another interview: " + " ".join(
            c["why"] for c in conflicts
        )
    if soft:
        return Recommendation.YES_WITH_CONDITIONS, "Say yes, and first: " + " ".join(
            b["why"] for b in soft
        )
    return Recommendation.YES, "Nothing stands in the way: say yes and make the most of it."


# --- Free slots for a reschedule ------------------------------------------------------------------


def free_slots(
    user,
    *,
    duration_minutes: int,
    tz: zoneinfo.ZoneInfo,
    now: datetime,
    count: int = 3,
    exclude: Interview | None = None,
) -> list[datetime]:
    """Up to ``count`` free times in working hours (weekdays, in the user's time zone), one a day,
    from the next working day on, clear of the user's scheduled and invited interviews."""
    length = timedelta(minutes=duration_minutes)
    first_day = now.astimezone(tz).date() + timedelta(days=1)
    horizon = datetime.combine(first_day + timedelta(days=21), time.min, tz)
    busy_qs = Interview.objects.filter(
        owner=user, status__in=BUSY, starts_at__lt=horizon, starts_at__gte=now - timedelta(days=1)
    )
    if exclude is not None:
        busy_qs = busy_qs.exclude(pk=exclude.pk)
    busy = [(i.starts_at - SLOT_BUFFER, i.ends_at + SLOT_BUFFER) for i in busy_qs]
    slots: list[datetime] = []
    day = first_day
    while len(slots) < count and day < first_day + timedelta(days=21):
        if day.weekday() < 5:
            for hour in SLOT_STARTS:
                start = datetime.combine(day, time(hour), tz)
                end = start + length
                if end > datetime.combine(day, time(WORK_END), tz) or hour < WORK_START:
                    continue
                # A wall time the clocks skip doesn't exist: skip it too.
                if start.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(tz).hour != hour:
                    continue
                if all(not (start < b_end and end > b_start) for b_start, b_end in busy):
                    slots.append(start)
                    break
        day += timedelta(days=1)
    return slots


# --- Goals and replies ----------------------------------------------------------------------------

QUESTION_BY_REASON = {
    "industry": "What is changing most in {industry} right now, and how is {company} responding?",
    "market": "What do people who do well at {company} have in common?",
    "leverage": "What are the next steps, and when do you expect to decide?",
    "serendipity": "Are other teams at {company} hiring for skills like mine?",
    "network": "Who would I work with most closely, and how does the team share work?",
    "practice": "What does success look like in this role after six months?",
}


def _practice_url() -> str:
    return reverse("practice_home")


def build_goals(
    interview: Interview,
    reasons: list[Reason],
    *,
    weakest: str,
    new_people: list[Contact],
    known: list[Contact],
    offers: list[Opportunity],
    other_roles: list[Opportunity],
) -> list[dict]:
    """Three or more concrete goals, from the strongest reasons first."""
    opp = interview.opportunity
    company = opp.company
    by_reason = {r.reason: r for r in reasons}
    goals: list[dict] = []
    goals.append(
        {
            "text": f"Practise {PRACTICE_QUESTIONS} {_label(weakest).lower()} questions "
            f"before the {interview.get_kind_display().lower()} round.",
            "kind": "skill",
            "reason": "practice",
            "link": _practice_url(),
            "category": weakest,
        }
    )
    # The question to ask comes from the reason that scores highest after practice.
    best = max(
        (r for r in reasons if r.reason in ("industry", "market", "serendipity", "leverage")),
        key=lambda r: r.score,
    )
    if best.reason == "industry" and not company.industry:
        best = by_reason["market"]
    question = QUESTION_BY_REASON[best.reason].format(
        company=company.name, industry=company.industry or "your field"
    )
    goals.append(
        {
            "text": f"Ask: “{question}”",
            "kind": "question",
            "reason": best.reason,
            "link": "",
            "category": "",
        }
    )
    if new_people:
        person = new_people[0]
        text = (
            f"Connect with {person.name} after the interview: a thank-you note within 24 hours, "
            "and an invitation on LinkedIn."
        )
        link = reverse("contact_detail", args=[person.pk])
    elif known:
        person = known[0]
        text = f"Ask {person.name}, whom you know at {company.name}, what the team is like."
        link = reverse("contact_detail", args=[person.pk])
    else:
        text = "Learn your interviewers' names and roles, and add them to the interview."
        link = reverse("interview_edit", args=[interview.pk])
    goals.append(
        {"text": text, "kind": "person", "reason": "network", "link": link, "category": ""}
    )
    if opp.salary_max is None and opp.salary_min is None:
        fact = "Find out the salary range for this role (ask the recruiter, or check its posting)."
    elif offers:
        fact = (
            f"Learn their hiring timeline, to line it up with your offer from "
            f"{offers[0].company.name}."
        )
    else:
        fact = "Learn how they decide on pay and when they would make an offer."
    goals.append({"text": fact, "kind": "fact", "reason": "leverage", "link": "", "category": ""})
    if other_roles:
        goals.append(
            {
                "text": f"Mention your interest in {other_roles[0].title} at {company.name} too.",
                "kind": "opening",
                "reason": "serendipity",
                "link": reverse("opportunity_detail", args=[other_roles[0].pk]),
                "category": "",
            }
        )
    return goals


def _sender(user) -> str:
    return user.get_full_name() or user.username


def _greeting(people: list[Contact]) -> str:
    if len(people) == 1:
        return f"Dear {people[0].name},"
    return "Dear hiring team,"


def _where(interview: Interview) -> str:
    if interview.video_url:
        return " by video"
    if interview.location:
        return f" at {interview.location}"
    if interview.kind == InterviewKind.PHONE_SCREEN:
        return " by phone"
    return ""


def write_replies(interview: Interview, *, tz: zoneinfo.ZoneInfo, slots: list[datetime]) -> dict:
    """Accept, reschedule and decline drafts, written for sayyes; the user edits them."""
    opp = interview.opportunity
    company, role = opp.company.name, opp.title
    people = list(interview.interviewers.all())
    hello = _greeting(people)
    me = _sender(interview.owner)
    when = format_when(interview.starts_at, tz)
    arranged = zoneinfo.ZoneInfo(interview.timezone)
    also = (
        f" That is {format_when(interview.starts_at, arranged)} on your side."
        if arranged.key != tz.key
        else ""
    )
    kind = interview.get_kind_display().lower()
    accept = (
        f"{hello}\n\n"
        f"Thank you for inviting me to interview for the {role} role at {company}. "
        f"I'm glad to confirm the {kind} on {when}{_where(interview)}.{also}\n\n"
        "Please let me know if there is anything I should prepare or bring. "
        "I look forward to speaking with you.\n\n"
        f"Best regards,\n{me}"
    )
    if slots:
        options = "\n".join(f"- {format_when(s, tz)}" for s in slots)
        proposal = (
            "Unfortunately I have a conflict at that time. Would one of these work instead?\n\n"
            f"{options}\n\n"
            "I'm happy to adapt if none of them suits you."
        )
    else:
        proposal = (
            "Unfortunately I have a conflict at that time. Could you suggest two or three other "
            "times? I'll make one of them work."
        )
    reschedule = (
        f"{hello}\n\n"
        f"Thank you for the invitation to interview for the {role} role at {company}; "
        f"I'm keen to meet you. The proposed time was {when}.{also}\n\n"
        f"{proposal}\n\n"
        f"Best regards,\n{me}"
    )
    decline = (
        f"{hello}\n\n"
        f"Thank you for inviting me to interview for the {role} role at {company}, and for "
        "the time you have given my application. After careful thought, I have decided not to "
        "go ahead with this role at the moment.\n\n"
        f"I have enjoyed learning about {company} and would be glad to hear from you about "
        "future openings that fit. I hope we stay in touch.\n\n"
        f"Best regards,\n{me}"
    )
    return {"accept": accept, "reschedule": reschedule, "decline": decline}


# --- The triage -----------------------------------------------------------------------------------


def _check_travel(travel_minutes) -> int | None:
    if travel_minutes in (None, ""):
        return None
    try:
        value = int(travel_minutes)
    except (TypeError, ValueError):
        raise ValidationError(
            {"travel_minutes": "Give the travel time as a whole number of minutes."}
        ) from None
    if not 0 <= value <= MAX_TRAVEL_MINUTES:
        raise ValidationError(
            {"travel_minutes": f"Travel time is between 0 and {MAX_TRAVEL_MINUTES} minutes."}
        )
    return value or None


def assess(
    interview: Interview, *, travel_minutes: int | None = None, now: datetime | None = None
) -> Assessment:
    """Weigh an invitation with the user's data today. Reads only; nothing is stored."""
    travel_minutes = _check_travel(travel_minutes)
    now = now or timezone.now()
    user = interview.owner
    tz = user_tz(user)
    practice, weakest = _practice(interview, now)
    network, new_people, known = _network(interview)
    leverage, offers, _signals = _leverage(interview)
    serendipity, other_roles = _serendipity(interview)
    reasons = [practice, _industry(interview), network, _market(interview), leverage, serendipity]
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
    from sayyes.pipeline.services import update_interview

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


# --- The prep checklist ---------------------------------------------------------------------------


def standard_items(interview: Interview) -> list[dict]:
    opp = interview.opportunity
    company = opp.company
    category = categories_for(interview.kind)[0]
    items = [
        {
            "text": f"Research {company.name}: what it sells, to whom, recent news, and the team "
            f"behind the {opp.title} role.",
            "kind": ItemKind.RESEARCH,
            "link": company.website,
        },
        {
            "text": "Re-read the job posting and match each requirement with one of your stories.",
            "kind": ItemKind.RESEARCH,
            "link": reverse("opportunity_detail", args=[opp.pk]),
        },
        {
            "text": f"Practise {PRACTICE_QUESTIONS} {_label(category).lower()} questions out loud.",
            "kind": ItemKind.PRACTICE,
            "link": _practice_url(),
            "practice_category": category,
        },
        {
            "text": "Prepare three questions to ask them, and write them down.",
            "kind": ItemKind.QUESTIONS,
            "link": reverse("interview_to_ask", args=[interview.pk]),
        },
    ]
    if interview.video_url or interview.kind == InterviewKind.VIDEO:
        items.append(
            {
                "text": "Test the video link, your camera and microphone the day before.",
                "kind": ItemKind.LOGISTICS,
                "link": interview.video_url,
            }
        )
    elif interview.location:
        items.append(
            {
                "text": f"Plan the route to {interview.location} and when to leave (be 10 "
                "minutes early).",
                "kind": ItemKind.LOGISTICS,
                "link": "",
            }
        )
    elif interview.kind == InterviewKind.PHONE_SCREEN:
        items.append(
            {
                "text": "Check the phone number and find a quiet place to take the call.",
                "kind": ItemKind.LOGISTICS,
                "link": "",
            }
        )
    else:
        items.append(
            {
                "text": "Check where the interview happens: the address or the video link.",
                "kind": ItemKind.LOGISTICS,
                "link": "",
            }
        )
    items.append(
        {
            "text": "Have your CV, the job posting and your notes at hand; any documents they "
            "asked for too.",
            "kind": ItemKind.LOGISTICS,
            "link": "",
        }
    )
    return items


@transaction.atomic
def ensure_checklist(interview: Interview, *, goals: list[dict] | None = None) -> int:
    """Give an interview its prep checklist: the goals on top, then the standard items.

    Safe to call again: items already there (by text) are not added twice. Returns how many
    were added.
    """
    if goals is None:
        stored = Triage.objects.filter(interview=interview).first()
        goals = stored.goals if stored else []
    existing = set(ChecklistItem.objects.filter(interview=interview).values_list("text", flat=True))
    has_standard = (
        ChecklistItem.objects.filter(interview=interview)
        .exclude(kind__in=[ItemKind.GOAL, ItemKind.OTHER])
        .exists()
    )
    rows = []
    for i, goal in enumerate(goals):
        if goal["text"] not in existing:
            rows.append(
                ChecklistItem(
                    owner=interview.owner,
                    interview=interview,
                    text=goal["text"][:500],
                    kind=ItemKind.GOAL,
                    link=goal.get("link", ""),
                    practice_category=goal.get("category", ""),
                    position=i,
                )
            )
    practised = {g.get("category") for g in goals if g.get("category")}
    if not has_standard:
        for i, item in enumerate(standard_items(interview)):
            # A goal that already practises this category makes the standard item a repeat.
            if item.get("practice_category") in practised:
                continue
            if item["text"] not in existing:
                rows.append(
                    ChecklistItem(
                        owner=interview.owner,
                        interview=interview,
                        position=100 + i,
                        **{k: v for k, v in item.items()},
                    )
                )
    ChecklistItem.objects.bulk_create(rows)
    return len(rows)


def add_item(interview: Interview, text: str) -> ChecklistItem:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": "Write what you want to do."})
    if len(text) > 500:
        raise ValidationError({"text": "An item has at most 500 characters."})
    last = ChecklistItem.objects.filter(interview=interview).aggregate(m=Max("position"))["m"]
    return ChecklistItem.objects.create(
        owner=interview.owner,
        interview=interview,
        text=text,
        kind=ItemKind.OTHER,
        position=(last or 0) + 1,
    )


def set_done(item: ChecklistItem, done: bool) -> ChecklistItem:
    ChecklistItem.objects.filter(pk=item.pk).update(done=done)
    item.done = done
    return item


def checklist(interview: Interview):
    return ChecklistItem.objects.filter(interview=interview).order_by("position", "id")


def prep_reminders(user, *, start: datetime, end: datetime) -> list[dict]:
    """Interviews starting between ``start`` and ``end`` with checklist items still to do."""
    rows = (
        ChecklistItem.objects.filter(
            owner=user,
            done=False,
            interview__starts_at__gte=start,
            interview__starts_at__lt=end,
            interview__status__in=BUSY,
        )
        .select_related("interview__opportunity__company")
        .order_by("interview__starts_at", "position", "id")
    )
    found: dict[int, dict] = {}
    for item in rows:
        entry = found.setdefault(item.interview_id, {"interview": item.interview, "items": []})
        entry["items"].append(item)
    return list(found.values())


# --- Deal-breakers --------------------------------------------------------------------------------

DEAL_BREAKER_FIELDS = (
    "minimum_salary", "salary_currency", "no_relocation", "home_location", "remote_only",
    "avoid_industries", "max_travel_minutes",
)  # fmt: skip


@transaction.atomic
def save_deal_breakers(user, **fields: Any) -> DealBreakers:
    unknown = set(fields) - set(DEAL_BREAKER_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a deal-breaker setting." for name in unknown})
    rules = DealBreakers.for_user(user)
    for key, value in fields.items():
        setattr(rules, key, value)
    rules.salary_currency = (rules.salary_currency or "").strip().upper()
    errors: dict[str, str] = {}
    bad = [i for i in rules.avoid_industries or [] if i not in INDUSTRIES]
    if bad:
        errors["avoid_industries"] = f"Not an industry: {', '.join(map(str, bad))}."
    if rules.minimum_salary and not rules.salary_currency:
        errors["salary_currency"] = "Say which currency your minimum salary is in."
    if rules.no_relocation and not (rules.home_location or "").strip():
        errors["home_location"] = "Say where you live, so sayyes can tell what is near you."
    if errors:
        raise ValidationError(errors)
    rules.updated_at = timezone.now()
    rules.full_clean(exclude=["owner"], validate_unique=False)
    rules.save()
    return rules
