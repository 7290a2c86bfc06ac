"""People moves from article text. Placeholder until the grammar lands."""

from __future__ import annotations

from transforms.model import Article, PeopleMove

PEOPLE_VERSION = "0.0.1"


def extract_people(article: Article) -> list[PeopleMove]:
    """Every role change of a named person stated in the article body."""
    return []
