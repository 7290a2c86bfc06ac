"""Consolidated figures as tables: the live views are too slow to query at a million facts.

`stg_consolidated_metrics` (warehouse/sql/) computes the consolidation from the facts
in seconds; the writer copies it into `consolidated_metrics` before every publish, and
`stg_conflict_sources` (every fact of a conflicting cell, with its article) into
`conflict_sources`, and `stg_fact_conflicts` (each disputed figure against its cell's leading
figure) into `fact_conflicts`. `v_consolidated_metrics`, `v_conflict_sources`, `v_fact_conflicts` and
the views built on them read those tables in milliseconds. All three are derived data, kept in the schema
`derived` (so exports, which copy the `main` tables, leave them out): refreshing is always
safe, and `install_views` fills them when it has to create them (a new or imported file).

Every figure depends only on the facts of its cell (entity, market, metric, period, qualifier,
unit), so a publish recomputes only the cells whose facts changed. Which ones is found by
comparison, not by bookkeeping in the loaders: `derived.fact_digests` keeps a hash of every fact
as it was at the last refresh (`stg_fact_digests`), and the cells of the hashes that appeared or
disappeared since are the changed ones, however the change was made (a load, a reprocess,
`chuhai sql --write`). An hourly run that adds 50 articles to a million facts refreshes a few
hundred cells in about a second instead of recomputing all of them; a backfill that changes most
cells, a warehouse without digests, and a new version of the consolidation SQL recompute everything.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

LOG = logging.getLogger(__name__)

# The table's shape before the first refresh, so the views that read it can be created.
# The refresh replaces it with whatever stg_consolidated_metrics returns.
CONSOLIDATED_DDL = """
create table if not exists derived.consolidated_metrics (
    consolidated_id varchar,
    entity varchar,
    market varchar,
    metric varchar,
    period varchar,
    qualifier varchar,
    unit varchar,
    value double,
    value_low double,
    value_high double,
    stated_units varchar[],
    sources bigint,
    facts bigint,
    first_seen date,
    last_seen date,
    fact_ids varchar[],
    latest_fact_id varchar,
    latest_url varchar,
    period_grain varchar,
    period_start date,
    period_seq bigint,
    rank_in_cell bigint,
    figures_in_cell bigint,
    cell_low double,
    cell_high double,
    in_conflict boolean,
    cell_hash ubigint
)
"""

CONFLICT_SOURCES_DDL = """
create table if not exists derived.conflict_sources (
    conflict_id ubigint,
    entity varchar,
    market varchar,
    metric varchar,
    period varchar,
    qualifier varchar,
    unit varchar,
    cell_low double,
    cell_high double,
    spread_pct double,
    figures_in_cell bigint,
    consolidated_id varchar,
    figure_value double,
    figure_sources bigint,
    fact_id varchar,
    value double,
    value_as_stated double,
    unit_as_stated varchar,
    article_id varchar,
    url varchar,
    title varchar,
    source varchar,
    published_at date,
    sentence varchar,
    span_start integer,
    span_end integer
)
"""

# A hash per fact as of the last refresh (stg_fact_digests): a cell whose hashes changed needs recomputing.
FACT_DIGESTS_DDL = """
create table if not exists derived.fact_digests (
    cell_hash ubigint,
    digest ubigint
)
"""

# The cells an incremental refresh recomputes; empty outside a refresh (consolidate_cells reads it).
TOUCHED_CELLS_DDL = """
create table if not exists derived.touched_cells (
    cell_hash ubigint
)
"""

# One row: the consolidation SQL the derived tables were computed with, and the last refresh.
REFRESH_STATE_DDL = """
create table if not exists derived.refresh_state (
    sql_digest varchar,
    refreshed_at timestamp,
    mode varchar,
    cells bigint,
    facts bigint,
    seconds double
)
"""

FACT_CONFLICTS_DDL = """
create table if not exists derived.fact_conflicts (
    conflict_id ubigint,
    entity varchar,
    market varchar,
    metric varchar,
    period varchar,
    qualifier varchar,
    unit varchar,
    value_a double,
    value_b double,
    ratio double,
    url_a varchar,
    url_b varchar,
    sentence_a varchar,
    sentence_b varchar,
    fact_id_a varchar,
    fact_id_b varchar,
    published_a date,
    published_b date,
    figure_value_a double,
    figure_value_b double,
    figure_sources_a bigint,
    figure_sources_b bigint,
    figures_in_cell bigint,
    cell_low double,
    cell_high double
)
"""

# Facts consolidated per pass: a pass holds its share of the facts (windows, lists) in memory, so the
# refresh of a large warehouse runs in passes over disjoint shares of the cells and its memory stays flat.
FACTS_PER_PASS = 200_000
# DuckDB's cap while the writer refreshes: room for one pass (about 280 MB at 200,000 facts); sorts and
# joins beyond it spill to disk. A pass that still runs out (one giant cell) is retried with more room.
REFRESH_MEMORY_LIMIT_MB = 256
# Above this share of the facts in changed cells, recomputing everything (in order) is the cheaper refresh.
INCREMENTAL_MAX_SHARE = 0.5

# The SQL files the derived tables are computed from: when one changes, every cell is recomputed.
SQL_DIR = Path(__file__).resolve().parent / "sql"
CONSOLIDATION_SQL = ("stg_correction_anchors.sql", "stg_reviewed_facts.sql", "stg_corrected_facts.sql",
                     "stg_metric_facts.sql", "stg_consolidated_metrics.sql", "stg_conflict_sources.sql",
                     "stg_fact_conflicts.sql", "stg_fact_digests.sql")
DERIVED_TABLES = ("consolidated_metrics", "conflict_sources", "fact_conflicts", "fact_digests", "touched_cells",
                  "refresh_state")
TOUCHED = "(select cell_hash from derived.touched_cells)"


@dataclass(frozen=True, slots=True)
class Derived:
    """A derived table: the query of its rows, keyed by cell, for every cell or (`{touched}` true) only the
    cells in derived.touched_cells, and the order its rows are written in."""

    table: str
    rows: str  # a template: {touched} is true or false; {parts} and {part} choose a share of the cells
    key: str  # the column holding the cell hash
    order: str
    in_passes: bool = False  # computed in passes over shares of the cells (the one that holds facts in memory)


# In order: each reads the ones before it (through the views). consolidated_metrics leads with the metric, so
# its zone maps skip row groups.
DERIVED = (
    Derived("consolidated_metrics", "select * from consolidate_cells({parts}, {part}, only_touched := {touched})",
            "cell_hash", "metric, value desc, entity, market, period", in_passes=True),
    Derived("conflict_sources", "select * from stg_conflict_sources where not {touched} or conflict_id in " + TOUCHED,
            "conflict_id", "conflict_id, value, fact_id"),
    Derived("fact_conflicts", "select * from fact_conflicts_of(only_touched := {touched})",
            "conflict_id", "ratio desc, conflict_id, fact_id_a, fact_id_b"),
    Derived("fact_digests", "select cell_hash, digest from stg_fact_digests where not {touched} or cell_hash in "
            + TOUCHED, "cell_hash", "cell_hash"),
)

# Cells whose facts' hashes appeared or disappeared since the last refresh (a multiset difference both ways).
CHANGED_CELLS_SQL = """
insert into derived.touched_cells
select distinct cell_hash from (
    (select cell_hash, digest from stg_fact_digests except all select cell_hash, digest from derived.fact_digests)
    union all
    (select cell_hash, digest from derived.fact_digests except all select cell_hash, digest from stg_fact_digests)
)
"""


@dataclass(frozen=True, slots=True)
class Refresh:
    """What a refresh did: `full`, `incremental` or `none`; the cells and facts it recomputed; its figures."""

    mode: str
    cells: int
    facts: int
    figures: int
    seconds: float


def prepare_consolidated(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the (empty) tables this warehouse lacks; True if any was just created (so it needs a refresh)."""
    present = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'derived' "
        f"and table_name in {DERIVED_TABLES}"
    ).fetchall()[0][0]
    con.execute("create schema if not exists derived")
    for ddl in (CONSOLIDATED_DDL, CONFLICT_SOURCES_DDL, FACT_CONFLICTS_DDL, FACT_DIGESTS_DDL, TOUCHED_CELLS_DDL,
                REFRESH_STATE_DDL):
        con.execute(ddl)
    return present < len(DERIVED_TABLES)


