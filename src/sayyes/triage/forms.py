from django import forms

from sayyes.pipeline.models import INDUSTRIES

from .costs import MAX_TRAVEL_MINUTES
from .models import DealBreakers


class DealBreakersForm(forms.ModelForm):
    avoid_industries = forms.MultipleChoiceField(
        choices=[(i, i) for i in INDUSTRIES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Industries I won't work in",
    )

    class Meta:
        model = DealBreakers
        fields = [
            "minimum_salary",
            "salary_currency",
            "remote_only",
            "no_relocation",
            "home_location",
            "max_travel_minutes",
            "avoid_industries",
        ]
        labels = {
            "minimum_salary": "Minimum yearly salary",
            "salary_currency": "Currency of that salary (e.g. EUR)",
            "remote_only": "Remote roles only",
            "no_relocation": "I won't relocate",
            "home_location": "Where I live",
            "max_travel_minutes": "Longest trip to an interview (minutes, one way)",
        }
        widgets = {"salary_currency": forms.TextInput(attrs={"placeholder": "EUR", "size": 4})}

    def clean_salary_currency(self):
        return (self.cleaned_data.get("salary_currency") or "").strip().upper()

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TravelForm(forms.Form):
    travel_minutes = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_TRAVEL_MINUTES,
        label="Travel time, one way (minutes)",
        help_text="Leave empty for a video or phone interview.",
    )


class ItemForm(forms.Form):
    text = forms.CharField(max_length=500, label="Add your own item")
