"""HTML page to Article: title, date, source, language and the article body, nothing else.

Every fact is read from the body, so the body must keep the whole article and nothing around
it. Steps: a cheap linear pre-clean drops scripts, styles, comments and SVG before any tree is
built; lxml builds the tree once (metadata is read from it); boilerplate blocks are dropped by
tag, by class/id and when hidden; text blocks score their containers by length, punctuation and
link density; the best container and its article-like siblings are kept; BeautifulSoup (over
lxml) renders only that subtree to lines; boilerplate lines are filtered. A site recipe only
narrows this generic path (selectors for title/date/body, extra drop rules).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.builder import LXMLTreeBuilder
from lxml import etree
from lxml.cssselect import CSSSelector

from transforms.model import Article

LOG = logging.getLogger(__name__)

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "boilerplate.yaml"
MAX_INPUT_CHARS = 5_000_000
HEAD_CHARS = 2048

# --- pre-clean --------------------------------------------------------------------------------
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

# --- tag classes ------------------------------------------------------------------------------
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i img ins kbd label mark nobr q rp rt ruby s "
    "samp small span strike strong sub sup time tt u var wbr br".split()
)
PARAGRAPH_TAGS = frozenset("p pre blockquote h1 h2 h3 h4 h5 h6 li dd dt figcaption address".split())
DROP_TAGS = frozenset(
    "nav aside footer button input select option form-hidden label dialog menu canvas video audio "
    "map area embed object picture source track figcaption".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
LIST_LIKE_TAGS = frozenset("ul ol dl table div section form center".split())
KEEP_ALWAYS = frozenset(("html", "body", "article", "main"))

STRONG_NEGATIVE_ATTR = re.compile(
    r"breadcrumb|comment|disqus|footer|sidebox|share|sharing|social|related|recommend|"
    r"copyright|cookie|consent|gdpr|newsletter|subscribe|masthead|navbar|navigation|outbrain|taboola|qrcode|erweima|back-?top|skip-?link|hotnews|"
    r"hot-news|hotlist|taglist|tag-list|author-?bio|author-?info|byline|pinglun|xiangguan|tuijian",
    re.I,
)
RELATED_ATTR = re.compile(r"related|recommend|more[-_]?(stories|news|posts)|xiangguan|tuijian", re.I)
NEVER_CONTENT = frozenset(("comment", "disqus", "pinglun", "related", "recommend", "footer", "breadcrumb"))
WEAK_NEGATIVE_ATTR = re.compile(r"advert|sidebar|side-bar|signup|sign-up|login|popup|modal|banner|sponsor|menu|toolbar|pagination|promo|caption|credit|widget-area|crumb", re.I)
NEGATIVE_PARTS = frozenset(
    "nav navi foot ad ads adv advt rss tag tags cmt pl xgyd tjyd xgwz xgxw xglj rank hot print jump ewm "
    "pager share meta aside extra bottom topbar top-bar header head logo search more links keywords".split()
)
TAXONOMY_CLASS = re.compile(r"(category|tag|post|format|status|type|topic|section)-", re.I)
ANY_NEGATIVE = re.compile(
    "|".join((STRONG_NEGATIVE_ATTR.pattern, WEAK_NEGATIVE_ATTR.pattern,
              r"(?:^|[\s_-])(?:" + "|".join(sorted(NEGATIVE_PARTS, key=len, reverse=True)) + r")(?:$|[\s_-])")),
    re.I,
)
CLASS_PART_SPLIT = re.compile(r"[-_]")
POSITIVE_ATTR = re.compile(
    r"article|content|entry|main|post|story|text|body|detail|zhengwen|\bzw\b|artic|news[-_]?con|\bcont\b",
    re.I,
)
ARTICLE_ATTR = re.compile(
    r"artibody|article[-_]{0,2}(body|content|text)|entry[-_]{0,2}content|post[-_]{0,2}(body|content|text)|"
    r"story[-_]{0,2}body|main[-_]{0,2}content|zhengwen|\bzw\b|text[-_]{0,2}content|content[-_]{0,2}text|"
    r"js_content|rich_media_content|(?:^|\s)(?:article|detail)(?:\s|$)",
    re.I,
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# --- text measures ----------------------------------------------------------------------------
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
CJK_RUN = re.compile(CJK.pattern + "+")
PUNCT = re.compile(r"[,.;!?，。；！？、：:]")
SPACES = re.compile(r"[ \t\r\f\v\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
SPLIT_ONLY_OR_SPACES_ONLY = "\x1c\x1d\x1e\x1f\x85\u2028\u2029" "\u200b\ufeff"  # str.split() | SPACES
BLANK_LINES = re.compile(r"\n\s*\n+")
EMPTY_CELLS = re.compile(r"(?:\s*\|\s*){2,}")
EDGE_PIPES = re.compile(r"^(?:\s*\|\s*)+|(?:\s*\|\s*)+$")
TRAILING_JUNK = re.compile(r"\s*(返回[^\s，。,.]{0,8}首页|查看原文|阅读原文)\s*[>»›]*\s*$")
CLOSING_CREDIT = re.compile(r"^\W*(采写|撰文|文字|记者|编辑|责任编辑|责编|校对|审核|供稿|来源)\s*[:：/／|丨]")
MAX_CREDIT_CHARS = 40
MAX_AFTER_CREDIT_SHARE = 0.2
SENTENCE_END = re.compile(r"[。！？.!?;；:：]\W{0,2}$")
MAX_CAPTION_CHARS = 60
ONLY_SYMBOLS = re.compile(r"^[\W_]*$")
MIN_BLOCK_WEIGHT = 25
MAX_LINK_WEIGHT = 400
MAX_CANDIDATE_LINK_DENSITY = 0.5
CHUNK_SCOPE_LEVELS = 5
MIN_SIBLING_SCORE, SIBLING_SHARE = 8.0, 0.2
LIST_CONTAINER_TAGS = frozenset(("ul", "ol", "dl"))
LIST_CONTAINER_PENALTY = 0.5  # a list of teasers scores like prose; a list inside an article does not need to win
HEADLINE_BONUS = 1.3
HOLDS_HEADLINE_BONUS = 1.6
LIST_OF_ARTICLES_PENALTY = 0.3
HEADING_SEARCH_LEVELS = 3
HEADING_TAGS_FOR_TITLE = ("h1", "h2", "h3", "h4", "h5")
MIN_TITLE_CHARS, MAX_TITLE_CHARS = 6, 100
HEADLINE_LEVELS = 3

# --- metadata ---------------------------------------------------------------------------------
DATE_META_KEYS = (
    "article:published_time", "og:published_time", "article:published", "datepublished",
    "publishdate", "publish_date", "publish-date", "pubdate", "pubtime", "publishtime",
    "sailthru.date", "parsely-pub-date", "dc.date.issued", "dc.date", "dcterms.created", "date",
    "og:release_date", "article:created", "weibo:article:create_at", "release_date", "createdate",
    "apub:time", "weibo:article:update_at", "dateupdate", "datemodified", "article:modified_time",
    "og:updated_time", "lastmod",
)
AUTHOR_META_KEYS = ("author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author")
SOURCE_META_KEYS = ("source", "og:site_name", "mediaid", "publisher", "application-name")
TITLE_META_KEYS = ("og:title", "twitter:title", "title", "headline")
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
DATE_ISO = re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})")
DATE_ENGLISH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+((?:19|20)\d{2})\b", re.I
)
MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
SOURCE_IN_TEXT = re.compile(r"(?:来源|稿源|出处)\s*[:：]\s*([\u4e00-\u9fffA-Za-z·][\u4e00-\u9fffA-Za-z·.\-]{1,15})")
AUTHOR_IN_TEXT = re.compile(r"(?:作者|记者|撰文)\s*[:：|丨]\s*([\u4e00-\u9fffA-Za-z·][\u4e00-\u9fffA-Za-z·.\-]{1,15})")
NOT_A_NAME = re.compile(r"https?:|www\.|@|^name\b|^\d+$|^(none|null|undefined|admin|unknown|未知)\b", re.I)
FIRST_PIECE_SHARE = 0.6
BARE_SUFFIX = re.compile(r"^(.{6,}?)[-_](?![\d])([^-_]{1,15})$")
TITLE_SEPARATORS = re.compile(r"\s+[-|–—_]\s+|\s*[|_]\s*|\s*--+\s*|\s*——\s*|\s+-(?=\S)|(?<=\S)-\s+")
CJK_LANGS = frozenset(("zh", "ja", "ko"))
LANG_CODE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$")
LETTER_RUN = re.compile(r"[^\W\d_]+")
KANA = re.compile(r"[\u3040-\u30ff]")
KANA_RUN = re.compile(KANA.pattern + "+")
HANGUL = re.compile(r"[\uac00-\ud7af]")
HANGUL_RUN = re.compile(HANGUL.pattern + "+")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
ASCII_LETTER_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ASCII_LETTER_RUN = re.compile(r"[a-zA-Z\u0130\u212a]+")  # characters whose lower() is in a..z (İ and K too)


@dataclass(frozen=True, slots=True)
class PatternSet:
    """Regexes of which any may match a line: the ones anchored with ^ as one alternation tried
    at the start only, each other one on its own so the regex engine can skip ahead to its
    literal (one big alternation is tried branch by branch at every position, 2-5x slower)."""

    anchored: tuple[re.Pattern[str], ...]
    floating: tuple[re.Pattern[str], ...]

    def search(self, text: str) -> bool:
        """True when any of the patterns matches somewhere in text."""
        for pattern in self.anchored:
            if pattern.search(text):
                return True
        for pattern in self.floating:
            if pattern.search(text):
                return True
        return False


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Line patterns loaded once from reference/boilerplate.yaml."""

    line: PatternSet
    line_any_length: PatternSet
    stop: frozenset[str]
    max_line_chars: int


