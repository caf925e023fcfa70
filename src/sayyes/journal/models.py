"""The journal: a debrief after each interview, your own rating dimensions, and the
questions you chose to ask the employer."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.timezone import now

from sayyes.core.owned import OwnedManager

# The culture dimensions every debrief can rate (keys as stored in Debrief.ratings).
DEFAULT_DIMENSIONS = (
    "growth",
    "culture",
    "work-life balance",
    "compensation",
    "management",
    "mission",
    "stability",
)


class Dimension(models.Model):
    """A rating dimension a user added beyond the defaults (e.g. "remote flexibility")."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_dimensions"
    )
    name = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "owner", name="dimension_name_unique_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class Debrief(models.Model):
    """What you took away from one interview."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="debriefs"
    )
    interview = models.OneToOneField(
        "pipeline.Interview", on_delete=models.CASCADE, related_name="debrief"
    )
    learned_requirements = models.TextField(blank=True)
    learned_strategy = models.TextField(blank=True)
    learned_goals = models.TextField(blank=True)
    likes = models.TextField(blank=True)
    dislikes = models.TextField(blank=True)
    ratings = models.JSONField(default=dict, blank=True)
    overall_interest = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    people = models.ManyToManyField("network.Contact", blank=True, related_name="debriefs")
    # The practice questions (source "real") this debrief put in the bank, so an edit
    # updates them instead of adding them again.
    questions: models.ManyToManyField[Any, DebriefQuestion] = models.ManyToManyField(
        "practice.Question", blank=True, related_name="debriefs", through="DebriefQuestion"
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall_interest__isnull=True)
                | models.Q(overall_interest__gte=1, overall_interest__lte=5),
                name="debrief_overall_interest_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"Debrief of {self.interview}"

    def get_absolute_url(self) -> str:
        return reverse("debrief", args=[self.interview_id])


class DebriefQuestion(models.Model):
    """A question you were asked, in the order you wrote it."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE)
    question = models.ForeignKey("practice.Question", on_delete=models.CASCADE)
    position = models.PositiveIntegerField(default=0)
    # True when the debrief put the question in the bank (so taking it out removes it).
    created_here = models.BooleanField(default=False)

    objects = OwnedManager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["debrief", "question"], name="debrief_question_once")
        ]

    def __str__(self) -> str:
        return f"question {self.question_id} of debrief {self.debrief_id}"


class QuestionToAsk(models.Model):
    """A question you picked to ask the employer in an interview."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions_to_ask"
    )
    interview = models.ForeignKey(
        "pipeline.Interview", on_delete=models.CASCADE, related_name="questions_to_ask"
    )
    text = models.CharField(max_length=1000)
    why = models.CharField(max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = OwnedManager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


# --- Key terms stored per posting and per debrief, and their counts (issue 18) -------------


class TermSource(models.Model):
    """A posting (an opportunity's text) or a debrief whose key terms are stored: computed
    when it is saved, or by the worker after a bulk import (``sayyes.journal.terms``).
    ``digest`` is the hash of the text they were read from; ``company_id`` and ``industry``
    are those the terms count under. Derived data: not in the archive (read again after an
    import), deleted with the posting or debrief."""

    POSTING, DEBRIEF = "posting", "debrief"
    derived = True  # sayyes.core.owned.derived: kept by the app, never by a request

    owner_id = models.IntegerField()
    kind = models.CharField(max_length=10)
    opportunity = models.OneToOneField(
        "pipeline.Opportunity", null=True, on_delete=models.CASCADE, related_name="+"
    )
    debrief = models.OneToOneField(Debrief, null=True, on_delete=models.CASCADE, related_name="+")
    company_id = models.IntegerField()
    industry = models.CharField(max_length=64, blank=True)
    digest = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["company_id"], name="termsource_company")]

    def __str__(self) -> str:
        return f"{self.kind} {self.opportunity_id or self.debrief_id}"


class SourceTerm(models.Model):
    """One key term of a stored posting or debrief: a theme (what the job is about) or a
    requirement. Database triggers count each insert and delete into ``TermCount`` and
    ``TermCompany``."""

    THEME, REQUIREMENT = "theme", "requirement"
    derived = True  # sayyes.core.owned.derived: kept by the app, never by a request

    source = models.ForeignKey(TermSource, on_delete=models.CASCADE, related_name="terms")
    owner_id = models.IntegerField()
    company_id = models.IntegerField()
    industry = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=12)
    key = models.CharField(max_length=200)  # the term lower-cased: what counts as the same
    term = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "key"], name="sourceterm_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.term}"


class TermCount(models.Model):
    """How many of an owner's stored postings and debriefs have a term, and at how many
    companies, for all industries (``industry`` "") and per industry. ``kind`` is "theme" or
    "requirement", or "posting"/"debrief" with ``key`` "" for how many sources are stored.
    Kept by database triggers on ``SourceTerm`` and ``TermSource``; a row goes when its
    count reaches 0 (no foreign key, as ``OpportunityCount``)."""

    owner_id = models.IntegerField()
    industry = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=12)
    key = models.CharField(max_length=200)
    term = models.CharField(max_length=200)
    n = models.IntegerField()
    companies = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner_id", "industry", "kind", "key"], name="termcount_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["owner_id", "industry", "kind", "-n", "key"], name="termcount_top"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.industry or '*'} {self.kind} {self.key}: {self.n}"


class TermCompany(models.Model):
    """How many of a company's stored postings and debriefs have a term (per industry too):
    what ``TermCount.companies`` counts, and where the names beside a theme come from."""

    owner_id = models.IntegerField()
    industry = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=12)
    key = models.CharField(max_length=200)
    company_id = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner_id", "industry", "kind", "key", "company_id"],
                name="termcompany_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.key} at {self.company_id}: {self.n}"


class TermBacklog(models.Model):
    """An owner whose postings or debriefs wait to be read by the worker (after a bulk
    import or an upgrade): insights say so until the worker has read them."""

    owner_id = models.IntegerField(unique=True)
    since = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"{self.owner_id} since {self.since}"
