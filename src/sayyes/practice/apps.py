from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_bank(sender, **kwargs):
    from .services import load_bank

    load_bank()


class PracticeConfig(AppConfig):
    name = "sayyes.practice"
    label = "practice"

    def ready(self) -> None:
        # Each migrate adds new built-in questions and refreshes changed ones.
        post_migrate.connect(_load_bank, sender=self)
        from . import signals  # noqa: F401 - deleting an answer deletes its recording
