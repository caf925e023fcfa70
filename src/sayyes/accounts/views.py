from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from sayyes.core.forms import redirect_back, render_form
from sayyes.validation import apply_errors

from . import services
from .forms import LoginForm, ProfileForm, SignatureForm, SignupForm, TokenForm
from .models import ApiToken, FailedLogin, LoginLink, Profile

GENERIC_LOGIN_ERROR = "That user name and password don't match, or this account is locked for today after too many attempts."


def _next_url(request, fallback="dashboard"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


def login_view(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        # Known and unknown names get the same answer and the same limit. The attempt is
        # counted before the password is checked, so parallel guesses can't slip past it.
        attempt = FailedLogin.attempt(username)
        if attempt is None:
            error = GENERIC_LOGIN_ERROR
        else:
            # Names are unique whatever their case (sign-up, the CLI and the throttle all
            # ignore case), so "Alice" signs in as alice.
            known = get_user_model().objects.filter(username__iexact=username).first()
            user = django_authenticate(
                request,
                username=known.username if known else username,
                password=form.cleaned_data["password"],
            )
            if user is None:
                FailedLogin.forget_old()  # the attempt's row stays: a failure
                error = GENERIC_LOGIN_ERROR
            else:
                FailedLogin.passed(attempt)
                login(request, user)
                return redirect(_next_url(request))
    return render_form(
        request,
        "accounts/login.html",
        {"form": form, "error": error, "next": request.GET.get("next", "")},
        form,
        error,
    )


def link_login(request, token):
    user = LoginLink.redeem(token)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=404)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Welcome, {user.username}.")
    return redirect("dashboard")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


def signup(request):
    if not settings.SAYYES_SIGNUP:
        raise Http404("Sign-up is off on this server.")
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(
                form.cleaned_data["username"],
                form.cleaned_data["email"],
                form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("dashboard")
    return render_form(request, "accounts/signup.html", {"form": form}, form)


@login_required
def settings_view(request):
    profile = Profile.for_user(request.user)
    signing = request.POST.get("section") == "signing"
    form = ProfileForm(None if signing else request.POST or None, instance=profile)
    signature_form = SignatureForm(request.POST if signing else None, instance=profile)
    bound = signature_form if signing else form
    if request.method == "POST" and bound.is_valid():
        bound.save()
        messages.success(
            request, "Your name and signature are saved." if signing else "Settings saved."
        )
        return redirect("settings")
    tokens = ApiToken.objects.owned_by(request.user).filter(revoked_at__isnull=True)
    new_token = request.session.pop("new_token", None) if request.method == "GET" else None
    new_feed = request.session.pop("new_feed", None) if request.method == "GET" else None
    # The agenda's calendar feed, through the reverse one-to-one: accounts doesn't import agenda.
    feed = getattr(request.user, "calendar_feed", None)
    return render_form(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "signature_form": signature_form,
            "sign_off": profile.sign_off(),
            "tokens": tokens,
            "token_form": TokenForm(),
            "new_token": new_token,
            "new_feed": new_feed,
            "feed": feed,
        },
        bound,
    )


@login_required
@require_POST
def timezone_confirm(request):
    """The answer to "use your browser's time zone?" (base.html asks until answered)."""
    keep = request.POST.get("keep") == "1"
    try:
        profile = services.confirm_timezone(
            request.user, None if keep else request.POST.get("browser_timezone", "").strip()
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Times are shown in {profile.timezone}; change it in settings.")
    return redirect_back(request, "dashboard")


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A token name has at most 100 characters.")
        return redirect("settings")
    raw = services.issue_token(request.user, form.cleaned_data["name"])
    # Shown once, on the next page: a reload after the redirect makes no second token.
    request.session["new_token"] = raw
    return redirect("settings")


@login_required
@require_POST
def token_revoke(request, pk):
    token = ApiToken.objects.filter(revoked_at__isnull=True).get_for(request.user, pk)
    token.revoke()
    messages.success(request, f"Token {token.hint}… revoked.")
    return redirect("settings")


@login_required
def password_change(request):
    # Accounts made by `sayyes serve` sign in by link and may have no password yet.
    form_class = PasswordChangeForm if request.user.has_usable_password() else SetPasswordForm
    form = form_class(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, "Password changed.")
        return redirect("settings")
    return render_form(request, "accounts/password_change.html", {"form": form}, form)
