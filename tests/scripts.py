"""The project's scripts (``scripts/*.py``), imported as modules for their tests."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def script(name: str) -> ModuleType:
    """``scripts/<name>.py``, imported once (and registered in ``sys.modules``, which its
    dataclasses look their module up in)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
