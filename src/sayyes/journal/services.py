"""Journal operations shared by the pages, the API and the CLI: debriefs (whose questions
go to the practice bank), questions to ask the employer, the company journal, companies side
by side, what you value, and insights per industry.

Every function works on one user's data only; nothing here ever pools users.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from sayyes.network.models import Contact
from sayyes.pipeline.models import INDUSTRIES, Company, Interview, InterviewStatus, Status
from sayyes.practice.models import Category, Persona, Question, Source

from .models import DEFAULT_DIMENSIONS, Debrief, DebriefQuestion, Dimension, QuestionToAsk

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
MIN_DEBRIEFS_FOR_VALUES = 5
SIMILAR = 0.85  # how alike two questions must read to count as the same question


# --- Dimensions ------------------------------------------------------------------------------


def _dimension_key(name: str) -> str:
    return " ".join(str(name).split()).lower()


def dimensions(user) -> list[str]:
    """The dimensions this user rates: the seven defaults, then their own."""
    own = [d.name for d in Dimension.objects.filter(owner=user).order_by("created_at", "id")]
    return [*DEFAULT_DIMENSIONS, *(n for n in own if n not in DEFAULT_DIMENSIONS)]


def add_dimension(user, name: str) -> Dimension:
    key = _dimension_key(name or "")
    if not key:
        raise ValidationError({"name": "Name the dimension, e.g. remote flexibility."})
    if len(key) > 40:
        raise ValidationError({"name": "A dimension name has at most 40 characters."})
    if key in DEFAULT_DIMENSIONS:
        raise ValidationError({"name": f"{key!r} is already one of the dimensions."})
    existing = Dimension.objects.filter(owner=user, name__iexact=key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Dimension.objects.create(owner=user, name=key)
    except IntegrityError:
        return Dimension.objects.get(owner=user, name__iexact=key)


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

_PUNCT = re.compile(r"[^\w\s]")


def _norm(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def _most_similar(text: str, questions) -> Question | None:
    best, best_ratio = None, SIMILAR
    target = _norm(text)
    for question in questions:
        other = _norm(question.text)
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
        if not any(_norm(text) == _norm(t) for t in cleaned):
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
    asked_here = Question.objects.filter(
        owner=user, source=Source.REAL, opportunity=opportunity
    ).exclude(pk__in=taken)
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
    Question.objects.filter(
        pk__in=made_here - set(kept_ids), owner=user, source=Source.REAL
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
        contacts = list(Contact.objects.filter(owner=user, pk__in=ids))
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
            Contact.objects.filter(owner=user, name__iexact=name, company=company).first()
            or Contact.objects.filter(owner=user, name__iexact=name).first()
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
        Interview.objects.filter(
            owner=user,
            starts_at__gte=now - timedelta(days=days),
            starts_at__lt=now,
            debrief__isnull=True,
        )
        .filter(status__in=[InterviewStatus.DONE, InterviewStatus.SCHEDULED])
        .select_related("opportunity__company")
        .order_by("-starts_at")
    )
    return [i for i in candidates if interview_ended(i, now)][:10]


def company_debriefs(user, company: Company) -> QuerySet[Debrief]:
    return Debrief.objects.filter(owner=user, interview__opportunity__company=company)


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


# --- Questions to ask the employer ---------------------------------------------------------


@dataclass
class Suggestion:
    text: str
    why: str
    kind: str  # round, posting, gap, yours, general, closing
    question_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "why": self.why,
            "kind": self.kind,
            "question_id": self.question_id,
        }


_POSTING_TEMPLATES = (
    "The posting mentions {term}. How does the team use {term} day to day, and where would I "
    "start with it?",
    "How much of this role is about {term} in the first six months?",
    "What is the hardest part of {term} for the team right now?",
)
_GAPS = (
    ("learned_strategy", "strategy", "the department's strategy"),
    ("learned_goals", "goals", "the company's goals"),
    ("learned_requirements", "expectations", "what the role really requires"),
)
_DIMENSION_QUESTIONS = {
    "growth": "closing-career-progression",
    "management": "closing-management-style",
    "work-life balance": "closing-busy-period-workload",
    "stability": "closing-team-changes",
    "culture": "closing-how-decisions-made",
    "mission": "closing-role-in-company-goals",
}
_PERSONA_REASON = {
    Persona.HR: "people in HR and recruiting know the process, the set-up and how people grow",
    Persona.PEER: "a future colleague can tell you what the work is really like",
    Persona.HIRING_MANAGER: "the hiring manager sets the expectations and makes the decision",
}
_KIND_PERSONA = {
    "phone_screen": Persona.HR,
    "technical": Persona.PEER,
    "behavioral": Persona.HIRING_MANAGER,
    "final": Persona.HIRING_MANAGER,
    "onsite": Persona.HIRING_MANAGER,
    "panel": Persona.PEER,
}


def persona_for_title(title: str) -> str | None:
    low = (title or "").lower()
    if not low.strip():
        return None
    if re.search(r"recruit|talent|\bhr\b|human resources|people (partner|ops|operations)", low):
        return Persona.HR
    if re.search(r"manager|director|head|\bvp\b|vice president|chief|\bc[et]o\b|founder", low):
        return Persona.HIRING_MANAGER
    return Persona.PEER


def questions_to_ask(interview: Interview, *, limit: int = 10) -> list[Suggestion]:
    """Questions to ask the employer in this interview, each with why it is suggested.

    Drawn from the bank's closing questions and tailored by the round kind and the
    interviewers' roles, the posting's key terms, and what your earlier debriefs for this
    company have not found out yet. At least five, the next-steps question last.
    """
    from sayyes.practice.coach.terms import extract_terms
    from sayyes.practice.services import ensure_bank, visible_questions

    ensure_bank()
    user = interview.owner
    opportunity = interview.opportunity
    company = opportunity.company
    closing = list(
        visible_questions(user).filter(category=Category.CLOSING).order_by("source", "id")
    )
    by_key = {q.key: q for q in closing if q.key}
    out: list[Suggestion] = []
    used: set[str] = set()

    def add(text: str, why: str, kind: str, question: Question | None = None) -> bool:
        key = _norm(text)
        if key in used:
            return False
        used.add(key)
        out.append(Suggestion(text, why, kind, question.pk if question else None))
        return True

    def first_with(pred, why: str, kind: str) -> bool:
        for q in closing:
            if q.key != "closing-next-steps" and pred(q) and add(q.text, why, kind, q):
                return True
        return False

    # 1. The round and who you meet.
    people = [p for p in interview.interviewers.all() if p.title]
    kind_label = interview.get_kind_display().lower()
    if people:
        for person in people[:2]:
            persona = persona_for_title(person.title)
            why = (
                f"You meet {person.name} ({person.title}) in this {kind_label}: "
                f"{_PERSONA_REASON[persona]}."
            )
            first_with(lambda q, p=persona: q.persona == p, why, "round")
    else:
        persona = _KIND_PERSONA.get(interview.kind, Persona.HIRING_MANAGER)
        why = f"A {kind_label}: {_PERSONA_REASON[persona]}."
        first_with(lambda q: q.persona == persona, why, "round")
        first_with(lambda q: q.persona == persona, why, "round")

    # 2. The posting's key terms (not the company's own name).
    terms = [
        t for t in extract_terms(opportunity.posting_text or "") if not _names_company(t, company)
    ]
    for i, term in enumerate(terms[:3]):
        add(
            _POSTING_TEMPLATES[i % len(_POSTING_TEMPLATES)].format(term=term),
            f"“{term}” is a key term of the posting: the answer shows how much it really "
            "matters here.",
            "posting",
        )

    # 3. What your earlier debriefs for this company haven't found out.
    earlier = list(company_debriefs(user, company).exclude(interview=interview))
    for field, competency, label in _GAPS:
        if any(getattr(d, field).strip() for d in earlier):
            continue
        why = (
            f"None of your {len(earlier)} debrief{'s' if len(earlier) != 1 else ''} for "
            f"{company.name} records {label} yet."
            if earlier
            else f"You have no debrief for {company.name} yet, so {label} is still unknown."
        )
        first_with(lambda q, c=competency: c in q.competencies, why, "gap")
    if earlier:
        rated = {name for d in earlier for name in (d.ratings or {})}
        for dimension, key in _DIMENSION_QUESTIONS.items():
            if dimension not in rated and key in by_key:
                add(
                    by_key[key].text,
                    f"You haven't rated {company.name} on {dimension} yet.",
                    "gap",
                    by_key[key],
                )

    # 4. Your own questions to ask, then good ones for any interview.
    for q in closing:
        if q.owner_id == user.pk:
            add(q.text, "One of your own questions to ask.", "yours", q)
    for q in closing:
        if len(out) >= limit - 1:
            break
        if q.key != "closing-next-steps" and q.difficulty == 1 and q.owner_id is None:
            add(q.text, "A good question for any interview.", "general", q)
    out = out[: limit - 1]
    nxt = by_key.get("closing-next-steps")
    if nxt:
        add(nxt.text, "Ask it at the end of every interview: you leave knowing what happens "
            "next and when.", "closing", nxt)  # fmt: skip
    return out


def _names_company(term: str, company: Company) -> bool:
    """Whether a term is (part of) the company's name, which no one needs to ask about."""
    name_words = set(_norm(company.name).split()) - {"the", "and", "of", "co", "inc", "ltd"}
    return bool(name_words & set(_norm(term).split()))


