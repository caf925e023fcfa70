from django.conf import settings


def sayyes(request):
    return {
        "signup_enabled": settings.SAYYES_SIGNUP,
        # Called only by the pages that ask (base.html, signed in): one query then.
        "timezone_to_confirm": lambda: _timezone_to_confirm(request),
    }


def _timezone_to_confirm(request) -> str | None:
    """The account's time zone while the user hasn't confirmed it, else None."""
    from .models import Profile

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    profile = Profile.for_user(user)
    return None if profile.timezone_confirmed else profile.timezone
