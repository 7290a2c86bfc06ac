"""Business events from article text: bans, rules, deals, partnerships, launches, exits, raises, cuts.

A trigger word (reference/event_triggers.csv) proposes an event; the sentence must then name
the parties the type needs, or the event is dropped: an analyst reads this table, so a
missed event costs less than a wrong one. Repeats of one event in an article merge into one row.

The entity is chosen by its role, not by nearness: the acquirer (or seller) of a deal, the
company a measure is aimed at (fined X, 对X罚款, a probe into X, the companies a government body
asks to act), the subject of a launch or exit (or the object of a nominal trigger: the rollout of X;
or the head of a Chinese relative clause: 杀进台湾市场的…虾皮); with none named, the organization a
back-reference points to (it, the company, 该公司, 其). Parties are organizations only
(transforms/events_parties.py drops people and laws, and adds unknown Chinese names).
Leadership changes are not emitted: they mirror people moves, which the moves table holds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace

from transforms.events_lexicon import context, find_triggers
from transforms.events_parties import main_party, parties
from transforms.mentions import (
    ArticleContext,
    Org,
    Sentence,
    SpanList,
    build_context,
    clause_bounds,
    in_span,
    is_list_gap,
    shop_or_app,
)
from transforms.model import Article, Event

LOG = logging.getLogger(__name__)

EVENTS_VERSION = "0.3.0"

LISTING_REACH = 12  # characters before a halt trigger where a listing word makes it a halted listing
QUESTION_END = re.compile(r"(?:[?]|吗|呢)\s*[\"'”’」』)]*\s*$")
NOMINAL_BEFORE = re.compile(r"的\s*$")
ACQUIRE = re.compile(r"收购|入股|控股权|acqui|buy|bought|stake|takeover|take|took|\bpa(?:id|ys?|ying)\b", re.IGNORECASE)
PASSIVE_MARK = re.compile(r"被|由|\bby\b", re.IGNORECASE)
WITH_TRIGGER = re.compile(r"\bwith\b", re.IGNORECASE)
GENERIC_PARTNER = re.compile(r"^(?:合作|(?:strategic\s+)?partnership)$", re.IGNORECASE)
LISTING_EXIT = re.compile(r"上市|IPO|listing|bankrupt|破产|倒闭|清算|撤出|撤离|withdr|pull", re.IGNORECASE)
SITE_MENTION = re.compile(r"站的")
WINDOW = 24
SUBJECT_REACH = 12  # an unknown name this close to a sentence start is its subject (a known one counts anywhere)
MARKET_REACH = 12  # characters after a launch trigger where the market it opens may start
MARKET_GAP = re.compile(r"^\s*(?:(?:in|into|to|across|throughout|at|the)\s+)*$|^[了到至在]?$", re.IGNORECASE)
LIST_ARTICLE = re.compile(r"\s+the\s*$", re.IGNORECASE)  # and the Netherlands
BY_AGENT = re.compile(r"[^,.;]{0,20}?\bby\b", re.IGNORECASE)
AGENT_REACH = 40  # characters after 'by' where the government body that acts may be named
VAGUE_GAP = re.compile(r"\s+|\bthe\b", re.IGNORECASE)  # what may stand between a vague deal verb and its object
SALE_TO = re.compile(r"\bto\b|给|予", re.IGNORECASE)  # the buyer of a sale follows
TOWARD = re.compile(r"(?:对|向|\bagainst|\bon)\s*$", re.IGNORECASE)  # the party a measure is aimed at follows
HALTS = frozenset({"ban", "exit", "regulation"})  # a listing right before one of these did not happen
NOMINAL_OF = re.compile(r"\bof$", re.IGNORECASE)  # a trigger naming what it is about next (rollout of X)
INTO_END = re.compile(r"\binto$", re.IGNORECASE)  # a probe into X is about X, or about no organization at all
OBJECT_REACH = 24  # characters after a trigger where its object organization may start
RELATIVE_REACH = (12, 16)  # 的 within this much after a trigger; the head organization within that much after 的
EMIT_LEADERSHIP = False  # a leadership change mirrors a people move (README of the moves gold): the moves table holds it
MODIFIER_GAP = re.compile(r"^\s*(?:[^,;。]{0,12}(?:旗下的?|母公司|子公司|平台|公司|品牌|集团|商城|网站)|['’]s(?:\s+(?:rival|unit|subsidiary|parent|arm|owner|affiliate|partner|platform|app|shop))?|-owned|\s*)\s*$")


def _orgs(ctx: ArticleContext, start: int, end: int) -> list[Org]:
    """Non-regulator organizations inside [start, end) (no persons, no laws: transforms/events_parties.py)."""
    return [o for o in in_span(parties(ctx), start, end) if not o.regulator]


def _regulators(ctx: ArticleContext, start: int, end: int) -> list[Org]:
    """Government bodies inside [start, end)."""
    return [o for o in in_span(parties(ctx), start, end) if o.regulator]


def _object_org(ctx: ArticleContext, sent: Sentence, end: int) -> Org | None:
    """The organization a trigger names right after it (rollout of Shein Marketplace, a probe into Amazon)."""
    after = _orgs(ctx, end, min(clause_bounds(ctx, sent, end)[1], sent.end))
    return after[0] if after and after[0].start - end <= OBJECT_REACH else None


def _relative_head(ctx: ArticleContext, sent: Sentence, end: int) -> Org | None:
    """The organization a Chinese relative clause describes: 杀进台湾市场的新加坡电商虾皮 -> 虾皮."""
    c_end = clause_bounds(ctx, sent, end)[1]
    de = ctx.text.find("的", end, min(c_end, end + RELATIVE_REACH[0]))
    if de < 0 or _orgs(ctx, end, de):
        return None
    heads = _orgs(ctx, de + 1, min(c_end, de + 1 + RELATIVE_REACH[1]))
    return heads[0] if heads else None


def _back_reference(ctx: ArticleContext, sent: Sentence) -> bool:
    """Whether the sentence, or the one before it in its paragraph, refers back to an organization (it, 其, 该公司)."""
    earlier = ctx.earlier_in_paragraph(sent)
    start = earlier[-1].start if earlier else sent.start
    return bool(context("_backref").search(ctx.text, start, sent.end))


def _collapse(ctx: ArticleContext, orgs: list[Org]) -> list[Org]:
    """Drop a name that only modifies the next one (美国Verb直播平台MARKET.live -> MARKET.live)."""
    out: list[Org] = []
    for org in orgs:
        if out and MODIFIER_GAP.match(ctx.text[out[-1].end:org.start]):
            out[-1] = org
        else:
            out.append(org)
    return out


def _name(ctx: ArticleContext, org: Org | None, sent: Sentence) -> str | None:
    """Canonical name of a mention, with plain TikTok read as the shop in shop articles."""
    return shop_or_app(ctx, org, sent) if org else None


def _fallback_entity(ctx: ArticleContext, sent: Sentence, use_main: bool = True) -> str | None:
    """Subject of an entity-less sentence: main entity if named earlier in the paragraph, else the last subject, else the main entity."""
    para_start = ctx.paragraphs[sent.para].start
    earlier = ctx.earlier_in_paragraph(sent)
    main = main_party(ctx)
    names = [_name(ctx, o, s) for s in earlier for o in _orgs(ctx, s.start, s.end)]
    if main and main in names:
        return main
    for prev in reversed(earlier):
        first = max(prev.start, para_start)
        orgs = [o for o in _orgs(ctx, first, prev.end) if o.known or main is None or o.start - first <= SUBJECT_REACH]
        if orgs:
            return _name(ctx, orgs[0], prev)
    return main if use_main else None


def _subject(ctx: ArticleContext, sent: Sentence, before: int, use_main: bool = True) -> str | None:
    """Subject before a position: first org of its clause (a known one first), else of the sentence, else the fallback."""
    clause_start = clause_bounds(ctx, sent, before)[0]
    for start in (clause_start, sent.start):
        found = _collapse(ctx, _orgs(ctx, start, before))
        if found:
            return _name(ctx, next((o for o in found if o.known), found[0]), sent)
    return _fallback_entity(ctx, sent, use_main)


def _regulator(ctx: ArticleContext, sent: Sentence) -> str | None:
    """The government body named in the sentence, if any."""
    regs = _regulators(ctx, sent.start, sent.end)
    return regs[0].name if regs else None


def _sentence_markets(ctx: ArticleContext, sent: Sentence) -> list[str]:
    """Market codes named in the sentence, in order, without repeats."""
    return list(dict.fromkeys(code for _s, _e, code in in_span(ctx.markets, sent.start, sent.end)))


def _market(ctx: ArticleContext, sent: Sentence, entity: str | None = None, anchor: int | None = None) -> str | None:
    """Market of the trigger's clause nearest the trigger (东南亚电商Shopee在越南裁员 -> VN), else the sentence's
    first, else the nearest earlier one of its paragraph said about the same org or none."""
    if anchor is not None:
        near = in_span(ctx.markets, *clause_bounds(ctx, sent, anchor))
        if near:
            return min(near, key=lambda m: min(abs(m[0] - anchor), abs(m[1] - anchor)))[2]
    codes = _sentence_markets(ctx, sent)
    if codes:
        return codes[0]
    for prev in reversed(ctx.earlier_in_paragraph(sent)):
        markets = _sentence_markets(ctx, prev)
        names = {_name(ctx, o, prev) for o in _orgs(ctx, prev.start, prev.end)}
        if markets and (not names or entity in names):
            return markets[-1]
    return None


def _event(ctx: ArticleContext, sent: Sentence, trigger: tuple[int, int, str], entity: str | None,
           counterpart: str | None, market: str | None) -> Event:
    """An Event row for a trigger, with the sentence's period and the original sentence text."""
    start, end, etype = trigger
    period = ctx.period(sent, anchor=start)
    raw = ctx.article.body[sent.start:sent.end]
    return Event(etype, entity, counterpart, market, period, raw.strip(), start, end)


