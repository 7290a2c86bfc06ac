"""People moves in English sentences: a fixed grammar of the usual newswire forms.

"X, formerly head of Y at Z, joins W as R", "W appointed X as R", "X stepped down as R of W",
"X will succeed Y as R of W"... Names are two or three capitalized words; organizations are
canonicalized with the gazetteer when it knows them. Every piece is bounded, so a sentence is
matched in linear time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from transforms.events_lexicon import StartIndex, start_index
from transforms.gazetteer import find_entities
from transforms.mentions import ArticleContext
from transforms.model import PeopleMove

EN_NAME = r"[A-Z][a-z]{1,20}(?:[- ](?:[A-Z][a-z]{1,20}|[A-Z]\.)){1,2}"
EN_ORG = r"[A-Z][\w&.'-]{0,30}(?:\s+(?:[A-Z][\w&.'-]{0,30}|of|de)){0,4}"
ROLE_OF_ORG = re.compile(r"^(?P<role>.+?)\s+(?:of|at)\s+(?P<org>[A-Z][\w&.' -]{1,40})$")
EN_MOVE_WORDS = ("join", "joins", "joined", "appointed", "named", "hired", "promoted", "stepped", "steps", "step",
                 "resigned", "succeed", "succeeds", "succeeded", "replace", "replaces", "replaced", "left", "departed",
                 "quit")
EN_MOVE_HINT = re.compile(rf"\b(?:{'|'.join(EN_MOVE_WORDS)})\b")
EN_MAX_SENTENCE = 1000
EN_ROLE = r"(?:its\s+|the\s+|a\s+)?(?:new\s+)?[A-Za-z][\w&,' -]{1,70}?"
EN_TITLE = r"(?:CEO|CFO|COO|CTO|chief\s+executive|president|chair(?:man|woman)?|founder|co-founder|head\s+of\s+[\w ]{2,30}?)"
EN_PATTERNS = tuple(re.compile(p) for p in (
    rf"(?P<name>{EN_NAME}),\s+(?:formerly|former|previously)\s+(?P<role_from>{EN_ROLE})(?:\s+(?:at|of)\s+(?P<org_from>{EN_ORG}))?,\s+(?:has\s+|will\s+)?(?:joined|joins|join)\s+(?P<org_to>{EN_ORG})\s+as\s+(?P<role_to>{EN_ROLE})(?=[,.;]|\s+(?:in|on|from|effective|starting)\b|$)",
    rf"(?P<org_to>{EN_ORG})\s+(?:has\s+|have\s+)?(?:appointed|named|hired|promoted)\s+(?P<name>{EN_NAME})\s+(?:as\s+|to\s+)?(?P<role_to>{EN_ROLE})(?=[,.;]|\s+(?:in|on|from|effective|starting|after|to\s+replace|replacing)\b|$)",
    rf"(?P<name>{EN_NAME})\s+(?:has\s+|will\s+|is\s+to\s+)?(?:stepped|steps|step)\s+down\s+as\s+(?P<role_from>{EN_ROLE})(?:\s+(?:of|at)\s+(?P<org_from>{EN_ORG}))?(?=[,.;]|\s+(?:in|on|after|effective)\b|$)",
    rf"(?P<name>{EN_NAME})\s+(?:has\s+)?resigned\s+(?:as\s+(?P<role_from>{EN_ROLE})\s+)?(?:(?:of|at|from)\s+(?P<org_from>{EN_ORG}))?(?=[,.;]|\s+(?:in|on|after|effective)\b|$)",
    rf"(?P<name>{EN_NAME})\s+(?:will\s+|is\s+set\s+to\s+|is\s+to\s+)?(?:succeed|succeeds|succeeded|replace|replaces|replaced)\s+(?P<name2>{EN_NAME})\s+as\s+(?P<role_to>{EN_ROLE})(?:\s+(?:of|at)\s+(?P<org_to>{EN_ORG}))?(?=[,.;]|\s+(?:in|on|from|effective|starting)\b|$)",
    rf"(?P<name>{EN_NAME})\s+(?:has\s+been|was|is|will\s+be)\s+(?:appointed|named|promoted\s+to)\s+(?:as\s+)?(?P<role_to>{EN_ROLE})\s+(?:of|at)\s+(?P<org_to>{EN_ORG})",
    rf"(?P<name>{EN_NAME})\s+(?:has\s+|will\s+)?(?:joined|joins|join)\s+(?P<org_to>{EN_ORG})\s+as\s+(?P<role_to>{EN_ROLE})(?=[,.;]|\s+(?:in|on|from|effective|starting)\b|$)",
    rf"(?P<name>{EN_NAME}),\s+(?:the\s+)?(?P<role_from>{EN_ROLE})\s+(?:of|at)\s+(?P<org_from>{EN_ORG}),\s+(?:has\s+)?(?:left|resigned|departed|quit|stepped\s+down)\b",
    rf"(?:(?P<org_from>{EN_ORG})(?:'s)?\s+)?(?P<role_from>{EN_TITLE})\s+(?P<name>{EN_NAME})\s+(?:has\s+|will\s+)?(?:left|resigned|departed|quit|stepped\s+down|steps\s+down|step\s+down)\b",
    rf"(?P<org_from>{EN_ORG})'s\s+(?P<role_from>{EN_ROLE}),\s+(?P<name>{EN_NAME}),\s+(?:has\s+|will\s+)?(?:left|resigned|departed|quit|stepped\s+down|steps\s+down|step\s+down)\b",
    rf"\b(?:[Ff]ormer|[Ee]x-)\s*(?P<org_from>{EN_ORG})\s+(?P<role_from>[a-z][\w -]{{1,30}}?)\s+(?P<name>{EN_NAME})\s+(?:has\s+|will\s+)?(?:joined|joins|join)\s+(?P<org_to>{EN_ORG})\s+as\s+(?P<role_to>{EN_ROLE})(?=[,.;]|\s+(?:in|on|from|effective|starting)\b|$)",
))


class EnglishMove(NamedTuple):
    """One move read from an English sentence; anchor is where the matched statement starts."""

    person: str
    start: int
    end: int
    role_from: str | None
    org_from: str | None
    role_to: str | None
    org_to: str | None
    leaves: bool
    anchor: int


def _en_org(surface: str | None) -> str | None:
    """Canonical name of an English org phrase when the gazetteer knows it, else the phrase."""
    if not surface:
        return None
    found = find_entities(surface)
    return found[0][2] if found else surface.strip()


@lru_cache(maxsize=1)
def _hint_index() -> StartIndex | None:
    """The move words as a start index (they start words, so only spots after a non-word character are tried)."""
    return start_index([rf"\b{word}\b" for word in EN_MOVE_WORDS], 0)


def hint_starts(text: str) -> list[int]:
    """Offsets of every move word of the text, found once per article: a sentence holding none has no English move.

    A sentence starts after a stop or a line break, and a word touching a sentence's end also
    ends its paragraph, so a word bounded within a sentence is bounded within the whole text too.
    """
    index = _hint_index()
    if index is None:
        return [m.start() for m in EN_MOVE_HINT.finditer(text)]
    return [start for start, _end in index.spans(text)]


def sentence_moves(text: str, start: int, end: int) -> list[EnglishMove]:
    """Moves stated by the English sentence text[start:end], offsets into text."""
    out: list[EnglishMove] = []
    chunk = text[start:end]
    if len(chunk) > EN_MAX_SENTENCE or not EN_MOVE_HINT.search(chunk):
        return out
    for pattern in EN_PATTERNS:
        for match in pattern.finditer(chunk):
            g = match.groupdict()
            name_at = start + match.start("name")
            role_from, org_from = _split_role(_en_role(g.get("role_from")), _en_org(g.get("org_from")))
            role_to, org_to = _split_role(_en_role(g.get("role_to")), _en_org(g.get("org_to")))
            move = EnglishMove(g["name"], name_at, name_at + len(g["name"]), role_from, org_from,
                               role_to, org_to, False, start + match.start())
            out.append(move)
            if g.get("name2"):
                at = start + match.start("name2")
                out.append(EnglishMove(g["name2"], at, at + len(g["name2"]), role_to, org_to, None, None,
                                       True, start + match.start()))
    return out


def _split_role(role: str | None, org: str | None) -> tuple[str | None, str | None]:
    """'chief executive of Shopee' -> ('chief executive', 'Shopee') when the tail names a known organization."""
    match = ROLE_OF_ORG.match(role or "")
    if match:
        found = find_entities(match.group("org"))
        if found and found[0][1] - found[0][0] == len(match.group("org")):
            return match.group("role"), found[0][2]
    return role, org


def _en_role(role: str | None) -> str | None:
    """An English role without its article: 'its new chief executive' -> 'chief executive'."""
    if not role:
        return None
    return re.sub(r"^(?:its|the|a|an|their|his|her)\s+(?:new\s+)?|^new\s+", "", role.strip(" ,.")) or None


def english_moves(ctx: ArticleContext) -> list[PeopleMove]:
    """Every move stated by the article's English sentences, as complete rows (period, sentence, spans)."""
    hints = hint_starts(ctx.text)
    out: list[PeopleMove] = []
    seen: set[int] = set()
    for pos in hints:
        sent = ctx.sentence_at(pos)
        if sent is None or sent.start in seen:
            continue
        seen.add(sent.start)
        raw = ctx.article.body[sent.start:sent.end].strip()
        for m in sentence_moves(ctx.text, sent.start, sent.end):
            if not (m.role_to or m.org_to or m.role_from or m.org_from or m.leaves):
                continue
            out.append(PeopleMove(ctx.article.body[m.start:m.end], m.role_from, m.org_from, m.role_to, m.org_to,
                                  None, ctx.period(sent, anchor=m.anchor), raw, min(m.start, m.anchor), max(m.end, m.anchor)))
    return out
