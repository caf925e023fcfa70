"""What a good answer holds, by question type (the STAR parts are in :mod:`.star`).

Each type has its own parts; a part is *present* when a sentence of the answer shows it, and
that sentence is quoted back as evidence:

* **situational** — an approach: *clarify* (find out, ask, check, listen first), *options*
  (alternatives, trade-offs, what you could offer), *decision* (what you would actually do:
  "I'd stop the order", "I would escalate"), *follow-through* (follow up, document, check back,
  stop it happening again);
* **motivation** — *company and role* (something specific about this employer or job: "your
  ward takes …", "you use Splunk", "this role") and *your experience* (what you have done that
  ties to it: "I've spent two years …");
* **tell me about yourself** — *present* (what you do now), *past* (how you got here) and
  *future* (what you want next);
* **strengths and weaknesses** — for a weakness: a *real weakness* (a cliché such as "I'm a
  perfectionist" or "I don't have any" does not count), the *steps* you take, and *evidence of
  progress*; for a strength: the *strength* named and *evidence* (an example or a number);
* **technical** — *steps* (how you do it, in order) and *specifics* (named checks, tools,
  numbers or a real example);
* **closing** — *questions*: at least one real question for the interviewer.

Parts are found with cue patterns on the cleaned text of each sentence (fillers removed).
Limits: cues are English phrases; an unusual way of saying a part can be missed, which is why
every part found shows the sentence it is based on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LABELS", "PARTS_BY_TYPE", "StructurePart", "analyse_structure", "kind_for", "part_dict"]

_I = r"(?:i|i'd|i'll|i'm|i've|we|we'd|we'll)"

_PATTERNS: dict[str, dict[str, re.Pattern[str]]] = {
    "situational": {
        "clarify": re.compile(
            r"\b(?:ask|asking|find out|check|checking|listen|understand|clarify|gather|"
            r"look (?:at|into|through)|talk to|speak to|go through|get the facts|establish|"
            r"assess|investigate|recount|confirm|read|meet)\b"
        ),
        "options": re.compile(
            r"\b(?:options?|alternatives?|either|instead|rather than|trade-?offs?|choices?|"
            r"pros and cons|weigh|compare|suggest|propose|offer|could|or (?:a|an|the|we|i)|"
            r"depending on|if (?:it|they|there|the|that|not|so))\b"
        ),
        "decision": re.compile(
            rf"\b{_I}\s+(?:would\s+|will\s+|'d\s+)?(?:then\s+|first\s+|also\s+|still\s+)?"
            r"(?:decide|choose|go with|pick|prioriti[sz]e|tell|stop|escalate|raise|refuse|"
            r"isolate|call|move|send|report|take|put|declare|roll back|remake|hold|pass|say|"
            r"explain|step in|separate|apologise|apologize|walk away|get|give|bring|make|"
            r"start|keep|book|cover|set|offer|recover|repair|close)\b"
            r"|\b(?:would|wouldn't|won't|can't|never)\s+(?:change|skip|speed|adjust|argue|force|"
            r"hide|promise|leave)\b|\bcomes? first\b|\bmy priority\b"
        ),
        "follow_through": re.compile(
            r"\b(?:follow(?:ed|ing)? up|afterwards|after that|after service|make sure|"
            r"document|log|logs|record|write (?:it )?up|keep (?:them|everyone|the \w+) "
            r"(?:updated|informed)|check (?:back|in|on)|review|next time|again|"
            r"so (?:it|this|that) (?:doesn't|does not|won't)|lessons?|monitor|update|updates|"
            r"flag|flagged|rechecking|on the job sheet|incident (?:form|system|report))\b"
        ),
    },
    "motivation": {
        "company_and_role": re.compile(
            r"\b(?:your|yours|you(?:'re| are)|you (?:use|run|have|offer|do|send|still|take|"
            r"work|make|are)|this (?:role|job|position|company|team|ward|school|firm|charity|"
            r"paper|newspaper|department|organisation|organization|practice|site|store)|"
            r"the (?:role|job|position)|here|you've)\b"
        ),
        "your_experience": re.compile(
            r"\b(?:i've (?:been|worked|spent|done|led|run|managed|used|studied|volunteered|"
            r"held|sold|built|taught|covered)|i had|i was|i did|i worked|i spent|i started|i studied|"
            r"i volunteered|i trained|i covered|i learned|i led|i built|i ran|i sold|"
            r"i've been|my (?:last|current|previous|first) (?:\w+ )?(?:job|role|placement|"
            r"company|team|employer|position)|for (?:\w+ )?years|years (?:of|as|in|at))\b"
        ),
    },
    "tell_me_about_yourself": {
        "present": re.compile(
            r"\b(?:i'm (?:a|an|the|now|currently)|i am (?:a|an|the|now|currently)|currently|"
            r"right now|now i|at the moment|these days|i work (?:as|at|in|for)|i lead|i run|"
            r"i manage|for the (?:last|past) \w+ (?:years|months)|i've been)\b"
        ),
        "past": re.compile(
            r"\b(?:before (?:that|this|nursing|\w+ing)|i started|i began|previously|"
            r"i (?:studied|trained|qualified|worked|joined|moved|did|was|came|grew|got)|"
            r"after (?:university|school|college|my degree)|my first|first i)\b"
        ),
        "future": re.compile(
            r"\b(?:i want|i'd like|i would like|i'm looking|i am looking|looking (?:for|to)|"
            r"next,? i|next step|what i want|eventually|in the future|my goal|i hope|"
            r"i'm ready|i am ready|i plan|aim to|would let me)\b"
        ),
    },
    "weakness": {
        "weakness": re.compile(
            r"\b(?:i (?:tend to|used to|find it hard|struggle|can be|am not|was slow|"
            r"was too|don't always|get|talk|take on|avoid|rush|say yes|fall|go too)|"
            r"i'm (?:not|too|slow)|my (?:weakness|weak point)|hard (?:for me|to say no)|"
            r"too (?:much|fast|slow|easily|quickly|deep|long))\b|^\w+\.$"
        ),
        "steps": re.compile(
            r"\b(?:now i|i now|i've started|i have started|i started|i use|i ask|i set|"
            r"i write|i take|i did (?:a|an) \w+|i'm (?:learning|working on|taking)|so now|"
            r"to fix (?:this|that|it)|i always|i bring|i send|i trust|i plan|i check)\b"
        ),
        "progress": re.compile(
            r"\b(?:since then|(?:said|told me|noticed) (?:in|that|the|my)|in my last "
            r"(?:\w+ )?(?:review|appraisal|reviews)|went (?:down|up)|no longer|(?:much|a lot) "
            r"(?:better|more|less)|improved|better|on time most|now the ones|now i (?:build|"
            r"leave|lead)|did not go down|didn't go down|down a lot|haven't)\b"
        ),
    },
    "strength": {
        "strength": re.compile(
            r"\b(?:i'm (?:good|great|very good|strong|calm|known)|i am (?:good|very|known|"
            r"strong)|my (?:main |biggest |greatest )?strength|they would say|"
            r"they'd say|staying calm|i'm the one)\b|^[\w\s,'-]{2,60}\.",
        ),
        "evidence": re.compile(
            r"\b(?:\d+|last (?:year|review|month)|in (?:two|three|my last|\d+) \w+|"
            r"for exactly|used to put me|ask to work with me|double|every|since|was|were|"
            r"did|got|won|came back)\b"
        ),
    },
    "technical": {
        "steps": re.compile(
            r"\b(?:first|then|after that|next|finally|i start|i begin|before|once|"
            r"afterwards|step)\b"
        ),
        "specifics": re.compile(
            r"\d|\b[A-Z]{2,}\b|\b(?:for example|for instance|such as|like the|last (?:year|"
            r"week|month)|in my last)\b"
        ),
    },
    "closing": {
        "questions": re.compile(
            r"\?|^\s*(?:what|how|who|which|when|where|why|is there|are there|could you|"
            r"can you|do you|does the|will i|would i)\b",
            re.I,
        ),
    },
}

PARTS_BY_TYPE = {name: tuple(parts) for name, parts in _PATTERNS.items()}
LABELS = {
    "clarify": "Clarify",
    "options": "Options",
    "decision": "Decision",
    "follow_through": "Follow-through",
    "company_and_role": "This company and role",
    "your_experience": "Your experience",
    "present": "Present",
    "past": "Past",
    "future": "Future",
    "weakness": "A real weakness",
    "steps": "Steps",
    "progress": "Progress",
    "strength": "The strength",
    "evidence": "Evidence",
    "specifics": "Specifics",
    "questions": "Questions",
    "situation": "Situation",
    "task": "Task",
    "action": "Action",
    "result": "Result",
}

_CLICHES = re.compile(
    r"\b(?:perfectionist|care too much|work too hard|too hard-?working|"
    r"(?:don't|do not) have (?:any|a) (?:real )?weakness|no (?:real )?weaknesses)\b"
)
_WEAKNESS_Q = re.compile(
    r"\bweak|\bimprove|\bdevelop|\bfrustrat|\bnot a ten\b|\bwork on\b|\bregret", re.I
)


@dataclass(slots=True)
class StructurePart:
    present: bool = False
    evidence: str | None = None


def kind_for(question_type: str, question: str) -> str | None:
    """Which set of parts applies (``None`` for behavioural: that is STAR)."""
    if question_type == "strengths_weaknesses":
        return "weakness" if _WEAKNESS_Q.search(question or "") else "strength"
    if question_type in _PATTERNS:
        return question_type
    return None


def analyse_structure(
    kind: str, sentences: list[tuple[str, str]]
) -> dict[str, dict[str, bool | str | None]]:
    """Parts of ``kind`` found in ``sentences`` ([(original text, cleaned lower text)])."""
    parts = {name: StructurePart() for name in _PATTERNS[kind]}
    whole = " ".join(clean for _, clean in sentences)
    cliche = kind == "weakness" and bool(_CLICHES.search(whole))
    for original, clean in sentences:
        for name, pattern in _PATTERNS[kind].items():
            if parts[name].present:
                continue
            text = original if kind == "closing" or name in {"specifics", "strength"} else clean
            if pattern.search(text):
                if cliche and name == "weakness":
                    continue
                parts[name] = StructurePart(True, original.strip())
    if cliche:
        parts["weakness"] = StructurePart()
    return {name: part_dict(name, p.present, p.evidence) for name, p in parts.items()}


def part_dict(name: str, present: bool, evidence: str | None) -> dict[str, bool | str | None]:
    """One part as the feedback shows it, with a label for people ("Follow-through")."""
    return {"label": LABELS.get(name, name), "present": present, "evidence": evidence}
