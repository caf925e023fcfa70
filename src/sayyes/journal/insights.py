"""What the journal adds up to: the company journal, companies side by side, what you value
(your dimensions against your overall interest) and insights per industry.

Every function works on one user's data only; nothing here ever pools users.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections import Counter, defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from sayyes.network.models import Contact
from sayyes.pipeline.models import INDUSTRIES, Company, Interview, Status
from sayyes.practice.models import Question, Source

from .debriefs import company_debriefs, company_ratings, dimensions
from .models import Debrief
from .postings import is_job_term, job_terms, job_text, key_terms, requirements_text
from .text import names_company, norm_text

MIN_DEBRIEFS_FOR_VALUES = 5


# --- The company journal and companies side by side ----------------------------------------

STAGE_ORDER = [
    Status.SAVED,
    Status.APPLIED,
    Status.SCREENING,
    Status.INTERVIEWING,
    Status.OFFER,
    Status.ACCEPTED,
]


def stage_reached(company: Company) -> str:
    """The furthest stage any opportunity at the company reached ("" when none)."""
    from sayyes.pipeline.models import StatusEvent

    seen = set(
        StatusEvent.objects.filter(opportunity__company=company).values_list("status", flat=True)
    ) | set(company.opportunities.values_list("status", flat=True))
    reached = [s for s in STAGE_ORDER if s in seen]
    return reached[-1] if reached else ""


def _lines(debriefs, field: str) -> list[dict]:
    return [
        {"text": getattr(d, field), "interview_id": d.interview_id, "date": d.interview.starts_at}
        for d in debriefs
        if getattr(d, field).strip()
    ]


def _mean_interest(debriefs) -> float | None:
    values = [d.overall_interest for d in debriefs if d.overall_interest]
    return round(statistics.fmean(values), 2) if values else None


def company_journal(user, company: Company) -> dict:
    debriefs = list(
        company_debriefs(user, company)
        .select_related("interview__opportunity")
        .prefetch_related("people")
        .order_by("interview__starts_at")
    )
    interviews = list(
        Interview.objects.owned_by(user)
        .filter(opportunity__company=company)
        .select_related("opportunity")
        .prefetch_related("interviewers")
        .order_by("starts_at")
    )
    by_interview = {d.interview_id: d for d in debriefs}
    timeline = [{"interview": i, "debrief": by_interview.get(i.pk)} for i in interviews]
    return {
        "company": company,
        "opportunities": list(company.opportunities.order_by("-updated_at")),
        "interviews": interviews,
        "timeline": timeline,
        "debriefs": debriefs,
        "ratings": company_ratings(user, company),
        "overall_interest": _mean_interest(debriefs),
        "likes": _lines(debriefs, "likes"),
        "dislikes": _lines(debriefs, "dislikes"),
        "contacts": list(Contact.objects.owned_by(user).filter(company=company).order_by("name")),
        "stage": stage_reached(company),
    }


def companies_overview(user, companies=None) -> list[dict]:
    """The user's companies (all, or the given ones: a page of them) with their debriefs,
    mean interest and stage, in a fixed number of queries."""
    from django.db.models import Avg, Count

    from sayyes.pipeline.models import Opportunity, StatusEvent

    if companies is None:
        companies = Company.objects.owned_by(user)
    ids = [c.pk for c in companies]
    companies = (
        Company.objects.owned_by(user).filter(pk__in=ids).annotate(n_opps=Count("opportunities"))
    )
    debriefs = {
        row["interview__opportunity__company"]: row
        for row in Debrief.objects.owned_by(user)
        .filter(interview__opportunity__company_id__in=ids)
        .values("interview__opportunity__company")
        .annotate(n=Count("id"), interest=Avg("overall_interest"))
    }
    seen: dict[int, set[str]] = defaultdict(set)
    for company_id, status in (
        StatusEvent.objects.owned_by(user)
        .filter(opportunity__company_id__in=ids)
        .values_list("opportunity__company_id", "status")
        .distinct()
    ):
        seen[company_id].add(status)
    for company_id, status in (
        Opportunity.objects.owned_by(user)
        .filter(company_id__in=ids)
        .values_list("company_id", "status")
    ):
        seen[company_id].add(status)
    out = []
    for company in companies.order_by(Lower("name"), "pk"):
        row = debriefs.get(company.pk, {})
        reached = [s for s in STAGE_ORDER if s in seen[company.pk]]
        interest = row.get("interest")
        out.append(
            {
                "company": company,
                "debriefs": row.get("n", 0),
                "overall_interest": round(interest, 2) if interest is not None else None,
                "stage": reached[-1] if reached else "",
                "opportunities": company.n_opps,
            }
        )
    return out


def compare_companies(user, companies: list[Company]) -> list[dict]:
    if not 2 <= len(companies) <= 5:
        raise ValidationError({"ids": "Choose 2 to 5 companies to compare."})
    if any(c.owner_id != user.pk for c in companies):
        raise ValidationError({"ids": "No such company."})
    items = []
    for company in companies:
        debriefs = list(company_debriefs(user, company).select_related("interview"))
        stage = stage_reached(company)
        items.append(
            {
                "id": company.pk,
                "name": company.name,
                "industry": company.industry,
                "ratings": company_ratings(user, company),
                "overall_interest": _mean_interest(debriefs),
                "likes": [x["text"] for x in _lines(debriefs, "likes")],
                "dislikes": [x["text"] for x in _lines(debriefs, "dislikes")],
                "stage": stage,
                "stage_label": Status(stage).label if stage else "",
                "debriefs": len(debriefs),
                "compensation": _compensation(user, company),
            }
        )
    return items


def _compensation(user, company: Company) -> dict | None:
    """The company's latest offer: base salary and 4-year total (decimal strings), or None."""
    # Through the user's reverse relation: the journal doesn't import offers.
    offer = user.offers.filter(opportunity__company=company).order_by("-created_at", "-id").first()
    if offer is None:
        return None
    return {
        "offer_id": offer.pk,
        "status": offer.status,
        "currency": offer.currency,
        "base_salary": str(offer.base_salary),
        "total_4y": str(offer.total_4y()),
    }


