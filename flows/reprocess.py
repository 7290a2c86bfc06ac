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

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.heap import frozen_heap
from flows.reports import report_reprocess
from flows.settings import DEFAULT_BATCH_SIZE, DEFAULT_DB, DEFAULT_SOURCES_FILE
from flows.steps import RunSummary, chunked, error_row, load_errors, load_one, parse_batch
from flows.warehouse_lock import warehouse_slot
from sources import archive as raw_archive
from sources.config import ConfigError, load_sources
from sources.recipes import all_recipes, source_recipes
from transforms.extract import extractor_version
from transforms.model import RawDocument
from warehouse.archive import ArchivedPage, pages_to_reprocess
from warehouse.db import open_readonly
from warehouse.lazy_writer import LazyWriter


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
            docs.append(raw_archive.archived_document(root, page.content_hash, page.final_url, page.url,
                                                      page.source, page.content_type))
        except raw_archive.ArchiveError as exc:
            errors.append(error_row(page.source, page.url, "reprocess", exc))
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
    sources_file: str = DEFAULT_SOURCES_FILE,
) -> dict:
    """Replace the facts of archived articles extracted by another version; returns the run summary."""
    logger = get_run_logger()
    summary = RunSummary(db=db)
    pages = select_pages(db, everything)
    docs, errors = archived_documents(pages, raw_archive.archive_root(db))
    logger.info("%d archived pages to reprocess with extractor %s", len(pages), extractor_version())
    summary.inputs = len(pages)
    writer = LazyWriter(db, slot=warehouse_slot)
    failed = True
    try:
        by_source: dict[str | None, list[RawDocument]] = defaultdict(list)
        for doc in docs:
            by_source[doc.source].append(doc)
        recipes = recipes_by_source(docs, sources_file)
        with frozen_heap():
            for source, group in by_source.items():
                for chunk in chunked(group, batch_size):
                    load_one(parse_batch(chunk, recipes[source]), writer, summary)
        load_errors(errors, writer, summary)
        failed = False
    finally:
        writer.close(failed)
    report_reprocess(summary, extractor_version())
    return summary.as_dict()

