"""The prep checklist of an accepted interview: its goals, then the standard items (research,
the posting, practice, questions to ask, logistics), and reminders of what is left to do."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from sayyes.pipeline.models import Interview, InterviewKind
from sayyes.practice.mocks.services import kind_for_interview

from .costs import BUSY
from .models import ChecklistItem, ItemKind, Triage
from .reasons import PRACTICE_QUESTIONS, categories_for, category_label
from .replies import practice_url


def _mock_round(interview: Interview) -> str:
    kind = kind_for_interview(interview)
    return "phone screen" if kind == "phone_screen" else kind.replace("final", "final-round")


def standard_items(interview: Interview) -> list[dict]:
    opp = interview.opportunity
    company = opp.company
    category = categories_for(interview.kind)[0]
    items = [
        {
            "text": f"Research {company.name}: what it sells, to whom, recent news, and the team "
            f"behind the {opp.title} role.",
            "kind": ItemKind.RESEARCH,
            "link": company.website,
        },
        {
            "text": "Re-read the job posting and match each requirement with one of your stories.",
            "kind": ItemKind.RESEARCH,
            "link": reverse("opportunity_detail", args=[opp.pk]),
        },
        {
            "text": f"Practise {PRACTICE_QUESTIONS} {category_label(category).lower()} questions out loud.",
            "kind": ItemKind.PRACTICE,
            "link": practice_url(),
            "practice_category": category,
        },
        {
            "text": f"Do a mock {_mock_round(interview)} round before "
            f"{interview.starts_at.astimezone(ZoneInfo(interview.timezone)):%A}: answer out "
            "loud, then read the report.",
            "kind": ItemKind.PRACTICE,
            "link": f"{reverse('mock_new')}?interview={interview.pk}",
        },
        {
            "text": "Prepare three questions to ask them, and write them down.",
            "kind": ItemKind.QUESTIONS,
            "link": reverse("interview_to_ask", args=[interview.pk]),
        },
    ]
    if interview.video_url or interview.kind == InterviewKind.VIDEO:
        items.append(
            {
                "text": "Test the video link, your camera and microphone the day before.",
                "kind": ItemKind.LOGISTICS,
                "link": interview.video_url,
            }
        )
    elif interview.location:
        items.append(
            {
                "text": f"Plan the route to {interview.location} and when to leave (be 10 "
                "minutes early).",
                "kind": ItemKind.LOGISTICS,
                "link": "",
            }
        )
    elif interview.kind == InterviewKind.PHONE_SCREEN:
        items.append(
            {
                "text": "Check the phone number and find a quiet place to take the call.",
                "kind": ItemKind.LOGISTICS,
                "link": "",
            }
        )
    else:
        items.append(
            {
                "text": "Check where the interview happens: the address or the video link.",
                "kind": ItemKind.LOGISTICS,
                "link": "",
            }
        )
    items.append(
        {
            "text": "Have your CV, the job posting and your notes at hand; any documents they "
            "asked for too.",
            "kind": ItemKind.LOGISTICS,
            "link": "",
        }
    )
    return items


@transaction.atomic
def ensure_checklist(interview: Interview, *, goals: list[dict] | None = None) -> int:
    """Give an interview its prep checklist: the goals on top, then the standard items.

    Safe to call again: items already there (by text) are not added twice. Returns how many
    were added.
    """
    if goals is None:
        stored = Triage.objects.filter(interview=interview).first()
        goals = stored.goals if stored else []
    existing = set(ChecklistItem.objects.filter(interview=interview).values_list("text", flat=True))
    has_standard = (
        ChecklistItem.objects.filter(interview=interview)
        .exclude(kind__in=[ItemKind.GOAL, ItemKind.OTHER])
        .exists()
    )
    rows = []
    for i, goal in enumerate(goals):
        if goal["text"] not in existing:
            rows.append(
                ChecklistItem(
                    owner=interview.owner,
                    interview=interview,
                    text=goal["text"][:500],
                    kind=ItemKind.GOAL,
                    link=goal.get("link", ""),
                    practice_category=goal.get("category", ""),
                    position=i,
                )
            )
    practised = {g.get("category") for g in goals if g.get("category")}
    if not has_standard:
        for i, item in enumerate(standard_items(interview)):
            # A goal that already practises this category makes the standard item a repeat.
            if item.get("practice_category") in practised:
                continue
            if item["text"] not in existing:
                rows.append(
                    ChecklistItem(
                        owner=interview.owner,
                        interview=interview,
                        position=100 + i,
                        **{k: v for k, v in item.items()},
                    )
                )
    ChecklistItem.objects.bulk_create(rows)
    return len(rows)


def add_item(interview: Interview, text: str) -> ChecklistItem:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": "Write what you want to do."})
    if len(text) > 500:
        raise ValidationError({"text": "An item has at most 500 characters."})
    last = ChecklistItem.objects.filter(interview=interview).aggregate(m=Max("position"))["m"]
    return ChecklistItem.objects.create(
        owner=interview.owner,
        interview=interview,
        text=text,
        kind=ItemKind.OTHER,
        position=(last or 0) + 1,
    )


def set_done(item: ChecklistItem, done: bool) -> ChecklistItem:
    ChecklistItem.objects.filter(pk=item.pk).update(done=done)
    item.done = done
    return item


def items_for(interview: Interview):
    return ChecklistItem.objects.filter(interview=interview).order_by("position", "id")


def prep_reminders(user, *, start: datetime, end: datetime, limit: int = 10) -> list[dict]:
    """Interviews starting between ``start`` and ``end`` with checklist items still to do:
    the ``limit`` soonest (an agenda and a digest are read, not searched; issue 18)."""
    from sayyes.pipeline.models import Interview

    soonest = (
        Interview.objects.owned_by(user)
        .filter(
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=BUSY,
            checklist_items__done=False,
        )
        .order_by("starts_at", "id")
        .values_list("id", flat=True)
        .distinct()[:limit]
    )
    rows = (
        ChecklistItem.objects.owned_by(user)
        .filter(done=False, interview_id__in=list(soonest))
        .select_related("interview__opportunity__company")
        .order_by("interview__starts_at", "interview_id", "position", "id")
    )
    found: dict[int, dict] = {}
    for item in rows:
        entry = found.setdefault(item.interview_id, {"interview": item.interview, "items": []})
        entry["items"].append(item)
    return list(found.values())