# --- What you value ------------------------------------------------------------------------


def what_you_value(user) -> dict:
    """How each dimension goes with your overall interest, across your debriefs.

    Pearson's correlation per dimension over the debriefs that rate both; shown only
    from :data:`MIN_DEBRIEFS_FOR_VALUES` debriefs with an overall interest.
    """
    rows = list(
        Debrief.objects.owned_by(user)
        .filter(overall_interest__isnull=False)
        .values_list("ratings", "overall_interest")
    )
    result: dict[str, Any] = {
        "debriefs": len(rows),
        "needed": MIN_DEBRIEFS_FOR_VALUES,
        "enough": False,
    }
    result["dimensions"] = []
    if len(rows) < MIN_DEBRIEFS_FOR_VALUES:
        return result
    result["enough"] = True
    for name in dimensions(user):
        pairs = [(r[name], o) for r, o in rows if isinstance((r or {}).get(name), int)]
        if len(pairs) < 3:
            continue
        xs, ys = zip(*pairs, strict=True)
        try:
            r = statistics.correlation(xs, ys)
        except statistics.StatisticsError:
            continue  # every rating the same: nothing to learn yet
        strength = abs(r)
        words = (
            "strongly"
            if strength >= 0.7
            else "clearly"
            if strength >= 0.4
            else "a little"
            if strength >= 0.2
            else "hardly"
        )
        direction = "goes with" if r >= 0 else "goes against"
        result["dimensions"].append(
            {
                "name": name,
                "correlation": round(r, 2),
                "pairs": len(pairs),
                "summary": f"{name.capitalize()} {words} {direction} your overall interest"
                if strength >= 0.2
                else f"{name.capitalize()} hardly moves your overall interest",
            }
        )
    result["dimensions"].sort(key=lambda d: -abs(d["correlation"]))
    return result


# --- Industry insights ---------------------------------------------------------------------


def industries(user) -> list[str]:
    # Distinct in the database, from the (owner, industry) index: one row an industry.
    names = set(
        Company.objects.owned_by(user)
        .exclude(industry="")
        .order_by()
        .values_list("industry", flat=True)
        .distinct()
    )
    return [i for i in INDUSTRIES if i in names]


def _mentions(low_text: str, low_term: str) -> bool:
    """Whether the lower-cased text says the lower-cased term as whole words."""
    if low_term not in low_text:
        return False
    return re.search(r"(?<!\w)" + re.escape(low_term) + r"(?!\w)", low_text) is not None