def saved_questions(interview: Interview) -> QuerySet[QuestionToAsk]:
    return QuestionToAsk.objects.filter(interview=interview).order_by("position", "id")


@transaction.atomic
def save_questions_to_ask(interview: Interview, items: list[dict]) -> list[QuestionToAsk]:
    """Keep exactly these questions (in this order) for the interview."""
    cleaned = []
    for i, item in enumerate(items):
        text = " ".join(str(item.get("text") or "").split())
        why = " ".join(str(item.get("why") or "").split())[:500]
        if not text:
            continue
        if len(text) > 1000:
            raise ValidationError({"questions": f"Question {i + 1} is over 1,000 characters."})
        if any(_norm(text) == _norm(c["text"]) for c in cleaned):
            continue
        cleaned.append({"text": text, "why": why})
    if len(cleaned) > 30:
        raise ValidationError({"questions": "Pick at most 30 questions."})
    QuestionToAsk.objects.filter(interview=interview).delete()
    return QuestionToAsk.objects.bulk_create(
        QuestionToAsk(owner=interview.owner, interview=interview, position=i, **c)
        for i, c in enumerate(cleaned)
    )


# --- The company journal and companies side by side ----------------------------------------

STAGE_ORDER = [
    Status.SAVED,
    Status.APPLIED,
    Status.SCREENING,
    Status.INTERVIEWING,
    Status.OFFER,
    Status.ACCEPTED,
]


