"""The days ahead: ``sayyes agenda``, ``sayyes remind`` and ``sayyes export ics``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import app, export_app
from .common import UserOption, current_user, find_account, out, print_json, write_file


@app.command()
def agenda(
    days: Annotated[int, typer.Option(help="How many days after today.", min=0, max=60)] = 7,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Today and the next days: interviews, follow-ups due or overdue, in your time zone."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone as tz

    from sayyes.agenda.services import build_agenda

    account = current_user(user)
    plan = build_agenda(account, days=days)
    if as_json:
        print_json(plan.as_dict())  # what GET /api/v1/agenda answers
        return
    zone = ZoneInfo(plan.tz)
    out.print(f"Agenda for {account.username} ({plan.tz})")
    if plan.overdue:
        out.print("Overdue:")
        for f in plan.overdue:
            out.print(
                f"  - {f.get_kind_display()}: {f.contact.name}, due {tz.localtime(f.due_at, zone):%a %d %b %H:%M}"
            )
        if plan.overdue_count > len(plan.overdue):
            out.print(
                f"  … and {plan.overdue_count - len(plan.overdue)} more (the oldest are shown)"
            )
    for day in plan.days:
        label = "Today" if day.date == plan.today else f"{day.date:%A %d %B}"
        out.print(f"{label}:" + ("" if not day.empty else " nothing planned"))
        for i in day.interviews:
            where = i.video_url or i.location
            out.print(
                f"  {tz.localtime(i.starts_at, zone):%H:%M} {i.get_kind_display()} — {i.opportunity.title} at {i.opportunity.company.name}"
                + (f" ({where})" if where else "")
            )
        if day.more_interviews:
            out.print(f"  … and {day.more_interviews} more interviews")
        for f in day.followups:
            out.print(f"  - {f.get_kind_display()}: {f.contact.name}")
        if day.more_followups:
            out.print(f"  … and {day.more_followups} more follow-ups")
        for d in day.deadlines:
            out.print(f"  ! Answer due on the offer from {d['name']}")


@app.command()
def remind(
    user: Annotated[
        str | None, typer.Option(help="Only this account (default: everyone due).")
    ] = None,
    now: Annotated[
        bool, typer.Option("--now", help="Send the digest now, even before the morning hour.")
    ] = False,
) -> None:
    """Email the daily agenda digest (the worker also does this every morning)."""
    from django.contrib.auth import get_user_model

    from sayyes.agenda.services import send_digest, send_due_digests

    if user or now:
        accounts = (
            [find_account(user)]
            if user
            else list(get_user_model().objects.filter(is_active=True).exclude(email=""))
        )
        sent = sum(1 for account in accounts if send_digest(account))
    else:
        sent = send_due_digests()
    out.print(f"Sent {sent} digest{'s' if sent != 1 else ''}.")


@export_app.command("ics")
def export_ics_command(
    file: Annotated[Path, typer.Argument(help="Where to write the .ics file.")],
    user: UserOption = None,
) -> None:
    """Write your interviews as an iCalendar file."""
    from django.conf import settings

    from sayyes.agenda.ics import calendar_for
    from sayyes.pipeline.models import Interview

    account = current_user(user)
    interviews = (
        Interview.objects.owned_by(account)
        .select_related("opportunity__company")
        .prefetch_related("interviewers")
    )
    write_file(file, calendar_for(interviews, base_url=settings.SAYYES_BASE_URL))
    out.print(f"Wrote {interviews.count()} interviews to {file}.")
