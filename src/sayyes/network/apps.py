from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "sayyes.network"
    label = "network"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (the thank-you follow-ups of a done interview)
