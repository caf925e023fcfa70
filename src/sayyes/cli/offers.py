"""Offers: ``sayyes offers`` lists them, ``sayyes offers --compare ID ID …`` compares them."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from . import app
from .common import CliError, UserOption, current_user, out, owned, print_json


@app.command()
def offers(
    ids: Annotated[
        list[int] | None, typer.Argument(help="Offer ids to compare (with --compare).")
    ] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="Compare the offers given by id, side by side.")
    ] = False,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Your offers and their 4-year totals, or (--compare ID ID …) a side-by-side comparison."""
    from sayyes.offers import services
    from sayyes.offers.api import OfferOut

    account = current_user(user)
    if compare or ids:
        if not compare:
            raise CliError("to compare offers, say --compare ID ID …")
        _compare(account, ids or [], as_json)
        return
    rows = list(services.offers_for(account).order_by("-is_current", "deadline", "id"))
    if as_json:
        for offer in rows:
            print_json(offer, OfferOut)
        return
    if not rows:
        out.print("No offers yet. Enter one on the Offers page (or through the API).")
        return
    table = Table("#", "offer", "status", "base salary", "4-year total", "answer by")
    for offer in rows:
        table.add_row(
            str(offer.pk),
            offer.name,
            "current job" if offer.is_current else offer.get_status_display(),
            f"{offer.base_salary:,.2f} {offer.currency}",
            f"{offer.total_4y():,.2f} {offer.currency}",
            f"{offer.deadline:%Y-%m-%d}" if offer.deadline else "",
        )
    out.print(table)


def _compare(account: Any, ids: list[int], as_json: bool) -> None:
    from sayyes.offers import services
    from sayyes.offers.api import CompareOut
    from sayyes.offers.models import Offer

    offers = Offer.objects.select_related("opportunity__company")
    chosen = owned(offers, account, list(dict.fromkeys(ids)), see="sayyes offers")
    comparison = services.compare(account, chosen)
    if as_json:
        print_json(comparison.as_dict(), CompareOut)
        return
    table = Table(
        "#", "offer", "year 1", "year 2", "year 3", "year 4", "4-year total", "difference",
        "score", title=f"Compared in {comparison.currency}",
    )  # fmt: skip
    for row in comparison.rows:
        table.add_row(
            str(row.offer.pk),
            row.offer.name,
            *(f"{y.total:,.2f}" for y in row.years),
            f"{row.total_4y:,.2f}",
            "baseline" if row is comparison.baseline else f"{row.difference:+,.2f}",
            f"{row.score:.2f}",
        )
    out.print(table)
