"""Parsing on every core without paying Prefect's start-up in each worker.

Parse batches are Prefect tasks (visible, timed, retried in the UI) run on a thread
pool; each task hands its CPU work to a process pool whose workers import only the
pure `transforms` package. On a Dask cluster the task runs the work inline instead.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from transforms.batch import ParsedBatch, parse_documents
from transforms.model import RawDocument

_POOL: ProcessPoolExecutor | None = None
MAX_IN_FLIGHT = 16  # batches submitted but not yet loaded: bounds the flow's memory on a large cluster


WARM_UP_PAGE = (
    "<html><head><title>TikTok Shop 2024年GMV</title></head><body><article><p>2024年第三季度，TikTok Shop在美国的"
    "GMV达到12亿美元，同比增长35%。</p><p>In Q3 2024, Temu's GMV in the US reached $1.2 billion, up 35%.</p>"
    "</article></body></html>"
).encode()


# Extraction allocates many small objects per article; the collector's default threshold (700) made it
# rescan the young generation hundreds of times per batch, about 10% of a worker's time.
WORKER_GC_THRESHOLD = (50_000, 20, 100)


def _warm() -> None:
    """Import the extractors and compile their lazy grammars while the flow reads the first batch."""
    try:
        parse_documents([RawDocument(url="https://warm-up.invalid/", data=WARM_UP_PAGE, kind="html")])
    except Exception:  # a warm-up failure must not kill the pool: the real batch reports the error
        pass
    gc.freeze()  # the grammars and gazetteers live as long as the worker: never traverse them again
    gc.set_threshold(*WORKER_GC_THRESHOLD)


@contextlib.contextmanager
def parse_pool(workers: int) -> Iterator[None]:
    """Make a process pool available to parse tasks for the duration of a flow run."""
    global _POOL
    if workers <= 1 or _POOL is not None:
        yield
        return
    context = multiprocessing.get_context("spawn")
    _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm)
    try:
        yield
    finally:
        pool, _POOL = _POOL, None
        pool.shutdown(wait=True, cancel_futures=True)


def parse_anywhere(docs: list[RawDocument], recipes: list[dict] | None) -> ParsedBatch:
    """Parse on the process pool when one is open, else in this process."""
    if _POOL is None:
        return parse_documents(docs, recipes)
    return _POOL.submit(parse_documents, docs, recipes).result()


def in_flight_limit(workers: int) -> int:
    """Batches to keep submitted: two per parse slot (local processes, or every thread of the Dask cluster)."""
    from prefect.context import FlowRunContext

    slots = workers
    runner = getattr(FlowRunContext.get(), "task_runner", None)
    if type(runner).__name__ == "DaskTaskRunner":
        slots = sum(runner.client.nthreads().values()) or workers
    return max(2, min(2 * slots, MAX_IN_FLIGHT))
