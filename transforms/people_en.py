"""People moves in English sentences: a small pipeline, with its vocabulary in reference/people_en.csv.

1. A sentence is read only if it holds a move word (one start-index pass over the article).
2. Person mentions: capitalized names of two or three words, a surname or given name of a full name
   the article introduces, Mr./Ms. + surname, and he/she standing for the sentence's or the article's
   current subject. Each mention carries the title written around it ("eBay CFO X", "X, co-CEO of Y,").
3. Each move word is attached to its person by voice (the subject before it, the object after it,
   the predecessor after "succeeds"/"takes over from"), and reads the role and organisation after it
   ("as R", "to become R", "R of ORG", "joins ORG as R").
4. "R since <time>" (or "from <time> to <time>") tells a dated career step: a move to R at that time.
5. A title can tell the move itself: "incoming CEO X", "X, the outgoing chairman,".
A move word is void when negated or speculative in its clause, when a speech verb separates it from
its subject, or when the words after it make it no move ("joined forces", "on leave").
Organisations are the shared mentions (canonical gazetteer names, else the article's words); "the
company"/"its" stand for the article's main organisation.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from transforms.events_lexicon import StartIndex, start_index
from transforms.mentions import ArticleContext, DatedTime, Sentence, in_span
from transforms.model import PeopleMove
from transforms.reference import read_csv_rows

LOG = logging.getLogger(__name__)

VOCAB_FILE = "people_en.csv"
EN_MAX_SENTENCE = 1200
UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ\u0100-\u017f"
NAME_TOKEN = rf"(?:[OD][’'])?[{UPPER}][{LOWER}]+(?:[{UPPER}][{LOWER}]+)?(?:-[{UPPER}][{LOWER}]+)?"
PARTICLE = r"(?:de|van|von|der|den|da|di|du|le|la|bin|al|dos|del)"
# A run of capitalized words (with initials and particles between them); runs are split at non-name words later.
CAP_RUN = re.compile(rf"(?<![\w.'’-]){NAME_TOKEN}(?:\s+(?:[A-Z]\.\s+)?(?:{PARTICLE}\s+)?{NAME_TOKEN})*(?![\w-])")
# What a sentence with a move person holds: two capitalized words in a row, an honorific or he/she.
PERSON_CUE = re.compile(rf"{NAME_TOKEN}\s+(?:[A-Z]\.\s+)?{NAME_TOKEN}|\b(?:Mr|Ms|Mrs|Dr)\b|\b(?:[Hh]e|[Ss]he)\b")
SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)$")
HONORIFIC = re.compile(rf"\b(?:Mr|Ms|Mrs|Dr)\.?\s+({NAME_TOKEN}(?:\s+{NAME_TOKEN})?)(?![\w-])")
PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
OBJECT_PRONOUN = re.compile(r"\b(?:him|her(?=\s+as\b|\s*[.,;]))")
CLAUSE_STOP = re.compile(r"[,;:()\"“”—]|\s-\s|\.(?=\s|$)")
ROLE_LEAD = re.compile(r"\s*(?:(?:his|her|their|the|its)\s+(?:posts?|positions?|roles?|jobs?|titles?)\s*(?:(?:as|of)\s+)?|"
                       r"from\s+(?:the\s+)?(?:board\s+|post\s+|role\s+|position\s+)?(?:as\s+)?|by\s+|"
                       r"(?:in\s+)?as\s+|to\s+(?:become|be|serve\s+as|lead|head|run)\s+|(?:to\s+)?(?:the\s+)?(?:post|role|position|title|job)\s+of\s+|to\s+)?")
ARTICLE_LEAD = re.compile(r"^(?:one\s+of\s+)?(?:(?:its|the|a|an|their|his|her|our)\s+)?(?:(?:new|next|permanent)\s+)?", re.IGNORECASE)
ROLE_END = re.compile(r"[,;:()\"“”—.]|\s(?:with effect|effective|in|on|from|starting|after|before|when|because|until|through|"
                      r"following|alongside|replacing|succeeding|to replace|to succeed|who|which|where|and will|and would|"
                      r"but|while|said|says|amid|as of|at the end|by|for|since|later|(?:next|this|last) (?:week|month|year|quarter|spring|summer|fall|autumn|winter)|once|so|is|are|was|were|has|have|had|"
                      r"will|would|could|to report|and (?:has|had|is|was|be|become|will|would|then))\b")
SOURCE_AFTER = re.compile(r"\s+(?:has\s+|had\s+)?(?:reported|reports|said|says|told|wrote|first\s+reported)\b")
SOURCE_BEFORE = re.compile(r"\b(?:according\s+to|reported\s+by|told)\s+(?:the\s+)?$", re.IGNORECASE)
NOT_A_ROLE = re.compile(r"(?:who|which|that|one\s+of|when|where)\b", re.IGNORECASE)
ORG_LIST = re.compile(r"\s*,\s*")
KEEP_NEW_ROLE = re.compile(r"\b(?:in|into)\s+(?:an?|the)\s+((?:[\w-]+\s+){0,3}?(?:role|capacity))\b|\bas\s+(?:an?\s+)((?:[\w-]+\s+){0,2}?[\w-]+)")
SINCE_LEAD = re.compile(r"^\s*(?:who\s+|which\s+)?(?:has\s+|had\s+|have\s+|also\s+)*")
FORMER = re.compile(r"\s*(?:(?:a|an|the)\s+(?=former|ex-))?(?:(?:formerly|former|previously|ex-|most recently|currently|now)\s*)?",
                    re.IGNORECASE)
LEADING_SUB = re.compile(r"\s*(?:Before|Prior to|After|Since|Upon|On|Having)\b", re.IGNORECASE)
SERVED = re.compile(r"\b(?:served|worked|was)\s+as\s+")
TITLE_BREAK = frozenset("the a an and or of said says told that who which to by with for from in on at".split())
APPOSITION_GAP = re.compile(r"\s*,\s*(?:(?:the|its|their|a|an)\s+)?(?:[\w&.'’ -]{0,40}?['’]s\s+)?")
COORD_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)")
PASSIVE = re.compile(r"\b(?:is|was|were|been|be|being|get|gets|got|are)\s+(?:\w+ly\s+)?$")
MONTH_NAME = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b")
YEAR = re.compile(r"\d{4}|'\d{2}\b")
PRESENT_WORDS = frozenset(("currently", "now", "presently", "current", "still"))
NEGATION = re.compile(r"\b(?:not|never|no|neither|nor)\b|n't\b")
DESTINATION_LEAD = re.compile(r"\s+to\s+(?:become|be|serve\s+as|join|take\s+up|take\s+on|lead|head|run)\b")
OBJECT_ASIDE = re.compile(r",[^,;]{1,120}?,(?=\s+(?:as|to\s+(?:become|be|serve|lead|head|run))\b)")
AS_LATER = re.compile(r"\s(?:in|on|from|since|effective)\s[^,;.]{1,25}?\sas\s+")
RANGE_END = re.compile(r"\s*(?:to|until|till|through|and|-|–)\s*(?:early |mid-|late )?(?:\d{4}|[A-Z][a-z]+)")
AUXILIARY = re.compile(r"\s+(?:has|had|have|was|is)(?:\s+(?:also|long|jointly))?(?=\s)")
SUBJECT_PRONOUNS = frozenset(("he", "she", "He", "She"))
GAP_WORDS = frozenset("former ex its the a an our their his her and of longtime then current veteran to from by".split())
ROLEISH_GAP = re.compile(r"^[\s\w&.'’-]{0,45}$")


class Row(NamedTuple):
    """One vocabulary row: a compiled pattern with its direction and voice."""

    pattern: re.Pattern[str]
    direction: str
    voice: str


@dataclass(frozen=True, slots=True)
class Vocab:
    """The English vocabulary, compiled once."""

    triggers: tuple[Row, ...]
    trigger_words: re.Pattern[str]
    fragments: tuple[str, ...]
    role: re.Pattern[str]
    history: re.Pattern[str]
    not_name: frozenset[str]
    generic: frozenset[str]
    org_ref: re.Pattern[str]
    block: re.Pattern[str]
    block_from: re.Pattern[str]
    void_after: re.Pattern[str]
    speech: re.Pattern[str]
    role_word: re.Pattern[str]
    org_noun: re.Pattern[str]


def _compiles(pattern: str) -> bool:
    """Whether a vocabulary pattern is a usable regex (a bad row is skipped, not fatal for the ingest)."""
    try:
        re.compile(pattern)
    except re.error as exc:
        LOG.warning("English people vocabulary: bad pattern %r: %s", pattern, exc)
        return False
    return bool(pattern)


def _alternation(parts: list[str]) -> str:
    """One regex alternation of fragments, never empty."""
    return "|".join(f"(?:{p})" for p in parts) or r"(?!)"


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """The vocabulary file, read and compiled once (an unreadable file leaves English moves off)."""
    try:
        rows = read_csv_rows(VOCAB_FILE)
    except (OSError, ValueError) as exc:
        LOG.warning("English people vocabulary %s unreadable: %s", VOCAB_FILE, exc)
        rows = ()
    by_kind: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_kind.setdefault((row.get("kind") or "").strip(), []).append(row)
    for kind, kind_rows in by_kind.items():
        by_kind[kind] = [r for r in kind_rows if _compiles(r.get("pattern") or "")]
    triggers = tuple(Row(re.compile(rf"\b(?:{r['pattern']})\b"), r.get("direction") or "to", r.get("voice") or "subject")
                     for r in by_kind.get("trigger", []))
    fragments = tuple(row.pattern.pattern for row in triggers)

    def words(kind: str) -> frozenset[str]:
        return frozenset(w for r in by_kind.get(kind, []) for w in r["pattern"].split("|") if w)

    def joined(kind: str) -> re.Pattern[str]:
        return re.compile(_alternation([r["pattern"] for r in by_kind.get(kind, [])]))

    return Vocab(triggers, re.compile(_alternation(list(fragments))), fragments,
                 re.compile(rf"\b(?:{joined('role').pattern})s?\b"), re.compile(rf"\b(?:{joined('history').pattern})\s*"),
                 words("not_name"), words("generic"), joined("org_ref"), joined("block"), joined("block_from"),
                 joined("void_after"), joined("speech"),
                 re.compile(rf"\b(?:{joined('role').pattern})s?\b", re.IGNORECASE),
                 re.compile(rf"\s+(?:{joined('org_noun').pattern})\b"))


EN_MOVE_HINT = vocab().trigger_words


@lru_cache(maxsize=1)
def _hint_index() -> StartIndex | None:
    """The move words as a start index (they start words, so only spots after a non-word character are tried)."""
    return start_index(list(vocab().fragments), 0)


def hint_starts(text: str) -> list[int]:
    """Offsets of every move word of the text, found once per article: a sentence holding none has no English move."""
    index = _hint_index()
    if index is None:
        return [m.start() for m in EN_MOVE_HINT.finditer(text)]
    return [start for start, _end in index.spans(text)]


# ---------- persons ----------

class Person(NamedTuple):
    """A person mention: span, the name as written, and the full name it stands for."""

    start: int
    end: int
    written: str
    full: str
    ref: int = -1  # start of the named mention a pronoun stands for (-1: the mention is a name)


def _name_runs(text: str, not_name: frozenset[str], orgs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of capitalized runs split at words that never belong to a name (titles too) or that start a known organisation."""
    role = vocab().role_word
    org_starts = {s for s, _e in orgs}
    out: list[tuple[int, int]] = []
    for match in CAP_RUN.finditer(text):
        piece_start = None
        last_end = match.start()
        for token in re.finditer(r"\S+", match.group()):
            t_start, t_end = match.start() + token.start(), match.start() + token.end()
            word = token.group()
            bad = (word in not_name or t_start in org_starts or (len(word) > 2 and word.isupper())
                   or role.fullmatch(word) is not None)
            if bad:
                if piece_start is not None:
                    out.append((piece_start, last_end))
                piece_start = None
            elif piece_start is None:
                piece_start = t_start
            last_end = t_end
        if piece_start is not None:
            out.append((piece_start, last_end))
    return out


