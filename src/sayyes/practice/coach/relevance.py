"""Does the answer address the question? A score from 0 to 1 and an on/off-topic verdict.

Two signals, averaged:

* **what it is about** — the share of the question's content words (and of its talking
  points') that the answer takes up, by stem, by a shared stem of five letters or more, or
  through the paraphrase lexicon of :mod:`.jobterms`; the question's framing words ("tell me
  about a time", "describe", "why do you want") are left out. Scaled so that a third of the
  words is full marks: answers rarely repeat more of a question than that;
* **what kind of answer it is** — the shape the question type asks for, from the parts the
  coach found: a behavioural question gets things the speaker did (or would do: that is a
  different problem, with its own tip); a situational one, what they would do; a motivation
  question, something about the company or role, or the speaker's experience; "tell me about
  yourself", the speaker now or before; a strengths or weaknesses question, any of its parts;
  a closing question, a question back. Talk about work at all (a job, a team, customers, a
  project) counts half. A question with no content words of its own ("Tell me about
  yourself") is judged on the shape alone, work talk counting a quarter.

The answer is **off topic** when the score is under :data:`OFF_TOPIC_BELOW`, a threshold
calibrated on the corpus's train split. An off-topic answer gets a tip saying so and its score
is capped at 50 (see :mod:`sayyes.practice.scoring`).

Limits: the small English pipeline has no word vectors, so "meaning" is word overlap plus a
small lexicon; an answer on the right subject that shares no word with the question and has
none of the shapes above can be called off topic, and an answer in the right shape about the
wrong thing can pass.
"""

from __future__ import annotations

import re

from .jobterms import _found
from .text import STOPWORDS, stem, tokenize

__all__ = ["OFF_TOPIC_BELOW", "relevance"]

OFF_TOPIC_BELOW = 0.4

_FRAMING = {
    stem(w)
    for w in """
    tell talk walk describe give example time times situation occasion share explain
    would could should did do does have has ever recent recently moment instance case
    question questions want wanted like please briefly little bit us me yourself
    handle handled deal dealt approach respond happened happen made make one
    """.split()
}
_WORK = re.compile(
    r"\b(?:job|role|work|worked|working|team|teams|manager|company|customers?|clients?|"
    r"patients?|project|projects|shift|shifts|office|store|ward|site|colleagues?|staff|"
    r"business|career|experience|department|boss|employer|students?|pupils?|users?|"
    r"service|sales|targets?|deadline)\b",
    re.I,
)


def _content(text: str) -> set[str]:
    return {
        stem(t.low)
        for t in tokenize(text)
        if t.kind == "w" and t.low not in STOPWORDS and len(t.low) > 2
    } - _FRAMING


def relevance(
    question: str, answer: str, shape: bool, talking_points: list[str] | None = None
) -> dict[str, float | bool | None]:
    """{"score": 0–1 or None, "on_topic": bool} for an answer; see the module docstring.

    ``shape`` says whether the answer has the shape its question type asks for (worked out
    by the caller from the STAR or structure parts it found).
    """
    wanted = _content(question)
    for point in talking_points or []:
        wanted |= _content(point)
    said = _content(answer)
    if not said:
        return {"score": None, "on_topic": True}
    work = bool(_WORK.search(answer))
    if not wanted:  # "Tell me about yourself": only the shape can tell
        score = 1.0 if shape else (0.25 if work else 0.0)
    else:
        share = sum(1 for w in wanted if _found(w, said)) / len(wanted)
        about = min(1.0, share * 3)
        score = ((1.0 if shape else 0.5 if work else 0.0) + about) / 2
    return {"score": round(score, 2), "on_topic": score >= OFF_TOPIC_BELOW}
