"""A development speech corpus, to tune transcription on, kept apart from the held-out one.

    .venv/bin/python bench/asr_dev_corpus.py FOLDER    # writes the clips and corpus.json there
    .venv/bin/python bench/asr.py --corpus dev         # the bench on it

``bench/asr_corpus.py`` is held out: its figures are the ones the README reports, and no
setting is chosen by looking at them. Settings are tried on this corpus instead: fourteen
other answers, written for it (none appears in the held-out corpus, the tests or the coach),
the same kinds of clips made the same way (``asr_corpus``'s speaking, noise and mixing), each
answer spoken twice: by espeak-ng's voices and accents, with West Midlands (the voice the
held-out corpus finds hardest) four times and New York City (a voice the held-out corpus does
not use) twice, at 120 to 200 words a minute; half the answers with "um"/"uh"; half the clips
with white, brown or babble noise at 10 to 20 dB SNR, from another seed and another babble.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.asr_corpus import Clip, make_babble, render_clip, write_index  # noqa: E402

ANSWERS = [
    "Um, our test suite took forty minutes, so I split it across four machines and uh, "
    "cached the slow setup, and it now finishes in twelve.",
    "A client called on a Sunday because their invoices were wrong. I found the rounding "
    "error, sent them corrected copies that night, and they renewed the contract.",
    "My first team lead asked me to present our results to the board. Uh, I practised "
    "three times with a colleague, and um, the board approved the next phase.",
    "We were losing new users in the first week. I interviewed twenty of them, simplified "
    "the sign up form, and retention went up by a third.",
    "Uh, the warehouse kept running out of boxes on Fridays. I looked at the orders, "
    "moved the delivery to Thursday, and um, the shortages stopped.",
    "I prefer small teams where everyone talks to the customer. In my last job I answered "
    "support questions one morning a week, and it changed what we built.",
    "Um, a release broke the login page for older phones. I rolled it back within an hour, "
    "uh, wrote a test for those phones, and shipped the fix the next day.",
    "Two engineers on my team could not agree on a design. I asked each to write one page, "
    "we read both together, and they chose a mix of the two.",
    "I trained four volunteers to run the food bank's stock system. Uh, after a month they "
    "ran it without me, and um, waste fell by half.",
    "The monthly report took a full day to prepare by hand. I wrote a script that built it "
    "from the database, and now it takes ten minutes.",
    "Um, I once missed a deadline because I said yes to too much. Since then I list what I "
    "am working on, and uh, I say which task will move when something new comes in.",
    "Our hospital ward had long waits at night. I mapped every step of an admission, moved "
    "two checks earlier, and the average wait dropped by forty minutes.",
    "Uh, I organised the move of our office to a new building over one weekend. Every desk "
    "was labelled, um, and the team started work on Monday at nine.",
    "Frankly, I enjoy fixing things nobody else wants to touch. Last year I cleaned up our "
    "oldest billing code, and the support calls about bills fell by sixty percent.",
]
# (voice, words a minute) for each clip in order: two readings per answer.
READINGS = [
    ("en-gb-x-gbcwmd", 150),
    ("en-us", 185),
    ("en-gb-scotland", 135),
    ("en-gb-x-gbcwmd", 170),
    ("en-029", 160),
    ("en-gb+f2", 200),
    ("en-us-nyc", 145),
    ("en-gb-x-rp", 120),
    ("en-gb-x-gbclan", 175),
    ("en-us+f3", 140),
    ("en-gb", 190),
    ("en-gb-x-gbcwmd", 130),
    ("en-gb-x-rp", 165),
    ("en-029", 125),
    ("en-us+f3", 180),
    ("en-gb-scotland", 155),
    ("en-gb-x-gbclan", 140),
    ("en-us-nyc", 195),
    ("en-gb+f2", 150),
    ("en-gb-x-gbcwmd", 185),
    ("en-us", 130),
    ("en-gb", 160),
    ("en-029", 200),
    ("en-gb-x-gbclan", 120),
    ("en-gb-scotland", 170),
    ("en-us", 145),
    ("en-gb-x-rp", 180),
    ("en-us+f3", 160),
]
NOISES = ["white", "babble", "brown"]
SNRS = [10, 17, 13, 20, 11, 15, 19, 12, 16, 14, 18, 10, 13, 17]


def make(folder: Path, limit: int | None = None) -> list[Clip]:
    """Write the clips into ``folder`` (made if needed); the same corpus on every call."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2021)
    voices = ("en-us+f3", "en-gb-x-rp", "en-gb-scotland")
    babble = make_babble(folder, ANSWERS[-3:], voices, 165)
    clips: list[Clip] = []
    for n, (voice, wpm) in enumerate(READINGS):
        noise = (NOISES[(n // 2) % len(NOISES)], float(SNRS[n // 2])) if n % 2 == 1 else None
        name = f"dev{n + 1:02d}"
        clips.append(render_clip(folder, name, ANSWERS[n // 2], voice, wpm, noise, rng, babble))
        if limit and len(clips) >= limit:
            break
    return write_index(folder, clips)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "asr-dev-corpus")
    for clip in make(out):
        print(
            f"{clip.name}  {clip.voice:15} {clip.wpm} wpm  {clip.fillers} filler(s)  "
            f"{clip.noise or 'clean'}{f' {clip.snr_db:.0f} dB' if clip.snr_db else ''}"
        )
