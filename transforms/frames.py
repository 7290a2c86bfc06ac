"""Extracted records to typed polars frames, ready for a bulk load into DuckDB.

Everything here is pure: frames in, frames out. Money gets `value_usd` from the FX
table; repeated facts inside an article collapse; impossible rows are set apart with
a reason instead of reaching the warehouse.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from transforms.model import Event, Fact, PeopleMove
from transforms.reference import read_csv_rows

NON_MONEY_UNITS = frozenset({"count", "percent", "multiple", "hours", "days"})
MAX_PERCENT = 100_000.0
MAX_VALUE = 1e16  # ten quadrillion: beyond any e-commerce figure, so a parse error

FACT_SCHEMA: dict[str, pl.DataType] = {
    "fact_id": pl.String, "article_id": pl.String, "entity": pl.String, "market": pl.String,
    "metric": pl.String, "value": pl.Float64, "unit": pl.String, "period": pl.String,
    "qualifier": pl.String, "value_usd": pl.Float64, "sentence": pl.String,
    "span_start": pl.Int32, "span_end": pl.Int32, "extractor_version": pl.String,
}
EVENT_SCHEMA: dict[str, pl.DataType] = {
    "event_id": pl.String, "article_id": pl.String, "event_type": pl.String, "entity": pl.String,
    "counterpart": pl.String, "market": pl.String, "period": pl.String, "sentence": pl.String,
    "span_start": pl.Int32, "span_end": pl.Int32, "extractor_version": pl.String,
}
PEOPLE_SCHEMA: dict[str, pl.DataType] = {
    "move_id": pl.String, "article_id": pl.String, "person": pl.String, "role_from": pl.String,
    "org_from": pl.String, "role_to": pl.String, "org_to": pl.String, "location": pl.String,
    "period": pl.String, "sentence": pl.String, "span_start": pl.Int32, "span_end": pl.Int32,
    "extractor_version": pl.String,
}


def stable_id(*parts: object) -> str:
    """A short deterministic id, so re-running a load produces the same keys."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=10).hexdigest()


def fx_table() -> pl.DataFrame:
    """USD per unit of currency by year, from reference/fx_usd.csv."""
    rows = read_csv_rows("fx_usd.csv")
    return pl.DataFrame(
        {
            "currency": [r["currency"] for r in rows],
            "fx_year": [int(r["year"]) for r in rows],
            "usd_per_unit": [float(r["usd_per_unit"]) for r in rows],
        }
    ).sort("fx_year")


def known_currencies() -> frozenset[str]:
    """Currencies the FX table can convert."""
    return frozenset(r["currency"] for r in read_csv_rows("fx_usd.csv"))


def fact_rows(article_id: str, facts: Iterable[Fact], version: str) -> list[tuple]:
    """One article's facts as FACT_SCHEMA rows with deterministic ids (a batch builds one frame of all)."""
    return [
        _row(f, FACT_SCHEMA, {"article_id": article_id, "extractor_version": version, "value_usd": None,
                              "fact_id": stable_id(article_id, f.metric, f.unit, f.value, f.entity, f.market,
                                                   f.period, f.qualifier, f.span_start)})
        for f in facts
    ]


def event_rows(article_id: str, events: Iterable[Event], version: str) -> list[tuple]:
    """One article's events as EVENT_SCHEMA rows."""
    return [
        _row(e, EVENT_SCHEMA, {"article_id": article_id, "extractor_version": version,
                               "event_id": stable_id(article_id, e.event_type, e.entity, e.counterpart, e.span_start)})
        for e in events
    ]


def people_rows(article_id: str, moves: Iterable[PeopleMove], version: str) -> list[tuple]:
    """One article's people moves as PEOPLE_SCHEMA rows."""
    return [
        _row(m, PEOPLE_SCHEMA, {"article_id": article_id, "extractor_version": version,
                                "move_id": stable_id(article_id, m.person, m.role_to, m.org_to, m.span_start)})
        for m in moves
    ]


def _row(record: object, schema: dict[str, pl.DataType], extra: dict) -> tuple:
    """A record's values in schema order, `extra` supplying the columns the record lacks."""
    return tuple(extra[name] if name in extra else getattr(record, name) for name in schema)


