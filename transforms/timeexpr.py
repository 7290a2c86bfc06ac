"""Time expressions in normalized text, as periods (YYYY, YYYY-Qn, YYYY-Hn, YYYY-MM, YYYY-MM-DD).

Events and people moves take their period from the sentence, else from the nearest earlier
time in the paragraph; a month or season without a year borrows the year of the nearest
earlier dated mention, and relative words (去年, last year) resolve against the publication date.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from transforms.events_lexicon import CASELESS_TRAPS, Needs, needed_literals, present

LOG = logging.getLogger(__name__)

YEAR = r"(?P<year>19[5-9]\d|20[0-4]\d)"
MONTH_NUM = r"(?P<month>1[0-2]|0?[1-9])"
DAY_NUM = r"(?P<day>3[01]|[12]\d|0?[1-9])"
QUARTER = r"(?P<quarter>[一二三四1-4]|first|second|third|fourth|1st|2nd|3rd|4th)"
ZH_PART = r"(?P<part>年初|初|年底|年末|底|末|上半年|下半年|前半年|后半年)"
ZH_REL = r"(?P<rel>去年|今年|明年|前年)"
EN_MONTH = (r"(?P<mname>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
            r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
EN_HALF = r"(?:H(?P<half>[12])|(?P<halfword>first|second|1st|2nd)\s+half)"
EN_EDGE = r"(?P<edge>early|late|end of|start of|beginning of)"
EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december")

TIME_PATTERNS = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
    ("zh_day", rf"{YEAR}\s*年\s*{MONTH_NUM}\s*月\s*{DAY_NUM}\s*[日号]"),
    ("zh_month", rf"{YEAR}\s*年\s*{MONTH_NUM}\s*月"),
    ("zh_quarter", rf"{YEAR}\s*(?:财|会计|财政)?年(?:度)?\s*(?:第\s*|Q)(?P<quarter>[一二三四1-4])(?:\s*季度?)?"),
    ("zh_part", rf"{YEAR}\s*年?{ZH_PART}"),
    ("year", rf"{YEAR}\s*年(?!\d)"),
    ("zh_rel", rf"{ZH_REL}(?:{ZH_PART}|第{QUARTER}季度?)?"),
    ("quarter", rf"(?<![\d年])第{QUARTER}季度?"),
    ("month", r"(?<![\d年.])(?P<month>1[0-2]|[1-9])\s*月(?:\s*(?P<day>3[01]|[12]\d|[1-9])\s*[日号])?"),
    ("en_day", rf"\b{EN_MONTH}\s+(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?,?\s+{YEAR}\b"),
    ("en_month", rf"\b{EN_MONTH}\s+(?:of\s+)?{YEAR}\b"),
    ("en_quarter", rf"\b(?:Q(?P<quarter>[1-4])|(?P<qword>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)\s*(?:of\s+)?(?:fiscal\s+)?{YEAR}\b"),
    ("en_half", rf"\b{EN_HALF}\s*(?:of\s+)?{YEAR}\b"),
    ("en_edge", rf"\b{EN_EDGE}\s+{YEAR}\b"),
    ("en_rel", r"\b(?P<rel>last|this|next)\s+(?P<unit>year|month|quarter)\b"),
    ("zh_rel_month", r"(?P<rel>上个?|本|这个|下个?)(?P<unit>月|季度)(?!份?\d)"),
    ("en_bare_month", rf"\b(?:in|since|by|during|from|of)\s+{EN_MONTH}\b(?!\s+\d)"),
    ("year", rf"(?<![\d.,$])\b{YEAR}\b(?!\s*(?:[\d%亿万千百元]|美元|million|billion|bn|m\b|users|units|orders))"),
))
BASE_MARKER = re.compile(r"(?:比|较|相比|相较|对比|compared (?:with|to)|than(?: in)?|up from|down from|from)\s*(?:the\s+|于)?$",
                         re.IGNORECASE)
ZH_PART_PERIOD = {"年初": "Q1", "初": "Q1", "年底": "Q4", "年末": "Q4", "底": "Q4", "末": "Q4",
                  "上半年": "H1", "前半年": "H1", "下半年": "H2", "后半年": "H2"}
EN_EDGE_PERIOD = {"early": "Q1", "start of": "Q1", "beginning of": "Q1", "late": "Q4", "end of": "Q4"}
QUARTER_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "first": 1, "second": 2, "third": 3, "fourth": 4,
                 "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
REL_OFFSET = {"前年": -2, "去年": -1, "今年": 0, "明年": 1, "last": -1, "this": 0, "next": 1,
              "上": -1, "上个": -1, "本": 0, "这个": 0, "下": 1, "下个": 1}
UNIT_WORDS = {"月": "month", "季度": "quarter"}


@dataclass(frozen=True, slots=True)
class TimeMention:
    """One time expression: its span, its period (None when unresolvable) and whether it is a comparison base."""

    start: int
    end: int
    period: str | None
    year: int | None
    is_base: bool


def _quarter(word: str) -> int:
    """Quarter number from a digit, a Chinese numeral or an English ordinal."""
    return QUARTER_WORDS.get(word.lower(), int(word) if word.isdigit() else 1)


def _month_number(name: str) -> int:
    """Month number of an English month name or abbreviation."""
    key = name.lower().rstrip(".")[:3]
    return next((i for i, m in enumerate(EN_MONTHS, 1) if m.startswith(key)), 1)


def _with_year(kind: str, g: dict[str, str | None], year: int) -> str:
    """Period of a mention once its year is known (written, relative or borrowed)."""
    if g.get("day") and g.get("month"):
        return f"{year}-{int(g['month']):02d}-{int(g['day']):02d}"
    if g.get("day") and g.get("mname"):
        return f"{year}-{_month_number(g['mname']):02d}-{int(g['day']):02d}"
    if g.get("month"):
        return f"{year}-{int(g['month']):02d}"
    if g.get("mname"):
        return f"{year}-{_month_number(g['mname']):02d}"
    if g.get("quarter") or g.get("qword"):
        return f"{year}-Q{_quarter(g.get('quarter') or g['qword'])}"
    if g.get("part"):
        return f"{year}-{ZH_PART_PERIOD[g['part']]}"
    if g.get("half") or g.get("halfword"):
        first = (g.get("half") or "") == "1" or (g.get("halfword") or "").lower() in ("first", "1st")
        return f"{year}-H{1 if first else 2}"
    if g.get("edge"):
        return f"{year}-{EN_EDGE_PERIOD[g['edge'].lower()]}"
    return str(year)


def _relative(g: dict[str, str | None], published: date) -> str:
    """Period of 去年/今年/last month/this quarter..., resolved against the publication date."""
    offset = REL_OFFSET[(g["rel"] or "").lower()]
    unit = (g.get("unit") or "year").lower()
    unit = UNIT_WORDS.get(unit, unit)
    if unit == "month":
        month = published.year * 12 + published.month - 1 + offset
        return f"{month // 12}-{month % 12 + 1:02d}"
    if unit == "quarter":
        quarter = published.year * 4 + (published.month - 1) // 3 + offset
        return f"{quarter // 4}-Q{quarter % 4 + 1}"
    return _with_year("zh_rel", g, published.year + offset)


Resolver = Callable[[int | None], "str | None"]


@lru_cache(maxsize=1)
def _pattern_needs() -> tuple[Needs, ...]:
    """Per time pattern, the lower-cased literals it cannot match without (a year needs 19 or 20)."""
    return tuple(needed_literals(pattern.pattern, re.IGNORECASE) for _kind, pattern in TIME_PATTERNS)


def _live_patterns(text: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The time patterns that may match the text, in their usual order: the others are skipped unscanned."""
    if CASELESS_TRAPS.intersection(text):
        return TIME_PATTERNS
    return tuple(TIME_PATTERNS[i] for i in present(_pattern_needs(), text.lower()))


