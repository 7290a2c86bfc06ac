"""`chuhai sql`, `views`, `shell` and `report` as a user runs them: real processes on a real warehouse file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
from test_views import A2, load_fixture

from warehouse.db import Writer
from warehouse.query import duckdb_cli
from warehouse.views import view_files

CHUHAI = Path(sys.executable).parent / "chuhai"
GMV_SQL = "select entity, market, gmv_usd, fact_ids from v_market_gmv where market = 'ID'"


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    with Writer(db) as writer:
        load_fixture(writer.con)
    return db


def chuhai(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHUHAI), *args], capture_output=True, text=True, input=stdin, timeout=120)


def count(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchall()[0][0]
    finally:
        con.close()


def test_table_format_prints_the_rows(warehouse: Path):
    out = chuhai("sql", GMV_SQL, "--db", str(warehouse))
    assert out.returncode == 0, out.stderr
    assert "TikTok Shop" in out.stdout and "9,000,000,000.00" in out.stdout and "(1 rows)" in out.stdout


def test_csv_flattens_lists_into_json_text(warehouse: Path, tmp_path: Path):
    out = chuhai("sql", GMV_SQL, "--db", str(warehouse), "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["entity,market,gmv_usd,fact_ids", 'TikTok Shop,ID,9000000000.0,"[""f05""]"']
    saved = chuhai("sql", GMV_SQL, "--db", str(warehouse), "--format", "csv", "--out", str(tmp_path / "g.csv"))
    assert saved.returncode == 0 and saved.stdout == ""
    assert (tmp_path / "g.csv").read_text().splitlines() == out.stdout.splitlines()


def test_json_and_parquet_keep_the_types(warehouse: Path, tmp_path: Path):
    out = chuhai("sql", GMV_SQL, "--db", str(warehouse), "--format", "json")
    assert json.loads(out.stdout) == [{"entity": "TikTok Shop", "market": "ID", "gmv_usd": 9.0e9, "fact_ids": ["f05"]}]
    target = tmp_path / "g.parquet"
    saved = chuhai("sql", GMV_SQL, "--db", str(warehouse), "--format", "parquet", "--out", str(target))
    assert saved.returncode == 0, saved.stderr
    assert pl.read_parquet(target).to_dicts() == [
        {"entity": "TikTok Shop", "market": "ID", "gmv_usd": 9.0e9, "fact_ids": ["f05"]}]


def test_parquet_needs_a_file_and_writes_need_write(warehouse: Path):
    out = chuhai("sql", GMV_SQL, "--db", str(warehouse), "--format", "parquet")
    assert out.returncode == 1 and "--format parquet needs --out FILE" in out.stderr
    refused = chuhai("sql", "delete from events", "--db", str(warehouse))
    assert refused.returncode == 1 and "add --write" in refused.stderr
    assert count(warehouse, "events") == 2
    allowed = chuhai("sql", "delete from events where event_type = 'ban'", "--db", str(warehouse), "--write")
    assert allowed.returncode == 0, allowed.stderr
    assert count(warehouse, "events") == 1


def test_views_lists_every_view_with_its_question(warehouse: Path):
    out = chuhai("views", "--db", str(warehouse))
    listed = {line.split()[0]: line.split(None, 1)[1] for line in out.stdout.splitlines()}
    assert listed == {v.name: v.purpose for v in view_files()}
    assert listed["v_market_gmv"].startswith("GMV in US dollars by entity, market and period")


@pytest.mark.skipif(duckdb_cli() is None, reason="the DuckDB CLI (pip package duckdb-cli) is not installed")
def test_shell_is_the_duckdb_cli_and_read_only(warehouse: Path):
    out = chuhai("shell", "--db", str(warehouse), stdin="select count(*) as n from v_market_gmv;\n")
    assert out.returncode == 0, out.stderr
    assert "10" in out.stdout
    refused = chuhai("shell", "--db", str(warehouse), stdin="delete from articles;\n")
    assert "read-only" in (refused.stdout + refused.stderr)
    assert count(warehouse, "articles") == 4


@pytest.mark.skipif(duckdb_cli() is None, reason="the DuckDB CLI (pip package duckdb-cli) is not installed")
def test_shell_write_publishes_through_the_writer(warehouse: Path):
    out = chuhai("shell", "--db", str(warehouse), "--write",
                 stdin="delete from metric_facts where fact_id = 'f04';\n")
    assert out.returncode == 0, out.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    # the conflict is gone from the consolidated tables too: they were refreshed before publishing
    assert con.execute("select count(*) from v_conflict_sources").fetchall() == [(0,)]
    assert con.execute("select gmv_usd, latest_url from v_market_gmv where market = 'ID'").fetchall() == [(9.0e9, A2)]
    con.close()
    assert not warehouse.with_name(f".{warehouse.name}.staging").exists()


def test_commands_that_need_no_flow_never_import_prefect(warehouse: Path, tmp_path: Path):
    script = f"""
import sys
from flows.cli import main
assert main(["sql", "select count(*) from v_market_gmv", "--db", {str(warehouse)!r}]) == 0
assert main(["views", "--db", {str(warehouse)!r}]) == 0
assert main(["report", "--db", {str(warehouse)!r}, "--out", {str(tmp_path / "r.html")!r}]) == 0
assert main(["shell", "--db", {str(warehouse)!r}]) == 0
print("PREFECT:", sorted(m for m in sys.modules if m == "prefect" or m.startswith("prefect.")))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, input="select 42;\n",
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert "PREFECT: []" in out.stdout
    assert (tmp_path / "r.html").exists() and "42" in out.stdout
