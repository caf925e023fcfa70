"""Key terms of a job posting, talking points, and the answer's most used words.

Job terms
---------
YAKE (``yake.KeywordExtractor``, n-grams up to 3, English stopwords) ranks candidate
phrases of the posting by statistical features of the text itself (position, frequency,
spread, casing, context diversity); no model or corpus is needed. Its raw list is noisy
("hiring a Site", "define service level", "Terraform and Python"), so candidates are cleaned:

1. dropped when they start or end with a stopword, a pronoun, or a verb-ish/function word
   typical of postings ("define", "join", "hiring", "you will", "strong", "excellent");
2. dropped when they contain a pronoun or a digit, or are one generic posting word
   ("experience", "team", "skills", "role");
3. coordinations ("Terraform and Python") are kept only when the phrase occurs at least twice
   (a fixed expression such as "health and safety"); otherwise their parts stand alone;
4. a candidate whose stems repeat a kept term's stems is a duplicate ("site reliability
   engineering" vs "Site Reliability Engineer");
5. a candidate contained in a better-scoring kept term is dropped when it never occurs in the
   posting outside that term ("service level" inside "service level objectives"), and kept
   when it also stands alone ("Kubernetes" next to "Kubernetes clusters").

At most :data:`MAX_TERMS` terms are kept, best first. Extraction is cached per posting text
(``functools.lru_cache``), so only the first answer of a session pays for it.

A term is *used* when its stems appear contiguously in the answer's stems (case, plurals and
simple -ing/-ed/-e endings ignored, hyphens read as spaces).

Talking points
--------------
A talking point is *covered* when at least half of its content words (rounded up, at least
one) appear in the answer, a word matching when the stems are equal, share a prefix of at
least five letters covering 80 % of the shorter stem ("manager"/"management",
"respond"/"response"), or stand for one another in the paraphrase lexicon of
:mod:`.lexicon` ("attrition"/"turnover").

Limits: YAKE is statistical, so a term said once in a long posting may be missed and a
company-specific phrase may be ranked high; synonyms ("on-call" vs "pager duty") and
reordered phrases ("responding to incidents") do not match; English only.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import yake

from .lexicon import paraphrases
from .text import STOPWORDS, Token, stem, tokenize

__all__ = [
    "MAX_TERMS",
    "extract_terms",
    "match_terms",
    "match_talking_points",
    "most_used_words",
]

MAX_TERMS = 15
_GENERIC_HEAD_PENALTY = 3.0
_YAKE_TOP = 100

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
_VERBISH_STEMS = {stem(w) for w in _VERBISH}
# Adjectives that cannot end a term or stand alone as one.
_ADJECTIVES = set(
    """
    surgical clinical technical digital financial commercial operational analytical strategic
    acute multidisciplinary compassionate busy accurate excellent strong proven junior senior
    friendly diverse inclusive collaborative internal external global local national regional
    key core relevant essential desirable preferred advanced basic fluent effective efficient
    quality safe safely daily weekly monthly complex large small
    """.split()
)
# Stopwords allowed inside a term ("director of operations", "health and safety").
_INNER_OK = {"of", "and", "&"}
_PRONOUNS = {"you", "we", "our", "your", "us", "they", "their", "i", "my", "he", "she", "it"}
_GENERIC = set(
    """
    experience team skills skill ability role company candidate opportunity requirements
    requirement responsibilities responsibility benefits salary knowledge understanding
    environment work working years year job position applicants applicant people business
    level service services day week time plus bonus culture growth learning budget offer
    engineer engineers manager managers staff employees employee department site part
    colleagues members individuals candidates record
    """.split()
)
_CONJ = {"and", "or", "&"}
# Number words say "how many", not "what about": they are counted under numbers instead.
_NOT_TOP_WORDS = set(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion dozen half percent per cent
    """.split()
)
_GENERIC_HEADS = {
    "team",
    "teams",
    "service",
    "services",
    "people",
    "staff",
    "skills",
    "colleagues",
    "members",
    "environment",
    "engineers",
    "work",
}


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(t.low) for t in tokenize(text) if t.kind != "p")


def _count(seq: tuple[str, ...], sub: tuple[str, ...]) -> int:
    n, k = len(seq), len(sub)
    if k == 0 or k > n:
        return 0
    first = sub[0]
    return sum(1 for i in range(n - k + 1) if seq[i] == first and seq[i : i + k] == sub)


def _contains(seq: tuple[str, ...], sub: tuple[str, ...]) -> bool:
    return _count(seq, sub) > 0


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


