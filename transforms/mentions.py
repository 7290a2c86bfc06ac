"""Sentences, organizations, markets and times of one article, shared by the event and people rules.

Everything is found once on the normalized body (same length as the original, so offsets
are shared), with the text layer the fact rules use: paragraphs and sentences from
transforms/facts/layout.py, organizations and markets from transforms/gazetteer.py, times from
transforms/facts/periods.py. The rules then ask "what is in this sentence" or "what came just before".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from transforms.events_lexicon import context
from transforms.facts.layout import Span, paragraph_spans, sentence_spans
from transforms.facts.periods import find_times
from transforms.gazetteer import find_entities, find_markets
from transforms.model import Article
from transforms.textnorm import normalize

# A semicolon ends a statement for the event and people rules (each half may tell its own event);
# the layout keeps it inside the sentence, where a figure's context runs on.
STATEMENT_END = re.compile(r";+[\"'”’」』)]*")
# A time right after these words is the base of a comparison (比2023年, up from 2022), not when the event happened.
# Narrower than the facts' rule (transforms/facts/mentions.py time_mentions): a founding or launch date
# (launched in 2022, 1998年創立) cannot date a number, but it is the very period of an event or a move.
COMPARISON_BASE_BEFORE = re.compile(r"(?:比|较|相比|相较|对比|compared (?:with|to)|than(?: in)?|up from|down from|from)\s*(?:the\s+|于)?$",
                                    re.IGNORECASE)
# A clause-stop pattern leads with one character class (sre then skips other characters without trying them).
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
HAN = re.compile(r"[\u4e00-\u9fff]")
CJK_ORG_NAME = (2, 6)  # Han characters before a Chinese organization suffix
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
    """One sentence: its offsets into the body, its paragraph and its place in that paragraph."""

    start: int
    end: int
    para: int
    index: int


@dataclass(frozen=True, slots=True)
class DatedTime:
    """A time of the body with its period (a yearless one borrows a year) and whether it is only a comparison base."""

    start: int
    end: int
    period: str | None
    is_base: bool


def dated_times(text: str, published: date | None, offset: int = 0) -> list[DatedTime]:
    """The times of one paragraph (transforms/facts/periods.py), offsets moved by `offset`.

    A time without a year takes the year of the nearest earlier time of the paragraph, else of the
    publication date; a relative word in an undated article has no period.
    """
    out: list[DatedTime] = []
    year_hint = published.year if published else None
    for t in find_times(text, published):
        period = None if t.relative_unknown else t.period(year_hint)
        if period and period[:4].isdigit():
            year_hint = int(period[:4])
        is_base = bool(COMPARISON_BASE_BEFORE.search(text, max(0, t.start - 16), t.start))
        out.append(DatedTime(t.start + offset, t.end + offset, period, is_base))
    return out


def period_near(times: list[DatedTime], start: int, end: int, anchor: int | None = None) -> str | None:
    """Period of a sentence [start, end): its time nearest before the anchor, else the nearest earlier one."""
    inside = [t for t in times if start <= t.start < end and t.period and not t.is_base]
    if inside:
        before = [t for t in inside if anchor is None or t.start <= anchor]
        return (before[-1] if before and anchor is not None else inside[0]).period
    earlier = [t for t in times if t.end <= start and t.period and not t.is_base]
    return earlier[-1].period if earlier else None


@dataclass(slots=True)
class ArticleContext:
    """The normalized body and every mention found in it; a paragraph's sentences and times, and the
    organizations and markets, are found when a rule first asks (most paragraphs hold no event or move)."""

    article: Article
    text: str
    paragraphs: list[Span]
    stops: dict[str, list[int]] = field(default_factory=dict)
    found: tuple[SpanList, SpanList, str | None] | None = None
    para_starts: list[int] = field(default_factory=list)
    split: dict[int, list[Sentence]] = field(default_factory=dict)
    sentence_starts: dict[int, list[int]] = field(default_factory=dict)
    dated: dict[int, list[DatedTime]] = field(default_factory=dict)
    unnamed: list[Org] | None = None

    def __post_init__(self) -> None:
        """Paragraph starts, for finding the paragraph of an offset by bisection."""
        self.para_starts = [span.start for span in self.paragraphs]

    def sentences_in(self, para: int) -> list[Sentence]:
        """Sentences of one paragraph, as the fact layout splits them and cut again after semicolons."""
        if para not in self.split:
            self.split[para] = _sentences(self.text, self.paragraphs[para], para)
            self.sentence_starts[para] = [sent.start for sent in self.split[para]]
        return self.split[para]

    @property
    def sentences(self) -> list[Sentence]:
        """Every sentence of the body, in order."""
        return [sent for para in range(len(self.paragraphs)) for sent in self.sentences_in(para)]

    def paragraph_at(self, pos: int) -> int:
        """Index of the paragraph starting at or last before `pos` (-1 before the first)."""
        return bisect_right(self.para_starts, pos) - 1

    def sentence_at(self, pos: int) -> Sentence | None:
        """The sentence starting at or last before `pos` (None before the first paragraph)."""
        para = self.paragraph_at(pos)
        if para < 0:
            return None
        sentences = self.sentences_in(para)
        i = bisect_right(self.sentence_starts[para], pos) - 1
        return sentences[i] if i >= 0 else None

    def earlier_in_paragraph(self, sent: Sentence) -> list[Sentence]:
        """The sentences of a sentence's paragraph that come before it."""
        return self.sentences_in(sent.para)[:sent.index]

    def times(self, para: int) -> list[DatedTime]:
        """Times of one paragraph, offsets into the body (the paragraph alone is read: years carry within it)."""
        if para not in self.dated:
            span = self.paragraphs[para]
            self.dated[para] = dated_times(self.text[span.start:span.end], self.article.published, span.start)
        return self.dated[para]

    def period(self, sent: Sentence, anchor: int | None = None) -> str | None:
        """Period of a sentence: its time nearest before the anchor, else the nearest earlier one of its paragraph."""
        return period_near(self.times(sent.para), sent.start, sent.end, anchor)

    @property
    def orgs(self) -> SpanList:
        """Organizations of the body, sorted by start."""
        return self._mentions()[0]

    @property
    def markets(self) -> SpanList:
        """Markets of the body not inside an organization name, sorted by start."""
        return self._mentions()[1]

    @property
    def unnamed_orgs(self) -> list[Org]:
        """Chinese organisations no gazetteer knows (unnamed_cjk_orgs), found once when a rule first asks."""
        if self.unnamed is None:
            self.unnamed = unnamed_cjk_orgs(self)
        return self.unnamed

    @property
    def main_entity(self) -> str | None:
        """The organization the article is most about."""
        return self._mentions()[2]

    def _mentions(self) -> tuple[SpanList, SpanList, str | None]:
        """Organizations, markets and main entity, found once when a rule first asks (many articles never do)."""
        if self.found is None:
            self.found = _find_mentions(self.article, self.text)
        return self.found


