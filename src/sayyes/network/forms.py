import zoneinfo
from datetime import datetime

from django import forms
from django.utils import timezone

from sayyes.pipeline.forms import company_picker, https_urls

from .models import Contact, FollowUp, Interaction


class ContactForm(forms.ModelForm):
    company_name = forms.CharField(
        label="Company",
        max_length=200,
        required=False,
        widget=company_picker(),
    )
    tags_text = forms.CharField(
        label="Tags",
        max_length=500,
        required=False,
        help_text="Separated by commas, e.g. mentor, data",
    )

    class Meta:
        model = Contact
        formfield_callback = https_urls
        fields = ["name", "email", "phone", "linkedin_url", "title", "how_met", "notes"]
        labels = {"linkedin_url": "LinkedIn URL", "how_met": "How you met"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["company_name"].initial = (
                self.instance.company.name if self.instance.company else ""
            )
            self.fields["tags_text"].initial = ", ".join(self.instance.tags)
        self.order_fields(
            [
                "name",
                "company_name",
                "title",
                "email",
                "phone",
                "linkedin_url",
                "how_met",
                "tags_text",
                "notes",
            ]
        )

    def service_fields(self):
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["tags"] = self.cleaned_data["tags_text"]
        return data


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(choices=Interaction.Kind.choices)
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        help_text="Today when left empty",
    )
    note = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "What about?"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"kind": "What happened", "date": "When (today if empty)", "note": "Note"}
        for name, label in labels.items():
            self.fields[name].widget.attrs["aria-label"] = label

    def at(self, tzname: str):
        day = self.cleaned_data.get("date")
        if not day:
            return timezone.now()
        return datetime.combine(
            day, datetime.min.time().replace(hour=12), zoneinfo.ZoneInfo(tzname)
        )


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(
        choices=FollowUp.Kind.choices,
        initial=FollowUp.Kind.CHECK_IN,
        widget=forms.Select(attrs={"aria-label": "Kind of follow-up"}),
    )
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date", "aria-label": "Due on"}), label="Due"
    )
    note = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Note (optional)", "aria-label": "Note"}),
    )

    def due_at(self, tzname: str):
        return datetime.combine(
            self.cleaned_data["date"],
            datetime.min.time().replace(hour=9),
            zoneinfo.ZoneInfo(tzname),
        )


class ThankYouForm(forms.Form):
    to = forms.EmailField(required=False, label="To")
    subject = forms.CharField(max_length=300)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), max_length=20_000)


class TopicsForm(forms.Form):
    topics = forms.CharField(
        label="Topics we discussed",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One short phrase a line; the note mentions the first one or two.",
    )


class ImportForm(forms.Form):
    KINDS = [("linkedin", "LinkedIn Connections.csv"), ("vcard", "vCard (.vcf)")]
    kind = forms.ChoiceField(
        choices=KINDS, widget=forms.RadioSelect, initial="linkedin", label="File type"
    )
    file = forms.FileField(help_text="At most 20 MB.")
    dry_run = forms.BooleanField(
        required=False, label="Check only: show what would happen, import nothing"
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 20 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 20 MB.")
        return f
