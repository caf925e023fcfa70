"""Invitations into interviews: the one import every door (page, API, CLI, mailbox) calls.

    import_invitation(user, data, ...) -> Imported   (a .ics, an .eml, or pasted text)
    confirm_proposal(user, text, starts_at, ...) -> Outcome

A calendar event makes an interview (status ``invited``) at the company and opportunity it
is about; the same UID with a higher SEQUENCE updates that interview (time, people, link;
never the notes), a cancellation cancels it, an older SEQUENCE is ignored. A whole file is
imported or nothing is: a problem raises InvitationError (or NeedsChoice, PastEvent) and
every write of the file is rolled back.

Company: by the organizer's e-mail domain (your contacts' addresses and companies' web
sites), then by a company name in the summary; several matches ask the user to pick; none
makes a company (named from the summary's "... at Company", else the domain).
Opportunity: the company's one whose title the summary names, else its only open one;
several ask; none makes one (status interviewing) titled with the role.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from sayyes.accounts.models import Profile
from sayyes.core.errors import validation_text
from sayyes.core.logs import refused_import
from sayyes.network.models import Contact, HowMet
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import (
    Company,
    Interview,
    InterviewKind,
    InterviewStatus,
    Opportunity,
    Status,
)

from .models import Invitation, OwnAddresses
from .reader import (
    HAS_TIME,
    Event,
    InvitationError,
    Person,
    Proposals,
    check_size,
    find_video_link,
    propose_times,
    read_eml,
    read_ics,
    sniff,
)

log = logging.getLogger(__name__)

# Addresses at these domains say nothing about the company.
GENERIC_DOMAINS = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
    "icloud.com", "me.com", "proton.me", "protonmail.com", "aol.com", "gmx.com", "gmx.de",
    "calendly.com", "google.com", "calendar.google.com", "zoom.us", "microsoft.com",
    "greenhouse.io", "lever.co", "ashbyhq.com", "goodtime.io", "calendar.app.google",
    "workablemail.com", "smartrecruiters.com", "myworkday.com",
}  # fmt: skip
KIND_WORDS: list[tuple[str, str]] = [
    (r"phone screen|screening|intro(?:ductory)? call|recruiter call|phone (?:call|interview)"
     r"|chat with (?:the )?recruiter", InterviewKind.PHONE_SCREEN),
    (r"technical|coding|system design|pair(?:ing)?|live code|take[- ]home review",
     InterviewKind.TECHNICAL),
    (r"behaviou?ral", InterviewKind.BEHAVIORAL),
    (r"\bpanel\b", InterviewKind.PANEL),
    (r"on-?site|in[- ]person|office visit", InterviewKind.ONSITE),
    (r"\bfinal\b", InterviewKind.FINAL),
]  # fmt: skip
ROUND_WORDS = re.compile(
    r"\b(?:interview(?:s|ing)?|invitation|invite|round|call|meeting|chat|screen(?:ing)?|"
    r"phone|video|technical|coding|system design|behaviou?ral|panel|on-?site|in[- ]person|"
    r"final|first|second|third|1st|2nd|3rd|intro(?:ductory)?|recruiter|hiring manager|"
    r"zoom|teams|google meet|re|fw|fwd|updated|invitation|accepted|the|for|role|position|"
    r"job|of|your|our)\b",
    re.IGNORECASE,
)
SEPARATORS = re.compile(r"\s+[-–—|/:x]\s+|:\s+|\s*\|\s*|\(|\)|\s+(?:at|with|@)\s+", re.IGNORECASE)
# What mail apps add to a summary: "@ Tue 14 Jan 2031 2pm - 2:30pm (EST)", "(you@example.com)".
ADDRESSES = re.compile(r"\([^()]*@[^()]*\)")
WHEN = re.compile(r"\s@\s[^@]*\d[^@]*$")


def _without_when_and_who(summary: str) -> str:
    return WHEN.sub(" ", ADDRESSES.sub(" ", summary)).strip()


CLOSED = (Status.REJECTED, Status.WITHDRAWN, Status.DECLINED, Status.ACCEPTED)


class NeedsChoice(InvitationError):
    """Several companies or opportunities fit: the user picks one (``company_id`` or
    ``opportunity_id``), or names the company when none can be told."""

    def __init__(self, what: str, problem: str, choices: list[tuple[int, str]]):
        self.what = what  # "company" or "opportunity"
        self.choices = choices
        super().__init__(problem)


class PastEvent(InvitationError):
    """The interview is over already: log it as done (``past="done"``), or not at all."""

    def __init__(self, event: Event, zone: str):
        self.event = event
        local = event.starts_at.astimezone(_zone(zone))
        super().__init__(
            f"{event.summary or 'this interview'} was on {local.day} {local:%B %Y at %H:%M} "
            f"({zone}), "
            "in the past; log it as done instead?"
        )


def _short(when: datetime) -> str:
    """A time as "Wed 15 Jan 2031 10:00" (strftime's %-d is not on every platform)."""
    return f"{when:%a} {when.day} {when:%b %Y %H:%M}"


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


@dataclass
class Matched:
    company: Company
    company_how: str  # "your choice", "organizer's domain x.com", "name in the summary", "new"
    opportunity: Opportunity
    opportunity_how: str
    recruiter: Contact | None = None
    interviewers: list[Contact] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "company": {"id": self.company.pk, "name": self.company.name, "how": self.company_how},
            "opportunity": {
                "id": self.opportunity.pk,
                "title": self.opportunity.title,
                "how": self.opportunity_how,
            },
            "recruiter": (
                {"id": self.recruiter.pk, "name": self.recruiter.name} if self.recruiter else None
            ),
            "interviewers": [{"id": c.pk, "name": c.name} for c in self.interviewers],
        }


