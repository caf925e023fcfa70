"""Say yes: the triage of an interview invitation, the prep checklist, and deal-breakers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now

from sayyes.accounts.models import validate_currency
from sayyes.core.owned import OwnedManager


class Recommendation(models.TextChoices):
    YES = "yes", "Say yes"
    YES_WITH_CONDITIONS = "yes_with_conditions", "Say yes, with conditions"
    RESCHEDULE = "reschedule", "Ask to reschedule"
    DECLINE = "decline", "Decline politely"


class Decision(models.TextChoices):
    UNDECIDED = "", "Not decided yet"
    ACCEPTED = "accepted", "Accepted"
    RESCHEDULE = "reschedule", "Asked to reschedule"
    DECLINED = "declined", "Declined"


class Triage(models.Model):
    """What an invitation is worth, what stands in the way, and what you decided."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="triages"
    )
    interview = models.OneToOneField(
        "pipeline.Interview", on_delete=models.CASCADE, related_name="triage"
    )
    recommendation = models.CharField(max_length=24, choices=Recommendation.choices)
    recommendation_why = models.TextField(blank=True)
    # [{"reason", "label", "score", "why"}], the six reasons in a fixed order.
    reasons = models.JSONField(default=list)
    # [{"interview_id", "company", "title", "status", "starts_at", "why"}]
    conflicts = models.JSONField(default=list)
    # [{"kind", "severity": "blocker"|"concern", "why"}]
    blockers = models.JSONField(default=list)
    # [{"text", "kind", "reason", "link", "category"}]
    goals = models.JSONField(default=list)
    # {"accept", "reschedule", "decline"}: the drafts as first written.
    replies = models.JSONField(default=dict)
    travel_minutes = models.PositiveIntegerField(null=True, blank=True)
    decision = models.CharField(
        max_length=12, choices=Decision.choices, blank=True, default=Decision.UNDECIDED
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    def __str__(self) -> str:
        return f"triage of {self.interview_id}: {self.recommendation}"


class ItemKind(models.TextChoices):
    GOAL = "goal", "Goal"
    RESEARCH = "research", "Research"
    PRACTICE = "practice", "Practice"
    QUESTIONS = "questions", "Questions to ask"
    LOGISTICS = "logistics", "Logistics"
    OTHER = "other", "Your own"


class ChecklistItem(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checklist_items"
    )
    interview = models.ForeignKey(
        "pipeline.Interview", on_delete=models.CASCADE, related_name="checklist_items"
    )
    text = models.CharField(max_length=500)
    kind = models.CharField(max_length=12, choices=ItemKind.choices, default=ItemKind.OTHER)
    link = models.CharField(max_length=1000, blank=True)
    # For practice items: the question category the "Practise now" button starts.
    practice_category = models.CharField(max_length=20, blank=True)
    done = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["owner", "interview", "done"])]

    def __str__(self) -> str:
        return self.text


class DealBreakers(models.Model):
    """What would make you turn an interview down, set once in settings."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deal_breakers"
    )
    minimum_salary = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Yearly, in whole units. A role whose top salary is below it is a no.",
    )
    salary_currency = models.CharField(
        max_length=3, blank=True, default="", validators=[validate_currency]
    )
    no_relocation = models.BooleanField(
        default=False, help_text="I won't move: on-site roles must be near where I live."
    )
    home_location = models.CharField(
        max_length=200, blank=True, help_text="Where you live, e.g. Lyon or Austin, TX."
    )
    remote_only = models.BooleanField(default=False, help_text="I only want fully remote roles.")
    avoid_industries = models.JSONField(default=list, blank=True)
    max_travel_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="The longest trip to an interview you accept, one way."
    )
    updated_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        verbose_name_plural = "deal-breakers"

    def __str__(self) -> str:
        return f"deal-breakers of {self.owner}"

    @classmethod
    def for_user(cls, user) -> DealBreakers:
        found = cls.objects.filter(owner=user).first()
        return found if found is not None else cls(owner=user)
