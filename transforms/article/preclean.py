"""Pre-clean and parse: HTML text in, a Page (lxml tree, JSON-LD texts, raw markup) out.

A cheap linear scan drops scripts, styles, comments, SVG and the like before any tree is
built (JSON-LD scripts are set aside for the metadata), control characters go, and lxml
builds the tree once. `lower_view` and `find_in_view` are shared with the date search,
which scans the same raw markup.
"""

from __future__ import annotations

import logging
import re

from lxml import etree

from transforms.article.page import Page

LOG = logging.getLogger(__name__)

MAX_INPUT_CHARS = 5_000_000
HEAD_CHARS = 2048
# (the lookahead on the first letter lets the scan pass over the page's other tags in one step)
RAW_BLOCK_OPEN = re.compile(
    r"<(?=[sntiom!])(?:(script|style|noscript|svg|template|textarea|select|iframe|object|math)\b[^>]*>|!--)", re.I
)
RAW_TEXT_TAGS = frozenset(("script", "style", "textarea", "template"))
PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True,
                          huge_tree=True)  # past 256 levels libxml2 drops the text of deeply nested pages
LD_JSON_TYPE = re.compile(r"""type\s*=\s*["']?application/ld\+json""", re.I)
XML_DECLARATION = re.compile(r"<\?xml[^>]*>", re.I)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])  # its ASCII part
WRAPPER_LINE = re.compile(r"^\s*<text\b[^>]*>", re.I)


def lower_view(text: str) -> str | bytes:
    """What text.lower() is used for here, finding ASCII words, made cheaply: unless some
    character lowercases to two (İ), the Latin-1 bytes of text (other characters as ?) with
    ASCII lowercased hold the same words at the same offsets, and take a third of the time."""
    if "\u0130" in text:
        return text.lower()
    return text.encode("latin-1", "replace").lower()


def find_in_view(view: str | bytes, word: str, start: int) -> int:
    """view.find(word, start) for a str or bytes lower_view."""
    return view.find(word.encode("ascii") if isinstance(view, bytes) else word, start)


def preclean(html: str, lower: str | bytes | None = None) -> tuple[str, list[str]]:
    """The markup without script/style/comment/svg blocks, plus the JSON-LD texts set aside.

    `lower` is html's lower_view when the caller has made it already."""
    out: list[str] = []
    ld_json: list[str] = []
    if lower is None:
        lower = lower_view(html)
    pos = 0
    while True:
        match = RAW_BLOCK_OPEN.search(html, pos)
        if match is None:
            out.append(html[pos:])
            break
        out.append(html[pos:match.start()])
        if match.group(0) == "<!--":
            end = find_in_view(lower, "-->", match.end())
            pos = len(html) if end < 0 else end + 3
            continue
        tag = match.group(1).lower()
        close = find_in_view(lower, f"</{tag}", match.end())
        if tag == "script" and LD_JSON_TYPE.search(match.group(0)) and close >= 0:
            ld_json.append(html[match.end():close])
        if close < 0:
            # an unclosed raw-text element swallows the rest of the page, as in a browser
            pos = len(html) if tag in RAW_TEXT_TAGS else match.end()
            continue
        gt = html.find(">", close)
        pos = len(html) if gt < 0 else gt + 1
    return "".join(out), ld_json


def parse_page(html: str) -> Page | None:
    """The lxml tree of the pre-cleaned page, or None when nothing parseable is left."""
    html = html[:MAX_INPUT_CHARS]
    head = WRAPPER_LINE.sub("", XML_DECLARATION.sub("", html[:HEAD_CHARS], count=1), count=1)
    html = head + html[HEAD_CHARS:]
    lower = lower_view(html)
    cleaned, ld_json = preclean(html, lower)
    cleaned = _without_control_chars(cleaned)
    if not cleaned.strip():
        return None
    try:
        root = etree.fromstring(cleaned, parser=PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        LOG.debug("page does not parse: %s", exc)
        return None
    if root is None:
        return None
    return Page(root=root, ld_json=ld_json, head=root.find("head"), raw=html, raw_lower=lower)


def _without_control_chars(text: str) -> str:
    """Text without CONTROL_CHARS. Most pages have none, which a UTF-8 encode (it fails on
    lone surrogates) and a byte delete prove in half the time of the regex scan."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return CONTROL_CHARS.sub("", text)
    if len(data.translate(None, CONTROL_BYTES)) == len(data) and "\ufffe" not in text and "\uffff" not in text:
        return text
    return CONTROL_CHARS.sub("", text)
