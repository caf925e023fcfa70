"""Validators every app's models share (the database layer: forms, API and imports meet here)."""

from __future__ import annotations

from django.core.validators import URLValidator

# A link sayyes shows as a link: web addresses only. Django's URLField also takes ftp:// and
# ftps://, and nothing but this stops a hand-edited archive's javascript: link.
web_url = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address that starts with http:// or https://.",
)
