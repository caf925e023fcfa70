"""Offers, shared by the pages, the API and the CLI: creating and checking offers, their
year-by-year value, exchange rates, comparison with a decision matrix, the negotiation plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from sayyes.accounts.models import Profile

from . import compensation
from .compensation import Year
from .models import OPEN_STATUSES, ExchangeRate, NegotiationRound, Offer, OfferStatus

OFFER_FIELDS = (
    "label",
    "currency",
    "base_salary",
    "bonus_kind",
    "bonus_value",
    "sign_on",
    "sign_on_clawback_months",
    "equity_kind",
    "rsu_grant_value",
    "option_count",
    "option_strike",
    "option_value",
    "vesting_years",
    "cliff_months",
    "vesting_frequency",
    "vesting_percent_by_year",
    "retirement_match",
    "pto_days",
    "benefits_value",
    "remote_policy",
    "start_date",
    "deadline",
    "status",
    "notes",
    "target",
    "walk_away",
)
MAX_COMPARED = 5
CRITERIA = {
    "money": "Money (from the 4-year totals)",
    "growth": "Growth",
    "culture": "Culture",
    "work_life": "Work-life balance",
    "commute": "Commute",
    "mission": "Mission",
}
DEFAULT_WEIGHTS = {
    "money": 3,
    "growth": 2,
    "culture": 2,
    "work_life": 2,
    "commute": 1,
    "mission": 1,
}
CONVENTIONS = [
    "Years 1 to 4 from the start date; the 4-year total is the sum of the four years.",
    "Base salary counts in full every year.",
    "The target bonus counts every year: a percent of base, or the fixed amount.",
    "The sign-on bonus counts in year 1 only (mind its clawback if you leave early).",
    "Equity counts when it vests: RSUs at their grant value; options at (value per share − "
    "strike) × number, or zero when the strike is at or above today's value.",
    "With a cliff, nothing vests before it, and what would have vested by then vests at the "
    "cliff (a 12-month cliff lands within year 1).",
    "Retirement match and other benefits count every year, as “other”. Paid time off is "
    "shown but not priced.",
    "Amounts are exact to the cent (banker's rounding); equity is rounded on the amount vested "
    "by each year end, so the years add up to exactly the grant.",
]


def offers_for(user) -> QuerySet[Offer]:
    return Offer.objects.owned_by(user).select_related("opportunity__company")


# --- the value of an offer ---------------------------------------------------------------------


def yearly(offer: Offer) -> list[Year]:
    """Years 1 to 4: base, bonus, sign_on, equity, other and total, in the offer's currency."""
    return compensation.yearly(offer.package())


def yearly_dicts(offer: Offer) -> list[dict]:
    return [row.as_dict() for row in yearly(offer)]


# --- creating and changing offers ------------------------------------------------------------


def _percentages(value) -> list[str]:
    """'5/15/40/40', '5, 15, 40, 40' or a list → ["5", "15", "40", "40"]; [] when empty."""
    if value in (None, ""):
        return []
    parts = (
        value.replace(",", "/").replace(" ", "/").split("/") if isinstance(value, str) else value
    )
    out = []
    for part in parts:
        if isinstance(part, str) and not part.strip():
            continue
        try:
            number = Decimal(str(part).strip().rstrip("%"))
        except InvalidOperation:
            raise ValidationError(
                {"vesting_percent_by_year": f"{part!r} is not a percentage; write e.g. 5/15/40/40."}
            ) from None
        if not number.is_finite():
            raise ValidationError({"vesting_percent_by_year": "Percentages must be numbers."})
        out.append(
            str(number.quantize(Decimal(1))) if number == number.to_integral() else str(number)
        )
    return out


def _exact(obj) -> None:
    """Decimals as stored (to their decimal places), so what is answered is what is kept."""
    for f in obj._meta.fields:
        value = getattr(obj, f.attname)
        if f.get_internal_type() == "DecimalField" and value is not None:
            setattr(obj, f.attname, Decimal(value).quantize(Decimal(1).scaleb(-f.decimal_places)))


