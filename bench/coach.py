"""Speed of the answer coach: answers per second and p50/p95 latency by answer length.

    .venv/bin/python bench/coach.py [--runs 300]

Times ``analyse()`` on realistic 50-, 150- and 400-word answers against a ~200-word job
posting. The first call of a process loads spaCy's English pipeline; the first answer against
a posting pays for the posting's key terms; later answers against the same posting hit the
per-posting cache, as they would in real use. The answer's own tagging is cached per text too,
so that cache is cleared before every timed call: every figure is for an answer the coach has
not seen. Both the cold first call and the warm figures are printed. It asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

_t_import = time.perf_counter()
from sayyes.practice.coach import analyse, extract_terms  # noqa: E402
from sayyes.practice.coach.grammar import tag  # noqa: E402

IMPORT_MS = (time.perf_counter() - _t_import) * 1000

QUESTION = "Tell me about a time you handled a production incident."
POSTING = (
    "We are hiring a Site Reliability Engineer to join our platform team in London or remote "
    "within the UK. You will define service level objectives for our core payment services, "
    "own incident response and the on-call rotation, and improve observability across our "
    "Kubernetes clusters. You will automate infrastructure with Terraform and Python, run "
    "blameless postmortems, and work with product engineers on capacity planning before big "
    "launches. What you bring: three or more years of experience in site reliability "
    "engineering, DevOps or backend development; strong Linux and networking fundamentals; "
    "hands-on experience with Kubernetes, Terraform and a major cloud platform (AWS or GCP); "
    "familiarity with monitoring tools such as Prometheus, Grafana and OpenTelemetry; and clear "
    "written communication, especially during incidents. Nice to have: experience leading "
    "incident response for high-traffic systems, defining error budgets with product teams, "
    "and mentoring junior engineers. We offer a competitive salary, a learning budget, "
    "flexible hours and twenty-eight days of holiday. About the team: we are eight engineers "
    "who look after the platform that every product team deploys to, from the build pipeline "
    "to the databases. We value calm incident handling, written decisions, and leaving "
    "systems better documented than we found them."
)
SENTENCES = [
    "Last year I was the on-call engineer at a payments startup when card authorisations "
    "started failing for about a fifth of our customers.",
    "Um, my lead asked me to own the incident and keep the status page updated.",
    "I checked the dashboards, saw the error rate jump right after a deploy, and rolled it "
    "back within ten minutes.",
    "Then I, like, traced the failures to a connection pool that was set too small for the "
    "new traffic.",
    "We raised the pool size, added an alert on saturation, and I wrote a runbook so the next "
    "person would know what to do.",
    "I also ran the blameless postmortem with the team and we agreed three follow-up actions.",
    "As a result, failed authorisations dropped from twenty percent to under 0.1 percent, and "
    "we had no repeat of the incident in the next six months.",
    "You know, the thing I learned was to look at what changed first, before digging into "
    "the code.",
    "Our service level objectives were also rewritten so that the error budget was visible to "
    "the product managers every week.",
    "I think that made the conversations about risk much easier, because everyone could see "
    "the same numbers.",
]


def make_answer(words: int) -> str:
    """A realistic answer of about ``words`` words, built from whole sentences."""
    out: list[str] = []
    count = 0
    i = 0
    while count < words:
        sentence = SENTENCES[i % len(SENTENCES)]
        out.append(sentence)
        count += len(sentence.split())
        i += 1
    text = " ".join(out)
    return " ".join(text.split()[:words])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300, help="timed calls per answer length")
    args = parser.parse_args()

    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"posting {len(POSTING.split())} words, {args.runs} runs per length")  # fmt: skip
    answers = {n: make_answer(n) for n in (50, 150, 400)}

    extract_terms.cache_clear()
    t0 = time.perf_counter()
    analyse(QUESTION, answers[150], duration_seconds=60, posting_text=POSTING)
    cold = (time.perf_counter() - t0) * 1000
    print(f"import: {IMPORT_MS:.0f} ms; first call of the process, posting not cached: "
          f"{cold:.1f} ms")  # fmt: skip
    colds: list[float] = []
    for _ in range(20):
        extract_terms.cache_clear()
        tag.cache_clear()
        t0 = time.perf_counter()
        analyse(QUESTION, answers[150], duration_seconds=60, posting_text=POSTING)
        colds.append((time.perf_counter() - t0) * 1000)
    print(f"first answer against a new posting (cache cleared, 20 runs): "
          f"p50 {statistics.median(colds):.1f} ms, max {max(colds):.1f} ms")  # fmt: skip

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; wall-clock "
          "figures, then the CPU time of the same calls (less sensitive to a busy machine)")  # fmt: skip
    print(f"{'words':>6} {'answers/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
          f"{'cpu p50':>8} {'cpu p95':>8}")  # fmt: skip
    for n, answer in answers.items():
        duration = n / 150 * 60
        for _ in range(5):  # warm-up
            analyse(QUESTION, answer, duration, POSTING, ["connection pool", "runbook"])
        times: list[float] = []
        cpu: list[float] = []
        start = time.perf_counter()
        for _ in range(args.runs):
            tag.cache_clear()
            t, c = time.perf_counter(), time.process_time()
            analyse(QUESTION, answer, duration, POSTING, ["connection pool", "runbook"])
            cpu.append((time.process_time() - c) * 1000)
            times.append((time.perf_counter() - t) * 1000)
        total = time.perf_counter() - start
        print(f"{n:>6} {args.runs / total:>10.0f} {statistics.median(times):>8.2f} "
              f"{percentile(times, 95):>8.2f} {max(times):>8.2f} "
              f"{statistics.median(cpu):>8.2f} {percentile(cpu, 95):>8.2f}")  # fmt: skip
    no_posting = answers[400]
    times = []
    for _ in range(args.runs):
        tag.cache_clear()
        t = time.perf_counter()
        analyse(QUESTION, no_posting)
        times.append((time.perf_counter() - t) * 1000)
    print(f"400 words, no posting: p50 {statistics.median(times):.2f} ms, "
          f"p95 {percentile(times, 95):.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