@dataclass
class Outcome:
    action: str  # created, updated, cancelled, unchanged, ignored
    interview: Interview
    message: str
    matched: Matched | None = None


@dataclass
class Imported:
    outcomes: list[Outcome] = field(default_factory=list)
    proposals: Proposals | None = None  # pasted text without a calendar: times to confirm
    text: str = ""  # the text the proposals come from

    @property
    def created(self) -> bool:
        return any(o.action == "created" for o in self.outcomes)

    @property
    def first(self) -> Interview | None:
        return self.outcomes[0].interview if self.outcomes else None

    def summary(self) -> str:
        if self.proposals is not None:
            times = ", ".join(_short(p.starts_at) for p in self.proposals.times)
            return (
                f"No calendar invitation; times proposed ({self.proposals.zone}): {times}."
                if times
                else "No calendar invitation and no date with a time in the text."
            )
        return " ".join(o.message for o in self.outcomes)


# --- Who is the user ------------------------------------------------------------------------


def own_addresses(user) -> set[str]:
    addresses = {user.email.lower()} if user.email else set()
    extra = own_addresses_row(user)
    if extra is not None:
        addresses |= {a.lower() for a in extra.addresses}
    return addresses


def own_addresses_row(user) -> OwnAddresses | None:
    return OwnAddresses.objects.owned_by(user).first()


def set_own_addresses(user, text: str) -> list[str]:
    """Save the user's other addresses (one per line, or separated by commas or spaces)."""
    from django.core.validators import validate_email

    found: list[str] = []
    for word in re.split(r"[\s,;]+", text or ""):
        word = word.strip().lower()
        if not word:
            continue
        try:
            validate_email(word)
        except ValidationError:
            raise ValidationError({"addresses": f"{word!r} is not an e-mail address."}) from None
        if word not in found:
            found.append(word)
    if len(found) > 50:
        raise ValidationError({"addresses": "Give at most 50 addresses."})
    row = own_addresses_row(user)
    if row is None:
        OwnAddresses.objects.create(user=user, addresses=found)
    else:
        OwnAddresses.objects.filter(pk=row.pk).update(addresses=found)
    return found


# --- Matching ---------------------------------------------------------------------------------


def _domain_of_url(url: str) -> str:
    host = urlsplit(url if "://" in url else "https://" + url).hostname or ""
    return host.lower().removeprefix("www.")


def _same_domain(host: str, domain: str) -> bool:
    return bool(host) and (host == domain or host.endswith("." + domain))