def _check(offer: Offer) -> None:
    """Everything wrong with the offer, by field, before anything is saved."""
    offer.currency = (offer.currency or "").strip().upper()
    errors: dict[str, list[str]] = {}
    try:
        offer.full_clean(exclude=["owner", "opportunity"], validate_unique=False)
    except ValidationError as exc:
        errors = dict(exc.message_dict)
    if "vesting_years" not in errors and "cliff_months" not in errors:
        for name, message in offer.vesting().problems().items():
            errors.setdefault(name, []).append(message)
    if offer.is_current and offer.opportunity_id:
        errors.setdefault("opportunity_id", []).append(
            "The current job is a baseline: it has no opportunity."
        )
    if not offer.is_current and not offer.opportunity_id:
        errors.setdefault("opportunity_id", []).append("Say which opportunity the offer is for.")
    if offer.opportunity is not None and offer.opportunity.owner_id != offer.owner_id:
        errors["opportunity_id"] = ["No such opportunity."]
    if errors:
        raise ValidationError(errors)
    _exact(offer)


def _apply(offer: Offer, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(OFFER_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a field of an offer." for name in sorted(unknown)})
    if "vesting_percent_by_year" in fields:
        fields = {
            **fields,
            "vesting_percent_by_year": _percentages(fields["vesting_percent_by_year"]),
        }
    for key, value in fields.items():
        if isinstance(value, str) and key not in ("notes",):
            value = value.strip()
        setattr(offer, key, value)


@transaction.atomic
def create_offer(user, *, opportunity=None, is_current: bool = False, **fields: Any) -> Offer:
    if is_current and Offer.objects.owned_by(user).filter(is_current=True).exists():
        raise ValidationError({"is_current": "You already have a current job; edit that one."})
    if "currency" not in fields or not fields.get("currency"):
        fields["currency"] = Profile.for_user(user).base_currency
    offer = Offer(owner=user, opportunity=opportunity, is_current=is_current)
    _apply(offer, fields)
    _check(offer)
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        raise ValidationError(
            {"is_current": "You already have a current job; edit that one."}
        ) from None
    _follow_in_pipeline(offer)
    return offer


@transaction.atomic
def update_offer(offer: Offer, **fields: Any) -> Offer:
    _apply(offer, fields)
    offer.updated_at = timezone.now()
    _check(offer)
    offer.save()
    _follow_in_pipeline(offer)
    return offer


def _follow_in_pipeline(offer: Offer) -> None:
    """Keep the opportunity's status in step: an open offer puts a process still running at
    the offer stage; accepting or declining the offer accepts or declines the opportunity.
    An expired offer, or a process already closed, is left as it is."""
    from sayyes.pipeline.models import ACTIVE_STATUSES, Status
    from sayyes.pipeline.services import change_status

    opp = offer.opportunity
    if opp is None:
        return
    targets: dict[str, Status] = {
        OfferStatus.PENDING: Status.OFFER,
        OfferStatus.NEGOTIATING: Status.OFFER,
        OfferStatus.ACCEPTED: Status.ACCEPTED,
        OfferStatus.DECLINED: Status.DECLINED,
    }
    target = targets.get(offer.status)
    if target is not None and opp.status in ACTIVE_STATUSES:
        change_status(opp, target)


def delete_offer(offer: Offer) -> None:
    offer.delete()


def set_plan(offer: Offer, *, target=None, walk_away=None) -> Offer:
    """Your target and walk-away base salary for this offer."""
    offer.target, offer.walk_away = target, walk_away
    _check(offer)
    if target is not None and walk_away is not None and walk_away > target:
        raise ValidationError({"walk_away": "The walk-away number is above your target."})
    offer.save(update_fields=["target", "walk_away"])
    return offer


def set_ratings(offer: Offer, ratings: dict[str, Any]) -> Offer:
    """Your 1-5 rating of the offer per decision criterion; empty or None clears one."""
    cleaned = dict(offer.ratings or {})
    for name, value in ratings.items():
        if name not in CRITERIA or name == "money":
            raise ValidationError({name: "Not a criterion you rate (money comes from the totals)."})
        if value in (None, ""):
            cleaned.pop(name, None)
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError({name: "Rate from 1 to 5."}) from None
        if not 1 <= number <= 5:
            raise ValidationError({name: "Rate from 1 to 5."})
        cleaned[name] = number
    offer.ratings = cleaned
    offer.save(update_fields=["ratings"])
    return offer


# --- rounds -----------------------------------------------------------------------------------


@transaction.atomic
def add_round(
    offer: Offer,
    *,
    on: date | None = None,
    your_ask=None,
    their_answer: str = "",
    their_amount=None,
    notes: str = "",
) -> NegotiationRound:
    round_ = NegotiationRound(
        owner=offer.owner,
        offer=offer,
        on=on or timezone.localdate(),
        your_ask=your_ask,
        their_answer=(their_answer or "").strip(),
        their_amount=their_amount,
        notes=(notes or "").strip(),
    )
    round_.full_clean(exclude=["owner", "offer"])
    _exact(round_)
    round_.save()
    if offer.status == OfferStatus.PENDING:
        Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
            status=OfferStatus.NEGOTIATING
        )
        offer.status = OfferStatus.NEGOTIATING
    return round_


# --- exchange rates ----------------------------------------------------------------------------


def set_rate(user, *, from_currency: str, to_currency: str, rate, as_of: date) -> ExchangeRate:
    """Record a rate (1 from = rate to) on a date; the same pair and date is replaced."""
    obj = ExchangeRate(
        owner=user,
        from_currency=(from_currency or "").strip().upper(),
        to_currency=(to_currency or "").strip().upper(),
        rate=rate,
        as_of=as_of,
    )
    obj.full_clean(exclude=["owner"], validate_unique=False)
    _exact(obj)
    if obj.from_currency == obj.to_currency:
        raise ValidationError({"to_currency": "Pick two different currencies."})
    with transaction.atomic():
        ExchangeRate.objects.owned_by(user).filter(
            from_currency=obj.from_currency,
            to_currency=obj.to_currency,
            as_of=as_of,
        ).delete()
        obj.save()
    return obj


class MissingRate(ValidationError):
    def __init__(self, source: str, target: str):
        self.pair = (source, target)
        super().__init__(
            {
                "currency": f"No exchange rate from {source} to {target}: add one under "
                "Offers → Exchange rates."
            }
        )


def find_rate(user, source: str, target: str) -> tuple[Decimal, ExchangeRate | None]:
    """The latest rate from source to target: as entered, or the inverse of the reverse pair."""
    if source == target:
        return Decimal(1), None
    rates = ExchangeRate.objects.owned_by(user)
    direct = (
        rates.filter(from_currency=source, to_currency=target).order_by("-as_of", "-id").first()
    )
    inverse = (
        rates.filter(from_currency=target, to_currency=source).order_by("-as_of", "-id").first()
    )
    if direct and (not inverse or direct.as_of >= inverse.as_of):
        return direct.rate, direct
    if inverse:
        return (Decimal(1) / inverse.rate).quantize(Decimal("1e-10"), ROUND_HALF_EVEN), inverse
    raise MissingRate(source, target)


# --- comparison and the decision matrix --------------------------------------------------------


@dataclass
class Compared:
    offer: Offer
    rate: Decimal
    rate_source: ExchangeRate | None
    years: list[Year]
    total_4y: Decimal
    difference: Decimal = Decimal("0.00")
    differences: list[Decimal] = field(default_factory=list)
    money_score: float = 0.0
    ratings: dict[str, float] = field(default_factory=dict)
    from_journal: list[str] = field(default_factory=list)
    score: float = 0.0


@dataclass
class Comparison:
    currency: str
    rows: list[Compared]
    baseline: Compared
    weights: dict[str, int]

    def as_dict(self) -> dict:
        return {
            "currency": self.currency,
            "baseline_id": self.baseline.offer.pk,
            "weights": self.weights,
            "offers": [
                {
                    "id": row.offer.pk,
                    "name": row.offer.name,
                    "is_current": row.offer.is_current,
                    "currency": row.offer.currency,
                    "rate": row.rate,
                    "rate_as_of": row.rate_source.as_of if row.rate_source else None,
                    "yearly": [y.as_dict() for y in row.years],
                    "total_4y": row.total_4y,
                    "difference_4y": row.difference,
                    "difference_by_year": row.differences,
                    "ratings": {"money": row.money_score, **row.ratings},
                    "score": row.score,
                }
                for row in self.rows
            ],
        }

    def chart(self) -> dict:
        """What the stacked bar chart draws, as decimal strings (converted in JS only)."""
        parts = ["base", "bonus", "sign_on", "equity", "other"]
        return {
            "currency": self.currency,
            "labels": [f"Year {y}" for y in range(1, compensation.YEARS_SHOWN + 1)],
            "offers": [
                {
                    "name": row.offer.name,
                    "parts": {p: [str(getattr(y, p)) for y in row.years] for p in parts},
                }
                for row in self.rows
            ],
        }


# Journal dimensions that are also decision criteria (the journal says "work-life balance").
JOURNAL_CRITERIA = {
    "growth": "growth",
    "culture": "culture",
    "work-life balance": "work_life",
    "mission": "mission",
}


def _journal_ratings(offer: Offer) -> dict[str, float]:
    """Mean ratings per criterion from the company journal's debriefs ({} for the current job).

    Your own ratings on the comparison page win over these.
    """
    if offer.opportunity is None:
        return {}
    from sayyes.journal.debriefs import company_ratings

    ratings = company_ratings(offer.owner, offer.opportunity.company)
    return {
        JOURNAL_CRITERIA[name]: value for name, value in ratings.items() if name in JOURNAL_CRITERIA
    }


def clean_weights(raw: dict[str, Any] | None) -> dict[str, int]:
    weights = dict(DEFAULT_WEIGHTS)
    for name, value in (raw or {}).items():
        if name not in CRITERIA:
            raise ValidationError({"weights": f"{name!r} is not a criterion."})
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                {f"w_{name}": "A weight is a whole number from 0 to 10."}
            ) from None
        if not 0 <= number <= 10:
            raise ValidationError({f"w_{name}": "A weight is a whole number from 0 to 10."})
        weights[name] = number
    return weights