def stage_reached(company: Company) -> str:
    """The furthest stage any opportunity at the company reached ("" when none)."""
    from sayyes.pipeline.models import StatusEvent

    seen = set(
        StatusEvent.objects.filter(opportunity__company=company).values_list("status", flat=True)
    ) | set(company.opportunities.values_list("status", flat=True))
    reached = [s for s in STAGE_ORDER if s in seen]
    return reached[-1] if reached else ""


def _lines(debriefs, field: str) -> list[dict]:
    return [
        {"text": getattr(d, field), "interview_id": d.interview_id, "date": d.interview.starts_at}
        for d in debriefs
        if getattr(d, field).strip()
    ]


def _mean_interest(debriefs) -> float | None:
    values = [d.overall_interest for d in debriefs if d.overall_interest]
    return round(statistics.fmean(values), 2) if values else None


def company_journal(user, company: Company) -> dict:
    debriefs = list(
        company_debriefs(user, company)
        .select_related("interview__opportunity")
        .prefetch_related("people")
        .order_by("interview__starts_at")
    )
    interviews = list(
        Interview.objects.filter(owner=user, opportunity__company=company)
        .select_related("opportunity")
        .prefetch_related("interviewers")
        .order_by("starts_at")
    )
    by_interview = {d.interview_id: d for d in debriefs}
    timeline = [{"interview": i, "debrief": by_interview.get(i.pk)} for i in interviews]
    return {
        "company": company,
        "opportunities": list(company.opportunities.order_by("-updated_at")),
        "interviews": interviews,
        "timeline": timeline,
        "debriefs": debriefs,
        "ratings": company_ratings(user, company),
        "overall_interest": _mean_interest(debriefs),
        "likes": _lines(debriefs, "likes"),
        "dislikes": _lines(debriefs, "dislikes"),
        "contacts": list(Contact.objects.filter(owner=user, company=company).order_by("name")),
        "stage": stage_reached(company),
    }


