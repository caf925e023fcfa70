"""Questions to ask the employer in an interview, each with why it is suggested, and the
ones the user keeps for it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from sayyes.core import prose
from sayyes.pipeline.models import Interview
from sayyes.practice.models import Category, Persona, Question

from .debriefs import company_debriefs
from .models import QuestionToAsk
from .text import names_company, norm_text


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


def persona_for_title(title: str) -> Persona | None:
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
    from sayyes.practice.coach.jobterms import extract_terms
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
        key = norm_text(text)
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
            if persona is None:  # a title of only spaces says nothing about the role
                continue
            why = (
                f"You meet {person.name} ({person.title}) in this {kind_label}: "
                f"{_PERSONA_REASON[persona]}."
            )
            first_with(lambda q, p=persona: q.persona == p, why, "round")
    else:
        persona = _KIND_PERSONA.get(interview.kind, Persona.HIRING_MANAGER)
        round_name = prose.a(kind_label)  # "an on site", "a panel"
        why = f"{round_name[:1].upper()}{round_name[1:]}: {_PERSONA_REASON[persona]}."
        first_with(lambda q: q.persona == persona, why, "round")
        first_with(lambda q: q.persona == persona, why, "round")

    # 2. The posting's key terms (not the company's own name).
    terms = [
        t for t in extract_terms(opportunity.posting_text or "") if not names_company(t, company)
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


def saved_questions(interview: Interview) -> QuerySet[QuestionToAsk]:
    return QuestionToAsk.objects.filter(interview=interview).order_by("position", "id")


@transaction.atomic
def save_questions_to_ask(interview: Interview, items: list[dict]) -> list[QuestionToAsk]:
    """Keep exactly these questions (in this order) for the interview."""
    cleaned: list[dict[str, str]] = []
    for i, item in enumerate(items):
        text = " ".join(str(item.get("text") or "").split())
        why = " ".join(str(item.get("why") or "").split())[:500]
        if not text:
            continue
        if len(text) > 1000:
            raise ValidationError({"questions": f"Question {i + 1} is over 1,000 characters."})
        if any(norm_text(text) == norm_text(c["text"]) for c in cleaned):
            continue
        cleaned.append({"text": text, "why": why})
    if len(cleaned) > 30:
        raise ValidationError({"questions": "Pick at most 30 questions."})
    QuestionToAsk.objects.filter(interview=interview).delete()
    return QuestionToAsk.objects.bulk_create(
        QuestionToAsk(owner=interview.owner, interview=interview, position=i, **c)
        for i, c in enumerate(cleaned)
    )
