"""The `reprocess` flow: re-parse archived pages with the current extractor, without the network.

After an extractor change (a new FACTS/EVENTS/PEOPLE version), the facts of every article
stamped with another version are rebuilt from the raw archive (bytes as fetched, in
`<warehouse folder>/raw/`) and replaced in one transaction per batch, exactly as a fresh
ingest would load them. No request is made: only the archive folder and the warehouse are read.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows.heap import frozen_heap
from flows.ingest import LazyWriter, RunSummary, _load_one, chunked, load_parsed, parse_batch
from flows.settings import DEFAULT_BATCH_SIZE, DEFAULT_DB
from flows.web import all_recipes, error_row, source_recipes
from sources import archive as raw_archive
from sources.config import ConfigError, load_sources
from sources.http import media_type
from transforms.extract import extractor_version
from transforms.frames import ERROR_SCHEMA, Batch
from transforms.model import RawDocument
from warehouse.archive import ArchivedPage, pages_to_reprocess
from warehouse.db import open_readonly


@task(name="find articles to reprocess", cache_policy=NO_CACHE, persist_result=False)
def select_pages(db: str, everything: bool) -> list[ArchivedPage]:
    """Archived pages whose article carries another extractor version (or all, on request)."""
    con = open_readonly(db)
    try:
        return pages_to_reprocess(con, extractor_version(), everything)
    finally:
        con.close()


def archived_documents(pages: list[ArchivedPage], root: Path) -> tuple[list[RawDocument], list[dict]]:
    """Raw documents read back from the archive; a missing or damaged body becomes an error row."""
    docs, errors = [], []
    for page in pages:
        try:
            data = raw_archive.load(root, page.content_hash)
        except raw_archive.ArchiveError as exc:
            errors.append(error_row(page.source, page.url, "reprocess", exc))
            continue
        kind = "text" if media_type(page.content_type) == "text/plain" else "html"
        docs.append(RawDocument(url=page.final_url, data=data, kind=kind, source=page.source,
                                content_type=page.content_type, location=page.url))
    return docs, errors


def recipes_by_source(docs: list[RawDocument], sources_file: str) -> dict[str | None, list[dict]]:
    """Each source's recipes: its named recipe when the sources file still defines it, else by host."""
    specs = {}
    if Path(sources_file).is_file():
        try:
            specs = load_sources(sources_file).sources
        except ConfigError as exc:
            get_run_logger().warning("ignoring %s for recipes: %s", sources_file, exc)
    out: dict[str | None, list[dict]] = {}
    for doc in docs:
        if doc.source not in out:
            spec = specs.get(doc.source or "")
            hosts = {(urlsplit(d.url).hostname or "").lower() for d in docs if d.source == doc.source}
            out[doc.source] = source_recipes(spec, hosts) if spec else all_recipes()
    return out


@flow(name="reprocess", description="Re-parse archived web pages with the current extractor; no network access.")
def reprocess(
    db: str = str(DEFAULT_DB),
    batch_size: int = DEFAULT_BATCH_SIZE,
    everything: bool = False,
    sources_file: str = "sources.yaml",
) -> dict:
    """Replace the facts of archived articles extracted by another version; returns the run summary."""
    logger = get_run_logger()
    summary = RunSummary(db=db)
    pages = select_pages(db, everything)
    docs, errors = archived_documents(pages, raw_archive.archive_root(db))
    logger.info("%d archived pages to reprocess with extractor %s", len(pages), extractor_version())
    summary.inputs = len(pages)
    writer = LazyWriter(db)
    failed = True
    try:
        by_source: dict[str | None, list[RawDocument]] = defaultdict(list)
        for doc in docs:
            by_source[doc.source].append(doc)
        recipes = recipes_by_source(docs, sources_file)
        with frozen_heap():
            for source, group in by_source.items():
                for chunk in chunked(group, batch_size):
                    _load_one(parse_batch(chunk, recipes[source]), writer, summary)
        if errors:
            frame = pl.DataFrame(errors, schema=ERROR_SCHEMA, orient="row")
            summary.loaded.add(load_parsed(writer.get(), Batch(errors=frame)))
            summary.errors += errors
            summary.failed += len(errors)
        failed = False
    finally:
        writer.close(failed)
    _report(summary)
    return summary.as_dict()


def _report(summary: RunSummary) -> None:
    """What was re-parsed and replaced, as a log line and a run artifact."""
    loaded = summary.loaded
    get_run_logger().info("reprocessed %d archived pages: %d parsed, %d failed; %d facts replaced by %d",
                          summary.inputs, summary.parsed, summary.failed, loaded.facts_removed, loaded.facts_added)
    lines = [
        f"# Reprocess `{summary.db}` with extractor `{extractor_version()}`", "",
        "| archived pages | parsed | failed | facts removed | facts added | events | people moves |",
        "|---|---|---|---|---|---|---|",
        f"| {summary.inputs} | {summary.parsed} | {summary.failed} | {loaded.facts_removed} | {loaded.facts_added} "
        f"| {loaded.events_added} | {loaded.people_added} |",
    ]
    if summary.errors:
        lines += ["", "## Errors", "", "| stage | input | reason |", "|---|---|---|"]
        lines += [f"| {e['stage']} | {e['url']} | {e['message'].replace('|', '/')[:300]} |" for e in summary.errors[:200]]
    create_markdown_artifact("\n".join(lines), key="reprocess-summary",
                             description="Archived pages re-parsed with the current extractor")
