"""Property tests for the number grammar: every written form parses back to its value.

Also: the extractor never raises on arbitrary text and stays fast on hostile input.
"""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.facts import extract_facts
from transforms.facts.numbers import parse_number
from transforms.facts.quantities import find_quantities
from transforms.model import Article
from transforms.textnorm import normalize

CN_DIGITS = "零一二三四五六七八九"
EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
EN_ABBR = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12}
CN_SCALES = {"万": 1e4, "亿": 1e8, "万亿": 1e12}


def close(a: float | None, b: float) -> bool:
    """Equal within a relative 1e-9 (float noise of decimal scaling)."""
    return a is not None and abs(a - b) <= 1e-9 * max(1.0, abs(b))


def chinese_below_10000(n: int, leading: bool = True) -> str:
    """1234 -> 一千二百三十四, 2000 -> 两千 style (两 for a leading 2 before 千/百)."""
    out, zero = "", False
    for unit, char in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        word = "两" if digit == 2 and char in "千百" and not out and leading else CN_DIGITS[digit]
        out += word + char
    return out


def chinese(n: int) -> str:
    """Chinese numeral for 1 <= n < 10**12, with 万 and 亿 sections."""
    yi, rest = divmod(n, 10**8)
    wan, low = divmod(rest, 10**4)
    parts = []
    if yi:
        parts.append(chinese_below_10000(yi) + "亿")
    if wan:
        parts.append(("零" if yi and wan < 1000 else "") + chinese_below_10000(wan) + "万")
    if low:
        parts.append(("零" if (yi or wan) and low < 1000 else "") + chinese_below_10000(low))
    return "".join(parts)


@given(st.integers(min_value=0, max_value=10**13))
def test_arabic_with_commas(n: int) -> None:
    """1,234,567 parses to 1234567."""
    assert close(parse_number(f"{n:,}"), n)


@given(st.integers(min_value=0, max_value=10**13))
def test_arabic_plain(n: int) -> None:
    """Plain digit strings parse to their value."""
    assert close(parse_number(str(n)), n)


@given(st.integers(min_value=11, max_value=10**11 - 1))
def test_chinese_numerals(n: int) -> None:
    """一千二百, 两千, 三亿五千万 parse back to the integer they spell."""
    assert close(parse_number(chinese(n)), n), chinese(n)


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=2),
       st.sampled_from(sorted(CN_SCALES)))
def test_mixed_chinese_magnitude(units: int, decimals: int, scale: str) -> None:
    """1.2万, 15亿, 0.9万亿, 1,040 亿 parse to value times magnitude."""
    value = units / 10**decimals
    text = f"{value:,.{decimals}f}{scale}"
    assert close(parse_number(text), round(value, decimals) * CN_SCALES[scale])


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=2),
       st.sampled_from(sorted(EN_SCALES)), st.booleans())
def test_english_magnitude_words(units: int, decimals: int, scale: str, space: bool) -> None:
    """1.5 billion, 33.2 million, 12-billion parse to value times magnitude."""
    value = round(units / 10**decimals, decimals)
    text = f"{value:.{decimals}f}{' ' if space else '-'}{scale}"
    assert close(parse_number(text), value * EN_SCALES[scale])


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=2),
       st.sampled_from(sorted(EN_ABBR)))
def test_english_magnitude_abbreviations(units: int, decimals: int, scale: str) -> None:
    """1.5bn, 33.2m, 7.5k parse to value times magnitude."""
    value = round(units / 10**decimals, decimals)
    assert close(parse_number(f"{value:.{decimals}f}{scale}"), value * EN_ABBR[scale])


@given(st.integers(min_value=1, max_value=99))
def test_english_number_words(n: int) -> None:
    """'eight', 'twenty-five' parse to their value."""
    ones = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    word = ones[n] if n < 20 else tens[n // 10] + (f"-{ones[n % 10]}" if n % 10 else "")
    assert close(parse_number(word), n)


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["%", " per cent", " percent", "％"]))
def test_percent_forms(n: int, sign: str) -> None:
    """80%, 80 per cent, 80％ are percent quantities of 80."""
    found = find_quantities(normalize(f"增长{n}{sign}"))
    assert [(q.kind, q.value) for q in found] == [("percent", n)]


@given(st.integers(min_value=1, max_value=9))
def test_tenths(n: int) -> None:
    """3成 and 三成 are 30 percent."""
    for text in (f"{n}成", f"{CN_DIGITS[n]}成"):
        found = find_quantities(text)
        assert [(q.kind, q.value) for q in found] == [("percent", n * 10)], text


@given(st.integers(min_value=2, max_value=9), st.data())
def test_fractions(den: int, data: st.DataObject) -> None:
    """3分之1 and 三分之一 keep their value as a percent."""
    num = data.draw(st.integers(min_value=1, max_value=den - 1))
    for text in (f"{den}分之{num}", f"{CN_DIGITS[den]}分之{CN_DIGITS[num]}"):
        found = find_quantities(text)
        assert len(found) == 1 and abs(found[0].value - 100 * num / den) < 0.01, text


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_extractor_never_raises(text: str) -> None:
    """Arbitrary text, of any script and shape, gives a list of facts and no exception."""
    facts = extract_facts(Article(url="x", body=text, title=text[:20]))
    assert isinstance(facts, list)


@given(st.lists(st.sampled_from(["亿", "万", "美元", "%", "1", "2,3", ".", "GMV", "增长", "年", "月", " ",
                                 "\n", "比", "-", "至", "US$", "bn", "翻倍", "TikTok", "印尼", "Q3", "去年"]),
                max_size=80))
@settings(max_examples=300, deadline=None)
def test_extractor_never_raises_on_number_soup(tokens: list[str]) -> None:
    """Dense mixes of numbers, units and keywords stress every grammar at once."""
    body = "".join(tokens)
    for fact in extract_facts(Article(url="x", body=body)):
        assert 0 <= fact.span_start < fact.span_end <= len(body)


def test_megabyte_of_digits_is_fast() -> None:
    """1 MB of digits (and of digits with separators) finishes quickly: no catastrophic backtracking."""
    for body in ("7" * 1_000_000, "1,2" * 300_000, "1.1." * 250_000, "一" * 500_000):
        start = time.perf_counter()
        extract_facts(Article(url="x", body=body))
        assert time.perf_counter() - start < 10, body[:10]
