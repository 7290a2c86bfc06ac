"""The `raw_documents` table: what was fetched, when, and how to ask for it again.

The bodies themselves live in the content-addressed folder (sources/archive.py); this
table holds their metadata. Values only reach SQL as bound parameters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from sources.known import Validator

RAW_COLUMNS = (
    "url", "final_url", "status", "headers", "fetched_at", "content_hash", "content_type",
    "etag", "last_modified", "kind", "source",
)


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    """An archived page to parse again, without the network."""

    url: str
    final_url: str
    content_hash: str
    content_type: str | None
    source: str | None


def record_fetches(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> int:
    """Add fetched documents in one transaction; a (url, content_hash) already known adds nothing."""
    if not rows:
        return 0
    before = con.execute("select count(*) from raw_documents").fetchone()[0]
    con.execute("begin transaction")
    try:
        for row in rows:
            values = [_column_value(row, name) for name in RAW_COLUMNS]
            con.execute(
                f"""
                insert into raw_documents ({", ".join(RAW_COLUMNS)})
                select {", ".join("?" for _ in RAW_COLUMNS)}
                where not exists (select 1 from raw_documents where url = ? and content_hash = ?)
                """,
                [*values, row["url"], row["content_hash"]],
            )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return con.execute("select count(*) from raw_documents").fetchone()[0] - before


def _column_value(row: dict, name: str) -> object:
    """A row's value for one column; headers go in as JSON text."""
    value = row.get(name)
    if name == "headers" and value is not None and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if name == "fetched_at" and value is None:
        return datetime.now()
    return value


def known_validators(con: duckdb.DuckDBPyConnection) -> dict[str, Validator]:
    """url -> its latest archived response (an older warehouse without the table gives none)."""
    if not _has_table(con):
        return {}
    rows = con.execute(
        """
        select url, etag, last_modified, content_hash, content_type, final_url, kind
        from raw_documents
        qualify row_number() over (partition by url order by fetched_at desc) = 1
        """
    ).fetchall()
    return {row[0]: Validator(*row[1:]) for row in rows}


def known_documents(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(url, content_hash) pairs already archived: fetching them again adds no row."""
    if not _has_table(con):
        return set()
    return set(con.execute("select url, content_hash from raw_documents").fetchall())


def pages_to_reprocess(con: duckdb.DuckDBPyConnection, version: str, everything: bool = False) -> list[ArchivedPage]:
    """The latest archived page of each article whose extractor version differs from `version`."""
    if not _has_table(con):
        return []
    rows = con.execute(
        """
        with latest as (
            select url, final_url, content_hash, content_type, source
            from raw_documents
            where kind = 'page'
            qualify row_number() over (partition by final_url order by fetched_at desc) = 1
        )
        select l.url, l.final_url, l.content_hash, l.content_type, l.source
        from latest as l
        join articles as a on a.url = l.final_url and a.content_hash = l.content_hash
        where $everything or a.extractor_version is distinct from $version
        order by l.final_url
        """,
        {"version": version, "everything": everything},
    ).fetchall()
    return [ArchivedPage(*row) for row in rows]


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse has been migrated to hold the archive table."""
    return con.execute(
        "select count(*) from information_schema.tables where table_name = 'raw_documents'"
    ).fetchone()[0] > 0


def urls_with_errors(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Urls that have an ingest_errors row: a later success must clear them."""
    return {row[0] for row in con.execute("select distinct url from ingest_errors").fetchall()}


def clear_errors(con: duckdb.DuckDBPyConnection, urls: list[str], stages: tuple[str, ...]) -> int:
    """Forget the errors of these stages for urls that now work (a later success clears its error)."""
    if not urls:
        return 0
    con.execute("begin transaction")
    try:
        found = con.execute(
            "delete from ingest_errors where url in (select unnest(?::varchar[])) "
            "and stage in (select unnest(?::varchar[])) returning 1", [urls, list(stages)]).fetchall()
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return len(found)
