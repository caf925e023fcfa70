"""The agenda: a secret calendar feed per user."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from sayyes.accounts.models import hash_token
from sayyes.core.owned import OwnedManager


class CalendarFeed(models.Model):
    """The secret address calendar apps subscribe to. Only its hash is kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedManager()

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"

    @classmethod
    def regenerate(cls, user) -> str:
        """A new secret address; the old one stops working. Returns the raw token."""
        raw = secrets.token_urlsafe(24)
        cls.objects.update_or_create(
            user=user, defaults={"token_hash": hash_token(raw), "created_at": timezone.now()}
        )
        return raw

    @classmethod
    def revoke(cls, user) -> None:
        cls.objects.filter(user=user).delete()

    @classmethod
    def user_for(cls, raw: str):
        feed = cls.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
        if feed is None or not feed.user.is_active:
            return None
        cls.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
        return feed.user