def _has_object(ctx: ArticleContext, sent: Sentence, start: int, end: int) -> bool:
    """Whether a launch/exit names what opens or closes (a site, a store, a warehouse...) near the trigger."""
    return bool(context("_launch_object").search(ctx.text, max(sent.start, start - WINDOW),
                                                 min(sent.end, end + WINDOW)))


def _ban(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str]) -> list[Event]:
    """A market bans a platform: the banned org may stand before or after the trigger.

    A halted listing (上市计划被叫停, its IPO was suspended) bans nothing from a market: an authority
    acted on the company, a regulation about the company that owns the listing.
    """
    start, end, _ = trig
    c_start = clause_bounds(ctx, sent, start)[0]
    if context("_listing_object").search(ctx.text, max(c_start, start - LISTING_REACH), start):
        owner = _subject(ctx, sent, start, use_main=False)
        return _regulation(ctx, sent, (start, end, "regulation"), owner) if owner else []
    orgs = _orgs(ctx, sent.start, sent.end)
    if not orgs and not in_span(ctx.markets, *clause_bounds(ctx, sent, start)):
        return []  # nothing named is banned where the trigger stands (被禁产品: banned goods)
    entity = _name(ctx, orgs[0], sent) if orgs else _fallback_entity(ctx, sent)
    market = _market(ctx, sent, entity, start)
    if entity is None and (market is None or not _government_named(ctx, sent)):
        return []  # a market may ban a practice (印尼政府禁止社交电商交易): the ban stands without a company
    return [_event(ctx, sent, trig, entity, _regulator(ctx, sent), market)]


