"""People you meet: contacts, what passed between you, and what to do next."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sayyes.core.owned import OwnedManager
from sayyes.core.validators import web_url


class HowMet(models.TextChoices):
    UNKNOWN = "", "Not recorded"
    INTERVIEW = "interview", "An interview"
    EVENT = "event", "An event"
    REFERRAL = "referral", "A referral"
    LINKEDIN = "linkedin", "LinkedIn"
    OTHER = "other", "Other"


class Contact(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    linkedin_url = models.URLField(max_length=500, blank=True, validators=[web_url])
    company = models.ForeignKey(
        "pipeline.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    title = models.CharField(max_length=200, blank=True)
    tags = models.JSONField(default=list, blank=True)
    how_met = models.CharField(max_length=20, choices=HowMet.choices, blank=True, default="")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When you last met, wrote or spoke (kept up to date from interactions).
    last_touched_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["owner", "name"]),
            models.Index(fields=["owner", "linkedin_url"]),
            models.Index(fields=["owner", "email"]),
            # The contacts to check in with, longest untouched first: read from the index's
            # start, a few rows whatever the number of contacts (issue 18).
            models.Index(
                fields=["owner", "last_touched_at", "created_at"], name="contact_owner_touched"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contact_detail", args=[self.pk])


class Interaction(models.Model):
    class Kind(models.TextChoices):
        MET = "met", "Met"
        EMAILED = "emailed", "Emailed"
        CALLED = "called", "Called"
        MESSAGED = "messaged", "Messaged"
        OTHER = "other", "Other"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MET)
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.contact} on {self.at:%Y-%m-%d}"


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        THANK_YOU = "thank_you", "Thank-you note"
        CHECK_IN = "check_in", "Check in"
        OTHER = "other", "Other"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followups"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="followups")
    interview = models.ForeignKey(
        "pipeline.Interview",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followups",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The note as you edited it (blank: not edited, sayyes's draft is shown); once sent,
    # what was sent.
    draft_to = models.CharField(max_length=1000, blank=True)
    draft_subject = models.CharField(max_length=300, blank=True)
    draft_body = models.TextField(blank=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["owner", "done_at", "due_at"])]
        constraints = [
            # One thank-you per interviewer per interview, however often it is marked done.
            models.UniqueConstraint(
                fields=["interview", "contact"],
                condition=Q(kind="thank_you"),
                name="one_thank_you_per_interviewer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.contact}"

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        """Not done, and its due time has passed."""
        return self.done_at is None and self.due_at < timezone.now()
