"""Metric facts from article text (rules: ../shared/FACTS.md). Placeholder until the grammar lands."""

from __future__ import annotations

from transforms.model import Article, Fact

FACTS_VERSION = "0.0.1"


def extract_facts(article: Article) -> list[Fact]:
    """Every metric fact stated in the article body."""
    return []
