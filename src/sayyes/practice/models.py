"""Practice: the question bank, practice sessions, answers with feedback, review schedule."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import now

from sayyes.core.owned import OwnedManager


class Category(models.TextChoices):
    BEHAVIORAL = "behavioral", "Behavioral"
    SITUATIONAL = "situational", "Situational"
    TOUGH = "tough", "Tough & curveball"
    MOTIVATION = "motivation", "Motivation"
    CAREER_STORY = "career_story", "Career story"
    CULTURE_FIT = "culture_fit", "Culture fit"
    ROLE_SPECIFIC = "role_specific", "Role-specific"
    PANEL = "panel", "Panel"
    CLOSING = "closing", "Questions to ask the employer"


class Source(models.TextChoices):
    BUILTIN = "builtin", "Built-in"
    YOURS = "yours", "Yours"
    REAL = "real", "Asked in a real interview"


class Persona(models.TextChoices):
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    PEER = "peer", "Future peer"
    HR = "hr", "HR partner"


class Question(models.Model):
    """A question of the bank: built-in (no owner, read-only) or a user's own."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questions",
    )
    key = models.SlugField(max_length=120, null=True, blank=True, unique=True)
    text = models.TextField()
    category = models.CharField(max_length=20, choices=Category.choices)
    competencies = models.JSONField(default=list, blank=True)
    industries = models.JSONField(default=list, blank=True)
    difficulty = models.PositiveSmallIntegerField(default=2)
    talking_points = models.JSONField(default=list, blank=True)
    persona = models.CharField(
        max_length=20, choices=Persona.choices, default=Persona.HIRING_MANAGER
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.YOURS)
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="asked_questions",
    )
    company = models.ForeignKey(
        "pipeline.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="asked_questions",
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="asked_copies"
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = ["category", "id"]
        indexes = [models.Index(fields=["owner", "category"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="builtin", owner__isnull=True)
                | (~Q(source="builtin") & Q(owner__isnull=False)),
                name="question_builtin_has_no_owner",
            ),
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=3), name="question_difficulty_1_3"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("question_detail", args=[self.pk])

    @property
    def is_builtin(self) -> bool:
        return self.source == Source.BUILTIN


class PracticeSession(models.Model):
    class Mode(models.TextChoices):
        CATEGORY = "category", "By category"
        OPPORTUNITY = "opportunity", "For an opportunity"
        DUE = "due", "Due for review"
        RANDOM = "random", "Random"
        PANEL = "panel", "Panel"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sessions"
    )
    mode = models.CharField(max_length=20, choices=Mode.choices)
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_sessions",
    )
    question_ids = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} practice, {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("practice_session", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.position >= len(self.question_ids)


class AnswerStatus(models.TextChoices):
    RECORDING = "recording", "Recording"  # chunks still arriving, transcribed as they come
    QUEUED = "queued", "Queued"
    TRANSCRIBING = "transcribing", "Transcribing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


def recordings_dir():
    """DATA_DIR/recordings, or SAYYES_MEDIA_DIR/recordings (a volume shared by machines)."""
    return (getattr(settings, "SAYYES_MEDIA_DIR", None) or settings.DATA_DIR) / "recordings"


class RecordingStorage(FileSystemStorage):
    """Recordings under DATA_DIR/recordings, read from the settings on each use.

    They have no URL: they are served only to their owner, by the answer's audio page.
    """

    @property
    def base_location(self):
        return str(recordings_dir())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


_recording_storage = RecordingStorage()


def recording_storage() -> RecordingStorage:
    return _recording_storage


def recording_name(answer, filename: str) -> str:
    """Recordings are kept per owner: ``<owner id>/<file name>``."""
    return f"{answer.owner_id}/{filename}"


class Answer(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    session = models.ForeignKey(
        PracticeSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_answers",
    )
    text = models.TextField()
    duration_seconds = models.FloatField(null=True, blank=True)
    # Voice answers: the recording (a name under DATA_DIR/recordings, made by the server),
    # where transcription stands, and what went wrong. Typed answers are "done" at once.
    audio = models.FileField(
        upload_to=recording_name,
        storage=recording_storage,
        max_length=200,
        blank=True,
        default="",
    )
    audio_type = models.CharField(max_length=40, blank=True, default="")
    status = models.CharField(max_length=12, choices=AnswerStatus.choices, default="done")
    error = models.TextField(blank=True, default="")
    # The worker's claims on a voice answer: how many so far, and until when the current one
    # holds (renewed while it works). A claim that runs out was cut short (kill -9, power
    # cut): the answer is queued again, and fails after MAX_ATTEMPTS (see practice/recovery.py).
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    transcript = models.TextField(blank=True, default="")
    # While a recording arrives in chunks: the seconds transcribed so far and their segments.
    live = models.JSONField(default=dict, blank=True)
    feedback = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(default=0)
    self_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    next_review_at = models.DateTimeField(null=True, blank=True)
    # The review card before this answer, so a later self-rating reschedules from it.
    card_before = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "question", "created_at"])]

    def __str__(self) -> str:
        return f"answer to {self.question_id} on {self.created_at:%Y-%m-%d}"

    @property
    def audio_path(self):
        """The recording on disk, or None for a typed answer."""
        if not self.audio:
            return None
        return recordings_dir() / self.audio.name

    @property
    def pending(self) -> bool:
        return self.status in (
            AnswerStatus.RECORDING,
            AnswerStatus.QUEUED,
            AnswerStatus.TRANSCRIBING,
        )


