"""Turning a service's ValidationError into what a page shows: one place for every view."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def apply_errors(form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put each message on the form field it names (or on the form when no field matches).

    ``aliases`` maps a service's field name to the form's, e.g. company_id → company_name.
    """
    for field, messages in exc.message_dict.items():
        name = (aliases or {}).get(field, field)
        form.add_error(name if name in form.fields else None, messages)


def error_text(exc: ValidationError) -> str:
    """Every message of the error as one sentence-run, for a banner."""
    return " ".join(message for messages in exc.message_dict.values() for message in messages)
