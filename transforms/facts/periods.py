"""Time grammar: years, quarters, halves, months, dates, festivals and relative words.

`find_times` lists every time stated in normalized text; a time without a year gets it later
from context (see attribution). Relative words are resolved against the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from transforms.gazetteer import compile_aliases, read_reference
from transforms.textnorm import ascii_lower

CN_NUM = {"首": 1, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9, "十": 10, "十一": 11, "十二": 12}
EN_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
          "sep": 9, "oct": 10, "nov": 11, "dec": 12}
RELATIVE_YEARS = {"目前": 0, "现在": 0, "当前": 0, "now": 0, "currently": 0, "去年": -1, "今年": 0, "明年": 1, "前年": -2, "本年": 0, "上年": -1, "上一年": -1,
                  "last year": -1, "this year": 0, "next year": 1, "the previous year": -1,
                  "the prior year": -1, "the past year": -1, "current year": 0,
                  "a year earlier": -1, "a year ago": -1, "a year before": -1, "the year before": -1,
                  "the year-ago period": -1, "the year-earlier period": -1, "the same period last year": -1,
                  "the same quarter last year": -1, "the year-ago quarter": -1,
                  "the same quarter a year ago": -1, "the same quarter a year earlier": -1, "the same quarter the year before": -1, "the same period a year ago": -1, "the same period a year earlier": -1, "the same period the year before": -1, "the same quarter of last year": -1, "the same period of last year": -1, "the prior-year quarter": -1, "the prior-year period": -1, "the year-earlier quarter": -1,
                  "two years ago": -2, "two years earlier": -2, "three years ago": -3, "three years earlier": -3,
                  "2 years ago": -2, "3 years ago": -3, "两年前": -2, "三年前": -3}

YEAR = r"(?P<year>(?:19[89]|20[0-4])\d)"
CN_YEAR_SUFFIX = r"\s?(?:年度|财年|会计年度|财务年度|年)"
CN_QUARTER = r"(?:第\s?(?P<q>[一二三四1-4])\s?(?:季度|财季|季)|(?P<q3>[一二三四])季度|(?P<q4>首)季(?:度)?|Q(?P<q2>[1-4]))"
CN_HALF = r"(?P<half>上半年|下半年|前半年|后半年|上半财年|下半财年|H(?P<h2>[12]))"
CN_MONTH_NUM = r"(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
CN_MONTH_PLAIN = rf"{CN_MONTH_NUM}\s?月(?:份)?(?:\s?(?P<day>[12]\d|3[01]|0?[1-9])\s?[日号])?"
CN_MONTH = rf"(?<!个)(?<![\d.]){CN_MONTH_PLAIN}"
CN_SUB_FOLLOW = rf"(?:{CN_QUARTER}|{CN_HALF}|{CN_MONTH}|(?P<edge>年初|年底|年末|年中|初|底|末))"
EN_QUARTER = r"(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter|Q(?P<q2>[1-4]))"
EN_HALF = r"(?:(?P<hord>first|second)[\s-]+half|H(?P<h2>[12]))"
EN_MONTH = (r"(?P<mname>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
            r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
YEAR_BEFORE_WORDS = frozenset({"a year earlier", "a year ago", "a year before", "the year before", "the year-ago period",
                               "the year-earlier period", "the same period last year", "the same quarter last year",
                               "the year-ago quarter", "the same quarter a year ago", "the same quarter a year earlier", "the same quarter the year before", "the same period a year ago", "the same period a year earlier", "the same period the year before", "the same quarter of last year", "the same period of last year", "the prior-year quarter", "the prior-year period", "the year-earlier quarter"})
REL_ALT = "|".join(sorted((re.escape(k) for k in RELATIVE_YEARS), key=len, reverse=True))
REL_ALT_EN = "|".join(sorted((re.escape(k) for k in RELATIVE_YEARS if k.isascii()), key=len, reverse=True))
DIGITS = "0123456789"
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Patterns start with a literal or a character class so the scanner can skip ahead; the
# "not right after" guards sit in DATED_PATTERNS and are checked after a match.
CN_DATED_RE = re.compile(rf"{YEAR}{CN_YEAR_SUFFIX}(?:\s?(?:的)?\s?{CN_SUB_FOLLOW})?")
ISO_DATE_RE = re.compile(rf"{YEAR}[-/.](?P<month>1[0-2]|0?[1-9])[-/.](?P<day>[12]\d|3[01]|0?[1-9])(?!\d)")
EN_SUB_YEAR_RE = re.compile(
    rf"(?:{EN_QUARTER.replace('Q(', 'q(')}|{EN_HALF.replace('H(', 'h(')})"
    rf"(?:\s+(?:of\s+)?(?:(?:fiscal|fy)\s?)?(?:{YEAR}|(?P<rel>{REL_ALT_EN})))?(?![a-z\d])")
YEAR_SUB_EN_RE = re.compile(rf"{YEAR}\s?(?:{EN_QUARTER}|{EN_HALF})(?![A-Za-z\d])")
EN_MONTH_RE = re.compile(rf"{EN_MONTH}(?:\s+(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?)?(?:,?\s+(?:of\s+)?{YEAR})?(?![A-Za-z\d])")
FISCAL_YEAR_RE = re.compile(rf"(?:fy\s?'?|fiscal\s+(?:year\s+)?)(?:{YEAR}|(?P<yy>[0-4]\d))(?!\d)")
BARE_YEAR_RE = re.compile(rf"(?<![\d.,$¥€£/:-]){YEAR}(?![\d%]|\s?(?:[万亿千百个家名位种款单件人元倍]|美元|percent|per cent|billion|million|bn|年代|s\b))")
CN_REL_RE = re.compile(rf"(?P<rel>去年|今年|明年|前年|本年|上年|目前|现在|当前|两年前|三年前)(?:\s?(?:的)?\s?(?:同期\s?)?{CN_SUB_FOLLOW}|\s?同期)?")
EN_REL_RE = re.compile(rf"(?P<rel>{REL_ALT_EN})(?![a-z])")
REL_QUARTER_RE = re.compile(r"(?P<rq>本季度|本季|是次季度|当季|上季度|上季|上一季度|下季度|this quarter|the quarter|last quarter|the previous quarter|"
                            r"the prior quarter|the preceding quarter|next quarter)(?![a-z-])")
THIS_QUARTER_WORDS = frozenset({"本季度", "本季", "是次季度", "当季", "this quarter", "the quarter"})
LAST_QUARTER_WORDS = frozenset({"上季度", "上季", "上一季度", "last quarter", "the previous quarter", "the prior quarter",
                                "the preceding quarter"})
# Taiwanese (ROC) years: 114年 is 2025 (FACTS.md); only with 年 and never inside a longer number
CN_ROC_RE = re.compile(rf"(?P<roc>1[01]\d){CN_YEAR_SUFFIX}(?:\s?(?:的)?\s?{CN_SUB_FOLLOW})?")
ROC_OFFSET = 1911
CN_SUB_RE = re.compile(rf"(?:{CN_QUARTER}|{CN_HALF}|(?P<edge>年初|年底|年末|年中)|{CN_MONTH_PLAIN})")
HOLIDAY_YEAR_RE = re.compile(rf"\s?'?{YEAR}(?!\d)")
SHORT_QUARTER_RE = re.compile(r"(?:(?P<q2>[1-4])Q|(?P<h2>[12])H|Q(?P<q3>[1-4])\s?')\s?(?:FY)?(?P<yy>[0-4]\d)(?![A-Za-z\d])")
REL_MONTH_RE = re.compile(r"(?P<rm>上个月|上月|本月|这个月|当月|last month|this month|the previous month)")
AMOUNT_AFTER_RE = re.compile(r"[\d.,]|\s?(?:%|[万亿千百元倍]|美元|percent|per cent|(?:b|m|tr)illion|bn|mn|x(?![a-z]))")
AMOUNT_BEFORE_RE = re.compile(r"(?:[$¥€£₩]|rmb|usd|us\$|hk\$|nt\$|rp)\s?$")
RESTATED_RE = re.compile(r"当月|当季|当年|同月|该月")
MONTH_DAY_RE = re.compile(r"(?P<month>1[0-2]|0?[1-9])/(?P<day>[12]\d|3[01]|0?[1-9])(?![\d/])")


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A stated time: span, year (None when the text gives none), and the part of the year."""

    start: int
    end: int
    year: int | None
    sub: str | None
    relative_unknown: bool = False
    anchor: str | None = None  # "quarter": 本季/this quarter; "quarter_before": 上季/last quarter; "year_before": 去年同期/a year earlier

    def period(self, year: int | None = None) -> str | None:
        """The FACTS.md period string, using `year` when the mention has none."""
        y = self.year if self.year is not None else year
        if y is None:
            return None
        return f"{y}-{self.sub}" if self.sub else str(y)


