"""When the interviewer digs: the follow-up rules of a mock interview, as plain Python.

No Django here, so the rules can be tested (and timed) alone. The coach's feedback on what
you have said so far to a question (your answer and any follow-up answers, together) goes
through one adapter, :func:`facts_from_feedback`, which reads only fields the coach has long
given (``star``, ``hypothetical``, ``i_we_ratio``, ``numbers``, ``word_count``,
``duration_seconds``, ``most_used_words``); the rules read only :class:`Facts`.

The rules, in the order they are tried (the first one not asked yet wins):

* ``real_example``: a behavioural question answered with "I would …" → ask for a real time.
* ``action``: a story with no action of yours → ask what you did.
* ``result``: a story with no result → ask for the outcome.
* ``own_part``: "we" and never "I" → ask what your own part was.
* ``numbers``: a story with no number anywhere → ask for the scale.
* ``more``: far too short → "Tell me more about <a noun phrase you said>".

At most :data:`MAX_FOLLOW_UPS` per question, never the same rule twice, and none once no
rule fires (the answer is complete).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

__all__ = [
    "FAR_TOO_SHORT_SECONDS",
    "FAR_TOO_SHORT_WORDS",
    "MAX_FOLLOW_UPS",
    "RULES",
    "Facts",
    "FollowUp",
    "facts_from_feedback",
    "next_follow_up",
    "noun_phrase",
]

MAX_FOLLOW_UPS = 2
FAR_TOO_SHORT_WORDS = 45  # the coach calls under 110 words short; under 45 is far too short
FAR_TOO_SHORT_SECONDS = 20.0
RULES = ("real_example", "action", "result", "own_part", "numbers", "more")


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about an answer so far."""

    text: str
    behavioural: bool  # the question asks for a story ("Tell me about a time …")
    hypothetical: bool = False
    situation: bool = False
    action: bool = False
    result: bool = False
    we_without_i: bool = False
    numbers: int = 0
    word_count: int = 0
    duration_seconds: float | None = None
    top_words: tuple[str, ...] = ()

    @property
    def story(self) -> bool:
        return self.behavioural or (self.situation and self.action)

    @property
    def far_too_short(self) -> bool:
        if self.duration_seconds:
            return self.duration_seconds < FAR_TOO_SHORT_SECONDS
        return self.word_count < FAR_TOO_SHORT_WORDS


@dataclass(frozen=True)
class FollowUp:
    rule: str
    text: str


def facts_from_feedback(text: str, feedback: dict[str, Any], *, behavioural: bool) -> Facts:
    """The adapter: the coach's feedback dict (see :mod:`sayyes.practice.coach`) as Facts."""
    star = feedback.get("star") or {}

    def present(part: str) -> bool:
        return bool((star.get(part) or {}).get("present"))

    top = tuple(str(w) for w, _n in (feedback.get("most_used_words") or [])[:5])
    return Facts(
        text=text,
        behavioural=behavioural,
        hypothetical=bool(feedback.get("hypothetical")),
        situation=present("situation"),
        action=present("action"),
        result=present("result"),
        # i_we_ratio is I / (I + we): 0 means "we" was said and "I" never was.
        we_without_i=feedback.get("i_we_ratio") == 0,
        numbers=int(feedback.get("numbers") or 0),
        word_count=int(feedback.get("word_count") or 0),
        duration_seconds=feedback.get("duration_seconds"),
        top_words=top,
    )


def _fires(rule: str, f: Facts) -> bool:
    if rule == "real_example":
        return f.behavioural and f.hypothetical
    if f.hypothetical:  # nothing else is worth asking until there is a real example
        return False
    if rule == "action":
        # Steps told only as "we" are asked about as your own part, the sharper question.
        return f.story and not f.action and not f.we_without_i
    if rule == "result":
        return f.story and not f.result
    if rule == "own_part":
        return f.we_without_i
    if rule == "numbers":
        return f.story and f.numbers == 0
    if rule == "more":
        return f.far_too_short
    raise ValueError(f"no follow-up rule {rule!r}")


