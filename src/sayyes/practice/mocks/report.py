"""The report at the end of a mock interview: each question with your answers and the
follow-ups, delivery across the session, strengths and 1–3 things to work on (quoting you),
and how it compares with your previous mock of the same kind."""

from __future__ import annotations

import re
from typing import Any

from ..models import Mock, MockStatus, MockTurn, TurnKind
from .followups import facts_from_feedback
from .personas import PERSONAS
from .services import asks_for_a_story

_NUMBER_WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six"}
_WOULD = re.compile(r"\bI(?:'d| would)\b[^.!?\n]{0,60}", re.IGNORECASE)


def _count(n: int) -> str:
    return _NUMBER_WORDS.get(n, str(n))


def _some_of(n: int, total: int, one: str, many: str) -> str:
    """ "Your story", "Both of your stories", "All 3 of your answers", "Two of your 3 stories"."""
    if total == 1:
        return f"Your {one}"
    if n == total:
        return f"Both of your {many}" if n == 2 else f"All {n} of your {many}"
    return f"{_count(n)} of your {total} {many}"


def _quote(text: str, words: int = 14, *, end: bool = False) -> str:
    parts = text.split()
    if len(parts) <= words:
        said = " ".join(parts)
    elif end:
        said = "\u2026 " + " ".join(parts[-words:])
    else:
        said = " ".join(parts[:words]) + " \u2026"
    return f"\u201c{said}\u201d"


def _short(question: str) -> str:
    return _quote(question, 10)


def _groups(mock: Mock) -> list[list[MockTurn]]:
    groups: list[list[MockTurn]] = []
    for turn in mock.turns.select_related("answer", "question").order_by("position"):
        if turn.kind == TurnKind.QUESTION:
            groups.append([turn])
        elif turn.kind == TurnKind.FOLLOW_UP and groups:
            groups[-1].append(turn)
    return groups


def _question_entry(group: list[MockTurn]) -> dict[str, Any]:
    first = group[0]
    answer = first.answer
    feedback = answer.feedback if answer is not None else {}
    persona = PERSONAS[first.persona]
    return {
        "question": first.question.text if first.question else first.text,
        "question_id": first.question_id,
        "category": first.question.category if first.question else "",
        "persona": persona.as_dict(),
        "answer": first.reply,
        "answer_id": first.answer_id,
        "follow_ups": [
            {"text": t.text, "answer": t.reply, "rule": t.rule}
            for t in group[1:]
            if t.kind == TurnKind.FOLLOW_UP
        ],
        "score": answer.score if answer is not None and first.answered_at else None,
        "feedback": {
            "tips": list(feedback.get("tips") or []),
            "star": {
                part: bool((feedback.get("star") or {}).get(part, {}).get("present"))
                for part in ("situation", "task", "action", "result")
            },
            "word_count": feedback.get("word_count") or 0,
            "numbers": feedback.get("numbers") or 0,
        },
        "_facts": facts_from_feedback(
            answer.text if answer is not None else first.reply,
            feedback,
            behavioural=bool(first.question and asks_for_a_story(first.question)),
        )
        if answer is not None and first.answered_at
        else None,
        "_feedback": feedback,
    }


def delivery(mock: Mock) -> dict[str, Any]:
    """Pace (spoken answers) and fillers, across every answer of the session."""
    turns = [t for t in mock.turns.all() if t.answered_at and t.feedback]
    words = sum(t.feedback.get("word_count") or 0 for t in turns)
    fillers: dict[str, int] = {}
    for t in turns:
        for word, n in ((t.feedback.get("fillers") or {}).get("items") or {}).items():
            fillers[word] = fillers.get(word, 0) + n
    filler_count = sum(fillers.values())
    spoken = [t for t in turns if t.feedback.get("speech") and t.feedback.get("words_per_minute")]
    spoken_words = sum(t.feedback.get("word_count") or 0 for t in spoken)
    spoken_minutes = sum(
        (t.feedback.get("word_count") or 0) / t.feedback["words_per_minute"] for t in spoken
    )
    wpm = round(spoken_words / spoken_minutes) if spoken_minutes else None
    pace = None
    if wpm is not None:
        pace = "slow" if wpm < 130 else "fast" if wpm > 170 else "ok"
    return {
        "answers": len(turns),
        "spoken_answers": len(spoken),
        "words": words,
        "words_per_minute": wpm,
        "pace": pace,
        "fillers": {
            "count": filler_count,
            "per_100_words": round(filler_count * 100.0 / words, 1) if words else 0.0,
            "items": dict(sorted(fillers.items(), key=lambda kv: -kv[1])),
        },
    }


