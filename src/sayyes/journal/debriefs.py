"""Debriefs: what you noted after an interview, rated on your dimensions, with the questions
you were asked (each goes to the practice bank, once). Also the company's debriefs and their
mean ratings, which the insights, the offers and the triage read.

Every function works on one user's data only; nothing here ever pools users.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from sayyes.network.models import Contact
from sayyes.pipeline.models import Company, Interview, InterviewStatus
from sayyes.practice.models import Category, Question, Source

from .models import DEFAULT_DIMENSIONS, Debrief, DebriefQuestion, Dimension
from .text import norm_text

TEXT_FIELDS = (
    "learned_requirements",
    "learned_strategy",
    "learned_goals",
    "likes",
    "dislikes",
    "notes",
)
MAX_TEXT = 10_000
MAX_QUESTIONS = 50
SIMILAR = 0.85  # how alike two questions must read to count as the same question


# --- Dimensions ------------------------------------------------------------------------------


def _dimension_key(name: str) -> str:
    return " ".join(str(name).split()).lower()


def dimensions(user) -> list[str]:
    """The dimensions this user rates: the seven defaults, then their own."""
    own = [d.name for d in Dimension.objects.owned_by(user).order_by("created_at", "id")]
    return [*DEFAULT_DIMENSIONS, *(n for n in own if n not in DEFAULT_DIMENSIONS)]


def add_dimension(user, name: str) -> Dimension:
    key = _dimension_key(name or "")
    if not key:
        raise ValidationError({"name": "Name the dimension, e.g. remote flexibility."})
    if len(key) > 40:
        raise ValidationError({"name": "A dimension name has at most 40 characters."})
    if key in DEFAULT_DIMENSIONS:
        raise ValidationError({"name": f"{key!r} is already one of the dimensions."})
    existing = Dimension.objects.owned_by(user).filter(name__iexact=key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Dimension.objects.create(owner=user, name=key)
    except IntegrityError:
        return Dimension.objects.owned_by(user).get(name__iexact=key)


def clean_ratings(user, ratings: Any) -> dict[str, int]:
    """Ratings as {dimension: 1..5}; a clear error naming the dimension otherwise."""
    if ratings is None:
        return {}
    if not isinstance(ratings, dict):
        raise ValidationError({"ratings": "Give ratings as {dimension: 1 to 5}."})
    known = dimensions(user)
    cleaned: dict[str, int] = {}
    for raw_name, value in ratings.items():
        name = _dimension_key(raw_name)
        if name not in known:
            raise ValidationError(
                {
                    "ratings": f"{raw_name!r} is not one of your dimensions "
                    f"({', '.join(known)}); add it first."
                }
            )
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValidationError({"ratings": f"Rate {name} with a whole number from 1 to 5."})
        try:
            number = int(value)
        except ValueError:
            raise ValidationError(
                {"ratings": f"Rate {name} with a whole number from 1 to 5, not {value!r}."}
            ) from None
        if not 1 <= number <= 5:
            raise ValidationError({"ratings": f"Rate {name} from 1 to 5 (got {number})."})
        cleaned[name] = number
    return cleaned


def _clean_interest(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError({"overall_interest": "Overall interest is a number from 1 to 5."})
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {"overall_interest": "Overall interest is a number from 1 to 5."}
        ) from None
    if not 1 <= number <= 5:
        raise ValidationError(
            {"overall_interest": f"Overall interest is from 1 to 5 (got {number})."}
        )
    return number


# --- Questions asked: into the practice bank, once -------------------------------------------


def _most_similar(text: str, questions) -> Question | None:
    best, best_ratio = None, SIMILAR
    target = norm_text(text)
    for question in questions:
        other = norm_text(question.text)
        if other == target:
            return question
        matcher = SequenceMatcher(None, target, other, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio:
            best, best_ratio = question, ratio
    return best


def _guess_category(text: str) -> str:
    low = text.lower()
    if re.search(
        r"\b(tell me about a time|describe a (time|situation)|give (me )?an example)", low
    ):
        return Category.BEHAVIORAL
    if re.search(r"\b(what would you do|how would you)\b", low):
        return Category.SITUATIONAL
    if re.search(r"\bwhy (do you want|are you|this|us|our)\b", low):
        return Category.MOTIVATION
    return Category.ROLE_SPECIFIC


def _clean_questions(texts) -> list[str]:
    if texts is None:
        return []
    if isinstance(texts, str):
        texts = texts.splitlines()
    cleaned: list[str] = []
    for raw in texts:
        text = " ".join(str(raw).split()).lstrip("-*• ").strip()
        if not text:
            continue
        if len(text) > 1000:
            raise ValidationError({"questions_asked": "A question has at most 1,000 characters."})
        if not any(norm_text(text) == norm_text(t) for t in cleaned):
            cleaned.append(text)
    if len(cleaned) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions_asked": f"At most {MAX_QUESTIONS} questions in one debrief."}
        )
    return cleaned


def _bank_question(user, debrief: Debrief, text: str, taken: set[int]) -> tuple[Question, bool]:
    """The practice question for ``text``, and whether it is new: one this debrief already
    made, one already asked for this opportunity, a copy of a similar bank question, or a
    new one."""
    from sayyes.practice.services import ensure_bank, mark_asked, visible_questions

    opportunity = debrief.interview.opportunity
    linked = [q for q in debrief.questions.all() if q.pk not in taken]
    match = _most_similar(text, linked)
    if match is not None:
        if match.text != text:
            match.text = text
            match.updated_at = timezone.now()
            match.save(update_fields=["text", "updated_at"])
        return match, False
    asked_here = (
        Question.objects.owned_by(user)
        .filter(source=Source.REAL, opportunity=opportunity)
        .exclude(pk__in=taken)
    )
    match = _most_similar(text, asked_here)
    if match is not None:
        return match, False
    ensure_bank()
    bank = visible_questions(user).exclude(source=Source.REAL).exclude(category=Category.CLOSING)
    match = _most_similar(text, bank.only("id", "text", "category", "owner", "source"))
    if match is not None:
        question = mark_asked(user, Question.objects.get(pk=match.pk), opportunity, text=text)
        if question.pk not in taken:
            return question, True
    question = Question.objects.create(
        owner=user,
        source=Source.REAL,
        text=text,
        category=_guess_category(text),
        opportunity=opportunity,
        company=opportunity.company,
    )
    return question, True


def _sync_questions(debrief: Debrief, texts: list[str]) -> None:
    user = debrief.owner
    links = DebriefQuestion.objects.filter(debrief=debrief)
    made_here = set(links.filter(created_here=True).values_list("question_id", flat=True))
    kept: list[Question] = []
    for text in texts:
        question, created = _bank_question(user, debrief, text, {q.pk for q in kept})
        if created:
            made_here.add(question.pk)
        kept.append(question)
    kept_ids = [q.pk for q in kept]
    links.exclude(question_id__in=kept_ids).delete()
    for position, question in enumerate(kept):
        DebriefQuestion.objects.update_or_create(
            debrief=debrief,
            question=question,
            defaults={"position": position, "created_here": question.pk in made_here},
        )
    # A question the debrief added and no longer lists leaves the bank too, unless it has
    # been answered since or another debrief lists it.
    Question.objects.owned_by(user).filter(
        pk__in=made_here - set(kept_ids), source=Source.REAL
    ).filter(answers__isnull=True, debriefs__isnull=True).delete()


def questions_asked(debrief: Debrief) -> list[Question]:
    """In the order written; uses ``debriefquestion_set`` when it was prefetched."""
    return [link.question for link in debrief.debriefquestion_set.all()]


# --- Debriefs ------------------------------------------------------------------------------


def _people(user, interview: Interview, people_ids, people_names) -> list[Contact] | None:
    if people_ids is None and people_names is None:
        return None
    found: list[Contact] = []
    if people_ids:
        ids = {int(i) for i in people_ids}
        contacts = list(Contact.objects.owned_by(user).filter(pk__in=ids))
        missing = sorted(ids - {c.pk for c in contacts})
        if missing:
            raise ValidationError(
                {"people_ids": f"No such contact: {', '.join(map(str, missing))}."}
            )
        found.extend(contacts)
    company = interview.opportunity.company
    if isinstance(people_names, str):
        people_names = people_names.split(",")
    for raw in people_names or []:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > 200:
            raise ValidationError({"people_names": "A name has at most 200 characters."})
        contact = (
            Contact.objects.owned_by(user).filter(name__iexact=name, company=company).first()
            or Contact.objects.owned_by(user).filter(name__iexact=name).first()
            or Contact.objects.create(owner=user, name=name, company=company, how_met="interview")
        )
        if contact not in found:
            found.append(contact)
    return found


def _clean_texts(fields: dict[str, Any]) -> dict[str, str]:
    out = {}
    for name in TEXT_FIELDS:
        if name in fields:
            value = (fields[name] or "").strip()
            if len(value) > MAX_TEXT:
                raise ValidationError({name: f"At most {MAX_TEXT:,} characters."})
            if "\x00" in value:
                raise ValidationError({name: "Text cannot contain NUL characters."})
            out[name] = value
    return out


def _check_fields(fields: dict[str, Any]) -> None:
    allowed = {*TEXT_FIELDS, "ratings", "overall_interest"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: "Not a field of a debrief." for name in sorted(unknown)})


@transaction.atomic
def save_debrief(
    user,
    interview: Interview,
    *,
    questions: list[str] | str | None = None,
    people_ids: list[int] | None = None,
    people_names: list[str] | str | None = None,
    topics: str | None = None,
    **fields: Any,
) -> Debrief:
    """Create the interview's debrief, or update it: only the fields given change.

    Questions asked become ``real`` practice questions (each once, however often the debrief
    is edited); people met become contacts at the company.
    """
    if interview.owner_id != user.pk:
        raise ValidationError({"interview_id": "No such interview."})
    _check_fields(fields)
    values: dict[str, Any] = _clean_texts(fields)
    if "ratings" in fields:
        values["ratings"] = clean_ratings(user, fields["ratings"])
    if "overall_interest" in fields:
        values["overall_interest"] = _clean_interest(fields["overall_interest"])
    texts = None if questions is None else _clean_questions(questions)
    debrief = Debrief.objects.select_for_update().filter(interview=interview).first() or Debrief(
        owner=user, interview=interview
    )
    for key, value in values.items():
        setattr(debrief, key, value)
    debrief.updated_at = timezone.now()
    debrief.save()
    people = _people(user, interview, people_ids, people_names)
    if people is not None:
        debrief.people.set(people)
    if texts is not None:
        _sync_questions(debrief, texts)
    if topics is not None:
        from sayyes.pipeline.services import set_topics

        set_topics(interview, topics)  # the interview's: its thank-you notes use them
    return debrief


def create_debrief(user, interview: Interview, **kwargs: Any) -> Debrief:
    if Debrief.objects.filter(interview=interview).exists():
        raise ValidationError(
            {"interview_id": "This interview already has a debrief; change that one instead."}
        )
    return save_debrief(user, interview, **kwargs)


def delete_debrief(debrief: Debrief) -> None:
    with transaction.atomic():
        _sync_questions(debrief, [])
        debrief.delete()


def interview_ended(interview: Interview, now: datetime | None = None) -> bool:
    """Done, or scheduled and over by now (cancelled and no-shows need no debrief)."""
    if interview.status == InterviewStatus.DONE:
        return True
    return interview.status == InterviewStatus.SCHEDULED and interview.ends_at <= (
        now or timezone.now()
    )


def debriefs_due(user, *, now: datetime | None = None, days: int = 14) -> list[Interview]:
    """Interviews that have ended (in the last ``days`` days) and have no debrief yet."""
    now = now or timezone.now()
    candidates = (
        Interview.objects.owned_by(user)
        .filter(
            starts_at__gte=now - timedelta(days=days),
            starts_at__lt=now,
            debrief__isnull=True,
        )
        .filter(status__in=[InterviewStatus.DONE, InterviewStatus.SCHEDULED])
        .select_related("opportunity__company")
        .order_by("-starts_at")
    )
    # Read only as far as the tenth that has ended: a crowded week stays one short read.
    ended: list[Interview] = []
    for interview in candidates.iterator(chunk_size=20):
        if interview_ended(interview, now):
            ended.append(interview)
            if len(ended) == 10:
                break
    return ended


def company_debriefs(user, company: Company) -> QuerySet[Debrief]:
    return Debrief.objects.owned_by(user).filter(interview__opportunity__company=company)


def company_ratings(user, company: Company) -> dict[str, float]:
    """The mean rating per dimension over the company's debriefs ({} when none)."""
    sums: dict[str, list[int]] = defaultdict(list)
    for ratings in company_debriefs(user, company).values_list("ratings", flat=True):
        for name, value in (ratings or {}).items():
            sums[name].append(value)
    order = {name: i for i, name in enumerate(dimensions(user))}
    return {
        name: round(statistics.fmean(values), 2)
        for name, values in sorted(sums.items(), key=lambda kv: order.get(kv[0], 999))
    }


def debrief_count(user, company: Company) -> int:
    return company_debriefs(user, company).count()
