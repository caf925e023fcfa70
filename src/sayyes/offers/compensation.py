"""Total compensation, year by year: plain Python with Decimal, no Django.

Conventions (also shown on the offer page):

- Years 1 to 4 from the start date; the 4-year total is the sum of the four years.
- Base salary counts in full every year.
- The target bonus counts every year: a percent of that year's base, or a fixed amount.
- The sign-on bonus counts in year 1 only.
- Equity counts when it vests. RSUs by their grant value; options by their value today,
  (current value per share − strike) × number of options, or zero when the strike is at or
  above the current value (an option you would not exercise is worth nothing today).
- Vesting: over ``years`` years, in equal monthly, quarterly or annual steps, or by
  ``percent_by_year`` (e.g. 5/15/40/40), each year's share split evenly over its steps.
  With a cliff, nothing vests before it and what would have vested by then vests at the
  cliff (so a 12-month cliff lands within year 1).
- Retirement match and other benefits count every year, as "other".
- Every amount is a Decimal rounded to cents with banker's rounding (ROUND_HALF_EVEN).
  Vested equity is rounded on the cumulative amount at each year end, so the years add up
  to exactly the grant, never a cent more or less.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import TypeVar

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
YEARS_SHOWN = 4
FREQUENCIES = {"monthly": 12, "quarterly": 4, "annual": 1}
BONUS_KINDS = ("percent", "fixed")
EQUITY_KINDS = ("none", "rsu", "options")


def cents(value: Decimal | Fraction | int | str) -> Decimal:
    """A Decimal rounded to cents (banker's rounding)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)


def _exact_cents(value: Fraction) -> Decimal:
    """A Fraction rounded to cents exactly (no intermediate Decimal precision loss)."""
    scaled = value * 100
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    twice = 2 * rest
    if twice > scaled.denominator or (twice == scaled.denominator and whole % 2):
        whole += 1
    return (Decimal(whole) / 100).quantize(CENT)


@dataclass(frozen=True)
class Vesting:
    years: int = 4
    cliff_months: int = 12
    frequency: str = "monthly"
    percent_by_year: tuple[Decimal, ...] = ()

    def problems(self) -> dict[str, str]:
        """What is wrong with this schedule, by field name; empty when it is sound."""
        found = {}
        if not 1 <= self.years <= 10:
            found["vesting_years"] = "Vesting lasts between 1 and 10 years."
        if self.cliff_months < 0:
            found["cliff_months"] = "The cliff can't be negative."
        elif self.cliff_months > self.years * 12:
            found["cliff_months"] = (
                f"The cliff ({self.cliff_months} months) is longer than the vesting period "
                f"({self.years * 12} months)."
            )
        if self.frequency not in FREQUENCIES:
            found["vesting_frequency"] = "Use monthly, quarterly or annual."
        if self.percent_by_year:
            if len(self.percent_by_year) != self.years:
                found["vesting_percent_by_year"] = (
                    f"Give one percentage per vesting year ({self.years}), "
                    f"not {len(self.percent_by_year)}."
                )
            elif any(Decimal(p) < 0 for p in self.percent_by_year):
                found["vesting_percent_by_year"] = "Percentages can't be negative."
            elif sum(Decimal(p) for p in self.percent_by_year) != 100:
                total = sum(Decimal(p) for p in self.percent_by_year)
                found["vesting_percent_by_year"] = (
                    f"The yearly percentages add up to {total}, not 100."
                )
        return found

    def fraction_vested(self, month: int) -> Fraction:
        """Share of the grant vested by the end of ``month`` (months from the start)."""
        if month <= 0 or month < self.cliff_months:
            return Fraction(0)
        month = min(month, self.years * 12)
        per_year = FREQUENCIES[self.frequency]
        step = 12 // per_year
        if self.percent_by_year:
            shares = [Fraction(str(p)) / 100 for p in self.percent_by_year]
        else:
            shares = [Fraction(1, self.years)] * self.years
        done_years, into_year = divmod(month, 12)
        vested = sum(shares[:done_years], Fraction(0))
        if done_years < self.years:
            vested += shares[done_years] * Fraction(into_year // step, per_year)
        return vested

    def by_year(self, grant: Decimal, years: int = YEARS_SHOWN) -> list[Decimal]:
        """The grant's value vesting in each of the first ``years`` years, to the cent."""
        grant_fraction = Fraction(str(cents(grant)))
        cumulative = [
            _exact_cents(grant_fraction * self.fraction_vested(12 * y)) for y in range(years + 1)
        ]
        return [cumulative[y] - cumulative[y - 1] for y in range(1, years + 1)]


@dataclass(frozen=True)
class Package:
    """What an offer (or the current job) pays, in one currency."""

    base: Decimal = ZERO
    bonus_kind: str = "percent"
    bonus_value: Decimal = ZERO  # a percent of base, or a fixed amount per year
    sign_on: Decimal = ZERO
    equity_kind: str = "none"
    rsu_grant: Decimal = ZERO
    option_count: int = 0
    option_strike: Decimal = ZERO
    option_value: Decimal = ZERO  # current value per share
    vesting: Vesting = field(default_factory=Vesting)
    retirement_match: Decimal = ZERO  # per year
    benefits: Decimal = ZERO  # per year

    def bonus(self) -> Decimal:
        if self.bonus_kind == "fixed":
            return cents(self.bonus_value)
        return cents(Decimal(self.base) * Decimal(self.bonus_value) / 100)

    def equity_grant(self) -> Decimal:
        """The grant's value today: RSUs by grant value, options by their in-the-money value."""
        if self.equity_kind == "rsu":
            return cents(self.rsu_grant)
        if self.equity_kind == "options":
            spread = Decimal(self.option_value) - Decimal(self.option_strike)
            return cents(max(ZERO, spread) * self.option_count)
        return ZERO


@dataclass(frozen=True)
class Year:
    year: int
    base: Decimal
    bonus: Decimal
    sign_on: Decimal
    equity: Decimal
    other: Decimal

    @property
    def total(self) -> Decimal:
        return self.base + self.bonus + self.sign_on + self.equity + self.other

    def as_dict(self) -> dict[str, int | Decimal]:
        return {
            "year": self.year,
            "base": self.base,
            "bonus": self.bonus,
            "sign_on": self.sign_on,
            "equity": self.equity,
            "other": self.other,
            "total": self.total,
        }

    def scaled(self, rate: Decimal) -> Year:
        """This year in another currency: each part converted and rounded to cents."""
        return Year(
            self.year,
            base=cents(self.base * rate),
            bonus=cents(self.bonus * rate),
            sign_on=cents(self.sign_on * rate),
            equity=cents(self.equity * rate),
            other=cents(self.other * rate),
        )


def yearly(package: Package, years: int = YEARS_SHOWN) -> list[Year]:
    base = cents(package.base)
    bonus = package.bonus()
    other = cents(package.retirement_match) + cents(package.benefits)
    equity = package.vesting.by_year(package.equity_grant(), years)
    return [
        Year(
            year=y,
            base=base,
            bonus=bonus,
            sign_on=cents(package.sign_on) if y == 1 else ZERO,
            equity=equity[y - 1],
            other=other,
        )
        for y in range(1, years + 1)
    ]


def total(rows: Sequence[Year]) -> Decimal:
    return sum((row.total for row in rows), ZERO)


# --- the decision matrix -----------------------------------------------------------------

NEUTRAL = 3
K = TypeVar("K", bound=Hashable)


def money_scores(totals: Mapping[K, Decimal], scale: int = 5) -> dict[K, float]:
    """Each offer's money score, 1 to 5: 5 × its total ÷ the highest total (at least 1)."""
    if not totals:
        return {}
    best = max(totals.values())
    if best <= 0:
        return {key: float(scale) for key in totals}
    return {
        key: max(1.0, round(float(Decimal(scale) * value / best), 2))
        for key, value in totals.items()
    }


def weighted_score(weights: Mapping[str, float], ratings: Mapping[str, float]) -> float:
    """The weighted mean rating (1 to 5); a criterion left unrated counts as 3, neutral."""
    weight_sum = sum(w for w in weights.values() if w > 0)
    if not weight_sum:
        return 0.0
    score = sum(w * ratings.get(name, NEUTRAL) for name, w in weights.items() if w > 0)
    return round(score / weight_sum, 2)
