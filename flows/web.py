"""The web branch of `ingest`: sources -> polite fetches -> raw archive -> the files' parse and load.

One fetch task per source (retried on its own, apart from the parse tasks) crawls its
start points: feeds and sitemaps list pages, pages become raw documents. Every body is
archived on disk (content-addressed) before it is parsed, and its metadata row reaches
`raw_documents` in the same published run as its article. A 304, or a body whose hash
is already loaded with the current extractor, costs no parse and no row.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from flows.ingest import LazyWriter, RunSummary, WarehouseState, _load_one, chunked, parse_batch
from sources import archive as raw_archive
from sources.config import RECIPES_DIR, SourcesConfig, SourceSpec, adhoc_source, load_sources
from sources.feeds import parse_feed
from sources.http import Fetcher, FetchError, FetchSettings, media_type
from sources.sitemaps import parse_sitemap
from sources.xmldoc import XmlRefused, document_kind
from transforms.batch import content_hash
from transforms.extract import extractor_version
from transforms.model import RawDocument
from transforms.urls import canonical_url
from warehouse.archive import (
    Validator,
    clear_errors,
    known_documents,
    known_validators,
    record_fetches,
    urls_with_errors,
)
from warehouse.db import open_readonly

MAX_SITEMAPS_PER_SOURCE = 100
COUNTS = ("pages", "fetched", "not_modified", "unchanged", "known_bad", "parsed", "failed", "filtered",
          "over_budget", "archived")


def is_url(value: str) -> bool:
    """Whether a command-line input is a web address rather than a path."""
    return value.lower().startswith(("http://", "https://"))


@dataclass(slots=True)
class ArchiveState:
    """What the published archive knows: validators for conditional GETs, documents, failing urls."""

    validators: dict[str, Validator] = field(default_factory=dict)
    known: set[tuple[str, str]] = field(default_factory=set)
    error_urls: set[str] = field(default_factory=set)


@dataclass(slots=True)
class FetchOutcome:
    """What fetching one url gave: a page to parse, links to follow, a 304, or an error row."""

    url: str
    source: str
    kind: str                        # page, feed or sitemap
    status: str                      # fetched, not_modified or failed
    content_hash: str | None = None
    final_url: str | None = None
    content_type: str | None = None
    raw_row: dict | None = None      # a raw_documents row when the body is new for this url
    error: dict | None = None
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Crawl:
    """Everything one source's fetch task did."""

    source: str
    outcomes: list[FetchOutcome] = field(default_factory=list)
    filtered: int = 0
    over_budget: int = 0
    seconds: float = 0.0


class Frontier:
    """The urls a source still has to fetch: deduplicated, filtered and within its page budget."""

    def __init__(self, source: SourceSpec, crawl: Crawl) -> None:
        self.source = source
        self.crawl = crawl
        self.queue: deque[tuple[str, str]] = deque()
        self.seen: set[str] = set()
        self.pages = 0
        self.sitemaps = 0

    def add(self, url: str, kind: str, explicit: bool = False) -> None:
        """Queue a url once; discovered pages must pass include/exclude and the budget."""
        url = canonical_url(url)
        if url in self.seen:
            return
        self.seen.add(url)
        if kind == "page":
            if not explicit and not self.source.wants(url):
                self.crawl.filtered += 1
                return
            if self.pages >= self.source.max_pages:
                self.crawl.over_budget += 1
                return
            self.pages += 1
        elif kind == "sitemap":
            if self.sitemaps >= MAX_SITEMAPS_PER_SOURCE:
                self.crawl.over_budget += 1
                return
            self.sitemaps += 1
        self.queue.append((url, kind))


def crawl_source(source: SourceSpec, fetcher: Fetcher, root: Path, archive: ArchiveState, force: bool) -> Crawl:
    """Fetch a source's start points, then the pages its feeds and sitemaps list."""
    started = time.perf_counter()
    crawl = Crawl(source.name)
    frontier = Frontier(source, crawl)
    for kind, urls in (("sitemap", source.sitemaps), ("feed", source.feeds), ("page", source.pages)):
        for url in urls:
            frontier.add(url, kind, explicit=True)
    while frontier.queue:
        url, kind = frontier.queue.popleft()
        outcome = fetch_one(url, kind, source, fetcher, root, archive, force)
        crawl.outcomes.append(outcome)
        for link, link_kind in outcome.links:
            frontier.add(link, link_kind)
    crawl.seconds = time.perf_counter() - started
    return crawl