def find_persons(text: str, orgs: list[tuple[int, int]]) -> list[Person]:
    """Person mentions of a whole text: full names, then their bare surnames/given names and Mr./Ms. forms.

    A full name is two to four words with at most three capitalized ones; a single word is a person
    only when it is a part of a full name the text uses (unambiguously) or follows an honorific.
    """
    v = vocab()
    full: list[Person] = []
    singles: list[tuple[int, int]] = []
    for start, end in _name_runs(text, v.not_name, orgs):
        words = text[start:end].split()
        if len(words) == 3 and words[0].endswith(("ly", "ing", "ed")) and SENTENCE_START.search(text, max(0, start - 4), start):
            start, words = start + len(words[0]) + 1, words[1:]
        capitals = sum(1 for w in words if w[:1].isupper())
        if v.org_noun.match(text, end):
            continue  # its Worldwide Stores business: a name before 'business', 'unit'... is an organisation's
        if 2 <= capitals <= 3:
            full.append(Person(start, end, text[start:end], text[start:end]))
        elif capitals == 1:
            singles.append((start, end))
    parts: dict[str, set[str]] = {}
    for p in full:
        words = [w for w in p.full.split() if w[:1].isupper() and not w.endswith(".")]
        for w in (words[0], words[-1]):
            parts.setdefault(w, set()).add(p.full)
    out = list(full)
    taken = {p.start for p in full}
    for match in HONORIFIC.finditer(text):
        name = match.group(1)
        known = parts.get(name.split()[-1], set())
        out.append(Person(match.start(1), match.end(1), name, next(iter(known)) if len(known) == 1 and " " not in name else name))
        taken.add(match.start(1))
    for start, end in singles:
        known = parts.get(text[start:end], set())
        if start not in taken and len(known) == 1:
            out.append(Person(start, end, text[start:end], next(iter(known))))
    return sorted(out)


