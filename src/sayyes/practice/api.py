"""The practice API: the question bank, stateless feedback, and stored answers."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import StringConstraints

from sayyes.pipeline.api import DbInt, In, Page, Pagination, _page, reject_nulls
from sayyes.pipeline.models import Opportunity

from . import services
from .models import Answer, Category, Persona, Question, Source

router = Router(tags=["practice"])

CategoryEnum = Enum("CategoryEnum", {c.upper(): c for c in Category.values}, type=str)
SourceEnum = Enum("SourceEnum", {s.upper(): s for s in Source.values}, type=str)
PersonaEnum = Enum("PersonaEnum", {p.upper(): p for p in Persona.values}, type=str)
Item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)
]


class QuestionOut(Schema):
    id: int
    text: str
    category: str
    competencies: list[str]
    industries: list[str]
    difficulty: int
    talking_points: list[str]
    persona: str
    source: str
    opportunity_id: int | None
    company_id: int | None
    read_only: bool

    @staticmethod
    def resolve_read_only(obj: Question) -> bool:
        return obj.is_builtin


class QuestionIn(In):
    text: QuestionText
    category: CategoryEnum = CategoryEnum.BEHAVIORAL  # type: ignore[valid-type]
    competencies: list[Item] = Field(default_factory=list, max_length=10)
    industries: list[Item] = Field(default_factory=list, max_length=10)
    difficulty: int = Field(2, ge=1, le=3)
    talking_points: list[Item] = Field(default_factory=list, max_length=10)
    persona: PersonaEnum = PersonaEnum.HIRING_MANAGER  # type: ignore[valid-type]


class QuestionPatch(In):
    text: QuestionText | None = None
    category: CategoryEnum | None = None  # type: ignore[valid-type]
    competencies: list[Item] | None = Field(None, max_length=10)
    industries: list[Item] | None = Field(None, max_length=10)
    difficulty: int | None = Field(None, ge=1, le=3)
    talking_points: list[Item] | None = Field(None, max_length=10)
    persona: PersonaEnum | None = None  # type: ignore[valid-type]


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in data.items() if v is not None}


class QuestionFilters(In):
    q: str = ""
    category: CategoryEnum | None = None  # type: ignore[valid-type]
    source: SourceEnum | None = None  # type: ignore[valid-type]


@router.get("/questions", response=Page[QuestionOut])
def list_questions(request, filters: Query[QuestionFilters], pagination: Query[Pagination] = None):
    services.ensure_bank()
    qs = services.search_questions(
        request.auth,
        q=filters.q,
        category=filters.category.value if filters.category else "",
        source=filters.source.value if filters.source else "",
    )
    return _page(qs, pagination)


@router.post("/questions", response={201: QuestionOut})
def create_question(request, payload: QuestionIn):
    return Reply(201, services.create_question(request.auth, **_plain(payload.dict())))


@router.get("/questions/{question_id}", response=QuestionOut)
def get_question(request, question_id: int):
    return get_object_or_404(services.visible_questions(request.auth), pk=question_id)


def _own(request, question_id: int) -> Question:
    question = get_object_or_404(services.visible_questions(request.auth), pk=question_id)
    if question.is_builtin:
        raise ValidationError({"question": "Built-in questions are read-only."})
    return question


@router.patch("/questions/{question_id}", response=QuestionOut)
def patch_question(request, question_id: int, payload: QuestionPatch):
    question = _own(request, question_id)
    reject_nulls(payload)
    return services.update_question(question, **_plain(payload.dict(exclude_unset=True)))


@router.delete("/questions/{question_id}", response={204: None})
def delete_question(request, question_id: int):
    services.delete_question(_own(request, question_id))
    return Reply(204, None)


class FeedbackIn(In):
    question: QuestionText
    answer: Annotated[str, StringConstraints(max_length=services.MAX_ANSWER_CHARS)]
    duration_seconds: float | None = Field(None, gt=0, le=3600)
    posting_text: Annotated[str, StringConstraints(max_length=50_000)] | None = None
    opportunity_id: DbInt | None = None


class StarPart(Schema):
    present: bool
    evidence: str | None


class Feedback(Schema):
    word_count: int
    duration_seconds: float | None
    words_per_minute: float | None
    pace: dict[str, str | None]
    fillers: dict[str, Any]
    hedges: dict[str, Any]
    star: dict[str, StarPart]
    hypothetical: bool
    i_we_ratio: float | None
    numbers: int
    length: dict[str, str]
    job_terms: dict[str, list[str]]
    most_used_words: list[tuple[str, int]]
    talking_points: dict[str, list[str]]
    tips: list[str]


@router.post("/practice/feedback", response=Feedback)
def feedback(request, payload: FeedbackIn):
    """Feedback on one answer, computed now and stored nowhere."""
    posting = payload.posting_text
    if payload.opportunity_id is not None:
        opp = Opportunity.objects.filter(pk=payload.opportunity_id, owner=request.auth).first()
        if opp is None:
            raise ValidationError(
                {"opportunity_id": f"No opportunity with id {payload.opportunity_id}."}
            )
        posting = posting or opp.posting_text
    return services.feedback_for(
        payload.question,
        payload.answer,
        duration_seconds=payload.duration_seconds,
        posting_text=posting,
    )


class AnswerOut(Schema):
    id: int
    question_id: int
    opportunity_id: int | None
    session_id: int | None
    text: str
    duration_seconds: float | None
    feedback: Feedback
    score: int
    self_rating: int | None
    next_review_at: datetime | None
    created_at: datetime


class AnswerIn(In):
    question_id: DbInt
    text: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=services.MAX_ANSWER_CHARS
        ),
    ]
    duration_seconds: float | None = Field(None, gt=0, le=3600)
    opportunity_id: DbInt | None = None
    self_rating: int | None = Field(None, ge=1, le=4, description="1 again, 2 hard, 3 good, 4 easy")


class AnswerFilters(In):
    question_id: DbInt | None = None


@router.get("/practice/answers", response=Page[AnswerOut])
def list_answers(request, filters: Query[AnswerFilters], pagination: Query[Pagination] = None):
    qs = Answer.objects.filter(owner=request.auth).order_by("-created_at", "-id")
    if filters.question_id:
        qs = qs.filter(question_id=filters.question_id)
    return _page(qs, pagination)


@router.post("/practice/answers", response={201: AnswerOut})
def create_answer(request, payload: AnswerIn):
    question = services.visible_questions(request.auth).filter(pk=payload.question_id).first()
    if question is None:
        raise ValidationError({"question_id": f"No question with id {payload.question_id}."})
    opportunity = None
    if payload.opportunity_id is not None:
        opportunity = Opportunity.objects.filter(
            pk=payload.opportunity_id, owner=request.auth
        ).first()
        if opportunity is None:
            raise ValidationError(
                {"opportunity_id": f"No opportunity with id {payload.opportunity_id}."}
            )
    answer = services.record_answer(
        request.auth,
        question,
        payload.text,
        duration_seconds=payload.duration_seconds,
        opportunity=opportunity,
        self_rating=payload.self_rating,
    )
    return Reply(201, answer)


@router.get("/practice/answers/{answer_id}", response=AnswerOut)
def get_answer(request, answer_id: int):
    return get_object_or_404(Answer, pk=answer_id, owner=request.auth)
