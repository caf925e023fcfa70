"""The full archive: everything a user owns, as versioned JSON files in a zip.

Format (``sayyes-archive`` version 1, documented in docs/archive.md):

- ``manifest.json``: format name and version, when and by which sayyes it was made, and for
  every other file in the zip its SHA-256 (and, for data files, the number of records).
- ``data/<app>.<Model>.json``: a list of records ``{"id": n, "fields": {...}, "m2m": {...}}``
  for every model that belongs to the user (see ``registry``), ids as in the exporting
  database. A reference is the referenced record's ``id`` in the archive, ``{"user": true}``
  for the account itself, or ``{"key": "..."}`` for a shared row (a built-in question).
- ``files/...``: uploaded files (voice recordings), named in their record as
  ``{"file": "files/...", "name": "original.webm"}``.

An import checks the whole archive (manifest, checksums, counts, models, fields and
references) before writing anything, writes in one transaction, and gives new ids and new
file names; a truncated or tampered archive fails as a whole with one clear message.
"""

from __future__ import annotations

import base64
import codecs
import datetime as dt
import decimal
import functools
import hashlib
import io
import json
import logging
import os
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone

import sayyes
from sayyes.core.logs import refused_import
from sayyes.core.prose import file_size
from sayyes.core.staging import StagedFiles
from sayyes.journal.terms import read_later

from .registry import EXCLUDED, JSON_ID_LISTS, Owned, archived_models, user_model

log = logging.getLogger(__name__)

FORMAT = "sayyes-archive"
VERSION = 1
MANIFEST = "manifest.json"
BATCH_SIZE = 500

# What an archive may hold, checked from the zip's directory before anything is read, then
# again while reading (a member that inflates past its declared size is refused). A person's
# archive is a few MB of JSON and their recordings (about 1 MB a minute).
MAX_ENTRIES = 20_000  # files in the zip: the manifest, one per model, one per recording
MAX_MEMBER = 128 * 1024 * 1024  # one file, uncompressed
MAX_TOTAL = 512 * 1024 * 1024  # all files, uncompressed
CHUNK = 1024 * 1024


class ArchiveError(ValueError):
    """The archive cannot be imported (or made); nothing was written. One line."""

    def __init__(self, problem: str):
        super().__init__(" ".join(str(problem).split()))


@dataclass
class ArchiveReport:
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        parts = [f"{n:,} {label.split('.')[1].lower()}" for label, n in self.counts.items() if n]
        text = f"{self.total:,} records" + (f" ({', '.join(parts)})" if parts else "")
        if self.files:
            text += f" and {self.files:,} file{'s' if self.files != 1 else ''}"
        return text + "."


# --- Values ---------------------------------------------------------------------------------


@functools.cache
def _natural_key_field(model) -> models.Field | None:
    """The field a shared row (no owner, e.g. a built-in question) is referenced by."""
    for f in model._meta.concrete_fields:
        if f.unique and not f.primary_key and not f.is_relation:
            return f
    return None


