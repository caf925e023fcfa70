"""Demo offers for `sayyes demo` and the screenshots: a current job and two offers."""

from datetime import date, timedelta
from decimal import Decimal

from sayyes.offers import services
from sayyes.offers.models import Offer
from sayyes.pipeline.models import Opportunity


def add_demo_offers(user) -> dict:
    """The current job and two offers on the demo's opportunities at the offer stage.

    Returns the ids to show: {"compare": "a,b,c", "negotiate": id}; {} when the account
    already has a current job or has fewer than two opportunities at the offer stage.
    """
    opps = list(Opportunity.objects.filter(owner=user, status="offer").order_by("id")[:2])
    if len(opps) < 2 or Offer.objects.filter(owner=user, is_current=True).exists():
        return {}
    current = services.create_offer(
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
    return {"compare": f"{current.pk},{first.pk},{second.pk}", "negotiate": first.pk}
