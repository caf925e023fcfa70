"""Errors every door understands: pages show them, the API answers them, the CLI prints them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404


class NotFound(Http404):
    """No such object for this user: another user's object is not found, never forbidden.

    A subclass of ``Http404``, so a page answers 404 and the API ``{"detail": "Not found."}``
    without a handler of their own; the CLI prints its message.
    """

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadParameter(ValueError):
    """A request parameter that can't be read (``ids=1,x``): a 422 or 400 naming it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


class ImportFailed(ValueError):
    """A file cannot be imported; nothing was written.

    ``str(exc)`` is one line naming the line number (when there is one) and the problem,
    e.g. ``line 14: expected 7 fields, found 9``. ``exc.line`` is the line number or None.
    """

    def __init__(self, problem: str, line: int | None = None) -> None:
        problem = " ".join(str(problem).split())  # always one line
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}" if line is not None else problem)


def validation_text(exc: ValidationError) -> str:
    """Every message of a ValidationError as one run of sentences."""
    if hasattr(exc, "error_dict"):
        return " ".join(m for messages in exc.message_dict.values() for m in messages)
    return " ".join(exc.messages)


def one_line(exc: BaseException) -> str:
    """The text the CLI prints for a failure: one line, no traceback, no class names."""
    if isinstance(exc, ValidationError):
        text = validation_text(exc)
    elif isinstance(exc, NotFound):
        text = exc.message
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())
