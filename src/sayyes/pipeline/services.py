"""Pipeline operations shared by the pages, the API and the CLI.

Every function takes the acting user and touches only that user's rows. Bad input
raises ``django.core.exceptions.ValidationError`` with field names, before anything
is written; each write runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from .models import (
    FUNNEL_RANK,
    Company,
    Interview,
    InterviewStatus,
    Opportunity,
    OpportunityCount,
    Status,
    StatusEvent,
    topic_lines,
    validate_topics,
)
from .signals import interview_done

OPPORTUNITY_FIELDS = (
    "title", "status", "posting_url", "posting_text", "source", "location", "remote",
    "salary_min", "salary_max", "salary_currency", "priority", "notes",
)  # fmt: skip
COMPANY_FIELDS = ("name", "industry", "website", "location", "notes")
INTERVIEW_FIELDS = (
    "kind", "starts_at", "timezone", "duration_minutes", "location", "video_url", "status", "notes",
    "topics",
)  # fmt: skip

# A search looks through the user's latest this-many matching opportunities (issue 18).
SEARCH_LIMIT = 1000

SORTS: dict[str, str | Lower] = {
    "updated": "-updated_at",
    "created": "-created_at",
    # Case-insensitive, so "acme" sorts before "Zeta" on every database.
    "company": Lower("company__name"),
    "title": Lower("title"),
    "priority": "-priority",
    "status": "status",
}


def _validate(obj, exclude: Iterable[str] = ()) -> None:
    obj.full_clean(exclude=list(exclude), validate_unique=False)


# --- Companies ----------------------------------------------------------------------------


def get_or_create_company(user, name: str) -> Company:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"company_name": "Name the company."})
    if len(name) > 200:
        raise ValidationError({"company_name": "A company name has at most 200 characters."})
    company = Company.objects.owned_by(user).filter(name__iexact=name).first()
    if company is None:
        company = Company(owner=user, name=name)
        _validate(company, exclude=["owner"])
        try:
            with transaction.atomic():
                company.save()
        except IntegrityError:
            # Another request created it a moment ago: use that one.
            company = Company.objects.owned_by(user).get(name__iexact=name)
    return company


COMPANY_SUGGESTIONS = 20


def company_names(user, q: str = "", limit: int = COMPANY_SUGGESTIONS) -> list[str]:
    """At most ``limit`` of the user's company names containing ``q`` (any case), those that
    start with it first: the "Company" suggestions of a form, asked for as you type."""
    q = " ".join(q.split())[:200]
    companies: QuerySet[Company] = Company.objects.owned_by(user)
    if q:
        # Names that start with it, read as a range of the (owner, lower(name)) index: as
        # many as are shown, whatever the number of companies (issue 18). Only when there
        # are fewer is every name that contains it looked at.
        low = q.lower()
        starting = list(
            companies.annotate(low=Lower("name"))
            .filter(low__gte=low, low__lt=low[:-1] + chr(ord(low[-1]) + 1), name__istartswith=q)
            .order_by("low")
            .values_list("name", flat=True)[:limit]
        )
        if len(starting) >= limit:
            return starting
        companies = (
            companies.filter(name__icontains=q)
            .annotate(rank=Case(When(name__istartswith=q, then=Value(0)), default=Value(1)))
            .order_by("rank", Lower("name"))
        )
    return list(companies.values_list("name", flat=True)[:limit])


def create_company(user, **fields: Any) -> Company:
    company = Company(owner=user, **{k: v for k, v in fields.items() if k in COMPANY_FIELDS})
    _validate(company, exclude=["owner"])
    _check_company_name_free(user, company)
    company.save()
    return company


def update_company(company: Company, **fields: Any) -> Company:
    changed = [k for k in fields if k in COMPANY_FIELDS]
    for key in changed:
        setattr(company, key, fields[key])
    _validate(company, exclude=["owner"])
    _check_company_name_free(company.owner, company)
    company.save(update_fields=changed or None)
    return company


def _check_company_name_free(user, company: Company) -> None:
    clash = Company.objects.owned_by(user).filter(name__iexact=company.name).exclude(pk=company.pk)
    if clash.exists():
        raise ValidationError({"name": f"You already have a company named {company.name!r}."})


def delete_company(company: Company) -> None:
    if company.opportunities.exists():
        raise ValidationError(
            {"company": "This company still has opportunities; delete or move them first."}
        )
    company.delete()


# --- Opportunities --------------------------------------------------------------------------


@transaction.atomic
def create_opportunity(
    user, *, company: Company | None = None, company_name: str | None = None, **fields: Any
) -> Opportunity:
    unknown = set(fields) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a field of an opportunity." for name in unknown})
    if company is None:
        company = get_or_create_company(user, company_name or "")
    elif company.owner_id != user.pk:
        raise ValidationError({"company_id": "No such company."})
    now = timezone.now()
    opp = Opportunity(owner=user, company=company, created_at=now, updated_at=now, **fields)
    _validate(opp, exclude=["owner", "company"])
    opp.save()
    StatusEvent.objects.create(opportunity=opp, status=opp.status, at=now)
    return opp


@transaction.atomic
def update_opportunity(
    opp: Opportunity,
    *,
    company: Company | None = None,
    company_name: str | None = None,
    **fields: Any,
) -> Opportunity:
    unknown = set(fields) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a field of an opportunity." for name in unknown})
    old_status = opp.status
    if company_name is not None:
        company = get_or_create_company(opp.owner, company_name)
    if company is not None:
        if company.owner_id != opp.owner_id:
            raise ValidationError({"company_id": "No such company."})
        opp.company = company
    for key, value in fields.items():
        setattr(opp, key, value)
    _validate(opp, exclude=["owner", "company"])
    now = timezone.now()
    opp.updated_at = now
    opp.save()
    if opp.status != old_status:
        StatusEvent.objects.create(opportunity=opp, status=opp.status, at=now)
    return opp


def change_status(opp: Opportunity, status: str) -> bool:
    """Move an opportunity to ``status``. Returns False when it already had it."""
    if status not in Status.values:
        raise ValidationError(
            {"status": f"{status!r} is not a status. Use one of: {', '.join(Status.values)}."}
        )
    with transaction.atomic():
        now = timezone.now()
        # A conditional update: two tabs dragging the same card record one change each.
        changed = (
            Opportunity.objects.filter(pk=opp.pk)
            .exclude(status=status)
            .update(status=status, updated_at=now)
        )
        if changed:
            StatusEvent.objects.create(opportunity=opp, status=status, at=now)
            opp.status, opp.updated_at = status, now
    return bool(changed)


def delete_opportunity(opp: Opportunity) -> None:
    opp.delete()


def search_opportunities(
    user,
    *,
    q: str = "",
    status: str = "",
    company: str = "",
    priority: str | int = "",
    sort: str = "",
) -> QuerySet[Opportunity]:
    """The user's opportunities matching the filters. ``q`` is a full-text query (see
    ``sayyes.core.fulltext``) over company, title, notes and posting text; with one, the
    default order is by relevance (``sort="relevance"``), otherwise the latest changed first.
    A search covers the latest ``SEARCH_LIMIT`` matching opportunities (by when they were
    added), after the other filters."""
    from sayyes.core.fulltext import parse

    from .search import latest, matching

    qs: QuerySet[Opportunity] = Opportunity.objects.owned_by(user).select_related("company")
    query = parse(q or "")
    if query:
        qs = matching(qs, query)
    elif query.excluded:
        raise ValidationError({"q": "Say what to look for, not only what to leave out."})
    if status:
        if status not in Status.values:
            raise ValidationError(
                {"status": f"{status!r} is not a status. Use one of: {', '.join(Status.values)}."}
            )
        qs = qs.filter(status=status)
    if company:
        if str(company).isdigit():
            qs = qs.filter(company_id=int(company))
        else:
            qs = qs.filter(company__name__iexact=company)
    if priority not in ("", None):
        try:
            qs = qs.filter(priority=int(priority))
        except (TypeError, ValueError):
            raise ValidationError(
                {"priority": "Priority is 1 (low), 2 (medium) or 3 (high)."}
            ) from None
    if query:
        # A word as common as "engineer" can match most of a long history: rank and sort
        # the latest SEARCH_LIMIT matches only, so a search costs the same at any size.
        qs = latest(qs, SEARCH_LIMIT)
    sort = sort or ("relevance" if query else "updated")
    if sort == "relevance":
        return (
            qs.order_by("search_rank", "-updated_at", "-id")
            if query
            else qs.order_by("-updated_at", "-id")
        )
    if sort not in SORTS:
        raise ValidationError({"sort": f"Sort by one of: relevance, {', '.join(SORTS)}."})
    return qs.order_by(SORTS[sort], "-id")


def stored_count(
    user, *, q: str = "", status: str = "", company: Any = "", priority: Any = ""
) -> int | None:
    """How many opportunities ``search_opportunities`` finds with these filters, from the
    stored status counts, when no filter but the status is given; else None (count them)."""
    if (q or "").strip() or company or priority not in ("", None):
        return None
    counts = status_counts(user)
    return counts.get(status, 0) if status else sum(counts.values())


def count_rows(user) -> list[tuple[str, int, int]]:
    """The user's (status, furthest stage, how many) rows, kept by database triggers
    (``pipeline.counts``): at most 9 × 6 rows however many opportunities (issue 18)."""
    return list(
        OpportunityCount.objects.filter(owner_id=user.pk).values_list(
            "status", "furthest_stage", "n"
        )
    )


def status_counts(user, rows: list[tuple[str, int, int]] | None = None) -> dict[str, int]:
    counts = {s: 0 for s in Status.values}
    for status, _stage, n in count_rows(user) if rows is None else rows:
        counts[status] = counts.get(status, 0) + n
    return counts


# The latest changes are looked for first among everyone's events of this many days.
LATEST_WINDOW_DAYS = 30


def latest_events(user, n: int = 8) -> list[StatusEvent]:
    """The user's ``n`` latest status changes, newest first.

    First read from the end of the (at, id) index over the last LATEST_WINDOW_DAYS, keeping
    the user's events as they come (a correlated EXISTS on the opportunity's owner), so it
    stops after ``n`` of them instead of sorting every event the user ever had. A user with
    fewer than ``n`` changes in that window (a quiet account on a busy career-centre server)
    gets them from their own events instead, so the walk never crosses every other user's
    history. Then those ``n`` with their opportunity and company (issue 18)."""
    mine = Opportunity.objects.owned_by(user).filter(pk=OuterRef("opportunity_id"))
    since = timezone.now() - timedelta(days=LATEST_WINDOW_DAYS)
    ids = list(
        StatusEvent.objects.filter(Exists(mine), at__gte=since)
        .order_by("-at", "-id")
        .values_list("id", flat=True)[:n]
    )
    if len(ids) < n:
        ids = list(
            StatusEvent.objects.owned_by(user)
            .order_by("-at", "-id")
            .values_list("id", flat=True)[:n]
        )
    return list(
        StatusEvent.objects.filter(pk__in=ids)
        .select_related("opportunity__company")
        .order_by("-at", "-id")
    )


def funnel(user, rows: list[tuple[str, int, int]] | None = None) -> list[tuple[str, int]]:
    """How many opportunities reached each funnel stage or went beyond it: from the furthest
    stage stored on each opportunity, counted by the triggers (never a walk over the events)."""
    order = [Status.APPLIED, Status.SCREENING, Status.INTERVIEWING, Status.OFFER]
    rows = count_rows(user) if rows is None else rows
    return [
        (stage.value, sum(n for _status, rank, n in rows if rank >= FUNNEL_RANK[stage]))
        for stage in order
    ]


# --- Interviews ------------------------------------------------------------------------------


def _set_interviewers(interview: Interview, interviewer_ids: list[int] | None) -> None:
    if interviewer_ids is None:
        return
    ids = set(interviewer_ids)
    # The owner's contacts (network.Contact) through the reverse relation: no import of network.
    found = set(interview.owner.contacts.filter(pk__in=ids).values_list("pk", flat=True))
    missing = sorted(ids - found)
    if missing:
        raise ValidationError(
            {"interviewer_ids": f"No such contact: {', '.join(map(str, missing))}."}
        )
    interview.interviewers.set(found)
    Interview.objects.filter(pk=interview.pk).update(updated_at=timezone.now())


def set_interviewers_by_name(interview: Interview, names: list[str]) -> list:
    """Name the interviewers: each name becomes (or finds) a contact at the company."""
    company = interview.opportunity.company
    contacts_of_owner = interview.owner.contacts  # network.Contact, through the reverse relation
    contacts = []
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > 200:
            raise ValidationError({"interviewers": "A name has at most 200 characters."})
        contact = (
            contacts_of_owner.filter(name__iexact=name, company=company).first()
            or contacts_of_owner.filter(name__iexact=name).first()
            or contacts_of_owner.create(name=name, company=company)
        )
        if contact not in contacts:
            contacts.append(contact)
    interview.interviewers.set(contacts)
    Interview.objects.filter(pk=interview.pk).update(updated_at=timezone.now())
    _after_interview_change(interview)
    return contacts


def _check_aware(starts_at: datetime | None) -> None:
    if isinstance(starts_at, datetime) and timezone.is_naive(starts_at):
        raise ValidationError(
            {"starts_at": "Give the time with its offset, e.g. 2026-12-01T14:00:00+01:00."}
        )


@transaction.atomic
def create_interview(
    user, opportunity: Opportunity, *, interviewer_ids: list[int] | None = None, **fields: Any
) -> Interview:
    if opportunity.owner_id != user.pk:
        raise ValidationError({"opportunity_id": "No such opportunity."})
    unknown = set(fields) - set(INTERVIEW_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a field of an interview." for name in unknown})
    _check_aware(fields.get("starts_at"))
    _clean_topics(fields)
    now = timezone.now()
    interview = Interview(
        owner=user, opportunity=opportunity, created_at=now, updated_at=now, **fields
    )
    _validate(interview, exclude=["owner", "opportunity", "interviewers"])
    interview.save()
    _set_interviewers(interview, interviewer_ids)
    _after_interview_change(interview)
    return interview


@transaction.atomic
def update_interview(
    interview: Interview,
    *,
    opportunity: Opportunity | None = None,
    interviewer_ids: list[int] | None = None,
    **fields: Any,
) -> Interview:
    unknown = set(fields) - set(INTERVIEW_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a field of an interview." for name in unknown})
    _check_aware(fields.get("starts_at"))
    _clean_topics(fields)
    if opportunity is not None:
        if opportunity.owner_id != interview.owner_id:
            raise ValidationError({"opportunity_id": "No such opportunity."})
        interview.opportunity = opportunity
    before = (interview.starts_at, interview.duration_minutes, interview.status)
    for key, value in fields.items():
        setattr(interview, key, value)
    if (interview.starts_at, interview.duration_minutes, interview.status) != before:
        interview.sequence += 1  # calendar apps replace their copy of the event
    interview.updated_at = timezone.now()
    _validate(interview, exclude=["owner", "opportunity", "interviewers"])
    interview.save()
    _set_interviewers(interview, interviewer_ids)
    _after_interview_change(interview)
    return interview


def _clean_topics(fields: dict[str, Any]) -> None:
    """Topics are kept one a line, in the order given; the model's validator checks them."""
    if fields.get("topics") is not None:
        text = str(fields["topics"])
        try:
            validate_topics(text)
        except ValidationError as exc:
            raise ValidationError({"topics": exc.messages}) from None
        fields["topics"] = "\n".join(topic_lines(text))


def set_topics(interview: Interview, topics: str) -> Interview:
    """What was discussed at the interview (the debrief and the thank-you page set it too)."""
    fields: dict[str, Any] = {"topics": topics}
    _clean_topics(fields)
    Interview.objects.filter(pk=interview.pk).update(
        topics=fields["topics"], updated_at=timezone.now()
    )
    interview.topics = fields["topics"]
    return interview


def _after_interview_change(interview: Interview) -> None:
    """A done interview says so (the network makes each interviewer's thank-you, never twice)."""
    if interview.status == InterviewStatus.DONE:
        interview_done.send(sender=Interview, interview=interview)


def upcoming_interviews(user) -> QuerySet[Interview]:
    return (
        Interview.objects.owned_by(user)
        .filter(starts_at__gte=timezone.now())
        .exclude(status__in=[InterviewStatus.CANCELLED])
        .select_related("opportunity__company")
        .order_by("starts_at")
    )
