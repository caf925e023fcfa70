"""Pipeline pages. Each view starts with an access helper that 404s on another user's object."""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sayyes.accounts.models import Profile
from sayyes.core import prose
from sayyes.core.errors import NotFound
from sayyes.core.forms import confirm_delete, redirect_back, render_form
from sayyes.core.fulltext import parse
from sayyes.core.pages import KnownCountPaginator, capped_count
from sayyes.validation import apply_errors, error_text

from . import search, services
from .forms import InterviewForm, OpportunityForm
from .models import (
    Interview,
    InterviewStatus,
    Opportunity,
    Priority,
    Status,
)

BOARD_CARDS_PER_COLUMN = 20


def _get_opportunity_for_user(request, pk) -> Opportunity:
    return Opportunity.objects.select_related("company").get_for(request.user, pk)


def _get_interview_for_user(request, pk) -> Interview:
    return Interview.objects.select_related("opportunity__company").get_for(request.user, pk)


def _apply_errors(form, exc: ValidationError) -> None:
    apply_errors(form, exc, {"company_id": "company_name"})


@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@login_required
def board(request):
    user = request.user
    counts = services.status_counts(user)
    columns = []
    for status in Status:
        cards = list(
            Opportunity.objects.owned_by(user)
            .filter(status=status)
            .select_related("company")
            .order_by("-priority", "-updated_at", "-id")[:BOARD_CARDS_PER_COLUMN]
        )
        columns.append(
            {
                "status": status.value,
                "label": status.label,
                "cards": cards,
                "count": counts[status.value],
            }
        )
    return render(
        request,
        "pipeline/board.html",
        {
            "columns": columns,
            "statuses": Status.choices,
            "per_column": BOARD_CARDS_PER_COLUMN,
        },
    )


@login_required
@require_POST
def opportunity_status(request, pk):
    opp = _get_opportunity_for_user(request, pk)
    status = request.POST.get("status", "")
    try:
        changed = services.change_status(opp, status)
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(exc.message_dict["status"][0], status=422)
        messages.error(request, exc.message_dict["status"][0])
        return _redirect_back(request)
    if request.htmx:
        return render(request, "pipeline/_card.html", {"opp": opp, "statuses": Status.choices})
    if changed:
        messages.success(
            request, f"{opp.title} at {opp.company.name} moved to {Status(status).label}."
        )
    return _redirect_back(request)


def _redirect_back(request):
    return redirect_back(request, "board")


@login_required
def opportunity_list(request):
    params = {
        "q": request.GET.get("q", ""),
        "status": request.GET.get("status", ""),
        "company": request.GET.get("company", ""),
        "priority": request.GET.get("priority", ""),
        "sort": request.GET.get("sort", ""),
    }
    if not params["sort"]:
        params["sort"] = "relevance" if params["q"].strip() else "updated"
    error = None
    try:
        qs = services.search_opportunities(request.user, **params)
    except ValidationError as exc:
        error = error_text(exc)
        qs = Opportunity.objects.none()
    # Without a search, company or priority the stored status counts say how many.
    count = (
        None
        if error
        else services.stored_count(
            request.user,
            q=params["q"],
            status=params["status"],
            company=params["company"],
            priority=params["priority"],
        )
    )
    page = KnownCountPaginator(qs, 25, count=count).get_page(request.GET.get("page"))
    if params["q"] and not error:
        search.highlight(list(page.object_list), parse(params["q"]), using=qs.db)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "params": params,
        "error": error,
        "querystring": query.urlencode(),
        # The search covers the latest SEARCH_LIMIT matches: say so when it reached them.
        "search_limit": services.SEARCH_LIMIT
        if params["q"] and not error and page.paginator.count >= services.SEARCH_LIMIT
        else None,
        "statuses": Status.choices,
        "priorities": Priority.choices,
        "sorts": [(k, k.capitalize()) for k in ("relevance", *services.SORTS)],
        "company_names": services.company_names(request.user, params["company"]),
    }
    template = (
        "pipeline/_opportunity_results.html" if request.htmx else "pipeline/opportunity_list.html"
    )
    return render_form(request, template, context, error)


@login_required
@require_GET
def company_names(request):
    """The company suggestions for what is typed so far (at most 20 ``<option>``s): the
    company boxes ask for them as you type, under their own field name."""
    typed = next((request.GET[k] for k in ("q", "company", "company_name") if k in request.GET), "")
    return render(
        request,
        "pipeline/_company_options.html",
        {"company_names": services.company_names(request.user, typed)},
    )


