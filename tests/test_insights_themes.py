"""Industry insights read the job, not the ad: postings split into sections, themes and
requirements from responsibilities and requirements only.

The fixture (tests/fixtures/insights/postings.json) holds postings written for sayyes across
industries, each with realistic benefits, about-us and equal-opportunity text, and the
job-content terms of each labelled by hand.
"""

from __future__ import annotations

import pytest

from sayyes.journal import postings as jp
from sayyes.journal.insights import industry_insights
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import INDUSTRIES
from tests.insights_labels import POSTINGS, is_job_content


def test_the_fixture_is_broad_and_labelled():
    assert len(POSTINGS) >= 30
    assert len({p["industry"] for p in POSTINGS}) >= 30
    assert {p["industry"] for p in POSTINGS} <= set(INDUSTRIES)
    for p in POSTINGS:
        sections = {s.kind for s in jp.split_sections(p["text"])}
        assert {"responsibilities", "benefits"} <= sections, p["company"]
        assert len(p["job_terms"]) >= 10, p["company"]
        text = p["text"].lower()
        assert all(term.lower() in text for term in p["job_terms"]), p["company"]


@pytest.fixture
def fixture_account(alice):
    for p in POSTINGS:
        opp = pipeline.create_opportunity(
            alice, company_name=p["company"], title=p["title"], posting_text=p["text"]
        )
        pipeline.update_company(opp.company, industry=p["industry"])
    return alice


def test_at_least_90_percent_of_the_top_10_themes_are_job_content(fixture_account):
    themes = [t["term"] for t in industry_insights(fixture_account)["themes"][:10]]
    assert len(themes) == 10
    content = [t for t in themes if is_job_content(t)]
    assert len(content) >= 9, f"not job content: {sorted(set(themes) - set(content))}"


def test_no_theme_or_requirement_comes_from_benefits_or_boilerplate(fixture_account):
    result = industry_insights(fixture_account)
    found = [t["term"].lower() for t in result["themes"] + result["requirements"]]
    for word in (
        "paid time",
        "time off",
        "insurance",
        "allowance",
        "company match",
        "vision",
        "dental",
        "equal opportunity",
        "employer",
        "pension",
        "holiday",
    ):
        assert not any(word in term for term in found), (word, found)


def test_the_top_requirements_are_job_content(fixture_account):
    requirements = [t["term"] for t in industry_insights(fixture_account)["requirements"]]
    assert requirements
    assert sum(is_job_content(t) for t in requirements) >= 0.9 * len(requirements)


def test_headings_name_their_sections():
    text = """About us
Acme is a growing logistics company founded in 1990.

What you'll do:
- Plan delivery routes with route optimisation software.

REQUIREMENTS
- Experience with SQL.

## Benefits
- Health insurance and paid time off.
"""
    kinds = [(s.kind, s.text) for s in jp.split_sections(text)]
    assert kinds == [
        ("about", "Acme is a growing logistics company founded in 1990."),
        ("responsibilities", "Plan delivery routes with route optimisation software."),
        ("requirements", "Experience with SQL."),
        ("benefits", "Health insurance and paid time off."),
    ]


def test_without_headings_each_sentence_is_read_by_its_cues():
    text = (
        "Founded in 2001, Birchwood serves clinics across Wales. You will manage the "
        "rota for twelve clinics. Experience with payroll software is essential. We offer "
        "25 days of paid time off and a pension. Birchwood is an equal opportunity employer."
    )
    kinds = [s.kind for s in jp.split_sections(text)]
    assert kinds == ["about", "responsibilities", "requirements", "benefits", "about"]
    assert jp.job_text(text) == (
        "You will manage the rota for twelve clinics.\n"
        "Experience with payroll software is essential."
    )


def test_equal_opportunity_text_is_boilerplate_under_any_heading():
    text = "Responsibilities\n- Run payroll.\n- We are an equal opportunity employer."
    assert jp.job_text(text) == "Run payroll."


def test_job_terms_leave_out_titles_seniority_and_benefits():
    for term in (
        "Senior Data Engineer",
        "IT Specialist",
        "Specialist",
        "Operations",
        "vision cover",
        "paid time",
        "home-office allowance",
        "company match",
        "401(k)",
        "Operations team",
        "side of regulators",
    ):
        assert not jp.is_job_term(term), term
    for term in ("data pipelines", "SQL", "root cause analysis", "fair housing compliance"):
        assert jp.is_job_term(term), term


def test_job_terms_are_a_pure_function_of_one_posting():
    text = POSTINGS[0]["text"]
    assert jp.job_terms(text) == jp.job_terms(text)
    terms = jp.job_terms(text)
    assert "SQL" in terms and "Python" in terms
    assert not any("insurance" in t.lower() or "allowance" in t.lower() for t in terms)


def test_the_journal_reads_terms_with_the_coachs_extractor():
    # One extractor for the coach and the journal: the company, its description, the title
    # and idioms stay out of a posting's job terms.
    text = (
        "Pike & Sons, a family-run joinery, needs a Bench Joiner.\n"
        "Responsibilities\n- Cut dovetail joints.\n- Keep us on the right side of building control."
    )
    terms = [t.lower() for t in jp.job_terms(text)]
    assert "dovetail joints" in terms and "building control" in terms, terms
    assert not any(w in t for t in terms for w in ("pike", "joiner", "side")), terms


def test_the_demo_accounts_themes_are_about_the_job(alice):
    from sayyes.demo import fill_demo

    fill_demo(alice, seed=1)
    themes = [t["term"].lower() for t in industry_insights(alice)["themes"][:10]]
    assert len(themes) == 10
    every = [t["term"].lower() for t in industry_insights(alice)["themes"]]
    assert not {"next year", "coming seasons", "+ years"} & set(every), every
    for word in ("vision", "paid time", "allowance", "company match", "operations", "specialist"):
        assert not any(word in theme for theme in themes), (word, themes)
    assert not any(theme.endswith(" team") for theme in themes), themes


@pytest.mark.parametrize(
    "term", ["next year", "the coming seasons", "coming seasons", "+ years", "2 years", "- SQL"]
)
def test_a_time_expression_or_a_fragment_is_no_theme(term):
    from sayyes.journal.insights import _is_theme

    assert not _is_theme(term)


@pytest.mark.parametrize("term", ["seasonal demand planning", "night shift rota", "3D printing"])
def test_a_job_phrase_with_a_time_word_in_it_stays_a_theme(term):
    from sayyes.journal.insights import _is_theme

    assert _is_theme(term)