def _regulation(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str],
                entity: str | None = None) -> list[Event]:
    """A rule, fine, probe or bill: about the org named in the sentence (or referred back to), or the market alone.

    A demand verb (wants, 要求) is a regulation only when a government body asks it; a probe
    into something that is no organization (allegations of misconduct) needs a regulator in the sentence.
    """
    start, end, _ = trig
    if context("_demand").fullmatch(ctx.text, start, end):
        return _demand(ctx, sent, trig)
    if context("_needs_regulator").search(ctx.text, start, end) and not _government_acts(ctx, sent, start, end):
        return []  # a lawsuit between companies is no regulation, even in a court
    if entity is None and INTO_END.search(ctx.text, start, end):
        target = _object_org(ctx, sent, end)
        if target is None and _regulator(ctx, sent) is None:
            return []
        entity = _name(ctx, target, sent) if target else None
    if entity is None:
        target = _regulated(ctx, sent, start, end)
        entity = _name(ctx, target, sent) if target else None
    if entity is None and _back_reference(ctx, sent):
        entity = _fallback_entity(ctx, sent)
    market = _market(ctx, sent, entity)
    if entity is None and market is None:
        return []
    return [_event(ctx, sent, trig, entity, _regulator(ctx, sent), market)]


def _government_named(ctx: ArticleContext, sent: Sentence) -> bool:
    """Whether the sentence names a government body (an organization, or a word like FTC, regulators, 当局)."""
    return bool(_regulators(ctx, sent.start, sent.end)) or bool(context("_regulator").search(ctx.text, sent.start, sent.end))


