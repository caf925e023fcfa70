"""Hostile archives (zip bombs, lying sizes, floods of entries) are refused from the zip's
directory, in one line naming the limit, before anything is inflated or written."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sayyes.accounts.services import create_user
from sayyes.pipeline.models import Opportunity
from sayyes.portability import archive, registry
from sayyes.portability.archive import MAX_ENTRIES, MAX_MEMBER, MAX_TOTAL, ArchiveError
from tests.test_cli import assert_one_line_error, run_main

MB = 1024 * 1024
RECORDING = "files/000001-answer.webm"


def _counts() -> dict[str, int]:
    return {o.label: o.model._default_manager.count() for o in registry.owned_models()}


def _files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


def _archive(files: dict[str, bytes], zeros: int = 0) -> bytes:
    """A well-formed archive holding ``files`` (and, if ``zeros``, RECORDING: that many zero
    bytes, streamed in so the test never holds them), its manifest listing them all."""
    listed = {
        n: {"size": len(b), "sha256": hashlib.sha256(b).hexdigest()} for n, b in files.items()
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
        if zeros:
            digest = hashlib.sha256()
            with zf.open(RECORDING, "w", force_zip64=True) as fh:
                chunk = bytes(MB)
                for _ in range(zeros // MB):
                    fh.write(chunk)
                    digest.update(chunk)
            listed[RECORDING] = {"size": zeros, "sha256": digest.hexdigest()}
        manifest = {"format": "sayyes-archive", "version": 1, "models": {}, "files": listed}
        zf.writestr("manifest.json", json.dumps(manifest))
    return out.getvalue()


def _declare(data: bytes, name: str, size: int) -> bytes:
    """The zip with ``name``'s uncompressed size in the central directory set to ``size``
    (the ZipInfo a reader trusts), its content unchanged: a zip that lies about a size."""
    data = bytearray(data)
    at = data.index(b"PK\x01\x02")
    while at != -1:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, at + 28)
        if data[at + 46 : at + 46 + name_len].decode() == name:
            struct.pack_into("<I", data, at + 24, size)
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 46 + name_len + extra_len + comment_len)
    raise AssertionError(f"{name} is not in the zip")


def _refused(user, data: bytes, settings) -> str:
    """The refusal's message; nothing was written, and memory stayed under 50 MB."""
    before = _counts()
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveError) as refused:
            archive.import_archive(user, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * MB, f"refusing took {peak / MB:.0f} MB"
    assert _counts() == before
    assert _files_in(settings.DATA_DIR) == []
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_a_member_that_inflates_past_the_limit_is_refused_without_inflating_it(bob, settings):
    data = _archive({}, zeros=MAX_MEMBER + MB)
    assert len(data) < 2 * MB  # a small zip...
    message = _refused(bob, data, settings)  # ...refused before its 129 MB are read
    assert RECORDING in message and "more than the 128 MB an archive file may hold" in message


def test_a_member_that_claims_2_gb_is_refused(bob, settings):
    data = _declare(_archive({RECORDING: b"\x1a\x45\xdf\xa3" * 100}), RECORDING, 2 * 1024**3)
    message = _refused(bob, data, settings)
    assert message == (
        f"{RECORDING} is 2.0 GB uncompressed, more than the 128 MB an archive file may hold"
    )


def test_members_under_the_limit_that_add_up_past_the_total_are_refused(bob, settings):
    names = [f"files/{i:06d}-answer.webm" for i in range(MAX_TOTAL // MAX_MEMBER + 1)]
    data = _archive({n: b"webm" for n in names})
    for name in names:
        data = _declare(data, name, MAX_MEMBER)
    message = _refused(bob, data, settings)
    assert "more than the 512 MB an archive may hold" in message


def test_a_member_that_inflates_past_its_declared_size_is_stopped(bob, settings):
    body = bytes(8 * MB)
    data = _declare(_archive({RECORDING: body}), RECORDING, 1000)
    message = _refused(bob, data, settings)
    assert message == (
        f"the archive was altered or damaged: {RECORDING} does not match its declared size "
        "(1,000 bytes) or its CRC"
    )


def test_a_flood_of_entries_is_refused_by_count(bob, settings):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for i in range(40_000):
            zf.writestr(f"files/{i:06d}", b"")
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr("files/000000", b"")  # and a name twice, as in the probe
    message = _refused(bob, out.getvalue(), settings)
    assert message == (
        f"the archive holds 40,001 files, more than the {MAX_ENTRIES:,} an archive may hold"
    )


def test_names_twice_are_found_among_many_entries(bob, settings):
    names = {f"files/{i:06d}-answer.webm": b"" for i in range(5_000)}
    out = io.BytesIO(_archive(names))
    with zipfile.ZipFile(out, "a") as zf, pytest.warns(UserWarning, match="Duplicate name"):
        zf.writestr("files/000005-answer.webm", b"")
    message = _refused(bob, out.getvalue(), settings)
    assert message == "the archive was altered: files/000005-answer.webm appears twice"


def _bomb() -> bytes:
    return _declare(_archive({RECORDING: b"webm"}), RECORDING, 2 * 1024**3)


def test_the_cli_refuses_a_zip_bomb_in_one_line(db, tmp_path):
    create_user("erin")
    before = _counts()
    path = tmp_path / "bomb.zip"
    path.write_bytes(_bomb())
    result = run_main("import", "archive", str(path), "--user", "erin")
    assert_one_line_error(
        result, "bomb.zip", "more than the 128 MB an archive file may hold", "nothing was imported"
    )
    assert _counts() == before


def test_the_import_page_refuses_a_zip_bomb(bob, bob_client, settings):
    before = _counts()
    response = bob_client.post(
        "/settings/archive/import/", {"file": SimpleUploadedFile("bomb.zip", _bomb())}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "more than the 128 MB an archive file may hold" in body
    assert "Nothing was imported." in body
    assert _counts() == before
    assert not Opportunity.objects.filter(owner=bob).exists()


def test_json_nested_deeper_than_the_stack_is_a_damaged_archive(bob, settings):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", "[" * 200_000 + "]" * 200_000)
    assert "nested too deeply" in _refused(bob, out.getvalue(), settings)
