"""Whole-warehouse snapshots: every table's rows, sorted, so two warehouses compare with `==`."""

from __future__ import annotations

from pathlib import Path

import duckdb

# Columns that record when something happened, not what: a re-run legitimately changes them.
CLOCK_COLUMNS = frozenset({"ingested_at", "updated_at", "first_seen", "last_seen", "applied_at", "exported_at"})


def tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Base tables of a warehouse (schema main, as export sees them), by name."""
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and table_schema = 'main' order by 1"  # not the derived tables
    ).fetchall()
    return [r[0] for r in rows]


def snapshot(db: str | Path, ignore: frozenset[str] = frozenset()) -> dict[str, list[tuple]]:
    """Every table's rows (minus the `ignore` columns) as a sorted list, read from a read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in tables(con):
            cols = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
                [table]).fetchall() if r[0] not in ignore]
            select = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f'select {select} from "{table}"').fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def row_count(snap: dict[str, list[tuple]]) -> int:
    """Rows in a snapshot, all tables together (the figure the reports quote)."""
    return sum(len(rows) for rows in snap.values())