def _with_pronouns(ctx: ArticleContext, persons: list[Person], sent: Sentence) -> list[Person]:
    """The sentence's person mentions plus he/she, each pronoun standing for the current subject."""
    starts = [p.start for p in persons]
    inside = persons[bisect_left(starts, sent.start):bisect_left(starts, sent.end)]
    out = list(inside)
    for match in PRONOUN.finditer(ctx.text, sent.start, sent.end):
        before = [p for p in inside if p.end <= match.start()]
        subject = before[0] if before else _topic(ctx, persons, starts, sent.start)
        if subject is not None:
            out.append(Person(match.start(), match.end(), subject.full, subject.full, subject.start))
    for match in OBJECT_PRONOUN.finditer(ctx.text, sent.start, sent.end):
        earlier = _topic(ctx, persons, starts, sent.start)
        if earlier is not None:
            out.append(Person(match.start(), match.end(), earlier.full, earlier.full, earlier.start))
    return sorted(out)


def _topic(ctx: ArticleContext, persons: list[Person], starts: list[int], pos: int) -> Person | None:
    """The subject of the last earlier sentence naming a person: its first person mention."""
    i = bisect_left(starts, pos) - 1
    if i < 0:
        return None
    sent = ctx.sentence_at(persons[i].start)
    if sent is None:
        return persons[i]
    first = bisect_left(starts, sent.start)
    return persons[first] if first <= i else persons[i]


# ---------- organisations and roles ----------

def _orgs_between(ctx: ArticleContext, start: int, end: int, persons: list[Person]) -> list[tuple[int, int, str]]:
    """Organisations in [start, end): gazetteer names, else the article's words; never a person or a generic word."""
    v = vocab()
    out = []
    for org in in_span(ctx.orgs, start, end):
        if org.regulator or any(p.start < org.end and org.start < p.end for p in persons):
            continue
        surface = ctx.text[org.start:org.end]
        if not org.known and (surface in v.generic or surface.split()[0] in v.generic):
            continue
        if SOURCE_AFTER.match(ctx.text, org.end) or SOURCE_BEFORE.search(ctx.text, max(0, org.start - 16), org.start):
            continue  # As Bloomberg News reported, ...: the source of the news is no party to the move
        out.append((org.start, org.end, org.name))
    return out


def _org_ref(ctx: ArticleContext, start: int, end: int) -> str | None:
    """The article's main organisation when [start, end) refers to it ("the company", "its")."""
    return ctx.main_entity if vocab().org_ref.search(ctx.text, start, end) else None


def _clean_role(text: str) -> str | None:
    """A role without its article and trailing particles: 'its new chief executive' -> 'chief executive'."""
    role = ARTICLE_LEAD.sub("", text.strip(" ,.;:'’\"-–")).strip()
    role = re.sub(r"(?:'s|’s)$", "", role).strip()
    if NOT_A_ROLE.match(role):
        return None  # 'replaced Lucy Peng who stepped down as CEO': a relative clause is no post
    return _job_role(role) or None


