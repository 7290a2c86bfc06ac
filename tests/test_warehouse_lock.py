"""The warehouse write slot's name, its fallback without a server, and the pre-run warehouse check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from flows.warehouse_lock import limit_name, warehouse_problem, warehouse_slot

HOLD = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.read()"


def test_limit_name_is_per_resolved_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    name = limit_name("data/chuhai.duckdb")
    assert name == limit_name(tmp_path / "data" / "chuhai.duckdb") == limit_name("./data/../data/chuhai.duckdb")
    assert name != limit_name(tmp_path / "other" / "chuhai.duckdb")
    assert name.startswith("warehouse-chuhai.duckdb-")
    assert not set("/%&<> ") & set(limit_name(tmp_path / "my data" / "a&b<c>.duckdb"))


def test_without_a_server_the_slot_is_only_the_lock_file(tmp_path: Path, monkeypatch) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    def no_api(name: str) -> bool:
        raise AssertionError(f"asked the API for {name}")

    monkeypatch.setattr("flows.warehouse_lock.ensure_limit", no_api)
    entered = []
    with temporary_settings(restore_defaults={PREFECT_API_URL}):  # the CLI's ephemeral mode
        with warehouse_slot(tmp_path / "w.duckdb"):
            entered.append(True)
    assert entered == [True]


def test_warehouse_problem_names_a_missing_file_only_when_it_must_exist(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert warehouse_problem(db) is None
    assert warehouse_problem(db, must_exist=True) == f"no warehouse at {db}: nothing has been ingested yet"


def test_warehouse_problem_names_the_file_a_shell_holds_open(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    assert warehouse_problem(db) is None
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        problem = warehouse_problem(db)
    finally:
        holder.stdin.close()
        holder.wait(30)
    assert problem is not None and problem.startswith(f"{db} is open for writing in another process")
    assert "duckdb -readonly" in problem