@dataclass(slots=True)
class Stats:
    """Text measures of one element's subtree."""

    weight: float = 0.0
    link_weight: float = 0.0
    punct: int = 0
    score: float = 0.0


@dataclass(slots=True)
class Page:
    """Working state of one page: its tree and what the pre-clean set aside."""

    root: Any
    ld_json: list[str] = field(default_factory=list)
    head: Any = None
    headline: Any = None
    raw: str = ""
    raw_lower: str | bytes | None = None  # _lower_view(raw)
    metas: dict[str, str] | None = None
    containers: list = field(default_factory=list)
    _visible: str | None = None
    _body_text: str | None = None

    def body_text(self) -> str:
        """All text of the page's body as parsed (computed once, before any removal)."""
        if self._body_text is None:
            body = self.root.find("body")
            self._body_text = _text(body if body is not None else self.root)
        return self._body_text

    def visible_text(self) -> str:
        """The page's body text with whitespace collapsed (computed once, before any removal)."""
        if self._visible is None:
            self._visible = _clean_text(self.body_text())
        return self._visible


class ExtractionError(ValueError):
    """The input cannot be read as an HTML page at all (documented failure of html_to_article)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot extract an article: {reason}")
        self.reason = reason


def _load_boilerplate(path: Path = REFERENCE) -> Boilerplate:
    """Compiled boilerplate rules; empty rules (with a warning) when the file is missing."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        LOG.warning("boilerplate rules unavailable (%s): bodies will keep boilerplate lines", exc)
        data = {}
    return Boilerplate(
        line=_alternation(data.get("line") or []),
        line_any_length=_alternation(data.get("line_any_length") or []),
        stop=frozenset(_stop_key(s) for s in data.get("stop") or []),
        max_line_chars=int(data.get("max_line_chars", 80)),
    )


