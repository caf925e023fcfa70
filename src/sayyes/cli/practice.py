"""Practice: ``sayyes practice`` (answer questions, get feedback) and ``sayyes transcribe``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sayyes.core import prose

from . import app
from .common import CliError, UserOption, current_user, err, out, owned, read_answer


@app.command()
def practice(
    category: Annotated[
        str | None,
        typer.Option(
            help="behavioral, situational, tough, motivation, career_story, culture_fit, role_specific or panel."
        ),
    ] = None,
    opportunity: Annotated[
        int | None, typer.Option(help="Practise for this opportunity (its id in `sayyes list`).")
    ] = None,
    count: Annotated[int, typer.Option(help="How many questions.", min=1, max=50)] = 3,
    due: Annotated[bool, typer.Option("--due", help="Review the questions that are due.")] = False,
    user: UserOption = None,
) -> None:
    """Answer interview questions in the terminal and get instant feedback."""
    from rich.markup import escape

    from sayyes.pipeline.models import Opportunity
    from sayyes.practice import services as practice_services

    account = current_user(user)
    opp = None
    if opportunity is not None:
        opp = owned(
            Opportunity.objects.select_related("company"), account, opportunity, see="sayyes list"
        )
    mode = "due" if due else "opportunity" if opp else "category" if category else "random"
    session = practice_services.start_session(
        account, mode=mode, category=category or "", opportunity=opp, count=count
    )
    out.print(
        f"{prose.count(len(session.question_ids), 'question')}. Type your answer; finish it with an empty line. "
        "An empty answer skips the question."
    )
    while (question := practice_services.current_question(session)) is not None:
        out.print()
        out.rule(f"Question {session.position + 1} of {len(session.question_ids)}")
        out.print(f"[bold]{escape(question.text)}[/]", markup=True)
        text = read_answer()
        if text:
            answer = practice_services.record_answer(account, question, text, session=session)
            _print_feedback(answer)
        practice_services.advance(session)
    out.print()
    out.print(
        f"Done. {prose.count(practice_services.due_count(account), 'question')} due for review today."
    )


def _print_feedback(answer: Any) -> None:
    f = answer.feedback
    out.print(
        f"Score [bold]{answer.score}[/]/100 · {f['word_count']} words · length {f['length']['verdict'].replace('_', ' ')}",
        markup=True,
    )
    parts = (f.get("structure") or {}).get("parts") or f.get("star") or {}
    if parts:
        marks = "  ".join(
            ("✓ " if v["present"] else "○ ") + v.get("label", k.capitalize())
            for k, v in parts.items()
        )
        out.print(f"{'STAR' if f.get('star') else 'Structure'}: {marks}")
    if f["fillers"]["count"]:
        items = ", ".join(f"{w} ×{n}" for w, n in f["fillers"]["items"].items())
        out.print(f"Fillers: {f['fillers']['count']} ({items})")
    if f["job_terms"]["missing"]:
        out.print("Job terms you could use: " + ", ".join(f["job_terms"]["missing"][:5]))
    for i, tip in enumerate(f["tips"], 1):
        out.print(f"{i}. {tip}")
    if answer.next_review_at:
        out.print(f"Comes back for review on {answer.next_review_at:%Y-%m-%d %H:%M} UTC.")


@app.command(database=None)
def transcribe(
    file: Annotated[
        Path, typer.Argument(help="A recording: WebM, Ogg, MP4/M4A, WAV, MP3 or FLAC.")
    ],
    question: Annotated[
        str, typer.Option(help="The question it answers, for sharper feedback.")
    ] = "",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print transcript, timings and feedback as JSON.")
    ] = False,
) -> None:
    """Transcribe a recording on this machine and print the transcript (and speech feedback)."""
    from sayyes.practice.speech import AudioError, probe
    from sayyes.practice.speech.report import assess, engine_facts

    if not file.is_file():
        raise CliError(f"no such file: {file}")
    try:
        probe(file)
        transcript, feedback = assess(file, question)
    except AudioError as exc:
        raise CliError(f"{file}: {exc}") from None
    if as_json:
        result = {
            "transcript": transcript.text,
            "duration_seconds": transcript.duration_seconds,
            "words_per_minute": feedback["words_per_minute"],
            "segments": transcript.to_dict()["segments"],
            "unclear": transcript.to_dict()["unclear"],
            "engine": engine_facts(),
            "feedback": feedback,
        }
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    out.print(transcript.text or "(no speech found)", soft_wrap=True)
    for u in transcript.unclear:
        err.print(f"Could not be understood, left out and not scored: {u.start:.1f}–{u.end:.1f} s")
    speech = feedback["speech"]
    pauses = speech["pauses"]
    err.print(
        f"{transcript.duration_seconds:.1f} s · "
        f"{speech['words_per_minute'] or '—'} words a minute · "
        f"{prose.count(pauses['count'], 'pause')} over {pauses['threshold_seconds']} s · "
        f"{prose.count(speech['fillers']['count'], 'filler')}"
    )


@app.command()
def mock(
    kind: Annotated[
        str, typer.Option(help="The round: phone_screen, behavioral, technical, panel or final.")
    ] = "behavioral",
    questions: Annotated[int, typer.Option(help="How many questions, 1 to 12.")] = 4,
    opportunity: Annotated[
        int | None,
        typer.Option(help="Choose the questions for this opportunity (its id in `sayyes list`)."),
    ] = None,
    user: UserOption = None,
) -> None:
    """A mock interview in the terminal: the interviewer asks, digs with follow-ups, then
    the report. Finish each answer with an empty line; an empty answer stops the interview."""
    from rich.markup import escape
    from rich.panel import Panel

    from sayyes.pipeline.models import Opportunity
    from sayyes.practice.mocks import services as mocks
    from sayyes.practice.mocks.personas import PERSONAS

    account = current_user(user)
    opp = None
    if opportunity is not None:
        opp = owned(
            Opportunity.objects.select_related("company"), account, opportunity, see="sayyes list"
        )
    session = mocks.start_mock(account, kind=kind, count=questions, opportunity=opp)
    out.print(
        f"Mock {session.get_kind_display().lower()} round, "
        f"{prose.count(len(session.question_ids), 'question')}. "
        "Type each answer and finish it with an empty line."
    )
    while (step := mocks.step(session)).turn is not None:
        turn = step.turn
        persona = PERSONAS[turn.persona]
        title = (
            "Closing"
            if turn.closing
            else f"Question {step.number} of {step.total}"
            + (" · follow-up" if turn.kind == "follow_up" else "")
        )
        out.print()
        out.print(
            Panel(
                escape(turn.text),
                title=f"{escape(persona.name)}, {escape(persona.said_role)}",
                subtitle=title,
                title_align="left",
            )
        )
        if turn.closing:
            for text in mocks.suggestions(session):
                out.print(f"  You could ask: {text}")
        text = read_answer()
        if not text:
            if not turn.closing:
                out.print(f"Stopped. Pick it up on the practice page: mock #{session.pk}.")
                break
            text = "No questions, thank you."
        session = mocks.answer_text(session, text)
    _print_mock_report(session)


def _print_mock_report(session: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    from sayyes.practice.mocks.report import report

    data = report(session)
    overall = data["overall"]
    out.print()
    out.rule("Your report")
    score = overall["score"] if overall["score"] is not None else "—"
    out.print(f"Overall score [bold]{score}[/]/100", markup=True)
    table = Table("#", "Question", "Follow-ups", "Score", show_lines=False)
    for i, q in enumerate(data["questions"], 1):
        table.add_row(
            str(i),
            escape(q["question"]),
            str(len(q["follow_ups"])),
            "—" if q["score"] is None else str(q["score"]),
        )
    out.print(table)
    talk = data["delivery"]
    pace = f"{talk['words_per_minute']} words a minute" if talk["words_per_minute"] else "—"
    out.print(
        f"Delivery: pace {pace} · fillers {talk['fillers']['count']} "
        f"({talk['fillers']['per_100_words']:g} per 100 words)"
    )
    out.print("[bold]Strengths[/]", markup=True)
    for item in overall["strengths"]:
        out.print(f"  + {item}")
    out.print("[bold]Work on[/]", markup=True)
    for i, item in enumerate(overall["work_on"], 1):
        out.print(f"  {i}. {item}")
    before = data["comparison"]
    if before and before["score_change"] is not None:
        change = before["score_change"]
        out.print(
            f"Compared with your previous {session.get_kind_display().lower()} mock "
            f"({before['created_at']:%Y-%m-%d}): {'+' if change > 0 else ''}{change} points."
        )
