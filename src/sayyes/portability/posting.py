"""Job-posting import: a job ad's web page into an opportunity (status ``saved``).

    parse_posting(html, url="") -> Posting              (no database, no network)
    import_posting(user, html, url="") -> PostingResult  (creates or updates)
    fetch(url) -> (bytes, final url)                     (the only network access)

The page is read for a schema.org ``JobPosting`` (JSON-LD, or microdata), through
extruct: title, hiring organisation, location, remote work, salary range and currency
(made yearly), employment type, dates, identifier, and the description. Without one,
the page's title and main text are used. The description is kept as plain text only:
HTML is parsed (lxml) and reduced to its text, never stored or shown as HTML.

The same posting imported twice updates the opportunity it made: it is found by its
posting URL, else by the posting's identifier (kept as a ``Reference:`` line of the
posting text), else by company and title. The status and notes are never changed.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from sayyes.core.errors import ImportFailed
from sayyes.core.logs import refused_import
from sayyes.pipeline.models import Opportunity, Remote, Status, StatusEvent

from .matching import find_by_url, find_existing, opportunity_index

log = logging.getLogger(__name__)

MAX_PAGE = 5 * 1024 * 1024
FETCH_TIMEOUT = 15
USER_AGENT = "sayyes (a job seeker's own copy of a posting)"
# A yearly figure from a salary given per hour, day, week or month.
PER_YEAR = {"HOUR": 2080, "DAY": 260, "WEEK": 52, "MONTH": 12, "YEAR": 1}
# A figure beyond this is a page's mistake (or a trap), not a salary: it is left out.
MAX_SALARY_FIGURE = Decimal(2_000_000_000)

LINE_TAGS = {"br", "li", "tr", "dt", "dd"}
BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "hr",
    "main", "aside", "nav", "form", "figure", "details", "summary",
}  # fmt: skip
DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "head")
CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "button", "dialog")


class PostingFailed(ImportFailed):
    """The page can't be made into an opportunity; nothing was written."""

    def __init__(self, problem: str):
        super().__init__(problem)


@dataclass
class Posting:
    title: str = ""
    company: str = ""
    location: str = ""
    remote: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    salary_currency: str = ""
    employment_type: str = ""
    date_posted: str = ""
    valid_through: str = ""
    identifier: str = ""
    url: str = ""
    description: str = ""
    source: str = ""  # "JSON-LD", "microdata" or "page text"
    notes: list[str] = field(default_factory=list)

    @property
    def remote_label(self) -> str:
        return Remote(self.remote).label if self.remote in Remote.values else self.remote

    def posting_text(self) -> str:
        """The description with the facts that have no field of their own above it."""
        head = []
        if self.employment_type:
            head.append(f"Employment type: {self.employment_type}")
        if self.date_posted:
            head.append(f"Posted: {self.date_posted}")
        if self.valid_through:
            head.append(f"Apply by: {self.valid_through}")
        if self.identifier:
            head.append(f"Reference: {self.identifier}")
        text = "\n".join(head)
        if self.description:
            text = f"{text}\n\n{self.description}" if text else self.description
        return text


@dataclass
class PostingResult:
    opportunity: Opportunity
    created: bool
    posting: Posting

    def summary(self) -> str:
        verb = "Added" if self.created else "Updated"
        opp = self.opportunity
        return f"{verb} {opp.title!r} at {opp.company.name} (from the posting's {self.posting.source})."


# --- HTML to text ---------------------------------------------------------------------------


def html_to_text(markup: str) -> str:
    """Readable plain text of an HTML fragment or page: paragraphs kept, tags gone."""
    import lxml.html
    from lxml import etree

    markup = (markup or "").strip()
    if not markup:
        return ""
    if "<" not in markup and "&lt;" in markup:
        markup = htmllib.unescape(markup)  # HTML escaped once more inside JSON
    if "<" not in markup:
        return _tidy(htmllib.unescape(markup))
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy(re.sub(r"<[^>]*>", " ", markup))
    return _tidy(_element_text(root))


