"""Running the real `chuhai` command in a subprocess, against the test session's Prefect server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHUHAI = str(Path(sys.executable).parent / "chuhai")


def prefect_env() -> dict[str, str]:
    """This process's environment plus the API url of the running Prefect server (no ephemeral start)."""
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ)
    url = PREFECT_API_URL.value()
    if url:
        env["PREFECT_API_URL"] = url
    env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    return env


def chuhai(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `chuhai ARGS...` and capture its output."""
    return subprocess.run([CHUHAI, *args], capture_output=True, text=True, timeout=timeout, env=env)


def start_chuhai(*args: str, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `chuhai ARGS...` without waiting (for tests that kill it); its output goes to `log`."""
    with log.open("ab") as out:  # a file, not a pipe: a chatty child never blocks on a full pipe
        return subprocess.Popen([CHUHAI, *args], stdout=out, stderr=subprocess.STDOUT, env=env)


PACKAGES = ("flows", "transforms", "warehouse", "sources", "report", "reference")


def freeze_code(target: Path) -> Path:
    """A copy of Chuhai's packages for subprocesses to import (via PYTHONPATH), so that every run of
    one test uses the same code even while the working tree is being edited."""
    root = Path(__file__).resolve().parents[2]
    for name in PACKAGES:
        if (root / name).is_dir():
            shutil.copytree(root / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target
