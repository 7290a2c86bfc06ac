"""What the review page shows, read from the warehouse (read-only, one connection per request)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.corrections import FIELDS, NON_MONEY_UNITS, QUALIFIERS, vocabulary
from warehouse.db import open_readonly


@dataclass(frozen=True, slots=True)
class Filters:
    """The figures an analyst cares about: an entity, a metric, figures in conflict, figures not yet reviewed."""

    entity: str | None = None
    metric: str | None = None
    conflicts: bool = False
    unreviewed: bool = False

    def params(self) -> dict:
        """The filters as bound parameters."""
        return {"entity": self.entity, "metric": self.metric, "conflicts": self.conflicts,
                "unreviewed": self.unreviewed}


# Every figure (rejected ones too) with whether it is in a conflict and whether it passes the filters.
FIGURES = """
with conflicting as (
    select distinct fact_id from v_conflict_sources
),

figures as (
    select
        reviewed.*,
        reviewed.fact_id in (select fact_id from conflicting) as in_conflict,
    from stg_reviewed_facts as reviewed
)

select
    *,
    ($entity is null or entity = $entity)
        and ($metric is null or metric = $metric)
        and (not $conflicts or in_conflict)
        and (not $unreviewed or review is null) as wanted,
from figures
"""

ARTICLES = f"""
with figures as ({FIGURES}),

per_article as (
    select
        article_id,
        count(*) filter (where review is distinct from 'rejected') as figures,
        count(review) as reviewed,
        count(*) filter (where in_conflict) as conflicts,
        count(*) filter (where wanted) as wanted,
    from figures
    group by article_id
)

select
    articles.article_id,
    articles.url,
    articles.title,
    strftime(articles.published_at, '%Y-%m-%d') as published,
    articles.source,
    coalesce(per_article.figures, 0) as figures,
    coalesce(per_article.reviewed, 0) as reviewed,
    coalesce(per_article.conflicts, 0) as conflicts,
    coalesce(per_article.wanted, 0) as wanted,
from articles
left join per_article
    on articles.article_id = per_article.article_id
where $any_filter = false or per_article.wanted > 0
order by articles.published_at desc nulls last, articles.url
"""

ARTICLE = """
select article_id, url, title, strftime(published_at, '%Y-%m-%d') as published, source, lang, body
from articles
where article_id = $article_id
"""

ARTICLE_FIGURES = f"""
with figures as ({FIGURES})

select fact_id, entity, market, metric, value, unit, period, qualifier, value_usd, span_start, span_end, origin,
       review, note, decided_by, strftime(decided_at, '%Y-%m-%d %H:%M') as decided_at, in_conflict, wanted,
from figures
where article_id = $article_id
order by span_start, fact_id
"""

ORPHANS = """
select action, quote, sentence, note, decided_by, strftime(decided_at, '%Y-%m-%d %H:%M') as decided_at, reason
from v_orphan_corrections
where url = $url
"""

ENTITIES = "select distinct entity from stg_reviewed_facts where entity is not null order by entity"


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[dict]:
    """Rows of a query as dicts."""
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def list_articles(db: str | Path, filters: Filters) -> list[dict]:
    """Articles with their figure counts; with a filter, only those holding a wanted figure."""
    any_filter = bool(filters.entity or filters.metric or filters.conflicts or filters.unreviewed)
    con = open_readonly(db)
    try:
        return _dicts(con, ARTICLES, filters.params() | {"any_filter": any_filter})
    finally:
        con.close()


def read_article(db: str | Path, article_id: str, filters: Filters) -> dict | None:
    """One article with every figure of it (rejected ones too), each with its quote as written, and the decisions
    on it whose figure is gone from its text (orphans)."""
    con = open_readonly(db)
    try:
        found = _dicts(con, ARTICLE, {"article_id": article_id})
        if not found:
            return None
        article = found[0]
        figures = _dicts(con, ARTICLE_FIGURES, filters.params() | {"article_id": article_id})
        orphans = _dicts(con, ORPHANS, {"url": article["url"]})
    finally:
        con.close()
    body = article["body"] or ""
    for figure in figures:
        start, end = figure["span_start"], figure["span_end"]
        figure["quote"] = body[start:end] if start is not None and end is not None else ""
    return {"article": article, "figures": figures, "orphans": orphans}


def field_vocabulary(db: str | Path) -> dict:
    """What each field may hold, for the page's pickers."""
    vocab = vocabulary()
    con = open_readonly(db)
    try:
        seen = [r[0] for r in con.execute(ENTITIES).fetchall()]
    finally:
        con.close()
    entities = sorted(set(vocab.entity_aliases.values()) | set(seen))
    return {
        "fields": list(FIELDS),
        "metrics": sorted(vocab.units_by_metric),
        "units": sorted(vocab.currencies) + sorted(NON_MONEY_UNITS),
        "markets": sorted(vocab.markets),
        "qualifiers": list(QUALIFIERS),
        "entities": entities,
    }
