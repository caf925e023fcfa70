"""The offers API: offers with their year-by-year value, comparison, negotiation plan,
rounds and exchange rates. Amounts are exact decimal strings in answers; requests may send
decimal strings or JSON numbers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import StringConstraints

from sayyes.core.api import DbInt, In, Page, Pagination, enum_values, paginate, reject_nulls
from sayyes.core.ids import parse_ids
from sayyes.pipeline.api import Currency, RemoteEnum
from sayyes.pipeline.models import Opportunity

from . import services
from .models import BonusKind, EquityKind, ExchangeRate, Frequency, Offer, OfferStatus

router = Router(tags=["offers"])

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
PerShare = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=7, decimal_places=4)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Months = Annotated[int, Field(ge=0, le=120)]

# Built from the models' choices; mypy can't list their members ([misc]): see pipeline.api.
StatusEnum = Enum("OfferStatusEnum", {v.upper(): v for v in OfferStatus.values}, type=str)  # type: ignore[misc]
BonusEnum = Enum("BonusKindEnum", {v.upper(): v for v in BonusKind.values}, type=str)  # type: ignore[misc]
EquityEnum = Enum("EquityKindEnum", {v.upper(): v for v in EquityKind.values}, type=str)  # type: ignore[misc]
FrequencyEnum = Enum("FrequencyEnum", {v.upper(): v for v in Frequency.values}, type=str)  # type: ignore[misc]
Criterion = Enum(  # type: ignore[misc]
    "CriterionEnum", {k.upper(): k for k in services.CRITERIA if k != "money"}, type=str
)


class YearOut(Schema):
    year: int
    base: Decimal
    bonus: Decimal
    sign_on: Decimal
    equity: Decimal
    other: Decimal
    total: Decimal


class OfferOut(Schema):
    id: int
    name: str
    opportunity_id: int | None
    is_current: bool
    label: str
    currency: str
    base_salary: Decimal
    bonus_kind: str
    bonus_value: Decimal
    sign_on: Decimal
    sign_on_clawback_months: int
    equity_kind: str
    rsu_grant_value: Decimal
    option_count: int
    option_strike: Decimal
    option_value: Decimal
    vesting_years: int
    cliff_months: int
    vesting_frequency: str
    vesting_percent_by_year: list[str]
    retirement_match: Decimal
    pto_days: int | None
    benefits_value: Decimal
    remote_policy: str
    start_date: date | None
    deadline: date | None
    status: str
    notes: str
    target: Decimal | None
    walk_away: Decimal | None
    ratings: dict[str, int]
    yearly: list[YearOut]
    total_4y: Decimal

    @staticmethod
    def resolve_yearly(obj) -> list[dict]:
        return services.yearly_dicts(obj)

    @staticmethod
    def resolve_total_4y(obj) -> Decimal:
        return obj.total_4y()


class OfferFields(In):
    label: Label | None = None
    currency: Currency | None = None
    base_salary: Money | None = None
    bonus_kind: BonusEnum | None = None
    bonus_value: Money | None = Field(None, description="A percent of base, or a yearly amount")
    sign_on: Money | None = None
    sign_on_clawback_months: Months | None = None
    equity_kind: EquityEnum | None = None
    rsu_grant_value: Money | None = None
    option_count: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    option_strike: PerShare | None = None
    option_value: PerShare | None = Field(None, description="What one share is worth today")
    vesting_years: Annotated[int, Field(ge=1, le=10)] | None = None
    cliff_months: Months | None = None
    vesting_frequency: FrequencyEnum | None = None
    vesting_percent_by_year: list[Percent] | None = Field(
        None, max_length=10, description="One percent per vesting year, adding up to 100"
    )
    retirement_match: Money | None = None
    pto_days: Annotated[int, Field(ge=0, le=366)] | None = None
    benefits_value: Money | None = None
    remote_policy: RemoteEnum | None = None
    start_date: date | None = None
    deadline: date | None = None
    status: StatusEnum | None = None
    notes: Text | None = None
    target: Money | None = None
    walk_away: Money | None = None


class OfferIn(OfferFields):
    opportunity_id: DbInt | None = None
    is_current: bool = False
    base_salary: Money


class OfferPatch(OfferFields):
    ratings: dict[Criterion, Annotated[int, Field(ge=1, le=5)] | None] | None = None


NULLABLE = frozenset(
    {"pto_days", "start_date", "deadline", "target", "walk_away", "vesting_percent_by_year"}
)


class OfferFilters(In):
    status: StatusEnum | None = None
    is_current: bool | None = None


def _offers():
    return Offer.objects.select_related("opportunity__company")


def _own(request, offer_id: int) -> Offer:
    return _offers().get_for(request.auth, offer_id)


@router.get("/offers", response=Page[OfferOut])
def list_offers(request, filters: Query[OfferFilters], pagination: Query[Pagination]):
    qs = _offers().owned_by(request.auth).order_by("-is_current", "deadline", "id")
    if filters.status is not None:
        qs = qs.filter(status=filters.status.value)
    if filters.is_current is not None:
        qs = qs.filter(is_current=filters.is_current)
    return paginate(qs, pagination)


@router.post("/offers", response={201: OfferOut})
def create_offer(request, payload: OfferIn):
    data = enum_values(payload.dict())
    opportunity = None
    opportunity_id = data.pop("opportunity_id")
    if opportunity_id is not None:
        opportunity = Opportunity.objects.owned_by(request.auth).filter(pk=opportunity_id).first()
        if opportunity is None:
            raise ValidationError({"opportunity_id": f"No opportunity with id {opportunity_id}."})
    is_current = data.pop("is_current")
    fields = {k: v for k, v in data.items() if v is not None}
    offer = services.create_offer(
        request.auth, opportunity=opportunity, is_current=is_current, **fields
    )
    return Reply(201, offer)


class ComparedOut(Schema):
    id: int
    name: str
    is_current: bool
    currency: str
    rate: Decimal
    rate_as_of: date | None
    yearly: list[YearOut]
    total_4y: Decimal
    difference_4y: Decimal
    difference_by_year: list[Decimal]
    ratings: dict[str, float]
    score: float


class CompareOut(Schema):
    currency: str
    baseline_id: int
    weights: dict[str, int]
    offers: list[ComparedOut]


class CompareQuery(In):
    ids: Annotated[str, StringConstraints(max_length=200)] = Field(
        ...,
        description="Comma-separated offer ids, e.g. 3,5,8 (2 to 5 offers, plus the current job)",
    )


@router.get("/offers/compare", response=CompareOut)
def compare_offers(request, query: Query[CompareQuery]):
    """Offers side by side in one currency, with differences and the decision matrix."""
    offers = _offers().many_for(request.auth, parse_ids(query.ids, "ids", what="offers"))
    return services.compare(request.auth, offers).as_dict()


@router.get("/offers/{offer_id}", response=OfferOut)
def get_offer(request, offer_id: int):
    return _own(request, offer_id)


@router.patch("/offers/{offer_id}", response=OfferOut)
def patch_offer(request, offer_id: int, payload: OfferPatch):
    offer = _own(request, offer_id)
    reject_nulls(payload, NULLABLE)
    data = enum_values(payload.dict(exclude_unset=True))
    ratings = data.pop("ratings", None)
    if "vesting_percent_by_year" in data and data["vesting_percent_by_year"] is None:
        data["vesting_percent_by_year"] = []
    if data:
        services.update_offer(offer, **data)
    if ratings:
        services.set_ratings(
            offer, {(k.value if isinstance(k, Enum) else k): v for k, v in ratings.items()}
        )
    return offer


@router.delete("/offers/{offer_id}", response={204: None})
def delete_offer(request, offer_id: int):
    services.delete_offer(_own(request, offer_id))
    return Reply(204, None)


class LeverageOut(Schema):
    kind: str = Field(description="offer (another open offer) or process (an active application)")
    company: str
    title: str
    used: bool = Field(description="Whether the counter-offer letter cites it")
    why: str = Field(description="Why it was used or left out")
    offer_id: int | None = None
    opportunity_id: int | None = None
    currency: str | None = None
    base_salary: Decimal | None = None
    total_4y: Decimal | None = None
    year_one: Decimal | None = None
    deadline: date | None = None
    stage: str | None = None
    next_interview: datetime | None = None
    last_interview: datetime | None = None


class NegotiationOut(Schema):
    leverage: list[LeverageOut]
    target: Decimal | None
    walk_away: Decimal | None
    suggested_target: Decimal = Field(description="What the letter asks for as base salary")
    subject: str
    draft: str


def _leverage_out(item: dict) -> dict:
    out = {k: item.get(k) for k in LeverageOut.model_fields if k in item}
    if item["kind"] == "offer":
        out["offer_id"] = item["offer"].pk
        out["opportunity_id"] = item["offer"].opportunity_id
    else:
        out["opportunity_id"] = item["opportunity"].pk
    return out


@router.get("/offers/{offer_id}/negotiation", response=NegotiationOut)
def negotiation(request, offer_id: int):
    """All your leverage (each with why the letter uses it or not), your numbers and a
    counter-offer letter that cites at most the three strongest real facts."""
    plan = services.negotiation(_own(request, offer_id))
    items = plan["leverage"]["offers"] + plan["leverage"]["processes"]
    return {
        "leverage": [_leverage_out(item) for item in items],
        "target": plan["target"],
        "walk_away": plan["walk_away"],
        "suggested_target": plan["suggested_target"],
        "subject": plan["draft"]["subject"],
        "draft": plan["draft"]["body"],
    }


class RoundOut(Schema):
    id: int
    offer_id: int
    on: date
    your_ask: Decimal | None
    their_answer: str
    their_amount: Decimal | None
    notes: str


class RoundIn(In):
    on: date | None = Field(None, description="Today when left out")
    your_ask: Money | None = None
    their_answer: Text = ""
    their_amount: Money | None = None
    notes: Text = ""


@router.get("/offers/{offer_id}/rounds", response=Page[RoundOut])
def list_rounds(request, offer_id: int, pagination: Query[Pagination]):
    return paginate(_own(request, offer_id).rounds.all(), pagination)


@router.post("/offers/{offer_id}/rounds", response={201: RoundOut})
def create_round(request, offer_id: int, payload: RoundIn):
    offer = _own(request, offer_id)
    return Reply(201, services.add_round(offer, **payload.dict()))


class RateOut(Schema):
    id: int
    from_currency: str
    to_currency: str
    rate: Decimal
    as_of: date


class RateIn(In):
    from_currency: Currency
    to_currency: Currency
    rate: Annotated[Decimal, Field(gt=0, max_digits=20, decimal_places=8)] = Field(
        ..., description="1 unit of from_currency is worth this many units of to_currency"
    )
    as_of: date


@router.get("/exchange-rates", response=Page[RateOut])
def list_rates(request, pagination: Query[Pagination]):
    return paginate(ExchangeRate.objects.owned_by(request.auth), pagination)


@router.post("/exchange-rates", response={201: RateOut})
def create_rate(request, payload: RateIn):
    return Reply(201, services.set_rate(request.auth, **payload.dict()))


@router.delete("/exchange-rates/{rate_id}", response={204: None})
def delete_rate(request, rate_id: int):
    ExchangeRate.objects.get_for(request.auth, rate_id).delete()
    return Reply(204, None)
