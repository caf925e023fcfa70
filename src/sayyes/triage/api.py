"""The say-yes API: triage an invitation, decide, and work through the prep checklist."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticError

from sayyes.core.api import DbInt, In, Page, Pagination, paginate, reject_nulls
from sayyes.pipeline.models import Interview

from . import checklist, services
from .costs import MAX_TRAVEL_MINUTES
from .models import ChecklistItem

router = Router(tags=["triage"])

InT = TypeVar("InT", bound=In)

# Built from the decisions the services know; mypy can't list its members ([misc]).
DecisionEnum = Enum("DecisionEnum", {k.upper(): k for k in services.DECISIONS}, type=str)  # type: ignore[misc]


class ReasonOut(Schema):
    reason: str
    score: float = Field(..., ge=0, le=1)
    why: str


class ConflictOut(Schema):
    interview_id: int
    company: str
    title: str
    status: str
    starts_at: datetime
    why: str


class RepliesOut(Schema):
    accept: str
    reschedule: str
    decline: str


class TriageOut(Schema):
    recommendation: str
    reasons: list[ReasonOut]
    conflicts: list[ConflictOut]
    goals: list[str]
    replies: RepliesOut


class TriageIn(In):
    travel_minutes: int | None = Field(
        None, ge=0, le=MAX_TRAVEL_MINUTES, description="One way, if you travel there"
    )


class DecisionIn(In):
    decision: DecisionEnum | None = None
    travel_minutes: int | None = Field(None, ge=0, le=MAX_TRAVEL_MINUTES)


class DecisionOut(Schema):
    decision: str
    recommendation: str
    interview_status: str
    checklist_items: int


class ItemOut(Schema):
    id: int
    interview_id: int
    text: str
    kind: str
    link: str
    practice_category: str
    done: bool
    position: int


class ItemPatch(In):
    done: bool | None = None


def _interview(request, interview_id: int) -> Interview:
    return Interview.objects.select_related("opportunity__company").get_for(
        request.auth, interview_id
    )


def _optional_body(request, schema: type[InT]) -> InT:
    """The body is optional here: none at all means every field's default."""
    try:
        if request.content_type == "multipart/form-data":  # a form post: its fields, if any
            return schema.model_validate(request.POST.dict())
        return schema.model_validate_json(request.body.strip() or b"{}")
    except PydanticError as exc:
        raise NinjaValidationError(
            [{**e, "loc": ("body", "payload", *e["loc"])} for e in exc.errors()]
        ) from None


@router.post(
    "/interviews/{interview_id}/triage",
    response=TriageOut,
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": TriageIn.model_json_schema()}},
        }
    },
)
def triage_interview(request, interview_id: DbInt):
    """Weigh an invitation: six reasons, conflicts, recommendation, goals and reply drafts.

    The body is optional: `{"travel_minutes": N}` adds the trip there (one way) to the costs.
    The result is stored as the interview's triage (the latest one replaces the last).
    """
    interview = _interview(request, interview_id)
    travel = _optional_body(request, TriageIn).travel_minutes
    with transaction.atomic():
        assessment, _ = services.triage(interview, travel_minutes=travel)
    return assessment.as_api()


@router.post("/interviews/{interview_id}/triage/decision", response=DecisionOut)
def decide(request, interview_id: DbInt, payload: DecisionIn):
    """Accept (scheduled, with its checklist), reschedule (stays invited) or decline (cancelled)."""
    interview = _interview(request, interview_id)
    if payload.decision is None:
        raise ValidationError({"decision": "Choose accept, reschedule or decline."})
    triage = services.decide(
        interview, payload.decision.value, travel_minutes=payload.travel_minutes
    )
    interview.refresh_from_db()
    return {
        "decision": triage.decision,
        "recommendation": triage.recommendation,
        "interview_status": interview.status,
        "checklist_items": ChecklistItem.objects.filter(interview=interview).count(),
    }


@router.get("/interviews/{interview_id}/checklist", response=Page[ItemOut])
def list_checklist(request, interview_id: DbInt, pagination: Query[Pagination]):
    interview = _interview(request, interview_id)
    return paginate(checklist.items_for(interview), pagination)


@router.patch("/checklist/{item_id}", response=ItemOut)
def patch_item(request, item_id: DbInt, payload: ItemPatch):
    item = ChecklistItem.objects.get_for(request.auth, item_id)
    reject_nulls(payload)
    data = payload.dict(exclude_unset=True)
    if "done" in data:
        checklist.set_done(item, data["done"])
    return item
