"""Job-posting import: JSON-LD, microdata, plain pages; updates instead of duplicates."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client

from sayyes.network.importers import ImportFailed
from sayyes.pipeline.models import Company, Opportunity, StatusEvent
from sayyes.portability import posting as posting_module
from sayyes.portability.posting import html_to_text, import_posting
from sayyes.portability.views import drop_key
from tests.test_cli import assert_one_line_error, run_main

FIXTURES = Path(__file__).parent / "fixtures" / "portability"


def _page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_json_ld(alice):
    result = import_posting(alice, _page("posting-jsonld.html"), "https://x.example/ad")
    opp = result.opportunity
    assert result.created and result.posting.source == "JSON-LD"
    assert (opp.title, opp.company.name, opp.status) == (
        "Senior Data Engineer",
        "Pelican Freight",
        "saved",
    )
    assert (opp.salary_min, opp.salary_max, opp.salary_currency) == (72000, 88000, "EUR")
    assert (opp.location, opp.remote) == ("Hamburg, DE", "remote")
    # The posting's own canonical address wins over the page it was read from.
    assert opp.posting_url == "https://careers.pelican.example/jobs/2291"
    text = opp.posting_text
    assert text.startswith(
        "Employment type: Full time\nPosted: 2026-09-20\nApply by: 2026-11-30\nReference: PF-2291\n\n"
    )
    assert "• Build pipelines in Python & SQL\n• Own our warehouse" in text
    assert "Apply <today>!" in text  # an entity stays text
    assert (
        "<p" not in text and "<strong>" not in text and "alert(" not in text and "steal" not in text
    )
    assert list(opp.events.values_list("status", flat=True)) == ["saved"]


def test_microdata_with_an_hourly_rate_made_yearly(alice):
    result = import_posting(alice, _page("posting-microdata.html"))
    opp = result.opportunity
    assert result.posting.source == "microdata"
    assert (opp.title, opp.company.name, opp.location) == (
        "Nurse Educator",
        "Riverside Clinic",
        "Leeds, United Kingdom",
    )
    assert (opp.salary_min, opp.salary_max, opp.salary_currency) == (
        44720,
        44720,
        "GBP",
    )  # 21.50 × 2080
    assert "Employment type: Part time" in opp.posting_text
    assert "Mentor new starters" in opp.posting_text


def test_a_page_without_structured_data_uses_its_title_and_main_text(alice):
    result = import_posting(alice, _page("posting-plain.html"), "https://saffron.example/jobs/ux")
    opp = result.opportunity
    assert result.posting.source == "page text"
    assert (opp.title, opp.company.name) == ("Junior UX Designer", "Saffron Studio")
    assert opp.posting_url == "https://saffron.example/jobs/ux"
    assert "We design apps for museums & libraries." in opp.posting_text
    assert "• Sketch, test and iterate\n• Work with our two developers" in opp.posting_text
    for chrome in ("All jobs", "Privacy", "Apply now", "trackVisitor", "color: red"):
        assert chrome not in opp.posting_text


def test_the_same_posting_twice_updates(alice):
    first = import_posting(alice, _page("posting-jsonld.html"))
    opp = first.opportunity
    Opportunity.objects.filter(pk=opp.pk).update(status="applied", notes="My notes")
    changed = _page("posting-jsonld.html").replace(b"72000", b"75000")
    second = import_posting(alice, changed)
    assert not second.created and second.opportunity.pk == opp.pk
    opp.refresh_from_db()
    assert (opp.salary_min, opp.status, opp.notes) == (75000, "applied", "My notes")
    assert Opportunity.objects.filter(owner=alice).count() == 1
    assert Company.objects.filter(owner=alice).count() == 1


def test_the_same_posting_is_found_by_its_reference_without_a_url(alice):
    page = _page("posting-jsonld.html").replace(
        b'"url": "https://careers.pelican.example/jobs/2291",', b""
    )
    import_posting(alice, page)
    renamed = page.replace(b'"title": "Senior Data Engineer"', b'"title": "Sr. Data Engineer"')
    result = import_posting(alice, renamed)
    assert not result.created
    assert Opportunity.objects.get(owner=alice).title == "Sr. Data Engineer"


def test_the_same_posting_is_found_by_company_and_title_last(alice):
    import_posting(alice, _page("posting-plain.html"))
    again = import_posting(alice, _page("posting-plain.html").replace(b"museums", b"zoos"))
    assert not again.created
    assert "zoos" in Opportunity.objects.get(owner=alice).posting_text


def test_another_users_posting_is_never_updated(alice, bob):
    import_posting(bob, _page("posting-jsonld.html"))
    result = import_posting(alice, _page("posting-jsonld.html"))
    assert result.created
    assert Opportunity.objects.filter(owner=bob).count() == 1


@pytest.mark.parametrize(
    "page,message",
    [
        (b"", "the page is empty"),
        (b"<html><body><p>nothing here</p></body></html>", "no job title"),
    ],
)
def test_pages_that_are_not_postings_write_nothing(alice, page, message):
    with pytest.raises(ImportFailed, match=message):
        import_posting(alice, page)
    assert Opportunity.objects.count() == 0 and Company.objects.count() == 0


def test_html_to_text_is_plain_text():
    text = html_to_text(
        "<div><h2>Role</h2><p>Line one<br>line two</p><img src=x onerror=alert(1)>"
        "<ol><li>a</li><li>b</li></ol><!-- hidden --><style>p{}</style></div>"
    )
    assert text == "Role\n\nLine one\nline two\n\n• a\n• b"
    assert html_to_text("&lt;p&gt;Escaped &amp;lt;b&amp;gt;&lt;/p&gt;") == "Escaped <b>"


def test_cli_reads_a_file(alice, tmp_path):
    path = tmp_path / "ad.html"
    path.write_bytes(_page("posting-microdata.html"))
    result = run_main(
        "import", "posting", str(path), "--user", "alice", "--url", "https://rc.example/1"
    )
    assert result.code == 0, result.err
    assert "Added 'Nurse Educator' at Riverside Clinic" in result.out
    assert Opportunity.objects.get(owner=alice).posting_url == "https://rc.example/1"


def test_cli_fetches_a_url_without_the_network(alice):
    """Only the fetch edge is replaced; parsing and saving are real."""

    class Response:
        def __init__(self, body):
            self.body = body

        def read(self, n):
            return self.body[:n]

        def geturl(self):
            return "https://careers.pelican.example/jobs/2291?ref=x"

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    with mock.patch.object(
        posting_module.urllib.request,
        "urlopen",
        return_value=Response(_page("posting-jsonld.html")),
    ) as urlopen:
        result = run_main("import", "posting", "https://pel.example/j/2291", "--user", "alice")
    assert result.code == 0, result.err
    request = urlopen.call_args.args[0]
    assert request.full_url == "https://pel.example/j/2291"
    assert urlopen.call_args.kwargs["timeout"] == posting_module.FETCH_TIMEOUT
    assert Opportunity.objects.get(owner=alice).title == "Senior Data Engineer"


def test_cli_reports_a_fetch_failure_in_one_line(alice):
    with mock.patch.object(
        posting_module.urllib.request, "urlopen", side_effect=OSError("connection refused")
    ):
        result = run_main("import", "posting", "https://down.example/", "--user", "alice")
    assert_one_line_error(result, "could not fetch", "nothing was imported")
    assert_one_line_error(
        run_main("import", "posting", "/no/such/file.html", "--user", "alice"), "cannot read"
    )
    assert Opportunity.objects.count() == 0


def test_the_page_previews_then_saves(alice_client, alice):
    response = alice_client.post(
        "/opportunities/import/posting/",
        {"html": _page("posting-jsonld.html").decode(), "url": ""},
    )
    assert response.status_code == 302
    page = alice_client.get(response["Location"])
    assert page.status_code == 200
    assert b"Senior Data Engineer" in page.content and b"Pelican Freight" in page.content
    assert Opportunity.objects.count() == 0  # only a preview so far
    token = re.search(rb'name="pending" value="(\w+)"', page.content).group(1).decode()
    saved = alice_client.post(
        "/opportunities/import/posting/", {"action": "import", "pending": token}
    )
    opp = Opportunity.objects.get(owner=alice)
    assert saved.status_code == 302 and saved["Location"] == f"/opportunities/{opp.pk}/"
    # The waiting page is gone once used.
    again = alice_client.post(
        "/opportunities/import/posting/", {"action": "import", "pending": token}
    )
    assert again.status_code == 302 and Opportunity.objects.count() == 1


def test_pasted_text_becomes_a_posting(alice_client, alice):
    response = alice_client.post(
        "/opportunities/import/posting/",
        {
            "html": "Barista at Café Lumière\nMorning shifts.\nGood coffee.",
            "url": "https://cafe.example/j",
        },
    )
    page = alice_client.get(response["Location"])
    token = re.search(rb'name="pending" value="(\w+)"', page.content).group(1).decode()
    alice_client.post("/opportunities/import/posting/", {"action": "import", "pending": token})
    opp = Opportunity.objects.get(owner=alice)
    assert (opp.title, opp.company.name) == ("Barista", "Café Lumière")
    assert opp.posting_text == "Morning shifts.\n\nGood coffee."


def test_the_page_explains_an_empty_form(alice_client):
    response = alice_client.post("/opportunities/import/posting/", {"html": " "})
    assert response.status_code == 400
    assert b"Upload a saved page or paste its HTML or text." in response.content


def test_the_bookmarklet_drop_needs_a_confirmation_on_sayyes(alice):
    """Another site can post a page to the drop box, but only a confirmation saves it."""
    page = Client(enforce_csrf_checks=True)
    page.force_login(alice)
    listing = page.get("/opportunities/import/posting/")
    drop = f"/opportunities/import/posting/drop/{drop_key(alice)}/"
    assert b"javascript:" in listing.content and drop.encode() in listing.content
    dropped = Client(enforce_csrf_checks=True).post(  # no cookies: a cross-site form post
        drop,
        {"html": _page("posting-jsonld.html").decode(), "url": "https://pel.example/1"},
    )
    assert dropped.status_code == 303
    assert Opportunity.objects.count() == 0
    confirm = page.get(dropped["Location"])
    assert b"Check, then save" in confirm.content
    token = re.search(rb'name="pending" value="(\w+)"', confirm.content).group(1).decode()
    # A forged confirmation (no CSRF token) is refused.
    forged = page.post("/opportunities/import/posting/", {"action": "import", "pending": token})
    assert forged.status_code == 403 and Opportunity.objects.count() == 0
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', confirm.content).group(1)
    saved = page.post(
        "/opportunities/import/posting/",
        {"action": "import", "pending": token, "csrfmiddlewaretoken": csrf.decode()},
    )
    assert saved.status_code == 302
    assert Opportunity.objects.get(owner=alice).title == "Senior Data Engineer"
    assert StatusEvent.objects.filter(opportunity__owner=alice).count() == 1


def test_the_drop_box_refuses_an_empty_page(client, alice):
    drop = f"/opportunities/import/posting/drop/{drop_key(alice)}/"
    assert client.post(drop, {"html": ""}).status_code == 400
    assert client.get(drop).status_code == 405


def test_the_drop_box_needs_a_users_signed_key_and_keeps_pages_apart(alice, bob):
    page = {"html": _page("posting-jsonld.html").decode(), "url": "https://pel.example/1"}
    anonymous = Client(enforce_csrf_checks=True)
    real = drop_key(alice)
    forged = real[:-1] + ("B" if real.endswith("A") else "A")  # one character off, always
    for key in ("x", f"{alice.pk}", f"{alice.pk}.forged", forged):
        response = anonymous.post(f"/opportunities/import/posting/drop/{key}/", page)
        assert response.status_code == 404, key
    dropped = anonymous.post(f"/opportunities/import/posting/drop/{drop_key(alice)}/", page)
    assert dropped.status_code == 303
    # The page waits in alice's drop box: bob, even with its address, does not see it.
    bobs = Client()
    bobs.force_login(bob)
    assert b"no longer waiting" in bobs.get(dropped["Location"]).content
    alices = Client()
    alices.force_login(alice)
    assert b"Check, then save" in alices.get(dropped["Location"]).content


def _salary_page(value: str, unit: str = "YEAR") -> str:
    # JSON-LD as pages write it: Python's JSON reader takes Infinity, NaN and 1e7000000 (inf).
    return (
        '<html><head><script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@type": "JobPosting", "title": "Analyst", "hiringOrganization": "Odd Salary Ltd",'
        ' "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR", "value":'
        f' {{"@type": "QuantitativeValue", "minValue": {value}, "maxValue": {value},'
        f' "unitText": "{unit}"}}}}}}</script></head><body></body></html>'
    )


@pytest.mark.parametrize(
    "value,unit",
    [
        ("Infinity", "YEAR"),
        ("-Infinity", "YEAR"),
        ("NaN", "YEAR"),
        ("1e7000000", "YEAR"),
        ('"1e7000000"', "YEAR"),
        ('"Infinity"', "HOUR"),
        ("1e300", "HOUR"),
        ('"1e999999999"', "YEAR"),
    ],
)
def test_a_salary_that_is_not_a_finite_sane_number_is_left_out(alice, value, unit):
    result = import_posting(alice, _salary_page(value, unit), "https://x.example/odd")
    opp = result.opportunity
    assert (opp.title, opp.company.name) == ("Analyst", "Odd Salary Ltd")
    assert (opp.salary_min, opp.salary_max, opp.salary_currency) == (None, None, "")


def test_a_sane_salary_next_to_an_absurd_one_is_kept(alice):
    page = _salary_page("50000").replace('"maxValue": 50000', '"maxValue": Infinity')
    opp = import_posting(alice, page, "https://x.example/half").opportunity
    assert (opp.salary_min, opp.salary_max, opp.salary_currency) == (50000, 50000, "EUR")
