"""POST /api/v1/invitations: a calendar file, an e-mail or pasted text into an interview."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema
from ninja import Status as Reply
from pydantic import AwareDatetime, StringConstraints

from sayyes.core.api import DbInt, In, form_id, json_body, refuse_unknown_fields
from sayyes.pipeline.api import InterviewOut

from . import services
from .models import Invitation
from .reader import MAX_BYTES, InvitationError

router = Router(tags=["invitations"])


class InvitationTextIn(In):
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_BYTES)] = Field(
        ..., description="A pasted e-mail, or the text of an .ics or .eml file"
    )
    starts_at: AwareDatetime | None = Field(
        None, description="Confirm one of the proposed times (or any time) to make the interview"
    )
    company_id: DbInt | None = Field(None, description="Pick the company when several match")
    company_name: Annotated[str, StringConstraints(max_length=200)] = ""
    opportunity_id: DbInt | None = Field(None, description="Pick the opportunity")
    title: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", description="The role, when confirming a proposed time"
    )
    duration_minutes: int = Field(60, ge=1, le=24 * 60)
    past: Literal["done"] | None = Field(
        None, description='"done" logs an invitation for a past interview as done'
    )


_FORM: dict[str, Any] = {
    "type": "object",
    "required": ["file"],
    "additionalProperties": False,
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "An .ics file, or an .eml with the invitation attached or inline; "
            "at most 2 MB.",
        },
        "company_id": {"type": "integer"},
        "company_name": {"type": "string", "maxLength": 200},
        "opportunity_id": {"type": "integer"},
        "past": {"type": "string", "enum": ["done"]},
    },
}


class MatchOut(Schema):
    id: int
    name: str
    how: str


class OpportunityMatchOut(Schema):
    id: int
    title: str
    how: str


class PersonOut(Schema):
    id: int
    name: str


class MatchedOut(Schema):
    company: MatchOut
    opportunity: OpportunityMatchOut
    recruiter: PersonOut | None
    interviewers: list[PersonOut]


class ResultOut(Schema):
    action: str = Field(..., description="created, updated, cancelled, unchanged or ignored")
    message: str
    interview: InterviewOut
    matched: MatchedOut | None


class ProposalOut(Schema):
    said: str
    starts_at: datetime


class InvitationOut(Schema):
    action: str = Field(
        ...,
        description="created, updated, cancelled, unchanged, ignored (an older SEQUENCE), "
        "or proposed (pasted text: confirm a time with starts_at)",
    )
    message: str
    interview: InterviewOut | None
    matched: MatchedOut | None
    results: list[ResultOut] = Field(..., description="One per event of the file")
    proposals: list[ProposalOut]
    zone: str | None = Field(None, description="The zone the proposed times are in")


class RefusedOut(Schema):
    detail: list[dict[str, Any]] = Field(
        ...,
        description="What is wrong; when a company or opportunity must be picked, "
        "`choices` lists them (`type: choice_needed`); a past interview is `type: past_event`",
    )


def _result(outcome: services.Outcome) -> dict[str, Any]:
    return {
        "action": outcome.action,
        "message": outcome.message,
        "interview": outcome.interview,
        "matched": outcome.matched.as_dict() if outcome.matched else None,
    }


def answer(imported: services.Imported) -> dict[str, Any]:
    """The API's answer for an import (the CLI's --json prints the same)."""
    if imported.proposals is not None:
        return {
            "action": "proposed",
            "message": imported.summary(),
            "interview": None,
            "matched": None,
            "results": [],
            "proposals": [
                {"said": p.said, "starts_at": p.starts_at} for p in imported.proposals.times
            ],
            "zone": imported.proposals.zone,
        }
    results = [_result(o) for o in imported.outcomes]
    first = results[0]
    return {
        **first,
        "message": imported.summary(),
        "results": results,
        "proposals": [],
        "zone": None,
    }


def refusal(exc: InvitationError, where: str = "file") -> list[dict[str, Any]]:
    """An InvitationError as the API's field-level detail (choices listed when asked for)."""
    if isinstance(exc, services.NeedsChoice):
        field = "company_id" if exc.what == "company" else "opportunity_id"
        if exc.what == "company" and not exc.choices:
            field = "company_name"
        return [
            {
                "loc": ["body", field],
                "msg": str(exc),
                "type": "choice_needed",
                "choices": [{"id": pk, "name": name} for pk, name in exc.choices],
            }
        ]
    if isinstance(exc, services.PastEvent):
        return [
            {
                "loc": ["body", "past"],
                "msg": f'{exc} Send past="done" to log it as done.',
                "type": "past_event",
            }
        ]
    return [{"loc": ["body", where], "msg": str(exc), "type": "value_error"}]


@router.post(
    "/invitations",
    response={200: InvitationOut, 201: InvitationOut, 422: RefusedOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": InvitationTextIn.model_json_schema()},
                "multipart/form-data": {"schema": _FORM},
            },
        }
    },
)
def post_invitation(request):
    """Log an invitation: multipart `file` (.ics, or .eml with the invitation attached or
    inline), or JSON `{"text": "<the pasted e-mail>"}`.

    201 with the new interview (status invited), 200 when it updated, cancelled or ignored
    one (the same UID: a higher SEQUENCE updates, an older one is ignored), with what was
    matched. Pasted text without a calendar makes nothing: the answer proposes times
    (`action: "proposed"`); send the text again with `starts_at` to make the interview.
    A bad file is a 422 naming the line or property, and nothing is written.
    """
    user = request.auth
    try:
        if request.content_type == "multipart/form-data":
            imported = _from_form(request, user)
        else:
            payload = json_body(request, InvitationTextIn, otherwise="multipart with a file")
            if payload.starts_at is not None:
                outcome = services.confirm_proposal(
                    user,
                    payload.text,
                    payload.starts_at,
                    company_id=payload.company_id,
                    company_name=payload.company_name,
                    opportunity_id=payload.opportunity_id,
                    title=payload.title,
                    duration_minutes=payload.duration_minutes,
                )
                imported = services.Imported(outcomes=[outcome])
            else:
                imported = services.import_invitation(
                    user,
                    payload.text.encode(),
                    source=Invitation.Source.TEXT,
                    company_id=payload.company_id,
                    company_name=payload.company_name,
                    opportunity_id=payload.opportunity_id,
                    past=payload.past,
                )
    except InvitationError as exc:
        where = "file" if request.content_type == "multipart/form-data" else "text"
        return Reply(422, {"detail": refusal(exc, where)})
    return Reply(201 if imported.created else 200, answer(imported))


def _from_form(request, user) -> services.Imported:
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BYTES + 64 * 1024:
        raise InvitationError("the file is over 2 MB; an invitation is at most 2 MB")
    refuse_unknown_fields(request, frozenset(_FORM["properties"]))
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": "Send the invitation as the multipart field 'file'."})
    if upload.size > MAX_BYTES:
        raise InvitationError("the file is over 2 MB; an invitation is at most 2 MB")
    past = request.POST.get("past", "").strip() or None
    company_name = request.POST.get("company_name", "").strip()
    if len(company_name) > 200 or "\x00" in company_name:
        raise ValidationError({"company_name": "A company name has at most 200 characters."})
    return services.import_invitation(
        user,
        upload.read(),
        company_id=form_id(request, "company_id"),
        company_name=company_name,
        opportunity_id=form_id(request, "opportunity_id"),
        past=past,
    )