def _role_org(ctx: ArticleContext, start: int, end: int, persons: list[Person], with_ref: bool = True
              ) -> tuple[str | None, str | None]:
    """(role, org) of a title phrase: 'CEO of SoftBank Group International' -> ('CEO', 'SoftBank Group International')."""
    text = ctx.text
    orgs = _orgs_between(ctx, start, end, persons)
    role_text = text[start:end]
    org = orgs[0][2] if orgs else None
    if orgs:
        o_start, o_end, _name = orgs[0]
        tail = text[o_end:end].strip()
        head = text[start:o_start]
        if not tail and re.search(r"\s(?:of|at|for)\s+(?:the\s+)?$", head):
            role_text = re.sub(r"\s(?:of|at|for)\s+(?:the\s+)?$", "", head)
        elif not head.strip(" '’s"):
            role_text = re.sub(r"^(?:'s|’s)?\s*", "", tail)
    elif with_ref and vocab().org_ref.search(text, start, end):
        org = ctx.main_entity
        owner = re.match(rf"\s*(?:{vocab().org_ref.pattern})\s*(?:'s|’s)\s+", role_text)
        role_text = role_text[owner.end():] if owner else role_text
    role = _clean_role(role_text)
    if role and not vocab().role.search(role):
        role = None
    return role, org


def _phrase_end(text: str, start: int, limit: int, times: list[DatedTime]) -> int:
    """Where a role phrase starting at `start` ends: a stop, a clause word or a time."""
    match = ROLE_END.search(text, start, limit)
    end = match.start() if match else limit
    for t in times:
        if start < t.start < end:
            end = t.start
    return min(end, start + 90)


def _read_after(ctx: ArticleContext, sent: Sentence, pos: int, persons: list[Person], times: list[DatedTime],
                with_ref: bool = True) -> tuple[str | None, str | None, int]:
    """(role, org, end) written after a move word: 'as R of ORG', 'ORG as R', 'to become R', 'the post'."""
    text = ctx.text
    lead = ROLE_LEAD.match(text, pos, sent.end)
    start = lead.end() if lead else pos
    end = _phrase_end(text, start, sent.end, times)
    orgs = _orgs_between(ctx, start, end, persons)
    if orgs and orgs[0][0] - start <= 5 and text[start:orgs[0][0]].strip() in ("", "the", "The"):
        org = orgs[0][2]
        rest = re.match(r"\s*(?:'s\s+|’s\s+)?(?:[^,;.]{0,30}?\s)?(?:as\s+|in\s+the\s+role\s+of\s+)", text[orgs[0][1]:sent.end])
        if rest:
            r_start = orgs[0][1] + rest.end()
            r_end = _phrase_end(text, r_start, sent.end, times)
            role, other = _role_org(ctx, r_start, r_end, persons)
            return role, other if other and other != org and _is_unit(text, r_start, r_end) else org, r_end
        return None, org, orgs[0][1]
    role, org = _role_org(ctx, start, end, persons, with_ref=False)
    org = org or _listed_org(ctx, sent, end, persons) or (_org_ref(ctx, start, end) if with_ref else None)
    later = AS_LATER.match(text, end, sent.end) if role is None else None
    if later:
        r_end = _phrase_end(text, later.end(), sent.end, times)
        role, other = _role_org(ctx, later.end(), r_end, persons, with_ref=False)
        org = org or other
    return role, org, end


def _is_unit(text: str, start: int, end: int) -> bool:
    """Whether a role phrase names a unit of its own ('head of Shopee', not 'head of marketing')."""
    return bool(re.search(r"\s(?:of|at)\s", text[start:end]))


def _listed_org(ctx: ArticleContext, sent: Sentence, end: int, persons: list[Person]) -> str | None:
    """An organisation named in an apposition right after a phrase: '..., Myntra and Jabong.'"""
    lead = ORG_LIST.match(ctx.text, end, sent.end)
    if not lead or ctx.text[end:end + 1] != ",":
        return None
    orgs = _orgs_between(ctx, lead.end(), sent.end, persons)
    return orgs[0][2] if orgs and orgs[0][0] == lead.end() else None


def _title_before(ctx: ArticleContext, sent: Sentence, person: Person, persons: list[Person]
                  ) -> tuple[str | None, str | None]:
    """(role, org) written before a name: 'eBay CFO X', 'Former Amazon executive X', "Shop's head of Europe, X,"."""
    text = ctx.text
    floor = max(sent.start, person.start - 70)
    gap = text[floor:person.start]
    if gap.endswith(", ") and text[person.end:person.end + 1] == ",":
        stop = max(gap[:-2].rfind(","), gap[:-2].rfind(";"))
        phrase_start = floor + stop + 1 if stop >= 0 else floor
        return _role_org(ctx, phrase_start + len(FORMER.match(text, phrase_start).group()), person.start - 2, persons)
    words = list(re.finditer(r"[\w&.'’-]+", gap))
    if not words or not vocab().role.fullmatch(words[-1].group().rstrip(".")):
        return None, None
    first = i = len(words) - 1
    while i > 0 and first - i < 3:
        i -= 1
        word = words[i].group()
        if vocab().role.fullmatch(word):
            first = i
        elif not word[:1].islower() or word in TITLE_BREAK:
            break
    start = floor + words[first].start()
    orgs = [o for o in _orgs_between(ctx, floor, start, persons) if o[1] >= start - 4]
    if orgs and re.fullmatch(r"(?:'s|’s)?\s*", text[orgs[-1][1]:start]):
        start = orgs[-1][0]
    return _role_org(ctx, start, person.start, persons)


def _apposition(ctx: ArticleContext, sent: Sentence, person: Person, persons: list[Person]
                ) -> tuple[str | None, str | None, int, int]:
    """(role, org, start, end) of ', TITLE,' after a name (not a 'who' clause); the span lets 'since' parts be cut."""
    text = ctx.text
    if text[person.end:person.end + 1] != ",":
        return None, None, -1, -1
    start = person.end + 1
    stop = CLAUSE_STOP.search(text, start, sent.end)
    end = stop.start() if stop else sent.end
    relative = re.search(r"\s(?:who|which|that|where)\s", text[start:end])
    end = start + relative.start() if relative else end
    phrase = text[start:end]
    if re.match(r"\s*(?:who|which|where|said|says|told|according)\b", phrase) or not vocab().role.search(phrase):
        return None, None, start, end
    former = FORMER.match(text, start)
    p_start = former.end() if former else start
    since = re.search(r"\s+since\s", phrase)
    p_end = start + since.start() if since else end
    role, org = _role_org(ctx, p_start, p_end, persons)
    return role, org, start, end


