"""A run killed with SIGKILL while it holds the write slot does not make the next run wait for its lease.

A real `ingest-sources` flow run, in its own process on the session's Prefect server, takes
the warehouse's write slot, then waits on a slow page while holding it. The test kills it
with SIGKILL (no `finally`, no release, as when a worker crashes) and at once starts the
next run on the same warehouse. Without a living holder behind the lease, the next run must
free the slot and take it within seconds, not after the LEASE_SECONDS (300 s) the server
would otherwise keep it; then the slot is free again and the warehouse holds its page.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from local_site import Route, Site, article

from flows.warehouse_lock import LEASE_SECONDS, holder_file, limit_name

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SLOW_SECONDS = 120.0  # the killed run would hold the slot this long; it never gets there
HOLD_TIMEOUT = 180.0
RUN = """
import sys
from flows.deployments import ingest_sources
state = ingest_sources(sources_file=sys.argv[1], db=sys.argv[2], allow_hosts=["127.0.0.1", "localhost"],
                       return_state=True)
print("RUN", state.state_details.flow_run_id, state.type.value, flush=True)
"""


def start_run(sources: Path, db: Path, home: Path, api_url: str, log: Path) -> subprocess.Popen:
    """One ingest-sources flow run in its own process, reporting to the test server (output to a file)."""
    env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_HOME": str(home), "PREFECT_LOGGING_LEVEL": "INFO"}
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-c", RUN, str(sources), str(db)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)


def active_slots(client, db: Path) -> int:
    """Slots of the warehouse's write limit in use (0 when the limit does not exist yet)."""
    from prefect.exceptions import ObjectNotFound

    try:
        return client.read_global_concurrency_limit_by_name(limit_name(db)).active_slots
    except ObjectNotFound:
        return 0


def wait_until_holding(client, db: Path, holder: subprocess.Popen, log: Path) -> None:
    """Until the holder has the slot and has written its lease id beside the warehouse."""
    deadline = time.monotonic() + HOLD_TIMEOUT
    record = holder_file(db)
    while not (active_slots(client, db) == 1 and record.exists() and record.read_text().strip()):
        assert holder.poll() is None, f"the holding run ended early:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"the run never took the slot:\n{log.read_text()}"
        time.sleep(0.2)


def run_logs(client, flow_run_id: str, until: str) -> list[tuple[float, str]]:
    """(timestamp, message) of a flow run's logs, once one contains `until` (the last batch may lag)."""
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.client.schemas.sorting import LogSort

    deadline = time.monotonic() + 30
    while True:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])),
                                sort=LogSort.TIMESTAMP_ASC, limit=200)
        found = [(log.timestamp.timestamp(), log.message) for log in logs]
        if any(until in m for _, m in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def stamp(logs: list[tuple[float, str]], marker: str) -> float:
    """When the first log line containing `marker` was written."""
    found = [t for t, m in logs if marker in m]
    assert found, (marker, [m for _, m in logs])
    return found[0]


def test_a_run_killed_holding_the_slot_frees_it_for_the_next_run_at_once(prefect_server, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    db = tmp_path / "w.duckdb"
    api = PREFECT_API_URL.value()
    with Site() as site, get_client(sync_client=True) as client:
        site.routes["/first.html"] = Route(article("Temu美国GMV", "2023年，Temu在美国的GMV达到150亿美元。"))
        site.routes["/slow.html"] = Route(article("SHEIN巴西", "2024年，SHEIN在巴西的GMV达到20亿美元。"),
                                          delay=SLOW_SECONDS)
        site.routes["/next.html"] = Route(article("TikTok Shop印尼", "2024年，TikTok Shop在印尼的GMV达到60亿美元。"))
        holding = tmp_path / "holding.yaml"  # the first source loads (the slot is taken), the slow one keeps it
        holding.write_text("delay: 0\nsources:\n"
                           f"  a-first:\n    pages: [{site.base('127.0.0.1')}/first.html]\n"
                           f"  b-slow:\n    pages: [{site.base('localhost')}/slow.html]\n", encoding="utf-8")
        following = tmp_path / "next.yaml"
        following.write_text(f"delay: 0\nsources:\n  next:\n    pages: [{site.base()}/next.html]\n", encoding="utf-8")

        holder = start_run(holding, db, tmp_path / "home-1", api, tmp_path / "holder.log")
        try:
            wait_until_holding(client, db, holder, tmp_path / "holder.log")
        finally:
            holder.send_signal(signal.SIGKILL)  # kill -9: no finally block runs, the lease is not given back
            holder.wait(30)
        assert holder.returncode == -signal.SIGKILL
        assert active_slots(client, db) == 1  # the server still counts the dead run's lease

        killed_at = time.monotonic()
        following_run = start_run(following, db, tmp_path / "home-2", api, tmp_path / "next.log")
        following_run.wait(LEASE_SECONDS)
        took = time.monotonic() - killed_at
        output = (tmp_path / "next.log").read_text()
        (run_id, state), = [line.split()[1:] for line in output.splitlines() if line.startswith("RUN ")]
        assert state == "COMPLETED", output
        logs = run_logs(client, run_id, until="released the write slot")
        assert active_slots(client, db) == 0

    waited = stamp(logs, "freed the write slot") - stamp(logs, "taking the write slot")
    assert waited < 30, f"waited {waited:.1f} s for the slot of a killed run"
    assert took < LEASE_SECONDS / 3, f"the next run took {took:.0f} s"
    assert "released the write slot" in " ".join(m for _, m in logs)
    assert not holder_file(db).read_text().strip()  # the next run released its own lease
    con = duckdb.connect(str(db), read_only=True)
    try:
        urls = {url.rsplit("/", 1)[-1] for (url,) in con.sql("select url from articles").fetchall()}
    finally:
        con.close()
    assert urls == {"next.html"}  # the killed run published nothing
