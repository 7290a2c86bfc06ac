"""`chuhai serve` end to end: a real Prefect server and UI, the deployments of prefect.yaml, a worker.

One `chuhai serve` on a free loopback port with a temporary PREFECT_HOME serves the whole
module; the ingest-sources deployment is triggered through the Prefect client against a
news site on 127.0.0.1, and the tests read back the run's state, logs and artifacts, the
warehouse rows, and the UI's answer. The last test stops it with Ctrl-C (SIGINT).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import httpx
import pytest
from local_site import Route, Site, article, rss

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 300.0
RUN_TIMEOUT = 300.0
GOOD_PAGES = {
    "/news/temu-us.html": ("Temu美国GMV", "2023年，Temu在美国的GMV达到150亿美元。"),
    "/news/shein-br.html": ("SHEIN巴西", "2024年，SHEIN在巴西的GMV达到20亿美元。"),
}
MISSING_PAGE = "/news/missing.html"


@dataclass
class Served:
    """A running `chuhai serve` and what it printed."""

    process: subprocess.Popen
    url: str
    home: Path
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)


def free_port() -> int:
    """A port nothing listens on (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_serve(home: Path) -> Served:
    """Start `chuhai serve` and wait for its ready line."""
    port = free_port()
    env = {**os.environ, "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_LOGGING_LEVEL": "INFO"}
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", "--port", str(port), "--prefect-home", str(home)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )
    served = Served(process, f"http://127.0.0.1:{port}", home)

    def read() -> None:
        for line in process.stdout:
            served.lines.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + READY_TIMEOUT
    while not any("chuhai serve: ready" in line for line in served.lines):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"chuhai serve did not become ready:\n{served.output}")
        time.sleep(0.2)
    return served


def stop_serve(served: Served) -> int:
    """Ctrl-C, as a user would; returns the exit code."""
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGINT)
        try:
            served.process.wait(90)
        except subprocess.TimeoutExpired:
            served.process.kill()
            raise
    return served.process.returncode


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    served = start_serve(tmp_path_factory.mktemp("prefect-home"))
    yield served
    stop_serve(served)


@pytest.fixture(scope="module")
def client(served):
    """A Prefect client talking to the served API."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: f"{served.url}/api"}):
        with get_client(sync_client=True) as client:
            yield client


@pytest.fixture(scope="module")
def site():
    with Site() as site:
        base = site.base()
        site.routes["/feed.rss"] = Route(rss(base, [*GOOD_PAGES, MISSING_PAGE]), "application/rss+xml")
        for path, (title, sentence) in GOOD_PAGES.items():
            site.routes[path] = Route(article(title, sentence))
        yield site


def wait_for_run(client, flow_run_id, timeout: float = RUN_TIMEOUT):
    """Poll the API until the flow run reaches a final state."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.read_flow_run(flow_run_id)
        if run.state is not None and run.state.is_final():
            return run
        time.sleep(1)
    pytest.fail(f"flow run {flow_run_id} not finished after {timeout:.0f} s (state {run.state})")


def run_logs(client, flow_run_id, until: str) -> list[str]:
    """Every log message of a flow run (its tasks' included), in order, once one contains `until`.

    A run's last log lines reach the API in a batch that may land after its final state.
    """
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.client.schemas.sorting import LogSort

    deadline = time.monotonic() + 30
    while True:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])),
                                sort=LogSort.TIMESTAMP_ASC, limit=200)
        messages = [log.message for log in logs]
        if any(until in m for m in messages) or time.monotonic() > deadline:
            return messages
        time.sleep(0.5)


def run_artifacts(client, flow_run_id) -> dict[str, object]:
    """The run's artifacts by key."""
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
        flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    return {a.key: a.data for a in artifacts}


def deployment_named(client, name: str):
    """A deployment by its name (flow name and deployment name are the same here)."""
    return client.read_deployment_by_name(f"{name}/{name}")


@pytest.fixture(scope="module")
def ingest_run(served, client, site, tmp_path_factory):
    """One ingest-sources run, triggered through the API, against the local site."""
    work = tmp_path_factory.mktemp("ingest")
    sources = work / "sources.yaml"
    sources.write_text(f"delay: 0\nsources:\n  local-news:\n    feeds: [{site.base()}/feed.rss]\n", encoding="utf-8")
    db = work / "w.duckdb"
    deployment = deployment_named(client, "ingest-sources")
    run = client.create_flow_run_from_deployment(deployment.id, parameters={
        "sources_file": str(sources), "db": str(db), "allow_hosts": ["127.0.0.1"]})
    return wait_for_run(client, run.id), db


