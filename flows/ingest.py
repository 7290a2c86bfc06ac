"""The `ingest` flow: files (and urls) in, warehouse rows out.

Stages, each visible in the Prefect UI: discover the inputs, read and hash them
(unchanged ones are skipped), parse and extract in batches on worker processes,
load each batch in one transaction through the single copy-on-write writer, then
publish and report.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.heap import frozen_heap, release_finished_batches
from flows.parallel import in_flight_limit, parse_anywhere, parse_pool
from flows.settings import (
    AUTO_BATCH_RANGE,
    BATCHES_PER_WORKER,
    DEFAULT_BATCH_SIZE,
    DEFAULT_DB,
    DEFAULT_MAX_BYTES,
)
from flows.warehouse_lock import warehouse_slot
from sources.files import FileItem, SourceError, list_files, read_file
from transforms.batch import ParsedBatch, content_hash
from transforms.extract import extractor_version
from transforms.frames import ERROR_SCHEMA, Batch
from transforms.model import RawDocument
from warehouse.consolidate import Refresh
from warehouse.db import Writer, open_readonly
from warehouse.load import LoadCounts, known_articles, known_failures, load_batch


@dataclass(slots=True)
class RunSummary:
    """What a run did, for the log, the artifact and the CLI."""

    db: str
    inputs: int = 0
    skipped_unchanged: int = 0
    skipped_known_bad: int = 0
    parsed: int = 0
    failed: int = 0
    empty_bodies: int = 0
    loaded: LoadCounts = field(default_factory=LoadCounts)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    errors: list[dict] = field(default_factory=list)
    facts_shown: list[dict] = field(default_factory=list)  # first FACTS_SHOWN facts added, for the table artifact
    web: dict[str, dict] = field(default_factory=dict)  # per web source: fetched, 304s, skips... (flows/web.py)
    web_requests: int = 0
    refresh: dict = field(default_factory=dict)  # what publishing recomputed (warehouse.consolidate.Refresh)
    elapsed: float = 0.0  # wall seconds from flow start to report, i.e. without Prefect's start-up

    def as_dict(self) -> dict:
        """Plain-data form (flow return value, JSON output)."""
        seconds, self.seconds = self.seconds, {}
        out = asdict(self)
        self.seconds = seconds
        out["seconds"] = {k: round(v, 3) for k, v in seconds.items()}
        out["loaded"].pop("seconds")  # in out["seconds"]["load"]
        out.pop("facts_shown")
        return out


@dataclass(slots=True)
class WarehouseState:
    """What the warehouse already holds, to skip unchanged inputs without parsing them."""

    versions: dict[str, str]
    failures: set[tuple[str, str]]


@task(name="read warehouse state", cache_policy=NO_CACHE, persist_result=False)
def read_state(db: str) -> WarehouseState:
    """Hashes already loaded and inputs already known to fail, from the published file."""
    if not Path(db).exists():
        return WarehouseState({}, set())
    con = open_readonly(db)
    try:
        return WarehouseState(known_articles(con), known_failures(con))
    finally:
        con.close()


@task(name="discover input files", cache_policy=NO_CACHE, persist_result=False)
def discover(paths: list[str]) -> tuple[list[FileItem], list[SourceError]]:
    """Files under the named paths; refused or missing paths become errors."""
    items, problems = [], []
    for found in list_files(paths):
        (problems if isinstance(found, SourceError) else items).append(found)
    return items, problems


@task(name="parse and extract a batch", cache_policy=NO_CACHE, persist_result=False)
def parse_batch(docs: list[RawDocument], recipes: list[dict] | None = None) -> ParsedBatch:
    """Decode, extract article text, facts, events and people moves for a batch of documents."""
    return parse_anywhere(docs, recipes)


@task(name="load a batch into the warehouse", cache_policy=NO_CACHE, persist_result=False)
def load_parsed(writer: Writer, batch: Batch) -> LoadCounts:
    """One transaction per batch: the batch's articles are replaced whole or not at all."""
    assert writer.con is not None
    return load_batch(writer.con, batch)


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
            yield _error(item.root.name, exc.location, "read", exc, None)
            continue
        summary.seconds["read"] += time.perf_counter() - started
        digest = content_hash(doc.data)
        if not force and state.versions.get(digest) == version:
            summary.skipped_unchanged += 1
        elif not force and (doc.location, digest) in state.failures:
            summary.skipped_known_bad += 1
        else:
            yield doc


