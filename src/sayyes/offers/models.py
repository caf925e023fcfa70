"""Offers (and the current job as a baseline), exchange rates, negotiation rounds.

Money is a DecimalField with two decimal places everywhere, in the offer's ISO 4217 currency.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import now

from sayyes.accounts.models import validate_currency
from sayyes.core.owned import OwnedManager
from sayyes.pipeline.models import Remote

from . import compensation


class _Digits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: _Digits = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal(0), "Can't be negative.")]


def Money(**kwargs):  # noqa: N802 - reads like a field class
    return models.DecimalField(**MONEY, default=Decimal(0), validators=NOT_NEGATIVE, **kwargs)


def OptionalMoney(**kwargs):  # noqa: N802
    return models.DecimalField(**MONEY, null=True, blank=True, validators=NOT_NEGATIVE, **kwargs)


class OfferStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    NEGOTIATING = "negotiating", "Negotiating"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"


OPEN_STATUSES = [OfferStatus.PENDING, OfferStatus.NEGOTIATING]


class BonusKind(models.TextChoices):
    PERCENT = "percent", "Percent of base"
    FIXED = "fixed", "Fixed amount"


class EquityKind(models.TextChoices):
    NONE = "none", "None"
    RSU = "rsu", "RSUs (grant value)"
    OPTIONS = "options", "Stock options"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class Offer(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers"
    )
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="offers",
    )
    # The current job: a baseline to compare against, with a label and no opportunity.
    is_current = models.BooleanField(default=False)
    label = models.CharField(max_length=200, blank=True)
    currency = models.CharField(max_length=3, validators=[validate_currency])
    base_salary = Money()
    bonus_kind = models.CharField(
        max_length=10, choices=BonusKind.choices, default=BonusKind.PERCENT
    )
    bonus_value = models.DecimalField(
        **MONEY, default=Decimal(0), validators=NOT_NEGATIVE,
        help_text="A percent of base (e.g. 15) or a yearly amount",
    )  # fmt: skip
    sign_on = Money()
    sign_on_clawback_months = models.PositiveSmallIntegerField(default=0)
    equity_kind = models.CharField(
        max_length=10, choices=EquityKind.choices, default=EquityKind.NONE
    )
    rsu_grant_value = Money()
    option_count = models.PositiveIntegerField(default=0)
    option_strike = models.DecimalField(
        max_digits=14, decimal_places=4, default=Decimal(0), validators=NOT_NEGATIVE
    )
    option_value = models.DecimalField(
        max_digits=14, decimal_places=4, default=Decimal(0), validators=NOT_NEGATIVE,
        help_text="What one share is worth today",
    )  # fmt: skip
    vesting_years = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    cliff_months = models.PositiveSmallIntegerField(default=12)
    vesting_frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    # Percent per vesting year as decimal strings, e.g. ["5", "15", "40", "40"]; [] = equal.
    vesting_percent_by_year = models.JSONField(default=list, blank=True)
    retirement_match = Money(help_text="Per year")
    pto_days = models.PositiveSmallIntegerField(null=True, blank=True)
    benefits_value = Money(help_text="Other benefits per year")
    remote_policy = models.CharField(max_length=10, choices=Remote.choices, blank=True, default="")
    start_date = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    notes = models.TextField(blank=True)
    # Your negotiation plan: the base salary you aim for, and below which you say no.
    target = OptionalMoney()
    walk_away = OptionalMoney()
    # Your 1-5 ratings per decision criterion, e.g. {"growth": 4}.
    ratings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = ["-is_current", "deadline", "id"]
        indexes = [models.Index(fields=["owner", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_current=True), name="one_current_job_per_owner"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("offer_detail", args=[self.pk])

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        if self.is_current:
            return "Current job"
        if self.opportunity is not None:  # no query when there is none
            return f"{self.opportunity.company.name} — {self.opportunity.title}"
        return f"Offer #{self.pk}"

    @property
    def company_name(self) -> str:
        return self.opportunity.company.name if self.opportunity is not None else self.name

    def vesting(self) -> compensation.Vesting:
        return compensation.Vesting(
            years=self.vesting_years,
            cliff_months=self.cliff_months,
            frequency=self.vesting_frequency,
            percent_by_year=tuple(Decimal(str(p)) for p in self.vesting_percent_by_year or ()),
        )

    def total_4y(self) -> Decimal:
        """What the offer is worth over its first four years, in its currency."""
        return compensation.total(compensation.yearly(self.package()))

    def package(self) -> compensation.Package:
        return compensation.Package(
            base=self.base_salary,
            bonus_kind=self.bonus_kind,
            bonus_value=self.bonus_value,
            sign_on=self.sign_on,
            equity_kind=self.equity_kind,
            rsu_grant=self.rsu_grant_value,
            option_count=self.option_count,
            option_strike=self.option_strike,
            option_value=self.option_value,
            vesting=self.vesting(),
            retirement_match=self.retirement_match,
            benefits=self.benefits_value,
        )


class ExchangeRate(models.Model):
    """1 unit of from_currency is worth ``rate`` units of to_currency, as of a date."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_rates"
    )
    from_currency = models.CharField(max_length=3, validators=[validate_currency])
    to_currency = models.CharField(max_length=3, validators=[validate_currency])
    rate = models.DecimalField(
        max_digits=20,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"), "The rate must be above zero.")],
    )
    as_of = models.DateField()
    created_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = ["from_currency", "to_currency", "-as_of", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "from_currency", "to_currency", "as_of"],
                name="one_rate_per_pair_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"1 {self.from_currency} = {self.rate} {self.to_currency} ({self.as_of})"


class NegotiationRound(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="negotiation_rounds"
    )
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="rounds")
    on = models.DateField()
    your_ask = OptionalMoney()
    their_answer = models.TextField(blank=True)
    their_amount = OptionalMoney()
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now)

    objects = OwnedManager()

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"Round on {self.on} for {self.offer}"