def _element_text(root) -> str:
    for bad in root.xpath("|".join(f".//{t}" for t in DROP_TAGS)):
        bad.drop_tree()
    for comment in root.xpath(".//comment()"):
        comment.drop_tree() if hasattr(comment, "drop_tree") else None
    parts: list[str] = []
    line, para = "\x01", "\x02"

    def walk(el):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        brk = line if tag in LINE_TAGS else para if tag in BLOCK_TAGS else ""
        parts.append(brk)
        if tag == "li":
            parts.append("• ")
        if tag in ("td", "th"):
            parts.append(" ")
        if isinstance(el.tag, str) and el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        parts.append(brk)

    walk(root)
    text = "".join(parts)
    # A paragraph break is a blank line; a line break (a list item) is a new line.
    text = re.sub(
        r"[\x01\x02]+",
        lambda m: "\n\n" if "\x02" in m.group(0) else "\n",
        re.sub(r"[ \t\r\n]*([\x01\x02])[ \t\r\n]*", r"\1", text),
    )
    return text


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    text = "\n".join(out).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


# --- Structured data ------------------------------------------------------------------------


def _items(data) -> list[dict]:
    """Every dict in JSON-LD (lists, @graph and nesting included)."""
    found = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            found.append(item)
            for key in ("@graph", "mainEntity", "itemListElement", "item"):
                if key in item:
                    stack.append(item[key])
    return found


def _is_job(item: dict) -> bool:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or value.get("value") or "")
    return " ".join(htmllib.unescape(str(value)).split())


def _location(value) -> str:
    places = value if isinstance(value, list) else [value]
    out = []
    for place in places:
        if isinstance(place, dict):
            address = place.get("address", place)
            if isinstance(address, dict):
                bits = [
                    _text(address.get(k))
                    for k in ("addressLocality", "addressRegion", "addressCountry")
                ]
                text = ", ".join(dict.fromkeys(b for b in bits if b))
            else:
                text = _text(address)
            text = text or _text(place.get("name"))
        else:
            text = _text(place)
        if text and text not in out:
            out.append(text)
    return "; ".join(out)


