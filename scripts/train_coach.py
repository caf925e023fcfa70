"""Fit the coach's trained layer and write its weights (src/sayyes/practice/data/coach_layer.json).

    .venv/bin/python scripts/train_coach.py [--check]

Reads the labelled corpus's train and dev splits (train, dev, dev2 … dev8), never the test
split, and the first labelled set (tests/coach_answers.json, whose answers often lack a STAR
part, unlike the corpus's), runs the rules on every answer, and fits one L2-penalised logistic regression per
verdict in :data:`SHIPPED` over the features of :mod:`sayyes.practice.coach.layer`: Newton
steps in numpy from zero, a fixed number of them, so the same data give the same bytes.
Which verdicts ship a model was decided by leave-one-split-out cross-validation
(``bench/coach_cv.py``); the others stay with the rules. ``--check`` compares the fitted
weights with the shipped file instead of writing it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from coach_eval import TRAINING_SPLITS, same_term  # noqa: E402

from sayyes.practice.coach.fillers import find_fillers, find_hedges  # noqa: E402
from sayyes.practice.coach.layer import (  # noqa: E402
    STAR_FEATURES,
    TERM_FEATURES,
    star_features,
    term_rows,
)
from sayyes.practice.coach.qtypes import classify  # noqa: E402
from sayyes.practice.coach.star import PARTS, analyse_star  # noqa: E402
from sayyes.practice.coach.text import sentences, tokenize  # noqa: E402

CORPUS = ROOT / "tests" / "coach_corpus"
OUT = ROOT / "src" / "sayyes" / "practice" / "data" / "coach_layer.json"
# The corpus's training splits (coach_eval.TRAINING_SPLITS: never a test split, nor dev9,
# on which what ships was checked); and the first labelled set (tests/coach_answers.json),
# with many answers that lack a STAR part. train2–train7 (issue 15, fifth pass) were written
# for this layer: everyday jobs, most behavioural answers missing a part.
SPLITS = (*TRAINING_SPLITS, "answers")
ANSWERS = ROOT / "tests" / "coach_answers.json"
LETTER = {"situation": "S", "task": "T", "action": "A", "result": "R"}
STAR_VERDICTS = tuple(f"star_{p}" for p in PARTS)
VERDICTS = (*STAR_VERDICTS, "hypothetical", "term_used")
# The verdicts whose model ships (see bench/coach_cv.py and the README); the rest stay with
# the rules.
SHIPPED: tuple[str, ...] = ("star_task", "star_action", "star_result")
L2 = 3.0
BALANCED = False
MARGIN = 0.5
STEPS = 25


@dataclass
class Answer:
    """What the rules read in one labelled answer, and its labels."""

    split: str
    behavioural: bool  # the coach typed the question behavioural
    star_label: str | None
    hyp_label: bool
    rule: dict[str, bool]
    x: list[float]
    # (term, the rules' verdict, features, label: used); plus the labelled terms.
    terms: list[tuple[str, bool, list[float], bool]] = field(default_factory=list)
    labelled_used: list[str] = field(default_factory=list)
    labelled_missing: list[str] = field(default_factory=list)


def _answers_set() -> list[dict[str, Any]]:
    """tests/coach_answers.json in the corpus's shape (STAR letters, no posting)."""
    rows = []
    for item in json.loads(ANSWERS.read_text()):
        rows.append(
            {
                "kind": "answer",
                "q": item["question"],
                "a": item["answer"],
                "star": "".join(LETTER[p] for p in PARTS if item["labels"][p]),
                "hyp": item["hypothetical"],
                "posting": None,
            }
        )
    return rows


