"""What the journal adds up to: the company journal, companies side by side, what you value
(your dimensions against your overall interest) and insights per industry.

Every function works on one user's data only; nothing here ever pools users.
"""

from __future__ import annotations

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
from .postings import is_job_term
from .text import norm_text

MIN_DEBRIEFS_FOR_VALUES = 5
MAX_VALUE_DEBRIEFS = 200  # what you value is read from your latest debriefs


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

    Pearson's correlation per dimension over the debriefs that rate both (the latest
    :data:`MAX_VALUE_DEBRIEFS`); shown only from :data:`MIN_DEBRIEFS_FOR_VALUES` debriefs
    with an overall interest.
    """
    rows = list(  # the latest, from the end of the owner index (issue 18: bounded)
        Debrief.objects.owned_by(user)
        .filter(overall_interest__isnull=False)
        .order_by("-id")
        .values_list("ratings", "overall_interest")[:MAX_VALUE_DEBRIEFS]
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
    """The industries of the user's companies: one index probe per industry (a few dozen),
    whatever the number of companies."""
    from django.db import connection

    table = Company._meta.db_table
    probe = f"SELECT %s WHERE EXISTS (SELECT 1 FROM {table} WHERE owner_id = %s AND industry = %s)"
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join([probe] * len(INDUSTRIES)),
            [v for name in INDUSTRIES for v in (name, user.pk, name)],
        )
        names = {row[0] for row in cursor.fetchall()}
    return [i for i in INDUSTRIES if i in names]


# Words every job ad uses: alone, they are not a theme.
GENERIC_TERMS = frozenset(
    """day days week weeks month months year years time paid office team teams company role
    roles job jobs position work working people opportunity experience salary benefits
    benefit per full part hours hour new great""".split()
)
# Words a time expression is made of, articles included ("next year", "the coming seasons",
# "two years"): a phrase of these alone says when, not what the job is about.
TIME_WORDS = frozenset(
    """day days week weeks month months year years quarter quarters season seasons summer
    winter spring autumn fall time times today tomorrow weekend weekends morning mornings
    evening evenings night nights decade decades next last coming past previous this these
    few several first second third early late end start beginning within one two three four
    five six seven eight nine ten twelve the a an""".split()
)


def _is_theme(term: str) -> bool:
    words = term.split()
    if not words or not term[0].isalnum():
        return False  # a piece of "5+ years", or punctuation left over
    if all(w.lower() in TIME_WORDS or w.isdigit() for w in words):
        return False  # when, not what: "next year", "coming seasons", "2 years"
    if len(words) == 1 and (term.lower() in GENERIC_TERMS or term.isupper() and len(term) == 3):
        return False  # a generic word, or a currency code such as USD
    if "of" in words[1:-1] and words[-1].lower() in GENERIC_TERMS:
        return False  # "days of paid": a piece of "days of paid time off"
    if len(words) == 1 and term.islower():
        return False  # a lone common word ("data", "system"): too broad to read as a theme
    if not is_job_term(term):
        return False  # benefits, boilerplate, a job title or a seniority word
    return words[0].lower() not in {"of", "and", "or"} and words[-1].lower() not in {"of", "and"}


# Insights list the interest of this many companies, those with the most debriefs (issue 18:
# a page bounded by what a person reads, whatever the history). Themes and requirements are
# read from the counts of the terms stored per posting and debrief (``terms``): the top rows.
MAX_INSIGHT_COMPANIES = 20
MAX_INSIGHT_DEBRIEFS = 100  # the latest, whose interest per company is shown
MAX_INSIGHT_QUESTIONS = 200  # the latest asked, counted for "Questions asked most"
THEMES, REQUIREMENTS = 15, 10
CANDIDATES_PER_THEME = 4  # top count rows read for each theme shown (some are dropped)
COMPANIES_PER_THEME = 3  # names beside a theme; the rest is a number


def _first_companies(owner_id: int, industry: str, kind: str, keys: list[str]) -> dict:
    """The first few companies (by id) of each term: one query of a few index probes."""
    from django.db import connection

    from .models import TermCompany

    first: dict[str, list[int]] = {key: [] for key in keys}
    if not keys:
        return first
    table = TermCompany._meta.db_table
    one = (
        f"SELECT * FROM (SELECT key, company_id FROM {table} WHERE owner_id = %s AND "
        f"industry = %s AND kind = %s AND key = %s ORDER BY company_id LIMIT "
        f"{COMPANIES_PER_THEME}) AS k{{n}}"
    )
    sql = " UNION ALL ".join(one.format(n=n) for n in range(len(keys)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for key in keys for v in (owner_id, industry, kind, key)])
        for key, company_id in cursor.fetchall():
            first[key].append(company_id)
    return first


def stored_themes(owner_id: int, industry: str, kind: str, limit: int) -> list[dict]:
    """The terms most postings and debriefs have, with how many and at how many companies
    (names of the first few): read from the top of the stored counts, never the texts."""
    from .models import TermCount

    rows = list(
        TermCount.objects.filter(owner_id=owner_id, industry=industry, kind=kind)
        .order_by("-n", "key")
        .values_list("key", "term", "n", "companies")[: limit * CANDIDATES_PER_THEME]
    )
    # Longer terms first among equals, so "event sourcing" is kept over "sourcing".
    rows.sort(key=lambda r: (-r[2], -r[3], -len(r[1]), r[1].lower()))
    kept: list[tuple[str, str, int, int]] = []
    for row in rows:
        # A shorter term said as often, at as many companies, as a longer one adds nothing.
        if any(row[0] in k[0] and row[2] == k[2] and row[3] == k[3] for k in kept):
            continue
        kept.append(row)
        if len(kept) == limit:
            break
    first = _first_companies(owner_id, industry, kind, [row[0] for row in kept])
    names = dict(
        Company.objects.filter(pk__in={i for ids in first.values() for i in ids}).values_list(
            "pk", "name"
        )
    )
    return [
        {
            "term": term,
            "count": n,
            "companies": sorted(names[i] for i in first[key] if i in names),
            "companies_total": companies,
        }
        for key, term, n, companies in kept
    ]


def industry_insights(user, industry: str = "", *, company_names: bool = True) -> dict:
    """What your own debriefs and postings say about an industry ("" for all of them).

    ``company_names`` lists every company's name (the API and the CLI); the page only shows
    how many there are, and asks for none."""
    from django.db.models import Avg, Count, Q

    from .models import SourceTerm, TermCount, TermSource
    from .terms import pending

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
    debriefs_qs = Debrief.objects.owned_by(user)
    questions = Question.objects.owned_by(user).filter(source=Source.REAL, company__isnull=False)
    if industry:
        companies = companies.filter(industry=industry)
        debriefs_qs = debriefs_qs.filter(interview__opportunity__company__industry=industry)
        questions = questions.filter(company__industry=industry)
    debriefs_total = debriefs_qs.count()
    postings_total = (
        TermCount.objects.filter(
            owner_id=user.pk, industry=industry, kind=TermSource.POSTING, key=""
        )
        .values_list("n", flat=True)
        .first()
        or 0
    )
    asked: Counter[str] = Counter()
    asked_companies: dict[str, set[str]] = defaultdict(set)
    asked_text: dict[str, str] = {}
    # Plain tuples: one row a question asked, no model built for it.
    # The latest questions asked (from the end of the owner index), not every one.
    for based_on_id, text, company_name in questions.order_by("-id").values_list(
        "based_on_id", "text", "company__name"
    )[:MAX_INSIGHT_QUESTIONS]:
        key = str(based_on_id) if based_on_id else norm_text(text)
        asked[key] += 1
        asked_text.setdefault(key, text)
        asked_companies[key].add(company_name)
    # Interest per company, counted in the database over the latest debriefs (read from the
    # end of the owner index): the companies with the most of them.
    company_key = "interview__opportunity__company"
    latest = debriefs_qs.order_by("-id").values("pk")[:MAX_INSIGHT_DEBRIEFS]
    per_company = (
        debriefs_qs.filter(pk__in=latest)
        .values(company_key)
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
        "debriefs_read": debriefs_total,
        "postings": postings_total,
        "postings_total": postings_total,
        "pending": pending(user.pk),
        "themes": stored_themes(user.pk, industry, SourceTerm.THEME, THEMES),
        "requirements": stored_themes(user.pk, industry, SourceTerm.REQUIREMENT, REQUIREMENTS),
        "questions": [
            {"text": asked_text[k], "count": n, "companies": sorted(asked_companies[k])}
            for k, n in asked.most_common(10)
        ],
        "interest": interest,
        "interest_total": interest_total,
        "interest_debriefs": min(debriefs_total, MAX_INSIGHT_DEBRIEFS),
    }
