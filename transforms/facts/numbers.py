"""Number grammar: Arabic, Chinese and English numerals with their magnitudes, parsed to floats.

Runs on normalized text (see transforms.textnorm). Each piece is a named pattern; NUMBER_RE
finds the numeral, MAGNITUDE_RE (anchored at its end) the multiplier written after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_DIGITS = 16
MAX_CHINESE_CHARS = 40

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_MAGNITUDES = {"兆": 1e12, "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8,
                 "千万": 1e7, "百万": 1e6, "十万": 1e5, "万": 1e4, "千": 1e3, "百": 1e2}
EN_MAGNITUDES = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9,
                 # Portuguese, Spanish and Indonesian magnitudes quoted in English and Chinese reports
                 "bilhões": 1e9, "bilhão": 1e9, "milhões": 1e6, "milhão": 1e6, "mil millones": 1e9, "millones": 1e6,
                 "millón": 1e6, "triliun": 1e12, "miliar": 1e9, "juta": 1e6,
                 "lakh crore": 1e12, "crore": 1e7, "lakh": 1e5, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}
EN_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
            "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
            "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
            "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12}
EN_FRACTIONS = {"half": 50.0, "one-half": 50.0, "one-third": 100 / 3, "a third": 100 / 3,
                "two-thirds": 200 / 3, "one-quarter": 25.0, "a quarter": 25.0,
                "three-quarters": 75.0, "one-fifth": 20.0, "a fifth": 20.0, "one-tenth": 10.0}

ARABIC = r"(?P<arabic>\d+(?:,\d{3})*(?:\.\d+)?)"
CHINESE = r"(?P<chinese>[零〇一二两三四五六七八九十百千万亿]+)"
EN_WORD_ALT = "|".join(sorted(EN_WORDS, key=len, reverse=True))
ENGLISH = r"(?P<english>[A-Za-z]+(?:-[A-Za-z]+)?)"
NUMBER_RE = re.compile(f"{ARABIC}|{CHINESE}|{ENGLISH}")
# NUMBER_RE's three kinds start with disjoint characters, so its matches are those of each kind apart;
# each pattern below opens with a character class, which lets the regex engine skip to candidates.
ARABIC_RE = re.compile(r"\d\d*(?:,\d{3})*(?:\.\d+)?")
CHINESE_RE = re.compile(r"[零〇一二两三四五六七八九十百千万亿][零〇一二两三四五六七八九十百千万亿]*")


def _any_case(word: str) -> str:
    """'ne' -> '[nN][eE]': case-blind without re.IGNORECASE (which hides the first-character class)."""
    return "".join(f"[{c}{c.upper()}]" for c in word)


# Most English words are not numbers: only whole letter runs that may be number words are looked for
# (any first letter of one, then the rest of any; `_english_heads` keeps the real ones).
EN_NUMBER_WORD_RE = re.compile(
    "[" + "".join(sorted({w[0] + w[0].upper() for w in EN_WORDS})) + "](?<![A-Za-z].)(?:"
    + "|".join(_any_case(w[1:]) for w in sorted(EN_WORDS, key=len, reverse=True)) + ")(?![A-Za-z])")
EN_TAIL_RE = re.compile(r"-[A-Za-z]+")
ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
CN_UNIT_FOLLOWS_RE = re.compile(r"[多余来]?\s?[个家名位种款单笔件次人座间条场所只台辆份项支枚户股手大倍成%万亿千百天周月年小时日号分秒岁]")

CN_MAGNITUDE = "|".join(sorted(CN_MAGNITUDES, key=len, reverse=True)) + r"|兆(?![瓦赫字位帕焦欧伏])"
EN_MAGNITUDE_WORD = (r"(?:trillion|billion|million|thousand|lakh crore|crore|lakh|bilhões|bilhão|milhões|milhão|mil millones|"
                     r"millones|millón|triliun|miliar|juta)")
EN_MAGNITUDE_ABBR = r"(?:tn|bn|mn|mln|[mbk])"
EN_MAGNITUDE_ABBR_SPACED = r"(?:tn|bn|mn|mln)"  # '$4.3 bn'; a single letter after a space is a unit ('4.3 m'), not a magnitude
MAGNITUDE_RE = re.compile(
    rf"(?:[多余]?\s?(?P<cn>{CN_MAGNITUDE})|[\s-]?(?P<enw>{EN_MAGNITUDE_WORD})(?![A-Za-z])"
    rf"|\s?(?P<abbr>{EN_MAGNITUDE_ABBR_SPACED})(?![A-Za-z])|(?P<abbr1>{EN_MAGNITUDE_ABBR})(?![A-Za-z]))", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Numeral:
    """A numeral as written: its span (numeral plus magnitude) and value in base units."""

    start: int
    end: int
    value: float
    script: str
    has_magnitude: bool


def parse_arabic(text: str) -> float | None:
    """'1,040.5' -> 1040.5; None when the digit run is absurdly long (a phone, an id, garbage)."""
    digits = text.replace(",", "")
    if len(digits.split(".")[0]) > MAX_DIGITS:
        return None
    try:
        return float(digits)
    except ValueError:
        return None


def parse_chinese(text: str) -> float | None:
    """'一千二百' -> 1200, '两千' -> 2000, '三亿五千万' -> 350000000; digit strings like '二〇二四' too."""
    if len(text) > MAX_CHINESE_CHARS or (not any(ch in CN_DIGITS or ch == "十" for ch in text) and text[0] not in "百千"):
        return None
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:
        return float("".join(str(CN_DIGITS[ch]) for ch in text))
    total = section = number = 0.0
    for ch in text:
        if ch in CN_DIGITS:
            number = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (number or 1) * CN_UNITS[ch]
            number = 0
        elif ch == "万":
            total += (section + number or 1) * 1e4
            section = number = 0
        elif ch == "亿":
            total = (total + section + number or 1) * 1e8
            section = number = 0
    return total + section + number


def parse_english(text: str) -> float | None:
    """'twenty-five' -> 25, 'eight' -> 8."""
    head, _, tail = text.lower().partition("-")
    value = EN_WORDS.get(head)
    if value is None:
        return None
    return float(value + (EN_WORDS.get(tail, 0) if tail else 0))


def magnitude_at(text: str, pos: int, script: str) -> tuple[float, int]:
    """(multiplier, end) of a magnitude written right after a numeral, or (1, pos)."""
    m = MAGNITUDE_RE.match(text, pos)
    if not m:
        return 1.0, pos
    if m.group("cn"):
        if script == "chinese":
            return 1.0, pos
        return CN_MAGNITUDES[m.group("cn")], m.end()
    word = (m.group("enw") or m.group("abbr") or m.group("abbr1")).lower()
    if script == "chinese":
        return 1.0, pos
    return EN_MAGNITUDES[word], m.end()


def _value(kind: str, numeral: str) -> float | None:
    """Value of one numeral of a kind (a NUMBER_RE group name)."""
    if kind == "arabic":
        return parse_arabic(numeral)
    if kind == "chinese":
        return parse_chinese(numeral)
    return parse_english(numeral)


def _english_heads(text: str) -> list[tuple[int, int, str]]:
    """(start, end, 'english') of the English matches of NUMBER_RE whose first word is a number word.

    NUMBER_RE takes 'word' or 'word-word': in a hyphen chain a-b-c-d it matches a-b and c-d, so a
    number word starts a match only at an even place of its chain.
    """
    found = []
    for m in EN_NUMBER_WORD_RE.finditer(text):
        if m.group().lower() not in EN_WORDS:
            continue
        place, start = 0, m.start()
        while start >= 2 and text[start - 1] == "-" and text[start - 2] in ASCII_LETTERS:
            start -= 2
            while start > 0 and text[start - 1] in ASCII_LETTERS:
                start -= 1
            place += 1
        if place % 2 == 0:
            tail = EN_TAIL_RE.match(text, m.end())
            found.append((m.start(), tail.end() if tail else m.end(), "english"))
    return found


def _numeral_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the NUMBER_RE matches that can be numbers, in text order."""
    found = [(m.start(), m.end(), "arabic") for m in ARABIC_RE.finditer(text)]
    chinese = [(m.start(), m.end(), "chinese") for m in CHINESE_RE.finditer(text)]
    english = _english_heads(text)
    return sorted(found + chinese + english) if chinese or english else found


