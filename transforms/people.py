"""People moves from article text: who left which role at which org, and what they took on.

A move needs a named person next to a move verb (加盟, 出任, 卸任, joins, stepped down...).
Chinese names are a surname plus one or two characters, confirmed by how the article uses
them; English names are two or three capitalized words. Vocabulary: reference/people_roles.csv.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from transforms.events_lexicon import StartIndex, start_index, top_level_alternatives
from transforms.mentions import (
    ArticleContext,
    Sentence,
    SpanList,
    bounds_between,
    build_context,
    in_span,
    stop_positions,
)
from transforms.model import Article, PeopleMove
from transforms.people_en import english_moves
from transforms.reference import read_csv_rows
from transforms.textnorm import normalize

LOG = logging.getLogger(__name__)

PEOPLE_VERSION = "0.3.0"

ROLES_FILE = "people_roles.csv"
MOVE_KINDS = ("appoint", "dismiss", "by_marker", "reports", "handover", "new_post", "to_verb", "join_verb", "duty_verb", "from_verb", "past_marker", "focus_shift")
KINDS = ("title", "dismiss", "reports", "new_post", "unit", "job_exit", "subsidiary", "continuing", "handover", "to_verb", "join_verb", "duty_verb", "by_verb", "hypothetical", "from_verb", "past_marker",
         "former_marker", "focus_shift",
         "location_marker", "appoint", "by_marker", "org", "surname")
CJK = "\u4e00-\u9fff"
NOT_GIVEN = "的了在是和与也已将于被从说为着过把就都而及或等对向到这那其他她它们个上下中由任前曾并再又亦还正则近日今年月底期各位省市县区州职务"
NOT_GIVEN_CHARS = frozenset(NOT_GIVEN)
NAME_THEN_WORD = frozenset("自因于在将已被从曾和与则还先")
NOT_GIVEN_AFTER_TITLE = frozenset("的了在是和与也已将于被从说为着过把就都而及或等对向到这那其他她它们个")
NAME_END_WORDS = r"\d{4}年|因|自|先生|女士|\d{1,2}月|汇报|的|在|说|表示|称|也|已|将|于|亲自|被|从|是|曾|和|与|则|还|正|为|透露|认为|指出|坦言|兼|宣布|改为|改向|向|对|获|等|两人|二人|各自|分别|都|均|早在|便|此后|一直|以|同样|今天|今日|昨天|昨日|日前|近日"
NAME_END_KINDS = ("to_verb", "join_verb", "from_verb", "duty_verb", "by_verb", "past_marker")
LATIN_PERSON = re.compile(r"\s?[A-Z][a-z]+(?:\s(?:[A-Z][a-z]+|Le|La|De|Van|Von)){1,3}(?![A-Za-z])")
INTRODUCERS = re.compile(r"(?:任命|委任|提拔|聘任|聘请|由|接替|替代|取代|接棒|向|免除|免去|罢免|撤换|解除)$")
INTRODUCER_WORDS = re.compile(INTRODUCERS.pattern.rstrip("$"))
NAME_REACH = 40  # characters before a verb where a name using it may start (name, gloss, time and adverbs)
NAME_CUE_WORDS = re.compile(r"表示|说|称|透露|指出|认为|坦言|回应|宣布|介绍|强调|写道|提到|作为")  # speech verbs and 作为
ADVERB_VERB = re.compile(r"\s?(?:火速|正式|已经|即将|将会|随即|随后|旋即|再度|再次|同时|近日|日前|低调|悄然|宣布)")  # 黄星火速加盟
USED_AS = re.compile(r"\s?(?:\([^()]{1,16}\)\s?)?(?:作为|以)(?=[^,;。]{0,12}?(?:总裁|CEO|总经理|董事长|负责人|官))")  # 戴珊(苏荃)作为集团总裁
GLOSS_AFTER = re.compile(r"\s?\([^()]{1,16}\)")
SPEECH_AFTER = re.compile(r"\s?(?:在\S{1,12}?)?(?:表示|说|称|透露|指出|认为|坦言|回应|宣布|介绍|强调|写道|提到)")
APPOINT_TAIL = re.compile(r"\s*(?:为|担任|出任|接任|任)?")
BY_ROLE_LEAD = re.compile(r".*(?:后|时|起|中)")
BY_TAIL = re.compile(r"(?:而是|是|并|而|再|则|将|已|也|都|均|会|改|整体|转|交)*$")  # 一职则交由, 业务整体转由: the hand-over words end no role
REPLACES = re.compile(r"接替|替代|取代")
FORMER_LEAD = re.compile(r"^[前原](?=\S)")
ROLE_HEAD = re.compile(r"^(?:为|為|成为|成為|过|過|了)\s?")  # 升任为集团CFO, 担任过X
CONJ_TAIL = re.compile(r"\s?(?:并|並|而|且|及)$")  # 辞去董事长职务并改任顾问
ROLE_MANY = re.compile(r"等(?:多个|多項|多项|诸多|諸多)?(?:职位|职务|職位|職務)?$")  # X、Y等多个职位
ROLE_TAIL = re.compile(r"(?:一职|一職|职务|職務|职位|職位|头衔|頭銜)?(?:至今)?(?:之后|之後|以后|以後|以来|以來|后|後|时|時|期间|期間)?$")
ROLE_LEAD = re.compile(r"\s*(?:的|,)?\s*(?:担任|出任|任)?")
BUSINESS_LINE = re.compile(r"(?:电商|业务)$")
NOT_NAMES = frozenset("高管 高层 方面 方式 全球 全力 全面 安全 管理 成员 成本 向上 于是 常规 文化 石油 金融 龙头 "
                      "马上 万家 任何 曾经 江湖 程序 和平 宋体 应用 商家 商品 商业 毛利 余额 康复 时间 明年 黄金 高级 季度 何时 游戏 全国 全市 全省 "
                      "方向 常态 时代 金额 平台 高速 全部 全新 华南 华东 华北 文章 孔子 安心 高效 温度 钱包 车辆".split())
NOT_BEFORE_NAME = frozenset("0123456789一二三四五六七八九十百千万亿第他她其每该本这那获出担兼升调改转就继")  # 获任运营主管: 任 starts no name
CLAUSE_STOP = re.compile(r"[,，;；:：。!！?？()（）\"“”「」—-](?:(?<=[^—-])|(?<=—)—|(?<=-)-)")  # punctuation, —— or --
PRONOUN = re.compile(r"(?:这位|此人|他|她)")
SUBJECT_STOP = re.compile(r"[,，;；:：。!！?？]")  # a subject reaches across quotes and brackets: 他在1998年创立「X」并出任
OBJECT_BEFORE = re.compile(r"(?:接棒|接替|接班|取代|替代|替换|向|对|与|和|跟|同)\s?$")  # the name after these is no subject
PLURAL_AFTER = re.compile(r"\s?(?:两人|二人|三人|均|都|各自|分别|共同|同时|一起)")
LIST_JOIN = re.compile(r"\s?(?:、|与|和|及|以及|,)\s?")
BY_VERB_LEAD = re.compile(r"\s?(?:各自|分别|亲自|共同|一起|来|去|将|会|则)?")
OWNER_LEAD = re.compile(rf"(?:(?P<pronoun>他的|她的|其)|[{CJK}A-Za-z ]{{2,12}}?的)(?=[^,;。]*?(?:职位|职务|一职|位置|头衔|工作))")
TOPIC_LEAD = re.compile(r"\s?(?:至于|对于|而|其中|另外|此外)?\s?")
REPORTS_AFTER = re.compile(r"\s?(?:直接)?(?:汇报|报告)")  # the vocabulary's `reports` words flag the sentence
REPORT_CHANGE = re.compile(r"(?:改为|改成|转为|转而|改)\s?向(?P<title>[^,;。]{0,16}?)$")
UNITS = re.compile(r"(?:把|将)(?P<units>[^,;。]{2,40}?)(?:等\w{0,2}?)?(?:合并|整合|划归|调整)?$")
HANDED_ROLE = re.compile(r"(?:将|把)(?P<role>[^,;。]{1,24}?)$")
RESPECTIVELY = re.compile(r"分别|各自")
POST_JOIN = re.compile(r"\s?(?:和|、|及|与|以及)\s?")
VACANCY = re.compile(r"遗缺|遺缺|空缺|其职|其職|原职|原職|该职|該職|该职位|該職位|此职|此職")
JOINED_CLAUSE = re.compile(r"\s?(?:并|同时|还|也|亦|以及)")
DISMISSED_TAIL = re.compile(r"等?(?:职务|职位|一职|职)$")
BODY_WORDS = re.compile(r"公司|集团|董事会|董事局|管理层|委员会|监事会|股东会|上司|总部")
NOT_BY = re.compile(r"(?:理由|自由|缘由|经由|由于|由此|事由)")
DESCRIBED = re.compile(rf"\s?(?:前|原|现任)?[{CJK}A-Za-z]{{1,12}}\s?")  # 由前大同大学助理教授汤政仁出任
CLEFT_TAIL = re.compile(r"[^,;。]{0,24}?的\s?,?\s?(?:则|就)?(?:将会|将|会)?是")  # 接棒的将会是X, 接掌董事会主席的,将是X
LATIN_GLOSS = re.compile(r"[(]\s?(?P<latin>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})\s?[)]")
GLOSSED_CJK = re.compile(rf"(?P<cjk>[{CJK}]{{1,8}}(?:[ ·][{CJK}]{{2,5}})?)\s?$")
ORG_GLOSS = re.compile(r"\b(?:Group|Inc|Corp|Corporation|Company|Holdings|International|Technologies|Technology|Capital|"
                       r"Partners|Limited|Ltd|Bank|Fund|Ventures|Securities|Post|Express|Logistics|Media|News|Times)\b")
ORG_SUFFIX = re.compile(r"(?:公司|集团|银行|基金|资本|科技|控股|平台|机构|媒体|报|社|网)$")


@dataclass(slots=True)
class Draft:
    """A move being assembled from one sentence's pieces."""

    person: str
    start: int
    end: int
    role_from: str | None = None
    org_from: str | None = None
    role_to: str | None = None
    org_to: str | None = None
    location: str | None = None
    leaves: bool = False
    arrives: bool = False
    anchor_start: int = -1
    anchor_end: int = -1


