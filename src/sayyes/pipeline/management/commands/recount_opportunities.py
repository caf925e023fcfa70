"""``sayyes manage recount_opportunities``: rebuild the dashboard's opportunity counts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sayyes.pipeline.counts import refresh_opportunity_counts


class Command(BaseCommand):
    help = (
        "Rebuild every account's opportunity counts (status and furthest stage) from the "
        "opportunities. The database keeps them as it goes; this is for repairs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = refresh_opportunity_counts()
        self.stdout.write(f"Recounted: {rows} count row{'s' if rows != 1 else ''}.")
