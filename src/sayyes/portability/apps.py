from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "sayyes.portability"
    verbose_name = "Imports, archive, backup and account deletion"

    def ready(self) -> None:
        # At every start (commands, server, worker, WSGI): an installation made before
        # sayyes kept its files private becomes private, with one line in the log.
        from django.conf import settings

        from sayyes.conf import tighten

        tighten(settings.DATA_DIR)