SPACE_GROUP_RE = re.compile(r"\d{3}")
SPACE_HEAD_RE = re.compile(r"\d{1,3}(?: \d{3})*")


def find_numerals(text: str, need_unit: bool = True, limit: int | None = None) -> list[Numeral]:
    """Every numeral in normalized text with its magnitude applied.

    With `need_unit`, a Chinese numeral counts only before a unit (一家, 三成, 两周): alone,
    一 and 十 are mostly words (一起, 十分).
    """
    found = []
    for start, stop, kind in _numeral_spans(text):
        numeral = text[start:stop]
        if (need_unit and kind == "chinese" and not CN_UNIT_FOLLOWS_RE.match(text, stop)
                and "万" not in numeral and "亿" not in numeral):
            continue
        value = _value(kind, numeral)
        if value is None:
            continue
        factor, end = magnitude_at(text, stop, kind)
        previous = found[-1] if found else None
        if previous is not None and kind == "arabic" and previous.script == "arabic" and not previous.has_magnitude \
                and previous.end == start - 1 and text[previous.end] == " " and SPACE_GROUP_RE.fullmatch(numeral) \
                and SPACE_HEAD_RE.fullmatch(text, previous.start, previous.end):
            found[-1] = Numeral(previous.start, end, (previous.value * 1000 + value) * factor, "arabic", factor != 1.0)
            continue  # '1 500 million', '11 588亿元': a space groups thousands
        if previous is not None and previous.end == start and factor == 1e4 and previous.value % 1e8 == 0 \
                and previous.value >= 1e8 and value * factor < 1e8:
            found[-1] = Numeral(previous.start, end, previous.value + value * factor, previous.script, True)
            continue  # '1亿6,400万' is one number, 164,000,000
        found.append(Numeral(start, end, value * factor, kind, factor != 1.0))
        if limit is not None and len(found) >= limit:
            break
    return found


def parse_number(text: str) -> float | None:
    """The value of a whole string written as one number ('1.2万', '1.5bn', '一千二百'), else None."""
    found = find_numerals(text.strip(), need_unit=False)
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(text.strip()):
        return None
    return found[0].value
