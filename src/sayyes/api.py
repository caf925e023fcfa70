"""The JSON API under /api/v1/: one NinjaAPI object collecting one router per app."""

from __future__ import annotations

from datetime import datetime

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, SessionAuth

from sayyes import __version__
from sayyes.accounts.api import router as accounts_router
from sayyes.accounts.models import ApiToken
from sayyes.agenda.api import router as agenda_router
from sayyes.core.api import install_error_handlers
from sayyes.invitations.api import router as invitations_router
from sayyes.journal.api import router as journal_router
from sayyes.network.api import router as network_router
from sayyes.offers.api import router as offers_router
from sayyes.pipeline.api import router as pipeline_router
from sayyes.practice.api import router as practice_router
from sayyes.practice.mocks.api import router as mocks_router
from sayyes.triage.api import router as triage_router


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        return ApiToken.authenticate(token)


class Session(SessionAuth):
    """The browser's session; unsafe methods need the CSRF token, as in forms."""


class Encoder(NinjaJSONEncoder):
    """Datetimes in full: Django's encoder would cut them to milliseconds, so a time sent
    with microseconds would not read back as the same instant."""

    def default(self, o):
        if isinstance(o, datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Renderer(JSONRenderer):
    encoder_class = Encoder


api = NinjaAPI(
    title="sayyes API",
    version="1",
    description=(
        "Your pipeline as JSON. Authenticate with the browser session (send the CSRF token on "
        "writes) or with `Authorization: Bearer <token>` from `sayyes user token NAME`. Lists are "
        '`{"items": [...], "count": N}` with `limit`/`offset`; errors are `{"detail": ...}`.'
    ),
    auth=[BearerToken(), Session()],
    urls_namespace="api",
    renderer=Renderer(),
)
# The journal first: its /companies/compare must match before /companies/{company_id}.
api.add_router("/", journal_router)
api.add_router("/", pipeline_router)
api.add_router("/", practice_router)
api.add_router("/", mocks_router)
api.add_router("/", network_router)
api.add_router("/", agenda_router)
api.add_router("/", triage_router)
api.add_router("/", offers_router)
api.add_router("/", accounts_router)
api.add_router("/", invitations_router)


install_error_handlers(api)


@api.get("/version", auth=None, tags=["meta"])
def version(request):
    return {"version": __version__}
