"""Finding 14: `sayyes serve` behind a reverse proxy in production. X-Forwarded-* is believed
from SAYYES_TRUSTED_PROXY only, so HTTPS is seen as HTTPS (no redirect loop), and a client
that forges the header is not believed."""

from __future__ import annotations

import http.client
import time

import pytest

from sayyes.conf import ConfigError, trusted_proxy
from tests.test_cli import Server

PRODUCTION = {
    "SAYYES_ENV": "production",
    "SAYYES_SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-production-use-1234",
    "SAYYES_ALLOWED_HOSTS": "127.0.0.1,jobs.example.org",
    "SAYYES_BEHIND_PROXY": "true",
}


def _get(server: Server, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _started(server: Server, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.proc.poll() is None, "".join(server.err)
        try:
            _get(server, "/healthz", {})
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("sayyes serve never answered")


@pytest.fixture
def serve(tmp_path):
    started: list[Server] = []

    def start(proxy: str) -> Server:
        srv = Server(tmp_path, SAYYES_TRUSTED_PROXY=proxy, **PRODUCTION)
        started.append(srv)
        _started(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


def test_behind_the_trusted_proxy_https_is_https_and_nothing_loops(serve):
    srv = serve("127.0.0.1")
    response = _get(srv, "/login/", {"Host": "jobs.example.org", **HTTPS})
    assert response.status == 200
    assert "Strict-Transport-Security" in response.headers  # Django saw a secure request
    # Plain HTTP through the proxy still goes to HTTPS, once.
    plain = _get(srv, "/login/", {"Host": "jobs.example.org", "X-Forwarded-Proto": "http"})
    assert plain.status == 301
    assert plain.headers["Location"] == "https://jobs.example.org/login/"
    # The proxy's forwarded host is believed too.
    forwarded = _get(srv, "/login/", {"X-Forwarded-Host": "jobs.example.org", **HTTPS})
    assert forwarded.status == 200


def test_a_forged_header_from_anyone_else_is_not_believed(serve):
    srv = serve("127.0.0.2")  # the proxy is elsewhere: this test's client is not it
    response = _get(srv, "/login/", {"Host": "jobs.example.org", **HTTPS})
    assert response.status == 301
    assert response.headers["Location"].startswith("https://")


@pytest.mark.parametrize(
    "value,expected",
    [("127.0.0.1", "127.0.0.1"), (" ::1 ", "::1"), ("*", "*"), ("", None), (None, None)],
)
def test_the_setting_takes_an_address_or_a_star(value, expected):
    assert trusted_proxy(value) == expected


@pytest.mark.parametrize("value", ["proxy.local", "10.0.0.0/8", "yes"])
def test_the_setting_refuses_anything_else(value):
    with pytest.raises(ConfigError, match="SAYYES_TRUSTED_PROXY"):
        trusted_proxy(value)
