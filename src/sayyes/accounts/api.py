"""The accounts API: ``/me``, what the caller says about themselves (always their own)."""

from __future__ import annotations

from typing import Annotated

from ninja import Router, Schema
from pydantic import StringConstraints

from sayyes.core.api import In, reject_nulls

from . import services

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    display_name: str
    signature: str
    email: str
    timezone: str
    base_currency: str


class MePatch(In):
    """Send only what changes; an empty display name or signature clears it."""

    display_name: Annotated[str, StringConstraints(max_length=150)] | None = None
    signature: Annotated[str, StringConstraints(max_length=500)] | None = None
    email: Annotated[str, StringConstraints(max_length=254)] | None = None
    timezone: Annotated[str, StringConstraints(max_length=64)] | None = None
    base_currency: Annotated[str, StringConstraints(max_length=3)] | None = None


@router.get("/me", response=MeOut)
def get_me(request):
    """You: your names as drafts sign them, your email, time zone and base currency."""
    return services.me(request.auth)


@router.patch("/me", response=MeOut)
def patch_me(request, payload: MePatch):
    """Change your display name, signature, email, time zone or base currency."""
    reject_nulls(payload)
    changes = payload.model_dump(exclude_unset=True)
    return services.update_me(request.auth, **changes)
