"""The language of a page: what it declares (<html lang>, content-language), and what the
script of its body text says (zh, ja, ko or en).

Receives a Page (extract_lang) or body text (guess_lang); returns a short code or None.
"""

from __future__ import annotations

import re

from transforms.article.metadata import meta_values
from transforms.article.page import Page
from transforms.article.text import run_chars

CJK_LANGS = frozenset(("zh", "ja", "ko"))
LANG_CODE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$")
LETTER_RUN = re.compile(r"[^\W\d_]+")
KANA = re.compile(r"[\u3040-\u30ff]")
KANA_RUN = re.compile(KANA.pattern + "+")
HANGUL = re.compile(r"[\uac00-\ud7af]")
HANGUL_RUN = re.compile(HANGUL.pattern + "+")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
ASCII_LETTER_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ASCII_LETTER_RUN = re.compile(r"[a-zA-Z\u0130\u212a]+")  # characters whose lower() is in a..z (İ and K too)


def extract_lang(page: Page) -> str | None:
    """The language the page declares (<html lang>, content-language), as a short code."""
    declared = page.root.get("lang") or page.root.get("xml:lang") or meta_values(page).get("content-language")
    if declared:
        match = LANG_CODE.match(declared.strip().lower())
        if match:
            return match.group(1)
    return None


def guess_lang(text: str) -> str | None:
    """A rough language code from the script of the text: zh, ja, ko or en."""
    sample = text[:3000]
    if sample.isascii():  # no kana, hangul or han; every letter is an ASCII letter
        return "en" if ASCII_LETTER_RUN.search(sample) else None
    kana = run_chars(KANA_RUN, sample) if KANA.search(sample) else 0
    hangul = run_chars(HANGUL_RUN, sample) if HANGUL.search(sample) else 0
    han = run_chars(HAN_RUN, sample)
    if not kana and not hangul and han > len(sample) * 0.2:
        return "zh"  # han characters are letters, so han > 0.2 x letters too: no need to count them
    # The letters lie between the ASCII ones (with İ and K, as ASCII_LETTER_RUN counts) and
    # those plus every non-ASCII character: when the rules agree at both ends, no need to count.
    ascii_only = sample.encode("ascii", "ignore")
    plain_ascii_letters = len(ascii_only) - len(ascii_only.translate(None, ASCII_LETTER_BYTES))
    most_letters = plain_ascii_letters + len(sample) - len(ascii_only)
    fewest = plain_ascii_letters + sample.count("\u0130") + sample.count("\u212a")
    if (fewest and not (kana > fewest * 0.05 or hangul > fewest * 0.2 or han > fewest * 0.2)
            and fewest > most_letters * 0.8):
        return "en"
    letters = _letter_count(sample)
    if not letters:
        return None
    if kana > letters * 0.05:
        return "ja"
    if hangul > letters * 0.2:
        return "ko"
    if han > letters * 0.2:
        return "zh"
    ascii_letters = run_chars(ASCII_LETTER_RUN, sample)
    return "en" if ascii_letters > letters * 0.8 else None


def _letter_count(text: str) -> int:
    """How many characters of text are letters (str.isalpha), counted over word runs.

    `[^\\W\\d_]` also takes the few non-decimal numerals (², ½, 〇...), so a run that is not all
    letters is counted character by character."""
    count = 0
    for run in LETTER_RUN.findall(text):
        count += len(run) if run.isalpha() else sum(1 for ch in run if ch.isalpha())
    return count