def _companies_by_domain(user, domain: str) -> list[Company]:
    found: dict[int, Company] = {}
    for company in Company.objects.owned_by(user).filter(website__icontains=domain).order_by("id"):
        if _same_domain(_domain_of_url(company.website), domain):
            found[company.pk] = company
    contacts = (
        Contact.objects.owned_by(user)
        .filter(email__iendswith=domain, company__isnull=False)
        .select_related("company")
        .order_by("id")
    )
    for contact in contacts:
        if _same_domain(contact.email.rpartition("@")[2].lower(), domain) and contact.company:
            found.setdefault(contact.company.pk, contact.company)
    return list(found.values())


def _companies_named_in(user, text: str) -> list[Company]:
    folded = f" {text.casefold()} "
    found = []
    for company in Company.objects.owned_by(user).only("id", "name").order_by("id"):
        name = company.name.casefold()
        if name in folded and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded):
            found.append(company)
    # "Acme" and "Acme Robotics" both in the summary: the longer name is meant.
    return [c for c in found if not any(c is not o and c.name.casefold() in o.name.casefold()
                                        for o in found)]  # fmt: skip


def _company_domain(event: Event, own: set[str]) -> str:
    people = [event.organizer] if event.organizer else []
    people += event.attendees
    for person in people:
        if person.email not in own and person.domain not in GENERIC_DOMAINS:
            return person.domain
    return ""


def _segments(summary: str) -> list[str]:
    return [s.strip(" -–—|:,.") for s in SEPARATORS.split(summary) if s and s.strip(" -–—|:,.")]


def company_name_from(event: Event, domain: str) -> str:
    """A name for a company sayyes doesn't know: "... at Acme", else the domain ("acme.io")."""
    summary = _without_when_and_who(event.summary)
    match = re.search(r"\s(?:at|@)\s+(.+?)(?:\s+[-–—|(:]|$)", summary)
    if match and not ROUND_WORDS.fullmatch(match.group(1).strip()):
        return match.group(1).strip(" .,")[:200]
    if domain:
        label = domain.split(".")[-2] if domain.count(".") >= 1 else domain
        return label.replace("-", " ").title()
    return ""


def role_from(summary: str, company: str, people: list[Person]) -> str:
    """The role in an event summary: what is left when the company, the round words and
    the people's names are taken out ("Technical interview: Data Engineer at Acme")."""
    names = {p.name.casefold() for p in people}
    summary = _without_when_and_who(summary)
    summary = re.sub(r"\bbetween\s.+?\sand\s.+?(?=\s+[-–—|(:]|$)", " ", summary)
    summary = re.sub(r"\b\d+[- ]?min(?:ute)?s?\b", " ", summary, flags=re.IGNORECASE)
    best = ""
    for segment in _segments(summary):
        if segment.casefold() in names or segment.casefold() == company.casefold():
            continue
        if HAS_TIME.search(segment):
            continue  # a date and time, not a role
        left = ROUND_WORDS.sub(" ", segment.replace(company, " ") if company else segment)
        left = " ".join(left.split()).strip(" -–—|:,.&")
        if len(left) > len(best):
            best = left
    return best[:200]


def kind_from(summary: str, has_video: bool) -> str:
    for pattern, kind in KIND_WORDS:
        if re.search(pattern, summary, re.IGNORECASE):
            return kind
    return InterviewKind.VIDEO if has_video else InterviewKind.OTHER


def _match_company(user, event: Event, own: set[str], company_id, company_name) -> tuple:
    if company_id is not None:
        return Company.objects.get_for(user, company_id), "your choice"
    if company_name:
        return pipeline.get_or_create_company(user, company_name), "your choice"
    domain = _company_domain(event, own)
    if domain:
        found = _companies_by_domain(user, domain)
        if len(found) == 1:
            return found[0], f"the organizer's domain {domain}"
        if len(found) > 1:
            raise NeedsChoice(
                "company",
                f"several of your companies use the domain {domain}; pick one",
                [(c.pk, c.name) for c in found],
            )
    found = _companies_named_in(user, event.summary)
    if len(found) == 1:
        return found[0], "its name in the summary"
    if len(found) > 1:
        raise NeedsChoice(
            "company",
            f"the summary names several of your companies ({', '.join(c.name for c in found)}); "
            "pick one",
            [(c.pk, c.name) for c in found],
        )
    name = company_name_from(event, domain)
    if not name:
        raise NeedsChoice(
            "company", "the invitation doesn't say which company it is from; name it", []
        )
    return pipeline.get_or_create_company(user, name), "new"


