"""Fillers and hedges, counted by context rather than by word.

Method
------
Each candidate word is judged by its neighbours (the previous and next token, including
punctuation), so that the same word counts in one sentence and not in another:

* Hesitation sounds (um, uh, er, erm, hmm, uhm, ah, and their stretched spellings) always
  count.
* **like** counts when it is set off by commas ("it was, like, really hard"), when it
  follows a conjunction or the start of a clause and comes before a pronoun, an adverb, a
  number or another filler ("and like we shipped it", "Like, three weeks"), when it follows
  a form of *be* and is not a comparison ("it was like really slow", but not "it was like a
  maze"), and when it approximates a number ("for like nine days"). It does not count after
  a subject or modal ("I like", "I would like to", "we'd like"), after verbs of seeming
  ("looks like", "feel like", "sounds like"), after "something/anything/just/more" ("something
  like that", "just like"), nor as a preposition before a noun phrase ("like a manager
  would", "tools like Jira", ", like a room change").
* **you know** counts as a tag or a parenthesis ("…, you know, …", "you know we had…",
  "you know what I mean") and not as a question or a real verb ("do you know", "as you
  know", "let you know", "you know the answer").
* **I mean** counts as a discourse marker ("I mean, it was hard", "I mean we had no
  choice") and not as a content verb ("what I mean is the budget", "I mean it").
* **actually** counts only as a discourse marker (at the start of a clause or between
  commas), not as an adverb of fact ("what the rules actually were").
* **basically** and **literally** always count; **so yeah** / **and yeah** count once;
  **right?** counts as a tag question but not in "is that right?".
* **kind of** / **sort of** are counted once, as *hedges*, when they soften a verb or an
  adjective ("it was kind of messy"); as nouns ("that kind of thing", "what sort of tool")
  they are neither.

Hedges are phrases that soften a claim: I think, I guess, I suppose, I believe, I feel like,
maybe, perhaps, probably, possibly, sort of, kind of, a little bit, a bit, somewhat,
hopefully, more or less, I'm not sure, I'd say, and "just" when it minimises a verb or an
adjective ("I just posted", but not "just after midday", "not just", "had just").

Limits: without punctuation (raw speech-to-text) "like" before a noun phrase reads as a
preposition, so "slow to deploy like every deploy took hours" is missed; sarcasm, quotation
and reported speech are not understood; English only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .text import Token

__all__ = ["Mark", "find_fillers", "find_hedges"]

HESITATIONS: dict[str, str] = {
    "um": "um", "umm": "um", "ummm": "um", "uh": "uh", "uhh": "uh", "uhhh": "uh",
    "er": "er", "err": "er", "erm": "erm", "hmm": "hmm", "hm": "hmm", "hmmm": "hmm",
    "uhm": "uhm", "ah": "ah", "ahh": "ah", "eh": "eh", "mm": "mm", "mmm": "mm",
}  # fmt: skip

PRONOUNS = {
    "i",
    "we",
    "you",
    "he",
    "she",
    "they",
    "it",
    "i'm",
    "we're",
    "they're",
    "it's",
    "that's",
    "there's",
    "there",
    "this",
    "i've",
    "we've",
    "you're",
    "he's",
    "she's",
}
DETERMINERS = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "my",
    "our",
    "your",
    "his",
    "her",
    "their",
    "its",
    "some",
    "any",
    "every",
    "each",
    "no",
}
INTENSIFIERS = {
    "really",
    "so",
    "super",
    "very",
    "totally",
    "literally",
    "just",
    "kind",
    "sort",
    "pretty",
    "actually",
    "basically",
    "completely",
    "always",
    "never",
    "crazy",
    "insanely",
    "way",
    "all",
    "almost",
    "not",
    "now",
    "then",
    "honestly",
    "when",
    "if",
    "yeah",
    "okay",
    "oh",
    "what",
    "why",
    "how",
    "seriously",
    "absolutely",
}
NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "dozen", "half", "a", "couple", "few",
}  # fmt: skip
_APPROX_AFTER_A = {
    "couple",
    "few",
    "dozen",
    "hundred",
    "thousand",
    "hour",
    "minute",
    "day",
    "week",
    "month",
    "year",
    "second",
    "million",
    "bit",
}
# "and like any good nurse, I …": a comparison, not a filler.
_LIKE_PREPOSITION_NEXT = {"a", "an", "any", "every", "most", "many", "such"}
CONJUNCTIONS = {"and", "but", "so", "or", "because", "then", "well", "yeah", "okay", "cause"}
BE_FORMS = {
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "being",
    "am",
    "it's",
    "i'm",
    "he's",
    "she's",
    "we're",
    "they're",
    "that's",
    "'s",
}
# After these, "like" is a verb, a comparison or part of a fixed phrase.
LIKE_NOT_AFTER = {
    "i", "you", "we", "they", "he", "she", "people", "would", "i'd", "we'd", "you'd", "they'd",
    "he'd", "she'd", "do", "does", "did", "don't", "didn't", "doesn't", "dont", "didnt",
    "really", "also", "to", "not", "always", "still", "never", "might", "will", "i'll", "we'll",
    "should", "could", "who", "feel", "feels", "felt", "feeling", "look", "looks", "looked",
    "looking", "seem", "seems", "seemed", "sound", "sounds", "sounded", "something", "anything",
    "nothing", "everything", "someone", "somebody", "anyone", "just", "more", "less", "much",
    "most", "exactly", "things", "stuff", "would've", "genuinely", "actually", "totally",
    "smell", "smells", "taste", "tastes", "act", "acted", "acting", "treat", "treated",
    "what's", "whatever", "usually", "definitely", "kinda",
}  # fmt: skip
YOU_KNOW_NOT_AFTER = {
    "do", "does", "did", "don't", "didn't", "doesn't", "dont", "didnt", "if", "as", "let",
    "lets", "would", "will", "could", "should", "might", "may", "can", "must", "whether", "what",
    "how", "ever", "to", "so that", "make", "making", "letting", "won't", "wouldn't", "who",
    "already", "now", "all", "because", "that",
}  # fmt: skip
I_MEAN_NOT_AFTER = {
    "what",
    "if",
    "do",
    "did",
    "don't",
    "didn't",
    "when",
    "whether",
    "that",
    "which",
    "how",
    "who",
    "really",
    "not",
    "as",
    "i",
}
I_MEAN_CONTENT_NEXT = {
    "it",
    "that",
    "the",
    "to",
    "what",
    "a",
    "an",
    "by",
    "this",
    "those",
    "these",
    "them",
    "you",
    "him",
    "her",
    "every",
    "no",
    "business",
    "is",
}
RIGHT_NOT_AFTER = {
    "that",
    "that's",
    "is",
    "am",
    "i",
    "it's",
    "was",
    "you're",
    "all",
    "the",
    "thats",
    "be",
    "do",
    "it",
    "we",
}
# "just" means "only"/"exactly" or is a time adverb in these contexts, not a softener.
JUST_NOT_BEFORE = (
    {
        "like",
        "as",
        "in",
        "before",
        "after",
        "now",
        "then",
        "because",
        "enough",
        "about",
        "right",
        "once",
        "yet",
        "so",
    }
    | DETERMINERS
    | NUMBER_WORDS
)
JUST_NOT_AFTER = {
    "had",
    "have",
    "has",
    "i'd",
    "we'd",
    "i've",
    "we've",
    "not",
    "you've",
    "they've",
    "it's",
    "'ve",
}
KIND_NOUN_AFTER = {
    "what",
    "this",
    "that",
    "the",
    "a",
    "any",
    "some",
    "which",
    "every",
    "these",
    "those",
    "same",
    "one",
    "different",
    "all",
    "other",
    "another",
    "right",
    "wrong",
    "that's",
    "no",
    "my",
    "our",
    "your",
    "their",
    "his",
    "her",
    "its",
    "new",
    "first",
    "only",
    "best",
    "worst",
    "usual",
}
HEDGE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("i", "feel", "like"), ("i'm", "not", "sure"), ("a", "little", "bit"), ("more", "or", "less"),
    ("i", "would", "say"), ("i", "think"), ("i", "guess"), ("i", "suppose"), ("i", "believe"),
    ("i'd", "say"), ("sort", "of"), ("kind", "of"), ("a", "bit"), ("maybe",), ("perhaps",),
    ("probably",), ("possibly",), ("somewhat",), ("hopefully",), ("kinda",), ("sorta",),
    ("just",),
)  # fmt: skip


_I_CASE = {"i": "I", "i'm": "I'm", "i'd": "I'd"}


@dataclass(frozen=True, slots=True)
class Mark:
    """One filler or hedge found in the answer."""

    phrase: str  # the normalised phrase, e.g. "um", "like", "you know", "I think"
    start: int  # character offsets in the answer
    end: int


def _word(tokens: list[Token], i: int) -> str:
    """The lower-cased token at ``i`` ("" outside the list)."""
    return tokens[i].low if 0 <= i < len(tokens) else ""


def _boundary(tokens: list[Token], i: int) -> bool:
    """True at the edges of the answer and at punctuation."""
    return not (0 <= i < len(tokens)) or tokens[i].kind == "p"


def _is_number(tok: str) -> bool:
    return bool(tok) and (tok[0].isdigit() or tok[0] in "$£€¥" or tok in NUMBER_WORDS - {"a"})


def _like_is_filler(tokens: list[Token], i: int) -> bool:
    prev, nxt = _word(tokens, i - 1), _word(tokens, i + 1)
    prev_b, next_b = _boundary(tokens, i - 1), _boundary(tokens, i + 1)
    if prev == "," and nxt == ",":
        return True  # ", like, "
    if prev in LIKE_NOT_AFTER:
        return False
    if prev in HESITATIONS or nxt in HESITATIONS:
        return True
    if nxt == "," and not prev_b:
        return prev in BE_FORMS or prev in CONJUNCTIONS or prev not in DETERMINERS
    if nxt == ",":
        return True  # "Like, I don't know"
    if nxt in PRONOUNS and _word(tokens, i + 2) in {"said", "say", "mentioned", "told"}:
        return False  # "like I said"
    if prev in BE_FORMS:
        return nxt not in DETERMINERS and not next_b and not nxt.endswith("ing")
    if _is_number(nxt) or (nxt in {"a", "an"} and _word(tokens, i + 2) in _APPROX_AFTER_A):
        return True  # "for like nine days", "for like an hour"
    if prev in CONJUNCTIONS:
        return nxt not in _LIKE_PREPOSITION_NEXT  # "and like nobody owned it"
    if prev_b:
        return nxt in PRONOUNS or nxt in INTENSIFIERS or next_b
    if nxt in INTENSIFIERS and nxt not in {"what", "how", "when", "if", "all", "this"}:
        return True  # "it got like really bad"
    return False


def _you_know_is_filler(tokens: list[Token], i: int) -> bool:
    prev = _word(tokens, i - 1)
    nxt, nxt2 = _word(tokens, i + 2), _word(tokens, i + 3)
    if prev in YOU_KNOW_NOT_AFTER:
        return False
    if _boundary(tokens, i + 2):
        return True  # "…, you know." / "you know, …" / "you know?"
    if nxt == "what":
        return nxt2 == "i" and _word(tokens, i + 4) == "mean"
    if nxt in PRONOUNS - {"this", "that's", "there's", "it"} or nxt in {
        "like",
        "so",
        "and",
        "but",
        "um",
        "uh",
    }:
        return True  # "you know we had …"
    return False


def _i_mean_is_filler(tokens: list[Token], i: int) -> bool:
    prev, nxt = _word(tokens, i - 1), _word(tokens, i + 2)
    if prev in I_MEAN_NOT_AFTER:
        return False
    if nxt == "," or _boundary(tokens, i + 2):
        return True
    if nxt in I_MEAN_CONTENT_NEXT:
        return False
    return _boundary(tokens, i - 1) or prev in CONJUNCTIONS or prev in HESITATIONS


def find_fillers(tokens: list[Token]) -> list[Mark]:
    """Every filler in the token list, in order (see the module docstring for the rules)."""
    out: list[Mark] = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if tok.kind != "w":
            i += 1
            continue
        w = tok.low
        nxt = _word(tokens, i + 1)
        if w in HESITATIONS:
            out.append(Mark(HESITATIONS[w], tok.start, tok.end))
        elif w == "like":
            if _like_is_filler(tokens, i):
                out.append(Mark("like", tok.start, tok.end))
        elif w == "you" and nxt == "know":
            if _you_know_is_filler(tokens, i):
                out.append(Mark("you know", tok.start, tokens[i + 1].end))
                i += 2
                continue
        elif w == "i" and nxt == "mean":
            if _i_mean_is_filler(tokens, i):
                out.append(Mark("I mean", tok.start, tokens[i + 1].end))
                i += 2
                continue
        elif w in {"basically", "literally"}:
            out.append(Mark(w, tok.start, tok.end))
        elif w == "actually":
            prev = _word(tokens, i - 1)
            if (
                _boundary(tokens, i - 1)
                or prev in CONJUNCTIONS
                or prev in HESITATIONS
                or nxt == ","
            ):
                out.append(Mark(w, tok.start, tok.end))
        elif w in {"so", "and"} and nxt == "yeah":
            out.append(Mark(f"{w} yeah", tok.start, tokens[i + 1].end))
            i += 2
            continue
        elif w == "right" and nxt == "?" and _word(tokens, i - 1) not in RIGHT_NOT_AFTER:
            out.append(Mark("right?", tok.start, tokens[i + 1].end))
        i += 1
    return out


def _hedge_applies(phrase: tuple[str, ...], tokens: list[Token], i: int) -> bool:
    prev = _word(tokens, i - 1)
    after = _word(tokens, i + len(phrase))
    if phrase in {("kind", "of"), ("sort", "of")}:
        return prev not in KIND_NOUN_AFTER
    if phrase == ("just",):
        return (
            prev not in JUST_NOT_AFTER
            and after not in JUST_NOT_BEFORE
            and not (after and after[0].isdigit())
        )
    if phrase == ("a", "bit"):
        return prev not in {"quite"}
    if phrase == ("i", "think"):
        return after not in {"of", "about"}
    if phrase == ("i", "believe"):
        return after != "in"
    return True


def find_hedges(tokens: list[Token]) -> list[Mark]:
    """Every hedge in the token list, longest phrase first, without overlaps."""
    out: list[Mark] = []
    n = len(tokens)
    i = 0
    while i < n:
        if tokens[i].kind != "w":
            i += 1
            continue
        for phrase in HEDGE_PHRASES:
            k = len(phrase)
            if i + k <= n and all(tokens[i + j].low == phrase[j] for j in range(k)):
                if _hedge_applies(phrase, tokens, i):
                    label = " ".join(_I_CASE.get(w, w) for w in phrase)
                    out.append(Mark(label, tokens[i].start, tokens[i + k - 1].end))
                    i += k - 1
                    break
        i += 1
    return out


def tally(marks: list[Mark]) -> dict[str, int]:
    """Counts per phrase, most frequent first."""
    return dict(Counter(m.phrase for m in marks).most_common())
