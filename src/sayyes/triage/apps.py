from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "sayyes.triage"
    label = "triage"
    verbose_name = "Invitation triage"