# ---------- moves ----------

@dataclass(slots=True)
class Draft:
    """A move being assembled from one sentence."""

    person: Person
    role_from: str | None = None
    org_from: str | None = None
    role_to: str | None = None
    org_to: str | None = None
    leaves: bool = False
    anchor: int = -1
    period: str | None = None
    successor: Person | None = None  # for a predecessor: who takes the role they leave
    pending: bool = False  # 'with Y taking over': kept only if the sentence tells whose role Y takes
    guessed_org: bool = False  # org_to is the article's main organisation, not read from the sentence
    predecessor: Person | None = None


class Trigger(NamedTuple):
    """A move word of a sentence: span, direction and voice from the vocabulary."""

    start: int
    end: int
    direction: str
    voice: str


def _triggers(ctx: ArticleContext, sent: Sentence) -> list[Trigger]:
    """The sentence's move words in order, each with its vocabulary row; blocked (negated, modal) ones dropped."""
    v = vocab()
    out = []
    for match in v.trigger_words.finditer(ctx.text, sent.start, sent.end):
        row = next((r for r in v.triggers if (hit := r.pattern.match(ctx.text, match.start())) and hit.end() == match.end()),
                   None)
        before = ctx.text[max(sent.start, match.start() - 30):match.start()]
        if (row is None or v.block.search(before) or v.void_after.match(ctx.text, match.end(), sent.end)
                or row.direction == "from" and row.voice == "subject" and v.block_from.search(before)):
            continue
        out.append(Trigger(match.start(), match.end(), row.direction, row.voice))
    return out


def _subject(ctx: ArticleContext, people: list[Person], trig: Trigger) -> Person | None:
    """The person a move word is told of: the nearest person mention before it, unless a speech verb
    lies between ('X said sales were left...': the move, if any, is not X's) or a negation ('X has no plans to')."""
    before = [p for p in people if p.end <= trig.start]
    if not before or vocab().speech.search(ctx.text, before[-1].end, trig.start):
        return None
    stops = list(CLAUSE_STOP.finditer(ctx.text, max(before[-1].end, trig.start - 80), trig.start))
    if NEGATION.search(ctx.text, stops[-1].end() if stops else max(0, trig.start - 80), trig.start):
        return None
    return before[-1]


def _coordinated(ctx: ArticleContext, people: list[Person], person: Person, after: bool) -> list[Person]:
    """Persons joined to a mention by 'and' or a comma: 'X and Y will step down', 'appointed X and Y as'."""
    out = []
    i = people.index(person)
    step = 1 if after else -1
    current = person
    while 0 <= i + step < len(people):
        other = people[i + step]
        lo, hi = (current.end, other.start) if after else (other.end, current.start)
        if lo > hi or not COORD_GAP.fullmatch(ctx.text, lo, hi) or other.full == person.full:
            break
        out.append(other)
        current, i = other, i + step
    return out


def _object(ctx: ArticleContext, people: list[Person], pos: int) -> Person | None:
    """The person right after a move word ('appointed [eBay CFO] X'): only title words between."""
    for p in people:
        if p.start >= pos:
            if ctx.text[p.start:p.end] in SUBJECT_PRONOUNS:
                return None
            gap = ctx.text[pos:p.start]
            if p.start - pos > 45 or not ROLEISH_GAP.match(gap) or re.search(r"\bas\b", gap):
                return None
            loose = [w for w in re.findall(r"[a-z][\w-]*", gap) if w not in GAP_WORDS and not vocab().role.fullmatch(w)]
            return p if len(loose) <= 2 else None
    return None


def _times(ctx: ArticleContext, sent: Sentence) -> list[DatedTime]:
    """Times of a sentence that carry a period; a yearless month takes the publication year, not an earlier
    clause's ('has led Shopee since 2015, will oversee Monee from January')."""
    published = ctx.article.published
    out = []
    for t in ctx.times(sent.para):
        if not (sent.start <= t.start < sent.end and t.period) or ctx.text[t.start:t.end].lower() in PRESENT_WORDS:
            continue
        surface = ctx.text[t.start:t.end]
        if published and MONTH_NAME.search(surface) and not YEAR.search(surface) and t.period[:4].isdigit():
            t = DatedTime(t.start, t.end, _nearest_year(published, t.period), t.is_base)  # not an earlier clause's year
        out.append(t)
    return out


def _nearest_year(published: date, period: str) -> str:
    """A yearless month's period in the year that puts it nearest the publication date."""
    month = int(period[5:7]) if len(period) >= 7 and period[5:7].isdigit() else published.month
    year = published.year - (month - published.month > 6) + (published.month - month > 6)
    return f"{year}{period[4:]}"


def _since_times(ctx: ArticleContext, sent: Sentence, times: list[DatedTime]) -> list[tuple[int, DatedTime]]:
    """(offset of 'since', time) for each 'since <time>' of the sentence, and of 'from' for 'from <time> to <time>'."""
    out = []
    for t in times:
        lead = re.search(r"\b(?:[Ss]ince\s+(?:at least\s+)?|(?P<range>[Ff]rom|[Bb]etween)\s+)$",
                         ctx.text[max(sent.start, t.start - 20):t.start])
        if lead and (not lead.group("range") or RANGE_END.match(ctx.text, t.end, sent.end)):
            out.append((max(sent.start, t.start - 20) + lead.start(), t))
    return out


def _own_times(times: list[DatedTime], trig: Trigger, triggers: list[Trigger]) -> list[DatedTime]:
    """The times a move word owns: those from it to the next move word (the first one also owns those before it):
    'X, who joined in 2016, will become CEO' dates the joining, not the becoming."""
    starts = sorted(t.start for t in triggers)
    i = starts.index(trig.start)
    low = starts[i] if i > 0 else -1
    high = starts[i + 1] if i + 1 < len(starts) else 1 << 62
    return [t for t in times if low <= t.start < high]


