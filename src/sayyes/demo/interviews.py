"""Interviews: how many each opportunity has, when they fall and what kind they are."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

from sayyes.pipeline.models import Interview, InterviewKind, InterviewStatus, Remote, Status

from .context import AHEAD_DAYS, CLOSED, INTERVIEWS_PER_SCALE, Demo, OpportunityPlan, weighted
from .words import Family

MIDDLE_KINDS = [
    (InterviewKind.TECHNICAL, 30), (InterviewKind.BEHAVIORAL, 25), (InterviewKind.VIDEO, 20),
    (InterviewKind.PANEL, 15), (InterviewKind.OTHER, 5), (InterviewKind.ONSITE, 5),
]  # fmt: skip
DURATIONS: dict[str, list[int]] = {
    InterviewKind.PHONE_SCREEN: [30, 30, 45], InterviewKind.VIDEO: [30, 45, 45, 60],
    InterviewKind.TECHNICAL: [60, 60, 90], InterviewKind.BEHAVIORAL: [45, 60],
    InterviewKind.PANEL: [60, 90], InterviewKind.ONSITE: [90, 90, 60],
    InterviewKind.FINAL: [45, 60, 90], InterviewKind.OTHER: [30, 45],
}  # fmt: skip
LOCAL_HOURS = [9, 9, 10, 10, 10, 11, 11, 13, 13, 14, 14, 15, 15, 16, 16, 17]
LOCAL_MINUTES = [0, 0, 0, 0, 30, 30, 15, 45]
MEETING_LETTERS = "abcdefghijkmnopqrstuvwxyz"


def _past_window(demo: Demo, plan: OpportunityPlan) -> tuple[datetime, datetime] | None:
    start = plan.reached(Status.SCREENING)
    if start is None:
        return None
    end = plan.reached(Status.OFFER) or (plan.times[-1] if plan.status in CLOSED else demo.now)
    end = min(end, demo.now) - timedelta(hours=2)
    return (start, end) if end - start >= timedelta(hours=12) else None


def allocate_interviews(demo: Demo, plans: list[OpportunityPlan]) -> None:
    """Decide how many past and upcoming interviews each opportunity has."""
    total = INTERVIEWS_PER_SCALE * demo.scale
    future_total = total // 3
    depth_weight: dict[str, float] = {
        Status.SCREENING: 1.0,
        Status.INTERVIEWING: 3.5,
        Status.OFFER: 5.0,
    }
    most_past: dict[str, int] = {Status.SCREENING: 3, Status.INTERVIEWING: 6}  # 7 at an offer
    past, past_w, past_cap = [], [], []
    future, future_w, future_cap = [], [], []
    for plan in plans:
        window = _past_window(demo, plan)
        if window is not None:
            deepest = max((s for s in plan.path if s in depth_weight),
                          key=list(depth_weight).index)  # fmt: skip
            days = (window[1] - window[0]).total_seconds() / 86400
            past.append(plan)
            past_w.append(depth_weight[deepest] * min(1.0, days / 14))
            past_cap.append(most_past.get(deepest, 7))
        if plan.status in (Status.SCREENING, Status.INTERVIEWING):
            future.append(plan)
            future_w.append(1.5 if plan.status == Status.SCREENING else 2.5)
            future_cap.append(4)
        elif plan.status in (Status.APPLIED, Status.OFFER):
            future.append(plan)
            future_w.append(0.4 if plan.status == Status.APPLIED else 0.3)
            future_cap.append(1)
    if not future:
        future_total = 0
    if not past:
        future_total = total if future else 0
    given = _spread(demo, future, future_w, future_cap, future_total, "future")
    _spread(demo, past, past_w, past_cap, total - given, "past")


def _spread(demo: Demo, plans, weights, caps, count: int, attr: str) -> int:
    rng = demo.rng
    counts = [0] * len(plans)
    weights = list(weights)
    left = count
    while left > 0 and plans:
        if not any(weights):  # Every opportunity is full: let them take more.
            caps = [c * 2 for c in caps]
            weights = [1.0] * len(plans)
        for i in rng.choices(range(len(plans)), weights=weights, k=left):
            if counts[i] < caps[i]:
                counts[i] += 1
                left -= 1
            else:
                weights[i] = 0
    for plan, n in zip(plans, counts, strict=True):
        setattr(plan, attr, n)
    return count - left


def _slot(demo: Demo, low: datetime, high: datetime, tz: zoneinfo.ZoneInfo) -> datetime:
    """A weekday, working-hours start time between low and high."""
    rng = demo.rng
    for _ in range(12):
        day = (low + (high - low) * rng.random()).astimezone(tz).date()
        if day.weekday() >= 5:
            continue
        local = datetime(day.year, day.month, day.day, rng.choice(LOCAL_HOURS),
                         rng.choice(LOCAL_MINUTES), tzinfo=tz)  # fmt: skip
        start = local.astimezone(UTC)
        if low <= start <= high:
            return start
    at = low + (high - low) * rng.random()
    return at.replace(minute=at.minute // 15 * 15, second=0, microsecond=0)


def interview_objects(demo: Demo, plans: list[OpportunityPlan]) -> list[Interview]:
    now = demo.now
    objs: list[Interview] = []
    for plan in plans:
        if not plan.past and not plan.future:
            continue
        tz_name = (plan.company.city if plan.remote == Remote.REMOTE else plan.city).tz
        tz = demo.tz(tz_name)
        starts = []
        window = _past_window(demo, plan)
        if plan.past and window is not None:
            starts += sorted(_slot(demo, *window, tz) for _ in range(plan.past))
        ahead = (now + timedelta(hours=3), now + timedelta(days=AHEAD_DAYS))
        starts += sorted(_slot(demo, *ahead, tz) for _ in range(plan.future))
        family = demo.family(plan.company.industry)
        reached_offer = plan.reached(Status.OFFER) is not None
        for index, starts_at in enumerate(starts):
            only_screens = plan.status == Status.APPLIED
            kind = _kind(demo, index, len(starts), only_screens, reached_offer)
            objs.append(_interview(demo, plan, kind, starts_at, tz_name, family))
    objs.sort(key=lambda i: (i.created_at, i.starts_at))
    return objs


def _kind(demo: Demo, index: int, count: int, only_screens: bool, reached_offer: bool) -> str:
    rng = demo.rng
    if index == 0 or only_screens:
        return InterviewKind.PHONE_SCREEN if rng.random() < 0.8 else InterviewKind.VIDEO
    if index == count - 1 and count >= 3 and (reached_offer or rng.random() < 0.5):
        return rng.choice([InterviewKind.FINAL, InterviewKind.ONSITE])
    return weighted(rng, MIDDLE_KINDS)


def _interview(
    demo: Demo, plan: OpportunityPlan, kind: str, starts_at: datetime, tz_name: str, family: Family
) -> Interview:
    rng, now, words = demo.rng, demo.now, demo.words
    duration = rng.choice(DURATIONS[kind])
    ends_at = starts_at + timedelta(minutes=duration)
    opened = plan.times[0]
    values = {"skill": rng.choice(family.skills), "team": rng.choice(family.teams)}
    topics = ""
    if starts_at < now:
        status = weighted(rng, [(InterviewStatus.DONE, 86), (InterviewStatus.CANCELLED, 9),
                                (InterviewStatus.NO_SHOW, 5)])  # fmt: skip
        created = max(opened, starts_at - timedelta(days=rng.uniform(1, 14)))
        if status == InterviewStatus.CANCELLED:
            updated = created + (starts_at - created) * rng.random()
        else:
            updated = min(now, ends_at + timedelta(hours=rng.uniform(0.5, 30)))
        notes = ""
        if rng.random() < 0.5:
            notes = rng.choice(words.past_interview_notes).format(**values)
        # What was discussed, for the thank-you notes (no new draw: the seed's data stays).
        if status == InterviewStatus.DONE:
            topics = f"{values['skill']}\nthe {values['team']} team's plans for the year"
    else:
        invited = 0.7 if plan.status == Status.APPLIED else 0.25
        status = (InterviewStatus.INVITED if rng.random() < invited
                  else InterviewStatus.SCHEDULED)  # fmt: skip
        created = max(opened, now - timedelta(days=rng.uniform(0.2, 12)))
        updated = created
        notes = ""
        if rng.random() < 0.4:
            notes = rng.choice(words.future_interview_notes).format(**values)
    in_person = kind == InterviewKind.ONSITE or (
        kind in (InterviewKind.FINAL, InterviewKind.OTHER) and rng.random() < 0.5
    )
    location = video_url = ""
    if in_person:
        location = plan.company.address
    elif kind != InterviewKind.PHONE_SCREEN:
        code = "-".join("".join(rng.choice(MEETING_LETTERS) for _ in range(n)) for n in (3, 4, 3))
        video_url = f"https://meet.example.com/{code}"
    return Interview(
        owner=demo.user,
        opportunity=plan.obj,
        kind=kind,
        starts_at=starts_at,
        timezone=tz_name,
        duration_minutes=duration,
        location=location,
        video_url=video_url,
        status=status,
        notes=notes,
        topics=topics,
        created_at=created.replace(microsecond=0),
        updated_at=updated.replace(microsecond=0),
    )
