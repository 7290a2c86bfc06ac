"""Raw documents to load-ready frames, one batch at a time (pure: no disk, no network).

This is the CPU-heavy stage that runs on worker processes: decode, HTML to article,
fact/event/people extraction, polars frames. A document that fails becomes an error
row naming its location and the reason; the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl

from transforms.documents import to_article
from transforms.extract import extract, extractor_version
from transforms.frames import (
    ARTICLE_SCHEMA,
    ERROR_SCHEMA,
    EVENT_SCHEMA,
    FACT_SCHEMA,
    PEOPLE_SCHEMA,
    Batch,
    dedupe_facts,
    event_rows,
    fact_rows,
    fx_table,
    known_currencies,
    people_rows,
    rows_frame,
    split_invalid,
    stable_id,
    with_value_usd,
)
from transforms.model import Article, RawDocument
from transforms.urls import canonical_url


@dataclass(slots=True)
class ParsedBatch:
    """A batch ready to load, with seconds spent per stage (for run logs and benchmarks)."""

    batch: Batch
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    articles_empty: int = 0


def content_hash(data: bytes) -> str:
    """Identity of a raw document's content: an unchanged document is skipped."""
    return hashlib.sha256(data).hexdigest()


def article_id(url: str) -> str:
    """Stable article key derived from its canonical url (tracking parameters do not split an article)."""
    return stable_id(canonical_url(url))


def parse_documents(docs: list[RawDocument], recipes: list[dict] | None = None) -> ParsedBatch:
    """Every document of the batch turned into frames; failures into error rows."""
    from transforms.recipes import recipe_for

    version = extractor_version()
    out = ParsedBatch(Batch())
    kept: dict[str, tuple[dict, list, list, list]] = {}  # article id -> its rows; a later copy of a url wins
    errors: list[dict] = []
    for doc in docs:
        digest = content_hash(doc.data)
        where = doc.location or doc.url
        try:
            started = time.perf_counter()
            article = to_article(doc, recipe_for(doc.url, recipes or []))
            out.seconds["html_to_text"] += time.perf_counter() - started
            started = time.perf_counter()
            found = extract(article)
            out.seconds["extract"] += time.perf_counter() - started
        except Exception as exc:  # any one document's failure must not stop the batch
            errors.append(_error_row(doc, where, digest, "parse", exc))
            continue
        if not article.body.strip():
            out.articles_empty += 1
        started = time.perf_counter()
        aid = article_id(article.url)
        kept[aid] = (_article_row(aid, article, digest, doc.source, version), fact_rows(aid, found.facts, version),
                     event_rows(aid, found.events, version), people_rows(aid, found.people, version))
        out.seconds["frames"] += time.perf_counter() - started
    started = time.perf_counter()
    rows = [row for row, _, _, _ in kept.values()]
    facts = [f for _, fs, _, _ in kept.values() for f in fs]
    events = [e for _, _, es, _ in kept.values() for e in es]
    people = [m for _, _, _, ms in kept.values() for m in ms]
    out.batch = _assemble(rows, facts, events, people, errors, [d.location or d.url for d in docs])
    out.seconds["frames"] += time.perf_counter() - started
    return out


def _article_row(aid: str, article: Article, digest: str, origin: str | None, version: str) -> dict:
    """The articles-table row of one article."""
    return {
        "article_id": aid, "url": article.url, "title": article.title, "published_at": article.published,
        "source": article.source, "lang": article.lang, "body": article.body, "content_hash": digest,
        "origin": origin, "extractor_version": version,
    }


def _error_row(doc: RawDocument, where: str, digest: str | None, stage: str, exc: BaseException) -> dict:
    """An ingest_errors row whose message a user understands."""
    message = str(exc) or exc.__class__.__name__
    if where not in message:
        message = f"{where}: {message}"
    return {"source": doc.source, "url": where, "stage": stage, "error_class": type(exc).__name__,
            "message": message[:2000], "content_hash": digest}


def _assemble(rows, facts, events, people, errors, seen: list[str]) -> Batch:
    """One frame per table for the whole batch; convert money, drop impossible values with a reason."""
    articles = pl.DataFrame(rows, schema=ARTICLE_SCHEMA, orient="row") if rows else pl.DataFrame(schema=ARTICLE_SCHEMA)
    fact_frame = dedupe_facts(rows_frame(facts, FACT_SCHEMA))
    good, bad = split_invalid(fact_frame, known_currencies())
    years = articles.select("article_id", pl.col("published_at").dt.year().cast(pl.Int32).alias("article_year"))
    good = with_value_usd(good, years, fx_table())
    for row in bad.iter_rows(named=True):
        url = articles.filter(pl.col("article_id") == row["article_id"])["url"].item()
        errors.append({"source": None, "url": url, "stage": "validate", "error_class": "ImpossibleValue",
                       "message": f"{url}: dropped fact {row['metric']}={row['value']} {row['unit']} "
                                  f"({row['reason']}) from: {row['sentence'][:200]}", "content_hash": None})
    failed = {e["url"] for e in errors}
    return Batch(
        articles=articles,
        facts=good,
        events=rows_frame(events, EVENT_SCHEMA),
        people=rows_frame(people, PEOPLE_SCHEMA),
        errors=pl.DataFrame(errors, schema=ERROR_SCHEMA, orient="row") if errors else Batch().errors,
        cleared=[s for s in seen if s not in failed],
    )
