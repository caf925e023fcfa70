"""Drafts and insights: how well they read, and what they cost.

    .venv/bin/python bench/drafts.py [--seed 1]

Makes a fresh SQLite data directory and prints:

* for the insights fixture (tests/fixtures/insights/postings.json, postings written for
  sayyes with their job-content terms labelled): the share of the top-10 themes that are
  job content, read from job content only (as insights do now) and from the whole posting
  (as they did before), and the time to split a posting and to find its job terms;
* for one ``sayyes demo`` account: its top-10 themes, and the words of its thank-you notes,
  triage replies and counter-offer letters (fewest, median, most).

It asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _spread(values: list[int]) -> str:
    return f"{min(values)} / {statistics.median(values):.0f} / {max(values)}" if values else "-"


def fixture_figures(user) -> None:
    from sayyes.journal import insights
    from sayyes.journal import postings as jp
    from sayyes.pipeline import services as pipeline
    from sayyes.pipeline.models import Opportunity
    from tests.insights_labels import POSTINGS as postings
    from tests.insights_labels import is_job_content

    for p in postings:
        opp = pipeline.create_opportunity(
            user, company_name=p["company"], title=p["title"], posting_text=p["text"]
        )
        pipeline.update_company(opp.company, industry=p["industry"])
    now = [t["term"] for t in insights.industry_insights(user)["themes"][:10]]
    # Before: the terms of the whole posting, benefits and about-us included, counted by the
    # postings that have them (as the stored counts do).
    from collections import Counter

    from sayyes.practice.coach.jobterms import extract_terms as whole_terms

    saved = insights.is_job_term
    insights.is_job_term = lambda term: True  # type: ignore[assignment]
    try:
        counted: Counter[str] = Counter()
        for o in Opportunity.objects.filter(owner=user).select_related("company"):
            counted.update(
                {t.lower() for t in whole_terms(o.posting_text) if insights._is_theme(t)}
            )
        before = [term for term, _n in counted.most_common(10)]
    finally:
        insights.is_job_term = saved
    for label, themes in (("job content only", now), ("whole posting (before)", before)):
        share = sum(is_job_content(t) for t in themes)
        print(f"fixture, {len(postings)} postings, top-10 themes from {label}: {share}/10 job")
        print(f"    {', '.join(themes)}")
    texts = [p["text"] for p in postings]
    start = time.perf_counter()
    for text in texts:
        jp.split_sections(text)
    split_ms = (time.perf_counter() - start) * 1000 / len(texts)
    from sayyes.practice.coach.grammar import tag
    from sayyes.practice.coach.jobterms import _posting_terms, extract_terms

    extract_terms.cache_clear()
    _posting_terms.cache_clear()
    tag.cache_clear()
    start = time.perf_counter()
    for text in texts:
        jp.job_terms(text)
    terms_ms = (time.perf_counter() - start) * 1000 / len(texts)
    print(f"split a posting into sections: {split_ms:.2f} ms; its job terms: {terms_ms:.1f} ms")


def demo_figures(seed: int) -> None:
    import zoneinfo

    from sayyes.accounts.services import create_user, update_me
    from sayyes.core import prose
    from sayyes.demo import fill_demo
    from sayyes.journal import insights
    from sayyes.network import services as network
    from sayyes.network.models import FollowUp
    from sayyes.offers import negotiation
    from sayyes.offers.models import Offer
    from sayyes.pipeline.models import Interview
    from sayyes.triage.replies import write_replies

    user = create_user("bench-demo")
    fill_demo(user, seed=seed)
    update_me(user, display_name="Alice Martin")
    for interview in Interview.objects.filter(owner=user, status="done"):
        network.ensure_thank_yous(interview)
    themes = [t["term"] for t in insights.industry_insights(user)["themes"][:10]]
    print(f"demo account (seed {seed}), top-10 themes: {', '.join(themes)}")
    notes = [
        prose.word_count(network.thank_you_draft(f)["body"])
        for f in FollowUp.objects.filter(owner=user).select_related(
            "contact", "interview__opportunity__company"
        )
    ]
    utc = zoneinfo.ZoneInfo("UTC")
    replies = [
        prose.word_count(body)
        for i in Interview.objects.filter(owner=user).select_related("opportunity__company")
        for body in write_replies(i, tz=utc, slots=[]).values()
    ]
    letters = [
        prose.word_count(negotiation.counter_offer_draft(o)["body"])
        for o in Offer.objects.filter(owner=user, is_current=False).select_related(
            "opportunity__company"
        )
    ]
    for label, counts in (
        ("thank-you notes", notes),
        ("triage replies", replies),
        ("counter-offer letters", letters),
    ):
        print(f"{len(counts)} {label}, words (fewest / median / most): {_spread(counts)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="demo seed (default 1)")
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="sayyes-bench-drafts-")
    os.environ["SAYYES_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sayyes.settings"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from sayyes.accounts.services import create_user

        fixture_figures(create_user("bench-fixture"))
        demo_figures(args.seed)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
