"""Placeholder: which site recipe applies to a url (replaced by the HTML extractor work)."""

from __future__ import annotations


def recipe_for(url: str, recipes: list[dict]) -> dict | None:
    """The first recipe whose hosts include the url's host."""
    return None
