"""Small template helpers for the pipeline pages."""

from functools import cache

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from sayyes.pipeline.models import Status

register = template.Library()
SELECTED = mark_safe(" selected")


@cache
def _status_options(current: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, SELECTED if value == current else "", label) for value, label in Status.choices),
    )


@register.simple_tag
def status_options(current: str) -> SafeString:
    """The <option>s of the status menu, with ``current`` selected (built once per status).

    The board draws hundreds of cards; building these once keeps it fast.
    """
    return _status_options(current)