def companies_overview(user, companies=None) -> list[dict]:
    """The user's companies (all, or the given ones: a page of them) with their debriefs,
    mean interest and stage, in a fixed number of queries."""
    from django.db.models import Avg, Count

    from sayyes.pipeline.models import Opportunity, StatusEvent

    if companies is None:
        companies = Company.objects.filter(owner=user)
    ids = [c.pk for c in companies]
    companies = Company.objects.filter(owner=user, pk__in=ids).annotate(
        n_opps=Count("opportunities")
    )
    debriefs = {
        row["interview__opportunity__company"]: row
        for row in Debrief.objects.filter(owner=user, interview__opportunity__company_id__in=ids)
        .values("interview__opportunity__company")
        .annotate(n=Count("id"), interest=Avg("overall_interest"))
    }
    seen: dict[int, set[str]] = defaultdict(set)
    for company_id, status in (
        StatusEvent.objects.filter(opportunity__owner=user, opportunity__company_id__in=ids)
        .values_list("opportunity__company_id", "status")
        .distinct()
    ):
        seen[company_id].add(status)
    for company_id, status in Opportunity.objects.filter(
        owner=user, company_id__in=ids
    ).values_list("company_id", "status"):
        seen[company_id].add(status)
    out = []
    for company in companies.order_by(Lower("name"), "pk"):
        row = debriefs.get(company.pk, {})
        reached = [s for s in STAGE_ORDER if s in seen[company.pk]]
        interest = row.get("interest")
        out.append(
            {
                "company": company,
                "debriefs": row.get("n", 0),
                "overall_interest": round(interest, 2) if interest is not None else None,
                "stage": reached[-1] if reached else "",
                "opportunities": company.n_opps,
            }
        )
    return out


def compare_companies(user, companies: list[Company]) -> list[dict]:
    if not 2 <= len(companies) <= 5:
        raise ValidationError({"ids": "Choose 2 to 5 companies to compare."})
    if any(c.owner_id != user.pk for c in companies):
        raise ValidationError({"ids": "No such company."})
    items = []
    for company in companies:
        debriefs = list(company_debriefs(user, company).select_related("interview"))
        stage = stage_reached(company)
        items.append(
            {
                "id": company.pk,
                "name": company.name,
                "industry": company.industry,
                "ratings": company_ratings(user, company),
                "overall_interest": _mean_interest(debriefs),
                "likes": [x["text"] for x in _lines(debriefs, "likes")],
                "dislikes": [x["text"] for x in _lines(debriefs, "dislikes")],
                "stage": stage,
                "stage_label": Status(stage).label if stage else "",
                "debriefs": len(debriefs),
                "compensation": _compensation(user, company),
            }
        )
    return items


def _compensation(user, company: Company) -> dict | None:
    """The company's latest offer: base salary and 4-year total (decimal strings), or None."""
    from sayyes.offers.models import Offer
    from sayyes.offers.services import total_4y

    offer = (
        Offer.objects.filter(owner=user, opportunity__company=company)
        .order_by("-created_at", "-id")
        .first()
    )
    if offer is None:
        return None
    return {
        "offer_id": offer.pk,
        "status": offer.status,
        "currency": offer.currency,
        "base_salary": str(offer.base_salary),
        "total_4y": str(total_4y(offer)),
    }


