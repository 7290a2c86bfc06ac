"""Cue words of attribution, read from reference/cues.csv: vocabulary is data, the grammar stays in code.

`cue_pattern(role)` matches the cues of one role; `find_cues(text, roles)` finds the cues of several
roles in one pass over a text (a trie-shaped regex over its lower-cased copy), for the lookups that
run once per figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from transforms.gazetteer import compile_aliases, read_reference
from transforms.textnorm import ascii_lower, normalize


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue word found in a text: its span and role."""

    start: int
    end: int
    role: str


@cache
def cue_words(role: str) -> tuple[str, ...]:
    """The cues of one role, normalized like the text and longest first (so an alternation prefers 但是 to 但)."""
    words = {normalize(row["cue"].strip()) for row in read_reference("cues.csv") if row.get("role", "").strip() == role}
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


@cache
def cue_pattern(role: str) -> re.Pattern[str]:
    """One regex matching any cue of the role, Latin cues as whole words in any case ('each' is not in
    'reached'); it never matches when the role has none."""
    words = cue_words(role)
    alternatives = [rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" if w.isascii() else re.escape(w) for w in words]
    return re.compile("|".join(alternatives) if alternatives else r"(?!)", re.IGNORECASE)


@cache
def _trie(roles: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One trie regex over the lower-cased cues of `roles`, and the role of each cue (the first role listed wins)."""
    role_of: dict[str, str] = {}
    for role in roles:
        for word in cue_words(role):
            role_of.setdefault(word.lower(), role)
    return compile_aliases(role_of), role_of


def find_cues(text: str, roles: tuple[str, ...], extra: re.Pattern[str] | None = None) -> list[Cue]:
    """Every cue of `roles` in `text`, case-blind, whole Latin words; with `extra` (named groups = roles),
    its matches too; earliest first, and where two overlap the one that starts first (else the longer)."""
    pattern, role_of = _trie(roles)
    found = [Cue(m.start(), m.end(), role_of[m.group()]) for m in pattern.finditer(ascii_lower(text))]
    if extra is not None:
        found += [Cue(m.start(), m.end(), m.lastgroup or "") for m in extra.finditer(text)]
    found.sort(key=lambda c: (c.start, c.start - c.end))
    kept: list[Cue] = []
    for cue in found:
        if not kept or cue.start >= kept[-1].end:
            kept.append(cue)
    return kept


def strip_connective(name: str) -> int:
    """How many leading characters of a found name are a clause connective ('然而香港电视' -> 2)."""
    m = cue_pattern("connective").match(name)
    return m.end() if m and m.end() < len(name) - 1 else 0