def _plain(value):
    """A field value as JSON (exact: datetimes keep their microseconds and offset)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


class _Exporter:
    def __init__(self, user, owned: list[Owned]):
        self.user = user
        self.owned = owned
        self.User = user_model()
        self.mine: dict[type, set] = {
            o.model: set(o.rows(user).values_list("pk", flat=True)) for o in owned
        }
        # zip path -> (storage, name): read when written, so no recording is held in memory
        self.files: dict[str, tuple[Any, str]] = {}
        self.file_count = 0
        self.shared: dict[tuple, dict | None] = {}  # (model, pk) -> {"key": ...}, looked up once

    def ref(self, target_model, pk, nullable: bool, where: str):
        if pk is None:
            return None
        if target_model is self.User:
            return {"user": True} if pk == self.user.pk else None
        if pk in self.mine.get(target_model, ()):
            return pk
        if (target_model, pk) not in self.shared:
            self.shared[target_model, pk] = self._shared_ref(target_model, pk)
        if self.shared[target_model, pk] is not None:
            return self.shared[target_model, pk]
        if nullable:
            return None
        raise ArchiveError(f"{where} refers to a record that is not yours")

    def _shared_ref(self, target_model, pk) -> dict | None:
        """A shared row (a built-in question) by its natural key, or None."""
        key = _natural_key_field(target_model)
        if key is None or target_model._meta.label in EXCLUDED:
            return None
        value = (
            target_model._default_manager.filter(pk=pk).values_list(key.attname, flat=True).first()
        )
        return None if value is None else {"key": _plain(value)}

    def record(self, o: Owned, obj) -> dict:
        fields: dict = {}
        label = o.label
        for f in o.model._meta.concrete_fields:
            if f.primary_key:
                continue
            where = f"{label} {obj.pk} {f.name}"
            if f.is_relation:
                fields[f.name] = self.ref(f.related_model, getattr(obj, f.attname), f.null, where)
            elif isinstance(f, models.FileField):
                fields[f.name] = self.file(getattr(obj, f.attname))
            elif f"{label}.{f.name}" in JSON_ID_LISTS:
                target = _model(JSON_ID_LISTS[f"{label}.{f.name}"])
                ids = f.value_from_object(obj) or []
                fields[f.name] = [self.ref(target, pk, True, where) for pk in ids]
            else:
                fields[f.name] = _plain(f.value_from_object(obj))
        rec = {"id": _plain(obj.pk), "fields": fields}
        m2m = {}
        for f in o.model._meta.many_to_many:
            if not _through(f)._meta.auto_created:
                continue  # an explicit through model is a model of its own
            pks = sorted(o.pk for o in getattr(obj, f.name).all())  # prefetched
            m2m[f.name] = [
                r
                for r in (self.ref(f.related_model, pk, True, f"{label} {obj.pk}") for pk in pks)
                if r is not None
            ]
        if m2m:
            rec["m2m"] = m2m
        return rec

    def file(self, fieldfile) -> dict | None:
        if not fieldfile or not fieldfile.name:
            return None
        try:
            if not fieldfile.storage.exists(fieldfile.name):
                return None  # a file gone missing from disk is left out, not a failure
        except OSError:
            return None
        base = PurePosixPath(fieldfile.name).name
        self.file_count += 1
        path = f"files/{self.file_count:06d}-{base}"
        self.files[path] = (fieldfile.storage, fieldfile.name)
        return {"file": path, "name": base}


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def _through(f: models.ManyToManyField[Any, Any]) -> type[models.Model]:
    """The model of a many-to-many's rows (Django sets it for every one)."""
    through = f.remote_field.through
    assert through is not None
    return through


def _user_field(o: Owned) -> models.ForeignKey[Any, Any] | None:
    """The foreign key (or one-to-one) from an owned model straight to its user, if any."""
    if not o.user_field:
        return None
    field = o.model._meta.get_field(o.user_field)
    assert isinstance(field, models.ForeignKey)
    return field


def _rows(o: Owned, user):
    qs = o.rows(user).order_by("pk")
    if o.model._meta.many_to_many:
        qs = qs.prefetch_related(*(f.name for f in o.model._meta.many_to_many))
    return qs.iterator(chunk_size=2000)


def _read_file(storage, name: str) -> bytes:
    with storage.open(name, "rb") as fh:
        return fh.read()


def dump(user, progress: Callable[[str], None] | None = None) -> tuple[dict, dict[str, bytes]]:
    """Everything ``user`` owns: ({label: [records]}, {zip path: file content}), in memory
    (for comparisons; ``export_archive`` streams instead)."""
    owned = archived_models()
    exporter = _Exporter(user, owned)
    data: dict[str, list] = {}
    for o in owned:
        if progress:
            progress(o.label)
        data[o.label] = [exporter.record(o, obj) for obj in _rows(o, user)]
    return data, {path: _read_file(*where) for path, where in exporter.files.items()}


def _json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def export_archive(user, out, progress: Callable[[str], None] | None = None) -> ArchiveReport:
    """Write ``user``'s archive (a zip) to the binary file object ``out``.

    Streamed: records are read 2,000 at a time and written as they come, each model's file
    hashed while it is written, and recordings copied 1 MB at a time after their model's
    file; memory stays bounded whatever the size of the account."""
    owned = archived_models()
    exporter = _Exporter(user, owned)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "sayyes_version": getattr(sayyes, "__version__", ""),
        "models": {},
        "files": {},
    }
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for o in owned:
            if progress:
                progress(o.label)
            name = f"data/{o.label}.json"
            digest, count = hashlib.sha256(), 0
            with zf.open(name, "w", force_zip64=True) as member:

                def write(chunk: bytes, member=member, digest=digest) -> None:
                    digest.update(chunk)
                    member.write(chunk)

                write(b"[")
                for obj in _rows(o, user):
                    write((b"\n" if count == 0 else b",\n") + _json_bytes(exporter.record(o, obj)))
                    count += 1
                write(b"\n]" if count else b"]")
            manifest["models"][o.label] = {
                "file": name,
                "count": count,
                "sha256": digest.hexdigest(),
            }
            counts[o.label] = count
            for path, (storage, stored) in exporter.files.items():  # this model's recordings
                manifest["files"][path] = _copy_into(zf, path, storage, stored)
            exporter.files.clear()
        zf.writestr(MANIFEST, _json_bytes(manifest))
    return ArchiveReport(counts, len(manifest["files"]))


