"""The six reasons to say yes to an interview, each scored 0–1 from the user's own data with a
sentence that says why: practice, industry, network, market, leverage and serendipity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Exists, OuterRef

from sayyes.core.prose import possessive
from sayyes.journal.debriefs import debrief_count
from sayyes.network.models import Contact
from sayyes.offers.models import OPEN_STATUSES, Offer
from sayyes.pipeline.models import (
    ACTIVE_STATUSES,
    Company,
    Interview,
    InterviewKind,
    InterviewStatus,
    Opportunity,
    Status,
)
from sayyes.practice.models import Answer, Category

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
PRACTICE_WINDOW_DAYS = 90
PRACTICE_QUESTIONS = 5
# The competing offers named in the leverage reason (the rest are counted).
OFFERS_NAMED = 3
# The market reason's "other companies you have interviewed at" counts up to this many.
COMPARE_WITH = 5


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


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 2)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def categories_for(kind: str) -> tuple[str, ...]:
    return KIND_CATEGORIES.get(kind, KIND_CATEGORIES[InterviewKind.OTHER])


def category_label(category: str) -> str:
    return Category(category).label


# --- The six reasons -----------------------------------------------------------------------------


def practice(interview: Interview, now: datetime) -> tuple[Reason, str]:
    """Less experience with this kind of round means more to gain from it."""
    user = interview.owner
    cats = categories_for(interview.kind)
    rounds = (
        Interview.objects.owned_by(user)
        .filter(kind=interview.kind, status=InterviewStatus.DONE)
        .exclude(pk=interview.pk)
        .count()
    )
    answers = Answer.objects.owned_by(user).filter(
        question__category__in=cats,
        created_at__gte=now - timedelta(days=PRACTICE_WINDOW_DAYS),
    )
    stats = answers.aggregate(n=Count("id"), avg=Avg("score"))
    n, avg = stats["n"] or 0, stats["avg"]
    # The weakest of the matching categories (or the first never practised) is the one to work on.
    per_cat = dict(answers.values_list("question__category").annotate(a=Avg("score")).order_by())
    untried = [c for c in cats if c not in per_cat]
    weakest = untried[0] if untried else min(per_cat, key=per_cat.__getitem__)
    experience = min(rounds, 5) / 5 * 0.5 + min(n, 20) / 20 * 0.3
    if avg is not None:
        experience += (avg / 100) * 0.2
    score = _clamp(1 - experience)
    kind = interview.get_kind_display().lower()
    names = " and ".join(category_label(c).lower() for c in cats)
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


def industry(interview: Interview) -> Reason:
    """An industry and a company new to you teach you the most."""
    user = interview.owner
    company = interview.opportunity.company
    here = (
        Interview.objects.owned_by(user)
        .filter(opportunity__company=company)
        .exclude(pk=interview.pk)
        .exclude(status=InterviewStatus.CANCELLED)
        .count()
    )
    company_part = 1.0 if here == 0 else 0.4 if here < 3 else 0.15
    if not company.industry:
        score = _clamp(0.5 * 0.6 + company_part * 0.4)
        why = (
            f"{possessive(company.name)} industry is not set (set it on the company to weigh this); "
            + (
                "it is a company new to you."
                if here == 0
                else f"you already have {_plural(here, 'other interview')} there."
            )
        )
        return Reason("industry", score, why)
    # Your other companies in this industry that you have an opportunity at: one index probe
    # per company of the industry (company_owner_industry), not a walk over every opportunity.
    peers = (
        Company.objects.owned_by(user)
        .filter(industry=company.industry)
        .exclude(pk=company.pk)
        .filter(Exists(Opportunity.objects.filter(company=OuterRef("pk"))))
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


def network(interview: Interview) -> tuple[Reason, list[Contact], list[Contact]]:
    """The people you would meet, and those you already know there."""
    user = interview.owner
    company = interview.opportunity.company
    people = list(interview.interviewers.all())
    met_before = set(
        Interview.objects.owned_by(user)
        .filter(interviewers__in=people)
        .exclude(pk=interview.pk)
        .values_list("interviewers", flat=True)
    )
    new = [p for p in people if p.pk not in met_before]
    known = list(
        Contact.objects.owned_by(user)
        .filter(company=company)
        .exclude(pk__in=[p.pk for p in people])[:5]
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


def market(interview: Interview) -> Reason:
    """What you would learn about this company against the others you know."""
    user = interview.owner
    company = interview.opportunity.company
    debriefs = debrief_count(user, company)
    done_here = (
        Interview.objects.owned_by(user)
        .filter(opportunity__company=company, status=InterviewStatus.DONE)
        .exclude(pk=interview.pk)
        .count()
    )
    # The score counts at most COMPARE_WITH other companies, so no more are looked for: the
    # distinct scan stops there instead of reading every done interview (issue 18).
    known_elsewhere = len(
        Interview.objects.owned_by(user)
        .filter(status=InterviewStatus.DONE)
        .exclude(opportunity__company=company)
        .order_by()
        .values_list("opportunity__company", flat=True)
        .distinct()[: COMPARE_WITH + 1]
    )
    seen = max(debriefs, done_here)
    score = _clamp(0.75 / (1 + seen) + 0.25 * min(known_elsewhere, COMPARE_WITH) / COMPARE_WITH)
    journal = (
        f"{_plural(debriefs, 'debrief')} in your journal"
        if debriefs
        else "no debrief in your journal yet"
    )
    if seen == 0:
        first = f"You have no first-hand view of {company.name} yet ({journal})"
    else:
        first = f"You have seen {company.name} in {_plural(seen, 'earlier interview')} ({journal})"
    if known_elsewhere > COMPARE_WITH:
        second = (
            f"it will compare with the many companies (more than {COMPARE_WITH}) you have "
            "interviewed at."
        )
    elif known_elsewhere:
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
    offers = (
        Offer.objects.owned_by(user)
        .filter(is_current=False, status__in=OPEN_STATUSES)
        .exclude(opportunity=opportunity)
        .select_related("opportunity__company")
        .order_by("deadline", "id")
    )
    found = [
        {"company": o.opportunity.company.name, "deadline": o.deadline}
        for o in offers
        if o.opportunity  # loaded with the offer (select_related)
    ]
    deadlines = [o["deadline"] for o in found if o["deadline"]]
    return {"offers": found, "nearest_deadline": min(deadlines) if deadlines else None}


def leverage(interview: Interview) -> tuple[Reason, list[Opportunity], dict]:
    """Another process running alongside your offers and applications is bargaining power."""
    user = interview.owner
    opp = interview.opportunity
    others = (
        Opportunity.objects.owned_by(user).filter(status__in=ACTIVE_STATUSES).exclude(pk=opp.pk)
    )
    active = others.exclude(status=Status.SAVED).count()
    # Counted in the database; only the few that are named are loaded (issue 18).
    in_offer = others.filter(status=Status.OFFER)
    offers = list(in_offer.select_related("company")[:OFFERS_NAMED])
    n_in_offer = in_offer.count()
    signals = _offer_signals(user, opp)
    n_offers = max(n_in_offer, len(signals["offers"]))
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


def serendipity(interview: Interview) -> tuple[Reason, list[Opportunity]]:
    """Other roles at the same company: a door may open that you didn't knock on."""
    opp = interview.opportunity
    others = list(
        Opportunity.objects.owned_by(interview.owner)
        .filter(company=opp.company, status__in=ACTIVE_STATUSES)
        .exclude(pk=opp.pk)[:5]
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
