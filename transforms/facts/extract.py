"""Metric facts from an article: quantities, filtered, labelled with a metric, then attributed."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace

from transforms.facts.attribution import ArticleContext, Sorted, overlaps
from transforms.facts.filters import is_comparison, rejection
from transforms.facts.layout import Layout, build_layout
from transforms.facts.metrics import Choice, KeywordIndex, Where, choose_metric
from transforms.facts.money import implicit_currency
from transforms.facts.quantities import Quantity, find_quantities
from transforms.facts.ranking import Candidate
from transforms.facts.tables import TableIndex
from transforms.model import Article, Fact
from transforms.textnorm import normalize

LOG = logging.getLogger(__name__)
LOCAL_YUAN = {"TW": "TWD", "HK": "HKD"}  # what 元 alone means for a Taiwanese or Hong Kong figure in a traditional-script article
MAINLAND_CURRENCY_RE = re.compile(r"人民币|(?<![A-Za-z])(?:RMB|CNY)(?![A-Za-z])")
FIXED_UNITS = {"percent": "percent", "multiple": "multiple", "count": "count"}
MAX_QUANTITIES = 5000  # no article states this many numbers; beyond it the text is a table dump or garbage


def _where(layout: Layout, q: Quantity, tables: TableIndex) -> Where:
    """Clause, sentence and paragraph bounds of a quantity (and its table column's header), for the keyword search."""
    clause, sentence = layout.clause(q.num_start), layout.sentence(q.num_start)
    para = layout.paragraphs[layout.paragraph_index(q.num_start)]
    following = layout.clause(clause.end + 1) if clause.end < sentence.end else clause
    headings = tuple((h.start, h.end) for h in layout.heading_spans(q.num_start))
    column = tables.column_header(q.num_start)
    return Where((clause.start, clause.end), (sentence.start, sentence.end), (para.start, para.end),
                 max(following.end, clause.end), headings, (column.start, column.end) if column else None)


def _unit(q: Quantity, choice: Choice, money: list[tuple[int, str]], lang: str | None) -> str | None:
    """ISO currency (written, else from the nearest money figure), or the fixed unit of the kind."""
    if choice.kind == "money":
        if q.kind == "money" and q.unit:
            return q.unit
        return implicit_currency(q.start, money) or ("USD" if lang == "en" else "CNY")
    if choice.kind == "duration":
        return q.unit
    return FIXED_UNITS.get(choice.kind)


def _signed(q: Quantity, choice: Choice) -> float:
    """Declines are negative growth: 下滑4% -> -4."""
    if choice.metric == "growth" and choice.negative and q.value > 0 and q.kind == "percent":
        return -q.value
    return q.value


def _accepted(q: Quantity, text: str, layout: Layout) -> bool:
    """False for numbers that are not facts (years, ranks, ranges, comparisons...)."""
    para = layout.paragraphs[layout.paragraph_index(q.num_start)]
    if rejection(q, text, para.start):
        return False
    return not is_comparison(q, text, layout.clause(q.num_start).start)


def _labelled(quantities: list[Quantity], text: str, layout: Layout, index: KeywordIndex,
              tables: TableIndex) -> list[tuple[Quantity, Choice]]:
    """Quantities that are facts, each with its metric (a clause without a keyword continues its sentence)."""
    carries: dict[int, dict[str, Choice]] = {}
    counters: dict[int, str | None] = {}
    out = []
    for q in quantities:
        if not _accepted(q, text, layout):
            continue
        sentence = layout.sentence(q.num_start).start
        carry = carries.setdefault(sentence, {})
        choice = choose_metric(index, q, _where(layout, q, tables), carry, counters.get(sentence))
        if choice is not None and choice.kind == "percent" and not choice.scope \
                and any(c.scope == "market" for c in carry.values()):
            choice = replace(choice, scope="market")  # '全国网上零售额为X元,同比增长6.5%': the growth of a market-wide figure
        if choice is not None:
            carry[choice.kind] = choice
            if q.kind == "count":
                counters[sentence] = q.counter
            out.append((q, choice))
    return out


def _facts(article: Article, weights: dict[str, float] | None = None,
           trace: dict[int, list[Candidate]] | None = None) -> list[Fact]:
    """The extraction proper; see `extract_facts`."""
    text = normalize(article.body)
    layout = build_layout(text)
    if not layout.paragraphs:
        return []
    quantities = find_quantities(text, limit=MAX_QUANTITIES)
    if len(quantities) >= MAX_QUANTITIES:
        LOG.warning("%s: more than %d numbers, only the first ones are read", article.url, MAX_QUANTITIES)
    context = ArticleContext(text, layout, quantities, article.published, normalize(article.title or ""),
                             (article.body, article.title or ""), article.url or "", weights)
    context.trace = trace
    money = [(q.start, q.unit) for q in quantities if q.kind == "money" and q.explicit_currency and q.unit]
    dated = Sorted([t for t in context.times.items if not text[t.start:t.end].isdigit()])
    quantities = [q for q in quantities if not overlaps(dated, q.num_start, q.num_start + 1)]
    labelled = _labelled(quantities, text, layout, KeywordIndex(text), context.tables)
    context.assign_respectively([q for q, _ in labelled])
    context.assign_slash_years([q for q, _ in labelled])
    facts: list[Fact] = []
    buckets: dict[tuple[str, str, str], list[int]] = {}  # same metric, unit and number: the only candidates for a repeat
    for q, choice in labelled:
        fact = _fact(article, context, q, choice, _unit(q, choice, money, article.lang), layout.sentence(q.num_start))
        each = context.distributed_markets(q)
        if each:  # one figure said of every market listed before it: one fact per market
            facts.extend(replace(fact, market=code) for code in each)
            continue
        bucket = buckets.setdefault((fact.metric, fact.unit, f"{fact.value:.8g}"), [])
        boilerplate = _in_about(text, layout, q)
        repeat = next((i for i in bucket if _same_fact(fact, facts[i], context.entity_key, boilerplate)), None)
        if repeat is None:
            bucket.append(len(facts))
            facts.append(fact)
        elif _known_fields(fact) > _known_fields(facts[repeat]):
            facts[repeat] = fact
    return facts


def _known_fields(fact: Fact) -> int:
    """How much of who/where/when a fact pins down (a repeat keeps its best-attributed mention)."""
    return sum(value is not None for value in (fact.entity, fact.market, fact.period))


ABOUT_RE = re.compile(r"\s*(?:About|ABOUT|关于|關於)\s?\S")


def _in_about(text: str, layout: Layout, q: Quantity) -> bool:
    """A number in the 'About X' boilerplate that closes a press release."""
    return any(ABOUT_RE.match(text, h.start) for h in layout.heading_spans(q.num_start))


def _same_fact(a: Fact, b: Fact, entity_key: Callable[[str | None], str | None], boilerplate: bool = False) -> bool:
    """A repeat: same number and metric, and no organization or market that tells them apart."""
    if (a.metric, a.unit) != (b.metric, b.unit) or abs(a.value - b.value) > 1e-9 * max(1.0, abs(a.value)):
        return False
    if a.sentence == b.sentence and a.span_start != b.span_start:
        return False  # 'GMV年增28%,订单年增28%': two quantities that happen to share a number
    markets = (None, None) if a.metric == "markets" or (boilerplate and a.entity) else (a.market, b.market)
    # a count of countries is not about one market; 'About X' repeats the company's figures in wider words
    pairs = ((entity_key(a.entity), entity_key(b.entity)), markets)
    return all(x is None or y is None or x == y for x, y in pairs)


def _fact(article: Article, context: ArticleContext, q: Quantity, choice: Choice, unit: str | None, sentence) -> Fact:
    """Assemble one Fact with its attribution."""
    entity = context.entity(q, choice.metric, choice.scope)
    market = context.market(q, choice.metric, entity)
    if unit == "CNY" and market in LOCAL_YUAN and context.traditional \
            and not MAINLAND_CURRENCY_RE.search(context.text, sentence.start, sentence.end):
        unit = LOCAL_YUAN[market]  # '營收81.3億元' in a Taiwanese article on a Taiwanese figure: 元 is NT$ (FACTS.md)
    return Fact(metric=choice.metric, value=_signed(q, choice), unit=unit or "count",
                entity=entity, market=market,
                period=context.period(q, choice.metric), qualifier=context.qualifier(q),
                sentence=article.body[sentence.start:sentence.end].strip(), span_start=q.start, span_end=q.end)


def extract_with_candidates(article: Article, weights: dict[str, float] | None = None
                            ) -> list[tuple[Fact, list[Candidate]]]:
    """Each fact with the entity candidates it was chosen from (for fitting and inspecting the ranking);
    `weights` replaces reference/attribution_weights.csv. Raises on bad text, unlike `extract_facts`."""
    trace: dict[int, list[Candidate]] = {}
    facts = _facts(article, weights, trace)
    return [(f, trace.get(f.span_start, [])) for f in facts]


def extract_facts(article: Article) -> list[Fact]:
    """Every metric fact stated in the article body; never raises (bad text gives fewer facts)."""
    try:
        return _facts(article)
    except Exception as exc:  # noqa: BLE001 - the contract is "never raise": one bad article must not stop a flow
        LOG.warning("fact extraction failed for %s: %r", article.url, exc)
        return []
