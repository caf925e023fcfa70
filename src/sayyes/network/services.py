"""Network operations shared by the pages, the API and the CLI: contacts, interactions,
follow-ups, thank-you notes and check-in suggestions."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import drafts
from .models import Contact, FollowUp, HowMet, Interaction

CONTACT_FIELDS = ("name", "email", "phone", "linkedin_url", "title", "tags", "how_met", "notes")
THANK_YOU_WITHIN = timedelta(hours=24)


def _validate(obj, exclude=()) -> None:
    obj.full_clean(exclude=list(exclude), validate_unique=False)


def _clean_tags(tags) -> list[str]:
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())
        if tag and tag.lower() not in (t.lower() for t in cleaned):
            if len(tag) > 50:
                raise ValidationError({"tags": "A tag has at most 50 characters."})
            cleaned.append(tag)
    if len(cleaned) > 20:
        raise ValidationError({"tags": "At most 20 tags."})
    return cleaned


# --- contacts ----------------------------------------------------------------------------


def search_contacts(
    user, *, q: str = "", tag: str = "", company_id: int | None = None
) -> QuerySet[Contact]:
    qs = Contact.objects.owned_by(user).select_related("company")
    for word in (q or "").split():
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(email__icontains=word)
            | Q(title__icontains=word)
            | Q(company__name__icontains=word)
            | Q(notes__icontains=word)
        )
    if tag:
        # The database narrows by the stored JSON text (non-ASCII is escaped in it on SQLite,
        # so only ASCII tags narrow); the exact, case-insensitive match is made here.
        narrowed = qs.filter(tags__icontains=tag) if tag.isascii() else qs
        wanted = tag.lower()
        ids = [
            pk for pk, tags in narrowed.values_list("pk", "tags") if wanted in map(str.lower, tags)
        ]
        qs = Contact.objects.filter(pk__in=ids).select_related("company")
    if company_id:
        qs = qs.filter(company_id=company_id)
    return qs.order_by("name", "id")


def _company(user, company_name: str | None, company=None):
    from sayyes.pipeline.services import get_or_create_company

    if company is not None:
        if company.owner_id != user.pk:
            raise ValidationError({"company_id": "No such company."})
        return company
    if company_name:
        return get_or_create_company(user, company_name)
    return None


@transaction.atomic
def create_contact(
    user, *, company=None, company_name: str | None = None, **fields: Any
) -> Contact:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a field of a contact." for name in unknown})
    fields["tags"] = _clean_tags(fields.get("tags"))
    contact = Contact(owner=user, company=_company(user, company_name, company), **fields)
    _validate(contact, exclude=["owner", "company"])
    contact.save()
    return contact


@transaction.atomic
def update_contact(
    contact: Contact,
    *,
    company=None,
    company_name: str | None = None,
    clear_company: bool = False,
    **fields: Any,
) -> Contact:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a field of a contact." for name in unknown})
    if "tags" in fields:
        fields["tags"] = _clean_tags(fields["tags"])
    if clear_company:
        contact.company = None
    elif company is not None or company_name:
        contact.company = _company(contact.owner, company_name, company)
    for key, value in fields.items():
        setattr(contact, key, value)
    _validate(contact, exclude=["owner", "company"])
    contact.save()
    return contact


def delete_contact(contact: Contact) -> None:
    contact.delete()


# --- interactions ------------------------------------------------------------------------


@transaction.atomic
def log_interaction(
    contact: Contact,
    *,
    kind: str = Interaction.Kind.MET,
    at: datetime | None = None,
    note: str = "",
) -> Interaction:
    if kind not in Interaction.Kind.values:
        raise ValidationError({"kind": f"Use one of: {', '.join(Interaction.Kind.values)}."})
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ValidationError({"at": "Give the time with its offset."})
    interaction = Interaction.objects.create(
        owner=contact.owner, contact=contact, kind=kind, at=at, note=(note or "").strip()
    )
    Contact.objects.filter(pk=contact.pk).filter(
        Q(last_touched_at__isnull=True) | Q(last_touched_at__lt=at)
    ).update(last_touched_at=at)
    contact.refresh_from_db(fields=["last_touched_at"])
    return interaction


# --- follow-ups --------------------------------------------------------------------------


def ensure_thank_yous(interview) -> list[FollowUp]:
    """Each interviewer of a done interview gets one thank-you, due 24 h after it ended."""
    created = []
    due = interview.ends_at + THANK_YOU_WITHIN
    for contact in interview.interviewers.all():
        if FollowUp.objects.filter(
            interview=interview, contact=contact, kind=FollowUp.Kind.THANK_YOU
        ).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    FollowUp.objects.create(
                        owner=interview.owner,
                        contact=contact,
                        interview=interview,
                        kind=FollowUp.Kind.THANK_YOU,
                        due_at=due,
                        note=f"Thank {contact.name} for the {interview.get_kind_display().lower()} interview.",
                    )
                )
        except IntegrityError:
            pass  # created by a simultaneous request: still exactly one
        if contact.how_met == HowMet.UNKNOWN:
            Contact.objects.filter(pk=contact.pk).update(how_met=HowMet.INTERVIEW)
        # Meeting them is an interaction too.
        if not Interaction.objects.filter(
            contact=contact, kind="met", at=interview.starts_at
        ).exists():
            log_interaction(
                contact,
                kind=Interaction.Kind.MET,
                at=interview.starts_at,
                note=f"{interview.get_kind_display()} interview for {interview.opportunity.title}",
            )
    return created


def create_followup(
    user,
    contact: Contact,
    *,
    kind: str = FollowUp.Kind.OTHER,
    due_at: datetime,
    note: str = "",
    interview=None,
) -> FollowUp:
    if contact.owner_id != user.pk:
        raise ValidationError({"contact_id": "No such contact."})
    if interview is not None and interview.owner_id != user.pk:
        raise ValidationError({"interview_id": "No such interview."})
    if kind not in FollowUp.Kind.values:
        raise ValidationError({"kind": f"Use one of: {', '.join(FollowUp.Kind.values)}."})
    if timezone.is_naive(due_at):
        raise ValidationError({"due_at": "Give the time with its offset."})
    try:
        with transaction.atomic():
            return FollowUp.objects.create(
                owner=user,
                contact=contact,
                kind=kind,
                due_at=due_at,
                note=(note or "").strip(),
                interview=interview,
            )
    except IntegrityError:
        raise ValidationError(
            {"kind": "This interviewer already has a thank-you for that interview."}
        ) from None


def set_done(followup: FollowUp, done: bool) -> FollowUp:
    """Mark done or not done; a conditional update, so two clicks record one change."""
    if done:
        FollowUp.objects.filter(pk=followup.pk, done_at__isnull=True).update(done_at=timezone.now())
    else:
        FollowUp.objects.filter(pk=followup.pk).update(done_at=None)
    followup.refresh_from_db(fields=["done_at"])
    return followup


def open_followups(user) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.owned_by(user)
        .filter(done_at__isnull=True)
        .select_related("contact__company", "interview__opportunity__company")
        .order_by("due_at")
    )


def checkin_suggestions(user, weeks: int | None = None, limit: int = 10) -> list[Contact]:
    """Contacts you haven't been in touch with for ``weeks`` (the user's setting)."""
    from sayyes.accounts.models import Profile

    weeks = weeks or Profile.for_user(user).checkin_after_weeks
    cutoff = timezone.now() - timedelta(weeks=weeks)
    pending = FollowUp.objects.owned_by(user).filter(done_at__isnull=True).values("contact_id")
    return list(
        Contact.objects.owned_by(user)
        .filter(
            Q(last_touched_at__lt=cutoff) | Q(last_touched_at__isnull=True, created_at__lt=cutoff)
        )
        .exclude(pk__in=pending)
        .select_related("company")
        .order_by("last_touched_at", "created_at")[:limit]
    )


# --- thank-you notes -----------------------------------------------------------------------

MAX_DRAFT_BODY = 20_000


def sign_off(user) -> str:
    from sayyes.accounts.services import sign_off as accounts_sign_off

    return accounts_sign_off(user)


def sender_name(user) -> str:
    """The name a sent message is from: the display name, else the full name, else none."""
    from sayyes.accounts.models import Profile

    return Profile.for_user(user).display_name or user.get_full_name()


def thank_you_draft(followup: FollowUp) -> dict[str, str]:
    """The note the page, the API and the CLI show: as you edited it, else sayyes's draft."""
    if followup.draft_body:
        return {
            "to": followup.draft_to,
            "subject": followup.draft_subject,
            "body": followup.draft_body,
        }
    return drafts.thank_you(followup, sign_off(followup.owner))