def _alternation(patterns: list[str]) -> PatternSet:
    """Case-insensitive regexes matching where any of the patterns does (never when empty)."""
    anchored = [p for p in patterns if _anchored(p)]
    # most open with ^\W*: skipping the leading non-letters once, then trying the rests, is the
    # same test as trying each pattern from the start (and 2x faster)
    rests = [p[len(LEADING_NON_LETTERS):] for p in anchored if _leading_non_letters(p)]
    others = [p for p in anchored if not _leading_non_letters(p)]
    groups = [LEADING_NON_LETTERS + "(?:" + "|".join(f"(?:{r})" for r in rests) + ")"] if rests else []
    groups += ["|".join(f"(?:{p})" for p in others)] if others else []
    return PatternSet(
        anchored=tuple(re.compile(g, re.I) for g in groups),
        floating=tuple(re.compile(p, re.I) for p in patterns if not _anchored(p)),
    )


LEADING_NON_LETTERS = "^\\W*"


def _leading_non_letters(pattern: str) -> bool:
    """True when a pattern is ^\\W* followed by something that does not modify that repeat."""
    return pattern.startswith(LEADING_NON_LETTERS) and pattern[len(LEADING_NON_LETTERS):][:1] not in ("?", "*", "+", "{")


def _anchored(pattern: str) -> bool:
    """True when a pattern can only match at the start: it opens with ^ and has no top-level |."""
    if not pattern.startswith("^"):
        return False
    depth, index, in_class = 0, 0, False
    while index < len(pattern):
        ch = pattern[index]
        if ch == "\\":
            index += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            index += 2 if pattern[index + 1:index + 2] == "^" else 1
            index += 1 if pattern[index:index + 1] == "]" else 0  # a leading ] is a literal
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
        index += 1
    return True


NOT_LETTERS = re.compile(r"[\W_\d]+")


def _stop_key(line: str) -> str:
    """A line reduced to its letters, lowercased, for comparison with stop headings."""
    return NOT_LETTERS.sub("", line).lower()


BOILERPLATE = _load_boilerplate()


# === entry point ==============================================================================

def html_to_article(html: str, url: str, recipe: dict | None = None) -> Article:
    """The article of an HTML page; an empty body when the page holds no article."""
    if not isinstance(html, str):
        raise ExtractionError(f"expected text, got {type(html).__name__}; decode bytes with decode_html")
    page = parse_page(html)
    if page is None:
        return Article(url=url, body="")
    recipe = recipe or {}
    title = _recipe_text(page.root, recipe.get("title")) or extract_title(page)
    published = _recipe_date(page.root, recipe.get("date")) or extract_date(page, title)
    source = extract_source(page)
    lang = extract_lang(page)
    body = extract_body(page, recipe)
    if page.headline is None and not recipe.get("title") and page.containers:
        title = _heading_before(page.containers[0]) or title
    if title and body.startswith(title):
        body = body[len(title):].lstrip("\n")
    if body:
        seen = guess_lang(body)
        if lang is None or (seen in CJK_LANGS and lang != seen):
            lang = seen or lang  # a CJK body outweighs a template's lang="en"
    return Article(url=url, body=body, title=title, published=published, source=source, lang=lang)


# === pre-clean and parse ======================================================================

def _lower_view(text: str) -> str | bytes:
    """What text.lower() is used for here, finding ASCII words, made cheaply: unless some
    character lowercases to two (İ), the Latin-1 bytes of text (other characters as ?) with
    ASCII lowercased hold the same words at the same offsets, and take a third of the time."""
    if "\u0130" in text:
        return text.lower()
    return text.encode("latin-1", "replace").lower()


def _find(view: str | bytes, word: str, start: int) -> int:
    """view.find(word, start) for a str or bytes _lower_view."""
    return view.find(word.encode("ascii") if isinstance(view, bytes) else word, start)


def preclean(html: str, lower: str | bytes | None = None) -> tuple[str, list[str]]:
    """The markup without script/style/comment/svg blocks, plus the JSON-LD texts set aside.

    `lower` is html's _lower_view when the caller has made it already."""
    out: list[str] = []
    ld_json: list[str] = []
    if lower is None:
        lower = _lower_view(html)
    pos = 0
    while True:
        match = RAW_BLOCK_OPEN.search(html, pos)
        if match is None:
            out.append(html[pos:])
            break
        out.append(html[pos:match.start()])
        if match.group(0) == "<!--":
            end = _find(lower, "-->", match.end())
            pos = len(html) if end < 0 else end + 3
            continue
        tag = match.group(1).lower()
        close = _find(lower, f"</{tag}", match.end())
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
    lower = _lower_view(html)
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


# === metadata =================================================================================

def _meta_values(page: Page) -> dict[str, str]:
    """Lowercased name/property/itemprop of every <meta> with content, first value wins
    (read once per page: title, date, source and language all ask, before any removal)."""
    if page.metas is None:
        page.metas = _read_meta_values(page)
    return page.metas


