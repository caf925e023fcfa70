"""The compensation math (offers/compensation.py): worked examples checked by hand, and
properties that must hold for any input."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from sayyes.offers.compensation import (
    Package,
    Vesting,
    money_scores,
    total,
    weighted_score,
    yearly,
)


def _equity(package):
    return [row.equity for row in yearly(package)]


# --- worked examples -----------------------------------------------------------------------


def test_base_of_160000_50_for_four_years_is_exactly_640002():
    rows = yearly(Package(base=D("160000.50")))
    assert [row.base for row in rows] == [D("160000.50")] * 4
    assert total(rows) == D("640002.00")
    assert str(total(rows)) == "640002.00"


def test_standard_four_years_one_year_cliff_monthly():
    # 48 monthly steps of 1/48; the 12 months up to the cliff land at the cliff: 12/48 in year 1.
    package = Package(equity_kind="rsu", rsu_grant=D("100000"), vesting=Vesting(4, 12, "monthly"))
    assert _equity(package) == [D("25000.00")] * 4


def test_a_grant_that_does_not_split_evenly_still_adds_up_to_the_cent():
    # Cumulative at year ends: 2500.0025 -> 2500.00, 5000.005 -> 5000.00 (half to even),
    # 7500.0075 -> 7500.01, 10000.01: years 2500.00, 2500.00, 2500.01, 2500.00.
    package = Package(equity_kind="rsu", rsu_grant=D("10000.01"), vesting=Vesting(4, 12))
    assert _equity(package) == [D("2500.00"), D("2500.00"), D("2500.01"), D("2500.00")]


def test_quarterly_over_five_years_counts_four_years_of_the_grant():
    package = Package(equity_kind="rsu", rsu_grant=D("100000"), vesting=Vesting(5, 0, "quarterly"))
    assert _equity(package) == [D("20000.00")] * 4
    assert total(yearly(package)) == D("80000.00")


def test_quarterly_steps_with_a_cliff_between_two_steps():
    vesting = Vesting(1, 4, "quarterly")
    # By month 4 only the month-3 step has happened; it vests at the cliff.
    assert vesting.fraction_vested(3) == 0
    assert vesting.fraction_vested(4) == Fraction(1, 4)
    assert vesting.fraction_vested(12) == 1


def test_an_eighteen_month_cliff_moves_year_one_into_year_two():
    package = Package(equity_kind="rsu", rsu_grant=D("48000"), vesting=Vesting(4, 18, "monthly"))
    assert _equity(package) == [D("0.00"), D("24000.00"), D("12000.00"), D("12000.00")]


def test_annual_vesting_without_a_cliff():
    package = Package(equity_kind="rsu", rsu_grant=D("30000"), vesting=Vesting(3, 0, "annual"))
    assert _equity(package) == [D("10000.00"), D("10000.00"), D("10000.00"), D("0.00")]


def test_back_loaded_5_15_40_40():
    vesting = Vesting(4, 12, "quarterly", percent_by_year=(D(5), D(15), D(40), D(40)))
    package = Package(equity_kind="rsu", rsu_grant=D("200000"), vesting=vesting)
    assert _equity(package) == [D("10000.00"), D("30000.00"), D("80000.00"), D("80000.00")]


def test_options_with_a_strike_above_the_current_value_count_as_zero():
    package = Package(
        equity_kind="options",
        option_count=1000,
        option_strike=D("12.00"),
        option_value=D("10.00"),
        vesting=Vesting(4, 12),
    )
    assert package.equity_grant() == D("0.00")
    assert _equity(package) == [D("0.00")] * 4


def test_options_in_the_money_count_the_spread():
    package = Package(
        equity_kind="options",
        option_count=1000,
        option_strike=D("10.00"),
        option_value=D("25.50"),
        vesting=Vesting(4, 12),
    )
    assert package.equity_grant() == D("15500.00")
    assert _equity(package) == [D("3875.00")] * 4


def test_sign_on_counts_in_year_one_only():
    rows = yearly(Package(base=D("100000"), sign_on=D("20000")))
    assert [row.sign_on for row in rows] == [D("20000.00"), D(0), D(0), D(0)]
    assert [row.total for row in rows] == [D("120000.00")] + [D("100000.00")] * 3


def test_percent_bonus_is_a_share_of_base_rounded_half_to_even():
    # 15 % of 160000.50 = 24000.075 -> 24000.08 (the 7 before the 5 is odd: round up).
    rows = yearly(Package(base=D("160000.50"), bonus_kind="percent", bonus_value=D(15)))
    assert [row.bonus for row in rows] == [D("24000.08")] * 4
    # 10 % of 100000.25 = 10000.025 -> 10000.02 (2 is even: stays).
    rows = yearly(Package(base=D("100000.25"), bonus_kind="percent", bonus_value=D(10)))
    assert rows[0].bonus == D("10000.02")


def test_fixed_bonus_counts_every_year():
    rows = yearly(Package(base=D("90000"), bonus_kind="fixed", bonus_value=D("7500")))
    assert [row.bonus for row in rows] == [D("7500.00")] * 4
    assert total(rows) == D("390000.00")


def test_retirement_match_and_benefits_are_other_every_year():
    rows = yearly(Package(base=D("1"), retirement_match=D("4000"), benefits=D("2500.50")))
    assert [row.other for row in rows] == [D("6500.50")] * 4


def test_a_full_offer_by_hand():
    package = Package(
        base=D("150000"),
        bonus_kind="percent",
        bonus_value=D(10),
        sign_on=D("25000"),
        equity_kind="rsu",
        rsu_grant=D("120000"),
        vesting=Vesting(4, 12, "monthly"),
        retirement_match=D("6000"),
        benefits=D("0"),
    )
    rows = yearly(package)
    assert [row.total for row in rows] == [
        D("226000.00"),  # 150000 + 15000 + 25000 + 30000 + 6000
        D("201000.00"),
        D("201000.00"),
        D("201000.00"),
    ]
    assert total(rows) == D("829000.00")


def test_the_schedule_names_its_problems():
    assert Vesting(4, 60).problems()["cliff_months"].startswith("The cliff (60 months)")
    assert (
        "add up to 90"
        in Vesting(4, 12, percent_by_year=(D(5), D(15), D(30), D(40))).problems()[
            "vesting_percent_by_year"
        ]
    )
    assert (
        "one percentage per vesting year"
        in Vesting(3, 12, percent_by_year=(D(50), D(50))).problems()["vesting_percent_by_year"]
    )
    assert Vesting(4, 12, "weekly").problems() == {
        "vesting_frequency": "Use monthly, quarterly or annual."
    }
    assert Vesting(4, 48).problems() == {}


def test_money_scores_and_the_weighted_score():
    scores = money_scores({"a": D("400000"), "b": D("300000"), "c": D("0")})
    assert scores == {"a": 5.0, "b": 3.75, "c": 1.0}
    weights = {"money": 2, "growth": 1, "culture": 1, "commute": 0}
    # (2*5 + 1*4 + 1*3 (unrated, neutral)) / 4 = 4.25; commute has no weight.
    assert weighted_score(weights, {"money": 5, "growth": 4, "commute": 1}) == 4.25
    assert weighted_score({"money": 0}, {"money": 5}) == 0.0


# --- properties ------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**12).map(lambda c: D(c) / 100)
frequencies = st.sampled_from(["monthly", "quarterly", "annual"])


@st.composite
def vestings(draw):
    years = draw(st.integers(1, 10))
    cliff = draw(st.integers(0, years * 12))
    percent = ()
    if draw(st.booleans()):
        # Integer hundredths of a percent that add up to exactly 100.
        cuts = sorted(
            draw(st.lists(st.integers(0, 10_000), min_size=years - 1, max_size=years - 1))
        )
        bounds = [0, *cuts, 10_000]
        percent = tuple(D(bounds[i + 1] - bounds[i]) / 100 for i in range(years))
    return Vesting(years, cliff, draw(frequencies), percent)


@st.composite
def packages(draw):
    return Package(
        base=draw(amounts),
        bonus_kind=draw(st.sampled_from(["percent", "fixed"])),
        bonus_value=draw(amounts),
        sign_on=draw(amounts),
        equity_kind=draw(st.sampled_from(["none", "rsu", "options"])),
        rsu_grant=draw(amounts),
        option_count=draw(st.integers(0, 10**7)),
        option_strike=draw(amounts),
        option_value=draw(amounts),
        vesting=draw(vestings()),
        retirement_match=draw(amounts),
        benefits=draw(amounts),
    )


@settings(max_examples=300, deadline=None)
@given(packages())
def test_the_total_is_the_sum_of_the_years_and_of_their_parts(package):
    rows = yearly(package)
    assert len(rows) == 4
    for row in rows:
        assert row.total == row.base + row.bonus + row.sign_on + row.equity + row.other
    assert total(rows) == sum((row.total for row in rows), D(0))


@settings(max_examples=300, deadline=None)
@given(amounts, vestings())
def test_vesting_never_exceeds_the_grant_and_never_goes_negative(grant, vesting):
    assert vesting.problems() == {}
    per_year = vesting.by_year(grant, years=vesting.years)
    assert all(amount >= 0 for amount in per_year)
    assert sum(per_year, D(0)) == grant  # all of it, exactly, by the end of vesting
    assert sum(vesting.by_year(grant), D(0)) <= grant


@settings(max_examples=300, deadline=None)
@given(packages())
def test_integer_cents_in_exact_cents_out(package):
    for row in yearly(package):
        for part in row.as_dict().values():
            if isinstance(part, D):
                assert part == part.quantize(D("0.01"))
                assert part.as_tuple().exponent == -2


@settings(max_examples=200, deadline=None)
@given(amounts)
def test_a_base_salary_for_four_years_is_four_times_it(base):
    assert total(yearly(Package(base=base))) == base * 4
