"""The pipeline: companies, opportunities with their status history, interviews."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils.timezone import now

from sayyes.accounts.models import validate_currency, validate_timezone
from sayyes.core.owned import OwnedManager
from sayyes.core.validators import web_url

INDUSTRIES = [
    "Administrative Services", "Support Services", "Advertising", "Public Relations",
    "Agriculture", "Automotive", "Banking", "Finance", "Construction", "Data Analytics",
    "Education", "Engineering", "Food & Beverage", "Gas & Oil", "Government", "Healthcare",
    "Tourism", "Hotel", "Accounting", "Human Resources", "Insurance", "IT", "Technology",
    "Manufacturing", "Marketing", "Medical Devices", "Nonprofit", "Pharmaceutical",
    "Publishing & Printing", "Real Estate", "Retail", "Sales", "Supply Chain", "Transportation",
    "Television & Movies", "Music", "Recruiting", "Waste Management",
]  # fmt: skip


class Status(models.TextChoices):
    SAVED = "saved", "Saved"
    APPLIED = "applied", "Applied"
    SCREENING = "screening", "Screening"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


ACTIVE_STATUSES = [
    Status.SAVED,
    Status.APPLIED,
    Status.SCREENING,
    Status.INTERVIEWING,
    Status.OFFER,
]
FUNNEL = [Status.APPLIED, Status.SCREENING, Status.INTERVIEWING, Status.OFFER]
# How far down the funnel a status takes an opportunity (1 = applied ... 4 = an offer; an
# accepted or declined offer is past the offer). Other statuses take it nowhere.
FUNNEL_RANK = {
    Status.APPLIED: 1,
    Status.SCREENING: 2,
    Status.INTERVIEWING: 3,
    Status.OFFER: 4,
    Status.ACCEPTED: 5,
    Status.DECLINED: 5,
}


def funnel_rank_of(status_field: str = "status") -> models.Case:
    """FUNNEL_RANK as an SQL expression over ``status_field`` (0 for other statuses)."""
    return models.Case(
        *(models.When(**{status_field: s}, then=models.Value(r)) for s, r in FUNNEL_RANK.items()),
        default=models.Value(0),
        output_field=models.PositiveSmallIntegerField(),
    )


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


class Remote(models.TextChoices):
    UNKNOWN = "", "Not stated"
    ONSITE = "onsite", "On site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class Company(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="companies"
    )
    name = models.CharField(max_length=200)
    industry = models.CharField(max_length=64, blank=True, choices=[(i, i) for i in INDUSTRIES])
    website = models.URLField(max_length=500, blank=True, validators=[web_url])
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = [Lower("name")]
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(Lower("name"), "owner", name="company_name_unique_per_owner")
        ]
        indexes = [
            # A triage's industry reason: your other companies in this industry (issue 18).
            models.Index(fields=["owner", "industry"], name="company_owner_industry"),
            # The companies page in name order: a page read from the index (issue 18).
            models.Index("owner", Lower("name"), "id", name="company_owner_lower_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Opportunity(models.Model):
    """A job you are considering or applied to."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunities"
    )
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="opportunities")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SAVED)
    posting_url = models.URLField(max_length=1000, blank=True, validators=[web_url])
    posting_text = models.TextField(blank=True)
    source = models.CharField(max_length=100, blank=True, help_text="Where you found it")
    location = models.CharField(max_length=200, blank=True)
    remote = models.CharField(max_length=10, choices=Remote.choices, blank=True, default="")
    # A yearly salary range in whole units of salary_currency (exact integers, never floats).
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(
        max_length=3, blank=True, default="", validators=[validate_currency]
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    # The furthest funnel stage it ever reached (FUNNEL_RANK), raised as each status event is
    # recorded, so the dashboard's funnel is one count, not a walk over every event.
    furthest_stage = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = OwnedManager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["owner", "status", "-updated_at"]),
            models.Index(fields=["owner", "-updated_at"]),
            models.Index(fields=["owner", "furthest_stage"], name="opportunity_owner_funnel"),
            # A board column: its first cards in the board's order, read straight from the index
            # instead of sorting every opportunity of that status (issue 18).
            models.Index(
                fields=["owner", "status", "-priority", "-updated_at", "-id"],
                name="opportunity_board_column",
            ),
        ]
        constraints = [
            # The forms, the API and the services refuse it first, naming salary_max.
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="opportunity_salary_min_at_most_max",
                violation_error_message="The maximum salary is below the minimum.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.company.name}"

    def get_absolute_url(self) -> str:
        return reverse("opportunity_detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.salary_min is not None
            and self.salary_max is not None
            and self.salary_min > self.salary_max
        ):
            raise ValidationError({"salary_max": "The maximum salary is below the minimum."})
        if (
            self.salary_min is not None or self.salary_max is not None
        ) and not self.salary_currency:
            raise ValidationError({"salary_currency": "Say which currency the salary is in."})


class OpportunityCount(models.Model):
    """How many of an owner's opportunities have each (status, furthest stage): kept by
    database triggers on ``pipeline_opportunity`` in the same statement as every insert,
    status or stage change and delete, whatever wrote it (forms, the API, bulk imports, the
    demo, an account's deletion), so the dashboard's status counts and funnel read at most
    54 rows of a user instead of every opportunity (issue 18). ``refresh_opportunity_counts``
    rebuilds them from the opportunities. No foreign key: the triggers remove a row when its
    count reaches 0, so an account's rows go with its last opportunity."""

    owner_id = models.IntegerField()
    status = models.CharField(max_length=20, choices=Status.choices)
    furthest_stage = models.PositiveSmallIntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner_id", "status", "furthest_stage"], name="opportunitycount_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.status}/{self.furthest_stage}: {self.n}"