def compare(user, offers: list[Offer], weights: dict[str, Any] | None = None) -> Comparison:
    """Offers side by side in one currency, with differences and the decision matrix.

    The baseline (differences are against it) is the current job when compared, else the
    first offer. One currency: the offers' own when they share it, else your base currency,
    converted with the exchange rates you entered.
    """
    offers = sorted(offers, key=lambda o: not o.is_current)
    if len(offers) < 2:
        raise ValidationError(
            {"ids": "Pick at least two offers to compare (your current job counts)."}
        )
    if sum(not o.is_current for o in offers) > MAX_COMPARED:
        raise ValidationError({"ids": f"Compare at most {MAX_COMPARED} offers at a time."})
    weights = clean_weights(weights)
    currencies = {o.currency for o in offers}
    currency = currencies.pop() if len(currencies) == 1 else Profile.for_user(user).base_currency
    rows = []
    for offer in offers:
        rate, source = find_rate(user, offer.currency, currency)
        years = yearly(offer)
        if rate != 1:
            years = [y.scaled(rate) for y in years]
        rows.append(Compared(offer, rate, source, years, compensation.total(years)))
    baseline = rows[0]
    scores = compensation.money_scores({row.offer.pk: row.total_4y for row in rows})
    for row in rows:
        row.difference = row.total_4y - baseline.total_4y
        row.differences = [
            a.total - b.total for a, b in zip(row.years, baseline.years, strict=True)
        ]
        row.money_score = scores[row.offer.pk]
        journal = _journal_ratings(row.offer)
        row.ratings = {**journal, **(row.offer.ratings or {})}
        row.from_journal = sorted(set(journal) - set(row.offer.ratings or {}))
        row.score = compensation.weighted_score(weights, {**row.ratings, "money": row.money_score})
    return Comparison(currency, rows, baseline, weights)


# --- the negotiation plan (in negotiation.py) --------------------------------------------------


def leverage(offer: Offer) -> dict:
    """Every open offer and active process, each used in the letter or not, and why."""
    from . import negotiation as plan

    return plan.leverage(offer)


def counter_offer_draft(offer: Offer, lev: dict | None = None) -> dict[str, str]:
    from . import negotiation as plan

    return plan.counter_offer_draft(offer, lev)


def negotiation(offer: Offer) -> dict:
    from . import negotiation as plan

    return plan.plan(offer)


# --- the agenda -------------------------------------------------------------------------------


def deadlines(user, start: date, end: date) -> list[Offer]:
    """Open offers whose answer is due between start and end (inclusive)."""
    return list(
        offers_for(user)
        .filter(status__in=OPEN_STATUSES, deadline__gte=start, deadline__lte=end)
        .order_by("deadline", "id")
    )
