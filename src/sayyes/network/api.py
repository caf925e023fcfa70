"""The network API: contacts, their interactions and follow-ups."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import AwareDatetime, HttpUrl, StringConstraints

from sayyes.core.api import DbInt, In, Page, Pagination, paginate, reject_nulls
from sayyes.pipeline.models import Company, Interview

from . import services
from .models import Contact, FollowUp, HowMet, Interaction

router = Router(tags=["network"])

# Built from the models' choices; mypy can't list their members ([misc]): see pipeline.api.
HowMetEnum = Enum("HowMetEnum", {(v or "unknown").upper(): v for v in HowMet.values}, type=str)  # type: ignore[misc]
InteractionKind = Enum("InteractionKind", {v.upper(): v for v in Interaction.Kind.values}, type=str)  # type: ignore[misc]
FollowUpKind = Enum("FollowUpKind", {v.upper(): v for v in FollowUp.Kind.values}, type=str)  # type: ignore[misc]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Short = Annotated[str, StringConstraints(max_length=200)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


def _plain(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, HttpUrl):
            value = str(value)
        out[key] = value
    return out


class ContactOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    company: str | None = Field(None, alias="company.name")
    company_id: int | None
    title: str
    linkedin_url: str
    tags: list[str]
    how_met: str
    notes: str
    last_touched_at: datetime | None


class ContactIn(In):
    name: Name
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)] | None = None
    phone: Annotated[str, StringConstraints(max_length=50)] = ""
    company_id: DbInt | None = None
    company_name: Name | None = None
    title: Short = ""
    linkedin_url: HttpUrl | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    how_met: HowMetEnum = HowMetEnum(HowMet.UNKNOWN)
    notes: str = ""


class ContactPatch(In):
    name: Name | None = None
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)] | None = None
    phone: Annotated[str, StringConstraints(max_length=50)] | None = None
    company_id: DbInt | None = None
    company_name: Name | None = None
    title: Short | None = None
    linkedin_url: HttpUrl | None = None
    tags: list[Tag] | None = Field(None, max_length=20)
    how_met: HowMetEnum | None = None
    notes: str | None = None


class ContactFilters(In):
    q: str = ""
    tag: str = ""
    company_id: DbInt | None = None


def _company(request, company_id):
    if company_id is None:
        return None
    company = Company.objects.owned_by(request.auth).filter(pk=company_id).first()
    if company is None:
        raise ValidationError({"company_id": f"No company with id {company_id}."})
    return company


def _contact_fields(data: dict) -> dict:
    data = _plain(data)
    for key in ("email", "linkedin_url"):
        if key in data and data[key] is None:
            data[key] = ""
    return {k: v for k, v in data.items() if v is not None}


@router.get("/contacts", response=Page[ContactOut])
def list_contacts(request, filters: Query[ContactFilters], pagination: Query[Pagination]):
    qs = services.search_contacts(
        request.auth, q=filters.q, tag=filters.tag, company_id=filters.company_id
    )
    return paginate(qs, pagination)


@router.post("/contacts", response={201: ContactOut})
def create_contact(request, payload: ContactIn):
    data = payload.dict()
    company = _company(request, data.pop("company_id"))
    company_name = data.pop("company_name")
    contact = services.create_contact(
        request.auth, company=company, company_name=company_name, **_contact_fields(data)
    )
    return Reply(201, contact)


def _own(request, contact_id: int) -> Contact:
    return Contact.objects.select_related("company").get_for(request.auth, contact_id)


@router.get("/contacts/{contact_id}", response=ContactOut)
def get_contact(request, contact_id: int):
    return _own(request, contact_id)


@router.patch("/contacts/{contact_id}", response=ContactOut)
def patch_contact(request, contact_id: int, payload: ContactPatch):
    contact = _own(request, contact_id)
    reject_nulls(payload, frozenset({"email", "linkedin_url", "company_id"}))
    data = payload.dict(exclude_unset=True)
    clear_company = "company_id" in data and data["company_id"] is None
    company = _company(request, data.pop("company_id", None))
    company_name = data.pop("company_name", None)
    fields = _plain(data)
    for key in ("email", "linkedin_url"):
        if key in fields and fields[key] is None:
            fields[key] = ""
    return services.update_contact(
        contact, company=company, company_name=company_name, clear_company=clear_company, **fields
    )


@router.delete("/contacts/{contact_id}", response={204: None})
def delete_contact(request, contact_id: int):
    services.delete_contact(_own(request, contact_id))
    return Reply(204, None)


class InteractionOut(Schema):
    id: int
    contact_id: int
    kind: str
    at: datetime
    note: str


class InteractionIn(In):
    kind: InteractionKind = InteractionKind(Interaction.Kind.MET)
    at: AwareDatetime | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


@router.get("/contacts/{contact_id}/interactions", response=Page[InteractionOut])
def list_interactions(request, contact_id: int, pagination: Query[Pagination]):
    return paginate(_own(request, contact_id).interactions.all(), pagination)


@router.post("/contacts/{contact_id}/interactions", response={201: InteractionOut})
def create_interaction(request, contact_id: int, payload: InteractionIn):
    contact = _own(request, contact_id)
    data = _plain(payload.dict())
    return Reply(
        201, services.log_interaction(contact, kind=data["kind"], at=data["at"], note=data["note"])
    )


class FollowUpOut(Schema):
    id: int
    contact_id: int
    interview_id: int | None
    kind: str
    due_at: datetime
    done: bool
    note: str


class FollowUpIn(In):
    contact_id: DbInt
    interview_id: DbInt | None = None
    kind: FollowUpKind = FollowUpKind(FollowUp.Kind.OTHER)
    due_at: AwareDatetime
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class FollowUpPatch(In):
    done: bool | None = None
    due_at: AwareDatetime | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class FollowUpFilters(In):
    done: bool | None = None
    contact_id: DbInt | None = None


@router.get("/followups", response=Page[FollowUpOut])
def list_followups(request, filters: Query[FollowUpFilters], pagination: Query[Pagination]):
    qs = FollowUp.objects.owned_by(request.auth).order_by("due_at", "id")
    if filters.done is not None:
        qs = qs.filter(done_at__isnull=not filters.done)
    if filters.contact_id:
        qs = qs.filter(contact_id=filters.contact_id)
    return paginate(qs, pagination)


@router.post("/followups", response={201: FollowUpOut})
def create_followup(request, payload: FollowUpIn):
    contact = Contact.objects.owned_by(request.auth).filter(pk=payload.contact_id).first()
    if contact is None:
        raise ValidationError({"contact_id": f"No contact with id {payload.contact_id}."})
    interview = None
    if payload.interview_id is not None:
        interview = Interview.objects.owned_by(request.auth).filter(pk=payload.interview_id).first()
        if interview is None:
            raise ValidationError({"interview_id": f"No interview with id {payload.interview_id}."})
    data = _plain(payload.dict())
    followup = services.create_followup(
        request.auth,
        contact,
        kind=data["kind"],
        due_at=data["due_at"],
        note=data["note"],
        interview=interview,
    )
    return Reply(201, followup)


def _own_followup(request, followup_id: int) -> FollowUp:
    return FollowUp.objects.get_for(request.auth, followup_id)


@router.get("/followups/{followup_id}", response=FollowUpOut)
def get_followup(request, followup_id: int):
    return _own_followup(request, followup_id)


@router.patch("/followups/{followup_id}", response=FollowUpOut)
def patch_followup(request, followup_id: int, payload: FollowUpPatch):
    followup = _own_followup(request, followup_id)
    reject_nulls(payload)
    data = payload.dict(exclude_unset=True)
    if data.get("due_at") is not None or data.get("note") is not None:
        fields: list[str] = []
        if data.get("due_at") is not None:
            followup.due_at, fields = data["due_at"], [*fields, "due_at"]
        if data.get("note") is not None:
            followup.note, fields = data["note"].strip(), [*fields, "note"]
        followup.save(update_fields=fields)
    if data.get("done") is not None:
        services.set_done(followup, data["done"])
    return followup


@router.delete("/followups/{followup_id}", response={204: None})
def delete_followup(request, followup_id: int):
    _own_followup(request, followup_id).delete()
    return Reply(204, None)


# --- the thank-you note: the same draft the page shows, to edit and mark sent ----------------


class DraftOut(Schema):
    subject: str
    body: str
    to: str
    mailto: str
    edited: bool = Field(description="True once you saved your own edits (or sent the note)")


class DraftPatch(In):
    """Any of the three; what you leave out stays as the draft shows it."""

    to: Annotated[str, StringConstraints(max_length=1000)] | None = None
    subject: Annotated[str, StringConstraints(max_length=300)] | None = None
    body: Annotated[str, StringConstraints(max_length=services.MAX_DRAFT_BODY)] | None = None


def _draft(followup: FollowUp) -> dict:
    draft = services.thank_you_draft(followup)
    return {**draft, "mailto": services.mailto_link(draft), "edited": bool(followup.draft_body)}


def _followup_for_draft(request, followup_id: int) -> FollowUp:
    return FollowUp.objects.select_related(
        "contact__company", "interview__opportunity__company"
    ).get_for(request.auth, followup_id)


@router.get("/followups/{followup_id}/draft", response=DraftOut)
def get_followup_draft(request, followup_id: int):
    """The note to send: your saved edits, else sayyes's draft from the topics discussed."""
    return _draft(_followup_for_draft(request, followup_id))


@router.patch("/followups/{followup_id}/draft", response=DraftOut)
def patch_followup_draft(request, followup_id: int, payload: DraftPatch):
    """Edit the note before sending it; the page and later GETs show your version."""
    followup = _followup_for_draft(request, followup_id)
    reject_nulls(payload)
    services.save_thank_you_draft(followup, **payload.dict(exclude_unset=True))
    return _draft(followup)


@router.delete("/followups/{followup_id}/draft", response=DraftOut)
def reset_followup_draft(request, followup_id: int):
    """Forget your edits and get sayyes's draft again."""
    followup = _followup_for_draft(request, followup_id)
    services.reset_thank_you_draft(followup)
    return _draft(followup)


@router.post("/followups/{followup_id}/sent", response=FollowUpOut)
def mark_followup_sent(request, followup_id: int):
    """Mark the note (as the draft now reads) sent: it goes on the contact's timeline and the
    follow-up is done. Marking it again changes nothing."""
    followup = _followup_for_draft(request, followup_id)
    services.mark_thank_you_sent(followup)
    return followup
