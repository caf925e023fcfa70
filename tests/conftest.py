"""The fixed cast: alice owns things, bob is the outsider who must never see them."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta

# Tests never touch the real data directory.
os.environ["SAYYES_DATA_DIR"] = tempfile.mkdtemp(prefix="sayyes-test-")
os.environ.pop("SAYYES_ENV", None)

import pytest  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# Property-based tests draw the same examples on every run (`make test` must pass every
# time); `make fuzz` loads the "hunt" profile for long random searches with a printed seed.
hypothesis_settings.register_profile("suite", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile(
    "hunt", max_examples=5_000, derandomize=False, deadline=None, print_blob=True
)
hypothesis_settings.load_profile(os.environ.get("SAYYES_HYPOTHESIS_PROFILE", "suite"))

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def _read_uncommitted_in_memory(sender, connection, **kwargs) -> None:
    """The suite's SQLite database lives in memory with a cache the live server's threads
    share, where a page's read waits on no busy timeout: it fails at once with "database
    table is locked" while the worker thread writes the same table. A real sayyes database
    is a WAL file, whose readers never wait for a writer; read-uncommitted gives the
    in-memory one the same (readers take no table locks)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        connection.connection.execute("PRAGMA read_uncommitted = 1")


connection_created.connect(_read_uncommitted_in_memory)


@pytest.fixture(autouse=True)
def _fast_password_hasher(request, settings):
    """Argon2 costs ~80% of the suite's time: tests use a fast hasher, except those marked
    ``real_hasher`` that check the hashing itself (their users are made after this runs)."""
    if request.node.get_closest_marker("real_hasher") is None:
        settings.PASSWORD_HASHERS = [FAST_HASHER]


@pytest.fixture
def alice(db):
    from sayyes.accounts.services import create_user

    return create_user("alice", "alice@example.com", "correct horse battery staple")


@pytest.fixture
def bob(db):
    from sayyes.accounts.services import create_user

    return create_user("bob", "bob@example.com", "another long passphrase")


@pytest.fixture
def alice_client(alice):
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob):
    client = Client()
    client.force_login(bob)
    return client


@pytest.fixture
def alice_token(alice):
    from sayyes.accounts.services import issue_token

    return issue_token(alice, "tests")


@pytest.fixture
def bob_token(bob):
    from sayyes.accounts.services import issue_token

    return issue_token(bob, "tests")


@pytest.fixture
def opp(alice):
    """alice's opportunity, with one interview and one interviewer."""
    from sayyes.network.models import Contact
    from sayyes.pipeline import services

    opportunity = services.create_opportunity(
        alice,
        company_name="Northwind Analytics",
        title="Data Engineer",
        status="applied",
        posting_text="We need Python and SQL.",
        notes="Referred by Sam.",
    )
    contact = Contact.objects.create(owner=alice, name="Dana Reyes", company=opportunity.company)
    services.create_interview(
        alice,
        opportunity,
        kind="video",
        starts_at=timezone.now() + timedelta(days=2),
        timezone="Europe/Paris",
        duration_minutes=45,
        interviewer_ids=[contact.pk],
    )
    return opportunity


@pytest.fixture
def interview(opp):
    return opp.interviews.get()


def api(client: Client, method: str, path: str, token: str | None = None, json=None, **extra):
    """Call the API with a JSON body and, when given, a bearer token."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    kwargs = {"content_type": "application/json"} if json is not None else {}
    if json is not None:
        import json as jsonlib

        kwargs["data"] = jsonlib.dumps(json)
    return getattr(client, method.lower())(f"/api/v1{path}", **kwargs, **headers, **extra)


# --- Voice practice: recordings spoken by espeak-ng at test time ---------------------------------

SPOKEN = (
    "Um, in my last job our team had too many bugs. I wrote a plan and we fixed them in two weeks.",
    "Uh, after that the number of bugs went down by half, and customers were happy.",
)
PAUSE_SECONDS = 2.0


@pytest.fixture(scope="session")
def recordings(tmp_path_factory):
    """Small recordings: two spoken sentences with a 2 s pause between them, as WAV and WebM."""
    from tests.audio import make_recordings

    return make_recordings(tmp_path_factory.mktemp("recordings"))


@pytest.fixture(autouse=True)
def _data_dir_per_test(settings, tmp_path_factory):
    """Django reads its settings before this file sets SAYYES_DATA_DIR, so DATA_DIR would be
    the real data folder: give each test a folder of its own (recordings are written there)."""
    settings.DATA_DIR = tmp_path_factory.mktemp("data")
