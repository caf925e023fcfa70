"""What stands in an interview's way: clashes with other interviews (travel included), the
user's deal-breakers, the recommendation they lead to, and free slots for a reschedule."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import DateTimeField, Func, Max
from django.utils import timezone

from sayyes.accounts.models import Profile
from sayyes.pipeline.models import INDUSTRIES, Interview, InterviewStatus, Opportunity, Remote

from .models import DealBreakers, Recommendation

BUSY = (InterviewStatus.SCHEDULED, InterviewStatus.INVITED)
LONG_TRAVEL_MINUTES = 90
WORK_START, WORK_END = 9, 17  # working hours for proposed slots, in the user's time zone
SLOT_STARTS = (10, 14, 11, 15, 9, 16)
SLOT_BUFFER = timedelta(minutes=30)
SLOT_DAYS = 21  # how far ahead free slots are looked for
MAX_TRAVEL_MINUTES = 24 * 60


def user_tz(user) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(Profile.for_user(user).timezone)


def format_when(moment: datetime, tz: zoneinfo.ZoneInfo) -> str:
    """'Tuesday 1 December 2026 at 14:00 (Europe/Paris, UTC+01:00)': no room for doubt."""
    local = moment.astimezone(tz)
    offset = local.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M} ({tz.key}, {offset})"


def check_travel(travel_minutes) -> int | None:
    if travel_minutes in (None, ""):
        return None
    try:
        value = int(travel_minutes)
    except (TypeError, ValueError):
        raise ValidationError(
            {"travel_minutes": "Give the travel time as a whole number of minutes."}
        ) from None
    if not 0 <= value <= MAX_TRAVEL_MINUTES:
        raise ValidationError(
            {"travel_minutes": f"Travel time is between 0 and {MAX_TRAVEL_MINUTES} minutes."}
        )
    return value or None


# --- Costs and blockers ---------------------------------------------------------------------------


def find_conflicts(
    interview: Interview, *, travel_minutes: int | None = None, tz=None
) -> list[dict]:
    """Other scheduled or invited interviews that overlap this one (instants compared in UTC).

    With a travel time, the trip there and back counts as busy too.
    """
    travel = timedelta(minutes=travel_minutes or 0)
    start, end = interview.starts_at - travel, interview.ends_at + travel
    tz = tz or user_tz(interview.owner)
    busy = Interview.objects.owned_by(interview.owner).filter(status__in=BUSY)
    # An interview that started before this one overlaps when it is long enough to reach it.
    longest = busy.aggregate(m=Max("duration_minutes"))["m"] or 0
    candidates = (
        busy.filter(starts_at__lt=end, starts_at__gt=start - timedelta(minutes=longest))
        .exclude(pk=interview.pk)
        .select_related("opportunity__company")
        .order_by("starts_at")
    )
    found = []
    for other in candidates:
        if other.starts_at < end and other.ends_at > start:
            overlaps_itself = (
                other.starts_at < interview.ends_at and other.ends_at > interview.starts_at
            )
            found.append(
                {
                    "interview_id": other.pk,
                    "company": other.opportunity.company.name,
                    "title": other.opportunity.title,
                    "status": other.status,
                    "starts_at": other.starts_at.isoformat(),
                    "why": (
                        f"{'Overlaps' if overlaps_itself else 'Too close, with travel, to'} your "
                        f"{other.get_status_display().lower()} {kind_noun(other)} "
                        f"with {other.opportunity.company.name} on "
                        f"{format_when(other.starts_at, tz)}."
                    ),
                }
            )
    return found


# Kinds of interview whose name is a noun by itself; the others are followed by "interview".
KIND_NOUNS = {"phone_screen", "video", "final"}


def kind_noun(interview: Interview) -> str:
    """What to call the interview in a sentence: "phone screen", "on-site interview"."""
    label = interview.get_kind_display().lower()
    if interview.kind in KIND_NOUNS:
        return label
    return f"{label.replace('on site', 'on-site')} interview"


def _same_place(home: str, where: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.lower().replace(",", " , ").split())

    home_n, where_n = norm(home), norm(where)
    home_city = home_n.split(" , ")[0].strip()
    where_city = where_n.split(" , ")[0].strip()
    return bool(home_city) and (home_city in where_n or (bool(where_city) and where_city in home_n))


def check_deal_breakers(
    opp: Opportunity, rules: DealBreakers, travel_minutes: int | None
) -> list[dict]:
    """Blockers (a deal-breaker is hit) and concerns (something to check first)."""
    found: list[dict] = []

    def add(kind: str, severity: str, why: str) -> None:
        found.append({"kind": kind, "severity": severity, "why": why})

    if rules.minimum_salary:
        cur = rules.salary_currency
        if opp.salary_max is None and opp.salary_min is None:
            add(
                "salary",
                "concern",
                f"The salary is unknown; your minimum is {rules.minimum_salary:,} {cur}. "
                "Ask for the range before you invest in later rounds.",
            )
        elif opp.salary_currency != cur:
            add(
                "salary",
                "concern",
                f"The salary is in {opp.salary_currency}, your minimum in {cur}: "
                "compare them before the next round.",
            )
        elif opp.salary_max is not None and opp.salary_max < rules.minimum_salary:
            add(
                "salary",
                "blocker",
                f"The salary goes up to {opp.salary_max:,} {cur}, below your minimum of "
                f"{rules.minimum_salary:,} {cur}.",
            )
    if rules.remote_only:
        if opp.remote in (Remote.ONSITE, Remote.HYBRID):
            add(
                "remote",
                "blocker",
                f"The role is {opp.get_remote_display().lower()} and you want remote only.",
            )
        elif opp.remote == Remote.UNKNOWN:
            add("remote", "concern", "The posting doesn't say if it is remote: ask.")
    if rules.no_relocation and opp.remote != Remote.REMOTE:
        if not opp.location:
            add("location", "concern", "The role's location is not stated: check it is near you.")
        elif rules.home_location and not _same_place(rules.home_location, opp.location):
            add(
                "location",
                "blocker",
                f"The role is in {opp.location} and you won't relocate from {rules.home_location}.",
            )
    industry = opp.company.industry
    if industry and industry in (rules.avoid_industries or []):
        add("industry", "blocker", f"{opp.company.name} is in {industry}, an industry you avoid.")
    if travel_minutes:
        limit = rules.max_travel_minutes
        if limit and travel_minutes > limit:
            add(
                "travel",
                "concern",
                f"The trip takes {travel_minutes} minutes each way, more than your limit of "
                f"{limit}: ask for a video call, or for the company to cover the travel.",
            )
        elif not limit and travel_minutes >= LONG_TRAVEL_MINUTES:
            add(
                "travel",
                "concern",
                f"The trip takes {travel_minutes} minutes each way: ask whether this round "
                "can be a video call.",
            )
    return found


def recommend(conflicts: list[dict], blockers: list[dict]) -> tuple[str, str]:
    hard = [b for b in blockers if b["severity"] == "blocker"]
    soft = [b for b in blockers if b["severity"] == "concern"]
    if hard:
        return Recommendation.DECLINE, "A deal-breaker of yours: " + " ".join(
            b["why"] for b in hard
        )
    if conflicts:
        shown = " ".join(c["why"] for c in conflicts[:2])  # what a person reads in one go
        more = f" And {len(conflicts) - 2} more clashes." if len(conflicts) > 2 else ""
        return Recommendation.RESCHEDULE, f"It clashes with another interview: {shown}{more}"
    if soft:
        return Recommendation.YES_WITH_CONDITIONS, "Say yes, and first: " + " ".join(
            b["why"] for b in soft
        )
    return Recommendation.YES, "Nothing stands in the way: say yes and make the most of it."


# --- Free slots for a reschedule ------------------------------------------------------------------


class _EndsAt(Func):
    """An interview's end (``starts_at`` plus ``duration_minutes``), worked out in the database."""

    arity = 2
    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL
        return super().as_sql(
            compiler,
            connection,
            template="(%(expressions)s * INTERVAL '1 minute')",
            arg_joiner=" + ",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="datetime(%(expressions)s || ' minutes')",
            arg_joiner=", '+' || ",
            **extra_context,
        )


