"""Consolidated figures as a table: the live view is too slow to query at a million facts.

`stg_consolidated_metrics` (warehouse/sql/) computes the consolidation from the facts
in a few seconds; the writer copies it into `consolidated_metrics` before every
publish, and `v_consolidated_metrics` and the views built on it read that table in
milliseconds. The table is derived data: refreshing it is always safe.
"""

from __future__ import annotations

import logging
import time

import duckdb

LOG = logging.getLogger(__name__)

# The table's shape before the first refresh, so the views that read it can be created.
# The refresh replaces it with whatever stg_consolidated_metrics returns.
CONSOLIDATED_DDL = """
create table if not exists consolidated_metrics (
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

REFRESH_SQL = """
create or replace table consolidated_metrics as
select * from stg_consolidated_metrics
order by metric, entity, market, period
"""


def prepare_consolidated(con: duckdb.DuckDBPyConnection) -> None:
    """Create the (empty) table if this warehouse has none yet, before the views are installed."""
    con.execute(CONSOLIDATED_DDL)


def refresh_consolidated(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute every consolidated figure from the facts; returns the number of figures."""
    started = time.perf_counter()
    con.execute(REFRESH_SQL)
    rows = con.execute("select count(*) from consolidated_metrics").fetchone()[0]
    LOG.info("consolidated %d figures in %.2f s", rows, time.perf_counter() - started)
    return rows
