"""The coach's single entry point, :func:`analyse`, and the tips it writes.

Thresholds (also in the README):

* **Pace**: 130–170 words a minute is "ok", below is "slow", above is "fast"
  (:data:`PACE_OK`). Without a usable duration the verdict is ``None``.
* **Length**: one to two minutes of speech is the target. With a duration: under 45 s is
  "too_short", over 180 s "too_long" (:data:`LENGTH_SECONDS`). Without one, by words: under
  110 is "too_short", over 400 "too_long" (:data:`LENGTH_WORDS`; 110 words is about 45 s and
  400 about three minutes at a normal 130–150 words a minute).
* **Fillers**: a tip when there are at least 3 and more than 2.5 per 100 words.
* **Ownership**: a tip when "I" is under 35 % of I + we, with at least 3 "we".
* A duration of 0, a negative one, NaN or infinity is treated as *no duration* (no pace, length
  by words): a recorder can report 0 for an empty take, and feedback must not fail on it.

Numbers count quantities said as digits ("40%", "$1.2m", "3.9") or number words ("forty
percent", "seven hundred and twenty" counts once); a bare "one" counts only before a unit
("one week"), and years ("in 2019") do not count.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .fillers import NUMBER_WORDS, Mark, find_fillers, find_hedges, tally
from .jobterms import extract_terms
from .layer import apply_star, job_terms
from .qtypes import classify, normalise_type
from .relevance import relevance
from .star import PARTS, analyse_star
from .structure import analyse_structure, kind_for, part_dict
from .terms import match_talking_points, most_used_words
from .text import Sentence, Token, sentences, stem, tokenize

__all__ = ["LENGTH_SECONDS", "LENGTH_WORDS", "PACE_OK", "MAX_TIPS", "analyse"]

PACE_OK = (130.0, 170.0)
LENGTH_WORDS = (110, 400)
LENGTH_SECONDS = (45.0, 180.0)
MAX_TIPS = 5
FILLER_TIP_MIN_COUNT = 3
FILLER_TIP_PER_100 = 2.5
HEDGE_TIP_MIN_COUNT = 4
HEDGE_TIP_PER_100 = 3.0
OWNERSHIP_TIP_RATIO = 0.35
OWNERSHIP_TIP_MIN_WE = 3

I_WORDS = {"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"}
WE_WORDS = {"we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd", "we'll"}
_NUMBER_WORDS = (NUMBER_WORDS - {"a", "couple", "few"}) | {"percent"}
_UNITS = {
    "week", "month", "year", "day", "hour", "minute", "second", "quarter", "percent", "million",
    "thousand", "hundred", "dollar", "pound", "euro", "person", "customer", "patient", "client",
    "store", "shift", "team", "point", "star", "grade", "term", "semester", "night", "weekend",
    "extra", "more", "less", "fewer", "full", "whole", "third", "half",
}  # fmt: skip
_YEAR_BEFORE = {
    "in",
    "since",
    "of",
    "by",
    "from",
    "until",
    "till",
    "during",
    "early",
    "late",
    "mid",
    "back",
    "around",
    "year",
    "summer",
    "winter",
    "spring",
    "autumn",
    "fall",
}


def _duration(value: float | None) -> float | None:
    """A usable duration in seconds, or None (0, negatives, NaN, inf and junk are no duration)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(seconds) or seconds <= 0:
        return None
    return seconds


def _count_numbers(tokens: list[Token]) -> int:
    """Quantities mentioned (digits and number words; a run of number words counts once)."""
    count = 0
    i = 0
    words = [t for t in tokens if t.kind != "p"]
    n = len(words)
    while i < n:
        t = words[i]
        if t.kind == "n":
            digits = t.low.lstrip("$£€¥")
            is_year = (
                len(digits) == 4
                and digits.isdigit()
                and 1900 <= int(digits) <= 2100
                and (i == 0 or words[i - 1].low in _YEAR_BEFORE)
            )
            if not is_year:
                count += 1
            i += 1
            continue
        if t.low in _NUMBER_WORDS:
            nxt = words[i + 1].low if i + 1 < n else ""
            if t.low == "one" and stem(nxt) not in {stem(u) for u in _UNITS}:
                i += 1
                continue
            if t.low == "half" and (i == 0 or words[i - 1].low not in {"by", "in", "a"}):
                i += 1
                continue
            count += 1
            i += 1
            while i < n and (
                words[i].low in _NUMBER_WORDS
                or (words[i].low == "and" and i + 1 < n and words[i + 1].low in _NUMBER_WORDS)
            ):
                i += 1
            continue
        i += 1
    return count