def _number(value) -> Decimal | None:
    """A salary figure, or None for what isn't one: text, Infinity, NaN or 1e7000000."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except ArithmeticError:  # InvalidOperation, and Overflow beyond 1e999999
        return None
    if not number.is_finite() or number.copy_abs() > MAX_SALARY_FIGURE:
        return None
    return number


def _salary(value) -> tuple[int | None, int | None, str]:
    if not isinstance(value, dict):
        number = _number(value)
        return (int(number), int(number), "") if number is not None else (None, None, "")
    currency = _text(value.get("currency")).upper()
    inner = value.get("value", value)
    if isinstance(inner, dict):
        low = _number(inner.get("minValue"))
        high = _number(inner.get("maxValue"))
        single = _number(inner.get("value"))
        unit = _text(inner.get("unitText")).upper()
    else:
        low = high = None
        single = _number(inner)
        unit = _text(value.get("unitText")).upper()
    if low is None and high is None:
        low = high = single
    low = low if low is not None else high
    high = high if high is not None else low
    if low is None or high is None:  # one is None only when both are
        return None, None, ""
    factor = PER_YEAR.get(unit, 1)
    low_i, high_i = int(low * factor), int(high * factor)
    if low_i < 0 or high_i < 0 or low_i > high_i:
        return None, None, ""
    return low_i, high_i, currency


def _from_job(item: dict, source: str) -> Posting:
    p = Posting(source=source)
    p.title = _text(item.get("title") or item.get("name"))
    p.company = _text(item.get("hiringOrganization"))
    p.location = _location(item.get("jobLocation"))
    kind = _text(item.get("jobLocationType")).upper()
    if "TELECOMMUTE" in kind or item.get("applicantLocationRequirements"):
        p.remote = Remote.REMOTE
        if not p.location:
            p.location = _location(item.get("applicantLocationRequirements"))
    salary = item.get("baseSalary") or item.get("estimatedSalary")
    if isinstance(salary, list):
        salary = salary[0] if salary else None
    if salary:
        p.salary_min, p.salary_max, p.salary_currency = _salary(salary)
        if p.salary_min is not None and not p.salary_currency:
            p.salary_currency = _text(item.get("salaryCurrency")).upper()
    employment = item.get("employmentType")
    employment = employment if isinstance(employment, list) else [employment]
    p.employment_type = ", ".join(
        _text(e).replace("_", " ").capitalize() for e in employment if _text(e)
    )
    p.date_posted = _text(item.get("datePosted"))[:10]
    p.valid_through = _text(item.get("validThrough"))[:10]
    identifier = item.get("identifier")
    if isinstance(identifier, dict):
        identifier = identifier.get("value") or identifier.get("name")
    p.identifier = _text(identifier)[:100]
    p.url = _text(item.get("url"))
    p.description = html_to_text(str(item.get("description") or ""))
    return p


def _fallback(markup: str, url: str) -> Posting:
    import lxml.html
    from lxml import etree

    p = Posting(source="page text")
    try:
        doc = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        raise PostingFailed("this is not a web page (no HTML in it)") from None

    def meta(prop):
        values = doc.xpath(f'//meta[@property="{prop}" or @name="{prop}"]/@content')
        return " ".join(values[0].split()) if values else ""

    title = meta("og:title") or " ".join((doc.findtext(".//title") or "").split())
    h1 = doc.xpath("//h1")
    if not title and h1:
        title = " ".join(h1[0].text_content().split())
    title = " ".join(title.split())
    company = meta("og:site_name")
    for sep in (" at ", " | ", " - ", " – ", " — "):
        if sep in title:
            first, _, rest = title.partition(sep)
            if not company:
                company = rest.split(" | ")[0].split(" - ")[0].strip()
            title = first.strip()
            break
    if not company and url:
        host = urlsplit(url).hostname or ""
        labels = [x for x in host.split(".") if x not in ("www", "jobs", "careers", "apply")]
        company = labels[0].capitalize() if labels else ""
    p.title, p.company = title, company
    body = doc.xpath("//main") or doc.xpath("//article") or doc.xpath('//*[@role="main"]')
    body = body or doc.xpath("//body") or [doc]
    root = body[0]
    for chrome in root.xpath("|".join(f".//{t}" for t in CHROME_TAGS)):
        chrome.drop_tree()
    p.description = _tidy(_element_text(root))
    return p


def parse_posting(markup: bytes | str, url: str = "") -> Posting:
    """Read a job posting page; PostingFailed when it has no title or company."""
    import extruct

    if isinstance(markup, bytes):
        markup = _decode(markup)
    if not markup.strip():
        raise PostingFailed("the page is empty")
    if len(markup) > MAX_PAGE:
        raise PostingFailed("the page is larger than 5 MB")
    try:
        data = extruct.extract(
            markup, base_url=url or None, syntaxes=["json-ld", "microdata"], uniform=True,
            errors="ignore",
        )  # fmt: skip
    except Exception:  # noqa: BLE001 - extruct raises many kinds on broken pages
        data = {}
    posting = None
    for syntax, label in (("json-ld", "JSON-LD"), ("microdata", "microdata")):
        jobs = [i for i in _items(data.get(syntax, [])) if _is_job(i)]
        if jobs:
            posting = _from_job(jobs[0], label)
            break
    if posting is None or not posting.title:
        fallback = _fallback(markup, url)
        if posting is None:
            posting = fallback
        else:
            posting.title = posting.title or fallback.title
    if not posting.company:
        posting.company = _fallback(markup, url).company
    if url and not posting.url:
        posting.url = url
    posting.url = _checked_url(posting.url) or _checked_url(url)
    if not posting.title:
        raise PostingFailed("the page has no job title (no JobPosting data and no page title)")
    if not posting.company:
        raise PostingFailed("the page does not say which company is hiring")
    posting.title = _cut(posting.title, 200)
    posting.company = _cut(posting.company, 200)
    posting.location = _cut(posting.location, 200)
    if posting.salary_currency and not _currency_ok(posting.salary_currency):
        posting.salary_min = posting.salary_max = None
        posting.salary_currency = ""
    if posting.salary_max is not None and posting.salary_max > 2_000_000_000:
        posting.salary_min = posting.salary_max = None
        posting.salary_currency = ""
    return posting


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _currency_ok(code: str) -> bool:
    from sayyes.accounts.models import validate_currency

    try:
        validate_currency(code)
    except ValidationError:
        return False
    return True


def _checked_url(url: str) -> str:
    url = (url or "").strip()
    if not url or len(url) > 1000:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


def _decode(data: bytes) -> str:
    head = data[:4096].decode("ascii", errors="ignore")
    match = re.search(r"""charset=["']?([\w-]+)""", head, re.I)
    for encoding in ([match.group(1)] if match else []) + ["utf-8", "cp1252"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


# --- Fetching -------------------------------------------------------------------------------


def fetch(url: str, timeout: float = FETCH_TIMEOUT) -> tuple[bytes, str]:
    """The page at ``url`` (http or https only), at most 5 MB: (body, final URL)."""
    if not _checked_url(url):
        raise PostingFailed(f"{url!r} is not a web address (http:// or https://)")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_PAGE + 1)
            final = response.geturl()
    except OSError as exc:
        reason = getattr(exc, "reason", None) or getattr(exc, "code", None) or exc
        raise PostingFailed(f"could not fetch {url}: {reason}") from None
    if len(body) > MAX_PAGE:
        raise PostingFailed("the page is larger than 5 MB")
    return body, final