# --- What you value ------------------------------------------------------------------------


def what_you_value(user) -> dict:
    """How each dimension goes with your overall interest, across your debriefs.

    Pearson's correlation per dimension over the debriefs that rate both; shown only
    from :data:`MIN_DEBRIEFS_FOR_VALUES` debriefs with an overall interest.
    """
    rows = list(
        Debrief.objects.filter(owner=user, overall_interest__isnull=False).values_list(
            "ratings", "overall_interest"
        )
    )
    result = {"debriefs": len(rows), "needed": MIN_DEBRIEFS_FOR_VALUES, "enough": False}
    result["dimensions"] = []
    if len(rows) < MIN_DEBRIEFS_FOR_VALUES:
        return result
    result["enough"] = True
    for name in dimensions(user):
        pairs = [(r[name], o) for r, o in rows if isinstance((r or {}).get(name), int)]
        if len(pairs) < 3:
            continue
        xs, ys = zip(*pairs, strict=True)
        try:
            r = statistics.correlation(xs, ys)
        except statistics.StatisticsError:
            continue  # every rating the same: nothing to learn yet
        strength = abs(r)
        words = (
            "strongly"
            if strength >= 0.7
            else "clearly"
            if strength >= 0.4
            else "a little"
            if strength >= 0.2
            else "hardly"
        )
        direction = "goes with" if r >= 0 else "goes against"
        result["dimensions"].append(
            {
                "name": name,
                "correlation": round(r, 2),
                "pairs": len(pairs),
                "summary": f"{name.capitalize()} {words} {direction} your overall interest"
                if strength >= 0.2
                else f"{name.capitalize()} hardly moves your overall interest",
            }
        )
    result["dimensions"].sort(key=lambda d: -abs(d["correlation"]))
    return result


# --- Industry insights ---------------------------------------------------------------------


def industries(user) -> list[str]:
    names = set(
        Company.objects.filter(owner=user).exclude(industry="").values_list("industry", flat=True)
    )
    return [i for i in INDUSTRIES if i in names]


def _mentions(low_text: str, low_term: str) -> bool:
    """Whether the lower-cased text says the lower-cased term as whole words."""
    if low_term not in low_text:
        return False
    return re.search(r"(?<!\w)" + re.escape(low_term) + r"(?!\w)", low_text) is not None


# Words every job ad uses: alone, they are not a theme ("paid time off" still is).
GENERIC_TERMS = frozenset(
    """day days week weeks month months year years time paid office team teams company role
    roles job jobs position work working people opportunity experience salary benefits
    benefit per full part hours hour new great""".split()
)


def _is_theme(term: str) -> bool:
    words = term.split()
    if len(words) == 1 and (term.lower() in GENERIC_TERMS or term.isupper() and len(term) == 3):
        return False  # a generic word, or a currency code such as USD
    if "of" in words[1:-1] and words[-1].lower() in GENERIC_TERMS:
        return False  # "days of paid": a piece of "days of paid time off"
    return words[0].lower() not in {"of", "and", "or"} and words[-1].lower() not in {"of", "and"}


# Sentences of a posting that state what the job asks for.
REQUIREMENT_CUES = re.compile(
    r"\b(requir\w*|must|experience|you have|you bring|skills?|knowledge|degree|proficien\w*|"
    r"familiar\w*|background in|years of|qualif\w*|certif\w*|fluent)\b",
    re.I,
)


