"""How much the job terms' keyness filter helps, by leave-one-split-out cross-validation.

    .venv/bin/python bench/keyness_cv.py [--splits train,dev,…] [--no-dev9]

For each training split of ``scripts/train_keyness.py``: the filter is fitted on the other
splits (threshold chosen out of fold among them, as the script does), and the split is
scored with the rules alone and with the rules and the filter: the share of extracted
phrases that are key terms, the share of key terms extracted, and the answers' job terms
(used recall and precision, missing recall, counted as ``bench/coach_eval.py`` does). Then
dev9, held out: the filter fitted on every training split, scored once on dev9. The test
splits are never read. It asserts nothing.

The filter was to ship only if dev9 improved: precision up a lot, recall not much down. It
did not (terms used precision 0.68 → 0.70, recall 0.71 → 0.66, missing recall 0.82 → 0.78),
so no weights ship; the figures are in the README.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from coach_eval import evaluate  # noqa: E402
from train_keyness import SPLITS, train  # noqa: E402

from sayyes.practice.coach import jobterms  # noqa: E402

FIGURES = (
    ("extracted_are_key", "ext key"),
    ("key_terms_extracted", "key ext"),
    ("terms_used_recall", "used R"),
    ("terms_used_precision", "used P"),
    ("terms_missing_recall", "miss R"),
)


def figures(split: str, model: dict | None) -> dict[str, float]:
    jobterms.use_keyness(model)
    with contextlib.redirect_stdout(io.StringIO()):
        return evaluate(split, False)


def line(name: str, rules: dict[str, float], filt: dict[str, float]) -> str:
    cells = "  ".join(f"{rules[k]:.2f}→{filt[k]:.2f}" for k, _short in FIGURES)
    return f"{name:>8}  {cells}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", default=",".join(SPLITS))
    parser.add_argument("--no-dev9", action="store_true", help="skip the held-out check")
    args = parser.parse_args()
    splits = tuple(args.splits.split(","))
    header = f"{'split':>8}  " + "  ".join(f"{short:>9}" for _k, short in FIGURES)
    print("rules → rules + keyness filter (leave one split out)")
    print(header)
    sums: dict[str, list[float]] = {"rules": [0.0] * len(FIGURES), "filter": [0.0] * len(FIGURES)}
    for held in splits:
        model = train(tuple(s for s in splits if s != held))
        rules = figures(held, None)
        filt = figures(held, model)
        for i, (k, _short) in enumerate(FIGURES):
            sums["rules"][i] += rules[k] / len(splits)
            sums["filter"][i] += filt[k] / len(splits)
        print(line(held, rules, filt), flush=True)
    mean_r = {k: sums["rules"][i] for i, (k, _s) in enumerate(FIGURES)}
    mean_f = {k: sums["filter"][i] for i, (k, _s) in enumerate(FIGURES)}
    print(line("mean", mean_r, mean_f))
    if not args.no_dev9:
        model = train(SPLITS)
        print(f"\nheld out: dev9, the filter fitted on {len(SPLITS)} splits")
        print(header)
        print(line("dev9", figures("dev9", None), figures("dev9", model)))
    jobterms.use_keyness(None)


if __name__ == "__main__":
    main()
