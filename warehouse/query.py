"""Read-only queries for the CLI: results as a table, CSV, JSON or Parquet."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from warehouse.db import Writer, open_readonly


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
            return
        target = out or sys.stdout
        if fmt == "csv":
            self.frame.write_csv(target)
        elif fmt == "json":
            text = self.frame.write_json()
            if out:
                Path(out).write_text(text, encoding="utf-8")
            else:
                print(text)
        else:
            Path(out).write_text(self.render_table(self.frame.height), encoding="utf-8")


def run_query(db: str | Path, sql: str) -> QueryResult:
    """Run one statement on a read-only connection."""
    con = open_readonly(db)
    try:
        try:
            relation = con.sql(sql)
            return QueryResult(relation.pl() if relation is not None else pl.DataFrame())
        except duckdb.Error as exc:
            raise ValueError(f"query failed on {db}: {exc}") from None
    finally:
        con.close()


def run_write(db: str | Path, sql: str) -> None:
    """Run a modifying statement through the single-writer path."""
    with Writer(db) as writer:
        assert writer.con is not None
        writer.con.execute(sql)