# Words every job ad uses: alone, they are not a theme.
GENERIC_TERMS = frozenset(
    """day days week weeks month months year years time paid office team teams company role
    roles job jobs position work working people opportunity experience salary benefits
    benefit per full part hours hour new great""".split()
)


def _is_theme(term: str) -> bool:
    words = term.split()
    if len(words) == 1 and (term.lower() in GENERIC_TERMS or term.isupper() and len(term) == 3):
        return False  # a generic word, or a currency code such as USD
    if "of" in words[1:-1] and words[-1].lower() in GENERIC_TERMS:
        return False  # "days of paid": a piece of "days of paid time off"
    if len(words) == 1 and term.islower():
        return False  # a lone common word ("data", "system"): too broad to read as a theme
    if not is_job_term(term):
        return False  # benefits, boilerplate, a job title or a seniority word
    return words[0].lower() not in {"of", "and", "or"} and words[-1].lower() not in {"of", "and"}


# A document the themes are counted over: its company, its text, and its candidate terms.
Document = tuple[Company, str, list[str]]


def _document(company: Company, text: str, terms: list[str] | None = None) -> Document:
    from sayyes.practice.coach.jobterms import extract_terms

    return (company, text, list(extract_terms(text)) if terms is None else terms)


def _themes(documents: list[Document], limit: int = 15) -> list[dict]:
    """Key terms across documents, with how many mention each."""
    candidates: dict[str, str] = {}
    for company, _text, terms in documents:
        for term in terms:
            if _is_theme(term) and not names_company(term, company):
                candidates.setdefault(term.lower(), term)
    lowered = [(company.name, text.lower()) for company, text, _terms in documents]
    themes: list[dict[str, Any]] = []
    for low, term in candidates.items():
        sources = [name for name, text in lowered if _mentions(text, low)]
        if sources:
            themes.append({"term": term, "count": len(sources), "companies": sorted(set(sources))})
    # Longer terms first among equals, so "event sourcing" is kept over "sourcing".
    themes.sort(
        key=lambda t: (-t["count"], -len(t["companies"]), -len(t["term"]), t["term"].lower())
    )
    # A shorter term said by exactly the same sources as a longer one adds nothing.
    kept: list[dict] = []
    for theme in themes:
        if any(
            theme["term"].lower() in k["term"].lower()
            and theme["count"] == k["count"]
            and theme["companies"] == k["companies"]
            for k in kept
        ):
            continue
        kept.append(theme)
    return kept[:limit]


# Insights read at most this many postings, the most recently updated, and this many
# debriefs, the latest; they list the interest of this many companies, those with the most
# debriefs (issue 18: a page bounded by what a person reads, whatever the history).
MAX_INSIGHT_POSTINGS = 300
MAX_INSIGHT_DEBRIEFS = 100
MAX_INSIGHT_COMPANIES = 20


def posting_documents(postings: list[tuple[Company, str]]) -> tuple[list[Document], list[Document]]:
    """Postings as (job content, requirements) documents: their benefits and about-us text
    never count. ``job_terms`` is a pure function of one posting's text."""
    themes, requirements = [], []
    for company, text in postings:
        content, terms, wanted, wanted_terms = _posting_parts(text)
        if content:
            themes.append((company, content, list(terms)))
        if wanted:
            requirements.append((company, wanted, list(wanted_terms)))
    return themes, requirements


@functools.lru_cache(maxsize=2 * MAX_INSIGHT_POSTINGS)
def _posting_parts(text: str) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
    """A posting's job content and its terms, its requirements and theirs: pure functions of
    its text, so kept per text in this process (the page reads the same postings again)."""
    content = job_text(text)
    wanted = requirements_text(text)
    return (
        content,
        tuple(job_terms(text)) if content else (),
        wanted,
        tuple(key_terms(wanted)) if wanted else (),
    )