@lru_cache(maxsize=1)
def vocab() -> dict[str, re.Pattern[str]]:
    """One compiled alternation per vocabulary kind, longest alternatives first."""
    parts: dict[str, list[str]] = {kind: [] for kind in KINDS}
    try:
        rows = read_csv_rows(ROLES_FILE)
    except (OSError, ValueError) as exc:
        LOG.warning("people vocabulary %s unreadable: %s", ROLES_FILE, exc)
        rows = ()
    for row in rows:
        kind = (row.get("kind") or "").strip()
        if kind in parts:
            pattern = normalize(row.get("pattern") or "")
            parts[kind].extend(p for p in (top_level_alternatives(pattern) or [pattern]) if p)
    return {kind: re.compile("|".join(sorted(set(p), key=len, reverse=True)) or r"(?!)", re.IGNORECASE)
            for kind, p in parts.items()}


@lru_cache(maxsize=1)
def name_end() -> re.Pattern[str]:
    """What may follow a Chinese name: punctuation, a particle, or a word of the move vocabulary."""
    verbs = "|".join(vocab()[kind].pattern for kind in NAME_END_KINDS)
    return re.compile(rf"(?:[^{CJK}A-Za-z0-9]|{NAME_END_WORDS}|{verbs}|$)")


@lru_cache(maxsize=1)
def move_after() -> re.Pattern[str]:
    """A move verb right after a name (a name so used is a name even when said once)."""
    verbs = "|".join(vocab()[kind].pattern for kind in ("to_verb", "join_verb", "from_verb", "by_verb"))
    return re.compile(rf"\s?(?:\([^()]{{1,16}}\)\s?)?(?:自|从|于|在)?(?:将|已|已经|正式|即将|已正式|早在|分别|各自|均|都|宣布|于.{{0,6}}?|"
                      rf"(?:自|从|于)?\d{{4}}年(?:\d{{1,2}}月)?(?:\d{{1,2}}日)?(?:起|开始)?)?(?:就|便|即|曾|已|早已|也|亦|将)?(?:{verbs})")


@lru_cache(maxsize=1)
def after_words() -> re.Pattern[str]:
    """The move verbs alone: where one starts, `move_after` may match a name's next words."""
    return re.compile("|".join(vocab()[kind].pattern for kind in ("to_verb", "join_verb", "from_verb", "by_verb")))


@lru_cache(maxsize=1)
def name_pattern() -> re.Pattern[str]:
    """Surname + one or two given-name characters."""
    return re.compile(rf"(?:{vocab()['surname'].pattern})[{CJK}]{{1,2}}")


def _name_starts(text: str, windows: list[tuple[int, int]] | None = None) -> Iterator[tuple[int, str]]:
    """(start, longest surname + given name) at every position one starts, overlapping ones included;
    with `windows`, only starts inside them (sorted, disjoint [start, end) spans)."""
    pattern = name_pattern()
    for lo, hi in windows if windows is not None else [(0, len(text))]:
        match = pattern.search(text, lo)
        while match and match.start() < hi:
            yield match.start(), match.group()
            match = pattern.search(text, match.start() + 1)


def _evidence_windows(text: str, anchors: list[int], title_ends: set[int], intro_ends: set[int]
                      ) -> list[tuple[int, int]]:
    """Where a used name can start: right after a title or introducer, or up to NAME_REACH characters before a
    move verb, speech verb or 作为; merged into sorted disjoint spans."""
    spans = sorted([(e, e + 2) for e in title_ends | intro_ends] + [(max(0, a - NAME_REACH), a) for a in anchors])
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


@lru_cache(maxsize=1)
def _indexes() -> dict[str, StartIndex | None]:
    """Start indexes of the title words, of the words that make a Chinese move, of 由 and of the verbs a 由 needs."""
    def index(kinds: tuple[str, ...]) -> StartIndex | None:
        parts = [top_level_alternatives(vocab()[kind].pattern) for kind in kinds]
        return None if None in parts else start_index([f for part in parts for f in part], re.IGNORECASE)

    return {"title": index(("title",)), "moves": index(tuple(k for k in MOVE_KINDS if k != "by_marker")),
            "by": index(("by_marker",)), "verbs": index(("duty_verb", "to_verb", "by_verb")),
            "after": index(("to_verb", "join_verb", "from_verb", "by_verb"))}


def _title_ends(text: str) -> set[int]:
    """End offsets of every title word (总裁, CEO...)."""
    return {end for _start, end in _title_spans(text)}


def _verb_starts(text: str) -> list[int]:
    """Start offsets of the move verbs a name may be followed by, from the start index (one cheap pass)."""
    index = _indexes()["after"]
    if index is None or not index.usable(text):
        return sorted(m.start() for m in after_words().finditer(text))
    return [start for start, _end in index.spans(text)]