def free_slots(
    user,
    *,
    duration_minutes: int,
    tz: zoneinfo.ZoneInfo,
    now: datetime,
    count: int = 3,
    exclude: Interview | None = None,
) -> list[datetime]:
    """Up to ``count`` free times in working hours (weekdays, in the user's time zone), one a day,
    from the next working day on, clear of the user's scheduled and invited interviews (with
    SLOT_BUFFER either side of each).

    Each candidate slot of the next three weeks asks the database one question: is there a busy
    interview that starts before the slot ends and ends after it starts (buffers included)?
    All of them go in one SELECT of EXISTS subqueries, each a range read of the (owner,
    status, starts_at, duration) index that stops at the first clash, so how many interviews
    the user has elsewhere, or even that week, doesn't matter (issue 18). Two queries in all."""
    length = timedelta(minutes=duration_minutes)
    first_day = now.astimezone(tz).date() + timedelta(days=1)
    workdays = [
        d for d in (first_day + timedelta(days=n) for n in range(SLOT_DAYS)) if d.weekday() < 5
    ]
    candidates: list[tuple[date, datetime]] = []
    for day in workdays:
        for hour in SLOT_STARTS:
            start = datetime.combine(day, time(hour), tz)
            if start + length > datetime.combine(day, time(WORK_END), tz) or hour < WORK_START:
                continue
            # A wall time the clocks skip doesn't exist: skip it too.
            if start.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(tz).hour != hour:
                continue
            candidates.append((day, start))
    if not candidates:
        return []
    busy_qs = Interview.objects.owned_by(user).filter(status__in=BUSY)
    if exclude is not None:
        busy_qs = busy_qs.exclude(pk=exclude.pk)
    # An interview that starts before a slot reaches into it when it is long enough: the
    # longest one near the window bounds how far back each slot looks.
    first, last = candidates[0][1], candidates[-1][1] + length
    longest = busy_qs.filter(starts_at__gte=first - timedelta(days=1), starts_at__lt=last)
    reach = timedelta(minutes=longest.aggregate(m=Max("duration_minutes"))["m"] or 0)
    # The ORM compiles the probe once (the owner's busy interviews, from owned_by) with three
    # marker times; each slot then repeats its SQL with its own times, in one SELECT. Building
    # a queryset per slot cost more than the database's answers.
    markers = [datetime(2000, 1, 1, 0, 0, n, tzinfo=UTC) for n in (1, 2, 3)]
    probe = (
        busy_qs.filter(starts_at__lt=markers[0], starts_at__gte=markers[1])
        .alias(ends=_EndsAt("starts_at", "duration_minutes"))
        .filter(ends__gt=markers[2])
        .order_by()
        .values("pk")
    )
    sql, params = probe.query.sql_with_params()
    connection = connections[probe.db]
    adapted = [connection.ops.adapt_datetimefield_value(m) for m in markers]
    slots_at = [params.index(a) for a in adapted]
    select, all_params = [], []
    for _, start in candidates:
        times = (start + length + SLOT_BUFFER, start - SLOT_BUFFER - reach, start - SLOT_BUFFER)
        mine = list(params)
        for at, when in zip(slots_at, times, strict=True):
            mine[at] = connection.ops.adapt_datetimefield_value(when)
        select.append(f"EXISTS({sql})")
        all_params.extend(mine)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(select), all_params)
        answers = cursor.fetchone()
    busy = {f"s{i}": bool(a) for i, a in enumerate(answers)}
    slots: list[datetime] = []
    taken: set[date] = set()
    for i, (day, start) in enumerate(candidates):
        if len(slots) >= count:
            break
        if day not in taken and not busy[f"s{i}"]:
            slots.append(start)
            taken.add(day)
    return slots


