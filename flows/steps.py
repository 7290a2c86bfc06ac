"""What every ingesting flow shares: the run summary, the parse and load steps, the error row.

`ingest` (files and web sources) and `reprocess` (the raw archive) read different inputs,
then do the same thing with them: parse a batch on the worker processes, load it in one
transaction through the run's single writer, and count what happened in one RunSummary
that becomes the flow's return value, its log lines and its artifacts (flows/reports.py).
A failure outside the parse workers becomes one `ingest_errors` row built by `error_row`.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.heap import release_finished_batches
from flows.parallel import parse_anywhere
from transforms.batch import ParsedBatch
from transforms.frames import ERROR_SCHEMA, Batch
from transforms.model import RawDocument
from warehouse.db import Writer
from warehouse.lazy_writer import LazyWriter
from warehouse.load import LoadCounts, load_batch

FACTS_SHOWN = 300  # facts listed in a run's facts-added artifact
FACT_COLUMNS = ["entity", "market", "metric", "value", "unit", "period", "qualifier", "value_usd", "sentence", "url"]
MESSAGE_CHARS = 2000


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


def error_row(source: str | None, url: str, stage: str, exc: BaseException, content_hash: str | None = None) -> dict:
    """An ingest_errors row for a failure outside the parse workers; the message names the url and the reason."""
    message = str(exc) or type(exc).__name__
    if url not in message:
        message = f"{url}: {message}"
    return {"source": source, "url": url, "stage": stage, "error_class": type(exc).__name__,
            "message": message[:MESSAGE_CHARS], "content_hash": content_hash}


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


@task(name="parse and extract a batch", cache_policy=NO_CACHE, persist_result=False)
def parse_batch(docs: list[RawDocument], recipes: list[dict] | None = None) -> ParsedBatch:
    """Decode, extract article text, facts, events and people moves for a batch of documents."""
    return parse_anywhere(docs, recipes)


@task(name="load a batch into the warehouse", cache_policy=NO_CACHE, persist_result=False)
def load_parsed(writer: Writer, batch: Batch) -> LoadCounts:
    """One transaction per batch: the batch's articles are replaced whole or not at all."""
    assert writer.con is not None
    return load_batch(writer.con, batch)


def load_one(parsed: ParsedBatch, writer: LazyWriter, summary: RunSummary) -> None:
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
    keep_facts_shown(batch, summary)
    release_finished_batches()
    # DuckDB's share ("load") apart from what surrounds it: the Prefect task run, garbage collection
    summary.seconds["load"] += opened - started + counts.seconds
    summary.seconds["load_orchestration"] += time.perf_counter() - opened - counts.seconds
    get_run_logger().info(
        "loaded batch: %d articles, %d facts, %d events, %d people moves, %d errors",
        batch.articles.height, batch.facts.height, batch.events.height, batch.people.height, batch.errors.height,
    )


def load_errors(errors: list[dict], writer: LazyWriter, summary: RunSummary) -> None:
    """Record error rows of failures outside the parse workers, in one transaction."""
    if not errors:
        return
    started = time.perf_counter()
    frame = pl.DataFrame(errors, schema=ERROR_SCHEMA, orient="row")
    summary.loaded.add(load_parsed(writer.get(), Batch(errors=frame)))
    summary.errors += errors
    summary.failed += len(errors)
    summary.seconds["load"] += time.perf_counter() - started


def keep_facts_shown(batch: Batch, summary: RunSummary) -> None:
    """Keep the first FACTS_SHOWN facts added, with their article's url, for the table artifact."""
    room = FACTS_SHOWN - len(summary.facts_shown)
    if room <= 0 or batch.facts.is_empty():
        return
    urls = batch.articles.select("article_id", "url").unique("article_id", keep="last")
    facts = batch.facts.head(room).join(urls, on="article_id", how="left").select(FACT_COLUMNS)
    summary.facts_shown += facts.to_dicts()