def _read_meta_values(page: Page) -> dict[str, str]:
    """_meta_values of a page, read from its tree."""
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


def _ld_objects(page: Page) -> list[dict]:
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


def _text(node: Any) -> str:
    """All text inside an element (libxml2 serialises it 3x faster than joining itertext())."""
    if node is None:
        return ""
    return etree.tostring(node, method="text", encoding="unicode", with_tail=False)


def _clean_text(text: str | None) -> str:
    """Text with runs of whitespace collapsed to one space."""
    if not text:
        return ""
    if _split_agrees(text):
        return " ".join(text.split())
    return SPACES.sub(" ", text.replace("\n", " ")).strip()


def _split_agrees(text: str) -> bool:
    """True when str.split() would cut text exactly where SPACES or a newline is: none of the
    characters only one of them counts as space occurs (then split/join is a 3x faster
    SPACES.sub plus strip)."""
    return not any(ch in text for ch in SPLIT_ONLY_OR_SPACES_ONLY)


def extract_title(page: Page) -> str | None:
    """The headline: an <h1> the <title> agrees with, else og:title, else the cleaned <title>."""
    metas = _meta_values(page)
    doc_title = ""
    for tree in (page.head, page.root):
        if tree is not None and not doc_title:
            node = tree.find(".//title")
            if node is not None:
                doc_title = _clean_text(_text(node))
    meta_title = next((_clean_text(metas[k]) for k in TITLE_META_KEYS if metas.get(k)), "")
    reference = doc_title or meta_title
    elements = _first_n(page.root.iter("h1", "h2"), 40)
    found = [(_clean_text(_text(h)), h) for h in elements]
    found = [(text, h) for text, h in found if 4 <= len(text) <= 200]
    reference = unicodedata.normalize("NFKC", reference)
    core = _strip_site_name(reference) if reference else ""
    for heading, element in found:
        key = unicodedata.normalize("NFKC", heading)
        if reference and ((key in reference and len(key) >= 0.5 * len(core)) or _similar(key, reference)):
            page.headline = element
            return heading
    headings = [text for text, _ in found]
    if meta_title:
        return _strip_site_name(meta_title)
    if doc_title:
        return _strip_site_name(doc_title)
    return headings[0] if headings else None


def _first_n(items: Any, n: int) -> list:
    """At most n items of an iterator."""
    out = []
    for item in items:
        out.append(item)
        if len(out) >= n:
            break
    return out


def _similar(a: str, b: str) -> bool:
    """True when most characters of the shorter string appear in the longer one."""
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4:
        return False
    hits = sum(1 for ch in set(short) if ch in long_)
    return hits / len(set(short)) >= 0.9 and len(short) >= 0.5 * len(long_)


def _strip_site_name(title: str) -> str:
    """A <title> without its site-name part: the longest piece between separators."""
    parts = [p.strip() for p in TITLE_SEPARATORS.split(title) if p and p.strip()]
    if len(parts) > 1:
        longest = max(parts, key=len)
        # "Headline - Site" is the usual order; a short first piece is a site or section name
        title = parts[0] if len(parts[0]) >= FIRST_PIECE_SHARE * len(longest) else longest
    match = BARE_SUFFIX.match(title.strip())
    if match and len(CJK.findall(match.group(1))) >= 4:
        return match.group(1)
    return title.strip()


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
    metas = _meta_values(page)
    for key in DATE_META_KEYS:
        found = parse_date(metas.get(key))
        if found:
            return found
    for obj in _ld_objects(page):
        for key in ("datePublished", "dateCreated", "uploadDate", "dateModified"):
            value = obj.get(key)
            found = parse_date(value) if isinstance(value, str) else None
            if found:
                return found
    for node in _first_n(page.root.iter("time"), 5):
        found = parse_date(node.get("datetime")) or parse_date(_text(node))
        if found:
            return found
    for match in _first_n(_dates_in_code(page.raw[:MAX_INPUT_CHARS], page.raw_lower), 5):
        found = parse_date(match.group(1))
        if found:
            return found
    return _date_near_title(page.visible_text(), title)


def _dates_in_code(raw: str, lower: str | bytes | None = None) -> Iterator[re.Match[str]]:
    """The matches DATE_IN_CODE.finditer(raw) gives, found without trying the pattern at every
    position of a large page: every match holds "time" or "date" at most DATE_KEY_OFFSET
    characters after its start, so it is tried only just before those words (found in the
    page's _lower_view; ı and İ, which match i but lowercase otherwise, fall back to the scan)."""
    if "\u0130" in raw or "\u0131" in raw:
        yield from DATE_IN_CODE.finditer(raw)
        return
    if lower is None or len(lower) != len(raw):
        lower = _lower_view(raw)
    starts: set[int] = set()
    for word in ("time", "date"):
        found = _find(lower, word, 0)
        while found >= 0:
            starts.update(range(max(0, found - DATE_KEY_OFFSET), found + 1))
            found = _find(lower, word, found + 1)
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


def extract_source(page: Page) -> str | None:
    """The author or source the page names (meta, JSON-LD, or a 来源/作者 line)."""
    metas = _meta_values(page)
    for key in AUTHOR_META_KEYS:
        value = _clean_text(metas.get(key))
        if _plausible_name(value):
            return value
    for obj in _ld_objects(page):
        name = _ld_name(obj.get("author"))
        if name:
            return name
    text = page.visible_text()[:20000]
    for pattern in (SOURCE_IN_TEXT, AUTHOR_IN_TEXT):
        match = pattern.search(text)
        if match and _plausible_name(match.group(1)):
            return match.group(1)
    for key in SOURCE_META_KEYS:
        value = _clean_text(metas.get(key))
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


