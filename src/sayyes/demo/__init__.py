"""Fill an account with realistic demo data: for trying sayyes, benchmarks and screenshots.

``fill_demo(user, scale=…)`` writes about 40 companies, 100 opportunities with their status
history, 200 interviews and 60 contacts per unit of ``scale``, then debriefs 8 done
interviews per unit and adds a current job and two offers. The same seed gives the same
data (relative to the moment it runs). Every word comes from ``words.json``, made up for
sayyes.

This is a top layer: it may use any app; only the CLI, the benches, scripts and tests
import it.
"""

from __future__ import annotations

import random

from django.db import transaction

from sayyes.journal.terms import read_later

from .context import (
    COMPANIES_PER_SCALE,
    CONTACTS_PER_SCALE,
    DEBRIEFS_PER_SCALE,
    INTERVIEWS_PER_SCALE,
    OPPORTUNITIES_PER_SCALE,
    Demo,
    Progress,
    demo_total,
)
from .journal import add_debriefs
from .offers import add_offers
from .pipeline import fill_pipeline
from .words import WordsError, words

__all__ = [
    "COMPANIES_PER_SCALE",
    "CONTACTS_PER_SCALE",
    "DEBRIEFS_PER_SCALE",
    "INTERVIEWS_PER_SCALE",
    "OPPORTUNITIES_PER_SCALE",
    "WordsError",
    "demo_total",
    "fill_demo",
]

# The debriefs draw from their own random source, seeded this far from the pipeline's: seed 1
# gives the debriefs the demo has always had.
DEBRIEF_SEED_OFFSET = 6


def fill_demo(
    user,
    *,
    scale: int = 1,
    progress: Progress | None = None,
    seed: int = 1,
    debriefs: int | None = None,
) -> dict[str, int]:
    """Create demo data for ``user`` and return how many of each kind was made.

    The keys, in order: companies, opportunities, interviews, contacts, events, debriefs,
    offers. ``scale`` multiplies everything but the offers. ``progress(advance,
    description)``, when given, is called as opportunities and interviews are written; the
    units add up to ``demo_total(scale)``. ``debriefs`` overrides the 8 per scale.

    Running it again for the same user adds more data: company names already in use are
    skipped, interviews already debriefed are not debriefed again, and the offers are made
    only once. Everything is written in one transaction.
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a whole number of at least 1, not {scale!r}")
    if debriefs is None:
        debriefs = DEBRIEFS_PER_SCALE * scale
    data = words()
    # The postings' and debriefs' key terms are read once at the end, before this returns.
    with read_later(user.pk, now=True), transaction.atomic():
        counts = fill_pipeline(Demo(user, scale, random.Random(seed), progress, data))
        counts["debriefs"] = add_debriefs(
            user, data.debrief, count=debriefs, seed=seed + DEBRIEF_SEED_OFFSET
        )
        counts["offers"] = add_offers(user)
    from sayyes.core.dbstats import refresh_statistics

    refresh_statistics(after_bulk_write=True)  # the planner learns the new sizes
    return counts