def clean_draft(to: str, subject: str, body: str) -> dict[str, str]:
    """A draft as typed, checked: addresses, a subject and a body; an error names the field."""
    errors: dict[str, str] = {}
    addresses = [a.strip() for a in (to or "").split(",") if a.strip()]
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            errors["to"] = f"{address!r} is not an email address."
            break
    subject = " ".join((subject or "").split())
    if not subject:
        errors["subject"] = "Give the note a subject."
    elif len(subject) > 300:
        errors["subject"] = "A subject has at most 300 characters."
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        errors["body"] = "The note is empty."
    elif len(body) > MAX_DRAFT_BODY:
        errors["body"] = f"A note has at most {MAX_DRAFT_BODY:,} characters."
    if errors:
        raise ValidationError(errors)
    return {"to": ", ".join(addresses), "subject": subject, "body": body + "\n"}


def _refuse_if_sent(followup: FollowUp) -> None:
    if followup.done_at is not None:
        raise ValidationError({"body": "This note was already sent; it stays as it was sent."})


@transaction.atomic
def save_thank_you_draft(followup: FollowUp, **changes: str) -> dict[str, str]:
    """Keep your edits of the note (any of to, subject, body; the rest stays as shown). A
    note marked sent meanwhile (another tab, the API) is refused, not overwritten."""
    unknown = set(changes) - {"to", "subject", "body"}
    if unknown:
        raise ValidationError({name: "Not a part of a draft." for name in unknown})
    locked = FollowUp.objects.select_for_update().only("done_at").get(pk=followup.pk)
    followup.done_at = locked.done_at
    _refuse_if_sent(followup)
    draft = clean_draft(**{**thank_you_draft(followup), **changes})
    followup.draft_to, followup.draft_subject, followup.draft_body = (
        draft["to"],
        draft["subject"],
        draft["body"],
    )
    followup.save(update_fields=["draft_to", "draft_subject", "draft_body"])
    return draft


