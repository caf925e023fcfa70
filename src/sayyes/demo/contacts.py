"""Contacts at the companies, and which of them sat in on which interview."""

from __future__ import annotations

from datetime import timedelta

from sayyes.network.models import Contact
from sayyes.pipeline.models import Interview, InterviewKind

from .context import (
    CONTACTS_PER_SCALE,
    HISTORY_DAYS,
    CompanyPlan,
    Demo,
    OpportunityPlan,
    slug,
    weighted,
)


def contact_objects(
    demo: Demo, companies: list[CompanyPlan], opportunities: list[OpportunityPlan]
) -> list[Contact]:
    rng, words = demo.rng, demo.words
    busy: dict[int, int] = {}
    for plan in opportunities:
        if plan.past or plan.future:
            busy[id(plan.company)] = busy.get(id(plan.company), 0) + plan.past + plan.future
    with_interviews = [c for c in companies if id(c) in busy]
    weights = [busy[id(c)] ** 0.5 for c in with_interviews]
    roles = {id(p.company): p.title for p in opportunities}
    objs = []
    for _ in range(CONTACTS_PER_SCALE * demo.scale):
        roll = rng.random()
        if with_interviews and roll < 0.8:
            company = rng.choices(with_interviews, weights=weights)[0]
        elif roll < 0.95:
            company = rng.choice(companies)
        else:
            company = None
        first, last = rng.choice(words.first_names), rng.choice(words.last_names)
        family = demo.family(company.industry if company else "Human Resources")
        role = roles.get(id(company), "Software Engineer")
        values = {
            "team": rng.choice(family.teams),
            "role": role.removeprefix("Senior "),
            "company": company.name if company else "a startup",
        }
        handle = slug(f"{first} {last}")
        domain = f"{slug(company.name)}.example.com" if company else "mail.example.net"
        region = company.city.region if company else "US"
        phone = ""
        if rng.random() < 0.4:
            if region in ("US", "CA"):
                area = rng.choice([212, 415, 512, 617, 416, 604])
                phone = f"+1 {area} 555-01{rng.randint(0, 99):02d}"
            elif region == "UK":
                phone = f"+44 20 7946 0{rng.randint(0, 999):03d}"
        contact = Contact(
            owner=demo.user,
            name=f"{first} {last}",
            email=f"{handle.replace('-', '.')}@{domain}" if rng.random() < 0.75 else "",
            phone=phone,
            linkedin_url=(f"https://www.linkedin.com/in/{handle}-{rng.randint(1000, 9999)}"
                          if rng.random() < 0.6 else ""),  # fmt: skip
            company=company.obj if company else None,
            title=rng.choice(words.contact_titles).format(**values),
            notes=rng.choice(words.contact_notes).format(**values) if rng.random() < 0.6 else "",
            created_at=(
                min(demo.now, (company.created_at or demo.now)
                    + timedelta(days=rng.uniform(0, 10)))
                if company else demo.now - timedelta(days=rng.uniform(1, HISTORY_DAYS))
            ).replace(microsecond=0),
        )  # fmt: skip
        if company is not None:
            company.contacts.append(contact)
        objs.append(contact)
    return objs


def interviewer_links(
    demo: Demo, interviews: list[Interview], company_of: dict[int, CompanyPlan]
) -> list[tuple[int, int]]:
    """Who is met where, as (interview id, contact id) pairs."""
    rng = demo.rng
    links = []
    for interview in interviews:
        people = company_of[interview.opportunity_id].contacts
        if not people or rng.random() >= 0.6:
            continue
        if interview.kind == InterviewKind.PHONE_SCREEN:
            k = 1
        else:
            k = weighted(rng, [(1, 55), (2, 30), (3, 15)])
        for person in rng.sample(people, min(k, len(people))):
            links.append((interview.pk, person.pk))
    return links