def _title_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every title word of the text."""
    index = _indexes()["title"]
    if index is None:
        return [m.span() for m in vocab()["title"].finditer(text)]
    return index.spans(text)


def _move_sentences(ctx: ArticleContext) -> list[Sentence]:
    """The sentences a Chinese move can come of, in order (the others skip the Chinese rules, and names go unsought).

    Such a sentence holds a move verb or an appointment, or a 由 with a duty or move verb after it
    (ROLE由NAME带队: the rule looks up to 5 characters past the name, so past the sentence too).
    """
    indexes = _indexes()
    text = ctx.text
    if any(index is None or not index.usable(text) for key, index in indexes.items() if key != "title"):
        return ctx.sentences
    found: dict[int, Sentence] = {}
    verbs = indexes["verbs"].starts(text)
    for key in ("moves", "by"):
        index = indexes[key]
        for pos in index.starts(text):
            para = ctx.paragraph_at(pos)  # most candidates match nowhere: their paragraph is not split for them
            if para < 0 or not index.matches_at(text, pos, ctx.paragraphs[para].end):
                continue
            sent = ctx.sentence_at(pos)
            if sent is None or sent.start in found or not index.matches_at(text, pos, sent.end):
                continue
            if key == "moves" or bisect_left(verbs, pos + 1) < bisect_left(verbs, sent.end + 5):
                found[sent.start] = sent
    return sorted(found.values(), key=lambda sent: sent.start)


def _confirmed_names(text: str, title_ends: set[int], taken: bytearray) -> set[str]:
    """Chinese names the article uses as names: ended by a particle or verb, and once at least titled, introduced
    (由, 任命), followed by a move verb, or said to speak and named again; a word that only looks like a name
    (解释说, 全国退休) is never so used.

    A surname character inside an organisation or market name starts no name (亚马逊 is no 马逊).
    """
    seen: set[str] = set()
    ends, after = name_end(), move_after()
    intro_ends = {m.end() for m in INTRODUCER_WORDS.finditer(text)}
    verb_starts = _verb_starts(text)  # where a move verb may follow a name
    cues = verb_starts + [m.start() for m in NAME_CUE_WORDS.finditer(text)]
    confirmed_at: dict[int, str] = {}
    listed: list[tuple[int, str]] = []
    for start, name in _name_starts(text, _evidence_windows(text, cues, title_ends, intro_ends)):
        if taken[start] or (start and text[start - 1] in NOT_BEFORE_NAME):
            continue
        lengths = (len(name), len(name) - 1)
        word = ends.match(text, start + 2) if len(name) == 3 else None
        if word and len(word.group()) >= 2:
            lengths = (2,)  # 木青改为向: a verb starting on the last character ends the name before it
        best: tuple[int, str] | None = None
        lead = start - 1 if start and text[start - 1] == " " else start
        introduced = lead in title_ends or lead in intro_ends
        barred = NOT_GIVEN_AFTER_TITLE if introduced else NOT_GIVEN_CHARS  # 高级副总裁王莆中, 接替林正
        for length in lengths:
            cand = text[start:start + length]
            if len(cand) < 2 or not barred.isdisjoint(cand[1:]) or cand in NOT_NAMES or start + 1 in title_ends:
                continue
            adverb = None if ends.match(text, start + length) else ADVERB_VERB.match(text, start + length)
            ended = 1 if adverb else 2 if adverb is None and ends.match(text, start + length) else 0
            if not ended or (best is not None and ended < best[0]):
                continue
            if best is not None and ended == best[0] and best[1][-1] not in NAME_THEN_WORD:
                continue  # keep the longer name unless its last character reads as the next word (张勇自2015年)
            end = start + length
            verb_near = bisect_left(verb_starts, end) < bisect_right(verb_starts, end + 24)
            if (introduced or (verb_near and after.match(text, adverb.end() if adverb else end))
                    or USED_AS.match(text, start + length)
                    or (SPEECH_AFTER.match(text, start + length) and text.count(cand, start + length) > 0)):
                best = (ended, cand)
        if best:
            seen.add(best[1])
            confirmed_at[start] = best[1]
        else:
            listed.append((start, name))
    for start, name in listed:  # 王小明、李思远分别出任: a name listed with a confirmed one is one too
        for length in (len(name), len(name) - 1):
            join = LIST_JOIN.match(text, start + length)
            if (length >= 2 and NOT_GIVEN_CHARS.isdisjoint(name[1:length]) and join
                    and join.end() in confirmed_at):
                seen.add(name[:length])
                break
    return seen


def _name_mentions(text: str, confirmed: set[str], title_ends: set[int]) -> list[tuple[int, int, str]]:
    """Every mention of a confirmed name in the text, longest name first at each position, plus titled Latin names."""
    found: list[tuple[int, int, str]] = []
    if confirmed:
        pattern = re.compile("|".join(re.escape(n) for n in sorted(confirmed, key=len, reverse=True)))
        found = [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    taken = {start for start, _end, _name in found}
    for end in sorted(title_ends):
        latin = LATIN_PERSON.match(text, end)
        if latin and text[end - 1:end] >= "\u4e00" and latin.start() not in taken:
            found.append((latin.start(), latin.end(), latin.group()))
    return sorted(found)


def _clause_end(ctx: ArticleContext, pos: int, limit: int) -> int:
    """End of the clause starting at pos (next comma, stop or dash in the original body), at most limit."""
    return bounds_between(stop_positions(ctx, "people", CLAUSE_STOP), pos, pos, limit)[1]


def _clause_start(ctx: ArticleContext, pos: int, floor: int) -> int:
    """Start of the clause holding pos (after the previous comma or stop), at least floor."""
    stops = stop_positions(ctx, "people", CLAUSE_STOP)
    return bounds_between(stops, pos, floor, pos)[0]


def _orgs_in(ctx: ArticleContext, start: int, end: int) -> list[tuple[int, int, str]]:
    """Organizations in [start, end): the shared mentions plus the people vocabulary's extra names."""
    found = []
    for o in in_span(ctx.orgs, start, end):
        if o.regulator or not o.known:
            continue
        unit = None if vocab()["subsidiary"].search(ctx.text, o.start, o.end) else vocab()["subsidiary"].match(ctx.text, o.end, end)
        # 京东数科, 京东零售: a unit the gazetteer does not know keeps the article's name
        found.append((o.start, unit.end(), ctx.article.body[o.start:unit.end()]) if unit else (o.start, o.end, o.name))
    for match in vocab()["org"].finditer(ctx.text, start, end):
        if not any(s < match.end() and match.start() < e for s, e, _ in found):
            found.append((match.start(), match.end(), match.group()))
    for org in in_span(ctx.unnamed_orgs, start, end):  # 游逸科技, 东森购物: named as the article writes them
        if not org.regulator and not any(s < org.end and org.start < e for s, e, _ in found):
            found.append((org.start, org.end, org.name))
    return sorted(found)


def _strip_org(ctx: ArticleContext, start: int, end: int, titled: bool = True) -> tuple[str | None, str | None]:
    """(role, org) of the role phrase at [start, end): a leading company moves to org, a business line stays.

    A role is a phrase that holds a title word (总裁, CEO, 负责人...): 还不到3个月 after 就任 is none.
    """
    check = _titled if titled else (lambda role: role)
    orgs = _orgs_in(ctx, start, end)
    if not orgs:
        return check(_clean(ctx, start, end)), None
    first = orgs[0]
    surface = ctx.text[first[0]:first[1]]
    if first[0] - start <= 1 and not BUSINESS_LINE.search(surface):
        start = first[1]
    return check(_clean(ctx, start, end)), first[2]


