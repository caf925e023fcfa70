"""The full archive: export, import into any account, identical re-export, tamper-proof."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import warnings
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayyes.accounts.services import create_user
from sayyes.network.models import Contact, FollowUp, Interaction
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import Company, Interview, Opportunity, StatusEvent
from sayyes.portability import archive, registry
from sayyes.portability.archive import ArchiveError
from sayyes.practice.models import Answer, PracticeSession, Question
from tests.test_cli import assert_one_line_error, run_main

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=300,
)
_names = itertools.count()


def _export(user) -> bytes:
    buffer = io.BytesIO()
    archive.export_archive(user, buffer)
    return buffer.getvalue()


def _all_counts():
    return {o.label: o.model._default_manager.count() for o in registry.owned_models()}


@pytest.fixture
def builtin_question(db):
    return Question.objects.create(
        key="tell-me-about-yourself-test", text="Tell me about yourself.", source="builtin",
        category="career_story",
    )  # fmt: skip


@pytest.fixture
def full(alice, opp, builtin_question):
    """alice with a bit of everything, links across apps included."""
    contact = Contact.objects.get(owner=alice)
    Interaction.objects.create(owner=alice, contact=contact, kind="emailed", note="Wrote back")
    FollowUp.objects.create(
        owner=alice, contact=contact, kind="thank_you", due_at=timezone.now() + timedelta(days=1)
    )
    pipeline.change_status(opp, "interviewing")
    own = Question.objects.create(owner=alice, text="Why us?", source="real", opportunity=opp,
                                  company=opp.company, based_on=builtin_question)  # fmt: skip
    session = PracticeSession.objects.create(
        owner=alice, mode="random", question_ids=[builtin_question.pk, own.pk]
    )
    Answer.objects.create(owner=alice, question=builtin_question, session=session, text="I…",
                          feedback={"score": 3, "notes": ["é"]}, duration_seconds=12.5)  # fmt: skip
    Answer.objects.create(owner=alice, question=own, session=session, text="Because")
    return alice


def test_it_round_trips_into_another_account_with_links_kept(full, bob):
    before = archive.canonical(full)
    alice_counts = _all_counts()
    builtins = Question.objects.filter(source="builtin").count()
    report = archive.import_archive(bob, _export(full))
    assert report.counts["pipeline.Opportunity"] == 1
    assert archive.canonical(bob) == before
    # New rows for bob; alice's untouched.
    assert Opportunity.objects.filter(owner=bob).count() == 1
    assert Opportunity.objects.filter(owner=full).count() == 1
    assert archive.canonical(full) == before
    assert _all_counts()["pipeline.Opportunity"] == alice_counts["pipeline.Opportunity"] + 1
    # Links point at bob's own copies, and shared built-in questions are referenced, not copied.
    interview = Interview.objects.get(owner=bob)
    assert interview.opportunity.owner == bob
    assert list(interview.interviewers.values_list("owner", flat=True)) == [bob.pk]
    assert StatusEvent.objects.filter(opportunity__owner=bob).count() == 2
    session = PracticeSession.objects.get(owner=bob)
    own = Question.objects.get(owner=bob)
    builtin = Question.objects.get(key="tell-me-about-yourself-test")
    assert session.question_ids == [builtin.pk, own.pk]
    assert own.based_on == builtin and own.company.owner == bob
    assert Question.objects.filter(source="builtin").count() == builtins


def test_export_import_export_gives_the_same_archive_data(full):
    carol = create_user("carol")
    archive.import_archive(carol, _export(full))
    dave = create_user("dave")
    archive.import_archive(dave, _export(carol))
    assert archive.canonical(dave) == archive.canonical(full)


def test_the_archive_is_documented_json_with_a_manifest(full):
    with zipfile.ZipFile(io.BytesIO(_export(full))) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "sayyes-archive" and manifest["version"] == 1
        entry = manifest["models"]["pipeline.Opportunity"]
        body = zf.read(entry["file"])
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        records = json.loads(body)
        assert entry["count"] == len(records) == 1
        assert records[0]["fields"]["owner"] == {"user": True}
        assert records[0]["fields"]["title"] == "Data Engineer"
        sessions = json.loads(zf.read("data/practice.PracticeSession.json"))
        assert sessions[0]["fields"]["question_ids"][0] == {"key": "tell-me-about-yourself-test"}
        names = zf.namelist()
    assert not any("ApiToken" in n or "LoginLink" in n or "CalendarFeed" in n for n in names)


def _tamper(data: bytes, name: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == name:
                body = change(body)
            if body is not None:
                dst.writestr(info.filename, body)
    return out.getvalue()


def _add(data: bytes, name: str, body: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name", which is the point
        zf.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize(
    "damage,message",
    [
        (lambda d: d[: len(d) // 2], "not a sayyes archive"),
        (lambda d: d[:-30], "not a sayyes archive"),
        (lambda d: b"hello", "not a sayyes archive"),
        (
            lambda d: _tamper(d, "data/pipeline.Opportunity.json",
                              lambda b: b.replace(b"Data Engineer", b"Data Engineeer")),
            "does not match its checksum",
        ),
        (
            lambda d: _tamper(d, "data/network.Contact.json", lambda b: None),
            "data/network.Contact.json is missing",
        ),
        (lambda d: _tamper(d, "manifest.json", lambda b: b"{"), "manifest.json is not JSON"),
        (lambda d: _add(d, "data/extra.json", b"[]"), "data/extra.json is not in the manifest"),
        (
            lambda d: _add(d, "data/network.Contact.json", b"[]"),
            "network.Contact.json appears twice",
        ),
        (
            lambda d: _tamper(d, "manifest.json", lambda b: b.replace(b'"version": 1', b'"version": 9')),
            "update sayyes first",
        ),
    ],
)  # fmt: skip
def test_a_damaged_archive_fails_as_a_whole_and_writes_nothing(full, bob, damage, message):
    data = damage(_export(full))
    before = _all_counts()
    with pytest.raises(ArchiveError, match=message):
        archive.import_archive(bob, data)
    assert _all_counts() == before


def test_a_consistent_but_broken_record_writes_nothing(full, bob):
    """Even with a correct manifest, a bad value fails before the end and nothing stays."""
    data = _export(full)
    src = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(src.read("manifest.json"))
    records = json.loads(src.read("data/pipeline.Interview.json"))
    records[0]["fields"]["starts_at"] = "next tuesday"
    body = json.dumps(records).encode()
    manifest["models"]["pipeline.Interview"]["sha256"] = hashlib.sha256(body).hexdigest()
    changed = _tamper(data, "data/pipeline.Interview.json", lambda b: body)
    changed = _tamper(changed, "manifest.json", lambda b: json.dumps(manifest).encode())
    before = _all_counts()
    with pytest.raises(ArchiveError, match="pipeline.Interview .* starts_at: 'next tuesday'"):
        archive.import_archive(bob, changed)
    assert _all_counts() == before


def test_importing_twice_into_the_same_account_is_refused_cleanly(full):
    data = _export(full)
    before = _all_counts()
    with pytest.raises(ArchiveError, match="clash with what is already in this account"):
        archive.import_archive(full, data)
    assert _all_counts() == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    company=TEXT.filter(lambda s: s.strip()).map(lambda s: s[:200]),
    title=st.text(max_size=200).filter(lambda s: "\x00" not in s),
    notes=st.one_of(st.just(""), TEXT, st.text(min_size=5000, max_size=20000).filter(
        lambda s: "\x00" not in s and not any(0xD800 <= ord(c) <= 0xDFFF for c in s))),
    tags=st.lists(TEXT, max_size=5),
    salary=st.one_of(st.none(), st.integers(0, 2_000_000)),
)  # fmt: skip
def test_round_trip_keeps_any_text(db, company, title, notes, tags, salary):
    n = next(_names)
    source, target = create_user(f"src{n}"), create_user(f"dst{n}")
    c = Company.objects.create(owner=source, name=company, notes=notes)
    o = Opportunity.objects.create(
        owner=source, company=c, title=title, notes=notes, salary_min=salary,
        salary_currency="EUR" if salary is not None else "",
    )  # fmt: skip
    Contact.objects.create(owner=source, name=title or "x", company=c, tags=tags, notes=notes)
    Question.objects.create(owner=source, text=notes, source="yours", opportunity=o)
    archive.import_archive(target, _export(source))
    assert archive.canonical(target) == archive.canonical(source)
    copy = Opportunity.objects.get(owner=target)
    assert (copy.title, copy.notes, copy.salary_min, copy.company.name) == (
        title, notes, salary, company,
    )  # fmt: skip


def test_an_empty_account_round_trips(alice, bob):
    archive.import_archive(bob, _export(alice))
    assert archive.canonical(bob) == archive.canonical(alice)


def test_cli_exports_and_imports(full, tmp_path):
    create_user("erin")
    path = tmp_path / "alice.zip"
    result = run_main("export", "archive", str(path), "--user", "alice")
    assert result.code == 0, result.err
    assert "Wrote" in result.out and path.exists()
    result = run_main("import", "archive", str(path), "--user", "erin")
    assert result.code == 0, result.err
    assert "Imported" in result.out
    assert Opportunity.objects.filter(owner__username="erin").count() == 1


def test_cli_reports_a_damaged_archive_in_one_line(full, tmp_path):
    create_user("erin")
    path = tmp_path / "alice.zip"
    path.write_bytes(_export(full)[:-50])
    result = run_main("import", "archive", str(path), "--user", "erin")
    assert_one_line_error(result, "alice.zip", "nothing was imported")
    assert Opportunity.objects.filter(owner__username="erin").count() == 0


def test_settings_page_downloads_the_archive(full, alice_client, bob_client):
    response = alice_client.get("/settings/archive.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    _, data, _ = archive.read_archive(body)
    assert data["pipeline.Opportunity"][0]["fields"]["title"] == "Data Engineer"
    # bob gets his own (empty) archive, never alice's.
    body = b"".join(bob_client.get("/settings/archive.zip").streaming_content)
    _, data, _ = archive.read_archive(body)
    assert data["pipeline.Opportunity"] == []


def test_settings_page_links_to_your_data(alice_client):
    body = alice_client.get("/settings/").content.decode()
    for link in ("/settings/archive.zip", "/settings/archive/import/", "/settings/delete-account/"):
        assert link in body


def test_the_import_page_adds_an_archive(full, bob, bob_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _export(full)
    assert bob_client.get("/settings/archive/import/").status_code == 200
    response = bob_client.post(
        "/settings/archive/import/", {"file": SimpleUploadedFile("a.zip", data[:-40])}
    )
    assert response.status_code == 400
    assert "not a sayyes archive" in response.content.decode()
    assert "Nothing was imported." in response.content.decode()
    assert not Opportunity.objects.filter(owner=bob).exists()
    response = bob_client.post(
        "/settings/archive/import/", {"file": SimpleUploadedFile("a.zip", data)}
    )
    assert response.status_code == 302
    assert Opportunity.objects.filter(owner=bob).count() == 1


def _with_records(data: bytes, label: str, change) -> bytes:
    """The archive with one data file changed and its checksum made to match (a hand edit)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(src.read("manifest.json"))
    entry = manifest["models"][label]
    records = change(json.loads(src.read(entry["file"])))
    body = json.dumps(records).encode()
    entry.update(sha256=hashlib.sha256(body).hexdigest(), count=len(records))
    changed = _tamper(data, entry["file"], lambda b: body)
    return _tamper(changed, "manifest.json", lambda b: json.dumps(manifest).encode())


def _set(field, value):
    def change(records):
        records[0]["fields"][field] = value
        return records

    return change


@pytest.mark.parametrize(
    "label,change,message",
    [
        ("pipeline.Opportunity", _set("company", [1]), "damaged"),
        ("pipeline.Opportunity", _set("company", 999999), "missing from the archive"),
        ("pipeline.Opportunity", _set("salary_min", 10**30), "out of range"),
        ("pipeline.Opportunity", _set("salary_min", -5), "out of range"),
        ("pipeline.Opportunity", _set("title", "x" * 201), "longer than 200"),
        ("pipeline.Opportunity", _set("colour", "red"), "unknown field 'colour'"),
        ("pipeline.Opportunity", lambda r: [{**r[0], "id": [1]}], "damaged|repeated"),
        ("pipeline.Opportunity", lambda r: [r[0], r[0]], "repeated"),
        ("network.Contact", lambda r: r + ["junk"], "damaged"),
    ],
)
def test_hand_edited_records_fail_as_a_whole(full, bob, label, change, message):
    data = _with_records(_export(full), label, change)
    before = _all_counts()
    with pytest.raises(ArchiveError, match=message):
        archive.import_archive(bob, data)
    assert _all_counts() == before
