"""The pipeline API: companies, opportunities (with their status events) and interviews."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from enum import Enum
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import AwareDatetime, HttpUrl, StringConstraints, field_validator

from sayyes.accounts.models import Profile
from sayyes.core.api import (
    DbInt,
    In,
    Page,
    Pagination,
    enum_values,
    paginate,
    reject_nulls,
    url_strings,
)

from . import services
from .models import (
    INDUSTRIES,
    Company,
    Interview,
    InterviewKind,
    InterviewStatus,
    Opportunity,
    Remote,
    Status,
)

router = Router()

# The API's enums are built from the models' choices, so the two can't drift apart. mypy can't
# list the members of an Enum built at runtime ([misc]) but still reads each as an enum type;
# defaults name a member by its value.
StatusEnum = Enum("StatusEnum", {s.upper(): s for s in Status.values}, type=str)  # type: ignore[misc]
KindEnum = Enum("KindEnum", {s.upper(): s for s in InterviewKind.values}, type=str)  # type: ignore[misc]
InterviewStatusEnum = Enum(  # type: ignore[misc]
    "InterviewStatusEnum", {s.upper(): s for s in InterviewStatus.values}, type=str
)
RemoteEnum = Enum("RemoteEnum", {(s or "unknown").upper(): s for s in Remote.values}, type=str)  # type: ignore[misc]
IndustryEnum = Enum(  # type: ignore[misc]
    "IndustryEnum", {"NONE": ""} | {f"I{i}": name for i, name in enumerate(INDUSTRIES)}, type=str
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Short = Annotated[str, StringConstraints(max_length=200)]
Currency = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=3)]

# --- Companies ---------------------------------------------------------------------------------


class CompanyOut(Schema):
    id: int
    name: str
    industry: str
    website: str
    location: str
    notes: str


class CompanyIn(In):
    name: Name
    industry: IndustryEnum = IndustryEnum("")
    website: HttpUrl | None = None
    location: Short = ""
    notes: str = ""


class CompanyPatch(In):
    name: Name | None = None
    industry: IndustryEnum | None = None
    website: HttpUrl | None = None
    location: Short | None = None
    notes: str | None = None


def _company_fields(payload: Schema, unset: bool) -> dict:
    data = url_strings(enum_values(payload.dict(exclude_unset=unset)))
    if "website" in data and data["website"] is None:
        data["website"] = ""
    return {k: v for k, v in data.items() if v is not None or k == "website"}


class CompanyFilters(In):
    q: str = ""


@contextmanager
def _company_name_free(field: str):
    """The services look for a clash with iexact (UPPER() on PostgreSQL) but the unique
    constraint compares LOWER(name); for a few characters (the Kelvin sign) they disagree."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if "company_name_unique_per_owner" not in str(exc):
            raise
        raise ValidationError({field: "You already have a company with this name."}) from None


@router.get("/companies", response=Page[CompanyOut], tags=["companies"])
def list_companies(request, filters: Query[CompanyFilters], pagination: Query[Pagination]):
    qs = Company.objects.owned_by(request.auth)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    return paginate(qs, pagination)


@router.post("/companies", response={201: CompanyOut}, tags=["companies"])
def create_company(request, payload: CompanyIn):
    with _company_name_free("name"):
        company = services.create_company(request.auth, **_company_fields(payload, False))
    return Reply(201, company)


@router.get("/companies/{company_id}", response=CompanyOut, tags=["companies"])
def get_company(request, company_id: int):
    return Company.objects.get_for(request.auth, company_id)


@router.patch("/companies/{company_id}", response=CompanyOut, tags=["companies"])
def patch_company(request, company_id: int, payload: CompanyPatch):
    company = Company.objects.get_for(request.auth, company_id)
    reject_nulls(payload, frozenset({"website"}))
    with _company_name_free("name"):
        return services.update_company(company, **_company_fields(payload, True))


@router.delete("/companies/{company_id}", response={204: None}, tags=["companies"])
def delete_company(request, company_id: int):
    company = Company.objects.get_for(request.auth, company_id)
    services.delete_company(company)
    return Reply(204, None)


# --- Opportunities ------------------------------------------------------------------------------


class OpportunityOut(Schema):
    id: int
    company_id: int
    company: str = Field(..., alias="company.name")
    title: str
    status: str
    posting_url: str
    posting_text: str
    source: str
    location: str
    remote: str
    salary_min: int | None
    salary_max: int | None
    salary_currency: str
    priority: int
    notes: str
    created_at: datetime
    updated_at: datetime


class OpportunityIn(In):
    company_id: DbInt | None = None
    company_name: Name | None = None
    title: Name
    status: StatusEnum = StatusEnum(Status.SAVED)
    posting_url: HttpUrl | None = None
    posting_text: str = ""
    source: Annotated[str, StringConstraints(max_length=100)] = ""
    location: Short = ""
    remote: RemoteEnum = RemoteEnum(Remote.UNKNOWN)
    salary_min: int | None = Field(None, ge=0, le=2_000_000_000)
    salary_max: int | None = Field(None, ge=0, le=2_000_000_000)
    salary_currency: Currency = ""
    priority: int = Field(2, ge=1, le=3)
    notes: str = ""