def load(split: str) -> list[Answer]:
    """Run the rules (no layer) on every answer of one split."""
    if split not in SPLITS:
        raise SystemExit(f"not a training split: {split}")
    if split == "answers":
        rows = _answers_set()
    else:
        rows = [json.loads(x) for x in (CORPUS / f"{split}.jsonl").read_text().splitlines()]
    postings = {r["id"]: r for r in rows if r["kind"] == "posting"}
    out = []
    for r in rows:
        if r["kind"] != "answer":
            continue
        tokens = tokenize(r["a"])
        sents = sentences(tokens)
        drop = find_fillers(tokens) + find_hedges(tokens)
        behavioural = classify(r["q"]) == "behavioural"
        report = analyse_star(r["q"], tokens, sents, r["a"], drop, behavioural)
        rule = {f"star_{p}": report.parts[p].present for p in PARTS}
        rule["hypothetical"] = report.hypothetical
        star_label = r["star"]
        if split == "answers" and not behavioural:
            star_label = None  # as tests/test_coach.py measures it: behavioural answers only
        a = Answer(
            split,
            behavioural,
            star_label,
            bool(r["hyp"]),
            rule,
            star_features(report, tokens),
        )
        if r["posting"]:
            posting = postings[r["posting"]]
            a.labelled_used = list(r["used"])
            a.labelled_missing = [t for t in posting["terms"] if t not in r["used"]]
            for term, verdict, x in term_rows(posting["text"], r["a"]):
                label = any(same_term(t, term) for t in a.labelled_used)
                a.terms.append((term, verdict, x, label))
        out.append(a)
    return out


def fit(
    x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = STEPS, balanced: bool = BALANCED
) -> dict[str, Any]:
    """An L2-penalised logistic regression on standardised features, by Newton steps; with
    ``balanced``, each class weighs as much as the other in total, so a verdict that is
    nearly always "present" in the data is not learnt as a prior."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    sample = np.ones(len(y))
    if balanced and 0 < y.sum() < len(y):
        pos = y.sum()
        sample = np.where(y > 0.5, len(y) / (2 * pos), len(y) / (2 * (len(y) - pos)))
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 1e-6  # the bias is not shrunk
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (sample * (p - y)) + penalty * w
        hess = (z.T * (sample * p * (1 - p))) @ z + np.diag(penalty)
        w = w - np.linalg.solve(hess, grad)
    return {
        "bias": round(float(w[0]), 6),
        "coef": [round(float(v), 6) for v in w[1:]],
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
    }


def dataset(answers: list[Answer], verdict: str) -> tuple[np.ndarray, np.ndarray]:
    """The rows and labels one verdict's model is fitted on."""
    xs: list[list[float]] = []
    ys: list[float] = []
    for a in answers:
        if verdict == "term_used":
            for _term, _rule, x, label in a.terms:
                xs.append(x)
                ys.append(float(label))
        elif not a.behavioural:
            continue
        elif verdict == "hypothetical":
            xs.append(a.x)
            ys.append(float(a.hyp_label))
        elif a.star_label is not None and not a.rule["hypothetical"]:
            xs.append(a.x)
            ys.append(float(LETTER[verdict.removeprefix("star_")] in a.star_label))
    width = len(TERM_FEATURES) if verdict == "term_used" else len(STAR_FEATURES)
    return np.array(xs, dtype=float).reshape(-1, width), np.array(ys, dtype=float)


def train(answers: list[Answer], verdicts: tuple[str, ...] = SHIPPED) -> dict[str, Any]:
    """The weights file's content: one model per verdict named."""
    models = {}
    for verdict in verdicts:
        x, y = dataset(answers, verdict)
        model = fit(x, y, L2, STEPS, BALANCED)
        names = TERM_FEATURES if verdict == "term_used" else STAR_FEATURES
        model["features"] = list(names)
        model["rows"] = len(y)
        models[verdict] = model
    return {
        "about": "sayyes coach layer: logistic regressions stacked on the rules; "
        "written by scripts/train_coach.py from the corpus's train and dev splits and "
        "tests/coach_answers.json",
        "l2": L2,
        "balanced": BALANCED,
        "margin": MARGIN,
        "steps": STEPS,
        "splits": list(SPLITS),
        "models": models,
    }


def dumps(weights: dict[str, Any]) -> str:
    return json.dumps(weights, indent=1, sort_keys=True) + "\n"


def load_all() -> list[Answer]:
    return [a for split in SPLITS for a in load(split)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args()
    text = dumps(train(load_all()))
    if args.check:
        same = OUT.exists() and OUT.read_text() == text
        print("the shipped weights are reproduced" if same else "the shipped weights differ")
        sys.exit(0 if same else 1)
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
