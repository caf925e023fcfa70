"""Tokens, sentences, clauses and a light stemmer shared by the coach's analysers.

Everything here is plain regular expressions over the answer text: no model, no download,
no Django. Offsets are kept so that evidence can quote the user's own words.

Limits: English only; sentence splitting trusts ``.``, ``!``, ``?`` and line breaks (an
abbreviation such as "e.g." can split a sentence); unpunctuated transcripts are cut into
clauses at discourse markers ("so I", "and then", "and we" …) instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Clause",
    "Sentence",
    "Token",
    "clauses",
    "content_stem",
    "normalise",
    "sentences",
    "stem",
    "tokenize",
    "STOPWORDS",
]

# Curly quotes and dashes become their plain forms; every replacement keeps the length,
# so offsets into the normalised text are offsets into the original.
_NORMALISE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "‑": "-", "‐": "-"})

_TOKEN_RE = re.compile(
    r"""
    (?P<num>[$£€¥]?\d+(?:[.,]\d+)*(?:\s?%|k\b|m\b|bn\b|x\b)?)
   |(?P<word>[^\W\d_][^\W_]*(?:'[^\W\d_]+)*)
   |(?P<punct>[.!?;:,"()]|—|–|\s-\s|\n)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token of the answer: a word, a number or a punctuation mark."""

    text: str  # as written (after quote normalisation)
    low: str  # lower case
    kind: str  # "w" word, "n" number, "p" punctuation
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a slice of the token list, with its character span."""

    tokens: tuple[Token, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause: part of a sentence between commas or discourse markers."""

    tokens: tuple[Token, ...]  # words and numbers only
    sentence: int  # index of its sentence
    position: float  # 0.0 at the start of the answer, 1.0 at the end (by word index)


def normalise(text: str) -> str:
    """Replace curly quotes and odd hyphens with plain ones, keeping every offset."""
    return text.translate(_NORMALISE)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word, number and punctuation tokens (hyphenated words split)."""
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(normalise(text)):
        kind = "n" if m.lastgroup == "num" else "w" if m.lastgroup == "word" else "p"
        raw = m.group()
        if kind == "p":
            raw = raw.strip(" ") or raw
        out.append(Token(raw, raw.lower(), kind, m.start(), m.end()))
    return out


_END = {".", "!", "?", "\n"}


def sentences(tokens: list[Token]) -> list[Sentence]:
    """Group tokens into sentences at ``.``/``!``/``?``/line breaks."""
    out: list[Sentence] = []
    cur: list[Token] = []
    for tok in tokens:
        if tok.kind == "p" and tok.low in _END:
            if any(t.kind != "p" for t in cur):
                out.append(Sentence(tuple(cur), cur[0].start, tok.end))
            cur = []
        else:
            cur.append(tok)
    if any(t.kind != "p" for t in cur):
        out.append(Sentence(tuple(cur), cur[0].start, cur[-1].end))
    return out


# A new clause starts before these word pairs (used for unpunctuated transcripts and for
# long run-on sentences) and after commas, semicolons, colons and dashes.
_SUBJECTS = {"i", "we", "he", "she", "they", "it", "the", "our", "my", "that", "there"}
_MARKERS_BEFORE_SUBJECT = {"so", "and", "then", "but", "after", "because", "which", "when"}
_SPLIT_PUNCT = {",", ";", ":", "—", "–", "-", '"', "(", ")"}


def clauses(sents: list[Sentence]) -> list[Clause]:
    """Cut sentences into clauses at punctuation and at "and/so/then/but + subject"."""
    total = sum(1 for s in sents for t in s.tokens if t.kind != "p") or 1
    out: list[Clause] = []
    seen = 0
    for si, sent in enumerate(sents):
        toks = sent.tokens
        cur: list[Token] = []
        start_word = seen
        for i, tok in enumerate(toks):
            if tok.kind == "p":
                if tok.low in _SPLIT_PUNCT and cur:
                    out.append(Clause(tuple(cur), si, start_word / total))
                    cur = []
                continue
            nxt = _next_word(toks, i)
            if cur and tok.low in _MARKERS_BEFORE_SUBJECT and nxt in _SUBJECTS and len(cur) >= 3:
                out.append(Clause(tuple(cur), si, start_word / total))
                cur = []
            if not cur:
                start_word = seen
            cur.append(tok)
            seen += 1
        if cur:
            out.append(Clause(tuple(cur), si, start_word / total))
    return out


def _next_word(toks: tuple[Token, ...], i: int) -> str:
    """The token after ``i`` if it is a word or number, else ""."""
    if i + 1 < len(toks) and toks[i + 1].kind != "p":
        return toks[i + 1].low
    return ""


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light suffix stripper: case, possessives, plurals, -ing, -ed, -ly and final -e.

    It is deliberately crude and only needs to be consistent ("services"/"service" →
    "servic", "defining"/"defined"/"define" → "defin", "planning"/"planned" → "plan").
    Words of three letters or fewer are left alone.
    """
    w = word.lower().strip("'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsfz":
                w = w[:-1]
            break
    if w.endswith("ly") and len(w) > 5:
        w = w[:-2]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    return w


STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all almost also although always am among an and another any
    anybody anyone anything anyway are aren't around as at away back be became because become been
    before being below between both but by can can't cannot could couldn't couldnt did didn't didnt
    do does doesn't doing don't dont done down during each either else enough even ever every
    everyone everything few for from further get gets getting got gotten had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's however
    i i'd i'll i'm i've if in into is isn't it it'd it'll it's its itself just let let's lot lots
    made make makes many may me might mine more most much must my myself near need needed neither
    never no nobody nor not nothing now of off often on once one only onto or other others otherwise
    our ours ourselves out over own per quite rather really said same say says see seen she she'd
    she'll she's should shouldn't since so some somebody someone something sometimes still such than
    that that's the their theirs them themselves then there there's these they they'd they'll
    they're they've thing things this those though through thus to too toward towards under until
    up upon us very via was wasn't way we we'd we'll we're we've well were weren't what what's when
    when's where where's whether which while who who's whom whose why why's will with within without
    won't would wouldn't yes yet you you'd you'll you're you've your yours yourself yourselves
    yeah okay ok oh also actually basically literally honestly totally pretty
    went go goes going come came comes coming take took taken takes put puts tell told know knew
    known think thought want wanted say
    """.split()
)


def content_stem(word: str) -> str | None:
    """The stem of a content word, or None for stopwords and very short words."""
    low = word.lower()
    if low in STOPWORDS or len(low) < 3:
        return None
    return stem(low)
