from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_fulltext(sender, using="default", **kwargs) -> None:
    """After every migrate: the search triggers are back if a table remake dropped them."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from .search import ensure_fulltext

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("pipeline", "0005_opportunity_fulltext_search") in applied:
        ensure_fulltext(connection)


class PipelineConfig(AppConfig):
    name = "sayyes.pipeline"
    label = "pipeline"

    def ready(self) -> None:
        post_migrate.connect(_ensure_fulltext, sender=self, dispatch_uid="pipeline_fulltext")
