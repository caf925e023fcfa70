"""Practice operations shared by the pages, the API and the CLI."""

from __future__ import annotations

import json
import random
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from sayyes.pipeline.models import Opportunity

from . import scoring
from .models import Answer, Category, Persona, PracticeSession, Question, Review, Source

BANK_FILE = Path(__file__).parent / "data" / "questions.json"
BANK_FIELDS = ("text", "category", "competencies", "industries", "difficulty",
               "talking_points", "persona")  # fmt: skip
USER_FIELDS = ("text", "category", "competencies", "industries", "difficulty",
               "talking_points", "persona")  # fmt: skip
MAX_ANSWER_CHARS = 20_000
PANEL_ORDER = (Persona.HIRING_MANAGER, Persona.PEER, Persona.HR)


# --- The bank ------------------------------------------------------------------------------------


@cache
def _bank_data() -> list[dict[str, Any]]:
    return json.loads(BANK_FILE.read_text())["questions"]


@transaction.atomic
def load_bank() -> tuple[int, int]:
    """Add new built-in questions and refresh changed ones; never touches a user's questions.

    Returns (created, updated). Safe to run any number of times.
    """
    if not BANK_FILE.exists():  # only while the package is being built
        return 0, 0
    existing = {q.key: q for q in Question.objects.filter(source=Source.BUILTIN)}
    new, changed = [], []
    for item in _bank_data():
        fields = {name: item[name] for name in BANK_FIELDS}
        question = existing.get(item["key"])
        if question is None:
            new.append(Question(key=item["key"], source=Source.BUILTIN, owner=None, **fields))
        elif any(getattr(question, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(question, k, v)
            question.updated_at = timezone.now()
            changed.append(question)
    Question.objects.bulk_create(new, batch_size=500)
    Question.objects.bulk_update(changed, [*BANK_FIELDS, "updated_at"], batch_size=500)
    return len(new), len(changed)


def ensure_bank() -> None:
    if not Question.objects.filter(source=Source.BUILTIN).exists():
        load_bank()


def visible_questions(user) -> QuerySet[Question]:
    # The built-in questions (no owner) are everyone's: the bank a user sees is those and theirs.
    return Question.objects.filter(Q(owner__isnull=True) | Q(owner=user))


def search_questions(
    user, *, q: str = "", category: str = "", source: str = ""
) -> QuerySet[Question]:
    qs = visible_questions(user)
    for word in (q or "").split():
        qs = qs.filter(text__icontains=word)
    if category:
        if category not in Category.values:
            raise ValidationError(
                {
                    "category": f"{category!r} is not a category. Use one of: {', '.join(Category.values)}."
                }
            )
        qs = qs.filter(category=category)
    if source:
        if source not in Source.values:
            raise ValidationError(
                {"source": f"{source!r} is not a source. Use one of: {', '.join(Source.values)}."}
            )
        qs = qs.filter(source=source)
    return qs.order_by("category", "id")


def _clean_question_fields(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "text" in fields:
        fields["text"] = (fields["text"] or "").strip()
        if not fields["text"]:
            errors["text"] = "Write the question."
        elif len(fields["text"]) > 1000:
            errors["text"] = "A question has at most 1,000 characters."
    if "category" in fields and fields["category"] not in Category.values:
        errors["category"] = f"Use one of: {', '.join(Category.values)}."
    if "persona" in fields and fields["persona"] not in Persona.values:
        errors["persona"] = f"Use one of: {', '.join(Persona.values)}."
    if "difficulty" in fields and fields["difficulty"] not in (1, 2, 3):
        errors["difficulty"] = "Difficulty is 1 (easy), 2 (medium) or 3 (hard)."
    for name in ("competencies", "industries", "talking_points"):
        if name in fields:
            items = [str(i).strip() for i in (fields[name] or []) if str(i).strip()]
            if len(items) > 10 or any(len(i) > 200 for i in items):
                errors[name] = "At most 10 items of at most 200 characters each."
            fields[name] = items
    if errors:
        raise ValidationError(errors)
    return fields


def create_question(user, **fields: Any) -> Question:
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a field of a question." for name in unknown})
    fields.setdefault("category", Category.BEHAVIORAL)
    fields = _clean_question_fields(fields)
    return Question.objects.create(owner=user, source=Source.YOURS, **fields)


def update_question(question: Question, **fields: Any) -> Question:
    if question.is_builtin:
        raise ValidationError({"question": "Built-in questions can't be changed; copy it to edit."})
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a field of a question." for name in unknown})
    fields = _clean_question_fields(fields)
    for key, value in fields.items():
        setattr(question, key, value)
    question.updated_at = timezone.now()
    question.save(update_fields=[*fields, "updated_at"])
    return question


def delete_question(question: Question) -> None:
    if question.is_builtin:
        raise ValidationError({"question": "Built-in questions can't be deleted."})
    question.delete()


def mark_asked(
    user, question: Question, opportunity: Opportunity, text: str | None = None
) -> Question:
    """Record that ``question`` was asked in a real interview for ``opportunity``."""
    if opportunity.owner_id != user.pk:
        raise ValidationError({"opportunity_id": "No such opportunity."})
    original = (
        question.based_on if question.source == Source.REAL and question.based_on else question
    )
    existing = (
        Question.objects.owned_by(user)
        .filter(source=Source.REAL, opportunity=opportunity, based_on=original)
        .first()
    )
    if existing:
        return existing
    return Question.objects.create(
        owner=user,
        source=Source.REAL,
        text=(text or question.text).strip(),
        category=question.category,
        competencies=question.competencies,
        industries=question.industries,
        difficulty=question.difficulty,
        talking_points=question.talking_points,
        persona=question.persona,
        opportunity=opportunity,
        company=opportunity.company,
        based_on=original,
    )


# --- Choosing questions -------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z]+")
_TITLE_NOISE = {
    "senior",
    "junior",
    "lead",
    "principal",
    "staff",
    "head",
    "of",
    "and",
    "the",
    "i",
    "ii",
    "iii",
}


def _title_words(title: str) -> set[str]:
    return {w for w in _WORD.findall(title.lower()) if w not in _TITLE_NOISE and len(w) > 2}


def plan_questions(
    user,
    *,
    mode: str,
    category: str = "",
    opportunity: Opportunity | None = None,
    count: int = 5,
    seed: int | None = None,
) -> list[int]:
    """Pick the questions of a practice session, most useful first."""
    if mode not in PracticeSession.Mode.values:
        raise ValidationError({"mode": f"Use one of: {', '.join(PracticeSession.Mode.values)}."})
    if not 1 <= count <= 50:
        raise ValidationError({"count": "Practise between 1 and 50 questions at a time."})
    ensure_bank()
    rng = random.Random(seed)
    pool = visible_questions(user).exclude(category=Category.CLOSING)
    picked: list[int] = []

    def take(ids, limit=count):
        for qid in ids:
            if len(picked) >= limit:
                return
            if qid not in picked:
                picked.append(qid)

    def sample(qs, n):
        ids = list(qs.values_list("id", flat=True))
        rng.shuffle(ids)
        return ids[:n]

    if mode == PracticeSession.Mode.CATEGORY:
        if category not in Category.values:
            raise ValidationError({"category": f"Choose a category: {', '.join(Category.values)}."})
        real = visible_questions(user).filter(category=category, source=Source.REAL)
        take(sample(real, count))
        take(sample(visible_questions(user).filter(category=category), count))
    elif mode == PracticeSession.Mode.OPPORTUNITY:
        if opportunity is None or opportunity.owner_id != user.pk:
            raise ValidationError({"opportunity_id": "Choose one of your opportunities."})
        real = Question.objects.owned_by(user).filter(source=Source.REAL)
        # Questions really asked at this company come back first, then at similar roles.
        take(sample(real.filter(company=opportunity.company), count))
        words = _title_words(opportunity.title)
        similar = [
            q.id
            for q in real.exclude(company=opportunity.company).select_related("opportunity")
            if q.opportunity and words & _title_words(q.opportunity.title)
        ]
        rng.shuffle(similar)
        take(similar)
        industry = opportunity.company.industry
        if industry:
            role = [
                q.id
                for q in pool.filter(category=Category.ROLE_SPECIFIC)
                if industry in q.industries
            ]
            rng.shuffle(role)
            take(role, len(picked) + max(1, count // 3))
        take(
            sample(pool.filter(category=Category.BEHAVIORAL), count),
            len(picked) + max(1, count // 3),
        )
        take(
            sample(
                pool.filter(
                    category__in=[Category.MOTIVATION, Category.TOUGH, Category.CULTURE_FIT]
                ),
                count,
            )
        )
        take(sample(pool, count))
    elif mode == PracticeSession.Mode.DUE:
        due = Review.objects.owned_by(user).filter(due__lte=timezone.now()).order_by("due")
        take(list(due.values_list("question_id", flat=True)[:count]))
    elif mode == PracticeSession.Mode.RANDOM:
        take(sample(pool, count))
    elif mode == PracticeSession.Mode.PANEL:
        by_persona = {p: sample(pool.filter(persona=p), count) for p in PANEL_ORDER}
        for i in range(count):
            ids = by_persona[PANEL_ORDER[i % 3]]
            if ids:
                take([ids.pop()], len(picked) + 1)
    return picked


def start_session(
    user, *, mode: str, category: str = "", opportunity: Opportunity | None = None, count: int = 5
) -> PracticeSession:
    ids = plan_questions(user, mode=mode, category=category, opportunity=opportunity, count=count)
    if not ids:
        if mode == PracticeSession.Mode.DUE:
            raise ValidationError(
                {"mode": "Nothing is due for review today. Try another way to practise."}
            )
        raise ValidationError({"mode": "No questions match. Try another category."})
    return PracticeSession.objects.create(
        owner=user,
        mode=mode,
        category=category if mode == "category" else "",
        opportunity=opportunity,
        question_ids=ids,
    )


def current_question(session: PracticeSession) -> Question | None:
    if session.finished:
        return None
    return (
        visible_questions(session.owner).filter(pk=session.question_ids[session.position]).first()
    )


def advance(session: PracticeSession) -> None:
    PracticeSession.objects.filter(pk=session.pk, position=session.position).update(
        position=session.position + 1
    )
    session.position += 1


# --- Answers and the review schedule -----------------------------------------------------------------

_scheduler = Scheduler(enable_fuzzing=False)


@cache
def _bank_types() -> dict[str, str]:
    return {item["key"]: item["type"] for item in _bank_data() if item.get("type")}


def question_type(question: Question) -> str | None:
    """A built-in question's type from the bank; None for others (the coach reads the wording)."""
    return _bank_types().get(question.key) if question.key else None


def feedback_for(
    question_text: str,
    answer: str,
    *,
    duration_seconds: float | None = None,
    posting_text: str | None = None,
    talking_points: list[str] | None = None,
    question_type: str | None = None,
) -> dict:
    if len(answer) > MAX_ANSWER_CHARS:
        raise ValidationError({"answer": f"An answer has at most {MAX_ANSWER_CHARS:,} characters."})
    if duration_seconds is not None and not 0 < duration_seconds <= 3600:
        raise ValidationError({"duration_seconds": "A duration is between 0 and 3,600 seconds."})
    from .coach import analyse

    return analyse(
        question_text,
        answer,
        duration_seconds=duration_seconds,
        posting_text=posting_text or None,
        talking_points=talking_points or None,
        question_type=question_type,
    )


def _schedule(review: Review, rating: int, at: datetime) -> None:
    card = Card.from_dict(review.card) if review.card else Card()
    card, _ = _scheduler.review_card(card, Rating(rating), at)
    review.card = card.to_dict()
    review.due = card.due
    review.last_review = at


@transaction.atomic
def record_answer(
    user,
    question: Question,
    text: str,
    *,
    duration_seconds: float | None = None,
    session: PracticeSession | None = None,
    opportunity: Opportunity | None = None,
    self_rating: int | None = None,
) -> Answer:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write your answer first."})
    if not visible_questions(user).filter(pk=question.pk).exists():
        raise ValidationError({"question_id": "No such question."})
    if opportunity is not None and opportunity.owner_id != user.pk:
        raise ValidationError({"opportunity_id": "No such opportunity."})
    if self_rating is not None and self_rating not in (1, 2, 3, 4):
        raise ValidationError({"self_rating": "Rate 1 (again), 2 (hard), 3 (good) or 4 (easy)."})
    opportunity = opportunity or (session.opportunity if session else None) or question.opportunity
    feedback = feedback_for(
        question.text,
        text,
        duration_seconds=duration_seconds,
        posting_text=opportunity.posting_text if opportunity else None,
        talking_points=question.talking_points,
        question_type=question_type(question),
    )
    value, due, before, now = _score_and_schedule(user, question, feedback, self_rating)
    return Answer.objects.create(
        owner=user,
        question=question,
        session=session,
        opportunity=opportunity,
        text=text,
        duration_seconds=duration_seconds,
        feedback=feedback,
        score=value,
        self_rating=self_rating,
        next_review_at=due,
        card_before=before,
        created_at=now,
    )


def _score_and_schedule(user, question: Question, feedback: dict, self_rating: int | None):
    """Score an answer and move the question's review card: (score, due, card before, now)."""
    value = scoring.score(feedback, question.category)
    # One review card per user and question, made on the first answer: the lookup writes.
    review, _ = Review.objects.select_for_update().get_or_create(
        owner=user, question=question, defaults={"due": timezone.now()}
    )
    before = dict(review.card) if review.card else None
    now = timezone.now()
    _schedule(review, scoring.combined_rating(value, self_rating), now)
    review.reps += 1
    review.save()
    return value, review.due, before, now


@transaction.atomic
def complete_answer(answer: Answer, transcript: str, feedback: dict) -> Answer:
    """A voice answer, transcribed: the same scoring and review schedule as a typed one."""
    value, due, before, _ = _score_and_schedule(
        answer.owner, answer.question, feedback, answer.self_rating
    )
    answer.text = transcript
    answer.transcript = transcript
    answer.feedback = feedback
    answer.score = value
    answer.next_review_at = due
    answer.card_before = before
    answer.status = "done"
    answer.error = ""
    answer.save(
        update_fields=[
            "text", "transcript", "feedback", "score", "next_review_at", "card_before",
            "status", "error",
        ]
    )  # fmt: skip
    return answer


@transaction.atomic
def rate_answer(answer: Answer, self_rating: int) -> Answer:
    """Your own rating of an answer reschedules the question from where it stood before."""
    if self_rating not in (1, 2, 3, 4):
        raise ValidationError({"self_rating": "Rate 1 (again), 2 (hard), 3 (good) or 4 (easy)."})
    if answer.status != "done":
        raise ValidationError({"self_rating": "Wait for the feedback before rating this answer."})
    latest = (
        Answer.objects.owned_by(answer.owner)
        .filter(question=answer.question, status="done")
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is not None and latest.pk != answer.pk:
        raise ValidationError(
            {"self_rating": "Only your latest answer to a question can be rated."}
        )
    answer.self_rating = self_rating
    answer.next_review_at = _reschedule(answer)
    answer.save(update_fields=["self_rating", "next_review_at"])
    return answer


def _reschedule(answer: Answer) -> datetime:
    """Move the question's review card again from where it stood before ``answer``."""
    review = Review.objects.owned_by(answer.owner).select_for_update().get(question=answer.question)
    review.card = dict(answer.card_before) if answer.card_before else {}
    rating = scoring.combined_rating(answer.score, answer.self_rating)
    _schedule(review, rating, answer.created_at)
    review.save(update_fields=["card", "due", "last_review"])
    return review.due


@transaction.atomic
def rescore_answer(answer: Answer, text: str, feedback: dict) -> Answer:
    """An answer that grew (a mock interview's follow-ups): its whole text, feedback and score,
    and its question scheduled once, as if the whole had been said at first."""
    answer.text = text
    answer.feedback = feedback
    answer.score = scoring.score(feedback, answer.question.category)
    answer.next_review_at = _reschedule(answer)
    answer.save(update_fields=["text", "feedback", "score", "next_review_at"])
    return answer


def due_count(user) -> int:
    return Review.objects.owned_by(user).filter(due__lte=timezone.now()).count()
