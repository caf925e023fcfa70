from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "sayyes.offers"
    label = "offers"
    verbose_name = "Offers and negotiation"
