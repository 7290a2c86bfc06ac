"""Business events from article text. Placeholder until the event grammar lands."""

from __future__ import annotations

from transforms.model import Article, Event

EVENTS_VERSION = "0.0.1"


def extract_events(article: Article) -> list[Event]:
    """Every business event stated in the article body."""
    return []
