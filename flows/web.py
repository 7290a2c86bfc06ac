"""The web branch of `ingest`: sources -> polite fetches -> raw archive -> the files' parse and load.

One fetch task per source (retried on its own, apart from the parse tasks) crawls its
start points (sources/crawl.py): feeds and sitemaps list pages, pages become raw documents.
Every body is archived on disk (content-addressed) before it is parsed, and its metadata
row reaches `raw_documents` in the same published run as its article. A 304, or a body
whose hash is already loaded with the current extractor, costs no parse and no row.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows.reports import WEB_COUNTS, report_web
from flows.steps import RunSummary, chunked, error_row, load_one, parse_batch
from sources import archive as raw_archive
from sources.config import SourceSpec
from sources.crawl import Crawl, FetchOutcome, crawl_source, plan_sources
from sources.http import Fetcher
from sources.known import ArchiveState
from sources.recipes import source_recipes
from transforms.extract import extractor_version
from transforms.model import RawDocument
from warehouse.archive import clear_errors, record_fetches
from warehouse.db import Writer
from warehouse.lazy_writer import LazyWriter
from warehouse.state import WarehouseState, read_archive_state


@task(name="read archive state", cache_policy=NO_CACHE, persist_result=False)
def read_archive(db: str) -> ArchiveState:
    """Validators and known documents from the published warehouse (read-only)."""
    return read_archive_state(db)


@task(name="fetch a source", cache_policy=NO_CACHE, persist_result=False, retries=1, retry_delay_seconds=10)
def fetch_source(source: SourceSpec, fetcher: Fetcher, root: str, archive: ArchiveState, force: bool) -> Crawl:
    """Crawl one source (network only; parsing is a separate task)."""
    crawl = crawl_source(source, fetcher, Path(root), archive, force)
    get_run_logger().info("source %s: %d urls fetched in %.1f s, %d filtered out, %d over budget",
                          source.name, len(crawl.outcomes), crawl.seconds, crawl.filtered, crawl.over_budget)
    return crawl


@task(name="clear errors of urls that work again", cache_policy=NO_CACHE, persist_result=False)
def settle_errors(writer: Writer, urls: list[str], stages: tuple[str, ...]) -> int:
    """A successful fetch clears the url's fetch error (and a feed's parse error); parse errors stay to the parser."""
    return clear_errors(writer.con, urls, stages)


@task(name="archive fetched documents", cache_policy=NO_CACHE, persist_result=False)
def record_raw(writer: Writer, rows: list[dict]) -> int:
    """raw_documents rows for new bodies, in one transaction, before their pages are parsed."""
    return record_fetches(writer.con, rows)


def ingest_web(urls: list[str], names: list[str], sources_file: str, allow_hosts: list[str], db: str,
               state: WarehouseState, writer: LazyWriter, summary: RunSummary, batch_size: int,
               force: bool, max_bytes: int) -> list[dict]:
    """Fetch, archive, parse and load the sources; returns the fetch error rows for the caller to record."""
    specs, settings = plan_sources(urls, names, sources_file, allow_hosts, max_bytes)
    archive = read_archive(db)
    root = raw_archive.archive_root(db)
    errors: list[dict] = []
    worked: list[FetchOutcome] = []  # urls with earlier errors that fetched fine this time
    with Fetcher(settings) as fetcher:
        futures = [fetch_source.submit(spec, quote(fetcher), str(root), quote(archive), force) for spec in specs]
        for spec, future in zip(specs, futures, strict=True):
            try:
                crawl = future.result()
            except Exception as exc:  # the task's own retry failed too: record it, go on
                errors.append(error_row(spec.name, spec.name, "fetch", exc))
                continue
            summary.web[spec.name] = load_crawl(crawl, spec, state, archive, root, writer, summary, batch_size, force)
            errors += [failure_row(o) for o in crawl.outcomes if o.failure]
            worked += [o for o in crawl.outcomes if o.status != "failed" and o.url in archive.error_urls]
        summary.web_requests = fetcher.requests
    if worked:
        settle_errors(writer.get(), [o.url for o in worked if o.kind == "page"], ("fetch",))
        settle_errors(writer.get(), [o.url for o in worked if o.kind != "page"], ("fetch", "parse"))
    report_web(summary, errors)
    return errors


def load_crawl(crawl: Crawl, spec: SourceSpec, state: WarehouseState, archive: ArchiveState, root: Path,
               writer: LazyWriter, summary: RunSummary, batch_size: int, force: bool) -> dict:
    """Archive rows, then parse and load the crawl's new pages in batches; returns its counts."""
    counts = Counter({name: 0 for name in WEB_COUNTS})
    counts["filtered"], counts["over_budget"] = crawl.filtered, crawl.over_budget
    summary.seconds["fetch"] += crawl.seconds
    docs = pages_to_parse(crawl, state, root, force, counts)
    rows = [o.raw_row for o in crawl.outcomes if o.raw_row]
    if rows:
        counts["archived"] = record_raw(writer.get(), rows)
    hosts = {(urlsplit(d.url).hostname or "").lower() for d in docs}
    recipes = source_recipes(spec, hosts) if docs else []
    for chunk in chunked(docs, batch_size):
        load_one(parse_batch(chunk, recipes), writer, summary)
    counts["parsed"] = len(docs)
    summary.inputs += counts["pages"]
    summary.skipped_unchanged += counts["unchanged"]
    summary.skipped_known_bad += counts["known_bad"]
    return dict(counts)


def pages_to_parse(crawl: Crawl, state: WarehouseState, root: Path, force: bool, counts: Counter) -> list[RawDocument]:
    """Pages whose bytes (new, or a 304's archived copy) are not yet loaded with this extractor version."""
    version = extractor_version()
    docs: list[RawDocument] = []
    for o in crawl.outcomes:
        counts["pages"] += o.kind == "page"
        counts[o.status] += 1
        if o.kind != "page" or o.status == "failed":
            continue
        if not force and state.versions.get(o.content_hash) == version:
            counts["unchanged"] += 1
        elif not force and (o.url, o.content_hash) in state.failures:
            counts["known_bad"] += 1
        else:
            try:  # identity: the page's final canonical url
                docs.append(raw_archive.archived_document(root, o.content_hash, o.final_url or o.url, o.url,
                                                          o.source, o.content_type))
            except raw_archive.ArchiveError as exc:
                o.fail("parse", exc)
                counts["failed"] += 1
    return docs


def failure_row(outcome: FetchOutcome) -> dict:
    """The ingest_errors row of a url the crawl could not use."""
    assert outcome.failure is not None
    return error_row(outcome.source, outcome.url, outcome.failure.stage, outcome.failure.error)