@login_required
def opportunity_new(request):
    initial = {
        "status": request.GET.get("status")
        if request.GET.get("status") in Status.values
        else Status.SAVED
    }
    form = OpportunityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            opp = services.create_opportunity(
                request.user,
                company_name=form.cleaned_data["company_name"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Saved {opp.title} at {opp.company.name}.")
            return redirect(opp)
    return render_form(
        request,
        "pipeline/opportunity_form.html",
        {
            "form": form,
            "company_names": services.company_names(
                request.user, form["company_name"].value() or ""
            ),
            "creating": True,
        },
        form,
    )


@login_required
def opportunity_detail(request, pk):
    opp = _get_opportunity_for_user(request, pk)
    return render(
        request,
        "pipeline/opportunity_detail.html",
        {
            "opp": opp,
            "events": opp.events.all(),
            "interviews": opp.interviews.prefetch_related("interviewers").order_by("starts_at"),
            "statuses": Status.choices,
            "now": timezone.now(),
        },
    )


@login_required
def opportunity_edit(request, pk):
    opp = _get_opportunity_for_user(request, pk)
    saved_title = opp.title
    form = OpportunityForm(request.POST or None, instance=opp)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_opportunity(
                Opportunity.objects.get(pk=opp.pk),
                company_name=form.cleaned_data["company_name"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Changes saved.")
            return redirect("opportunity_detail", pk=opp.pk)
    return render_form(
        request,
        "pipeline/opportunity_form.html",
        {
            "form": form,
            "opp": opp,
            "saved_title": saved_title,
            "company_names": services.company_names(
                request.user, form["company_name"].value() or ""
            ),
        },
        form,
    )


@login_required
def opportunity_delete(request, pk):
    opp = _get_opportunity_for_user(request, pk)
    return confirm_delete(
        request,
        opp,
        what="opportunity",
        delete=lambda: services.delete_opportunity(opp),
        cancel_url=opp.get_absolute_url(),
        done_url=reverse("opportunity_list"),
        consequence=f"Its status history and {prose.count(opp.interviews.count(), 'interview')} go with it.",
    )


# The interviews page lists at most this many of each tab (the nearest first) and counts no
# further ("1,000+"), so it costs the same whatever the history (issue 18); the API, the
# calendar feed and the archive have every interview.
INTERVIEW_LIST_CAP = 1000


@login_required
def interview_list(request):
    now = timezone.now()
    base = Interview.objects.owned_by(request.user).select_related("opportunity__company")
    upcoming = base.filter(starts_at__gte=now).order_by("starts_at")
    past = base.filter(starts_at__lt=now).order_by("-starts_at")
    show = "past" if request.GET.get("show") == "past" else "upcoming"
    counts = {
        "upcoming": capped_count(upcoming, INTERVIEW_LIST_CAP),
        "past": capped_count(past, INTERVIEW_LIST_CAP),
    }
    paginator = Paginator((past if show == "past" else upcoming)[:INTERVIEW_LIST_CAP], 30)
    paginator.count = min(counts[show][0], INTERVIEW_LIST_CAP)  # known: not counted again
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "pipeline/interview_list.html",
        {
            "page": page,
            "show": show,
            "upcoming_label": counts["upcoming"][1],
            "past_label": counts["past"][1],
            "cap": INTERVIEW_LIST_CAP,
            "capped": counts[show][0] > INTERVIEW_LIST_CAP,
        },
    )


@login_required
def interview_new(request):
    profile = Profile.for_user(request.user)
    initial = {}
    if request.GET.get("opportunity"):
        with suppress(NotFound):  # a stale or junk link just leaves the choice open
            opp = Opportunity.objects.get_for(request.user, request.GET["opportunity"])
            initial["opportunity"] = opp.pk
    if request.GET.get("status") in InterviewStatus.values:
        initial["status"] = request.GET["status"]
    form = InterviewForm(
        request.POST or None, user=request.user, default_tz=profile.timezone, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                interview = services.create_interview(
                    request.user, form.cleaned_data["opportunity"], **form.service_fields()
                )
                services.set_interviewers_by_name(interview, form.interviewer_names())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Interview saved for {interview.opportunity}.")
            if interview.status == InterviewStatus.INVITED:
                return redirect("interview_triage", pk=interview.pk)
            return redirect("opportunity_detail", pk=interview.opportunity_id)
    inviting = (form["status"].value() or "") == InterviewStatus.INVITED
    return render_form(
        request,
        "pipeline/interview_form.html",
        {"form": form, "creating": True, "inviting": inviting},
        form,
    )


@login_required
def interview_edit(request, pk):
    interview = _get_interview_for_user(request, pk)
    form = InterviewForm(request.POST or None, instance=interview, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                updated = services.update_interview(
                    Interview.objects.get(pk=interview.pk),
                    opportunity=form.cleaned_data["opportunity"],
                    **form.service_fields(),
                )
                services.set_interviewers_by_name(updated, form.interviewer_names())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Interview updated.")
            return redirect("opportunity_detail", pk=form.cleaned_data["opportunity"].pk)
    return render_form(
        request,
        "pipeline/interview_form.html",
        {"form": form, "interview": interview},
        form,
    )


@login_required
def interview_delete(request, pk):
    interview = _get_interview_for_user(request, pk)
    return confirm_delete(
        request,
        interview,
        what="interview",
        delete=interview.delete,
        cancel_url=f"/interviews/{interview.pk}/edit/",
        done_url=reverse("opportunity_detail", args=[interview.opportunity_id]),
        done_message="Interview deleted.",
    )
