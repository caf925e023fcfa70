"""Journal service times with demo data: insights, questions to ask, companies, debriefs.

    .venv/bin/python bench/journal.py [--scale 1] [--debriefs 40] [--repeat 5]

Makes a fresh SQLite data directory, fills one account with ``fill_demo`` (with more
debriefs than ``sayyes demo`` makes), and times the journal's service functions in process.
It prints figures; it asserts no times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time


def _time(fn, repeat: int) -> tuple[float, float]:
    """(first call, median of the next ones) in milliseconds."""
    start = time.perf_counter()
    fn()
    first = (time.perf_counter() - start) * 1000
    rest = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        rest.append((time.perf_counter() - start) * 1000)
    return first, statistics.median(rest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="demo data scale (default 1)")
    parser.add_argument("--debriefs", type=int, default=40, help="demo debriefs (default 40)")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls after the first")
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="sayyes-bench-journal-")
    os.environ["SAYYES_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sayyes.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from sayyes.accounts.services import create_user
        from sayyes.demo import fill_demo
        from sayyes.journal import debriefs, insights, to_ask
        from sayyes.pipeline.models import Company, Interview
        from sayyes.practice.services import load_bank

        load_bank()
        user = create_user("bench")
        made = fill_demo(user, scale=args.scale, debriefs=args.debriefs)["debriefs"]
        interview = Interview.objects.filter(owner=user).exclude(opportunity__posting_text="")[0]
        companies = list(
            Company.objects.filter(
                owner=user, opportunities__interviews__debrief__isnull=False
            ).distinct()[:5]
        )
        industry = insights.industries(user)[0]
        print(
            f"{Company.objects.filter(owner=user).count()} companies, "
            f"{Interview.objects.filter(owner=user).count()} interviews, {made} debriefs"
        )
        rows = [
            ("insights, all companies", lambda: insights.industry_insights(user, "")),
            (f"insights, {industry}", lambda: insights.industry_insights(user, industry)),
            ("questions to ask", lambda: to_ask.questions_to_ask(interview)),
            ("companies overview", lambda: insights.companies_overview(user)),
            ("compare 5 companies", lambda: insights.compare_companies(user, companies)),
            ("what you value", lambda: insights.what_you_value(user)),
            (
                "save a debrief (2 questions)",
                lambda: debriefs.save_debrief(
                    user,
                    interview,
                    questions=["Why this company?", "Tell me about a time you failed."],
                    likes="Bench",
                ),
            ),
        ]
        print(f"{'operation':32} {'first ms':>10} {'median ms':>10}")
        for label, fn in rows:
            first, median = _time(fn, args.repeat)
            print(f"{label:32} {first:10.1f} {median:10.1f}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