def extract_lang(page: Page) -> str | None:
    """The language the page declares (<html lang>, content-language), as a short code."""
    declared = page.root.get("lang") or page.root.get("xml:lang") or _meta_values(page).get("content-language")
    if declared:
        match = LANG_CODE.match(declared.strip().lower())
        if match:
            return match.group(1)
    return None


def guess_lang(text: str) -> str | None:
    """A rough language code from the script of the text: zh, ja, ko or en."""
    sample = text[:3000]
    if sample.isascii():  # no kana, hangul or han; every letter is an ASCII letter
        return "en" if ASCII_LETTER_RUN.search(sample) else None
    kana = _run_chars(KANA_RUN, sample) if KANA.search(sample) else 0
    hangul = _run_chars(HANGUL_RUN, sample) if HANGUL.search(sample) else 0
    han = _run_chars(HAN_RUN, sample)
    if not kana and not hangul and han > len(sample) * 0.2:
        return "zh"  # han characters are letters, so han > 0.2 x letters too: no need to count them
    # The letters lie between the ASCII ones (with İ and K, as ASCII_LETTER_RUN counts) and
    # those plus every non-ASCII character: when the rules agree at both ends, no need to count.
    ascii_only = sample.encode("ascii", "ignore")
    plain_ascii_letters = len(ascii_only) - len(ascii_only.translate(None, ASCII_LETTER_BYTES))
    most_letters = plain_ascii_letters + len(sample) - len(ascii_only)
    fewest = plain_ascii_letters + sample.count("\u0130") + sample.count("\u212a")
    if (fewest and not (kana > fewest * 0.05 or hangul > fewest * 0.2 or han > fewest * 0.2)
            and fewest > most_letters * 0.8):
        return "en"
    letters = _letter_count(sample)
    if not letters:
        return None
    if kana > letters * 0.05:
        return "ja"
    if hangul > letters * 0.2:
        return "ko"
    if han > letters * 0.2:
        return "zh"
    ascii_letters = _run_chars(ASCII_LETTER_RUN, sample)
    return "en" if ascii_letters > letters * 0.8 else None


def _run_chars(pattern: re.Pattern[str], text: str) -> int:
    """Characters in the runs a `[...]+` pattern finds (counting runs, not single characters)."""
    return sum(map(len, pattern.findall(text)))


def _letter_count(text: str) -> int:
    """How many characters of text are letters (str.isalpha), counted over word runs.

    `[^\\W\\d_]` also takes the few non-decimal numerals (², ½, 〇...), so a run that is not all
    letters is counted character by character."""
    count = 0
    for run in LETTER_RUN.findall(text):
        count += len(run) if run.isalpha() else sum(1 for ch in run if ch.isalpha())
    return count


# === recipes ==================================================================================

def _select(root: Any, selector: str | None) -> list:
    """Elements matching a CSS selector; none when the selector is missing or invalid."""
    if not selector:
        return []
    try:
        return CSSSelector(selector)(root)
    except Exception as exc:  # cssselect raises several unrelated classes for bad selectors
        LOG.warning("recipe selector %r unusable: %s", selector, exc)
        return []


def _recipe_text(root: Any, selector: str | None) -> str | None:
    """Text of the first element a recipe selector matches."""
    nodes = _select(root, selector)
    text = _clean_text(_text(nodes[0])) if nodes else ""
    return text or None


def _recipe_date(root: Any, selector: str | None) -> date | None:
    """Date written in (or in the datetime/content attribute of) the recipe's date element."""
    for node in _select(root, selector)[:3]:
        found = parse_date(node.get("datetime") or node.get("content")) or parse_date(_text(node))
        if found:
            return found
    return None


# === body =====================================================================================

def extract_body(page: Page, recipe: dict) -> str:
    """The article body as lines, or "" when the page has no article."""
    root = page.root
    body = root.find("body")
    if body is None:
        body = root
    dropped = False
    for selector in recipe.get("drop") or []:
        for node in _select(root, selector):
            _drop(node)
            dropped = True
    drop_boilerplate(body, page.headline, None if dropped else len(page.body_text()))
    scope = _outermost(_select(root, recipe.get("body")))
    containers, stats = (scope, None) if scope else _choose_containers(body, page.headline)
    page.containers = containers
    if not containers:
        return ""
    lines = render_lines(containers, stats)
    extra = [re.compile(p, re.I) for p in recipe.get("drop_text") or [] if _valid_regex(p)]
    return "\n".join(filter_lines(lines, extra))


def _heading_before(container: Any) -> str | None:
    """Text of the heading just before the body (or first inside it): the headline of pages
    whose <title> names only the site."""
    node = container
    for _ in range(HEADING_SEARCH_LEVELS):
        for candidate in node.itersiblings(preceding=True):
            found = _heading_in(candidate)
            if found:
                return found
        node = node.getparent()
        if node is None or node.tag == "body":
            break
    return None


def _heading_in(node: Any) -> str | None:
    """The first headline-like text in node (an h1-h5 or a *title* class), if any."""
    for element in node.iter(HEADING_TAGS_FOR_TITLE):
        text = _clean_text(_text(element))
        if _headline_like(text):
            return text
    for element in node.iter(etree.Element):
        if "title" in (element.get("class") or "").lower():
            text = _clean_text(_text(element))
            if _headline_like(text):
                return text
    return None


def _headline_like(text: str) -> bool:
    """True for text of headline length that is not a byline, date or source line."""
    return MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS and not BOILERPLATE.line.search(text)


