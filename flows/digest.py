"""The `daily-digest` flow: what the warehouse learned in the last day, as a markdown artifact.

Read-only: it opens the published warehouse file like any analyst would, so it never
waits for (or blocks) a loading run. "New" means from articles loaded or changed in
the window (`articles.updated_at`). Sections: new facts by entity and market, the
biggest changes against the previous period, new conflicts, new events, new people
moves and the inputs that failed. When the report package has drawn charts, the
digest links to the newest one.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Failed

from flows.settings import DEFAULT_DB
from flows.warehouse_lock import warehouse_problem
from warehouse.db import open_readonly

ROWS_SHOWN = 25
CHART_SUFFIXES = (".png", ".svg", ".html")

FACTS_BY_ENTITY_MARKET = """
with new_facts as (
    select f.entity, f.market, f.metric, f.article_id
    from stg_corrected_facts as f
    inner join articles as a using (article_id)
    where a.updated_at >= $since
)

select
    coalesce(entity, '(no entity)') as entity,
    coalesce(market, '(no market)') as market,
    count(*) as facts,
    count(distinct article_id) as articles,
    string_agg(distinct metric, ', ' order by metric) as metrics,
from new_facts
group by all
order by facts desc, entity, market
"""

# Each new fact against the latest value of the same figure for the nearest earlier
# period of the same kind (a year against a year, a quarter against a quarter).
BIGGEST_CHANGES = """
with new_facts as (
    select
        f.fact_id, f.entity, f.market, f.metric, f.unit, f.qualifier, f.period, f.value, a.url,
        regexp_replace(f.period, '[0-9]', '', 'g') as period_kind,
    from stg_corrected_facts as f
    inner join articles as a using (article_id)
    where a.updated_at >= $since and f.period is not null
),

earlier as (
    select
        entity, market, metric, unit, qualifier, period, value,
        regexp_replace(period, '[0-9]', '', 'g') as period_kind,
    from v_metric_latest
    where period is not null and value <> 0
),

paired as (
    select
        n.*,
        e.period as previous_period,
        e.value as previous_value,
        row_number() over (partition by n.fact_id order by e.period desc) as nearest,
    from new_facts as n
    inner join earlier as e
        on n.metric = e.metric
        and n.unit = e.unit
        and n.qualifier = e.qualifier
        and n.entity is not distinct from e.entity
        and n.market is not distinct from e.market
        and n.period_kind = e.period_kind
        and e.period < n.period
)

select
    entity, market, metric, unit, previous_period, previous_value, period, value,
    (value - previous_value) / abs(previous_value) as change,
    url,
from paired
where nearest = 1
order by abs(change) desc, entity, metric
limit $limit
"""

NEW_CONFLICTS = """
with new_ids as (
    select f.fact_id
    from stg_corrected_facts as f
    inner join articles as a using (article_id)
    where a.updated_at >= $since
)

select entity, market, metric, period, unit, value_a, value_b, ratio, url_a, url_b
from v_fact_conflicts
where conflict_id in (select conflict_id from v_conflict_sources where fact_id in (select fact_id from new_ids))
order by ratio desc nulls last, entity, metric
"""

NEW_EVENTS = """
select e.event_type, e.entity, e.counterpart, e.market, e.period, e.sentence, a.url
from events as e
inner join articles as a using (article_id)
where a.updated_at >= $since
order by e.event_type, e.entity, a.url
"""

NEW_PEOPLE_MOVES = """
select p.person, p.role_from, p.org_from, p.role_to, p.org_to, p.location, p.period, a.url
from people_moves as p
inner join articles as a using (article_id)
where a.updated_at >= $since
order by p.org_to, p.person
"""

ARTICLE_COUNTS = """
select
    count(*) filter (where ingested_at >= $since) as new_articles,
    count(*) filter (where updated_at >= $since and ingested_at < $since) as updated_articles,
