"""Metric keywords (reference/metrics.csv) and the choice of a quantity's metric.

A keyword names a metric and the kinds of quantity it can label; the nearest compatible
keyword wins: right after the number, then in its clause, then earlier in the sentence,
then earlier in the paragraph (money and counts only).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from transforms.facts.quantities import Quantity
from transforms.gazetteer import AliasMatcher, compile_aliases, read_reference
from transforms.textnorm import ascii_lower

KIND_LETTER = {"money": "m", "count": "c", "percent": "p", "multiple": "x", "duration": "d"}
QUANTITY_CHANGE_GAP = 6
GROWTH_FROM_QUANTITY = {"gmv", "revenue", "profit", "orders", "users", "price"}
COUNTER_METRICS = {"单": "orders", "笔": "orders", "家": "stores", "种": "products", "款": "products",
                   "个百分点": "growth", "百分点": "growth"}
NEAR_GAP_RE = re.compile(r"^\s?(?:的|of|of the|of its|in|in the|worth of|(?:pre-)?[A-Ha-h]\+?\s?轮|天使轮|种子轮|战略|(?:[Pp]re-)?[Ss]eries\s[A-Ha-h]\+?(?:\sfunding)?|seed|angel)?\s?$")
FROM_LEVEL_RE = re.compile(r"(?:从|由|(?<![A-Za-z])from\s)[^,;:。!?%]{0,20}$", re.IGNORECASE)
LEVEL_GAP_RE = re.compile(r"^\s*了?\s*(?:至|到|to|at)(?![a-z])")
SHARE_OF_GAP_RE = re.compile(r"^[^,;:。!?()\d]{0,24}$")
SHARE_OF_RE = re.compile(r"\s(?:of|in)\s", re.IGNORECASE)
PART_OF_GAP_RE = re.compile(r"\s?的\s?(?:约|近|逾|超过|不到)?\s?")
OF_GAP_RE = re.compile(r"\s?(?:的|of|of the|of its|of all|of total)\s?")
NOUN_GAP_RE = re.compile(r"^[^,;:。!?()\d]{0,8}$")
EN_FUNCTION_WORDS = ("in|of|to|for|at|from|by|than|and|or|this|last|next|a|an|the|on|as|with|per|year|years|"
                     "month|months|quarter|worth|during|since|until|through|over|under|up|down|more|less|"
                     "is|was|were|are|be|been|will|would|could|can|may|might|has|have|had|that|which|who|while|but|"
                     "one|two|three|four|five|six|seven|eight|nine|ten|ago|now|today|currently|previously|then|earlier|before|"
                     "vs|versus|against|compared|expected|estimated|forecast|projected|respectively|each|apiece")
EN_OTHER_NOUN_RE = re.compile(rf"\s(?:new\s|more\s)?(?!(?:{EN_FUNCTION_WORDS})(?![a-z-]))[a-z][a-z-]*")
SHORTEN_TO_RE = re.compile(r"(?:缩短|压缩|降低|降|减少|提速)(?:至|到)\s?(?:约|仅)?\s?$|(?<![A-Za-z])(?:cut|cuts|reduce[sd]?|shorten(?:ed|s)?|trim(?:med|s)?|bring|brought)\s(?:it\s|that\s|this\s)?(?:down\s)?to\s(?:about\s|just\s)?$", re.IGNORECASE)
EMPLOYS_BEFORE_RE = re.compile(r"(?<![A-Za-z])(?:employs|employed|employing|workforce of|headcount of)\s(?:about\s|around\s|roughly\s|nearly\s|some\s|more than\s|over\s|almost\s)?$", re.IGNORECASE)
PEOPLE_AFTER_RE = re.compile(r"\s(?:people|workers|persons|full-time)(?![a-z])")
ENGLISH_NEXT_RE = re.compile(r"\s?[A-Za-z]")
NOUN_FOLLOWS_RE = re.compile(r"\s?[\u4e00-\u9fffA-Za-z]")
EN_NOUN_GAP_RE = re.compile(r"^(?:\s+[A-Za-z-]+){0,2}\s+$|^\s?$")


@dataclass(frozen=True, slots=True)
class Keyword:
    """One row of metrics.csv."""

    metric: str
    kinds: str
    role: str
    scope: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A keyword found in the text, with every row its spelling has."""

    start: int
    end: int
    rows: tuple[Keyword, ...]

    def row_for(self, letter: str) -> Keyword | None:
        """The row that can label a quantity of this kind letter."""
        return next((r for r in self.rows if letter in r.kinds), None)