def _match_opportunity(user, company: Company, event: Event, role: str, opportunity_id) -> tuple:
    if opportunity_id is not None:
        opp = Opportunity.objects.get_for(user, opportunity_id)
        if opp.company_id != company.pk:
            raise InvitationError(f"opportunity {opp.pk} is not at {company.name}")
        return opp, "your choice"
    opps = list(Opportunity.objects.owned_by(user).filter(company=company).order_by("id"))
    summary = event.summary.casefold()
    named = [o for o in opps if o.title and o.title.casefold() in summary]
    if role:
        named += [o for o in opps if o.title.casefold() == role.casefold() and o not in named]
    if len(named) == 1:
        return named[0], "its title in the summary"
    open_ones = [o for o in (named or opps) if o.status not in CLOSED]
    if len(open_ones) == 1:
        return open_ones[0], "the company's open opportunity"
    if len(open_ones) > 1:
        raise NeedsChoice(
            "opportunity",
            f"you have several opportunities at {company.name}; pick one",
            [(o.pk, o.title) for o in open_ones],
        )
    title = role or event.summary or "Interview"
    opp = pipeline.create_opportunity(
        user, company=company, title=title[:200], status=Status.INTERVIEWING, source="invitation"
    )
    return opp, "new"


def _contact(user, person: Person, company: Company, tag: str = "") -> Contact:
    contacts = Contact.objects.owned_by(user)
    found = (
        contacts.filter(email__iexact=person.email).order_by("id").first()
        or contacts.filter(name__iexact=person.name, company=company).order_by("id").first()
    )
    if found is None:
        found = Contact(
            owner=user,
            name=person.name,
            email=person.email,
            company=company,
            how_met=HowMet.INTERVIEW,
            tags=[tag] if tag else [],
        )
        try:
            found.full_clean(exclude=["owner", "company"], validate_unique=False)
        except ValidationError:
            found.email = ""  # an address Django won't take: keep the person, not the address
        found.save()
    elif not found.email:
        Contact.objects.filter(pk=found.pk).update(email=person.email)
    return found


def _people(user, event: Event, own: set[str], company: Company):
    organizer = event.organizer if event.organizer and event.organizer.email not in own else None
    others = [p for p in event.attendees if p.email not in own]
    interviewers = [p for p in others if not organizer or p.email != organizer.email]
    if not interviewers and organizer is not None:
        interviewers = [organizer]  # nobody else is invited: the organizer interviews you
    recruiter = None
    if organizer is not None:
        role = "" if organizer in interviewers else "recruiter"
        recruiter = _contact(user, organizer, company, tag=role)
    return recruiter, [_contact(user, p, company) for p in interviewers]


def _video(url: str) -> str:
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return ""
    return url if len(url) <= 1000 else ""


# --- Importing an event ------------------------------------------------------------------------


