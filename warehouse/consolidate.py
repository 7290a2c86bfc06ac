"""Consolidated figures as tables: the live views are too slow to query at a million facts.

`stg_consolidated_metrics` (warehouse/sql/) computes the consolidation from the facts
in seconds; the writer copies it into `consolidated_metrics` before every publish, and
`stg_conflict_sources` (every fact of a conflicting cell, with its article) into
`conflict_sources`, and `stg_fact_conflicts` (each disputed figure against its cell's leading
figure) into `fact_conflicts`. `v_consolidated_metrics`, `v_conflict_sources`, `v_fact_conflicts` and
the views built on them read those tables in milliseconds. All three are derived data, kept in the schema
`derived` (so exports, which copy the `main` tables, leave them out): refreshing is always
safe, and `install_views` fills them when it has to create them (a new or imported file).
"""

from __future__ import annotations

import logging
import time

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

CONSOLIDATED_ORDER = "metric, value desc, entity, market, period"  # metric first: its zone maps skip row groups

# In order: conflict_sources reads consolidated_metrics, fact_conflicts reads conflict_sources (through the views).
REFRESH_SQL = (
    """
    create or replace table derived.conflict_sources as
    select * from stg_conflict_sources
    order by conflict_id, value, fact_id
    """,
    """
    create or replace table derived.fact_conflicts as
    select * from stg_fact_conflicts
    order by ratio desc, conflict_id, fact_id_a, fact_id_b
    """,
)


def prepare_consolidated(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the (empty) tables this warehouse lacks; True if any was just created (so it needs a refresh)."""
    present = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'derived' "
        "and table_name in ('consolidated_metrics', 'conflict_sources', 'fact_conflicts')"
    ).fetchall()[0][0]
    con.execute("create schema if not exists derived")
    con.execute(CONSOLIDATED_DDL)
    con.execute(CONFLICT_SOURCES_DDL)
    con.execute(FACT_CONFLICTS_DDL)
    return present < 3


def refresh_within_memory(con: duckdb.DuckDBPyConnection, limit_mb: int = REFRESH_MEMORY_LIMIT_MB) -> int:
    """Refresh under a DuckDB memory cap (4x more room on each of two retries), so publishing a large
    warehouse does not need its size in RAM."""
    limits = [limit_mb, limit_mb * 4, limit_mb * 16]
    for limit, more in zip(limits, [*limits[1:], None], strict=True):
        con.execute(f"set memory_limit = '{limit}MB'")
        try:
            return refresh_consolidated(con)
        except duckdb.OutOfMemoryException:
            if more is None:
                raise
            LOG.warning("refreshing the consolidated tables needs more than %d MB; retrying with %d MB", limit, more)
    raise AssertionError("unreachable: the last attempt returns or raises")


def refresh_consolidated(con: duckdb.DuckDBPyConnection, facts_per_pass: int = FACTS_PER_PASS) -> int:
    """Recompute every consolidated figure from the facts, in passes of about `facts_per_pass` facts; returns
    the number of figures."""
    started = time.perf_counter()
    facts = con.execute("select count(*) from metric_facts").fetchall()[0][0]
    passes = max(1, -(-facts // facts_per_pass))
    con.execute("create or replace table derived.consolidated_metrics as "
                "select * from stg_consolidated_metrics limit 0")
    for part in range(passes):
        con.execute("insert into derived.consolidated_metrics select * from consolidate_cells($parts, $part) "
                    f"order by {CONSOLIDATED_ORDER}", {"parts": passes, "part": part})
    for sql in REFRESH_SQL:
        con.execute(sql)
    rows = con.execute("select count(*) from derived.consolidated_metrics").fetchall()[0][0]
    LOG.info("consolidated %d figures in %d pass(es) in %.2f s", rows, passes, time.perf_counter() - started)
    return rows
