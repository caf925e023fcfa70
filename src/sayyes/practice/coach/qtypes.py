"""Question types, read from the question's wording.

Seven types, each with its own feedback (see :mod:`.structure`):

* ``behavioural`` — asks for a real past example ("Tell me about a time …", "Give an example
  of …", "Have you ever …", "Describe a project where …"): read for STAR;
* ``situational`` — a hypothetical scenario ("What would you do if …", "A client asks …
  What do you do?", "How would you handle …"): answering with "I would" is right, and the
  answer is read for an approach (clarify, options, decision, follow-through);
* ``motivation`` — why this company, role or move ("Why do you want …", "What attracts you
  …", "Why are you leaving …"), and values and preferences;
* ``strengths_weaknesses`` — "What is your greatest weakness?", "What would colleagues say
  is your main strength?";
* ``tell_me_about_yourself`` — "Tell me about yourself", "Walk me through your CV";
* ``technical`` — how you do the work ("How do you make sure …", "Walk me through your
  pre-trip inspection", "Explain …"); also the default for wording that fits nothing else;
* ``closing`` — the questions at the end of an interview ("Do you have any questions for
  us?") and the ones a candidate asks the interviewer.

Built-in questions carry their type in the question bank; everything else (the user's own
questions, real ones from interviews, free text given to the API) goes through
:func:`classify`. Rules are tried in the order above the list of patterns; the first that
matches wins. Limits: English only; a question that mixes two types ("Tell me about a time
you failed, and what would you do differently?") gets the first one that matches.
"""

from __future__ import annotations

import re

__all__ = ["QUESTION_TYPES", "classify", "normalise_type"]