@lru_cache(maxsize=1)
def holiday_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """Festival names (reference/holidays.csv) and the sub-period each one names."""
    subs = {}
    for row in read_reference("holidays.csv"):
        month, day = row["month"].strip(), row["day"].strip()
        subs[row["alias"].lower()] = f"{month}-{day}" if day else month
    return compile_aliases({alias: alias for alias in subs}), subs


def _quarter_sub(groups: dict[str, str | None]) -> str | None:
    """'Qn' / 'Hn' / 'MM' / 'MM-DD' for whichever sub-period group matched (a match's groupdict)."""
    q = groups.get("q") or groups.get("q2") or groups.get("q3") or groups.get("q4")
    if q:
        return f"Q{CN_NUM.get(q, q)}"
    if groups.get("ord"):
        return f"Q{EN_ORDINAL[groups['ord'].lower()]}"
    return _half_sub(groups) or _month_sub(groups) or _edge_sub(groups.get("edge"))


def _half_sub(groups: dict) -> str | None:
    """'H1'/'H2' from a half-year group."""
    if groups.get("h2"):
        return f"H{groups['h2']}"
    if groups.get("hord"):
        return "H1" if groups["hord"].lower() == "first" else "H2"
    half = groups.get("half")
    if half:
        return "H1" if half[0] in "上前" else "H2"
    return None


