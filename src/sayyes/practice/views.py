"""Practice pages. Access helpers 404 on anything that isn't the user's (or built-in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Max
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sayyes.core import prose
from sayyes.core.errors import BadParameter, NotFound
from sayyes.core.forms import confirm_delete, render_form
from sayyes.core.ids import parse_id
from sayyes.pipeline.models import ACTIVE_STATUSES, Opportunity
from sayyes.validation import apply_errors, error_text

from . import services
from .forms import AnswerForm, AskedForm, QuestionForm, StartForm
from .models import Answer, AnswerStatus, Category, MockKind, PracticeSession, Question, Source


def _get_session_for_user(request, pk) -> PracticeSession:
    return PracticeSession.objects.select_related("opportunity__company").get_for(request.user, pk)


def _get_question_for_user(request, pk) -> Question:
    """The user's own question or a built-in one (those belong to no one); 404 otherwise."""
    questions = services.visible_questions(request.user).select_related("company", "opportunity")
    try:
        return questions.get(pk=parse_id(pk))
    except (BadParameter, Question.DoesNotExist):
        raise NotFound("No such question.") from None


def _get_answer_for_user(request, pk) -> Answer:
    return Answer.objects.select_related("question", "session").get_for(request.user, pk)


@login_required
def home(request):
    services.ensure_bank()
    user = request.user
    counts = dict(services.visible_questions(user).values_list("category").annotate(n=Count("id")))
    done = Answer.objects.owned_by(user).filter(status=AnswerStatus.DONE)
    recent = done.select_related("question")[:8]
    opportunities = (
        Opportunity.objects.owned_by(user)
        .filter(status__in=ACTIVE_STATUSES)
        .select_related("company")
        .order_by("-updated_at")[:12]
    )
    stats = done.aggregate(n=Count("id"), avg=Avg("score"))
    return render(
        request,
        "practice/home.html",
        {
            "categories": [
                (value, label, counts.get(value, 0))
                for value, label in Category.choices
                if value != "closing"
            ],
            "closing_count": counts.get("closing", 0),
            "due": services.due_count(user),
            "recent": recent,
            "opportunities": opportunities,
            "stats": stats,
            "start_form": StartForm(user=user),
            "mock_kinds": MockKind.choices,
        },
    )