def _titled(role: str | None) -> str | None:
    """The role when it names a post (holds a title word), else None."""
    return role if role and vocab()["title"].search(normalize(role)) else None


def _clean(ctx: ArticleContext, start: int, end: int) -> str | None:
    """The original text of [start, end) without quotes, particles, a leading 前/原 or a trailing 一职."""
    role = ROLE_HEAD.sub("", ctx.article.body[start:end].strip(" 的“”\"'「」,，"))
    role = ROLE_MANY.sub("", ROLE_TAIL.sub("", CONJ_TAIL.sub("", FORMER_LEAD.sub("", role))).strip(" 的“”\"'「」,，"))
    return None if not role or role.startswith(("其", "他的", "她的")) else role


def _prefix_role(ctx: ArticleContext, sent: Sentence, name_start: int, floor: int | None = None
                 ) -> tuple[str | None, str | None]:
    """(role, org) from the title written just before a name: 原京东物流国际事业部负责人黄星."""
    start = max(_clause_start(ctx, name_start, sent.start), floor or 0)
    phrase = ctx.text[start:name_start]
    if phrase.endswith("的"):
        past = vocab()["past_marker"].match(phrase)
        phrase = phrase[:-1]
        start, phrase = (start + past.end(), phrase[past.end():]) if past else (start, phrase)
        name_start = start + len(phrase)
    titles = list(vocab()["title"].finditer(phrase))
    if not titles or titles[-1].end() != len(phrase):
        return None, None
    former = vocab()["former_marker"].match(phrase)
    cut = former.end() if former else 0
    lead = re.match(r"(?:[^,]*?(?:透露|称|表示|显示|介绍|据悉|推选|推举|选举|决议|通过|宣布)|比如|就连|包括)", phrase[cut:])
    cut += lead.end() if lead else 0
    return _strip_org(ctx, start + cut, name_start)


def _location(ctx: ArticleContext, sent: Sentence) -> str | None:
    """Where the person moves to: a market named right after 到/前往/常驻 in the sentence."""
    for match in vocab()["location_marker"].finditer(ctx.text, sent.start, sent.end):
        for start, end, _code in in_span(ctx.markets, match.end(), min(sent.end, match.end() + 2) + 6):
            if start - match.end() <= 1:
                return ctx.article.body[start:end]
    return None


class Names(list):
    """Name mentions of one sentence, sorted and disjoint, with their starts and ends indexed for bisect."""

    def __init__(self, items: list[tuple[int, int, str]]) -> None:
        super().__init__(items)
        self.starts = [n[0] for n in items]
        self.ends = [n[1] for n in items]


def _person_before(names: Names, pos: int, floor: int) -> tuple[int, int, str] | None:
    """The nearest name that ends before pos and starts at or after floor."""
    i = bisect_right(names.ends, pos)
    return names[i - 1] if i > 0 and names[i - 1][0] >= floor else None


def _person_after(names: Names, pos: int, within: int) -> tuple[int, int, str] | None:
    """The first name starting at or after pos and at most `within` characters later."""
    i = bisect_left(names.starts, pos)
    return names[i] if i < len(names) and names[i][0] - pos <= within else None


def _resolve_person(ctx: ArticleContext, sent: Sentence, names: Names, pos: int,
                    current: Draft | None, last: tuple[int, int, str] | None) -> tuple[int, int, str] | None:
    """Who a move verb is about: a name in its clause (not one another verb takes as its object: 接棒张一鸣出任),
    a pronoun's antecedent, or the sentence's subject."""
    c_start = bounds_between(stop_positions(ctx, "people_subject", SUBJECT_STOP), pos, sent.start, pos)[0]
    in_clause = _subject_before(ctx, names, pos, c_start)
    if in_clause:
        return in_clause
    if PRONOUN.match(ctx.text, c_start) or PRONOUN.match(ctx.text, c_start + (1 if ctx.text[c_start:c_start + 1] == " " else 0)):
        return _subject(names, sent.start, c_start) or last
    if current is not None:
        return (current.start, current.end, current.person)
    earlier = _subject_before(ctx, names, pos, sent.start)  # 李卫平…,被公告接替沈辉担任: 沈辉 is replaced
    if earlier:
        return earlier
    return last if PRONOUN.match(ctx.text.lstrip(), 0) and PRONOUN.match(ctx.text, sent.start) else None


def _subject_before(ctx: ArticleContext, names: Names, pos: int, floor: int) -> tuple[int, int, str] | None:
    """The nearest name before pos (from floor on) that no other verb takes as its object (接棒张一鸣, 与X),
    unless it ends a list of subjects (威尔克与克拉克两人都)."""
    name = _person_before(names, pos, floor)
    while (name and not PLURAL_AFTER.match(ctx.text, name[1])
           and OBJECT_BEFORE.search(ctx.text, max(floor, name[0] - 4), name[0])):
        name = _person_before(names, name[0], floor)
    return name


def _subject(names: Names, start: int, end: int) -> tuple[int, int, str] | None:
    """The first name in [start, end): a Chinese sentence's topic, whom a later 他/她 in it refers to."""
    i = bisect_left(names.starts, start)
    return names[i] if i < len(names) and names[i][1] <= end else None


def _coordinated(ctx: ArticleContext, names: Names, person: tuple[int, int, str], floor: int
                 ) -> list[tuple[int, int, str]]:
    """The names listed before `person` as one subject with it (威尔克与克拉克两人都, 戴珊、蒋凡各自), else none."""
    if not PLURAL_AFTER.match(ctx.text, person[1]):
        return []
    out = []
    cur = person
    while True:
        prev = _person_before(names, cur[0], floor)
        if prev is None or not LIST_JOIN.fullmatch(ctx.text[prev[1]:cur[0]]):
            return out
        out.append(prev)
        cur = prev


def _in_modifier(ctx: ArticleContext, sent: Sentence, end: int) -> bool:
    """Whether a verb sits in a 这位...的 modifier (background, not the news): 这位2019年就加入抖音集团的元老."""
    c_start = _clause_start(ctx, end, sent.start)
    c_end = _clause_end(ctx, end, sent.end)
    return bool(PRONOUN.match(ctx.text, c_start)) and "的" in ctx.text[end:c_end]


