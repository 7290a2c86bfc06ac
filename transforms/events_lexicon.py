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
    good = []
    for fragment in sorted(set(fragments), key=len, reverse=True):
        try:
            re.compile(fragment)
            good.append(fragment)
        except re.error as exc:
            LOG.warning("bad trigger pattern %r: %s", fragment, exc)
    if not good:
        return NEVER
    return re.compile("|".join(f"(?:{f})" for f in good), re.IGNORECASE)


@lru_cache(maxsize=1)
def patterns() -> dict[str, re.Pattern[str]]:
    """Compiled pattern per event type and per context kind, built once per process."""
    fragments: dict[str, list[str]] = {kind: [] for kind in EVENT_TYPES + CONTEXT_KINDS}
    for row in _rows():
        kind = (row.get("event_type") or "").strip()
        pattern = (row.get("pattern") or "").strip()
        if kind in fragments and pattern:
            fragments[kind].append(normalize(pattern))
    return {kind: _compile(frags) for kind, frags in fragments.items()}


def find_triggers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, event_type) of every trigger; of overlapping ones the leftmost, then the longest, wins."""
    compiled = patterns()
    found = [(m.start(), m.end(), kind) for kind in EVENT_TYPES
             for m in compiled[kind].finditer(text) if m.end() > m.start()]
    found.sort(key=lambda f: (f[0], f[0] - f[1]))
    kept: list[tuple[int, int, str]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


def context(kind: str) -> re.Pattern[str]:
    """Compiled pattern of one context kind (_regulator, _launch_object...)."""
    return patterns().get(kind, NEVER)
