"""The `ingest` flow: files (and urls) in, warehouse rows out.

Stages, each visible in the Prefect UI: discover the inputs, read and hash them
(unchanged ones are skipped), parse and extract in batches on worker processes,
load each batch in one transaction through the single copy-on-write writer, then
publish and report. Web sources go through the same parse and load (flows/web.py).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.heap import frozen_heap
from flows.parallel import in_flight_limit, parse_pool
from flows.reports import report_ingest
from flows.settings import (
    AUTO_BATCH_RANGE,
    BATCHES_PER_WORKER,
    DEFAULT_BATCH_SIZE,
    DEFAULT_DB,
    DEFAULT_MAX_BYTES,
    DEFAULT_SOURCES_FILE,
)
from flows.steps import RunSummary, chunked, error_row, load_errors, load_one, parse_batch
from flows.warehouse_lock import warehouse_slot
from flows.web import ingest_web
from sources.crawl import is_url
from sources.files import FileItem, SourceError, list_files, read_file
from transforms.batch import content_hash
from transforms.extract import extractor_version
from transforms.model import RawDocument
from warehouse.lazy_writer import LazyWriter
from warehouse.state import WarehouseState, read_warehouse_state


@task(name="read warehouse state", cache_policy=NO_CACHE, persist_result=False)
def read_state(db: str) -> WarehouseState:
    """Hashes already loaded and inputs already known to fail, from the published file."""
    return read_warehouse_state(db)


@task(name="discover input files", cache_policy=NO_CACHE, persist_result=False)
def discover(paths: list[str]) -> tuple[list[FileItem], list[SourceError]]:
    """Files under the named paths; refused or missing paths become errors."""
    items, problems = [], []
    for found in list_files(paths):
        (problems if isinstance(found, SourceError) else items).append(found)
    return items, problems


@flow(name="ingest", description="Read article files, extract metric facts, load them into the DuckDB warehouse.")
def ingest(
    paths: list[str],
    db: str = str(DEFAULT_DB),
    batch_size: int = 0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    force: bool = False,
    workers: int = 0,
    sources: list[str] | None = None,
    sources_file: str = DEFAULT_SOURCES_FILE,
    allow_hosts: list[str] | None = None,
) -> dict:
    """Ingest files, folders, urls and configured web sources into the warehouse; returns the run summary."""
    flow_started = time.perf_counter()
    logger = get_run_logger()
    summary = RunSummary(db=db)
    state = read_state(db)
    urls, paths = [p for p in paths if is_url(p)], [p for p in paths if not is_url(p)]
    items, problems = discover(paths)
    logger.info("found %d input files under %d path(s); %d path problem(s)", len(items), len(paths), len(problems))
    early_errors = [error_row(None, p.location, "discover", p) for p in problems]
    writer = LazyWriter(db, slot=warehouse_slot)
    workers = workers or default_workers()
    web_batch_size = batch_size or DEFAULT_BATCH_SIZE
    batch_size = batch_size or batch_size_for(len(items), workers)
    stack = contextlib.ExitStack()
    failed = True
    try:
        stack.enter_context(parse_pool(workers if len(items) > batch_size else 1))
        stack.enter_context(frozen_heap())
        pending: deque = deque()
        window = in_flight_limit(workers)
        docs_or_errors = read_documents(items, state, summary, max_bytes, force)
        for chunk in chunked(docs_or_errors, batch_size):
            docs = [d for d in chunk if isinstance(d, RawDocument)]
            early_errors += [d for d in chunk if isinstance(d, dict)]
            if docs:
                pending.append(parse_batch.submit(docs))
            while len(pending) > window:
                load_one(pending.popleft().result(), writer, summary)
        while pending:
            load_one(pending.popleft().result(), writer, summary)
        if urls or sources:
            early_errors += ingest_web(urls, sources or [], sources_file, allow_hosts or [], db, state, writer,
                                       summary, web_batch_size, force, max_bytes)
        load_errors(early_errors, writer, summary)
        failed = False
    finally:
        stack.close()
        started = time.perf_counter()
        writer.close(failed)
        summary.seconds["publish"] += time.perf_counter() - started
    if writer.refreshed:
        summary.refresh = asdict(writer.refreshed)
        logger.info("published %s; consolidated figures refreshed (%s): %d cells, %d facts in %.2f s", db,
                    *(summary.refresh[k] for k in ("mode", "cells", "facts", "seconds")))
    summary.elapsed = time.perf_counter() - flow_started
    report_ingest(summary, logger)
    return summary.as_dict()


def read_documents(
    items: Iterable[FileItem], state: WarehouseState, summary: RunSummary, max_bytes: int, force: bool
) -> Iterator[RawDocument | dict]:
    """Raw documents to parse, or error rows; unchanged inputs are counted and dropped."""
    version = extractor_version()
    for item in items:
        summary.inputs += 1
        started = time.perf_counter()
        try:
            doc = read_file(item, max_bytes=max_bytes)
        except SourceError as exc:
            summary.seconds["read"] += time.perf_counter() - started
            yield error_row(item.root.name, exc.location, "read", exc)
            continue
        summary.seconds["read"] += time.perf_counter() - started
        digest = content_hash(doc.data)
        if not force and state.versions.get(digest) == version:
            summary.skipped_unchanged += 1
        elif not force and (doc.location, digest) in state.failures:
            summary.skipped_known_bad += 1
        else:
            yield doc


def batch_size_for(inputs: int, workers: int) -> int:
    """Documents per parse task when the caller names no size: about BATCHES_PER_WORKER per process."""
    low, high = AUTO_BATCH_RANGE
    return max(low, min(high, -(-inputs // (workers * BATCHES_PER_WORKER))))


def default_workers() -> int:
    """Parse processes to use: every core, as the machine allows."""
    return max(1, os.cpu_count() or 1)


def runner_for(workers: int, runner: str = "process", address: str | None = None):
    """The task runner for parse batches: threads feeding local processes, or a Dask cluster."""
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=address) if address else DaskTaskRunner()
    return ThreadPoolTaskRunner(max_workers=max(1, workers))