# --- Deal-breakers --------------------------------------------------------------------------------

DEAL_BREAKER_FIELDS = (
    "minimum_salary", "salary_currency", "no_relocation", "home_location", "remote_only",
    "avoid_industries", "max_travel_minutes",
)  # fmt: skip


@transaction.atomic
def save_deal_breakers(user, **fields: Any) -> DealBreakers:
    unknown = set(fields) - set(DEAL_BREAKER_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a deal-breaker setting." for name in unknown})
    rules = DealBreakers.for_user(user)
    for key, value in fields.items():
        setattr(rules, key, value)
    rules.salary_currency = (rules.salary_currency or "").strip().upper()
    errors: dict[str, str] = {}
    bad = [i for i in rules.avoid_industries or [] if i not in INDUSTRIES]
    if bad:
        errors["avoid_industries"] = f"Not an industry: {', '.join(map(str, bad))}."
    if rules.minimum_salary and not rules.salary_currency:
        errors["salary_currency"] = "Say which currency your minimum salary is in."
    if rules.no_relocation and not (rules.home_location or "").strip():
        errors["home_location"] = "Say where you live, so sayyes can tell what is near you."
    if errors:
        raise ValidationError(errors)
    rules.updated_at = timezone.now()
    rules.full_clean(exclude=["owner"], validate_unique=False)
    rules.save()
    return rules
