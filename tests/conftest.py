"""Shared test helpers: where the project and ../shared are, and the CI rule for skips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# As every workflow script does, load reviewflow before any test module imports openpyxl: it keeps
# openpyxl on the standard library's XML (reviewflow/__init__.py), so tests see what the workflow writes.
import reviewflow  # noqa: F401

# No test reaches the internet: HTTP clients (and the workflows tests start) refuse non-loopback hosts.
os.environ["REVIEWFLOW_LOOPBACK_ONLY"] = "1"

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def need(path: Path, what: str) -> Path:
    """Skip when `path` is absent on a user's machine; under CI=true, fail instead."""
    if not path.exists():
        msg = f"{what} not found at {path}"
        if in_ci():
            pytest.fail(f"{msg} (CI=true: tests that need it must run)")
        pytest.skip(msg)
    return path


@pytest.fixture
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def small_demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The small generated review (tests/e2e) run once through the workflow: (project, output).

    Shared by the end-to-end and fault tests, which only read it or copy it: a full run is the
    dearest thing in the suite."""
    from .e2e.test_workflow import make_project, run_ok

    root = make_project(tmp_path_factory.mktemp("review"))
    return root, run_ok(root)
