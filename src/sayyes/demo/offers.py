"""The demo's offers: a current job and two offers on opportunities at the offer stage."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sayyes.offers import services
from sayyes.offers.models import Offer
from sayyes.pipeline.models import Opportunity, Status


def add_offers(user) -> int:
    """The current job and two offers, with a negotiation plan and ratings. Returns how many.

    Makes none when the account already has a current job or has fewer than two
    opportunities at the offer stage.
    """
    opps = list(Opportunity.objects.owned_by(user).filter(status=Status.OFFER).order_by("id")[:2])
    if len(opps) < 2 or Offer.objects.owned_by(user).filter(is_current=True).exists():
        return 0
    services.create_offer(
        user, is_current=True, label="Current job", base_salary=Decimal("118000"),
        bonus_value=Decimal("5"), retirement_match=Decimal("4000"),
    )  # fmt: skip
    first = services.create_offer(
        user, opportunity=opps[0], base_salary=Decimal("142000"), bonus_value=Decimal("10"),
        sign_on=Decimal("15000"), equity_kind="rsu", rsu_grant_value=Decimal("120000"),
        vesting_percent_by_year="5/15/40/40", retirement_match=Decimal("5000"),
        deadline=date.today() + timedelta(days=5),
    )  # fmt: skip
    second = services.create_offer(
        user, opportunity=opps[1], base_salary=Decimal("150500"), bonus_kind="fixed",
        bonus_value=Decimal("8000"), retirement_match=Decimal("6000"),
        deadline=date.today() + timedelta(days=3),
    )  # fmt: skip
    services.set_plan(first, target=Decimal("155000"), walk_away=Decimal("145000"))
    services.set_ratings(first, {"growth": 5, "culture": 4, "work_life": 3, "commute": 2})
    services.set_ratings(second, {"growth": 3, "culture": 3, "work_life": 4, "commute": 5})
    return 3