def _apply_verb(ctx: ArticleContext, draft: Draft, kind: str, match: re.Match[str], limit: int) -> None:
    """Fill a draft from one verb and the object phrase after it."""
    text = ctx.text
    o_start, o_end = match.end(), _clause_end(ctx, match.end(), limit)
    if kind in ("to_verb", "join_verb"):
        draft.arrives = True
    if kind == "to_verb":
        orgs = _orgs_in(ctx, o_start, o_end)
        if orgs and orgs[0][0] - o_start <= 1:
            draft.org_to = draft.org_to or orgs[0][2]
            lead = ROLE_LEAD.match(text, orgs[0][1], o_end)
            draft.role_to = draft.role_to or _titled(_clean(ctx, lead.end() if lead else orgs[0][1], o_end))
        elif o_end > o_start:
            role, org = _strip_org(ctx, o_start, o_end)
            draft.role_to, draft.org_to = draft.role_to or role, draft.org_to or org
            place = in_span(ctx.markets, o_start, o_end)
            if place and place[0][0] - o_start <= 1 and not (role or org):
                draft.location = ctx.article.body[place[0][0]:place[0][1]]  # 调任新加坡: a transfer to a place
    elif kind == "join_verb":
        orgs = _orgs_in(ctx, o_start, o_end)
        if orgs and orgs[0][0] - o_start <= 1:
            draft.org_to = draft.org_to or orgs[0][2]
    elif kind == "duty_verb":
        orgs = _orgs_in(ctx, o_start, o_end)
        if not (orgs or draft.arrives or vocab()["unit"].search(text, o_start, o_end)):
            return  # 负责接收死者, 带领人民: taking charge of no business unit is no post
        draft.role_to = draft.role_to or _clean(ctx, match.start(), o_end)
        draft.org_to = draft.org_to or (orgs[0][2] if orgs else None)
    elif kind == "focus_shift":
        end = o_end - 1 if text[o_start:o_end].rstrip().endswith("上") else o_end
        role, org = _strip_org(ctx, o_start, end, titled=False)
        draft.role_to, draft.org_to = draft.role_to or role, draft.org_to or org
    elif kind == "past_marker":
        end = text.rfind("的", o_start, o_end)
        role, org = _strip_org(ctx, o_start, end if end > o_start else o_end, titled=match.group().endswith(("任", "是")))
        draft.role_from, draft.org_from = draft.role_from or role, draft.org_from or org
    elif kind == "from_verb":
        orgs = _orgs_in(ctx, o_start, o_end)
        left_org = orgs[0][2] if orgs and orgs[0][0] - o_start <= 1 else None
        role, org = _strip_org(ctx, o_start, o_end) if o_end > o_start else (None, None)
        # 离开现场, 辞去了工作: a departure is a move when it names the post or organisation left,
        # or is said with a word only posts are left by (卸任, 辞职)
        if not (left_org or role or vocab()["job_exit"].fullmatch(match.group())):
            return
        draft.leaves = True
        if role:  # 创始人黄峥...辞任董事长: the post the verb names is the one left, not the title before the name
            draft.role_from, draft.org_from = role, org or left_org or draft.org_from
        draft.org_from = draft.org_from or left_org


def _verbs(ctx: ArticleContext, sent: Sentence) -> list[tuple[str, re.Match[str]]]:
    """Move verbs of a sentence in text order, with their kind."""
    kinds = ("to_verb", "join_verb", "duty_verb", "from_verb", "past_marker", "focus_shift")
    found = [(kind, m) for kind in kinds for m in vocab()[kind].finditer(ctx.text, sent.start, sent.end)]
    found.sort(key=lambda km: (km[1].start(), -len(km[1].group())))
    kept: list[tuple[str, re.Match[str]]] = []
    for kind, match in found:
        if not kept or match.start() >= kept[-1][1].end():
            kept.append((kind, match))
    return kept


def _new_draft(ctx: ArticleContext, sent: Sentence, person: tuple[int, int, str], with_prefix: bool) -> Draft:
    """A draft for a person, with the former title written before the name when asked."""
    draft = Draft(person[2], person[0], person[1])
    if with_prefix:
        draft.role_from, draft.org_from = _prefix_role(ctx, sent, person[0])
    return draft


def _appointed(ctx: ArticleContext, sent: Sentence, names: Names) -> list[Draft]:
    """ORG任命NAME为ROLE and ROLE由NAME带队: the named person takes the role."""
    out = []
    v = vocab()
    for match in v["appoint"].finditer(ctx.text, sent.start, sent.end):
        person = _person_after(names, match.end(), 14)
        if person is None:
            continue
        draft = Draft(person[2], person[0], person[1], anchor_start=match.start(), anchor_end=match.end())
        draft.role_from, draft.org_from = _prefix_role(ctx, sent, person[0], floor=match.end())
        tail = APPOINT_TAIL.match(ctx.text, person[1])
        o_start = tail.end() if tail else person[1]
        role, org = _strip_org(ctx, o_start, _clause_end(ctx, o_start, sent.end))
        subject = _orgs_in(ctx, sent.start, match.start())
        draft.role_to, draft.org_to = role, org or (subject[-1][2] if subject else None)
        out.append(draft)
    for match in v["by_marker"].finditer(ctx.text, sent.start, sent.end):
        first = _person_after(names, match.end(), 24)
        people = _listed_after(ctx, names, first) if first else []
        verb = _by_verb(ctx, people[-1][1]) if people else None
        if verb is None or ctx.text.startswith("的", verb.end()):
            continue  # 由张川主管的到店事业群: a modifier recalls who ran it, it moves nobody
        gap = ctx.text[match.end():first[0]]
        if NOT_BY.match(ctx.text, max(0, match.start() - 1)) or (
                gap.strip() and not v["title"].search(gap[-6:]) and not DESCRIBED.fullmatch(gap)):
            continue  # 由于, 理由; 由前大同大学助理教授汤政仁出任: a short description before the name is allowed
        role, org, owner = _handed_role(ctx, sent, names, match.start(), verb)
        held = _prefix_role(ctx, sent, owner[0]) if owner is not None else (None, None)
        if owner is not None and role is None:
            role, org = held[0], held[1] or org  # 由林立接任其职务: the post is the one its holder is named by
        for person in people:
            draft = Draft(person[2], person[0], person[1], role_to=role, org_to=org,
                          anchor_start=match.start(), anchor_end=verb.end())
            draft.role_from, draft.org_from = _prefix_role(ctx, sent, person[0], floor=match.end())
            out.append(draft)
        if owner is not None and owner[2] not in {p[2] for p in people}:
            out.append(Draft(owner[2], owner[0], owner[1], role_from=role or held[0], org_from=org, leaves=True,
                             anchor_start=match.start(), anchor_end=verb.end()))
    return out


def _listed_after(ctx: ArticleContext, names: Names, first: tuple[int, int, str]) -> list[tuple[int, int, str]]:
    """The name and those listed right after it (由戴珊、蒋凡各自执掌): all take the same role."""
    people = [first]
    while True:
        nxt = _person_after(names, people[-1][1], 4)
        if nxt is None or not LIST_JOIN.fullmatch(ctx.text[people[-1][1]:nxt[0]]):
            return people
        people.append(nxt)


def _by_verb(ctx: ArticleContext, pos: int) -> re.Match[str] | None:
    """The verb of ROLE 由 NAME VERB, a few characters after the name (各自执掌, 亲自带队, 接手)."""
    v = vocab()
    gloss = GLOSS_AFTER.match(ctx.text, pos)
    pos = gloss.end() if gloss else pos  # 徐宏(Toby)接任
    lead = BY_VERB_LEAD.match(ctx.text, pos)
    at = lead.end() if lead else pos
    return v["by_verb"].match(ctx.text, at) or v["duty_verb"].match(ctx.text, at) or v["to_verb"].match(ctx.text, at)


