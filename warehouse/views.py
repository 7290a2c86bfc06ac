"""The SQL views analysts query, one `.sql` file each in `warehouse/sql/`.

Each file opens with a comment block: the question the view answers (first line),
its grain and its columns. Views are created inside the warehouse file, so any
SQL client sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from warehouse.consolidate import SQL_DIR, prepare_consolidated, refresh_within_memory

VIEW_NAME = re.compile(r"create\s+or\s+replace\s+view\s+(\w+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ViewFile:
    """A view's name, its one-line purpose and its SQL."""

    name: str
    purpose: str
    sql: str


def view_files() -> list[ViewFile]:
    """Every view shipped, sorted by name."""
    out = []
    for path in sorted(SQL_DIR.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        match = VIEW_NAME.search(sql)
        if match:
            out.append(ViewFile(match.group(1), _purpose(sql), sql))
    return out


def _purpose(sql: str) -> str:
    """First comment line of a view file: the question it answers."""
    for line in sql.splitlines():
        if line.startswith("--"):
            text = line.lstrip("-").strip()
            if text:
                return text
    return ""


def install_views(con: duckdb.DuckDBPyConnection, fill_new_tables: bool = True) -> None:
    """Create or replace every view; views that read other views are retried until all resolve.

    The consolidated tables some views read are created first, and filled after the views
    when they did not exist yet (a new, upgraded or imported warehouse), unless the caller
    refreshes them itself (the writer does before it publishes).
    """
    created = prepare_consolidated(con)
    pending = view_files()
    while pending:
        failed = []
        for view in pending:
            try:
                con.execute(view.sql)
            except (duckdb.CatalogException, duckdb.BinderException):  # reads a view not (re)created yet
                failed.append(view)
        if len(failed) == len(pending):
            con.execute(failed[0].sql)  # raises the real error, naming the view
        pending = failed
    if created and fill_new_tables:
        refresh_within_memory(con, full=True)