def _is_name(word: str, posting: str) -> bool:
    """An acronym, or a capitalised word used mid-sentence ("Terraform", "HubSpot")."""
    if word.isupper() and len(word) > 1:
        return True
    if not word[:1].isupper():
        return False
    return bool(re.search(r"[^.!?:\n]\s+" + re.escape(word) + r"\b", posting))


def _display(term: str, lower_stems: set[str]) -> str:
    """Lower case when every word also appears in lower case in the posting; else as written.

    Acronyms keep their capitals either way ("AWS", "NMC registration").
    """
    words = term.split()
    plain = [w for w in words if not (w.isupper() and len(w) > 1)]
    if all(
        w[:1].islower() or all(stem(p) in lower_stems for p in w.lower().split("-")) for w in plain
    ):
        return " ".join(w if (w.isupper() and len(w) > 1) else w.lower() for w in words)
    return term


@lru_cache(maxsize=1024)
def extract_terms(posting: str) -> tuple[str, ...]:
    """Up to :data:`MAX_TERMS` key terms of a posting, best first (cached per text)."""
    if not posting or not posting.strip():
        return ()
    extractor = yake.KeywordExtractor(lan="en", n=3, top=_YAKE_TOP, dedup_lim=0.9)
    try:
        ranked = extractor.extract_keywords(posting)
    except Exception:  # noqa: BLE001 - a library failure must not break the coach
        return ()
    posting_tokens = tokenize(posting)
    posting_stems = tuple(stem(t.low) for t in posting_tokens if t.kind != "p")
    lower_stems = {stem(t.low) for t in posting_tokens if t.kind == "w" and t.text.islower()}
    kept: list[tuple[str, tuple[str, ...]]] = []

    def rank(kv: tuple[str, float]) -> float:
        # Phrases ending in a generic head ("platform team") rank lower, not out.
        last = kv[0].split()[-1].lower() if kv[0].split() else ""
        return kv[1] * (_GENERIC_HEAD_PENALTY if last in _GENERIC_HEADS else 1.0)

    for phrase, _score in sorted(ranked, key=rank):
        words = [w for w in re.split(r"[\s]+", phrase.strip()) if w]
        lows = [w.lower() for w in words]
        if not lows or len(phrase) < 3:
            continue
        if any(not re.fullmatch(r"[^\W\d_][\w'.+#-]*", w) for w in words):
            continue  # digits, stray punctuation
        if any(w in _PRONOUNS for w in lows):
            continue
        if lows[0] in STOPWORDS or lows[-1] in STOPWORDS or lows[0] in _CONJ:
            continue
        first_parts = lows[0].split("-")
        if (
            lows[-1] in _VERBISH
            or any(p in _VERBISH or stem(p) in _VERBISH_STEMS for p in first_parts)
            or any(w in _VERBISH for w in lows[1:-1])
        ):
            continue
        if lows[-1] in _ADJECTIVES:
            continue
        if any(w in STOPWORDS and w not in _INNER_OK for w in lows[1:-1]):
            continue
        if len(lows) == 1 and (lows[0] in _GENERIC or len(lows[0]) < 3 or lows[0] in _ADJECTIVES):
            continue
        stems = tuple(s for w in lows for s in _stems(w))
        if len(lows) == 1 and _count(posting_stems, stems) < 2 and not _is_name(words[0], posting):
            continue  # a lone word said once is rarely a key term, unless it is a name
        if all(w in _GENERIC or w in _VERBISH for w in lows):
            continue
        if any(w in _CONJ for w in lows) and _count(posting_stems, stems) < 2:
            continue
        if any(k == stems for _, k in kept):
            continue
        redundant = False
        for _, k in kept:
            if len(k) > 1 and len(stems) > len(k) and _contains(stems, k):
                redundant = True  # "food hygiene certification" after "food hygiene"
                break
        if redundant:
            continue
        containers = [k for _, k in kept if len(k) > len(stems) and _contains(k, stems)]
        if containers and not _stands_alone(posting_stems, stems, containers):
            continue  # "service level" only ever inside "service level objectives"
        kept.append((_display(phrase, lower_stems), stems))
        if len(kept) >= MAX_TERMS:
            break
    return tuple(t for t, _ in kept)


def match_terms(
    terms: tuple[str, ...], answer_stems: tuple[str, ...]
) -> tuple[list[str], list[str]]:
    """Split terms into (used, missing) by contiguous stem match in the answer."""
    used: list[str] = []
    missing: list[str] = []
    for term in terms:
        (used if _contains(answer_stems, _stems(term)) else missing).append(term)
    return used, missing


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
