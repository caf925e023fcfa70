"""The job terms' keyness filter (sayyes.practice.coach.jobterms) and its training script."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sayyes.practice.coach import jobterms
from sayyes.practice.coach.jobterms import (
    CANDIDATES,
    KEYNESS_FEATURES,
    MAX_TERMS,
    extract_terms,
    keyness,
    keyness_model,
    match_terms,
    use_keyness,
)
from tests.scripts import script

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "src" / "sayyes" / "practice" / "data" / jobterms.KEYNESS_FILE

# Postings written for these tests, in no split of the corpus.
HAULAGE = (
    "Harbourline Freight is a family-run haulage firm serving coastal towns across the south "
    "west. We need a Transport Planner to keep our fleet moving.\n\n"
    "What you'll do:\n"
    "- Plan multi-drop routes in Paragon routing software\n"
    "- Check tachograph data and drivers' hours compliance\n"
    "- Arrange vehicle maintenance with the workshop\n"
    "- Answer calls, emails and chats from hauliers\n\n"
    "Transport Manager CPC is essential; Excel skills desirable."
)
GARDEN = (
    "Bramble & Thistle runs three garden centres and a busy café. We are looking for a Plant "
    "Area Supervisor.\n\n"
    "You will:\n"
    "- Water, feed and prune the plant stock\n"
    "- Run pest and disease checks\n"
    "- Set up seasonal displays\n"
    "- Train new colleagues on the till\n\n"
    "A Level 2 horticulture qualification and a PA1 pesticide certificate are required."
)
DENTAL = (
    "Northgate Dental is a friendly practice with four surgeries in the town centre. We are "
    "hiring a Dental Nurse to support our dentists and hygienist. You will prepare surgeries, "
    "sterilise instruments following HTM 01-05 decontamination guidance, chart patient notes "
    "on our Dentally system and help nervous patients feel at ease. GDC registration and a "
    "radiography certificate are essential."
)


def _train_keyness():
    return script("train_keyness")


@functools.cache
def _trained() -> str:
    """The filter's weights as training writes them (every training split; about 5 s)."""
    train = _train_keyness()
    try:
        return str(train.dumps(train.train()))
    finally:
        _back_to_the_shipped()


def _back_to_the_shipped() -> None:
    jobterms._override.clear()
    jobterms._posting_terms.cache_clear()
    jobterms.extract_terms.cache_clear()
    jobterms._shared.cache_clear()


@pytest.fixture
def trained():
    """Score with the filter as training gives it, then go back to what ships."""
    model = json.loads(_trained())
    use_keyness(model)
    yield model
    _back_to_the_shipped()


def test_no_weights_ship_so_the_rules_keep_their_first_fifteen():
    # bench/keyness_cv.py: on dev9, held out, the filter did not raise precision enough for
    # the recall it cost, so the coach keeps the rules alone.
    assert not SHIPPED.exists()
    assert keyness_model() is None
    terms = jobterms._posting_terms(HAULAGE)
    assert [t for t, _a in terms] == [c.term for c in jobterms._candidates(HAULAGE)][:MAX_TERMS]
    assert len(terms) == MAX_TERMS


def test_trained_weights_load_and_leave_the_test_splits_out(trained):
    assert tuple(trained["features"]) == KEYNESS_FEATURES
    width = len(KEYNESS_FEATURES)
    assert len(trained["coef"]) == len(trained["mean"]) == len(trained["scale"]) == width
    assert 0 < trained["threshold"] < 1
    assert all(s > 0 for s in trained["scale"])
    assert not {"test", "test2", "test3", "dev9"} & set(trained["splits"])
    assert keyness_model() is trained


def test_training_gives_the_same_bytes_twice():
    train = _train_keyness()
    try:
        first = train.dumps(train.train(("train2", "train5")))
        second = train.dumps(train.train(("train2", "train5")))
    finally:
        _back_to_the_shipped()
    assert first == second


def test_the_script_writes_what_check_then_accepts(tmp_path):
    out = tmp_path / "term_keyness.json"
    script = [sys.executable, str(ROOT / "scripts" / "train_keyness.py"), "--out", str(out)]
    subprocess.run(script, check=True, cwd=ROOT, capture_output=True)
    assert out.read_text("utf-8") == _trained()
    subprocess.run([*script, "--check"], check=True, cwd=ROOT, capture_output=True)
    out.write_text("{}\n", "utf-8")
    assert subprocess.run([*script, "--check"], cwd=ROOT, capture_output=True).returncode == 1


