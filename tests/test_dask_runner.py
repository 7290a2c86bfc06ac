"""Scale-out: `chuhai ingest --runner dask --address ...` parses on a Dask cluster, loads in one writer."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from flows.cli import main

TABLES = ("articles", "metric_facts", "events", "people_moves", "ingest_errors")


def _rows(db: Path) -> dict[str, list[tuple]]:
    """Every table's key rows, sorted, so two warehouses can be compared row for row."""
    keys = {"articles": "article_id, content_hash", "metric_facts": "fact_id, value, value_usd",
            "events": "event_id", "people_moves": "move_id", "ingest_errors": "url, stage"}
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"select {keys[t]} from {t} order by all").fetchall() for t in TABLES}
    finally:
        con.close()


def _ingest(capsys, *args: str) -> dict:
    """Run the `chuhai ingest` command in this process and return its JSON summary."""
    assert main(["ingest", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.mark.slow
def test_parse_batches_run_on_a_dask_cluster_and_load_the_same_rows(prefect_server, samples_copy: Path,
                                                                   tmp_path: Path, capsys):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        dask = _ingest(capsys, str(samples_copy), "--db", str(tmp_path / "dask.duckdb"), "--batch-size", "2",
                       "--runner", "dask", "--address", cluster.scheduler_address)
        on_cluster = set(cluster.scheduler.task_prefixes)
    local = _ingest(capsys, str(samples_copy), "--db", str(tmp_path / "local.duckdb"), "--batch-size", "2",
                    "--workers", "2")

    assert any("parse" in prefix for prefix in on_cluster), on_cluster
    assert not any("load" in prefix for prefix in on_cluster), "loads must stay in the flow's single writer"
    assert dask["parsed"] == local["parsed"] == len(list(samples_copy.iterdir()))
    assert dask["loaded"] == local["loaded"]
    dask_rows, local_rows = _rows(tmp_path / "dask.duckdb"), _rows(tmp_path / "local.duckdb")
    assert len(dask_rows["articles"]) == dask["parsed"]
    assert dask_rows == local_rows
