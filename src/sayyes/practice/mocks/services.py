"""Mock interviews: start one, answer its turns (typed or spoken), let the coach ask follow-ups.

Every door (pages, API, CLI) calls these. Each question's answer is a practice Answer, so it
is scored and scheduled for review like any other; what you add in follow-ups is added to
that answer (its text, feedback and score are for the whole), and the question is scheduled
once, from where its review card stood before the mock.

A spoken answer is transcribed by the worker like any voice answer; :func:`refresh` moves
the mock on once the transcript is there (the pages and the API call it when they are read).
"""

from __future__ import annotations

import logging
import math
import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone

from sayyes.pipeline.models import Interview, Opportunity

from .. import services, voice
from ..coach.qtypes import classify
from ..models import (
    Answer,
    AnswerStatus,
    Category,
    Mock,
    MockKind,
    MockStatus,
    MockTurn,
    Question,
    Source,
    TurnKind,
)
from .followups import facts_from_feedback, next_follow_up
from .personas import FROM_INTERVIEW, PERSONAS, ROUNDS, closing_line, opening_line, transition

log = logging.getLogger(__name__)

MAX_QUESTIONS = 12
WEAK_SCORE = 60  # a category you average under this in practice is one to work on


def asks_for_a_story(question: Question) -> bool:
    """Behavioural: it asks what you did once (so a story with an action and result is due).
    The coach's question type says so: the bank's for a built-in question, else the wording's."""
    return (services.question_type(question) or classify(question.text)) == "behavioural"


# --- Starting ---------------------------------------------------------------------------------------


def kind_for_interview(interview: Interview) -> str:
    return FROM_INTERVIEW.get(interview.kind, MockKind.BEHAVIORAL)


def _check_start(user, kind: str, count: int, opportunity, interview) -> None:
    errors = {}
    if kind not in MockKind.values:
        errors["kind"] = f"{kind!r} is not a round kind. Use one of: {', '.join(MockKind.values)}."
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_QUESTIONS:
        errors["questions"] = f"A mock interview has between 1 and {MAX_QUESTIONS} questions."
    if opportunity is not None and opportunity.owner_id != user.pk:
        errors["opportunity_id"] = "No such opportunity."
    if interview is not None and interview.owner_id != user.pk:
        errors["interview_id"] = "No such interview."
    if errors:
        raise ValidationError(errors)


def weak_categories(user) -> list[str]:
    """Categories you average under WEAK_SCORE in practice, weakest first."""
    rows = (
        Answer.objects.owned_by(user)
        .filter(status=AnswerStatus.DONE)
        .values("question__category")
        .annotate(avg=Avg("score"), n=Count("id"))
        .order_by("avg")
    )
    return [r["question__category"] for r in rows if r["avg"] is not None and r["avg"] < WEAK_SCORE]


def _posting_terms(opportunity: Opportunity | None) -> list[str]:
    if opportunity is None or not opportunity.posting_text:
        return []
    from ..coach import extract_terms

    return [t for t in extract_terms(opportunity.posting_text) if len(t) > 3][:8]


