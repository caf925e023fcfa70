"""iCalendar (RFC 5545) output for interviews: one VEVENT each, in a VCALENDAR feed.

Choices worth knowing:

- The UID is ``interview-<id>@sayyes``: stable across edits and feed fetches, and it carries
  nothing secret (no feed token, no name, no e-mail address).
- DTSTART/DTEND are written as wall-clock times in the time zone the interview was arranged
  in (``TZID=Europe/Paris``), converted from the stored UTC instant, and the calendar carries
  a generated VTIMEZONE for every TZID it uses, covering the years of its events with their
  daylight-saving transitions. Interviews arranged in UTC are written with the ``Z`` suffix,
  which RFC 5545 defines without a VTIMEZONE.
- STATUS: invited -> TENTATIVE; scheduled and done -> CONFIRMED; cancelled -> CANCELLED.
  A no-show is CONFIRMED too: in the calendar sense the meeting was on and took place at
  that time (someone did not turn up), so it must not vanish from the calendar.
- Two display alarms, exactly 24 hours (``-PT24H``, not the nominal day ``-P1D``, which
  shifts by an hour across a daylight-saving change) and 2 hours before the start.
  Cancelled events have none.
- The private notes stay out of the feed: calendar apps keep a copy on their own servers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import QuerySet
from django.utils import timezone as dj_timezone
from icalendar import Alarm, Calendar, Event, Timezone, vDuration

from sayyes.pipeline.models import Interview, InterviewKind, InterviewStatus

PRODID = "-//sayyes//sayyes interviews//EN"
UID_DOMAIN = "sayyes"
# How often subscribed calendar apps should fetch the feed again (a hint; they may not).
REFRESH = timedelta(hours=1)
ALARMS = (
    (timedelta(hours=24), "Tomorrow"),
    (timedelta(hours=2), "In 2 hours"),
)

_STATUS: dict[str, str] = {
    InterviewStatus.INVITED: "TENTATIVE",
    InterviewStatus.SCHEDULED: "CONFIRMED",
    InterviewStatus.DONE: "CONFIRMED",
    InterviewStatus.NO_SHOW: "CONFIRMED",  # the meeting happened in the calendar sense
    InterviewStatus.CANCELLED: "CANCELLED",
}


class _ExactDuration(vDuration):
    """A duration written in hours, minutes and seconds only (``-PT24H``, never ``-P1D``).

    RFC 5545 makes a day a nominal duration that follows the wall clock across a
    daylight-saving change; an alarm "24 hours before" must be exact.
    """

    def to_ical(self) -> bytes:
        seconds = int(self.td.total_seconds())
        sign = "-" if seconds < 0 else ""
        seconds = abs(seconds)
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        text = "".join(
            f"{value}{unit}"
            for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S"))
            if value
        )
        return f"{sign}PT{text or '0S'}".encode()


def interview_uid(interview: Interview) -> str:
    return f"interview-{interview.pk}@{UID_DOMAIN}"


def _zone(interview: Interview):
    """The interview's own time zone; UTC if the stored name is somehow unknown."""
    try:
        return ZoneInfo(interview.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def summary_for(interview: Interview) -> str:
    """E.g. "Technical interview — Data Engineer at Northwind Analytics"."""
    opportunity = interview.opportunity
    if interview.kind == InterviewKind.OTHER:
        kind = "Interview"
    else:
        kind = f"{interview.get_kind_display()} interview"
    return f"{kind} — {opportunity.title} at {opportunity.company.name}"


def _description(interview: Interview, base_url: str) -> str:
    opportunity = interview.opportunity
    lines = [
        f"Role: {opportunity.title}",
        f"Company: {opportunity.company.name}",
        f"Round: {interview.get_kind_display()}",
        f"Status: {interview.get_status_display()}",
    ]
    names = [contact.name for contact in interview.interviewers.all()]
    if names:
        lines.append(f"Interviewers: {', '.join(names)}")
    if interview.location:
        lines.append(f"Location: {interview.location}")
    if interview.video_url:
        lines.append(f"Video link: {interview.video_url}")
    if base_url:
        # The interview's own page: its prep checklist, triage and questions to ask.
        lines.append(f"Prepare: {base_url.rstrip('/')}{interview.get_absolute_url()}")
    return "\n".join(lines)


def _build_event(interview: Interview, base_url: str, stamp: datetime) -> Event:
    zone = _zone(interview)
    summary = summary_for(interview)
    event = Event()
    event.add("uid", interview_uid(interview))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", interview.starts_at.astimezone(zone))
    event.add("dtend", interview.ends_at.astimezone(zone))
    event.add("sequence", interview.sequence)
    event.add("created", interview.created_at.astimezone(UTC))
    event.add("last-modified", interview.updated_at.astimezone(UTC))
    event.add("summary", summary)
    location = interview.location or interview.video_url
    if location:
        event.add("location", location)
    if interview.video_url:
        event.add("url", interview.video_url)
    event.add("description", _description(interview, base_url))
    status = _STATUS.get(interview.status, "CONFIRMED")
    event.add("status", status)
    if status == "CANCELLED":
        event.add("transp", "TRANSPARENT")  # a cancelled interview no longer makes you busy
        return event
    event.add("transp", "OPAQUE")
    for before, when in ALARMS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{when}: {summary}")
        alarm.add("trigger", _ExactDuration(-before))
        event.add_component(alarm)
    return event


def interview_event(interview: Interview, *, base_url: str = "") -> Event:
    """The VEVENT for one interview. ``base_url`` (e.g. ``https://host``) adds a prep link."""
    return _build_event(interview, base_url, dj_timezone.now())


def _timezones(interviews: list[Interview]) -> list[Timezone]:
    """A VTIMEZONE per TZID used, covering whole years around the events that use it."""
    spans: dict[str, tuple[date, date]] = {}
    for interview in interviews:
        zone = _zone(interview)
        if zone.key in ("UTC", "Etc/UTC"):
            continue  # written with the Z suffix, no VTIMEZONE needed
        first = interview.starts_at.astimezone(zone).date()
        last = interview.ends_at.astimezone(zone).date()
        if zone.key in spans:
            first = min(first, spans[zone.key][0])
            last = max(last, spans[zone.key][1])
        spans[zone.key] = (first, last)
    return [
        Timezone.from_tzid(
            tzid,
            first_date=date(first.year, 1, 1),
            last_date=date(last.year + 1, 1, 1),
        )
        for tzid, (first, last) in sorted(spans.items())
    ]


def offer_deadline_event(offer, base_url: str, stamp: datetime) -> Event:
    """An all-day event on the day an offer's answer is due (no notes, no amounts)."""
    event = Event()
    event.add("uid", f"offer-deadline-{offer.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", offer.deadline)
    event.add("dtend", offer.deadline + timedelta(days=1))
    event.add("summary", f"Answer due: offer from {offer.name}")
    event.add("transp", "TRANSPARENT")
    if base_url:
        link = f"{base_url}/offers/{offer.pk}/negotiation/"
        event.add("url", link)
        event.add("description", f"Your negotiation plan: {link}")
    return event


def calendar_for(
    interviews: Iterable[Interview],
    *,
    name: str = "sayyes interviews",
    base_url: str = "",
    offers: Iterable = (),
) -> bytes:
    """The serialized VCALENDAR (CRLF line endings, lines folded at 75 octets)."""
    if isinstance(interviews, QuerySet):
        interviews = interviews.select_related("opportunity__company").prefetch_related(
            "interviewers"
        )
    interviews = list(interviews)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for tz in _timezones(interviews):
        calendar.add_component(tz)
    stamp = dj_timezone.now()
    for interview in interviews:
        calendar.add_component(_build_event(interview, base_url, stamp))
    for offer in offers:  # offers waiting for your answer (the offers app)
        calendar.add_component(offer_deadline_event(offer, base_url, stamp))
    return calendar.to_ical()