def test_serve_deploys_the_three_deployments_with_their_schedules(served, client) -> None:
    deployments = {d.name: d for d in client.read_deployments()}
    assert set(deployments) == {"ingest-sources", "reprocess", "daily-digest"}
    hourly, = deployments["ingest-sources"].schedules
    daily, = deployments["daily-digest"].schedules
    assert (hourly.schedule.cron, hourly.schedule.timezone, hourly.active) == ("0 * * * *", "Asia/Shanghai", True)
    assert (daily.schedule.cron, daily.schedule.timezone, daily.active) == ("0 8 * * *", "Asia/Shanghai", True)
    assert deployments["reprocess"].schedules == []
    for deployment in deployments.values():
        assert deployment.work_pool_name == "chuhai-local"
        assert deployment.description and "chuhai" in deployment.tags
    assert deployments["ingest-sources"].parameters["db"] == "data/chuhai.duckdb"
    assert "server up in" in served.output and "ready: open" in served.output


def test_the_ui_answers_on_its_port(served) -> None:
    page = httpx.get(served.url, timeout=30)
    assert page.status_code == 200
    assert "<html" in page.text.lower()
    assert httpx.get(f"{served.url}/api/health", timeout=30).json() is True


def test_serve_starts_one_ingest_sources_run_at_once(served, client) -> None:
    """A new user sees a finished run with its artifacts on the Runs page, without waiting for the hour."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags

    from flows.serve import FIRST_RUN_TAG

    started = next(i for i, line in enumerate(served.lines) if "started one ingest-sources run now" in line)
    ready = next(i for i, line in enumerate(served.lines) if "chuhai serve: ready" in line)
    assert started < ready  # created by one API call before the ready line; the worker runs it afterwards
    runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[FIRST_RUN_TAG])))
    assert len(runs) == 1
    run = wait_for_run(client, runs[0].id)
    assert run.deployment_id == deployment_named(client, "ingest-sources").id
    assert run.state.is_completed(), run.state  # the project's sources.yaml names no source yet: nothing to fetch
    assert "ingest-summary" in run_artifacts(client, run.id)


def test_ingest_sources_run_completes_and_loads_the_pages(ingest_run) -> None:
    run, db = ingest_run
    assert run.state.is_completed(), run.state
    con = duckdb.connect(str(db), read_only=True)
    try:
        urls = {urlsplit(url).path for (url,) in con.sql("select url from articles").fetchall()}
        errors = con.sql("select url, stage, message from ingest_errors").fetchall()
        entities = {row[0] for row in con.sql("select distinct entity from metric_facts").fetchall()}
    finally:
        con.close()
    assert urls == set(GOOD_PAGES)
    assert [(url.endswith(MISSING_PAGE), stage) for url, stage, _ in errors] == [(True, "fetch")]
    assert "404" in errors[0][2]
    assert {"Temu", "SHEIN"} <= entities


def test_the_run_logs_counts_per_stage(ingest_run, client) -> None:
    run, _ = ingest_run
    logs = "\n".join(run_logs(client, run.id, until="done: "))
    assert "ingesting 1 source(s)" in logs, logs
    assert "source local-news: pages 3, fetched 3, not_modified 0" in logs, logs
    assert "loaded batch: 2 articles" in logs, logs
    assert "done: 3 inputs, 2 parsed" in logs, logs
    assert "taking the write slot warehouse-w.duckdb-" in logs and "released the write slot" in logs


def test_the_run_has_its_artifacts(ingest_run, client) -> None:
    run, _ = ingest_run
    artifacts = run_artifacts(client, run.id)
    assert {"ingest-summary", "web-fetch-summary", "facts-added"} <= set(artifacts)
    summary = artifacts["ingest-summary"]
    assert "## Errors" in summary and MISSING_PAGE in summary
    facts = json.loads(artifacts["facts-added"])
    by_entity = {f["entity"]: f for f in facts}
    assert by_entity["Temu"]["url"].endswith("/news/temu-us.html")
    assert "150亿美元" in by_entity["Temu"]["sentence"]


def test_the_run_page_opens_in_the_ui(served, ingest_run) -> None:
    run, _ = ingest_run  # the "View at" link every run logs
    page = httpx.get(f"{served.url}/runs/flow-run/{run.id}", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "<html" in page.text.lower()


@pytest.fixture(scope="module")
def digest_and_reprocess_runs(ingest_run, client):
    """The other two deployments, run on demand on the warehouse ingest_run loaded."""
    _, db = ingest_run
    runs = {name: client.create_flow_run_from_deployment(deployment_named(client, name).id,
                                                         parameters={"db": str(db)})
            for name in ("daily-digest", "reprocess")}
    return {name: wait_for_run(client, run.id) for name, run in runs.items()}


def test_daily_digest_run_attaches_the_digest(digest_and_reprocess_runs, client) -> None:
    run = digest_and_reprocess_runs["daily-digest"]
    assert run.state.is_completed(), run.state
    digest = run_artifacts(client, run.id)["daily-digest"]
    assert "2 new and 0 updated articles" in digest
    assert "| Temu | US |" in digest and "| SHEIN | BR |" in digest
    assert MISSING_PAGE in digest  # under "Inputs that failed"


def test_reprocess_run_completes_and_reports(digest_and_reprocess_runs, client, ingest_run) -> None:
    run = digest_and_reprocess_runs["reprocess"]
    assert run.state.is_completed(), run.state
    summary = run_artifacts(client, run.id)["reprocess-summary"]
    assert f"# Reprocess `{ingest_run[1]}`" in summary
    pages, parsed, failed = summary.strip().splitlines()[-1].strip("|").split("|")[:3]
    assert int(pages) == int(parsed) and int(failed) == 0  # pages to redo only if the extractor changed since


def test_a_normal_run_prints_no_traceback(served, ingest_run) -> None:
    time.sleep(1)  # the worker's copy of the run's last log lines
    assert "Flow run" in served.output and "Finished in state Completed()" in served.output
    assert "Traceback" not in served.output


def test_a_run_that_reaches_no_source_fails_with_the_first_error(served, client, tmp_path) -> None:
    sources = tmp_path / "sources.yaml"
    closed = f"http://127.0.0.1:{free_port()}/feed.rss"  # nothing listens there
    sources.write_text(f"fetch:\n  retries: 0\nsources:\n  gone:\n    feeds: [{closed}]\n", encoding="utf-8")
    deployment = deployment_named(client, "ingest-sources")
    run = client.create_flow_run_from_deployment(deployment.id, parameters={
        "sources_file": str(sources), "db": str(tmp_path / "w.duckdb"), "allow_hosts": ["127.0.0.1"]})
    run = wait_for_run(client, run.id)
    assert run.state.is_failed()
    assert "none of the 1 source(s) could be fetched" in run.state.message and closed in run.state.message
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:  # the failure is on record for the analysts too
        assert con.sql("select url, stage from ingest_errors").fetchall() == [(closed, "fetch")]
    finally:
        con.close()


def test_a_broken_sources_file_fails_the_run_with_the_reason(served, client, tmp_path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  bad:\n    feeds: [ftp://example.com/feed]\n", encoding="utf-8")
    deployment = deployment_named(client, "ingest-sources")
    run = client.create_flow_run_from_deployment(deployment.id, parameters={
        "sources_file": str(sources), "db": str(tmp_path / "w.duckdb")})
    run = wait_for_run(client, run.id)
    assert run.state.is_failed()
    assert str(sources) in run.state.message and "not an absolute http(s) url" in run.state.message
    assert any("not an absolute http(s) url" in m for m in run_logs(client, run.id, until="http(s) url"))
    assert not (tmp_path / "w.duckdb").exists()


def test_a_warehouse_held_open_in_a_duckdb_shell_fails_the_run_naming_the_file(served, client, site,
                                                                               tmp_path) -> None:
    db = tmp_path / "held.duckdb"
    shell = subprocess.Popen([str(Path(sys.executable).with_name("duckdb")), str(db)], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not db.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"sources:\n  local-news:\n    feeds: [{site.base()}/feed.rss]\n", encoding="utf-8")
        deployment = deployment_named(client, "ingest-sources")
        run = client.create_flow_run_from_deployment(deployment.id, parameters={
            "sources_file": str(sources), "db": str(db), "allow_hosts": ["127.0.0.1"]})
        run = wait_for_run(client, run.id)
    finally:
        shell.kill()
        shell.wait()
    assert run.state.is_failed()
    assert f"{db} is open for writing in another process" in run.state.message
    assert any(f"{db} is open for writing" in m for m in run_logs(client, run.id, until="open for writing"))


def test_ctrl_c_stops_the_worker_and_the_server(served, ingest_run) -> None:
    import psutil

    children = psutil.Process(served.process.pid).children(recursive=True)
    assert len(children) >= 2  # the server and the worker
    assert stop_serve(served) == 0
    assert served.lines[-1] == "chuhai serve: stopped"
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    with pytest.raises(httpx.ConnectError):
        httpx.get(served.url, timeout=5)
