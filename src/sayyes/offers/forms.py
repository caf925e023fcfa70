import json

from django import forms
from django.db import models
from django.utils import timezone

from sayyes.pipeline.models import Opportunity

from .models import ExchangeRate, NegotiationRound, Offer
from .services import CRITERIA, OFFER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# What the offer form edits: every field of an offer but the vesting percentages (typed as
# text, see percent_text) and the negotiation numbers (on the negotiation page).
FIELDS = [f for f in OFFER_FIELDS if f not in ("vesting_percent_by_year", "target", "walk_away")]


def _default(name: str) -> object:
    """The offer field's default (``NOT_PROVIDED`` when it has none)."""
    field = Offer._meta.get_field(name)
    assert isinstance(field, models.Field), name
    return field.default


class OfferForm(forms.ModelForm):
    opportunity = forms.ModelChoiceField(
        queryset=Opportunity.objects.none(), required=False, label="Opportunity"
    )
    percent_text = forms.CharField(
        label="Vesting percent by year",
        required=False,
        max_length=200,
        help_text="Optional, for uneven schedules: e.g. 5/15/40/40 (must add up to 100). "
        "Empty = equal every year.",
    )

    class Meta:
        model = Offer
        fields = FIELDS
        labels = {
            "label": "Name",
            "base_salary": "Base salary per year",
            "bonus_kind": "Bonus is",
            "bonus_value": "Target bonus",
            "sign_on": "Sign-on bonus",
            "sign_on_clawback_months": "Sign-on clawback (months)",
            "equity_kind": "Equity",
            "rsu_grant_value": "RSU grant value (whole grant)",
            "option_count": "Number of options",
            "option_strike": "Strike price per share",
            "option_value": "Current value per share",
            "vesting_years": "Vesting years",
            "cliff_months": "Cliff (months)",
            "vesting_frequency": "Vests",
            "retirement_match": "Retirement match per year",
            "benefits_value": "Other benefits per year",
            "pto_days": "Paid time off (days)",
            "remote_policy": "Remote policy",
            "deadline": "Answer by",
        }
        help_texts = {
            "currency": "ISO 4217 code, e.g. USD, EUR, GBP",
            "label": "Optional; the company and title are used when empty",
            "bonus_value": "A percent of base (e.g. 15) or a yearly amount",
        }
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE,
            "deadline": DATE,
        }

    def __init__(self, *args, user, current: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current or self.instance.is_current
        if self.current:
            del self.fields["opportunity"]
            for name in ("deadline", "status", "sign_on_clawback_months"):
                self.fields.pop(name)
            self.fields["label"].required = True
            self.fields["label"].help_text = "e.g. your employer and role"
        else:
            opportunity = self.fields["opportunity"]
            assert isinstance(opportunity, forms.ModelChoiceField)
            opportunity.queryset = Opportunity.objects.owned_by(user).select_related("company")
            # Picking an opportunity proposes its salary's currency (app.js).
            opportunity.widget.attrs["data-currencies"] = json.dumps(
                dict(
                    opportunity.queryset.exclude(salary_currency="").values_list(
                        "pk", "salary_currency"
                    )
                )
            )
            self.fields["opportunity"].required = not self.instance.pk
            if self.instance.pk:
                self.fields["opportunity"].initial = self.instance.opportunity_id
        if self.instance.pk:
            self.fields["percent_text"].initial = "/".join(
                self.instance.vesting_percent_by_year or []
            )
        # Amounts and counts left empty mean their default (0, or 4 years and a 12-month cliff).
        for name, field in self.fields.items():
            default = _default(name) if name in FIELDS else None
            if default is not None and not isinstance(default, str) and not callable(default):
                field.required = False
        self.fields["currency"].widget.attrs.update({"maxlength": 3, "autocomplete": "off"})
        self.order_fields(["opportunity", *FIELDS[:15], "percent_text"])

    def _post_clean(self):
        # The service checks the whole offer (after the percentages and the cliff); here
        # only the fields' own checks run, so each error is reported once.
        pass

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in FIELDS}
        for name, value in data.items():
            default = _default(name)
            if value is None and not self.fields[name].required and default is not None:
                data[name] = default if not callable(default) else None
        data["vesting_percent_by_year"] = self.cleaned_data.get("percent_text", "")
        return data


class PlanForm(forms.Form):
    target = forms.DecimalField(
        max_digits=14, decimal_places=2, required=False, label="Target base salary"
    )
    walk_away = forms.DecimalField(
        max_digits=14, decimal_places=2, required=False, label="Walk-away base salary"
    )


class RoundForm(forms.ModelForm):
    class Meta:
        model = NegotiationRound
        fields = ["on", "your_ask", "their_answer", "their_amount", "notes"]
        labels = {
            "on": "Date",
            "your_ask": "You asked for",
            "their_answer": "Their answer",
            "their_amount": "They offered",
        }
        widgets = {
            "on": DATE,
            "their_answer": forms.TextInput(),
            "notes": forms.TextInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate

    def _post_clean(self):
        pass


class RateForm(forms.ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["from_currency", "to_currency", "rate", "as_of"]
        labels = {"from_currency": "1 unit of", "to_currency": "is worth, in", "as_of": "On"}
        widgets = {"as_of": DATE}

    def _post_clean(self):
        pass


class RatingsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CRITERIA.items():
            if name != "money":
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
                )
