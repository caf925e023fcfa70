"""Mock interview pages: start one, the turn page (the interviewer speaks, you answer), the
report. Access helpers 404 on anyone else's mock, opportunity or interview."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from sayyes.core.errors import BadParameter, NotFound
from sayyes.core.forms import confirm_delete, render_form
from sayyes.core.ids import parse_id
from sayyes.pipeline.models import ACTIVE_STATUSES, Interview, Opportunity
from sayyes.validation import apply_errors

from ..forms import AnswerForm
from ..models import Mock, MockKind
from . import services
from .personas import PERSONAS, ROUNDS
from .report import report as build_report


def _get_mock_for_user(request, pk) -> Mock:
    return Mock.objects.select_related("opportunity__company", "interview").get_for(
        request.user, pk
    )


class MockStartForm(forms.Form):
    kind = forms.ChoiceField(label="Round", choices=MockKind.choices, initial=MockKind.BEHAVIORAL)
    questions = forms.IntegerField(
        label="Questions", min_value=1, max_value=services.MAX_QUESTIONS, initial=4,
        help_text="1 to 12. Follow-up questions come on top.",
    )  # fmt: skip
    opportunity = forms.ModelChoiceField(
        queryset=Opportunity.objects.none(),
        required=False,
        label="For an opportunity (optional)",
        help_text="Questions asked at that company and its posting's terms come first.",
    )
    interview = forms.ModelChoiceField(
        queryset=Interview.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        opportunities = self.fields["opportunity"]
        opportunities.queryset = (
            Opportunity.objects.owned_by(user)
            .filter(status__in=ACTIVE_STATUSES)
            .select_related("company")
            .order_by("company__name", "title")
        )
        opportunities.label_from_instance = lambda o: f"{o.company.name} — {o.title}"
        self.fields["interview"].queryset = Interview.objects.owned_by(user)


def _interview_from_query(request) -> Interview | None:
    raw = request.GET.get("interview")
    if not raw:
        return None
    try:
        return Interview.objects.select_related("opportunity__company").get_for(
            request.user, parse_id(raw)
        )
    except (BadParameter, NotFound):
        raise NotFound("No such interview.") from None


@login_required
def mock_new(request):
    """Choose a round, how many questions, and what for; then the first question."""
    initial: dict = {}
    interview = _interview_from_query(request)
    if interview is not None:
        initial = {
            "kind": services.kind_for_interview(interview),
            "interview": interview.pk,
            "opportunity": interview.opportunity_id,
        }
    elif request.GET.get("kind") in MockKind.values:
        initial = {"kind": request.GET["kind"]}
    form = MockStartForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mock = services.start_mock(
                request.user,
                kind=data["kind"],
                count=data["questions"],
                opportunity=data["opportunity"],
                interview=data["interview"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(mock)
    if request.method == "POST" and form.cleaned_data.get("interview"):
        interview = form.cleaned_data["interview"]
    past = Mock.objects.owned_by(request.user).order_by("-created_at", "-id")[:10]
    return render_form(
        request,
        "practice/mock_new.html",
        {"form": form, "interview": interview, "rounds": ROUNDS.values(), "past": past},
        form,
    )


@login_required
def mock_page(request, pk):
    """The current turn: who asks, what (spoken and shown), a timer; answer typed or spoken."""
    mock = _get_mock_for_user(request, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and not mock.finished and form.is_valid():
        try:
            services.answer_text(
                mock,
                form.cleaned_data["text"],
                duration_seconds=form.cleaned_data.get("duration_seconds") or None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(mock)
    step = services.step(mock)
    if step.mock.finished:
        return redirect("mock_report", pk=mock.pk)
    turn = step.turn
    context = {
        "mock": step.mock,
        "turn": turn,
        "persona": PERSONAS[turn.persona] if turn else None,
        "step": step,
        "form": form,
        "suggestions": services.suggestions(mock) if turn and turn.closing else [],
        "earlier": step.mock.turns.filter(position__lt=turn.position).select_related("question")
        if turn
        else [],
    }
    if request.htmx and step.waiting:  # the waiting panel, polled until the transcript is in
        return render(request, "practice/_mock_waiting.html", context)
    if request.htmx:  # ready: load the whole page, with the next turn
        response = render(request, "practice/_mock_waiting.html", context)
        response["HX-Refresh"] = "true"
        return response
    return render_form(request, "practice/mock.html", context, form)


@login_required
def mock_report(request, pk):
    mock = services.refresh(_get_mock_for_user(request, pk))
    return render(
        request,
        "practice/mock_report.html",
        {"mock": mock, "report": build_report(mock), "round": ROUNDS[mock.kind]},
    )


@login_required
def mock_delete(request, pk):
    mock = _get_mock_for_user(request, pk)
    return confirm_delete(
        request,
        mock,
        what="mock interview",
        delete=lambda: services.delete_mock(mock),
        cancel_url=reverse("mock_report", args=[mock.pk]),
        done_url=reverse("mock_new"),
        consequence="Your answers stay in your practice history.",
        done_message="Mock interview deleted.",
    )