def _error(source: str | None, where: str, stage: str, exc: BaseException, digest: str | None) -> dict:
    """An ingest_errors row for a failure outside the parse workers."""
    return {"source": source, "url": where, "stage": stage, "error_class": type(exc).__name__,
            "message": f"{where}: {exc}", "content_hash": digest}


def chunked(stream: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of at most `size` items."""
    chunk: list = []
    for item in stream:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class LazyWriter:
    """Opens the copy-on-write writer only when there is something to write.

    The run first takes the warehouse's write slot (flows/warehouse_lock.py), so a run
    that starts while another loads the same file waits, visibly, in the Prefect UI.
    """

    def __init__(self, db: str) -> None:
        self.db = db
        self.writer: Writer | None = None
        self.slot = contextlib.ExitStack()
        self.refreshed: Refresh | None = None  # what publishing recomputed of the consolidated tables

    def get(self) -> Writer:
        """The open writer, opening it on first use."""
        if self.writer is None:
            self.slot.enter_context(warehouse_slot(self.db))
            try:
                self.writer = Writer(self.db).__enter__()
            except BaseException:
                self.slot.close()
                raise
        return self.writer

    def close(self, failed: bool) -> None:
        """Publish (or discard after a failure), then give the write slot back."""
        try:
            if self.writer is not None:
                exc = RuntimeError("run failed") if failed else None
                self.writer.__exit__(type(exc) if exc else None, exc, None)
                self.refreshed = self.writer.refreshed
                self.writer = None
        finally:
            self.slot.close()


def batch_size_for(inputs: int, workers: int) -> int:
    """Documents per parse task when the caller names no size: about BATCHES_PER_WORKER per process."""
    low, high = AUTO_BATCH_RANGE
    return max(low, min(high, -(-inputs // (workers * BATCHES_PER_WORKER))))


def default_workers() -> int:
    """Parse processes to use: every core, as the machine allows."""
    return max(1, os.cpu_count() or 1)


@flow(name="ingest", description="Read article files, extract metric facts, load them into the DuckDB warehouse.")
def ingest(
    paths: list[str],
    db: str = str(DEFAULT_DB),
    batch_size: int = 0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    force: bool = False,
    workers: int = 0,
    sources: list[str] | None = None,
    sources_file: str = "sources.yaml",
    allow_hosts: list[str] | None = None,
) -> dict:
    """Ingest files, folders, urls and configured web sources into the warehouse; returns the run summary."""
    from flows.web import ingest_web, is_url

    flow_started = time.perf_counter()
    logger = get_run_logger()
    summary = RunSummary(db=db)
    state = read_state(db)
    urls, paths = [p for p in paths if is_url(p)], [p for p in paths if not is_url(p)]
    items, problems = discover(paths)
    logger.info("found %d input files under %d path(s); %d path problem(s)", len(items), len(paths), len(problems))
    early_errors = [_error(None, p.location, "discover", p, None) for p in problems]
    writer = LazyWriter(db)
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
                _load_one(pending.popleft().result(), writer, summary)
        while pending:
            _load_one(pending.popleft().result(), writer, summary)
        if urls or sources:
            early_errors += ingest_web(urls, sources or [], sources_file, allow_hosts or [], db, state, writer,
                                       summary, web_batch_size, force, max_bytes)
        if early_errors:
            started = time.perf_counter()
            errors = pl.DataFrame(early_errors, schema=ERROR_SCHEMA, orient="row")
            summary.loaded.add(load_parsed(writer.get(), Batch(errors=errors)))
            summary.errors += early_errors
            summary.failed += len(early_errors)
            summary.seconds["load"] += time.perf_counter() - started
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
    _report(summary, logger)
    return summary.as_dict()


def _load_one(parsed: ParsedBatch, writer: LazyWriter, summary: RunSummary) -> None:
    """Load one parsed batch and fold its counts into the summary."""
    for stage, seconds in parsed.seconds.items():
        summary.seconds[stage] += seconds
    batch = parsed.batch
    summary.parsed += batch.articles.height
    summary.empty_bodies += parsed.articles_empty
    summary.failed += batch.errors.filter(pl.col("stage") != "validate").height
    summary.errors += batch.errors.to_dicts()
    started = time.perf_counter()
    target = writer.get()  # the first batch opens the writer: a copy of the warehouse, migrations, views
    opened = time.perf_counter()
    counts = load_parsed(target, batch)
    summary.loaded.add(counts)
    _keep_facts_shown(batch, summary)
    release_finished_batches()
    # DuckDB's share ("load") apart from what surrounds it: the Prefect task run, garbage collection
    summary.seconds["load"] += opened - started + counts.seconds
    summary.seconds["load_orchestration"] += time.perf_counter() - opened - counts.seconds
    get_run_logger().info(
        "loaded batch: %d articles, %d facts, %d events, %d people moves, %d errors",
        batch.articles.height, batch.facts.height, batch.events.height, batch.people.height, batch.errors.height,
    )


FACTS_SHOWN = 300
FACT_COLUMNS = ["entity", "market", "metric", "value", "unit", "period", "qualifier", "value_usd", "sentence", "url"]


def _keep_facts_shown(batch: Batch, summary: RunSummary) -> None:
    """Keep the first FACTS_SHOWN facts added, with their article's url, for the table artifact."""
    room = FACTS_SHOWN - len(summary.facts_shown)
    if room <= 0 or batch.facts.is_empty():
        return
    urls = batch.articles.select("article_id", "url").unique("article_id", keep="last")
    facts = batch.facts.head(room).join(urls, on="article_id", how="left").select(FACT_COLUMNS)
    summary.facts_shown += facts.to_dicts()


def _report(summary: RunSummary, logger) -> None:
    """Log the counts and attach a markdown summary to the run."""
    loaded = summary.loaded
    logger.info(
        "done: %d inputs, %d parsed, %d unchanged (skipped), %d failed; %d facts added, %d replaced",
        summary.inputs, summary.parsed, summary.skipped_unchanged, summary.failed,
        loaded.facts_added, loaded.facts_removed,
    )
    lines = [
        f"# Ingest into `{summary.db}`",
        "",
        "| inputs | parsed | new articles | updated articles | unchanged (skipped) | known bad (skipped) | failed | facts added | facts replaced | events | people moves |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {summary.inputs} | {summary.parsed} | {loaded.articles_new} | {loaded.articles_updated} | "
        f"{summary.skipped_unchanged} | {summary.skipped_known_bad} | {summary.failed} | {loaded.facts_added} | "
        f"{loaded.facts_removed} | {loaded.events_added} | {loaded.people_added} |",
        "",
        "Seconds per stage: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(summary.seconds.items())),
    ]
    if summary.errors:
        lines += ["", "## Errors", "", "| stage | input | reason |", "|---|---|---|"]
        lines += [f"| {e['stage']} | {e['url']} | {e['message'].replace('|', '/')[:300]} |" for e in summary.errors[:200]]
    create_markdown_artifact("\n".join(lines), key="ingest-summary", description="What this ingest run read, loaded and skipped")
    shown = len(summary.facts_shown)
    create_table_artifact(
        summary.facts_shown, key="facts-added",
        description=f"Facts added by this run: {shown} of {loaded.facts_added}"
        + (f" (the first {FACTS_SHOWN})" if loaded.facts_added > shown else ""),
    )


def runner_for(workers: int, runner: str = "process", address: str | None = None):
    """The task runner for parse batches: threads feeding local processes, or a Dask cluster."""
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=address) if address else DaskTaskRunner()
    return ThreadPoolTaskRunner(max_workers=max(1, workers))
