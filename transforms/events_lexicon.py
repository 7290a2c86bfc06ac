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
                 "_partner_marker", "_demand", "_generic_company", "_backref", "_listing_object",
                 "_law_word", "_org_word", "_person_role_before", "_person_role_after",
                 "_cn_org_suffix", "_cn_name_stop", "_cn_org_generic", "_not_org_word", "_person_role", "_cn_quoted_org", "_needs_regulator", "_vague_deal", "_sale")
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


@lru_cache(maxsize=1)
def trigger_indexes() -> tuple[StartIndex | None, ...]:
    """The two scanners as start indexes (None for one the index cannot describe: it is then scanned whole)."""
    chinese, english = trigger_fragments()
    return start_index(chinese, 0), start_index(english, re.IGNORECASE)


def _spots(text: str) -> list[int]:
    """Start offsets of the two scanners' matches over the text, in order, without repeats."""
    indexes = trigger_indexes()
    if any(index is None for index in indexes):
        return sorted({m.start() for scanner in _scanners_for(text) for m in scanner.finditer(text)})
    return sorted({start for index in indexes for start, _end in index.spans(text)})


def find_triggers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, event_type) of every trigger, leftmost first; at one spot the longest wins."""
    spots = _spots(text)
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


class StartIndex:
    """An alternation split by the characters its matches can start with, so a scan tries only those spots.

    sre tries every alternative at every position of a text; here one character-class pass finds
    the few positions where a match can begin, and each is tried with only the alternatives that
    can begin with its character, in their original order: the same matches, a fraction of the work.
    """

    def __init__(self, fragments: list[str], flags: int, candidates: re.Pattern[str],
                 firsts: list[frozenset[str]], after_gap: bool = False) -> None:
        self.fragments, self.flags, self.candidates = fragments, flags, candidates
        self.after_gap = after_gap  # candidates match the non-word character before a start
        self.full = _join(fragments, flags)
        self.caseless = bool(flags & re.IGNORECASE)
        self.by_char: dict[str, re.Pattern[str]] = {}
        chosen: dict[tuple[int, ...], re.Pattern[str]] = {}
        for char in sorted(frozenset().union(*firsts)):
            indexes = tuple(i for i, first in enumerate(firsts) if char in first)
            if indexes not in chosen:
                chosen[indexes] = _join([fragments[i] for i in indexes], flags)
            self.by_char[char] = chosen[indexes]

    def usable(self, text: str) -> bool:
        """False when the text holds a character that matches a caseless literal unseen by the index (K, ſ...)."""
        return not (self.caseless and TRAP_CHARS.search(text))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every match of the whole alternation's finditer over the text."""
        if not self.usable(text):
            return [m.span() for m in self.full.finditer(text)]
        out: list[tuple[int, int]] = []
        pos = 0
        by_char = self.by_char
        for start in self.starts(text):
            if start < pos:
                continue
            hit = by_char[text[start]].match(text, start)
            if hit:
                out.append((start, hit.end()))
                pos = hit.end()
        return out

    def starts(self, text: str) -> list[int]:
        """Positions where a match may begin (a superset), for `matches_at`."""
        if not self.after_gap:
            return [m.start() for m in self.candidates.finditer(text)]
        first = [0] if text[:1] in self.by_char else []
        return first + [m.end() for m in self.candidates.finditer(text)]

    def matches_at(self, text: str, pos: int, end: int) -> bool:
        """Whether the alternation matches text[pos:end] from its start (pos one of `starts`)."""
        return pos < end and self.by_char[text[pos]].match(text, pos, end) is not None


WORD_CHAR = re.compile(r"\w")
TRAP_CHARS = re.compile("[" + "".join(sorted(CASELESS_TRAPS)) + "]")


