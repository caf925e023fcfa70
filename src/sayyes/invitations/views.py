"""Pages: "+ Log an invitation" (drop a file or paste) and the invitation settings."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from sayyes.core import prose
from sayyes.core.forms import render_form
from sayyes.core.ids import is_ascii_digits

from . import mailbox as mailboxes
from . import services
from .models import Invitation, Mailbox
from .reader import MAX_BYTES, InvitationError


class InvitationForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="The invitation file",
        help_text="An .ics calendar file, or a saved e-mail (.eml); at most 2 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,.ical,.eml,text/calendar"}),
    )
    text = forms.CharField(
        required=False,
        label="Or paste the invitation e-mail",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Paste the e-mail as it is; sayyes finds the dates and times in it and asks "
        "you which one it is.",
    )

    def __init__(self, *args, carried: bytes | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.carried = carried

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None and upload.size > MAX_BYTES:
            self.add_error("file", "The file is over 2 MB; an invitation is at most 2 MB.")
        elif upload is None and not (data.get("text") or "").strip() and not self.carried:
            raise ValidationError("Drop or choose the invitation file, or paste the e-mail.")
        return data

    def content(self) -> tuple[bytes, str, bool]:
        """The invitation's bytes, where they came from, and whether they are a file's."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.read(), Invitation.Source.FILE, True
        text = (self.cleaned_data.get("text") or "").strip()
        if text:
            return text.encode(), Invitation.Source.TEXT, False
        return self.carried or b"", Invitation.Source.FILE, True


def _carried(request) -> bytes | None:
    raw = request.POST.get("carried", "")
    if not raw:
        return None
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if len(data) <= MAX_BYTES else None


def _int(request, name: str) -> int | None:
    raw = request.POST.get(name, "").strip()
    return int(raw) if is_ascii_digits(raw) and len(raw) < 19 else None


@login_required
def invitation_new(request):
    carried = _carried(request) if request.method == "POST" else None
    form = InvitationForm(request.POST or None, request.FILES or None, carried=carried)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        data, source, is_file = form.content()
        keep = base64.b64encode(data).decode() if is_file else ""
        context.update(
            carried=keep,
            company_name=request.POST.get("company_name", "").strip()[:200],
            title=request.POST.get("title", "").strip()[:200],
        )
        try:
            imported = _run(request, data, source)
        except services.NeedsChoice as exc:
            context["choice"] = exc
        except services.PastEvent as exc:
            context["past"] = exc
        except InvitationError as exc:
            form.add_error("file" if is_file else "text", str(exc))
        else:
            if imported.proposals is not None:
                context["proposals"] = imported.proposals
            else:
                messages.success(request, imported.summary())
                return redirect("interview_triage", pk=imported.outcomes[0].interview.pk)
    return render_form(request, "invitations/new.html", context, form)


def _run(request, data: bytes, source: str) -> services.Imported:
    user = request.user
    picked = {
        "company_id": _int(request, "company_id"),
        "company_name": request.POST.get("company_name", "").strip()[:200],
        "opportunity_id": _int(request, "opportunity_id"),
    }
    starts_at = request.POST.get("starts_at", "")
    if starts_at:
        try:
            when = datetime.fromisoformat(starts_at)
        except ValueError:
            raise InvitationError("pick one of the proposed times") from None
        outcome = services.confirm_proposal(
            user,
            data.decode("utf-8", "replace"),
            when,
            title=request.POST.get("title", "").strip()[:200],
            **picked,
        )
        return services.Imported(outcomes=[outcome])
    past = "done" if request.POST.get("past") == "done" else None
    return services.import_invitation(user, data, source=source, past=past, **picked)


# --- Settings: your other addresses, the watched mailbox ------------------------------------------


class AddressesForm(forms.Form):
    addresses = forms.CharField(
        required=False,
        label="Your other e-mail addresses",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line. They are skipped among an invitation's guests, as is the "
        "address in your settings.",
    )


class MailboxForm(forms.Form):
    host = forms.CharField(label="Mail server (IMAP)", max_length=255,
                           help_text="e.g. imap.gmail.com or outlook.office365.com")  # fmt: skip
    port = forms.IntegerField(
        label="Port", min_value=1, max_value=65535, initial=993,
        help_text="993 is IMAP over TLS; another port must offer STARTTLS.",
    )  # fmt: skip
    username = forms.CharField(label="User name", max_length=255,
                               help_text="Usually your e-mail address.")  # fmt: skip
    password = forms.CharField(
        label="App password",
        required=False,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="An app password made for sayyes in your mail account's security settings. "
        "Stored encrypted; leave empty to keep the saved one.",
    )
    folder = forms.CharField(label="Folder to watch", max_length=255, initial="Interviews",
                             help_text="Forward or move invitations there.")  # fmt: skip
    enabled = forms.BooleanField(label="Check it every few minutes", required=False, initial=True)


def _mailbox_initial(mailbox: Mailbox | None) -> dict:
    if mailbox is None:
        return {}
    return {
        "host": mailbox.host,
        "port": mailbox.port,
        "username": mailbox.username,
        "folder": mailbox.folder,
        "enabled": mailbox.enabled,
    }


@login_required
def invitation_settings(request):
    user = request.user
    mailbox = Mailbox.objects.owned_by(user).first()
    own = services.own_addresses_row(user)
    action = request.POST.get("action") if request.method == "POST" else None
    addresses_form = AddressesForm(
        request.POST if action == "addresses" else None,
        initial={"addresses": "\n".join(own.addresses if own else [])},
    )
    mailbox_form = MailboxForm(
        request.POST if action == "mailbox" else None, initial=_mailbox_initial(mailbox)
    )
    if action == "addresses" and addresses_form.is_valid():
        try:
            services.set_own_addresses(user, addresses_form.cleaned_data["addresses"])
        except ValidationError as exc:
            addresses_form.add_error("addresses", exc.message_dict["addresses"])
        else:
            messages.success(request, "Your addresses are saved.")
            return redirect("invitation_settings")
    if action == "mailbox" and mailbox_form.is_valid():
        try:
            mailboxes.save_mailbox(user, **mailbox_form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                mailbox_form.add_error(name, errors)
        else:
            from .tasks import schedule_mailbox_polls

            schedule_mailbox_polls()
            messages.success(request, "The mailbox is saved; the worker checks it in a moment.")
            return redirect("invitation_settings")
    return render_form(
        request,
        "invitations/settings.html",
        {"addresses_form": addresses_form, "mailbox_form": mailbox_form, "mailbox": mailbox},
        addresses_form,
        mailbox_form,
    )


@login_required
@require_POST
def mailbox_remove(request):
    mailboxes.remove_mailbox(request.user)
    messages.success(request, "The mailbox is no longer watched; its password is deleted.")
    return redirect("invitation_settings")


@login_required
@require_POST
def mailbox_check(request):
    """Check the mailbox now (the page waits for it), and show what happened."""
    mailbox = Mailbox.objects.owned_by(request.user).first()
    if mailbox is None:
        messages.error(request, "Set up a mailbox first.")
        return redirect("invitation_settings")
    result = mailboxes.poll(mailbox)
    if result.error:
        messages.error(request, f"The mailbox couldn't be read: {result.error}")
    else:
        messages.success(
            request,
            f"Checked: {prose.count(result.imported, 'new interview')}, {result.updated} updated, "
            f"{len(result.problems)} not imported.",
        )
    return redirect("invitation_settings")