def reset_thank_you_draft(followup: FollowUp) -> dict[str, str]:
    """Forget your edits: sayyes's draft again (from the topics as they are now)."""
    _refuse_if_sent(followup)
    FollowUp.objects.filter(pk=followup.pk).update(draft_to="", draft_subject="", draft_body="")
    followup.draft_to = followup.draft_subject = followup.draft_body = ""
    return thank_you_draft(followup)


def mailto_link(draft: dict[str, str]) -> str:
    """A mailto: link for a draft {"to", "subject", "body"}; "to" may list addresses with commas."""
    to, subject, body = quote(draft["to"], safe="@,"), quote(draft["subject"]), quote(draft["body"])
    return f"mailto:{to}?subject={subject}&body={body}"


def eml_bytes(draft: dict[str, str], *, sender_name: str, sender_email: str) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr((sender_name, sender_email or "me@localhost"))
    if draft["to"]:
        message["To"] = draft["to"]
    message["Subject"] = draft["subject"]
    message["Date"] = format_datetime(timezone.now())
    message["X-Unsent"] = "1"  # mail apps open it as a draft to send
    message.set_content(draft["body"])
    return bytes(message)


@transaction.atomic
def mark_thank_you_sent(followup: FollowUp, draft: dict[str, str] | None = None) -> FollowUp:
    """Sending the note keeps it, logs it on the contact's timeline (the whole note, as
    sent) and closes the follow-up; marking it sent again changes nothing."""
    locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if locked.done_at is None:
        sent = clean_draft(**draft) if draft is not None else thank_you_draft(locked)
        locked.draft_to, locked.draft_subject, locked.draft_body = (
            sent["to"],
            sent["subject"],
            sent["body"],
        )
        locked.save(update_fields=["draft_to", "draft_subject", "draft_body"])
        log_interaction(
            locked.contact,
            kind=Interaction.Kind.EMAILED,
            note=f"Thank-you note sent. Subject: {sent['subject']}\n\n{sent['body'].strip()}",
        )
    followup.draft_to, followup.draft_subject, followup.draft_body = (
        locked.draft_to,
        locked.draft_subject,
        locked.draft_body,
    )
    return set_done(followup, True)
