"""Shared fixtures: one Prefect test server for the whole session, sample paths, scratch warehouses."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = Path(os.environ.get("CHUHAI_SHARED", ROOT.parent / "shared"))

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


@pytest.fixture(scope="session")
def prefect_server():
    """A temporary Prefect server (started once: each start costs several seconds)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def samples_copy(tmp_path: Path) -> Path:
    """A private copy of the sample corpus that a test may modify."""
    target = tmp_path / "samples"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture
def shared_dir() -> Path:
    """../shared (gold articles, benchmarks); tests that need it skip without it."""
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is not present")
    return SHARED
