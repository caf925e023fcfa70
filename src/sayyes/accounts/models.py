"""Accounts: per-user settings, API tokens, one-time login links, login throttling."""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import zoneinfo
from datetime import timedelta

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from sayyes.core.owned import OwnedManager

log = logging.getLogger(__name__)


@functools.cache
def all_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in all_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/Paris or UTC.")


def validate_currency(value: str) -> None:
    if not value or len(value) != 3 or pycountry.currencies.get(alpha_3=value.upper()) is None:
        raise ValidationError(f"{value!r} is not an ISO 4217 currency code such as USD or EUR.")


# What signs a draft when the account has no name yet: plainly something to fill in.
NO_NAME = "[Your name: add it in Settings]"
SIGNATURE_MAX_CHARS = 500
SIGNATURE_MAX_LINES = 6


def validate_display_name(value: str) -> None:
    if "\n" in value or "\r" in value:
        raise ValidationError("A display name is one line.")
    if value and not value.strip():
        raise ValidationError("A display name needs a letter or two, not only spaces.")


def validate_signature(value: str) -> None:
    lines = [line for line in value.strip().splitlines() if line.strip()]
    if len(lines) > SIGNATURE_MAX_LINES:
        raise ValidationError(
            f"A signature has at most {SIGNATURE_MAX_LINES} lines (name, phone, LinkedIn…); "
            f"this one has {len(lines)}."
        )


def hash_token(token: str) -> str:
    """What is stored of a secret token (API tokens, login links, calendar feeds)."""
    return hashlib.sha256(token.encode()).hexdigest()


class Profile(models.Model):
    """What a user sets once: where they are and what money they think in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    base_currency = models.CharField(max_length=3, default="USD", validators=[validate_currency])
    checkin_after_weeks = models.PositiveSmallIntegerField(
        default=8, help_text="Suggest checking in with a contact after this many quiet weeks."
    )
    daily_digest = models.BooleanField(
        default=True, help_text="Email me the day's agenda each morning."
    )
    last_digest_on = models.DateField(null=True, blank=True, editable=False)
    # False until the user chose a time zone (or kept this one): until then each page
    # proposes the browser's.
    timezone_confirmed = models.BooleanField(default=False)
    display_name = models.CharField(
        max_length=150,
        blank=True,
        validators=[validate_display_name],
        help_text="Your name as recruiters see it: it signs every draft.",
    )
    signature = models.TextField(
        max_length=SIGNATURE_MAX_CHARS,
        blank=True,
        validators=[validate_signature],
        help_text="Optional: the lines under your drafts, e.g. your name, phone and LinkedIn.",
    )

    objects = OwnedManager()

    def __str__(self) -> str:
        return f"settings of {self.user}"

    def sign_off(self) -> str:
        """What ends every draft: the signature, else the display name, else the account's
        full name; never the login name (a placeholder asks for a name instead)."""
        return (
            self.signature.strip()
            or self.display_name.strip()
            or self.user.get_full_name().strip()
            or NO_NAME
        )

    @classmethod
    def for_user(cls, user) -> Profile:
        profile, _ = cls.objects.get_or_create(user=user)
        return profile


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is kept; it is shown once."""

    PREFIX = "sy_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.hint}… ({self.name or 'token'})"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple[ApiToken, str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, token_hash=hash_token(raw), hint=raw[: len(cls.PREFIX) + 6]
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str):
        """Return the active user the token belongs to, or None."""
        token = (
            cls.objects.select_related("user")
            .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    def revoke(self) -> None:
        ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


class LoginLink(models.Model):
    """A one-time login link, as printed by ``sayyes serve`` (the Jupyter convention)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedManager()

    def __str__(self) -> str:
        return f"login link for {self.user}"

    @classmethod
    def issue(cls, user) -> str:
        raw = secrets.token_urlsafe(32)
        minutes = settings.SAYYES_LOGIN_LINK_MINUTES
        cls.objects.create(
            user=user,
            token_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(minutes=minutes),
        )
        return raw

    @classmethod
    def redeem(cls, raw: str):
        """Use the link once: return its user, or None when unknown, used or expired."""
        now = timezone.now()
        link = cls.objects.filter(token_hash=hash_token(raw)).select_related("user").first()
        if link is None or not link.user.is_active:
            return None
        # A conditional update: of two simultaneous clicks, only one wins.
        won = cls.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        )
        return link.user if won else None


class FailedLogin(models.Model):
    """One failed password login, counted per username (known or not) to throttle guessing."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"failed login for {self.username} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def key(cls, username: str) -> str:
        return (username or "").strip().lower()[:150]

    @classmethod
    def attempt(cls, username: str) -> FailedLogin | None:
        """Count a password attempt before checking it: the attempt's row (kept if the
        password is wrong, see :meth:`passed`), or None when the name has had its fill today.

        Atomic without a lock: the row is written and committed first, then every attempt
        of the day is counted, its own and any running alongside included. Of N guesses at
        once, at most the limit see a count within it (the last of them to count sees every
        earlier one's committed row), so N parallel guesses make at most that many password
        checks, on SQLite as on PostgreSQL.
        """
        limit = settings.SAYYES_LOGIN_ATTEMPTS_PER_DAY
        key = cls.key(username)
        with transaction.atomic():  # its own transaction, committed before the count
            row = cls.objects.create(username=key)
        since = timezone.now() - timedelta(days=1)
        count = cls.objects.filter(username=key, at__gte=since).count()
        if count <= limit:
            return row
        cls.objects.filter(pk=row.pk).delete()  # a refused attempt checks nothing
        log.warning(
            "password login refused for user name %r: %s failed attempts in a day",
            key,
            count - 1,
        )
        return None

    @classmethod
    def passed(cls, row: FailedLogin) -> None:
        """The password was right: the attempt was no failure."""
        cls.objects.filter(pk=row.pk).delete()

    @classmethod
    def record(cls, username: str) -> None:
        cls.objects.create(username=cls.key(username))
        cls.forget_old()

    @classmethod
    def forget_old(cls) -> None:
        # Keep the table small: anything older than a day no longer counts.
        cls.objects.filter(at__lt=timezone.now() - timedelta(days=2)).delete()
