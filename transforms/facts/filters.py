"""What is not a fact, judged from the characters around a quantity.

Years, dates, times of day, ages, phone numbers and ids, ranks, list numbering, ranges,
vague amounts ("数十亿", "上千"), article-like "一家/a seller", and numbers glued to words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from transforms.facts.quantities import ID_WORD_BEFORE_RE, Quantity

RANK_BEFORE_RE = re.compile(r"(?:第|No\.?\s?|#|[Tt]op\s?|TOP\s?|排名|排行|前|位列|位居|rank(?:ed)?\s)$")
LIST_AFTER_RE = re.compile(r"[.、)]\s?")
VAGUE_BEFORE_RE = re.compile(r"(?:数|几|上|成|好几|若干|近几)$")
VAGUE_AFTER_RE = re.compile(r"[几数]|级|量级|-level")
LEVEL_AFTER_RE = re.compile(r"\s?(?:级|量级|-level)")
CLOCK_OR_SLASH_RE = re.compile(r"[:/]\d|/[A-Za-z]")
GLUED_BEFORE_RE = re.compile(r"(?:\d[:/-]|[A-Za-z_/=@])$")
GLUED_AFTER_RE = re.compile(r"(?![A-H]\+?\s?轮|Pre-[A-H])(?:[A-Za-z_@]|\.[A-Za-z]|-\d)")
PERCENT_SLASH_RE = re.compile(r"/\s?\d[\d.]*\s?%")
AMOUNT_SLASH_RE = re.compile(r"/\s?(?:US\$|HK\$|NT\$|S\$|RMB|USD|CNY|[$€£¥])")
CITATION_RE = re.compile(r"\[\d{1,3}\]")  # 'in line with expectations [1]': a reference mark
STREAK_BEFORE_RE = re.compile(r"连续\s?(?:第)?$")
STREAK_AFTER_RE = re.compile(r"\s(?:straight|consecutive|successive)\s", re.IGNORECASE)
DIGITS_AFTER_RE = re.compile(r"\s?(?:位数|-digit|digit)")
ESTIMATE_HINTS = ("stimate", "xpectation", "orecast", "onsensus", "预期", "预估", "共识")  # one is in every match
# the market's expectation a result is compared with ('beating the analyst estimate of X', 优于市场预期的X): a forecast
# fact of its own (FACTS.md gold: qualifier forecast), told apart by attribution
ESTIMATE_BEFORE_RE = re.compile(
    r"(?:(?:analysts?'?|average|consensus|market|street|LSEG|FactSet|Visible Alpha)\s+)(?:analyst\s+)?"
    r"(?:estimates?|expectations?|forecasts?|consensus)\s+(?:of|for)\s+(?:about\s+|around\s+|roughly\s+)?$|"
    r"(?:市场|分析师|法人|华尔街)(?:平均)?(?:预期|预估|共识)(?:的|为)?\s?(?:约)?\s?$", re.IGNORECASE)
# '粉丝量低于1万的达人': a bound that describes a group, not a quantity of it
THRESHOLD_BEFORE_RE = re.compile(r"(?:低于|少于|不足|不到|高于|多于)\s?$")
THRESHOLD_AFTER_RE = re.compile(r"\s?(?:以下|以上)?\s?的")
YEAR_KINDS = ("bare", "duration")
COMPARISON_REACH = 40
EN_NOUN_AFTER_RE = re.compile(r"\s+[a-z]")
YEAR_PREPOSITION_RE = re.compile(r"(?:in|since|by|of|from|to|until|through|during|before|after|year|fiscal|FY|and|for|between)\s+$", re.IGNORECASE)


def is_year(q: Quantity, text: str) -> bool:
    """A four-digit 1900-2099 written without magnitude or money is a year, not a count."""
    if q.kind not in YEAR_KINDS or q.has_magnitude or q.script != "arabic":
        return False
    raw = text[q.num_start:q.num_end]
    if not (raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2099):
        return False
    if q.kind == "duration":
        return q.counter == "年"
    counted = EN_NOUN_AFTER_RE.match(text, q.end) and not YEAR_PREPOSITION_RE.search(text[max(0, q.start - 12):q.start])
    return not counted


def _glued(q: Quantity, text: str) -> bool:
    """Numbers inside words, ids, URLs, clock times and slash dates: '3C', 'B2B', '16:42', '6/30'."""
    before = text[max(0, q.start - 2):q.start]
    after = text[q.end:q.end + 2]
    if q.kind == "percent" and (before.endswith("%/") or PERCENT_SLASH_RE.match(text, q.end)):
        return False  # 'growth of 10%/14%': two percents side by side
    if GLUED_BEFORE_RE.search(before) and not q.explicit_currency:
        return True
    if q.kind == "money" and not text[q.end - 1].isascii() and GLUED_AFTER_RE.match(after):
        return False  # '28亿美元GAAP市场收入': a Latin word after 美元 is the next word, not part of the number
    if q.kind == "money" and AMOUNT_SLASH_RE.match(text, q.end):
        return False  # 'US$60 billion/US$70 billion': two amounts side by side
    return bool(GLUED_AFTER_RE.match(after) or CLOCK_OR_SLASH_RE.match(after))


def _list_number(q: Quantity, text: str, para_start: int) -> bool:
    """'1. 首页', '2、' at the start of a paragraph."""
    return q.start - para_start < 8 and not text[para_start:q.start].strip() and bool(LIST_AFTER_RE.match(text, q.end))


def _vague(q: Quantity, text: str) -> bool:
    """'数十亿', '上千', '十几万', '千亿级': amounts without a number, or an order of magnitude."""
    if LEVEL_AFTER_RE.match(text[q.end:q.end + 4]):
        return True
    if q.script != "chinese":
        return False
    before = text[max(0, q.num_start - 2):q.num_start]
    return bool(VAGUE_BEFORE_RE.search(before) or VAGUE_AFTER_RE.match(text, q.num_end))


def _article(q: Quantity) -> bool:
    """'一家本土品牌', 'one seller': the numeral one used as an article, not a count."""
    return q.value == 1 and q.kind in ("count", "bare") and q.script in ("chinese", "english")


def _rank(q: Quantity, text: str) -> bool:
    """'排名第三', 'No. 2', 'top 10'; money after 'top' is the verb ('to top $150 billion')."""
    m = RANK_BEFORE_RE.search(text[max(0, q.start - 6):q.start])
    return bool(m) and not (q.kind == "money" and m.group().strip().lower() == "top")


ABS_CHANGE_BEFORE_RE = re.compile(r"(?:增加|增长|减少|下降|上升|提升|增多|下滑|多了|少了)了?\s?(?:约|近|超过|逾)?\s?$")
ABS_COMPARE_RE = re.compile(r"(?:较|比|相比|相较|同比|环比)[^,;。!?]{0,24}$")


def _absolute_change(q: Quantity, text: str) -> bool:
    """'买家数较今年1月增加了3000万': a change by an absolute amount is neither a level nor a growth rate."""
    if q.kind not in ("count", "bare", "money"):
        return False
    head = text[max(0, q.start - 40):q.start]
    change = ABS_CHANGE_BEFORE_RE.search(head)
    return bool(change and ABS_COMPARE_RE.search(head[:change.start()]))


def _threshold(q: Quantity, text: str) -> bool:
    """'粉丝量低于1万的达人': a bound that describes a group."""
    return bool(THRESHOLD_BEFORE_RE.search(text[max(0, q.start - 4):q.start]) and THRESHOLD_AFTER_RE.match(text, q.end))


def _streak(q: Quantity, text: str) -> bool:
    """'连续第3年', '3 straight years'."""
    return bool(STREAK_BEFORE_RE.search(text[max(0, q.start - 4):q.start]) or STREAK_AFTER_RE.match(text, q.end))


def _identifier(q: Quantity, text: str) -> bool:
    """'iPhone 15', 'Series 7': a model or chapter number."""
    return q.kind in ("bare", "count") and not q.has_magnitude and bool(ID_WORD_BEFORE_RE.search(text[max(0, q.start - 14):q.start]))


# (reason, test) in the order they are tried; the first that holds is the reason
Check = Callable[[Quantity, str, int], bool]
CHECKS: tuple[tuple[str, Check], ...] = (
    ("range", lambda q, text, para_start: q.in_range),
    ("year", lambda q, text, para_start: is_year(q, text)),
    ("glued", lambda q, text, para_start: _glued(q, text)),
    ("rank", lambda q, text, para_start: _rank(q, text)),
    ("list", _list_number),
    ("citation", lambda q, text, para_start: bool(CITATION_RE.fullmatch(text, max(0, q.start - 1), min(len(text), q.end + 1)))),
    ("vague", lambda q, text, para_start: _vague(q, text)),
    ("article", lambda q, text, para_start: _article(q)),
    ("threshold", lambda q, text, para_start: _threshold(q, text)),
    ("streak", lambda q, text, para_start: _streak(q, text)),
    ("digits", lambda q, text, para_start: bool(DIGITS_AFTER_RE.match(text, q.num_end))),
    ("absolute change", lambda q, text, para_start: _absolute_change(q, text)),
    ("identifier", lambda q, text, para_start: _identifier(q, text)),
    ("bare chinese", lambda q, text, para_start: q.kind == "bare" and q.script == "chinese" and not q.has_magnitude),
)


def rejection(q: Quantity, text: str, para_start: int) -> str | None:
    """Why this quantity is not a fact, or None when it may be one (checks stop at the first that holds)."""
    if q.kind in ("date", "age", "measure") or (q.kind == "duration" and q.unit is None):
        return q.kind
    return next((reason for reason, failed in CHECKS if failed(q, text, para_start)), None)


COMPARE_MARKER_RE = re.compile(r"(?:(?<![同环对相])比(?![如例较赛重特率值])|较(?![为大小高低多少好差])|相比|相较|对比)")
COMPARATIVE_RE = re.compile(r"高出|多出|低出|高了|低了|多了|少了|快了|慢了|贵了|便宜|高|低|多|少|快|慢|贵|大|小|增长|提升|下降|增加|减少|上涨|下滑|领先|落后|超出")
DIRECT_COMPARATIVE_RE = re.compile(r"(?:快|慢|高出|多出|低出|高了|低了|多了|少了|快了|慢了|贵了|便宜了|便宜|多出了|高出了)\s*(?:约|近|超)?\s*$")
TIME_WORD_RE = re.compile(r"\d{4}|年|去年|同期|上一|上期|披露期|报告期|统计期|前期|上月|上季|此前|以前|之前|过去|前年|上年|月份|季度|last|previous|prior|ago|earlier")
RIVAL_TIMES_RE = re.compile(r"(?:对手|竞争对手|同行|同业|行业平均|rivals?|competitors?)(?:的)?\s?$", re.IGNORECASE)
BEAT_BY_RE = re.compile(r"(?<![A-Za-z])(?:beat|beats|beating|topped|topping|exceeded|exceeding|missed|missing|trailed|trailing)\s"
                        r"(?:[a-z]+\s){0,3}by\s(?:about\s|around\s)?$", re.IGNORECASE)
TIMES_AS_RE = re.compile(r"是[^,;。]{1,20}的\s*$")
EN_THAN_AFTER_RE = re.compile(r"\s*(?:higher|lower|more|less|cheaper|faster|slower|greater|bigger|larger|above|below)\s+than\b(?P<obj>[^,;.]{0,30})", re.IGNORECASE)


def is_estimate(q: Quantity, text: str) -> bool:
    """'the consensus estimate of X', 市场预期的X: the expectation a result is measured against."""
    head = text[max(0, q.start - 40):q.start]
    return any(hint in head for hint in ESTIMATE_HINTS) and bool(ESTIMATE_BEFORE_RE.search(head))


def is_comparison(q: Quantity, text: str, clause_start: int) -> bool:
    """'比普通店铺高出20%', '是普通达人的5倍', '20% cheaper than rivals', 'beating consensus by 6%',
    '达对手2倍': A-vs-B, not a change over time."""
    head = text[max(clause_start, q.start - COMPARISON_REACH):q.start]
    if q.kind == "multiple" and (TIMES_AS_RE.search(head) or RIVAL_TIMES_RE.search(head)):
        return True
    if BEAT_BY_RE.search(head):
        return True
    markers = list(COMPARE_MARKER_RE.finditer(head))
    if markers:
        between = head[markers[-1].end():]
        comparative = COMPARATIVE_RE.search(between)
        if comparative and not TIME_WORD_RE.search(between[:comparative.start()]):
            return True
    if DIRECT_COMPARATIVE_RE.search(head) and not markers:
        return True
    than = EN_THAN_AFTER_RE.match(text, q.end)
    return bool(than and not TIME_WORD_RE.search(than.group("obj")))
