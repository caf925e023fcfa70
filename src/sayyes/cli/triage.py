"""Say yes: ``sayyes triage INTERVIEW_ID`` weighs an invitation."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app
from .common import CliError, UserOption, current_user, out, owned, print_json


@app.command("triage")
def triage_command(
    interview_id: Annotated[int, typer.Argument(help="The interview's number.")],
    user: UserOption = None,
    travel_minutes: Annotated[
        int | None, typer.Option(help="Travel time there, one way, in minutes.", min=0, max=1440)
    ] = None,
    reply: Annotated[
        str | None, typer.Option(help="Which reply to print: accept, reschedule or decline.")
    ] = None,
    decide: Annotated[
        str | None,
        typer.Option(help="Record your decision: accept, reschedule or decline."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON.")] = False,
) -> None:
    """Weigh an interview invitation: six reasons, conflicts, deal-breakers, goals, a reply."""
    from sayyes.pipeline.models import Interview
    from sayyes.triage import services as triage
    from sayyes.triage.api import TriageOut
    from sayyes.triage.report import render

    account = current_user(user)
    for name, value in (("--reply", reply), ("--decide", decide)):
        if value is not None and value not in triage.DECISIONS:
            raise CliError(f"{name} is one of: accept, reschedule, decline")
    interview = owned(
        Interview.objects.select_related("opportunity__company"),
        account,
        interview_id,
        see="sayyes agenda",
    )
    if travel_minutes is None:
        travel_minutes = triage.stored_travel(interview)
    assessment, _ = triage.triage(interview, travel_minutes=travel_minutes)
    if decide:
        stored = triage.decide(interview, decide, travel_minutes=travel_minutes)
        interview.refresh_from_db()
    if as_json:
        print_json(assessment.as_api(), TriageOut)
        return
    render(out, assessment, reply=reply)
    if decide:
        out.print(
            f"Recorded: {stored.get_decision_display().lower()}; the interview is now "
            f"{interview.get_status_display().lower()}."
        )
