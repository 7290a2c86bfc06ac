"""Boilerplate line rules, loaded once from reference/boilerplate.yaml.

Receives the YAML file (at import); gives BOILERPLATE: the patterns of a boilerplate line
(any length, or short lines only), the stop headings after which the article is over, and
`stop_key` to compare a line with them. A missing or broken file gives empty rules and a
warning: bodies then keep their boilerplate lines.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

LOG = logging.getLogger(__name__)

REFERENCE = Path(__file__).resolve().parents[2] / "reference" / "boilerplate.yaml"


@dataclass(frozen=True, slots=True)
class PatternSet:
    """Regexes of which any may match a line: the ones anchored with ^ as one alternation tried
    at the start only, each other one on its own so the regex engine can skip ahead to its
    literal (one big alternation is tried branch by branch at every position, 2-5x slower)."""

    anchored: tuple[re.Pattern[str], ...]
    floating: tuple[re.Pattern[str], ...]

    def search(self, text: str) -> bool:
        """True when any of the patterns matches somewhere in text."""
        for pattern in self.anchored:
            if pattern.search(text):
                return True
        for pattern in self.floating:
            if pattern.search(text):
                return True
        return False


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Line patterns loaded once from reference/boilerplate.yaml."""

    line: PatternSet
    line_any_length: PatternSet
    stop: frozenset[str]
    max_line_chars: int


def _load_boilerplate(path: Path = REFERENCE) -> Boilerplate:
    """Compiled boilerplate rules; empty rules (with a warning) when the file is missing."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        LOG.warning("boilerplate rules unavailable (%s): bodies will keep boilerplate lines", exc)
        data = {}
    return Boilerplate(
        line=_alternation(data.get("line") or []),
        line_any_length=_alternation(data.get("line_any_length") or []),
        stop=frozenset(stop_key(s) for s in data.get("stop") or []),
        max_line_chars=int(data.get("max_line_chars", 80)),
    )


def _alternation(patterns: list[str]) -> PatternSet:
    """Case-insensitive regexes matching where any of the patterns does (never when empty)."""
    anchored = [p for p in patterns if _anchored(p)]
    # most open with ^\W*: skipping the leading non-letters once, then trying the rests, is the
    # same test as trying each pattern from the start (and 2x faster)
    rests = [p[len(LEADING_NON_LETTERS):] for p in anchored if _leading_non_letters(p)]
    others = [p for p in anchored if not _leading_non_letters(p)]
    groups = [LEADING_NON_LETTERS + "(?:" + "|".join(f"(?:{r})" for r in rests) + ")"] if rests else []
    groups += ["|".join(f"(?:{p})" for p in others)] if others else []
    return PatternSet(
        anchored=tuple(re.compile(g, re.I) for g in groups),
        floating=tuple(re.compile(p, re.I) for p in patterns if not _anchored(p)),
    )


LEADING_NON_LETTERS = "^\\W*"


def _leading_non_letters(pattern: str) -> bool:
    """True when a pattern is ^\\W* followed by something that does not modify that repeat."""
    return pattern.startswith(LEADING_NON_LETTERS) and pattern[len(LEADING_NON_LETTERS):][:1] not in ("?", "*", "+", "{")


def _anchored(pattern: str) -> bool:
    """True when a pattern can only match at the start: it opens with ^ and has no top-level |."""
    if not pattern.startswith("^"):
        return False
    depth, index, in_class = 0, 0, False
    while index < len(pattern):
        ch = pattern[index]
        if ch == "\\":
            index += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            index += 2 if pattern[index + 1:index + 2] == "^" else 1
            index += 1 if pattern[index:index + 1] == "]" else 0  # a leading ] is a literal
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
        index += 1
    return True


NOT_LETTERS = re.compile(r"[\W_\d]+")


def stop_key(line: str) -> str:
    """A line reduced to its letters, lowercased, for comparison with stop headings."""
    return NOT_LETTERS.sub("", line).lower()


BOILERPLATE = _load_boilerplate()