def _work_on(entries: list[dict], talk: dict[str, Any]) -> list[str]:
    answered = [e for e in entries if e["_facts"] is not None]
    stories = [e for e in answered if e["_facts"].story]
    found: list[tuple[int, str]] = []

    no_result = [e for e in stories if not e["_facts"].result and not e["_facts"].hypothetical]
    if no_result:
        e = no_result[0]
        found.append(
            (
                len(no_result) * 3,
                f"{_some_of(len(no_result), len(stories), 'story', 'stories')} ended without "
                "a result: add what "
                f"changed and by how much. Your answer to {_short(e['question'])} ended "
                f"{_quote(e['_facts'].text, end=True)}.",
            )
        )
    hypothetical = [e for e in answered if e["_facts"].hypothetical]
    if hypothetical:
        e = hypothetical[0]
        said = _WOULD.search(e["_facts"].text)
        quoted = f" (\u201c{said.group(0).strip()}\u201d)" if said else ""
        found.append(
            (
                len(hypothetical) * 3 + 1,
                f"Tell what happened, not what you would do: you answered "
                f"{_short(e['question'])} with a plan{quoted}. Pick a real time and tell it "
                "in the past tense.",
            )
        )
    no_action = [e for e in stories if not e["_facts"].action and not e["_facts"].hypothetical]
    if no_action:
        e = no_action[0]
        found.append(
            (
                len(no_action) * 3,
                f"Say what you did, step by step, with \u201cI\u201d: in {_short(e['question'])} "
                f"the interviewer heard the background ({_quote(e['_facts'].text)}) but not "
                "your actions.",
            )
        )
    we_only = [e for e in answered if e["_facts"].we_without_i]
    if we_only:
        e = we_only[0]
        found.append(
            (
                len(we_only) * 2,
                f"Say what you did yourself: {_count(len(we_only)).lower()} answer"
                f"{'s' if len(we_only) > 1 else ''} said \u201cwe\u201d and never "
                f"\u201cI\u201d, for example {_quote(e['_facts'].text)}.",
            )
        )
    no_numbers = [e for e in stories if e["_facts"].numbers == 0]
    if no_numbers:
        e = no_numbers[0]
        ending = ((e["_feedback"].get("star") or {}).get("result") or {}).get("evidence")
        quoted = _quote(ending) if ending else _quote(e["_facts"].text, end=True)
        found.append(
            (
                len(no_numbers) * 2,
                f"{_some_of(len(no_numbers), len(stories), 'story', 'stories')} had no number "
                f"in {'it' if len(stories) == 1 else 'them'}, such as {quoted}: say how many "
                "people, how much time or money, or by how much things changed.",
            )
        )
    short = [e for e in answered if e["_facts"].far_too_short]
    if short:
        e = short[0]
        found.append(
            (
                len(short) * 2,
                f"Give yourself more room: {_count(len(short)).lower()} answer"
                f"{'s were' if len(short) > 1 else ' was'} far too short, like "
                f"{_quote(e['_facts'].text.rstrip('.!'))}. Aim for one to two minutes.",
            )
        )
    fillers = talk["fillers"]
    if fillers["count"] >= 3 and fillers["per_100_words"] > 2.5:
        top = ", ".join(f"\u201c{w}\u201d \u00d7{n}" for w, n in list(fillers["items"].items())[:3])
        found.append(
            (
                fillers["count"] // 2,
                f"Fewer fillers: {top} across the session ({fillers['per_100_words']:g} per 100 "
                "words). Pause silently instead.",
            )
        )
    if talk["pace"] in ("fast", "slow"):
        found.append(
            (
                2,
                f"Your pace was {talk['words_per_minute']} words a minute, "
                f"{'fast' if talk['pace'] == 'fast' else 'slow'}: 130\u2013170 is easy to follow.",
            )
        )
    found.sort(key=lambda item: -item[0])
    items = [text for _weight, text in found[:3]]
    if not items and answered:
        weakest = min(answered, key=lambda e: e["score"] or 0)
        tips = weakest["_feedback"].get("tips") or []
        if tips:
            tip = tips[0][0].lower() + tips[0][1:] if tips[0][1:2].islower() else tips[0]
            items.append(f"In your answer to {_short(weakest['question'])}: {tip}")
    return items


