"""What every step of the demo shares: sizes, the plans it makes first, and ``Demo``.

The generator plans everything in memory (``CompanyPlan``, ``OpportunityPlan``), then writes
it with a few bulk inserts. ``Demo`` carries the account, the random source, the moment it
runs and the words through the steps, which live in ``pipeline``, ``interviews`` and
``contacts``.
"""

from __future__ import annotations

import random
import unicodedata
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from sayyes.network.models import Contact
from sayyes.pipeline.models import Company, Opportunity, Status

from .words import City, Family, Words

COMPANIES_PER_SCALE = 40
OPPORTUNITIES_PER_SCALE = 100
INTERVIEWS_PER_SCALE = 200
CONTACTS_PER_SCALE = 60
DEBRIEFS_PER_SCALE = 8
BATCH_SIZE = 500
HISTORY_DAYS = 120
AHEAD_DAYS = 30
CLOSED = {Status.ACCEPTED, Status.DECLINED, Status.REJECTED, Status.WITHDRAWN}

Progress = Callable[[int, str], object]

ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
         (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip


def demo_total(scale: int = 1) -> int:
    """The progress units ``fill_demo`` reports: opportunities plus interviews."""
    return (OPPORTUNITIES_PER_SCALE + INTERVIEWS_PER_SCALE) * scale


def roman(number: int) -> str:
    out = []
    for value, letters in ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in plain.lower()).split()
    return "-".join(words)


def weighted(rng: random.Random, pairs: Sequence[tuple[object, int]]):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


@dataclass
class CompanyPlan:
    name: str
    industry: str
    city: City
    address: str
    created_at: datetime | None = None
    obj: Company | None = None
    contacts: list[Contact] = field(default_factory=list)


@dataclass
class OpportunityPlan:
    company: CompanyPlan
    title: str
    city: City
    remote: str
    path: list[str]
    times: list[datetime]
    obj: Opportunity | None = None
    past: int = 0
    future: int = 0

    @property
    def status(self) -> str:
        return self.path[-1]

    def reached(self, status: str) -> datetime | None:
        for s, at in zip(self.path, self.times, strict=True):
            if s == status:
                return at
        return None


class Demo:
    """One run of the generator: for ``user``, at ``scale``, drawing from ``rng``."""

    def __init__(
        self, user, scale: int, rng: random.Random, progress: Progress | None, words: Words
    ):
        self.user = user
        self.scale = scale
        self.rng = rng
        self.progress = progress
        self.words = words
        self.reported = 0
        self.now = timezone.now().replace(microsecond=0)
        self.zones: dict[str, zoneinfo.ZoneInfo] = {}
        self.regions: dict[str, list[City]] = {}
        for city in words.cities:
            self.regions.setdefault(city.region, []).append(city)

    def tz(self, name: str) -> zoneinfo.ZoneInfo:
        if name not in self.zones:
            self.zones[name] = zoneinfo.ZoneInfo(name)
        return self.zones[name]

    def report(self, advance: int, description: str) -> None:
        self.reported += advance
        if self.progress is not None:
            self.progress(advance, description)

    def city(self, region: str | None = None) -> City:
        if region is None:
            region = weighted(self.rng, list(self.words.region_weights.items()))
        return self.rng.choice(self.regions[region])

    def family(self, industry: str) -> Family:
        words = self.words
        return words.families[words.industry_family.get(industry, "operations")]
