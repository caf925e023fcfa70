from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "sayyes.portability"
    verbose_name = "Imports, archive, backup and account deletion"

    def ready(self) -> None:
        # The first start (command, server, worker or WSGI) on an installation made before
        # sayyes kept its files private makes it private, with one line in the log.
        from django.conf import settings

        from sayyes.conf import tighten_once

        tighten_once(settings.DATA_DIR)