def industry_insights(user, industry: str = "", *, company_names: bool = True) -> dict:
    """What your own debriefs and postings say about an industry ("" for all of them).

    ``company_names`` lists every company's name (the API and the CLI); the page only shows
    how many there are, and asks for none."""
    from django.db.models import Avg, Count, Q

    from sayyes.pipeline.models import Opportunity

    industry = (industry or "").strip()
    if industry:
        match = next((i for i in INDUSTRIES if i.lower() == industry.lower()), None)
        if match is None:
            raise ValidationError(
                {
                    "industry": f"{industry!r} is not an industry. Use one of: {', '.join(INDUSTRIES)}."
                }
            )
        industry = match
    companies = Company.objects.owned_by(user)
    # The scope is a filter on each table (never a list of every company id in the query).
    opportunities = Opportunity.objects.owned_by(user)
    debriefs_qs = Debrief.objects.owned_by(user)
    questions = Question.objects.owned_by(user).filter(source=Source.REAL, company__isnull=False)
    if industry:
        companies = companies.filter(industry=industry)
        opportunities = opportunities.filter(company__industry=industry)
        debriefs_qs = debriefs_qs.filter(interview__opportunity__company__industry=industry)
        questions = questions.filter(company__industry=industry)
    debriefs_total = debriefs_qs.count()
    debriefs = list(
        # The latest written: read from the end of the owner index, no sort of them all.
        debriefs_qs.select_related("interview__opportunity__company").order_by("-id")[
            :MAX_INSIGHT_DEBRIEFS
        ]
    )
    with_posting = opportunities.exclude(posting_text="")
    postings_total = with_posting.count()
    postings = [  # the most recent ones: key terms cost a few ms per posting
        (o.company, o.posting_text)
        for o in with_posting.select_related("company").order_by("-updated_at", "-id")[
            :MAX_INSIGHT_POSTINGS
        ]
    ]
    learned_texts = [
        (
            d.interview.opportunity.company,
            "\n".join(
                getattr(d, f)
                for f in ("learned_strategy", "learned_goals", "likes", "dislikes", "notes")
                if getattr(d, f).strip()
            ),
        )
        for d in debriefs
    ]
    learned = [_document(company, text) for company, text in learned_texts if text]
    posted, posted_requirements = posting_documents(postings)
    requirements = posted_requirements + [
        _document(d.interview.opportunity.company, d.learned_requirements)
        for d in debriefs
        if d.learned_requirements.strip()
    ]
    asked: Counter[str] = Counter()
    asked_companies: dict[str, set[str]] = defaultdict(set)
    asked_text: dict[str, str] = {}
    # Plain tuples: one row a question asked, no model built for it.
    for based_on_id, text, company_name in questions.values_list(
        "based_on_id", "text", "company__name"
    ):
        key = str(based_on_id) if based_on_id else norm_text(text)
        asked[key] += 1
        asked_text.setdefault(key, text)
        asked_companies[key].add(company_name)
    # Interest per company, counted in the database: the companies with the most debriefs.
    company_key = "interview__opportunity__company"
    per_company = (
        debriefs_qs.values(company_key)
        .annotate(
            name=Lower(f"{company_key}__name"),
            n=Count("id"),
            mean=Avg("overall_interest", filter=Q(overall_interest__gt=0)),
        )
        .order_by()
    )
    # One small row a company with debriefs: how many there are, and the top ones.
    groups = sorted(per_company, key=lambda row: (-row["n"], row["name"], row[company_key]))
    interest_total = len(groups)
    top = groups[:MAX_INSIGHT_COMPANIES]
    names = dict(
        Company.objects.owned_by(user)
        .filter(pk__in=[row[company_key] for row in top])
        .values_list("pk", "name")
    )
    interest = sorted(
        (
            {
                "company_id": row[company_key],
                "company": names[row[company_key]],
                "overall_interest": round(row["mean"], 2) if row["mean"] is not None else None,
                "debriefs": row["n"],
            }
            for row in top
        ),
        key=lambda i: (i["company"], i["company_id"]),
    )
    return {
        "industry": industry,
        "industries": industries(user),
        "companies": (
            list(companies.order_by("name").values_list("name", flat=True)) if company_names else []
        ),
        "companies_total": companies.count(),
        "debriefs": debriefs_total,
        "debriefs_read": len(debriefs),
        "postings": len(postings),
        "postings_total": postings_total,
        "themes": _themes(posted + learned),
        "requirements": _themes(requirements, limit=10),
        "questions": [
            {"text": asked_text[k], "count": n, "companies": sorted(asked_companies[k])}
            for k, n in asked.most_common(10)
        ],
        "interest": interest,
        "interest_total": interest_total,
    }