def plan_questions(
    user,
    *,
    kind: str,
    count: int,
    opportunity: Opportunity | None = None,
    seed: int | None = None,
) -> list[int]:
    """The questions of a mock, in order.

    First the questions really asked at the opportunity's company (up to half), then
    questions naming the posting's key terms (up to a third), then the round's categories in
    turn, your weak categories first; role-specific questions only for the company's industry.
    """
    services.ensure_bank()
    round_ = ROUNDS[kind]
    rng = random.Random(seed)
    pool = services.visible_questions(user).exclude(category=Category.CLOSING)
    picked: list[int] = []

    def take(ids: list[int], limit: int) -> None:
        for qid in ids:
            if len(picked) >= min(limit, count):
                return
            if qid not in picked:
                picked.append(qid)

    def shuffled(qs) -> list[int]:
        ids = list(qs.values_list("id", flat=True))
        rng.shuffle(ids)
        return ids

    if opportunity is not None:
        real = Question.objects.owned_by(user).filter(
            source=Source.REAL, company=opportunity.company
        )
        take(shuffled(real), max(1, count // 2))
        terms = _posting_terms(opportunity)
        if terms:
            named = [
                q.id
                for q in pool.filter(category__in=round_.categories)
                if any(t.lower() in q.text.lower() for t in terms)
            ]
            rng.shuffle(named)
            take(named, len(picked) + max(1, count // 3))
    industry = opportunity.company.industry if opportunity is not None else ""
    weak = [c for c in weak_categories(user) if c in round_.categories]
    order = [*weak, *round_.categories]
    by_category: dict[str, list[int]] = {}
    for i in range(count * 3):
        if len(picked) >= count:
            break
        category = order[i % len(order)]
        if category not in by_category:
            qs = pool.filter(category=category)
            ids = shuffled(qs)
            if category == Category.ROLE_SPECIFIC:
                # Only for the company's industry: another industry's questions would puzzle.
                ids = [q.id for q in qs if industry and industry in q.industries]
                rng.shuffle(ids)
            by_category[category] = ids
        ids = by_category[category]
        while ids and ids[0] in picked:
            ids.pop(0)
        if ids:
            take([ids.pop(0)], count)
    take(shuffled(pool.exclude(category=Category.ROLE_SPECIFIC)), count)
    return picked


@transaction.atomic
def start_mock(
    user,
    *,
    kind: str,
    count: int,
    opportunity: Opportunity | None = None,
    interview: Interview | None = None,
    seed: int | None = None,
) -> Mock:
    """Plan the questions and ask the first one."""
    _check_start(user, kind, count, opportunity, interview)
    if interview is not None and opportunity is None:
        opportunity = interview.opportunity
    ids = plan_questions(user, kind=kind, count=count, opportunity=opportunity, seed=seed)
    if not ids:
        raise ValidationError({"questions": "There are no questions to ask: the bank is empty."})
    mock = Mock.objects.create(
        owner=user, kind=kind, opportunity=opportunity, interview=interview, question_ids=ids
    )
    _ask_question(mock, 0)
    return mock


def _persona_for(mock: Mock, number: int) -> str:
    personas = ROUNDS[mock.kind].personas
    return personas[number % len(personas)]


def _ask_question(mock: Mock, index: int, previous: MockTurn | None = None) -> MockTurn:
    question = services.visible_questions(mock.owner).filter(pk=mock.question_ids[index]).first()
    persona_key = _persona_for(mock, index)
    persona = PERSONAS[persona_key]
    if index == 0:
        opp = mock.opportunity
        lead = opening_line(
            ROUNDS[mock.kind],
            persona,
            count=len(mock.question_ids),
            role=opp.title if opp else "",
            company=opp.company.name if opp else "",
        )
    else:
        before = PERSONAS.get(previous.persona) if previous else None
        lead = transition(index + 1, persona, before)
    text = question.text if question else "Tell me about something you are proud of at work."
    return _add_turn(
        mock, kind=TurnKind.QUESTION, question=question, persona=persona_key, text=f"{lead} {text}"
    )


def _add_turn(mock: Mock, **fields) -> MockTurn:
    position = mock.turns.count()
    return MockTurn.objects.create(mock=mock, position=position, **fields)


# --- Where a mock stands ----------------------------------------------------------------------------


def current_turn(mock: Mock) -> MockTurn | None:
    """The turn waiting for your answer (or for its transcript); None once finished."""
    if mock.finished:
        return None
    return mock.turns.select_related("answer", "question").order_by("-position").first()


def question_number(mock: Mock, turn: MockTurn) -> int:
    return mock.turns.filter(kind=TurnKind.QUESTION, position__lte=turn.position).count()


def waiting(turn: MockTurn | None) -> bool:
    """A recording of this turn's answer is still being transcribed."""
    return bool(turn and turn.answer_id and turn.answered_at is None)


def suggestions(mock: Mock, limit: int = 3) -> list[str]:
    """Questions to ask them at the close: your own saved ones, else good general ones."""
    mine = Question.objects.owned_by(mock.owner).filter(category=Category.CLOSING)
    texts = list(mine.order_by("-created_at").values_list("text", flat=True)[:limit])
    if not texts:
        bank = Question.objects.filter(source=Source.BUILTIN, category=Category.CLOSING)
        texts = list(bank.order_by("id").values_list("text", flat=True)[:limit])
    return texts


# --- Answering --------------------------------------------------------------------------------------


def _lock(mock: Mock) -> Mock:
    return Mock.objects.select_for_update().get(pk=mock.pk)


def _open_turn(mock: Mock, field: str) -> MockTurn:
    if mock.finished:
        raise ValidationError({field: "This mock interview is finished: start a new one."})
    turn = current_turn(mock)
    if turn is None:  # pragma: no cover - an unfinished mock always has a turn
        raise ValidationError({field: "This mock interview has no question waiting."})
    if waiting(turn):
        raise ValidationError(
            {field: "Your recorded answer is still being transcribed: wait for the next question."}
        )
    return turn


@transaction.atomic
def answer_text(mock: Mock, text: str, *, duration_seconds: float | None = None) -> Mock:
    """Answer the current turn by typing; the mock moves on (a follow-up, the next question…)."""
    mock = _lock(mock)
    turn = _open_turn(mock, "text")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write your answer first."})
    if len(text) > services.MAX_ANSWER_CHARS:
        raise ValidationError(
            {"text": f"An answer has at most {services.MAX_ANSWER_CHARS:,} characters."}
        )
    if duration_seconds is not None and not (
        isinstance(duration_seconds, int | float)
        and math.isfinite(duration_seconds)
        and 0 < duration_seconds <= 3600
    ):
        raise ValidationError({"duration_seconds": "A duration is between 0 and 3,600 seconds."})
    if turn.closing or turn.question is None:
        _complete(mock, turn, text, duration_seconds, {})
        return mock
    if turn.kind == TurnKind.QUESTION:
        answer = services.record_answer(
            mock.owner,
            turn.question,
            text,
            duration_seconds=duration_seconds,
            opportunity=mock.opportunity,
        )
        turn.answer = answer
        _complete(mock, turn, text, duration_seconds, answer.feedback)
    else:
        feedback = services.feedback_for(
            turn.question.text, text, duration_seconds=duration_seconds
        )
        _complete(mock, turn, text, duration_seconds, feedback)
    return mock


@transaction.atomic
def answer_audio(mock: Mock, upload) -> Mock:
    """Answer the current turn with a recording; it is transcribed by the worker, then
    :func:`refresh` moves the mock on."""
    mock = _lock(mock)
    turn = _open_turn(mock, "audio")
    # The closing turn has no question of its own: its recording goes through the worker as
    # an answer to the last question, and is set aside once transcribed (see _move_on).
    question = _last_question_turn(mock).question if turn.closing else turn.question
    if question is None:
        raise ValidationError({"audio": "Type your answer: this turn takes a typed answer."})
    turn.answer = voice.submit_recording(mock.owner, question, upload, opportunity=mock.opportunity)
    turn.error = ""
    turn.save(update_fields=["answer", "error"])
    return mock


def refresh(mock: Mock) -> Mock:
    """Move on past a spoken answer once it is transcribed (or say why it could not be).

    Reads first, and opens a (writing) transaction only when there is something to do: the
    pages poll this every second while a recording is transcribed."""
    if mock.finished:
        return mock
    turn = current_turn(mock)
    if not waiting(turn) or turn is None or turn.answer is None or turn.answer.pending:
        return mock
    return _move_on(mock)


@transaction.atomic
def _move_on(mock: Mock) -> Mock:
    mock = _lock(mock)
    turn = current_turn(mock)
    if not waiting(turn) or turn is None or turn.answer is None:
        return mock
    answer = turn.answer
    if answer.pending:
        return mock
    if answer.status == AnswerStatus.FAILED:
        turn.error = answer.error or "The recording could not be transcribed."
        turn.answer = None
        turn.save(update_fields=["error", "answer"])
        voice.delete_answer(answer)
        return mock
    feedback = dict(answer.feedback)
    if turn.kind != TurnKind.QUESTION:
        # What you said in a follow-up joins the question's answer (in _complete); this
        # practice answer, made only to have it transcribed, goes.
        turn.answer = None
        voice.delete_answer(answer)
    if turn.closing:  # the last question is scheduled from its own answer again
        main = _last_question_turn(mock).answer
        if main is not None:
            services.rescore_answer(main, main.text, main.feedback)
    _complete(mock, turn, answer.text, answer.duration_seconds, feedback)
    return mock


def _last_question_turn(mock: Mock) -> MockTurn:
    return (
        mock.turns.filter(kind=TurnKind.QUESTION)
        .select_related("question", "answer")
        .order_by("-position")
        .first()
    ) or MockTurn(mock=mock)


def _complete(mock: Mock, turn: MockTurn, text: str, duration, feedback: dict) -> None:
    turn.reply = text
    turn.duration_seconds = duration
    turn.feedback = feedback
    turn.error = ""
    turn.answered_at = timezone.now()
    turn.save(
        update_fields=["answer", "reply", "duration_seconds", "feedback", "error", "answered_at"]
    )
    if turn.closing:
        _finish(mock)
        return
    group = _group(mock, turn)
    first = group[0]
    main = first.answer
    if turn.kind == TurnKind.FOLLOW_UP and main is not None and first.question is not None:
        story = _story_turns(group)
        combined = "\n\n".join(t.reply for t in story if t.reply)
        durations = [t.duration_seconds for t in story]
        total = sum(d for d in durations if d) if all(durations) else None
        whole = services.feedback_for(
            first.question.text,
            combined,
            duration_seconds=total,
            posting_text=mock.opportunity.posting_text if mock.opportunity else None,
            talking_points=first.question.talking_points,
        )
        main = services.rescore_answer(main, combined, whole)
    if main is not None and first.question is not None:
        facts = facts_from_feedback(
            main.text, main.feedback, behavioural=asks_for_a_story(first.question)
        )
        asked = [t.rule for t in group if t.kind == TurnKind.FOLLOW_UP]
        follow_up = next_follow_up(facts, asked, turn.persona)
        if follow_up is not None:
            _add_turn(
                mock,
                kind=TurnKind.FOLLOW_UP,
                question=first.question,
                persona=turn.persona,
                rule=follow_up.rule,
                text=follow_up.text,
            )
            return
    index = mock.turns.filter(kind=TurnKind.QUESTION).count()
    if index < len(mock.question_ids):
        _ask_question(mock, index, previous=turn)
        return
    persona = ROUNDS[mock.kind].personas[0]
    _add_turn(mock, kind=TurnKind.CLOSING, persona=persona, text=closing_line())


def _story_turns(group: list[MockTurn]) -> list[MockTurn]:
    """The turns whose answers make up the answer to a question: all of them, but once you
    were asked for a real example, that example replaces the "I would …" before it."""
    real = [i for i, t in enumerate(group) if t.rule == "real_example"]
    return group[real[-1] :] if real else group


def _group(mock: Mock, turn: MockTurn) -> list[MockTurn]:
    """The question ``turn`` belongs to, and its follow-ups so far, in order."""
    start = (
        mock.turns.filter(kind=TurnKind.QUESTION, position__lte=turn.position)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return list(
        mock.turns.filter(position__gte=start or 0, position__lte=turn.position)
        .select_related("answer", "question")
        .order_by("position")
    )


def _finish(mock: Mock) -> None:
    now = timezone.now()
    Mock.objects.filter(pk=mock.pk, status=MockStatus.IN_PROGRESS).update(
        status=MockStatus.FINISHED, finished_at=now
    )
    mock.status, mock.finished_at = MockStatus.FINISHED, now


@transaction.atomic
def delete_mock(mock: Mock) -> None:
    """Delete a mock; the practice answers it made stay in your practice history."""
    pending = mock.turns.exclude(kind=TurnKind.QUESTION).filter(answered_at__isnull=True)
    for turn in pending.select_related("answer"):
        if turn.answer is not None:  # a recording still being transcribed
            voice.delete_answer(turn.answer)
    mock.delete()


@dataclass
class Step:
    """Where a mock stands, for the pages, the API and the CLI."""

    mock: Mock
    turn: MockTurn | None
    waiting: bool
    number: int  # the question's number (1-based), 0 when finished
    total: int


def step(mock: Mock) -> Step:
    mock = refresh(mock)
    turn = current_turn(mock)
    return Step(
        mock=mock,
        turn=turn,
        waiting=waiting(turn),
        number=question_number(mock, turn) if turn else 0,
        total=len(mock.question_ids),
    )
