"""An archive import reads the zip as a stream (issue 18): records a batch at a time,
recordings a chunk at a time, with every check of issue 14 kept (tests/test_archive*.py)."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sayyes.demo import fill_demo
from sayyes.portability import archive
from sayyes.portability.archive import _json_items, _NotJson

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _chunks(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


@given(st.lists(json_values, max_size=8), st.integers(1, 40), st.sampled_from([None, 1]))
def test_a_list_read_in_chunks_is_the_list(items, size, indent):
    """Any JSON list, cut anywhere (inside a number, a word or a UTF-8 character), gives its
    items one by one, the same as reading it whole."""
    body = json.dumps(items, indent=indent, ensure_ascii=False).encode()
    assert list(_json_items(_chunks(body, size))) == json.loads(body)


@pytest.mark.parametrize(
    "body",
    [b"", b"{}", b'"a"', b"[1,]", b"[1 2]", b"[1", b"[1]]", b"[1] x", b"[\xff]", b'[{"a":}]'],
)
@pytest.mark.parametrize("size", [1, 3, 1000])
def test_anything_but_one_json_list_is_refused(body, size):
    with pytest.raises(_NotJson):
        list(_json_items(_chunks(body, size)))


def test_too_deep_a_list_is_refused_as_such():
    with pytest.raises(_NotJson) as caught:
        list(_json_items([b"[" * 100_000]))
    assert caught.value.deep


@pytest.mark.django_db
def test_an_archive_of_many_batches_round_trips(alice, bob, monkeypatch):
    """More records than a batch, with links inside a model (to records of earlier and later
    batches), between models and many-to-many, all kept."""
    monkeypatch.setattr(archive, "BATCH_SIZE", 37)
    fill_demo(alice, scale=2)
    body = archive.export_archive_bytes(alice)
    report = archive.import_archive(bob, io.BytesIO(body))
    assert report.counts["pipeline.Interview"] > 37 * 3
    assert archive.canonical(bob) == archive.canonical(alice)


@pytest.mark.django_db
def test_an_import_never_reads_the_archive_whole(alice, bob, monkeypatch):
    """Every member is read in chunks: the whole-member reader is never called on an import
    of a good archive (it is kept for messages about a damaged one)."""
    fill_demo(alice, scale=1)
    body = archive.export_archive_bytes(alice)

    def whole(*args, **kwargs):
        raise AssertionError("a member was read whole")

    monkeypatch.setattr(archive, "read_archive", whole)
    monkeypatch.setattr(archive, "_records_problem", whole)
    real = archive._read_member

    def manifest_only(zf, info):
        assert info.filename == archive.MANIFEST, info.filename
        return real(zf, info)

    monkeypatch.setattr(archive, "_read_member", manifest_only)
    archive.import_archive(bob, io.BytesIO(body))
    assert archive.canonical(bob) == archive.canonical(alice)
