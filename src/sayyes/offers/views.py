"""Offer pages: list, form, detail (year by year), comparison, negotiation, exchange rates.
Access helpers answer 404 for another user's object."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sayyes.accounts.models import Profile
from sayyes.core.errors import BadParameter, NotFound
from sayyes.core.forms import confirm_delete, render_form
from sayyes.core.ids import parse_ids
from sayyes.pipeline.models import Opportunity
from sayyes.validation import apply_errors, error_text

from . import services
from .forms import OfferForm, PlanForm, RateForm, RatingsForm, RoundForm
from .models import ExchangeRate, Offer

ALIASES = {"vesting_percent_by_year": "percent_text", "opportunity_id": "opportunity"}


def _offers():
    return Offer.objects.select_related("opportunity__company")


def _get_offer_for_user(request, pk) -> Offer:
    return _offers().get_for(request.user, pk)


@login_required
def offer_list(request):
    offers = list(_offers().owned_by(request.user).order_by("-is_current", "deadline", "id"))
    rows = [(offer, offer.total_4y()) for offer in offers]
    with_offer = (
        Opportunity.objects.owned_by(request.user)
        .filter(status="offer")
        .exclude(pk__in=[o.opportunity_id for o in offers if o.opportunity_id])
    )
    return render(
        request,
        "offers/offer_list.html",
        {
            "rows": rows,
            "has_current": any(o.is_current for o in offers),
            "waiting": with_offer.select_related("company")[:10],
        },
    )


@login_required
def offer_new(request):
    current = request.GET.get("current") == "1"
    form = OfferForm(request.POST or None, user=request.user, current=current)
    if not request.POST:
        form.initial["currency"] = Profile.for_user(request.user).base_currency
        opp_id = request.GET.get("opportunity", "")
        if opp_id.isdigit():
            form.initial["opportunity"] = opp_id
            # An offer is usually paid in the currency the role was advertised in.
            posted = (
                Opportunity.objects.owned_by(request.user)
                .filter(pk=int(opp_id))
                .values_list("salary_currency", flat=True)
                .first()
            )
            if posted:
                form.initial["currency"] = posted
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.create_offer(
                request.user,
                opportunity=form.cleaned_data.get("opportunity"),
                is_current=current,
                **form.service_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc, ALIASES)
        else:
            messages.success(request, f"Saved {offer.name}.")
            return redirect(offer)
    return render_form(
        request,
        "offers/offer_form.html",
        {"form": form, "creating": True, "current": current},
        form,
    )


@login_required
def offer_detail(request, pk):
    offer = _get_offer_for_user(request, pk)
    years = services.yearly(offer)
    return render(
        request,
        "offers/offer_detail.html",
        {
            "offer": offer,
            "years": years,
            "total_4y": offer.total_4y(),
            "conventions": services.CONVENTIONS,
            "others": _offers().owned_by(request.user).exclude(pk=offer.pk),
        },
    )


@login_required
def offer_edit(request, pk):
    offer = _get_offer_for_user(request, pk)
    form = OfferForm(request.POST or None, instance=offer, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        fresh = Offer.objects.get(pk=offer.pk)
        opportunity = form.cleaned_data.get("opportunity")
        if opportunity is not None and not fresh.is_current:
            fresh.opportunity = opportunity
        try:
            services.update_offer(fresh, **fields)
        except ValidationError as exc:
            apply_errors(form, exc, ALIASES)
        else:
            messages.success(request, "Offer saved.")
            return redirect("offer_detail", pk=offer.pk)
    return render_form(
        request,
        "offers/offer_form.html",
        {"form": form, "offer": Offer.objects.get(pk=offer.pk), "current": offer.is_current},
        form,
    )


@login_required
def offer_delete(request, pk):
    offer = _get_offer_for_user(request, pk)
    return confirm_delete(
        request,
        offer,
        what="offer",
        delete=lambda: services.delete_offer(offer),
        cancel_url=offer.get_absolute_url(),
        done_url=reverse("offer_list"),
        consequence="Its negotiation rounds go with it; the opportunity stays.",
        done_message=f"Deleted {offer.name}.",
    )


@login_required
def offer_compare(request):
    try:
        ids = parse_ids(request.GET.getlist("ids"), "ids", what="offers")
    except BadParameter as exc:  # the page has always answered 404 for a junk id
        raise NotFound(exc.message) from None
    offers = _offers().many_for(request.user, ids)
    weights = {
        name: request.GET[f"w_{name}"]
        for name in services.CRITERIA
        if request.GET.get(f"w_{name}", "") != ""
    }
    comparison, error = None, ""
    if ids:  # with none picked yet, the page only offers the choice
        try:
            comparison = services.compare(request.user, offers, weights)
        except ValidationError as exc:
            error = error_text(exc)
    choices = _offers().owned_by(request.user).order_by("-is_current", "id")
    return render_form(
        request,
        "offers/compare.html",
        {
            "comparison": comparison,
            "chart": comparison.chart() if comparison else None,
            "error": error,
            "ids": ids,
            "choices": choices,
            "criteria": services.CRITERIA,
            "rated_criteria": {k: v for k, v in services.CRITERIA.items() if k != "money"},
            "weights": comparison.weights if comparison else services.DEFAULT_WEIGHTS,
            "here": request.get_full_path(),
            "conventions": services.CONVENTIONS,
        },
        error,
    )


@login_required
@require_POST
def offer_ratings(request, pk):
    offer = _get_offer_for_user(request, pk)
    form = RatingsForm(request.POST)
    if form.is_valid():
        services.set_ratings(offer, form.cleaned_data)
        messages.success(request, f"Ratings saved for {offer.name}.")
    else:
        messages.error(request, "Ratings go from 1 to 5.")
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(offer)


@login_required
def offer_negotiation(request, pk):
    offer = _get_offer_for_user(request, pk)
    plan_form = PlanForm(
        request.POST or None, initial={"target": offer.target, "walk_away": offer.walk_away}
    )
    if request.method == "POST" and plan_form.is_valid():
        try:
            services.set_plan(
                Offer.objects.get(pk=offer.pk),
                target=plan_form.cleaned_data["target"],
                walk_away=plan_form.cleaned_data["walk_away"],
            )
        except ValidationError as exc:
            apply_errors(plan_form, exc)
        else:
            messages.success(request, "Plan saved; the draft below uses your target.")
            return redirect("offer_negotiation", pk=offer.pk)
    return _negotiation_page(request, offer, plan_form, RoundForm())


def _negotiation_page(request, offer, plan_form, round_form):
    plan = services.negotiation(
        Offer.objects.select_related("opportunity__company").get(pk=offer.pk)
    )
    return render_form(
        request,
        "offers/negotiation.html",
        {
            "offer": offer,
            "plan": plan,
            # Folded under the letter's choices: late rounds first, then the early ones.
            "left_out": sorted(
                (i for i in plan["leverage"]["processes"] if not i["used"]),
                key=lambda i: not i["late"],
            ),
            "plan_form": plan_form,
            "round_form": round_form,
            "total_4y": offer.total_4y(),
        },
        plan_form,
        round_form,
    )


@login_required
@require_POST
def round_add(request, pk):
    offer = _get_offer_for_user(request, pk)
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            services.add_round(offer, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Round recorded.")
            return redirect(reverse("offer_negotiation", args=[offer.pk]) + "#rounds")
    plan_form = PlanForm(initial={"target": offer.target, "walk_away": offer.walk_away})
    return _negotiation_page(request, offer, plan_form, form)


@login_required
def rate_list(request):
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rate = services.set_rate(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Saved: {rate}.")
            return redirect("rate_list")
    return render_form(
        request,
        "offers/rates.html",
        {
            "form": form,
            "rates": ExchangeRate.objects.owned_by(request.user),
            "base_currency": Profile.for_user(request.user).base_currency,
        },
        form,
    )


@login_required
@require_POST
def rate_delete(request, pk):
    rate = ExchangeRate.objects.get_for(request.user, pk)
    rate.delete()
    messages.success(request, "Rate deleted.")
    return redirect("rate_list")