def _apply_event(user, event: Event, *, own, profile_tz, source, choice: dict) -> Outcome:
    existing = (
        Invitation.objects.owned_by(user).select_related("interview").filter(uid=event.uid).first()
    )
    if existing is not None:
        return _update(existing, event, own)
    if event.cancelled:
        raise InvitationError(
            f"this cancels {event.summary or 'an interview'}, which sayyes doesn't have "
            "(import the invitation first); nothing to cancel"
        )
    zone = event.timezone or profile_tz
    status = InterviewStatus.INVITED
    if event.ends_at <= timezone.now():
        if choice.get("past") != "done":
            raise PastEvent(event, zone)
        status = InterviewStatus.DONE
    company, company_how = _match_company(
        user, event, own, choice.get("company_id"), choice.get("company_name")
    )
    people = ([event.organizer] if event.organizer else []) + event.attendees
    role = role_from(event.summary, company.name, people)
    opp, opp_how = _match_opportunity(user, company, event, role, choice.get("opportunity_id"))
    interview = pipeline.create_interview(
        user,
        opp,
        kind=kind_from(event.summary, bool(event.video_url)),
        starts_at=event.starts_at,
        timezone=zone,
        duration_minutes=event.duration_minutes,
        location=event.location,
        video_url=_video(event.video_url),
        status=InterviewStatus.INVITED,
    )
    recruiter, interviewers = _people(user, event, own, company)
    interview.interviewers.set(interviewers)
    if status == InterviewStatus.DONE:  # now that its people are known: their thank-yous
        pipeline.update_interview(interview, status=status)
    Invitation.objects.create(
        owner=user,
        interview=interview,
        uid=event.uid,
        sequence=event.sequence,
        organizer_email=event.organizer.email if event.organizer else "",
        source=source,
    )
    matched = Matched(company, company_how, opp, opp_how, recruiter, interviewers)
    when = f"{_short(event.starts_at.astimezone(_zone(zone)))} ({zone})"
    verb = "logged as done" if status == InterviewStatus.DONE else "invited"
    return Outcome("created", interview, f"New interview {interview.pk} ({verb}): {when}.", matched)


def _update(invitation: Invitation, event: Event, own: set[str]) -> Outcome:
    interview = invitation.interview
    user = invitation.owner
    if event.sequence < invitation.sequence:
        return Outcome(
            "ignored",
            interview,
            f"This is an older version (sequence {event.sequence}) of interview {interview.pk}, "
            f"which is at sequence {invitation.sequence}: ignored.",
        )
    company = interview.opportunity.company
    if event.cancelled:
        changed = interview.status != InterviewStatus.CANCELLED
        if changed:
            pipeline.update_interview(interview, status=InterviewStatus.CANCELLED)
        _remember(invitation, event)
        return Outcome(
            "cancelled" if changed else "unchanged",
            interview,
            f"Interview {interview.pk} " + ("cancelled." if changed else "was cancelled already."),
        )
    fields: dict[str, Any] = {
        "starts_at": event.starts_at,
        "duration_minutes": event.duration_minutes,
        "timezone": event.timezone or interview.timezone,
    }
    if event.location:
        fields["location"] = event.location
    video = _video(event.video_url)
    if video:
        fields["video_url"] = video
    if interview.status == InterviewStatus.CANCELLED:
        fields["status"] = InterviewStatus.INVITED  # re-invited after a cancellation
    changes = {k: v for k, v in fields.items() if getattr(interview, k) != v}
    recruiter, interviewers = _people(user, event, own, company)
    before = set(interview.interviewers.values_list("pk", flat=True))
    people_changed = bool(interviewers) and {c.pk for c in interviewers} != before
    if changes:
        pipeline.update_interview(interview, **changes)
    if people_changed:
        interview.interviewers.set(interviewers)
        Interview.objects.filter(pk=interview.pk).update(updated_at=timezone.now())
    _remember(invitation, event)
    matched = Matched(
        company, "the invitation's UID", interview.opportunity, "the invitation's UID",
        recruiter, interviewers,
    )  # fmt: skip
    if not changes and not people_changed:
        return Outcome("unchanged", interview, f"Interview {interview.pk} is up to date.", matched)
    what = [k.replace("_", " ") for k in changes] + (["people"] if people_changed else [])
    return Outcome(
        "updated", interview, f"Interview {interview.pk} updated ({', '.join(what)}).", matched
    )


def _remember(invitation: Invitation, event: Event) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        sequence=max(event.sequence, invitation.sequence), updated_at=timezone.now()
    )


def _choice(company_id=None, company_name=None, opportunity_id=None, past=None) -> dict:
    if past not in (None, "", "done"):
        raise InvitationError("past: the only choice for an interview in the past is 'done'")
    return {
        "company_id": company_id,
        "company_name": (company_name or "").strip(),
        "opportunity_id": opportunity_id,
        "past": past or None,
    }


def import_invitation(
    user,
    data: bytes,
    *,
    source: str = Invitation.Source.FILE,
    company_id: int | None = None,
    company_name: str = "",
    opportunity_id: int | None = None,
    past: str | None = None,
) -> Imported:
    """Import a calendar file, an e-mail or pasted text for ``user``: all of it or nothing.

    Pasted text (or an e-mail) without a calendar makes no interview: the answer carries the
    times it proposes, for ``confirm_proposal``."""
    with refused_import(log, user, "invitation", InvitationError):
        return _import(user, data, source, _choice(company_id, company_name, opportunity_id, past))


