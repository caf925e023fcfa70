"""Pages: archive download and upload, account deletion, spreadsheet and posting import."""

from __future__ import annotations

import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sayyes.core.forms import render_form

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
    return render_form(request, "portability/archive_import.html", {"form": form}, form)


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
    return render_form(request, "portability/account_delete.html", {"form": form}, form)


account_delete_post = require_POST(account_delete)


# --- Spreadsheet import: upload -> mapping and first rows -> confirm ------------------------

SHEET_SESSION_KEY = "portability_sheet"
MAX_SHEET = 20 * 1024 * 1024


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet (.csv or .xlsx)",
        help_text="Exported from Huntr, Teal, Excel, Google Sheets or Numbers. At most 20 MB.",
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_SHEET:
            raise forms.ValidationError("The file is larger than 20 MB.")
        return f


def _pending_dir():
    from django.conf import settings

    path = settings.DATA_DIR / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _forget_old_sheets(max_age: float = 24 * 3600) -> None:
    """Uploads left without a decision are removed after a day."""
    import time

    now = time.time()
    for path in _pending_dir().glob("sheet-*"):
        try:
            if now - path.stat().st_mtime > max_age:
                path.unlink(missing_ok=True)
        except OSError:
            pass


class UploadsFull(ValueError):
    """The user's uploads waiting for a confirmation would pass SAYYES_UPLOADS_QUOTA_MB."""


def check_uploads_quota(user_id: int, adding: int) -> None:
    """UploadsFull when ``adding`` bytes more would take the user's pending uploads (their
    spreadsheets and bookmarklet postings in DATA_DIR/uploads) past their quota."""
    from django.conf import settings

    quota = settings.SAYYES_UPLOADS_QUOTA_MB * 2**20
    used = 0
    for pattern in (f"sheet-{int(user_id)}-*", f"posting-{int(user_id)}-*"):
        for path in _pending_dir().glob(pattern):
            try:
                used += path.stat().st_size
            except OSError:
                pass
    if used + adding > quota:
        raise UploadsFull(
            f"Your uploads waiting for a confirmation are full ({used / 2**20:,.1f} MB of "
            f"{quota // 2**20:,} MB): import or cancel the ones waiting, or wait a day for "
            "them to expire, then try again."
        )


def _pending_path(request):
    pending = request.session.get(SHEET_SESSION_KEY)
    if not pending or not isinstance(pending, dict):
        return None, ""
    token = str(pending.get("token", ""))
    if not token.isalnum():
        return None, ""
    path = _pending_dir() / f"sheet-{request.user.pk}-{token}"
    return (path if path.exists() else None), str(pending.get("name", ""))


@login_required
def sheet_import(request):
    from sayyes.core.errors import ImportFailed

    from . import spreadsheet

    upload_form = SheetUploadForm()
    context: dict = {"fields": spreadsheet.FIELDS}
    if request.method == "POST" and "file" in request.FILES:
        upload_form = SheetUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            import uuid

            old, _ = _pending_path(request)
            if old is not None:
                old.unlink(missing_ok=True)
            _forget_old_sheets()
            token = uuid.uuid4().hex
            upload = upload_form.cleaned_data["file"]
            try:
                check_uploads_quota(request.user.pk, upload.size)
            except UploadsFull as exc:
                upload_form.add_error("file", str(exc))
                return render(
                    request,
                    "portability/sheet_import.html",
                    {**context, "upload_form": upload_form},
                    status=413,
                )
            path = _pending_dir() / f"sheet-{request.user.pk}-{token}"
            path.write_bytes(upload.read())
            request.session[SHEET_SESSION_KEY] = {"token": token, "name": upload.name}
            mapping = None
        else:
            return render(
                request,
                "portability/sheet_import.html",
                {**context, "upload_form": upload_form},
                status=400,
            )
    elif request.method == "POST":
        mapping = {}
        for key, value in request.POST.items():
            if key.startswith("column:"):
                mapping[key.removeprefix("column:")] = value or spreadsheet.IGNORE
    else:
        return render(
            request, "portability/sheet_import.html", {**context, "upload_form": upload_form}
        )
    path, name = _pending_path(request)
    if path is None:
        context["problem"] = "Upload the spreadsheet again (the earlier upload is gone)."
        return render(
            request,
            "portability/sheet_import.html",
            {**context, "upload_form": upload_form},
            status=400,
        )
    data = path.read_bytes()
    context.update(upload_form=upload_form, name=name)
    try:
        sheet = spreadsheet.analyse(data, name, mapping)
        context["sheet"] = sheet
        confirm = request.POST.get("action") == "import"
        report = spreadsheet.apply_sheet(request.user, sheet, dry_run=not confirm)
    except ImportFailed as exc:
        context["problem"] = f"{exc}. Nothing was imported."
        if "sheet" not in context:
            try:
                context["sheet"] = _raw_sheet(data, name)
            except ImportFailed:
                pass
        return render(request, "portability/sheet_import.html", context, status=400)
    if confirm:
        path.unlink(missing_ok=True)
        request.session.pop(SHEET_SESSION_KEY, None)
        messages.success(request, f"Imported. {report.summary()}")
        return redirect("opportunity_list")
    context["report"] = report
    return render(request, "portability/sheet_import.html", context)


