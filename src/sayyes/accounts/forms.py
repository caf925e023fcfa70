import functools
from importlib import resources

from django import forms
from django.contrib.auth import get_user_model

from .models import Profile, all_timezones


@functools.cache
def canonical_timezones() -> tuple[str, ...]:
    """The time zones people live in, one name each: the tz database's zone.tab (every
    country's zones, no old aliases such as US/Eastern or Asia/Calcutta), and UTC."""
    try:
        text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        text = ""
    names = {
        line.split("\t")[2]
        for line in text.splitlines()
        if line and not line.startswith("#") and len(line.split("\t")) > 2
    }
    names = {name for name in names if name in all_timezones()}
    if not names:  # no zone.tab: every name with a region
        names = {name for name in all_timezones() if "/" in name and name.split("/")[0] != "Etc"}
    return ("UTC", *sorted(names))


def timezone_choices(current: str = ""):
    """Grouped by region (Africa, America, …), each shown by its place ("Buenos Aires").
    An account's old alias, if it has one, stays choosable."""
    groups: dict[str, list[tuple[str, str]]] = {}
    extra = [current] if current and current not in canonical_timezones() else []
    for name in (*canonical_timezones(), *extra):
        region, _, place = name.partition("/")
        label = place.replace("/", " / ").replace("_", " ") if place else name
        groups.setdefault(region if place else "Universal", []).append((name, label))
    return list(groups.items())


class LoginForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=timezone_choices, label="Time zone")
    email = forms.EmailField(
        required=False, label="Email address", help_text="Where the morning digest goes."
    )

    class Meta:
        model = Profile
        fields = ["timezone", "email", "base_currency", "checkin_after_weeks", "daily_digest"]
        labels = {
            "base_currency": "Base currency (ISO 4217, e.g. USD)",
            "checkin_after_weeks": "Suggest a check-in after (weeks)",
            "daily_digest": "Email me the day's agenda each morning",
        }
        help_texts = {"daily_digest": ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].initial = self.instance.user.email
        zone = self.fields["timezone"]
        zone.choices = timezone_choices(self.instance.timezone)
        zone.widget.attrs["data-search"] = "Search time zones: a city, e.g. Paris"

    def save(self, commit: bool = True):
        self.instance.timezone_confirmed = True  # chosen here: the banner stops asking
        profile = super().save(commit=commit)
        user = profile.user
        if commit and user.email != self.cleaned_data["email"]:
            user.email = self.cleaned_data["email"]
            user.save(update_fields=["email"])
        return profile

    def clean_base_currency(self):
        return (self.cleaned_data.get("base_currency") or "").upper()


class SignatureForm(forms.ModelForm):
    """How drafts are signed: one small section of the settings page."""

    prefix = "signing"

    class Meta:
        model = Profile
        fields = ["display_name", "signature"]
        labels = {"display_name": "Your name", "signature": "Signature (optional)"}
        widgets = {
            "signature": forms.Textarea(
                attrs={
                    "rows": 4,
                    "placeholder": "Priya Natarajan\n+44 20 7946 0000\nlinkedin.com/in/priya",
                }
            )
        }

    def clean_display_name(self):
        return " ".join((self.cleaned_data.get("display_name") or "").split())

    def clean_signature(self):
        text = self.cleaned_data.get("signature") or ""
        return "\n".join(line.rstrip() for line in text.strip().splitlines())


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, required=False, help_text="What will use it, e.g. 'my scripts'"
    )


class SignupForm(forms.Form):
    username = forms.CharField(max_length=150)
    display_name = forms.CharField(
        max_length=150,
        required=False,
        label="Your name",
        help_text="As recruiters see it: it signs your drafts. You can add it later in Settings.",
    )
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("That user name is taken.")
        return name
