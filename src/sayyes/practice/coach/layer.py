"""A trained layer on top of the rules: logistic regressions that may override a verdict.

The rules (:mod:`.star`, :mod:`.jobterms`) read every answer first. For the verdicts named in
the shipped weights (``practice/data/coach_layer.json``), a logistic regression then reads
what the rules computed — their own verdict among it — and its probability decides:

* **STAR parts** (one model per part, answer level, behavioural answers only): the rules'
  verdict and score for every part, the hypothetical check's counts, and the grammar of the
  clauses as shares (subject I / we / someone else, past / present / modal, passive,
  progressive, perfect, state, habit, negation, conditional), cue hits (task, result,
  numbers, a comparison told last), where the speaker's first step falls, and the length.
* **Hypothetical** (behavioural answers): the same features.
* **Job term used** (per term and answer): the rules' verdict, whether the term is said
  whole, the share of its content words found (by stem, shared stem or lexicon), its head
  found, said exactly or through the lexicon only, an acronym or alias said, the one-word
  and nearness rules, how many words it has, how often its head is said, and whether its
  words are shared with other terms or with the job title.

The features are stacked on the rules' verdict, so a model overrides a rule only where the
training data says so. ``scripts/train_coach.py`` fits the weights (L2-penalised Newton
steps in numpy: deterministic, no scikit-learn) on the labelled corpus's train and dev
splits and ``tests/coach_answers.json``, never the test split, and writes the JSON; a
verdict it did not help under leave-one-split-out cross-validation (``bench/coach_cv.py``)
is shipped without a model, and stays with the rules. **None helped yet** (the README has
the table): the shipped file holds no model, so every verdict is the rules', and no feature
is computed at run time. Loaded once per process; no network.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from . import jobterms
from .lexicon import paraphrases
from .logistic import probability
from .star import NUMBER_RE, PARTS, RESULT_NOUNS, TASK, TASK_MORE, StarPart, StarReport
from .text import STOPWORDS, Token

__all__ = [
    "STAR_FEATURES",
    "TERM_FEATURES",
    "apply_star",
    "decide",
    "job_terms",
    "predict",
    "star_features",
    "term_rows",
    "weights",
]

WEIGHTS_FILE = "coach_layer.json"

STAR_FEATURES = (
    *(f"rule_{p}" for p in PARTS),
    *(f"score_{p}" for p in PARTS),
    "rule_hypothetical",
    "conditional_clauses",
    "modal_clauses",
    "grammar_acts",
    "i_actions",
    "we_actions",
    "log_clauses",
    "log_words",
    "subj_i",
    "subj_we",
    "subj_other",
    "subj_none",
    "past",
    "present",
    "modal",
    "passive",
    "progressive",
    "perfect",
    "state",
    "habitual",
    "negated",
    "conditional",
    "form_action",
    "form_state",
    "form_cond",
    "task_cues",
    "result_cues_late",
    "numbers",
    "number_late",
    "first_step_at",
    "other_past_late",
    "background_early",
    # Where the result the rules would quote sits, and what follows it: a "result" with the
    # speaker's own steps after it is often a finding or a step; a purpose ("so she doesn't
    # feel…") or a discovery ("it turned out…") is no outcome; a story may end on a step.
    "result_at",
    "own_steps_after_result",
    "ends_on_own_step",
    "result_purpose",
    "result_discovery",
    "tail_other_or_passive",
    "ends_flat",
)

_PURPOSE = re.compile(
    r"\bso\s+(?:that\s+)?(?:she|he|they|it|i|we|you|the\s+\w+)\s+(?:\w+\s+){0,2}"
    r"(?:doesn'?t|don'?t|didn'?t|wouldn'?t|won'?t|could|can|would|will|isn'?t|wasn'?t)\b"
    r"|\bto\s+make\s+sure\b|\bin\s+case\b|\bso\s+as\s+to\b",
    re.I,
)
_DISCOVERY = re.compile(
    r"\b(?:found|find|finds|turned\s+out|turns\s+out|noticed|notice|realised|realized|"
    r"discovered|spotted)\b",
    re.I,
)
_FLAT_END = re.compile(
    r"\b(?:so\s+yeah|that'?s\s+(?:about\s+)?(?:it|where)|where\s+(?:we|i)'?d\s+got\s+to|"
    r"(?:a|one)\s+(?:tough|hard|difficult)\s+one|it\s+was\s+(?:tough|hard|difficult)|"
    r"the\s+main\s+bit)\b",
    re.I,
)

TERM_FEATURES = (
    "rule_used",
    "whole",
    "content_share",
    "head_found",
    "head_exact",
    "head_lexicon_only",
    "alias_said",
    "one_word",
    "near",
    "n_words",
    "n_content",
    "head_count",
    "shared_word",
    "weak_head",
    "capitalised",
    "acronym",
)


@lru_cache(maxsize=1)
def weights() -> dict[str, Any]:
    """The shipped weights: ``{"models": {verdict: {...}}, ...}`` (read once per process)."""
    text = (resources.files("sayyes.practice") / "data" / WEIGHTS_FILE).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def predict(model: dict[str, Any], x: list[float]) -> float:
    """The model's probability for one feature vector."""
    return probability(model, x)


