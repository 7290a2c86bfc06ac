"""Read-only queries for the CLI: results as a table, CSV, JSON or Parquet."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from warehouse.db import Writer, duckdb_config, open_readonly


@dataclass(slots=True)
class QueryResult:
    """A query's rows as a polars frame."""

    frame: pl.DataFrame

    def render_table(self, max_rows: int = 40) -> str:
        """A fixed-width table for the terminal."""
        with pl.Config(tbl_rows=max_rows, tbl_cols=30, fmt_str_lengths=60, tbl_width_chars=200,
                       tbl_hide_dataframe_shape=True, float_precision=2, thousands_separator=True):
            text = str(self.frame)
        more = self.frame.height - max_rows
        return text + (f"\n({self.frame.height} rows, {more} not shown)" if more > 0 else f"\n({self.frame.height} rows)")

    def save(self, fmt: str, out: str | None) -> None:
        """Write the rows in `fmt` to `out` (or stdout for text formats)."""
        if fmt == "parquet":
            if not out:
                raise ValueError("--format parquet needs --out FILE")
            self.frame.write_parquet(out)
        elif fmt == "csv":
            text = _flat(self.frame).write_csv()
            _emit(text, out)
        elif fmt == "json":
            _emit(self.frame.write_json(), out)
        else:
            _emit(self.render_table(self.frame.height), out)


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested columns (lists, structs) as JSON text, since CSV cells hold only scalars."""
    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested()]
    return frame.with_columns(
        pl.Series(name, [None if v is None else json.dumps(v, default=str, ensure_ascii=False)
                         for v in frame[name].to_list()], dtype=pl.String)
        for name in nested
    )


def _emit(text: str, out: str | None) -> None:
    """Text to a file, or to stdout."""
    if out:
        Path(out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        print(text, end="" if text.endswith("\n") else "\n")


def run_query(db: str | Path, sql: str) -> QueryResult:
    """Run one statement on a read-only connection."""
    con = open_readonly(db)
    try:
        try:
            relation = con.sql(sql)
            return QueryResult(relation.pl() if relation is not None else pl.DataFrame())
        except duckdb.Error as exc:
            hint = " (the warehouse opens read-only: add --write to modify it)" if "read-only" in str(exc) else ""
            raise ValueError(f"query failed on {db}: {exc}{hint}") from None
    finally:
        con.close()


def run_write(db: str | Path, sql: str) -> None:
    """Run a modifying statement through the single-writer path."""
    with Writer(db) as writer:
        assert writer.con is not None
        writer.con.execute(sql)


def duckdb_cli() -> str | None:
    """The DuckDB command-line client installed beside this Python (PyPI duckdb-cli), else one on PATH."""
    beside = Path(sys.executable).parent / "duckdb"
    return str(beside) if beside.exists() else shutil.which("duckdb")


def open_shell(db: str | Path, write: bool = False) -> int:
    """An interactive SQL session: the DuckDB CLI, read-only unless `write`; returns its exit code.

    With `write` the session edits the writer's private copy and publishes it on a clean exit,
    so readers keep their snapshot and the consolidated tables are refreshed as after a load.
    """
    path = Path(db)
    cli = duckdb_cli()
    if not write:
        open_readonly(path).close()  # a clear error if the file is missing or held by a writer
        if cli:
            return subprocess.call([cli, "-readonly", str(path)])
        return python_shell(path)
    if not cli:
        raise ValueError("chuhai shell --write needs the DuckDB CLI (pip package duckdb-cli)")
    with Writer(path) as writer:
        assert writer.con is not None
        writer.con.close()
        try:
            code = subprocess.call([cli, str(writer.stage)])
        finally:
            writer.con = duckdb.connect(str(writer.stage), config=duckdb_config())
        if code != 0:
            raise ValueError(f"the SQL session ended with code {code}: nothing was published to {path}")
    return 0


def python_shell(db: str | Path) -> int:
    """A minimal read-only SQL prompt in Python, when no DuckDB CLI is installed."""
    con = open_readonly(db)
    statement = ""
    try:
        while True:
            try:
                line = input("chuhai> " if not statement else "   ...> ")
            except EOFError:
                return 0
            statement += line + "\n"
            if not statement.strip().endswith(";"):
                continue
            try:
                relation = con.sql(statement)
                if relation is not None:
                    print(QueryResult(relation.pl()).render_table())
            except duckdb.Error as exc:
                print(f"error: {exc}")
            statement = ""
    finally:
        con.close()
