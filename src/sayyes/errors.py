"""Friendly error pages: no traceback ever reaches a user."""

from django.shortcuts import render


def _page(request, status, title, message):
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def not_found(request, exception=None):
    return _page(request, 404, "Not found", "There is nothing here, or it isn't yours to see.")


def server_error(request):
    return _page(
        request,
        500,
        "Something went wrong",
        "sayyes hit an error. Nothing you typed was saved half-way; please try again.",
    )


def forbidden(request, exception=None):
    return _page(
        request,
        403,
        "Not allowed",
        "This request was refused. If you were filling a form, reload the page and try again.",
    )


def bad_request(request, exception=None):
    return _page(request, 400, "Bad request", "sayyes could not understand this request.")
