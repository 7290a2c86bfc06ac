"""One entry point for everything extracted from an article's text."""

from __future__ import annotations

from transforms.model import Article, Extraction


def extract(article: Article) -> Extraction:
    """Metric facts, events and people moves of one article."""
    from transforms.events import extract_events
    from transforms.facts import extract_facts
    from transforms.people import extract_people

    return Extraction(
        facts=extract_facts(article),
        events=extract_events(article),
        people=extract_people(article),
    )


def extractor_version() -> str:
    """Version stamped on every extracted row; a change makes `reprocess` redo an article."""
    from transforms.events import EVENTS_VERSION
    from transforms.facts import FACTS_VERSION
    from transforms.people import PEOPLE_VERSION

    return f"facts-{FACTS_VERSION}+events-{EVENTS_VERSION}+people-{PEOPLE_VERSION}"