def _month_sub(groups: dict) -> str | None:
    """'MM' or 'MM-DD' from month/day groups (Arabic, Chinese or English month names)."""
    month = groups.get("month")
    if groups.get("mname"):
        month = str(MONTHS[groups["mname"][:3].lower()])
    if not month:
        return None
    number = CN_NUM.get(month) or int(month)
    day = groups.get("day")
    return f"{number:02d}-{int(day):02d}" if day else f"{number:02d}"


def _edge_sub(edge: str | None) -> str | None:
    """年初 is Q1, 年底/年末 Q4, 年中 the middle of the year (no sub-period)."""
    if not edge:
        return None
    if edge in ("年初", "初"):
        return "Q1"
    if edge in ("年底", "年末", "底", "末"):
        return "Q4"
    return None


def _relative(groups: dict[str, str | None], published: date | None) -> tuple[int | None, bool]:
    """Year of a relative word against the publication date; flags when there is no date."""
    rel = groups["rel"]
    if not rel:
        return (int(groups["year"]) if groups.get("year") else None), False
    if published is None:
        return None, True
    return published.year + RELATIVE_YEARS.get(rel.lower(), 0), False


def _from_match(m: re.Match[str], published: date | None) -> TimeMention:
    """A TimeMention from any of the dated/relative patterns ('FY24' is 2024)."""
    groups = m.groupdict()
    year, unknown = _relative(groups, published) if "rel" in groups else (
        int(groups["year"]) if groups.get("year") else None, False)
    if year is None and groups.get("yy"):
        year = 2000 + int(groups["yy"])
    if year is None and groups.get("roc"):
        year = ROC_OFFSET + int(groups["roc"])
    sub = _quarter_sub(groups)
    rel = (groups.get("rel") or "").lower()
    anchor = "year_before" if not sub and (rel in YEAR_BEFORE_WORDS or "同期" in m.group()) and RELATIVE_YEARS.get(rel) == -1 else None
    return TimeMention(m.start(), m.end(), year, sub, unknown, anchor)


