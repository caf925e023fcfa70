"""Journal pages: the debrief, questions to ask, companies, side by side, insights.

Access helpers 404 on another user's object."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render

from sayyes.core.errors import BadParameter
from sayyes.core.forms import render_form
from sayyes.core.ids import parse_id
from sayyes.pipeline.models import Company, Interview
from sayyes.validation import apply_errors, error_text

from . import debriefs, to_ask
from . import insights as journal_insights
from .api import compared_ids
from .forms import DebriefForm, initial_for
from .models import Debrief


def _get_interview_for_user(request, pk) -> Interview:
    return Interview.objects.select_related("opportunity__company").get_for(request.user, pk)


@login_required
def debrief(request, pk):
    interview = _get_interview_for_user(request, pk)
    existing = Debrief.objects.filter(interview=interview).first()
    dimensions = debriefs.dimensions(request.user)
    asked = [q.text for q in debriefs.questions_asked(existing)] if existing else []
    form = DebriefForm(
        request.POST or None,
        dimensions=dimensions,
        interview=interview,
        initial=initial_for(existing, dimensions, asked),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                ratings = form.ratings()
                if data["new_dimension"].strip():
                    added = debriefs.add_dimension(request.user, data["new_dimension"])
                    if data["new_dimension_rating"]:
                        ratings[added.name] = data["new_dimension_rating"]
                saved = debriefs.save_debrief(
                    request.user,
                    interview,
                    questions=data["questions_asked"],
                    people_ids=[p.pk for p in data["people"]],
                    people_names=data["people_names"],
                    topics=data["topics"],
                    ratings=ratings,
                    overall_interest=data["overall_interest"],
                    notes=data["notes"],
                    **{name: data[name] for name in debriefs.TEXT_FIELDS if name != "notes"},
                )
        except ValidationError as exc:
            apply_errors(
                form,
                exc,
                {"people_ids": "people", "name": "new_dimension", "questions": "questions_asked"},
            )
        else:
            count = saved.questions.count()
            messages.success(
                request,
                f"Debrief saved. {count} question{'s' if count != 1 else ''} you were asked "
                "are in your practice bank.",
            )
            return redirect("company_detail", pk=interview.opportunity.company_id)
    return render_form(
        request,
        "journal/debrief.html",
        {"interview": interview, "form": form, "debrief": existing},
        form,
    )


@login_required
def questions_to_ask(request, pk):
    interview = _get_interview_for_user(request, pk)
    error = ""
    if request.method == "POST":
        items = []
        for key in request.POST.getlist("pick"):
            if not (key.isascii() and key.isdigit()) or len(key) > 4:
                continue
            text = request.POST.get(f"text_{key}", "")
            try:
                order = float(request.POST.get(f"order_{key}") or key)
            except ValueError:
                order = float(key)
            items.append(
                (order, int(key), {"text": text, "why": request.POST.get(f"why_{key}", "")})
            )
        own = request.POST.get("own", "").strip()
        items.sort(key=lambda t: (t[0], t[1]))
        picks = [item for _, _, item in items]
        if own:
            picks.append({"text": own, "why": "Your own question."})
        try:
            to_ask.save_questions_to_ask(interview, picks)
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, f"Saved {len(picks)} questions to ask.")
            return redirect("interview_to_ask", pk=interview.pk)
    saved = list(to_ask.saved_questions(interview))
    suggestions = to_ask.questions_to_ask(interview)
    saved_texts = {s.text for s in saved}
    rows = [{"text": s.text, "why": s.why, "picked": True} for s in saved] + [
        {"text": s.text, "why": s.why, "picked": False}
        for s in suggestions
        if s.text not in saved_texts
    ]
    return render_form(
        request,
        "journal/questions_to_ask.html",
        {"interview": interview, "saved": saved, "rows": rows, "error": error},
        error,
    )


@login_required
def company_list(request):
    from django.core.paginator import Paginator
    from django.db.models.functions import Lower

    companies = Company.objects.owned_by(request.user).order_by(Lower("name"), "pk")
    page = Paginator(companies, COMPANIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "journal/company_list.html",
        {
            "rows": journal_insights.companies_overview(request.user, list(page.object_list)),
            "page": page,
            "querystring": "",
            "values": journal_insights.what_you_value(request.user),
        },
    )


COMPANIES_PER_PAGE = 50


@login_required
def company_detail(request, pk):
    company = Company.objects.get_for(request.user, pk)
    journal = journal_insights.company_journal(request.user, company)
    due = {i.pk for i in journal["interviews"] if debriefs.interview_ended(i)}
    chart = {
        "labels": list(journal["ratings"]),
        "values": list(journal["ratings"].values()),
    }
    return render(
        request,
        "journal/company_detail.html",
        {**journal, "ended": due, "chart": chart},
    )


@login_required
def company_compare(request):
    companies = list(Company.objects.owned_by(request.user).order_by("name"))
    items, error, chosen, starting = [], "", [], None
    if request.GET.get("with") and not request.GET.get("ids"):
        # "Compare with…" on a company's page: that company ticked, one more to choose.
        try:
            starting = Company.objects.get_for(request.user, parse_id(request.GET["with"], "with"))
            chosen = [starting.pk]
        except BadParameter as exc:
            error = exc.message
    elif request.GET.get("ids"):
        try:
            chosen = compared_ids(request.GET.getlist("ids"))
            items = journal_insights.compare_companies(
                request.user, Company.objects.many_for(request.user, chosen)
            )
        except BadParameter as exc:
            error = exc.message
        except ValidationError as exc:
            error = error_text(exc)
    labels: list[str] = []
    for item in items:
        labels += [name for name in item["ratings"] if name not in labels]
    order = {name: i for i, name in enumerate(debriefs.dimensions(request.user))}
    labels.sort(key=lambda n: order.get(n, 999))
    chart = {
        "labels": labels,
        "series": [
            {"name": item["name"], "values": [item["ratings"].get(n) for n in labels]}
            for item in items
        ],
    }
    return render_form(
        request,
        "journal/compare.html",
        {
            "companies": companies,
            "items": items,
            "chosen": chosen,
            "error": error,
            "chart": chart,
            "labels": labels,
            "starting": starting,
        },
        error,
    )


@login_required
def insights(request):
    industry = request.GET.get("industry", "")
    error = ""
    try:
        data = journal_insights.industry_insights(request.user, industry, company_names=False)
    except ValidationError as exc:
        error = error_text(exc)
        data = journal_insights.industry_insights(request.user, "", company_names=False)
    chart = {
        "labels": [i["company"] for i in data["interest"]],
        "values": [i["overall_interest"] for i in data["interest"]],
        "terms": [t["term"] for t in data["themes"][:10]],
        "counts": [t["count"] for t in data["themes"][:10]],
    }
    return render_form(
        request,
        "journal/insights.html",
        {"data": data, "error": error, "chart": chart, "industry": industry},
        error,
    )
