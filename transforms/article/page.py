"""Page: one parsed page as every stage after the pre-clean sees it.

Holds the lxml tree, the JSON-LD texts and raw markup the pre-clean set aside, and what the
stages learn along the way (meta values, the headline element, the chosen body containers),
so that no stage reads the same thing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from transforms.article.text import clean_text, node_text


@dataclass(slots=True)
class Page:
    """Working state of one page: its tree and what the pre-clean set aside."""

    root: Any
    ld_json: list[str] = field(default_factory=list)
    head: Any = None
    headline: Any = None
    raw: str = ""
    raw_lower: str | bytes | None = None  # lower_view(raw)
    metas: dict[str, str] | None = None
    containers: list = field(default_factory=list)
    _visible: str | None = None
    _body_text: str | None = None

    def body_text(self) -> str:
        """All text of the page's body as parsed (computed once, before any removal)."""
        if self._body_text is None:
            body = self.root.find("body")
            self._body_text = node_text(body if body is not None else self.root)
        return self._body_text

    def visible_text(self) -> str:
        """The page's body text with whitespace collapsed (computed once, before any removal)."""
        if self._visible is None:
            self._visible = clean_text(self.body_text())
        return self._visible
