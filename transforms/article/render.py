"""Render the chosen containers to lines of text.

Receives the containers candidate scoring chose (and its stats); returns raw lines, one per
block element or <br>, table cells separated by " | ". Link lists and other link-dense
blocks inside a container are pruned first; BeautifulSoup (over lxml) renders only the
containers, never the whole page.
"""

from __future__ import annotations

import threading
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.builder import LXMLTreeBuilder
from lxml import etree

from transforms.article.candidates import link_density, measure
from transforms.article.tags import BLOCK_BREAK_TAGS, KEEP_ALWAYS, LIST_LIKE_TAGS
from transforms.article.tree import drop_element

BLOCK_END = object()
_THREAD = threading.local()


def render_lines(containers: list, stats: dict | None = None) -> list[str]:
    """Lines of text of the chosen containers, rendered from a BeautifulSoup tree of just them.

    `stats` may be the page-wide measure the containers were chosen with: below a container it
    holds exactly what measuring the container alone would (weights, links and punctuation
    only flow upwards, and the containers do not nest), so pruning need not measure again."""
    lines: list[str] = []
    for container in containers:
        _prune_container(container, stats)
        _drop_blank_between_blocks(container)
        fragment = etree.tostring(container, encoding="unicode", method="html", with_tail=False)
        soup = BeautifulSoup(fragment, builder=_soup_builder())
        parts: list[str] = []
        _render_soup(soup, parts)
        lines.extend("".join(parts).split("\n"))
    return lines


def _soup_builder() -> LXMLTreeBuilder:
    """This thread's lxml tree builder for BeautifulSoup (what "lxml" names), made once: a new
    one per page costs BeautifulSoup a tenth of its time on an article."""
    builder = getattr(_THREAD, "soup_builder", None)
    if builder is None:
        builder = _THREAD.soup_builder = LXMLTreeBuilder()
    return builder


def _render_soup(soup: BeautifulSoup, parts: list[str]) -> None:
    """Text of a soup with block elements and <br> as line breaks and table cells separated."""
    stack: list[Any] = list(reversed(soup.contents))
    while stack:
        item = stack.pop()
        if item is BLOCK_END:
            parts.append("\n")
            continue
        if isinstance(item, NavigableString):
            if type(item) is NavigableString:
                parts.append(item.replace("\n", " "))
            continue
        if not isinstance(item, Tag):
            continue
        name = item.name
        if name == "br":
            parts.append("\n")
            continue
        if name in ("td", "th"):
            parts.append(" | ")
        elif name in BLOCK_BREAK_TAGS:
            parts.append("\n")
            stack.append(BLOCK_END)
        stack.extend(reversed(item.contents))


def _drop_blank_between_blocks(container: Any) -> None:
    """Empty the whitespace-only texts that sit between two block boundaries in the container.

    Rendered, such a text is a line of spaces between two line breaks, which filter_lines
    strips to nothing and drops; without it BeautifulSoup builds a third fewer strings. Texts
    next to inline elements, table cells or <br> are kept (there a space can separate words)."""
    if container.tag in KEEP_ALWAYS:
        return
    for node in container.iter(etree.Element):
        if node.tag not in BLOCK_BREAK_TAGS:
            continue
        text = node.text
        if text and text.isspace() and (len(node) == 0 or node[0].tag in BLOCK_BREAK_TAGS):
            node.text = None
        if node is container:
            continue
        tail = node.tail
        if tail and tail.isspace():
            after = node.getnext()
            if (node.getparent().tag if after is None else after.tag) in BLOCK_BREAK_TAGS:
                node.tail = None


def _prune_container(container: Any, stats: dict | None = None) -> None:
    """Drop link lists, empty figures and other link-dense blocks inside the chosen container."""
    if stats is None or container not in stats:
        nodes, stats = measure(container)
    else:
        nodes = list(container.iter(etree.Element))
    total = max(1.0, stats[container].weight)
    for node in reversed(nodes):
        if node is container or node.getparent() is None:
            continue
        tag = node.tag if isinstance(node.tag, str) else ""
        st = stats[node]
        if tag not in LIST_LIKE_TAGS or st.weight == 0:
            continue
        density = link_density(st)
        if (density > 0.5 and st.weight < 0.3 * total) or (density > 0.3 and st.weight < 0.1 * total and st.punct < 2):
            drop_element(node)
