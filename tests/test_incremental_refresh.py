"""A publish recomputes only the consolidation cells whose facts changed, and ends where a full refresh ends.

The warehouse is a real DuckDB file with the shipped schema and views. Each round changes it the
ways runs and analysts do (new articles, a re-parsed article whose facts move, a fact edited in
place, an article re-dated, facts deleted), refreshes incrementally, and compares every derived
table with what a refresh from scratch computes on a copy.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from warehouse.consolidate import refresh_changed, refresh_consolidated
from warehouse.db import Writer, duckdb_config

ENTITIES = ["TikTok Shop", "Temu", "Shopee", None]
MARKETS = ["US", "ID", "SEA"]
METRICS = [("gmv", "USD"), ("gmv", "CNY"), ("orders", "count"), ("growth", "percent")]
PERIODS = ["2023", "2024", "2024-Q1", None]
DERIVED = {
    "consolidated_metrics": "select * from derived.consolidated_metrics order by all",
    "conflict_sources": "select * from derived.conflict_sources order by all",
    "fact_conflicts": "select * from derived.fact_conflicts order by all",
    "fact_digests": "select * from derived.fact_digests order by all",
}


def add_article(con: duckdb.DuckDBPyConnection, rng: random.Random, article_id: str, facts: int) -> None:
    """An article and `facts` facts on a small grid of cells, so cells collect several sources."""
    con.execute(
        "insert into articles (article_id, url, title, published_at, source, body, content_hash, ingested_at, "
        "updated_at) values (?, ?, 't', ?, 'Pub', 'b', 'h', ?, ?)",
        [article_id, f"https://news.example/{article_id}", date(2024, rng.randint(1, 12), rng.randint(1, 28)),
         datetime(2025, 1, 1), datetime(2025, 1, 1)],
    )
    for n in range(facts):
        metric, unit = rng.choice(METRICS)
        value = rng.choice([1.0e9, 1.01e9, 1.5e9, 2.0e9, 7.0e9]) if unit in ("USD", "CNY") else rng.choice([10.0, 11.0, 30.0])
        usd = value * (0.14 if unit == "CNY" else 1.0) if unit in ("USD", "CNY") else None
        con.execute(
            "insert into metric_facts (fact_id, article_id, entity, market, metric, value, unit, period, qualifier, "
            "value_usd, sentence, span_start, span_end) values (?, ?, ?, ?, ?, ?, ?, ?, 'actual', ?, 's', 0, 1)",
            [f"{article_id}-f{n}", article_id, rng.choice(ENTITIES), rng.choice(MARKETS), metric, value, unit,
             rng.choice(PERIODS), usd],
        )


def snapshot(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in DERIVED.items()}
    finally:
        con.close()


def from_scratch(db: Path, tmp_path: Path) -> dict[str, list[tuple]]:
    """The derived tables a full refresh computes on a copy of the file."""
    copy = tmp_path / "scratch.duckdb"
    shutil.copyfile(db, copy)
    con = duckdb.connect(str(copy), config=duckdb_config())
    try:
        refresh_consolidated(con)
    finally:
        con.close()
    return snapshot(copy)


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """300 facts over 60 articles, published once (a full refresh: the file is new)."""
    db = tmp_path / "w.duckdb"
    rng = random.Random(7)
    with Writer(db) as writer:
        for i in range(60):
            add_article(writer.con, rng, f"a{i:03}", 5)
    return db


def test_a_publish_recomputes_only_the_cells_a_new_article_touches(warehouse: Path, tmp_path: Path):
    con = duckdb.connect(str(warehouse), config=duckdb_config())
    try:
        cells = con.execute("select count(*) from derived.consolidated_metrics").fetchone()[0]
        assert con.execute("select mode from derived.refresh_state").fetchall() == [("full",)]
        assert refresh_changed(con).mode == "none"  # nothing changed since the publish
        con.execute("insert into articles (article_id, url, title, published_at, body, content_hash, ingested_at,"
                    " updated_at) values ('new', 'https://news.example/new', 't', '2024-06-01', 'b', 'h', now(), now())")
        con.execute("insert into metric_facts (fact_id, article_id, entity, market, metric, value, unit, period,"
                    " qualifier, value_usd) values ('nf', 'new', 'Lazada', 'VN', 'gmv', 3.0e9, 'USD', '2024',"
                    " 'actual', 3.0e9)")
        done = refresh_changed(con)
        assert (done.mode, done.cells, done.facts) == ("incremental", 1, 1)
        assert done.figures == cells + 1
        assert con.execute("select sources, value from derived.consolidated_metrics where entity = 'Lazada'"
                           ).fetchall() == [(1, 3.0e9)]
    finally:
        con.close()
    assert snapshot(warehouse) == from_scratch(warehouse, tmp_path)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_refreshes_end_where_a_full_refresh_ends(warehouse: Path, tmp_path: Path, seed: int):
    rng = random.Random(seed)
    for round_no in range(6):
        with Writer(warehouse) as writer:
            con = writer.con
            change = round_no % 5
            if change == 0:  # new articles
                for i in range(3):
                    add_article(con, rng, f"r{round_no}-{i}", rng.randint(1, 6))
            elif change == 1:  # an article re-parsed: its facts replaced by others
                victim = rng.choice(con.execute("select article_id from articles order by 1").fetchall())[0]
                con.execute("delete from metric_facts where article_id = ?", [victim])
                con.execute("delete from articles where article_id = ?", [victim])
                add_article(con, rng, victim, 4)
            elif change == 2:  # an analyst corrects a value in place (chuhai sql --write)
                con.execute("update metric_facts set value = value * 3, value_usd = value_usd * 3 "
                            "where fact_id in (select fact_id from metric_facts order by fact_id limit 4)")
            elif change == 3:  # an article's date and url change; its facts do not
                con.execute("update articles set published_at = date '2020-01-01', url = url || '?v=2' "
                            "where article_id in (select article_id from articles order by article_id limit 3)")
            else:  # facts deleted
                con.execute("delete from metric_facts where fact_id in "
                            "(select fact_id from metric_facts order by hash(fact_id) limit 7)")
        state = duckdb.connect(str(warehouse), read_only=True)
        try:
            mode = state.execute("select mode from derived.refresh_state").fetchone()[0]
        finally:
            state.close()
        assert mode == "incremental", f"round {round_no}: a small change was refreshed {mode}"
        assert snapshot(warehouse) == from_scratch(warehouse, tmp_path), f"round {round_no} (change {change})"


def test_a_change_to_most_cells_recomputes_everything(warehouse: Path):
    with Writer(warehouse) as writer:
        writer.con.execute("update metric_facts set period = '2019'")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select mode from derived.refresh_state").fetchall() == [("full",)]
        assert con.execute("select distinct period from derived.consolidated_metrics").fetchall() == [("2019",)]
    finally:
        con.close()


def test_a_new_consolidation_sql_recomputes_everything(warehouse: Path):
    con = duckdb.connect(str(warehouse), config=duckdb_config())
    try:
        con.execute("update derived.refresh_state set sql_digest = 'older-version'")
        assert refresh_changed(con).mode == "full"
        assert refresh_changed(con).mode == "none"
    finally:
        con.close()


def test_an_hourly_ingest_refreshes_only_the_cells_of_its_new_article(tmp_path: Path, prefect_server):
    from flows.ingest import ingest

    folder = tmp_path / "news"
    shutil.copytree(Path(__file__).resolve().parent.parent / "samples", folder)
    db = tmp_path / "chuhai.duckdb"
    first = ingest(paths=[str(folder)], db=str(db), workers=1)
    assert first["refresh"]["mode"] == "full" and first["refresh"]["facts"] > 50
    (folder / "later.txt").write_text(
        "Lazada's GMV in Vietnam reached $2.1 billion in 2024, up 18% year on year.\n", encoding="utf-8")
    later = ingest(paths=[str(folder)], db=str(db), workers=1)
    assert later["parsed"] == 1 and later["skipped_unchanged"] == first["parsed"]
    assert later["refresh"]["mode"] == "incremental"
    assert 1 <= later["refresh"]["cells"] <= later["loaded"]["facts_added"]  # its own cells, not the samples'
    assert snapshot(db) == from_scratch(db, tmp_path)
