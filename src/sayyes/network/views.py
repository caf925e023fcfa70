"""Contacts, follow-ups and thank-you notes. Access helpers 404 on another user's object."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sayyes.accounts.models import Profile
from sayyes.core.forms import confirm_delete, render_form
from sayyes.pipeline import services as pipeline_services
from sayyes.pipeline.services import company_names
from sayyes.validation import apply_errors

from . import drafts, services
from .forms import (
    ContactForm,
    FollowUpForm,
    ImportForm,
    InteractionForm,
    ThankYouForm,
    TopicsForm,
)
from .models import Contact, FollowUp


def _get_contact_for_user(request, pk) -> Contact:
    return Contact.objects.select_related("company").get_for(request.user, pk)


def _get_followup_for_user(request, pk) -> FollowUp:
    return FollowUp.objects.select_related("contact", "interview__opportunity__company").get_for(
        request.user, pk
    )


def _apply_errors(form, exc: ValidationError) -> None:
    apply_errors(form, exc, {"company_id": "company_name", "tags": "tags_text"})


def _tz(request) -> str:
    return Profile.for_user(request.user).timezone


def _back(request, fallback):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else fallback)


@login_required
def contact_list(request):
    q, tag = request.GET.get("q", ""), request.GET.get("tag", "")
    page = Paginator(services.search_contacts(request.user, q=q, tag=tag), 30).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/contact_list.html",
        {
            "page": page,
            "q": q,
            "tag": tag,
            "querystring": query.urlencode(),
            "checkins": services.checkin_suggestions(request.user, limit=5),
            "open_followups": services.open_followups(request.user)[:10],
        },
    )


@login_required
def contact_new(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.create_contact(
                request.user,
                company_name=form.cleaned_data["company_name"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Added {contact.name}.")
            return redirect(contact)
    return render_form(
        request,
        "network/contact_form.html",
        {
            "form": form,
            "creating": True,
            "company_names": company_names(request.user, form["company_name"].value() or ""),
        },
        form,
    )


@login_required
def contact_detail(request, pk):
    contact = _get_contact_for_user(request, pk)
    return render(
        request,
        "network/contact_detail.html",
        {
            "contact": contact,
            "interactions": contact.interactions.all()[:50],
            "followups": contact.followups.select_related("interview__opportunity").order_by(
                "done_at", "due_at"
            ),
            "interviews": contact.interviews.select_related("opportunity__company").order_by(
                "-starts_at"
            ),
            # Two forms on one page: their own ids (the field names stay as they are).
            "interaction_form": InteractionForm(auto_id="interaction-%s"),
            "followup_form": FollowUpForm(auto_id="followup-%s"),
        },
    )


@login_required
def contact_edit(request, pk):
    contact = _get_contact_for_user(request, pk)
    saved_name = contact.name
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            name = form.cleaned_data["company_name"].strip()
            services.update_contact(
                Contact.objects.get(pk=contact.pk),
                company_name=name or None,
                clear_company=not name,
                **form.service_fields(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Contact saved.")
            return redirect("contact_detail", pk=contact.pk)
    return render_form(
        request,
        "network/contact_form.html",
        {
            "form": form,
            "contact": contact,
            "saved_name": saved_name,
            "company_names": company_names(request.user, form["company_name"].value() or ""),
        },
        form,
    )


@login_required
def contact_delete(request, pk):
    contact = _get_contact_for_user(request, pk)
    return confirm_delete(
        request,
        contact,
        what="contact",
        delete=lambda: services.delete_contact(contact),
        cancel_url=contact.get_absolute_url(),
        done_url=reverse("contact_list"),
        consequence="Its interactions and follow-ups go with it; interviews keep their other interviewers.",
        done_message=f"Deleted {contact.name}.",
    )


@login_required
@require_POST
def interaction_add(request, pk):
    contact = _get_contact_for_user(request, pk)
    form = InteractionForm(request.POST)
    if form.is_valid():
        services.log_interaction(
            contact,
            kind=form.cleaned_data["kind"],
            at=form.at(_tz(request)),
            note=form.cleaned_data["note"],
        )
        messages.success(request, "Logged.")
    else:
        messages.error(request, "Choose what happened; the date must be a date.")
    return redirect(contact)


@login_required
@require_POST
def followup_add(request, pk):
    contact = _get_contact_for_user(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.create_followup(
            request.user,
            contact,
            kind=form.cleaned_data["kind"],
            due_at=form.due_at(_tz(request)),
            note=form.cleaned_data["note"],
        )
        messages.success(request, "Follow-up added.")
    else:
        messages.error(request, "A follow-up needs a kind and a due date.")
    return redirect(contact)


@login_required
@require_POST
def followup_done(request, pk):
    followup = _get_followup_for_user(request, pk)
    services.set_done(followup, request.POST.get("done", "1") == "1")
    return _back(request, followup.contact.get_absolute_url())


@login_required
def thank_you(request, pk):
    """The note to edit, keep, copy, download or mark sent; and the topics it draws on."""
    followup = _get_followup_for_user(request, pk)
    action = request.POST.get("action", "")
    interview = followup.interview
    if request.method == "POST" and action == "topics" and interview is not None:
        return _save_topics(request, followup)
    if request.method == "POST" and action == "reset":
        try:
            services.reset_thank_you_draft(followup)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Back to sayyes's draft, from the topics as they are now.")
        return redirect("thank_you", pk=followup.pk)
    draft = services.thank_you_draft(followup)
    form = ThankYouForm(request.POST or None, initial=draft)
    if request.method == "POST" and form.is_valid():
        try:
            edited = services.clean_draft(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            response = _thank_you_action(request, followup, action, edited)
            if response is not None:
                return response
            draft = edited
    topics_form = TopicsForm(initial={"topics": interview.topics if interview else ""})
    suggestions = []
    if interview is not None and not interview.topic_list:
        suggestions = drafts.suggest_topics(interview.notes)
    return render_form(
        request,
        "network/thank_you.html",
        {
            "followup": followup,
            "form": form,
            "mailto": services.mailto_link(draft),
            "edited": bool(followup.draft_body),
            "topics_form": topics_form,
            "suggestions": suggestions,
        },
        form,
    )


def _thank_you_action(request, followup, action: str, edited: dict[str, str]):
    if action == "eml":
        data = services.eml_bytes(
            edited,
            sender_name=services.sender_name(request.user),
            sender_email=request.user.email,
        )
        response = HttpResponse(data, content_type="message/rfc822")
        response["Content-Disposition"] = (
            f'attachment; filename="thank-you-{followup.contact_id}.eml"'
        )
        return response
    if action == "save":
        try:
            services.save_thank_you_draft(followup, **edited)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("thank_you", pk=followup.pk)
        messages.success(request, "Draft saved: the page and the API show it as you left it.")
        return redirect("thank_you", pk=followup.pk)
    if action == "sent":
        services.mark_thank_you_sent(followup, edited)
        messages.success(
            request, f"Marked as sent to {followup.contact.name}; logged on their timeline."
        )
        return redirect("agenda")
    return None


def _save_topics(request, followup):
    interview = followup.interview
    typed = request.POST.get("topics", "")
    picked = request.POST.getlist("pick")
    try:
        pipeline_services.set_topics(interview, "\n".join([typed, *picked]))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if followup.draft_body:
            messages.success(
                request, "Topics saved. Your edited draft stays; start again to use them."
            )
        else:
            messages.success(request, "Topics saved; the draft below mentions them.")
    return redirect("thank_you", pk=followup.pk)


@login_required
def contact_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        from sayyes.network import importers

        data = form.cleaned_data["file"].read()
        dry_run = form.cleaned_data["dry_run"]
        func = (
            importers.import_linkedin
            if form.cleaned_data["kind"] == "linkedin"
            else importers.import_vcards
        )
        try:
            report = func(request.user, data, dry_run=dry_run)
        except importers.ImportFailed as exc:
            form.add_error("file", f"Nothing was imported: {exc}")
        else:
            if not dry_run:
                messages.success(request, f"Imported. {report.summary()}")
                return redirect("contact_list")
    return render_form(
        request,
        "network/import.html",
        {"form": form, "report": report},
        form,
    )


@login_required
def contact_export(request):
    from sayyes.network.importers import export_vcards

    response = HttpResponse(export_vcards(request.user), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sayyes-contacts.vcf"'
    return response
