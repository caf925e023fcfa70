"""Peak memory of the archive export and import (issue 18's target: at most 250 MB at
scale 200), each in a process of its own so the figure is that work's alone.

    .venv/bin/python bench/archive_memory.py [--scale 50] [--data-dir DIR]

Without ``--data-dir`` it makes a fresh data directory and fills one account with
``sayyes demo --scale N``; with one, it uses the first account of that (SQLite) data
directory as it is. Then it exports that account's archive to a file, imports it into a new
account, and prints each step's time and the process's peak resident memory (ru_maxrss)
above what Django alone takes. It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

STEP = """
import json, os, resource, sys, time, django
django.setup()
from django.contrib.auth import get_user_model
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
step, path, scale = sys.argv[1], sys.argv[2], int(sys.argv[3])
User = get_user_model()
started = time.perf_counter()
if step == "fill":
    from django.core.management import call_command
    from sayyes.demo import fill_demo
    call_command("migrate", verbosity=0)
    fill_demo(User.objects.create_user("bench"), scale=scale)
elif step == "export":
    from sayyes.portability.archive import export_archive
    with open(path, "wb") as out:
        export_archive(User.objects.order_by("id").first(), out)
else:
    from sayyes.portability.archive import import_archive
    with open(path, "rb") as source:
        import_archive(User.objects.create_user(f"imported{time.time_ns()}"), source)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": time.perf_counter() - started, "base_mb": base / 1024,
                  "peak_mb": peak / 1024}))
"""


def _run(step: str, data_dir: str, path: str, scale: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAYYES_")}
    env.pop("DATABASE_URL", None)
    env.update(SAYYES_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="sayyes.settings",
               PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")])))  # fmt: skip
    done = subprocess.run([sys.executable, "-c", STEP, step, path, str(scale)], env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"bench/archive_memory.py: {step} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--data-dir", default=None, help="an existing SQLite data directory")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="sayyes-archive-mem-")
    archive = tempfile.mktemp(suffix=".zip")
    try:
        if not args.data_dir:
            fill = _run("fill", data_dir, archive, args.scale)
            print(f"sayyes demo --scale {args.scale}: {fill['seconds']:.0f} s")
        for step in ("export", "import"):
            r = _run(step, data_dir, archive, args.scale)
            size = f", {os.path.getsize(archive) / 1e6:.1f} MB zip" if step == "export" else ""
            print(f"{step}: {r['seconds']:.1f} s, peak {r['peak_mb']:.0f} MB "
                  f"({r['peak_mb'] - r['base_mb']:.0f} MB above Django's {r['base_mb']:.0f}){size}")  # fmt: skip
    finally:
        if os.path.exists(archive):
            os.unlink(archive)
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
