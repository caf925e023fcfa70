"""Reading invitations, with no database: calendar files, e-mails and pasted text.

    read_ics(data, default_tz) -> list[Event]       (.ics, with icalendar)
    read_eml(data) -> Mail                          (.eml, with the standard library's email)
    propose_times(text, default_tz, now) -> Proposals (dates and times in pasted text)
    sniff(data) -> "ics" | "eml" | "text"

Choices worth knowing:

- Times are instants: ``DTSTART``/``DTEND`` (or ``DURATION``) in the event's zone, the zones
  Outlook defines in a ``VTIMEZONE`` under Windows names ("Eastern Standard Time") included.
  The interview keeps the zone's IANA name (Windows names mapped with the Unicode CLDR
  table icalendar ships); a zone sayyes can't name keeps the instant, shown in the user's.
- A time without a zone (a "floating" time) is read in the user's time zone; a time in UTC
  (``Z``, as scheduling tools write) keeps its instant and is shown in the user's zone.
- The organizer is the recruiter. Attendees are the interviewers, less the user's own
  addresses, the organizer and rooms or resources (``CUTYPE=ROOM``/``RESOURCE``, Google's
  ``resource.calendar.google.com`` addresses). When nobody else is invited, the organizer
  is the interviewer too.
- Several events in one file are each imported (a loop of interviews on one day); the same
  UID twice (a recurring event's exceptions) counts once, its main event first.
- A malformed file names the line (``line 12: DTSTART: ...``); nothing is guessed.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from sayyes.core.errors import ImportFailed

MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MINUTES = 60
MAX_MINUTES = 24 * 60

_URL_END = r"[^\s<>\"'\])]*[^\s<>\"'\]).,;:!?]"
VIDEO_LINK = re.compile(
    r"https://(?:"
    r"(?:[\w-]+\.)*zoom\.us/(?:j|my|s|w|wc)/" + _URL_END
    + r"|teams\.microsoft\.com/l/meetup-join/" + _URL_END
    + r"|teams\.live\.com/meet/" + _URL_END
    + r"|meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}\b(?:\?" + _URL_END + r")?"
    + r"|(?:[\w-]+\.)+webex\.com/" + _URL_END
    + r")",
    re.IGNORECASE,
)  # fmt: skip
# Where a video link is looked for, in this order.
VIDEO_PROPERTIES = (
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "CONFERENCE",
    "URL",
    "LOCATION",
    "DESCRIPTION",
)
ROOM_TYPES = {"ROOM", "RESOURCE"}
ROOM_DOMAINS = ("resource.calendar.google.com",)


class InvitationError(ImportFailed):
    """The invitation can't be read or used; nothing was written."""


class NotAnInvitation(InvitationError):
    """A calendar message that invites to nothing: a guest's reply, a counter-proposal."""


# Calendar messages between guests and organizers that are not invitations (RFC 5546).
NOT_INVITATIONS = {"REPLY", "COUNTER", "DECLINECOUNTER", "REFRESH"}


@dataclass(frozen=True)
class Person:
    name: str
    email: str

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2].lower()


@dataclass
class Event:
    uid: str
    sequence: int
    cancelled: bool
    summary: str
    starts_at: datetime  # aware, UTC
    timezone: str  # an IANA name, or "" when the file's zone has none
    duration_minutes: int
    location: str = ""
    video_url: str = ""
    description: str = ""
    organizer: Person | None = None
    attendees: list[Person] = field(default_factory=list)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


# --- Calendar files ---------------------------------------------------------------------------


def sniff(data: bytes) -> str:
    """What a file or a paste holds: a calendar, an e-mail, or plain text."""
    head = _decode(data[:4096]).lstrip()
    if head.startswith("From ") and "\n" in head:  # an mbox "From " line before the headers
        head = head.split("\n", 1)[1]
    if head.upper().startswith("BEGIN:VCALENDAR"):
        return "ics"
    if re.match(r"(?:[\w-]+:[^\n]*\n(?:[ \t][^\n]*\n)*){2,}", head.replace("\r\n", "\n")):
        names = {m.lower() for m in re.findall(r"^([\w-]+):", head, re.MULTILINE)}
        if {"from", "subject"} <= names or "mime-version" in names or "content-type" in names:
            return "eml"
    return "text"


def check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        megabytes = len(data) / (1024 * 1024)
        raise InvitationError(
            f"the file is {megabytes:.1f} MB; an invitation is at most 2 MB "
            "(save just the invitation, not the whole mailbox)"
        )


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, as some Windows apps save
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


