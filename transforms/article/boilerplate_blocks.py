"""Drop the page's boilerplate blocks: navigation, footers, share bars, comments, related boxes,
hidden elements, before the body is looked for.

Receives the <body> element (and the headline element, which no dropped box may hold);
edits the tree in place. Judged by tag (tags.DROP_TAGS), by hidden/aria-hidden/style and by
class and id (classnames.is_negative).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from transforms.article.classnames import RELATED_ATTR, attr_text, is_negative, strongly_negative
from transforms.article.tags import DROP_TAGS, HEADING_TAGS, KEEP_ALWAYS
from transforms.article.text import node_text
from transforms.article.tree import drop_element

HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def drop_boilerplate(body: Any, headline: Any = None, text_chars: int | None = None) -> None:
    """Remove navigation, footers, share bars, comments, hidden blocks and the like.

    `text_chars` is the length of the body's text when the caller knows it already."""
    total = max(1, len(node_text(body)) if text_chars is None else text_chars)
    doomed = []
    titled_boxes: set = set()
    # The insides of a node sure to be dropped below (a nav/footer/... tag, a titled box, a
    # strongly negative class, or any doomed node of a short page) need no judging: skipped.
    skip_to = None
    for node in body.iter(etree.Element):
        if skip_to is not None:
            if node is skip_to:
                skip_to = None
            continue
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in KEEP_ALWAYS:
            continue
        negative = False
        if tag in DROP_TAGS:
            gone = True
        else:
            names = node.keys()
            if not names:  # no attributes: nothing hidden, no class or id to judge
                gone = tag == "header" and len(node_text(node)) < 0.2 * total
            elif ("hidden" in names or "aria-hidden" in names) and (
                node.get("hidden") is not None or node.get("aria-hidden") == "true"
            ):
                gone = True
            elif (style := node.get("style") if "style" in names else None) and (
                "none" in style or "hidden" in style
            ) and HIDDEN_STYLE.search(style):
                gone = True
            elif ("class" in names or "id" in names) and is_negative(attr_text(node)):
                gone = negative = True
            else:
                gone = tag == "header" and len(node_text(node)) < 0.2 * total
        if not gone:
            continue
        doomed.append(node)
        box = _box_titled_by(node, headline) if negative else None
        if box is not None:
            doomed.append(box)
            titled_boxes.add(box)
            skip_to = _last_element(box)
        elif tag in DROP_TAGS or total <= 500 or strongly_negative(attr_text(node)):
            skip_to = _last_element(node)
    for node in doomed:
        if node.getparent() is None:
            continue
        if (node.tag not in DROP_TAGS and node not in titled_boxes and total > 500
                and not strongly_negative(attr_text(node))):
            if len(node_text(node)) > 0.5 * total:
                continue  # a layout wrapper holding most of the page is not boilerplate
        drop_element(node)


def _box_titled_by(heading: Any, headline: Any) -> Any:
    """The box a "related posts"-style heading opens (it is its first child) unless it holds the headline."""
    if heading.tag not in HEADING_TAGS or not RELATED_ATTR.search(attr_text(heading)):
        return None
    parent = heading.getparent()
    if parent is None or parent.tag in ("html", "body", "main") or parent[0] is not heading:
        return None
    if headline is not None and any(a is parent for a in headline.iterancestors()):
        return None
    return parent


def _last_element(node: Any) -> Any:
    """The last element inside node in document order, None when it holds no element."""
    last = None
    while True:
        for child in reversed(node):
            if isinstance(child.tag, str):
                break
        else:
            return last
        node = last = child
