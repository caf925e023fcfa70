"""Your pipeline: ``sayyes add opportunity`` and ``sayyes list``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from . import add_app, app
from .common import CliError, UserOption, current_user, out, print_json


@add_app.command("opportunity")
def add_opportunity(
    company: Annotated[str, typer.Option(help="Company name (created if new).")],
    title: Annotated[str, typer.Option(help="Job title.")],
    status: Annotated[
        str,
        typer.Option(
            help="saved, applied, screening, interviewing, offer, accepted, declined, rejected or withdrawn."
        ),
    ] = "saved",
    url: Annotated[str, typer.Option(help="Posting URL.")] = "",
    location: Annotated[str, typer.Option(help="Where the job is.")] = "",
    remote: Annotated[str, typer.Option(help="onsite, hybrid or remote.")] = "",
    salary_min: Annotated[int | None, typer.Option(help="Yearly salary, from.", min=0)] = None,
    salary_max: Annotated[int | None, typer.Option(help="Yearly salary, to.", min=0)] = None,
    currency: Annotated[str, typer.Option(help="ISO 4217 code of the salary, e.g. USD.")] = "",
    priority: Annotated[int, typer.Option(help="1 low, 2 medium, 3 high.", min=1, max=3)] = 2,
    source: Annotated[str, typer.Option(help="Where you found it.")] = "",
    notes: Annotated[str, typer.Option(help="Notes.")] = "",
    user: UserOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the new opportunity as JSON.")
    ] = False,
) -> None:
    """Add an opportunity to your pipeline."""
    from sayyes.pipeline.api import OpportunityOut
    from sayyes.pipeline.models import Status
    from sayyes.pipeline.services import create_opportunity

    if status not in Status.values:
        choices = ", ".join(Status.values)
        raise CliError(f"--status: {status!r} is not a status; use one of {choices}")
    opp = create_opportunity(
        current_user(user),
        company_name=company,
        title=title.strip(),
        status=status,
        posting_url=url,
        location=location,
        remote=remote,
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=currency.upper(),
        priority=priority,
        source=source,
        notes=notes,
    )
    if as_json:
        print_json(opp, OpportunityOut)
    else:
        out.print(
            f"Added #{opp.pk}: {opp.title} at {opp.company.name} ({opp.get_status_display()})."
        )


@app.command("list")
def list_command(
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    q: Annotated[
        str, typer.Option("--q", "--search", help="Search company, title, notes and posting.")
    ] = "",
    limit: Annotated[int, typer.Option(help="At most this many rows.", min=1)] = 50,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """List your opportunities, most recently changed first."""
    from sayyes.pipeline.api import OpportunityOut
    from sayyes.pipeline.services import SEARCH_LIMIT, search_opportunities

    qs = search_opportunities(current_user(user), q=q, status=status or "")
    total = qs.count()
    rows = list(qs[:limit])
    if as_json:
        for opp in rows:
            print_json(opp, OpportunityOut)
        return
    if not rows:
        out.print(
            "No opportunities yet. Add one with `sayyes add opportunity --company … --title …`."
        )
        return
    table = Table("#", "company", "title", "status", "priority", "updated")
    for opp in rows:
        table.add_row(
            str(opp.pk),
            opp.company.name,
            opp.title,
            opp.get_status_display(),
            opp.get_priority_display(),
            f"{opp.updated_at:%Y-%m-%d}",
        )
    out.print(table)
    if q.strip() and total >= SEARCH_LIMIT:
        # A search looks through the latest SEARCH_LIMIT matches only: there may be more.
        out.print(
            f"{len(rows)} of the {total:,} matches you added last shown; there may be older "
            "ones: add a word or --status to narrow the search."
        )
    elif total > len(rows):
        out.print(f"{len(rows)} of {total} shown; use --limit to see more.")