def _strengths(entries: list[dict], talk: dict[str, Any]) -> list[str]:
    answered = [e for e in entries if e["_facts"] is not None]
    found: list[str] = []
    complete = [
        e
        for e in answered
        if e["_facts"].story and e["_facts"].action and e["_facts"].result and e["_facts"].numbers
    ]
    if complete:
        e = complete[0]
        evidence = ((e["_feedback"].get("star") or {}).get("result") or {}).get("evidence")
        said = f", ending with \u201c{evidence.rstrip('.!')}\u201d" if evidence else ""
        found.append(
            f"A complete story in your answer to {_short(e['question'])}: what you did, and "
            f"the result with a number{said}."
        )
    no_follow_up = [e for e in answered if not e["follow_ups"]]
    if answered and len(no_follow_up) * 2 >= len(answered) and no_follow_up:
        found.append(
            f"{_some_of(len(no_follow_up), len(answered), 'answer', 'answers')} needed no "
            f"follow-up: {'it' if len(answered) == 1 else 'they'} said what the interviewer "
            "needed the first time."
        )
    if talk["answers"] and talk["fillers"]["count"] == 0:
        found.append("No fillers at all across the session.")
    if talk["pace"] == "ok":
        found.append(f"An easy pace to follow: {talk['words_per_minute']} words a minute.")
    if not found and answered:
        best = max(answered, key=lambda e: e["score"] or 0)
        found.append(
            f"Your strongest answer was to {_short(best['question'])} (score {best['score']})."
        )
    return found[:3]


def previous_mock(mock: Mock) -> Mock | None:
    """Your last finished mock of the same kind before this one."""
    return (
        Mock.objects.owned_by(mock.owner)
        .filter(kind=mock.kind, status=MockStatus.FINISHED, created_at__lt=mock.created_at)
        .exclude(pk=mock.pk)
        .order_by("-created_at", "-id")
        .first()
    )


def _summary(mock: Mock) -> dict[str, Any]:
    entries = [_question_entry(g) for g in _groups(mock)]
    scores = [e["score"] for e in entries if e["score"] is not None]
    follow_ups = sum(len(e["follow_ups"]) for e in entries)
    return {
        "entries": entries,
        "score": round(sum(scores) / len(scores)) if scores else None,
        "follow_ups": follow_ups,
        "questions": len(entries),
    }


def report(mock: Mock) -> dict[str, Any]:
    summary = _summary(mock)
    entries = summary["entries"]
    talk = delivery(mock)
    closing = mock.turns.filter(kind=TurnKind.CLOSING).first()
    comparison = None
    before = previous_mock(mock)
    if before is not None:
        old = _summary(before)
        comparison = {
            "id": before.pk,
            "created_at": before.created_at,
            "score": old["score"],
            "score_change": (
                summary["score"] - old["score"]
                if summary["score"] is not None and old["score"] is not None
                else None
            ),
            "follow_ups_per_question": round(old["follow_ups"] / old["questions"], 1)
            if old["questions"]
            else None,
            "words_per_minute": delivery(before)["words_per_minute"],
            "fillers_per_100_words": delivery(before)["fillers"]["per_100_words"],
        }
    return {
        "id": mock.pk,
        "kind": mock.kind,
        "status": mock.status,
        "created_at": mock.created_at,
        "questions": [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries],
        "overall": {
            "score": summary["score"],
            "follow_ups_per_question": round(summary["follow_ups"] / summary["questions"], 1)
            if summary["questions"]
            else None,
            "strengths": _strengths(entries, talk),
            "work_on": _work_on(entries, talk),
        },
        "delivery": talk,
        "your_questions": closing.reply if closing is not None else "",
        "comparison": comparison,
    }