def _own_candidates(text: str, published: date | None) -> list[tuple[int, int, Resolver]]:
    """This module's matches, each with a function from a borrowed year to its period."""
    out: list[tuple[int, int, Resolver]] = []
    for kind, pattern in _live_patterns(text):
        for m in pattern.finditer(text):
            g = m.groupdict()
            if g.get("year"):
                fixed = _with_year(kind, g, int(g["year"]))
                out.append((m.start(), m.end(), lambda _y, p=fixed: p))
            elif g.get("rel"):
                fixed = _relative(g, published) if published else None
                out.append((m.start(), m.end(), lambda _y, p=fixed: p))
            else:
                out.append((m.start(), m.end(),
                            lambda y, k=kind, gg=g: _with_year(k, gg, y) if y else None))
    return out


def _shared_candidates(text: str, published: date | None) -> list[tuple[int, int, Resolver]]:
    """Matches of the fact grammar's time rules (festivals, fiscal years, ISO dates), when it is installed."""
    try:
        from transforms.facts.periods import find_times as shared_find_times
    except ImportError:
        return []
    try:
        mentions = shared_find_times(text, published)
    except (ValueError, KeyError, IndexError, AttributeError) as exc:
        LOG.warning("shared time grammar failed: %s", exc)
        return []
    return [(t.start, t.end, lambda y, t=t: t.period(y)) for t in mentions]


def _candidates(text: str, published: date | None) -> list[tuple[int, int, Resolver]]:
    """Non-overlapping time matches of both grammars: leftmost, then longest; the shared one wins a tie."""
    found = _shared_candidates(text, published) + _own_candidates(text, published)
    order = sorted(range(len(found)), key=lambda i: (found[i][0], found[i][0] - found[i][1], i))
    out: list[tuple[int, int, Resolver]] = []
    for i in order:
        if not out or found[i][0] >= out[-1][1]:
            out.append(found[i])
    return out


def find_times(text: str, published: date | None = None) -> list[TimeMention]:
    """Every time expression of one paragraph of normalized text, in order, with years carried forward."""
    out: list[TimeMention] = []
    year_hint = published.year if published else None
    for start, end, resolve in _candidates(text, published):
        period = resolve(None) or (resolve(year_hint) if year_hint else None)
        year = int(period[:4]) if period and period[:4].isdigit() else None
        if year is not None:
            year_hint = year
        is_base = bool(BASE_MARKER.search(text[max(0, start - 16):start]))
        out.append(TimeMention(start, end, period, year, is_base))
    return out


def period_near(times: list[TimeMention], start: int, end: int, anchor: int | None = None) -> str | None:
    """Period of a sentence [start, end): its time nearest before the anchor, else the nearest earlier one."""
    inside = [t for t in times if start <= t.start < end and t.period and not t.is_base]
    if inside:
        before = [t for t in inside if anchor is None or t.start <= anchor]
        return (before[-1] if before and anchor is not None else inside[0]).period
    earlier = [t for t in times if t.end <= start and t.period and not t.is_base]
    return earlier[-1].period if earlier else None
