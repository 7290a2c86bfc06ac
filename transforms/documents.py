"""Raw documents to articles: text files with front matter, and HTML pages."""

from __future__ import annotations

import re
from datetime import date

from transforms.linewrap import unwrap
from transforms.model import Article, RawDocument

FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<head>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
ORIGINAL_URL_LINE = re.compile(r"^[ \t]*原文(?:地址|链接|鏈接|網址|网址)[ \t]*[:：][ \t]*(?P<url>https?://\S+)[ \t]*$", re.MULTILINE)
ISO_DATE = re.compile(r"(?P<y>(?:19|20)\d\d)[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})")
TEXT_ENCODINGS = ("utf-8-sig", "gb18030", "big5hkscs")
BREADCRUMB_LINE = re.compile(r"^\s*(?:\d+\.\s*)?(?:首页|首頁|Home)\s*[>»/›]\s*\S.*$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[。！？!?.;；]\s*$")
MAX_TITLE_CHARS = 80


class DocumentError(ValueError):
    """A document that cannot become an article; the message says why in user terms."""


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Front matter fields and the body after them (the whole text when there is none)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group("head").splitlines():
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or " " in key.strip():
            raise DocumentError(f"broken front matter: line {line!r} is not 'key: value'")
        meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end():]


def parse_date(value: str | None) -> date | None:
    """A calendar date from the usual written forms, or None."""
    if not value:
        return None
    match = ISO_DATE.search(value)
    if not match:
        return None
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def decode_text(data: bytes, location: str) -> str:
    """Text file bytes as str: UTF-8 first, then the Chinese legacy encodings; never mojibake."""
    if b"\x00" in data[:4096]:
        raise DocumentError(f"{location}: binary content (NUL bytes), not a text article")
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{location}: not valid UTF-8, GB18030 or Big5 text")


def text_to_article(text: str, default_url: str) -> Article:
    """An article from a text file: front matter, or a trailing 原文地址 line, gives the url.

    The url is kept as written (gold files and users' own joins pair on it); the article's
    identity is the hash of its canonical form, so tracking parameters do not split it.
    """
    meta, body = parse_front_matter(text)
    url = meta.get("url") or ""
    found = ORIGINAL_URL_LINE.search(body)
    if found:
        url = url or found.group("url")
        body = body[: found.start()] + body[found.end():]
    body = unwrap(body.replace("\r\n", "\n").replace("\r", "\n").strip("\n"))
    return Article(
        url=url.strip() if url else default_url,  # as the writer gave it; the id is of its canonical form
        body=body,
        title=meta.get("title") or guess_title(body),
        published=parse_date(meta.get("published")),
        source=meta.get("source") or None,
        lang=meta.get("lang") or None,
    )


def guess_title(body: str) -> str | None:
    """A text without front matter usually opens with its headline (after any breadcrumb)."""
    for line in body.split("\n"):
        line = line.strip()
        if not line or BREADCRUMB_LINE.match(line):
            continue
        if len(line) <= MAX_TITLE_CHARS and not SENTENCE_END.search(line):
            return line
        return None
    return None


def to_article(doc: RawDocument, recipe: dict | None = None) -> Article:
    """Whatever the raw document holds, as an article with a plain-text body."""
    if doc.kind == "text":
        return text_to_article(decode_text(doc.data, doc.location or doc.url), doc.url)
    from transforms.decode import decode_html
    from transforms.html_article import html_to_article

    return html_to_article(decode_html(doc.data, doc.content_type), doc.url, recipe)
