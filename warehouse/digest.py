"""What the warehouse gained in a time window: the daily digest's queries, one `.sql` file each.

The files are in `warehouse/sql/digest/`, each with a header giving its question, grain,
columns and parameters; values reach them only as bound parameters. "New" means from
articles loaded or changed in the window (`articles.updated_at >= $since`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import polars as pl

from warehouse.consolidate import SQL_DIR

DIGEST_SQL_DIR = SQL_DIR / "digest"
CHANGES_SHOWN = 10


@dataclass(slots=True)
class DayChanges:
    """What the warehouse gained since `since`, one frame per digest section."""

    db: str
    since: datetime
    until: datetime
    new_articles: int
    updated_articles: int
    facts: pl.DataFrame
    changes: pl.DataFrame
    conflicts: pl.DataFrame
    events: pl.DataFrame
    people: pl.DataFrame
    errors: pl.DataFrame


def digest_sql(name: str) -> str:
    """The text of one digest query."""
    return (DIGEST_SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def day_changes(con: duckdb.DuckDBPyConnection, db: str, since: datetime, until: datetime) -> DayChanges:
    """Every digest section for the window from `since`, read on an open (read-only) connection."""

    def frame(name: str, **params: object) -> pl.DataFrame:
        return con.sql(digest_sql(name), params={"since": since, **params}).pl()

    new_articles, updated_articles = con.sql(digest_sql("article_counts"), params={"since": since}).fetchall()[0]
    return DayChanges(
        db=db, since=since, until=until, new_articles=new_articles or 0, updated_articles=updated_articles or 0,
        facts=frame("facts_by_entity_market"), changes=frame("biggest_changes", limit=CHANGES_SHOWN),
        conflicts=frame("new_conflicts"), events=frame("new_events"), people=frame("new_people_moves"),
        errors=frame("new_errors"),
    )