def _copy_into(zf: zipfile.ZipFile, path: str, storage, name: str) -> dict:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as source, zf.open(path, "w", force_zip64=True) as member:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            member.write(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def export_archive_bytes(user) -> bytes:
    buffer = io.BytesIO()
    export_archive(user, buffer)
    return buffer.getvalue()


# --- Reading and checking -------------------------------------------------------------------


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip by its directory alone: too many entries, too large, names twice."""
    if len(infos) > MAX_ENTRIES:
        raise ArchiveError(
            f"the archive holds {len(infos):,} files, more than the {MAX_ENTRIES:,} "
            "an archive may hold"
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.filename in seen:
            raise ArchiveError(f"the archive was altered: {info.filename} appears twice")
        seen.add(info.filename)
        if info.file_size > MAX_MEMBER:
            raise ArchiveError(
                f"{info.filename} is {file_size(info.file_size)} uncompressed, more than the "
                f"{file_size(MAX_MEMBER)} an archive file may hold"
            )
        total += info.file_size
    if total > MAX_TOTAL:
        raise ArchiveError(
            f"the archive is {file_size(total)} uncompressed, more than the {file_size(MAX_TOTAL)} "
            "an archive may hold"
        )


def _stream_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, digest=None):
    """A member's bytes, a chunk at a time, never past its declared (and capped) size;
    each chunk is added to ``digest`` when one is given."""
    limit = min(info.file_size, MAX_MEMBER)
    size = 0
    altered = ArchiveError(
        f"the archive was altered or damaged: {info.filename} does not match its "
        f"declared size ({info.file_size:,} bytes) or its CRC"
    )
    try:
        with zf.open(info) as fh:
            # zipfile stops at the declared size and then checks the CRC; the count here
            # is a second guard that never lets more than the limit through.
            while chunk := fh.read(min(CHUNK, limit + 1 - size)):
                size += len(chunk)
                if size > limit:
                    raise altered
                if digest is not None:
                    digest.update(chunk)
                yield chunk
    except (zipfile.BadZipFile, EOFError):
        raise altered from None
    if size != info.file_size:
        raise altered


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, read as a stream and never past its declared (and capped) size."""
    return b"".join(_stream_member(zf, info))


class _NotJson(Exception):
    """A data file is not a JSON list (the caller words the message)."""

    def __init__(self, deep: bool = False):
        self.deep = deep


def _json_items(chunks):
    """The items of the JSON list the chunks spell, one at a time, without holding the list:
    each item is decoded as soon as its text is complete. Raises _NotJson for anything but
    one JSON list."""
    decoder = json.JSONDecoder()
    text = codecs.getincrementaldecoder("utf-8")()
    source = iter(chunks)
    buf, pos, ended, need_more = "", 0, False, False
    state = "open"  # open -> first -> (item -> comma)* -> closed
    while True:
        while pos < len(buf) and buf[pos] in " \t\r\n":
            pos += 1
        if pos >= len(buf) or need_more:
            need_more = False
            if ended:
                break
            chunk = next(source, None)
            ended = chunk is None
            try:
                buf = buf[pos:] + text.decode(chunk or b"", final=ended)
            except UnicodeDecodeError:
                raise _NotJson() from None
            pos = 0
            continue
        char = buf[pos]
        if state == "open":
            if char != "[":
                raise _NotJson()
            pos, state = pos + 1, "first"
        elif char == "]" and state in ("first", "comma"):
            pos, state = pos + 1, "closed"
        elif state == "comma":
            if char != ",":
                raise _NotJson()
            pos, state = pos + 1, "item"
        elif state in ("first", "item"):
            try:
                item, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError:
                if ended:
                    raise _NotJson() from None
                need_more = True  # the item goes on in the next chunk
                continue
            except RecursionError:  # [[[[…]]]] nested deeper than Python's stack
                raise _NotJson(deep=True) from None
            if (
                not ended
                and not isinstance(item, dict | list | str)
                and (end == len(buf) or buf[end] not in " \t\r\n,]")
            ):
                need_more = True  # a number or word may go on in the next chunk ("1" of "1.5")
                continue
            pos, state = end, "comma"
            yield item
        else:  # after the list, only blanks
            raise _NotJson()
    if state != "closed":
        raise _NotJson()


def _open_zip(source) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source if not isinstance(source, bytes) else io.BytesIO(source))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ArchiveError("this is not a sayyes archive (not a zip file, or cut short)") from None