def _period(ctx: ArticleContext, sent: Sentence, times: list[DatedTime], used: set[int], anchor: int) -> str | None:
    """Period of a move: the sentence's first free time after its move word, else before it (none borrowed from
    earlier sentences: an empty period lets a repeated mention merge with the dated one)."""
    free = [t for t in times if t.start not in used]
    after = [t for t in free if t.start >= anchor]
    if after:
        return after[0].period
    return free[-1].period if free else None


def _history(ctx: ArticleContext, sent: Sentence, people: list[Person], times: list[DatedTime]
             ) -> tuple[list[Draft], set[int]]:
    """Dated career steps: 'X, head of Y since 2017', 'had worked at eBay since 2011', 'Since 2010, X has led Y'."""
    text = ctx.text
    drafts: list[Draft] = []
    used: set[int] = set()
    last_org: str | None = None
    for since_at, t in _since_times(ctx, sent, times):
        if since_at == sent.start or text[sent.start:since_at].strip() == "":
            comma = text.find(",", t.end, sent.end)
            after = [p for p in people if comma >= 0 and p.start > comma]
            if not after:
                continue
            person = after[0]
            seg_start = person.end
            aux = AUXILIARY.match(text, seg_start, sent.end)  # 'Since 2010, X has shared...': the verb is past 'has'
            seg_end = _phrase_end(text, aux.end() if aux else seg_start, sent.end, [])
        else:
            before = [p for p in people if p.end <= since_at]
            if not before:
                continue
            person = before[-1]
            seg_start = max(person.end, text.rfind(",", sent.start, since_at) + 1,
                            text.rfind(" and ", sent.start, since_at) + 4 if " and " in text[person.end:since_at] else 0)
            seg_end = since_at
        segment = text[seg_start:seg_end]
        lead = SINCE_LEAD.match(segment)
        rel = lead.end() if lead else 0
        verb = vocab().history.match(segment, rel)
        rel = verb.end() if verb else rel
        role, org = _role_org(ctx, seg_start + rel, seg_end, people)
        if (verb is None and role is None) or vocab().speech.search(segment):
            continue
        if org is None and not role and verb is not None:
            orgs = _orgs_between(ctx, seg_start + rel, seg_end, people)
            org = orgs[0][2] if orgs else None
        if role is None and verb is not None and re.search(r"\bleadership\b|\bled\b|\bheaded\b|\brun\b|\bran\b", verb.group()):
            role = "leader"
        role = _job_role(role)
        org = org or (last_org if re.match(r"\s*(?:its|their)\b", segment[rel:]) or not _has_org_words(segment) else None) \
            or ctx.main_entity
        last_org = org
        used.add(t.start)
        drafts.append(Draft(person, role_to=role, org_to=org, anchor=since_at, period=t.period))
    return drafts, used


def _has_org_words(segment: str) -> bool:
    """Whether a segment names an organisation by a capitalized word."""
    return bool(re.search(r"\b[A-Z]", segment))


def _job_role(role: str | None) -> str | None:
    """'the chief executive job' -> 'chief executive'."""
    return re.sub(r"\s+(?:job|post|position|role)$", "", role) if role else role


def _keep_role(ctx: ArticleContext, sent: Sentence, trig: Trigger) -> str | None:
    """The new capacity of 'remain with X in an advisory role' / 'stay as an adviser' (else no move)."""
    stop = CLAUSE_STOP.search(ctx.text, trig.end, sent.end)
    match = KEEP_NEW_ROLE.search(ctx.text, trig.end, stop.start() if stop else sent.end)
    if not match:
        return None
    role = (match.group(1) or match.group(2) or "").strip()
    return role if role and vocab().role.search(role) else None


def _subject_org(ctx: ArticleContext, sent: Sentence, trig: Trigger, people: list[Person]) -> str | None:
    """The organisation that appoints: named in the move word's clause before it, or 'it'/'the company'."""
    stops = list(CLAUSE_STOP.finditer(ctx.text, sent.start, trig.start))
    c_start = stops[-1].end() if stops else sent.start
    orgs = [o for o in _orgs_between(ctx, c_start, trig.start, people)
            if ctx.text[sent.start:o[0]].strip() or " " in ctx.text[o[0]:o[1]] or _known(ctx, o)]
    if orgs:
        return orgs[-1][2]
    return _org_ref(ctx, c_start, trig.start)


def _known(ctx: ArticleContext, org: tuple[int, int, str]) -> bool:
    """Whether the gazetteer knows the organisation at this span."""
    return any(o.known for o in in_span(ctx.orgs, org[0], org[1]))


def _sentence_moves(ctx: ArticleContext, sent: Sentence, persons: list[Person]) -> list[Draft]:
    """Every move a sentence states, as drafts in text order."""
    people = _with_pronouns(ctx, persons, sent)
    if not people:
        return []
    times = _times(ctx, sent)
    drafts, used = _history(ctx, sent, people, times)
    triggers = [t for t in _triggers(ctx, sent) if t.direction != "since"]
    for trig in triggers:
        own = _own_times(times, trig, triggers)
        drafts.extend(_move(ctx, sent, trig, people, own, used, persons))
    for d in drafts:
        if d.pending:
            left = next((o for o in drafts if o.leaves and o.person.full != d.person.full), None)
            if left is not None:
                d.role_to, d.org_to, d.pending = left.role_from, left.org_from or ctx.main_entity, False
                left.successor = left.successor or d.person
    drafts = [d for d in drafts if not d.pending]
    for d in drafts:
        if d.role_to is None and d.predecessor is not None:
            left = next((o for o in drafts if o.person.full == d.predecessor.full and o.leaves and o.role_from), None)
            if left is not None:
                d.role_to, d.org_to = left.role_from, left.org_from or d.org_to
        if d.guessed_org and d.predecessor is not None:
            held = next((o for o in drafts if o.person.full == d.predecessor.full and o.org_to and not o.guessed_org
                         and o.period), None)
            d.org_to = held.org_to if held else d.org_to
    for d in drafts:
        if d.successor is not None and d.role_from is None:
            taken = next((o for o in drafts if o.person.full == d.successor.full and o.role_to), None)
            if taken is not None:
                d.role_from, d.org_from = taken.role_to, taken.org_to
    return drafts


