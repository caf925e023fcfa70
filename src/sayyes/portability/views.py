"""Pages: archive download and upload, account deletion, spreadsheet and posting import."""

from __future__ import annotations

import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import archive
from .deletion import delete_account

MAX_UPLOAD = 200 * 1024 * 1024


@login_required
def archive_download(request):
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    archive.export_archive(request.user, spool)
    spool.seek(0)
    name = f"sayyes-{request.user.username}-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")


class ArchiveUploadForm(forms.Form):
    file = forms.FileField(label="Archive file (.zip)")


@login_required
def archive_import(request):
    form = ArchiveUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_UPLOAD:
                raise archive.ArchiveError("the file is larger than 200 MB")
            report = archive.import_archive(request.user, upload)
        except archive.ArchiveError as exc:
            form.add_error("file", f"{exc}. Nothing was imported.")
        else:
            messages.success(request, f"Imported {report.summary()}")
            return redirect("settings")
    return render(
        request,
        "portability/archive_import.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput, required=False, strip=False
    )
    confirm = forms.CharField(label="Type your user name to confirm", required=True)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data.get("password") or ""
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_confirm(self):
        value = (self.cleaned_data.get("confirm") or "").strip()
        if value.lower() != self.user.username.lower():
            raise forms.ValidationError(f"Type {self.user.username} to confirm.")
        return value


@login_required
def account_delete(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        delete_account(user)
        return redirect("login")
    return render(
        request,
        "portability/account_delete.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


account_delete_post = require_POST(account_delete)
