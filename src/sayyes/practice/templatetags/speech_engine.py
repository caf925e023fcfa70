"""``{% speech_engine %}``: the speech model voice answers use, for the settings page (which
belongs to accounts, an app that does not import practice)."""

from __future__ import annotations

from django import template

from sayyes.conf import ConfigError

from ..speech.models import planned

register = template.Library()


@register.inclusion_tag("practice/_speech_engine.html")
def speech_engine() -> dict:
    try:
        return {"engine": planned(), "error": None}
    except ConfigError as exc:
        return {"engine": None, "error": str(exc)}
