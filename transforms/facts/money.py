"""Currency grammar: currency words before or after a number, mapped to ISO 4217 codes.

The table is reference/currencies.csv. A money figure written without a currency takes the
currency of the nearest money figure in the same paragraph (see `implicit_currency`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from transforms.gazetteer import read_reference

PREFIX_WINDOW = 16


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
def currency_table() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """(alias -> code, PREFIX pattern ending at the number, SUFFIX pattern starting after it)."""
    codes: dict[str, str] = {}
    prefixes, suffixes = [], []
    for row in read_reference("currencies.csv"):
        alias, code, position = row["alias"], row["code"].strip(), row["position"].strip()
        codes[alias] = code
        if position in ("prefix", "both"):
            prefixes.append(alias)
        if position in ("suffix", "both"):
            suffixes.append(alias)
    prefix_re = re.compile(rf"(?P<cur>{_alternation(prefixes)})\s?(?:约|約|about|approximately)?\s?$")
    suffix_re = re.compile(rf"\s?(?P<cur>{_alternation(suffixes)})")
    return codes, prefix_re, suffix_re


@lru_cache(maxsize=1)
def _prefix_lengths() -> tuple[dict[str, str], list[int]]:
    """Prefix spellings -> code, and their lengths longest first, for a quick look behind a number."""
    codes: dict[str, str] = {}
    for row in read_reference("currencies.csv"):
        if row["position"].strip() in ("prefix", "both"):
            codes[row["alias"]] = row["code"].strip()
    return codes, sorted({len(a) for a in codes}, reverse=True)


def currency_before(text: str, start: int) -> tuple[str, int] | None:
    """(code, start of the currency word) when a currency is written right before `start`."""
    codes, lengths = _prefix_lengths()
    end = start
    while end > 0 and text[end - 1] == " " and start - end < 1:
        end -= 1
    for word in ("约", "約", "about ", "approximately "):
        if text.endswith(word, 0, end):
            end -= len(word)
            end -= 1 if end > 0 and text[end - 1] == " " else 0
            break
    for length in lengths:
        alias = text[end - length:end] if end >= length else ""
        if alias in codes and not (alias[0].isascii() and alias[0].isalpha() and end - length > 0
                                   and text[end - length - 1].isascii() and text[end - length - 1].isalpha()):
            return codes[alias], end - length
    return None


def currency_after(text: str, end: int) -> tuple[str, int] | None:
    """(code, end of the currency word) when a currency is written right after `end`."""
    codes, _, suffix_re = currency_table()
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
