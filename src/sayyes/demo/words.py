"""The demo's words, from ``words.json``: loaded once and checked on load.

A broken file fails at once with the name of what is wrong (``places.streets is missing``)
rather than with a ``KeyError`` half-way through writing a demo account.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Container
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any, TypeVar

from sayyes.pipeline.models import INDUSTRIES

WORDS_FILE = Path(__file__).with_name("words.json")
T = TypeVar("T")


class WordsError(ValueError):
    """The demo's data file is missing, is not JSON, or lacks something the generator uses."""


@dataclass(frozen=True)
class City:
    name: str
    region: str  # US, CA, UK or EU
    tz: str
    pay: float  # salary level in the local currency, relative to a US median in USD


@dataclass(frozen=True)
class Family:
    """Skills, teams and duties shared by related industries (software, finance, …)."""

    skills: list[str]
    teams: list[str]
    duties: list[str]
    customers: str


@dataclass(frozen=True)
class Posting:
    """Sentence templates of a job posting; ``{names}`` are filled in by the generator."""

    benefits: list[str]
    intros: list[str]
    roles: list[str]
    duties: list[str]
    experience: list[str]
    remote: str
    hybrid: str
    onsite: str
    perks: str
    salary: str


@dataclass(frozen=True)
class DebriefWords:
    likes: list[str]
    dislikes: list[str]
    strategy: list[str]
    goals: list[str]
    requirements: list[str]
    asked: list[str]


@dataclass(frozen=True)
class Words:
    cities: list[City]
    region_weights: dict[str, int]
    region_currency: dict[str, str]
    region_label: dict[str, str]
    remote_location: dict[str, str]
    streets: list[str]
    name_prefixes: list[str]
    industry_suffixes: dict[str, list[str]]
    industry_weights: dict[str, int]
    company_notes: list[str]
    company_stages: list[str]
    company_adjectives: list[str]
    industry_titles: dict[str, list[str]]
    cross_industry_titles: list[str]
    industry_pay: dict[str, int]
    industry_family: dict[str, str]  # any other industry is in the "operations" family
    families: dict[str, Family]
    sources: list[tuple[str, int]]
    opportunity_notes: list[str]
    posting: Posting
    first_names: list[str]
    last_names: list[str]
    contact_titles: list[str]
    contact_notes: list[str]
    past_interview_notes: list[str]
    future_interview_notes: list[str]
    debrief: DebriefWords


# What each section of the file holds: key -> kind (see _check_kind).
STRS, STR, NUMBER = "words", "text", "number"
WEIGHTS, NAMES, LISTS = "weights", "names", "lists"
SCHEMA: dict[str, dict[str, str]] = {
    "places": {"cities": "cities", "region_weights": WEIGHTS, "region_currency": NAMES,
               "region_label": NAMES, "remote_location": NAMES, "streets": STRS},
    "companies": {"name_prefixes": STRS, "industry_suffixes": LISTS, "industry_weights": WEIGHTS,
                  "notes": STRS, "stages": STRS, "adjectives": STRS},
    "roles": {"industry_titles": LISTS, "cross_industry_titles": STRS, "industry_pay": WEIGHTS,
              "industry_family": NAMES, "families": "families"},
    "opportunities": {"sources": WEIGHTS, "notes": STRS},
    "postings": {"benefits": STRS, "intros": STRS, "roles": STRS, "duties": STRS,
                 "experience": STRS, "remote": STR, "hybrid": STR, "onsite": STR, "perks": STR,
                 "salary": STR},
    "people": {"first_names": STRS, "last_names": STRS, "titles": STRS, "notes": STRS},
    "interviews": {"past_notes": STRS, "future_notes": STRS},
    "debriefs": {"likes": STRS, "dislikes": STRS, "strategy": STRS, "goals": STRS,
                 "requirements": STRS, "asked": STRS},
}  # fmt: skip
CITY_KEYS = {"name": STR, "region": STR, "tz": STR, "pay": NUMBER}
FAMILY_KEYS = {"skills": STRS, "teams": STRS, "duties": STRS, "customers": STR}
# The {names} each template may use: the generator fills in these and no others.
TEMPLATE_FIELDS: dict[str, set[str]] = {
    "companies.notes": {"size", "stage", "city", "region"},
    "opportunities.notes": {"skill", "company", "city"},
    "people.titles": {"team", "role", "company"},
    "people.notes": {"team", "role", "company"},
    "interviews.past_notes": {"skill", "team"},
    "interviews.future_notes": {"skill", "team"},
    "postings.intros": {"company", "industry", "city", "customers", "region", "adjective",
                        "a_adjective", "founded"},
    "postings.roles": {"title", "a_title", "team"},
    "postings.duties": {"duty1", "duty2"},
    "postings.experience": {"years", "skill1", "skill2", "skill3"},
    "postings.remote": {"region"},
    "postings.hybrid": {"city", "days"},
    "postings.onsite": {"city"},
    "postings.perks": {"perk1", "perk2", "perk3"},
    "postings.salary": {"currency", "low", "high"},
}  # fmt: skip


