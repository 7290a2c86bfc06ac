"""Event trigger vocabulary from reference/event_triggers.csv, compiled once.

Triggers are data so an analyst can add a word without touching code; each row is a small
regex fragment and every fragment of one event type joins one alternation, longest first.
"""

from __future__ import annotations

import logging
import re
import re._parser as regex_parser
import unicodedata
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
CASELESS_TRAPS = frozenset("\u0130\u0131\u017f\u212a")  # İ ı ſ K: match i/s/k caselessly but lower() differently
Needs = frozenset[str] | None  # literals one of which every match contains; None when unknown


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
def trigger_fragments() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Chinese and English trigger fragments of every event type, valid ones only, longest first."""
    chinese, english = [], []
    for row in _rows():
        kind, pattern = (row.get("event_type") or "").strip(), (row.get("pattern") or "").strip()
        if kind in EVENT_TYPES and pattern:
            (english if row.get("script") == "en" else chinese).append(normalize(pattern))
    return _ordered(chinese), _ordered(english)


@lru_cache(maxsize=1)
def trigger_scanners() -> tuple[re.Pattern[str], ...]:
    """Two fast passes over a text, Chinese triggers and English ones (case-insensitive), all types at once."""
    chinese, english = trigger_fragments()
    return _join(chinese, 0), _join(english, re.IGNORECASE)


@lru_cache(maxsize=1)
def trigger_needs() -> tuple[tuple[Needs, ...], tuple[Needs, ...]]:
    """Per trigger fragment, the literals it cannot match without (English ones lower-cased)."""
    chinese, english = trigger_fragments()
    return (tuple(needed_literals(f, 0) for f in chinese),
            tuple(needed_literals(f, re.IGNORECASE) for f in english))


def needed_literals(fragment: str, flags: int) -> Needs:
    """Literals one of which any match of the fragment contains, so a text lacking all of them is skipped."""
    try:
        needs = _seq_needs(list(regex_parser.parse(fragment, flags)), bool(flags & re.IGNORECASE))
    except (re.error, TypeError, ValueError):
        return None
    return needs if needs and all(needs) else None


def _seq_needs(items: list, caseless: bool) -> Needs:
    """Needed literals of a sequence: its most selective part (a run of literals, a group or a branch)."""
    best: Needs = None
    run = ""
    for op, arg in items + [(None, None)]:
        char = chr(arg) if op is regex_parser.LITERAL else ""
        if char and not (caseless and _case_trap(char)):
            run += char.lower() if caseless else char
            continue
        best = _better(best, frozenset([run]) if run else None)
        run = ""
        if op is regex_parser.SUBPATTERN:
            best = _better(best, _seq_needs(list(arg[-1]), caseless))
        elif op is regex_parser.BRANCH:
            best = _better(best, _union([_seq_needs(list(alt), caseless) for alt in arg[1]]))
        elif op in (regex_parser.MAX_REPEAT, regex_parser.MIN_REPEAT) and arg[0] >= 1:
            best = _better(best, _seq_needs(list(arg[2]), caseless))
    return best


def _case_trap(char: str) -> bool:
    """Whether a caseless literal may match a text character that lower() does not turn into it (i, s, non-ASCII letters)."""
    return char.lower() in "is" if char.isascii() else unicodedata.category(char) != "Lo"


def _union(parts: list[Needs]) -> Needs:
    """Needed literals of a branch: any alternative's, so unknown when one alternative is unknown."""
    return None if any(p is None for p in parts) else frozenset().union(*parts)


def _better(a: Needs, b: Needs) -> Needs:
    """The more selective of two needed-literal sets: longer shortest literal, then fewer literals."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b, key=lambda n: (min(map(len, n)), -len(n)))


def _scanners_for(text: str) -> tuple[re.Pattern[str], ...]:
    """The two scanners reduced to fragments whose needed literals occur in the text (same matches, less work)."""
    if CASELESS_TRAPS.intersection(text):
        return trigger_scanners()
    zh_needs, en_needs = trigger_needs()
    return (_subset_scanner(present(zh_needs, text), 0),
            _subset_scanner(present(en_needs, text.lower()), re.IGNORECASE))


def present(needs: tuple[Needs, ...], text: str) -> tuple[int, ...]:
    """Indexes of the patterns that may match the text: unknown needs, or a needed literal present (each checked once)."""
    found = {lit for lit in _all_literals(needs) if lit in text}
    return tuple(i for i, need in enumerate(needs) if need is None or not need.isdisjoint(found))


@lru_cache(maxsize=8)
def _all_literals(needs: tuple[Needs, ...]) -> frozenset[str]:
    """Every distinct needed literal of a pattern list, so each is looked for once per text."""
    return frozenset().union(*(need for need in needs if need))


@lru_cache(maxsize=2048)
def _subset_scanner(indexes: tuple[int, ...], flags: int) -> re.Pattern[str]:
    """Alternation of the chosen fragments in scanner order, compiled once per distinct choice."""
    chinese, english = trigger_fragments()
    fragments = english if flags & re.IGNORECASE else chinese
    return _join([fragments[i] for i in indexes], flags)


def _compile_plain(fragments: list[str], flags: int) -> re.Pattern[str]:
    """One alternation of the valid fragments, longest first, without capturing groups (they slow the scan)."""
    return _join(_ordered(fragments), flags)


def _ordered(fragments: list[str]) -> tuple[str, ...]:
    """Distinct valid fragments, longest first (the order an alternation tries them)."""
    return tuple(f for f in sorted(set(fragments), key=len, reverse=True) if _valid(f))


def _join(fragments: list[str] | tuple[str, ...], flags: int) -> re.Pattern[str]:
    """One non-capturing alternation of already ordered, valid fragments."""
    return re.compile("|".join(f"(?:{f})" for f in fragments), flags) if fragments else NEVER


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
    spots = sorted({m.start() for scanner in _scanners_for(text) for m in scanner.finditer(text)})
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
