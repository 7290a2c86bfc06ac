"""What a crawl knows of earlier fetches: enough to ask for a page conditionally and to skip what is archived.

Plain data. The warehouse fills it from its `raw_documents` and `ingest_errors` tables
(warehouse/archive.py, warehouse/state.py) at the start of a run; the crawl
(sources/crawl.py) only reads it, so sources/ never opens the warehouse file.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Validator:
    """The last archived response of a url: enough for a conditional GET."""

    etag: str | None
    last_modified: str | None
    content_hash: str
    content_type: str | None
    final_url: str
    kind: str


@dataclass(slots=True)
class ArchiveState:
    """What the archive holds: validators for conditional GETs, (url, hash) documents, urls with errors."""

    validators: dict[str, Validator] = field(default_factory=dict)
    known: set[tuple[str, str]] = field(default_factory=set)
    error_urls: set[str] = field(default_factory=set)
