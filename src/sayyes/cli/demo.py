"""``sayyes demo``: an account full of realistic data."""

from __future__ import annotations

from typing import Annotated

import typer

from . import app
from .common import out, progress_bar


@app.command()
def demo(
    scale: Annotated[
        int, typer.Option(help="Multiply the amount of demo data.", min=1, max=1000)
    ] = 1,
    user: Annotated[str, typer.Option(help="Account to fill (created if new).")] = "demo",
) -> None:
    """Fill an account with realistic demo data, for trying sayyes and for benchmarks."""
    from django.contrib.auth import get_user_model

    from sayyes.accounts.services import create_user
    from sayyes.demo import demo_total, fill_demo

    account = get_user_model().objects.filter(username__iexact=user).first()
    if account is None:
        account = create_user(user)
    with progress_bar() as progress:
        task = progress.add_task("Creating demo data", total=demo_total(scale))
        counts = fill_demo(
            account,
            scale=scale,
            progress=lambda n, description: progress.update(
                task, advance=n, description=description
            ),
        )
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    out.print(f"Demo data for {account.username!r}: {summary}.")
