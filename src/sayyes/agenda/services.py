"""The agenda (today and the next days, in the user's time zone) and the daily digest."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.utils import timezone

from sayyes.accounts.models import Profile
from sayyes.network.models import FollowUp
from sayyes.network.services import checkin_suggestions
from sayyes.pipeline.models import Interview, InterviewStatus

DAYS = 7
# What a person can read: at most this many interviews and follow-ups are listed per day
# (the rest are counted: "and N more"), and overdue follow-ups come this many a page.
PER_DAY = 10
OVERDUE_PAGE = 20


@dataclass
class Day:
    date: date
    interviews: list = field(default_factory=list)
    followups: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)
    interview_count: int = 0
    followup_count: int = 0

    @property
    def empty(self) -> bool:
        return not (self.interviews or self.followups or self.deadlines)

    @property
    def more_interviews(self) -> int:
        return max(0, self.interview_count - len(self.interviews))

    @property
    def more_followups(self) -> int:
        return max(0, self.followup_count - len(self.followups))


@dataclass
class Agenda:
    today: date
    tz: str
    overdue: list
    days: list[Day]
    checkins: list
    debriefs: list
    # Interviews today or tomorrow with prep checklist items still to do (say yes, issue 8).
    prep: list = field(default_factory=list)
    # The overdue follow-ups are a page: ``overdue`` holds those from ``overdue_offset`` on.
    overdue_count: int = 0
    overdue_offset: int = 0
    per_day: int = PER_DAY
    overdue_limit: int = OVERDUE_PAGE

    @property
    def empty(self) -> bool:
        return not self.overdue_count and all(d.empty for d in self.days)

    @property
    def overdue_next(self) -> int | None:
        """The offset of the next page of overdue follow-ups, if there is one."""
        after = self.overdue_offset + self.overdue_limit
        return after if after < self.overdue_count else None

    @property
    def overdue_previous(self) -> int | None:
        if self.overdue_offset <= 0:
            return None
        return max(0, self.overdue_offset - self.overdue_limit)

    def as_dict(self) -> dict:
        def iv(i):
            return {
                "id": i.pk,
                "starts_at": i.starts_at.isoformat(),
                "kind": i.kind,
                "status": i.status,
                "company": i.opportunity.company.name,
                "title": i.opportunity.title,
                "opportunity_id": i.opportunity_id,
            }

        def fu(f):
            return {
                "id": f.pk,
                "kind": f.kind,
                "due_at": f.due_at.isoformat(),
                "contact_id": f.contact_id,
                "contact": f.contact.name,
                "interview_id": f.interview_id,
                "note": f.note,
            }

        return {
            "today": self.today.isoformat(),
            "timezone": self.tz,
            "overdue": [fu(f) for f in self.overdue],
            "overdue_count": self.overdue_count,
            "overdue_offset": self.overdue_offset,
            "per_day": self.per_day,
            "days": [
                {
                    "date": d.date.isoformat(),
                    "interviews": [iv(i) for i in d.interviews],
                    "interview_count": d.interview_count,
                    "followups": [fu(f) for f in d.followups],
                    "followup_count": d.followup_count,
                    "deadlines": d.deadlines,
                }
                for d in self.days
            ],
            "check_in_suggestions": [
                {"contact_id": c.pk, "contact": c.name} for c in self.checkins
            ],
            "prep_reminders": [
                {"interview_id": p["interview"].pk, "open_items": [i.text for i in p["items"]]}
                for p in self.prep
            ],
        }


def _capped_per_day(qs: QuerySet, field: str, starts: list[datetime], cap: int) -> list:
    """The rows of ``qs`` in each window ``starts[i] <= field < starts[i + 1]``: at most
    ``cap`` of each (the earliest), each carrying ``day`` (the window's index) and
    ``day_total`` (how many the window holds). Two queries, whatever the number of rows: a
    narrow one ranks the ids in each day (the window functions read ids and times only),
    then the chosen rows are read whole."""
    day = Case(
        *(When(**{f"{field}__lt": end}, then=Value(i)) for i, end in enumerate(starts[1:])),
        output_field=IntegerField(),
    )
    chosen = {
        pk: (n, total)
        for pk, n, total in qs.select_related(None)
        .prefetch_related(None)
        .filter(**{f"{field}__gte": starts[0], f"{field}__lt": starts[-1]})
        .annotate(
            day=day,
            day_rank=Window(
                RowNumber(), partition_by=[day], order_by=[F(field).asc(), F("pk").asc()]
            ),
            day_total=Window(Count("pk"), partition_by=[day]),
        )
        .filter(day_rank__lte=cap)
        .values_list("pk", "day", "day_total")
    }
    rows = list(qs.filter(pk__in=list(chosen)).order_by(field, "pk")) if chosen else []
    for row in rows:
        row.day, row.day_total = chosen[row.pk]
    return rows


def build_agenda(
    user,
    *,
    days: int = DAYS,
    now: datetime | None = None,
    per_day: int = PER_DAY,
    overdue_offset: int = 0,
    overdue_limit: int = OVERDUE_PAGE,
) -> Agenda:
    """Today and the next ``days`` days in the user's time zone.

    Bounded by what a person can read: at most ``per_day`` interviews and follow-ups a day
    (each day counts the rest), and a page of ``overdue_limit`` overdue follow-ups from
    ``overdue_offset``. The number of queries doesn't depend on how much there is.
    """
    profile = Profile.for_user(user)
    tz = zoneinfo.ZoneInfo(profile.timezone)
    now = now or timezone.now()
    today = now.astimezone(tz).date()
    day_list = [Day(today + timedelta(days=i)) for i in range(days + 1)]
    by_date = {d.date: d for d in day_list}
    # Local midnights: a day with a clock change is 23 or 25 hours long.
    starts = [datetime.combine(d.date, time.min, tz) for d in day_list]
    starts.append(datetime.combine(today + timedelta(days=days + 1), time.min, tz))
    start = starts[0]

    interviews = _capped_per_day(
        Interview.objects.owned_by(user)
        .exclude(status=InterviewStatus.CANCELLED)
        .select_related("opportunity__company")
        .prefetch_related("interviewers"),
        "starts_at",
        starts,
        per_day,
    )
    for interview in interviews:
        the_day = day_list[interview.day]
        the_day.interviews.append(interview)
        the_day.interview_count = interview.day_total
    mark_clashes([iv for day in day_list for iv in day.interviews])
    pending = FollowUp.objects.owned_by(user).filter(done_at__isnull=True)
    followups = _capped_per_day(
        pending.select_related("contact__company", "interview__opportunity__company"),
        "due_at",
        starts,
        per_day,
    )
    for f in followups:
        the_day = day_list[f.day]
        the_day.followups.append(f)
        the_day.followup_count = f.day_total
    overdue_offset = max(0, overdue_offset)
    late = pending.filter(due_at__lt=start)
    overdue = list(
        late.select_related("contact__company", "interview__opportunity__company")
        .annotate(total=Window(Count("pk")))
        .order_by("due_at", "pk")[overdue_offset : overdue_offset + overdue_limit]
    )
    # Each row carries the count of them all; past the last page, ask for it.
    overdue_count = overdue[0].total if overdue else (late.count() if overdue_offset else 0)
    # Offers waiting for your answer (the offers app).
    from sayyes.offers.services import deadlines as offer_deadlines

    for offer in offer_deadlines(user, today, day_list[-1].date):
        assert offer.deadline is not None  # chosen by their deadline
        by_date[offer.deadline].deadlines.append(
            {
                "kind": "offer",
                "offer_id": offer.pk,
                "name": offer.name,
                "date": offer.deadline.isoformat(),
            }
        )
    from sayyes.journal.debriefs import debriefs_due

    debriefs = debriefs_due(user, now=now, days=3)[:5]
    return Agenda(
        today=today,
        tz=profile.timezone,
        overdue=overdue,
        days=day_list,
        checkins=checkin_suggestions(user, limit=5),
        debriefs=debriefs,
        prep=_prep_reminders(user, now=now, start=start),
        overdue_count=overdue_count,
        overdue_offset=overdue_offset,
        per_day=per_day,
        overdue_limit=overdue_limit,
    )


BUSY = (InterviewStatus.INVITED, InterviewStatus.SCHEDULED)


def mark_clashes(interviews: list[Interview]) -> None:
    """Give each interview ``.clashes``: the other invited or scheduled ones of the list
    (sorted by start) whose time overlaps its own."""
    for interview in interviews:
        interview.clashes = []  # type: ignore[attr-defined]
    busy = [iv for iv in interviews if iv.status in BUSY]
    for i, first in enumerate(busy):
        for other in busy[i + 1 :]:
            if other.starts_at >= first.ends_at:
                break
            first.clashes.append(other)  # type: ignore[attr-defined]
            other.clashes.append(first)  # type: ignore[attr-defined]


def mark_interview_done(interview: Interview) -> dict:
    """Mark an interview done in one step; returns what undo_interview_done needs (its
    status before, and the thank-you follow-ups that marking it made)."""
    from sayyes.pipeline.services import update_interview

    before = interview.status
    had = set(interview.followups.values_list("pk", flat=True))
    update_interview(interview, status=InterviewStatus.DONE)
    made = sorted(set(interview.followups.values_list("pk", flat=True)) - had)
    return {"interview": interview.pk, "status": before, "followups": made}


def undo_interview_done(interview: Interview, undo: dict) -> bool:
    """Put back the status an interview had before mark_interview_done, and take away the
    thank-you follow-ups it made that are still open. False (nothing changed) when ``undo``
    is not about this interview, or the interview is no longer done."""
    from sayyes.pipeline.services import update_interview

    if undo.get("interview") != interview.pk or interview.status != InterviewStatus.DONE:
        return False
    if undo.get("status") not in InterviewStatus.values:
        return False
    update_interview(interview, status=undo["status"])
    FollowUp.objects.filter(
        interview=interview, pk__in=undo.get("followups", []), done_at__isnull=True
    ).delete()
    return True


def _prep_reminders(user, *, now: datetime, start: datetime) -> list:
    """The day before (and on the day): unfinished prep checklist items."""
    from sayyes.triage.checklist import prep_reminders

    return prep_reminders(user, start=now, end=start + timedelta(days=2))


def send_digest(user, *, now: datetime | None = None) -> bool:
    """Email the day's agenda; False when there is no address or nothing to say."""
    if not user.email:
        return False
    agenda = build_agenda(user, days=1, now=now)
    if agenda.empty and not agenda.checkins:
        return False
    context = {"agenda": agenda, "user": user, "base_url": settings.SAYYES_BASE_URL}
    body = render_to_string("agenda/digest.txt", context)
    send_mail(
        f"Your sayyes agenda for {agenda.today:%A %d %B}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    return True


def due_digests(*, now: datetime | None = None):
    """Users whose local morning has come and who haven't had today's digest."""
    now = now or timezone.now()
    # Every user's profile (the digest job serves them all), filtered on the user's own fields.
    for profile in (
        Profile.objects.filter(daily_digest=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    ):
        local = now.astimezone(zoneinfo.ZoneInfo(profile.timezone))
        if local.hour >= settings.SAYYES_DIGEST_HOUR and profile.last_digest_on != local.date():
            yield profile, local.date()


def send_due_digests(*, now: datetime | None = None) -> int:
    sent = 0
    for profile, day in due_digests(now=now):
        # Claim the day first (a conditional update), so two workers never send twice.
        claimed = (
            Profile.objects.filter(pk=profile.pk)
            .exclude(last_digest_on=day)
            .update(last_digest_on=day)
        )
        if claimed and send_digest(profile.user, now=now):
            sent += 1
    return sent
