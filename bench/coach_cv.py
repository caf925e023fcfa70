"""Does the coach's trained layer generalise? Leave-one-split-out cross-validation.

    .venv/bin/python bench/coach_cv.py [--l2 1.0]

For each of the ten training sets (the corpus's train, dev, dev2 … dev8, never its test
split; and tests/coach_answers.json, "answers"), fits every verdict's model
(scripts/train_coach.py) on the other nine, and prints, for the split
held out, the rules' figure against the rules with that model on top: each STAR part, all
four, the hypothetical flag, and job terms used (recall / precision) and missing (recall),
counted as ``bench/coach_eval.py`` counts them. Then the same pooled over the splits never
tuned on (dev4, dev6, dev7, dev8) and over the others. ``--corpus-only`` leaves
tests/coach_answers.json out. It asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import train_coach as tc  # noqa: E402
from coach_eval import UNTUNED_SPLITS, same_term  # noqa: E402

from sayyes.practice.coach.layer import decide, predict  # noqa: E402

HELD_OUT = UNTUNED_SPLITS
PARTS = ("situation", "task", "action", "result")


def _counts(
    answers: list[tc.Answer], models: dict[str, dict], ship: tuple[str, ...], margin: float
) -> dict[str, list[float]]:
    """Hit and total counts per figure, (rules, layered). Each figure is the verdict's own
    model against the rules; "all four" combines the parts in ``ship`` (or all four when none
    is named) with the rules for the others."""
    c: dict[str, list[float]] = {}

    def add(key: str, rule_hit: float, layer_hit: float, n: float = 1.0) -> None:
        row = c.setdefault(key, [0.0, 0.0, 0.0])
        row[0] += rule_hit
        row[1] += layer_hit
        row[2] += n

    for a in answers:
        hyp_rule = a.rule["hypothetical"]
        hyp_layer = hyp_rule
        if a.behavioural:
            hyp_layer = decide(predict(models["hypothetical"], a.x), hyp_rule, margin)
        add("hypothetical", hyp_rule == a.hyp_label, hyp_layer == a.hyp_label)
        if a.star_label is not None:
            all_rule = all_layer = True
            for p in PARTS:
                want = tc.LETTER[p] in a.star_label
                rule = a.behavioural and a.rule[f"star_{p}"]
                layer = rule
                if a.behavioural and not hyp_rule:
                    layer = decide(predict(models[f"star_{p}"], a.x), rule, margin)
                add(f"star_{p}", rule == want, layer == want)
                all_rule &= rule == want
                shipped = f"star_{p}" in ship or not any(v.startswith("star_") for v in ship)
                all_layer &= (layer if shipped else rule) == want
            add("star_all_four", all_rule, all_layer)
        if a.labelled_used or a.labelled_missing:
            for k, verdicts in enumerate(
                (
                    [(t, r) for t, r, _x, _l in a.terms],
                    [
                        (t, decide(predict(models["term_used"], x), r, margin))
                        for t, r, x, _l in a.terms
                    ],
                )
            ):
                used = [t for t, v in verdicts if v]
                missing = [t for t, v in verdicts if not v]
                tp = sum(any(same_term(t, u) for u in used) for t in a.labelled_used)
                fp = sum(not any(same_term(t, u) for t in a.labelled_used) for u in used)
                mtp = sum(
                    any(same_term(t, m) for m in missing) and not any(same_term(t, u) for u in used)
                    for t in a.labelled_missing
                )
                for key, hit, n in (
                    ("terms_used_recall", tp, len(a.labelled_used)),
                    ("terms_used_precision", tp, tp + fp),
                    ("terms_missing_recall", mtp, len(a.labelled_missing)),
                ):
                    row = c.setdefault(key, [0.0, 0.0, 0.0, 0.0])
                    row[k] += hit
                    row[2 + k] += n
    return c


def _figures(c: dict[str, list[float]]) -> dict[str, tuple[float, float]]:
    out = {}
    for key, row in c.items():
        if len(row) == 4:  # terms: separate denominators
            out[key] = (row[0] / max(1, row[2]), row[1] / max(1, row[3]))
        else:
            out[key] = (row[0] / max(1, row[2]), row[1] / max(1, row[2]))
    return out


KEYS = (
    "star_situation",
    "star_task",
    "star_action",
    "star_result",
    "star_all_four",
    "hypothetical",
    "terms_used_recall",
    "terms_used_precision",
    "terms_missing_recall",
)


def _row(name: str, f: dict[str, tuple[float, float]]) -> str:
    cells = (f"{f[k][0]:.2f} -> {f[k][1]:.2f}" if k in f else "-" for k in KEYS)
    return f"{name:>8} " + " ".join(c.rjust(15) for c in cells)


def _merge(into: dict[str, list[float]], c: dict[str, list[float]]) -> None:
    for key, row in c.items():
        old = into.setdefault(key, [0.0] * len(row))
        for i, v in enumerate(row):
            old[i] += v


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=tc.L2)
    parser.add_argument("--balanced", action=argparse.BooleanOptionalAction, default=tc.BALANCED)
    parser.add_argument("--margin", type=float, default=tc.MARGIN)
    parser.add_argument(
        "--ship",
        default=",".join(tc.SHIPPED),
        help="the STAR parts whose models make up 'all four' (default: the shipped ones)",
    )
    parser.add_argument(
        "--corpus-only",
        action="store_true",
        help="leave tests/coach_answers.json out (nine folds, the corpus's splits only)",
    )
    args = parser.parse_args()
    splits = [s for s in tc.SPLITS if not (args.corpus_only and s == "answers")]
    by_split = {s: tc.load(s) for s in splits}
    pooled: dict[str, dict[str, list[float]]] = {"held out": {}, "tuned": {}}
    print("rules -> rules + model, each split held out in turn (trained on the others)")
    print(
        f"{'split':>8} "
        + " ".join(f"{k.replace('star_', '').replace('terms_', ''):>15}" for k in KEYS)
    )
    for split in splits:
        rest = [a for s in splits if s != split for a in by_split[s]]
        models = {}
        for verdict in tc.VERDICTS:
            x, y = tc.dataset(rest, verdict)
            models[verdict] = tc.fit(x, y, args.l2, balanced=args.balanced)
        c = _counts(
            by_split[split], models, tuple(v for v in args.ship.split(",") if v), args.margin
        )
        _merge(pooled["held out" if split in HELD_OUT else "tuned"], c)
        f = _figures(c)
        print(_row(split, f))
    for name, c in pooled.items():
        print(_row(name, _figures(c)))


if __name__ == "__main__":
    main()
