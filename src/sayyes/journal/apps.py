from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "sayyes.journal"
    label = "journal"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from sayyes.pipeline.models import Company, Opportunity

        from . import terms
        from .models import Debrief

        # A posting's and a debrief's key terms are stored as they are saved (issue 18).
        post_save.connect(terms.opportunity_saved, sender=Opportunity, dispatch_uid="terms-opp")
        post_save.connect(terms.debrief_saved, sender=Debrief, dispatch_uid="terms-debrief")
        post_save.connect(terms.company_saved, sender=Company, dispatch_uid="terms-company")