def _is_strs(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _check_kind(value: Any, kind: str, where: str) -> None:
    checks = {
        STRS: (_is_strs, "a non-empty list of strings"),
        STR: (lambda v: isinstance(v, str), "a string"),
        NUMBER: (_is_number, "a number"),
        WEIGHTS: (
            lambda v: isinstance(v, dict) and bool(v) and all(map(_is_number, v.values())),
            "an object of numbers",
        ),
        NAMES: (
            lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
            "an object of strings",
        ),
        LISTS: (
            lambda v: isinstance(v, dict) and all(map(_is_strs, v.values())),
            "an object of non-empty lists of strings",
        ),
        "cities": (lambda v: isinstance(v, list) and bool(v), "a non-empty list of cities"),
        "families": (lambda v: isinstance(v, dict) and bool(v), "an object of families"),
    }
    test, wanted = checks[kind]
    if not test(value):
        raise WordsError(f"{where} should be {wanted}")


def _record(item: Any, where: str, keys: dict[str, str], make: Callable[..., T]) -> T:
    """``make(**item)`` once ``item`` is an object holding each of ``keys``, of its kind."""
    if not isinstance(item, dict):
        raise WordsError(f"{where} is missing" if item is None else f"{where} should be an object")
    for key, kind in keys.items():
        if key not in item:
            raise WordsError(f"{where}.{key} is missing")
        _check_kind(item[key], kind, f"{where}.{key}")
    return make(**{key: item[key] for key in keys})


def _check_templates(sections: dict[str, dict[str, Any]]) -> None:
    for where, allowed in TEMPLATE_FIELDS.items():
        section, key = where.split(".")
        value = sections[section][key]
        for template in [value] if isinstance(value, str) else value:
            try:
                names = {name for _, name, _, _ in Formatter().parse(template) if name is not None}
            except ValueError as exc:
                raise WordsError(f"{where} has a broken template {template!r}: {exc}") from None
            if unknown := names - allowed:
                raise WordsError(
                    f"{where}: {template!r} uses {{{sorted(unknown)[0]}}}; "
                    f"it may use {', '.join(sorted(allowed))}"
                )


def _cross_check(words: Words) -> None:
    """What ties the lists together: every industry, region and family the generator meets."""
    industry_tables: list[tuple[str, Container[str]]] = [
        ("companies.industry_suffixes", words.industry_suffixes),
        ("roles.industry_titles", words.industry_titles),
        ("roles.industry_pay", words.industry_pay),
    ]
    for industry in INDUSTRIES:
        for key, table in industry_tables:
            if industry not in table:
                raise WordsError(f"{key} has no entry for the industry {industry!r}")
    for family in [*words.industry_family.values(), "operations"]:
        if family not in words.families:
            raise WordsError(f"roles.families has no family {family!r}")
    regions = {city.region for city in words.cities}
    region_tables: list[tuple[str, Container[str]]] = [
        ("places.region_weights", words.region_weights),
        ("places.region_currency", words.region_currency),
        ("places.region_label", words.region_label),
        ("places.remote_location", words.remote_location),
    ]
    for key, table in region_tables:
        for region in regions | set(words.region_weights):
            if region not in table:
                raise WordsError(f"{key} has no entry for the region {region!r}")
    for region in words.region_weights:
        if region not in regions:
            raise WordsError(f"places.cities has no city in the region {region!r}")


def load_words(path: Path = WORDS_FILE) -> Words:
    """Read and check a words file; raises ``WordsError`` naming what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WordsError(f"cannot read the demo words file {path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise WordsError(f"the demo words file {path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise WordsError(f"the demo words file {path} should hold a JSON object")
    try:
        s: dict[str, dict[str, Any]] = {
            name: _record(data.get(name), name, keys, dict) for name, keys in SCHEMA.items()
        }
        _check_templates(s)
        places, companies, roles = s["places"], s["companies"], s["roles"]
        people, interviews = s["people"], s["interviews"]
        words = Words(
            cities=[
                _record(c, f"places.cities[{i}]", CITY_KEYS, City)
                for i, c in enumerate(places["cities"])
            ],
            region_weights=places["region_weights"],
            region_currency=places["region_currency"],
            region_label=places["region_label"],
            remote_location=places["remote_location"],
            streets=places["streets"],
            name_prefixes=companies["name_prefixes"],
            industry_suffixes=companies["industry_suffixes"],
            industry_weights=companies["industry_weights"],
            company_notes=companies["notes"],
            company_stages=companies["stages"],
            company_adjectives=companies["adjectives"],
            industry_titles=roles["industry_titles"],
            cross_industry_titles=roles["cross_industry_titles"],
            industry_pay=roles["industry_pay"],
            industry_family=roles["industry_family"],
            families={
                name: _record(family, f"roles.families.{name}", FAMILY_KEYS, Family)
                for name, family in roles["families"].items()
            },
            sources=list(s["opportunities"]["sources"].items()),
            opportunity_notes=s["opportunities"]["notes"],
            posting=Posting(**{key: s["postings"][key] for key in SCHEMA["postings"]}),
            first_names=people["first_names"],
            last_names=people["last_names"],
            contact_titles=people["titles"],
            contact_notes=people["notes"],
            past_interview_notes=interviews["past_notes"],
            future_interview_notes=interviews["future_notes"],
            debrief=DebriefWords(**{key: s["debriefs"][key] for key in SCHEMA["debriefs"]}),
        )
        _cross_check(words)
    except WordsError as exc:
        raise WordsError(f"{path.name}: {exc}") from None
    return words


@cache
def words() -> Words:
    """The package's words, read once per process."""
    return load_words()