def _relative_quarter(m: re.Match[str], published: date | None) -> TimeMention:
    """本季/上季/this quarter/last quarter: anchored on the quarter the article reports on (attribution
    resolves the anchor), else resolved against the publication date."""
    word = m.group("rq").lower()
    anchor = "quarter" if word in THIS_QUARTER_WORDS else "quarter_before" if word in LAST_QUARTER_WORDS else None
    if published is None:
        return TimeMention(m.start(), m.end(), None, None, True, anchor)
    quarter = (published.month - 1) // 3 + 1
    year = published.year
    if anchor == "quarter_before":
        quarter, year = (quarter - 1, year) if quarter > 1 else (4, year - 1)
    elif word.startswith(("下", "next")):
        quarter, year = (quarter + 1, year) if quarter < 4 else (1, year + 1)
    return TimeMention(m.start(), m.end(), year, f"Q{quarter}", anchor=anchor)


def _relative_month(m: re.Match[str], published: date | None) -> TimeMention:
    """上月/本月/last month/this month resolved against the publication date."""
    if published is None:
        return TimeMention(m.start(), m.end(), None, None, True)
    year, month = published.year, published.month
    if m.group("rm").startswith(("上", "last", "the previous")):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return TimeMention(m.start(), m.end(), year, f"{month:02d}")


def _holidays(lowered: str) -> list[TimeMention]:
    """Festivals: a yearless time with their month (and day); '9.9' or '618' written as an amount is no festival."""
    pattern, subs = holiday_pattern()
    found = []
    for m in pattern.finditer(lowered):
        if m.group() not in subs or (m.start() > 0 and lowered[m.start() - 1] in ".0123456789"):
            continue
        if m.group()[0].isdigit() and (AMOUNT_AFTER_RE.match(lowered, m.end())
                                       or AMOUNT_BEFORE_RE.search(lowered, max(0, m.start() - 5), m.start())):
            continue
        year = HOLIDAY_YEAR_RE.match(lowered, m.end())
        found.append(TimeMention(m.start(), year.end() if year else m.end(),
                                 int(year.group("year")) if year else None, subs[m.group()]))
    return found


# (pattern, runs on lower-cased text, characters that may not come right before a match)
DATED_PATTERNS = ((CN_DATED_RE, False, DIGITS), (CN_ROC_RE, False, DIGITS + ".,"), (ISO_DATE_RE, False, DIGITS), (EN_SUB_YEAR_RE, True, LETTERS + DIGITS),
                  (YEAR_SUB_EN_RE, False, DIGITS + "$"), (EN_MONTH_RE, False, LETTERS), (FISCAL_YEAR_RE, True, LETTERS),
                  (CN_REL_RE, False, ""), (EN_REL_RE, True, LETTERS), (CN_SUB_RE, False, "个." + DIGITS + LETTERS),
                  (MONTH_DAY_RE, False, DIGITS + "/."), (BARE_YEAR_RE, False, ""),
                  (SHORT_QUARTER_RE, False, LETTERS + DIGITS))