def fetch_one(url: str, hint: str, source: SourceSpec, fetcher: Fetcher, root: Path,
              archive: ArchiveState, force: bool) -> FetchOutcome:
    """Fetch (conditionally when we hold a copy), archive the body, and read links from feeds/sitemaps."""
    known = None if force else archive.validators.get(url)
    if known is not None and not raw_archive.has(root, known.content_hash):
        known = None  # our copy is gone: fetch it whole again
    try:
        result = fetcher.get(url, delay=source.delay, etag=known.etag if known else None,
                             last_modified=known.last_modified if known else None)
    except FetchError as exc:
        return FetchOutcome(url, source.name, hint, "failed", error=error_row(source.name, url, "fetch", exc))
    if result.not_modified:
        if known is None:
            exc = FetchError(url, "HTTP 304 Not Modified to a request that was not conditional")
            return FetchOutcome(url, source.name, hint, "failed", error=error_row(source.name, url, "fetch", exc))
        outcome = FetchOutcome(url, source.name, known.kind, "not_modified", known.content_hash, known.final_url,
                               known.content_type)
        if known.kind != "page":
            try:
                _read_links(outcome, raw_archive.load(root, known.content_hash), known.final_url)
            except raw_archive.ArchiveError as exc:
                outcome.status, outcome.error = "failed", error_row(source.name, url, "fetch", exc)
        return outcome
    digest = raw_archive.store(root, result.body)
    sniffed = document_kind(result.content_type, result.body)
    kind = sniffed if sniffed in ("feed", "sitemap") else "page"
    final = canonical_url(result.final_url)
    outcome = FetchOutcome(url, source.name, kind, "fetched", digest, final, result.content_type)
    if (url, digest) not in archive.known:
        outcome.raw_row = {
            "url": url, "final_url": final, "status": result.status, "headers": result.headers,
            "fetched_at": result.fetched_at, "content_hash": digest, "content_type": result.content_type,
            "etag": result.etag, "last_modified": result.last_modified, "kind": kind, "source": source.name,
        }
    if hint != "page" and kind == "page":
        exc = XmlRefused(f"{url}: expected a {hint}, got {media_type(result.content_type) or 'an untyped'} page")
        outcome.status, outcome.error = "failed", error_row(source.name, url, "parse", exc)
    elif kind != "page":
        _read_links(outcome, result.body, final)
    return outcome


def _read_links(outcome: FetchOutcome, data: bytes, base: str) -> None:
    """Fill in the pages (and child sitemaps) a feed or sitemap lists; a refused one is an error."""
    try:
        if outcome.kind == "feed":
            outcome.links = [(entry.url, "page") for entry in parse_feed(data, base)]
        else:
            found = parse_sitemap(data, base)
            outcome.links = [(u, "sitemap") for u in found.sitemaps] + [(u, "page") for u in found.pages]
    except XmlRefused as exc:
        outcome.status, outcome.error = "failed", error_row(outcome.source, outcome.url, "parse", exc)


def error_row(source: str | None, url: str, stage: str, exc: BaseException) -> dict:
    """An ingest_errors row; the message already names the url and the reason."""
    message = str(exc) or type(exc).__name__
    if url not in message:
        message = f"{url}: {message}"
    return {"source": source, "url": url, "stage": stage, "error_class": type(exc).__name__,
            "message": message[:2000], "content_hash": None}


def plan_sources(urls: list[str], names: list[str], sources_file: str, allow_hosts: list[str],
                 max_bytes: int) -> tuple[list[SourceSpec], FetchSettings]:
    """The sources to crawl and the fetcher settings, from the sources file and the command line."""
    specs: list[SourceSpec] = []
    config = load_sources(sources_file) if names or Path(sources_file).is_file() else SourcesConfig(sources_file)
    specs += config.pick(names)
    if urls:
        specs.append(adhoc_source(urls))
    allowed = frozenset({h.lower() for h in allow_hosts} | config.allow_hosts)
    return specs, FetchSettings(max_bytes=max_bytes, allow_hosts=allowed, **config.fetch)


def source_recipes(source: SourceSpec, hosts: set[str]) -> list[dict]:
    """Recipes for a source's pages: its named recipe first (for all its hosts), then the rest by host."""
    general = all_recipes()
    if not source.recipe:
        return general
    stem = Path(source.recipe).stem
    named = next((r for r in general if stem in (r.get("name"), Path(str(r.get("file", ""))).stem)), None)
    if named is None:
        named = yaml.safe_load((RECIPES_DIR / source.recipe).read_text(encoding="utf-8")) or {}
    named = {**named, "hosts": sorted(set(named.get("hosts") or []) | hosts | source.hosts)}
    return [named, *general]


def all_recipes() -> list[dict]:
    """Every site recipe in reference/recipes/ (none until the recipe loader is present)."""
    try:
        from sources.recipes import load_recipes
    except ImportError:
        return []
    return list(load_recipes(RECIPES_DIR)) if RECIPES_DIR.is_dir() else []


@task(name="read archive state", cache_policy=NO_CACHE, persist_result=False)
def read_archive_state(db: str) -> ArchiveState:
    """Validators and known documents from the published warehouse (read-only)."""
    if not Path(db).exists():
        return ArchiveState()
    con = open_readonly(db)
    try:
        return ArchiveState(known_validators(con), known_documents(con), urls_with_errors(con))
    finally:
        con.close()


@task(name="fetch a source", cache_policy=NO_CACHE, persist_result=False, retries=1, retry_delay_seconds=10)
def fetch_source(source: SourceSpec, fetcher: Fetcher, root: str, archive: ArchiveState, force: bool) -> Crawl:
    """Crawl one source (network only; parsing is a separate task)."""
    crawl = crawl_source(source, fetcher, Path(root), archive, force)
    get_run_logger().info("source %s: %d urls fetched in %.1f s, %d filtered out, %d over budget",
                          source.name, len(crawl.outcomes), crawl.seconds, crawl.filtered, crawl.over_budget)
    return crawl


