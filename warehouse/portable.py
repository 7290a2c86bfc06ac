"""Backup and portability: the warehouse as one Parquet file per table, and back.

`export_warehouse` writes every table of a published warehouse to `<table>.parquet`
plus `schema_version.json` (the schema version and each table's row count), so a
backup can be read by any Parquet tool. `import_warehouse` rebuilds a NEW warehouse
file from such a folder: the schema is created by the migrations up to the exported
version, the rows are inserted, the remaining migrations upgrade it, the counts are
checked, and only then does the file appear under its name (atomic rename).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from warehouse.db import WarehouseError, duckdb_config, open_readonly, writer_lock
from warehouse.migrations import available, current_version, migrate
from warehouse.views import install_views

MANIFEST = "schema_version.json"
HISTORY_TABLE = "schema_migrations"
FORMAT = "chuhai-export-1"


@dataclass(frozen=True, slots=True)
class Manifest:
    """What an export folder holds: the schema version and the rows of each table."""

    schema_version: int
    tables: dict[str, int]

    def to_json(self) -> str:
        """The manifest as written to schema_version.json."""
        return json.dumps({"format": FORMAT, "schema_version": self.schema_version, "tables": self.tables,
                           "exported_at": datetime.now().isoformat(timespec="seconds")}, indent=2)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest of an export folder, with a clear error when it is missing or not ours."""
        path = folder / MANIFEST
        if not path.is_file():
            raise WarehouseError(f"{folder} is not a Chuhai export: {MANIFEST} is missing")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(int(data["schema_version"]), {str(k): int(v) for k, v in data["tables"].items()})
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise WarehouseError(f"{path} is not a valid export manifest: {exc}") from None


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table (not view) of the warehouse, by name."""
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and table_schema = 'main' order by table_name"
    ).fetchall()
    return [r[0] for r in rows]


def export_warehouse(db: str | Path, out: str | Path) -> Manifest:
    """Write every table of `db` as Parquet into the folder `out`, plus schema_version.json."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise WarehouseError(f"{out} already exists and is not an empty folder: choose a new folder for the export")
    con = open_readonly(db)
    try:
        version = current_version(con)
        out.mkdir(parents=True, exist_ok=True)
        counts = {}
        for table in base_tables(con):
            cursor = con.cursor()  # a fresh cursor per table: no unfinished result stands in the way
            cursor.table(table).write_parquet(str(out / f"{table}.parquet"))
            counts[table] = cursor.execute(f'select count(*) from "{table}"').fetchall()[0][0]
            cursor.close()
    finally:
        con.close()
    manifest = Manifest(version, counts)
    (out / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def import_warehouse(folder: str | Path, db: str | Path) -> Manifest:
    """Restore an export folder into the new warehouse file `db` (never over an existing one)."""
    folder, db = Path(folder), Path(db)
    manifest = Manifest.read(folder)
    latest = available()[-1][0]
    if manifest.schema_version > latest:
        raise WarehouseError(
            f"{folder} was exported from schema version {manifest.schema_version}, newer than this Chuhai "
            f"knows ({latest}): upgrade Chuhai before importing it"
        )
    _check_files(folder, manifest)
    _refuse_existing(db)
    with writer_lock(db, timeout=10):
        _refuse_existing(db)
        staging = db.with_name(f".{db.name}.importing")
        _unlink(staging)
        try:
            _build(folder, manifest, staging)
            os.replace(staging, db)
        finally:
            _unlink(staging)
    return manifest


def _check_files(folder: Path, manifest: Manifest) -> None:
    """Every table the manifest names has its Parquet file."""
    missing = [t for t in manifest.tables if not (folder / f"{t}.parquet").is_file()]
    if missing:
        raise WarehouseError(f"{folder} is incomplete: missing {', '.join(t + '.parquet' for t in missing)}")


def _refuse_existing(db: Path) -> None:
    """Import only ever creates a warehouse; it never replaces one."""
    if db.exists():
        raise WarehouseError(f"{db} already exists: import restores into a new warehouse file only")


def _build(folder: Path, manifest: Manifest, path: Path) -> None:
    """Schema at the exported version, the rows, then the later migrations; counts checked."""
    con = duckdb.connect(str(path), config=duckdb_config())
    try:
        migrate(con, upto=manifest.schema_version)
        known = set(base_tables(con))
        for table in manifest.tables:
            if table not in known:
                raise WarehouseError(
                    f"{folder / (table + '.parquet')}: table {table} is not part of schema version "
                    f"{manifest.schema_version}"
                )
            _insert(con, table, folder / f"{table}.parquet")
        migrate(con)
        install_views(con)
        _verify(con, folder, manifest)
        con.execute("checkpoint")
    finally:
        con.close()


def _insert(con: duckdb.DuckDBPyConnection, table: str, parquet: Path) -> None:
    """Load one table's Parquet rows by column name (the migration history replaces the fresh one)."""
    try:
        rows = pq.read_table(parquet)
    except Exception as exc:  # a truncated or foreign file: name it
        raise WarehouseError(f"{parquet}: cannot read Parquet ({exc})") from None
    con.register("imported_rows", rows)
    try:
        con.execute("begin transaction")
        if table == HISTORY_TABLE:
            con.execute(f'delete from "{table}"')
        con.execute(f'insert into "{table}" by name select * from imported_rows')
        con.execute("commit")
    except duckdb.Error as exc:
        con.execute("rollback")
        raise WarehouseError(f"{parquet}: rows do not fit table {table}: {str(exc).splitlines()[0]}") from None
    finally:
        con.unregister("imported_rows")


def _verify(con: duckdb.DuckDBPyConnection, folder: Path, manifest: Manifest) -> None:
    """Each restored table holds exactly the rows the export counted."""
    for table, expected in manifest.tables.items():
        if table == HISTORY_TABLE:
            continue  # later migrations add their own rows
        found = con.execute(f'select count(*) from "{table}"').fetchall()[0][0]
        if found != expected:
            raise WarehouseError(f"{folder}: {table} restored {found} rows, the export holds {expected}")


def _unlink(path: Path) -> None:
    """Remove a file and its WAL when present."""
    for p in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
