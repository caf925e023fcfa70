"""The answer coach: accuracy on a labelled set, behaviour of each analyser, edge cases.

The coach is plain Python; these tests need no database. Accuracy figures are printed
(``pytest -s tests/test_coach.py``) and asserted against the bars in the brief.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sayyes.practice.coach import LENGTH_WORDS, MAX_TERMS, analyse, extract_terms
from sayyes.practice.coach.fillers import find_fillers, find_hedges
from sayyes.practice.coach.qtypes import QUESTION_TYPES
from sayyes.practice.coach.star import is_behavioural
from sayyes.practice.coach.text import tokenize

LABELLED = json.loads((Path(__file__).parent / "coach_answers.json").read_text("utf-8"))
PARTS = ("situation", "task", "action", "result")

SRE_POSTING = (
    "We are hiring a Site Reliability Engineer to join our platform team. You will define "
    "service level objectives for our core services, own incident response and on-call "
    "rotations, and improve observability across Kubernetes clusters. You will automate "
    "infrastructure with Terraform and Python, run blameless postmortems, and work with "
    "product engineers on capacity planning. Requirements: 3+ years of experience in site "
    "reliability engineering or DevOps; strong Linux and networking fundamentals; experience "
    "with Kubernetes, Terraform and cloud platforms (AWS or GCP); familiarity with monitoring "
    "tools such as Prometheus and Grafana; excellent communication skills. Nice to have: "
    "experience leading incident response for high-traffic systems, defining service level "
    "objectives and error budgets, and mentoring junior engineers. We offer a competitive "
    "salary, remote-friendly work, and a learning budget."
)
RETAIL_POSTING = (
    "Store Manager, Fresh Foods. We are looking for an experienced Store Manager to lead a team "
    "of 40 colleagues in our busy city-centre supermarket. You will be responsible for sales "
    "performance, stock control and shrink reduction, rota planning, and health and safety "
    "compliance. You will coach team leaders, handle customer complaints, and deliver an "
    "excellent shopping experience. You will work closely with the area manager on promotions "
    "and merchandising. Requirements: at least 2 years of retail management experience, strong "
    "commercial awareness, confidence with P&L and KPIs, and a track record of developing "
    "people. Food hygiene certification is a plus. Health and safety training will be provided."
)
CLEAN_STAR = next(item for item in LABELLED if item["id"] == "a11")

# (sentence, how many "like"/"you know" in it are fillers)
LIKE_YOU_KNOW = [
    ("It was, like, really hard to get everyone on board.", 1),
    ("And like we shipped it two days later.", 1),
    ("It took like, three weeks to get approval.", 1),
    ("Like, I don't know, it just felt rushed.", 1),
    ("We were like really behind on the orders.", 1),
    ("So, you know, we had to move fast.", 1),
    ("You know, I never thought I'd enjoy budgeting.", 1),
    ("The team was exhausted, you know?", 1),
    ("It was, you know, kind of a mess, and like nobody owned it.", 2),
    ("She was like, why are we even doing this?", 1),
    ("There were like forty people waiting.", 1),
    ("you know we had this huge backlog and like no time", 2),
    ("I waited for like an hour before anyone answered.", 1),
    ("I like building things that people use.", 0),
    ("I would like to lead a team one day.", 0),
    ("It looks like the numbers were wrong.", 0),
    ("We got something like that from the auditor.", 0),
    ("He handled it like a manager would.", 0),
    ("It worked just like the old system did.", 0),
    ("I feel like I could have escalated sooner.", 0),
    ("Do you know what the budget was?", 0),
    ("You know the answer better than I do.", 0),
    ("As you know, the store closed in March.", 0),
    ("I'll let you know how it goes.", 0),
    ("We used tools like Jira and Confluence.", 0),
    ("Customers like our new loyalty scheme.", 0),
    ("If you know the client well, the call is easy.", 0),
    ("What I liked about it was the pace.", 0),
    ("It was like a maze in that warehouse.", 0),
    ("We'd like to expand into Spain.", 0),
]


def _assert_shape(r: dict) -> None:
    assert set(r) == {
        "word_count", "duration_seconds", "words_per_minute", "pace", "fillers", "hedges",
        "question_type", "star", "structure", "relevance", "hypothetical", "i_we_ratio",
        "numbers", "length", "job_terms", "most_used_words", "talking_points", "tips",
    }  # fmt: skip
    assert r["question_type"] in QUESTION_TYPES
    # STAR applies to behavioural questions only; it is null for the others.
    assert (r["star"] is None) == (r["question_type"] != "behavioural")
    assert r["relevance"]["score"] is None or 0.0 <= r["relevance"]["score"] <= 1.0
    assert isinstance(r["relevance"]["on_topic"], bool)
    for part in r["structure"]["parts"].values():
        assert set(part) == {"label", "present", "evidence"}
        assert (part["evidence"] is None) == (not part["present"])
    assert isinstance(r["word_count"], int) and r["word_count"] >= 0
    assert r["duration_seconds"] is None or r["duration_seconds"] > 0
    assert r["words_per_minute"] is None or 0 <= r["words_per_minute"] < math.inf
    assert r["pace"]["verdict"] in {"slow", "ok", "fast", None}
    assert r["fillers"]["count"] >= 0 and r["fillers"]["per_100_words"] >= 0
    assert sum(r["fillers"]["items"].values()) == r["fillers"]["count"]
    assert sum(r["hedges"]["items"].values()) == r["hedges"]["count"] >= 0
    assert r["star"] is None or set(r["star"]) == set(PARTS)
    for part in (r["star"] or {}).values():
        assert set(part) == {"present", "evidence"}
        assert isinstance(part["present"], bool)
        assert (part["evidence"] is None) == (not part["present"])
    assert isinstance(r["hypothetical"], bool)
    assert r["i_we_ratio"] is None or 0.0 <= r["i_we_ratio"] <= 1.0
    assert isinstance(r["numbers"], int) and r["numbers"] >= 0
    assert r["length"]["verdict"] in {"too_short", "ok", "too_long"}
    assert set(r["job_terms"]) == {"used", "missing"}
    assert len(r["most_used_words"]) <= 8
    assert all(isinstance(w, str) and n >= 2 for w, n in r["most_used_words"])
    assert set(r["talking_points"]) == {"covered", "missing"}
    assert 1 <= len(r["tips"]) <= 5 and all(isinstance(t, str) and t for t in r["tips"])
    json.dumps(r)  # JSON-serialisable


# --- the labelled set ------------------------------------------------------------------


def test_labelled_set_is_large_and_varied():
    assert len(LABELLED) >= 45
    assert len({item["id"] for item in LABELLED}) == len(LABELLED)
    lengths = [len(item["answer"].split()) for item in LABELLED]
    assert min(lengths) >= 30 and max(lengths) <= 450 and max(lengths) >= 350
    for item in LABELLED:
        assert set(item) == {"id", "question", "answer", "labels", "hypothetical", "note"}
        assert set(item["labels"]) == set(PARTS)
    assert sum(item["hypothetical"] for item in LABELLED) >= 5
    # Some spoken transcripts without any punctuation.
    assert sum(1 for item in LABELLED if not any(c in item["answer"] for c in ".?!")) >= 4


@pytest.fixture(scope="module")
def predictions():
    return {item["id"]: analyse(item["question"], item["answer"]) for item in LABELLED}


# STAR is read for behavioural questions only (a "why here?" or "how would you…?" answer
# has no STAR verdict), so the accuracy is measured on those.
def _behavioural(predictions):
    return [i for i in LABELLED if predictions[i["id"]]["star"] is not None]


@pytest.mark.parametrize("part", PARTS)
def test_star_part_detection_is_at_least_90_percent_accurate(predictions, part):
    items = _behavioural(predictions)
    assert len(items) >= len(LABELLED) - 8
    right = sum(predictions[i["id"]]["star"][part]["present"] == i["labels"][part] for i in items)
    accuracy = right / len(items)
    print(f"\nSTAR {part}: {accuracy:.3f} ({right}/{len(items)})")
    assert accuracy >= 0.90


def test_hypothetical_flag_is_at_least_90_percent_accurate(predictions):
    right = sum(predictions[i["id"]]["hypothetical"] == i["hypothetical"] for i in LABELLED)
    accuracy = right / len(LABELLED)
    print(f"\nhypothetical: {accuracy:.3f} ({right}/{len(LABELLED)})")
    assert accuracy >= 0.90


def test_star_evidence_quotes_the_answer(predictions):
    for item in _behavioural(predictions):
        for part in predictions[item["id"]]["star"].values():
            if part["present"]:
                assert part["evidence"] in item["answer"]


# --- fillers and hedges ------------------------------------------------------------------


def _like_you_know(sentence: str) -> int:
    marks = find_fillers(tokenize(sentence))
    return sum(1 for m in marks if m.phrase in {"like", "you know"})


def test_like_and_you_know_filler_precision_is_at_least_90_percent():
    assert len(LIKE_YOU_KNOW) >= 20
    tp = fp = fn = 0
    for sentence, gold in LIKE_YOU_KNOW:
        found = _like_you_know(sentence)
        tp += min(found, gold)
        fp += max(0, found - gold)
        fn += max(0, gold - found)
    precision = tp / (tp + fp)
    print(f"\nfiller precision: {precision:.3f}, recall: {tp / (tp + fn):.3f}")
    assert precision >= 0.90


@pytest.mark.parametrize(
    "sentence",
    ["I like building things.", "I would like to lead.", "It looks like rain.",
     "Something like that.", "Act like a manager would.", "It worked just like before.",
     "I feel like it was fine.", "Do you know the answer?", "You know the answer."],
)  # fmt: skip
def test_like_and_you_know_used_as_words_are_not_fillers(sentence):
    assert _like_you_know(sentence) == 0


@pytest.mark.parametrize(
    "sentence",
    ["It was, like, really hard.", "And like we shipped it.", "It took like, three weeks.",
     "So, you know, we moved fast."],
)  # fmt: skip
def test_like_and_you_know_used_as_fillers_are_counted(sentence):
    assert _like_you_know(sentence) == 1


def test_hesitations_and_filler_phrases_are_counted_by_name():
    r = analyse("", "Um, so, uh, I basically fixed it, right? Erm, so yeah. Hmm, uhm, ah.")
    items = r["fillers"]["items"]
    assert items["um"] == 1 and items["uh"] == 1 and items["erm"] == 1
    assert items["basically"] == 1 and items["right?"] == 1 and items["so yeah"] == 1
    assert items["hmm"] == 1 and items["uhm"] == 1 and items["ah"] == 1


def test_i_mean_counts_as_a_discourse_marker_but_not_as_a_verb():
    assert [m.phrase for m in find_fillers(tokenize("I mean, it was hard."))] == ["I mean"]
    assert find_fillers(tokenize("What I mean is the budget was too small.")) == []


def test_actually_counts_only_as_a_discourse_marker():
    assert [m.phrase for m in find_fillers(tokenize("Actually, we shipped."))] == ["actually"]
    assert find_fillers(tokenize("We agreed what the rules actually were.")) == []


def test_kind_of_is_a_hedge_when_it_softens_and_nothing_as_a_noun():
    assert [m.phrase for m in find_hedges(tokenize("It was kind of messy."))] == ["kind of"]
    assert find_hedges(tokenize("That kind of thing happens.")) == []
    assert find_fillers(tokenize("It was kind of messy.")) == []


def test_hedges_are_counted():
    r = analyse("", "I think maybe I guess we probably sort of fixed it, perhaps a little bit.")
    assert r["hedges"]["count"] == 7
    assert r["hedges"]["items"]["I think"] == 1 and r["hedges"]["items"]["a little bit"] == 1


# --- pace, length, numbers, pronouns -----------------------------------------------------


def _words(n: int) -> str:
    return " ".join(["word"] * n)


@pytest.mark.parametrize(
    ("words", "seconds", "verdict"),
    [(150, 60, "ok"), (130, 60, "ok"), (170, 60, "ok"), (100, 60, "slow"), (200, 60, "fast")],
)
def test_pace_is_ok_between_130_and_170_words_a_minute(words, seconds, verdict):
    r = analyse("", _words(words), duration_seconds=seconds)
    assert r["words_per_minute"] == pytest.approx(words * 60 / seconds)
    assert r["pace"]["verdict"] == verdict


@pytest.mark.parametrize("seconds", [None, 0, -5, math.nan, math.inf])
def test_missing_zero_or_negative_duration_means_no_pace(seconds):
    r = analyse("", _words(150), duration_seconds=seconds)
    assert r["duration_seconds"] is None and r["words_per_minute"] is None
    assert r["pace"]["verdict"] is None
    assert r["length"]["verdict"] == "ok"  # falls back to the word count


@pytest.mark.parametrize(
    ("words", "verdict"),
    [(LENGTH_WORDS[0] - 1, "too_short"), (LENGTH_WORDS[0], "ok"), (LENGTH_WORDS[1], "ok"),
     (LENGTH_WORDS[1] + 1, "too_long")],
)  # fmt: skip
def test_length_by_word_count_without_a_duration(words, verdict):
    assert analyse("", _words(words))["length"]["verdict"] == verdict


@pytest.mark.parametrize(("seconds", "verdict"), [(30, "too_short"), (90, "ok"), (200, "too_long")])
def test_length_by_duration_when_there_is_one(seconds, verdict):
    assert analyse("", _words(150), duration_seconds=seconds)["length"]["verdict"] == verdict


def test_numbers_count_quantities_but_not_years_or_a_bare_one():
    answer = (
        "In 2019 we cut costs by forty percent, saved $1.2m and signed seven hundred and twenty "
        "members in 3 weeks. One of them stayed one week."
    )
    assert analyse("", answer)["numbers"] == 5  # forty, $1.2m, 720, 3, one week


def test_i_we_ratio_compares_i_with_we():
    r = analyse("", "We planned it, we built it, and I tested it with my team.")
    assert r["i_we_ratio"] == pytest.approx(0.5)
    assert analyse("", "The project shipped on time.")["i_we_ratio"] is None


def test_most_used_words_skip_stopwords_fillers_and_singletons():
    answer = "Um the customer, um, the customer wanted a refund, like, a refund. Like, refund."
    words = dict(analyse("", answer)["most_used_words"])
    assert words == {"refund": 3, "customer": 2}


# --- job terms and talking points ----------------------------------------------------------


def test_job_terms_include_multiword_terms_and_never_you_will():
    terms = extract_terms(SRE_POSTING)
    assert "incident response" in terms and "service level objectives" in terms
    assert 8 <= len(terms) <= MAX_TERMS
    lowered = [t.lower() for t in terms]
    assert "you will" not in lowered and "service level" not in lowered
    for term in lowered:
        first, last = term.split()[0], term.split()[-1]
        assert first not in {"you", "we", "our", "define", "hiring", "join", "a", "the", "and"}
        assert last not in {"a", "the", "and", "to", "of"}


def test_job_terms_for_a_retail_posting_are_clean():
    terms = [t.lower() for t in extract_terms(RETAIL_POSTING)]
    assert "health and safety" in terms and "stock control" in terms
    assert not any(t.startswith(("you ", "we ", "lead ", "handle ")) for t in terms)


def test_job_term_extraction_is_cached_per_posting():
    extract_terms.cache_clear()
    extract_terms(SRE_POSTING)
    extract_terms(SRE_POSTING)
    assert extract_terms.cache_info().hits >= 1


def test_job_terms_match_plurals_and_case_in_the_answer():
    answer = (
        "I led Incident Responses for the payments team and wrote our first service level "
        "objective, then moved everything to Kubernetes."
    )
    r = analyse("Tell me about a time you improved reliability.", answer, posting_text=SRE_POSTING)
    assert "incident response" in r["job_terms"]["used"]
    assert "service level objectives" in r["job_terms"]["used"]
    assert "Kubernetes" in r["job_terms"]["used"]
    assert "Terraform" in r["job_terms"]["missing"]


def test_job_terms_are_empty_without_a_posting():
    assert analyse("", CLEAN_STAR["answer"])["job_terms"] == {"used": [], "missing": []}


def test_talking_points_are_covered_by_shared_content_words():
    r = analyse(
        "", CLEAN_STAR["answer"],
        talking_points=["the composite index", "tracing slow endpoints", "mentoring juniors",
                        "support tickets fell by 80%"],
    )  # fmt: skip
    assert r["talking_points"]["covered"] == [
        "the composite index", "tracing slow endpoints", "support tickets fell by 80%",
    ]  # fmt: skip
    assert r["talking_points"]["missing"] == ["mentoring juniors"]
    assert analyse("", "anything")["talking_points"] == {"covered": [], "missing": []}


# --- tips ----------------------------------------------------------------------------------


def test_empty_or_whitespace_answer_gives_zeros_and_asks_for_an_answer():
    for answer in ["", "   \n\t "]:
        r = analyse("Tell me about a time you failed.", answer)
        _assert_shape(r)
        assert r["word_count"] == 0 and r["fillers"]["count"] == 0 and r["numbers"] == 0
        assert len(r["tips"]) == 1 and "answer" in r["tips"][0]


def test_hypothetical_answer_is_told_to_give_a_real_example_first():
    item = next(i for i in LABELLED if i["id"] == "a06")
    r = analyse(item["question"], item["answer"])
    assert r["hypothetical"] is True
    assert r["tips"][0].startswith("Tell a real example")


def test_situational_question_answered_with_i_would_is_not_flagged():
    r = analyse(
        "How would you handle a patient who refuses medication?",
        "I would first ask why they refuse. I'd explain the medication and I would listen.",
    )
    assert r["hypothetical"] is False
    assert not any(t.startswith("Tell a real example") for t in r["tips"])


def test_behavioural_question_answered_with_habits_is_asked_for_one_example():
    item = next(i for i in LABELLED if i["id"] == "a48")  # "I always enjoy working in teams…"
    r = analyse(item["question"], item["answer"])
    assert r["hypothetical"] is False
    assert r["tips"][0].startswith("Give one specific example")
    assert not any(t.startswith(("Say what you did", "Finish with")) for t in r["tips"])


def test_motivation_question_gets_no_star_tips():
    item = next(i for i in LABELLED if i["id"] == "a22")  # "Why do you want to work here?"
    r = analyse(item["question"], item["answer"])
    star_tips = ("Say what you did", "Finish with", "Open with")
    assert not any(t.startswith(star_tips) for t in r["tips"])


def test_missing_result_gets_an_outcome_tip():
    item = next(i for i in LABELLED if i["id"] == "a19")
    r = analyse(item["question"], item["answer"])
    assert not r["star"]["result"]["present"]
    assert any(t.startswith("Finish with the outcome") for t in r["tips"])


def test_filler_tip_quotes_the_filler_and_its_count():
    answer = "Um, so, um, I, um, fixed the, um, printer and, um, the, um, scanner. " * 3
    r = analyse("", answer)
    assert any("\u201cum\u201d 18 times" in t for t in r["tips"])


def test_low_ownership_tip_asks_what_you_did():
    item = next(i for i in LABELLED if i["id"] == "a03")
    r = analyse(item["question"], item["answer"])
    assert r["i_we_ratio"] == 0.0
    assert any("say what you did yourself" in t for t in r["tips"])


def test_missing_job_terms_are_named_in_a_tip():
    r = analyse(CLEAN_STAR["question"], CLEAN_STAR["answer"], posting_text=SRE_POSTING)
    tip = next(t for t in r["tips"] if "posting's own words" in t)
    assert "\u201cincident response\u201d" in tip


def test_strong_answer_gets_praise():
    r = analyse(CLEAN_STAR["question"], CLEAN_STAR["answer"])
    assert len(r["tips"]) == 1 and r["tips"][0].startswith("Strong answer")


def test_tips_are_at_most_five_and_most_important_first():
    item = next(i for i in LABELLED if i["id"] == "a04")  # ramble: no action, no result
    r = analyse(item["question"], item["answer"], duration_seconds=20,
                posting_text=SRE_POSTING, talking_points=["the forklift audit"])  # fmt: skip
    assert len(r["tips"]) == 5
    assert r["tips"][0].startswith("Say what you did")
    assert r["tips"][1].startswith("Finish with the outcome")
    assert r["tips"][2].startswith("You said \u201clike\u201d")
    assert r["tips"][3].startswith("Your answer is short (20 seconds)")


# --- robustness ----------------------------------------------------------------------------


def test_very_long_answer_is_fine():
    answer = " ".join([CLEAN_STAR["answer"]] * 23)  # about 5,000 words
    r = analyse(CLEAN_STAR["question"], answer, duration_seconds=1800, posting_text=SRE_POSTING)
    _assert_shape(r)
    assert r["word_count"] > 5000 and r["length"]["verdict"] == "too_long"


def test_non_ascii_text_is_fine():
    answer = (
        "L\u2019\u00e9quipe du caf\u00e9 \u2014 na\u00efve, s\u00fbre \U0001f600 \u2014 "
        "\u201cwe\u2019d already\u201d fixed it; I\u2019ve re\u00adbuilt the Z\u00fcrich "
        "r\u00f4ta and we cut waiting by 30\u202f%. \u4e2d\u6587 \u0645\u0631\u062d\u0628\u0627"
    )
    posting = "Caf\u00e9 \u00e9quipe \U0001f600"
    r = analyse("Tell me about a time\u2026", answer, posting_text=posting)
    _assert_shape(r)
    assert r["word_count"] > 10


def test_is_behavioural_recognises_star_questions():
    assert is_behavioural("Tell me about a time you failed.")
    assert is_behavioural("Give an example of a conflict you resolved.")
    assert is_behavioural("Describe a situation where you led a team.")
    assert not is_behavioural("How would you handle an angry customer?")
    assert not is_behavioural("Why do you want to work here?")


def test_the_coach_imports_no_django():
    code = (
        "import sys, sayyes.practice.coach as c; c.analyse('q', 'I fixed it.'); "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@settings(max_examples=150, deadline=None)
@given(
    question=st.text(max_size=80),
    answer=st.text(max_size=600),
    duration=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
    points=st.one_of(st.none(), st.lists(st.text(max_size=30), max_size=4)),
)
# Found by the hunt: a duration so small that words / minutes divided by zero, or gave inf.
@example("Tell me about a time.", "I fixed it.", 5e-324, None)
@example("Tell me about a time.", "I fixed it.", 1e-310, None)
def test_any_text_gives_a_valid_shape(question, answer, duration, points):
    r = analyse(question, answer, duration_seconds=duration, talking_points=points)
    _assert_shape(r)


@settings(max_examples=40, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            ["I", "we", "like", "you", "know", "um", "built", "would", "last", "year", ",", ".",
             "reduced", "by", "40%", "the", "team", "kind", "of", "mean", "right", "?", "so",
             "yeah", "just", "three", "had", "to", "because", "and", "I'd", "already"]
        ),
        max_size=120,
    )
)  # fmt: skip
def test_word_salad_from_the_coach_vocabulary_gives_a_valid_shape(words):
    _assert_shape(analyse("Tell me about a time you led.", " ".join(words), 60, SRE_POSTING))


def test_a_talking_point_naming_a_star_part_is_covered_when_the_part_is_found():
    answer = (
        "Last spring at my previous job our checkout kept timing out. I was responsible for "
        "finding the cause. I profiled the slow queries and added the missing index. As a "
        "result checkout errors fell by 80 percent."
    )
    points = ["The action you took", "The outcome for customers", "Why others hadn't acted"]
    result = analyse("Tell me about a time you fixed a problem.", answer, talking_points=points)
    assert result["talking_points"]["covered"] == [
        "The action you took",
        "The outcome for customers",
    ]
    assert result["talking_points"]["missing"] == ["Why others hadn't acted"]
    vague = analyse(
        "Tell me about a time you fixed a problem.", "It was fine.", talking_points=points
    )
    assert vague["talking_points"]["covered"] == []


@pytest.mark.parametrize("seconds", [5e-324, 1e-310, 0.5])
def test_a_duration_under_a_second_gives_no_pace_and_no_infinity(seconds):
    r = analyse("", _words(150), duration_seconds=seconds)
    assert r["words_per_minute"] is None
    assert r["pace"]["verdict"] is None
    assert json.dumps(r, allow_nan=False)
