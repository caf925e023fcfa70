"""Debriefs of the demo's done interviews, one per company, for the journal's insights."""

from __future__ import annotations

import random

from sayyes.journal.debriefs import save_debrief
from sayyes.journal.models import DEFAULT_DIMENSIONS, Debrief
from sayyes.pipeline.models import Interview, InterviewStatus

from .words import DebriefWords


def add_debriefs(user, words: DebriefWords, *, count: int, seed: int) -> int:
    """Debrief up to ``count`` done interviews, one per company. Returns how many.

    Interviews already debriefed are skipped, so running it again adds none twice.
    """
    rng = random.Random(seed)
    seen: set[int] = set()
    made = 0
    interviews = (
        Interview.objects.owned_by(user)
        .filter(status=InterviewStatus.DONE, debrief__isnull=True)
        .select_related("opportunity__company")
        .order_by("-starts_at")
    )
    for interview in interviews:
        if made >= count:
            break
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
            questions=rng.sample(words.asked, 2),
            learned_requirements=rng.choice(words.requirements),
            learned_strategy=rng.choice(words.strategy),
            learned_goals=rng.choice(words.goals),
            likes=rng.choice(words.likes),
            dislikes=rng.choice(words.dislikes),
            ratings=ratings,
            overall_interest=max(1, min(5, growth + rng.choice([-1, 0, 0, 1]))),
        )
        made += 1
    return made
