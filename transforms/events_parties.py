"""The parties an event may name: the shared organization mentions, read with an event's eyes.

transforms/mentions.py finds organizations for every rule; an event needs a little more care:
a capitalized Latin name may be a person (Sky Xu, Shein's founder) or a law (the ... Prevention
Act), an unknown government body (House Select Committee) is a regulator, and a Chinese name the
gazetteer does not know is still an organization when it ends like one (蚂蚁集团, 游逸科技).
The vocabulary is data (reference/event_triggers.csv, rows starting with _); the list is built
once per article, and only for articles with a trigger.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from transforms.events_lexicon import context
from transforms.mentions import ArticleContext, Org, SpanList, unnamed_cjk_orgs
from transforms.textnorm import normalize

# Last words of the role titles `_person_role_before` knows: a name after any other word skips the pattern.
ROLE_LAST_WORDS = frozenset("ceo cfo coo cto executive officer founder cofounder co-founder chairman chairwoman chair "
                            "president director analyst spokesman spokeswoman spokesperson manager minister senator "
                            "secretary".split())
PERSON_WORD = re.compile(r"(?:Mc|Mac|O')?[A-Z][a-z'’-]+|[A-Z]\.|de|van|von|der|da|di|le|la|bin|al")
LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])")
LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z.'-]*")
REACH_AFTER = 60  # characters after a Latin name where an apposition may name a role
REACH_BEFORE = 30  # characters before a Latin name where a role title may stand
_CACHE: dict[int, tuple[ArticleContext, SpanList]] = {}
CACHE_SIZE = 8
MAIN_UNKNOWN_MIN = 3  # mentions (title counting two) an unknown name needs to be what the article is about


def parties(ctx: ArticleContext, triggers: list[tuple[int, int, str]] | None = None) -> SpanList:
    """Organizations of the article an event may name, sorted by start (cached per article: the first call,
    given the article's triggers, builds it; a Chinese name never runs into a trigger word: 出售|银泰百货)."""
    hit = _CACHE.get(id(ctx))
    if hit is not None and hit[0] is ctx:
        return hit[1]
    found = SpanList(_build(ctx, triggers or []))
    try:
        while len(_CACHE) >= CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)), None)
    except (RuntimeError, StopIteration):
        pass  # another thread trimmed it meanwhile
    _CACHE[id(ctx)] = (ctx, found)
    return found


def main_party(ctx: ArticleContext) -> str | None:
    """The organization the article is most about, unknown names counted too (an article about PackLink
    Global that mentions Amazon twice is about PackLink): most mentioned, a name in the title counting double;
    ties go to the shared layer's main entity."""
    counts: Counter[str] = Counter(o.name for o in parties(ctx) if not o.regulator and o.start >= 0)
    if not counts:
        return ctx.main_entity
    title = normalize(ctx.article.title or "")
    for name in counts:
        if name in title or (ctx.main_entity == name and name.lower() in title.lower()):
            counts[name] += 2
    if ctx.main_entity:
        counts[ctx.main_entity] += 0.5
    best = counts.most_common(1)[0][0]
    unknown = best != ctx.main_entity and not any(o.known for o in parties(ctx) if o.name == best)
    return best if unknown and counts[best] >= MAIN_UNKNOWN_MIN else ctx.main_entity


def _build(ctx: ArticleContext, triggers: list[tuple[int, int, str]]) -> list[Org]:
    """Shared mentions without persons and laws, unknown regulators flagged, unknown Chinese names added."""
    text = ctx.text
    orgs = list(ctx.orgs)
    people = _person_surnames(text, orgs)
    regulator = context("_regulator")
    lower_words: frozenset[str] | None = None
    kept: list[Org] = []
    for org in orgs:
        if org.start < 0:
            continue  # a name the shared layer could not place in the text
        if org.known:
            kept.append(org)
            continue
        if _is_law(org.name) or _is_person(text, org, people) or context("_not_org_word").fullmatch(org.name):
            continue
        if _capitalized_word(org.name):
            lower_words = lower_words if lower_words is not None else frozenset(LOWER_WORD.findall(text))
            if org.name.lower() in lower_words:
                continue  # Orders, Two: an ordinary word capitalized at a sentence start (the text also writes it in lower case)
        if not org.regulator and regulator.search(org.name):
            org = replace(org, regulator=True)
        kept.append(org)
    kept.extend(_chinese_orgs(ctx, kept, triggers))
    return sorted(kept, key=lambda o: o.start)


def _capitalized_word(name: str) -> bool:
    """Whether a name is one capitalized word (Orders), the shape an ordinary word takes at a sentence start."""
    return " " not in name and name.isalpha() and name[:1].isupper() and name[1:].islower()


def _is_law(name: str) -> bool:
    """Whether a capitalized name is a law or rule (the Uyghur Forced Labor Prevention Act)."""
    words = name.split()
    return bool(words) and bool(context("_law_word").fullmatch(words[-1]))


def _person_surnames(text: str, orgs: list[Org]) -> frozenset[str]:
    """Last words of the unknown Latin names the text presents as people (a role beside them)."""
    out = set()
    for org in orgs:
        if not org.known and " " in org.name and _person_shaped(org.name) and _has_role_nearby(text, org):
            out.add(org.name.split()[-1].lower())
    # A two- or three-word name whose last word also stands alone elsewhere is a person met by surname.
    singles = {o.name.lower() for o in orgs if not o.known and " " not in o.name}
    for org in orgs:
        words = org.name.split()
        if not org.known and 2 <= len(words) <= 3 and words[-1].lower() in singles and all(
                w[:1].isupper() and w[1:].islower() for w in words):
            out.add(words[-1].lower())
    return frozenset(out)


def _has_role_nearby(text: str, org: Org) -> bool:
    """Whether a role title stands right before the name or in an apposition right after it."""
    before = text[max(0, org.start - REACH_BEFORE):org.start]
    after = text[org.end:org.end + REACH_AFTER]
    head = after.lstrip()
    # Both patterns need a comma or ' as ' right after the name, or a role word right before it: test that first.
    if (head[:1] == "," or head[:3].lower() == "as ") and context("_person_role_after").match(after):
        return True
    words = before.rstrip(" ,").rsplit(None, 1)
    return (bool(words) and words[-1].lower() in ROLE_LAST_WORDS
            and context("_person_role_before").search(before) is not None)


def _person_shaped(name: str) -> bool:
    """Whether a name could be a person's: one to four words, each capitalized, none all capitals or with digits."""
    words = name.split()
    return 0 < len(words) <= 4 and all(PERSON_WORD.fullmatch(w) for w in words)


def _is_person(text: str, org: Org, surnames: frozenset[str]) -> bool:
    """Whether an unknown Latin name is a person rather than an organization."""
    if not LATIN_TOKEN.match(org.name) or context("_org_word").search(org.name):
        return False
    if _person_shaped(org.name) and _has_role_nearby(text, org):
        return True
    return org.name.split()[-1].lower() in surnames


def _chinese_orgs(ctx: ArticleContext, taken: list[Org], triggers: list[tuple[int, int, str]]) -> list[Org]:
    """Chinese names ending like an organization (集团, 公司, 科技...) that no other mention covers nor a trigger word."""
    return unnamed_cjk_orgs(ctx, [(o.start, o.end) for o in taken] + [(s, e) for s, e, _ in triggers])