def _government_acts(ctx: ArticleContext, sent: Sentence, start: int, end: int) -> bool:
    """Whether a government body brings the action: named before the trigger in its clause, or after 'by'."""
    c_start = clause_bounds(ctx, sent, start)[0]
    if _regulators(ctx, c_start, start) or context("_regulator").search(ctx.text, c_start, start):
        return True
    by = BY_AGENT.match(ctx.text, end, sent.end)
    if not by:
        return False
    reach = min(sent.end, by.end() + AGENT_REACH)
    agents = in_span(parties(ctx), by.end(), reach)
    if agents:
        return agents[0].regulator  # sued by Shein (in a federal court): a company is the agent
    return bool(context("_regulator").search(ctx.text, by.end(), reach))


def _regulated(ctx: ArticleContext, sent: Sentence, start: int, end: int) -> Org | None:
    """The organization a rule, fine or probe is about: the object right after the trigger (fined Temu),
    else the one a 对/against phrase of its clause names (对SHEIN罚款), else the sentence's first one."""
    after = _orgs(ctx, end, min(sent.end, end + OBJECT_REACH))
    if after and not ctx.text[end:after[0].start].strip():
        return after[0]
    c_start = clause_bounds(ctx, sent, start)[0]
    for org in _orgs(ctx, c_start, start):
        if TOWARD.search(ctx.text, max(c_start, org.start - 3), org.start):
            return org
    orgs = _orgs(ctx, sent.start, sent.end)
    return orgs[0] if orgs else None


def _demand(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str]) -> list[Event]:
    """A government body asks companies to act (wants Shein and Temu to explain, 政府要求企业整改): one row per company.

    The asker must be the clause's first party; the companies are the list right after the verb.
    A generic object (企业, companies) is the organization referred back to, or the market alone.
    """
    start, end, _ = trig
    c_start = clause_bounds(ctx, sent, start)[0]
    before = in_span(parties(ctx), c_start, start)
    if before and before[0].regulator:
        asker = before[0].name
    elif not before and context("_regulator").search(ctx.text, c_start, start):
        asker = None  # Brazil's tax authority ordered...: a government body the gazetteer cannot name
    else:
        return []
    targets = _listed_after(ctx, sent, end)
    names = list(dict.fromkeys(_name(ctx, org, sent) for org in targets))
    if not names:
        if not context("_generic_company").match(ctx.text, end, min(sent.end, end + OBJECT_REACH)):
            return []
        names = [_fallback_entity(ctx, sent) if _back_reference(ctx, sent) else None]
    market = _market(ctx, sent, names[0])
    if names == [None] and market is None:
        return []
    return [_event(ctx, sent, trig, name, asker, market) for name in names]


