"""Practice: ``sayyes practice`` (answer questions, get feedback) and ``sayyes transcribe``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

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
        f"{len(session.question_ids)} question(s). Type your answer; finish it with an empty line. "
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
        f"Done. Due for review now or later: {practice_services.due_count(account)} question(s) due today."
    )


def _print_feedback(answer: Any) -> None:
    f = answer.feedback
    out.print(
        f"Score [bold]{answer.score}[/]/100 · {f['word_count']} words · length {f['length']['verdict'].replace('_', ' ')}",
        markup=True,
    )
    star = f["star"]
    parts = "  ".join(
        ("✓ " if star[p]["present"] else "○ ") + p.capitalize()
        for p in ("situation", "task", "action", "result")
    )
    out.print(f"STAR: {parts}")
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
        f"{pauses['count']} pause(s) over {pauses['threshold_seconds']} s · "
        f"{speech['fillers']['count']} filler(s)"
    )
