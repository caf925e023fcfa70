"""Invitations from the terminal: ``sayyes import invite FILE``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from . import import_app
from .common import CliError, UserOption, current_user, out, owned, print_json, read_file


@import_app.command("invite")
def import_invite_command(
    file: Annotated[
        Path, typer.Argument(help="An .ics file, an .eml with the invitation, or a pasted e-mail.")
    ],
    user: UserOption = None,
    company_id: Annotated[
        int | None, typer.Option("--company-id", help="The company, when several match.")
    ] = None,
    company: Annotated[str, typer.Option("--company", help="Name the company.")] = "",
    opportunity_id: Annotated[
        int | None, typer.Option("--opportunity-id", help="The opportunity, when several match.")
    ] = None,
    done: Annotated[
        bool, typer.Option("--done", help="Log an interview that is over as done.")
    ] = False,
    at: Annotated[
        str,
        typer.Option(
            "--at", help="Confirm a time proposed from an e-mail's text (ISO 8601, with offset)."
        ),
    ] = "",
    title: Annotated[str, typer.Option("--title", help="The role, with --at.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON.")] = False,
) -> None:
    """Log an invitation as an interview (the same invitation again updates or cancels it)."""
    from sayyes.invitations import services
    from sayyes.invitations.api import InvitationOut, answer
    from sayyes.invitations.reader import InvitationError
    from sayyes.pipeline.models import Company, Opportunity

    account = current_user(user)
    if company_id is not None:
        owned(Company.objects, account, company_id, see="sayyes list")
    if opportunity_id is not None:
        owned(Opportunity.objects, account, opportunity_id, see="sayyes list")
    data = read_file(file)
    try:
        if at:
            try:
                when = datetime.fromisoformat(at)
            except ValueError:
                raise CliError(
                    f"--at: can't read {at!r} as a time like 2031-01-14T14:00-05:00"
                ) from None
            outcome = services.confirm_proposal(
                account,
                data.decode("utf-8", "replace"),
                when,
                company_id=company_id,
                company_name=company,
                opportunity_id=opportunity_id,
                title=title,
            )
            imported = services.Imported(outcomes=[outcome])
        else:
            imported = services.import_invitation(
                account,
                data,
                company_id=company_id,
                company_name=company,
                opportunity_id=opportunity_id,
                past="done" if done else None,
            )
    except services.NeedsChoice as exc:
        option = "--company-id" if exc.what == "company" else "--opportunity-id"
        if exc.what == "company" and not exc.choices:
            option = "--company"
        picks = "; ".join(f"{option} {pk} for {name}" for pk, name in exc.choices)
        raise CliError(
            f"{file}: {exc}"
            + (f" ({picks})" if picks else f" with {option} NAME")
            + "; nothing was imported"
        ) from None
    except services.PastEvent as exc:
        raise CliError(f"{file}: {exc} (add --done); nothing was imported") from None
    except InvitationError as exc:
        raise CliError(f"{file}: {exc}; nothing was imported") from None
    if as_json:
        print_json(answer(imported), InvitationOut)
        return
    if imported.proposals is not None:
        out.print(imported.summary())
        for proposal in imported.proposals.times:
            out.print(f"    --at {proposal.starts_at.isoformat()}   ({proposal.said})")
        if imported.proposals.times:
            out.print("Run the command again with --at TIME to log the interview.")
        return
    out.print(imported.summary())
    for outcome in imported.outcomes:
        out.print(f"Triage it: sayyes triage {outcome.interview.pk}")