# --- Writing --------------------------------------------------------------------------------


def _find(user, posting: Posting) -> Opportunity | None:
    index = opportunity_index(user)
    if posting.url:
        found = find_by_url(index, posting.url)
        if found is not None:
            return found
    if posting.identifier:
        found = (
            Opportunity.objects.owned_by(user)
            .filter(posting_text__contains=f"Reference: {posting.identifier}\n")
            .order_by("id")
            .first()
        ) or (
            Opportunity.objects.owned_by(user)
            .filter(posting_text__endswith=f"Reference: {posting.identifier}")
            .order_by("id")
            .first()
        )
        if found is not None:
            return found
    return find_existing(index, posting.url, posting.company, posting.title)


def import_posting(user, markup: bytes | str, url: str = "") -> PostingResult:
    """Make (or update) ``user``'s opportunity from a posting page."""
    with refused_import(log, user, "posting", ImportFailed):
        return _import_posting(user, markup, url)


def _import_posting(user: Any, markup: bytes | str, url: str) -> PostingResult:
    from sayyes.pipeline.services import get_or_create_company

    posting = parse_posting(markup, url)
    fields: dict[str, object] = {
        "title": posting.title,
        "posting_url": posting.url,
        "posting_text": posting.posting_text(),
        "location": posting.location,
        "remote": posting.remote,
    }
    if posting.salary_min is not None:
        fields.update(
            salary_min=posting.salary_min,
            salary_max=posting.salary_max,
            salary_currency=posting.salary_currency,
        )
    with transaction.atomic():
        try:
            company = get_or_create_company(user, posting.company)
        except ValidationError as exc:
            raise PostingFailed(exc.messages[0]) from None
        found = _find(user, posting)
        now = timezone.now()
        created = found is None
        opp = (
            found
            if found is not None
            else Opportunity(owner=user, status=Status.SAVED, created_at=now, source="posting")
        )
        opp.company = company
        for key, value in fields.items():
            if value not in ("", None) or created:
                setattr(opp, key, value)
        if opp.salary_min is not None and not opp.salary_currency:
            from sayyes.accounts.models import Profile

            opp.salary_currency = Profile.for_user(user).base_currency
        opp.updated_at = now
        try:
            opp.full_clean(exclude=["owner", "company"], validate_unique=False)
        except ValidationError as exc:
            name, messages = next(iter(exc.message_dict.items()))
            raise PostingFailed(f"{name.replace('_', ' ')}: {messages[0]}") from None
        opp.save()
        if created:
            StatusEvent.objects.create(opportunity=opp, status=opp.status, at=now)
    return PostingResult(opp, created, posting)
