"""The warehouse file: migrations, idempotent loads, and readers that never block the writer."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from transforms.frames import ARTICLE_SCHEMA, Batch, facts_frame
from transforms.model import Fact
from warehouse.db import WarehouseError, Writer, open_readonly
from warehouse.load import load_batch
from warehouse.migrations import available, current_version, migrate


def _batch(url: str = "https://example.com/a", value: float = 9e9, digest: str = "h1") -> Batch:
    articles = pl.DataFrame(
        [{"article_id": "a1", "url": url, "title": "t", "published_at": date(2025, 1, 2), "source": None,
          "lang": "en", "body": "GMV was $9 billion.", "content_hash": digest, "origin": "test",
          "extractor_version": "v1"}],
        schema=ARTICLE_SCHEMA, orient="row",
    )
    fact = Fact("gmv", value, "USD", "TikTok Shop", "US", "2024", "actual", "GMV was $9 billion.", 8, 18)
    return Batch(articles=articles, facts=facts_frame("a1", [fact], "v1"))


def _counts(db: Path) -> dict[str, int]:
    con = open_readonly(db)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("articles", "metric_facts", "events", "people_moves", "ingest_errors")}
    finally:
        con.close()


def test_migrations_apply_once_and_in_order():
    con = duckdb.connect()
    assert migrate(con) == [v for v, _, _ in available()]
    assert migrate(con) == []
    assert current_version(con) == available()[-1][0]


def test_migrations_stop_where_asked():
    con = duckdb.connect()
    migrate(con, upto=1)
    assert current_version(con) == 1
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert {"articles", "metric_facts"} <= tables and "events" not in tables


def test_loading_the_same_batch_twice_changes_nothing(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    for _ in range(2):
        with Writer(db) as w:
            load_batch(w.con, _batch())
    assert _counts(db) == {"articles": 1, "metric_facts": 1, "events": 0, "people_moves": 0, "ingest_errors": 0}


def test_a_changed_article_replaces_its_facts_and_keeps_first_ingest_time(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    with Writer(db) as w:
        load_batch(w.con, _batch())
    first = open_readonly(db).execute("select ingested_at from articles").fetchone()[0]
    with Writer(db) as w:
        counts = load_batch(w.con, _batch(value=1e10, digest="h2"))
    assert (counts.facts_removed, counts.facts_added, counts.articles_updated) == (1, 1, 1)
    con = open_readonly(db)
    assert con.execute("select value from metric_facts").fetchall() == [(1e10,)]
    assert con.execute("select ingested_at from articles").fetchone()[0] == first


def test_a_failed_write_leaves_the_published_file_untouched(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    with Writer(db) as w:
        load_batch(w.con, _batch())
    with pytest.raises(RuntimeError), Writer(db) as w:
        w.con.execute("delete from metric_facts")
        raise RuntimeError("crash in the middle of a run")
    assert _counts(db)["metric_facts"] == 1
    assert not list(tmp_path.glob(".*staging*"))


READER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select count(*) from metric_facts").fetchone()[0], flush=True)
    sys.stdin.readline()  # hold the file open until the test says so
    print(con.execute("select count(*) from metric_facts").fetchone()[0], flush=True)
    """
)


def test_a_reader_in_another_process_does_not_block_the_writer(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    with Writer(db) as w:
        load_batch(w.con, _batch())
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "1"
        other = _batch(url="https://example.com/b")
        other = Batch(articles=other.articles.with_columns(pl.lit("a2").alias("article_id")),
                      facts=other.facts.with_columns(pl.lit("a2").alias("article_id"), pl.lit("f2").alias("fact_id")))
        with Writer(db, lock_timeout=10) as w:  # the reader is still holding the file
            load_batch(w.con, other)
        assert _counts(db)["metric_facts"] == 2  # a new reader sees the new data
        out, _ = reader.communicate("go\n", timeout=30)
        assert out.strip() == "1"  # the old reader kept a consistent snapshot
    finally:
        reader.kill()


def test_duckdb_cli_opens_the_warehouse_and_its_views(tmp_path: Path):
    cli = shutil.which("duckdb", path=str(Path(sys.executable).parent))
    if cli is None:
        pytest.skip("duckdb CLI (duckdb-cli package) not installed")
    db = tmp_path / "w.duckdb"
    with Writer(db) as w:
        load_batch(w.con, _batch())
    out = subprocess.run([cli, "-readonly", "-csv", str(db), "-c", "select entity, cast(value as bigint) from v_metric_latest"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "TikTok Shop,9000000000" in out.stdout


def test_a_file_held_open_for_writing_gives_a_message_naming_it(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    with Writer(db) as w:
        load_batch(w.con, _batch())
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); sys.stdin.readline()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(WarehouseError, match=str(db)):
            open_readonly(db)
    finally:
        holder.kill()
