import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.db import models
from django.urls import reverse_lazy
from django.utils import timezone

from sayyes.accounts.forms import timezone_choices

from .models import Interview, Opportunity


def https_urls(db_field, **kwargs):
    """Form fields for a model: a URL typed without a scheme means https."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


def company_picker(**attrs) -> forms.TextInput:
    """A company name box whose suggestions (the ``company-names`` datalist the page draws
    with the first few) are asked for as you type: at most 20 names, never all of them.
    Without JavaScript it is a plain text box."""
    return forms.TextInput(
        attrs={
            "list": "company-names",
            "autocomplete": "off",
            "hx-get": reverse_lazy("company_names"),
            "hx-trigger": "input changed delay:250ms",
            "hx-target": "#company-names",
            "hx-swap": "innerHTML",
            "hx-push-url": "false",
            "hx-sync": "this:replace",
            **attrs,
        }
    )


class OpportunityForm(forms.ModelForm):
    company_name = forms.CharField(label="Company", max_length=200, widget=company_picker())

    class Meta:
        model = Opportunity
        formfield_callback = https_urls
        fields = [
            "title",
            "status",
            "priority",
            "posting_url",
            "source",
            "location",
            "remote",
            "salary_min",
            "salary_max",
            "salary_currency",
            "notes",
            "posting_text",
        ]
        labels = {
            "posting_url": "Posting URL",
            "salary_min": "Salary from",
            "salary_max": "Salary to",
            "salary_currency": "Currency",
            "posting_text": "Posting text",
        }
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "posting_text": forms.Textarea(attrs={"rows": 6}),
            "salary_currency": forms.TextInput(attrs={"placeholder": "USD", "size": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["company_name"].initial = self.instance.company.name
        self.order_fields(["company_name", "title"])

    def clean_salary_currency(self):
        return (self.cleaned_data.get("salary_currency") or "").strip().upper()

    def service_fields(self):
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return data


class InterviewForm(forms.ModelForm):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    timezone = forms.ChoiceField(choices=timezone_choices, label="Time zone")
    interviewers = forms.CharField(
        required=False,
        max_length=2000,
        label="Interviewers",
        help_text="Names, separated by commas. Each becomes a contact at the company.",
    )

    class Meta:
        model = Interview
        formfield_callback = https_urls
        fields = [
            "opportunity",
            "kind",
            "status",
            "duration_minutes",
            "location",
            "video_url",
            "notes",
            "topics",
        ]
        labels = {
            "duration_minutes": "Duration (minutes)",
            "video_url": "Video link",
            "location": "Place",
        }
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "topics": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, default_tz="UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = (
            Opportunity.objects.owned_by(user)
            .select_related("company")
            .order_by("company__name", "title")
        )
        self.fields["opportunity"].label_from_instance = lambda o: f"{o.company.name} — {o.title}"
        self.order_fields(
            [
                "opportunity",
                "kind",
                "date",
                "time",
                "timezone",
                "duration_minutes",
                "status",
                "interviewers",
                "location",
                "video_url",
                "notes",
                "topics",
            ]
        )
        if self.instance.pk:
            local = self.instance.starts_at.astimezone(zoneinfo.ZoneInfo(self.instance.timezone))
            self.fields["date"].initial = local.date()
            self.fields["time"].initial = local.time().replace(second=0, microsecond=0)
            self.fields["timezone"].initial = self.instance.timezone
            self.fields["timezone"].choices = timezone_choices(self.instance.timezone)
            self.fields["interviewers"].initial = ", ".join(
                c.name for c in self.instance.interviewers.all()
            )
        else:
            self.fields["timezone"].initial = default_tz

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time") and data.get("timezone"):
            local = datetime.combine(data["date"], data["time"])
            zone = zoneinfo.ZoneInfo(data["timezone"])
            starts_at = timezone.make_aware(local, zone)
            # A time the clocks skip (the spring change) would silently move by an hour.
            if starts_at.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
                self.add_error(
                    "time",
                    f"{local:%H:%M} does not exist on {local:%Y-%m-%d} in "
                    f"{data['timezone']}: the clocks change then. Pick another time.",
                )
            else:
                data["starts_at"] = starts_at
        return data

    def interviewer_names(self) -> list[str]:
        return [n for n in self.cleaned_data.get("interviewers", "").split(",") if n.strip()]

    def service_fields(self):
        # The model's fields of the form but the opportunity, which the view passes itself.
        fields = {k: self.cleaned_data[k] for k in self.Meta.fields if k != "opportunity"}
        fields["starts_at"] = self.cleaned_data["starts_at"]
        fields["timezone"] = self.cleaned_data["timezone"]
        return fields