def _listed_after(ctx: ArticleContext, sent: Sentence, end: int) -> list[Org]:
    """The organization right after a position and those listed with it (Shein, Temu, Adidas and Nike)."""
    after = _orgs(ctx, end, sent.end)
    if not after or ctx.text[end:after[0].start].strip(" 了"):
        return []  # the object is no named organization (wants sellers to...)
    out = [after[0]]
    for org in after[1:]:
        if not is_list_gap(ctx.text[out[-1].end:org.start]):
            break
        out.append(org)
    return out


def _merger(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str]) -> list[Event]:
    """A deal: the acquirer (or seller) is the entity and the target the counterpart; a merger keeps text order."""
    start, end, _ = trig
    c_start, c_end = clause_bounds(ctx, sent, start)
    if context("_vague_deal").fullmatch(ctx.text, start, end):
        target = _object_org(ctx, sent, end)
        if target is None or VAGUE_GAP.sub("", ctx.text[end:target.start]):
            return []  # bought, invested in: a deal only when an organization is what was bought
    before = _collapse(ctx, _orgs(ctx, c_start, start)) or _collapse(ctx, _orgs(ctx, sent.start, start))[-1:]
    after = _collapse(ctx, _orgs(ctx, start, c_end))  # a name inside a wide trigger is its object (sell its StubHub unit)
    if ACQUIRE.search(ctx.text, start, end):
        pair = _acquisition_parties(ctx, sent, before, after, start, end)
        # The acquirer is the event's entity and the target its counterpart; with no acquirer named, the target.
        pair = (pair[1], pair[0]) if pair[1] else (pair[0], None)
    else:
        names = list(dict.fromkeys(_name(ctx, o, sent) for o in before + after))
        if len(names) == 1:
            names.insert(0, _fallback_entity(ctx, sent))
        pair = (names[0], names[1] if len(names) > 1 else None) if names else (None, None)
    entity, counterpart = pair
    if context("_sale").search(ctx.text, start, end):
        entity, counterpart = _sale_parties(ctx, sent, trig, entity, counterpart)
    if entity is None or entity == counterpart:
        return []
    return [_event(ctx, sent, trig, entity, counterpart, _market(ctx, sent, entity))]


def _sale_parties(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str], seller: str | None,
                  sold: str | None) -> tuple[str | None, str | None]:
    """A sale names its buyer after to/给: the buyer acquires (entity), what is sold is the counterpart;
    with no buyer named, the seller is the entity (eBay selling StubHub)."""
    start, end, _ = trig
    c_end = clause_bounds(ctx, sent, start)[1]
    to = SALE_TO.search(ctx.text, end, c_end)
    buyers = _orgs(ctx, to.end(), c_end) if to else []
    if not buyers or buyers[0].start - to.end() > OBJECT_REACH:
        return seller, sold
    buyer = _name(ctx, buyers[0], sent)
    units = [_name(ctx, o, sent) for o in _orgs(ctx, end, to.start())]
    return buyer, (units[0] if units else seller)


def _acquisition_parties(ctx: ArticleContext, sent: Sentence, before: list[Org], after: list[Org],
                         start: int, end: int) -> tuple[str | None, str | None]:
    """(target, acquirer) of an acquisition, active or passive voice."""
    name = lambda org: _name(ctx, org, sent)  # noqa: E731 - a local shorthand
    if len(before) >= 2 and PASSIVE_MARK.search(ctx.text, before[0].end, before[1].start):
        return name(before[0]), name(before[1])
    if after and PASSIVE_MARK.search(ctx.text, end, after[0].start):
        return (name(before[-1]) if before else _fallback_entity(ctx, sent)), name(after[0])
    if after:
        return name(after[0]), (name(before[0]) if before else _fallback_entity(ctx, sent))
    if len(before) >= 2:
        return name(before[-1]), name(before[0])
    if before and PASSIVE_MARK.search(ctx.text, before[0].end, start):
        return name(before[0]), None
    if before and not NOMINAL_BEFORE.search(ctx.text, before[-1].end, start):
        return None, name(before[-1])  # 亚马逊收购iRobot: the target is a name no list knows
    return None, None


