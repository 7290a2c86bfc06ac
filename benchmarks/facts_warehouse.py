"""A warehouse of a million metric facts, generated in DuckDB SQL, to time the analysts' views.

The shape follows the news: ten facts per article, a few platforms and markets stated far more
often than the rest (so v_fact_conflicts meets the large same-figure groups it meets in real
archives), GMV a fifth of the facts, money in several currencies, most facts `actual`.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.consolidate import prepare_consolidated, refresh_consolidated
from warehouse.db import duckdb_config
from warehouse.migrations import migrate
from warehouse.views import install_views

FACTS_PER_ARTICLE = 10
ENTITIES = ["TikTok Shop", "Temu", "SHEIN", "AliExpress", "Shopee", "Lazada", "Amazon", "PDD Holdings",
            "Mercado Libre", "Tokopedia", "Coupang", "Miravia", "JD.com", "Alibaba", "Zalando", "Allegro",
            "Jumia", "Noon", "Flipkart", "Meesho", "Rakuten", "Mercari", "Etsy", "eBay", "Walmart",
            "Wayfair", "Target", "Ozon", "Wildberries", "Trendyol", "Bol.com", "Cdiscount", "Otto",
            "Kaspi", "Tiki", "Sendo", "Blibli", "Bukalapak", "Zepto", "Nykaa"]
MARKETS = ["US", "GB", "DE", "FR", "ES", "IT", "JP", "KR", "ID", "TH", "VN", "MY", "PH", "SG", "BR", "MX",
           "SA", "AE", "TR", "PL", "NL", "CA", "AU", "SEA", "EUROPE", "LATAM", "MENA", "GLOBAL"]
# (metric, unit kind, weight): money metrics carry a currency, the rest their own unit
METRICS = [("gmv", "money", 20), ("revenue", "money", 12), ("orders", "count", 10), ("growth", "percent", 14),
           ("valuation", "money", 5), ("net_loss", "money", 4), ("sellers", "count", 8), ("users", "count", 9),
           ("market_share", "percent", 6), ("funding", "money", 5), ("warehouses", "count", 4),
           ("delivery_time", "days", 3)]
CURRENCIES = ["USD", "USD", "USD", "CNY", "CNY", "EUR", "TWD"]
USD_PER_UNIT = {"USD": 1.0, "CNY": 0.14, "EUR": 1.08, "TWD": 0.031}


@dataclass(slots=True)
class ViewTime:
    """Median seconds to run a view to the last row, and how many rows it returned."""

    view: str
    seconds: float
    rows: int


def _list(values: list[str]) -> str:
    """A SQL list literal of fixed strings from this module (never user input)."""
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def build(path: Path, facts: int = 1_000_000) -> float:
    """A warehouse file of `facts` metric facts over facts/10 articles; returns the publish-time refresh seconds."""
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path), config=duckdb_config())
    con.execute("set enable_progress_bar = false")
    try:
        migrate(con)
        prepare_consolidated(con)
        install_views(con)
        articles = max(1, facts // FACTS_PER_ARTICLE)
        metric_list = [m for m, _, w in METRICS for _ in range(w)]
        kinds = dict((m, k) for m, k, _ in METRICS)
        con.execute(
            f"""
            insert into articles by name
            select 'a' || i as article_id, 'https://news.example.com/a/' || i as url, 'Headline ' || i as title,
                   date '2019-01-01' + cast(hash(i, 1) % 2800 as integer) as published_at, 'Example News' as source,
                   'en' as lang, 'Body of article ' || i as body, md5(i::varchar) as content_hash,
                   timestamp '2026-01-01' as ingested_at, timestamp '2026-01-01' as updated_at,
                   'bench' as origin, 'bench' as extractor_version
            from range({articles}) as t(i)
            """
        )
        # skew: index = floor(n * u^2) puts the first platforms and markets in most articles
        con.execute(
            f"""
            create temp table draws as
            select i, (hash(i, 2) % 1000000) / 1e6 as u_entity, (hash(i, 3) % 1000000) / 1e6 as u_market,
                   hash(i, 4) % {len(metric_list)} as metric_pick, hash(i, 5) % 100 as q_pick,
                   hash(i, 6) % {len(CURRENCIES)} as currency_pick, 2019 + hash(i, 7) % 8 as year,
                   hash(i, 8) % 7 as period_kind, (hash(i, 9) % 100000) / 100.0 + 1 as amount
            from range({facts}) as t(i)
            """
        )
        money_case = " ".join(f"when '{c}' then {r}" for c, r in USD_PER_UNIT.items())
        unit_case = " ".join(f"when '{m}' then '{k}'" for m, k in kinds.items())
        con.execute(
            f"""
            insert into metric_facts by name
            with picked as (
                select i,
                       case when u_entity < 0.05 then null
                            else {_list(ENTITIES)}[1 + floor({len(ENTITIES)} * u_entity * u_entity)::int] end as entity,
                       case when u_market < 0.2 then null
                            else {_list(MARKETS)}[1 + floor({len(MARKETS)} * u_market * u_market)::int] end as market,
                       {_list(metric_list)}[1 + metric_pick::int] as metric,
                       case when q_pick < 80 then 'actual' when q_pick < 95 then 'forecast' else 'target' end as qualifier,
                       {_list(CURRENCIES)}[1 + currency_pick::int] as currency,
                       case period_kind when 0 then year::varchar when 1 then null
                            when 2 then year || '-H' || (1 + i % 2) when 6 then year || '-' || lpad((1 + i % 12)::varchar, 2, '0')
                            else year || '-Q' || (1 + i % 4) end as period,
                       amount
                from draws
            ),
            typed as (
                -- outlets mostly repeat one figure per cell (88%), some round it (10%), a few state another (2%)
                select *, case metric {unit_case} end as kind,
                       (hash(entity, market, metric, period, qualifier) % 100000) / 100.0 + 1 as base
                from picked
            ),
            valued as (
                select * replace (case when (i % 50) < 44 then base when (i % 50) < 49 then round(base * 1.02, 1)
                                       else amount end as amount)
                from typed
            )
            select md5('f' || i) as fact_id, 'a' || (i // {FACTS_PER_ARTICLE}) as article_id, entity, market, metric,
                   case when kind = 'money' then amount * 1e8 else amount end as value,
                   case when kind = 'money' then currency else kind end as unit,
                   period, qualifier,
                   case when kind = 'money' then amount * 1e8 * (case currency {money_case} end) end as value_usd,
                   'Sentence stating fact ' || i as sentence, 10 * (i % 10) as span_start,
                   10 * (i % 10) + 6 as span_end, 'bench' as extractor_version
            from valued
            """
        )
        started = time.perf_counter()
        refresh_consolidated(con)  # what the writer does before every publish
        refresh = time.perf_counter() - started
        con.execute("checkpoint")
    finally:
        con.close()
    return refresh


def time_views(path: Path, views: tuple[str, ...] = ("v_market_gmv", "v_fact_conflicts"),
               repeat: int = 5) -> list[ViewTime]:
    """Median wall time of each view fetched whole (to Arrow), after one warm-up run."""
    con = duckdb.connect(str(path), read_only=True)
    con.execute("set enable_progress_bar = false")
    try:
        out = []
        for view in views:
            rows = con.sql(f"select * from {view}").to_arrow_table().num_rows  # warm-up
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                con.sql(f"select * from {view}").to_arrow_table()
                times.append(time.perf_counter() - started)
            out.append(ViewTime(view, statistics.median(times), rows))
        return out
    finally:
        con.close()


def count_facts(path: Path) -> int:
    """Rows in metric_facts (the benchmark prints it next to the view times)."""
    con = duckdb.connect(str(path), read_only=True)
    con.execute("set enable_progress_bar = false")
    try:
        return con.execute("select count(*) from metric_facts").fetchone()[0]
    finally:
        con.close()