# How each persona asks (the hiring manager's wording is the default); "{phrase}" is a noun
# phrase you said.
_WORDING: dict[str, dict[str, str]] = {
    "real_example": {
        "hiring_manager": "That is what you would do. Has it actually happened to you? Tell me "
        "about a real time: what was going on, and what did you do?",
        "peer": "That sounds like a plan for next time. Has it happened to you for real? What "
        "did you actually do?",
        "hr": "That's helpful, but I'm after a real example. Can you think of a time it "
        "actually happened, and what you did?",
    },
    "action": {
        "hiring_manager": "What did you do yourself, step by step?",
        "peer": "Walk me through what you actually did: the steps, in order.",
        "hr": "And what did you do about it, yourself?",
    },
    "result": {
        "hiring_manager": "And what was the outcome? What changed because of what you did?",
        "peer": "How did it turn out in the end?",
        "hr": "How did it end? What was different afterwards?",
    },
    "own_part": {
        "hiring_manager": "You said \u201cwe\u201d throughout. What was your own part in that?",
        "peer": "Which part of that was yours?",
        "hr": "You talked about the team. What was your personal contribution?",
    },
    "numbers": {
        "hiring_manager": "Can you give me a sense of the scale? How many people, how much time "
        "or money, or by how much did things change?",
        "peer": "Any numbers on that? How big was it, and how much did it change?",
        "hr": "How big was it: how many people were involved, or how much time or money?",
    },
    "more": {
        "hiring_manager": "Tell me more about {phrase}.",
        "peer": "Can you say more about {phrase}?",
        "hr": "I'd like to hear more about {phrase}.",
    },
}


def _text(rule: str, f: Facts, persona: str) -> str:
    wording = _WORDING[rule]
    text = wording.get(persona, wording["hiring_manager"])
    if rule != "more":
        return text
    phrase = noun_phrase(f.text, f.top_words)
    if phrase:
        return text.format(phrase=phrase)
    return "Tell me more: what happened, and what did you do?"


def next_follow_up(
    facts: Facts, asked: Collection[str], persona: str = "hiring_manager"
) -> FollowUp | None:
    """The follow-up due after an answer, given the rules already asked for this question,
    in the words of ``persona`` (hiring_manager, peer or hr)."""
    if len(asked) >= MAX_FOLLOW_UPS:
        return None
    for rule in RULES:
        if rule not in asked and _fires(rule, facts):
            return FollowUp(rule, _text(rule, facts, persona))
    return None


# --- "Tell me more about …": a noun phrase from what you said ---------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|[^\sA-Za-z]")
_OPENERS = {"the", "a", "an", "my", "our", "this", "that", "their", "his", "her", "its"}
_YOURS = {"my": "your", "our": "your", "i": "you", "we": "you"}
_STOP = {
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "but", "by", "can", "could", "did", "do",
    "does", "doing", "done", "for", "from", "get", "got", "had", "has", "have", "he", "her",
    "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "like",
    "me", "more", "most", "my", "no", "not", "of", "on", "one", "or", "other", "our", "out",
    "over", "really", "she", "so", "some", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "thing", "things", "this", "those", "time", "to", "too", "up",
    "very", "was", "way", "we", "well", "were", "what", "when", "where", "which", "while",
    "who", "why", "will", "with", "would", "you", "your", "lot", "bit", "kind", "sort",
    "um", "uh", "er", "basically", "actually", "stuff", "something", "everything", "week",
    "day", "year", "month", "same", "first", "last", "next", "end", "rest", "moment",
    "beginning", "whole", "right", "best", "only", "point", "case", "fact", "reason",
}  # fmt: skip
_VERBISH = re.compile(r"(?:ed|ly)$")


def noun_phrase(text: str, prefer: Collection[str] = ()) -> str | None:
    """A noun phrase from ``text`` to ask about, in the interviewer's words ("your team").

    A determiner or possessive ("the", "my", "our" …) then one or two content words: the
    phrase with a word in ``prefer`` (the words you used most) wins, then the longest, then
    the first. ``None`` when there is none.
    """
    tokens = _WORD.findall(text or "")
    best: tuple[int, int, int, str] | None = None
    preferred = {w.lower() for w in prefer}
    for i, token in enumerate(tokens):
        low = token.lower()
        if low not in _OPENERS:
            continue
        words: list[str] = []
        for nxt in tokens[i + 1 : i + 3]:
            nlow = nxt.lower()
            if not nxt[0].isalpha() or nlow in _STOP or _VERBISH.search(nlow) or len(nlow) < 3:
                break
            words.append(nxt)
        if not words:
            continue
        opener = _YOURS.get(low, "the" if low in {"a", "an", "this", "that"} else low)
        phrase = " ".join([opener, *words])
        hit = any(w.lower() in preferred for w in words)
        key = (int(hit), len(words), -i, phrase)
        if best is None or key[:3] > best[:3]:
            best = key
    return best[3] if best else None
