"""How fast a mock interview answers back: from a typed answer to the next turn.

    .venv/bin/python bench/mock.py [--mocks 10]

Makes a fresh data directory (SQLite), loads the question bank, and runs ``--mocks``
behavioral mocks of 3 questions in process, answering each question with a thin answer (the
interviewer follows up) and then a fuller one. It times ``answer_text`` (the coach on the
answer and on the whole so far, the follow-up rules, the practice answer scored and
scheduled, the next turn written) and, apart, the follow-up rules alone. It asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

THIN = (
    "Last year at the warehouse our picking errors kept going up and the team was getting "
    "complaints from the stores every week. We looked at the process together."
)
FULL = (
    "I pulled the error logs for a month and found that 70 percent came from two aisles with "
    "look-alike labels. I redesigned the labels with the team lead and trained the night "
    "shift. Within six weeks errors fell from 40 a week to 9, and store complaints stopped."
)


def _ms(values: list[float], unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1_000_000
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return f"p50 {statistics.median(values) * scale:.1f} {unit}, p95 {p95 * scale:.1f} {unit}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mocks", type=int, default=10, help="mocks to run (default 10)")
    args = parser.parse_args(argv)
    os.environ["SAYYES_DATA_DIR"] = tempfile.mkdtemp(prefix="sayyes-bench-mock-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sayyes.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sayyes.accounts.services import create_user
    from sayyes.practice import services as practice
    from sayyes.practice.coach import analyse
    from sayyes.practice.mocks import services as mocks
    from sayyes.practice.mocks.followups import facts_from_feedback, next_follow_up

    practice.load_bank()
    user = create_user("bench")
    turns: list[float] = []
    follow_ups = 0
    for i in range(args.mocks):
        mock = mocks.start_mock(user, kind="behavioral", count=3, seed=i)
        for text in [THIN, FULL] * 6 + ["No questions."]:
            if mock.finished:
                break
            started = time.perf_counter()
            mock = mocks.answer_text(mock, text)
            turns.append(time.perf_counter() - started)
        follow_ups += mock.turns.filter(kind="follow_up").count()
    rules: list[float] = []
    feedback = analyse("Tell me about a time you fixed a problem.", THIN)
    for _ in range(2000):
        started = time.perf_counter()
        next_follow_up(facts_from_feedback(THIN, feedback, behavioural=True), [])
        rules.append(time.perf_counter() - started)
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, SQLite")
    print(f"{args.mocks} mocks, {len(turns)} answers, {follow_ups} follow-ups asked")
    print(f"answer to next turn: {_ms(turns)}")
    print(f"follow-up rules alone: {_ms(rules, 'µs')}")


if __name__ == "__main__":
    main()