def _current_title(ctx: ArticleContext, sent: Sentence, person: Person, people: list[Person],
                   persons: list[Person]) -> tuple[str | None, str | None]:
    """The title a person holds where named: apposition or title before the name (a pronoun's antecedent's)."""
    if person.ref >= 0:
        named = next((p for p in persons if p.start == person.ref), None)
        ref_sent = ctx.sentence_at(person.ref)
        if named is None or ref_sent is None:
            return None, None
        person, sent = named, ref_sent
        people = [p for p in persons if sent.start <= p.start < sent.end]
    t_role, t_org = _title_before(ctx, sent, person, people)
    a_role, a_org, _s, _e = _apposition(ctx, sent, person, people)
    return a_role or t_role, a_org or t_org


def _move(ctx: ArticleContext, sent: Sentence, trig: Trigger, people: list[Person], times: list[DatedTime],
          used: set[int], persons: list[Person]) -> list[Draft]:
    """The drafts one move word states, for its person and the persons coordinated with it ('X and Y')."""
    text = ctx.text
    if trig.voice == "title":
        return _title_move(ctx, sent, trig, people, times, used)
    person = _object(ctx, people, trig.end) if trig.voice == "object" else None
    group = [person, *_coordinated(ctx, people, person, after=True)] if person else []
    if person is None and (trig.voice != "object" or PASSIVE.search(text, max(sent.start, trig.start - 25), trig.start)):
        person = _subject(ctx, people, trig)
        group = [*_coordinated(ctx, people, person, after=False), person] if person else []
    if (person is None and trig.voice in ("prior", "subject") and text[trig.start:trig.end].split()[0].endswith("ing")
            and LEADING_SUB.match(text, sent.start, trig.start)):
        comma = text.find(",", trig.end, sent.end)
        after = [p for p in people if comma >= 0 and p.start > comma]
        person = after[0] if after and after[0].start - comma <= 3 else None
        group = [person] if person else []
    if person is None:
        return []
    read_from = group[-1].end if trig.voice == "object" and group[-1].start > trig.start else trig.end
    if read_from == group[-1].end:
        aside = OBJECT_ASIDE.match(text, read_from, sent.end)
        read_from = aside.end() if aside else read_from
    return [d for member in group for d in _person_move(ctx, sent, trig, member, read_from, people, times, used, persons)]


def _successor_org(ctx: ArticleContext, sent: Sentence, trig: Trigger, other: Person | None, people: list[Person],
                   persons: list[Person]) -> str | None:
    """Where a successor takes over: the predecessor's organisation, else the last one named before the move word."""
    if other is not None:
        _role, org = _current_title(ctx, sent, other, people, persons)
        if org:
            return org
    orgs = [o for o in _orgs_between(ctx, sent.start, trig.start, people) if _known(ctx, o)]
    return orgs[-1][2] if orgs else None


def _title_move(ctx: ArticleContext, sent: Sentence, trig: Trigger, people: list[Person], times: list[DatedTime],
                used: set[int]) -> list[Draft]:
    """A move told by a title: 'incoming CEO X', "Temu's new head of Europe, X,", 'X, the outgoing chairman,'."""
    text = ctx.text
    person = _object(ctx, people, trig.end)
    stop = CLAUSE_STOP.search(text, trig.end, sent.end)
    named = [p for p in people if stop and text[stop.start()] == "," and 0 < p.start - stop.start() <= 2]
    if person is not None and vocab().role.search(text, trig.end, person.start):
        end, gap_start = person.start, max(sent.start, trig.start - 40)
    elif named and text[named[0].end:named[0].end + 1] == ",":
        person, end, gap_start = named[0], stop.start(), max(sent.start, trig.start - 40)
    else:
        before = [p for p in people if p.end <= trig.start]
        person = before[-1] if before else None
        if person is None or not APPOSITION_GAP.fullmatch(text, person.end, trig.start):
            return []
        stop = CLAUSE_STOP.search(text, trig.end, sent.end)
        end, gap_start = stop.start() if stop else sent.end, person.end
    role, org = _role_org(ctx, trig.end, end, people)
    if role is None:
        return []
    if org is None:
        owner = [o for o in _orgs_between(ctx, gap_start, trig.start, people)
                 if re.fullmatch(r"\s*(?:'s|’s)\s*(?:\w+\s+)?", text[o[1]:trig.start])]
        org = owner[-1][2] if owner else ctx.main_entity
    period = _period(ctx, sent, times, used, trig.start)
    if trig.direction == "from":
        return [Draft(person, role_from=role, org_from=org, leaves=True, anchor=trig.start, period=period)]
    return [Draft(person, role_to=role, org_to=org, anchor=trig.start, period=period)]


def _succeeded_by(ctx: ArticleContext, sent: Sentence, trig: Trigger, person: Person, other: Person,
                  people: list[Person], times: list[DatedTime], used: set[int], persons: list[Person]) -> list[Draft]:
    """'X will be succeeded by Y (as R)': Y takes the role X leaves (X's title when no role is written)."""
    role, org, _end = _read_after(ctx, sent, other.end, people, times)
    cur_role, cur_org = _current_title(ctx, sent, person, people, persons)
    role, org = role or cur_role, org or cur_org or ctx.main_entity
    period = _period(ctx, sent, times, used, trig.start)
    return [Draft(other, role_to=role, org_to=org, anchor=trig.start, period=period, predecessor=person),
            Draft(person, role_from=role, org_from=org, leaves=True, anchor=trig.start, period=period)]


