"""One number per answer, from the coach's feedback (plain Python, no Django).

The score (0–100) is a summary for charts and scheduling, not a verdict:

- structure, 40 points: for behavioural questions the four STAR parts (10 each); for other
  questions the parts their type asks for (an approach, present/past/future …; see the
  coach's ``structure``), averaged with the share of the question's talking points covered;
- few fillers, 15 points: full marks at none, nothing at 8 or more per 100 words;
- length, 15 points: full marks for about one to two minutes of speech, 5 otherwise;
- specifics, 10 points: at least one number (a metric, a count, a duration, money);
- a real example, 10 points: behavioural questions answered with what you did, not
  "I would…" (other questions get these points);
- talking points, 10 points: the share covered (full marks when the question has none).

An answer the coach found off the question (``relevance.on_topic`` false) scores at most 50.
"""

from __future__ import annotations

from typing import Any

STAR_PARTS = ("situation", "task", "action", "result")
STAR_CATEGORIES = {"behavioral", "panel"}


def score(feedback: dict[str, Any], category: str) -> int:
    if not feedback.get("word_count"):
        return 0
    points = feedback.get("talking_points") or {}
    covered, missing = len(points.get("covered", [])), len(points.get("missing", []))
    coverage = covered / (covered + missing) if covered + missing else None
    star = feedback.get("star") or {}
    star_share = sum(1 for part in STAR_PARTS if star.get(part, {}).get("present")) / 4
    structure = feedback.get("structure") or {}
    parts = structure.get("parts") or {}
    part_share = sum(1 for p in parts.values() if p.get("present")) / len(parts) if parts else None

    total = 0.0
    if "structure" not in feedback:  # feedback stored before question types
        total += 40 * (star_share if category in STAR_CATEGORIES or coverage is None else coverage)
    elif structure.get("kind") == "star":
        total += 40 * star_share
    else:
        shares = [x for x in (part_share, coverage) if x is not None]
        total += 40 * (sum(shares) / len(shares) if shares else 1.0)
    per_100 = (feedback.get("fillers") or {}).get("per_100_words", 0.0)
    total += 15 * max(0.0, 1 - per_100 / 8)
    total += 15 if (feedback.get("length") or {}).get("verdict") == "ok" else 5
    total += 10 if feedback.get("numbers", 0) > 0 else 0
    total += 0 if feedback.get("hypothetical") else 10
    total += 10 * (coverage if coverage is not None else 1)
    if (feedback.get("relevance") or {}).get("on_topic") is False:
        total = min(total, 50)
    return max(0, min(100, round(total)))


def coach_rating(value: int) -> int:
    """The coach's view as an fsrs rating: 1 again, 2 hard, 3 good, 4 easy."""
    if value < 40:
        return 1
    if value < 60:
        return 2
    if value < 80:
        return 3
    return 4


def combined_rating(value: int, self_rating: int | None) -> int:
    """Your own rating rules, but you can't call it easy when the coach saw problems."""
    coach = coach_rating(value)
    if self_rating is None:
        return coach
    return max(1, min(self_rating, coach + 1))