def start_index(fragments: list[str] | tuple[str, ...], flags: int) -> StartIndex | None:
    """A StartIndex of ordered fragments, or None when one of them may start with any character or match empty."""
    firsts: list[frozenset[str]] = []
    tails_after: list[dict[str, frozenset[str]] | None] = []
    bounded: list[bool] = []
    caseless = bool(flags & re.IGNORECASE)
    for fragment in fragments:
        try:
            parsed = regex_parser.parse(fragment, flags)
        except (re.error, TypeError, ValueError):
            return None
        if parsed.state.groups > 1 or parsed.state.flags & ~re.UNICODE != flags & ~re.UNICODE:
            return None  # capture groups renumber in a subset; inline global flags change what a literal matches
        items = list(parsed)
        first = _first_chars(items, caseless, top=True)
        if first is None or first[1]:
            return None
        firsts.append(first[0])
        bounded.append(first[2])
        tails_after.append(_tails(items, caseless, HEAD) or _tails(items, caseless, 2))
    if not fragments:
        return None
    chars = sorted(frozenset().union(*firsts))
    alternatives = []
    for char in chars:
        starting = [i for i, first in enumerate(firsts) if char in first]
        tails = [tails_after[i].get(char) if tails_after[i] is not None else None for i in starting]
        ahead = "" if None in tails else "(?=" + "|".join(map(re.escape, sorted(frozenset().union(*tails)))) + ")"
        alternatives.append((re.escape(char), r"(?<=\b.)" if all(bounded[i] for i in starting) else "", ahead))
    after_gap = all(bounded) and all(WORD_CHAR.match(char) for char in chars)
    if after_gap:
        # Every match starts a word: look only after non-word characters (few in any text), then at what follows.
        lead = "[" + "".join(a[0] for a in alternatives) + "]"
        candidates = rf"\W(?={lead})(?=" + "|".join(a[0] + a[2] for a in alternatives) + ")"
    else:
        # Every alternative leads with a literal, so sre skips other characters without trying them.
        candidates = "|".join("".join(a) for a in alternatives)
    try:
        return StartIndex(list(fragments), flags, re.compile(candidates, re.DOTALL), firsts, after_gap)
    except re.error:
        return None


def _tails(items: list, caseless: bool, size: int) -> dict[str, frozenset[str]] | None:
    """Per first character, the size - 1 characters a match may go on with; None when unknown or a match may be shorter."""
    heads = _heads(items, caseless, size)
    if heads is None or any(len(head) < size for head in heads):
        return None
    out: dict[str, set[str]] = {}
    for head in heads:
        out.setdefault(head[0], set()).add(head[1:])
    return {char: frozenset(tails) for char, tails in out.items()}


HEAD = 3  # how many leading characters a start index checks
MAX_HEADS = 4096
ZERO_WIDTH = (regex_parser.AT, regex_parser.ASSERT, regex_parser.ASSERT_NOT)


def _heads(items: list, caseless: bool, size: int) -> frozenset[str] | None:
    """Every possible start of a sequence's match, `size` characters long (shorter only where a match ends); None if unknown."""
    partial, done = {""}, set()
    for op, arg in items:
        if op in ZERO_WIDTH:
            continue
        tails = _item_heads(op, arg, caseless, size)
        if tails is None:
            return None
        grown = {(head + tail)[:size] for head in partial for tail in tails}
        done |= {g for g in grown if len(g) == size}
        partial = {g for g in grown if len(g) < size}
        if len(done) + len(partial) > MAX_HEADS:
            return None
        if not partial:
            break
    return frozenset(done | partial)


def _item_heads(op: object, arg: object, caseless: bool, size: int) -> frozenset[str] | set[str] | None:
    """_heads of one parsed item."""
    if op is regex_parser.LITERAL:
        return _variants(chr(arg), caseless)
    if op is regex_parser.IN:
        return _class_chars(arg, caseless)
    if op is regex_parser.SUBPATTERN:
        return None if arg[1] or arg[2] else _heads(list(arg[-1]), caseless, size)
    if op is regex_parser.BRANCH:
        alts = [_heads(list(alt), caseless, size) for alt in arg[1]]
        return None if None in alts else frozenset().union(*alts)
    if op in (regex_parser.MAX_REPEAT, regex_parser.MIN_REPEAT):
        low, high, sub = arg
        once = _heads(list(sub), caseless, size)
        if once is None or "" in once:
            return None
        out = {""} if low == 0 else set()
        seqs = {""}
        for count in range(1, min(high, size) + 1):
            seqs = {(head + tail)[:size] if len(head) < size else head for head in seqs for tail in once}
            if count >= low:
                out |= seqs
        if low > min(high, size):
            out |= {h for h in seqs if len(h) == size}
        return out
    return None


