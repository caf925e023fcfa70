"""Fit the job terms' keyness filter; print it, or write its weights where told.

    .venv/bin/python scripts/train_keyness.py [--out PATH [--check]]

The rules of :mod:`sayyes.practice.coach.jobterms` give each posting up to
:data:`~sayyes.practice.coach.jobterms.CANDIDATES` candidate terms; a candidate is *key* when
it names one of the terms a reader listed for the posting (``same_term`` of
``bench/coach_eval.py``). One L2-penalised logistic regression over the candidates' features
(:data:`~sayyes.practice.coach.jobterms.KEYNESS_FEATURES`) is fitted by Newton steps in numpy
from zero, a fixed number of them, so the same data give the same bytes. The threshold is
the one whose kept candidates (at most MAX_TERMS a posting, best first) have the best
F-beta (:data:`BETA`) against the labels, out of fold: each split's candidates scored by a
model fitted on the other splits. Reads the postings of the train and dev splits listed in
:data:`SPLITS`, never the test splits, nor dev9 (the held-out check of
``bench/keyness_cv.py``).

No weights ship: on dev9, held out, the filter raised terms-used precision by 0.02 and cost
0.05 of their recall (see the README), so the coach keeps the rules alone. The coach reads
the weights from ``src/sayyes/practice/data/term_keyness.json`` when that file exists;
``--out`` writes them (there, to ship them, once a held-out check says so), and with
``--check`` compares what training gives with that file instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from coach_eval import TRAINING_SPLITS, same_term  # noqa: E402

from sayyes.practice.coach import jobterms  # noqa: E402

CORPUS = ROOT / "tests" / "coach_corpus"
OUT = ROOT / "src" / "sayyes" / "practice" / "data" / jobterms.KEYNESS_FILE
SPLITS = TRAINING_SPLITS
L2 = 3.0
STEPS = 25
# Recall weighs 1.5 times precision in choosing the threshold: a key term dropped is lost to
# the coach's advice on every answer, a phrase kept wrongly is at most a wrong "used". (On
# bench/keyness_cv.py's cross-validation, F1 chose 0.5 and lost 0.06 of terms-used recall;
# F2 chose 0.2 and gained half the precision of 0.25.)
BETA = 1.5
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 17))  # 0.10 … 0.80


def postings(split: str) -> list[dict[str, Any]]:
    """The split's postings (id, text, terms)."""
    rows = [json.loads(x) for x in (CORPUS / f"{split}.jsonl").read_text().splitlines() if x]
    return [r for r in rows if r["kind"] == "posting"]


def rows(split: str) -> list[tuple[str, list[list[float]], list[int]]]:
    """(posting id, features, labels) per posting of the split: one row per candidate."""
    out = []
    for p in postings(split):
        cands = jobterms._candidates(p["text"])
        x = [list(c.features) for c in cands]
        y = [int(any(same_term(t, c.term) for t in p["terms"])) for c in cands]
        out.append((p["id"], x, y))
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = STEPS) -> dict[str, Any]:
    """An L2-penalised logistic regression on standardised features, by Newton steps."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0  # the bias is not penalised
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        w -= np.linalg.solve(hess, grad)
    return {
        "bias": float(w[0]),
        "coef": w[1:].tolist(),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
    }


def stack(data: list[tuple[str, list[list[float]], list[int]]]) -> tuple[np.ndarray, np.ndarray]:
    x = [f for _id, xs, _ys in data for f in xs]
    y = [v for _id, _xs, ys in data for v in ys]
    return np.array(x, dtype=float), np.array(y, dtype=float)


def kept_counts(
    model: dict[str, Any], data: list[tuple[str, list[list[float]], list[int]]], threshold: float
) -> tuple[int, int, int]:
    """(kept and key, kept, key) over the postings, at most MAX_TERMS kept a posting."""
    tp = n_kept = n_key = 0
    for _id, xs, ys in data:
        scored = sorted(
            ((jobterms.keyness(model, x), y) for x, y in zip(xs, ys, strict=True)),
            key=lambda py: -py[0],
        )
        kept = [y for p, y in scored if p >= threshold][: jobterms.MAX_TERMS]
        tp += sum(kept)
        n_kept += len(kept)
        n_key += sum(ys)
    return tp, n_kept, n_key


def choose_threshold(by_split: dict[str, list]) -> float:
    """The threshold with the best out-of-fold F-beta (leave one split out)."""
    totals = {t: np.zeros(3, dtype=int) for t in THRESHOLDS}
    for held in by_split:
        rest = [r for s, d in by_split.items() if s != held for r in d]
        model = fit(*stack(rest))
        for t in THRESHOLDS:
            totals[t] += kept_counts(model, by_split[held], t)

    def score(t: float) -> float:
        tp, kept, key = (int(v) for v in totals[t])
        b2 = BETA * BETA
        return (1 + b2) * tp / max(1, b2 * key + kept)

    return max(THRESHOLDS, key=lambda t: (round(score(t), 6), -t))


def train(splits: tuple[str, ...] = SPLITS) -> dict[str, Any]:
    """The filter's weights fitted on ``splits``, with its threshold."""
    jobterms.use_keyness(None)
    by_split = {s: rows(s) for s in splits}
    model = fit(*stack([r for d in by_split.values() for r in d]))
    threshold = choose_threshold(by_split)
    x, y = stack([r for d in by_split.values() for r in d])

    def r6(v: list[float]) -> list[float]:
        return [round(float(a), 6) for a in v]

    return {
        "about": "sayyes job terms' keyness filter: a logistic regression over the rules' "
        "candidate terms; written by scripts/train_keyness.py",
        "features": list(jobterms.KEYNESS_FEATURES),
        "bias": round(model["bias"], 6),
        "coef": r6(model["coef"]),
        "mean": r6(model["mean"]),
        "scale": r6(model["scale"]),
        "threshold": threshold,
        "beta": BETA,
        "l2": L2,
        "steps": STEPS,
        "splits": list(splits),
        "candidates": int(len(y)),
        "key": int(y.sum()),
    }


def dumps(model: dict[str, Any]) -> str:
    return json.dumps(model, indent=1) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        help=f"write the weights there (the coach reads {OUT.relative_to(ROOT)})",
    )
    parser.add_argument("--check", action="store_true", help="compare with --out's file instead")
    args = parser.parse_args()
    model = train()
    text = dumps(model)
    if args.out is None:
        print(
            f"{model['candidates']} candidates, {model['key']} key; threshold "
            f"{model['threshold']}; nothing written (--out PATH writes the weights)"
        )
        for name, coef in zip(model["features"], model["coef"], strict=True):
            print(f"{name:>22} {coef:+.2f}")
        return 0
    if args.check:
        if not args.out.exists() or args.out.read_text("utf-8") != text:
            print(f"{args.out} differs from what training gives", file=sys.stderr)
            return 1
        print(f"{args.out} is what training gives")
        return 0
    args.out.write_text(text, "utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
