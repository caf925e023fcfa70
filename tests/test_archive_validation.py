"""Finding 5: a hand-edited archive is input like any other, checked as a page would check it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sayyes.accounts.services import create_user
from sayyes.demo import fill_demo
from sayyes.network.models import Contact
from sayyes.pipeline import services as pipeline
from sayyes.pipeline.models import Opportunity
from sayyes.portability import archive
from sayyes.portability.archive import ArchiveError
from tests.conftest import api
from tests.test_archive import _all_counts, _export, _set, _with_records
from tests.test_cli import assert_one_line_error, run_main

HOSTILE = [
    pytest.param(
        "pipeline.Opportunity", "status", "bogus", "is not a valid choice", id="bogus-status"
    ),
    pytest.param(
        "pipeline.Interview", "timezone", "Mars/Olympus", "not a time zone name", id="mars-zone"
    ),
    pytest.param(
        "accounts.Profile", "timezone", "Mars/Olympus", "not a time zone name", id="mars-profile"
    ),
    pytest.param(
        "pipeline.Opportunity", "salary_currency", "ZZZ", "not an ISO 4217", id="zzz-currency"
    ),
    pytest.param(
        "offers.Offer", "currency", "ZZZ", "not an ISO 4217", id="zzz-offer"
    ),
    pytest.param(
        "network.Contact", "linkedin_url", "javascript:alert(1)", "http:// or https://",
        id="javascript-contact",
    ),
    pytest.param(
        "pipeline.Opportunity", "posting_url", "javascript:alert(document.cookie)",
        "http:// or https://", id="javascript-posting",
    ),
    pytest.param(
        "pipeline.Interview", "video_url", "ftp://example.org/call", "http:// or https://",
        id="ftp-video",
    ),
    pytest.param(
        "pipeline.Opportunity", "salary_max", "1", "maximum salary is below the minimum",
        id="model-clean",
    ),
]  # fmt: skip


@pytest.fixture
def rich(alice, opp):
    """alice with an offer and a salary range, so every checked field is in her archive."""
    from sayyes.offers.services import create_offer

    pipeline.update_opportunity(opp, salary_min=90000, salary_max=110000, salary_currency="EUR")
    Contact.objects.filter(owner=alice).update(linkedin_url="https://www.linkedin.com/in/dana")
    create_offer(alice, opportunity=opp, base_salary=100000, currency="EUR")
    return alice


def _hostile(rich, label, field, value) -> bytes:
    return _with_records(_export(rich), label, _set(field, value))


@pytest.mark.parametrize("label,field,value,message", HOSTILE)
def test_a_hand_edited_value_is_refused_naming_model_record_and_field(
    rich, bob, label, field, value, message
):
    data = _hostile(rich, label, field, value)
    record_id = json.loads(zipfile.ZipFile(io.BytesIO(data)).read(f"data/{label}.json"))[0]["id"]
    before = _all_counts()
    with pytest.raises(ArchiveError) as caught:
        archive.import_archive(bob, data)
    text = str(caught.value)
    assert f"{label} record {record_id}, field {field}" in text
    assert message in text
    assert _all_counts() == before


@pytest.mark.parametrize("label,field,value,message", HOSTILE[:6])
def test_the_cli_refuses_it_in_one_line(rich, tmp_path, label, field, value, message):
    create_user("erin")
    path = tmp_path / "edited.zip"
    path.write_bytes(_hostile(rich, label, field, value))
    before = _all_counts()
    result = run_main("import", "archive", str(path), "--user", "erin")
    assert_one_line_error(result, "edited.zip", f"{label} record", f"field {field}", message)
    assert _all_counts() == before


@pytest.mark.parametrize("label,field,value,message", HOSTILE[:6])
def test_the_upload_page_refuses_it(rich, bob, bob_client, label, field, value, message):
    data = _hostile(rich, label, field, value)
    before = _all_counts()
    response = bob_client.post(
        "/settings/archive/import/", {"file": SimpleUploadedFile("a.zip", data)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f"field {field}" in body and "Nothing was imported." in body
    assert _all_counts() == before


def test_a_valid_archive_still_round_trips(rich, bob):
    before = archive.canonical(rich)
    archive.import_archive(bob, _export(rich))
    assert archive.canonical(bob) == before


def test_a_demo_account_round_trips(db):
    source, target = create_user("demo-source"), create_user("demo-target")
    fill_demo(source, seed=3)
    archive.import_archive(target, _export(source))
    assert archive.canonical(target) == archive.canonical(source)


# The other doors refuse javascript: links too.


def test_the_api_refuses_a_javascript_link(alice, alice_token, client):
    response = api(
        client, "post", "/opportunities", alice_token,
        {"title": "Analyst", "company_name": "Acme", "posting_url": "javascript:alert(1)"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "posting_url" in response.content.decode()
    assert not Opportunity.objects.filter(owner=alice, title="Analyst").exists()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/job"])
def test_the_opportunity_form_refuses_a_link_that_is_not_the_web(alice, alice_client, link):
    response = alice_client.post(
        "/opportunities/new/",
        {"company_name": "Acme", "title": "Analyst", "status": "saved", "priority": 2,
         "posting_url": link},
    )  # fmt: skip
    assert response.status_code in (200, 400)
    assert "http:// or https://" in response.content.decode() or "valid URL" in (
        response.content.decode()
    )
    assert not Opportunity.objects.filter(owner=alice, title="Analyst").exists()


def test_the_services_refuse_a_link_that_is_not_the_web(alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="http:// or https://"):
        pipeline.create_opportunity(
            alice, company_name="Acme", title="Analyst", posting_url="ftp://example.org/job"
        )