class StatusEvent(models.Model):
    """Every status an opportunity has had, the first one included."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The dashboard's latest changes: the newest events first, read from the index's
            # end until eight of the user's are found, not every event sorted (issue 18).
            models.Index(fields=["-at", "-id"], name="statusevent_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Raise the opportunity's furthest stage (a conditional update: never lowers it).
        rank = FUNNEL_RANK.get(self.status, 0)  # type: ignore[call-overload]
        if rank:
            Opportunity.objects.filter(pk=self.opportunity_id, furthest_stage__lt=rank).update(
                furthest_stage=rank
            )
            if "opportunity" in self._state.fields_cache:
                opp = self.opportunity
                opp.furthest_stage = max(opp.furthest_stage, rank)

    @classmethod
    def refresh_furthest_stage(cls, opportunities) -> int:
        """Recompute ``furthest_stage`` of the given opportunities (a queryset) from their
        events, after events were written in bulk (imports, the demo). One UPDATE."""
        best = (
            cls.objects.filter(opportunity=models.OuterRef("pk"))
            .annotate(rank=funnel_rank_of())
            .order_by("-rank")
            .values("rank")[:1]
        )
        return opportunities.update(furthest_stage=Coalesce(models.Subquery(best), models.Value(0)))


class InterviewKind(models.TextChoices):
    PHONE_SCREEN = "phone_screen", "Phone screen"
    VIDEO = "video", "Video call"
    TECHNICAL = "technical", "Technical"
    BEHAVIORAL = "behavioral", "Behavioral"
    PANEL = "panel", "Panel"
    ONSITE = "onsite", "On site"
    FINAL = "final", "Final round"
    OTHER = "other", "Other"


class InterviewStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


MAX_TOPICS = 8
MAX_TOPIC_CHARS = 100


def topic_lines(text: str) -> list[str]:
    """The topics of a "topics we discussed" text: one short phrase a line, bullets and
    closing punctuation dropped, each once."""
    found: list[str] = []
    for line in (text or "").splitlines():
        phrase = " ".join(line.strip().lstrip("-*•·–—").split()).rstrip(".;,:!")
        if phrase and phrase.lower() not in (f.lower() for f in found):
            found.append(phrase)
    return found


def validate_topics(value: str) -> None:
    topics = topic_lines(value)
    if len(topics) > MAX_TOPICS:
        raise ValidationError(f"At most {MAX_TOPICS} topics, one a line; this has {len(topics)}.")
    long = next((t for t in topics if len(t) > MAX_TOPIC_CHARS), None)
    if long is not None:
        raise ValidationError(
            f"A topic is a short phrase (at most {MAX_TOPIC_CHARS} characters): "
            f"{long[:40]!r}… is longer. Put one topic on each line."
        )


class Interview(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviews"
    )
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="interviews"
    )
    kind = models.CharField(
        max_length=20, choices=InterviewKind.choices, default=InterviewKind.VIDEO
    )
    starts_at = models.DateTimeField(help_text="Stored in UTC")
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="The time zone the interview was arranged in",
    )
    duration_minutes = models.PositiveIntegerField(default=60)
    location = models.CharField(max_length=300, blank=True)
    video_url = models.URLField(max_length=1000, blank=True, validators=[web_url])
    status = models.CharField(
        max_length=20, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED
    )
    interviewers = models.ManyToManyField("network.Contact", blank=True, related_name="interviews")
    notes = models.TextField(blank=True)
    topics = models.TextField(
        "Topics we discussed",
        blank=True,
        validators=[validate_topics],
        help_text="One short phrase a line, e.g. “migrating the CI to GitHub Actions”. "
        "Thank-you notes mention one or two.",
    )
    # Grows each time the time or the status changes, for calendar apps (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["owner", "starts_at"]),
            # A company's journal: its opportunities' interviews in time order.
            models.Index(fields=["opportunity", "starts_at"], name="interview_opp_starts"),
            # A triage's counts of your rounds by status and kind (issue 18).
            models.Index(fields=["owner", "status", "kind"], name="interview_owner_status_kind"),
            # A triage's busy interviews: the longest one (MAX from the index's end) and those
            # in the free-slot window, from the index alone (issue 18).
            models.Index(
                fields=["owner", "status", "duration_minutes"], name="interview_owner_length"
            ),
            models.Index(
                fields=["owner", "status", "starts_at", "duration_minutes"],
                name="interview_owner_busy_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.opportunity}"

    def get_absolute_url(self) -> str:
        return reverse("interview_detail", args=[self.pk])

    @property
    def topic_list(self) -> list[str]:
        return topic_lines(self.topics)

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)
