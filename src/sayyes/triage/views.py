"""Say yes pages: an interview's prep page, its triage, and the deal-breakers in settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sayyes.core.forms import render_form
from sayyes.network.services import mailto_link
from sayyes.pipeline.models import Interview, InterviewStatus
from sayyes.validation import apply_errors, error_text

from . import checklist, costs, services
from .forms import DealBreakersForm, ItemForm, TravelForm
from .models import ChecklistItem, DealBreakers, Recommendation, Triage


def _get_interview_for_user(request, pk) -> Interview:
    return (
        Interview.objects.select_related("opportunity__company")
        .prefetch_related("interviewers")
        .get_for(request.user, pk)
    )


def _get_item_for_user(request, pk) -> ChecklistItem:
    return ChecklistItem.objects.get_for(request.user, pk)


def _progress(interview) -> dict:
    items = ChecklistItem.objects.filter(interview=interview)
    return {"total": items.count(), "done": items.filter(done=True).count()}


@login_required
def prep(request, pk):
    interview = _get_interview_for_user(request, pk)
    triage = Triage.objects.filter(interview=interview).first()
    return render(
        request,
        "triage/prep.html",
        {
            "interview": interview,
            "triage": triage,
            "recommendation": Recommendation(triage.recommendation) if triage else None,
            "items": checklist.items_for(interview),
            "progress": _progress(interview),
            "item_form": ItemForm(),
            "invited": interview.status == InterviewStatus.INVITED,
        },
    )


@login_required
@require_POST
def checklist_add(request, pk):
    interview = _get_interview_for_user(request, pk)
    text = request.POST.get("text")
    if text is None:
        added = checklist.ensure_checklist(interview)
        messages.success(request, f"Your prep checklist is ready ({added} items).")
    else:
        try:
            checklist.add_item(interview, text)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    return redirect("interview_detail", pk=interview.pk)


@login_required
@require_POST
def checklist_toggle(request, pk):
    item = _get_item_for_user(request, pk)
    wanted = request.POST.get("done")
    done = (wanted == "1") if wanted in ("0", "1") else not item.done
    checklist.set_done(item, done)
    if request.htmx:
        return render(
            request,
            "triage/_item.html",
            {"item": item, "progress": _progress(item.interview_id), "oob": True},
        )
    return redirect("interview_detail", pk=item.interview_id)


@login_required
def triage_page(request, pk):
    interview = _get_interview_for_user(request, pk)
    stored = Triage.objects.filter(interview=interview).first()
    if request.method == "POST":
        action = request.POST.get("action", "")
        travel_form = TravelForm(request.POST)
        if travel_form.is_valid():
            travel = travel_form.cleaned_data["travel_minutes"]
            try:
                if action in services.DECISIONS:
                    services.decide(interview, action, travel_minutes=travel)
                else:
                    services.triage(interview, travel_minutes=travel)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
                return redirect("interview_triage", pk=interview.pk)
            interview.refresh_from_db()
            if action == "accept":
                messages.success(
                    request,
                    "Accepted: the interview is scheduled and your prep checklist is ready. "
                    "Send your reply if you haven't yet.",
                )
                return redirect("interview_detail", pk=interview.pk)
            if action == "decline":
                messages.success(request, "Declined: the interview is cancelled.")
                return redirect("interview_detail", pk=interview.pk)
            if action == "reschedule":
                messages.success(
                    request,
                    "Noted: send the reschedule reply below, then change the interview's time "
                    "once they confirm.",
                )
            else:
                messages.success(request, "Travel time saved; the triage is updated.")
            return redirect("interview_triage", pk=interview.pk)
    else:
        travel_form = TravelForm(
            initial={"travel_minutes": stored.travel_minutes if stored else None}
        )
    travel = stored.travel_minutes if stored else None
    assessment = services.assess(interview, travel_minutes=travel)
    subject = f"Interview for {interview.opportunity.title} at {interview.opportunity.company.name}"
    to = ",".join(c.email for c in interview.interviewers.all() if c.email)
    replies = [
        {
            "key": key,
            "title": title,
            "text": assessment.replies[key],
            "mailto": mailto_link(
                {"to": to, "subject": f"Re: {subject}", "body": assessment.replies[key]}
            ),
        }
        for key, title in (
            ("accept", "Accept"),
            ("reschedule", "Ask for another time"),
            ("decline", "Decline, keeping the door open"),
        )
    ]
    chart = {
        "labels": [r.label for r in assessment.reasons],
        "scores": [r.score for r in assessment.reasons],
    }
    return render_form(
        request,
        "triage/triage.html",
        {
            "interview": interview,
            "assessment": assessment,
            "recommendation": Recommendation(assessment.recommendation),
            "stored": stored,
            "travel_form": travel_form,
            "replies": replies,
            "subject": f"Re: {subject}",
            "chart": chart,
            "hard": [b for b in assessment.blockers if b["severity"] == "blocker"],
            "soft": [b for b in assessment.blockers if b["severity"] == "concern"],
            "has_rules": DealBreakers.objects.owned_by(request.user).exists(),
        },
        travel_form,
    )


@login_required
def deal_breakers(request):
    rules = DealBreakers.for_user(request.user)
    form = DealBreakersForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        try:
            costs.save_deal_breakers(request.user, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Deal-breakers saved. Every triage now checks them.")
            return redirect("deal_breakers")
    return render_form(
        request,
        "triage/deal_breakers.html",
        {"form": form},
        form,
    )
