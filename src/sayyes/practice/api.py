"""The practice API: the question bank, stateless feedback, and stored answers."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import StringConstraints

from sayyes.core.api import (
    DbInt,
    In,
    Page,
    Pagination,
    form_id,
    json_body,
    paginate,
    refuse_unknown_fields,
    reject_nulls,
)
from sayyes.pipeline.models import Opportunity

from . import services, voice
from .coach.qtypes import QUESTION_TYPES
from .models import Answer, Category, Persona, PracticeSession, Question, Source
from .speech import MAX_BYTES

router = Router(tags=["practice"])

# Built from the models' choices; mypy can't list their members ([misc]): see pipeline.api.
CategoryEnum = Enum("CategoryEnum", {c.upper(): c for c in Category.values}, type=str)  # type: ignore[misc]
SourceEnum = Enum("SourceEnum", {s.upper(): s for s in Source.values}, type=str)  # type: ignore[misc]
PersonaEnum = Enum("PersonaEnum", {p.upper(): p for p in Persona.values}, type=str)  # type: ignore[misc]
QuestionType = Enum("QuestionType", {t.upper(): t for t in QUESTION_TYPES}, type=str)  # type: ignore[misc]
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
    category: CategoryEnum = CategoryEnum(Category.BEHAVIORAL)
    competencies: list[Item] = Field(default_factory=list, max_length=10)
    industries: list[Item] = Field(default_factory=list, max_length=10)
    difficulty: int = Field(2, ge=1, le=3)
    talking_points: list[Item] = Field(default_factory=list, max_length=10)
    persona: PersonaEnum = PersonaEnum(Persona.HIRING_MANAGER)


class QuestionPatch(In):
    text: QuestionText | None = None
    category: CategoryEnum | None = None
    competencies: list[Item] | None = Field(None, max_length=10)
    industries: list[Item] | None = Field(None, max_length=10)
    difficulty: int | None = Field(None, ge=1, le=3)
    talking_points: list[Item] | None = Field(None, max_length=10)
    persona: PersonaEnum | None = None


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in data.items() if v is not None}


class QuestionFilters(In):
    q: str = ""
    category: CategoryEnum | None = None
    source: SourceEnum | None = None


@router.get("/questions", response=Page[QuestionOut])
def list_questions(request, filters: Query[QuestionFilters], pagination: Query[Pagination]):
    services.ensure_bank()
    qs = services.search_questions(
        request.auth,
        q=filters.q,
        category=filters.category.value if filters.category else "",
        source=filters.source.value if filters.source else "",
    )
    return paginate(qs, pagination)


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
    question_type: QuestionType | None = Field(
        None, description="The question's type, when you know it; otherwise read from its wording."
    )


class StarPart(Schema):
    present: bool
    evidence: str | None


class StructurePart(StarPart):
    label: str = Field(description="The part's name for people, e.g. 'Follow-through'.")


class Structure(Schema):
    kind: str | None = Field(
        description="Which parts the answer was read for: star (behavioural), situational, "
        "motivation, tell_me_about_yourself, weakness, strength, technical, closing; "
        "null when none apply."
    )
    parts: dict[str, StructurePart] = Field(
        description="Each part with whether it was found and the sentence that shows it: "
        "situational clarify/options/decision/follow_through; motivation "
        "company_and_role/your_experience; tell_me_about_yourself present/past/future; "
        "weakness weakness/steps/progress; strength strength/evidence; technical "
        "steps/specifics; closing questions; star situation/task/action/result."
    )


class Relevance(Schema):
    score: float | None = Field(description="0–1: how closely the answer keeps to the question.")
    on_topic: bool = Field(
        description="False when the answer ignored the question (score capped at 50)."
    )


class Feedback(Schema):
    word_count: int
    duration_seconds: float | None
    words_per_minute: float | None
    pace: dict[str, str | None]
    fillers: dict[str, Any]
    hedges: dict[str, Any]
    question_type: str = Field(
        description="behavioural, situational, motivation, strengths_weaknesses, "
        "tell_me_about_yourself, technical or closing: the feedback follows it."
    )
    star: dict[str, StarPart] | None = Field(
        description="Situation, task, action, result: only for behavioural questions, null otherwise."
    )
    structure: Structure
    relevance: Relevance
    hypothetical: bool = Field(
        description="A behavioural question answered with what you would do, not what you did."
    )
    i_we_ratio: float | None
    numbers: int
    length: dict[str, str]
    job_terms: dict[str, list[str]]
    most_used_words: list[tuple[str, int]]
    talking_points: dict[str, list[str]]
    tips: list[str]
    speech: dict[str, Any] | None = Field(
        None, description="Voice answers: pace from word timings, pauses, fillers as spoken."
    )


@router.post("/practice/feedback", response=Feedback)
def feedback(request, payload: FeedbackIn):
    """Feedback on one answer, computed now and stored nowhere."""
    posting = payload.posting_text
    if payload.opportunity_id is not None:
        opp = Opportunity.objects.owned_by(request.auth).filter(pk=payload.opportunity_id).first()
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
        question_type=payload.question_type.value if payload.question_type else None,
    )


class AnswerOut(Schema):
    id: int
    question_id: int
    opportunity_id: int | None
    session_id: int | None
    text: str
    duration_seconds: float | None
    status: str = Field(description="recording, queued, transcribing, done or failed")
    transcript: str
    error: str
    audio_url: str | None
    feedback: Feedback | None
    score: int
    self_rating: int | None
    next_review_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_feedback(obj: Answer) -> dict | None:
        return obj.feedback or None

    @staticmethod
    def resolve_audio_url(obj: Answer) -> str | None:
        return reverse("answer_audio", args=[obj.pk]) if obj.audio else None


class Queued(Schema):
    id: int
    status: str


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
def list_answers(request, filters: Query[AnswerFilters], pagination: Query[Pagination]):
    qs = Answer.objects.owned_by(request.auth).order_by("-created_at", "-id")
    if filters.question_id:
        qs = qs.filter(question_id=filters.question_id)
    return paginate(qs, pagination)


_VOICE_FORM = {
    "type": "object",
    "required": ["audio"],
    "additionalProperties": False,
    "properties": {
        "question_id": {"type": "integer", "description": "The question answered."},
        "question": {"type": "integer", "description": "Same as question_id."},
        "session_id": {"type": "integer", "description": "Your practice session, if any."},
        "opportunity_id": {"type": "integer"},
        "live": {
            "type": "boolean",
            "description": "The first chunk of a recording still in progress: send the rest "
            "to /practice/answers/{id}/chunks, so it is transcribed while you speak.",
        },
        "audio": {
            "type": "string",
            "format": "binary",
            "description": "WebM, Ogg, MP4/M4A, WAV, MP3 or FLAC; at most 25 MB and 10 minutes.",
        },
    },
}


@router.post(
    "/practice/answers",
    response={201: AnswerOut, 202: Queued},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": AnswerIn.model_json_schema()},
                "multipart/form-data": {"schema": _VOICE_FORM},
            },
        }
    },
)
def create_answer(request):
    """A typed answer as JSON (201, feedback at once), or a recording as multipart (202, then
    poll `GET /practice/answers/{id}` until its status is done or failed)."""
    if request.content_type == "multipart/form-data":
        return _create_voice_answer(request)
    payload = json_body(request, AnswerIn, otherwise="multipart with a recording")
    question = services.visible_questions(request.auth).filter(pk=payload.question_id).first()
    if question is None:
        raise ValidationError({"question_id": f"No question with id {payload.question_id}."})
    opportunity = None
    if payload.opportunity_id is not None:
        opportunity = (
            Opportunity.objects.owned_by(request.auth).filter(pk=payload.opportunity_id).first()
        )
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
    return Answer.objects.get_for(request.auth, answer_id)


def _create_voice_answer(request):
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BYTES + 1024 * 1024:
        raise ValidationError({"audio": f"A recording has at most {MAX_BYTES // 2**20} MB."})
    refuse_unknown_fields(request, frozenset(_VOICE_FORM["properties"]))
    user = request.auth
    question_id = form_id(request, "question_id", "question")
    if question_id is None:
        raise ValidationError({"question_id": "Say which question this answers (question_id)."})
    question = services.visible_questions(user).filter(pk=question_id).first()
    if question is None:
        raise ValidationError({"question_id": f"No question with id {question_id}."})
    session = opportunity = None
    if (session_id := form_id(request, "session_id")) is not None:
        session = PracticeSession.objects.owned_by(user).filter(pk=session_id).first()
        if session is None:
            raise ValidationError({"session_id": f"No practice session with id {session_id}."})
    if (opportunity_id := form_id(request, "opportunity_id")) is not None:
        opportunity = Opportunity.objects.owned_by(user).filter(pk=opportunity_id).first()
        if opportunity is None:
            raise ValidationError({"opportunity_id": f"No opportunity with id {opportunity_id}."})
    answer = voice.submit_recording(
        user,
        question,
        request.FILES.get("audio"),
        session=session,
        opportunity=opportunity,
        live=_flag(request, "live"),
    )
    return Reply(202, {"id": answer.pk, "status": answer.status})


def _flag(request, name: str) -> bool:
    value = request.POST.get(name, "").strip().lower()
    if value in ("", "0", "false"):
        return False
    if value in ("1", "true"):
        return True
    raise ValidationError({name: f"{name} is true or false."})


@router.post(
    "/practice/answers/{answer_id}/chunks",
    response={202: Queued},
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "audio": {"type": "string", "format": "binary"},
                            "final": {"type": "boolean"},
                        },
                    }
                }
            }
        }
    },
)
def add_chunk(request, answer_id: int):
    """The next chunk of a recording started with `live`; `final=true` with the last one
    queues the rest of the transcription (status becomes queued)."""
    answer = Answer.objects.get_for(request.auth, answer_id)
    if request.content_type != "multipart/form-data":
        raise ValidationError({"audio": "Send the chunk as multipart/form-data."})
    refuse_unknown_fields(request, frozenset({"audio", "final"}))
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BYTES + 1024 * 1024:
        raise ValidationError({"audio": f"A recording has at most {MAX_BYTES // 2**20} MB."})
    answer = voice.append_chunk(answer, request.FILES.get("audio"), final=_flag(request, "final"))
    return Reply(202, {"id": answer.pk, "status": answer.status})


@router.delete("/practice/answers/{answer_id}", response={204: None})
def delete_answer(request, answer_id: int):
    """Delete an answer, and its recording if it has one."""
    voice.delete_answer(Answer.objects.get_for(request.auth, answer_id))
    return Reply(204, None)
