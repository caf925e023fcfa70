from django import forms

from sayyes.pipeline.models import ACTIVE_STATUSES, Opportunity

from .models import Category, Persona, PracticeSession


def _opportunities(user):
    return (
        Opportunity.objects.owned_by(user)
        .filter(status__in=ACTIVE_STATUSES)
        .select_related("company")
        .order_by("company__name", "title")
    )


class StartForm(forms.Form):
    mode = forms.ChoiceField(choices=PracticeSession.Mode.choices)
    category = forms.ChoiceField(choices=[("", "—")] + Category.choices, required=False)
    opportunity = forms.ModelChoiceField(queryset=Opportunity.objects.none(), required=False)
    count = forms.IntegerField(min_value=1, max_value=50, initial=5)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = _opportunities(user)
        self.fields["opportunity"].label_from_instance = lambda o: f"{o.company.name} — {o.title}"


class AnswerForm(forms.Form):
    text = forms.CharField(
        label="Your answer",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "Answer as you would out loud…"}),
    )
    duration_seconds = forms.FloatField(
        required=False, min_value=0, max_value=3600, widget=forms.HiddenInput
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), label="Question"
    )
    category = forms.ChoiceField(choices=Category.choices)
    persona = forms.ChoiceField(choices=Persona.choices, label="Usually asked by")
    difficulty = forms.TypedChoiceField(
        choices=[(1, "Easy"), (2, "Medium"), (3, "Hard")], coerce=int, initial=2
    )
    competencies = forms.CharField(
        required=False,
        max_length=500,
        help_text="Separated by commas, e.g. leadership, communication",
    )
    talking_points = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What a strong answer covers: one point per line (2–5).",
    )

    def service_fields(self):
        data = self.cleaned_data
        return {
            "text": data["text"],
            "category": data["category"],
            "persona": data["persona"],
            "difficulty": data["difficulty"],
            "competencies": [c.strip() for c in data["competencies"].split(",") if c.strip()],
            "talking_points": [t.strip() for t in data["talking_points"].splitlines() if t.strip()],
        }


class AskedForm(forms.Form):
    opportunity = forms.ModelChoiceField(queryset=Opportunity.objects.none(), label="Asked for")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = (
            Opportunity.objects.owned_by(user)
            .select_related("company")
            .order_by("company__name", "title")
        )
        self.fields["opportunity"].label_from_instance = lambda o: f"{o.company.name} — {o.title}"
