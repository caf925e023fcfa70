"""Fillers without garbling: the words of a plain pass, the "um"s of a prompted one.

Whisper leaves most "um" and "uh" out. Started from a prompt full of them it keeps them, but
the prompt also changes real words ("Honestly, I like…" came out "Uh, history, I like…").
So the words come from a plain pass, and a second pass with the filler prompt is read only
for its hesitation sounds: the two passes are lined up word by word, and a filler of the
prompted pass is kept where

* it was *added* between two words both passes agree on, and its time falls between them;
* or it stands in place of words that differ, and it overlaps no word of the plain pass by
  more than 30 % of its length (then it is extra sound, not a word the prompt misheard:
  "uh, history" over "honestly" is dropped).

A filler the plain pass already has, within half a second, is not added twice.

The prompted pass also gets a say on the words, where it is clearly surer of them
(:func:`surer_words`): the prompt is a sentence, and from it Whisper sometimes follows a
voice the plain pass loses ("I measure no long customer's weight" against "I measured how
long customers waited").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from difflib import SequenceMatcher

from ..coach.fillers import HESITATIONS
from .engine import Segment, Word

SAME_FILLER_SECONDS = 0.5
OVERLAP = 0.3  # timings are rough: a filler may overlap a word it replaced by 30 % of its length


def norm(text: str) -> str:
    return re.sub(r"[^a-z']", "", text.lower())


def is_hesitation(word: Word) -> bool:
    return norm(word.text) in HESITATIONS


def _mid(word: Word) -> float:
    return (word.start + word.end) / 2


def _overlap(a: Word, b: Word) -> float:
    return max(0.0, min(a.end, b.end) - max(a.start, b.start))


def fillers_to_add(plain: list[Word], prompted: list[Word]) -> list[Word]:
    """The hesitations of ``prompted`` to add to ``plain`` (see the module's rules)."""
    a = [norm(w.text) for w in plain]
    b = [norm(w.text) for w in prompted]
    found: list[Word] = []
    matcher = SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for filler in (w for w in prompted[j1:j2] if is_hesitation(w)):
            t = _mid(filler)
            if op == "insert":
                before = plain[i1 - 1].start if i1 > 0 else float("-inf")
                after = plain[i1].end if i1 < len(plain) else float("inf")
                ok = before <= t <= after
            else:  # replace: the prompt wrote something else here
                ok = all(_overlap(filler, w) <= OVERLAP * (filler.end - filler.start)
                         for w in plain[i1:i2])  # fmt: skip
            if ok:
                found.append(filler)
    already = [_mid(w) for w in plain if is_hesitation(w)]
    return [f for f in found if all(abs(_mid(f) - t) > SAME_FILLER_SECONDS for t in already)]


MARGIN = 0.15  # how much surer the prompted pass must be to replace the plain pass's words


def _sure(words: list[Word]) -> float:
    return sum(w.probability for w in words) / len(words)


def surer_words(segments: list[Segment], prompted: list[Word]) -> list[Segment]:
    """``segments`` where, stretch by stretch, the prompted pass heard other words and was
    clearly surer of them (mean word probability higher by :data:`MARGIN`), with its words.

    Where the prompt garbles ("Uh, history" for "Honestly") its words are the less likely
    ones and the plain pass's stay; where the plain pass lost the thread of a sentence the
    prompted pass, which starts from a sentence, often keeps it."""
    plain = [w for s in segments for w in s.words]
    spoken = [w for w in prompted if not is_hesitation(w)]
    a = [norm(w.text) for w in plain]
    b = [norm(w.text) for w in spoken]
    chosen: list[Word] = []
    changed = False
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "replace" and _sure(spoken[j1:j2]) > _sure(plain[i1:i2]) + MARGIN:
            chosen.extend(spoken[j1:j2])
            changed = True
        else:
            chosen.extend(plain[i1:i2])
    if not changed:
        return segments
    out = []
    for n, seg in enumerate(segments):
        start = seg.start if n else float("-inf")
        end = segments[n + 1].start if n + 1 < len(segments) else float("inf")
        words = [w for w in chosen if start <= _mid(w) < end]
        if words == seg.words:
            out.append(seg)
        elif words:
            out.append(_with_words(seg, words))
    return out


def _with_words(seg: Segment, words: list[Word]) -> Segment:
    """The segment with these words: its text and span follow them, Whisper's signals stay."""
    return replace(
        seg,
        start=min(seg.start, words[0].start),
        end=max(seg.end, words[-1].end),
        text=" ".join(w.text for w in words),
        words=words,
    )


def _as_filler(word: Word, first: bool) -> Word:
    text = norm(word.text)
    text = (text.capitalize() if first else text) + ","
    return Word(text, word.start, word.end, word.probability)


def _timed(word: Word, start: float, end: float) -> Word:
    return Word(word.text, start, end, word.probability)


def _lowered(word: Word) -> Word:
    if word.text in ("I", "I'm", "I've", "I'd", "I'll") or not word.text[:1].isupper():
        return word
    return Word(word.text[0].lower() + word.text[1:], word.start, word.end, word.probability)


def merge(segments: list[Segment], fillers: list[Word]) -> list[Segment]:
    """``segments`` with ``fillers`` put in by their timestamps (and into the text)."""
    if not fillers:
        return segments
    out: list[Segment] = []
    remaining = sorted(fillers, key=_mid)
    for n, seg in enumerate(segments):
        last = n == len(segments) - 1
        end = segments[n + 1].start if not last else float("inf")
        mine = [f for f in remaining if _mid(f) < end or last]
        remaining = remaining[len(mine) :]
        if not mine:
            out.append(seg)
            continue
        words = list(seg.words)
        for filler in mine:
            at = bisect_left([_mid(w) for w in words], _mid(filler))
            words.insert(at, _as_filler(filler, at == 0))
            # Whisper stretched a neighbour over the filler's sound: give it back.
            if at > 0 and words[at - 1].end > filler.start > words[at - 1].start:
                words[at - 1] = _timed(words[at - 1], words[at - 1].start, filler.start)
            if at + 1 < len(words) and words[at + 1].start < filler.end < words[at + 1].end:
                words[at + 1] = _timed(words[at + 1], filler.end, words[at + 1].end)
            if at == 0 and len(words) > 1:  # "Um, in my job": the sentence goes on
                words[1] = _lowered(words[1])
        out.append(_with_words(seg, words))
    return out
