"""Event trigger vocabulary from reference/event_triggers.csv, compiled once.

Triggers are data so an analyst can add a word without touching code; each row is a small
regex fragment and every fragment of one event type joins one alternation, longest first.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from transforms.reference import read_csv_rows
from transforms.textnorm import normalize

LOG = logging.getLogger(__name__)

TRIGGER_FILE = "event_triggers.csv"
EVENT_TYPES = ("ban", "regulation", "merger_acquisition", "partnership", "launch", "exit",
               "funding", "layoff", "leadership_change")
CONTEXT_KINDS = ("_org_suffix", "_regulator", "_launch_object", "_app_word", "_negation",
                 "_partner_marker")
NEVER = re.compile(r"(?!)")


def _rows() -> tuple[dict[str, str], ...]:
    """The trigger file's rows, or none when it cannot be read (extraction then finds nothing)."""
    try:
        return read_csv_rows(TRIGGER_FILE)
    except (OSError, ValueError) as exc:
        LOG.warning("trigger file %s unreadable: %s", TRIGGER_FILE, exc)
        return ()


def _compile(fragments: list[str]) -> re.Pattern[str]:
    """One case-insensitive alternation of fragments, longest fragment first; bad rows are skipped."""
    return _compile_plain(fragments, re.IGNORECASE)


def _fragments() -> dict[str, list[str]]:
    """Normalized regex fragments per event type and context kind, from the trigger file."""
    fragments: dict[str, list[str]] = {kind: [] for kind in EVENT_TYPES + CONTEXT_KINDS}
    for row in _rows():
        kind = (row.get("event_type") or "").strip()
        pattern = (row.get("pattern") or "").strip()
        if kind in fragments and pattern:
            fragments[kind].append(normalize(pattern))
    return fragments


@lru_cache(maxsize=1)
def patterns() -> dict[str, re.Pattern[str]]:
    """Compiled pattern per event type and per context kind, built once per process."""
    return {kind: _compile(frags) for kind, frags in _fragments().items()}


@lru_cache(maxsize=1)
def trigger_scanners() -> tuple[re.Pattern[str], ...]:
    """Two fast passes over a text, Chinese triggers and English ones (case-insensitive), all types at once."""
    chinese, english = [], []
    for row in _rows():
        kind, pattern = (row.get("event_type") or "").strip(), (row.get("pattern") or "").strip()
        if kind in EVENT_TYPES and pattern:
            (english if row.get("script") == "en" else chinese).append(normalize(pattern))
    return _compile_plain(chinese, 0), _compile_plain(english, re.IGNORECASE)


def _compile_plain(fragments: list[str], flags: int) -> re.Pattern[str]:
    """One alternation of the valid fragments, longest first, without capturing groups (they slow the scan)."""
    good = [f for f in sorted(set(fragments), key=len, reverse=True) if _valid(f)]
    return re.compile("|".join(f"(?:{f})" for f in good), flags) if good else NEVER


def _valid(fragment: str) -> bool:
    """Whether a fragment compiles; a bad row is logged and skipped."""
    try:
        re.compile(fragment)
    except re.error as exc:
        LOG.warning("bad trigger pattern %r: %s", fragment, exc)
        return False
    return True


def _type_at(text: str, start: int) -> tuple[int, str] | None:
    """(end, event_type) of the longest trigger of any type starting at `start`."""
    best: tuple[int, str] | None = None
    for kind in EVENT_TYPES:
        match = patterns()[kind].match(text, start)
        if match and match.end() > start and (best is None or match.end() > best[0]):
            best = (match.end(), kind)
    return best


def find_triggers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, event_type) of every trigger, leftmost first; at one spot the longest wins."""
    spots = sorted({m.start() for scanner in trigger_scanners() for m in scanner.finditer(text)})
    out: list[tuple[int, int, str]] = []
    for start in spots:
        if out and start < out[-1][1]:
            continue
        found = _type_at(text, start)
        if found:
            out.append((start, found[0], found[1]))
    return out


def context(kind: str) -> re.Pattern[str]:
    """Compiled pattern of one context kind (_regulator, _launch_object...)."""
    return patterns().get(kind, NEVER)
