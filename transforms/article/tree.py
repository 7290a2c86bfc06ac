"""Small lxml tree operations the stages share: remove an element, ancestry, first items.

Receives lxml elements (or an iterator); `drop_element` edits the tree in place.
"""

from __future__ import annotations

from typing import Any


def drop_element(node: Any) -> None:
    """Remove an element but keep its tail text in place."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    if tail and tail.strip():
        prev = node.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def is_ancestor(node: Any, other: Any) -> bool:
    """True when node is an ancestor of other."""
    return any(a is node for a in other.iterancestors())


def first_n(items: Any, n: int) -> list:
    """At most n items of an iterator."""
    out = []
    for item in items:
        out.append(item)
        if len(out) >= n:
            break
    return out