# Patterns that open with a group or a lookbehind make the regex engine try every position. Each
# of these finds (at least) every position where its pattern can start, and opens with a character
# class, so the engine skips to the candidates in C; the pattern itself then runs only there.
STARTS = {
    CN_SUB_RE: re.compile(r"[第一二三四首QH上下前后年0-9十五六七八九](?=(?<=第)(?s:.){1,4}季|(?<=[一二三四])季度|(?<=首)季|(?<=[QH])[1-4]"
                          r"|(?<=[上下前后])半|(?<=年)[初底末中]|(?<=\d)\d?\s?月|(?<=十)[一二]?\s?月|(?<=[一二三四五六七八九])\s?月)"),
    EN_SUB_YEAR_RE: re.compile(r"first[\s-]|second[\s-]|third[\s-]|fourth[\s-]|1st[\s-]|2nd[\s-]|3rd[\s-]|4th[\s-]|q[1-4]|h[12]"),
    MONTH_DAY_RE: re.compile(r"\d(?=\d?/)"),
    BARE_YEAR_RE: re.compile(r"19[89]\d|20[0-4]\d"),
    SHORT_QUARTER_RE: re.compile(r"[1-4Q](?:(?<=[1-4])(?=[QH])|(?<=Q)(?=[1-4]))"),
}


# Literals a pattern cannot match without (on the text it runs on): most texts lack them all.
NEEDS = {
    CN_DATED_RE: ("年",),
    CN_ROC_RE: ("年",),
    EN_MONTH_RE: ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    FISCAL_YEAR_RE: ("fy", "fiscal"),
    EN_REL_RE: ("year", "now", "current"),
    REL_QUARTER_RE: ("季", "quarter"),
    REL_MONTH_RE: ("月", "month"),
    MONTH_DAY_RE: ("/",),
    SHORT_QUARTER_RE: ("Q", "H"),
}


