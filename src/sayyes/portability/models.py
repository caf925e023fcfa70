"""The bookmarklet's drop box: where a job site's page is left for its owner to confirm."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from sayyes.core.owned import OwnedManager


class DropBox(models.Model):
    """The secret key in a user's bookmarklet address (``.../posting/drop/<key>/``).

    A random key, made on first use and replaced from the settings page (the old
    bookmarklet then stops working, with a message saying so). It is kept as is, since the
    import page shows the bookmarklet each time; whoever holds it can only leave a page
    waiting for the owner's confirmation, and a new key takes that away.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drop_box"
    )
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OwnedManager()

    def __str__(self) -> str:
        return f"bookmarklet drop box of {self.user}"

    @staticmethod
    def _new_key() -> str:
        return secrets.token_urlsafe(24)  # 32 URL-safe characters, 192 random bits

    @classmethod
    def key_for(cls, user) -> str:
        """The user's current key, made on first use."""
        box = cls.objects.filter(user=user).first()
        if box is not None:
            return box.key
        try:
            with transaction.atomic():
                return cls.objects.create(user=user, key=cls._new_key()).key
        except IntegrityError:  # made meanwhile by another request
            return cls.objects.get(user=user).key

    @classmethod
    def rotate(cls, user) -> str:
        """A new key; the bookmarklet with the old one stops working."""
        key = cls._new_key()
        cls.objects.update_or_create(user=user, defaults={"key": key, "created_at": timezone.now()})
        return key

    @classmethod
    def owner_of(cls, key: str) -> int | None:
        if not key or len(key) > 64:
            return None
        return (
            cls.objects.filter(key=key, user__is_active=True)
            .values_list("user_id", flat=True)
            .first()
        )