from articles
"""

NEW_ERRORS = """
select stage, url, message
from ingest_errors
where last_seen >= $since
order by last_seen desc
"""


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


@task(name="read the day's changes from the warehouse", cache_policy=NO_CACHE, persist_result=False,
      retries=2, retry_delay_seconds=[5, 30])
def read_day(db: str, since: datetime, until: datetime) -> DayChanges:
    """Query the published warehouse (read-only) for everything loaded since `since`."""
    con = open_readonly(db)
    try:
        def frame(sql: str, **params) -> pl.DataFrame:
            return con.sql(sql, params={"since": since, **params}).pl()

        counts = con.sql(ARTICLE_COUNTS, params={"since": since}).fetchall()[0]
        return DayChanges(
            db=db, since=since, until=until, new_articles=counts[0] or 0, updated_articles=counts[1] or 0,
            facts=frame(FACTS_BY_ENTITY_MARKET), changes=frame(BIGGEST_CHANGES, limit=10),
            conflicts=frame(NEW_CONFLICTS), events=frame(NEW_EVENTS), people=frame(NEW_PEOPLE_MOVES),
            errors=frame(NEW_ERRORS),
        )
    finally:
        con.close()


@task(name="find the newest report chart", cache_policy=NO_CACHE, persist_result=False)
def find_chart(report_dir: str) -> Path | None:
    """The newest chart the report package wrote, if that package is installed and has run."""
    if importlib.util.find_spec("report") is None:
        return None
    folder = Path(report_dir)
    if not folder.is_dir():
        return None
    charts = [p for p in folder.rglob("*") if p.suffix.lower() in CHART_SUFFIXES and p.is_file()]
    return max(charts, key=lambda p: p.stat().st_mtime).resolve() if charts else None


@task(name="render the digest as markdown", cache_policy=NO_CACHE, persist_result=False)
def render_digest(day: DayChanges, chart: Path | None) -> str:
    """The digest's markdown (pure: no I/O)."""
    facts_total = int(day.facts["facts"].sum()) if day.facts.height else 0
    lines = [
        f"# Chuhai digest {day.since:%Y-%m-%d %H:%M} to {day.until:%Y-%m-%d %H:%M}",
        "",
        f"Warehouse `{day.db}`: {day.new_articles} new and {day.updated_articles} updated articles, "
        f"{facts_total} new facts, {day.conflicts.height} new conflicts, {day.events.height} events, "
        f"{day.people.height} people moves, {day.errors.height} failed inputs.",
    ]
    if chart is not None:
        lines += ["", f"Charts: [{chart.name}]({chart.as_uri()}) (`{chart}`)"]
    lines += _section("New facts by entity and market", day.facts)
    lines += _section("Biggest changes against the previous period", _with_percent(day.changes))
    lines += _section("New conflicts (same figure, values more than 5% apart)", day.conflicts)
    lines += _section("New events", day.events)
    lines += _section("New people moves", day.people)
    lines += _section("Inputs that failed", day.errors)
    return "\n".join(lines) + "\n"


def _with_percent(changes: pl.DataFrame) -> pl.DataFrame:
    """The change column as a signed percentage."""
    if changes.is_empty():
        return changes
    return changes.with_columns(pl.col("change").map_elements(lambda v: f"{v:+.1%}", return_dtype=pl.String))


def _section(title: str, frame: pl.DataFrame) -> list[str]:
    """A markdown heading and table (or a line saying there is nothing)."""
    lines = ["", f"## {title}", ""]
    if frame.is_empty():
        return lines + ["None."]
    lines.append("| " + " | ".join(frame.columns) + " |")
    lines.append("|" + "---|" * frame.width)
    for row in frame.head(ROWS_SHOWN).iter_rows():
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    if frame.height > ROWS_SHOWN:
        lines += ["", f"... and {frame.height - ROWS_SHOWN} more (query the warehouse for all of them)."]
    return lines


def _cell(value: object) -> str:
    """A table cell: numbers compact, text on one line without pipes."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    text = str(value).replace("|", "/").replace("\n", " ")
    return text if len(text) <= 160 else text[:157] + "..."


@flow(name="daily-digest", description="Markdown digest of what the warehouse learned in the last day "
      "(new facts by entity and market, biggest changes, new conflicts, events, people moves).")
def daily_digest(db: str = str(DEFAULT_DB), hours: int = 24, report_dir: str = "data/report"):
    """Build the digest of the last `hours` hours and attach it to the run as a markdown artifact."""
    logger = get_run_logger()
    until = datetime.now()
    since = until - timedelta(hours=hours)
    problem = warehouse_problem(db, must_exist=True)
    if problem:
        logger.error("%s", problem)
        return Failed(message=problem)
    day = read_day(db, since, until)
    logger.info(
        "since %s: %d new and %d updated articles, %d entity/market groups, %d changes, %d conflicts, "
        "%d events, %d people moves, %d failed inputs",
        f"{since:%Y-%m-%d %H:%M}", day.new_articles, day.updated_articles, day.facts.height, day.changes.height,
        day.conflicts.height, day.events.height, day.people.height, day.errors.height,
    )
    chart = find_chart(report_dir)
    markdown = render_digest(day, chart)
    create_markdown_artifact(markdown, key="daily-digest", description=f"Chuhai digest of the {hours} h up to {until:%Y-%m-%d %H:%M}")
    return markdown
