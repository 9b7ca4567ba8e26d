"""Fixtures for the import reader tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def locate_shared(shared: Path = SHARED) -> Path:
    """`shared` if its export fixtures exist; else skip, or fail when CI is `true`."""
    if not (shared / "fixtures" / "exports").is_dir():
        msg = f"shared fixtures not found at {shared}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg + " (CI=true: shared/ must be present)")
        pytest.skip(msg)
    return shared


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the project root; skipped when absent, except under CI=true."""
    return locate_shared()


@pytest.fixture(scope="session")
def exports(shared_dir: Path) -> Path:
    """The folder of real export fixtures."""
    return shared_dir / "fixtures" / "exports"
