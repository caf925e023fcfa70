"""The ownership meta-test for the CLI: bob, naming alice's objects by id, gets one line
saying it is not there (exit 1, no traceback), and nothing of alice's changes.

A walk over every command fails when one takes an id (an argument or option named ``*id``
or ``*ids``, or one with a value whose help speaks of an id) that ``BOB_TRIES`` does not
cover.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
import typer

from sayyes.cli import app
from tests.test_cli import run_main
from tests.test_meta_ownership import _snapshot

# (command, the parameter that takes an id): arguments bob runs it with, given alice's ids.
BOB_TRIES = {
    ("triage", "interview_id"): lambda ids: ["triage", str(ids["interview"])],
    ("triage", "interview_id", "decide"): lambda ids: [
        "triage", str(ids["interview"]), "--decide", "decline",
    ],
    ("debrief", "interview_id"): lambda ids: ["debrief", str(ids["interview"])],
    ("offers", "ids"): lambda ids: ["offers", "--compare", str(ids["offer"]), str(ids["current"])],
    ("practice", "opportunity"): lambda ids: ["practice", "--opportunity", str(ids["opportunity"])],
    ("mock", "opportunity"): lambda ids: ["mock", "--opportunity", str(ids["opportunity"])],
    ("import invite", "company_id"): lambda ids: [
        "import", "invite", INVITE, "--company-id", str(ids["company"]),
    ],
    ("import invite", "opportunity_id"): lambda ids: [
        "import", "invite", INVITE, "--opportunity-id", str(ids["opportunity"]),
    ],
}  # fmt: skip
INVITE = str(Path(__file__).parent / "fixtures" / "invitations" / "zoom.ics")
NOT_FOUND = {
    "triage": "No interview #{interview}.",
    "debrief": "No interview #{interview}.",
    "offers": "No offer #{offer}.",
    "practice": "No opportunity #{opportunity}.",
    "mock": "No opportunity #{opportunity}.",
    ("import invite", "company_id"): "No company #{company}.",
    ("import invite", "opportunity_id"): "No opportunity #{opportunity}.",
}


def _commands(group, prefix: str = ""):
    for name, command in group.commands.items():
        full = f"{prefix} {name}".strip()
        if hasattr(command, "commands"):
            yield from _commands(command, full)
        else:
            yield full, command


def _takes_an_id(param) -> bool:
    if getattr(param, "is_flag", False):
        return False  # --compare takes no value; its ids come as arguments
    help_text = getattr(param, "help", None) or ""
    return bool(
        re.search(r"(^|_)ids?$", param.name or "")
        or param.name.endswith("id")
        or re.search(r"\bids?\b", help_text, re.IGNORECASE)
    )


def test_every_command_that_takes_an_id_is_tried_by_bob():
    covered = {key[:2] for key in BOB_TRIES}
    found = {
        (full, param.name)
        for full, command in _commands(typer.main.get_command(app))
        for param in command.params
        if _takes_an_id(param) and not getattr(param, "hidden", False)  # a pid is no object
    }
    assert found, "the walk found no command that takes an id"
    missing = found - covered
    assert not missing, f"add these to BOB_TRIES in {__name__}: {sorted(missing)}"
    assert covered <= found, f"BOB_TRIES names parameters that no longer exist: {covered - found}"


@pytest.fixture
def alices_ids(alice, bob, opp, interview):
    from sayyes.journal.debriefs import save_debrief
    from sayyes.offers.services import create_offer, set_rate
    from sayyes.triage import services as triage

    triage.triage(interview)
    save_debrief(alice, interview, likes="Alice's like", ratings={"growth": 4})
    set_rate(alice, from_currency="EUR", to_currency="USD", rate="1.1", as_of=date.today())
    current = create_offer(alice, is_current=True, label="Globex", base_salary=D("90000"))
    offer = create_offer(alice, opportunity=opp, currency="USD", base_salary=D("100000"))
    return {
        "interview": interview.pk,
        "opportunity": opp.pk,
        "company": opp.company_id,
        "offer": offer.pk,
        "current": current.pk,
    }


@pytest.mark.parametrize("key", list(BOB_TRIES), ids=[" ".join(k) for k in BOB_TRIES])
def test_bob_naming_alices_object_gets_one_line_and_changes_nothing(alice, alices_ids, key):
    before = _snapshot(alice)
    args = BOB_TRIES[key](alices_ids)
    result = run_main(*args, "--user", "bob", stdin="An answer\n\n" * 3)
    assert result.code == 1, (args, result.out, result.err)
    assert "Traceback" not in result.err
    assert len(result.err_lines) == 1, result.err
    expected = NOT_FOUND.get(key[:2], NOT_FOUND.get(key[0], "")).format(**alices_ids)
    assert result.err_lines[0].startswith(f"sayyes: {expected}"), result.err
    assert _snapshot(alice) == before


@pytest.mark.parametrize("junk", ["0", "-3", "99999999999999999999"])
def test_an_id_that_cannot_exist_is_not_found_either(alice, interview, junk):
    result = run_main("triage", junk, "--user", "alice")
    assert result.code in (1, 2), result.err  # 2: a number too large for an int option
    assert len(result.err_lines) == 1 and "Traceback" not in result.err
    assert "unexpected error" not in result.err
