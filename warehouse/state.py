"""What the published warehouse already holds, read once at the start of a run.

A run skips an input whose bytes are loaded with the current extractor, or that failed
before and has not changed, without parsing it; a web fetch asks for a page it holds
with its validators (ETag, Last-Modified) so an unchanged page costs a 304. Both read
the published file read-only, so they never wait for a writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sources.known import ArchiveState
from warehouse.archive import known_documents, known_validators, urls_with_errors
from warehouse.db import open_readonly
from warehouse.load import known_articles, known_failures


@dataclass(slots=True)
class WarehouseState:
    """Loaded content hashes (with their extractor version) and inputs known to fail."""

    versions: dict[str, str] = field(default_factory=dict)
    failures: set[tuple[str, str]] = field(default_factory=set)


def read_warehouse_state(db: str | Path) -> WarehouseState:
    """Hashes already loaded and inputs already known to fail (empty before the first run)."""
    if not Path(db).exists():
        return WarehouseState()
    con = open_readonly(db)
    try:
        return WarehouseState(known_articles(con), known_failures(con))
    finally:
        con.close()


def read_archive_state(db: str | Path) -> ArchiveState:
    """Validators, archived documents and urls with errors (empty before the first run)."""
    if not Path(db).exists():
        return ArchiveState()
    con = open_readonly(db)
    try:
        return ArchiveState(known_validators(con), known_documents(con), urls_with_errors(con))
    finally:
        con.close()
