"""The mock interview API: start a mock, answer its turns (typed or spoken), read the report."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import StringConstraints

from sayyes.core.api import DbInt, In, Page, Pagination, json_body, paginate, refuse_unknown_fields
from sayyes.pipeline.models import Interview, Opportunity

from .. import services as practice_services
from ..models import Mock, MockKind, MockTurn
from ..speech import MAX_BYTES
from . import services
from .personas import PERSONAS
from .report import report as build_report

router = Router(tags=["mock interviews"])

# Built from the model's choices; mypy can't list their members ([misc]): see pipeline.api.
MockKindEnum = Enum("MockKindEnum", {k.upper(): k for k in MockKind.values}, type=str)  # type: ignore[misc]


class MockIn(In):
    kind: MockKindEnum = Field(description="phone_screen, behavioral, technical, panel or final")
    questions: int = Field(
        ge=1, le=services.MAX_QUESTIONS, description="How many questions: 1 to 12."
    )
    opportunity_id: DbInt | None = Field(None, description="Choose questions for this opportunity.")
    interview_id: DbInt | None = Field(
        None, description="Prepare for this interview (its opportunity too)."
    )


class MockAnswerIn(In):
    text: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=practice_services.MAX_ANSWER_CHARS
        ),
    ]
    duration_seconds: float | None = Field(None, gt=0, le=3600)


class PersonaOut(Schema):
    key: str
    name: str
    role: str


class TurnOut(Schema):
    id: int
    kind: str = Field(description="question or follow_up")
    text: str
    persona: PersonaOut
    number: int = Field(description="Which question this turn belongs to (1-based)")
    closing: bool = Field(description="The last turn: your questions for them")
    suggestions: list[str] = Field(description="At the close: questions you could ask them")
    error: str = Field(description="Why your last recording could not be used, if it could not")


class MockOut(Schema):
    id: int
    kind: str
    status: str = Field(description="in_progress or finished")
    turn: TurnOut | None = Field(description="What the interviewer says now; null once finished")
    waiting: bool = Field(
        description="Your recorded answer is being transcribed: poll this until it is false"
    )
    questions: int
    opportunity_id: int | None
    interview_id: int | None
    created_at: datetime
    finished_at: datetime | None


class MockSummary(Schema):
    id: int
    kind: str
    status: str
    questions: int
    opportunity_id: int | None
    interview_id: int | None
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_questions(obj: Mock) -> int:
        return len(obj.question_ids)


class FollowUpOut(Schema):
    text: str
    answer: str
    rule: str


class ReportQuestion(Schema):
    question: str
    question_id: int | None
    category: str
    persona: PersonaOut
    answer: str
    answer_id: int | None = Field(description="The practice answer, scheduled for review")
    follow_ups: list[FollowUpOut]
    score: int | None
    feedback: dict[str, Any]


class Overall(Schema):
    score: int | None
    follow_ups_per_question: float | None
    strengths: list[str]
    work_on: list[str]


class ReportOut(Schema):
    id: int
    kind: str
    status: str
    created_at: datetime
    questions: list[ReportQuestion]
    overall: Overall
    delivery: dict[str, Any]
    your_questions: str
    comparison: dict[str, Any] | None


def turn_dict(mock: Mock, turn: MockTurn | None) -> dict[str, Any] | None:
    if turn is None:
        return None
    return {
        "id": turn.pk,
        "kind": "follow_up" if turn.kind == "follow_up" else "question",
        "text": turn.text,
        "persona": PERSONAS[turn.persona].as_dict(),
        "number": services.question_number(mock, turn),
        "closing": turn.closing,
        "suggestions": services.suggestions(mock) if turn.closing else [],
        "error": turn.error,
    }


def mock_dict(mock: Mock) -> dict[str, Any]:
    step = services.step(mock)
    mock = step.mock
    return {
        "id": mock.pk,
        "kind": mock.kind,
        "status": mock.status,
        "turn": turn_dict(mock, step.turn),
        "waiting": step.waiting,
        "questions": step.total,
        "opportunity_id": mock.opportunity_id,
        "interview_id": mock.interview_id,
        "created_at": mock.created_at,
        "finished_at": mock.finished_at,
    }


@router.post("/mocks", response={201: MockOut})
def start_mock(request, payload: MockIn):
    """Start a mock interview: its first turn (an opening line and the first question)."""
    user = request.auth
    opportunity = interview = None
    if payload.opportunity_id is not None:
        opportunity = (
            Opportunity.objects.owned_by(user)
            .select_related("company")
            .filter(pk=payload.opportunity_id)
            .first()
        )
        if opportunity is None:
            raise ValidationError(
                {"opportunity_id": f"No opportunity with id {payload.opportunity_id}."}
            )
    if payload.interview_id is not None:
        interview = (
            Interview.objects.owned_by(user)
            .select_related("opportunity__company")
            .filter(pk=payload.interview_id)
            .first()
        )
        if interview is None:
            raise ValidationError({"interview_id": f"No interview with id {payload.interview_id}."})
    mock = services.start_mock(
        user,
        kind=payload.kind.value,
        count=payload.questions,
        opportunity=opportunity,
        interview=interview,
    )
    return Reply(201, mock_dict(mock))


@router.get("/mocks", response=Page[MockSummary])
def list_mocks(request, pagination: Query[Pagination]):
    return paginate(Mock.objects.owned_by(request.auth).order_by("-created_at", "-id"), pagination)


@router.get("/mocks/{mock_id}", response=MockOut)
def get_mock(request, mock_id: int):
    """Where the mock stands; after a spoken answer, poll this until `waiting` is false."""
    return mock_dict(Mock.objects.get_for(request.auth, mock_id))


_AUDIO_FORM = {
    "type": "object",
    "required": ["audio"],
    "additionalProperties": False,
    "properties": {
        "audio": {
            "type": "string",
            "format": "binary",
            "description": "WebM, Ogg, MP4/M4A, WAV, MP3 or FLAC; at most 25 MB and 10 minutes.",
        },
    },
}


@router.post(
    "/mocks/{mock_id}/answer",
    response={200: MockOut, 202: MockOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": MockAnswerIn.model_json_schema()},
                "multipart/form-data": {"schema": _AUDIO_FORM},
            },
        }
    },
)
def answer_mock(request, mock_id: int):
    """Answer the current turn: typed as JSON (200, the next turn at once), or a recording as
    multipart `audio` (202; poll `GET /mocks/{id}` until `waiting` is false)."""
    mock = Mock.objects.get_for(request.auth, mock_id)
    if request.content_type == "multipart/form-data":
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BYTES + 1024 * 1024:
            raise ValidationError({"audio": f"A recording has at most {MAX_BYTES // 2**20} MB."})
        refuse_unknown_fields(request, frozenset({"audio"}))
        mock = services.answer_audio(mock, request.FILES.get("audio"))
        return Reply(202, mock_dict(mock))
    payload = json_body(request, MockAnswerIn, otherwise="multipart with a recording")
    mock = services.answer_text(mock, payload.text, duration_seconds=payload.duration_seconds)
    return Reply(200, mock_dict(mock))


@router.get("/mocks/{mock_id}/report", response=ReportOut)
def mock_report(request, mock_id: int):
    """Each question with your answers, follow-ups, score and feedback; delivery; strengths
    and what to work on; the comparison with your previous mock of the same kind."""
    mock = services.refresh(Mock.objects.get_for(request.auth, mock_id))
    return build_report(mock)


@router.delete("/mocks/{mock_id}", response={204: None})
def delete_mock(request, mock_id: int):
    """Delete a mock; the practice answers it made stay in your practice history."""
    services.delete_mock(Mock.objects.get_for(request.auth, mock_id))
    return Reply(204, None)