def _requirement_sentences(text: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
    return "\n".join(s for s in sentences if REQUIREMENT_CUES.search(s))


def _themes(documents: list[tuple[Company, str]], limit: int = 15) -> list[dict]:
    """Key terms across (company, text) documents, with how many mention each."""
    from sayyes.practice.coach.terms import extract_terms

    candidates: dict[str, str] = {}
    for company, text in documents:
        for term in extract_terms(text):
            if _is_theme(term) and not _names_company(term, company):
                candidates.setdefault(term.lower(), term)
    documents = [(company.name, text.lower()) for company, text in documents]
    themes = []
    for low, term in candidates.items():
        sources = [name for name, text in documents if _mentions(text, low)]
        if sources:
            themes.append({"term": term, "count": len(sources), "companies": sorted(set(sources))})
    # Longer terms first among equals, so "parental leave" is kept over "parental".
    themes.sort(
        key=lambda t: (-t["count"], -len(t["companies"]), -len(t["term"]), t["term"].lower())
    )
    # A shorter term said by exactly the same sources as a longer one adds nothing.
    kept: list[dict] = []
    for theme in themes:
        if any(
            theme["term"].lower() in k["term"].lower()
            and theme["count"] == k["count"]
            and theme["companies"] == k["companies"]
            for k in kept
        ):
            continue
        kept.append(theme)
    return kept[:limit]


# Insights read at most this many postings, the most recently updated.
MAX_INSIGHT_POSTINGS = 300


def industry_insights(user, industry: str = "") -> dict:
    """What your own debriefs and postings say about an industry ("" for all of them)."""
    industry = (industry or "").strip()
    if industry:
        match = next((i for i in INDUSTRIES if i.lower() == industry.lower()), None)
        if match is None:
            raise ValidationError(
                {
                    "industry": f"{industry!r} is not an industry. Use one of: {', '.join(INDUSTRIES)}."
                }
            )
        industry = match
    companies = Company.objects.filter(owner=user)
    if industry:
        companies = companies.filter(industry=industry)
    companies = list(companies.order_by("name"))
    ids = [c.pk for c in companies]
    debriefs = list(
        Debrief.objects.filter(
            owner=user, interview__opportunity__company_id__in=ids
        ).select_related("interview__opportunity__company")
    )
    from sayyes.pipeline.models import Opportunity

    with_posting = Opportunity.objects.filter(owner=user, company_id__in=ids).exclude(
        posting_text=""
    )
    postings_total = with_posting.count()
    postings = [  # the most recent ones: key terms cost a few ms per posting
        (o.company, o.posting_text)
        for o in with_posting.select_related("company").order_by("-updated_at", "-id")[
            :MAX_INSIGHT_POSTINGS
        ]
    ]
    learned = [
        (
            d.interview.opportunity.company,
            "\n".join(
                getattr(d, f)
                for f in ("learned_strategy", "learned_goals", "likes", "dislikes", "notes")
                if getattr(d, f).strip()
            ),
        )
        for d in debriefs
    ]
    learned = [doc for doc in learned if doc[1]]
    requirements = [(company, _requirement_sentences(text)) for company, text in postings] + [
        (d.interview.opportunity.company, d.learned_requirements)
        for d in debriefs
        if d.learned_requirements.strip()
    ]
    asked = Counter()
    asked_companies: dict[str, set[str]] = defaultdict(set)
    asked_text: dict[str, str] = {}
    for q in Question.objects.filter(
        owner=user, source=Source.REAL, company_id__in=ids
    ).select_related("company"):
        key = str(q.based_on_id) if q.based_on_id else _norm(q.text)
        asked[key] += 1
        asked_text.setdefault(key, q.text)
        if q.company:
            asked_companies[key].add(q.company.name)
    by_company: dict[int, list[Debrief]] = defaultdict(list)
    for d in debriefs:
        by_company[d.interview.opportunity.company_id].append(d)
    interest = []
    for company in companies:
        mine = by_company.get(company.pk, [])
        if mine:
            interest.append(
                {
                    "company_id": company.pk,
                    "company": company.name,
                    "overall_interest": _mean_interest(mine),
                    "debriefs": len(mine),
                }
            )
    return {
        "industry": industry,
        "industries": industries(user),
        "companies": [c.name for c in companies],
        "debriefs": len(debriefs),
        "postings": len(postings),
        "postings_total": postings_total,
        "themes": _themes(postings + learned),
        "requirements": _themes(requirements, limit=10),
        "questions": [
            {"text": asked_text[k], "count": n, "companies": sorted(asked_companies[k])}
            for k, n in asked.most_common(10)
        ],
        "interest": interest,
    }