def _handed_role(ctx: ArticleContext, sent: Sentence, names: Names, by_at: int, verb: re.Match[str]
                 ) -> tuple[str | None, str | None, tuple[int, int, str] | None]:
    """(role, org, previous holder) of ROLE 由 NAME VERB: the role is the clause before 由, or the object after the
    verb (接手他的董事局主席职位, whose owner leaves it), or else the topic clause before (至于X等业务,将交由...)."""
    text = ctx.text
    verb_end = verb.end()
    c_end = _clause_end(ctx, verb_end, sent.end)
    owned = OWNER_LEAD.match(text, verb_end, c_end)
    owner = None
    if not owned and c_end - verb_end >= 2 and vocab()["duty_verb"].fullmatch(verb.group()):
        orgs = _orgs_in(ctx, verb_end, c_end)  # 由戴珊、蒋凡各自执掌新成立的两大板块: the charge is the post
        return _clean(ctx, verb.start(), c_end), orgs[0][2] if orgs else _main_in_paragraph(ctx, sent), None
    if not owned and c_end - verb_end >= 2 and vocab()["to_verb"].fullmatch(verb.group()):
        role, org = _strip_org(ctx, verb_end, c_end)  # 由执行副总林启峰升任总经理: the post follows the verb
        if role:
            everywhere = _orgs_in(ctx, sent.start, sent.end)
            return role, org or (everywhere[0][2] if everywhere else _main_in_paragraph(ctx, sent)), None
    if owned:
        role_start, role_end = owned.end(), c_end
        if owned.group("pronoun"):
            owner = _subject(names, sent.start, by_at)
        else:
            owner = _person_before(names, owned.end() - 1, verb_end)
    else:
        c_start = _clause_start(ctx, by_at, sent.start)
        lead = BY_ROLE_LEAD.match(text, c_start, by_at)
        role_start = lead.end() if lead else c_start
        role_end = role_start + BY_TAIL.search(text[role_start:by_at]).start()
        topic = _clause_start(ctx, c_start - 1, sent.start) if c_start > sent.start else c_start
        if (role_end <= role_start and c_start > sent.start and not in_span(names, topic, c_start)
                and not any(vocab()[k].search(text, topic, c_start) for k in ("from_verb", "to_verb"))):
            # 至于X等业务,将交由Y主管: the topic clause is the charge; a clause with a person in it tells a move instead
            role_start = topic
            role_start += TOPIC_LEAD.match(text, role_start).end() - role_start
            role_end = c_start - 1
    orgs = _orgs_in(ctx, role_start, role_end) or _orgs_in(ctx, sent.start, by_at)[-1:] or _orgs_in(ctx, by_at, sent.end)
    role = _clean(ctx, role_start, role_end) if role_end > role_start else None
    if owned:
        role = _titled(role)
    return role, orgs[0][2] if orgs else _main_in_paragraph(ctx, sent), owner


def _predecessors(ctx: ArticleContext, sent: Sentence, names: Names, drafts: list[tuple[Draft, int]]
                  ) -> list[tuple[Draft, int]]:
    """接替李纯: the person replaced leaves the role their successor takes."""
    out = []
    for match in REPLACES.finditer(ctx.text, sent.start, sent.end):
        person = _person_after(names, match.end(), 1)
        successor = next((d for d, _ in reversed(drafts) if d.end <= match.start()), None)
        if person is None or successor is None or person[2] == successor.person:
            continue
        out.append((Draft(person[2], person[0], person[1], role_from=successor.role_to,
                          org_from=successor.org_to, leaves=True,
                          anchor_start=match.start(), anchor_end=person[1]), match.start()))
    return out


def _chinese_moves(ctx: ArticleContext, sent: Sentence, names: Names,
                   last: tuple[int, int, str] | None) -> list[tuple[Draft, int]]:
    """Drafts of one Chinese sentence, each with the offset of its first verb."""
    drafts = ([(d, d.start) for d in _appointed(ctx, sent, names)] + _clefts(ctx, sent, names)
              + _reporting_lines(ctx, sent, names) + _handovers(ctx, sent, names) + _new_posts(ctx, sent, names)
              + _dismissals(ctx, sent, names))
    taken = {d.person for d, _ in drafts}
    current: Draft | None = None
    verbs = _verbs(ctx, sent)
    for i, (kind, match) in enumerate(verbs):
        if kind in ("to_verb", "duty_verb") and (_in_modifier(ctx, sent, match.end())
                                                 or ctx.text.startswith("的", match.end())):
            continue
        if kind in ("to_verb", "join_verb", "duty_verb") and CLEFT_TAIL.match(ctx.text, match.end(), sent.end):
            continue
        if kind == "past_marker" and _modifies_next_name(ctx, names, match.end(), _clause_end(ctx, match.end(), sent.end)):
            continue  # 曾任大力教育实际控制人的李飞: the past post belongs to the name after it
        if _supposed(ctx, sent, match.start()) or (kind == "to_verb" and _continuing(ctx, match.start(), sent)):
            continue
        person = _resolve_person(ctx, sent, names, match.start(), current, last)
        if person is None or person[2] in taken:
            continue
        limit = verbs[i + 1][1].start() if i + 1 < len(verbs) else sent.end
        if (current is None or current.person != person[2] or (kind == "to_verb" and current.role_to)
                or (kind == "from_verb" and current.role_from and current.leaves)
                or (kind in ("to_verb", "from_verb") and _dated_between(ctx, sent, current.anchor_end, match.start()))):
            # 2018年出任京东零售CEO, 2020年升任集团总裁: a second post is a second move
            fresh = current is None or current.person != person[2]
            current = _new_draft(ctx, sent, person, with_prefix=sent.start <= person[0] < sent.end and fresh)
            current.anchor_start, current.anchor_end = match.start(), match.end()
            drafts.append((current, match.start()))
        _apply_verb(ctx, current, kind, match, limit)
        group = [current]
        for other in _coordinated(ctx, names, person, _clause_start(ctx, person[0], sent.start)):
            draft = _new_draft(ctx, sent, other, with_prefix=True)
            draft.anchor_start, draft.anchor_end = match.start(), match.end()
            _apply_verb(ctx, draft, kind, match, limit)
            drafts.append((draft, match.start()))
            group.insert(0, draft)
        if len(group) > 1 and kind == "to_verb" and RESPECTIVELY.search(ctx.text, person[1], match.start()):
            _share_out(ctx, group, match.end(), _clause_end(ctx, match.end(), limit))
    _fill_vacancies(drafts)
    return drafts + _predecessors(ctx, sent, names, drafts)


def _reporting_lines(ctx: ArticleContext, sent: Sentence, names: Names) -> list[tuple[Draft, int]]:
    """UNITS 改为向 NAME 汇报: units (not a person) put under someone make that person their head.

    When a person is the subject (木青改为向魏雯雯汇报), only a reporting line changes: no move.
    """
    out: list[tuple[Draft, int]] = []
    text = ctx.text
    for person in names:
        report = REPORTS_AFTER.match(text, person[1])
        change = REPORT_CHANGE.search(text, max(sent.start, person[0] - 24), person[0])
        if report is None or change is None or _person_before(names, change.start(), sent.start) is not None:
            continue
        if CLAUSE_STOP.search(text, change.end(), person[0]):
            continue
        c_start = _clause_start(ctx, change.start(), sent.start)
        units = (UNITS.search(text, c_start, change.start())
                 or UNITS.search(text, _clause_start(ctx, max(sent.start, c_start - 1), sent.start), max(sent.start, c_start - 1)))
        role = _clean(ctx, units.start("units"), units.end("units")) if units else None
        draft = Draft(person[2], person[0], person[1], role_to=role,
                      org_to=_main_in_paragraph(ctx, sent), anchor_start=change.start(), anchor_end=report.end())
        draft.role_from, draft.org_from = _prefix_role(ctx, sent, person[0], floor=change.start("title"))
        out.append((draft, change.start()))
    return out


def _new_posts(ctx: ArticleContext, sent: Sentence, names: Names) -> list[tuple[Draft, int]]:
    """PChome新任总经理林志明: a name titled as newly in post has just taken it."""
    out: list[tuple[Draft, int]] = []
    for match in vocab()["new_post"].finditer(ctx.text, sent.start, sent.end):
        person = _person_after(names, match.end(), 16)
        if person is None or CLAUSE_STOP.search(ctx.text, match.end(), person[0]) or "由" in ctx.text[match.end():person[0]]:
            continue  # 新任董事长由X兼任: the 由 rule reads it
        role, org = _strip_org(ctx, match.end(), person[0])
        if role is None:
            continue
        before = _orgs_in(ctx, _clause_start(ctx, match.start(), sent.start), match.start())
        org = org or (before[-1][2] if before else _main_in_paragraph(ctx, sent))
        out.append((Draft(person[2], person[0], person[1], role_to=role, org_to=org,
                          anchor_start=match.start(), anchor_end=person[1]), match.start()))
    return out