class OpportunityPatch(In):
    company_id: DbInt | None = None
    company_name: Name | None = None
    title: Name | None = None
    status: StatusEnum | None = None
    posting_url: HttpUrl | None = None
    posting_text: str | None = None
    source: Annotated[str, StringConstraints(max_length=100)] | None = None
    location: Short | None = None
    remote: RemoteEnum | None = None
    salary_min: int | None = Field(None, ge=0, le=2_000_000_000)
    salary_max: int | None = Field(None, ge=0, le=2_000_000_000)
    salary_currency: Currency | None = None
    priority: int | None = Field(None, ge=1, le=3)
    notes: str | None = None


class EventOut(Schema):
    status: str
    at: datetime


NULLABLE_OPPORTUNITY = {"salary_min", "salary_max", "posting_url"}


def _opportunity_fields(data: dict) -> dict:
    data = url_strings(enum_values(data))
    if "posting_url" in data and data["posting_url"] is None:
        data["posting_url"] = ""
    return {k: v for k, v in data.items() if v is not None or k in NULLABLE_OPPORTUNITY}


def _company_for(request, company_id: int | None) -> Company | None:
    if company_id is None:
        return None
    company = Company.objects.owned_by(request.auth).filter(pk=company_id).first()
    if company is None:
        raise ValidationError({"company_id": f"No company with id {company_id}."})
    return company


class OpportunityFilters(In):
    q: str = Field(
        "",
        description="full-text search over company, title, notes and posting text (words, "
        '"a phrase", or, -word); it covers the latest 1,000 matching opportunities, '
        "after the other filters",
    )
    status: StatusEnum | None = None
    company_id: DbInt | None = None
    priority: int | None = Field(None, ge=1, le=3)
    sort: str = Field(
        "",
        description="relevance (the default with q), updated (otherwise), created, "
        "company, title, priority or status",
    )


@router.get("/opportunities", response=Page[OpportunityOut], tags=["opportunities"])
def list_opportunities(request, filters: Query[OpportunityFilters], pagination: Query[Pagination]):
    qs = services.search_opportunities(
        request.auth,
        q=filters.q,
        status=filters.status.value if filters.status else "",
        company=str(filters.company_id or ""),
        priority=filters.priority or "",
        sort=filters.sort,
    )
    # Every opportunity, or those of one status: the stored counts (issue 18) say how many
    # without counting the rows, which grows with the history.
    count = services.stored_count(
        request.auth,
        q=filters.q,
        status=filters.status.value if filters.status else "",
        company=filters.company_id or "",
        priority=filters.priority or "",
    )
    return paginate(qs, pagination, count=count)


@router.post("/opportunities", response={201: OpportunityOut}, tags=["opportunities"])
def create_opportunity(request, payload: OpportunityIn):
    data = payload.dict()
    company = _company_for(request, data.pop("company_id"))
    company_name = data.pop("company_name")
    if company is None and not company_name:
        raise ValidationError({"company_name": "Give company_id or company_name."})
    with _company_name_free("company_name"):
        opp = services.create_opportunity(
            request.auth, company=company, company_name=company_name, **_opportunity_fields(data)
        )
    return Reply(201, opp)


def _own_opportunity(request, opportunity_id: int) -> Opportunity:
    return Opportunity.objects.select_related("company").get_for(request.auth, opportunity_id)


@router.get("/opportunities/{opportunity_id}", response=OpportunityOut, tags=["opportunities"])
def get_opportunity(request, opportunity_id: int):
    return _own_opportunity(request, opportunity_id)


@router.patch("/opportunities/{opportunity_id}", response=OpportunityOut, tags=["opportunities"])
def patch_opportunity(request, opportunity_id: int, payload: OpportunityPatch):
    opp = _own_opportunity(request, opportunity_id)
    reject_nulls(payload, frozenset({"salary_min", "salary_max", "posting_url"}))
    data = payload.dict(exclude_unset=True)
    company = _company_for(request, data.pop("company_id", None))
    company_name = data.pop("company_name", None)
    with _company_name_free("company_name"):
        return services.update_opportunity(
            opp, company=company, company_name=company_name, **_opportunity_fields(data)
        )


@router.delete("/opportunities/{opportunity_id}", response={204: None}, tags=["opportunities"])
def delete_opportunity(request, opportunity_id: int):
    services.delete_opportunity(_own_opportunity(request, opportunity_id))
    return Reply(204, None)


@router.get(
    "/opportunities/{opportunity_id}/events", response=Page[EventOut], tags=["opportunities"]
)
def list_events(request, opportunity_id: int, pagination: Query[Pagination]):
    opp = _own_opportunity(request, opportunity_id)
    return paginate(opp.events.order_by("at", "id"), pagination)