def _partnership(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str]) -> list[Event]:
    """Two named parties working together: one row per counterpart."""
    start, end, _ = trig
    c_start, c_end = clause_bounds(ctx, sent, start)
    split = start
    if WITH_TRIGGER.search(ctx.text, start, end):
        entity = _subject(ctx, sent, start)
        partners = _orgs(ctx, end, clause_bounds(ctx, sent, end)[1])
    else:
        marker = context("_partner_marker").search(ctx.text, c_start, start)
        if marker is None and GENERIC_PARTNER.match(ctx.text[start:end]):
            return []
        split = marker.start() if marker else c_start
        partners = _orgs(ctx, marker.end() if marker else c_start, start)
        entity = _subject(ctx, sent, split)
        if marker is None and len(partners) >= 2:
            entity, partners = _name(ctx, partners[0], sent), partners[1:]
    if not _orgs(ctx, sent.start, split) and context("_person_role").search(ctx.text, sent.start, start):
        return []  # no organization before the verb of a sentence about someone's post: a person's plan
    market = _market(ctx, sent, entity)
    names = [_name(ctx, o, sent) for o in _collapse(ctx, partners)]
    names = [n for n in dict.fromkeys(names) if n and n != entity]
    if entity is None:
        return []
    return [_event(ctx, sent, trig, entity, name, market) for name in names]


def _countries_first(codes: list[str]) -> list[str]:
    """Country codes when the sentence names any (法国、德国 beat 欧洲 and 全球), else the regions."""
    countries = [code for code in codes if len(code) == 2]
    return countries or codes


def _trigger_markets(ctx: ArticleContext, sent: Sentence, end: int) -> list[str]:
    """Markets a trigger opens right after it (went live in the U.S., 杀进台湾市场), with those listed next to them."""
    after = in_span(ctx.markets, end, sent.end)
    if not after or after[0][0] - end > MARKET_REACH or not MARKET_GAP.match(ctx.text[end:after[0][0]]):
        return []
    out = [after[0]]
    for market in after[1:]:
        if not is_list_gap(LIST_ARTICLE.sub("", ctx.text[out[-1][1]:market[0]])):
            break
        out.append(market)
    return _countries_first(list(dict.fromkeys(code for _s, _e, code in out)))


def _launch_markets(ctx: ArticleContext, sent: Sentence, start: int) -> list[str]:
    """Markets of the trigger's clause, else of the sentence before the trigger, else the sentence's first:
    a list of markets the platform later covers (推出,…覆盖了美国、加拿大…) is no launch in each of them."""
    c_start, c_end = clause_bounds(ctx, sent, start)
    codes = [code for _s, _e, code in in_span(ctx.markets, c_start, c_end)]
    if not codes:
        codes = [code for _s, _e, code in in_span(ctx.markets, sent.start, start)]
    if not codes:
        return _sentence_markets(ctx, sent)[:1]  # 前年2月上线后,墨西哥站…: the one market the sentence is about
    return _countries_first(list(dict.fromkeys(codes)))


def _launch(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str]) -> list[Event]:
    """Something opens: one row per market the sentence names; needs a market or an object."""
    start, end, _ = trig
    if NOMINAL_BEFORE.search(ctx.text, sent.start, start):
        return []
    c_start = clause_bounds(ctx, sent, start)[0]
    if context("_regulator").search(ctx.text, c_start, start):
        return []
    markets = _trigger_markets(ctx, sent, end) or _launch_markets(ctx, sent, start)
    if not markets and not _has_object(ctx, sent, start, end):
        return []
    on_site = SITE_MENTION.search(ctx.text, sent.start, start)
    named = _named_party(ctx, sent, trig)
    if named is None and NOMINAL_OF.search(ctx.text, start, end):
        return []  # the opening of a hub, with no organization named for it here: whose is unknown
    entity = named or (_fallback_entity(ctx, sent) if on_site else _subject(ctx, sent, start))
    if entity is None:
        return []
    return [_event(ctx, sent, trig, entity, None, code) for code in markets or [None]]