DAMAGED = "the archive is damaged or cut short; nothing was imported"
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, TypeError)


@dataclass
class _Contents:
    """An archive's checked manifest: its models' and files' entries, and the zip's members."""

    manifest: dict
    models: dict
    files: dict
    by_name: dict[str, zipfile.ZipInfo]


def _contents(zf: zipfile.ZipFile) -> _Contents:
    """The zip's directory and manifest, checked: sizes (so a zip bomb is refused without
    being inflated), format and version, and that it holds exactly what the manifest lists."""
    infos = zf.infolist()
    _check_directory(infos)
    by_name = {info.filename: info for info in infos}
    names = set(by_name)
    if MANIFEST not in names:
        raise ArchiveError("this is not a sayyes archive (no manifest.json)")
    manifest = _json(_read_member(zf, by_name[MANIFEST]), MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("this is not a sayyes archive (unknown format in manifest)")
    version = manifest.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ArchiveError(
            f"the archive is format version {version!r}; this sayyes reads version "
            f"{VERSION} and older: update sayyes first"
        )
    listed_models = manifest.get("models")
    listed_files = manifest.get("files")
    if not isinstance(listed_models, dict) or not isinstance(listed_files, dict):
        raise ArchiveError("the manifest is damaged (no list of models or files)")
    expected = {MANIFEST, *listed_files}
    for entry in listed_models.values():
        expected.add(entry.get("file") if isinstance(entry, dict) else None)
    missing = sorted(str(n) for n in expected - names)
    if missing:
        raise ArchiveError(f"the archive is incomplete: {missing[0]} is missing")
    extra = sorted(names - expected)
    if extra:
        raise ArchiveError(f"the archive was altered: {extra[0]} is not in the manifest")
    return _Contents(manifest, listed_models, listed_files, by_name)


def _records_problem(zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: dict) -> ArchiveError:
    """Why a data file is not a list of records, worded as when it was read whole: its
    checksum first, then its JSON, then its count (only a damaged archive gets here)."""
    body = _read_member(zf, info)
    _check_sum(info.filename, body, entry.get("sha256"))
    records = _json(body, info.filename)
    return ArchiveError(
        f"the archive was altered: {info.filename} does not hold {entry.get('count')} records"
        if not isinstance(records, list) or len(records) != entry.get("count")
        else f"the archive is damaged: {info.filename} is not JSON"
    )


def read_archive(source) -> tuple[dict, dict[str, list], dict[str, bytes]]:
    """Open and check an archive completely, in memory: (manifest, data, files), or
    ArchiveError. For reading a small archive whole (tests, tools); an import streams it."""
    with _open_zip(source) as zf:
        try:
            contents = _contents(zf)
            data: dict[str, list] = {}
            for label, entry in contents.models.items():
                info = contents.by_name[entry["file"]]
                body = _read_member(zf, info)
                _check_sum(entry["file"], body, entry.get("sha256"))
                records = _json(body, entry["file"])
                if not isinstance(records, list) or len(records) != entry.get("count"):
                    raise _records_problem(zf, info, entry)
                data[label] = records
            files: dict[str, bytes] = {}
            for name, entry in contents.files.items():
                body = _read_member(zf, contents.by_name[name])
                _check_sum(name, body, entry.get("sha256") if isinstance(entry, dict) else None)
                files[name] = body
        except _ZIP_ERRORS:
            raise ArchiveError(DAMAGED) from None
    return contents.manifest, data, files


def _json(body: bytes, name: str):
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ArchiveError(f"the archive is damaged: {name} is not JSON") from None
    except RecursionError:  # [[[[…]]]] nested deeper than Python's stack
        raise ArchiveError(f"the archive is damaged: {name} is nested too deeply") from None


def _check_sum(name: str, body: bytes, expected) -> None:
    if hashlib.sha256(body).hexdigest() != expected:
        raise ArchiveError(
            f"the archive was altered or damaged: {name} does not match its checksum"
        )


# --- Importing ------------------------------------------------------------------------------


class _Importer:
    """Imports an open archive as a stream: every member is checked in a first pass (sizes,
    checksums, JSON, counts, record shapes), then read again record by record and written
    BATCH_SIZE at a time, so memory holds a batch and the id maps, never the whole archive."""

    def __init__(self, user, zf: zipfile.ZipFile, contents: _Contents):
        self.user = user
        self.zf = zf
        self.contents = contents
        self.User = user_model()
        self.owned = archived_models()
        self.by_label = {o.label: o for o in self.owned}
        self.new_pk: dict[type, dict] = {}  # model -> archive id -> new pk
        self.ids: dict[type, set] = {}
        self.saved_files: list[tuple] = []
        self.staged = StagedFiles()
        self.shared_cache: dict[tuple, object] = {}

    def records(self, label: str):
        entry = self.contents.models.get(label)
        if entry is None:
            return
        info = self.contents.by_name[entry["file"]]
        try:
            yield from _json_items(_stream_member(self.zf, info))
        except _NotJson:
            raise _records_problem(self.zf, info, entry) from None

    # Checks before writing anything.
    def check(self) -> None:
        try:
            problem = self._check_members()
        except _ZIP_ERRORS:
            raise ArchiveError(DAMAGED) from None
        unknown = sorted(set(self.contents.models) - set(self.by_label))
        if unknown:
            raise ArchiveError(
                f"the archive holds {unknown[0]} records, which this sayyes does not know "
                "(made by a newer version?)"
            )
        if problem is not None:
            raise problem
        self.check_quota()

    def _check_members(self) -> ArchiveError | None:
        """Stream every member once: its size, checksum, JSON and count (raised at once), and
        each record's shape (the first problem is returned, to be raised once every member's
        checksum has been checked, as when the archive was read whole)."""
        problem: ArchiveError | None = None
        for label, entry in self.contents.models.items():
            info = self.contents.by_name[entry["file"]]
            o = self.by_label.get(label)
            model = o.model if o is not None else None
            known: set[str] = set()
            m2m: set[str] = set()
            if model is not None:
                known = {f.name for f in model._meta.concrete_fields if not f.primary_key}
                m2m = {f.name for f in model._meta.many_to_many}
            digest, count, seen = hashlib.sha256(), 0, set()
            try:
                for rec in _json_items(_stream_member(self.zf, info, digest)):
                    count += 1
                    if model is None or problem is not None:
                        if isinstance(rec, dict) and model is not None:
                            seen.add(_hashable(rec.get("id")))
                        continue
                    if not isinstance(rec, dict) or not isinstance(rec.get("fields"), dict):
                        problem = ArchiveError(f"{label}: a record is damaged")
                        continue
                    if _hashable(rec.get("id")) in seen or rec.get("id") is None:
                        problem = ArchiveError(f"{label}: record id {rec.get('id')!r} is repeated")
                        continue
                    seen.add(_hashable(rec["id"]))
                    strange = set(rec["fields"]) - known or set(rec.get("m2m") or {}) - m2m
                    if strange:
                        problem = ArchiveError(
                            f"{label} {rec['id']}: unknown field {sorted(strange)[0]!r}"
                        )
            except _NotJson:
                raise _records_problem(self.zf, info, entry) from None
            if digest.hexdigest() != entry.get("sha256"):
                raise ArchiveError(
                    f"the archive was altered or damaged: {entry['file']} does not match its "
                    "checksum"
                )
            if count != entry.get("count"):
                raise ArchiveError(
                    f"the archive was altered: {entry['file']} does not hold "
                    f"{entry.get('count')} records"
                )
            if model is not None:
                self.ids[model] = seen
        for name, entry in self.contents.files.items():
            digest = hashlib.sha256()
            for _chunk in _stream_member(self.zf, self.contents.by_name[name], digest):
                pass
            expected = entry.get("sha256") if isinstance(entry, dict) else None
            if digest.hexdigest() != expected:
                raise ArchiveError(
                    f"the archive was altered or damaged: {name} does not match its checksum"
                )
        return problem

    def check_quota(self) -> None:
        """The archive's recordings fit in what the account may keep."""
        from django.conf import settings

        from sayyes.practice.voice import recordings_size

        adding = sum(self.contents.by_name[name].file_size for name in self.contents.files)
        if not adding:
            return
        quota = settings.SAYYES_RECORDINGS_QUOTA_MB * 2**20
        used = recordings_size(self.user)
        if used + adding > quota:
            raise ArchiveError(
                f"the archive's recordings ({file_size(adding)}) don't fit in this account's "
                f"recordings quota ({file_size(used)} used of {file_size(quota)}, "
                "SAYYES_RECORDINGS_QUOTA_MB)"
            )

    def resolve(self, target_model, value, where: str):
        """An archive reference -> a pk in this database (or None)."""
        if value is None:
            return None
        if isinstance(value, dict):
            if value.get("user") is True and target_model is self.User:
                return self.user.pk
            if "key" in value:
                key = _natural_key_field(target_model)
                cache_key = (target_model, value["key"])
                if cache_key not in self.shared_cache:
                    self.shared_cache[cache_key] = (
                        target_model._default_manager.filter(**{key.attname: value["key"]})
                        .values_list("pk", flat=True)
                        .first()
                        if key is not None
                        else None
                    )
                pk = self.shared_cache[cache_key]
                if pk is None:
                    raise ArchiveError(
                        f"{where} refers to {target_model._meta.verbose_name} "
                        f"{value['key']!r}, which this sayyes does not have"
                    )
                return pk
            raise ArchiveError(f"{where}: a reference is damaged")
        mapping = self.new_pk.get(target_model)
        if mapping is None or value not in mapping:
            if target_model in self.ids and value in self.ids[target_model]:
                return _DEFERRED
            raise ArchiveError(f"{where} refers to a record missing from the archive")
        return mapping[value]

    def build(self, o: Owned, rec: dict):
        model = o.model
        obj = model()
        deferred: dict[str, object] = {}
        fields = rec["fields"]
        files: list[tuple[models.FileField, object, str]] = []
        for f in model._meta.concrete_fields:
            if f.primary_key or f.name not in fields:
                continue
            value = fields[f.name]
            where = _where(o.label, rec, f.name)
            if f.is_relation:
                pk = self.resolve(f.related_model, value, where)
                if pk is _DEFERRED:
                    deferred[f.attname] = value
                    pk = None
                elif f.related_model is self.User and pk is None and not f.null:
                    pk = self.user.pk
                setattr(obj, f.attname, pk)
            elif isinstance(f, models.FileField):
                files.append((f, value, where))
            elif f"{o.label}.{f.name}" in JSON_ID_LISTS:
                target = _model(JSON_ID_LISTS[f"{o.label}.{f.name}"])
                if not isinstance(value, list):
                    raise ArchiveError(f"{where}: expected a list")
                deferred_list = any(
                    not isinstance(v, dict) and v not in self.new_pk.get(target, {}) for v in value
                )
                if deferred_list:
                    deferred[f.attname] = value
                    setattr(obj, f.attname, [])
                else:
                    setattr(obj, f.attname, [self.resolve(target, v, where) for v in value])
            else:
                setattr(obj, f.attname, self.convert(f, value, where))
        _validate(o, obj, rec)
        for f, value, where in files:  # only once the record is known to be good
            setattr(obj, f.attname, self.save_file(obj, f, value, where))
        return obj, deferred

    def convert(self, f, value, where):
        try:
            if isinstance(f, models.BinaryField) and isinstance(value, str):
                return base64.b64decode(value)
            if isinstance(f, models.DurationField) and isinstance(value, int | float):
                return dt.timedelta(seconds=value)
            value = f.to_python(value)
        except (ValidationError, TypeError, ValueError):
            raise ArchiveError(f"{where}: {value!r} is not a valid value") from None
        if value is None and not f.null:
            raise ArchiveError(f"{where} is empty but must have a value")
        if isinstance(f, models.IntegerField | models.DecimalField) and value is not None:
            try:
                f.run_validators(value)  # the range the database can store
            except ValidationError:
                raise ArchiveError(f"{where}: {value!r} is out of range") from None
        if isinstance(value, str) and f.max_length and len(value) > f.max_length:
            raise ArchiveError(f"{where} is longer than {f.max_length} characters")
        return value

    def save_file(self, obj, f, value, where):
        if value is None:
            return ""
        if not isinstance(value, dict) or value.get("file") not in self.contents.files:
            raise ArchiveError(f"{where}: the file it names is not in the archive")
        suffix = os.path.splitext(str(value.get("name") or ""))[1][:10]
        if not suffix[1:].isalnum():
            suffix = ""
        name = f.generate_filename(obj, f"{uuid.uuid4().hex}{suffix}")
        info = self.contents.by_name[value["file"]]
        try:
            final = Path(f.storage.path(name))
            # Copied a chunk at a time; moved into place when the import commits.
            self.staged.write(final, _stream_member(self.zf, info))
        except (NotImplementedError, ValueError):  # a store outside the data directory
            name = f.storage.save(name, ContentFile(_read_member(self.zf, info)))
            self.saved_files.append((f.storage, name))
        return name

    def run(self, progress=None) -> ArchiveReport:
        report = ArchiveReport()
        later: list[tuple] = []  # (model, new pk, {attname: archive value}) for back edges
        links: list[tuple] = []  # (model, m2m field name, new pk, archive values)
        for o in self.owned:
            if progress:
                progress(o.label)
            user_field = _user_field(o)
            mapping: dict = {}
            self.new_pk[o.model] = mapping
            if user_field is not None and user_field.one_to_one:
                # One per user (settings): the account's own row is updated in place.
                existing = o.model._default_manager.filter(**{user_field.name: self.user}).first()
                if existing is not None:
                    report.counts[o.label] = 0
                    for rec in self.records(o.label):
                        obj, _deferred = self.build(o, rec)
                        setattr(obj, user_field.attname, self.user.pk)
                        obj.pk = existing.pk
                        obj.save()
                        mapping[rec["id"]] = existing.pk
                        report.counts[o.label] = 1
                        break
                    continue
            batch: list[tuple] = []  # (object, archive id, deferred, m2m)
            count = 0
            for rec in self.records(o.label):
                obj, deferred = self.build(o, rec)
                if user_field is not None:
                    setattr(obj, user_field.attname, self.user.pk)
                batch.append((obj, rec["id"], deferred, rec.get("m2m") or {}))
                count += 1
                if len(batch) >= BATCH_SIZE:
                    self.flush(o, batch, later, links)
            self.flush(o, batch, later, links)
            report.counts[o.label] = count
        for o, pk, deferred in later:
            values = {}
            for attname, value in deferred.items():
                f = o.model._meta.get_field(attname.removesuffix("_id"))
                where = f"{o.label} {f.name}"
                if f"{o.label}.{f.name}" in JSON_ID_LISTS:
                    target = _model(JSON_ID_LISTS[f"{o.label}.{f.name}"])
                    values[attname] = [self.resolve(target, v, where) for v in value]
                else:
                    values[attname] = self.resolve(f.related_model, value, where)
            o.model._default_manager.filter(pk=pk).update(**values)
        pending: dict[type, list] = {}
        for o, name, pk, values in links:
            f = o.model._meta.get_field(name)
            through = _through(f)
            if not through._meta.auto_created:
                continue
            src, dst = f.m2m_field_name(), f.m2m_reverse_field_name()
            rows = pending.setdefault(through, [])
            for value in values:
                target = self.resolve(f.related_model, value, f"{o.label} {f.name}")
                rows.append(through(**{f"{src}_id": pk, f"{dst}_id": target}))
                if len(rows) >= BATCH_SIZE:
                    through._default_manager.bulk_create(rows)
                    rows.clear()
        for through, rows in pending.items():
            through._default_manager.bulk_create(rows)
        report.files = len(self.saved_files) + len(self.staged.files)
        self.staged.place_on_commit()
        return report

    def flush(self, o: Owned, batch: list[tuple], later: list, links: list) -> None:
        """Write a batch of built records; remember their new ids and what comes later."""
        if not batch:
            return
        o.model._default_manager.bulk_create([b[0] for b in batch])
        mapping = self.new_pk[o.model]
        for obj, old, deferred, m2m in batch:
            mapping[old] = obj.pk
            if deferred:
                later.append((o, obj.pk, deferred))
            for name, values in m2m.items():
                if values:
                    links.append((o, name, obj.pk, values))
        batch.clear()

    def remove_files(self) -> None:
        self.staged.discard()
        for storage, name in self.saved_files:
            try:
                storage.delete(name)
            except OSError:
                pass


_DEFERRED = object()


def _where(label: str, rec: dict, name: str) -> str:
    """Where a value is, for a message: model, record (its id in the archive) and field."""
    return f"{label} record {rec['id']!r}, field {name}"


@functools.cache
def _unchecked(model) -> tuple[str, ...]:
    """Fields full_clean leaves alone: links (resolved and checked by the importer) and files."""
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation or isinstance(f, models.FileField)
    )