def _person_move(ctx: ArticleContext, sent: Sentence, trig: Trigger, person: Person, read_from: int,
                 people: list[Person], times: list[DatedTime], used: set[int], persons: list[Person]) -> list[Draft]:
    """The drafts one move word states of one person: their move, and a predecessor's or successor's."""
    text = ctx.text
    if trig.direction == "keep":
        role = _keep_role(ctx, sent, trig)
        if role is None:
            return []
        return [Draft(person, role_to=role, org_to=ctx.main_entity, anchor=trig.start,
                      period=_period(ctx, sent, times, used, trig.start))]
    other = None
    if trig.voice in ("successor", "handover"):
        skip = re.match(r"\s*(?:from|for|to|by)?\s*", text[read_from:sent.end])
        other = _object(ctx, people, read_from + (skip.end() if skip else 0))
        if other is not None and other.full != person.full:
            read_from = other.end
        else:
            other = None
        passive = PASSIVE.search(text, max(sent.start, trig.start - 25), trig.start)
        if other is not None and trig.voice == "successor" and (
                skip and skip.group().strip() == "by" or passive and re.search(r"\bby\s+$", text[trig.end:other.start])):
            return _succeeded_by(ctx, sent, trig, person, other, people, times, used, persons)
    came_from = trig.direction == "to" and re.match(r"\s+from\s", text[read_from:read_from + 7])
    role, org, _end = _read_after(ctx, sent, read_from + (came_from.end() if came_from else 0), people, times,
                                  with_ref=trig.voice != "duty")
    cur_role, cur_org = _current_title(ctx, sent, person, people, persons)
    if came_from:
        cur_role, cur_org, role, org = role or cur_role, org or cur_org, None, None
    draft = Draft(person, anchor=trig.start, period=_period(ctx, sent, times, used, trig.start))
    out = [draft]
    if trig.direction == "from" and DESTINATION_LEAD.match(text, read_from):
        draft.role_from, draft.org_from = cur_role, cur_org
        draft.role_to, draft.org_to = role, org or ctx.main_entity
        return out if role or org else []
    if trig.direction == "from" or trig.voice == "handover":
        draft.leaves = True
        if cur_role and (trig.voice != "handover" or not role):  # the title at the name is surer than later words
            role, org = cur_role, cur_org or org
        draft.role_from, draft.org_from = role, org or cur_org or (ctx.main_entity if role else None)
        if trig.voice == "handover" and other is not None:
            out.append(Draft(other, role_to=draft.role_from, org_to=draft.org_from or ctx.main_entity,
                             anchor=trig.start, period=draft.period))
        return out
    if trig.voice == "needs_role" and not role or trig.voice == "prior" and not org:
        return []
    if trig.voice == "successor" and not (role or org or other or came_from):
        draft.pending = True
        return out
    if trig.voice in ("subject", "duty") and not (role or org or came_from):
        return []
    draft.role_to = role
    draft.org_to = org or (_subject_org(ctx, sent, trig, people) if trig.voice == "object" else None) \
        or (_successor_org(ctx, sent, trig, other, people, persons) if trig.voice == "successor" else None) \
        or (None if came_from else cur_org)
    draft.guessed_org, draft.predecessor = draft.org_to is None, other
    draft.org_to = draft.org_to or ctx.main_entity
    draft.role_from, draft.org_from = cur_role, cur_org
    if trig.voice == "prior":
        served = SERVED.search(text, person.end, sent.end)
        if served:
            end = _phrase_end(text, served.end(), sent.end, times)
            draft.role_from, draft.org_from = _role_org(ctx, served.end(), end, people)
    if other is not None:
        out.append(Draft(other, role_from=draft.role_to, org_from=draft.org_to, leaves=True,
                         anchor=trig.start, period=draft.period, successor=person))
    return out


@lru_cache(maxsize=4)
def _cached_persons(text: str, orgs: tuple[tuple[int, int], ...]) -> list[Person]:
    """Person mentions of an article's text (cached: the ingest asks once, tests may ask again)."""
    return find_persons(text, list(orgs))


def english_moves(ctx: ArticleContext) -> list[PeopleMove]:
    """Every move stated by the article's English sentences, as complete rows (period, sentence, spans)."""
    hints = hint_starts(ctx.text)
    if not hints:
        return []
    sentences: list[Sentence] = []
    seen: set[int] = set()
    for pos in hints:
        sent = ctx.sentence_at(pos)
        if sent is None or sent.start in seen or sent.end - sent.start > EN_MAX_SENTENCE:
            continue
        seen.add(sent.start)
        sentences.append(sent)
    if not any(PERSON_CUE.search(ctx.text, sent.start, sent.end) for sent in sentences):
        return []  # no sentence with a move word names or points to anybody: the article's names go unsought
    known = tuple(sorted([(o.start, o.end) for o in ctx.orgs if o.known] + [(m[0], m[1]) for m in ctx.markets]))
    persons = _cached_persons(ctx.text, known)
    if not persons:
        return []
    out: list[PeopleMove] = []
    for sent in sentences:
        raw = ctx.article.body[sent.start:sent.end].strip()
        for d in _sentence_moves(ctx, sent, persons):
            if not (d.role_to or d.org_to or d.role_from or d.org_from or d.leaves):
                continue
            p = d.person
            written = ctx.article.body[p.start:p.end] if p.written == ctx.text[p.start:p.end] else p.written
            start, end = min(p.start, d.anchor), max(p.end, d.anchor)
            if not (sent.start <= start and end <= sent.end):
                start, end = sent.start, sent.end
            out.append(PeopleMove(written, d.role_from, d.org_from, d.role_to, d.org_to, None, d.period, raw,
                                  start, end))
    return out