def _dismissals(ctx: ArticleContext, sent: Sentence, names: Names) -> list[tuple[Draft, int]]:
    """董事会决议免除X的执行董事、首席执行官等职务: X leaves the posts named after the name."""
    out: list[tuple[Draft, int]] = []
    for match in vocab()["dismiss"].finditer(ctx.text, sent.start, sent.end):
        person = _person_after(names, match.end(), 2)
        if person is None:
            continue
        start = person[1] + (ctx.text[person[1]:person[1] + 1] == "的")
        end = _clause_end(ctx, start, sent.end)
        tail = DISMISSED_TAIL.search(ctx.text, start, end)
        role, org = _strip_org(ctx, start, tail.start() if tail else end)
        draft = Draft(person[2], person[0], person[1], role_from=role, org_from=org, leaves=True,
                      anchor_start=match.start(), anchor_end=person[1])
        if not org:
            before = _orgs_in(ctx, sent.start, match.start())
            draft.org_from = before[-1][2] if before else None
        out.append((draft, match.start()))
    return out


def _handovers(ctx: ArticleContext, sent: Sentence, names: Names) -> list[tuple[Draft, int]]:
    """A (将ROLE)交棒给 B: A leaves the post and B takes it."""
    out: list[tuple[Draft, int]] = []
    for match in vocab()["handover"].finditer(ctx.text, sent.start, sent.end):
        giver = _person_before(names, match.start(), _clause_start(ctx, match.start(), sent.start))
        taker = _person_after(names, match.end(), 16)
        if giver is None or taker is None:
            continue
        role_at = HANDED_ROLE.search(ctx.text, giver[1], match.start())
        role, org = _strip_org(ctx, role_at.start("role"), role_at.end("role")) if role_at else (None, None)
        leaver = _new_draft(ctx, sent, giver, with_prefix=True)
        leaver.role_from, leaver.org_from, leaver.leaves = role or leaver.role_from, org or leaver.org_from, True
        leaver.anchor_start, leaver.anchor_end = match.start(), match.end()
        successor = Draft(taker[2], taker[0], taker[1], role_to=leaver.role_from, org_to=leaver.org_from,
                          anchor_start=match.start(), anchor_end=taker[1])
        successor.role_from, successor.org_from = _prefix_role(ctx, sent, taker[0], floor=match.end())
        out += [(leaver, match.start()), (successor, match.start())]
    return out


def _fill_vacancies(drafts: list[tuple[Draft, int]]) -> None:
    """A successor told without the post (接棒的将会是X, 遗缺由X接任) takes the post the sentence's leaver,
    or else the one who moved up, gives up."""
    leaver = next((d for d, _ in drafts if d.leaves and (d.role_from or d.org_from)), None)
    mover = next((d for d, _ in drafts if d.role_from and d.role_to and not VACANCY.fullmatch(d.role_to)), None)
    for draft, _ in drafts:
        vacancy = draft.role_to is not None and VACANCY.fullmatch(draft.role_to)
        left = leaver or (mover if vacancy else None)  # 由总经理谷元宏升任董事长,遗缺由X接任: the post he moved up from
        if left is not None and draft.person != left.person and not draft.leaves and (draft.role_to is None or vacancy):
            draft.role_to, draft.org_to = left.role_from, left.org_from or draft.org_to


def _dated_between(ctx: ArticleContext, sent: Sentence, start: int, end: int) -> bool:
    """Whether a new time is told between two verbs (2012年进入腾讯,2019年起出任...): the later one is another move."""
    return any(start <= t.start < end and t.period for t in ctx.times(sent.para))


def _share_out(ctx: ArticleContext, group: list[Draft], start: int, end: int) -> None:
    """A、B分别出任C和D: the n-th person takes the n-th post."""
    cuts = [start] + [m.end() for m in POST_JOIN.finditer(ctx.text, start, end)]
    bounds = [(a, b.start()) for a, b in zip(cuts, POST_JOIN.finditer(ctx.text, start, end), strict=False)] + [(cuts[-1], end)]
    if len(bounds) != len(group):
        return
    for draft, (a, b) in zip(group, bounds, strict=True):
        draft.role_to, draft.org_to = _strip_org(ctx, a, b)


def _continuing(ctx: ArticleContext, pos: int, sent: Sentence | None = None) -> bool:
    """仍担任, 继续担任, 留任: a post held on is no move (nor the one joined to it: 继续担任A,并担任B)."""
    if vocab()["continuing"].search(ctx.text, max(0, pos - 3), pos) is not None:
        return True
    if sent is None:
        return False
    c_start = _clause_start(ctx, pos, sent.start)
    if c_start <= sent.start or not JOINED_CLAUSE.match(ctx.text, c_start):
        return False
    before = _clause_start(ctx, c_start - 1, sent.start)
    return vocab()["continuing"].search(ctx.text, before, c_start) is not None


def _modifies_next_name(ctx: ArticleContext, names: Names, start: int, end: int) -> bool:
    """Whether [start, end) ends in 的 + a name: a modifier of that name."""
    nxt = _person_after(names, start, end - start)
    return nxt is not None and nxt[0] <= end and ctx.text[nxt[0] - 1:nxt[0]] == "的"


def _supposed(ctx: ArticleContext, sent: Sentence, pos: int) -> bool:
    """Whether the clause before a verb only supposes the move (有望, 如果, 一旦...)."""
    return vocab()["hypothetical"].search(ctx.text, _clause_start(ctx, pos, sent.start), pos) is not None


def _clefts(ctx: ArticleContext, sent: Sentence, names: Names) -> list[tuple[Draft, int]]:
    """接棒的将会是X, 接掌董事会主席的,将是…X: the last name of the sentence takes the role (else its predecessor's)."""
    out: list[tuple[Draft, int]] = []
    v = vocab()
    for kind in ("to_verb", "by_verb"):
        for match in v[kind].finditer(ctx.text, sent.start, sent.end):
            tail = CLEFT_TAIL.match(ctx.text, match.end(), sent.end)
            if tail is None or not names or names[-1][0] < tail.end() or any(d.start == names[-1][0] for d, _ in out):
                continue
            person = names[-1]
            draft = Draft(person[2], person[0], person[1])
            draft.role_from, draft.org_from = _prefix_role(ctx, sent, person[0], floor=tail.end())
            role_end = ctx.text.rfind("的", match.end(), tail.end())
            draft.role_to, draft.org_to = _strip_org(ctx, match.end(), role_end)
            draft.anchor_start, draft.anchor_end = match.start(), person[1]
            out.append((draft, match.start()))
    return out


def _main_in_paragraph(ctx: ArticleContext, sent: Sentence) -> str | None:
    """The article's main organization, if this paragraph names it by the end of the sentence (an unnamed new employer)."""
    para_start = ctx.paragraphs[sent.para].start
    names = {o.name for o in in_span(ctx.orgs, para_start, sent.end)}
    if ctx.main_entity == "TikTok Shop" and "TikTok" in names:
        names.add("TikTok Shop")
    return ctx.main_entity if ctx.main_entity in names else None