def rows_frame(rows: list[tuple], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows (in schema order) as one typed frame: built once per batch, not once per article."""
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def facts_frame(article_id: str, facts: Iterable[Fact], version: str) -> pl.DataFrame:
    """One article's facts as a typed frame with deterministic ids."""
    return rows_frame(fact_rows(article_id, facts, version), FACT_SCHEMA)


def events_frame(article_id: str, events: Iterable[Event], version: str) -> pl.DataFrame:
    """One article's events as a typed frame."""
    return rows_frame(event_rows(article_id, events, version), EVENT_SCHEMA)


def people_frame(article_id: str, moves: Iterable[PeopleMove], version: str) -> pl.DataFrame:
    """One article's people moves as a typed frame."""
    return rows_frame(people_rows(article_id, moves, version), PEOPLE_SCHEMA)


def dedupe_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """One row per stated number and meaning per article: the first mention wins."""
    key = ["article_id", "entity", "market", "metric", "value", "unit", "period", "qualifier"]
    return facts.sort("span_start").unique(subset=key, keep="first", maintain_order=True)


def split_invalid(facts: pl.DataFrame, currencies: frozenset[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(valid rows, invalid rows with a `reason` column): impossible values never load."""
    reason = (
        pl.when(~pl.col("unit").is_in(list(NON_MONEY_UNITS | currencies)))
        .then(pl.format("unknown unit {}", pl.col("unit")))
        .when(pl.col("value").is_nan() | pl.col("value").is_infinite())
        .then(pl.lit("value is not a finite number"))
        .when(pl.col("value").abs() > MAX_VALUE)
        .then(pl.format("value {} is implausibly large", pl.col("value")))
        .when((pl.col("unit") == "count") & (pl.col("value") < 0))
        .then(pl.format("negative count {}", pl.col("value")))
        .when((pl.col("unit") == "percent") & (pl.col("value").abs() > MAX_PERCENT))
        .then(pl.format("percent {} is over 100000", pl.col("value")))
        .when(pl.col("unit").is_in(["hours", "days", "multiple"]) & (pl.col("value") < 0))
        .then(pl.format("negative {}", pl.col("unit")))
        .otherwise(None)
        .alias("reason")
    )
    marked = facts.with_columns(reason)
    bad = marked.filter(pl.col("reason").is_not_null())
    return marked.filter(pl.col("reason").is_null()).drop("reason"), bad


def with_value_usd(facts: pl.DataFrame, article_years: pl.DataFrame, fx: pl.DataFrame) -> pl.DataFrame:
    """Money facts converted to USD at the rate of the fact's year, else the article's year.

    `article_years` has `article_id` and `article_year` (may be null). A year outside
    the table takes the nearest year the table has for that currency.
    """
    if facts.is_empty():
        return facts
    fact_year = pl.col("period").str.slice(0, 4).cast(pl.Int32, strict=False)
    keyed = (
        facts.with_row_index("_row")
        .join(article_years, on="article_id", how="left")
        .with_columns(pl.coalesce(fact_year, pl.col("article_year")).alias("_year"))
    )
    money = keyed.filter(~pl.col("unit").is_in(list(NON_MONEY_UNITS)))
    latest = fx.group_by("currency").agg(pl.col("fx_year").max().alias("_latest"))
    money = (
        money.join(latest, left_on="unit", right_on="currency", how="left")
        .with_columns(pl.coalesce("_year", "_latest").cast(pl.Int64).alias("_year"))
        .sort("_year")
        .join_asof(fx.with_columns(pl.col("fx_year").cast(pl.Int64)), left_on="_year", right_on="fx_year",
                   by_left="unit", by_right="currency", strategy="nearest",
                   check_sortedness=False)
        .select("_row", (pl.col("value") * pl.col("usd_per_unit")).alias("_usd"))
    )
    return (
        keyed.join(money, on="_row", how="left")
        .sort("_row")
        .with_columns(pl.col("_usd").alias("value_usd"))
        .select(list(FACT_SCHEMA))
    )


ARTICLE_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String, "url": pl.String, "title": pl.String, "published_at": pl.Date,
    "source": pl.String, "lang": pl.String, "body": pl.String, "content_hash": pl.String,
    "origin": pl.String, "extractor_version": pl.String,
}
ERROR_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String, "url": pl.String, "stage": pl.String, "error_class": pl.String,
    "message": pl.String, "content_hash": pl.String,
}


@dataclass(slots=True)
class Batch:
    """Frames for one batch of articles, plus the inputs that failed and the urls that succeeded."""

    articles: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ARTICLE_SCHEMA))
    facts: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=FACT_SCHEMA))
    events: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=EVENT_SCHEMA))
    people: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=PEOPLE_SCHEMA))
    errors: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ERROR_SCHEMA))
    cleared: list[str] = field(default_factory=list)  # urls/paths whose earlier errors a success clears
