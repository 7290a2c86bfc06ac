"""Quantities: a numeral with what is written around it (currency, %, 倍, 成, counter, duration).

The unit decides which metrics a quantity can carry: money, percent, multiple, count,
duration; a `bare` quantity (no unit) gets its kind from the nearest metric keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from transforms.facts.money import currency_after, currency_before
from transforms.facts.numbers import Numeral, find_numerals, parse_arabic, parse_chinese
from transforms.textnorm import ascii_lower

APPROX_AFTER_RE = re.compile(r"(?:\s?(?:多|余|来|\+|左右))?")
PERCENT_RE = re.compile(r"\s?(?P<pct>%|‰|per\s?cent(?![A-Za-z])|percent(?![A-Za-z])|pct(?![A-Za-z])|pp(?![A-Za-z])"
                        r"|个百分点|percentage points?(?![A-Za-z])|百分点)")
TENTHS_RE = re.compile(r"\s?成(?![交长本立功为员熟都效果绩不人])")
TENTHS_TAIL_RE = re.compile(r"[一二三四五六七八九1-9](?!\d|[.,]\d|[零〇一二两三四五六七八九十百千万亿个年月日天周家名人%])")
CN_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
MULTIPLE_RE = re.compile(r"\s?(?:倍(?P<half>半)?|-?fold(?![A-Za-z])|[xX×](?![A-Za-z\d])|times(?![A-Za-z]))")
DURATION_RE = re.compile(
    r"\s?(?:个)?\s?(?P<dur>小时|钟头|天|个工作日|工作日|日(?=达|内|送|到|妥投|交付)|周|星期|礼拜|个月|月|年|分钟|秒|"
    r"(?:business\s+|working\s+)?days?(?![A-Za-z])|hours?(?![A-Za-z])|hrs?(?![A-Za-z])|weeks?(?![A-Za-z])|"
    r"months?(?![A-Za-z])|years?(?![A-Za-z])|minutes?(?![A-Za-z])|mins?(?![A-Za-z])|-(?:day|hour|week|month|year)(?![A-Za-z]))")
MEASURE_RE = re.compile(
    r"\s?(?:平方米|平米|平方公里|平方英尺|平方公尺|平方英呎|平方呎|公尺|坪|m²|㎡|公顷|亩|吨|公斤|千克|公里|千米|英里|米|升|千瓦|瓦|GB|TB|MB|km|kg|"
    r"(?:square|sq\.?)\s?(?:feet|foot|ft|metres|meters|m)(?![A-Za-z])|tonnes?(?![A-Za-z])|tons?(?![A-Za-z])|"
    r"miles?(?![A-Za-z])|feet(?![A-Za-z])|metres?(?![A-Za-z])|meters?(?![A-Za-z])|TEU|mAh|W(?![A-Za-z]))")
AGE_RE = re.compile(r"\s?(?:岁|周岁|years? old|-year-old)")
DATE_RE = re.compile(r"\s?(?:日|号)(?![元本])")
COUNTER_RE = re.compile(r"\s?(?P<counter>多万|个|家|名|位|种|款|单|笔|件|次|人次|人|座|间|条|场|所|只|台|辆|份|项|支|枚|户|股|手|大类|大|亿|万|类)")
PERCENT_PREFIX_RE = re.compile(r"百分之\s?$")
FRACTION_RE = re.compile(r"(?P<den>\d{1,3}|[一二三四五六七八九十]{1,3})\s?分之\s?(?P<num>\d{1,3}(?:\.\d{1,2})?|[一二三四五六七八九十]{1,3})")
EN_FRACTION_RE = re.compile(r"(?P<frac>one-third|two-thirds|a third|one-quarter|three-quarters|one-fifth|"
                            r"a fifth|one-tenth|half|one-half)(?=\s+of\b)")
NOT_FRACTION_BEFORE_RE = re.compile(r"(?:[a-z]|first\s|second\s|latter\s|final\s|back\s)$")
WORD_MULTIPLE_RE = re.compile(
    r"(?P<cn>翻了?两番|翻了?一番|翻番|翻了?一倍|翻倍半|翻倍)|(?P<en>more than doubled|doubled|doubling|"
    r"(?:nearly|almost|more than|roughly|about|to|will|would|could|expected to) (?:double|triple)|"
    r"tripled|trebled|quadrupled)(?![a-z-])(?!\s(?:down|up|check|click|as|digits?|the)(?![a-z]))")
# literals without which the patterns cannot match: most texts have none, and skip the scan
FRACTION_NEEDS, EN_FRACTION_NEEDS = "分之", ("third", "quarter", "fifth", "tenth", "half")
WORD_MULTIPLE_NEEDS = ("翻", "doubl", "tripl", "trebled", "quadrupled")
WORD_MULTIPLES = {"翻两番": 4, "翻了两番": 4, "翻倍半": 2.5, "doubled": 2, "doubling": 2, "double": 2,
                  "more than doubled": 2, "tripled": 3, "trebled": 3, "triple": 3, "quadrupled": 4, "quadruple": 4}
ID_WORD_BEFORE_RE = re.compile(
    r"(?:iPhone|iPad|Series|Galaxy|Model|Pixel|Windows|Version|Gen|Generation|Mark|Chapter|Part|Season|Episode|Level|"
    r"Round|Phase|Stage|Vol\.?|Volume|Article|Section|Rule|Class|Type|Category|Grade|Block|Gate|Route|Highway|Flight|"
    r"No\.?|Number|Tier|Figure|Table|Watch|Pro|Max|Plus|Note|Xbox|PlayStation|Mac|Mate|Apollo|Artemis|Falcon|Boeing|"
    r"Airbus|Covid|COVID|Fortune|Global|Forbes|Top|Web|Industry)\s$")
NEGATIVE_BEFORE_RE = re.compile(r"(?:^|[^\w\d.%-])[-−]$")  # "57.1%-69.2%" is a range, not -69.2
DAYS_PER = {"周": 7, "星期": 7, "礼拜": 7, "week": 7, "weeks": 7}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit: span (currency and unit included), value in base units, kind."""

    start: int
    end: int
    num_start: int
    num_end: int
    value: float
    kind: str
    unit: str | None
    script: str
    has_magnitude: bool
    counter: str | None = None
    explicit_currency: bool = False
    percentage_points: bool = False
    in_range: bool = False


