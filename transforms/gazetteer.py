"""Entity and market gazetteers: canonical names found in normalized text, longest match first.

Reference data lives in reference/entities.csv and reference/markets.csv; aliases are
normalized with the same char-for-char table as the text, so traditional spellings match too.
"""

from __future__ import annotations

import csv
import logging
import re
from functools import lru_cache
from pathlib import Path

from transforms.textnorm import normalize

LOG = logging.getLogger(__name__)

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
ASCII_WORD = re.compile(r"[A-Za-z0-9]")
NOT_WORD_BEFORE = r"(?<![A-Za-z0-9])"
NOT_WORD_AFTER = r"(?![A-Za-z0-9$])"
GUARD_AFTER_FIRST = r"(?<![A-Za-z0-9].)"  # the first letter starts a word; placed after it so the regex scans fast


def read_reference(name: str) -> list[dict[str, str]]:
    """Rows of a reference CSV whose first line is a `# ...` comment."""
    path = REFERENCE_DIR / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        LOG.warning("reference file %s unreadable: %s", path, exc)
        return []
    body = [line for line in lines if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(body))


def _case_variants(alias: str, anycase: bool) -> set[str]:
    """The alias as written plus UPPER case; lower/Title too when the row allows any case."""
    variants = {alias, alias.upper()} if len(alias) > 3 else {alias}
    if anycase:
        variants |= {alias.lower(), alias.title()}
    return variants


def _trie_pattern(node: dict) -> str:
    """Regex for a character trie: alternatives longest-first, word guards around ASCII edges."""
    branches = []
    for char in sorted((c for c in node if c != ""), key=lambda c: -_depth(node[c])):
        rest = _trie_pattern(node[char])
        branches.append(re.escape(char) + rest)
    if "" in node:
        branches.append(NOT_WORD_AFTER if node[""] else "")
    if not branches:
        return ""
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _depth(node: dict) -> int:
    """Length of the longest alias below a trie node, to try long alternatives first."""
    return 1 + max((_depth(child) for key, child in node.items() if key != ""), default=0)


def compile_aliases(aliases: dict[str, str]) -> re.Pattern[str]:
    """One trie-shaped regex matching any alias, ASCII-word aliases only at word boundaries."""
    root: dict = {}
    for alias in aliases:
        node = root
        for char in alias:
            node = node.setdefault(char, {})
        node[""] = bool(ASCII_WORD.match(alias[-1]))
    tops = []
    for char in sorted((c for c in root if c != ""), key=lambda c: -_depth(root[c])):
        guard = GUARD_AFTER_FIRST if ASCII_WORD.match(char) else ""
        tops.append(re.escape(char) + guard + _trie_pattern(root[char]))
    if not tops:
        return re.compile(r"(?!)")
    return re.compile("|".join(tops))


class AliasMatcher:
    """The spans `compile_aliases` finds, from two smaller regexes (aliases opening with an ASCII
    character, and the others): one big alternation tries ~170 first characters in turn at every
    candidate position, two small ones far fewer. Where their matches overlap, the whole regex decides."""

    def __init__(self, aliases: dict[str, str]) -> None:
        self.whole = compile_aliases(aliases)
        self.parts = (compile_aliases({a: c for a, c in aliases.items() if a[0].isascii()}),
                      compile_aliases({a: c for a, c in aliases.items() if not a[0].isascii()}))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every non-overlapping alias, leftmost-longest, as `whole.finditer` gives them."""
        ascii_first = [m.span() for m in self.parts[0].finditer(text)]
        other_first = [m.span() for m in self.parts[1].finditer(text)]
        if not ascii_first or not other_first:
            return ascii_first or other_first
        merged = sorted(ascii_first + other_first)
        if any(merged[i][1] > merged[i + 1][0] for i in range(len(merged) - 1)):
            return [m.span() for m in self.whole.finditer(text)]  # one hid the other: rare, rescan
        return merged


class Gazetteer:
    """Aliases -> canonical names, with one compiled matcher."""

    def __init__(self, aliases: dict[str, str]) -> None:
        self.aliases = aliases
        self.pattern = compile_aliases(aliases)
        self.matcher = AliasMatcher(aliases)
        self._scan = lru_cache(maxsize=256)(self._scan_text)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical) of every non-overlapping alias, leftmost-longest."""
        return list(self._scan(text))

    def _scan_text(self, text: str) -> tuple[tuple[int, int, str], ...]:
        """The matches of `find`, kept per text: an article asks about its body several times."""
        aliases = self.aliases
        return tuple((s, e, aliases[text[s:e]]) for s, e in self.matcher.spans(text) if text[s:e] in aliases)


def _load(name: str, key: str, canonical_is_alias: bool) -> Gazetteer:
    """Build a gazetteer from a reference CSV with a canonical column and |-separated aliases."""
    aliases: dict[str, str] = {}
    for row in read_reference(name):
        canonical = row[key].strip()
        anycase = row.get("anycase", "0").strip() == "1"
        names = row["aliases"].split("|") + ([canonical] if canonical_is_alias else [])
        for alias in names:
            for variant in _case_variants(normalize(alias.strip()), anycase):
                if variant:
                    aliases.setdefault(variant, canonical)
    return Gazetteer(aliases)


@lru_cache(maxsize=1)
def entity_gazetteer() -> Gazetteer:
    """Organizations from reference/entities.csv."""
    return _load("entities.csv", "canonical", canonical_is_alias=True)


@lru_cache(maxsize=1)
def market_gazetteer() -> Gazetteer:
    """Countries and regions from reference/markets.csv."""
    return _load("markets.csv", "code", canonical_is_alias=False)


def find_entities(text: str) -> list[tuple[int, int, str]]:
    """Organizations named in normalized text as (start, end, canonical name); longest match wins."""
    return list(_entities(text))


@lru_cache(maxsize=256)
def _entities(text: str) -> tuple[tuple[int, int, str], ...]:
    """The matches of `find_entities`, kept per text."""
    found = entity_gazetteer().find(text)
    if not found:
        return ()
    inside = {i for s, e, _ in market_gazetteer().find(text) if not text[s].isascii() for i in range(s + 1, e)}
    # 拉美团队: an alias that starts inside a longer known word (拉美) is not there
    return tuple(f for f in found if text[f[0]].isascii() or f[0] not in inside)


def find_markets(text: str) -> list[tuple[int, int, str]]:
    """Markets named in normalized text as (start, end, ISO or region code); longest match wins."""
    return market_gazetteer().find(text)


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    """Country code -> region code (SEA, EUROPE, LATAM, MENA) from reference/markets.csv."""
    return {row["code"].strip(): (row.get("region") or "").strip() for row in read_reference("markets.csv")}


def market_region(code: str) -> str | None:
    """The region a country belongs to ('ID' -> 'SEA'), None for regions and unlisted countries."""
    return _regions().get(code) or None


@lru_cache(maxsize=1)
def _listed() -> frozenset[str]:
    """Canonical names that FACTS.md fixes (reference/entities.csv, listed=1)."""
    return frozenset(row["canonical"].strip() for row in read_reference("entities.csv")
                     if (row.get("listed") or "").strip() == "1")


def is_listed(canonical: str) -> bool:
    """True for FACTS.md canonical names; other organizations keep the name the article uses."""
    return canonical in _listed()