class Review(models.Model):
    """The spaced-repetition state (an fsrs card) of one question for one user."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reviews")
    card = models.JSONField(default=dict)
    due = models.DateTimeField(db_index=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)

    objects = OwnedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "question"], name="one_review_per_question")
        ]

    def __str__(self) -> str:
        return f"review of {self.question_id}, due {self.due:%Y-%m-%d}"


# --- Mock interviews (practice/mocks/) -------------------------------------------------------------


class MockKind(models.TextChoices):
    PHONE_SCREEN = "phone_screen", "Phone screen"
    BEHAVIORAL = "behavioral", "Behavioral"
    TECHNICAL = "technical", "Technical"
    PANEL = "panel", "Panel"
    FINAL = "final", "Final round"


class MockStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    FINISHED = "finished", "Finished"


class Mock(models.Model):
    """A mock interview: questions asked in turn by personas, follow-ups, then a report."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mocks"
    )
    kind = models.CharField(max_length=20, choices=MockKind.choices)
    status = models.CharField(
        max_length=12, choices=MockStatus.choices, default=MockStatus.IN_PROGRESS
    )
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mocks",
    )
    interview = models.ForeignKey(
        "pipeline.Interview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mocks",
    )
    question_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"mock {self.get_kind_display().lower()} round, {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("mock_page", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status == MockStatus.FINISHED


class TurnKind(models.TextChoices):
    QUESTION = "question", "Question"
    FOLLOW_UP = "follow_up", "Follow-up"
    CLOSING = "closing", "Closing"  # "Do you have any questions for us?" (a question to the API)


class MockTurn(models.Model):
    """One thing the interviewer says, and your answer to it.

    A question or follow-up is answered with a practice Answer (typed, or spoken and
    transcribed by the worker), so it is scored and scheduled for review like any other.
    The closing turn ("Do you have any questions for us?") has no bank question: what you
    type there is kept in ``reply``.
    """

    mock = models.ForeignKey(Mock, on_delete=models.CASCADE, related_name="turns")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=TurnKind.choices)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="mock_turns"
    )
    # Which follow-up rule asked it (action, result, real_example, numbers, own_part, more).
    rule = models.CharField(max_length=20, blank=True, default="")
    persona = models.CharField(max_length=20, choices=Persona.choices)
    text = models.TextField()
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="mock_turns"
    )
    # Your answer to this turn alone (the practice answer holds the question's whole answer),
    # how long it took, the coach's feedback on it (delivery in the report), and why a
    # recording could not be used.
    reply = models.TextField(blank=True, default="")
    duration_seconds = models.FloatField(null=True, blank=True)
    feedback = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")
    asked_at = models.DateTimeField(default=now)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["mock", "position"], name="one_mock_turn_per_position")
        ]

    def __str__(self) -> str:
        return f"turn {self.position} of mock {self.mock_id}"

    @property
    def closing(self) -> bool:
        return self.kind == TurnKind.CLOSING
