"""Companies, opportunities with their posting and status history, then the whole write.

``fill_pipeline(demo)`` plans everything, then writes companies, opportunities, status
events, contacts, interviews and interviewers with ``bulk_create``, so that a large scale
takes seconds rather than minutes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sayyes.core import prose
from sayyes.network.models import Contact
from sayyes.pipeline.models import (
    INDUSTRIES,
    Company,
    Interview,
    Opportunity,
    Priority,
    Remote,
    Status,
    StatusEvent,
)

from .contacts import contact_objects, interviewer_links
from .context import (
    BATCH_SIZE,
    CLOSED,
    COMPANIES_PER_SCALE,
    HISTORY_DAYS,
    OPPORTUNITIES_PER_SCALE,
    CompanyPlan,
    Demo,
    OpportunityPlan,
    demo_total,
    roman,
    slug,
    weighted,
)
from .interviews import allocate_interviews, interview_objects
from .words import City

# How a search looks after a few months: many saved and applied, few offers, many closed.
FINAL_STATUS_WEIGHTS = [
    (Status.SAVED, 18), (Status.APPLIED, 27), (Status.SCREENING, 8),
    (Status.INTERVIEWING, 10), (Status.OFFER, 3), (Status.ACCEPTED, 1), (Status.DECLINED, 2),
    (Status.REJECTED, 24), (Status.WITHDRAWN, 7),
]  # fmt: skip
# The gap in days before reaching each status.
GAP_DAYS: dict[str, tuple[float, float]] = {
    Status.APPLIED: (0.2, 10), Status.SCREENING: (3, 21), Status.INTERVIEWING: (4, 14),
    Status.OFFER: (7, 25), Status.ACCEPTED: (1, 8), Status.DECLINED: (1, 8),
    Status.WITHDRAWN: (2, 20),
}  # fmt: skip
REJECTED_GAP_DAYS: dict[str, tuple[float, float]] = {
    Status.APPLIED: (5, 35), Status.SCREENING: (2, 10), Status.INTERVIEWING: (3, 14),
}  # fmt: skip
# Titles that already say how senior the role is.
LEVELLED = ("Senior", "Staff", "Lead", "Manager", "Director", "Head", "Controller", "General",
            "Coordinator")  # fmt: skip

# --- companies


def plan_companies(demo: Demo) -> list[CompanyPlan]:
    rng = demo.rng
    taken = {
        name.lower() for name in Company.objects.owned_by(demo.user).values_list("name", flat=True)
    }
    industries = list(INDUSTRIES)
    weights = [demo.words.industry_weights.get(i, 1) for i in industries]
    plans = []
    for _ in range(COMPANIES_PER_SCALE * demo.scale):
        industry = rng.choices(industries, weights=weights)[0]
        city = demo.city()
        name = _company_name(demo, industry, city, taken)
        taken.add(name.lower())
        address = f"{rng.randint(1, 999)} {rng.choice(demo.words.streets)}, {city.name}"
        plans.append(CompanyPlan(name, industry, city, address))
    return plans


def _company_name(demo: Demo, industry: str, city: City, taken: set[str]) -> str:
    rng = demo.rng
    suffixes = demo.words.industry_suffixes[industry]
    base = ""
    for _ in range(25):
        base = f"{rng.choice(demo.words.name_prefixes)} {rng.choice(suffixes)}"
        if base.lower() not in taken:
            return base
    # Every likely combination is in use: tell this one apart by its city, then a numeral.
    with_city = f"{base} {city.name.split(',')[0]}"
    if with_city.lower() not in taken:
        return with_city
    number = 2
    while f"{base} {roman(number)}".lower() in taken:
        number += 1
    return f"{base} {roman(number)}"


def company_objects(demo: Demo, plans: list[CompanyPlan]) -> list[Company]:
    rng, words = demo.rng, demo.words
    objs = []
    for plan in plans:
        notes = ""
        if rng.random() < 0.5:
            notes = rng.choice(words.company_notes).format(
                size=rng.choice([40, 120, 350, 800, 2500, 12000]),
                stage=rng.choice(words.company_stages),
                city=plan.city.name.split(",")[0],
                region=words.region_label[rng.choice(list(words.region_label))],
            )
            notes = notes[0].upper() + notes[1:]
        plan.obj = Company(
            owner=demo.user,
            name=plan.name,
            industry=plan.industry,
            website=f"https://{slug(plan.name)}.example.com" if rng.random() < 0.85 else "",
            location=plan.city.name,
            notes=notes,
            created_at=plan.created_at or demo.now,
        )
        objs.append(plan.obj)
    return objs


# --- opportunities and their history


def _title(demo: Demo, industry: str) -> str:
    rng = demo.rng
    if rng.random() < 0.2:
        title = rng.choice(demo.words.cross_industry_titles)
    else:
        title = rng.choice(demo.words.industry_titles[industry])
    if not any(w in title for w in LEVELLED):
        roll = rng.random()
        if roll < 0.25:
            title = f"Senior {title}"
        elif roll < 0.31:
            title = f"Lead {title}"
        elif roll < 0.38:
            title = f"Junior {title}"
    return title


def _path(demo: Demo) -> list[str]:
    rng = demo.rng
    final = weighted(rng, FINAL_STATUS_WEIGHTS)
    start: list[str] = [Status.SAVED, Status.APPLIED] if rng.random() < 0.55 else [Status.APPLIED]
    to_interviewing: list[str] = [*start, Status.SCREENING, Status.INTERVIEWING]
    if final == Status.SAVED:
        return [Status.SAVED]
    if final == Status.APPLIED:
        return start
    if final == Status.SCREENING:
        return [*start, Status.SCREENING]
    if final == Status.INTERVIEWING:
        return to_interviewing
    if final == Status.OFFER:
        return [*to_interviewing, Status.OFFER]
    if final in (Status.ACCEPTED, Status.DECLINED):
        return [*to_interviewing, Status.OFFER, final]
    if final == Status.REJECTED:
        stage = weighted(rng, [(Status.APPLIED, 55), (Status.SCREENING, 25),
                               (Status.INTERVIEWING, 20)])  # fmt: skip
    else:
        stage = weighted(rng, [(Status.SAVED, 15), (Status.APPLIED, 35),
                               (Status.SCREENING, 25), (Status.INTERVIEWING, 25)])  # fmt: skip
    if stage == Status.SAVED:
        return [Status.SAVED, final]
    return [*to_interviewing[: to_interviewing.index(stage) + 1], final]


def _times(demo: Demo, path: list[str]) -> list[datetime]:
    rng = demo.rng
    gaps = [0.0]
    for before, status in zip(path, path[1:], strict=False):
        low, high = (REJECTED_GAP_DAYS.get(before, (3, 20)) if status == Status.REJECTED
                     else GAP_DAYS[status])  # fmt: skip
        gaps.append(rng.uniform(low, high))
    span = sum(gaps)
    room = HISTORY_DAYS - 2
    if span > room:
        gaps = [g * room / span for g in gaps]
        span = room
    if path[-1] in CLOSED or path[-1] == Status.SAVED:
        end_ago = rng.uniform(0.3, HISTORY_DAYS - span)
    else:  # A live process moved recently.
        end_ago = rng.uniform(0.3, min(45.0, HISTORY_DAYS - span))
    at = demo.now - timedelta(days=end_ago + span)
    times = []
    for gap in gaps:
        at = at + timedelta(days=gap)
        times.append(at.replace(microsecond=0))
    return times


def plan_opportunities(demo: Demo, companies: list[CompanyPlan]) -> list[OpportunityPlan]:
    rng = demo.rng
    total = OPPORTUNITIES_PER_SCALE * demo.scale
    # Every company has at least one opening; a few popular ones have several.
    popularity = [min(rng.paretovariate(1.8), 8.0) for _ in companies]
    chosen = list(companies) + rng.choices(companies, weights=popularity, k=total - len(companies))
    plans = []
    for company in chosen:
        path = _path(demo)
        remote = weighted(rng, [(Remote.ONSITE, 30), (Remote.HYBRID, 35),
                                (Remote.REMOTE, 25), (Remote.UNKNOWN, 10)])  # fmt: skip
        city = company.city
        if rng.random() < 0.2:
            city = demo.city(company.city.region)
        title = _title(demo, company.industry)
        plans.append(OpportunityPlan(company, title, city, remote, path, _times(demo, path)))
    plans.sort(key=lambda p: p.times[0])
    for plan in plans:
        if plan.company.created_at is None:
            plan.company.created_at = plan.times[0]
    return plans


def _salary(demo: Demo, plan: OpportunityPlan) -> tuple[int | None, int | None, str]:
    rng = demo.rng
    if rng.random() < 0.25:
        return None, None, ""
    title = plan.title
    level = 1.0
    if any(w in title for w in ("Staff", "Principal", "Director", "Head", "General")):
        level = 1.45
    elif any(w in title for w in ("Senior", "Lead", "Manager", "Controller")):
        level = 1.25
    elif any(w in title for w in ("Junior", "Assistant", "Coordinator", "Representative")):
        level = 0.72
    pay = demo.words.industry_pay[plan.company.industry]
    base = pay * level * plan.city.pay * rng.uniform(0.88, 1.12)
    step = 5_000 if base >= 60_000 else 1_000
    low = max(step, round(base * 0.92 / step) * step)
    high = round(low * rng.uniform(1.12, 1.35) / step) * step
    currency = demo.words.region_currency[plan.city.region]
    if rng.random() < 0.08:  # Sometimes only a floor is given.
        return low, None, currency
    return low, max(high, low + step), currency


def _posting(demo: Demo, plan: OpportunityPlan, salary: tuple[int | None, int | None, str]) -> str:
    rng, words, text = demo.rng, demo.words, demo.words.posting
    company, city = plan.company, plan.city
    family = demo.family(company.industry)
    industry = company.industry if company.industry == "IT" else company.industry.lower()
    team = rng.choice(family.teams)
    skills = rng.sample(family.skills, 3)
    duties = rng.sample(family.duties, 2)
    where = city.name.split(",")[0]
    values = {
        "company": company.name,
        "industry": industry,
        "city": company.city.name,
        "customers": family.customers,
        "region": words.region_label[company.city.region],
        "adjective": rng.choice(words.company_adjectives),
        "founded": rng.randint(1968, 2021),
    }
    values["a_adjective"] = prose.a(str(values["adjective"]))
    intro = rng.choice(text.intros).format(**values)
    role = rng.choice(text.roles).format(title=plan.title, a_title=prose.a(plan.title), team=team)
    doing = rng.choice(text.duties).format(duty1=duties[0], duty2=duties[1])
    years = rng.randint(2, 8)  # drawn before the choice: a seed keeps giving the same data
    knowing = rng.choice(text.experience).format(
        years=years, skill1=skills[0], skill2=skills[1], skill3=skills[2]
    )
    optional = [doing, knowing]
    if plan.remote == Remote.REMOTE:
        optional.append(text.remote.format(region=words.region_label[city.region]))
    elif plan.remote == Remote.HYBRID:
        optional.append(text.hybrid.format(city=where, days=rng.randint(2, 3)))
    elif plan.remote == Remote.ONSITE:
        optional.append(text.onsite.format(city=where))
    perks = rng.sample(text.benefits, 3)
    optional.append(text.perks.format(perk1=perks[0], perk2=perks[1], perk3=perks[2]))
    low, high, currency = salary
    if low is not None and high is not None:
        optional.append(text.salary.format(currency=currency, low=low, high=high))
    keep = sorted(rng.sample(range(len(optional)), rng.randint(1, min(4, len(optional)))))
    return " ".join([intro, role, *(optional[i] for i in keep)])


def _posting_url(demo: Demo, plan: OpportunityPlan, source: str) -> str:
    rng = demo.rng
    if source == "LinkedIn":
        return f"https://www.linkedin.com/jobs/view/{rng.randint(3_000_000_000, 4_200_000_000)}"
    if source == "Job board":
        return f"https://jobs.example.org/postings/{rng.randint(100_000, 999_999)}"
    if source == "Company site" or rng.random() < 0.5:
        return f"https://{slug(plan.company.name)}.example.com/careers/{rng.randint(100, 9999)}"
    return ""


def opportunity_objects(demo: Demo, plans: list[OpportunityPlan]) -> list[Opportunity]:
    rng, words = demo.rng, demo.words
    objs = []
    for plan in plans:
        salary = _salary(demo, plan)
        source = weighted(rng, words.sources)
        family = demo.family(plan.company.industry)
        notes = ""
        if rng.random() < 0.55:
            notes = rng.choice(words.opportunity_notes).format(
                skill=rng.choice(family.skills),
                company=plan.company.name,
                city=plan.city.name.split(",")[0],
            )
        priority = weighted(rng, [(Priority.LOW, 25), (Priority.MEDIUM, 50),
                                  (Priority.HIGH, 25)])  # fmt: skip
        plan.obj = Opportunity(
            owner=demo.user,
            company=plan.company.obj,
            title=plan.title,
            status=plan.status,
            posting_url=_posting_url(demo, plan, source),
            posting_text=_posting(demo, plan, salary),
            source=source,
            location=(
                words.remote_location[plan.city.region]
                if plan.remote == Remote.REMOTE
                else plan.city.name
            ),
            remote=plan.remote,
            salary_min=salary[0],
            salary_max=salary[1],
            salary_currency=salary[2],
            priority=priority,
            notes=notes,
            created_at=plan.times[0],
            updated_at=plan.times[-1],
        )
        objs.append(plan.obj)
    return objs


def event_objects(plans: list[OpportunityPlan]) -> list[StatusEvent]:
    return [
        StatusEvent(opportunity=plan.obj, status=status, at=at)
        for plan in plans
        for status, at in zip(plan.path, plan.times, strict=True)
    ]


# --- writing


def _insert(demo: Demo, model, objs: list, description: str | None = None) -> None:
    step = BATCH_SIZE * 2 if description else len(objs) or 1
    for i in range(0, len(objs), step):
        chunk = objs[i : i + step]
        model.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
        if description:
            demo.report(len(chunk), description)


def fill_pipeline(demo: Demo) -> dict[str, int]:
    """Write the account's search: companies to interviewers. Returns the counts by kind."""
    demo.report(0, "Planning demo data")
    companies = plan_companies(demo)
    opportunities = plan_opportunities(demo, companies)
    allocate_interviews(demo, opportunities)
    company_objs = company_objects(demo, companies)
    _insert(demo, Company, company_objs)
    opportunity_objs = opportunity_objects(demo, opportunities)
    _insert(demo, Opportunity, opportunity_objs, "Opportunities")
    events = event_objects(opportunities)
    _insert(demo, StatusEvent, events)
    if opportunity_objs:
        first = min(o.pk for o in opportunity_objs)
        StatusEvent.refresh_furthest_stage(
            Opportunity.objects.owned_by(demo.user).filter(pk__gte=first)
        )
    contacts = contact_objects(demo, companies, opportunities)
    _insert(demo, Contact, contacts)
    interviews = interview_objects(demo, opportunities)
    _insert(demo, Interview, interviews, "Interviews")
    company_of = {
        obj.pk: plan.company for obj, plan in zip(opportunity_objs, opportunities, strict=True)
    }
    through = Interview.interviewers.through
    links = [
        through(interview_id=interview_id, contact_id=contact_id)
        for interview_id, contact_id in interviewer_links(demo, interviews, company_of)
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    # Keep a progress bar sized by demo_total() honest even if fewer interviews fitted.
    demo.report(max(0, demo_total(demo.scale) - demo.reported), "Done")
    return {
        "companies": len(company_objs),
        "opportunities": len(opportunity_objs),
        "interviews": len(interviews),
        "contacts": len(contacts),
        "events": len(events),
    }
