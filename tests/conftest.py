"""Shared fixtures: where the demo corpus and the optional ../shared reference data live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
SHARED = ROOT.parent / "shared"


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