def _outermost(nodes: list) -> list:
    """The nodes that are not inside another of the nodes (a selector group can match both)."""
    chosen = set(nodes)
    return [n for n in nodes if not any(a in chosen for a in n.iterancestors())]


def _valid_regex(pattern: str) -> bool:
    """True when a recipe's regex compiles (a bad one is skipped with a warning)."""
    try:
        re.compile(pattern)
    except re.error as exc:
        LOG.warning("recipe regex %r unusable: %s", pattern, exc)
        return False
    return True


def _drop(node: Any) -> None:
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


def _attr_text(node: Any) -> str:
    """The class and id of an element, for pattern matching (taxonomy classes left out)."""
    return _class_and_id(node.get("class") or "", node.get("id") or "")


@lru_cache(maxsize=20000)
def _class_and_id(classes: str, ident: str) -> str:
    """_attr_text of one class/id pair (pages repeat the same few pairs many times)."""
    if "-" in classes:
        classes = " ".join(c for c in classes.split() if not TAXONOMY_CLASS.match(c))
    return f"{classes} {ident}"


@lru_cache(maxsize=20000)
def _strongly_negative(attrs: str) -> bool:
    """True when a class/id names comments, footers, share bars and the like (never content)."""
    return STRONG_NEGATIVE_ATTR.search(attrs) is not None


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


def drop_boilerplate(body: Any, headline: Any = None, text_chars: int | None = None) -> None:
    """Remove navigation, footers, share bars, comments, hidden blocks and the like.

    `text_chars` is the length of the body's text when the caller knows it already."""
    total = max(1, len(_text(body)) if text_chars is None else text_chars)
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
                gone = tag == "header" and len(_text(node)) < 0.2 * total
            elif ("hidden" in names or "aria-hidden" in names) and (
                node.get("hidden") is not None or node.get("aria-hidden") == "true"
            ):
                gone = True
            elif (style := node.get("style") if "style" in names else None) and (
                "none" in style or "hidden" in style
            ) and HIDDEN_STYLE.search(style):
                gone = True
            elif ("class" in names or "id" in names) and _is_negative(_attr_text(node)):
                gone = negative = True
            else:
                gone = tag == "header" and len(_text(node)) < 0.2 * total
        if not gone:
            continue
        doomed.append(node)
        box = _box_titled_by(node, headline) if negative else None
        if box is not None:
            doomed.append(box)
            titled_boxes.add(box)
            skip_to = _last_element(box)
        elif tag in DROP_TAGS or total <= 500 or _strongly_negative(_attr_text(node)):
            skip_to = _last_element(node)
    for node in doomed:
        if node.getparent() is None:
            continue
        if (node.tag not in DROP_TAGS and node not in titled_boxes and total > 500
                and not _strongly_negative(_attr_text(node))):
            if len(_text(node)) > 0.5 * total:
                continue  # a layout wrapper holding most of the page is not boilerplate
        _drop(node)


def _box_titled_by(heading: Any, headline: Any) -> Any:
    """The box a "related posts"-style heading opens (it is its first child) unless it holds the headline."""
    if heading.tag not in HEADING_TAGS or not RELATED_ATTR.search(_attr_text(heading)):
        return None
    parent = heading.getparent()
    if parent is None or parent.tag in ("html", "body", "main") or parent[0] is not heading:
        return None
    if headline is not None and any(a is parent for a in headline.iterancestors()):
        return None
    return parent


@lru_cache(maxsize=20000)
def _is_negative(attrs: str) -> bool:
    """True when a class/id says navigation, footer, share bar, comments, related list, ad..."""
    if len(attrs) <= 1 or not ANY_NEGATIVE.search(attrs):
        return False
    strong = STRONG_NEGATIVE_ATTR.search(attrs)
    positive = POSITIVE_ATTR.search(attrs)
    if strong and (not positive or strong.group(0).lower() in NEVER_CONTENT):
        return True
    if positive:
        return False
    if WEAK_NEGATIVE_ATTR.search(attrs):
        return True
    for token in attrs.lower().split():
        parts = CLASS_PART_SPLIT.split(token)
        if parts[0] in NEGATIVE_PARTS or parts[-1] in NEGATIVE_PARTS:
            return True
    return False


def _text_weight(text: str) -> float:
    """Length of text with each CJK character counted twice (they carry more per character)."""
    stripped = text.strip()
    if not stripped:
        return 0.0
    weight = len(stripped) - stripped.count(" ")
    return weight if stripped.isascii() else weight + _run_chars(CJK_RUN, stripped)


def measure(body: Any) -> tuple[list, dict]:
    """Elements in document order and the text stats of each subtree (weights, links, scores)."""
    nodes = list(body.iter(etree.Element))
    stats: dict[Any, Stats] = {node: Stats() for node in nodes}
    parents = [node.getparent() for node in nodes]
    owner: dict[Any, Any] = {}
    block_text: dict[Any, list[str]] = {}
    part_weight: dict[Any, float] = {}  # weight of a block made of one text part, reused below
    for node, parent in zip(nodes, parents, strict=True):
        tag = node.tag if isinstance(node.tag, str) else ""
        own = owner[node] = node if tag not in INLINE_TAGS or parent not in owner else owner[parent]
        text = node.text
        if text:
            part_weight[own] = weight = _text_weight(text)
            stats[node].weight += weight
            block_text.setdefault(own, []).append(text)
        tail = node.tail
        if tail and parent in stats:
            part_weight[owner[parent]] = weight = _text_weight(tail)
            stats[parent].weight += weight
            block_text.setdefault(owner[parent], []).append(tail)
    # one pass upwards: a node's descendants all come after it, so its weight is complete here
    for node, parent in zip(reversed(nodes), reversed(parents), strict=True):
        st = stats[node]
        if node.tag == "a" and st.weight <= MAX_LINK_WEIGHT:
            st.link_weight = st.weight  # an unclosed <a> swallowing the page is no link
        pst = stats.get(parent)
        if pst is not None:
            pst.weight += st.weight
            pst.link_weight += st.link_weight
    for block, texts in block_text.items():
        if len(texts) == 1:
            _credit_block(block, texts[0], stats, part_weight[block])
        else:
            _credit_block(block, "".join(texts), stats)
    return nodes, stats


