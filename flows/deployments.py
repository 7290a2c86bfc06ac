"""Entry points of the deployments in prefect.yaml that have no flow of their own elsewhere.

`ingest-sources` runs the `ingest` flow's body on every source of the sources file, in
its own run, so the run page shows every task (fetch a source, parse and extract a
batch, load a batch...), the logs with their counts and the artifacts (ingest summary,
web fetch summary, facts added). Before any request it checks what would make the whole
run pointless and fails with that one reason: a broken sources file, or a warehouse
file held open for writing by a DuckDB shell. Bad pages and feeds do not fail the run:
they are listed in its artifacts and recorded in `ingest_errors`.
"""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.states import Completed, Failed, State

from flows.ingest import ingest
from flows.settings import DEFAULT_BATCH_SIZE, DEFAULT_DB, DEFAULT_SOURCES_FILE
from flows.warehouse_lock import warehouse_problem
from sources.config import ConfigError, load_sources


@flow(name="ingest-sources", description="Fetch every source of the sources file (feeds, sitemaps, pages), "
      "extract facts, events and people moves, and load them into the warehouse.")
def ingest_sources(
    sources_file: str = DEFAULT_SOURCES_FILE,
    db: str = str(DEFAULT_DB),
    allow_hosts: list[str] = [],  # noqa: B006 - never mutated; the UI shows it as an empty list
    batch_size: int = DEFAULT_BATCH_SIZE,
    force: bool = False,
):
    """Ingest all configured web sources into the warehouse; returns the run summary."""
    logger = get_run_logger()
    try:
        config = load_sources(sources_file)
    except ConfigError as exc:
        logger.error("%s", exc)
        return Failed(message=str(exc))
    problem = warehouse_problem(db)
    if problem:
        logger.error("%s", problem)
        return Failed(message=problem)
    names = sorted(config.sources)
    if not names:
        message = f"{sources_file} defines no sources: nothing to fetch"
        logger.warning(message)
        create_markdown_artifact(f"# Ingest sources\n\n{message}.\n", key="ingest-summary",
                                 description="What this ingest run read, loaded and skipped")
        return Completed(message=message)
    logger.info("ingesting %d source(s) from %s into %s: %s", len(names), sources_file, db, ", ".join(names))
    summary = ingest.fn(paths=[], db=db, batch_size=batch_size, force=force, workers=1, sources=names,
                        sources_file=sources_file, allow_hosts=list(allow_hosts))
    return _outcome(summary, names)


def _outcome(summary: dict, names: list[str]) -> dict | State:
    """The run's summary, or Failed when not one source could be reached (network down, all hosts refused)."""
    web = summary.get("web") or {}
    reached = sum(c.get("fetched", 0) + c.get("not_modified", 0) for c in web.values())
    if web and reached == 0 and summary["errors"]:
        first = summary["errors"][0]["message"]
        message = f"none of the {len(names)} source(s) could be fetched (first error: {first[:300]})"
        get_run_logger().error(message)
        return Failed(message=message)
    return summary