@dataclass(frozen=True, slots=True)
class Choice:
    """The chosen metric, the kind it gives a bare number, the sign and the keyword's scope."""

    metric: str
    kind: str
    negative: bool
    scope: str


@lru_cache(maxsize=1)
def keyword_matcher() -> AliasMatcher:
    """The keyword spellings' matcher (same spans as `keyword_table`'s regex, found faster)."""
    return AliasMatcher({k: k for k in keyword_table()[0]})


@lru_cache(maxsize=1)
def keyword_table() -> tuple[dict[str, tuple[Keyword, ...]], re.Pattern[str]]:
    """Keyword spelling -> rows, and one matcher over lower-cased text."""
    table: dict[str, list[Keyword]] = {}
    for row in read_reference("metrics.csv"):
        key = row["keyword"].strip().lower()
        table.setdefault(key, []).append(
            Keyword(row["metric"].strip(), row["kinds"].strip(), row["role"].strip(), (row.get("scope") or "").strip()))
    frozen = {k: tuple(v) for k, v in table.items()}
    return frozen, compile_aliases({k: k for k in frozen})


def find_keywords(text: str) -> list[Hit]:
    """Every metric keyword in normalized text, leftmost-longest."""
    return list(_keywords(text))


@lru_cache(maxsize=256)
def _keywords(text: str) -> tuple[Hit, ...]:
    """The hits of `find_keywords`, kept per text (names are looked up again and again)."""
    return tuple(Hit(*found) for found in _keyword_spans(text))


def _keyword_spans(text: str) -> list[tuple[int, int, tuple[Keyword, ...]]]:
    """(start, end, rows) of every keyword, as `find_keywords` gives them."""
    table = keyword_table()[0]
    lowered = ascii_lower(text)
    return [(s, e, table[lowered[s:e]]) for s, e in keyword_matcher().spans(lowered) if lowered[s:e] in table]


Accept = Callable[[Hit], "Keyword | None"]
Found = tuple[Hit, Keyword] | None


