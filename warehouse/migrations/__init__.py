"""Versioned schema migrations: `NNN_name.sql` files applied in order, each once.

An old warehouse file upgrades in place the next time a writer opens it.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

MIGRATIONS_DIR = Path(__file__).resolve().parent
MIGRATION_FILE = re.compile(r"^(?P<version>\d{3})_(?P<name>\w+)\.sql$")


def available() -> list[tuple[int, str, Path]]:
    """(version, name, file) of every migration shipped, in order."""
    found = []
    for path in MIGRATIONS_DIR.glob("*.sql"):
        match = MIGRATION_FILE.match(path.name)
        if match:
            found.append((int(match["version"]), match["name"], path))
    return sorted(found)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Highest migration applied to this warehouse (0 for an empty file)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from schema_migrations").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[int]:
    """Apply the missing migrations (up to `upto`), each in its own transaction."""
    con.execute(
        "create table if not exists schema_migrations (version integer not null, name varchar not null, "
        "applied_at timestamp not null default current_timestamp)"
    )
    applied = []
    have = current_version(con)
    for version, name, path in available():
        if version <= have or (upto is not None and version > upto):
            continue
        con.execute("begin transaction")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into schema_migrations (version, name) values (?, ?)", [version, name])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(version)
    return applied
