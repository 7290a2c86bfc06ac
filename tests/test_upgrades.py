"""Upgrades: a warehouse written by the first released schema keeps every row through the migrations."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from hostile.snapshot import snapshot

from warehouse import migrations
from warehouse.db import Writer
from warehouse.migrations import available, current_version, migrate

ROOT = Path(__file__).resolve().parent.parent
V1_FIXTURE = ROOT / "tests" / "fixtures" / "warehouse_v1.duckdb"
V1_TABLES = ("articles", "metric_facts")


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    """A private copy of the first-schema warehouse (the committed fixture is never written)."""
    target = tmp_path / "chuhai.duckdb"
    shutil.copyfile(V1_FIXTURE, target)
    return target


def test_the_fixture_is_a_first_schema_warehouse_with_rows():
    con = duckdb.connect(str(V1_FIXTURE), read_only=True)
    assert current_version(con) == 1
    assert con.execute("select count(*) from articles").fetchone()[0] == 3
    assert con.execute("select count(*) from metric_facts").fetchone()[0] == 5
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert tables == {"articles", "metric_facts", "schema_migrations"}


def test_opening_a_first_schema_warehouse_for_writing_upgrades_it_keeping_every_row(v1_copy: Path):
    before = snapshot(v1_copy)
    with Writer(v1_copy):
        pass
    after = snapshot(v1_copy)
    for table in V1_TABLES:
        assert after[table] == before[table]
    assert [r[0] for r in after["schema_migrations"]] == [v for v, _, _ in available()]
    assert after["schema_migrations"][0] == before["schema_migrations"][0]  # v1's own record, untouched
    assert after["events"] == after["people_moves"] == after["ingest_errors"] == []


@pytest.mark.parametrize("target", [v for v, _, _ in available()][1:])
def test_each_migration_step_keeps_the_first_schema_rows(v1_copy: Path, target: int):
    before = snapshot(v1_copy)
    con = duckdb.connect(str(v1_copy))
    assert migrate(con, upto=target) == list(range(2, target + 1))
    con.close()
    after = snapshot(v1_copy)
    assert {t: after[t] for t in V1_TABLES} == {t: before[t] for t in V1_TABLES}


def test_fact_offsets_still_point_at_the_numbers_after_the_upgrade(v1_copy: Path):
    with Writer(v1_copy):
        pass
    con = duckdb.connect(str(v1_copy), read_only=True)
    rows = con.execute(
        "select substr(a.body, f.span_start + 1, f.span_end - f.span_start), f.value "
        "from metric_facts f join articles a using (article_id) order by f.fact_id"
    ).fetchall()
    assert [r[0] for r in rows] == ["$9 billion", "120%", "新台幣50億元", "35%", "100亿美元"]


def test_an_ingest_into_a_first_schema_warehouse_adds_rows_and_keeps_the_old(v1_copy: Path, prefect_server):
    from flows.ingest import ingest

    before = snapshot(v1_copy)
    summary = ingest(paths=[str(ROOT / "samples")], db=str(v1_copy), workers=1)
    after = snapshot(v1_copy)
    assert set(before["articles"]) <= set(after["articles"])
    assert set(before["metric_facts"]) <= set(after["metric_facts"])
    assert len(after["articles"]) == len(before["articles"]) + summary["loaded"]["articles_new"] > 3


def test_a_failing_migration_leaves_the_published_first_schema_file_as_it_was(
        v1_copy: Path, tmp_path: Path, monkeypatch):
    broken = tmp_path / "999_broken.sql"
    broken.write_text("alter table articles add column extra varchar;\nselect * from no_such_table;")
    shipped = available()
    monkeypatch.setattr(migrations, "available", lambda: shipped + [(999, "broken", broken)])
    original = v1_copy.read_bytes()
    with pytest.raises(duckdb.CatalogException, match="no_such_table"), Writer(v1_copy):
        pass
    assert v1_copy.read_bytes() == original
    monkeypatch.undo()
    with Writer(v1_copy):  # the next run, with the shipped migrations, upgrades normally
        pass
    assert snapshot(v1_copy)["metric_facts"] == snapshot(V1_FIXTURE)["metric_facts"]
    assert not list(tmp_path.glob(".*staging*"))
