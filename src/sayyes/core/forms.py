"""What every page with a form does the same way, written once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme


def has_errors(*forms: Any) -> bool:
    """Whether any of these forms (or error texts) has something wrong; None counts as none."""
    for form in forms:
        if form is None or form is False:
            continue
        if isinstance(form, str | list | dict | tuple):
            if form:
                return True
        elif getattr(form, "errors", None):
            return True
    return False


def render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *forms: Any
) -> HttpResponse:
    """Render a page with a form: 400 when the form (or an error text) says something is
    wrong, so tests and tools see the refusal, and 200 otherwise. What was typed stays."""
    return render(request, template, context, status=400 if has_errors(*forms) else 200)


def confirm_delete(
    request: HttpRequest,
    obj: Any,
    *,
    what: str,
    delete: Callable[[], object],
    cancel_url: str,
    done_url: str,
    consequence: str = "",
    done_message: str | None = None,
) -> HttpResponse:
    """The shared delete flow: GET asks (naming what goes with it), POST deletes and
    redirects with a message. ``delete`` is the service call that does the work."""
    if request.method == "POST":
        label = str(obj)
        delete()
        messages.success(request, done_message or f"Deleted {label}.")
        return redirect(done_url)
    return render(
        request,
        "confirm_delete.html",
        {"object": obj, "what": what, "consequence": consequence, "cancel_url": cancel_url},
    )


def redirect_back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the form was on (its ``next`` field), never to another site or a
    URL name; else to ``fallback`` (a URL name)."""
    nxt = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(nxt, allowed_hosts=None) and nxt.startswith("/")
    return redirect(nxt if safe else fallback)
