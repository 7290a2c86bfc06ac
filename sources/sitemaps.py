"""XML sitemaps: a `urlset` lists pages, a `sitemapindex` lists further sitemaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from sources.xmldoc import XmlRefused, local_name, parse_xml

MAX_SITEMAP_URLS = 50_000  # the protocol's own limit per file


@dataclass(slots=True)
class Sitemap:
    """What one sitemap file lists: pages (urlset) or child sitemaps (sitemapindex)."""

    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    lastmod: dict[str, str] = field(default_factory=dict)


def parse_sitemap(data: bytes, url: str) -> Sitemap:
    """The locations a sitemap lists, in document order, capped at the protocol's limit."""
    root = parse_xml(data, url)
    kind = local_name(root.tag)
    if kind not in {"urlset", "sitemapindex"}:
        raise XmlRefused(f"{url}: not a sitemap (root element <{kind}>)")
    out = Sitemap()
    target = out.pages if kind == "urlset" else out.sitemaps
    for node in root:
        if local_name(node.tag) not in {"url", "sitemap"}:
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        location = urljoin(url, loc)
        target.append(location)
        modified = _child_text(node, "lastmod")
        if modified:
            out.lastmod[location] = modified
        if len(target) >= MAX_SITEMAP_URLS:
            break
    return out


def _child_text(node, name: str) -> str | None:
    """Text of the first child with this local name."""
    for child in node:
        if local_name(child.tag) == name and (child.text or "").strip():
            return child.text.strip()
    return None
