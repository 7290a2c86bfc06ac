"""Currency grammar: currency words before or after a number, mapped to ISO 4217 codes.

The table is reference/currencies.csv. A money figure written without a currency takes the
currency of the nearest money figure in the same paragraph (see `implicit_currency`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from transforms.gazetteer import read_reference

APPROX_WORDS = ("约", "約", "about ", "approximately ")


def _alternation(aliases: list[str]) -> str:
    """Aliases longest first; ASCII-word aliases guarded so 'RM' is not read inside 'FIRM'."""
    parts = []
    for alias in sorted(set(aliases), key=len, reverse=True):
        piece = re.escape(alias)
        if alias[0].isascii() and alias[0].isalpha():
            piece = r"(?<![A-Za-z])" + piece
        if alias[-1].isascii() and alias[-1].isalpha():
            piece += r"(?![A-Za-z])"
        parts.append(piece)
    return "|".join(parts) or r"(?!)"


@lru_cache(maxsize=1)
def currency_table() -> tuple[dict[str, str], re.Pattern[str]]:
    """(alias -> code, SUFFIX pattern for a currency written right after a number)."""
    codes: dict[str, str] = {}
    suffixes = []
    for row in read_reference("currencies.csv"):
        alias, code, position = row["alias"], row["code"].strip(), row["position"].strip()
        codes[alias] = code
        if position in ("suffix", "both"):
            suffixes.append(alias)
    return codes, re.compile(rf"\s?(?P<cur>{_alternation(suffixes)})")


@lru_cache(maxsize=1)
def _prefix_lengths() -> tuple[dict[str, str], list[int]]:
    """Prefix spellings -> code, and their lengths longest first, for a quick look behind a number."""
    codes: dict[str, str] = {}
    for row in read_reference("currencies.csv"):
        if row["position"].strip() in ("prefix", "both"):
            codes[row["alias"]] = row["code"].strip()
    return codes, sorted({len(a) for a in codes}, reverse=True)


def _currency_end(text: str, start: int) -> int:
    """Where a currency word before a number would end: skip one space and an 约/about."""
    end = start - 1 if start > 0 and text[start - 1] == " " else start
    for word in APPROX_WORDS:
        if text.endswith(word, 0, end):
            end -= len(word)
            return end - 1 if end > 0 and text[end - 1] == " " else end
    return end


def _glued_to_word(text: str, alias: str, begin: int) -> bool:
    """'FIRM5' is not RM5: a Latin currency code must start a word."""
    return alias[0].isascii() and alias[0].isalpha() and begin > 0 and text[begin - 1].isascii() and text[begin - 1].isalpha()


def currency_before(text: str, start: int) -> tuple[str, int] | None:
    """(code, start of the currency word) when a currency is written right before `start`."""
    codes, lengths = _prefix_lengths()
    end = _currency_end(text, start)
    for length in lengths:
        alias = text[end - length:end] if end >= length else ""
        if alias in codes and not _glued_to_word(text, alias, end - length):
            return codes[alias], end - length
    return None


def currency_after(text: str, end: int) -> tuple[str, int] | None:
    """(code, end of the currency word) when a currency is written right after `end`."""
    codes, suffix_re = currency_table()
    m = suffix_re.match(text, end)
    if not m:
        return None
    return codes[m.group("cur")], m.end()


def implicit_currency(position: int, money: list[tuple[int, str]]) -> str | None:
    """Currency of the nearest explicit money figure (earlier ones win ties), given (pos, code)."""
    best: tuple[int, str] | None = None
    for pos, code in money:
        distance = abs(pos - position) + (0 if pos <= position else 1)
        if best is None or distance < best[0]:
            best = (distance, code)
    return best[1] if best else None