QUESTION_TYPES = (
    "behavioural",
    "situational",
    "motivation",
    "strengths_weaknesses",
    "tell_me_about_yourself",
    "technical",
    "closing",
)

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "closing",
        re.compile(
            r"\b(?:any|what|which)\s+(?:other\s+|more\s+|final\s+)?questions?\b"
            r"|\bquestions?\s+for\s+(?:me|us|the panel)\b"
            r"|\banything\s+(?:else\s+)?(?:you(?:'d| would)?\s+(?:like|want)\s+to\s+(?:ask|know|add)"
            r"|(?:to|we)\s+(?:should\s+)?(?:ask|add|know))"
            r"|\bwhat\s+(?:else\s+)?(?:would|do)\s+you\s+(?:like|want)\s+to\s+(?:ask|know)\b"
            r"|\banything\s+else\b[^?]{0,40}\b(?:ask|add)\b"
            # The hiring process's next steps, not a child's or a patient's.
            r"|\bwhat(?:'s|\s+are|\s+is|\s+will\s+be)\s+the\s+next\s+steps?\b"
            r"|\bnext\s+steps?\s+(?:in|of|for)\s+(?:the|this|your)\s+(?:process|hiring|"
            r"recruitment|interview)",
            re.I,
        ),
    ),
    (
        "tell_me_about_yourself",
        re.compile(
            r"\b(?:tell|talk)\s+(?:me|us)\s+(?:a\s+(?:little|bit)\s+(?:more\s+)?)?about\s+yourself"
            r"|\bintroduce\s+yourself|\bdescribe\s+yourself\b(?!\s+in\s+\w+\s+words)"
            r"|\b(?:walk|talk|take)\s+(?:me|us)\s+through\s+(?:your|the)\s+(?:cv|resume|résumé|"
            r"background|career|experience|journey)"
            r"|\b(?:your|about your)\s+(?:background|career\s+(?:so\s+far|story|path))\b"
            r"|\bcareer\s+so\s+far\b|\bwho\s+are\s+you\b"
            r"|\b(?:tell|talk)\s+(?:me|us)\s+about\s+your\s+(?:\w+\s+)?(?:experience|background)\b",
            re.I,
        ),
    ),
    (
        "strengths_weaknesses",
        re.compile(
            r"\bweakness|\bstrengths?\b|\bweak\s+(?:spot|point|area)s?\b"
            r"|\barea(?:s)?\s+(?:that\s+)?(?:you\s+)?(?:need|want|would like)\s+to\s+"
            r"(?:develop|improve|work on)"
            r"|\b(?:need|needs)\s+to\s+(?:improve|develop|work on)\b"
            r"|\bwhat\s+would\s+(?:your|my)\s+(?:\w+\s+)?(?:manager|boss|colleagues?|team|"
            r"peers?|friends|reports)\s+say\b"
            r"|\bhow\s+would\s+(?:your|my)\s+(?:\w+\s+)?(?:manager|boss|colleagues?|team|"
            r"peers?|friends)\s+describe\b"
            r"|\bdescribe\s+yourself\s+in\b|\bbetter\s+at\b|\bgood\s+at\b",
            re.I,
        ),
    ),
    (
        "behavioural",
        re.compile(
            r"\b(?:tell|talk)\s+(?:me|us)\s+about\s+(?:a|one)\s+(?:\w+\s+)?(?:time|occasion|moment)\b"
            r"|\b(?:describe|recall|share)\s+(?:a|one)\s+(?:\w+\s+)?(?:time|occasion|situation)\b"
            r"|\bgive\s+(?:me\s+|us\s+)?(?:an?|one)\s+example\b|\bhave\s+you\s+ever\b",
            re.I,
        ),
    ),
    (
        "motivation",
        re.compile(
            r"\bwhy\s+(?:do|would|did)\s+you\s+(?:want|like|choose|apply|pick|decide)"
            r"|\bwhy\s+(?:are|were)\s+you\s+(?:interested|applying|leaving|looking|moving|"
            r"drawn|keen)"
            r"|\bwhy\s+(?:us|here|this|our|these|that|now|customer|the\s+move|move|leave|"
            r"take\s+the\s+risk)\b"
            r"|\bwhy\s+should\s+we\b|\bwhy\s+.{0,40}\b(?:leav|join|switch|chang)\w*"
            r"|\bwhat\s+(?:attracts|attracted|interests|interested|excites|draws|drew|appeals|"
            r"motivates|motivated)\b"
            r"|\bwhat\s+makes\s+you\s+(?:a\s+)?(?:\w+\s+)?(?:fit|right|want)\b"
            r"|\bwhere\s+do\s+you\s+see\s+yourself\b|\bideal\s+(?:job|role|company|manager)\b"
            r"|\bwhat\s+do\s+you\s+know\s+about\s+(?:us|our|the company)\b"
            r"|\b(?:looking|hoping)\s+for\s+in\s+(?:your|a)\s+(?:next\s+)?(?:job|role)\b"
            r"|\bmotivat\w+|\bour\s+(?:mission|values|company|product|culture)\b"
            r"|\bwhat\s+(?:kind|sort|type)\s+of\s+(?:work|workplace|culture|team|manager)\b"
            r"|\bhow\s+do\s+you\s+(?:like|prefer)\b|\bdo\s+you\s+prefer\b"
            r"|\bwhat\s+values\b|\bsalary\b|\bearning\b|\bhow\s+do\s+you\s+define\s+success\b"
            # "Why Northwind?", "Why Acme Robotics?": a name alone, asked why.
            r"|^why\s+(?-i:[A-Z])[\w&'.-]*(?:\s+(?-i:[A-Z])[\w&'.-]*){0,3}\s*\??$",
            re.I,
        ),
    ),
    (
        "behavioural",
        re.compile(
            r"\b(?:tell|talk|walk)\s+(?:me|us)\s+(?:about|through)\s+(?:a|an|one|the|some|"
            r"your\s+(?:biggest|best|worst|most|proudest|hardest|last|favourite|busiest|toughest|"
            r"greatest|largest|longest|scariest|strangest))\b"
            r"|\b(?:tell|talk)\s+(?:me|us)\s+about\s+\w+ing\b"
            r"|\b(?:describe|recall|share|discuss)\s+(?:a|an|one|the\s+(?:most|biggest|hardest|"
            r"worst|best|last))\b|\bdescribe\s+\w+ing\b"
            r"|\bgive\s+(?:me\s+|us\s+)?(?:an?|one|some)\s+(?:\w+\s+)?(?:examples?|instance)"
            r"|\b(?:an?|one)\s+example\s+of\b|\bhave\s+you\s+(?:ever|had\s+to)\b"
            r"|\bwhen\s+(?:have|did)\s+you\b|\bwhat\s+did\s+you\s+do\b|\bhow\s+did\s+you\b"
            # "Tell me how you made sure …", "… how you handled it": a past verb asks what
            # happened, not how the work is done.
            r"|\bhow\s+you\s+(?:\w+[^e\W]ed|\w+ied|made|got|kept|dealt|took|won|brought|built|"
            r"ran|led|found|chose|went|did|told|gave|left|met|spent|dealt|fought|caught|taught|"
            r"thought|felt|held|sold|paid|put|set)\b"
            r"|\b(?:a|the)\s+(?:last\s+)?time\s+(?:when\s+)?you\b"
            r"|\bwhat(?:'s|\s+is|\s+was)\s+the\s+(?:\w+\s+)?(?:achievement|mistake|decision|"
            r"project|lesson|regret)\b"
            r"|\bwhich\s+of\s+your\s+past\s+roles\b|\bpick\s+one\s+project\b"
            r"|\bthink\s+of\s+a\b|\bwhat\s+happened\b",
            re.I,
        ),
    ),
    (
        "situational",
        re.compile(
            r"\bwhat\s+(?:would|will|should)\s+you\s+do\b"
            r"|\bhow\s+(?:would|will|should)\s+you\s+(?:handle|respond|deal|react|approach|"
            r"support|explain|manage|cope|proceed|help|tackle|decide|behave|get|go about|"
            r"stay|make the case|represent|work with|keep|raise|prioriti[sz]e|feel)"
            r"|\bwhat\s+(?:do|would)\s+you\s+(?:do|say|advise)\b"
            r"|\bhow\s+do\s+you\s+(?:respond|react|behave)\b"
            r"|\b(?:imagine|suppose|picture)\b|\bif\s+(?:you|a|an|the|your|we|one|two)\b"
            r"|\byou(?:'re|\s+are)\s+(?:asked|given|told|in|promoted|about|halfway)\b"
            r"|^(?:you|your|a|an|one|two|three|the|halfway|in\s+meetings|during|after|on|it's)\b"
            r"[^?]*[.,]\s+(?:what|how)\b",
            re.I,
        ),
    ),
)


def classify(question: str) -> str:
    """The type of a question from its wording (``technical`` when nothing matches)."""
    text = " ".join((question or "").split())
    if not text:
        return "technical"
    for name, pattern in _RULES:
        if pattern.search(text):
            return name
    return "technical"


_ALIASES = {
    "behavioral": "behavioural",
    "strengths": "strengths_weaknesses",
    "weaknesses": "strengths_weaknesses",
    "strength": "strengths_weaknesses",
    "weakness": "strengths_weaknesses",
    "about_yourself": "tell_me_about_yourself",
    "tell_me_about_yourself": "tell_me_about_yourself",
    "role_specific": "technical",
}


def normalise_type(value: object) -> str | None:
    """A known question type from ``value`` (accepting American spelling), or None."""
    if not isinstance(value, str):
        return None
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    return key if key in QUESTION_TYPES else None
