"""The debrief form: built per user, since each user rates their own dimensions."""

from __future__ import annotations

from django import forms

from sayyes.network.models import Contact

RATING_CHOICES = [
    ("", "Not rated"),
    ("1", "1 · poor"),
    ("2", "2 · weak"),
    ("3", "3 · fair"),
    ("4", "4 · good"),
    ("5", "5 · excellent"),
]
TEXTS = {
    "learned_requirements": "What you learned about the position's requirements",
    "learned_strategy": "About the department's strategy",
    "learned_goals": "About the company's goals",
    "likes": "What you liked",
    "dislikes": "What you didn't like",
}


def _area(label: str, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=10_000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class DebriefForm(forms.Form):
    def __init__(self, *args, dimensions: list[str], interview, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        self.fields["questions_asked"] = _area(
            "Questions you were asked",
            rows=5,
            help_text="One per line. Each goes into your practice bank, once.",
        )
        self.fields["topics"] = _area(
            "Topics we discussed",
            help_text="One short phrase a line, e.g. “their move to event-driven billing”. "
            "Your thank-you notes mention one or two.",
        )
        self.fields["topics"].initial = interview.topics
        for name, label in TEXTS.items():
            self.fields[name] = _area(label)
        company = interview.opportunity.company
        self.fields["people"] = forms.ModelMultipleChoiceField(
            label="People you met",
            required=False,
            queryset=Contact.objects.owned_by(interview.owner)
            .filter(pk__in=_people_ids(interview, company))
            .order_by("name"),
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["people_names"] = forms.CharField(
            label="Others you met",
            required=False,
            max_length=2000,
            help_text=f"Names separated by commas; each becomes a contact at {company.name}.",
        )
        for i, name in enumerate(dimensions):
            self.fields[f"rating_{i}"] = forms.ChoiceField(
                label=name.capitalize(), choices=RATING_CHOICES, required=False
            )
        self.fields["new_dimension"] = forms.CharField(
            label="Rate something else too",
            required=False,
            max_length=40,
            help_text="A dimension of your own, e.g. commute; it stays for later debriefs.",
        )
        self.fields["new_dimension_rating"] = forms.ChoiceField(
            label="Its rating", choices=RATING_CHOICES, required=False
        )
        self.fields["overall_interest"] = forms.ChoiceField(
            label="Overall interest in this company",
            choices=RATING_CHOICES,
            required=False,
        )
        self.fields["notes"] = _area("Notes", rows=4)

    def rating_fields(self):
        return [self[f"rating_{i}"] for i in range(len(self.dimensions))]

    def ratings(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"rating_{i}"]
            for i, name in enumerate(self.dimensions)
            if self.cleaned_data.get(f"rating_{i}")
        }


def _people_ids(interview, company) -> set[int]:
    ids = set(
        Contact.objects.owned_by(interview.owner)
        .filter(company=company)
        .values_list("pk", flat=True)
    )
    ids |= set(interview.interviewers.values_list("pk", flat=True))
    debrief = getattr(interview, "debrief", None) if hasattr(interview, "debrief") else None
    if debrief is not None:
        ids |= set(debrief.people.values_list("pk", flat=True))
    return ids


def initial_for(debrief, dimensions: list[str], questions: list[str]) -> dict:
    if debrief is None:
        return {}
    initial = {name: getattr(debrief, name) for name in TEXTS}
    initial["notes"] = debrief.notes
    initial["questions_asked"] = "\n".join(questions)
    initial["people"] = list(debrief.people.all())
    initial["overall_interest"] = str(debrief.overall_interest or "")
    for i, name in enumerate(dimensions):
        value = (debrief.ratings or {}).get(name)
        initial[f"rating_{i}"] = str(value) if value else ""
    return initial
