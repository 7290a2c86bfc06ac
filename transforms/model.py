"""The records that flow between stages: an article, and what is extracted from it.

Offsets (`span_start`, `span_end`) always index into `Article.body`, so every stored
number can be traced back to the characters it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Article:
    """One article as the pipeline sees it: metadata plus a plain-text body.

    `body` keeps paragraph boundaries as newlines (one paragraph per non-empty line);
    the fact rules use them to find the nearest earlier market, period and entity.
    """

    url: str
    body: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    lang: str | None = None

    @property
    def paragraphs(self) -> list[tuple[int, str]]:
        """(offset, text) of each non-empty line of the body."""
        out: list[tuple[int, str]] = []
        pos = 0
        for line in self.body.split("\n"):
            if line.strip():
                out.append((pos, line))
            pos += len(line) + 1
        return out


@dataclass(frozen=True, slots=True)
class Fact:
    """One metric fact (see ../shared/FACTS.md): a stated number with its meaning."""

    metric: str
    value: float
    unit: str
    entity: str | None
    market: str | None
    period: str | None
    qualifier: str
    sentence: str
    span_start: int
    span_end: int


@dataclass(frozen=True, slots=True)
class Event:
    """A business event stated in an article (ban, launch, merger, funding...)."""

    event_type: str
    entity: str | None
    counterpart: str | None
    market: str | None
    period: str | None
    sentence: str
    span_start: int
    span_end: int


@dataclass(frozen=True, slots=True)
class PeopleMove:
    """A person taking, leaving or changing a role."""

    person: str
    role_from: str | None
    org_from: str | None
    role_to: str | None
    org_to: str | None
    location: str | None
    period: str | None
    sentence: str
    span_start: int
    span_end: int


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one article."""

    facts: list[Fact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    people: list[PeopleMove] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A document as a source delivered it, before any parsing.

    `kind` is "html" or "text"; `url` is already canonical; `source` names the
    configured source (or the folder) it came from.
    """

    url: str
    data: bytes
    kind: str
    source: str | None = None
    content_type: str | None = None
    location: str | None = None