def _exit(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str]) -> list[Event]:
    """A withdrawal or closure: needs a market, an object, or a listing/bankruptcy word."""
    start, end, _ = trig
    if not (LISTING_EXIT.search(ctx.text, start, end) or _sentence_markets(ctx, sent)
            or _has_object(ctx, sent, start, end)):
        return []
    events = _simple(ctx, sent, trig)
    listed = _trigger_markets(ctx, sent, end)
    if len(listed) < 2 or not events:
        return events
    return [replace(events[0], market=code) for code in listed]  # exiting Argentina, Chile and Mexico: one row each


def _named_party(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str]) -> str | None:
    """The organization a trigger itself points at: the object of a nominal trigger (the rollout of X),
    or the head of a Chinese relative clause when the clause names no subject (杀进台湾市场的…虾皮)."""
    start, end, _ = trig
    if NOMINAL_OF.search(ctx.text, start, end):
        target = _object_org(ctx, sent, end)
        return _name(ctx, target, sent) if target else _subject(ctx, sent, start, use_main=False)
    if _orgs(ctx, clause_bounds(ctx, sent, start)[0], start):
        return None
    head = _relative_head(ctx, sent, end)
    if head is None or context("_cn_name_stop").search(ctx.text, ctx.text.find("的", end) + 1, head.start):
        return None
    return _name(ctx, head, sent)


def _simple(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str]) -> list[Event]:
    """An event about one organization named in the sentence or its paragraph (funding, layoff)."""
    entity = _named_party(ctx, sent, trig) or _subject(ctx, sent, trig[0], use_main=False)
    if entity is None:
        return []
    return [_event(ctx, sent, trig, entity, None, _market(ctx, sent, entity, trig[0]))]


def _leadership(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str]) -> list[Event]:
    """A leadership change at the org whose post is filled (chief executive of Shopee), else the subject."""
    start, end, _ = trig
    posts = [o for o in _orgs(ctx, end, clause_bounds(ctx, sent, end)[1]) if o.known]
    entity = _name(ctx, posts[0], sent) if posts else _subject(ctx, sent, start, use_main=False)
    if entity is None:
        return []
    market = _market(ctx, sent, entity)
    return [_event(ctx, sent, trig, entity, None, None if market == "GLOBAL" else market)]


BUILDERS: dict[str, Callable[[ArticleContext, Sentence, tuple[int, int, str]], list[Event]]] = {
    "ban": _ban,
    "regulation": _regulation,
    "merger_acquisition": _merger,
    "partnership": _partnership,
    "launch": _launch,
    "exit": _exit,
    "funding": _simple,
    "layoff": _simple,
    "leadership_change": _leadership,
}
DEAL_TYPES = frozenset({"partnership", "merger_acquisition"})
PARTY_TYPES = frozenset({"partnership", "merger_acquisition", "ban", "exit"})


def _negated(ctx: ArticleContext, sent: Sentence, start: int) -> bool:
    """Whether the trigger's clause denies, questions or rumours the event."""
    c_start, c_end = clause_bounds(ctx, sent, start)
    return bool(context("_negation").search(ctx.text, c_start, c_end))


def _launch_segments(ctx: ArticleContext, sent: Sentence, triggers: list[tuple[int, int, str]]) -> dict[int, Sentence]:
    """Each launch trigger's share of a sentence naming several (launched in Spain..., after its UK debut in 2021)."""
    starts = [t[0] for t in triggers if t[2] == "launch"]
    if len(starts) < 2:
        return {}
    cuts = [sent.start] + [clause_bounds(ctx, sent, s)[0] for s in starts[1:]] + [sent.end]
    return {s: Sentence(cuts[i], cuts[i + 1], sent.para, sent.index) for i, s in enumerate(starts)}


def _halted(ctx: ArticleContext, sent: Sentence, trig: tuple[int, int, str], following: list[tuple[int, int, str]]) -> bool:
    """Whether a listing trigger is the object of a halt right after it (上市计划被叫停, IPO was suspended)."""
    if not following or following[0][2] not in HALTS:
        return False
    nxt = following[0]
    return nxt[0] - trig[1] <= LISTING_REACH and clause_bounds(ctx, sent, nxt[0])[0] <= trig[0]


