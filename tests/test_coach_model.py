"""The coach's trained layer (sayyes.practice.coach.layer) and its training script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sayyes.practice.coach import analyse, layer
from sayyes.practice.coach.jobterms import match_terms
from sayyes.practice.coach.star import PARTS
from tests.scripts import script

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "src" / "sayyes" / "practice" / "data" / "coach_layer.json"

QUESTION = "Tell me about a time you sorted out a problem with a supplier."
POSTING = (
    "We are hiring a cook. You will manage supplier relationships, plan seasonal menus and "
    "run food safety checks (HACCP)."
)
FULL_STORY = (
    "Last spring I ran the kitchen at a small hotel, and our fish supplier started turning up "
    "two hours late. My job was to keep breakfast service on time without changing suppliers "
    "mid-season. I called their depot manager, agreed an earlier slot for our drop, and moved "
    "our prep list so the fish went on last. After that the deliveries arrived by six every "
    "day and we served every breakfast on time for the rest of the season."
)
NO_OUTCOME = (
    "Our supplier relationships were poor, so I met each supplier, rebuilt the seasonal menus "
    "around what they could deliver and ran the HACCP checks myself."
)
WHAT_I_WOULD_DO = (
    "I would start by calling the supplier to find out why they were late. If that didn't "
    "work I would look for a second supplier, and I would keep my manager informed."
)


def _train_coach():
    return script("train_coach")


def _constant_model(bias: float, width: int) -> dict:
    return {"bias": bias, "coef": [0.0] * width, "mean": [0.0] * width, "scale": [1.0] * width}


def test_the_shipped_weights_load_and_name_their_features():
    weights = layer.weights()
    assert weights["splits"] and "test" not in weights["splits"]
    for verdict, model in weights["models"].items():
        names = layer.TERM_FEATURES if verdict == "term_used" else layer.STAR_FEATURES
        assert model["features"] == list(names)
        assert len(model["coef"]) == len(model["mean"]) == len(model["scale"]) == len(names)


def test_training_reproduces_the_shipped_weights_byte_for_byte():
    tc = _train_coach()
    assert "test" not in tc.SPLITS
    assert tc.dumps(tc.train(tc.load_all())) == SHIPPED.read_text()


def test_the_fit_is_deterministic_and_learns_a_separable_rule():
    tc = _train_coach()
    rng = np.random.default_rng(7)
    x = rng.normal(size=(200, 3))
    y = (x[:, 0] - x[:, 2] > 0).astype(float)
    first, second = tc.fit(x, y), tc.fit(x, y)
    assert first == second
    right = sum(
        (layer.predict(first, list(row)) >= 0.5) == bool(t) for row, t in zip(x, y, strict=True)
    )
    assert right >= 190
    assert first["coef"][0] > 0 > first["coef"][2]


def test_the_layer_leaves_the_rules_alone_where_no_model_ships():
    shipped = layer.weights()["models"]
    feedback = analyse(QUESTION, NO_OUTCOME, posting_text=POSTING)
    if "term_used" not in shipped:
        assert (
            feedback["job_terms"]["used"],
            feedback["job_terms"]["missing"],
        ) == match_terms(POSTING, NO_OUTCOME)


def test_features_are_one_vector_per_answer_and_per_term():
    rows = layer.term_rows(POSTING, NO_OUTCOME)
    used, missing = match_terms(POSTING, NO_OUTCOME)
    assert [t for t, rule, _x in rows if rule] == used
    assert [t for t, rule, _x in rows if not rule] == missing
    assert all(len(x) == len(layer.TERM_FEATURES) for _t, _r, x in rows)
    tc = _train_coach()
    assert tc.dataset([], "star_task")[0].shape == (0, len(layer.STAR_FEATURES))


# Behaviour, in words of our own: what the coach (rules and whatever layer ships) says.


def test_a_whole_story_has_all_four_parts():
    star = analyse(QUESTION, FULL_STORY)["star"]
    assert all(star[p]["present"] for p in PARTS)


def test_a_story_that_stops_at_the_steps_has_no_result():
    # The STAR models fitted on the corpus learnt that a result is nearly always there and
    # turned this one on; they were not shipped (see the README).
    feedback = analyse(QUESTION, NO_OUTCOME, posting_text=POSTING)
    assert feedback["star"]["action"]["present"]
    assert not feedback["star"]["result"]["present"]
    assert {"supplier relationships", "seasonal menus", "HACCP"} <= set(
        feedback["job_terms"]["used"]
    )
    assert "food safety" in feedback["job_terms"]["missing"]


def test_what_i_would_do_is_flagged_hypothetical():
    feedback = analyse(QUESTION, WHAT_I_WOULD_DO)
    assert feedback["hypothetical"]
    assert not any(feedback["star"][p]["present"] for p in PARTS)


# The mechanism, with stand-in models.


def test_a_model_turns_a_part_on_with_a_sentence_of_the_answer_and_off_without(monkeypatch):
    before = analyse(QUESTION, NO_OUTCOME, posting_text=POSTING)
    width = len(layer.STAR_FEATURES)
    fake = {
        "margin": 0.5,
        "models": {
            "star_task": _constant_model(10.0, width),
            "star_action": _constant_model(-10.0, width),
            "term_used": _constant_model(-10.0, len(layer.TERM_FEATURES)),
        },
    }
    monkeypatch.setattr(layer, "weights", lambda: fake)
    after = analyse(QUESTION, NO_OUTCOME, posting_text=POSTING)
    assert not before["star"]["task"]["present"] and after["star"]["task"]["present"]
    assert after["star"]["task"]["evidence"] in NO_OUTCOME
    assert after["star"]["action"] == {"present": False, "evidence": None}
    assert after["star"]["situation"] == before["star"]["situation"]
    assert after["structure"]["parts"]["task"]["present"]
    assert after["job_terms"]["used"] == []
    assert set(after) == set(before)
    assert set(after["star"]["task"]) == set(before["star"]["task"])


def test_a_model_decides_only_when_it_is_sure_enough():
    assert layer.decide(0.7, False, 0.5) and not layer.decide(0.7, False, 0.8)
    assert layer.decide(0.3, True, 0.5) is False and layer.decide(0.3, True, 0.8) is True


def test_the_layer_loads_without_django_or_scikit_learn():
    code = (
        "import sys; from sayyes.practice.coach import analyse, layer; layer.weights(); "
        "sys.exit(any(m.split('.')[0] in {'django', 'sklearn'} for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_weights_file_is_small_json():
    assert SHIPPED.stat().st_size < 50_000
    assert json.loads(SHIPPED.read_text())["models"] is not None


@pytest.mark.parametrize("verdict", ["star_situation", "star_task", "term_used"])
def test_each_verdict_has_a_training_set(verdict):
    tc = _train_coach()
    x, y = tc.dataset(tc.load("dev3"), verdict)
    assert len(x) == len(y) > 0