def _unit_after(text: str, num: Numeral) -> tuple[str, str | None, float, int, str | None]:
    """(kind, unit, factor, end, counter) from what is written right after the numeral."""
    pos = num.end
    m = APPROX_AFTER_RE.match(text, pos)
    after = m.end() if m else pos
    if pm := PERCENT_RE.match(text, after):
        return "percent", "percent", 1.0, pm.end(), pm.group("pct")
    if (tm := TENTHS_RE.match(text, after)) and num.value <= 10:
        if (tail := TENTHS_TAIL_RE.match(text, tm.end())) and num.value:
            digit = CN_DIGITS.get(tail.group(), tail.group())
            return "percent", "percent", 10.0 + int(digit) / num.value, tail.end(), None  # 一成五 = 15%
        return "percent", "percent", 10.0, tm.end(), None
    if (mm := MULTIPLE_RE.match(text, after)) and (num.script == "arabic" or "倍" in mm.group() or "fold" in mm.group()):
        return "multiple", "multiple", 1.0 + (0.5 / num.value if mm.group("half") and num.value else 0), mm.end(), None
    if cur := currency_after(text, after):
        return "money", cur[0], 1.0, cur[1], None
    return _unit_after_rest(text, num, after)


def _unit_after_rest(text: str, num: Numeral, after: int) -> tuple[str, str | None, float, int, str | None]:
    """Second half of `_unit_after`: ages, dates, durations, counters, else bare."""
    if am := AGE_RE.match(text, after):
        return "age", None, 1.0, am.end(), None
    if mm := MEASURE_RE.match(text, after):
        return "measure", None, 1.0, mm.end(), None
    if dm := DURATION_RE.match(text, after):
        return _duration(dm)
    if DATE_RE.match(text, after):
        return "date", None, 1.0, after, None
    if cm := COUNTER_RE.match(text, after):
        if cm.group("counter") in ("亿", "万"):
            return "bare", None, 1.0, after, None
        return "count", "count", 1.0, cm.end(), cm.group("counter")
    return "bare", None, 1.0, after, None


def _duration(m: re.Match[str]) -> tuple[str, str | None, float, int, str | None]:
    """Delivery-capable durations become days/hours; months and years stay plain durations."""
    word = m.group("dur").lower().lstrip("-").replace("business ", "").replace("working ", "")
    if word in ("小时", "钟头", "hour", "hours", "hr", "hrs"):
        return "duration", "hours", 1.0, m.end(), word
    if word in ("天", "日", "工作日", "个工作日", "day", "days"):
        return "duration", "days", 1.0, m.end(), word
    if word in DAYS_PER:
        return "duration", "days", float(DAYS_PER[word]), m.end(), word
    return "duration", None, 1.0, m.end(), word


DOT_THOUSANDS_CURRENCIES = frozenset({"IDR", "VND"})
DOT_THOUSANDS_RE = re.compile(r"\d{1,3}\.\d{3}(?![\d.,])")


def _build(text: str, num: Numeral) -> Quantity:
    """Attach currency, sign and unit to one numeral."""
    kind, unit, factor, end, counter = _unit_after(text, num)
    start, explicit = num.start, kind == "money"
    before = currency_before(text, num.start)
    if before and kind in ("bare", "count", "money"):
        kind, unit, start, explicit = "money", before[0] if kind != "money" or unit == "CNY" else unit, before[1], True
        end = max(end, num.end) if counter is None else num.end
    if PERCENT_PREFIX_RE.search(text[max(0, num.start - 4):num.start]):
        kind, unit, start = "percent", "percent", num.start - 3
    value = num.value * factor
    if kind == "money" and unit in DOT_THOUSANDS_CURRENCIES and DOT_THOUSANDS_RE.match(text, num.start):
        value *= 1000  # 'Rp 185.000', '52.000 ₫': the dot groups thousands in rupiah and dong
    if NEGATIVE_BEFORE_RE.search(text[max(0, start - 2):start]):
        value, start = -value, start - 1
    return Quantity(start, end, num.start, num.end, value, kind, unit, num.script,
                    num.has_magnitude or (num.script == "chinese" and any(c in "万亿" for c in text[num.start:num.end])),
                    counter, explicit and kind == "money", bool(counter and "点" in counter or counter and "point" in counter))


