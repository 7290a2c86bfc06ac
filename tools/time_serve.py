"""Measure `chuhai serve`: server start (cold and warm), and an empty scheduled run end to end.

    .venv/bin/python tools/time_serve.py [--port 4299]

Starts `chuhai serve` twice on a temporary PREFECT_HOME (first start creates the database,
second reuses it), schedules one `ingest-sources` run a few seconds ahead with the
project's sources.yaml (no sources configured: the run has nothing to fetch), and prints
when it was picked up, started and finished. Nothing is written under the project.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start(port: int, home: Path) -> tuple[subprocess.Popen, list[str], float]:
    """`chuhai serve` until its ready line; returns the process, its output and seconds to ready."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--port", str(port),
                                "--prefect-home", str(home)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, bufsize=1,
                               env={**os.environ, "PREFECT_LOGGING_LEVEL": "INFO"})
    lines: list[str] = []
    threading.Thread(target=lambda: [lines.append(x.rstrip()) for x in process.stdout], daemon=True).start()
    while not any("ready:" in x for x in lines):
        if process.poll() is not None:
            sys.exit("chuhai serve exited:\n" + "\n".join(lines))
        time.sleep(0.1)
    return process, lines, time.monotonic() - started


def stop(process: subprocess.Popen) -> float:
    """Ctrl-C; seconds until it exited."""
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    process.wait(120)
    return time.monotonic() - started


def scheduled_run(port: int, db: Path) -> dict[str, float]:
    """One ingest-sources run scheduled 5 s ahead; seconds from its scheduled time to each step."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.states import Scheduled

    with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{port}/api"}):
        with get_client(sync_client=True) as client:
            deployment = client.read_deployment_by_name("ingest-sources/ingest-sources")
            due = datetime.now(UTC) + timedelta(seconds=5)
            run = client.create_flow_run_from_deployment(deployment.id, parameters={"db": str(db)},
                                                         state=Scheduled(scheduled_time=due))
            while not (run := client.read_flow_run(run.id)).state.is_final():
                time.sleep(0.5)
    assert run.state.is_completed(), run.state
    return {"picked up and started (scheduled -> flow start)": (run.start_time - due).total_seconds(),
            "flow body (start -> end)": (run.end_time - run.start_time).total_seconds(),
            "end to end (scheduled -> Completed)": (run.end_time - due).total_seconds()}


def main() -> None:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=4299)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "prefect-home"
        for label in ("cold (new PREFECT_HOME)", "warm (existing PREFECT_HOME)"):
            process, lines, ready = start(args.port, home)
            server = next(x for x in lines if "server up in" in x).split("server up in")[1].strip()
            print(f"{label}: server up in {server}; ready (deployed, worker started) after {ready:.1f} s")
            if label.startswith("warm"):
                for step, seconds in scheduled_run(args.port, Path(tmp) / "w.duckdb").items():
                    print(f"  empty scheduled ingest-sources run, {step}: {seconds:.1f} s")
            print(f"  stopped in {stop(process):.1f} s after Ctrl-C")


if __name__ == "__main__":
    main()
