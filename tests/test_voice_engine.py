"""The speech engine on recordings spoken by espeak-ng: transcript, timings, pauses, fillers."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sayyes.cli import app
from sayyes.practice.speech import (
    AudioError,
    Segment,
    Transcript,
    Word,
    decode,
    probe,
    sniff,
    speech_metrics,
)
from sayyes.practice.speech import audio as audio_module
from sayyes.practice.speech.metrics import silences
from sayyes.practice.speech.report import assess


@pytest.fixture(scope="module")
def assessed(recordings):
    return assess(recordings["wav"], "Tell me about a time you fixed a quality problem.")


def _seconds(path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def test_it_transcribes_the_words_that_were_said(assessed, recordings):
    transcript, _ = assessed
    text = transcript.text.lower()
    for words in ("team", "plan", "two weeks", "customers"):
        assert words in text, (words, transcript.text)
    assert transcript.duration_seconds == pytest.approx(_seconds(recordings["wav"]), abs=0.1)
    assert transcript.engine.startswith("faster-whisper")
    words = transcript.words
    assert len(words) >= 30
    assert all(a.start <= b.start for a, b in zip(words, words[1:], strict=False))


def test_it_keeps_the_ums_and_uhs_as_spoken(assessed, recordings):
    _, feedback = assessed
    fillers = feedback["speech"]["fillers"]
    # Two were spoken ("Um", "Uh"). Which of them survives depends on the processor's
    # arithmetic (int8 kernels differ between AVX2 and AVX-512): at least one, and "um".
    assert 1 <= fillers["count"] <= 2
    assert set(fillers["items"]) <= {"um", "uh"} and fillers["items"].get("um", 0) >= 1
    # Without sayyes' filler prompt Whisper tidies them all away: the prompt is what keeps them.
    from sayyes.practice.speech.whisper import WhisperEngine

    plain = WhisperEngine(keep_fillers=False).transcribe(decode(recordings["wav"]))
    assert not {"um", "uh"} & {w.text.strip(",.").lower() for w in plain.words}
    highlighted = [text for text, is_filler in feedback["speech"]["pieces"] if is_filler]
    assert len(highlighted) == fillers["count"]
    assert "".join(text for text, _ in feedback["speech"]["pieces"]) == assessed[0].text


def test_it_finds_the_two_second_pause_and_the_pace(assessed):
    _, feedback = assessed
    speech = feedback["speech"]
    assert speech["pauses"]["count"] == 1
    assert 1.8 <= speech["pauses"]["longest_seconds"] <= 2.8
    assert 120 <= speech["words_per_minute"] <= 230
    assert feedback["words_per_minute"] == speech["words_per_minute"]
    assert feedback["pace"]["verdict"] in ("ok", "fast")
    # The coach read the transcript: the fixed-in-two-weeks story has an action and a result.
    assert feedback["star"]["action"]["present"] is True
    assert feedback["word_count"] >= 30


def test_a_browser_webm_without_a_duration_decodes_whole(recordings):
    webm, wav = decode(recordings["webm"]), decode(recordings["wav"])
    assert abs(webm.size - wav.size) / 16_000 < 0.1
    assert probe(recordings["webm"]) == pytest.approx(_seconds(recordings["wav"]), abs=0.1)


def test_silences_are_measured_in_the_samples():
    rate = 16_000
    tone = np.sin(np.linspace(0, 440 * 2 * np.pi, rate)).astype(np.float32) * 0.5
    quiet = np.zeros(rate, dtype=np.float32)
    samples = np.concatenate([quiet, tone, quiet, quiet, tone, quiet, tone, quiet, quiet, quiet])
    # 2 s inside the speech counts, 1 s does not, silence before and after does not.
    assert silences(samples) == [2.0]
    assert silences(quiet) == []


def test_without_samples_pauses_come_from_word_timings():
    words = [Word("So", 0.0, 0.3), Word("we", 0.4, 0.6), Word("shipped", 2.5, 3.0)]
    transcript = Transcript("So we shipped", 3.0, [Segment(0.0, 3.0, "So we shipped", words)])
    metrics = speech_metrics(transcript)
    assert metrics["pauses"] == {"threshold_seconds": 1.5, "count": 1, "longest_seconds": 1.9}
    assert metrics["words_per_minute"] == 60.0


def test_another_engine_plugs_in_behind_the_interface(recordings):
    class Echo:
        name = "echo"

        def transcribe(self, samples):
            words = [Word("Um", 0.0, 0.5), Word("hello", 0.6, 1.0)]
            return Transcript("Um, hello.", 0.0, [Segment(0.0, 1.0, "Um, hello.", words)], "echo")

    transcript, feedback = assess(recordings["short"], engine=Echo())
    assert transcript.text == "Um, hello."
    assert transcript.duration_seconds == pytest.approx(_seconds(recordings["short"]), abs=0.1)
    assert feedback["speech"]["fillers"]["items"] == {"um": 1}


@pytest.mark.parametrize(
    "head,kind",
    [
        (b"\x1a\x45\xdf\xa3\x01\x00\x00\x00", "webm"),
        (b"OggS\x00\x02", "ogg"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "wav"),
        (b"\x00\x00\x00\x20ftypM4A ", "m4a"),
        (b"ID3\x04\x00", "mp3"),
        (b"fLaC\x00", "flac"),
        (b"<!DOCTYPE html><html>", None),
        (b"", None),
    ],
)
def test_the_type_is_judged_by_content(head, kind):
    found = sniff(head)
    assert (found[0] if found else None) == kind


def test_probe_refuses_what_is_not_a_usable_recording(tmp_path, recordings, monkeypatch):
    empty = tmp_path / "empty.webm"
    empty.write_bytes(b"")
    html = tmp_path / "page.webm"
    html.write_text("<html><body>not audio</body></html>")
    broken = tmp_path / "broken.webm"
    broken.write_bytes(b"\x1a\x45\xdf\xa3" + b"\x00garbage" * 50)
    with pytest.raises(AudioError, match="empty"):
        probe(empty)
    with pytest.raises(AudioError, match="not a recording"):
        probe(html)
    with pytest.raises(AudioError):
        probe(broken)
    monkeypatch.setattr(audio_module, "MAX_SECONDS", 5)
    with pytest.raises(AudioError, match="at most 0 minutes|minutes long"):
        probe(recordings["wav"])
    with pytest.raises(AudioError, match="minutes long"):
        decode(recordings["wav"])
    monkeypatch.setattr(audio_module, "MAX_BYTES", 1000)
    with pytest.raises(AudioError, match="at most"):
        probe(recordings["wav"])


# --- sayyes transcribe -----------------------------------------------------------------------


def test_the_cli_prints_the_transcript(recordings):
    result = CliRunner().invoke(app, ["transcribe", str(recordings["webm"])])
    assert result.exit_code == 0, result.output
    assert "two weeks" in result.stdout.lower()
    assert "words a minute" in result.stderr and "1 pause over" in result.stderr


def test_the_cli_prints_json(recordings):
    result = CliRunner().invoke(app, ["transcribe", str(recordings["wav"]), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "transcript",
        "duration_seconds",
        "words_per_minute",
        "segments",
        "unclear",
        "engine",
        "feedback",
    }
    assert "customers" in data["transcript"].lower()
    assert data["segments"][0]["words"][0]["start"] >= 0
    assert data["feedback"]["speech"]["pauses"]["count"] == 1
    assert data["words_per_minute"] == data["feedback"]["words_per_minute"]


def test_the_cli_says_in_one_line_what_is_wrong(tmp_path):
    page = tmp_path / "answer.webm"
    page.write_text("<html>hello</html>")
    for args, expected in (
        ([str(page)], "is not a recording"),
        ([str(tmp_path / "missing.webm")], "no such file"),
    ):
        result = CliRunner().invoke(app, ["transcribe", *args], standalone_mode=False)
        assert result.exit_code != 0
        assert expected in str(result.exception)


def test_silence_after_the_last_word_is_not_transcribed(recordings):
    from sayyes.practice.speech.report import advance_live, finish_live

    samples = decode(recordings["short"])
    quiet_tail = np.concatenate([samples, np.zeros(16_000 * 9, dtype=np.float32)])
    live = advance_live(quiet_tail, {})  # the whole sentence, cut in the silence after it
    assert live["cut"] >= samples.size / 16_000 - 0.5
    transcript = finish_live(quiet_tail, live)
    assert transcript.text == " ".join(s["text"] for s in live["segments"])
    assert transcript.duration_seconds == pytest.approx(quiet_tail.size / 16_000, abs=0.01)


@pytest.mark.parametrize("seconds", [5.0, 5.0 + 1 / 16_000, 10.0, 4.5])
def test_a_recording_whose_last_frame_fills_a_batch_decodes_whole(tmp_path, seconds):
    # Decoding resamples five seconds at a time; a recording whose last frame completed a
    # batch used to fail with an IndexError on the empty batch left after it.
    size = round(seconds * 16_000)
    path = tmp_path / "exact.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes((np.sin(np.arange(size) / 10) * 8000).astype(np.int16).tobytes())
    samples = decode(path)
    assert samples.size == size
    assert np.abs(samples).max() == pytest.approx(8000 / 32768, abs=1e-3)


def test_the_voice_activity_detector_is_read_from_the_package_not_fetched(recordings, monkeypatch):
    # The guard's Silero VAD ships inside faster-whisper: loading it reaches no network.
    import socket

    from faster_whisper import vad

    from sayyes.practice.speech.guard import speech_spans

    def refuse(*args, **kwargs):
        raise AssertionError("the voice activity detector tried to reach the network")

    loaded: list[str] = []

    class Recorded(vad.SileroVADModel):
        def __init__(self, path):
            loaded.append(path)
            super().__init__(path)

    samples = decode(recordings["short"])
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(vad, "SileroVADModel", Recorded)
    vad.get_vad_model.cache_clear()  # loaded again, here, without the network
    try:
        spans = speech_spans(np.concatenate([np.zeros(16_000, dtype=np.float32), samples]))
    finally:
        vad.get_vad_model.cache_clear()
    assert spans and spans[0][0] >= 0.8  # the second of silence before the speech is not speech
    assert len(loaded) == 1 and Path(loaded[0]).is_file()
    assert Path(loaded[0]).parent.parent == Path(vad.__file__).parent


def _sent_while_speaking(webm, path, monkeypatch, *, whole: bool = False) -> dict:
    """The passes the worker makes while a recording arrives in five pieces: its ``live``
    (with ``whole``, each pass decodes the whole recording so far instead of the rest)."""
    from sayyes.practice.speech import report

    monkeypatch.setattr(report, "MIN_WINDOW", 4.0)
    data, live = webm.read_bytes(), {}
    path.write_bytes(b"")
    decoded_from = []
    for i in range(5):
        with path.open("ab") as fh:
            fh.write(data[i * len(data) // 5 : (i + 1) * len(data) // 5])
        if i < 4:
            starts: list[int | None] = []
            if whole:
                heard = report.Heard.whole(decode(path, partial=True, starts=starts))
            else:
                heard = report.heard_live(path, live, starts)
            decoded_from.append(heard.at)
            live = report.advance_live(heard, live, starts=starts)
    assert path.read_bytes() == data
    return {**live, "decoded_from": decoded_from}


def test_the_passes_while_speaking_decode_only_the_rest_with_the_same_result(
    recordings, tmp_path, monkeypatch
):
    """Each pass while the answer arrives decodes from where the previous one said the rest
    starts, not the whole recording again; what they keep is the same as from the whole."""
    from_rest = _sent_while_speaking(recordings["webm"], tmp_path / "a.webm", monkeypatch)
    from_whole = _sent_while_speaking(
        recordings["webm"], tmp_path / "b.webm", monkeypatch, whole=True
    )
    assert from_whole["decoded_from"] == [0, 0, 0, 0]
    passes_after_a_cut = [at for at in from_rest.pop("decoded_from")[1:] if at]
    assert passes_after_a_cut and all(at > 16_000 for at in passes_after_a_cut)
    from_whole.pop("decoded_from")
    assert from_rest == from_whole and from_rest["tail"]["at"] > 0


def test_after_stop_only_the_tail_is_decoded_with_the_same_figures(
    recordings, tmp_path, monkeypatch
):
    """The final pass of an answer sent while speaking decodes only from a little before the
    last cut; the pauses, what counts as sound and the length come out as from the whole."""
    from sayyes.practice.speech.metrics import levels
    from sayyes.practice.speech.report import Heard, coach, finish_live, tail_of

    path = tmp_path / "answer.webm"
    live = _sent_while_speaking(recordings["webm"], path, monkeypatch)
    live.pop("decoded_from")
    assert live["cut"] > 5 and live["tail"]["at"] > 0, live.get("tail")
    whole = decode(path)
    heard = tail_of(path, live)
    assert heard is not None
    assert 0 < heard.at < live["cut"] * 16_000 and heard.size == whole.size
    assert np.array_equal(heard.tail, whole[heard.at :])
    assert np.array_equal(heard.rms, levels(whole))
    assert silences(None, rms=heard.rms) == silences(whole)
    assert len(silences(whole)) == 1  # the 2 s pause between the sentences

    from_tail = finish_live(heard, live)
    from_whole = finish_live(whole, live)
    assert from_tail == from_whole and "customers" in from_tail.text.lower()
    question = "Tell me about a time you fixed a quality problem."
    assert coach(from_tail, heard, question) == coach(from_whole, whole, question)
    assert coach(from_tail, heard, question)["speech"]["pauses"]["count"] == 1

    # What does not line up falls back to the whole decode (None here).
    assert tail_of(path, {**live, "tail": {**live["tail"], "check": "0" * 64}}) is None
    assert tail_of(path, {**live, "tail": {**live["tail"], "packet": 1, "at": 0}}) is None
    assert tail_of(path, {**live, "levels": live["levels"][:-8]}) is None
    assert tail_of(path, {"cut": live["cut"], "segments": live["segments"]}) is None
    assert tail_of(path, {**live, "tail": "garbage"}) is None
    assert isinstance(Heard.whole(whole), Heard)


def test_the_worker_loads_the_models_and_the_coach_before_the_first_answer(monkeypatch):
    """What `sayyes worker` does as it starts, so that Stop is not followed by a cold load."""
    from sayyes.practice.coach import grammar
    from sayyes.practice.speech import engine as engine_module
    from sayyes.practice.speech.report import warm

    monkeypatch.setattr(engine_module, "_engine", None)
    grammar.pipeline.cache_clear()
    warm()
    engine = engine_module._engine
    assert engine is not None and engine.name.startswith("faster-whisper")
    assert engine._other is not None  # the model the guard decodes suspect stretches with
    assert grammar.pipeline.cache_info().currsize == 1
    assert engine_module.get_engine() is engine