def _first_chars(items: list, caseless: bool, top: bool = False) -> tuple[frozenset[str], bool, bool] | None:
    """(characters a match may start with, whether the sequence may match empty, whether a \\b leads), or None if unknown."""
    out: set[str] = set()
    bounded = False
    for op, arg in items:
        if op is regex_parser.AT:
            bounded = bounded or (top and not out and arg is regex_parser.AT_BOUNDARY)
            continue
        if op in (regex_parser.ASSERT, regex_parser.ASSERT_NOT):
            continue
        if op is regex_parser.LITERAL:
            chars, empty = _variants(chr(arg), caseless), False
        elif op is regex_parser.IN:
            chars, empty = _class_chars(arg, caseless), False
        elif op is regex_parser.SUBPATTERN:
            if arg[1] or arg[2]:
                return None
            inner = _first_chars(list(arg[-1]), caseless)
            chars, empty = (inner[0], inner[1]) if inner else (None, False)
        elif op is regex_parser.BRANCH:
            alts = [_first_chars(list(alt), caseless) for alt in arg[1]]
            if any(a is None for a in alts):
                return None
            chars, empty = frozenset().union(*(a[0] for a in alts)), any(a[1] for a in alts)
        elif op in (regex_parser.MAX_REPEAT, regex_parser.MIN_REPEAT):
            inner = _first_chars(list(arg[2]), caseless)
            chars, empty = (inner[0], inner[1] or arg[0] == 0) if inner else (None, False)
        else:
            return None
        if chars is None:
            return None
        out |= chars
        if not empty:
            return frozenset(out), False, bounded
    return frozenset(out), True, bounded


def _variants(char: str, caseless: bool) -> frozenset[str] | None:
    """The characters a literal matches: itself, or both ASCII cases when caseless; None for other cased letters."""
    if not caseless or char.lower() == char.upper():
        return frozenset(char)
    return frozenset((char.lower(), char.upper())) if char.isascii() else None


SPACE_CODES = tuple(code for code in range(0x3001) if chr(code).isspace())  # \s of a str pattern: none lies above U+3000


def _class_chars(items: list, caseless: bool) -> frozenset[str] | None:
    """The characters a small [...] class matches, or None for categories, negations and wide ranges."""
    out: set[str] = set()
    for op, arg in items:
        if op is regex_parser.LITERAL:
            codes = [arg]
        elif op is regex_parser.CATEGORY and arg is regex_parser.CATEGORY_SPACE:
            codes = SPACE_CODES
        elif op is regex_parser.RANGE and arg[1] - arg[0] < 128:
            codes = range(arg[0], arg[1] + 1)
        else:
            return None
        for code in codes:
            chars = _variants(chr(code), caseless)
            if chars is None:
                return None
            out |= chars
    return frozenset(out)


def top_level_alternatives(pattern: str) -> list[str] | None:
    """A pattern cut at its top-level | (outside groups, classes and escapes), or None if a part does not compile."""
    parts, depth, start, i, class_open = [], 0, 0, 0, -1
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if class_open >= 0:
            class_open = class_open if char != "]" or i == class_open else -1
        elif char == "[":
            class_open = i + 2 if pattern.startswith("^", i + 1) else i + 1  # a ] right after [ or [^ is literal
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts if all(map(_compiles, parts)) else None


def _compiles(fragment: str) -> bool:
    """Whether a fragment compiles on its own (a quiet _valid, for trial cuts)."""
    try:
        re.compile(fragment)
    except re.error:
        return False
    return True
