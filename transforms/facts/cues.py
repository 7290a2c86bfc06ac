"""Cue words of attribution, read from reference/cues.csv: vocabulary is data, the grammar stays in code."""

from __future__ import annotations

import re
from functools import cache

from transforms.gazetteer import read_reference
from transforms.textnorm import normalize


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


def strip_connective(name: str) -> int:
    """How many leading characters of a found name are a clause connective ('然而香港电视' -> 2)."""
    m = cue_pattern("connective").match(name)
    return m.end() if m and m.end() < len(name) - 1 else 0
