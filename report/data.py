"""What the report shows, read from the warehouse views; values reach SQL only as bound parameters."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

REQUIRED_VIEWS = ("v_market_gmv", "v_entity_profile", "v_conflict_sources", "v_events_timeline", "v_people_moves",
                  "v_consolidated_metrics", "v_source_coverage")

TOP_ENTITIES = """
select entity
from v_market_gmv
where entity is not null and qualifier = 'actual'
group by entity
order by max(gmv_usd) desc, entity
limit $top
"""

GMV_SERIES = """
select
    entity,
    coalesce(market, '(no market)') as market,
    period,
    period_grain,
    strftime(period_start, '%Y-%m-%d') as period_start,
    gmv_usd,
    sources,
    in_conflict,
    latest_fact_id,
    fact_ids,
from v_market_gmv
where qualifier = 'actual'
    and period_start is not null
    and entity in (select unnest($entities::varchar[]))
order by entity, market, period_start
"""

PROFILES = """
select entity, markets, facts, events, people_moves, articles, first_seen, last_seen
from v_entity_profile
where latest_figures is not null
order by articles desc, entity
limit $limit
"""

LATEST_FIGURES = """
with profile_figures as (
    select entity, unnest(latest_figures) as figure
    from v_entity_profile
    where entity in (select unnest($entities::varchar[]))
)

select
    profile_figures.entity,
    consolidated.metric,
    consolidated.market,
    consolidated.period,
    consolidated.value,
    consolidated.unit,
    consolidated.sources,
    consolidated.in_conflict,
    consolidated.latest_fact_id,
    consolidated.fact_ids,
from profile_figures
inner join v_consolidated_metrics as consolidated
    on profile_figures.figure.consolidated_id = consolidated.consolidated_id
order by profile_figures.entity, consolidated.metric
"""

CONFLICTS = """
select conflict_id, entity, market, metric, period, qualifier, unit, spread_pct, fact_id, value,
       value_as_stated, unit_as_stated, url, title, source, published_at, sentence
from v_conflict_sources
order by spread_pct desc, conflict_id, value, fact_id
limit $limit
"""

EVENTS = """
select timeline_date, period, event_type, entity, counterpart, market, sources, url, title, sentence
from v_events_timeline
order by timeline_date desc nulls last, event_type, entity
limit $limit
"""

PEOPLE = """
select timeline_date, period, person, role_from, org_from, role_to, org_to, location, sources, url, title, sentence
from v_people_moves
order by timeline_date desc nulls last, person
limit $limit
"""

EVIDENCE = """
select
    facts.fact_id,
    facts.value,
    facts.unit,
    facts.sentence,
    articles.url,
    articles.title,
    articles.source,
    coalesce(articles.published_at, cast(articles.ingested_at as date)) as published_at,
from stg_corrected_facts as facts
inner join articles
    on facts.article_id = articles.article_id
where facts.fact_id in (select unnest($ids::varchar[]))
"""

COVERAGE = """
select source, sum(articles) as articles, sum(facts) as facts, sum(events) as events,
       sum(people_moves) as people_moves, sum(errors) as errors, min(day) as first_day, max(day) as last_day
from v_source_coverage
group by source
order by articles desc, source
"""


@dataclass(slots=True)
class ReportData:
    """Every row the report draws, as plain dicts."""

    top_entities: list[str]
    gmv: list[dict]
    profiles: list[dict]
    latest: list[dict]
    conflicts: list[dict]
    events: list[dict]
    people: list[dict]
    coverage: list[dict]
    evidence: dict[str, dict] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> list[dict]:
    """Rows of a query as dicts."""
    cursor = con.execute(sql, params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def missing_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Views the report needs that this warehouse file lacks (an old file not yet opened by a writer)."""
    present = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    return [v for v in REQUIRED_VIEWS if v not in present]


def read_report_data(con: duckdb.DuckDBPyConnection, top: int = 5, limit: int = 200) -> ReportData:
    """Query every section of the report."""
    top_entities = [r["entity"] for r in _dicts(con, TOP_ENTITIES, {"top": top})]
    profiles = _dicts(con, PROFILES, {"limit": 25})
    data = ReportData(
        top_entities=top_entities,
        gmv=_dicts(con, GMV_SERIES, {"entities": top_entities}),
        profiles=profiles,
        latest=_dicts(con, LATEST_FIGURES, {"entities": [p["entity"] for p in profiles]}),
        conflicts=_dicts(con, CONFLICTS, {"limit": limit}),
        events=_dicts(con, EVENTS, {"limit": limit}),
        people=_dicts(con, PEOPLE, {"limit": limit}),
        coverage=_dicts(con, COVERAGE),
    )
    ids = {i for row in data.gmv + data.latest for i in row["fact_ids"]}
    data.evidence = {r["fact_id"]: r for r in _dicts(con, EVIDENCE, {"ids": sorted(ids)})}
    data.totals = dict(zip(
        ("articles", "facts", "events", "people_moves"),
        con.execute("select (select count(*) from articles), (select count(*) from stg_corrected_facts), "
                    "(select count(*) from events), (select count(*) from people_moves)").fetchone(),
        strict=True,
    ))
    return data
