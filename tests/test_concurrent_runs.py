"""Two runs started together on one warehouse: both complete, one after the other.

Two `ingest-sources` flow runs (two processes, as two scheduled runs would be) on a real
Prefect server load the same warehouse file. Each crawls a fast page and a slow one, and
the slow page keeps the first run writing for SLOW_SECONDS, so the second run reaches
the warehouse while the first still holds it: it must wait for the write slot (Prefect
concurrency limit named after the file) and then complete, not fail on DuckDB's lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from local_site import Route, Site, article

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SLOW_SECONDS = 12.0
RUN = """
import sys
from flows.deployments import ingest_sources
state = ingest_sources(sources_file=sys.argv[1], db=sys.argv[2], allow_hosts=["127.0.0.1", "localhost"],
                       return_state=True)
print("RUN", state.state_details.flow_run_id, state.type.value)
"""


def start_run(sources: Path, db: Path, home: Path, api_url: str) -> subprocess.Popen:
    """One ingest-sources flow run in its own process, reporting to the test server."""
    env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_HOME": str(home), "PREFECT_LOGGING_LEVEL": "INFO"}
    return subprocess.Popen([sys.executable, "-c", RUN, str(sources), str(db)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def slot_window(client, flow_run_id: str) -> tuple[float, float, float]:
    """When a run held the write slot (acquired, released) and how long it waited for it."""
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.client.schemas.sorting import LogSort

    deadline = time.monotonic() + 30
    while True:  # the last log batch may reach the API after the final state
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])),
                                sort=LogSort.TIMESTAMP_ASC, limit=200)
        stamps = {}
        for log in logs:
            for marker in ("taking the write slot", "after waiting", "released the write slot"):
                if marker in log.message:
                    stamps[marker] = log.timestamp.timestamp()
        if "released the write slot" in stamps or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert "taking the write slot" in stamps and "released the write slot" in stamps, [m.message for m in logs]
    acquired = stamps.get("after waiting", stamps["taking the write slot"])
    return acquired, stamps["released the write slot"], acquired - stamps["taking the write slot"]


def test_two_runs_on_one_warehouse_take_turns(prefect_server, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    db = tmp_path / "w.duckdb"
    with Site() as site:
        site.routes["/fast.html"] = Route(article("Temu美国GMV", "2023年，Temu在美国的GMV达到150亿美元。"))
        site.routes["/slow.html"] = Route(article("SHEIN巴西", "2024年，SHEIN在巴西的GMV达到20亿美元。"),
                                          delay=SLOW_SECONDS)
        sources = tmp_path / "sources.yaml"
        sources.write_text(  # two hosts (one server), so the slow page does not queue the fast one
            "delay: 0\nsources:\n"
            f"  a-fast:\n    pages: [{site.base('127.0.0.1')}/fast.html]\n"
            f"  b-slow:\n    pages: [{site.base('localhost')}/slow.html]\n", encoding="utf-8")
        runs = [start_run(sources, db, tmp_path / f"home-{i}", PREFECT_API_URL.value()) for i in range(2)]
        outputs = [run.communicate(timeout=300)[0] for run in runs]
    finals = [line.split() for out in outputs for line in out.splitlines() if line.startswith("RUN ")]
    assert [state for _, _, state in finals] == ["COMPLETED", "COMPLETED"], outputs

    with get_client(sync_client=True) as client:
        windows = sorted(slot_window(client, run_id) for _, run_id, _ in finals)
    (first_in, first_out, first_waited), (second_in, second_out, second_waited) = windows
    assert first_out <= second_in, windows  # never two writers at once
    # the second really found the slot taken (the first may log a short wait on a busy server)
    assert second_waited >= SLOW_SECONDS / 3 and second_waited > first_waited, windows
    assert second_in - first_in >= SLOW_SECONDS / 2, windows

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.sql("select count(*) from articles").fetchall()[0][0] == 2
        assert con.sql("select count(*) from ingest_errors").fetchall()[0][0] == 0
    finally:
        con.close()
    assert "Traceback" not in "".join(outputs)