class KeywordIndex:
    """Keyword hits of one article with nearest-before / first-after lookups (a Hit is built only
    for the keywords a lookup reaches: an article has a hundred, its numbers look at a few)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found = _keyword_spans(text)
        self.starts = [start for start, _, _ in self.found]
        self._hits: dict[int, Hit] = {}

    def _hit(self, i: int) -> Hit:
        """The i-th hit."""
        hit = self._hits.get(i)
        if hit is None:
            hit = self._hits[i] = Hit(*self.found[i])
        return hit

    def before(self, lo: int, hi: int, accept: Accept) -> Found:
        """Nearest hit inside [lo, hi) whose row `accept` returns (scanning backwards)."""
        for i in range(bisect_left(self.starts, hi) - 1, -1, -1):
            start, end, _ = self.found[i]
            if end > hi:
                continue
            if start < lo:
                return None
            hit = self._hit(i)
            row = accept(hit)
            if row is not None:
                return hit, row
        return None

    def after(self, lo: int, hi: int, accept: Accept) -> Found:
        """First hit inside [lo, hi) whose row `accept` returns."""
        for i in range(bisect_left(self.starts, lo), len(self.found)):
            if self.found[i][1] > hi:
                return None
            hit = self._hit(i)
            row = accept(hit)
            if row is not None:
                return hit, row
        return None


def _rows(letters: str, roles: tuple[str, ...] | None = None) -> Accept:
    """An `accept` function: the first row with one of `letters` (and a role in `roles`)."""
    def accept(hit: Hit) -> Keyword | None:
        for row in hit.rows:
            if any(letter in row.kinds for letter in letters) and (roles is None or row.role in roles):
                return row
        return None
    return accept


def _choice(row: Keyword, kind: str) -> Choice | None:
    """A Choice from a keyword row; None for 'not in the vocabulary' and shields."""
    if row.metric == "-" or row.role in ("shield", "veto"):
        return None
    return Choice(row.metric, kind, row.role == "down", row.scope)


def _percent_accept(hit: Hit) -> Keyword | None:
    """Percent labels: change, share and rate words; a quantity noun means a change of it."""
    for row in hit.rows:
        if "p" in row.kinds:
            return row
        if row.role == "quantity" and row.metric in GROWTH_FROM_QUANTITY:
            return Keyword("growth", "p", "quantity-change", "")
    return None


def _plain_change_of(text: str, hit: Hit, q: Quantity) -> bool:
    """'GMV直接冲到116%': a quantity word just before a bare percent reads as its change."""
    return q.start - hit.end <= QUANTITY_CHANGE_GAP and not OF_GAP_RE.match(text, q.end)


GROWTH_ROLES = ("up", "down", "quantity")
PERCENT_LATE_ROLES = ("up", "down", "share", "rate", "veto")


@dataclass(frozen=True, slots=True)
class Where:
    """The spans a keyword search walks through, innermost first."""

    clause: tuple[int, int]
    sentence: tuple[int, int]
    paragraph: tuple[int, int]
    next_clause_end: int = 0
    headings: tuple[tuple[int, int], ...] = ()
    column: tuple[int, int] | None = None  # the header cell above a table cell


def _near_after(index: KeywordIndex, q: Quantity, accept: Accept, gap_re: re.Pattern[str], reach: int) -> Found:
    """A keyword written right after the number (gap text must match `gap_re`)."""
    found = index.after(q.end, q.end + reach, accept)
    if found and gap_re.match(index.text[q.end:found[0].start]):
        return found
    return None


def _walk(index: KeywordIndex, q: Quantity, where: Where, accept: Accept, steps: str) -> Found:
    """Try the search steps in order: b=clause before, a=clause after, s=sentence before, p=paragraph before."""
    spans = {"b": (where.clause[0], q.start), "a": (q.end, where.clause[1]),
             "s": (where.sentence[0], q.start), "p": (where.paragraph[0], where.sentence[0])}
    for step in steps:
        lo, hi = spans[step]
        found = index.after(lo, hi, accept) if step == "a" else index.before(lo, hi, accept)
        if found:
            return found
    return None


def choose_money(index: KeywordIndex, q: Quantity, where: Where, carry: dict[str, Choice]) -> Choice | None:
    """Money: keyword right after, in the clause, carried from the previous figure, then wider."""
    accept = _rows("m", ("quantity", "none", "veto"))
    found = _near_after(index, q, accept, NEAR_GAP_RE, 12) or _walk(index, q, where, accept, "ba")
    if found:
        return _choice(found[1], "money")
    if "money" in carry:
        return carry["money"]
    found = _walk(index, q, where, accept, "sp") or index.after(q.end, min(where.next_clause_end, where.sentence[1]), accept)
    found = found or _in_headings(index, where, accept)
    return _choice(found[1], "money") if found else None


def _in_headings(index: KeywordIndex, where: Where, accept: Accept) -> Found:
    """'各站点GMV:' above a list of '美国:90亿美元' lines labels every line."""
    for start, end in where.headings:
        found = index.before(start, end, accept)
        if found:
            return found
    return None


def _blocked(index: KeywordIndex, q: Quantity, where: Where) -> bool:
    """'Sea shares rose 6%', '成本增长20%': a not-in-vocabulary word earlier in the clause vetoes a percent;
    so does one earlier in the sentence when no vocabulary quantity is named after it ('该股收报3.12元,跌1.6%')."""
    if index.before(where.clause[0], q.start, _rows("p", ("veto",))) is not None:
        return True
    veto = index.before(where.sentence[0], where.clause[0], _rows("p", ("veto",)))
    return veto is not None and index.before(veto[0].end, q.start, _rows("mcp", ("quantity", "share", "rate"))) is None


CHANGE_GAP_RE = re.compile(r"^\s*(?:by\s)?(?:about|around|nearly|almost|some|roughly|approximately|约|近|了约|了)?\s*$")


def _change_right_before(index: KeywordIndex, q: Quantity, where: Where) -> bool:
    """'cut 10% of its workforce': a change word right before the percent makes it a change, not a share."""
    found = index.before(where.clause[0], q.start, _rows("p", ("up", "down")))
    return bool(found and CHANGE_GAP_RE.match(index.text[found[0].end:q.start]))


TO_AFTER_FROM_RE = re.compile(r"(?<![A-Za-z])(?:from|从|由)\s?[^,;。]{0,30}?\d[\d.]*\s?%[^,;。]{0,30}?(?:(?<![A-Za-z])to|至|到)\s?"
                              r"(?:just|only|about|around|nearly|约|仅)?\s?$", re.IGNORECASE)
LEVEL_WORD_REACH = 40  # 'its operating margin stood at 1.38%, lower than 1.41%': the word may close the clause before
THAN_LEVEL_RE = re.compile(r"(?<![A-Za-z])(?:higher|lower|more|less|greater|smaller|above|below)\s+than\s+(?:about\s|around\s)?$",
                           re.IGNORECASE)


def _level_is_outside(index: KeywordIndex, q: Quantity, where: Where) -> bool:
    """The nearest level word before the percent, in its clause or just before it, names a quantity outside
    the vocabulary (margin, 毛利率)."""
    level = index.before(max(where.sentence[0], where.clause[0] - LEVEL_WORD_REACH), q.start,
                         _rows("p", ("share", "rate", "none", "veto")))
    return bool(level and level[1].metric == "-")


def _level_word(index: KeywordIndex, q: Quantity, where: Where) -> Choice | None:
    """The share or rate word a level percent belongs to, in its clause or earlier in its sentence."""
    level = index.before(where.clause[0], q.start, _rows("p", ("share", "rate", "none", "veto"))) \
        or index.before(where.sentence[0], q.start, _rows("p", ("share", "rate")))
    return _choice(level[1], "percent") if level else None


def choose_percent(index: KeywordIndex, q: Quantity, where: Where, carry: dict[str, Choice]) -> Choice | None:
    """Percent: change/share/rate word right after or before in the clause; '30%的用户' is a share."""
    if _blocked(index, q, where):
        return None
    if FROM_LEVEL_RE.search(index.text, max(where.clause[0], q.start - 32), q.start) \
            or THAN_LEVEL_RE.search(index.text, max(where.clause[0], q.start - 24), q.start) \
            or TO_AFTER_FROM_RE.search(index.text, max(where.clause[0], q.start - 72), q.start):
        # '转化率从1.2%提升至2.8%', 'widened to 44.4% from 42.9%', 'a margin of 1.38%, lower than 1.41%': a level
        if _level_is_outside(index, q, where):
            return None  # 'gross profit margin slid from 75% to 58%': levels of a quantity outside the vocabulary
        level = _level_word(index, q, where)
        if level:
            return level
        previous = carry.get("percent")
        if previous is not None and previous.metric in ("share", "conversion_rate", "repurchase_rate"):
            return previous  # '60% of units …, up from 58%': the level of the same share
    found = _near_after(index, q, _rows("p"), NEAR_GAP_RE, 16)
    if not found and OF_GAP_RE.match(index.text, q.end) and not _change_right_before(index, q, where):
        nouns = _rows("mc" if q.script == "fraction" else "c", ("quantity",))
        noun = _near_after(index, q, nouns, SHARE_OF_GAP_RE, 28)
        if noun and noun[1].metric == "employees" and index.before(where.sentence[0], q.start, _rows("p", ("down",))):
            return Choice("growth", "percent", True, "")  # 'lay off 450 people, or 9% of its workforce'
        if noun:
            return Choice("share", "percent", False, "")
    found = found or index.before(where.clause[0], q.start, _percent_accept)
    if found and found[1].role == "quantity-change" and PART_OF_GAP_RE.fullmatch(index.text, found[0].end, q.start):
        return Choice("share", "percent", False, "")  # '零售业网络销售的61.9%', 'GMV的三成': a part of the quantity
    if found and found[1].role == "quantity-change":
        share = index.before(where.clause[0], found[0].start, _rows("p", ("share",)))
        if share and SHARE_OF_RE.match(index.text, share[0].end):
            return _choice(share[1], "percent")  # 'the largest share of the region's GMV at 52%': GMV is what it is a share of
    if found and found[1].role == "quantity-change" and not _plain_change_of(index.text, found[0], q):
        found = None
    if found and found[1].role in ("up", "down") and LEVEL_GAP_RE.match(index.text[found[0].end:q.start]):
        level = index.before(where.clause[0], found[0].start, _rows("p", ("share", "rate", "none", "veto"))) \
            or index.before(where.sentence[0], found[0].start, _rows("p", ("share", "rate")))
        return _choice(level[1], "percent") if level else None
    found = found or index.after(q.end, where.clause[1], _rows("p", ("share",)))
    if found:
        return _choice(found[1], "percent")
    if "percent" in carry:
        return carry["percent"]
    found = index.before(where.sentence[0], q.start, _rows("p", PERCENT_LATE_ROLES))
    return _choice(found[1], "percent") if found else None


def choose_multiple(index: KeywordIndex, q: Quantity, where: Where) -> Choice | None:
    """Multiples are growth: a word like 翻倍/doubled, or N倍/N-fold/Nx after a change word."""
    if _blocked(index, q, where):
        return None
    if q.script == "word":
        return Choice("growth", "multiple", False, "")
    accept = _rows("mcx", GROWTH_ROLES)
    found = index.before(where.clause[0], q.start, accept) or _near_after(index, q, _rows("x"), NEAR_GAP_RE, 12)
    if not found or found[1].metric == "-":
        return None
    return Choice("growth", "multiple", False, "")


CATEGORY_COUNTERS = frozenset({"类", "大类", "品类"})


def choose_count(index: KeywordIndex, q: Quantity, where: Where, carry: dict[str, Choice] | None = None,
                 previous_counter: str | None = None) -> Choice | None:
    """Counts: the noun after the counter (个海外仓, 名达人), the counter itself (单, 家), the clause."""
    if q.counter in CATEGORY_COUNTERS:
        return None  # '18类商品', '5大品类': a number of categories counts no vocabulary quantity
    found = _near_after(index, q, _rows("c"), NOUN_GAP_RE, 12) or _near_after(index, q, _rows("c"), EN_NOUN_GAP_RE, 30)
    if found and found[1].metric == "products" and index.before(where.clause[0], q.start, _sold):
        return Choice("orders", "count", False, "")
    if found:
        return _choice(found[1], "count")
    if q.counter in COUNTER_METRICS and not NOUN_FOLLOWS_RE.match(index.text, q.end):
        return Choice(COUNTER_METRICS[q.counter], "count", False, "")
    named = _number_of(index, q, where)
    if named:
        return named
    found = index.before(where.clause[0], q.start, _rows("c"))
    if found:
        return _choice(found[1], "count")
    previous = (carry or {}).get("count")
    return previous if previous and q.counter and q.counter == previous_counter else None


NUMBER_OF_RE = re.compile(r"(?<![A-Za-z])(?:number|count|total|tally)\s+of\s+(?:[a-z-]+\s+)?", re.IGNORECASE)


def _number_of(index: KeywordIndex, q: Quantity, where: Where) -> Choice | None:
    """'the number of creators selling on it doubled to 8 million': the counted noun, not a later verb."""
    lo = max(where.clause[0], q.start - 80)
    last = None
    for m in NUMBER_OF_RE.finditer(index.text, lo, q.start):
        last = m
    if last is None:
        return None
    found = index.after(last.start(), min(last.end() + 24, q.start), _rows("c"))
    return _choice(found[1], "count") if found else None


def _sold(hit: Hit) -> Keyword | None:
    """A 'sold/卖出' word: items counted after it are orders, not the catalogue."""
    return next((r for r in hit.rows if r.metric == "orders" and r.role == "quantity" and "c" in r.kinds), None)


def choose_bare(index: KeywordIndex, q: Quantity, where: Where, carry: dict[str, Choice]) -> Choice | None:
    """A number with a magnitude but no unit takes money or count from the nearest keyword."""
    accept = _rows("mc", ("quantity", "none", "veto"))
    gap = EN_NOUN_GAP_RE if ENGLISH_NEXT_RE.match(index.text, q.end) else NOUN_GAP_RE
    found = _near_after(index, q, _rows("c", ("quantity",)) if not q.has_magnitude else accept, gap, 30)
    if not found and EMPLOYS_BEFORE_RE.search(index.text, max(0, q.start - 40), q.start) and PEOPLE_AFTER_RE.match(index.text, q.end):
        return Choice("employees", "count", False, "")  # 'employs about 2.1 million people'
    if not found and EN_OTHER_NOUN_RE.match(index.text, q.end):
        return None
    if not found and (named := _number_of(index, q, where)):
        return named
    if found and found[1].metric == "products" and index.before(where.clause[0], q.start, _sold):
        return Choice("orders", "count", False, "")
    if not q.has_magnitude:
        return _choice(found[1], "count") if found else None
    found = found or _walk(index, q, where, accept, "ba")
    if not found and carry:
        return list(carry.values())[-1] if list(carry.values())[-1].kind in ("money", "count") else None
    found = found or _walk(index, q, where, accept, "s") or _walk(index, q, where, _rows("m", ("quantity",)), "p") \
        or _in_headings(index, where, _rows("m", ("quantity",)))
    if not found:
        return None
    return _choice(found[1], "money" if "m" in found[1].kinds else "count")


def choose_duration(index: KeywordIndex, q: Quantity, where: Where) -> Choice | None:
    """Days and hours are facts only as delivery times: 48小时达, 时效3天, delivered in 2 days."""
    accept = _rows("d")
    found = _near_after(index, q, accept, re.compile(r"^.{0,3}$"), 8) or index.before(where.clause[0], q.start, accept)
    if not found and SHORTEN_TO_RE.search(index.text, max(0, q.start - 12), q.start):
        found = _walk(index, q, where, accept, "sp")  # '时效约7天,目标是缩短至4天': the time being shortened
    return _choice(found[1], "duration") if found else None


COLUMN_ACCEPT: dict[str, Accept] = {"money": _rows("m", ("quantity",)), "count": _rows("c", ("quantity",)),
                                    "percent": _rows("p", ("up", "down", "share", "rate"))}


def choose_metric(index: KeywordIndex, q: Quantity, where: Where, carry: dict[str, Choice],
                  previous_counter: str | None = None) -> Choice | None:
    """The metric of one quantity, or None when nothing in reach names one of the vocabulary."""
    if where.column is not None and q.kind in COLUMN_ACCEPT:
        found = index.before(where.column[0], where.column[1], COLUMN_ACCEPT[q.kind])
        if found:  # '| 2024年GMV |' above '| 550亿美元 |': the column names the metric
            return _choice(found[1], q.kind)
    if q.kind == "money":
        return choose_money(index, q, where, carry)
    if q.kind == "percent":
        return choose_percent(index, q, where, carry)
    if q.kind == "multiple":
        return choose_multiple(index, q, where)
    if q.kind == "count":
        return choose_count(index, q, where, carry, previous_counter)
    if q.kind == "duration":
        return choose_duration(index, q, where)
    return choose_bare(index, q, where, carry)