def _to_move(ctx: ArticleContext, sent: Sentence, draft: Draft, anchor: int,
             known: dict[str, str] | None = None) -> PeopleMove | None:
    """A PeopleMove row from a draft that says something; a post left without an organisation is at the one
    the person was last told with (`known`), a post taken without one at the article's main entity (bare 加盟)."""
    known = known or {}
    if draft.org_to is None and draft.role_to:
        draft.org_to = _main_in_paragraph(ctx, sent)
    if draft.org_from is None and draft.role_from and draft.leaves and sent.start <= draft.start < sent.end:
        before = _orgs_in(ctx, sent.start, draft.start)  # 富邦媒宣布,董事长蔡明忠...请辞: the announcer's post
        draft.org_from = before[-1][2] if before else known.get(draft.person) or _main_in_paragraph(ctx, sent)
    if not (draft.role_to or draft.org_to or draft.leaves or draft.location):
        return None  # a title before a name (经理陈同) moves nobody by itself
    period = ctx.period(sent, anchor=anchor)
    raw = ctx.article.body[sent.start:sent.end]
    inside = sent.start <= draft.start < sent.end
    start = min(draft.start, anchor) if inside else sent.start
    end = max(draft.end, draft.anchor_end) if inside and draft.anchor_end > 0 else sent.end
    person = ctx.article.body[draft.start:draft.end] if inside else draft.person
    return PeopleMove(person, draft.role_from, draft.org_from, draft.role_to, draft.org_to,
                      draft.location or _location(ctx, sent), period, raw.strip(), start, end)


def _fits(a: str | None, b: str | None, loose: bool = False) -> bool:
    """Two values of one field can describe the same move: equal, one unknown, or (loose) one inside the other."""
    return a is None or b is None or a == b or (loose and (a in b or b in a))


def _arrives(move: PeopleMove) -> bool:
    """Whether a row tells where the person goes (a post or an organisation), not only what they leave."""
    return bool(move.role_to or move.org_to)


def _same_move(a: PeopleMove, b: PeopleMove) -> bool:
    """Whether two rows are one move told twice: same person, and no field that says otherwise."""
    return (a.person.replace(" ", "").casefold() == b.person.replace(" ", "").casefold()
            and (_arrives(a) == _arrives(b) or a.sentence == b.sentence)
            and _fits(a.org_to, b.org_to) and _fits(a.org_from, b.org_from) and _fits(a.period, b.period)
            and _fits(a.role_to, b.role_to, loose=True) and _fits(a.role_from, b.role_from, loose=True))


def _merge(moves: list[PeopleMove]) -> list[PeopleMove]:
    """One row per move: a later mention of the same move fills the fields the first one left empty.

    A person may make several moves in one article (a career told year by year, a hand-over and
    a new post); rows whose organisations, periods or roles disagree stay apart.
    """
    out: list[PeopleMove] = []
    for move in moves:
        i = next((i for i, kept in enumerate(out) if _same_move(kept, move)), None)
        if i is None:
            out.append(move)
            continue
        kept = out[i]
        out[i] = PeopleMove(
            kept.person, kept.role_from or move.role_from, kept.org_from or move.org_from,
            kept.role_to or move.role_to, kept.org_to or move.org_to, kept.location or move.location,
            kept.period or move.period, kept.sentence, kept.span_start, kept.span_end)
    return out


def _glossed_names(text: str, title_ends: set[int], taken: bytearray) -> dict[str, str]:
    """Transliterated names glossed with their Latin form, 杰夫 威尔克(Jeff Wilke), 梅尔(Kevin Mayer): name -> gloss.

    The name starts after the title, organisation or particle before it; a gloss that reads as an
    organisation (Group, Inc...) or a Chinese part ending in an organisation suffix is no person.
    """
    found: dict[str, str] = {}
    for match in LATIN_GLOSS.finditer(text):
        gloss = match.group("latin")
        cjk = GLOSSED_CJK.search(text, max(0, match.start() - 14), match.start())
        if cjk is None or ORG_GLOSS.search(gloss) or ORG_SUFFIX.search(cjk.group("cjk")):
            continue
        start = cjk.start("cjk")
        for pos in range(cjk.end("cjk") - 1, cjk.start("cjk"), -1):
            if pos in title_ends or taken[pos - 1] or text[pos - 1] in NOT_GIVEN_CHARS:
                start = pos
                break
        name = text[start:cjk.end("cjk")].strip()
        if len(name.replace(" ", "")) >= 2 and not taken[start]:
            found[name] = gloss
    return found


def _person_mentions(ctx: ArticleContext) -> SpanList:
    """Every mention of a person the article names: Chinese names confirmed by use, transliterated names
    glossed in Latin once (then also by their last part: 威尔克), and titled Latin names."""
    text = ctx.text
    titles = _title_spans(text)  # found once and shared by the name rules
    title_ends = {end for _start, end in titles}
    taken = bytearray(len(text) + 1)
    spans = [(o.start, o.end) for o in ctx.orgs if o.known] + [(m[0], m[1]) for m in ctx.markets]
    for start, end in spans:
        taken[start:end] = b"\x01" * (end - start)
    for start, end in titles:  # 非执行董事调任: 董 inside a title starts no name
        taken[start + 1:end] = b"\x01" * (end - start - 1)
    for match in BODY_WORDS.finditer(text):  # 公司公告: 司 of 公司 starts no name
        taken[match.start() + 1:match.end()] = b"\x01" * (match.end() - match.start() - 1)
    names = _confirmed_names(text, title_ends, taken)
    for name, gloss in _glossed_names(text, title_ends, taken).items():
        names.add(name)
        parts = re.split(r"[ ·]", name)
        if len(parts) > 1 and len(parts[-1]) >= 2:
            names.add(parts[-1])
        names.add(gloss)
    mentions = _name_mentions(text, names, title_ends)
    ends = {end for _start, end, _name in mentions}
    return SpanList([m for m in mentions if not _is_gloss(text, m[0], ends)])


def _is_gloss(text: str, start: int, ends: set[int]) -> bool:
    """A name in parentheses right after another name only glosses it: 威尔克(Jeff Wilke) is one mention."""
    i = start
    while i > 0 and text[i - 1] == " ":
        i -= 1
    if i == 0 or text[i - 1] != "(":
        return False
    i -= 1
    while i > 0 and text[i - 1] == " ":
        i -= 1
    return i in ends


def _last_name_before(ctx: ArticleContext, mentions: SpanList, pos: int) -> tuple[int, int, str] | None:
    """The last name mention lying wholly inside a sentence that ends by `pos` (who a later 他/她 may be)."""
    for mention in reversed(mentions[:bisect_left(mentions.starts, pos)]):
        sent = ctx.sentence_at(mention[0])
        if sent is not None and mention[1] <= min(sent.end, pos):
            return mention
    return None


def extract_people(article: Article) -> list[PeopleMove]:
    """Every role change of a named person stated in the article body; a person's mentions of one move are one row."""
    ctx = build_context(article)
    chinese = _move_sentences(ctx)
    mentions = _person_mentions(ctx) if chinese else SpanList([])
    moves: list[PeopleMove] = []
    known: dict[str, str] = {}  # person -> the organisation of their latest move (黄峥辞去CEO一职: still PDD)
    for sent in chinese:
        names = Names(in_span(mentions, sent.start, sent.end) if mentions else [])
        drafts = _chinese_moves(ctx, sent, names, _last_name_before(ctx, mentions, sent.start) if mentions else None)
        for draft, anchor in drafts:
            move = _to_move(ctx, sent, draft, anchor, known)
            if move:
                moves.append(move)
                if move.org_to or move.org_from:
                    known[draft.person] = move.org_to or move.org_from
    moves += english_moves(ctx)
    return _merge(moves)
