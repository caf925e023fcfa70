"""Account operations shared by the pages, the API and the CLI."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import ApiToken, LoginLink, Profile, validate_timezone


def find_user(name: str):
    User = get_user_model()
    user = User.objects.filter(username__iexact=(name or "").strip()).first()
    if user is None:
        raise ValidationError({"user": f"There is no user named {name!r}."})
    return user


@transaction.atomic
def create_user(
    username: str, email: str = "", password: str | None = None, display_name: str = ""
):
    User = get_user_model()
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = ["Choose a user name."]
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors["username"] = ["A user name has letters, digits and @ . + - _ only."]
        if len(username) > 150:
            errors["username"] = ["A user name has at most 150 characters."]
        if User.objects.filter(username__iexact=username).exists():
            errors["username"] = [f"The user name {username!r} is taken."]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [f"{email!r} is not an email address."]
    if password is not None:
        try:
            password_validation.validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    display_name = " ".join((display_name or "").split())
    if len(display_name) > 150:
        errors["display_name"] = ["A display name has at most 150 characters."]
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(username=username, email=email, password=password)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    profile = Profile.for_user(user)
    if display_name:
        profile.display_name = display_name
        profile.save(update_fields=["display_name"])
    return user


def sign_off(user) -> str:
    """The lines that end every draft this user sends (see ``Profile.sign_off``)."""
    return Profile.for_user(user).sign_off()


ME_FIELDS = ("display_name", "signature", "email", "timezone", "base_currency")


def me(user) -> dict[str, str]:
    profile = Profile.for_user(user)
    return {
        "username": user.username,
        "display_name": profile.display_name,
        "signature": profile.signature,
        "email": user.email,
        "timezone": profile.timezone,
        "base_currency": profile.base_currency,
    }


@transaction.atomic
def update_me(user, **changes: str) -> dict[str, str]:
    """Change what the user says about themselves; all of it or, on any error, nothing."""
    unknown = set(changes) - set(ME_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a field you can change here." for name in unknown})
    profile = Profile.for_user(user)
    fields = []
    if "display_name" in changes:
        profile.display_name = " ".join(changes["display_name"].split())
        fields.append("display_name")
    if "signature" in changes:
        lines = [line.rstrip() for line in changes["signature"].strip().splitlines()]
        profile.signature = "\n".join(lines)
        fields.append("signature")
    if "timezone" in changes:
        profile.timezone = changes["timezone"].strip()
        fields.append("timezone")
    if "base_currency" in changes:
        profile.base_currency = changes["base_currency"].strip().upper()
        fields.append("base_currency")
    errors: dict[str, list[str]] = {}
    try:
        profile.full_clean(exclude=["user", *(f for f in ME_FIELDS if f not in fields)])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    email = changes.get("email")
    if email is not None:
        email = email.strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors["email"] = [f"{email!r} is not an email address."]
    if errors:
        raise ValidationError(errors)
    if fields:
        profile.save(update_fields=fields)
    if email is not None and email != user.email:
        user.email = email
        user.save(update_fields=["email"])
    return me(user)


def issue_token(user, name: str = "") -> str:
    _, raw = ApiToken.issue(user, name)
    return raw


def login_link(user, base_url: str) -> str:
    raw = LoginLink.issue(user)
    return f"{base_url.rstrip('/')}/login/link/{raw}/"


def confirm_timezone(user, name: str | None) -> Profile:
    """The answer to "use your browser's time zone?": ``name`` to use it, None to keep the
    one set. Either way the question is not asked again. A name that is not a time zone is
    a ValidationError and changes nothing."""
    profile = Profile.for_user(user)
    if name is not None:
        validate_timezone(name)
        profile.timezone = name
    profile.timezone_confirmed = True
    profile.save(update_fields=["timezone", "timezone_confirmed"])
    return profile