# A talking point that names a STAR part in general words ("the action you took", "the
# outcome") is covered when the coach found that part, whatever words the answer used.
_STAR_POINTS = {
    "action": re.compile(
        r"\b(?:action|actions|steps?|what you did|how you (?:handled|fixed|solved))\b", re.I
    ),
    "result": re.compile(r"\b(?:outcome|result|results|impact|what changed|how it ended)\b", re.I),
    "situation": re.compile(r"\b(?:context|situation|background)\b", re.I),
}


def _credit_star_points(
    covered: list[str], missing: list[str], star: dict[str, Any]
) -> tuple[list[str], list[str]]:
    still_missing = []
    for point in missing:
        if any(
            pattern.search(point) and star.get(part, {}).get("present") and len(point.split()) <= 6
            for part, pattern in _STAR_POINTS.items()
        ):
            covered.append(point)
        else:
            still_missing.append(point)
    return covered, still_missing


def _has_shape(qtype: str, star: Any, structure: dict[str, Any], answer: str) -> bool:
    """Whether the answer has the shape its question type asks for (see :mod:`.relevance`)."""
    parts = {k: v["present"] for k, v in structure["parts"].items()}
    if qtype == "strengths_weaknesses":  # a cliché is a weak answer, not an off-topic one
        return any(parts.values()) or bool(re.search(r"\bi(?:'m|\s+am)\b", answer, re.I))
    if qtype == "behavioural":
        return bool(
            parts.get("action")
            or parts.get("situation")
            or star.i_actions + star.we_actions
            or star.conditional_clauses
        )
    if qtype == "situational":
        return bool(parts.get("decision") or parts.get("clarify"))
    if qtype == "motivation":
        return bool(parts.get("company_and_role") or parts.get("your_experience"))
    if qtype == "tell_me_about_yourself":
        return bool(parts.get("present") or parts.get("past"))
    if qtype == "technical":
        return bool(parts.get("steps") or parts.get("specifics"))
    return any(parts.values())


def _clean_sentences(
    answer: str, sents: list[Sentence], fillers: list[Mark]
) -> list[tuple[str, str]]:
    """Each sentence as (original text, lower-case text without fillers)."""
    spans = [(m.start, m.end) for m in fillers]
    out = []
    for s in sents:
        words = [
            t.low for t in s.tokens if t.kind != "p" and not any(a <= t.start < b for a, b in spans)
        ]
        out.append((answer[s.start : s.end], " ".join(words)))
    return out


def _pronouns(tokens: list[Token]) -> tuple[int, int]:
    i_count = we_count = 0
    for t in tokens:
        if t.kind != "w":
            continue
        if t.low in I_WORDS:
            i_count += 1
        elif t.low in WE_WORDS and not (t.low == "us" and t.text == "US"):
            we_count += 1
    return i_count, we_count


