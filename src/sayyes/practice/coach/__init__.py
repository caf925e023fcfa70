"""sayyes' answer coach: instant, specific feedback on one interview answer.

Plain Python (no Django), so it can be tested and benchmarked alone. One function::

    from sayyes.practice.coach import analyse
    feedback = analyse(question, answer, duration_seconds=75, posting_text=posting,
                       talking_points=["the 40% cost saving"])

returns a JSON-serialisable dict::

    {"word_count": int, "duration_seconds": float|None, "words_per_minute": float|None,
     "pace": {"verdict": "slow"|"ok"|"fast"|None},
     "fillers": {"count": int, "per_100_words": float, "items": {"um": 2, ...}},
     "hedges": {"count": int, "items": {...}},
     "star": {"situation"|"task"|"action"|"result": {"present": bool, "evidence": str|None}},
     "hypothetical": bool, "i_we_ratio": float|None, "numbers": int,
     "length": {"verdict": "too_short"|"ok"|"too_long"},
     "job_terms": {"used": [str], "missing": [str]},
     "most_used_words": [[word, count], ...],
     "talking_points": {"covered": [str], "missing": [str]},
     "tips": [str, ...]}

How each part works, and its limits, is in the docstrings of :mod:`.fillers` (fillers and
hedges by context), :mod:`.star` (STAR parts and the "I would …" check), :mod:`.jobterms`
(a posting's key terms and which an answer used; the journal reads postings with it too),
:mod:`.terms` (talking points, most used words) and :mod:`.feedback` (thresholds, numbers,
tips). Everything runs locally: no model download, no network.
"""

from __future__ import annotations

from .feedback import LENGTH_SECONDS, LENGTH_WORDS, MAX_TIPS, PACE_OK, analyse
from .jobterms import MAX_TERMS, extract_terms

__all__ = [
    "LENGTH_SECONDS",
    "LENGTH_WORDS",
    "MAX_TERMS",
    "MAX_TIPS",
    "PACE_OK",
    "analyse",
    "extract_terms",
]
