"""Finding the opportunity an imported row or posting is about, so a re-import updates it."""

from __future__ import annotations

from urllib.parse import urlsplit

from sayyes.pipeline.models import Opportunity


def url_key(url: str) -> str:
    """Scheme, ``www.``, a trailing slash and the fragment don't make another posting."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def _fold(text: str) -> str:
    return " ".join((text or "").split()).casefold()


class Index:
    def __init__(self) -> None:
        self.by_url: dict[str, Opportunity] = {}
        self.by_name: dict[tuple[str, str], Opportunity] = {}

    def add(self, opp: Opportunity, company_name: str) -> None:
        key = url_key(opp.posting_url)
        if key:
            self.by_url.setdefault(key, opp)
        self.by_name.setdefault((_fold(company_name), _fold(opp.title)), opp)


def opportunity_index(user) -> Index:
    index = Index()
    for opp in Opportunity.objects.owned_by(user).select_related("company").order_by("id"):
        index.add(opp, opp.company.name)
    return index


def find_existing(index: Index, url: str, company: str, title: str) -> Opportunity | None:
    """Same posting URL, else same company and title (case and spacing ignored)."""
    key = url_key(url)
    if key and key in index.by_url:
        return index.by_url[key]
    found = index.by_name.get((_fold(company), _fold(title)))
    if found is not None and key and found.posting_url and url_key(found.posting_url) != key:
        return None  # same title at the same company, but another posting
    return found


def find_by_url(index: Index, url: str) -> Opportunity | None:
    key = url_key(url)
    return index.by_url.get(key) if key else None