def decide(p: float, rule: bool, margin: float = 0.5) -> bool:
    """The layered verdict: the model overrides the rule only when it is ``margin`` sure."""
    return p >= margin if not rule else p > 1 - margin


def _margin() -> float:
    return float(weights().get("margin", 0.5))


def _model(name: str) -> dict[str, Any] | None:
    try:
        models: dict[str, Any] = weights()["models"]
    except (OSError, ValueError, KeyError):  # pragma: no cover - a broken install
        return None
    return models.get(name)


# --- STAR ---------------------------------------------------------------------------------


def _share(n: int, total: int) -> float:
    return n / total if total else 0.0


def star_features(report: StarReport, tokens: list[Token]) -> list[float]:
    """The answer-level feature vector (:data:`STAR_FEATURES`) from what the rules read."""
    infos = report.clauses
    readings = report.readings if len(report.readings) == len(infos) else []
    n = len(infos)
    words = sum(1 for t in tokens if t.kind != "p")
    rs = readings

    def count(pred: Any) -> int:
        return sum(1 for r in rs if pred(r))

    late = [c for c in infos if c.position >= 0.6]
    first_step = next(
        (c.position for c in infos if c.subject in {"i", "we"} and c.form == "action"), 1.0
    )
    pairs = list(zip(infos, rs, strict=False))
    other_past_late = sum(
        1
        for c, r in pairs
        if c.position >= 0.5 and r.subject == "other" and r.tense == "past" and not r.passive
    )
    background_early = sum(
        1
        for c, r in pairs
        if c.position < 0.3 and (r.state or r.progressive or r.subject == "other")
    )
    x = [
        *(float(report.parts[p].present) for p in PARTS),
        *(min(report.parts[p].score, 6.0) for p in PARTS),
        float(report.ruled_hypothetical),
        float(min(report.conditional_clauses, 6)),
        float(min(report.modal_clauses, 6)),
        float(min(report.grammar_acts, 10)),
        float(min(report.i_actions, 10)),
        float(min(report.we_actions, 10)),
        math.log1p(n),
        math.log1p(words),
        _share(sum(1 for c in infos if c.subject == "i"), n),
        _share(sum(1 for c in infos if c.subject == "we"), n),
        _share(sum(1 for c in infos if c.subject == "other"), n),
        _share(sum(1 for c in infos if c.subject is None), n),
        _share(count(lambda r: r.tense == "past"), n),
        _share(count(lambda r: r.tense == "present"), n),
        _share(count(lambda r: r.tense == "modal"), n),
        _share(count(lambda r: r.passive), n),
        _share(count(lambda r: r.progressive), n),
        _share(count(lambda r: r.perfect), n),
        _share(count(lambda r: r.state), n),
        _share(count(lambda r: r.habitual), n),
        _share(count(lambda r: r.negated), n),
        _share(sum(1 for c in infos if c.conditional), n),
        _share(sum(1 for c in infos if c.form == "action"), n),
        _share(sum(1 for c in infos if c.form == "state"), n),
        _share(sum(1 for c in infos if c.form == "cond"), n),
        float(min(sum(1 for c in infos if TASK.search(c.text) or TASK_MORE.search(c.text)), 3)),
        float(min(sum(1 for c in late if RESULT_NOUNS.search(c.text)), 3)),
        float(min(sum(1 for c in infos if NUMBER_RE.search(c.text)), 6)),
        float(any(NUMBER_RE.search(c.text) for c in late)),
        first_step,
        float(min(other_past_late, 4)),
        float(min(background_early, 4)),
        *_result_features(report, infos, pairs),
    ]
    return x


