"""Offset-preserving text normalization: traditional -> simplified Chinese, full-width -> half-width.

Every mapping is one character to one character, so an offset into the normalized copy is
also an offset into the original text. Matching runs on the copy; spans point into the original.
"""

from __future__ import annotations

import logging
from array import array
from functools import lru_cache
from importlib import resources

LOG = logging.getLogger(__name__)

DICTIONARIES = ("TWVariantsRev.txt", "HKVariantsRev.txt", "TSCharacters.txt")
FULLWIDTH_FIRST, FULLWIDTH_LAST, FULLWIDTH_SHIFT = 0xFF01, 0xFF5E, 0xFEE0
EXTRA_PUNCT = {"\u3000": " ", "\u00a0": " ", "\u2014": "-", "\u2013": "-", "\u2212": "-",
}


def _read_pairs(name: str) -> list[tuple[str, str]]:
    """Single-character one-to-one pairs of one OpenCC dictionary file (first candidate wins)."""
    try:
        text = resources.files("opencc").joinpath("dictionary", name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError) as exc:
        LOG.warning("opencc dictionary %s unavailable: %s", name, exc)
        return []
    pairs = []
    for line in text.splitlines():
        key, _, values = line.partition("\t")
        target = values.split(" ")[0] if values else ""
        if len(key) == 1 and len(target) == 1:
            pairs.append((key, target))
    return pairs


def _fullwidth_table() -> dict[int, str]:
    """Full-width ASCII forms and odd spaces/dashes mapped to their plain forms."""
    table = {code: chr(code - FULLWIDTH_SHIFT) for code in range(FULLWIDTH_FIRST, FULLWIDTH_LAST + 1)}
    table.update({ord(k): v for k, v in EXTRA_PUNCT.items()})
    return table


@lru_cache(maxsize=1)
def translation_table() -> dict[int, str]:
    """The whole char -> char table, built once from the installed opencc dictionaries."""
    table: dict[int, str] = {}
    variants: dict[str, str] = {}
    for name in DICTIONARIES[:2]:
        variants.update(_read_pairs(name))
    for trad, simp in _read_pairs(DICTIONARIES[2]):
        table[ord(trad)] = simp
    for variant, standard in variants.items():
        table.setdefault(ord(variant), table.get(ord(standard), standard))
    table.update(_fullwidth_table())
    return table


@lru_cache(maxsize=1)
def translation_array() -> array:
    """The same table as code point -> code point, every code point up to the last mapped one:
    `str.translate` indexes an array about twice as fast as it looks a dict up."""
    table = translation_table()
    codes = array("I", range(max(table, default=0) + 1))
    for code, target in table.items():
        codes[code] = ord(target)  # every mapping is one character to one character
    return codes


@lru_cache(maxsize=64)
def normalize(text: str) -> str:
    """Simplified, half-width copy of `text` with exactly the same length and offsets (kept for the
    few latest texts: the facts, events and people stages each normalize the same body and title)."""
    out = text.translate(translation_array())
    return out if len(out) == len(text) else text


ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@lru_cache(maxsize=16)
def ascii_lower(text: str) -> str:
    """Lower-cased copy with the same length (so offsets still hold), for case-blind matching."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(ASCII_LOWER)