def _credit_block(block: Any, text: str, stats: dict, weight: float | None = None) -> None:
    """Add a text block's score to the container it sits in and, decaying, to its ancestors."""
    if weight is None:
        weight = _text_weight(text)
    if weight < MIN_BLOCK_WEIGHT or BOILERPLATE.line_any_length.search(text):
        return
    punct = len(PUNCT.findall(text))
    score = 1 + punct + min(weight / 100, 3)
    tag = block.tag if isinstance(block.tag, str) else ""
    node = block.getparent() if tag in PARAGRAPH_TAGS else block
    level = 0
    while node is not None and node in stats and level < 4:
        stats[node].score += score / (1, 2, 4, 8)[level]
        stats[node].punct += punct
        node = node.getparent()
        level += 1


def _link_density(st: Stats) -> float:
    """Share of a subtree's text that sits inside links."""
    return st.link_weight / st.weight if st.weight else 0.0


def _holds_articles(node: Any) -> bool:
    """True when an element holds two or more <article> elements: a teaser list, not an article."""
    count = 0
    for _ in node.iterdescendants("article"):
        count += 1
        if count >= 2:
            return True
    return False


def _headline_bonus(node: Any, headline: Any) -> float:
    """Score multiplier for a candidate holding the headline, or sitting near it."""
    if any(a is node for a in headline.iterancestors()):
        return HOLDS_HEADLINE_BONUS
    return HEADLINE_BONUS if _near_headline(node, headline) else 1.0


def _near_headline(node: Any, headline: Any) -> bool:
    """True when node and the headline meet within a few levels above node (same article column)."""
    heading_line = set(headline.iterancestors())
    current = node
    for _ in range(HEADLINE_LEVELS + 1):
        if current is None:
            return False
        if current in heading_line:
            return True
        current = current.getparent()
    return False


def choose_containers(body: Any, headline: Any = None) -> list:
    """The best-scoring container and its article-like siblings, in document order."""
    return _choose_containers(body, headline)[0]


def _choose_containers(body: Any, headline: Any = None) -> tuple[list, dict]:
    """The chosen containers and the stats measured to choose them (pruning reuses them)."""
    nodes, stats = measure(body)
    scored = [(_final_score(node, stats[node]), i) for i, node in enumerate(nodes) if stats[node].score > 0]
    if not scored:
        return [], stats
    top = sorted(scored, reverse=True)[:5]
    if headline is not None:
        top = [(score * _headline_bonus(nodes[i], headline), i) for score, i in top]
    top = [(score * LIST_OF_ARTICLES_PENALTY if _holds_articles(nodes[i]) else score, i) for score, i in top]
    best_score, best_index = max(top)
    best = nodes[best_index]
    if best_score < 3:
        return [], stats
    best = _promote_common_ancestor(best, best_score, nodes, stats)
    best = _climb(best, stats)
    chosen = _with_article_siblings(best, stats)
    return _add_same_class_chunks(chosen, nodes, stats), stats


def _with_article_siblings(best: Any, stats: dict) -> list:
    """The best container plus the siblings that read like more of the article."""
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(MIN_SIBLING_SCORE, stats[best].score * SIBLING_SHARE)
    chosen = []
    for sibling in parent:
        sst = stats.get(sibling)
        if sibling is best:
            chosen.append(sibling)
        elif sst is None or sst.weight == 0 or (sibling.tag == "article" and best.tag == "article"):
            continue  # a sibling <article> is another article (a teaser list), not more of this one
        elif sst.score * (1 - _link_density(sst)) >= threshold and _link_density(sst) < 0.3:
            chosen.append(sibling)
        elif sibling.tag in PARAGRAPH_TAGS and _link_density(sst) < 0.25 and sst.weight >= 60 and sst.punct:
            chosen.append(sibling)
    return chosen


def _add_same_class_chunks(chosen: list, nodes: list, stats: dict) -> list:
    """Chosen containers plus elsewhere-placed blocks of the same tag and class (split bodies)."""
    if len(chosen) != 1 or not chosen[0].get("class"):
        return chosen
    best = chosen[0]
    floor = max(3.0, 0.1 * _final_score(best, stats[best]))
    scope = best
    for _ in range(CHUNK_SCOPE_LEVELS):
        parent = scope.getparent()
        if parent is None or parent.tag == "body":
            break
        scope = parent
    extra = [
        n for n in scope.iterdescendants(best.tag)
        if n is not best and n.get("class") == best.get("class") and n in stats
        and _final_score(n, stats[n]) >= floor
        and not _is_ancestor(n, best) and not _is_ancestor(best, n)
    ]
    extra = [n for n in extra if not any(_is_ancestor(m, n) for m in extra)]
    if not extra:
        return chosen
    order = {node: i for i, node in enumerate(nodes)}
    return sorted([best, *extra], key=order.__getitem__)


