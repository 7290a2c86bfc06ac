"""Idempotent loads: one batch of parsed articles in one transaction.

A batch replaces everything known about its articles (facts, events, people
moves), so re-loading the same batch changes nothing and a changed article never
keeps stale facts. Values only ever reach SQL as bound parameters or Arrow data.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import duckdb
import polars as pl

from transforms.frames import Batch


@dataclass(slots=True)
class LoadCounts:
    """What one load changed, and the seconds it spent in DuckDB."""

    articles_new: int = 0
    articles_updated: int = 0
    facts_added: int = 0
    facts_removed: int = 0
    events_added: int = 0
    people_added: int = 0
    errors_recorded: int = 0
    seconds: float = 0.0

    def add(self, other: LoadCounts) -> None:
        """Accumulate another load's counts into this one."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def load_batch(con: duckdb.DuckDBPyConnection, batch: Batch, now: datetime | None = None) -> LoadCounts:
    """Replace the batch's articles and everything extracted from them, atomically."""
    started = time.perf_counter()
    now = now or datetime.now()
    counts = LoadCounts()
    con.execute("begin transaction")
    try:
        if not batch.articles.is_empty():
            _replace_articles(con, batch, now, counts)
        if batch.cleared:
            con.execute("delete from ingest_errors where url in (select unnest(?::varchar[]))", [batch.cleared])
        if not batch.errors.is_empty():
            counts.errors_recorded = _record_errors(con, batch.errors, now)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    counts.seconds = time.perf_counter() - started
    return counts


def _replace_articles(con: duckdb.DuckDBPyConnection, batch: Batch, now: datetime, counts: LoadCounts) -> None:
    """Upsert articles keeping their first ingested_at, and swap their extracted rows."""
    new_articles = batch.articles.unique("article_id", keep="last")
    con.register("batch_articles", new_articles.to_arrow())
    con.register("batch_facts", batch.facts.to_arrow())
    con.register("batch_events", batch.events.to_arrow())
    con.register("batch_people", batch.people.to_arrow())
    try:
        ids = "(select article_id from batch_articles)"
        known = con.execute(f"select count(*) from articles where article_id in {ids}").fetchone()[0]
        counts.articles_updated = known
        counts.articles_new = new_articles.height - known
        con.execute(
            f"""
            create or replace temp table kept_times as
            select article_id, ingested_at from articles where article_id in {ids}
            """
        )
        if known:  # only then scan the fact tables: a backfill of new articles stays linear in the corpus
            counts.facts_removed = con.execute(
                f"select count(*) from metric_facts where article_id in {ids}").fetchone()[0]
            for table in ("metric_facts", "events", "people_moves", "articles"):
                con.execute(f"delete from {table} where article_id in {ids}")
        con.execute(
            """
            insert into articles by name
            select b.*, coalesce(k.ingested_at, $now) as ingested_at, $now as updated_at
            from batch_articles as b left join kept_times as k using (article_id)
            """,
            {"now": now},
        )
        con.execute("insert into metric_facts by name select * from batch_facts")
        con.execute("insert into events by name select * from batch_events")
        con.execute("insert into people_moves by name select * from batch_people")
        counts.facts_added = batch.facts.height
        counts.events_added = batch.events.height
        counts.people_added = batch.people.height
    finally:
        for name in ("batch_articles", "batch_facts", "batch_events", "batch_people"):
            con.unregister(name)


def _record_errors(con: duckdb.DuckDBPyConnection, errors: pl.DataFrame, now: datetime) -> int:
    """Insert new error rows; a repeat of a known error bumps its attempts and last_seen."""
    con.register("batch_errors", errors.unique(["url", "stage"], keep="last").to_arrow())
    try:
        con.execute(
            """
            update ingest_errors as e
            set last_seen = $now, attempts = e.attempts + 1, message = b.message,
                error_class = b.error_class, content_hash = b.content_hash, source = b.source
            from batch_errors as b
            where e.url = b.url and e.stage = b.stage
            """,
            {"now": now},
        )
        con.execute(
            """
            insert into ingest_errors by name
            select b.*, $now as first_seen, $now as last_seen, 1 as attempts
            from batch_errors as b
            where not exists (select 1 from ingest_errors as e where e.url = b.url and e.stage = b.stage)
            """,
            {"now": now},
        )
    finally:
        con.unregister("batch_errors")
    return errors.height


def known_articles(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """content_hash -> extractor_version of every loaded article (for incremental skips)."""
    rows = con.execute("select content_hash, extractor_version from articles").fetchall()
    return dict(rows)


def known_failures(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(url, content_hash) of inputs that already failed: an unchanged bad file is not retried.

    A warehouse from before the errors table (schema 1) has none; the writer adds the table.
    """
    has_table = con.execute(
        "select count(*) from information_schema.tables where table_name = 'ingest_errors'").fetchone()[0]
    if not has_table:
        return set()
    rows = con.execute("select url, content_hash from ingest_errors where content_hash is not null").fetchall()
    return set(rows)
