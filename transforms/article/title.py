"""The headline of a page: an <h1> the <title> agrees with, og:title, the cleaned <title>,
or, when those name only the site, the heading just before the body.

Receives a Page (extract_title also records the headline element on it, which candidate
scoring favours) or the chosen body container (heading_before); returns the title text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from lxml import etree

from transforms.article.boilerplate_lines import BOILERPLATE
from transforms.article.metadata import meta_values
from transforms.article.page import Page
from transforms.article.text import CJK, clean_text, node_text
from transforms.article.tree import first_n

TITLE_META_KEYS = ("og:title", "twitter:title", "title", "headline")
TITLE_SEPARATORS = re.compile(r"\s+[-|–—_]\s+|\s*[|_]\s*|\s*--+\s*|\s*——\s*|\s+-(?=\S)|(?<=\S)-\s+")
BARE_SUFFIX = re.compile(r"^(.{6,}?)[-_](?![\d])([^-_]{1,15})$")
FIRST_PIECE_SHARE = 0.6
HEADING_SEARCH_LEVELS = 3
HEADING_TAGS_FOR_TITLE = ("h1", "h2", "h3", "h4", "h5")
MIN_TITLE_CHARS, MAX_TITLE_CHARS = 6, 100


def extract_title(page: Page) -> str | None:
    """The headline: an <h1> the <title> agrees with, else og:title, else the cleaned <title>."""
    metas = meta_values(page)
    doc_title = ""
    for tree in (page.head, page.root):
        if tree is not None and not doc_title:
            node = tree.find(".//title")
            if node is not None:
                doc_title = clean_text(node_text(node))
    meta_title = next((clean_text(metas[k]) for k in TITLE_META_KEYS if metas.get(k)), "")
    reference = doc_title or meta_title
    elements = first_n(page.root.iter("h1", "h2"), 40)
    found = [(clean_text(node_text(h)), h) for h in elements]
    found = [(text, h) for text, h in found if 4 <= len(text) <= 200]
    reference = unicodedata.normalize("NFKC", reference)
    core = _strip_site_name(reference) if reference else ""
    for heading, element in found:
        key = unicodedata.normalize("NFKC", heading)
        if reference and ((key in reference and len(key) >= 0.5 * len(core)) or _similar(key, reference)):
            page.headline = element
            return heading
    headings = [text for text, _ in found]
    if meta_title:
        return _strip_site_name(meta_title)
    if doc_title:
        return _strip_site_name(doc_title)
    return headings[0] if headings else None


def _similar(a: str, b: str) -> bool:
    """True when most characters of the shorter string appear in the longer one."""
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4:
        return False
    hits = sum(1 for ch in set(short) if ch in long_)
    return hits / len(set(short)) >= 0.9 and len(short) >= 0.5 * len(long_)


def _strip_site_name(title: str) -> str:
    """A <title> without its site-name part: the longest piece between separators."""
    parts = [p.strip() for p in TITLE_SEPARATORS.split(title) if p and p.strip()]
    if len(parts) > 1:
        longest = max(parts, key=len)
        # "Headline - Site" is the usual order; a short first piece is a site or section name
        title = parts[0] if len(parts[0]) >= FIRST_PIECE_SHARE * len(longest) else longest
    match = BARE_SUFFIX.match(title.strip())
    if match and len(CJK.findall(match.group(1))) >= 4:
        return match.group(1)
    return title.strip()


def heading_before(container: Any) -> str | None:
    """Text of the heading just before the body (or first inside it): the headline of pages
    whose <title> names only the site."""
    node = container
    for _ in range(HEADING_SEARCH_LEVELS):
        for candidate in node.itersiblings(preceding=True):
            found = _heading_in(candidate)
            if found:
                return found
        node = node.getparent()
        if node is None or node.tag == "body":
            break
    return None


def _heading_in(node: Any) -> str | None:
    """The first headline-like text in node (an h1-h5 or a *title* class), if any."""
    for element in node.iter(HEADING_TAGS_FOR_TITLE):
        text = clean_text(node_text(element))
        if _headline_like(text):
            return text
    for element in node.iter(etree.Element):
        if "title" in (element.get("class") or "").lower():
            text = clean_text(node_text(element))
            if _headline_like(text):
                return text
    return None


def _headline_like(text: str) -> bool:
    """True for text of headline length that is not a byline, date or source line."""
    return MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS and not BOILERPLATE.line.search(text)
