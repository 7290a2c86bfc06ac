"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: the article links they list."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from sources.xmldoc import XmlRefused, local_name, parse_xml


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed: the page it links to, and what the feed says about it."""

    url: str
    title: str | None = None
    published: str | None = None


def parse_feed(data: bytes, url: str) -> list[FeedEntry]:
    """The entries of a feed in document order; relative links resolve against the feed url."""
    root = parse_xml(data, url)
    if local_name(root.tag) not in {"rss", "feed", "RDF"}:
        raise XmlRefused(f"{url}: not a feed (root element <{local_name(root.tag)}>)")
    entries = []
    for node in root.iter():
        if local_name(node.tag) in {"item", "entry"}:
            link = _entry_link(node)
            if link:
                entries.append(FeedEntry(urljoin(url, link), _child_text(node, "title"),
                                         _child_text(node, "pubDate", "published", "updated", "date")))
    return entries


def _entry_link(node) -> str | None:
    """RSS `<link>text</link>`, Atom `<link rel="alternate" href>`, else an RSS permalink guid."""
    for child in node:
        if local_name(child.tag) != "link":
            continue
        href = child.get("href")
        if href and child.get("rel", "alternate") == "alternate":
            return href.strip()
        if not href and (child.text or "").strip():
            return child.text.strip()
    for child in node:
        if local_name(child.tag) == "guid" and child.get("isPermaLink", "true") == "true":
            text = (child.text or "").strip()
            if text.startswith(("http://", "https://")):
                return text
    return None


def _child_text(node, *names: str) -> str | None:
    """Text of the first child with one of these local names."""
    for child in node:
        if local_name(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None
