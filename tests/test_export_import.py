"""Backup and portability: `chuhai export` writes Parquet + schema version, `chuhai import` restores it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from hostile.run import chuhai
from hostile.snapshot import row_count, snapshot, tables

from warehouse.db import WarehouseError
from warehouse.migrations import available
from warehouse.portable import MANIFEST, export_warehouse, import_warehouse

ROOT = Path(__file__).resolve().parent.parent
V1_FIXTURE = ROOT / "tests" / "fixtures" / "warehouse_v1.duckdb"


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory, prefect_server) -> Path:
    """The bundled samples ingested by the real flow."""
    from flows.ingest import ingest

    db = tmp_path_factory.mktemp("sample") / "chuhai.duckdb"
    ingest(paths=[str(ROOT / "samples")], db=str(db), workers=1)
    return db


def test_round_trip_of_the_sample_warehouse_keeps_every_row(sample_warehouse: Path, tmp_path: Path):
    out = chuhai("export", "--db", str(sample_warehouse), "--out", str(tmp_path / "backup"))
    assert out.returncode == 0, out.stderr
    restored = tmp_path / "restored.duckdb"
    back = chuhai("import", str(tmp_path / "backup"), "--db", str(restored))
    assert back.returncode == 0, back.stderr

    before, after = snapshot(sample_warehouse), snapshot(restored)
    assert after == before
    assert before["articles"] and before["events"]  # the comparison covered real rows
    print(f"\nexport/import round trip: {row_count(before)} rows in {len(before)} tables compared equal")
    con = duckdb.connect(str(restored), read_only=True)
    views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert {"v_market_gmv", "v_metric_latest", "v_article_stats"} <= views


def test_export_writes_one_parquet_per_table_and_the_schema_version(sample_warehouse: Path, tmp_path: Path):
    manifest = export_warehouse(sample_warehouse, tmp_path / "backup")
    written = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert written["schema_version"] == available()[-1][0] == manifest.schema_version
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    assert set(written["tables"]) == set(tables(con)) >= {"articles", "metric_facts", "events", "people_moves",
                                                          "ingest_errors", "schema_migrations"}
    con.close()
    for table, rows in written["tables"].items():
        assert pq.read_table(tmp_path / "backup" / f"{table}.parquet").num_rows == rows


def test_import_never_overwrites_an_existing_warehouse(sample_warehouse: Path, tmp_path: Path):
    export_warehouse(sample_warehouse, tmp_path / "backup")
    existing = tmp_path / "existing.duckdb"
    existing.write_bytes(b"precious")
    out = chuhai("import", str(tmp_path / "backup"), "--db", str(existing))
    assert out.returncode == 1
    assert f"{existing} already exists" in out.stderr and "Traceback" not in out.stderr
    assert existing.read_bytes() == b"precious"


def test_import_refuses_an_export_from_a_newer_schema(sample_warehouse: Path, tmp_path: Path):
    export_warehouse(sample_warehouse, tmp_path / "backup")
    manifest = tmp_path / "backup" / MANIFEST
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(data | {"schema_version": 999}))
    with pytest.raises(WarehouseError, match="newer than this Chuhai knows"):
        import_warehouse(tmp_path / "backup", tmp_path / "new.duckdb")
    assert not (tmp_path / "new.duckdb").exists()


def test_an_incomplete_export_is_refused_and_leaves_no_file(sample_warehouse: Path, tmp_path: Path):
    export_warehouse(sample_warehouse, tmp_path / "backup")
    (tmp_path / "backup" / "metric_facts.parquet").unlink()
    with pytest.raises(WarehouseError, match="missing metric_facts.parquet"):
        import_warehouse(tmp_path / "backup", tmp_path / "new.duckdb")
    (tmp_path / "backup" / "events.parquet").write_bytes(b"not parquet")
    export_warehouse(sample_warehouse, tmp_path / "backup2")
    (tmp_path / "backup2" / "events.parquet").write_bytes(b"not parquet")
    with pytest.raises(WarehouseError, match="events.parquet: cannot read Parquet"):
        import_warehouse(tmp_path / "backup2", tmp_path / "new.duckdb")
    assert not list(tmp_path.glob("*.duckdb")) and not list(tmp_path.glob(".*importing*"))


def test_export_refuses_a_folder_that_already_holds_files(sample_warehouse: Path, tmp_path: Path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "notes.txt").write_text("keep me")
    with pytest.raises(WarehouseError, match="not an empty folder"):
        export_warehouse(sample_warehouse, tmp_path / "old")


def test_a_first_schema_export_imports_and_upgrades_with_every_row(tmp_path: Path):
    export_warehouse(V1_FIXTURE, tmp_path / "backup")
    assert json.loads((tmp_path / "backup" / MANIFEST).read_text())["schema_version"] == 1
    import_warehouse(tmp_path / "backup", tmp_path / "new.duckdb")
    old, new = snapshot(V1_FIXTURE), snapshot(tmp_path / "new.duckdb")
    assert new["articles"] == old["articles"] and new["metric_facts"] == old["metric_facts"]
    assert [r[0] for r in new["schema_migrations"]] == [v for v, _, _ in available()]


def test_export_and_import_do_not_start_prefect(sample_warehouse: Path, tmp_path: Path):
    script = (
        "import sys; from flows.cli import main\n"
        f"assert main(['export', '--db', {str(sample_warehouse)!r}, '--out', {str(tmp_path / 'b')!r}]) == 0\n"
        f"assert main(['import', {str(tmp_path / 'b')!r}, '--db', {str(tmp_path / 'n.duckdb')!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
