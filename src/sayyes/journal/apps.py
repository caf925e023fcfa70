from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "sayyes.journal"
    label = "journal"
