"""One full-text query syntax for SQLite (FTS5) and PostgreSQL (tsquery).

What a person types follows PostgreSQL's ``websearch_to_tsquery`` (what web search boxes
do): words must all be there (in any field, any form of the word: "engineers" finds
"engineer"), ``"a phrase"`` must appear as written, ``or`` between two terms lets either
do, and ``-word`` (or ``-"a phrase"``) leaves out what has it. Anything else in the text is
a word separator, so no input is an error and no input reaches the database as syntax: the
query is parsed here and written out afresh, quoted, for each database.

Highlights come back from the databases between two control characters; ``highlighted``
turns them into ``<mark>`` after escaping everything else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 16
MAX_WORD = 64
START, STOP = "\x02", "\x03"

# Words too common to look for; PostgreSQL's English configuration drops them too, so
# leaving them out here keeps both databases answering the same.
STOP_WORDS = frozenset(
    "a an and are as at be been but by for from has have he her his i if in into is it its "
    "me my no not of on or our she so such than that the their them then there these they "
    "this to was we were what when which who will with you your".split()
)

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase

    def fts5(self) -> str:
        return '"' + " ".join(self.words) + '"'

    def websearch(self) -> str:
        return self.words[0] if len(self.words) == 1 else '"' + " ".join(self.words) + '"'


@dataclass
class Query:
    """Every group must match (each group: any of its terms); no excluded term may."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def fts5(self) -> str:
        """The query in FTS5's syntax (every term quoted)."""
        positive = " AND ".join(
            "(" + " OR ".join(t.fts5() for t in group) + ")" for group in self.groups
        )
        if self.excluded:
            positive += " NOT (" + " OR ".join(t.fts5() for t in self.excluded) + ")"
        return positive

    def websearch(self) -> str:
        """The query written afresh for ``websearch_to_tsquery``."""
        parts = [" or ".join(t.websearch() for t in group) for group in self.groups]
        parts += ["-" + t.websearch() for t in self.excluded]
        return " ".join(parts)

    def words(self) -> list[str]:
        return [w for group in self.groups for t in group for w in t.words]


def fold(text: str) -> str:
    """``text`` without its accents ("Société" -> "Societe"), as both databases index it."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> tuple[str, ...]:
    return tuple(
        w[:MAX_WORD] for w in (m.group().lower() for m in _WORD.finditer(fold(text))) if w != "_"
    )


def parse(text: str) -> Query:
    """The query ``text`` asks for. Stop words and punctuation are dropped; an empty result
    (``bool(query)`` is False) means nothing to look for."""
    query = Query()
    pending_or = False
    terms = 0
    for match in _TOKEN.finditer(text or ""):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.lower() == "or":
                pending_or = bool(query.groups)
                continue
            negated = "-" if bare.startswith("-") else ""
            bare = bare.lstrip("-")
        raw = phrase if phrase is not None else bare
        words = _words(raw or "")
        if len(words) == 1 and words[0] in STOP_WORDS:
            words = ()
        if not words or terms >= MAX_TERMS:
            continue
        terms += 1
        term = Term(words)
        if negated:
            query.excluded.append(term)
        elif pending_or:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        pending_or = False
    return query


_MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)


def highlighted(text: str | None) -> SafeString:
    """``text`` escaped, with the database's marked stretches in ``<mark>``."""
    escaped = escape(text or "")
    marked = _MARKED.sub(lambda m: f"<mark>{m.group(1)}</mark>", escaped)
    return mark_safe(marked.replace(START, "").replace(STOP, ""))  # noqa: S308 (escaped above)