def _sentence_text(ctx: ArticleContext, sent: Sentence) -> str:
    """The sentence as the article writes it."""
    return ctx.article.body[sent.start:sent.end].strip()


def _sentence_events(ctx: ArticleContext, sent: Sentence, triggers: list[tuple[int, int, str]]) -> list[Event]:
    """Events of one sentence: the first convincing trigger of each type."""
    if not triggers or QUESTION_END.search(ctx.text, max(sent.start, sent.end - 12), sent.end):
        return []
    found: dict[str, list[Event]] = {}
    segments = _launch_segments(ctx, sent, triggers)
    for i, trig in enumerate(triggers):
        etype = trig[2]
        if (etype == "leadership_change" and not EMIT_LEADERSHIP) or _negated(ctx, sent, trig[0]):
            continue
        if etype == "funding" and _halted(ctx, sent, trig, triggers[i + 1:i + 2]):
            continue
        window = segments.get(trig[0], sent)
        events = [replace(e, sentence=_sentence_text(ctx, sent)) for e in BUILDERS[etype](ctx, window, trig)]
        if etype in found and etype != "launch":
            # A second trigger of a type counts only for another organization (京东集团 listed, then 京东健康).
            seen = {e.entity for e in found[etype]}
            events = [e for e in events if e.entity not in seen and e.entity is not None]
        if events:
            found.setdefault(etype, []).extend(events)
    if DEAL_TYPES & found.keys():
        found.pop("launch", None)
    return [event for events in found.values() for event in events]


def _compatible(a: str | None, b: str | None) -> bool:
    """Whether two field values can describe the same thing (equal, or one is missing)."""
    return a == b or a is None or b is None


def _same(a: Event, b: Event) -> bool:
    """Whether two rows tell the same event; a dated or market-bound type must agree on both."""
    if a.event_type != b.event_type or a.entity != b.entity or not _compatible(a.counterpart, b.counterpart):
        return False
    if a.event_type in DEAL_TYPES:
        return a.counterpart == b.counterpart or a.market == b.market
    if a.event_type in PARTY_TYPES:
        return _compatible(a.market, b.market)
    periods_agree = (a.period is None or b.period is None
                     or a.period.startswith(b.period) or b.period.startswith(a.period))
    return a.market == b.market and periods_agree


def _finer(kept: str | None, other: str | None) -> str | None:
    """The more precise of two periods when one refines the other (2023 -> 2023-10), else the kept one."""
    if kept is None or (other and other.startswith(kept)):
        return other or kept
    return kept


def _merge(events: list[Event]) -> list[Event]:
    """One row per event: later repeats only fill in a missing counterpart, market or period."""
    out: list[Event] = []
    for event in events:
        twin = next((i for i, kept in enumerate(out) if _same(kept, event)), None)
        if twin is None:
            out.append(event)
            continue
        kept = out[twin]
        out[twin] = Event(kept.event_type, kept.entity, kept.counterpart or event.counterpart,
                          kept.market, _finer(kept.period, event.period),
                          kept.sentence, kept.span_start, kept.span_end)
    return out


def extract_events(article: Article) -> list[Event]:
    """Every business event stated in the article body, one row per event."""
    ctx = build_context(article)
    triggers = SpanList(find_triggers(ctx.text))
    if triggers:
        parties(ctx, triggers)  # built once, knowing where the trigger words stand
    events = [event for sent in _trigger_sentences(ctx, triggers)
              for event in _sentence_events(ctx, sent, in_span(triggers, sent.start, sent.end))]
    return _merge(events)


def _trigger_sentences(ctx: ArticleContext, triggers: SpanList) -> list[Sentence]:
    """The sentences a trigger starts in, in order: the others yield no event and are not looked at (nor split)."""
    chosen = {sent.start: sent for sent in map(ctx.sentence_at, triggers.starts) if sent is not None}
    return list(chosen.values())
