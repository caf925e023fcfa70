"""Debriefs for demo accounts (screenshots, trying sayyes out): written for sayyes."""

from __future__ import annotations

import random

from sayyes.pipeline.models import Interview, InterviewStatus

from .debriefs import save_debrief
from .models import DEFAULT_DIMENSIONS, Debrief

LIKES = [
    "The team lead answered every question plainly",
    "A real career ladder with examples",
    "Four-day focus weeks without meetings",
    "They showed the actual code base",
    "Flexible hours for school runs",
]
DISLIKES = [
    "Five rounds before any decision",
    "On-call every other week",
    "Nobody could say what success looks like",
    "Open office, no quiet rooms",
    "The salary range was never stated",
]
STRATEGY = [
    "Moving from batch reports to real-time dashboards this year",
    "Consolidating three product lines into one platform",
    "Expanding into Germany and the Nordics",
    "",
]
GOALS = ["Profitability by next year", "Doubling the customer base", "An IPO within two years", ""]
REQUIREMENTS = [
    "SQL every day, Python for automation, stakeholder updates weekly",
    "Owning the roadmap for one product area",
    "Cloud cost reviews and on-call support",
]
ASKED = [
    "Tell me about a time you disagreed with your manager.",
    "How would you explain our product to a new customer?",
    "What would you do in your first 30 days?",
    "Why are you leaving your current job?",
    "Describe a project you are proud of.",
]


def add_demo_debriefs(user, *, count: int = 8, seed: int = 7) -> int:
    """Debrief up to ``count`` done interviews, one per company. Returns how many."""
    rng = random.Random(seed)
    seen: set[int] = set()
    made = 0
    interviews = (
        Interview.objects.filter(owner=user, status=InterviewStatus.DONE, debrief__isnull=True)
        .select_related("opportunity__company")
        .order_by("-starts_at")
    )
    for interview in interviews:
        company_id = interview.opportunity.company_id
        if company_id in seen or Debrief.objects.filter(interview=interview).exists():
            continue
        seen.add(company_id)
        growth = rng.randint(1, 5)
        ratings = {name: rng.randint(1, 5) for name in DEFAULT_DIMENSIONS}
        ratings["growth"] = growth
        save_debrief(
            user,
            interview,
            questions=rng.sample(ASKED, 2),
            learned_requirements=rng.choice(REQUIREMENTS),
            learned_strategy=rng.choice(STRATEGY),
            learned_goals=rng.choice(GOALS),
            likes=rng.choice(LIKES),
            dislikes=rng.choice(DISLIKES),
            ratings=ratings,
            overall_interest=max(1, min(5, growth + rng.choice([-1, 0, 0, 1]))),
        )
        made += 1
        if made >= count:
            break
    return made