def _finditer(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """`pattern.finditer(text)`, tried only where its STARTS pattern says a match may begin."""
    needs = NEEDS.get(pattern)
    if needs is not None and not any(literal in text for literal in needs):
        return []
    starts = STARTS.get(pattern)
    if starts is None:
        return list(pattern.finditer(text))
    found, pos, size = [], 0, len(text)
    search, match = starts.search, pattern.match
    while pos < size:
        candidate = search(text, pos)
        if candidate is None:
            break
        at = candidate.start()
        m = match(text, at)
        if m is None:
            pos = at + 1
            continue
        found.append(m)
        pos = m.end() if m.end() > at else at + 1
    return found


def _matches(text: str, lowered: str) -> list[re.Match[str]]:
    """Every match of the dated patterns whose preceding character is allowed."""
    found = []
    for pattern, lower, forbidden in DATED_PATTERNS:
        for m in _finditer(pattern, lowered if lower else text):
            before = text[m.start() - 1] if m.start() > 0 else ""
            if before and before in forbidden and not (before in LETTERS and not m.group()[0].isascii()):
                continue
            found.append(m)
    return found


def find_times(text: str, published: date | None = None) -> list[TimeMention]:
    """Every time stated in normalized text, non-overlapping, earliest and longest first (facts, events
    and people moves ask for the same article's times: the answer is kept for the last few texts)."""
    return list(_times(text, published))


@lru_cache(maxsize=32)
def _times(text: str, published: date | None) -> tuple[TimeMention, ...]:
    """See `find_times`."""
    lowered = ascii_lower(text)
    found = [_from_match(m, published) for m in _matches(text, lowered)]
    found += [_relative_quarter(m, published) for m in _finditer(REL_QUARTER_RE, lowered)]
    found += [_relative_month(m, published) for m in _finditer(REL_MONTH_RE, lowered)]
    found += _holidays(lowered)
    found += _more_times(text, lowered, published)
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[TimeMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        if kept and mention.start - kept[-1].end <= 1 and RESTATED_RE.match(text, mention.start):
            continue  # '2024年8月当月': 当月 restates the month just written
        kept.append(mention)
    return tuple(kept)


# --- Forms the events' and people moves' grammar read (it was transforms/timeexpr.py) that the patterns
# above do not: kept apart so they read as one addition. Each gives a TimeMention like the rest.
EN_EDGE_YEAR_RE = re.compile(rf"(?:(?P<en_edge>early|late)|(?:the\s+)?(?P<en_edge_of>end|start|beginning)\s+of)\s+{YEAR}(?![\d%])")
EN_EDGE_SUB = {"early": "Q1", "start": "Q1", "beginning": "Q1", "late": "Q4", "end": "Q4"}
EN_NUMBERED_HALF_RE = re.compile(rf"(?P<h2>[12])(?:st|nd)[\s-]+half\s+(?:of\s+)?(?:(?:fiscal|fy)\s?)?{YEAR}(?!\d)")
YEAR_PART_ZH_RE = re.compile(rf"{YEAR}\s?(?:{CN_HALF}|(?P<edge>年初|年底|年末|年中))")  # 2024上半年: a year without 年
CN_FISCAL_ZH_RE = re.compile(rf"{YEAR}\s?财政年度?(?:\s?(?:的)?\s?{CN_SUB_FOLLOW})?")  # 2024财政年度第一季度
OLD_YEAR_ZH_RE = re.compile(rf"(?P<year>19[5-7]\d)\s?年(?!代)(?:\s?(?:的)?\s?{CN_SUB_FOLLOW})?")  # 1968年: before YEAR's range
MORE_DATED_PATTERNS = ((EN_NUMBERED_HALF_RE, True, LETTERS + DIGITS), (YEAR_PART_ZH_RE, False, DIGITS),
                       (CN_FISCAL_ZH_RE, False, DIGITS), (OLD_YEAR_ZH_RE, False, DIGITS + ".,"))
MORE_QUARTER_RE = re.compile(r"上个季度|这个季度|这季度|下个季度")
QUARTER_SYNONYMS = {"上个季度": "上季度", "这个季度": "本季度", "这季度": "本季度", "下个季度": "下季度"}
NEXT_MONTH_RE = re.compile(r"下个月|下月|next month")
# Literals each of these cannot match without (on the text it runs on): most paragraphs lack them all.
MORE_NEEDS = {EN_EDGE_YEAR_RE: ("early ", "late ", "end of", "start of", "beginning of"), EN_NUMBERED_HALF_RE: ("half",),
              YEAR_PART_ZH_RE: ("半年", "年初", "年底", "年末", "年中"), CN_FISCAL_ZH_RE: ("财政",),
              OLD_YEAR_ZH_RE: ("195", "196", "197"), MORE_QUARTER_RE: ("季度",), NEXT_MONTH_RE: ("下个月", "下月", "next month")}
MORE_LITERALS = tuple(dict.fromkeys(literal.lower() for needs in MORE_NEEDS.values() for literal in needs))


def _more_finditer(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """`pattern.finditer(text)`, skipped when a literal it needs is absent."""
    return list(pattern.finditer(text)) if any(literal in text for literal in MORE_NEEDS[pattern]) else []


def _more_times(text: str, lowered: str, published: date | None) -> list[TimeMention]:
    """Times of the forms above: English year edges, 1st/2nd half, 2024上半年, 财政年度, 1950s-1970s years, 下个季度, next month."""
    if not any(literal in lowered for literal in MORE_LITERALS):
        return []
    found = [TimeMention(m.start(), m.end(), int(m.group("year")), EN_EDGE_SUB[m.group("en_edge") or m.group("en_edge_of")])
             for m in _more_finditer(EN_EDGE_YEAR_RE, lowered) if not (m.start() and lowered[m.start() - 1] in LETTERS)]
    for pattern, lower, forbidden in MORE_DATED_PATTERNS:
        found += [_from_match(m, published) for m in _more_finditer(pattern, lowered if lower else text)
                  if not (m.start() and text[m.start() - 1] in forbidden)]
    for m in _more_finditer(MORE_QUARTER_RE, text):
        same = _relative_quarter(REL_QUARTER_RE.fullmatch(QUARTER_SYNONYMS[m.group()]), published)
        found.append(TimeMention(m.start(), m.end(), same.year, same.sub, same.relative_unknown, same.anchor))
    for m in _more_finditer(NEXT_MONTH_RE, lowered):
        month = published.year * 12 + published.month if published else None  # months since year 0, plus one
        found.append(TimeMention(m.start(), m.end(), month // 12, f"{month % 12 + 1:02d}") if month is not None
                     else TimeMention(m.start(), m.end(), None, None, True))
    return found