def consolidation_sql_digest() -> str:
    """A short hash of the SQL the derived tables come from: another version's tables are recomputed whole."""
    digest = hashlib.sha256()
    for name in CONSOLIDATION_SQL:
        digest.update((SQL_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def refresh_within_memory(con: duckdb.DuckDBPyConnection, limit_mb: int = REFRESH_MEMORY_LIMIT_MB,
                          full: bool = False) -> Refresh:
    """Refresh what changed under a DuckDB memory cap (4x more room on each of two retries), so publishing a
    large warehouse does not need its size in RAM."""
    limits = [limit_mb, limit_mb * 4, limit_mb * 16]
    for limit, more in zip(limits, [*limits[1:], None], strict=True):
        con.execute(f"set memory_limit = '{limit}MB'")
        try:
            return refresh_changed(con, full=full)
        except duckdb.OutOfMemoryException:
            if more is None:
                raise
            LOG.warning("refreshing the consolidated tables needs more than %d MB; retrying with %d MB", limit, more)
    raise AssertionError("unreachable: the last attempt returns or raises")


def refresh_changed(con: duckdb.DuckDBPyConnection, facts_per_pass: int = FACTS_PER_PASS,
                    full: bool = False) -> Refresh:
    """Recompute the cells whose facts changed since the last refresh, or every cell when that is cheaper or
    the last refresh is not comparable (another SQL version, no digests yet, `full`).

    Statements commit one by one (a transaction would hold a backfill's rows in memory), in an order that
    makes a retry after a failure (out of memory) redo the same work: the digests and the state are the
    last things written, so the next attempt finds the same changed cells.
    """
    started = time.perf_counter()
    sql_digest = consolidation_sql_digest()
    facts = con.execute("select count(*) from metric_facts").fetchall()[0][0]
    comparable = not full and con.execute("select sql_digest from derived.refresh_state").fetchall() == [(sql_digest,)]
    cells = touched_facts = 0
    con.execute("delete from derived.touched_cells")
    if comparable:
        con.execute(CHANGED_CELLS_SQL)
        cells, touched_facts = con.execute(
            f"select (select count(*) from derived.touched_cells), "
            f"(select count(*) from stg_metric_facts where cell_hash in {TOUCHED})").fetchall()[0]
    if not comparable or touched_facts > INCREMENTAL_MAX_SHARE * facts:
        mode, touched_facts = "full", facts
        _recompute(con, facts, facts_per_pass, touched=False)
        cells = con.execute("select count(distinct cell_hash) from derived.consolidated_metrics").fetchall()[0][0]
    elif cells:
        mode = "incremental"
        _recompute(con, touched_facts, facts_per_pass, touched=True)
    else:
        mode = "none"
    con.execute("delete from derived.touched_cells")
    figures = con.execute("select count(*) from derived.consolidated_metrics").fetchall()[0][0]
    result = Refresh(mode, cells, touched_facts, figures, time.perf_counter() - started)
    if mode != "none":
        con.execute("delete from derived.refresh_state")
        con.execute("insert into derived.refresh_state values ($sql, current_localtimestamp(), $mode, $cells, $facts, "
                    "$seconds)", {"sql": sql_digest, "mode": mode, "cells": cells, "facts": touched_facts,
                                  "seconds": result.seconds})
    LOG.info("consolidation refresh (%s): %d cells, %d facts recomputed; %d figures in %.2f s",
             mode, cells, touched_facts, figures, result.seconds)
    return result


def _recompute(con: duckdb.DuckDBPyConnection, facts: int, facts_per_pass: int, touched: bool) -> None:
    """Every derived table's rows of the touched cells (`touched`) or of every cell, replaced.

    A full recompute creates each table anew from its query (so a new version's columns take effect, and rows
    lie in order); an incremental one deletes the touched cells' rows and appends their new ones.
    """
    passes = max(1, -(-facts // facts_per_pass))
    for d in DERIVED:
        shares = [(passes, part) for part in range(passes)] if d.in_passes else [(1, 0)]
        if touched:
            con.execute(f"delete from derived.{d.table} where {d.key} in {TOUCHED}")
        else:
            con.execute(f"create or replace table derived.{d.table} as "
                        f"{d.rows.format(parts=1, part=0, touched='false')} limit 0")
        for parts, part in shares:
            rows = d.rows.format(parts=parts, part=part, touched=str(touched).lower())
            con.execute(f"insert into derived.{d.table} {rows} order by {d.order}")


def refresh_consolidated(con: duckdb.DuckDBPyConnection, facts_per_pass: int = FACTS_PER_PASS) -> int:
    """Recompute every consolidated figure from the facts, in passes of about `facts_per_pass` facts; returns
    the number of figures."""
    return refresh_changed(con, facts_per_pass, full=True).figures
