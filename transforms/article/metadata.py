"""What a page declares about itself: <meta> values, JSON-LD objects, and the author or source.

Receives a Page (before any boilerplate is removed); returns plain values. The title, date
and language modules read the same meta values and JSON-LD objects through `meta_values`
and `ld_objects`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from transforms.article.page import Page
from transforms.article.text import clean_text

AUTHOR_META_KEYS = ("author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author")
SOURCE_META_KEYS = ("source", "og:site_name", "mediaid", "publisher", "application-name")
SOURCE_IN_TEXT = re.compile(r"(?:来源|稿源|出处)\s*[:：]\s*([\u4e00-\u9fffA-Za-z·][\u4e00-\u9fffA-Za-z·.\-]{1,15})")
AUTHOR_IN_TEXT = re.compile(r"(?:作者|记者|撰文)\s*[:：|丨]\s*([\u4e00-\u9fffA-Za-z·][\u4e00-\u9fffA-Za-z·.\-]{1,15})")
NOT_A_NAME = re.compile(r"https?:|www\.|@|^name\b|^\d+$|^(none|null|undefined|admin|unknown|未知)\b", re.I)


def meta_values(page: Page) -> dict[str, str]:
    """Lowercased name/property/itemprop of every <meta> with content, first value wins
    (read once per page: title, date, source and language all ask, before any removal)."""
    if page.metas is None:
        page.metas = _read_meta_values(page)
    return page.metas


def _read_meta_values(page: Page) -> dict[str, str]:
    """meta_values of a page, read from its tree."""
    values: dict[str, str] = {}
    for tree in (page.head, page.root):
        if tree is None:
            continue
        for meta in tree.iter("meta"):
            content = (meta.get("content") or "").strip()
            if not content:
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = (meta.get(attr) or "").strip().lower()
                if key and key not in values:
                    values[key] = content
    return values


def ld_objects(page: Page) -> list[dict]:
    """Every JSON object in the page's JSON-LD blocks, flattened through lists and @graph."""
    found: list[dict] = []
    for raw in page.ld_json:
        try:
            data = json.loads(raw.strip().strip(";"))
        except (json.JSONDecodeError, RecursionError):
            continue
        stack = [data]
        while stack and len(found) < 200:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return found


def extract_source(page: Page) -> str | None:
    """The author or source the page names (meta, JSON-LD, or a 来源/作者 line)."""
    metas = meta_values(page)
    for key in AUTHOR_META_KEYS:
        value = clean_text(metas.get(key))
        if _plausible_name(value):
            return value
    for obj in ld_objects(page):
        name = _ld_name(obj.get("author"))
        if name:
            return name
    text = page.visible_text()[:20000]
    for pattern in (SOURCE_IN_TEXT, AUTHOR_IN_TEXT):
        match = pattern.search(text)
        if match and _plausible_name(match.group(1)):
            return match.group(1)
    for key in SOURCE_META_KEYS:
        value = clean_text(metas.get(key))
        if _plausible_name(value):
            return value
    return None


def _plausible_name(value: str | None) -> bool:
    """True for a short author or source name, not a URL, an e-mail or a placeholder."""
    return bool(value) and len(value) <= 60 and not NOT_A_NAME.search(value)


def _ld_name(value: Any) -> str | None:
    """The name of a JSON-LD author value (string, object or list of them)."""
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value[:5]) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip() and len(value) <= 80:
        return value.strip()
    return None