def _import(user, data: bytes, source: str, choice: dict) -> Imported:
    check_size(data)
    if not data.strip():
        raise InvitationError("the invitation is empty")
    profile_tz = Profile.for_user(user).timezone
    kind = sniff(data)
    calendar: bytes | None = data if kind == "ics" else None
    text = ""
    if kind == "eml":
        mail = read_eml(data)
        calendar = mail.calendar
        text = "\n".join(filter(None, [f"From: {mail.sender.email}" if mail.sender else "",
                                       f"Subject: {mail.subject}", mail.text]))  # fmt: skip
        source = Invitation.Source.EMAIL if source == Invitation.Source.FILE else source
    elif kind == "text":
        text = data.decode("utf-8", "replace")
    if calendar is None:
        return Imported(
            proposals=propose_times(text, profile_tz, timezone.now()), text=text.strip()
        )
    events = read_ics(calendar, profile_tz)
    own = own_addresses(user)
    result = Imported()
    try:
        with transaction.atomic():
            for event in events:
                result.outcomes.append(
                    _apply_event(
                        user, event, own=own, profile_tz=profile_tz, source=source, choice=choice
                    )
                )
    except ValidationError as exc:
        raise InvitationError(validation_text(exc)) from None
    for outcome in result.outcomes:
        log.info("invitation for user %s: %s interview %s", user.pk, outcome.action,
                 outcome.interview.pk)  # fmt: skip
    return result


def confirm_proposal(
    user,
    text: str,
    starts_at: datetime,
    *,
    company_id: int | None = None,
    company_name: str = "",
    opportunity_id: int | None = None,
    title: str = "",
    duration_minutes: int = 60,
) -> Outcome:
    """Make the interview a pasted e-mail proposes, at the time the user confirmed."""
    if timezone.is_naive(starts_at):
        raise InvitationError(
            "give the confirmed time with its offset, e.g. 2027-01-12T14:00-05:00"
        )
    if starts_at <= timezone.now():
        raise InvitationError("the confirmed time is in the past; pick a time to come")
    sender = re.search(r"^From:.*?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)", text or "", re.M | re.I)
    subject = re.search(r"^Subject:\s*(.+)$", text or "", re.M | re.I)
    organizer = Person(name="", email=sender.group(1).lower()) if sender else None
    if organizer is not None:
        organizer = Person(
            name=" ".join(
                p.capitalize() for p in re.split(r"[._-]+", organizer.email.split("@")[0])
            ),
            email=organizer.email,
        )
    zone = propose_times(text or "", Profile.for_user(user).timezone, timezone.now()).zone
    event = Event(
        uid="",
        sequence=0,
        cancelled=False,
        summary=(title or (subject.group(1) if subject else ""))[:300],
        starts_at=starts_at,
        timezone=zone,
        duration_minutes=duration_minutes,
        video_url=find_video_link(text or ""),
        organizer=organizer,
    )
    own = own_addresses(user)
    choice = _choice(company_id, company_name, opportunity_id)
    try:
        with transaction.atomic():
            company, company_how = _match_company(
                user, event, own, choice["company_id"], choice["company_name"]
            )
            role = title or role_from(event.summary, company.name, [])
            opp, opp_how = _match_opportunity(user, company, event, role, opportunity_id)
            interview = pipeline.create_interview(
                user,
                opp,
                kind=kind_from(event.summary + " " + (text or "")[:2000], bool(event.video_url)),
                starts_at=starts_at,
                timezone=zone,
                duration_minutes=duration_minutes,
                video_url=_video(event.video_url),
                status=InterviewStatus.INVITED,
            )
            recruiter, interviewers = _people(user, event, own, company)
    except ValidationError as exc:
        raise InvitationError(validation_text(exc)) from None
    matched = Matched(company, company_how, opp, opp_how, recruiter, [])
    return Outcome("created", interview, f"New interview {interview.pk} (invited).", matched)
