from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "sayyes.agenda"
    label = "agenda"