_PARAM = r';[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*'
_CONTENT_LINE = re.compile(rf"^([A-Za-z0-9-]+)(?:{_PARAM})*:(.*)$", re.DOTALL)


@dataclass
class _Outline:
    """Where each event's properties are in the file (1-based line numbers)."""

    events: list[dict[str, int]]
    begin_lines: list[int]


def _outline(text: str) -> _Outline:
    """Check the file's lines (RFC 5545 content lines, BEGIN/END nesting) and note where each
    event's properties are, so a later problem names its line."""
    logical: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line[:1] in (" ", "\t") and logical:
            first, text_so_far = logical[-1]
            logical[-1] = (first, text_so_far + line[1:])
        elif line.strip():
            logical.append((number, line))
    if not logical or logical[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise InvitationError("this is not a calendar file: it doesn't start with BEGIN:VCALENDAR")
    stack: list[str] = []
    events: list[dict[str, int]] = []
    begins: list[int] = []
    for number, line in logical:
        match = _CONTENT_LINE.match(line)
        if match is None:
            shown = line.strip()[:40]
            raise InvitationError(f"{shown!r} is not a calendar line (NAME:value)", line=number)
        name, value = match.group(1).upper(), match.group(2).strip().upper()
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
                begins.append(number)
        elif name == "END":
            if not stack or stack[-1] != value:
                expected = f"END:{stack[-1]}" if stack else "nothing more"
                raise InvitationError(f"END:{value} where {expected} was expected", line=number)
            stack.pop()
            if not stack:
                break
        elif stack and stack[-1] == "VEVENT":
            events[-1].setdefault(name, number)
    if stack:
        raise InvitationError(f"the file ends inside {stack[-1]} (END:{stack[-1]} is missing)")
    return _Outline(events, begins)


def _zone_name(prop, value: datetime) -> str:
    """The IANA name of the zone a time was given in, or "" when there is none."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    tzid = str(prop.params.get("TZID", "")).strip() if hasattr(prop, "params") else ""
    if tzid in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[tzid]
    if not tzid:
        return ""  # UTC ("Z"): the instant is right, shown in the user's zone
    for candidate in (tzid, getattr(value.tzinfo, "key", ""), getattr(value.tzinfo, "zone", "")):
        if candidate and _is_zone(candidate):
            return candidate
    return ""  # a zone without a known name: the instant is right, shown in the user's zone


def _is_zone(name: str) -> bool:
    from sayyes.accounts.models import all_timezones

    return name in all_timezones()


def _when(event, key: str, line: int | None, default_tz: tzinfo) -> tuple[datetime, str]:
    prop = event.get(key)
    try:
        value = event.decoded(key)
    except Exception:  # noqa: BLE001 - icalendar raises many kinds on a bad value
        raise InvitationError(
            f"{key}: can't read {str(prop)[:40]!r} as a time", line=line
        ) from None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            tzid = str(getattr(prop, "params", {}).get("TZID", ""))
            if tzid:
                if not _is_zone(tzid):
                    raise InvitationError(
                        f"{key}: the time zone {tzid!r} is not defined in the file", line=line
                    )
                value = value.replace(tzinfo=ZoneInfo(tzid))
            else:
                value = value.replace(tzinfo=default_tz)  # a floating time: the user's zone
        return value.astimezone(UTC), _zone_name(prop, value)
    if isinstance(value, date):
        raise InvitationError(
            f"{key}: {value.isoformat()} is a whole day, with no time; "
            "an interview needs a start time",
            line=line,
        )
    raise InvitationError(f"{key}: can't read {str(prop)[:40]!r} as a time", line=line)


def _person(prop) -> Person | None:
    if prop is None:
        return None
    address = str(prop).strip()
    if address.lower().startswith("mailto:"):
        address = address[7:]
    address = address.strip().lower()
    if "@" not in address:
        return None
    name = " ".join(str(prop.params.get("CN", "")).strip().strip('"').split())
    if not name or "@" in name:
        local = address.partition("@")[0]
        name = " ".join(part.capitalize() for part in re.split(r"[._-]+", local) if part)
    return Person(name=name[:200], email=address)


def _is_room(prop, person: Person) -> bool:
    kind = str(prop.params.get("CUTYPE", "")).upper()
    return kind in ROOM_TYPES or person.domain.endswith(ROOM_DOMAINS)


def _text(event, key: str) -> str:
    value = event.get(key)
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def find_video_link(*texts: str) -> str:
    for text in texts:
        match = VIDEO_LINK.search(text or "")
        if match:
            return match.group(0)
    return ""


def _event(event, lines: dict[str, int], begin: int, method: str, default_tz: tzinfo) -> Event:
    uid = _text(event, "UID").strip()
    if not uid:
        raise InvitationError("the event has no UID, so a later update couldn't find it", begin)
    if "DTSTART" not in event:
        raise InvitationError("the event has no start time (DTSTART)", line=begin)
    starts_at, zone = _when(event, "DTSTART", lines.get("DTSTART"), default_tz)
    if "DTEND" in event:
        ends_at, _ = _when(event, "DTEND", lines.get("DTEND"), default_tz)
        minutes = (ends_at - starts_at).total_seconds() / 60
        bad = "DTEND"
    elif "DURATION" in event:
        try:
            length = event.decoded("DURATION")
        except Exception:  # noqa: BLE001
            length = None
        if not isinstance(length, timedelta):
            raise InvitationError("DURATION: can't read it as a length", lines.get("DURATION"))
        minutes, bad = length.total_seconds() / 60, "DURATION"
    else:
        minutes, bad = DEFAULT_MINUTES, ""
    if not 0 < minutes <= MAX_MINUTES:
        raise InvitationError(
            f"{bad}: the event would last {minutes:g} minutes; it must end after it starts "
            "and within a day",
            line=lines.get(bad),
        )
    try:
        sequence = int(str(event.get("SEQUENCE", 0)).strip() or 0)
    except ValueError:
        raise InvitationError("SEQUENCE: not a whole number", lines.get("SEQUENCE")) from None
    if sequence < 0:
        raise InvitationError("SEQUENCE: must not be negative", lines.get("SEQUENCE"))
    status = _text(event, "STATUS").strip().upper()
    organizer = _person(event.get("ORGANIZER"))
    attendees: list[Person] = []
    raw_attendees = event.get("ATTENDEE", [])
    for prop in raw_attendees if isinstance(raw_attendees, list) else [raw_attendees]:
        person = _person(prop)
        if person is not None and not _is_room(prop, person) and person not in attendees:
            attendees.append(person)
    location = " ".join(_text(event, "LOCATION").split())
    description = _text(event, "DESCRIPTION")
    video = find_video_link(*(_text(event, key) for key in VIDEO_PROPERTIES))
    if VIDEO_LINK.fullmatch(location) or location.lower() in ("microsoft teams meeting", "zoom"):
        location = ""
    return Event(
        uid=uid[:500],
        sequence=sequence,
        cancelled=method == "CANCEL" or status == "CANCELLED",
        summary=" ".join(_text(event, "SUMMARY").split())[:300],
        starts_at=starts_at,
        timezone=zone,
        duration_minutes=round(minutes),
        location=location[:300],
        video_url=video,
        description=description,
        organizer=organizer,
        attendees=attendees,
    )


def read_ics(data: bytes, default_tz: str = "UTC") -> list[Event]:
    """The events of a calendar file, each read whole, or InvitationError naming the line."""
    from icalendar import Calendar

    check_size(data)
    text = _decode(data)
    outline = _outline(text)
    try:
        calendar = Calendar.from_ical(text)
    except Exception as exc:  # noqa: BLE001 - icalendar's parse errors have no common class
        raise InvitationError(f"this calendar file can't be read: {exc}") from None
    method = str(calendar.get("METHOD", "")).strip().upper()
    if method in NOT_INVITATIONS:
        raise NotAnInvitation(
            f"this is a guest's answer to an invitation (METHOD:{method}), not an invitation; "
            "send the invitation itself"
        )
    raw_events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    if not raw_events:
        raise InvitationError("the file holds no event (no VEVENT), so there is no interview in it")
    zone = ZoneInfo(default_tz)
    events: dict[str, Event] = {}
    for raw, lines, begin in zip(raw_events, outline.events, outline.begin_lines, strict=False):
        found = _event(raw, lines, begin, method, zone)
        if found.uid not in events or "RECURRENCE-ID" not in raw:
            events.setdefault(found.uid, found)
    return list(events.values())


# --- E-mails ------------------------------------------------------------------------------------


@dataclass
class Mail:
    calendar: bytes | None  # the invitation, attached or inline
    text: str  # the message's text, for proposed times when there is no calendar
    sender: Person | None
    subject: str


CALENDAR_TYPES = ("text/calendar", "application/ics", "application/x-ics")


def read_eml(data: bytes) -> Mail:
    check_size(data)
    message = email.message_from_bytes(data, policy=policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise InvitationError("this is not an e-mail message (no headers)")
    calendar = None
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        name = (part.get_filename() or "").lower()
        if kind in CALENDAR_TYPES or name.endswith((".ics", ".ical", ".ifb")):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                calendar = payload
                if kind == "text/calendar":
                    break  # the inline one is what mail apps act on
    text = ""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        try:
            text = body.get_content()
        except (LookupError, ValueError):
            text = ""
        if body.get_content_type() == "text/html":
            text = re.sub(r"<[^>]+>", " ", text)
    sender_name, sender_address = parseaddr(str(message.get("From", "")))
    sender = (
        Person(name=sender_name or sender_address.partition("@")[0], email=sender_address.lower())
        if "@" in sender_address
        else None
    )
    return Mail(calendar, text, sender, " ".join(str(message.get("Subject", "")).split()))


# --- Pasted text: proposed times ------------------------------------------------------------------

# Zones an e-mail names, by the words people write.
ZONE_WORDS: dict[str, str] = {
    "eastern": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "et": "America/New_York", "central": "America/Chicago", "cst": "America/Chicago",
    "cdt": "America/Chicago", "ct": "America/Chicago", "mountain": "America/Denver",
    "mst": "America/Denver", "mdt": "America/Denver", "pacific": "America/Los_Angeles",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "gmt": "Europe/London", "bst": "Europe/London", "uk time": "Europe/London",
    "cet": "Europe/Paris", "cest": "Europe/Paris", "utc": "UTC", "ist": "Asia/Kolkata",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "jst": "Asia/Tokyo",
    "sgt": "Asia/Singapore",
}  # fmt: skip
_ZONE_WORDS = re.compile(
    r"\b(eastern|central|mountain|pacific)\s+(?:standard\s+|daylight\s+)?time\b|\b(uk time)\b",
    re.IGNORECASE,
)
# Abbreviations only in capitals: "est" and "et" are words in other languages.
_ZONE_ABBREVIATIONS = re.compile(
    r"\b(" + "|".join(sorted((k.upper() for k in ZONE_WORDS if k.isalpha() and len(k) <= 4),
                              key=len, reverse=True)) + r")\b"
)  # fmt: skip
_IANA = re.compile(r"\b((?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z_]+"
                   r"(?:/[A-Za-z_]+)?)\b")  # fmt: skip
HAS_TIME = re.compile(r"\d{1,2}[:.h]\d{2}|\d\s*(?:am|pm|a\.m\.|p\.m\.)\b|\bnoon\b", re.I)
_HAS_DAY = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
    r"nov|dec)[a-z]*\b|\d{1,2}[/.-]\d{1,2}|\btomorrow\b|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Proposal:
    said: str  # the words of the e-mail
    starts_at: datetime  # aware, in the zone below

    @property
    def label(self) -> str:
        """The time as the e-mail means it, in its own zone ("Tuesday 14 January 2031, 14:00")."""
        when = self.starts_at
        return f"{when:%A} {when.day} {when:%B %Y, %H:%M}"  # no %-d: not on every platform


@dataclass
class Proposals:
    zone: str
    zone_from: str  # "the e-mail" or "your settings"
    times: list[Proposal]


def zone_named(text: str) -> str:
    """The time zone an e-mail names (``EST``, "Pacific Time", ``Europe/Paris``), or ""."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    for windows, iana in WINDOWS_TO_OLSON.items():
        if len(windows) > 12 and windows.lower() in text.lower():
            return iana
    match = _IANA.search(text)
    if match and _is_zone(match.group(1)):
        return match.group(1)
    for pattern in (_ZONE_WORDS, _ZONE_ABBREVIATIONS):
        match = pattern.search(text)
        if match:
            word = next(group for group in match.groups() if group).lower()
            return ZONE_WORDS[word]
    return ""


def propose_times(text: str, default_tz: str, now: datetime) -> Proposals:
    """Dates with a time found in the text, in the zone it names, else ``default_tz``.

    They are proposals for the user to confirm, never used on their own."""
    from dateparser.search import search_dates  # type: ignore[import-untyped]

    zone = zone_named(text)
    zone_from = "the e-mail" if zone else "your settings"
    zone = zone or default_tz
    local_now = now.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    found = search_dates(
        text[:20_000],
        languages=["en"],
        settings={
            "TIMEZONE": zone,
            "TO_TIMEZONE": zone,
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local_now,
        },
    )
    times: list[Proposal] = []
    seen: set[datetime] = set()
    for said, when in found or []:
        if not (HAS_TIME.search(said) and _HAS_DAY.search(said)):
            continue  # "next week", "45 minutes": not a time to meet
        when = when.astimezone(ZoneInfo(zone))
        if when in seen or when < now:
            continue
        seen.add(when)
        times.append(Proposal(" ".join(said.split()), when))
    return Proposals(zone, zone_from, times)