def _validate(o: Owned, obj, rec: dict) -> None:
    """The record as a page or the API would take it: choices, validators (time zones,
    currencies, web links only), lengths and the model's own ``clean()``; or ArchiveError
    naming the model, the record and the field.

    An empty value where a page asks for one is let through: sayyes itself stores some
    (a spreadsheet row without a title), and an empty value breaks no page.
    """
    try:
        obj.full_clean(
            exclude=_unchecked(o.model), validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for name, errors in exc.error_dict.items():
            messages = [m for e in errors if e.code not in ("blank", "null") for m in e.messages]
            if not messages:
                continue
            message = " ".join(dict.fromkeys(messages))  # each once, in order
            if name == NON_FIELD_ERRORS:
                raise ArchiveError(f"{o.label} record {rec['id']!r}: {message}") from None
            shown = repr(rec["fields"].get(name))
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            raise ArchiveError(
                f"{_where(o.label, rec, name)}: {shown} is refused. {message}"
            ) from None


def import_archive(user, source, progress: Callable[[str], None] | None = None) -> ArchiveReport:
    """Add the archive's records to ``user``'s account: all of them, or (ArchiveError) none."""
    with refused_import(log, user, "archive", ArchiveError):
        return _import_archive(user, source, progress)


def _import_archive(
    user: Any, source: Any, progress: Callable[[str], None] | None
) -> ArchiveReport:
    with _open_zip(source) as zf:
        try:
            contents = _contents(zf)
        except _ZIP_ERRORS:
            raise ArchiveError(DAMAGED) from None
        importer = _Importer(user, zf, contents)
        try:
            importer.check()
            # The key terms of the imported postings and debriefs: read by the worker.
            with read_later(user.pk), transaction.atomic():
                report = importer.run(progress)
                _after_import(user)
                return report
        except ArchiveError:
            importer.remove_files()
            raise
        except IntegrityError as exc:
            importer.remove_files()
            raise ArchiveError(
                "the archive's records clash with what is already in this account or with "
                f"each other ({_first_line(exc)}); import into an empty account"
            ) from None
        except DatabaseError as exc:
            importer.remove_files()
            raise ArchiveError(
                f"the archive holds a value the database can't store ({_first_line(exc)})"
            ) from None
        except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as exc:
            # Only a hand-edited archive gets here: its checksums were made after the edit.
            importer.remove_files()
            raise ArchiveError(
                f"the archive's records are damaged ({type(exc).__name__}: {_first_line(exc)})"
            ) from None
        except BaseException:
            importer.remove_files()
            raise


def _hashable(value):
    """A record id as a set member: an id that can't be one ([1], {...}) as its JSON text."""
    try:
        hash(value)
    except TypeError:
        return json.dumps(value, sort_keys=True)
    return value


def _after_import(user) -> None:
    """What is stored to be read quickly is made from the imported records, not trusted from
    the archive (an older archive doesn't have it): each opportunity's furthest stage."""
    from sayyes.pipeline.models import Opportunity, StatusEvent

    StatusEvent.refresh_furthest_stage(Opportunity.objects.owned_by(user))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def canonical(user) -> dict:
    """The user's archive data with ids replaced by positions: equal for equal data."""
    data, files = dump(user)
    position = {
        label: {rec["id"]: i for i, rec in enumerate(records)} for label, records in data.items()
    }
    owned = {o.label: o.model for o in archived_models()}
    labels = {m: label for label, m in owned.items()}

    def norm_ref(model, value):
        if isinstance(value, int) and not isinstance(value, bool) and model in labels:
            return ("#", position[labels[model]].get(value))
        return value

    out = {}
    for label, records in data.items():
        model = owned[label]
        rows = []
        for rec in records:
            fields = {}
            for name, value in rec["fields"].items():
                f = model._meta.get_field(name)
                if f.is_relation:
                    value = norm_ref(f.related_model, value)
                elif isinstance(f, models.FileField) and value:
                    value = hashlib.sha256(files[value["file"]]).hexdigest()
                elif f"{label}.{name}" in JSON_ID_LISTS:
                    target = _model(JSON_ID_LISTS[f"{label}.{name}"])
                    value = [norm_ref(target, v) for v in value]
                fields[name] = value
            m2m = {
                name: sorted(
                    (norm_ref(model._meta.get_field(name).related_model, v) for v in values),
                    key=repr,
                )
                for name, values in (rec.get("m2m") or {}).items()
            }
            rows.append((fields, m2m))
        out[label] = rows
    return out
