"""The journal: ``sayyes debrief INTERVIEW_ID`` and ``sayyes insights``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sayyes.core import prose

from . import app
from .common import UserOption, current_user, out, owned, print_json, read_answer


def _ask(label: str, current: str = "") -> str:
    """One line from the terminal; Enter keeps ``current``."""
    shown = f" [{current[:40]}{'…' if len(current) > 40 else ''}]" if current else ""
    out.print(f"{label}{shown}: ", end="")
    try:
        line = input()
    except EOFError:
        line = ""
    return line.strip() or current


def _ask_number(label: str, current: int | None) -> int | None:
    """A number from 1 to 5, asked again until it is one; Enter keeps ``current``."""
    while True:
        raw = _ask(f"{label} (1-5, Enter to skip)", str(current) if current else "")
        if not raw:
            return None
        if raw.isdigit() and 1 <= int(raw) <= 5:
            return int(raw)
        out.print(f"  {raw!r} is not a number from 1 to 5.")


@app.command()
def debrief(
    interview_id: Annotated[int, typer.Argument(help="The interview's id (see `sayyes agenda`).")],
    user: UserOption = None,
) -> None:
    """Write (or edit) the debrief of an interview, question by question."""
    from sayyes.journal import debriefs as journal
    from sayyes.journal.models import Debrief
    from sayyes.pipeline.models import Interview

    account = current_user(user)
    interview = owned(
        Interview.objects.select_related("opportunity__company"),
        account,
        interview_id,
        see="sayyes agenda",
    )
    current = Debrief.objects.owned_by(account).filter(interview=interview).first() or Debrief()
    out.print(
        f"Debrief: {interview.get_kind_display()} for {interview.opportunity.title} at "
        f"{interview.opportunity.company.name}. Enter keeps what is in [brackets]."
    )
    asked = journal.questions_asked(current) if current.pk else []
    out.print("Questions you were asked, one per line; an empty line finishes.")
    for q in asked:
        out.print(f"  (kept unless you type new ones) {q.text}")
    typed = read_answer()
    questions = typed.splitlines() if typed else [q.text for q in asked]
    fields = {
        "learned_requirements": _ask(
            "What you learned about the requirements", current.learned_requirements
        ),
        "learned_strategy": _ask("About the department's strategy", current.learned_strategy),
        "learned_goals": _ask("About the company's goals", current.learned_goals),
        "likes": _ask("What you liked", current.likes),
        "dislikes": _ask("What you didn't like", current.dislikes),
    }
    people = _ask(
        "People you met (names, separated by commas)",
        ", ".join(p.name for p in current.people.all()) if current.pk else "",
    )
    ratings = {}
    for name in journal.dimensions(account):
        value = _ask_number(f"Rate {name}", (current.ratings or {}).get(name))
        if value is not None:
            ratings[name] = value
    interest = _ask_number("Overall interest", current.overall_interest)
    notes = _ask("Notes", current.notes)
    saved = journal.save_debrief(
        account,
        interview,
        questions=questions,
        people_names=[n for n in people.split(",") if n.strip()],
        people_ids=[],
        ratings=ratings,
        overall_interest=interest,
        notes=notes,
        **fields,
    )
    count = saved.questions.count()
    out.print(
        f"Debrief saved. {prose.count(count, 'question')} asked "
        f"{'is' if count == 1 else 'are'} in your practice bank; "
        "practise them with `sayyes practice`."
    )


@app.command()
def insights(
    industry: Annotated[
        str | None, typer.Option(help="One industry, e.g. Technology (default: all).")
    ] = None,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What your debriefs and postings say about an industry: themes, requirements, questions."""
    from sayyes.journal.api import InsightsOut
    from sayyes.journal.insights import industry_insights

    account = current_user(user)
    data = industry_insights(account, industry or "")
    if as_json:
        print_json(data, InsightsOut)
        return
    scope = data["industry"] or "all your companies"
    out.print(
        f"Insights for {scope}: {len(data['companies'])} companies, {data['debriefs']} debriefs, "
        f"{data['postings']} postings."
    )
    if data["pending"]:
        out.print("Some imported postings or debriefs are still being read by the worker.")
    if not data["themes"] and not data["questions"] and not data["interest"]:
        out.print("Nothing to pool yet: add postings to opportunities and write debriefs.")
        return
    for title, key in (("Themes and terms", "themes"), ("Common requirements", "requirements")):
        if data[key]:
            table = Table(title=title)
            for column in ("Term", "Mentions", "Companies"):
                table.add_column(column)
            for t in data[key]:
                more = t["companies_total"] - len(t["companies"])
                names = ", ".join(t["companies"]) + (f" and {more} more" if more > 0 else "")
                table.add_row(t["term"], str(t["count"]), names)
            out.print(table)
    if data["questions"]:
        out.print("Questions asked most:")
        for q in data["questions"]:
            out.print(f"  {q['count']}× {q['text']} ({', '.join(q['companies'])})")
    if data["interest"]:
        out.print("Your interest by company:")
        for i in data["interest"]:
            out.print(f"  {i['company']}: {i['overall_interest']}/5 ({i['debriefs']} debriefs)")
