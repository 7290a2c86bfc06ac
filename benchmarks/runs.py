"""One `chuhai ingest` process, timed from outside and sampled for memory while it runs."""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
# `python -m flows.cli` is the `chuhai` console script; with PYTHONPATH it runs this checkout's code,
# so the benchmark can run from a snapshot of a commit while others edit the working tree
CHUHAI = [sys.executable, "-m", "flows.cli"]
SAMPLE_EVERY = 0.05  # seconds between RSS samples of the process tree
SERVER_MARKERS = ("uvicorn", "prefect.server")


@dataclass(slots=True)
class IngestRun:
    """Wall time of the process, the flow's own time and summary, and peak memory of the tree."""

    wall: float
    elapsed: float
    workers: int
    summary: dict = field(repr=False)
    peak_rss: int = 0  # sum over every process of the run, at the worst moment
    peak_rss_ingest: int = 0  # the chuhai process and its parse workers
    peak_rss_server: int = 0  # Prefect's temporary API server

    def as_dict(self) -> dict:
        """Plain data for the JSON report (without the error list, which can be long)."""
        out = asdict(self)
        out["summary"] = {k: v for k, v in self.summary.items() if k != "errors"}
        return out


def _is_server(proc: psutil.Process) -> bool:
    """True for the Prefect API server the run starts (it is not part of the pipeline's memory)."""
    try:
        cmdline = " ".join(proc.cmdline())
    except psutil.Error:
        return False
    return any(marker in cmdline for marker in SERVER_MARKERS)


def _sample(root: psutil.Process) -> tuple[int, int]:
    """(RSS of the ingest process and its workers, RSS of the Prefect server) right now."""
    ingest = server = 0
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for proc in procs:
        try:
            rss = proc.memory_info().rss
        except psutil.Error:
            continue
        if _is_server(proc):
            server += rss
        else:
            ingest += rss
    return ingest, server


def run_ingest(folder: Path, db: Path, workers: int, batch_size: int | None, log: Path) -> IngestRun:
    """Run `chuhai ingest FOLDER --db DB --json` (this checkout's code) and measure it; raises if it fails."""
    cmd = [*CHUHAI, "ingest", str(folder), "--db", str(db), "--json", "--workers", str(workers)]
    if batch_size:
        cmd += ["--batch-size", str(batch_size)]
    out_path = log.with_suffix(".json")
    env = os.environ | {"PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
                        "PYTHONPATH": str(REPO)}
    peak = peak_ingest = peak_server = 0
    with open(out_path, "wb") as out, open(log, "wb") as err:
        started = time.perf_counter()
        proc = psutil.Popen(cmd, stdout=out, stderr=err, env=env, cwd=REPO)
        while proc.poll() is None:
            ingest, server = _sample(proc)
            peak = max(peak, ingest + server)
            peak_ingest, peak_server = max(peak_ingest, ingest), max(peak_server, server)
            time.sleep(SAMPLE_EVERY)
        wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}); see {log}:\n{log.read_text()[-3000:]}")
    summary = json.loads(out_path.read_text().strip().splitlines()[-1])
    return IngestRun(wall=wall, elapsed=summary.get("elapsed") or wall, workers=workers, summary=summary,
                     peak_rss=peak, peak_rss_ingest=peak_ingest, peak_rss_server=peak_server)