def test_the_fit_is_deterministic_and_learns_a_separable_feature():
    train = _train_keyness()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = (x[:, 1] > 0).astype(float)
    first, second = train.fit(x, y), train.fit(x, y)
    assert first == second
    assert abs(first["coef"][1]) > 5 * max(abs(first["coef"][0]), abs(first["coef"][2]))


def test_every_candidate_has_one_feature_vector(trained):
    candidates = jobterms._candidates(HAULAGE)
    assert MAX_TERMS < len(candidates) <= CANDIDATES
    for c in candidates:
        assert len(c.features) == len(KEYNESS_FEATURES)
        assert all(isinstance(v, float) for v in c.features)
    assert all(0.0 <= keyness(trained, c.features) <= 1.0 for c in candidates)


def test_the_company_intro_is_dropped_and_the_duties_kept(trained):
    terms = extract_terms(HAULAGE)
    for intro in ("family-run haulage firm", "coastal towns", "south west", "fleet"):
        assert intro not in terms
    for duty in ("multi-drop routes", "Paragon routing software", "tachograph data"):
        assert duty in terms


def test_a_late_requirement_line_is_kept_past_the_rules_first_fifteen(trained):
    use_keyness(None)
    rules = extract_terms(HAULAGE)
    assert len(rules) == MAX_TERMS and "Excel skills" not in rules
    use_keyness(trained)
    terms = extract_terms(HAULAGE)
    assert "Excel skills" in terms
    assert any("CPC" in t for t in terms)


def test_a_qualification_is_kept_and_the_setting_dropped(trained):
    terms = extract_terms(GARDEN)
    assert "PA1 pesticide certificate" in terms
    assert "café" not in terms
    terms = extract_terms(DENTAL)
    assert "GDC registration" in terms and "radiography certificate" in terms
    practice = next(c for c in jobterms._candidates(DENTAL) if c.term == "practice")
    registration = next(c for c in jobterms._candidates(DENTAL) if c.term == "GDC registration")
    assert keyness(trained, practice.features) < keyness(trained, registration.features) - 0.3


def test_the_kept_terms_are_in_the_posting_s_order(trained):
    terms = extract_terms(HAULAGE)
    read = jobterms._lines(HAULAGE)
    starts = [c.start for c in jobterms._candidates(HAULAGE) if c.term in terms]
    assert starts == sorted(starts) and len(starts) == len(terms)
    for start, term in zip(starts, terms, strict=True):
        assert read[start:].lower().startswith(term[:3].lower())


def test_a_dropped_phrase_is_never_reported_used(trained):
    answer = (
        "At my last haulage firm I planned the fleet for coastal towns, and I kept on top of "
        "tachograph data every week."
    )
    used, missing = match_terms(HAULAGE, answer)
    assert "tachograph data" in used
    assert not {"fleet", "coastal towns", "family-run haulage firm"} & set(used + missing)


def test_weights_for_other_features_are_ignored(tmp_path, monkeypatch):
    data = json.loads(_trained())
    data["features"] = data["features"][:-1]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / jobterms.KEYNESS_FILE).write_text(json.dumps(data), "utf-8")
    jobterms._shipped_keyness.cache_clear()
    monkeypatch.setattr(jobterms.resources, "files", lambda _pkg: tmp_path)
    try:
        assert jobterms._shipped_keyness() is None
        (tmp_path / "data" / jobterms.KEYNESS_FILE).write_text(_trained(), "utf-8")
        jobterms._shipped_keyness.cache_clear()
        assert jobterms._shipped_keyness() == json.loads(_trained())
    finally:
        monkeypatch.undo()
        jobterms._shipped_keyness.cache_clear()
    assert keyness_model() is None


def test_a_posting_ending_in_bare_verbs_gives_terms_not_an_error():
    # The last bullet has two verbs and nothing after them: the duties' reader looked past
    # the end of the posting.
    for posting in ("Fix pipes.\n- Testing and certify", "Boilers.\n- Testing and inspec"):
        assert isinstance(extract_terms(posting), tuple)


def test_the_filter_keeps_the_coach_free_of_django():
    code = (
        "import sys; from sayyes.practice.coach import analyse, jobterms; "
        "import json; jobterms.use_keyness(json.loads(sys.stdin.read())); "
        f"analyse('Why this job?', 'I like planning routes.', posting_text={HAULAGE!r}); "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, input=_trained(), text=True)
