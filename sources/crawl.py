"""The crawl of one source: a frontier of urls, polite fetches, the raw archive, links from feeds and sitemaps.

Network and the archive folder only: a source's start points are fetched (conditionally
when the archive holds a copy), every new body is stored in the content-addressed archive
before anything parses it, and feeds and sitemaps add the pages they list to the frontier,
deduplicated, filtered by the source's include/exclude patterns and within its page budget.
A failing url is an outcome with its failure, never an exception: the crawl goes on.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from sources import archive as raw_archive
from sources.config import SourcesConfig, SourceSpec, adhoc_source, load_sources
from sources.feeds import parse_feed
from sources.http import Fetcher, FetchError, FetchSettings, media_type
from sources.known import ArchiveState
from sources.sitemaps import parse_sitemap
from sources.xmldoc import XmlRefused, document_kind
from transforms.urls import canonical_url

MAX_SITEMAPS_PER_SOURCE = 100


def is_url(value: str) -> bool:
    """Whether a command-line input is a web address rather than a path."""
    return value.lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a url failed, and at which stage (fetch, or parse of a feed or sitemap)."""

    stage: str
    error: BaseException


@dataclass(slots=True)
class FetchOutcome:
    """What fetching one url gave: a page to parse, links to follow, a 304, or a failure."""

    url: str
    source: str
    kind: str                        # page, feed or sitemap
    status: str                      # fetched, not_modified or failed
    content_hash: str | None = None
    final_url: str | None = None
    content_type: str | None = None
    raw_row: dict | None = None      # a raw_documents row when the body is new for this url
    failure: Failure | None = None
    links: list[tuple[str, str]] = field(default_factory=list)

    def fail(self, stage: str, error: BaseException) -> None:
        """Mark the url failed at this stage."""
        self.status, self.failure = "failed", Failure(stage, error)


@dataclass(slots=True)
class Crawl:
    """Everything one source's crawl did."""

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
    outcome = FetchOutcome(url, source.name, hint, "failed")
    try:
        result = fetcher.get(url, delay=source.delay, etag=known.etag if known else None,
                             last_modified=known.last_modified if known else None)
    except FetchError as exc:
        outcome.fail("fetch", exc)
        return outcome
    if result.not_modified:
        if known is None:
            outcome.fail("fetch", FetchError(url, "HTTP 304 Not Modified to a request that was not conditional"))
            return outcome
        outcome = FetchOutcome(url, source.name, known.kind, "not_modified", known.content_hash, known.final_url,
                               known.content_type)
        if known.kind != "page":
            try:
                _read_links(outcome, raw_archive.load(root, known.content_hash), known.final_url)
            except raw_archive.ArchiveError as exc:
                outcome.fail("fetch", exc)
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
        outcome.fail("parse", XmlRefused(f"{url}: expected a {hint}, got "
                                         f"{media_type(result.content_type) or 'an untyped'} page"))
    elif kind != "page":
        _read_links(outcome, result.body, final)
    return outcome


def _read_links(outcome: FetchOutcome, data: bytes, base: str) -> None:
    """Fill in the pages (and child sitemaps) a feed or sitemap lists; a refused one is a failure."""
    try:
        if outcome.kind == "feed":
            outcome.links = [(entry.url, "page") for entry in parse_feed(data, base)]
        else:
            found = parse_sitemap(data, base)
            outcome.links = [(u, "sitemap") for u in found.sitemaps] + [(u, "page") for u in found.pages]
    except XmlRefused as exc:
        outcome.fail("parse", exc)


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