def _raw_sheet(data, name):
    """The columns with no matching, so the mapping can be fixed on the page."""
    from . import spreadsheet

    headers, rows = spreadsheet.read_table(data, name)
    columns = [spreadsheet.Column(i, h or f"(column {i + 1})", None) for i, h in enumerate(headers)]
    return spreadsheet.Sheet(columns, rows)


# --- Posting import: upload, paste or bookmarklet -> preview -> confirm ----------------------

MAX_POSTING = 5 * 1024 * 1024
DROP_TTL_SECONDS = 3600
MAX_DROPS = 200  # with Django's 2.5 MB limit on a POST body: at most ~500 MB waiting


class PostingForm(forms.Form):
    file = forms.FileField(
        label="Saved page (.html)",
        required=False,
        help_text="In your browser: File → Save page as… (HTML only is enough).",
    )
    html = forms.CharField(
        label="…or paste the page's HTML or the job ad's text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    url = forms.URLField(
        assume_scheme="https",
        label="The posting's address (optional)",
        required=False,
        max_length=1000,
        help_text="Kept as the posting link, and used to recognise the posting next time.",
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None and upload.size > MAX_POSTING:
            raise forms.ValidationError("The file is larger than 5 MB.")
        if upload is None and not (data.get("html") or "").strip():
            raise forms.ValidationError("Upload a saved page or paste its HTML or text.")
        return data


def drop_key(user) -> str:
    """The secret part of a user's bookmarklet address: a stored random key (models.py)."""
    from .models import DropBox

    return DropBox.key_for(user)


def _drop_owner(key: str) -> int | None:
    from .models import DropBox

    return DropBox.owner_of(key)


@login_required
@require_POST
def bookmarklet_key_rotate(request):
    """Settings: a new bookmarklet key; the old bookmarklet stops working."""
    from .models import DropBox

    DropBox.rotate(request.user)
    messages.success(
        request,
        "Your bookmarklet has a new key. The old one no longer works: open Import a posting "
        "and drag the new “Save to sayyes” button to your bookmarks bar.",
    )
    return redirect(f"{reverse('settings')}#bookmarklet")


STALE_BOOKMARKLET = (
    "This “Save to sayyes” bookmarklet no longer works: its key was replaced in your sayyes "
    "settings (or it was never right). Sign in to sayyes, open Opportunities → Import → "
    "a job posting, and drag the new button to your bookmarks bar."
)


def _drop_path(user_id: int, token: str):
    if not token or not token.isalnum() or len(token) > 64:
        return None
    return _pending_dir() / f"posting-{int(user_id)}-{token}.json"


def _store_drop(user_id: int, html: str, url: str) -> str:
    import json
    import time
    import uuid

    folder = _pending_dir()
    now = time.time()
    drops = sorted(folder.glob("posting-*.json"), key=lambda p: p.stat().st_mtime)
    for old in drops:
        if now - old.stat().st_mtime > DROP_TTL_SECONDS:
            old.unlink(missing_ok=True)
    if len(list(folder.glob(f"posting-{int(user_id)}-*.json"))) >= MAX_DROPS:
        raise ValueError("too many postings are waiting to be confirmed; try again later")
    body = json.dumps({"html": html, "url": url})
    check_uploads_quota(user_id, len(body.encode("utf-8")))
    token = uuid.uuid4().hex
    _drop_path(user_id, token).write_text(body, encoding="utf-8")
    return token


def _load_drop(user_id: int, token: str):
    import json

    path = _drop_path(user_id, token)
    if path is None or not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(data.get("html", "")), str(data.get("url", ""))


def _as_text_page(text: str) -> str:
    """Pasted text that is not HTML becomes a tiny page: first line title, rest the ad."""
    from html import escape

    if "<" in text and ">" in text:
        return text
    lines = [line for line in text.strip().splitlines()]
    title = lines[0] if lines else ""
    body = "".join(f"<p>{escape(line)}</p>" for line in lines[1:])
    return (
        f"<html><head><title>{escape(title)}</title></head><body><main>{body}</main></body></html>"
    )


@login_required
def posting_import(request):
    from django.urls import reverse

    from sayyes.core.errors import ImportFailed

    from .posting import import_posting, parse_posting

    bookmarklet = _bookmarklet(
        request.build_absolute_uri(reverse("posting_drop", args=[drop_key(request.user)]))
    )
    context = {"bookmarklet": bookmarklet}
    if request.method == "POST" and request.POST.get("action") == "import":
        token = request.POST.get("pending", "")
        dropped = _load_drop(request.user.pk, token)
        if dropped is None:
            messages.error(request, "That page is no longer waiting; send or upload it again.")
            return redirect("posting_import")
        try:
            result = import_posting(request.user, *dropped)
        except ImportFailed as exc:
            context.update(form=PostingForm(), problem=f"{exc}. Nothing was imported.")
            return render(request, "portability/posting_import.html", context, status=400)
        _drop_path(request.user.pk, token).unlink(missing_ok=True)
        messages.success(request, result.summary())
        return redirect("opportunity_detail", pk=result.opportunity.pk)
    if request.method == "POST":
        form = PostingForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload is not None:
                from .posting import _decode

                html = _decode(upload.read())
            else:
                html = _as_text_page(form.cleaned_data["html"])
            try:
                token = _store_drop(request.user.pk, html, form.cleaned_data["url"])
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect(f"{reverse('posting_import')}?pending={token}")
        context["form"] = form
        return render(request, "portability/posting_import.html", context, status=400)
    token = request.GET.get("pending", "")
    context["form"] = PostingForm()
    if token:
        dropped = _load_drop(request.user.pk, token)
        if dropped is None:
            context["problem"] = "That page is no longer waiting; send or upload it again."
        else:
            try:
                context["posting"] = parse_posting(*dropped)
                context["pending"] = token
            except ImportFailed as exc:
                context["problem"] = f"{exc}. Nothing was imported."
    return render(request, "portability/posting_import.html", context)


@csrf_exempt
@require_POST
def posting_drop(request, token: str):
    """Where the bookmarklet posts a page, from the job site's own tab.

    Needs no login and no CSRF token (the browser sends neither across sites), but the
    address carries the user's signed key (``token``), so only someone given that
    bookmarklet can leave a page, and only in that user's drop box. The page is kept for an
    hour under an unguessable name and the browser goes on to the login-protected
    confirmation page. Nothing is imported until the user confirms there, with a
    CSRF-protected form on sayyes's own page.
    """
    from django.http import HttpResponse, HttpResponseBadRequest
    from django.urls import reverse

    user_id = _drop_owner(token)
    if user_id is None:  # a rotated key: say so to whoever clicked it
        return HttpResponse(STALE_BOOKMARKLET, status=404, content_type="text/plain; charset=utf-8")

    html = request.POST.get("html", "")
    url = request.POST.get("url", "")[:1000]
    if not html.strip() or len(html) > MAX_POSTING:
        return HttpResponseBadRequest("No page, or a page larger than 5 MB.")
    try:
        pending = _store_drop(user_id, html, url)
    except UploadsFull as exc:
        return HttpResponse(str(exc), status=413, content_type="text/plain; charset=utf-8")
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    response = redirect(f"{reverse('posting_import')}?pending={pending}")
    response.status_code = 303
    return response


def _bookmarklet(drop_url: str) -> str:
    """A bookmarklet that posts the current page (without styles and plain scripts)."""
    import json

    code = (
        "(function(){var d=document.documentElement.cloneNode(true);"
        "d.querySelectorAll('style,svg,link,iframe,script:not([type=\"application/ld+json\"])')"
        ".forEach(function(e){e.remove()});"
        "var f=document.createElement('form');f.method='post';f.target='_blank';"
        f"f.action={json.dumps(drop_url)};f.acceptCharset='utf-8';"
        "[['html',d.outerHTML],['url',location.href]].forEach(function(p){"
        "var i=document.createElement('textarea');i.name=p[0];i.value=p[1];f.appendChild(i)});"
        "f.style.display='none';document.body.appendChild(f);f.submit();f.remove()})()"
    )
    return "javascript:" + code