def _fractions(text: str) -> list[Quantity]:
    """'3分之1', '三分之一', 'one-third of' as percents."""
    found = []
    written = FRACTION_RE.finditer(text) if FRACTION_NEEDS in text else ()
    for m in written:
        den, numr = (_parse_any(m.group("den")), _parse_any(m.group("num")))
        if den and numr is not None and den > 0:
            found.append(Quantity(m.start(), m.end(), m.start(), m.end(), round(100 * numr / den, 2),
                                  "percent", "percent", "fraction", False))
    lowered = ascii_lower(text)
    if not any(word in lowered for word in EN_FRACTION_NEEDS):
        return found
    for m in EN_FRACTION_RE.finditer(lowered):
        if NOT_FRACTION_BEFORE_RE.search(lowered[max(0, m.start() - 8):m.start()]):
            continue
        value = {"one-third": 100 / 3, "a third": 100 / 3, "two-thirds": 200 / 3, "one-quarter": 25.0,
                 "three-quarters": 75.0, "one-fifth": 20.0, "a fifth": 20.0, "one-tenth": 10.0}.get(m.group("frac").lower(), 50.0)
        found.append(Quantity(m.start(), m.end(), m.start(), m.end(), round(value, 2), "percent", "percent", "fraction", False))
    return found


def _parse_any(text: str) -> float | None:
    """Arabic or Chinese numeral string to a float."""
    return parse_arabic(text) if text[0].isdigit() else parse_chinese(text)


def _word_multiples(text: str) -> list[Quantity]:
    """翻倍, 翻番, doubled, tripled... as growth multiples."""
    found: list[Quantity] = []
    lowered = ascii_lower(text)
    if not any(word in lowered for word in WORD_MULTIPLE_NEEDS):
        return found
    for m in WORD_MULTIPLE_RE.finditer(lowered):
        if m.group("en") and m.start() > 0 and lowered[m.start() - 1].isalpha() and lowered[m.start() - 1].isascii():
            continue
        word = (m.group("cn") or m.group("en")).lower()
        value = WORD_MULTIPLES.get(word, WORD_MULTIPLES.get(word.rsplit(" ", 1)[-1], 2.0))
        found.append(Quantity(m.start(), m.end(), m.start(), m.end(), float(value), "multiple", "multiple", "word", False))
    return found


YEAR_LIKE_RE = re.compile(r"(?:19|20)\d\d")
RANGE_JOIN_RE = re.compile(r"\s*(?:-|~|–|至|到|to|and)\s*(?:US\$|\$|€|£|¥|RMB|S\$|RM)?\s*$")
FROM_BEFORE_RE = re.compile(r"(?:从|由|from|between)\s*(?:约|about)?\s*(?:US\$|\$|€|£|¥|RMB)?\s*$", re.IGNORECASE)
BETWEEN_BEFORE_RE = re.compile(r"between\s*(?:US\$|\$|€|£|¥|RMB)?\s*$", re.IGNORECASE)


def _mark_ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """Flag both ends of '2-3%', '12 to 13 billion', '18 至 34 岁' (a range is not a fact)."""
    flags = [False] * len(found)
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        gap = text[a.end:b.start] if b.start >= a.end else None
        if gap is None or len(gap) > 8 or not RANGE_JOIN_RE.fullmatch(gap):
            continue
        if a.kind != b.kind and (a.kind != "bare" or YEAR_LIKE_RE.fullmatch(text, a.num_start, a.num_end)):
            continue  # 'from $600 million in 2016 to $23 billion': a year and an amount are no range
        head = text[max(0, a.start - 12):a.start]
        word = gap.strip().lower()
        if word in ("to", "到", "至") and FROM_BEFORE_RE.search(head):
            continue
        if word == "and" and not BETWEEN_BEFORE_RE.search(head):
            continue
        flags[i] = flags[i + 1] = True
    return [replace(q, in_range=True) if flag else q for q, flag in zip(found, flags, strict=True)]


def find_quantities(text: str, limit: int | None = None) -> list[Quantity]:
    """Every quantity in normalized text (the first `limit` numerals), in order, ranges flagged."""
    numbers = [_build(text, n) for n in find_numerals(text, limit=limit)]
    extra = _fractions(text) + _word_multiples(text)
    taken = [(q.start, q.end) for q in extra]
    numbers = [q for q in numbers if not any(s <= q.num_start < e for s, e in taken)]
    found: list[Quantity] = []
    for q in sorted(numbers + extra, key=lambda q: (q.start, q.start - q.end)):
        if found and q.start < found[-1].end:
            continue
        found.append(q)
    return _mark_ranges(text, found)