def _result_features(
    report: StarReport, infos: list[Any], pairs: list[tuple[Any, Any]]
) -> list[float]:
    """:data:`STAR_FEATURES`' result block (see the comment there)."""
    quoted = report.parts["result"].evidence or report.candidates.get("result") or ""
    at = next((c.position for c in infos if quoted and c.text and c.text in quoted), 1.0)
    own_after = sum(1 for c in infos if c.position > at and c.subject == "i" and c.form == "action")
    last = infos[-1] if infos else None
    tail = [r for c, r in pairs if c.position >= 0.75]
    last_sentence = " ".join(c.text for c in infos if c.last_sentence) or (
        last.text if last else ""
    )
    return [
        at,
        float(min(own_after, 5)),
        float(bool(last and last.subject == "i" and last.form == "action")),
        float(bool(_PURPOSE.search(quoted))),
        float(bool(_DISCOVERY.search(quoted))),
        _share(sum(1 for r in tail if r.subject == "other" or r.passive), len(tail)),
        float(bool(_FLAT_END.search(last_sentence))),
    ]


def apply_star(report: StarReport, tokens: list[Token]) -> None:
    """Let the shipped models override the rules' STAR parts and hypothetical flag."""
    if not report.behavioural or not report.clauses:
        return
    models = {v: _model(v) for v in ("hypothetical", *(f"star_{p}" for p in PARTS))}
    if not any(models.values()):
        return  # nothing shipped: the rules' verdicts stand, no features computed
    x = star_features(report, tokens)
    margin = _margin()
    hyp = models["hypothetical"]
    if hyp is not None:
        report.hypothetical = decide(predict(hyp, x), report.hypothetical, margin)
    if report.hypothetical:
        report.parts = {p: StarPart() for p in PARTS}
        return
    for part in PARTS:
        model = models[f"star_{part}"]
        if model is None:
            continue
        old = report.parts[part]
        present = decide(predict(model, x), old.present, margin)
        if present == old.present:
            continue
        if present:
            evidence = report.candidates.get(part)
            report.parts[part] = StarPart(bool(evidence), evidence, old.score)
        else:
            report.parts[part] = StarPart(False, None, old.score)


# --- job terms ----------------------------------------------------------------------------


def term_features(
    term: str,
    aliases: tuple[str, ...],
    answer_stems: tuple[str, ...],
    answer: str,
    shared: frozenset[str],
    rule: bool,
) -> list[float]:
    """The (term, answer) feature vector (:data:`TERM_FEATURES`)."""
    stems = jobterms._stems(term)
    words = term.split()
    content = [s for s in stems if s not in STOPWORDS and len(s) > 1]
    answer_set = set(answer_stems)
    hits = [jobterms._found(s, answer_set) for s in content]
    head = content[-1] if content else ""
    head_exact = bool(head) and head in answer_set
    head_lexicon = bool(head) and not head_exact and any(a in answer_set for a in paraphrases(head))
    alias_said = any(
        re.search(r"(?<![\w-])" + re.escape(a) + r"s?(?![\w-])", answer, re.I)
        for a in (*aliases, *(w for w in words if jobterms._is_acronym(w)))
    )
    return [
        float(rule),
        float(bool(stems) and jobterms._contains(answer_stems, stems)),
        _share(sum(hits), len(content)),
        float(bool(hits) and hits[-1]),
        float(head_exact),
        float(head_lexicon),
        float(alias_said),
        float(len(content) >= 2 and jobterms._one_word(content, answer_set, set(shared), answer)),
        float(len(content) >= 2 and jobterms._near(content, answer_stems)),
        float(min(len(words), 6)),
        float(min(len(content), 6)),
        math.log1p(sum(1 for a in answer_stems if a == head)),
        float(any(s in shared for s in content)),
        float(head in jobterms._WEAK),
        float(any(w[:1].isupper() for w in words)),
        float(any(jobterms._is_acronym(w) for w in words)),
    ]


def term_rows(posting: str, answer: str) -> list[tuple[str, bool, list[float]]]:
    """(term, the rules' verdict, features) for each of the posting's terms."""
    answer_stems = jobterms._stems(answer)
    terms = jobterms._posting_terms(posting)
    shared = jobterms._shared(terms) | jobterms._titled(posting)
    rows = []
    for term, aliases in terms:
        rule = jobterms._used(term, aliases, answer_stems, answer, shared)
        x = term_features(term, aliases, answer_stems, answer, shared, rule)
        rows.append((term, rule, x))
    return rows


def job_terms(posting: str, answer: str) -> tuple[list[str], list[str]]:
    """(used, missing) terms of the posting: the rules' verdicts, overridden by the shipped
    model where there is one."""
    model = _model("term_used")
    if model is None:
        return jobterms.match_terms(posting, answer)
    used: list[str] = []
    missing: list[str] = []
    margin = _margin()
    for term, rule, x in term_rows(posting, answer):
        (used if decide(predict(model, x), rule, margin) else missing).append(term)
    return used, missing
