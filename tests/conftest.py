"""Shared fixtures: where the demo corpus and the optional ../shared reference data live."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
SHARED = ROOT.parent / "shared"

# Tests assert behaviour, never timings: Hypothesis's per-example deadline (200 ms) is off. A
# decode property test failed once on a busy machine and passed on every rerun. Tests that set
# their own settings keep them; this changes only the default deadline.
settings.register_profile("newslab", deadline=None)
settings.load_profile("newslab")


def load_generate() -> ModuleType:
    """Import ``benchmarks/generate.py`` (not a package) once, as ``newslab_bench_generate``."""
    name = "newslab_bench_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared, skipping the calling test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data not present: {path}")
    return path


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    """The demo corpus folder shipped in data/demo."""
    return DEMO


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """../shared/seeds (the test is skipped when it is absent)."""
    return shared_path("seeds")
