from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "sayyes.network"
    label = "network"