def _sentences(text: str, paragraph: Span, para: int) -> list[Sentence]:
    """Sentences of paragraph number `para` as the fact layout splits them, cut again after semicolons."""
    spans = sentence_spans(text, paragraph)
    if text.find(";", paragraph.start, paragraph.end) < 0:
        return [Sentence(span.start, span.end, para, i) for i, span in enumerate(spans)]
    pieces: list[tuple[int, int]] = []
    for span in spans:
        cuts = [m.end() for m in STATEMENT_END.finditer(text, span.start, span.end) if m.end() < span.end]
        edges = [span.start, *cuts, span.end]
        pieces += [(start, end) for start, end in zip(edges, edges[1:], strict=False) if not text[start:end].isspace()]
    return [Sentence(start, end, para, i) for i, (start, end) in enumerate(pieces)]


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
    """Normalize the body once and split it as the fact layout does (paragraphs, sentences; clauses and headings
    are not needed here); mentions and times come on first use (cached: events and people share it)."""
    text = normalize(article.body or "")
    return ArticleContext(article, text, paragraph_spans(text))


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


def unnamed_cjk_orgs(ctx: ArticleContext, covered: list[tuple[int, int]] = ()) -> list[Org]:
    """Chinese organisations no gazetteer knows, told by how their name ends (游逸科技, 东森购物, 露天集团) or quoted
    after a company word (品牌「洁莱」), outside the known organisations, the markets and `covered` spans;
    events and people moves both take their names from here (the article's name, as written)."""
    text = ctx.text
    if not HAN.search(text):
        return []
    mask = bytearray(len(text))
    spans = [(o.start, o.end) for o in ctx.orgs if o.known] + [(s, e) for s, e, _code in ctx.markets] + list(covered)
    for start, end in spans:
        mask[max(0, start):end] = b"\x01" * (end - max(0, start))
    stop, generic, regulator = context("_cn_name_stop"), context("_cn_org_generic"), context("_regulator")
    out = []
    for match in context("_cn_quoted_org").finditer(text):
        start, end = match.span(1)
        if start >= 0 and not any(mask[start:end]):  # 家居清洁品牌「洁莱」: a quoted name after a company word
            out.append(Org(start, end, ctx.article.body[start:end], False, False))
            mask[start:end] = b"\x01" * (end - start)
    for match in context("_cn_org_suffix").finditer(text):
        if any(mask[match.start():match.end()]):
            continue
        start = match.start()
        while (start > 0 and match.start() - start < CJK_ORG_NAME[1] and HAN.match(text, start - 1)
               and not mask[start - 1] and not stop.match(text, start - 1)):
            start -= 1
        body = text[start:match.start()]
        if len(body) < CJK_ORG_NAME[0] or generic.fullmatch(body):
            continue
        name = ctx.article.body[start:match.end()]
        out.append(Org(start, match.end(), name, False, bool(regulator.search(text, start, match.end()))))
        mask[start:match.end()] = b"\x01" * (match.end() - start)
    return out
