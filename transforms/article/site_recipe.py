"""What a site recipe's CSS selectors and regexes pick out of a page (transforms/recipes.py
says which recipe applies to a URL).

Receives the lxml root and a selector or regex from the recipe; returns elements, text or a
date. A selector or regex that does not compile is skipped with a warning: a recipe only
narrows the generic extractor, it never breaks it.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from lxml.cssselect import CSSSelector

from transforms.article.dates import parse_date
from transforms.article.text import clean_text, node_text

LOG = logging.getLogger(__name__)


def select(root: Any, selector: str | None) -> list:
    """Elements matching a CSS selector; none when the selector is missing or invalid."""
    if not selector:
        return []
    try:
        return CSSSelector(selector)(root)
    except Exception as exc:  # cssselect raises several unrelated classes for bad selectors
        LOG.warning("recipe selector %r unusable: %s", selector, exc)
        return []


def outermost(nodes: list) -> list:
    """The nodes that are not inside another of the nodes (a selector group can match both)."""
    chosen = set(nodes)
    return [n for n in nodes if not any(a in chosen for a in n.iterancestors())]


def recipe_text(root: Any, selector: str | None) -> str | None:
    """Text of the first element a recipe selector matches."""
    nodes = select(root, selector)
    text = clean_text(node_text(nodes[0])) if nodes else ""
    return text or None


def recipe_date(root: Any, selector: str | None) -> date | None:
    """Date written in (or in the datetime/content attribute of) the recipe's date element."""
    for node in select(root, selector)[:3]:
        found = parse_date(node.get("datetime") or node.get("content")) or parse_date(node_text(node))
        if found:
            return found
    return None


def line_patterns(patterns: list[str] | None) -> list[re.Pattern[str]]:
    """A recipe's `drop_text` regexes compiled case-insensitively, the unusable ones left out."""
    return [re.compile(p, re.I) for p in patterns or [] if _valid_regex(p)]


def _valid_regex(pattern: str) -> bool:
    """True when a recipe's regex compiles (a bad one is skipped with a warning)."""
    try:
        re.compile(pattern)
    except re.error as exc:
        LOG.warning("recipe regex %r unusable: %s", pattern, exc)
        return False
    return True