# --- Interviews ----------------------------------------------------------------------------------


class InterviewOut(Schema):
    id: int
    opportunity_id: int
    kind: str
    starts_at: datetime
    timezone: str
    duration_minutes: int
    location: str
    video_url: str
    status: str
    interviewer_ids: list[int]
    notes: str
    topics: str

    @staticmethod
    def resolve_interviewer_ids(obj: Interview) -> list[int]:
        return sorted(c.pk for c in obj.interviewers.all())


class InterviewIn(In):
    opportunity_id: DbInt
    kind: KindEnum = KindEnum(InterviewKind.VIDEO)
    starts_at: AwareDatetime
    timezone: str | None = Field(None, description="IANA name; defaults to your settings")
    duration_minutes: int = Field(60, ge=1, le=24 * 60)
    location: Annotated[str, StringConstraints(max_length=300)] = ""
    video_url: HttpUrl | None = None
    status: InterviewStatusEnum = InterviewStatusEnum(InterviewStatus.SCHEDULED)
    interviewer_ids: list[DbInt] = []
    notes: str = ""
    topics: str = Field("", description="Topics we discussed: one short phrase a line")


class InterviewPatch(In):
    opportunity_id: DbInt | None = None
    kind: KindEnum | None = None
    starts_at: AwareDatetime | None = None
    timezone: str | None = None
    duration_minutes: int | None = Field(None, ge=1, le=24 * 60)
    location: Annotated[str, StringConstraints(max_length=300)] | None = None
    video_url: HttpUrl | None = None
    status: InterviewStatusEnum | None = None
    interviewer_ids: list[DbInt] | None = None
    notes: str | None = None
    topics: str | None = Field(None, description="Topics we discussed: one short phrase a line")

    @field_validator("starts_at")
    @classmethod
    def not_null(cls, value):
        if value is None:
            raise ValueError("starts_at cannot be null")
        return value


def _interview_fields(data: dict) -> dict:
    data = url_strings(enum_values(data))
    if "video_url" in data and data["video_url"] is None:
        data["video_url"] = ""
    return {k: v for k, v in data.items() if v is not None or k == "video_url"}


class InterviewFilters(In):
    opportunity_id: DbInt | None = None
    status: InterviewStatusEnum | None = None
    after: AwareDatetime | None = None
    before: AwareDatetime | None = None


def _interviews(request):
    return Interview.objects.owned_by(request.auth).prefetch_related("interviewers")


@router.get("/interviews", response=Page[InterviewOut], tags=["interviews"])
def list_interviews(request, filters: Query[InterviewFilters], pagination: Query[Pagination]):
    qs = _interviews(request).order_by("starts_at", "id")
    if filters.opportunity_id:
        qs = qs.filter(opportunity_id=filters.opportunity_id)
    if filters.status:
        qs = qs.filter(status=filters.status.value)
    if filters.after:
        qs = qs.filter(starts_at__gte=filters.after)
    if filters.before:
        qs = qs.filter(starts_at__lt=filters.before)
    return paginate(qs, pagination)


@router.post("/interviews", response={201: InterviewOut}, tags=["interviews"])
def create_interview(request, payload: InterviewIn):
    data = _interview_fields(payload.dict())
    opp = Opportunity.objects.owned_by(request.auth).filter(pk=data.pop("opportunity_id")).first()
    if opp is None:
        raise ValidationError(
            {"opportunity_id": f"No opportunity with id {payload.opportunity_id}."}
        )
    data["timezone"] = data.get("timezone") or Profile.for_user(request.auth).timezone
    with transaction.atomic():
        interview = services.create_interview(
            request.auth, opp, interviewer_ids=data.pop("interviewer_ids"), **data
        )
    return Reply(201, _interviews(request).get(pk=interview.pk))


@router.get("/interviews/{interview_id}", response=InterviewOut, tags=["interviews"])
def get_interview(request, interview_id: int):
    return _interviews(request).get_for(request.auth, interview_id)


@router.patch("/interviews/{interview_id}", response=InterviewOut, tags=["interviews"])
def patch_interview(request, interview_id: int, payload: InterviewPatch):
    interview = Interview.objects.get_for(request.auth, interview_id)
    reject_nulls(payload, frozenset({"video_url"}))
    data = _interview_fields(payload.dict(exclude_unset=True))
    opp = None
    if "opportunity_id" in data:
        opp = (
            Opportunity.objects.owned_by(request.auth).filter(pk=data.pop("opportunity_id")).first()
        )
        if opp is None:
            raise ValidationError({"opportunity_id": "No such opportunity."})
    services.update_interview(
        interview, opportunity=opp, interviewer_ids=data.pop("interviewer_ids", None), **data
    )
    return _interviews(request).get(pk=interview.pk)


@router.delete("/interviews/{interview_id}", response={204: None}, tags=["interviews"])
def delete_interview(request, interview_id: int):
    Interview.objects.get_for(request.auth, interview_id).delete()
    return Reply(204, None)
