"""What invitations leave behind: which calendar event made which interview, the user's own
addresses, and the mailbox the worker watches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from sayyes.core.owned import OwnedManager


class Invitation(models.Model):
    """A calendar event (its UID) and the interview it made: the same UID again updates it."""

    class Source(models.TextChoices):
        FILE = "file", "A file"
        EMAIL = "email", "An e-mail"
        TEXT = "text", "Pasted text"
        MAILBOX = "mailbox", "The watched mailbox"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    interview = models.ForeignKey(
        "pipeline.Interview", on_delete=models.CASCADE, related_name="invitations"
    )
    uid = models.CharField(max_length=500, help_text="The calendar event's UID")
    sequence = models.PositiveIntegerField(default=0, help_text="The event's SEQUENCE")
    organizer_email = models.EmailField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FILE)
    received_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OwnedManager()

    class Meta:
        ordering = ["-received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "uid"], name="invitation_uid_once_per_user")
        ]

    def __str__(self) -> str:
        return f"invitation {self.uid} (sequence {self.sequence})"


class OwnAddresses(models.Model):
    """The user's other e-mail addresses, skipped among an invitation's attendees."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="own_addresses"
    )
    addresses = models.JSONField(default=list, blank=True)

    objects = OwnedManager()

    def __str__(self) -> str:
        return f"own addresses of {self.user}"


class Mailbox(models.Model):
    """An IMAP folder the worker watches for invitations (over TLS, always).

    The app password is kept encrypted (Fernet) with a key in the data directory; the
    messages handled are remembered by UIDVALIDITY and the highest UID seen.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mailbox"
    )
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=993)
    username = models.CharField(max_length=255)
    password_encrypted = models.TextField(editable=False, help_text="A Fernet token")
    folder = models.CharField(max_length=255, default="INBOX")
    enabled = models.BooleanField(default=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    last_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The server refused the password: not tried again until the settings change, so a
    # wrong password never gets the account locked by the mail provider.
    login_failed = models.BooleanField(default=False, editable=False)
    imported_count = models.PositiveIntegerField(default=0, editable=False)

    objects = OwnedManager()

    def __str__(self) -> str:
        return f"{self.username} on {self.host} ({self.folder})"
