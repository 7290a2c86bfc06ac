"""Sentences, organizations, markets and times of one article, shared by the event and people rules.

Everything is found once on the normalized body (same length as the original, so offsets
are shared); the rules then ask "what is in this sentence" or "what came just before".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from transforms.events_lexicon import context
from transforms.gazetteer import find_entities, find_markets
from transforms.model import Article
from transforms.textnorm import normalize
from transforms.timeexpr import TimeMention, find_times

# Each stop pattern leads with one character class (sre then skips other characters without trying them):
# a run of 。!?; and closing quotes, or an English full stop after a letter, digit or quote and before a capital or the end.
SENTENCE_END = re.compile(r"[。!?;.](?:(?<=[。!?;])[。!?;]*[\"'”’」』)]*|(?<=[a-z0-9)\"”’]\.)(?=\s+[A-Z\"“(]|\s*$))")
SENTENCE_END_LINES = re.compile(SENTENCE_END.pattern, re.MULTILINE)
CLAUSE_BREAK = re.compile(r"[，;；:：,](?<!\d,(?=\d))")  # a comma between two digits is a thousands separator
LIST_SEPARATORS = re.compile(r"^\s*(?:[、,，/&]|和|与|及|以及|跟|同|and|or)\s*$", re.IGNORECASE)
# A capital not glued to a word, an address or a path leads (what precedes it is checked after it, so sre skips to capitals).
LATIN_NAME = re.compile(r"[A-Z](?<![A-Za-z0-9.@/].)[A-Za-z0-9]*(?:[.&'-][A-Za-z0-9]+)*"
                        r"(?:\s+(?:[A-Z][A-Za-z0-9]*(?:[.&'-][A-Za-z0-9]+)*|of|de|&))*"
                        r"(?<![.&'-])(?![A-Za-z0-9])")
LATIN_STOPWORDS = frozenset("""
a an the in on at by for of to it its this that these those he she they we i you but and or as
after before while when apart according however meanwhile also since with from into under over
mr ms mrs dr ceo cfo coo cto gmv ipo mau dau aov sku vp svp evp chief head president chairman
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december prime day black friday cyber monday super bowl
""".split())
MAX_REACH = 160
LATIN_ADJECTIVE = re.compile(r"-[a-z]")
PERSON_TITLE = re.compile(r"(?:President|Senator|Sen\.|Rep\.|Representative|Minister|Secretary|Governor|Judge|Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Prime Minister)\s")
SHOP_ARTICLE_CANON = "TikTok Shop"
APP_CANON = "TikTok"


@dataclass(frozen=True, slots=True)
class Org:
    """An organization mention: span, canonical (or surface) name, and whether it is a regulator."""

    start: int
    end: int
    name: str
    known: bool
    regulator: bool


@dataclass(slots=True)
class Sentence:
    """One sentence of a paragraph, with its offsets into the body."""

    start: int
    end: int
    para: int
    index: int


class ParagraphTimes:
    """Time mentions per paragraph, found on first use: most paragraphs yield no event or move, so never need them."""

    def __init__(self, text: str, paragraphs: list[tuple[int, int]], published: date | None) -> None:
        self.text, self.paragraphs, self.published = text, paragraphs, published
        self.found: dict[int, list[TimeMention]] = {}

    def __getitem__(self, para: int) -> list[TimeMention]:
        """Times of one paragraph, offsets into the body (the paragraph alone is read: years carry within it)."""
        if para not in self.found:
            offset, end = self.paragraphs[para]
            self.found[para] = [TimeMention(t.start + offset, t.end + offset, t.period, t.year, t.is_base)
                                for t in find_times(self.text[offset:end], self.published)]
        return self.found[para]

    def __len__(self) -> int:
        """One entry per paragraph, like the list it replaces."""
        return len(self.paragraphs)


@dataclass(slots=True)
class ArticleContext:
    """The normalized body and every mention found in it (organizations and markets on first use)."""

    article: Article
    text: str
    paragraphs: list[tuple[int, int]]
    sentences: list[Sentence]
    times: ParagraphTimes | list[list[TimeMention]] = field(default_factory=list)
    stops: dict[str, list[int]] = field(default_factory=dict)
    found: tuple[SpanList, SpanList, str | None] | None = None

    @property
    def orgs(self) -> SpanList:
        """Organizations of the body, sorted by start."""
        return self._mentions()[0]

    @property
    def markets(self) -> SpanList:
        """Markets of the body not inside an organization name, sorted by start."""
        return self._mentions()[1]

    @property
    def main_entity(self) -> str | None:
        """The organization the article is most about."""
        return self._mentions()[2]

    def _mentions(self) -> tuple[SpanList, SpanList, str | None]:
        """Organizations, markets and main entity, found once when a rule first asks (many articles never do)."""
        if self.found is None:
            self.found = _find_mentions(self.article, self.text)
        return self.found


def _split_sentences(text: str, paragraphs: list[tuple[int, int]]) -> list[Sentence]:
    """Sentences of every paragraph [start, end), split after 。!?; and English full stops.

    One pass over the whole body: a terminator never spans a line break and, with `$` read at
    line ends, an English full stop at a paragraph's end is seen as it is within the paragraph.
    """
    out: list[Sentence] = []
    spans = [m.span() for m in SENTENCE_END_LINES.finditer(text)]
    i = 0
    for para, (start, end) in enumerate(paragraphs):
        while i < len(spans) and spans[i][0] < start:
            i += 1
        pos = start
        while i < len(spans) and spans[i][1] <= end:
            stop = spans[i][1]
            if stop > pos and not text[pos:stop].isspace():
                out.append(Sentence(pos, stop, para, len(out)))
            pos = stop
            i += 1
        if pos < end and not text[pos:end].isspace():
            out.append(Sentence(pos, end, para, len(out)))
    return out


def _suffix_orgs(text: str, markets: list[tuple[int, int, str]]) -> list[Org]:
    """Organizations written as a market plus a suffix: 法国邮政, 印尼政府, Australia Post."""
    suffix, regulator = context("_org_suffix"), context("_regulator")
    out = []
    for start, end, _code in markets:
        match = suffix.match(text, end)
        if match and match.end() - end <= 12:
            surface = text[start:match.end()]
            out.append(Org(start, match.end(), surface, True, bool(regulator.search(surface))))
    return out


def _latin_orgs(text: str, taken: bytearray) -> list[Org]:
    """Capitalized Latin names that no gazetteer knows (MARKET.live, Vogue Business), as unknown orgs."""
    out = []
    for match in LATIN_NAME.finditer(text):
        words = match.group().split()
        while words and words[0].lower() in LATIN_STOPWORDS:
            words = words[1:]
        name = " ".join(words)
        if (not name or name.lower() in LATIN_STOPWORDS or (name.isupper() and len(name) <= 4)
                or LATIN_ADJECTIVE.search(name) or PERSON_TITLE.match(match.group())):
            continue
        start = text.find(name, match.start(), match.end())
        if any(taken[start:start + len(name)]):
            continue
        out.append(Org(start, start + len(name), name, False, False))
    return out


def _cover(size: int, spans: list[tuple[int, int]]) -> bytearray:
    """A per-character mask of the given spans, for constant-time overlap checks."""
    mask = bytearray(size)
    for start, end in spans:
        mask[start:end] = b"\x01" * (end - start)
    return mask


def find_orgs(text: str, markets: list[tuple[int, int, str]]) -> list[Org]:
    """Known, suffix-built and unknown Latin organizations, without overlaps, in text order."""
    regulator = context("_regulator")
    orgs = [Org(s, e, name, True, bool(regulator.fullmatch(text[s:e]))) for s, e, name in find_entities(text)]
    known = _cover(len(text), [(o.start, o.end) for o in orgs])
    orgs.extend(org for org in _suffix_orgs(text, markets) if not any(known[org.start:org.end]))
    taken = _cover(len(text), [(o.start, o.end) for o in orgs] + [(s, e) for s, e, _ in markets])
    orgs.extend(_latin_orgs(text, taken))
    return sorted(orgs, key=lambda o: o.start)


def _main_entity(orgs: list[Org], title: str) -> str | None:
    """The organization the article is most about: most mentioned known org, title counting double."""
    counts = Counter(o.name for o in orgs if o.known and not o.regulator)
    for _s, _e, name in find_entities(title):
        counts[name] += 2
    if counts.get(APP_CANON) and counts.get(SHOP_ARTICLE_CANON):
        counts[SHOP_ARTICLE_CANON] += counts.pop(APP_CANON)
    return counts.most_common(1)[0][0] if counts else None


def _surface(body: str, text: str, org: Org) -> str:
    """Name of an org the gazetteer does not canonicalize: as the article writes it (traditional stays traditional)."""
    return body[org.start:org.end] if org.name == text[org.start:org.end] else org.name


@lru_cache(maxsize=4)
def build_context(article: Article) -> ArticleContext:
    """Normalize the body once and split its sentences; mentions and times come on first use (cached: events and people share it)."""
    text = normalize(article.body or "")
    paragraphs = [(offset, offset + len(line)) for offset, line in article.paragraphs]
    sentences = _split_sentences(text, paragraphs)
    times = ParagraphTimes(text, paragraphs, article.published)
    return ArticleContext(article, text, paragraphs, sentences, times)


def _find_mentions(article: Article, text: str) -> tuple[SpanList, SpanList, str | None]:
    """Organizations (as written when the gazetteer does not canonicalize them), markets outside them, main entity."""
    all_markets = find_markets(text)
    orgs = [o if o.known and not o.regulator and o.name != text[o.start:o.end] else
            Org(o.start, o.end, _surface(article.body, text, o), o.known, o.regulator)
            for o in find_orgs(text, all_markets)]
    org_mask = _cover(len(text), [(o.start, o.end) for o in orgs if not o.regulator])
    markets = [m for m in all_markets if not any(org_mask[m[0]:m[1]])]
    main = _main_entity(orgs, normalize(article.title or ""))
    return SpanList(orgs), SpanList(markets), main


class SpanList(list):
    """Mentions sorted by start, with the starts indexed so a range lookup is a bisect, not a scan."""

    def __init__(self, items: list) -> None:
        super().__init__(sorted(items, key=_start_of))
        self.starts = [_start_of(item) for item in self]


def _start_of(item: object) -> int:
    """Start offset of a mention object or a (start, end, ...) tuple."""
    return item.start if hasattr(item, "start") else item[0]


def _end_of(item: object) -> int:
    """End offset of a mention object or a (start, end, ...) tuple."""
    return item.end if hasattr(item, "end") else item[1]


def in_span(items: list, start: int, end: int) -> list:
    """Items (with .start/.end or (start, end, ...) tuples) lying inside [start, end)."""
    starts = getattr(items, "starts", None)
    first = bisect_left(starts, start) if starts is not None else 0
    last = bisect_left(starts, end) if starts is not None else len(items)
    return [item for item in items[first:last]
            if start <= _start_of(item) and _end_of(item) <= end]


def stop_positions(ctx: ArticleContext, key: str, pattern: re.Pattern[str]) -> list[int]:
    """Sorted offsets of every match of a clause-stop pattern in the original body, found once per article."""
    if key not in ctx.stops:
        ctx.stops[key] = [m.start() for m in pattern.finditer(ctx.article.body)]
    return ctx.stops[key]


def bounds_between(stops: list[int], pos: int, floor: int, ceiling: int, width: int = 1) -> tuple[int, int]:
    """(start, end) of the stretch holding pos between two stops, inside [floor, ceiling] and at most MAX_REACH away."""
    i = bisect_left(stops, pos)
    start = max(floor, stops[i - 1] + width, pos - MAX_REACH) if i > 0 else max(floor, pos - MAX_REACH)
    end = min(ceiling, stops[i], pos + MAX_REACH) if i < len(stops) else min(ceiling, pos + MAX_REACH)
    return min(start, pos), max(end, pos)


def clause_bounds(ctx: ArticleContext, sent: Sentence, pos: int) -> tuple[int, int]:
    """The clause of a sentence holding `pos`: between commas, colons or semicolons of the original body."""
    return bounds_between(stop_positions(ctx, "clause", CLAUSE_BREAK), pos, sent.start, sent.end)


def is_list_gap(text: str) -> bool:
    """Whether the text between two names only joins them into a list (、 和 and)."""
    return bool(LIST_SEPARATORS.match(text))


def shop_or_app(ctx: ArticleContext, org: Org, sent: Sentence) -> str:
    """Plain TikTok means TikTok Shop in an article about the shop, unless the sentence is about the app."""
    if org.name != APP_CANON:
        return org.name
    shop_article = any(o.name == SHOP_ARTICLE_CANON for o in ctx.orgs) or "电商" in ctx.text
    if shop_article and not context("_app_word").search(ctx.text, sent.start, sent.end):
        return SHOP_ARTICLE_CANON
    return org.name