@task(name="clear errors of urls that work again", cache_policy=NO_CACHE, persist_result=False)
def settle_errors(writer, urls: list[str], stages: tuple[str, ...]) -> int:
    """A successful fetch clears the url's fetch error (and a feed's parse error); parse errors stay to the parser."""
    return clear_errors(writer.con, urls, stages)


@task(name="archive fetched documents", cache_policy=NO_CACHE, persist_result=False)
def record_raw(writer, rows: list[dict]) -> int:
    """raw_documents rows for new bodies, in one transaction, before their pages are parsed."""
    return record_fetches(writer.con, rows)


def ingest_web(urls: list[str], names: list[str], sources_file: str, allow_hosts: list[str], db: str,
               state: WarehouseState, writer: LazyWriter, summary: RunSummary, batch_size: int,
               force: bool, max_bytes: int) -> list[dict]:
    """Fetch, archive, parse and load the sources; returns the fetch error rows for the caller to record."""
    specs, settings = plan_sources(urls, names, sources_file, allow_hosts, max_bytes)
    archive = read_archive_state(db)
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
            summary.web[spec.name] = _load_crawl(crawl, spec, state, archive, root, writer, summary, batch_size, force)
            errors += [o.error for o in crawl.outcomes if o.error]
            worked += [o for o in crawl.outcomes if o.status != "failed" and o.url in archive.error_urls]
        summary.web_requests = fetcher.requests
    if worked:
        settle_errors(writer.get(), [o.url for o in worked if o.kind == "page"], ("fetch",))
        settle_errors(writer.get(), [o.url for o in worked if o.kind != "page"], ("fetch", "parse"))
    _report(summary, errors)
    return errors


def _load_crawl(crawl: Crawl, spec: SourceSpec, state: WarehouseState, archive: ArchiveState, root: Path,
                writer: LazyWriter, summary: RunSummary, batch_size: int, force: bool) -> dict:
    """Archive rows, then parse and load the crawl's new pages in batches; returns its counts."""
    counts = Counter({name: 0 for name in COUNTS})
    counts["filtered"], counts["over_budget"] = crawl.filtered, crawl.over_budget
    summary.seconds["fetch"] += crawl.seconds
    docs = _pages_to_parse(crawl, state, root, force, counts)
    rows = [o.raw_row for o in crawl.outcomes if o.raw_row]
    if rows:
        counts["archived"] = record_raw(writer.get(), rows)
    hosts = {(urlsplit(d.url).hostname or "").lower() for d in docs}
    recipes = source_recipes(spec, hosts) if docs else []
    for chunk in chunked(docs, batch_size):
        _load_one(parse_batch(chunk, recipes), writer, summary)
    counts["parsed"] = len(docs)
    summary.inputs += counts["pages"]
    summary.skipped_unchanged += counts["unchanged"]
    summary.skipped_known_bad += counts["known_bad"]
    return dict(counts)


def _pages_to_parse(crawl: Crawl, state: WarehouseState, root: Path, force: bool, counts: Counter) -> list[RawDocument]:
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
            try:
                docs.append(_document(o, root))
            except raw_archive.ArchiveError as exc:
                o.status, o.error = "failed", error_row(o.source, o.url, "parse", exc)
                counts["failed"] += 1
    return docs


def _document(outcome: FetchOutcome, root: Path) -> RawDocument:
    """The archived body of a fetched page as a raw document (identity: its final canonical url)."""
    data = raw_archive.load(root, outcome.content_hash)
    kind = "text" if media_type(outcome.content_type) == "text/plain" else "html"
    assert content_hash(data) == outcome.content_hash
    return RawDocument(url=outcome.final_url or outcome.url, data=data, kind=kind, source=outcome.source,
                       content_type=outcome.content_type, location=outcome.url)


def _report(summary: RunSummary, errors: list[dict]) -> None:
    """Per-source fetch counts as a run artifact and a log line each (304s and skips made visible)."""
    logger = get_run_logger()
    lines = ["# Web sources", "",
             "| source | pages | fetched (200) | not modified (304) | unchanged (skipped) | known bad | parsed "
             "| failed | filtered out | over budget | archived |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, c in summary.web.items():
        lines.append(f"| {name} | " + " | ".join(str(c[k]) for k in COUNTS) + " |")
        logger.info("source %s: %s", name, ", ".join(f"{k} {c[k]}" for k in COUNTS))
    lines += ["", f"HTTP requests made: {summary.web_requests}"]
    if errors:
        lines += ["", "## Fetch errors", "", "| source | url | error | reason |", "|---|---|---|---|"]
        lines += [f"| {e['source']} | {e['url']} | {e['error_class']} | {e['message'].replace('|', '/')[:300]} |"
                  for e in errors[:200]]
    create_markdown_artifact("\n".join(lines), key="web-fetch-summary",
                             description="What each web source fetched, skipped (304 / unchanged) and failed")
