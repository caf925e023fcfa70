"""Small grammar for the drafts sayyes writes: articles, plurals, possessives and lists.

Articles and plurals come from ``inflect`` ("an IT Specialist", "2 interviews"); the rest
is plain English that inflect leaves out ("Northwind Traders' offer", "a, b and c"). Pure
functions of their text: every app's drafts share them, and ``core`` imports no app.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import inflect


@functools.cache
def _engine() -> inflect.engine:
    return inflect.engine()


def a(noun: str) -> str:
    """The noun with its indefinite article: "an IT Specialist", "a Data Analyst"."""
    noun = " ".join(noun.split())
    if not noun:
        return ""
    return _engine().a(noun)


def article(noun: str) -> str:
    """Only the indefinite article the noun takes: "a" or "an"."""
    return a(noun).split(" ", 1)[0] if noun.strip() else ""


def count(n: int, noun: str) -> str:
    """A number with its noun in the right number: "1 interview", "2 interviews"."""
    return f"{n} {noun if n == 1 else _engine().plural_noun(noun, n)}"


def possessive(name: str) -> str:
    """A name's possessive: "Acme's", "Northwind Traders'" (a plural -s takes the apostrophe only)."""
    name = name.strip()
    if not name:
        return ""
    if name.endswith(("'s", "’s", "'", "’")):
        return name
    return f"{name}'" if name.endswith("s") and not name.endswith("ss") else f"{name}'s"


def join(items: Iterable[str], conjunction: str = "and") -> str:
    """Items as English: "a", "a and b", "a, b and c" (empty items dropped)."""
    parts = [item.strip() for item in items if item and item.strip()]
    if len(parts) < 2:
        return parts[0] if parts else ""
    return f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"


WORD = re.compile(r"[\w’'-]+")


def word_count(text: str) -> int:
    return len(WORD.findall(text))


# An article and the word after it (up to the next space): what ``article_errors`` checks.
_ARTICLE_THEN_WORD = re.compile(r"\b(a|an|A|An)\s+([A-Za-z]\S*)")
_TRAILING = ".,;:!?)]}\"'’”"


def article_errors(text: str) -> list[str]:
    """The "a"/"an" in the text that inflect would write otherwise ("a Editor")."""
    wrong = []
    for match in _ARTICLE_THEN_WORD.finditer(text):
        written, word = match.group(1).lower(), match.group(2).rstrip(_TRAILING)
        if not word:
            continue
        expected = article(word)
        if expected and expected != written:
            wrong.append(f"{match.group(1)} {word}")
    return wrong


def first_name(name: str) -> str:
    """The first word of a person's name, for a greeting ("Dear Priya,")."""
    words = name.split()
    return words[0] if words else ""


def ordinal_word(n: int) -> str:
    """2 -> "second", 3 -> "third"."""
    return str(_engine().number_to_words(_engine().ordinal(str(n))))


def file_size(n: int) -> str:
    """A size as a person reads it in an error: "600 bytes", "12 kB", "128 MB", "2.0 GB"."""
    if n < 1024:
        return "1 byte" if n == 1 else f"{n:,} bytes"
    if n < 1024**2:
        return f"{n / 1024:,.0f} kB"
    return f"{n / 1024**2:,.0f} MB" if n < 1024**3 else f"{n / 1024**3:,.1f} GB"
