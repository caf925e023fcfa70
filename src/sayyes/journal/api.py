"""The journal API: debriefs, rating dimensions, questions to ask, companies side by side,
what you value and industry insights."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import StringConstraints

from sayyes.core.api import DbInt, In, Page, Pagination, paginate, reject_nulls
from sayyes.core.ids import parse_ids
from sayyes.pipeline.models import Company, Interview

from . import debriefs, to_ask
from . import insights as journal_insights
from .models import Debrief, DebriefQuestion

router = Router(tags=["journal"])

Text = Annotated[str, StringConstraints(max_length=debriefs.MAX_TEXT)]
QuestionText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Interest = Annotated[int, Field(ge=1, le=5)]


class Learned(Schema):
    requirements: str
    strategy: str
    goals: str


class PersonOut(Schema):
    id: int
    name: str


class DebriefOut(Schema):
    id: int
    interview_id: int
    opportunity_id: int
    company_id: int
    questions_asked: list[str]
    question_ids: list[int]
    learned: Learned
    topics: str = Field(description="Topics we discussed, one a line (kept on the interview)")
    likes: str
    dislikes: str
    ratings: dict[str, int]
    overall_interest: int | None
    notes: str
    people: list[PersonOut]
    created_at: datetime
    updated_at: datetime


class LearnedIn(In):
    requirements: Text | None = None
    strategy: Text | None = None
    goals: Text | None = None


class DebriefIn(In):
    interview_id: DbInt
    questions_asked: list[QuestionText] = Field(default_factory=list, max_length=50)
    learned: LearnedIn | None = None
    topics: Text | None = Field(None, description="Topics we discussed: one short phrase a line")
    likes: Text = ""
    dislikes: Text = ""
    ratings: dict[str, Any] = Field(
        default_factory=dict, description="{dimension: 1 to 5}; see GET /dimensions"
    )
    overall_interest: Interest | None = None
    notes: Text = ""
    people_ids: list[DbInt] = Field(default_factory=list, max_length=50)
    people_names: list[PersonName] = Field(default_factory=list, max_length=50)


class DebriefPatch(In):
    questions_asked: list[QuestionText] | None = Field(None, max_length=50)
    learned: LearnedIn | None = None
    topics: Text | None = Field(None, description="Topics we discussed: one short phrase a line")
    likes: Text | None = None
    dislikes: Text | None = None
    ratings: dict[str, Any] | None = None
    overall_interest: Interest | None = None
    notes: Text | None = None
    people_ids: list[DbInt] | None = Field(None, max_length=50)
    people_names: list[PersonName] | None = Field(None, max_length=50)


class DebriefFilters(In):
    interview_id: DbInt | None = None
    company_id: DbInt | None = None


def debrief_dict(debrief: Debrief) -> dict:
    asked = debriefs.questions_asked(debrief)
    opportunity = debrief.interview.opportunity
    return {
        "id": debrief.pk,
        "interview_id": debrief.interview_id,
        "opportunity_id": opportunity.pk,
        "company_id": opportunity.company_id,
        "questions_asked": [q.text for q in asked],
        "question_ids": [q.pk for q in asked],
        "learned": {
            "requirements": debrief.learned_requirements,
            "strategy": debrief.learned_strategy,
            "goals": debrief.learned_goals,
        },
        "topics": debrief.interview.topics,
        "likes": debrief.likes,
        "dislikes": debrief.dislikes,
        "ratings": debrief.ratings,
        "overall_interest": debrief.overall_interest,
        "notes": debrief.notes,
        "people": [{"id": p.pk, "name": p.name} for p in debrief.people.all()],
        "created_at": debrief.created_at,
        "updated_at": debrief.updated_at,
    }


def _fields(data: dict) -> dict:
    """The API's shape to the service's keyword arguments."""
    kwargs: dict[str, Any] = {}
    learned = data.pop("learned", None) or {}
    for key, value in learned.items():
        if value is not None:
            kwargs[f"learned_{key}"] = value
    if "questions_asked" in data:
        kwargs["questions"] = data.pop("questions_asked")
    kwargs.update(data)
    return kwargs


def _own(request, debrief_id: int) -> Debrief:
    return Debrief.objects.select_related("interview__opportunity").get_for(
        request.auth, debrief_id
    )


@router.get("/debriefs", response=Page[DebriefOut])
def list_debriefs(request, filters: Query[DebriefFilters], pagination: Query[Pagination]):
    qs = (
        Debrief.objects.owned_by(request.auth)
        .select_related("interview__opportunity")
        .prefetch_related(
            "people",
            Prefetch(
                "debriefquestion_set",
                queryset=DebriefQuestion.objects.select_related("question"),
            ),
        )
        .order_by("-created_at", "-id")
    )
    if filters.interview_id is not None:
        qs = qs.filter(interview_id=filters.interview_id)
    if filters.company_id is not None:
        qs = qs.filter(interview__opportunity__company_id=filters.company_id)
    page = paginate(qs, pagination)
    page["items"] = [debrief_dict(d) for d in page["items"]]
    return page


@router.post("/debriefs", response={201: DebriefOut})
def create_debrief(request, payload: DebriefIn):
    data = payload.dict()
    interview_id = data.pop("interview_id")
    interview = Interview.objects.owned_by(request.auth).filter(pk=interview_id).first()
    if interview is None:
        raise ValidationError({"interview_id": f"No interview with id {interview_id}."})
    debrief = debriefs.create_debrief(request.auth, interview, **_fields(data))
    return Reply(201, debrief_dict(debrief))


@router.get("/debriefs/{debrief_id}", response=DebriefOut)
def get_debrief(request, debrief_id: int):
    return debrief_dict(_own(request, debrief_id))


@router.patch("/debriefs/{debrief_id}", response=DebriefOut)
def patch_debrief(request, debrief_id: int, payload: DebriefPatch):
    debrief = _own(request, debrief_id)
    reject_nulls(payload, frozenset({"overall_interest"}))
    data = payload.dict(exclude_unset=True)
    debrief = debriefs.save_debrief(request.auth, debrief.interview, **_fields(data))
    return debrief_dict(debrief)


@router.delete("/debriefs/{debrief_id}", response={204: None})
def delete_debrief(request, debrief_id: int):
    debriefs.delete_debrief(_own(request, debrief_id))
    return Reply(204, None)


# --- Dimensions ------------------------------------------------------------------------------


class DimensionIn(In):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


@router.get("/dimensions")
def list_dimensions(request):
    """The dimensions you rate: the seven defaults, then the ones you added."""
    names = debriefs.dimensions(request.auth)
    return {"items": names, "count": len(names)}


@router.post("/dimensions", response={201: dict})
def add_dimension(request, payload: DimensionIn):
    dimension = debriefs.add_dimension(request.auth, payload.name)
    return Reply(201, {"id": dimension.pk, "name": dimension.name})


# --- Questions to ask --------------------------------------------------------------------------


class SuggestionOut(Schema):
    text: str
    why: str
    kind: str
    question_id: int | None


class PickedOut(Schema):
    text: str
    why: str
    position: int


class QuestionsToAskOut(Schema):
    items: list[SuggestionOut]
    count: int
    saved: list[PickedOut]


class PickIn(In):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    why: Annotated[str, StringConstraints(max_length=500)] = ""


class PicksIn(In):
    questions: list[PickIn] = Field(default_factory=list, max_length=30)


def _interview(request, interview_id: int) -> Interview:
    return Interview.objects.select_related("opportunity__company").get_for(
        request.auth, interview_id
    )


def _questions_to_ask(interview: Interview) -> dict:
    items = [s.as_dict() for s in to_ask.questions_to_ask(interview)]
    return {"items": items, "count": len(items), "saved": to_ask.saved_questions(interview)}


@router.get(
    "/interviews/{interview_id}/questions-to-ask", response=QuestionsToAskOut, tags=["interviews"]
)
def questions_to_ask(request, interview_id: int):
    """Suggested questions to ask the employer (at least five, each with why), and the ones
    you saved for this interview."""
    return _questions_to_ask(_interview(request, interview_id))


@router.put(
    "/interviews/{interview_id}/questions-to-ask", response=QuestionsToAskOut, tags=["interviews"]
)
def save_questions_to_ask(request, interview_id: int, payload: PicksIn):
    """Keep exactly these questions to ask, in this order."""
    interview = _interview(request, interview_id)
    to_ask.save_questions_to_ask(interview, [p.dict() for p in payload.questions])
    return _questions_to_ask(interview)


# --- Companies side by side, what you value, insights --------------------------------------


class CompareFilters(In):
    ids: Annotated[str, StringConstraints(max_length=200)] = Field(
        ..., description="2 to 5 company ids separated by commas"
    )


class CompareItem(Schema):
    id: int
    name: str
    industry: str
    ratings: dict[str, float]
    overall_interest: float | None
    likes: list[str]
    dislikes: list[str]
    stage: str
    stage_label: str
    debriefs: int
    compensation: dict[str, str | int] | None = None


def compared_ids(raw: str | list[str]) -> list[int]:
    """The 2 to 5 company ids to compare, or ``BadParameter`` naming ``ids``."""
    return parse_ids(raw, "ids", min_count=2, max_count=5, what="companies to compare")


@router.get("/companies/compare", response=Page[CompareItem])
def compare(request, filters: Query[CompareFilters]):
    """Two to five of your companies side by side: ratings, likes, dislikes, stage reached."""
    companies = Company.objects.many_for(request.auth, compared_ids(filters.ids))
    items = journal_insights.compare_companies(request.auth, companies)
    return {"items": items, "count": len(items)}


@router.get("/what-you-value")
def what_you_value(request):
    """How each rating dimension goes with your overall interest (from 5 debriefs)."""
    return journal_insights.what_you_value(request.auth)


class InsightFilters(In):
    industry: Annotated[str, StringConstraints(max_length=64)] = Field(
        "", description="An industry name; leave it out for all your companies"
    )


class Theme(Schema):
    term: str
    count: int = Field(description="How many of your postings and debriefs have the term")
    companies: list[str] = Field(description="The first few (at most 3) of those companies")
    companies_total: int = Field(description="At how many companies")


class AskedOut(Schema):
    text: str
    count: int
    companies: list[str]


class InterestOut(Schema):
    company_id: int
    company: str
    overall_interest: float | None
    debriefs: int


class InsightsOut(Schema):
    industry: str
    industries: list[str]
    companies: list[str]
    companies_total: int
    debriefs: int
    debriefs_read: int = Field(description="The debriefs the themes were read from: all")
    postings: int = Field(description="The postings the themes were read from: all")
    postings_total: int
    pending: bool = Field(
        description="Some postings or debriefs written in bulk wait to be read by the worker"
    )
    themes: list[Theme]
    requirements: list[Theme]
    questions: list[AskedOut]
    interest: list[InterestOut] = Field(
        description="Your mean interest at the companies with the most debriefs (at most 20)"
    )
    interest_total: int = Field(
        description="How many companies have a debrief among the latest (interest_debriefs)"
    )
    interest_debriefs: int = Field(
        description="The latest debriefs the interest is read from (at most 100)"
    )


@router.get("/insights", response=InsightsOut)
def insights(request, filters: Query[InsightFilters]):
    """Themes and terms (with counts and the companies that mentioned them), common
    requirements, questions asked most and your interest, from your debriefs and postings."""
    return journal_insights.industry_insights(request.auth, filters.industry)
