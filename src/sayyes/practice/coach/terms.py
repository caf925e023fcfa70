"""Talking points, the answer's most used words, and word helpers the job terms share.

The posting's key terms and which of them an answer used are :mod:`.jobterms`; this module
keeps what the talking points and the "most used words" need, and the small helpers
:mod:`.jobterms` reuses (:data:`_VERBISH`, :func:`_similar`, :func:`_stands_alone`).

Talking points
--------------
A talking point is *covered* when at least half of its content words (rounded up, at least
one) appear in the answer, a word matching when the stems are equal, share a prefix of at
least five letters covering 80 % of the shorter stem ("manager"/"management",
"respond"/"response"), or stand for one another in the paraphrase lexicon of
:mod:`.lexicon` ("attrition"/"turnover").
"""

from __future__ import annotations

import math
from collections import Counter

from .lexicon import paraphrases
from .text import STOPWORDS, Token, stem, tokenize

__all__ = ["match_talking_points", "most_used_words"]

# Words that make a phrase a fragment of a sentence rather than a term, when they begin or
# end it: posting verbs, their -ing/-ed forms, and filler adjectives.
_VERBISH = set(
    """
    define defining defined join joining hire hiring hired lead leading led run running mentor
    build building own owning improve improving automate automating work working develop
    developing ensure ensuring deliver delivering maintain maintaining collaborate
    collaborating partner partnering help helping create creating drive driving support
    supporting manage managing use using apply applying looking seeking offer offering provide
    providing include including require requiring required preferred bring bringing grow
    growing make making take taking write writing review reviewing report reporting identify
    identifying implement implementing established establish establishing contribute
    contributing communicate communicating plan planning track tracking coordinate coordinating
    understand understanding learn learning assist assisting handle handling prepare preparing
    oversee overseeing analyse analyze analysing analyzing design designing participate
    participating serve serving respond responding act acting ideal strong excellent proven
    solid good great competitive deep nice successful exceptional outstanding relevant related
    new high highly ability able must plus bonus desirable essential key various multiple
    familiarity familiar knowledge experience experienced years year join based per within
    across etc including benefits salary remote friendly hybrid demonstrated excellent
    passionate motivated driven detail oriented fast paced dynamic exciting coach coaching
    carry carrying responsible accountable take part compassionate busy accurate talented
    enthusiastic committed skilled hardworking reliable organised organized confident launch
    launching organise organize organising organizing administer administering using
    """.split()
)
# Number words say "how many", not "what about": they are counted under numbers instead.
_NOT_TOP_WORDS = set(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion dozen half percent per cent
    """.split()
)


def _stands_alone(
    seq: tuple[str, ...], sub: tuple[str, ...], containers: list[tuple[str, ...]]
) -> bool:
    """True when ``sub`` occurs in ``seq`` at least once outside every container term."""
    covered: set[int] = set()
    for k in containers:
        for i in range(len(seq) - len(k) + 1):
            if seq[i : i + len(k)] == k:
                covered.update(range(i, i + len(k)))
    n = len(sub)
    return any(
        seq[i : i + n] == sub and not all(j in covered for j in range(i, i + n))
        for i in range(len(seq) - n + 1)
    )


def _similar(a: str, b: str, ratio: float = 0.8) -> bool:
    """Equal, or sharing a prefix of five letters or more covering ``ratio`` of the shorter."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter < 5:
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 5 and common >= ratio * shorter


def match_talking_points(
    points: list[str], answer_tokens: list[Token]
) -> tuple[list[str], list[str]]:
    """Split talking points into (covered, missing); see the module docstring."""
    answer_set = {stem(t.low) for t in answer_tokens if t.kind != "p" and t.low not in STOPWORDS}
    covered: list[str] = []
    missing: list[str] = []
    for point in points:
        if not isinstance(point, str) or not point.strip():
            continue
        content = {
            stem(t.low)
            for t in tokenize(point)
            if t.kind != "p" and t.low not in STOPWORDS and (t.kind == "n" or len(t.low) > 2)
        }
        if not content:
            content = {stem(t.low) for t in tokenize(point) if t.kind != "p"}
        if not content:
            continue
        need = max(1, math.ceil(len(content) / 2))
        hits = sum(
            1
            for c in content
            if c in answer_set
            or any(_similar(c, a) for a in answer_set)
            or paraphrases(c) & answer_set
        )
        (covered if hits >= need else missing).append(point.strip())
    return covered, missing


def most_used_words(
    tokens: list[Token], skip_spans: list[tuple[int, int]], limit: int = 8
) -> list[list[object]]:
    """Up to ``limit`` content words said at least twice, as [word, count], most used first.

    Words are grouped by stem and shown in their most frequent spelling; stopwords, numbers,
    fillers and hedges (``skip_spans``) are left out.
    """
    spans = sorted(skip_spans)
    by_stem: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    j = 0
    for t in tokens:
        if t.kind != "w":
            continue
        while j < len(spans) and spans[j][1] <= t.start:
            j += 1
        if j < len(spans) and spans[j][0] <= t.start < spans[j][1]:
            continue
        low = t.low
        if low in STOPWORDS or len(low) < 3 or not low.isalpha() or low in _NOT_TOP_WORDS:
            continue
        s = stem(low)
        by_stem[s] += 1
        forms.setdefault(s, Counter())[low] += 1
    out: list[list[object]] = []
    for s, n in sorted(by_stem.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < 2 or len(out) >= limit:
            break
        out.append([forms[s].most_common(1)[0][0], n])
    return out