def _quote_list(items: list[str]) -> str:
    quoted = [f"\u201c{x}\u201d" for x in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _empty_result(duration: float | None, question_type: str) -> dict[str, Any]:
    return {
        "word_count": 0,
        "duration_seconds": duration,
        "words_per_minute": None,
        "pace": {"verdict": None},
        "fillers": {"count": 0, "per_100_words": 0.0, "items": {}},
        "hedges": {"count": 0, "items": {}},
        "question_type": question_type,
        "star": {p: {"present": False, "evidence": None} for p in PARTS}
        if question_type == "behavioural"
        else None,
        "structure": {"kind": None, "parts": {}},
        "relevance": {"score": None, "on_topic": True},
        "hypothetical": False,
        "i_we_ratio": None,
        "numbers": 0,
        "length": {"verdict": "too_short"},
        "job_terms": {"used": [], "missing": []},
        "most_used_words": [],
        "talking_points": {"covered": [], "missing": []},
        "tips": [
            "There is no answer to look at yet: type or record your answer, aiming for one to "
            "two minutes, then ask for feedback again."
        ],
    }


def analyse(
    question: str,
    answer: str,
    duration_seconds: float | None = None,
    posting_text: str | None = None,
    talking_points: list[str] | None = None,
    question_type: str | None = None,
) -> dict[str, Any]:
    """Feedback on one interview answer, as a JSON-serialisable dict.

    ``question`` is the question asked; its type (:mod:`.qtypes`) decides what the answer is
    read for: STAR for a behavioural question, an approach for a situational one, and so on.
    ``question_type`` gives the type when it is known (a built-in question's); otherwise, or
    when it is not one of :data:`.qtypes.QUESTION_TYPES`, it is read from the wording.
    ``answer`` is the typed answer or the transcript; ``duration_seconds`` is how long the
    spoken answer took (0, negative or non-finite means unknown); ``posting_text`` is the job
    posting, whose key terms the answer is checked against; ``talking_points`` are points the
    user meant to make. Never raises on odd text; see the package docstring for the shape.
    """
    question = question if isinstance(question, str) else ""
    answer = answer if isinstance(answer, str) else ""
    qtype = normalise_type(question_type) or classify(question)
    duration = _duration(duration_seconds)
    points = [p for p in (talking_points or []) if isinstance(p, str) and p.strip()]
    tokens = tokenize(answer)
    word_tokens = [t for t in tokens if t.kind != "p"]
    word_count = len(word_tokens)
    if word_count == 0:
        result = _empty_result(duration, qtype)
        result["talking_points"]["missing"] = [p.strip() for p in points]
        if posting_text:
            result["job_terms"]["missing"] = list(extract_terms(posting_text))
        return result

    sents = sentences(tokens)
    fillers = find_fillers(tokens)
    hedges = find_hedges(tokens)
    star = analyse_star(question, tokens, sents, answer, fillers + hedges, qtype == "behavioural")
    apply_star(star, tokens)
    kind = kind_for(qtype, question)
    structure: dict[str, Any]
    if qtype == "behavioural":
        structure = {
            "kind": "star",
            "parts": {
                p: part_dict(p, star.parts[p].present, star.parts[p].evidence) for p in PARTS
            },
        }
    elif kind is not None:
        structure = {
            "kind": kind,
            "parts": analyse_structure(kind, _clean_sentences(answer, sents, fillers)),
        }
    else:
        structure = {"kind": None, "parts": {}}

    # No pace under a second: 5e-324 s would divide by zero, and 1e-310 s give infinity.
    wpm = round(word_count / (duration / 60.0), 1) if duration and duration >= 1 else None
    pace = None
    if wpm is not None:
        pace = "slow" if wpm < PACE_OK[0] else "fast" if wpm > PACE_OK[1] else "ok"
    if duration is not None:
        length = (
            "too_short"
            if duration < LENGTH_SECONDS[0]
            else "too_long"
            if duration > LENGTH_SECONDS[1]
            else "ok"
        )
    else:
        length = (
            "too_short"
            if word_count < LENGTH_WORDS[0]
            else "too_long"
            if word_count > LENGTH_WORDS[1]
            else "ok"
        )
    i_count, we_count = _pronouns(tokens)
    ratio = round(i_count / (i_count + we_count), 2) if (i_count + we_count) else None
    numbers = _count_numbers(tokens)

    used, missing = job_terms(posting_text, answer) if posting_text else ([], [])
    on_point = relevance(question, answer, _has_shape(qtype, star, structure, answer), points)
    covered, missed_points = match_talking_points(points, tokens)
    covered, missed_points = _credit_star_points(covered, missed_points, structure["parts"])
    skip = [(m.start, m.end) for m in fillers + hedges]
    top_words = most_used_words(tokens, skip)

    filler_items = tally(fillers)
    per_100 = round(len(fillers) * 100.0 / word_count, 1)
    result = {
        "word_count": word_count,
        "duration_seconds": duration,
        "words_per_minute": wpm,
        "pace": {"verdict": pace},
        "fillers": {"count": len(fillers), "per_100_words": per_100, "items": filler_items},
        "hedges": {"count": len(hedges), "items": tally(hedges)},
        "question_type": qtype,
        "star": star.as_dict() if qtype == "behavioural" else None,
        "structure": structure,
        "relevance": on_point,
        "hypothetical": star.hypothetical,
        "i_we_ratio": ratio,
        "numbers": numbers,
        "length": {"verdict": length},
        "job_terms": {"used": used, "missing": missing},
        "most_used_words": top_words,
        "talking_points": {"covered": covered, "missing": missed_points},
    }
    result["tips"] = _tips(
        result,
        star_report=star,
        fillers=fillers,
        hedges=hedges,
        i_count=i_count,
        we_count=we_count,
    )
    return result


_PART_TIPS = {
    "situational": {
        "clarify": "Start with how you would find out more before acting: who you would ask "
        "and what you would check first.",
        "options": "Name the options you would weigh (two is enough) and why you would "
        "choose one over the other.",
        "decision": "Say plainly what you would do: \u201cI would \u2026\u201d, with the "
        "first concrete step.",
        "follow_through": "Finish with the follow-through: how you would check it worked, "
        "who you would keep informed, and how you would stop it happening again.",
    },
    "motivation": {
        "company_and_role": "Say something specific about this company and this role: "
        "what they do, how they work, or a part of the job that draws you.",
        "your_experience": "Tie it to your own experience: something you have done that "
        "makes this the right next step.",
    },
    "tell_me_about_yourself": {
        "present": "Start with where you are now: your current role and what you do in it.",
        "past": "Add a sentence or two on how you got here: the earlier roles or training "
        "that matter for this job.",
        "future": "End with what you want next and why this job fits it.",
    },
    "weakness": {
        "weakness": "Name a real weakness, one that has cost you something at work; "
        "\u201cI'm a perfectionist\u201d or \u201cI don't have any\u201d does not convince.",
        "steps": "Say what you do about it: the steps or habits you have put in place.",
        "progress": "Give evidence that it is working: feedback you received, a result, or "
        "what is different now.",
    },
    "strength": {
        "strength": "Name the strength plainly in your first sentence.",
        "evidence": "Back the strength up with one real example or a number.",
    },
    "technical": {
        "steps": "Walk through how you do it in order: what you do first, next and last.",
        "specifics": "Add specifics: the checks, tools or numbers you use, or a short real "
        "example.",
    },
    "closing": {
        "questions": "Have one or two questions ready for the interviewer: about the team, "
        "the first months in the role, or how success is measured. Saying you have none "
        "misses a chance to show interest.",
    },
}
_LENGTH_HINT = {
    "behavioural": "a sentence of context, the steps you took, and the result",
    "situational": "how you would find out more, your options, what you would do and how "
    "you would follow up",
    "motivation": "what draws you to this company and role, and the experience that ties you to it",
    "tell_me_about_yourself": "where you are now, how you got here, and what you want next",
    "strengths_weaknesses": "name it, give a real example, and say what you do about it",
    "technical": "the steps you take, in order, with a concrete example",
    "closing": "one or two real questions",
}
_LONG_HINT = {
    "behavioural": "keep the background to a sentence or two and spend the time on what "
    "you did and the result",
}


def _tips(
    r: dict[str, Any],
    *,
    star_report: Any,
    fillers: list[Mark],
    hedges: list[Mark],
    i_count: int,
    we_count: int,
) -> list[str]:
    """1–5 tips, most important first; praise when nothing needs fixing."""
    tips: list[str] = []
    qtype = r["question_type"]
    behavioural = qtype == "behavioural"
    star = r["star"] or {}
    words = r["word_count"]
    actions = star_report.i_actions + star_report.we_actions
    told_a_story = behavioural and (actions >= 2 or star["situation"]["present"])
    no_example = behavioural and not told_a_story and not r["hypothetical"]
    if not r["relevance"]["on_topic"]:
        tips.append(
            "Answer the question that was asked: your answer seems to be about something "
            "else. Reread the question and make your first sentence answer it directly."
        )
    if r["hypothetical"]:
        tips.append(
            "Tell a real example: the question asks what you did, but your answer says what "
            "you would do (\u201cI would \u2026\u201d). Pick one real situation and tell it in "
            "the past tense: what was happening, what you did, and how it ended."
        )
    elif no_example:
        tips.append(
            "Give one specific example: the question asks about a time something happened, "
            "but your answer describes what you usually do. Pick one real situation and tell "
            "what was going on, what you did, and how it ended."
        )
    elif told_a_story:
        if not star["action"]["present"]:
            tips.append(
                "Say what you did, step by step, with \u201cI\u201d and an action verb "
                "(\u201cI called \u2026\u201d, \u201cI rebuilt \u2026\u201d): the interviewer "
                "needs to hear your part, not only the background."
            )
        if not star["result"]["present"]:
            tips.append(
                "Finish with the outcome: what changed because of what you did, with a number "
                "if you have one (time saved, % improved, money, customers), or what you "
                "learned."
            )
    kind = r["structure"]["kind"]
    if kind in _PART_TIPS and r["relevance"]["on_topic"]:
        missing = [p for p, v in r["structure"]["parts"].items() if not v["present"]]
        tips.extend(_PART_TIPS[kind][p] for p in missing[:2])
    if len(fillers) >= FILLER_TIP_MIN_COUNT and r["fillers"]["per_100_words"] > FILLER_TIP_PER_100:
        top = list(r["fillers"]["items"].items())[:2]
        said = " and ".join(f"\u201c{w}\u201d {_times(n)}" for w, n in top)
        tips.append(
            f"You said {said} ({r['fillers']['per_100_words']:g} fillers per 100 words). "
            "Try a short silent pause instead: it sounds more confident than a filler."
        )
    length = r["length"]["verdict"]
    seconds = r["duration_seconds"]
    if length == "too_short" and qtype != "closing":
        size = f"{seconds:.0f} seconds" if seconds else f"{words} words"
        tips.append(
            f"Your answer is short ({size}). Aim for one to two minutes: {_LENGTH_HINT[qtype]}."
        )
    elif length == "too_long":
        size = f"{seconds / 60:.1f} minutes" if seconds else f"{words} words"
        hint = _LONG_HINT.get(qtype, "keep to the two or three points that matter most")
        tips.append(f"Your answer is long ({size}). Aim for one to two minutes: {hint}.")
    if told_a_story and not r["hypothetical"]:
        s_ok, t_ok = star["situation"]["present"], star["task"]["present"]
        if not s_ok and not t_ok:
            tips.append(
                "Open with one or two sentences of context: where you were, what was going on, "
                "and what you needed to achieve."
            )
        elif not s_ok:
            tips.append("Open with a sentence of context: where you were and what was going on.")
        elif not t_ok:
            tips.append(
                "Say what your goal or responsibility was (\u201cMy job was to \u2026\u201d) "
                "before describing what you did."
            )
        if star["result"]["present"] and r["numbers"] == 0 and words >= 40:
            tips.append(
                "Add a number to make the result concrete: how many people, how much time or "
                "money, or by what percentage."
            )
        if (
            r["i_we_ratio"] is not None
            and r["i_we_ratio"] < OWNERSHIP_TIP_RATIO
            and we_count >= OWNERSHIP_TIP_MIN_WE
        ):
            tips.append(
                f"You said \u201cwe\u201d {_times(we_count)} and \u201cI\u201d "
                f"{_times(i_count) if i_count else 'not at all'}. Teamwork is good, but say "
                "what you did yourself: \u201cI wrote the plan\u201d, \u201cI ran the tests\u201d."
            )
    if r["pace"]["verdict"] == "fast":
        tips.append(
            f"You spoke at {r['words_per_minute']:.0f} words a minute; slow down a little "
            "(130\u2013170 is easy to follow) and pause after each key point."
        )
    elif r["pace"]["verdict"] == "slow":
        tips.append(
            f"You spoke at {r['words_per_minute']:.0f} words a minute, a little slow; aim for "
            "130\u2013170 by keeping the pauses between sentences short."
        )
    if len(hedges) >= HEDGE_TIP_MIN_COUNT and len(hedges) * 100.0 / words > HEDGE_TIP_PER_100:
        top = list(r["hedges"]["items"].items())[:2]
        said = " and ".join(f"\u201c{w}\u201d {_times(n)}" for w, n in top)
        tips.append(f"Fewer hedges: you said {said}. State what you did plainly; it sounds surer.")
    missing_terms = r["job_terms"]["missing"]
    if missing_terms:
        tips.append(
            "Where it is true for you, use the posting's own words: you did not mention "
            f"{_quote_list(missing_terms[:3])}."
        )
    missed_points = r["talking_points"]["missing"]
    if missed_points:
        tips.append(
            f"You did not cover your talking point{'s' if len(missed_points) > 1 else ''} "
            f"{_quote_list(missed_points[:2])}."
        )
    if not tips:
        tips.append(_praise(r))
    return tips[:MAX_TIPS]


_PRAISE_STRUCTURE = {
    "situational": "a clear approach from finding out to following through",
    "motivation": "specifics about the company tied to your own experience",
    "tell_me_about_yourself": "where you are, how you got here and where you're going",
    "weakness": "a real weakness, what you do about it and the progress",
    "strength": "a clear strength with evidence",
    "technical": "clear steps with specifics",
    "closing": "real questions for the interviewer",
}


def _praise(r: dict[str, Any]) -> str:
    good = []
    parts = r["structure"]["parts"]
    if r["star"] and all(r["star"][p]["present"] for p in PARTS):
        good.append("a clear situation, what you did and the result")
    elif parts and all(p["present"] for p in parts.values()):
        good.append(_PRAISE_STRUCTURE.get(r["structure"]["kind"], "a clear structure"))
    if r["numbers"]:
        good.append("numbers that make it concrete")
    if r["fillers"]["count"] == 0:
        good.append("no fillers")
    if r["job_terms"]["used"]:
        good.append("the posting's own words")
    if not good:
        return "Nothing to fix here: clear and to the point. Keep it up."
    return (
        "Strong answer: "
        + ", ".join(good[:-1])
        + (" and " if len(good) > 1 else "")
        + good[-1]
        + ". Keep it up."
    )
