"""The publication date of a page: meta tags, JSON-LD, <time>, a date in the page's code, or
one written near the headline.

Receives a Page and its title (extract_date) or any text (parse_date); returns a date or
None. Only years 1990-2100 count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from transforms.article.metadata import ld_objects, meta_values
from transforms.article.page import Page
from transforms.article.preclean import MAX_INPUT_CHARS, find_in_view, lower_view
from transforms.article.text import node_text
from transforms.article.tree import first_n

DATE_META_KEYS = (
    "article:published_time", "og:published_time", "article:published", "datepublished",
    "publishdate", "publish_date", "publish-date", "pubdate", "pubtime", "publishtime",
    "sailthru.date", "parsely-pub-date", "dc.date.issued", "dc.date", "dcterms.created", "date",
    "og:release_date", "article:created", "weibo:article:create_at", "release_date", "createdate",
    "apub:time", "weibo:article:update_at", "dateupdate", "datemodified", "article:modified_time",
    "og:updated_time", "lastmod",
)
DATE_IN_CODE = re.compile(
    r"(?:pub(?:lish)?[-_]?(?:time|date)|datepublished|p[-_]?time)[\"']?\s*[:=]\s*[\"']([^\"'<>]{8,40})[\"']",
    re.I,
)
DATE_KEY_OFFSET = len("publish_")  # where "time"/"date" can start in a DATE_IN_CODE match
DATE_WINDOW = 300
LABELLED_DATE = re.compile(r"(?:发布|发表|更新|出版)?(?:时间|日期)\s*[:：]\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
DATE_NUMERIC = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?:\s*日)?(?!\d)"
)
DATE_ENGLISH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+((?:19|20)\d{2})\b", re.I
)
MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def parse_date(text: str | None) -> date | None:
    """The first plausible calendar date written in text (ISO, Chinese or English forms)."""
    if not text:
        return None
    for pattern, order in ((DATE_NUMERIC, "ymd"), (DATE_ENGLISH, "mdy")):
        for match in pattern.finditer(text[:2000]):
            if order == "ymd":
                y, m, d = (int(g) for g in match.groups())
            else:
                m, d, y = MONTHS[match.group(1).lower()[:3]], int(match.group(2)), int(match.group(3))
            try:
                found = date(y, m, d)
            except ValueError:
                continue
            if 1990 <= found.year <= 2100:
                return found
    return None


def extract_date(page: Page, title: str | None) -> date | None:
    """Publication date from meta tags, JSON-LD, <time>, or a date written near the title."""
    metas = meta_values(page)
    for key in DATE_META_KEYS:
        found = parse_date(metas.get(key))
        if found:
            return found
    for obj in ld_objects(page):
        for key in ("datePublished", "dateCreated", "uploadDate", "dateModified"):
            value = obj.get(key)
            found = parse_date(value) if isinstance(value, str) else None
            if found:
                return found
    for node in first_n(page.root.iter("time"), 5):
        found = parse_date(node.get("datetime")) or parse_date(node_text(node))
        if found:
            return found
    for match in first_n(_dates_in_code(page.raw[:MAX_INPUT_CHARS], page.raw_lower), 5):
        found = parse_date(match.group(1))
        if found:
            return found
    return _date_near_title(page.visible_text(), title)


def _dates_in_code(raw: str, lower: str | bytes | None = None) -> Iterator[re.Match[str]]:
    """The matches DATE_IN_CODE.finditer(raw) gives, found without trying the pattern at every
    position of a large page: every match holds "time" or "date" at most DATE_KEY_OFFSET
    characters after its start, so it is tried only just before those words (found in the
    page's lower_view; ı and İ, which match i but lowercase otherwise, fall back to the scan)."""
    if "\u0130" in raw or "\u0131" in raw:
        yield from DATE_IN_CODE.finditer(raw)
        return
    if lower is None or len(lower) != len(raw):
        lower = lower_view(raw)
    starts: set[int] = set()
    for word in ("time", "date"):
        found = find_in_view(lower, word, 0)
        while found >= 0:
            starts.update(range(max(0, found - DATE_KEY_OFFSET), found + 1))
            found = find_in_view(lower, word, found + 1)
    end = 0
    for start in sorted(starts):
        if start < end:
            continue
        match = DATE_IN_CODE.match(raw, start)
        if match:
            yield match
            end = match.end()


def _date_near_title(text: str, title: str | None) -> date | None:
    """A date in the visible text shortly after the headline (or at the top if none is found)."""
    if title:
        key = title[: min(len(title), 12)]
        start = text.find(key)
        while start >= 0:
            found = parse_date(text[start + len(key):start + len(key) + DATE_WINDOW])
            if found:
                return found
            start = text.find(key, start + len(key))
    labelled = LABELLED_DATE.search(text)
    if labelled:
        found = parse_date(labelled.group(1))
        if found:
            return found
    return parse_date(text[:DATE_WINDOW * 2])
