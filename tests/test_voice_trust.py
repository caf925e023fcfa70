"""Spoken answers you can trust: the same audio gives the same transcript, made-up text is
caught and left out, fillers are merged in by their timestamps."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.template.loader import render_to_string
from typer.testing import CliRunner

from sayyes.cli import app
from sayyes.practice import voice
from sayyes.practice.models import Answer, Question
from sayyes.practice.speech import Segment, Transcript, Word, decode, speech_metrics
from sayyes.practice.speech.engine import Unclear
from sayyes.practice.speech.guard import (
    missed_speech,
    repeated_phrase,
    repeated_segments,
    suspect,
    unsure_runs,
    windows,
)
from sayyes.practice.speech.hesitations import fillers_to_add, merge
from sayyes.practice.speech.whisper import DECODE, WhisperEngine
from tests.audio import join_wavs, speak
from tests.test_voice_api import _upload

# --- Deterministic decoding --------------------------------------------------------------------


def test_decoding_has_no_random_fallback():
    assert DECODE["temperature"] == 0.0 and DECODE["beam_size"] == 5
    assert DECODE["condition_on_previous_text"] is False


def test_the_same_file_gives_the_same_transcript_through_the_api_and_the_cli(
    client, alice, alice_token, recordings
):
    question = Question.objects.create(owner=alice, text="A hard problem?", source="yours")
    webm = recordings["webm"].read_bytes()
    through_api = []
    for _ in range(2):
        answer_id = _upload(client, alice_token, question.pk, webm).json()["id"]
        assert voice.process(answer_id) == "done"
        through_api.append(Answer.objects.get(pk=answer_id).transcript)
    through_cli = []
    for _ in range(2):
        result = CliRunner().invoke(app, ["transcribe", str(recordings["webm"]), "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        through_cli.append(data["transcript"])
    assert "two weeks" in through_api[0].lower()
    assert through_api == [through_api[0]] * 2
    assert through_cli == [through_api[0]] * 2
    engine = data["engine"]
    assert engine["name"].startswith("faster-whisper") and engine["model"] in ("tiny.en", "base")
    assert engine["why"]


# --- Guards against made-up text ----------------------------------------------------------------


def _words(text: str, start=0.0, step=0.3, probability=0.9) -> list[Word]:
    return [
        Word(t, round(start + i * step, 2), round(start + i * step + 0.25, 2), probability)
        for i, t in enumerate(text.split())
    ]


def _segment(text: str, start=0.0, **signals) -> Segment:
    words = _words(text, start)
    return Segment(start, words[-1].end, text, words, **signals)


def test_a_phrase_repeated_over_and_over_is_found():
    assert repeated_phrase("wait wait wait wait wait wait".split()) == "wait"
    loop = "so we have to make sure we have to make sure we have to make sure we"
    assert repeated_phrase(loop.split()) == "we have to make sure"
    assert repeated_phrase("we have to make sure we have to make sure".split()) is None
    assert repeated_phrase("no no no I said".split()) is None  # people do say this
    assert repeated_phrase("the plan was the plan and the plan".split()) is None
    assert suspect(_segment("Wait, wait, wait, wait, wait, wait.")) == '"wait" over and over'
    same = [_segment("We'll be back.", t) for t in (0.0, 2.0, 4.0)]
    assert repeated_segments(same) == [(0.0, 4.85)]
    assert repeated_segments(same[:2]) == []


def test_whispers_own_signals_make_a_segment_suspect():
    text = "we moved the report to the night"
    assert suspect(_segment(text)) is None
    assert suspect(_segment(text, compression_ratio=2.6)) == "repetitive text"
    assert suspect(_segment(text, avg_logprob=-1.3)) == "unlikely words"
    assert suspect(_segment(text, no_speech_prob=0.9, avg_logprob=-0.7)) == (
        "text where there was no speech"
    )
    guessed = Segment(0, 2, text, _words(text, probability=0.3))
    assert suspect(guessed) == "mostly guessed words"
    # Far more words than the VAD found speech for.
    many = _segment("one two three four five six seven eight nine ten eleven twelve")
    assert suspect(many, spans=[(0.0, 3.5)]) is None
    assert suspect(many, spans=[(0.0, 0.5)]) == "more words than speech"


def test_a_run_of_guessed_words_is_found_inside_a_segment():
    words = _words("so I added a check that stopped bad files early")
    sure = [w.probability for w in words]
    sure[3:7] = [0.2, 0.3, 0.45, 0.25]
    words = [Word(w.text, w.start, w.end, p) for w, p in zip(words, sure, strict=True)]
    assert unsure_runs(words) == [(3, 6)]
    assert unsure_runs(_words("all of these were heard well")) == []


def test_speech_without_words_is_missed_speech():
    words = _words("one two three", start=0.0)  # 0.0 to 0.85
    assert missed_speech([(0.0, 5.0)], words, 6.0) == [(0.85, 5.0)]
    assert missed_speech([(0.0, 1.2)], words, 6.0) == []


def test_a_suspect_stretch_is_decoded_again_in_short_windows_cut_at_pauses():
    spans = [(0.0, 4.0), (4.5, 9.0), (9.4, 15.0), (16.0, 30.0)]
    assert windows(spans, 0.0, 15.0) == [(0.0, 9.0), (9.4, 15.0)]
    assert windows(spans, 16.0, 30.0) == [(16.0, 26.0), (26.0, 30.0)]
    assert windows([], 3.0, 5.0) == [(3.0, 5.0)]


@pytest.fixture(scope="module")
def provoked(tmp_path_factory):
    """A clear sentence, then the same words gabbled at 450 words a minute: Whisper (tiny.en
    and base alike) loops on the gabble ("we have a big message, so we have a big message…")."""
    folder = tmp_path_factory.mktemp("provoked")
    text = "We had a database that slowed down every Monday morning, so I moved a report."
    clear = speak("I want to tell you about a slow database.", folder / "clear.wav")
    gabble = speak(" ".join([text] * 2), folder / "gabble.wav", speed=450)
    return join_wavs([clear, gabble], 1.0, folder / "provoked.wav")


def test_a_clip_that_provokes_repetition_is_caught_and_left_out(provoked):
    samples = decode(provoked)
    engine = WhisperEngine()
    unguarded = WhisperEngine(engine.choice.path, keep_fillers=False, guarded=False)
    loose = [w.text.strip(",.?").lower() for s in unguarded.decode(samples) for w in s.words]
    assert repeated_phrase(loose) is not None, "the clip should provoke a loop"
    transcript = engine.transcribe(samples)
    tokens = [w.text.strip(",.?").lower() for w in transcript.words]
    assert repeated_phrase(tokens) is None, transcript.text
    assert "want to tell you" in transcript.text.lower()  # the clear speech stays
    assert transcript.unclear, transcript
    # The gabble (from about 3.5 s to the end, 7 s) is what could not be understood.
    assert max(u.end for u in transcript.unclear) >= 6.0
    assert sum(u.end - u.start for u in transcript.unclear) >= 2.5


def test_the_feedback_says_what_could_not_be_understood_and_does_not_score_it(
    client, alice, alice_token, provoked
):
    from tests.audio import to_webm

    question = Question.objects.create(owner=alice, text="A slow system?", source="yours")
    webm = to_webm(provoked, provoked.with_suffix(".webm")).read_bytes()
    answer_id = _upload(client, alice_token, question.pk, webm).json()["id"]
    assert voice.process(answer_id) == "done"
    answer = Answer.objects.get(pk=answer_id)
    unclear = answer.feedback["speech"]["unclear"]
    assert unclear and all(u["start"] < u["end"] for u in unclear)
    # Not scored: the coach read only what was understood.
    assert repeated_phrase(answer.transcript.lower().replace(",", "").split()) is None
    assert answer.feedback["word_count"] == len(answer.transcript.split())
    html = render_to_string("practice/_feedback.html", {"answer": answer})
    assert "Part of your recording could not be understood." in html
    first = unclear[0]
    assert f"from {first['start']:.1f} s to {first['end']:.1f} s" in html
    body = client.get(
        f"/api/v1/practice/answers/{answer_id}", HTTP_AUTHORIZATION=f"Bearer {alice_token}"
    ).json()
    assert body["feedback"]["speech"]["unclear"] == unclear


def test_unclear_stretches_do_not_slow_the_pace_down():
    words = [*_words("we fixed it", 0.0), *_words("in two weeks", 10.0)]
    transcript = Transcript(
        "we fixed it in two weeks",
        12.0,
        [Segment(0.0, 10.85, "we fixed it in two weeks", words)],
        unclear=[Unclear(1.0, 9.5, "mostly guessed words")],
    )
    metrics = speech_metrics(transcript, np.zeros(16_000 * 12, dtype=np.float32))
    assert metrics["speaking_seconds"] == pytest.approx(10.85 - 8.5)
    assert metrics["unclear"] == [{"start": 1.0, "end": 9.5, "reason": "mostly guessed words"}]
    assert metrics["unclear_seconds"] == 8.5


# --- Fillers merged by timestamps -----------------------------------------------------------------


def _timed(*items) -> list[Word]:
    return [Word(text, start, end, 0.9) for text, start, end in items]


def test_a_filler_added_between_agreed_words_is_merged_by_its_time():
    plain = _timed(("In", 0.0, 0.5), ("my", 0.5, 0.7), ("job", 0.7, 1.0), ("and", 1.3, 1.5),
                   ("we", 1.5, 2.0), ("fixed", 2.0, 2.4))  # fmt: skip
    prompted = _timed(("Um,", 0.0, 0.2), ("in", 0.2, 0.5), ("my", 0.5, 0.7), ("job", 0.7, 1.0),
                      ("and,", 1.3, 1.5), ("uh,", 1.55, 1.65), ("we", 1.8, 2.0),
                      ("fixed", 2.0, 2.4))  # fmt: skip
    found = fillers_to_add(plain, prompted)
    assert [(w.text, w.start) for w in found] == [("Um,", 0.0), ("uh,", 1.55)]
    seg = Segment(0.0, 2.4, "In my job and we fixed", plain)
    merged = merge([seg], found)
    assert merged[0].text == "Um, in my job and uh, we fixed"
    assert [w.text for w in merged[0].words] == ["Um,", "in", "my", "job", "and", "uh,", "we",
                                                   "fixed"]  # fmt: skip
    times = [t for w in merged[0].words for t in (w.start, w.end)]
    assert times == sorted(times)  # "we" was stretched over the "uh": it starts after it now
    assert merged[0].words[6] == Word("we", 1.65, 2.0, 0.9)


def test_a_filler_the_prompt_wrote_over_a_word_is_dropped():
    # "Honestly, I like" came out "Uh, history, I like" with the prompt: the "uh" is the
    # first sound of "honestly", not a hesitation.
    plain = _timed(("Honestly,", 7.8, 8.24), ("I", 8.56, 8.68), ("like", 8.68, 8.86))
    prompted = _timed(("Uh,", 7.8, 7.95), ("history,", 7.95, 8.24), ("I", 8.56, 8.68),
                      ("like", 8.68, 8.86))  # fmt: skip
    assert fillers_to_add(plain, prompted) == []
    # The same sound outside any word of the plain pass is a hesitation.
    plain = _timed(("Honestly,", 8.0, 8.24), ("I", 8.56, 8.68), ("like", 8.68, 8.86))
    prompted = _timed(("Uh,", 7.5, 7.7), ("history,", 7.95, 8.24), ("I", 8.56, 8.68),
                      ("like", 8.68, 8.86))  # fmt: skip
    assert [w.text for w in fillers_to_add(plain, prompted)] == ["Uh,"]


def test_a_filler_both_passes_have_is_not_counted_twice():
    plain = _timed(("and", 1.0, 1.2), ("um,", 1.3, 1.5), ("we", 1.6, 1.8))
    prompted = _timed(("and", 1.0, 1.2), ("um", 1.35, 1.5), ("um,", 1.5, 1.55), ("we", 1.6, 1.8))
    assert fillers_to_add(plain, prompted) == []
    assert merge([Segment(1.0, 1.8, "and um, we", plain)], []) == [
        Segment(1.0, 1.8, "and um, we", plain)
    ]


def test_fillers_go_into_the_segment_they_fall_in():
    first = Segment(0.0, 1.0, "We shipped.", _timed(("We", 0.0, 0.4), ("shipped.", 0.4, 1.0)))
    second = Segment(2.0, 3.0, "It worked.", _timed(("It", 2.2, 2.5), ("worked.", 2.5, 3.0)))
    merged = merge([first, second], _timed(("uh", 1.9, 2.1)))
    assert merged[0] == first
    assert merged[1].text == "Uh, it worked." and merged[1].start == 1.9


def test_a_recording_none_of_which_could_be_understood_fails_with_that_reason(
    client, alice, alice_token, recordings, monkeypatch
):
    from sayyes.practice.speech import engine as engine_module

    class NothingClear:  # an engine plugged in behind the interface
        name = "nothing clear"

        def transcribe(self, samples):
            seconds = samples.size / 16_000
            return Transcript("", seconds, [], self.name, [Unclear(0.0, seconds, "noise")])

    monkeypatch.setattr(engine_module, "_engine", NothingClear())
    question = Question.objects.create(owner=alice, text="A hard problem?", source="yours")
    webm = recordings["webm"].read_bytes()
    answer_id = _upload(client, alice_token, question.pk, webm).json()["id"]
    assert voice.process(answer_id) == "failed"
    answer = Answer.objects.get(pk=answer_id)
    assert answer.error.startswith("None of the recording could be understood")
    assert not answer.feedback and not answer.score  # nothing scored


def _sure_words(*items) -> list[Word]:
    return [Word(text, start, start + 0.3, p) for text, start, p in items]


def test_the_prompted_pass_gives_its_words_only_where_it_is_clearly_surer():
    from sayyes.practice.speech.hesitations import surer_words

    plain = _sure_words(("I", 0.0, 0.95), ("measure", 0.3, 0.4), ("no", 0.6, 0.3),
                        ("long", 0.9, 0.9), ("customers", 1.2, 0.8))  # fmt: skip
    prompted = _sure_words(("I", 0.0, 0.95), ("measured", 0.3, 0.8), ("how", 0.6, 0.85),
                           ("long", 0.9, 0.9), ("customers", 1.2, 0.8))  # fmt: skip
    seg = Segment(0.0, 1.5, "I measure no long customers", plain)
    [better] = surer_words([seg], prompted)
    assert better.text == "I measured how long customers"
    # The prompt's garbling is the less likely reading: the plain pass's words stay.
    plain = _sure_words(("Honestly,", 0.0, 0.9), ("I", 0.5, 0.95), ("like", 0.7, 0.9))
    prompted = _sure_words(("Uh,", 0.0, 0.3), ("history,", 0.15, 0.35), ("I", 0.5, 0.95),
                           ("like", 0.7, 0.9))  # fmt: skip
    seg = Segment(0.0, 1.0, "Honestly, I like", plain)
    assert surer_words([seg], prompted) == [seg]
