"""The demo generator (``sayyes.demo``): what it writes, for whom, and its data file."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from sayyes.cli import app
from sayyes.demo import (
    COMPANIES_PER_SCALE,
    CONTACTS_PER_SCALE,
    DEBRIEFS_PER_SCALE,
    INTERVIEWS_PER_SCALE,
    OPPORTUNITIES_PER_SCALE,
    demo_total,
    fill_demo,
)
from sayyes.demo.words import WORDS_FILE, Words, WordsError, load_words, words
from sayyes.journal.models import Debrief
from sayyes.network.models import Contact
from sayyes.offers.models import Offer
from sayyes.pipeline.models import INDUSTRIES, Company, Interview, Opportunity, StatusEvent

ROOT = Path(__file__).resolve().parent.parent
FROZEN = dt.datetime(2026, 3, 4, 10, 17, 23, tzinfo=dt.UTC)


def rows_of(user) -> dict[str, list[dict]]:
    """Everything the demo writes for ``user``, without ids and owners."""
    drop = {"id", "owner_id", "company_id", "opportunity_id", "interview_id"}

    def clean(qs, *fields):
        return [{k: v for k, v in row.items() if k not in drop} for row in qs.values(*fields)]

    return {
        "companies": clean(Company.objects.owned_by(user).order_by("id")),
        "opportunities": clean(Opportunity.objects.owned_by(user).order_by("id")),
        "events": clean(StatusEvent.objects.filter(opportunity__owner=user).order_by("id")),
        "interviews": clean(Interview.objects.owned_by(user).order_by("id")),
        "contacts": clean(Contact.objects.owned_by(user).order_by("id")),
        "debriefs": clean(
            Debrief.objects.owned_by(user).order_by("id"), "likes", "dislikes", "ratings"
        ),
        "offers": clean(Offer.objects.owned_by(user).order_by("id"), "base_salary", "deadline"),
    }


def counts_in_db(user) -> dict[str, int]:
    return {
        "companies": Company.objects.owned_by(user).count(),
        "opportunities": Opportunity.objects.owned_by(user).count(),
        "interviews": Interview.objects.owned_by(user).count(),
        "contacts": Contact.objects.owned_by(user).count(),
        "events": StatusEvent.objects.filter(opportunity__owner=user).count(),
        "debriefs": Debrief.objects.owned_by(user).count(),
        "offers": Offer.objects.owned_by(user).count(),
    }


# --- the generator -----------------------------------------------------------------------------


def test_fill_demo_fills_the_account_with_the_counts_it_returns_and_no_other(alice, bob, opp):
    bobs_company = Company.objects.create(owner=bob, name="Bob's own", industry="Retail")
    bobs_before = rows_of(bob)
    alices_before = counts_in_db(alice)

    counts = fill_demo(alice)

    assert list(counts) == [
        "companies", "opportunities", "interviews", "contacts", "events", "debriefs", "offers",
    ]  # fmt: skip
    made = {kind: n - alices_before[kind] for kind, n in counts_in_db(alice).items()}
    assert made == counts
    assert counts["companies"] == COMPANIES_PER_SCALE
    assert counts["opportunities"] == OPPORTUNITIES_PER_SCALE
    assert counts["interviews"] == INTERVIEWS_PER_SCALE
    assert counts["contacts"] == CONTACTS_PER_SCALE
    assert counts["events"] >= counts["opportunities"]
    assert counts["debriefs"] == DEBRIEFS_PER_SCALE
    assert counts["offers"] == 3
    assert rows_of(bob) == bobs_before
    assert Company.objects.get(pk=bobs_company.pk).owner == bob
    # Everything the demo links together belongs to the same account.
    assert not Opportunity.objects.owned_by(alice).exclude(company__owner=alice).exists()
    assert not Interview.objects.owned_by(alice).exclude(opportunity__owner=alice).exists()
    links = Interview.interviewers.through.objects.filter(interview__owner=alice)
    assert links.exists() and not links.exclude(contact__owner=alice).exists()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(alice, bob, db):
    carol = get_user_model().objects.create_user("carol")
    with mock.patch("django.utils.timezone.now", lambda: FROZEN):
        fill_demo(alice, seed=5)
        fill_demo(bob, seed=5)
        fill_demo(carol, seed=6)
    alices, bobs, carols = rows_of(alice), rows_of(bob), rows_of(carol)
    assert alices == bobs
    assert alices["companies"] != carols["companies"]
    assert alices["debriefs"] != carols["debriefs"]


def test_progress_adds_up_to_demo_total(alice):
    calls: list[tuple[int, str]] = []
    fill_demo(alice, progress=lambda n, description: calls.append((n, description)))
    assert sum(n for n, _ in calls) == demo_total(1) == 300
    assert all(n >= 0 for n, _ in calls)
    descriptions = [d for _, d in calls]
    assert descriptions[0] == "Planning demo data" and descriptions[-1] == "Done"
    assert {"Opportunities", "Interviews"} <= set(descriptions)
    assert demo_total(3) == 3 * demo_total(1)


@pytest.mark.parametrize("scale", [0, -1, True, 1.5, "2"])
def test_fill_demo_refuses_a_bad_scale_before_writing_anything(alice, scale):
    with pytest.raises(ValueError, match="scale"):
        fill_demo(alice, scale=scale)
    assert not Company.objects.owned_by(alice).exists()


# --- the data file ----------------------------------------------------------------------------


def test_the_words_file_loads_once_and_covers_every_industry():
    assert words() is words()
    loaded = load_words()
    assert isinstance(loaded, Words)
    assert loaded == words()
    assert set(INDUSTRIES) <= set(loaded.industry_titles) & set(loaded.industry_suffixes)
    assert "operations" in loaded.families
    assert loaded.posting.salary.format(currency="USD", low=90000, high=110000) == (
        "The salary range is USD 90,000–110,000 a year."
    )


def _broken(tmp_path: Path, change) -> Path:
    data = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "words.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["places"].pop("streets"), "words.json: places.streets is missing"),
        (lambda d: d.pop("debriefs"), "words.json: debriefs is missing"),
        (lambda d: d["people"].update(first_names=[]), "people.first_names should be a non-empty"),
        (lambda d: d["places"]["cities"][2].pop("tz"), "places.cities[2].tz is missing"),
        (lambda d: d["roles"]["families"]["data"].pop("teams"), "roles.families.data.teams"),
        (
            lambda d: d["roles"]["industry_pay"].pop("Music"),
            "roles.industry_pay has no entry for the industry 'Music'",
        ),
        (
            lambda d: d["roles"]["industry_family"].update(Music="jazz"),
            "roles.families has no family 'jazz'",
        ),
        (
            lambda d: d["people"]["notes"].append("Met {name} at a meetup."),
            "people.notes: 'Met {name} at a meetup.' uses {name}; it may use company, role, team",
        ),
        (
            lambda d: d["postings"].update(salary="From {low:,} {currency"),
            "postings.salary has a broken template",
        ),
        (
            lambda d: d["places"]["region_label"].pop("UK"),
            "places.region_label has no entry for the region 'UK'",
        ),
    ],
)
def test_a_broken_words_file_names_what_is_wrong(tmp_path, change, message):
    with pytest.raises(WordsError, match=re.escape(message)):
        load_words(_broken(tmp_path, change))


def test_a_words_file_that_is_not_json_or_is_missing_says_so(tmp_path):
    bad = tmp_path / "words.json"
    bad.write_text("{'places': ", encoding="utf-8")
    with pytest.raises(WordsError, match="is not valid JSON"):
        load_words(bad)
    with pytest.raises(WordsError, match="cannot read the demo words file"):
        load_words(tmp_path / "nowhere.json")


def test_every_data_file_in_the_package_ships_in_the_wheel():
    """pyproject's package-data matches every file under src/sayyes that is not Python."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package = ROOT / "src" / "sayyes"
    shipped: set[Path] = set()
    for pattern in config["tool"]["setuptools"]["package-data"]["sayyes"]:
        shipped.update(p for p in package.glob(pattern) if p.is_file())
    data_files = {
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert WORDS_FILE in shipped
    assert sorted(str(p.relative_to(package)) for p in data_files - shipped) == []


# --- the command ------------------------------------------------------------------------------


def test_sayyes_demo_fills_the_named_account_and_says_what_it_made(db):
    result = CliRunner().invoke(app, ["demo", "--user", "x"], prog_name="sayyes")
    assert result.exit_code == 0, result.output
    account = get_user_model().objects.get(username="x")
    counts = counts_in_db(account)
    text = " ".join(result.output.split())
    assert (
        f"Demo data for 'x': {counts['companies']} companies, "
        f"{counts['opportunities']} opportunities, {counts['interviews']} interviews, "
        f"{counts['contacts']} contacts, {counts['events']} events, "
        f"{counts['debriefs']} debriefs, {counts['offers']} offers."
    ) in text
    assert counts["opportunities"] == OPPORTUNITIES_PER_SCALE
