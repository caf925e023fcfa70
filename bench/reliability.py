"""The README's Reliability table: attempts and failures per category, measured by the suite.

    .venv/bin/python bench/reliability.py [--fuzz-examples 20] [--crash-kills 20] [--skip-crash]

Runs the tests of each category with pytest (in this process) and counts, while they run:

- requests the app answered (Django's request_started signal), and among them server
  errors (got_request_exception: an exception that would have been a 500);
- hostile inputs tried (each parametrized case of the hostile-file tests is one file);
- test failures (a failure is an attempt that got through: a 500, another user's data,
  a hostile file accepted, a write lost, a job stuck, a limit passed).

The crash test reports its kills and acknowledged writes through SAYYES_CRASH_REPORT.
It prints a Markdown table and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CATEGORIES: dict[str, list[str]] = {
    "API fuzzing": ["tests/test_api_schemathesis.py", "tests/test_api_input.py",
                    "tests/test_id_lists.py"],
    "Cross-user": ["tests/test_guard_ownership.py", "tests/test_meta_ownership.py",
                   "tests/test_cli_ownership.py"],
    "Hostile files": ["tests/test_archive_limits.py", "tests/test_spreadsheet_limits.py",
                      "tests/test_archive_validation.py", "tests/test_archive.py"],
    "Concurrency": ["tests/test_login_race.py", "tests/test_backup.py::"
                    "test_a_backup_taken_during_writes_restores_consistently"],
    "Crash test": ["tests/test_crash.py"],
}  # fmt: skip


@dataclass
class Tally:
    tests: int = 0
    failed: list[str] = field(default_factory=list)
    requests: int = 0
    server_errors: int = 0
    seconds: float = 0.0


class Counter:
    """A pytest plugin counting outcomes, and the app's requests and server errors."""

    def __init__(self, tally: Tally):
        self.tally = tally

    def pytest_sessionstart(self, session):
        from django.core.signals import got_request_exception, request_started

        request_started.connect(self._request, weak=False)
        got_request_exception.connect(self._error, weak=False)

    def _request(self, **kwargs):
        self.tally.requests += 1

    def _error(self, **kwargs):
        self.tally.server_errors += 1

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or (report.when == "setup" and report.failed):
            if report.passed:
                self.tally.tests += 1
            elif report.failed:
                self.tally.tests += 1
                self.tally.failed.append(report.nodeid)


def run(paths: list[str], extra: list[str]) -> Tally:
    import pytest

    tally = Tally()
    started = time.monotonic()
    pytest.main([*paths, "-q", "-p", "no:cacheprovider", *extra], plugins=[Counter(tally)])
    tally.seconds = time.monotonic() - started
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz-examples", type=int, default=20)
    parser.add_argument("--crash-kills", type=int, default=20)
    parser.add_argument("--skip-crash", action="store_true")
    args = parser.parse_args()
    os.chdir(ROOT)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.pop("DATABASE_URL", None)
    os.environ["SAYYES_FUZZ_EXAMPLES"] = str(args.fuzz_examples)
    os.environ["SAYYES_CRASH_KILLS"] = str(args.crash_kills)
    report = Path(tempfile.mkdtemp(prefix="sayyes-reliability-")) / "crash.json"
    os.environ["SAYYES_CRASH_REPORT"] = str(report)

    rows = []
    for name, paths in CATEGORIES.items():
        if name == "Crash test" and args.skip_crash:
            continue
        tally = run(paths, ["-s"] if name == "Crash test" else [])
        if name == "Crash test" and report.exists():
            crash = json.loads(report.read_text())
            attempts = (
                f"{crash['kills']} kills with SIGKILL; {crash['acknowledged_writes']:,} "
                f"acknowledged API writes, {crash['recordings']} recordings, "
                f"{crash['imports']} of {crash['tried_imports']} imports acknowledged"
            )
        elif name == "Hostile files" or name == "Concurrency":
            attempts = f"{tally.tests} cases ({tally.requests:,} requests)"
        else:
            attempts = f"{tally.requests:,} requests in {tally.tests} tests"
        failures = len(tally.failed) + (tally.server_errors if name == "API fuzzing" else 0)
        rows.append((name, attempts, failures, tally))

    print("\n| Category | Attempts | Failures | Time |")
    print("|---|---|---|---|")
    for name, attempts, failures, tally in rows:
        print(f"| {name} | {attempts} | {failures} | {tally.seconds:.0f} s |")
    for name, _attempts, _failures, tally in rows:
        for nodeid in tally.failed:
            print(f"FAILED in {name}: {nodeid}")
        if tally.server_errors:
            print(f"{name}: {tally.server_errors} server errors (500) while its tests ran")


if __name__ == "__main__":
    main()