def _final_score(node: Any, st: Stats) -> float:
    """A container's score after the link-density penalty and class bonus."""
    density = _link_density(st)
    if density > MAX_CANDIDATE_LINK_DENSITY:
        return 0.0
    list_penalty = LIST_CONTAINER_PENALTY if node.tag in LIST_CONTAINER_TAGS else 1.0
    return st.score * (1 - density) * _class_bonus(_attr_text(node)) * list_penalty


@lru_cache(maxsize=20000)
def _class_bonus(attrs: str) -> float:
    """Score multiplier for a class/id that names the article body (1.5) or content (1.1)."""
    if ARTICLE_ATTR.search(attrs):
        return 1.5
    return 1.1 if POSITIVE_ATTR.search(attrs) else 1.0


def _promote_common_ancestor(best: Any, best_score: float, nodes: list, stats: dict) -> Any:
    """The closest ancestor holding two more near-best candidates: an article split in columns."""
    rivals = [n for n in nodes if n is not best and stats[n].score >= 0.6 * best_score
              and _final_score(n, stats[n]) >= 0.6 * best_score]
    if len(rivals) < 2:
        return best
    rival_set = set(rivals)
    for depth, ancestor in enumerate(best.iterancestors()):
        if depth >= 5 or ancestor not in stats:
            break
        inside = sum(1 for n in ancestor.iterdescendants() if n in rival_set and not _is_ancestor(n, best))
        if inside >= 2:
            return ancestor
    return best


def _is_ancestor(node: Any, other: Any) -> bool:
    """True when node is an ancestor of other."""
    return any(a is node for a in other.iterancestors())


def _climb(best: Any, stats: dict) -> Any:
    """Move up from the best node while its parent holds more article-like text of similar quality."""
    node = best
    for _ in range(3):
        parent = node.getparent()
        if parent is None or parent not in stats:
            break
        pst, st = stats[parent], stats[node]
        if pst.score * (1 - _link_density(pst)) >= 1.15 * st.score * (1 - _link_density(st)) and (
            _link_density(pst) < 0.3
        ):
            node = parent
        else:
            break
    return node


# --- rendering ---------------------------------------------------------------------------------

BLOCK_BREAK_TAGS = frozenset(
    "address article aside blockquote center dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody thead "
    "tfoot tr ul caption".split()
)


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
        density = _link_density(st)
        if (density > 0.5 and st.weight < 0.3 * total) or (density > 0.3 and st.weight < 0.1 * total and st.punct < 2):
            _drop(node)


def _cut_after_closing_credit(lines: list[str]) -> list[str]:
    """Lines up to a closing credit ("采写：记者 X") when only a short related box follows it."""
    total = sum(len(line) for line in lines)
    tail = 0
    for index in range(len(lines) - 1, 0, -1):
        line = lines[index]
        if len(line) <= MAX_CREDIT_CHARS and CLOSING_CREDIT.search(line) and index > len(lines) // 2:
            return lines[:index] if tail <= MAX_AFTER_CREDIT_SHARE * total else lines
        tail += len(line)
        if tail > MAX_AFTER_CREDIT_SHARE * total:
            break
    return lines


def _is_widget_count(line: str) -> bool:
    """True for a short line with no letters at all ("+1", "12", "1/10"): a counter or pager."""
    return len(line) <= 8 and not any(ch.isalpha() for ch in line)


def _clean_lines(lines: list[str]) -> list[str]:
    """Lines with runs of spaces made one space, without empty table cells, edge pipes,
    surrounding space and a trailing 阅读原文 link. Split/join does the spaces and the strip
    when it agrees with SPACES (no newline inside a line, no odd space character anywhere)."""
    joined = "\n".join(lines)
    fast = joined.count("\n") == len(lines) - 1 and _split_agrees(joined)
    return [_clean_line(line, fast) for line in lines]


def _clean_line(line: str, fast: bool = False) -> str:
    """One line cleaned as _clean_lines says (each pattern tried only when the characters it
    needs are in the line)."""
    if fast and "|" not in line:
        line = " ".join(line.split())
    else:
        line = SPACES.sub(" ", line)
        if "|" in line:
            line = EDGE_PIPES.sub("", EMPTY_CELLS.sub(" | ", line))
        line = line.strip()
    if "原文" in line or "返回" in line:
        line = TRAILING_JUNK.sub("", line)
    return line


def filter_lines(lines: list[str], extra: list[re.Pattern[str]]) -> list[str]:
    """Lines without boilerplate, repeats and symbol-only noise; cut at a trailing related box."""
    cleaned = _clean_lines(lines)
    cleaned = [line for line in cleaned if line and not ONLY_SYMBOLS.match(line) and not _is_widget_count(line)]
    cleaned = _cut_after_closing_credit(cleaned)
    total = sum(len(line) for line in cleaned) or 1
    out: list[str] = []
    repeated: set[str] = set()
    seen = 0
    for line in cleaned:
        seen += len(line)
        if len(line) <= 30 and seen > 0.5 * total and _stop_key(line) in BOILERPLATE.stop:
            break
        if extra and any(p.search(line) for p in extra):
            continue
        if BOILERPLATE.line_any_length.search(line):
            continue
        if len(line) <= BOILERPLATE.max_line_chars and BOILERPLATE.line.search(line):
            continue
        if out and line == out[-1]:
            if len(line) <= MAX_CAPTION_CHARS and not SENTENCE_END.search(line):
                out.pop()  # an image caption printed twice (alt text and caption): drop both
                repeated.add(line)
            continue
        if line in repeated:
            continue
        out.append(line)
    return out
