from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "sayyes.portability"
    verbose_name = "Imports, archive, backup and account deletion"
