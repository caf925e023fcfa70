"""The triage in a terminal (``sayyes triage``): Rich renderables, no markup strings."""

from __future__ import annotations

import zoneinfo

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from .costs import format_when
from .models import Recommendation
from .services import Assessment

COLOURS = {
    "yes": "green",
    "yes_with_conditions": "yellow",
    "reschedule": "magenta",
    "decline": "red",
}
BAR = 20


def _bar(score: float) -> Text:
    filled = round(score * BAR)
    return Text("█" * filled, style="cyan") + Text("░" * (BAR - filled), style="dim")


def render(console: Console, assessment: Assessment, *, reply: str | None = None) -> None:
    interview = assessment.interview
    opp = interview.opportunity
    tz = zoneinfo.ZoneInfo(assessment.tz)
    title = Text(f"{interview.get_kind_display()} · {opp.title} at {opp.company.name}", "bold")
    when = Text(f"{format_when(interview.starts_at, tz)} · {interview.get_status_display()}")
    colour = COLOURS.get(assessment.recommendation, "white")
    verdict = Text(Recommendation(assessment.recommendation).label, style=f"bold {colour}")
    console.print(
        Panel(
            Group(title, when, Text(""), verdict, Text(assessment.recommendation_why)),
            title="Invitation triage",
            border_style=colour,
        )
    )
    console.print(Text("What this interview is worth to you", style="bold"))
    for reason in assessment.reasons:
        line = Text(f"{reason.label:<31} ") + _bar(reason.score)
        console.print(line + Text(f" {round(reason.score * 100):>3}", style="bold"))
        console.print(Text(f"  {reason.why}", style="dim"))
    if assessment.conflicts:
        console.print(Text("Conflicts", style="bold magenta"))
        for conflict in assessment.conflicts:
            console.print(Text(f"  - {conflict['why']}"))
    for blocker in assessment.blockers:
        style = "red" if blocker["severity"] == "blocker" else "yellow"
        label = "Deal-breaker" if blocker["severity"] == "blocker" else "Check first"
        console.print(Text(f"{label}: ", style=f"bold {style}") + Text(blocker["why"]))
    console.print(Text("Goals", style="bold"))
    for i, goal in enumerate(assessment.goals, 1):
        console.print(Text(f"  {i}. {goal['text']}"))
    which = reply or (
        "decline"
        if assessment.recommendation == "decline"
        else "reschedule"
        if assessment.recommendation == "reschedule"
        else "accept"
    )
    console.print(
        Panel(Text(assessment.replies[which]), title=f"Reply: {which}", border_style="dim")
    )