@login_required
@require_POST
def start(request):
    form = StartForm(request.POST, user=request.user)
    question_id = request.POST.get("question")
    if question_id:
        question = _get_question_for_user(request, question_id)
        session = PracticeSession.objects.create(
            owner=request.user,
            mode=PracticeSession.Mode.CATEGORY,
            category=question.category,
            question_ids=[question.pk],
        )
        return redirect(session)
    if not form.is_valid():
        messages.error(
            request,
            "Choose how to practise: a category or an opportunity, and between 1 and 50 questions.",
        )
        return redirect("practice_home")
    try:
        session = services.start_session(
            request.user,
            mode=form.cleaned_data["mode"],
            category=form.cleaned_data["category"] or "",
            opportunity=form.cleaned_data["opportunity"],
            count=form.cleaned_data["count"],
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("practice_home")
    return redirect(session)


@login_required
def session_page(request, pk):
    session = _get_session_for_user(request, pk)
    question = services.current_question(session)
    answer = None
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if question is None:
            return redirect(session)
        if form.is_valid():
            try:
                answer = services.record_answer(
                    request.user,
                    question,
                    form.cleaned_data["text"],
                    session=session,
                    duration_seconds=form.cleaned_data.get("duration_seconds") or None,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if request.htmx:
                    return render(
                        request, "practice/_feedback.html", {"answer": answer, "session": session}
                    )
                return redirect(f"{session.get_absolute_url()}?answer={answer.pk}")
        if request.htmx:  # the feedback slot asked: it gets a fragment, never a whole page
            return render_form(request, "practice/_answer_error.html", {"form": form}, form)
    elif request.GET.get("answer"):
        try:
            answer = Answer.objects.filter(session=session, question=question).get_for(
                request.user, request.GET["answer"]
            )
        except NotFound:  # an old or junk link: the question, without that answer
            answer = None
        if answer and request.htmx:  # a voice answer's feedback slot, polled while it waits
            return render(request, "practice/_answer.html", {"answer": answer, "session": session})
        if answer:
            form = AnswerForm(initial={"text": answer.text})
    questions = services.visible_questions(request.user).in_bulk(session.question_ids)
    answered = set(session.answers.values_list("question_id", flat=True))
    return render_form(
        request,
        "practice/session.html",
        {
            "session": session,
            "question": question,
            "answer": answer,
            "form": form,
            "number": session.position + 1,
            "total": len(session.question_ids),
            "plan": [(questions.get(qid), qid in answered) for qid in session.question_ids],
            "summary": session.answers.filter(status=AnswerStatus.DONE)
            .select_related("question")
            .order_by("created_at")
            if question is None
            else None,
        },
        form,
    )


@login_required
@require_POST
def session_next(request, pk):
    session = _get_session_for_user(request, pk)
    if not session.finished:
        services.advance(session)
    # To the question itself (focusable): the keyboard and screen reader land on it.
    return redirect(f"{session.get_absolute_url()}#question")


@login_required
@require_POST
def answer_rate(request, pk):
    answer = _get_answer_for_user(request, pk)
    try:
        services.rate_answer(answer, int(request.POST.get("self_rating", "0")))
    except (ValueError, ValidationError) as exc:
        message = error_text(exc) if isinstance(exc, ValidationError) else "Rate 1 to 4."
        messages.error(request, message)
    else:
        messages.success(
            request, f"Saved. This question comes back on {answer.next_review_at:%b %d}."
        )
    if answer.session_id:
        return redirect(f"{answer.session.get_absolute_url()}?answer={answer.pk}")
    return redirect(answer.question)


@login_required
def question_list(request):
    services.ensure_bank()
    params = {k: request.GET.get(k, "") for k in ("q", "category", "source")}
    error = None
    try:
        qs = services.search_questions(request.user, **params)
    except ValidationError as exc:
        error, qs = error_text(exc), Question.objects.none()
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_form(
        request,
        "practice/question_list.html",
        {
            "page": page,
            "params": params,
            "error": error,
            "querystring": query.urlencode(),
            "categories": Category.choices,
            "sources": Source.choices,
        },
        error,
    )


@login_required
def question_detail(request, pk):
    question = _get_question_for_user(request, pk)
    answers = (
        Answer.objects.owned_by(request.user)
        .filter(question=question, status=AnswerStatus.DONE)
        .order_by("created_at")
    )
    history = [{"at": a.created_at.isoformat(), "score": a.score} for a in answers]
    review = question.reviews.owned_by(request.user).first()
    return render(
        request,
        "practice/question_detail.html",
        {
            "question": question,
            "answers": answers.reverse(),
            "history": history,
            "review": review,
            "asked_form": AskedForm(user=request.user),
            "best": answers.aggregate(best=Max("score"))["best"],
        },
    )


@login_required
def question_new(request):
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.create_question(request.user, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Question added to your bank.")
            return redirect(question)
    return render_form(
        request,
        "practice/question_form.html",
        {"form": form, "creating": True},
        form,
    )


@login_required
def question_edit(request, pk):
    question = Question.objects.get_for(request.user, pk)
    initial = {
        "text": question.text,
        "category": question.category,
        "persona": question.persona,
        "difficulty": question.difficulty,
        "competencies": ", ".join(question.competencies),
        "talking_points": "\n".join(question.talking_points),
    }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(question, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Question saved.")
            return redirect(question)
    return render_form(
        request,
        "practice/question_form.html",
        {"form": form, "question": question},
        form,
    )


@login_required
def question_delete(request, pk):
    question = Question.objects.get_for(request.user, pk)
    answers = question.answers.count()
    return confirm_delete(
        request,
        question,
        what="question",
        delete=lambda: services.delete_question(question),
        cancel_url=question.get_absolute_url(),
        done_url=reverse("question_list"),
        consequence=(
            f"Your {prose.count(answers, 'answer')} to it {'goes' if answers == 1 else 'go'} with it."
        ),
        done_message="Question deleted.",
    )


@login_required
@require_POST
def question_asked(request, pk):
    question = _get_question_for_user(request, pk)
    form = AskedForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "Choose the opportunity it was asked for.")
        return redirect(question)
    real = services.mark_asked(request.user, question, form.cleaned_data["opportunity"])
    messages.success(
        request,
        f"Noted: asked at {real.company}. It will come back first when you practise for them.",
    )
    return redirect(real)


@login_required
def answer_audio(request, pk):
    """A recording, only for its owner, as an attachment (never from a public URL)."""
    answer = _get_answer_for_user(request, pk)
    path = answer.audio_path
    if path is None or not path.is_file():
        raise Http404("No recording.")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"answer-{answer.pk}{path.suffix}",
        content_type=answer.audio_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
