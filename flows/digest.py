"""The `daily-digest` flow: what the warehouse learned in the last day, as a markdown artifact.

Read-only: it opens the published warehouse file like any analyst would, so it never
waits for (or blocks) a loading run. "New" means from articles loaded or changed in
the window (`articles.updated_at`). Sections: new facts by entity and market, the
biggest changes against the previous period, new conflicts, new events, new people
moves and the inputs that failed; the queries are in warehouse/sql/digest/. When the
report package has drawn charts, the digest links to the newest one.
"""

from __future__ import annotations

import importlib.util
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
from warehouse.digest import DayChanges, day_changes

ROWS_SHOWN = 25
CHART_SUFFIXES = (".png", ".svg", ".html")


@task(name="read the day's changes from the warehouse", cache_policy=NO_CACHE, persist_result=False,
      retries=2, retry_delay_seconds=[5, 30])
def read_day(db: str, since: datetime, until: datetime) -> DayChanges:
    """Query the published warehouse (read-only) for everything loaded since `since`."""
    con = open_readonly(db)
    try:
        return day_changes(con, db, since, until)
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
