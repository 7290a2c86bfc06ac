"""Organizations, markets and times named in an article, with the flags attribution needs.

An organization is a subject, a place (在Shopee上, on Amazon) or neither (比Temu, owned by PDD);
a market in an aside, a dateline or a rank is no market; a time after 比/than is a comparison base.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from transforms.facts.cues import cue_pattern, cue_words, strip_connective
from transforms.facts.layout import Layout, Span
from transforms.facts.metrics import find_keywords
from transforms.facts.periods import TimeMention, find_times
from transforms.facts.quantities import Quantity
from transforms.gazetteer import find_entities, find_markets

NON_SUBJECT_BEFORE_RE = re.compile(
    r"(?:(?:低于|高于|不及|不如|落后于|领先于|相较于|相比于?)(?:国内|国外|海外|本土|中国)?|"
    r"来自|对标|比|较|超越|超过|挤不进|挖|和|与|跟|同|及|以及|像|如|不像|对手|从|给|向|把"
    r"|(?i:than|from|with|like|against|versus|vs\.?|owned by|backed by|including|such as)|rivals?"
    r"|(?i:over|beat|overtook|overtaking|dethrones?|surpass(?:ed|ing)?|stake in|acquired|acquire|acquiring|acquisition of|"
    r"takeover of|bought|buy|buying|bid for|offer for|includes?|included|comprising|comprises|"
    r"(?:owner|parent|operator|parent company|holding company) of|(?:platform|arm|unit|subsidiary|affiliate|division|business|marketplace|app|brand|sister|offshoot) of)|收购|入股|并购|控股|包括|包含|涵盖)\s*$")
INCLUDING_PHRASE_RE = re.compile(r"(?:(?<![A-Za-z])(?:including|such as|for example|e\.g\.)\s|包括|例如|诸如)[^,;:。!?()]{0,40}$", re.IGNORECASE)
RIVAL_HEAD_RE = re.compile(r"(?:^|[.!?;]\s+|\n)(?:(?:its|his|their|the|a|[A-Z][\w'’-]*|[a-z]+-(?:controlled|owned|backed|based|listed))\s+){0,2}\s*$")
# the source of a statistic: named right after 'according to'/据, or right before 'data showed'/发布的…显示/测算
# (the words are reference/cues.csv's source_before and source_after; 据 alone is guarded here: 数据/证据/根据)
SOURCE_BEFORE_RE = re.compile(rf"(?:{cue_pattern('source_before').pattern}|(?<![数证根])据)"
                              r"\s?(?:the\s)?(?:[\u4e00-\u9fff]{0,8}(?:机构|公司|平台))?\s?$", re.IGNORECASE)
SOURCE_AFTER_RE = re.compile(rf"\s?(?:(?:发布|公布|披露|出具)的?[^,;。!?]{{0,30}}(?:显示|指出|表明)|的?\s?(?:{cue_pattern('source_after').pattern})[,:]?)",
                             re.IGNORECASE)
PLACE_BEFORE_RE = re.compile(r"(?:在|入驻|登陆|通过|借助|on|at|via|through|to|in|into)\s*$", re.IGNORECASE)
NON_SUBJECT_AFTER_RE = re.compile(r"\s*(?:母公司|的母公司|子公司|那样|一样|相比|的对手|的竞争对手|-owned|-backed|-controlled|-funded|-supported|-run|’s parent|'s parent|时代)")
OWNER_ARM_AFTER_RE = re.compile(r"(?:'s|’s)\s(?:[A-Za-z-]+\s){0,3}(?:arm|unit|subsidiary|affiliate|division|subsidiaries)(?![A-Za-z])")
LIST_GAP_RE = re.compile(r"(?:\.(?:com|[a-z]{2})(?:\.[a-z]{2})?)?\s?(?:,|、|,?\s?and|,?\s?or|和|及|与|以及)\s?")
POSSESSIVE_AFTER_RE = re.compile(r"(?:'s|’s)\s+(?:estimated\s+|reported\s+)?(?:[A-Z]{0,3}\$|USD|US\$|€|£|\d)")
OWNER_AFTER_RE = re.compile(r"\s*旗下(?:的)?\s*")
SUBJECT_AFTER_RE = re.compile(r"\s*时")
PAST_EMPLOYER_BEFORE_RE = re.compile(r"(?:[他她]|[\u4e00-\u9fff]{2,3})(?:曾经?|此前|之前|早年|过去)?(?:在|于)\s?$|(?<![A-Za-z])(?:while|when)\s(?:at|with|working for|working at)\s$|(?<![A-Za-z])(?:formerly|previously|once)\s(?:at|of|with)\s$")
PAST_EMPLOYER_AFTER_RE = re.compile(r"\s*(?:时|期间|工作时|工作期间|任职时|任职期间|的时候|任职|工作过)|,\s(?:he|she)\s")
WITH_SUBJECT_AFTER_RE = re.compile(r"(?:'s|’s)?\s+(?:[a-z]+ly\s+)?[a-z]+ing(?![a-z])")
OWNED_BY_RE = re.compile(r"(?:owned|backed|acquired|controlled|operated|run|founded|parent)\s+(?:by|company)\b[^,;.]{0,40}$", re.IGNORECASE)
LOCATION_AFTER_RE = re.compile(r"-(?:based|founded|headquartered|listed|born)(?![A-Za-z])")
LOCATION_BEFORE_RE = re.compile(r"(?:(?:founded|headquartered|based|incorporated|listed|born|started|listing|IPO|float|debut) in\s|从[^,;。]{1,8}到|站在|飞往|前往|来到|回到|搬到|调往|奔赴|位于|总部设在|总部在|办公室在|flew to|moved to|based in|headquartered in)\s*$")
UNNAMED_ZH = (
    r"(?:一家|一位|一名|一个|某|某家|某位|一款|多位|多家|不少|许多|部分)[^,;。!?]{0,16}?(?:品牌|卖家|机构|MCN|商家|公司|企业|店铺|博主|达人|主播|创作者|网红|平台|工厂|厂商)")
UNNAMED_EN = (
    r"(?<![A-Za-z])(?:a|one|an|another|some|many|several|other)\s+(?:[A-Za-z-]+\s+){0,2}"
    r"(?:seller|merchant|brand|company|retailer|shop|store|vendor|creator|influencer|startup)s?\b")
UNNAMED_RE = re.compile(f"{UNNAMED_ZH}|{UNNAMED_EN}", re.IGNORECASE)
UNNAMED_ZH_RE = re.compile(UNNAMED_ZH, re.IGNORECASE)
UNNAMED_EN_RE = re.compile(UNNAMED_EN, re.IGNORECASE)
# Where UNNAMED_EN_RE may start, without re.IGNORECASE (which makes the engine try every position): a
# determiner in any case (ſ is an s to it) at a word start (ıİſK are letters to it) before a space.
UNNAMED_EN_START_RE = re.compile(
    r"[aAoOsSmMſ](?<![A-Za-z\u0130\u0131\u017f\u212a].)"
    r"(?:(?<=[aA])(?:[nN][oO][tT][hH][eE][rR]|[nN])?|(?<=[oO])(?:[nN][eE]|[tT][hH][eE][rR])"
    r"|(?<=[sSſ])(?:[oO][mM][eE]|[eE][vV][eE][rR][aA][lL])|(?<=[mM])[aA][nN][yY])\s")
# Some patterns here (ANAPHORA_RE, EN_APPOSITIVE_RE...) open with a literal or a character class and check what may come before a name
# only after its first character (a lookbehind over it): the regex engine then skips straight to
# candidate characters instead of trying every position.
ANAPHORA_RE = re.compile(
    r"该平台|该公司|该集团|该企业|该品牌|其(?![中他它实余次后前间])|平(?:(?<=[,;。:!?\s\"“]平)|(?<=^平))台(?=要求|规定|表示|称|宣布|方面|数据|会|将|已|还|也|对|的|目前|今年|去年)|"
    r"t(?<![A-Za-z]t)he\s+(?:[A-Za-z-]+\s+){0,2}(?:company|platform|firm|group|retailer|e-tailer|marketplace|app|giant)(?![A-Za-z])|"
    r"T(?<![A-Za-z]T)he\s+(?:[A-Za-z-]+\s+){0,2}(?:company|platform|firm|group|retailer|e-tailer|marketplace|app|giant)(?![A-Za-z])")
ANAPHORA_SENTENCES = 40  # how far back 'the company' looks for the organization it refers to
COMPANY_WORD_RE = re.compile(r"公司|集团|company|group|firm", re.IGNORECASE)
RELATIVE_CLAUSE_RE = re.compile(r",\s(?:which|who|whose)\s[^,;.]{1,80}(?=,)")
ASIDE_OPEN = "(["
RANK_NEAR_RE = re.compile(r"[^,;。!?\d]{0,8}?(?:保持|位居|位列|排名|稳居|名列)?(?:第[一二三四五六七八九十\d]|首位|之首)")  # '在全球牢牢保持第一'
RANK_AFTER_RE = re.compile(r"\s*(?:第|最大|最|排名|前\d|前[一二三四五六七八九十])")
BASE_BEFORE_RE = re.compile(  # the comparison-base words of reference/cues.csv, then 'the same period of'
    rf"(?:{cue_pattern('comparison_base').pattern})\s*(?:the\s+)?(?:same\s+(?:period|quarter|time)\s+(?:of|in|last)\s+)?$", re.IGNORECASE)
FROM_IN_BEFORE_RE = re.compile(r"\bfrom\b[^,;.\d]{0,12}\d(?:[^,;]{0,24}\b(?:in|during)\s+(?:the\s+)?|[\d,.]*\s?(?:[A-Za-z%]{1,8}\s)?\s?)$", re.IGNORECASE)
FOUNDED_BEFORE_RE = re.compile(r"(?:成立于|创立于|创办于|创建于|诞生于|(?:was |were )?(?:founded|established|launched|set up|created) in)\s*$", re.IGNORECASE)
FOUNDED_AFTER_RE = re.compile(r"\s*(?:就)?(?:成立|创立|创办|创建|诞生)")
# a time that is by itself a comparison base (去年同期, a year earlier): it dates only the number written onto it
BASE_TIME_RE = re.compile(r"同期|(?i:a year (?:earlier|ago|before)|the year before|year-ago|year-earlier|same (?:period|quarter) last year)")
POSSESSIVE_BEFORE_RE = re.compile(r"(?<![A-Za-z])(?:its|their|the)\s$", re.IGNORECASE)
FIGURE_AFTER_RE = re.compile(r"\s(?:figures?|levels?|totals?|tally|mark|numbers?)(?![A-Za-z])", re.IGNORECASE)
SINCE_AFTER_RE = re.compile(r"[^,;。!?\d]{0,10}(?:以来|起)")
BASE_AFTER_RE = re.compile(r"\s*(?:同期)?\s*(?:相比|相较|比较|对比|比)")
SELLER_ORIGIN_AFTER_RE = re.compile(r"\s?(?:跨境|出海)?(?:卖家|商家|大卖|品牌商(?!城)|供应商|工厂|制造商|出海企业|企业(?!家))|(?i:\s(?:cross-border\s)?(?:sellers|merchants|vendors|suppliers|exporters|factories|manufacturers)(?![a-z]))")


def seller_origin(text: str, start: int, end: int) -> bool:
    """'中国卖家', 'Chinese sellers': where sellers come from, not a market ('美国站卖家', 'Brazil sellers' are places)."""
    if not SELLER_ORIGIN_AFTER_RE.match(text, end):
        return False
    word = text[start:end]
    if word[-1] in "站区" or word.endswith("市场"):
        return False
    return not word.isascii() or bool(re.search(r"(?:ese|ian|ish|an|i|ch)$", word))
# 'Sequoia Capital India', '投资方包括红杉中国': a market word inside an investor's name
INVESTOR_NAME_BEFORE_RE = re.compile(
    r"(?:Capital|Ventures|Partners|Fund|Investments?|Holdings|Bank|资本|创投|基金|银行)\s?$|"
    r"(?:投资方|投资机构|投资人|领投方|跟投方|(?<![A-Za-z])(?:investors|backers))[^。;.!?]{0,50}$")
INVESTOR_AFTER_RE = re.compile(r"\s?(?:(?:联合|共同)?(?:领投|跟投|参投)|(?i:led the round|co-led))")
LISTING_AFTER_RE = re.compile(r"\s?(?:股市|股票)?(?:交易所)?\s?(?:上市|挂牌|IPO|二次上市|招股)")
DATELINE_RE = re.compile(r"[A-Z][A-Z .,'/]{2,40}(?:,?\s*[A-Z][a-z]{2,8}\.?\s\d{1,2})?(?:\s*\([A-Za-z .]{1,30}\))?\s*[-:]\s")


@dataclass(frozen=True, slots=True)
class Mention:
    """A named thing at a span: an organization (name None for an unnamed subject) or a market."""

    start: int
    end: int
    name: str | None
    subject: bool = True
    local: bool = True
    surface: str | None = None


Keep = Callable[[Any], bool]


class Sorted:
    """Mentions sorted by start, with nearest-before and first-after lookups."""

    def __init__(self, items: list) -> None:
        self.items = sorted(items, key=lambda m: m.start)
        self.starts = [m.start for m in self.items]

    def before(self, lo: int, hi: int, keep: Keep = lambda m: True) -> Any:
        """Nearest item inside [lo, hi) passing `keep`, scanning backwards."""
        i = bisect_left(self.starts, hi) - 1
        while i >= 0 and self.items[i].start >= lo:
            if self.items[i].end <= hi and keep(self.items[i]):
                return self.items[i]
            i -= 1
        return None

    def after(self, lo: int, hi: int, keep: Keep = lambda m: True) -> Any:
        """First item inside [lo, hi) passing `keep`."""
        for i in range(bisect_left(self.starts, lo), len(self.items)):
            m = self.items[i]
            if m.start >= hi:
                return None
            if m.end <= hi and keep(m):
                return m
        return None

    def within(self, lo: int, hi: int) -> list:
        """All items inside [lo, hi)."""
        return [m for m in self.items[bisect_left(self.starts, lo):bisect_left(self.starts, hi)] if m.end <= hi]


@cache
def source_hints() -> tuple[str, ...]:
    """The last two characters of every source_before cue (and 据): one is in any text SOURCE_BEFORE_RE
    matches, a cheap first test before the pattern."""
    return tuple({w[-2:].lower() for w in cue_words("source_before")} | {"据"})


def _roles(text: str, start: int, end: int) -> tuple[bool, bool]:
    """(subject, local): a comparison, source or owner is neither; a place (在X上, on X) counts in its sentence only."""
    window = text[max(0, start - 14):start]
    if NON_SUBJECT_AFTER_RE.match(text, end) or OWNED_BY_RE.search(text[max(0, start - 60):start]):
        return False, False
    before = text[max(0, start - 16):start]
    if (any(hint in before.lower() for hint in source_hints()) and SOURCE_BEFORE_RE.search(before)) \
            or SOURCE_AFTER_RE.match(text, end):
        return False, False  # 'according to Momentum Works', 'X发布的报告显示', '据X测算': the source of a statistic
    if POSSESSIVE_AFTER_RE.match(text, end):
        return True, True
    if PAST_EMPLOYER_BEFORE_RE.search(text[max(0, start - 8):start]) and PAST_EMPLOYER_AFTER_RE.match(text, end):
        return False, True  # '黄星在京东物流时…', 'while at Amazon, she …': a past employer dates only its own sentence
    if _owner_of_next(text, end):
        return False, False
    if INCLUDING_PHRASE_RE.search(text, max(0, start - 50), start):
        return False, False  # 'serves 1,200 merchants, including brands selling on X': inside an example list
    before = NON_SUBJECT_BEFORE_RE.search(window)
    if before and before.group().strip().lower() in ("rival", "rivals") \
            and RIVAL_HEAD_RE.search(text, max(0, start - 60), max(0, start - 14) + before.start()):
        before = None  # 'Walmart-controlled rival Flipkart narrowed …': the sentence's head noun, not an object
    if before and not (before.group().strip().lower() == "with" and WITH_SUBJECT_AFTER_RE.match(text, end)):
        return False, False
    if PLACE_BEFORE_RE.search(window) and not SUBJECT_AFTER_RE.match(text, end):
        return False, True
    return True, True


def _owner_of_next(text: str, end: int) -> bool:
    """'拼多多旗下的Temu': the owner is not the subject; '拼多多旗下平台' still is."""
    owner = OWNER_AFTER_RE.match(text, end)
    if not owner:
        return False
    following = find_entities(text[owner.end():owner.end() + 16])
    return bool(following) and following[0][0] == 0


def _in_aside(text: str, start: int, end: int) -> bool:
    """True inside a parenthesis or bracket that explains a term."""
    opened = max(text.rfind(c, max(0, start - 40), start) for c in ASIDE_OPEN)
    if opened < 0 or any(c in text[opened:start] for c in ")]"):
        return False
    closing = [text.find(c, end, end + 40) for c in ")]"]
    return any(c >= 0 for c in closing)


# Organizations outside the gazetteer, recognised by how the article introduces them.
ZH_DESCRIPTOR = r"(?:品牌|公司|平台|企业|集团|电商|商家|卖家|厂商|龙头|巨头|独角兽|零售商|服务商|通路商|业者|新锐|初创|部门|事业部|子公司|事业群)"
QUOTED_ORG_RE = re.compile(r"[「『](?P<name>[^「」『』\s,;。!?、:()]{1,12})[」』]")
QUOTED_ORG_AFTER_RE = re.compile(
    r"\s?(?:的)?(?:创始人|联合创始人|创办人|CEO|首席执行官|负责人|董事长|总裁|表示|宣布|称|透露|完成|获得|营收|营业收入|收入|估值|旗下|成立)")
STOCK_CODE_RE = re.compile(r"(?P<name>[A-Za-z\u4e00-\u9fff]{2,12})\s?\((?:\d{4,6}(?:\.[A-Z]{2})?|(?:[A-Z]{2,6}):\s?[A-Z0-9.]{1,6})\)")
STOCK_NAME_REACH, STOCK_CODE_REACH = 14, 25  # a match starts at most 13 chars before its '(' and ends 17 after
ZH_GROUP_NAME = r"(?P<name>(?![该其本此这那母子一某各多两双])[\u4e00-\u9fff]{2,8}?(?:集团|公司|控股|购物|商城))"
# 'X集团营收', 'X购物10月营业利益': a result word right after the name, or after a time
ZH_GROUP_TIME = r"(?:(?:\d{1,2}\s?[至到~-]\s?)?(?:\d{1,2}|[一二三四五六七八九十]{1,2})月份?|今年|去年|上半年|下半年|全年|第[一二三四]季度?|首季)"
ZH_GROUP_AFTER = (rf"(?=\s?(?:的)?\s?(?:{ZH_GROUP_TIME}\s?){{0,2}}(?:的)?\s?(?:单月|累计|合并)?\s?"
                  r"(?:营收|营业收入|营业额|营业利益|总收入|收入|净利|利润|获利|GMV|成交额|交易额|估值|员工))")
ZH_GROUP_RE = re.compile(rf"(?:^|(?<=[,;。:!?\s])){ZH_GROUP_NAME}{ZH_GROUP_AFTER}")
# the same after the punctuation or space it needs: the engine skips to those instead of trying every character
ZH_GROUP_AFTER_BREAK_RE = re.compile(rf"[,;。:!?\s]{ZH_GROUP_NAME}{ZH_GROUP_AFTER}")
EN_DESCRIBED_RE = re.compile(
    r"(?<![A-Za-z])(?:retailer|platform|marketplace|company|brand|startup|start-up|firm|e-tailer|giant|operator|"
    r"unicorn|chain|maker|rival|subsidiary|arm|app)\s+(?P<name>(?!The\b|This\b|In\b|On\b|And\b)[A-Z][A-Za-z0-9&'.-]*[A-Za-z0-9]"
    r"(?:\s(?!The\b|In\b|On\b)[A-Z][A-Za-z0-9&'-]*[A-Za-z0-9]){0,2})")
# research houses, consultancies and data providers are sources, not the subject of the numbers they publish
SOURCE_DESCRIPTOR_RE = re.compile(
    r"(?:研究|调研|咨询|数据|分析|投行|券商|律所|机构|智库|媒体)\s?(?:公司|机构|平台|企业|集团)?\s?$|"
    r"(?i:research|consulting|consultancy|consultant|data|analytics|intelligence|advisory|law|investment|venture|"
    r"accounting|brokerage|ratings?|media|news)\s+(?:firm|company|group|platform|app|arm|unit|giant)\s+$")
GENERIC_GROUP_RE = re.compile(
    r"^(?:上市|子|分|母|总|归属|歸屬|归属于|歸屬於|本|科技|电商|物流|平台|品牌|跨境|互联网|中国|美国|外资|国内|海外|本土|这家|那家|头部|龙头|大型|小型|中小|"
    r"相关|合资|控股|投资|贸易|运营|服务|零售|快递|网络|网上|电子|电视|直播|线上|实体|整体)+(?:集团|公司|控股|购物|商城)$")
EN_APPOSITIVE_RE = re.compile(
    r"(?P<name>[A-Z](?:(?<=^.)|(?<=[.;!?,]\s.)|(?<=\n.)|(?<=--\s.)|(?<=—\s.))[A-Za-z0-9&'-]*[A-Za-z0-9](?:\s[A-Z][A-Za-z0-9&'-]*[A-Za-z0-9]){0,2}),\s"
    r"(?:which\s|(?:a|an|the)\s(?:[A-Za-z-]+\s){0,3}(?:company|platform|retailer|marketplace|e-tailer|startup|firm|group|"
    r"owner|operator|unit|arm|app|brand|giant|chain|subsidiary|business|provider|maker|supplier|specialist|developer|seller|manufacturer|distributor|aggregator|carrier|network|service)(?![A-Za-z]))")
EN_NOT_NAMES = frozenset(
    "meanwhile however still separately overall instead also besides moreover analysts sales revenue shares today yesterday "
    "last this that these those in on at by for since after before while and but so yet its their his her the a an earlier "
    "later now elsewhere locally globally there here it they we he she investors executives officials buyers sellers "
    "january february march april may june july august september october november december monday tuesday wednesday "
    "thursday friday saturday sunday chief executive ceo cfo coo founder co-founder president chairman chairwoman head "
    "director spokesperson spokesman spokeswoman vice senior general managing".split())
ZH_LATIN_NAME_RE = re.compile(
    ZH_DESCRIPTOR + r"\s?(?P<name>[A-Z][A-Za-z0-9&'-]*[A-Za-z0-9](?:\s[A-Z][A-Za-z0-9&'-]*[A-Za-z0-9]){0,2})(?![A-Za-z0-9])")
# 'HKTVmall去年营收…', 'Zepto宣布…': a mixed-case Latin name that opens a Chinese clause and is followed by a result or a statement
ZH_LATIN_BARE_RE = re.compile(
    r"(?P<name>[A-Z](?:(?<=^.)|(?<=[,;。:!?」“\"\u4e00-\u9fff].))[A-Za-z0-9&-]{1,30})(?![A-Za-z0-9&-])"
    r"(?=(?:\s?(?:的)?\s?(?:去年|今年|上半年|下半年|全年|第[一二三四]季|营收|营业收入|收入|净利|利润|成交额|交易额|估值|员工|用户|月活|"
    r"订单|表示|宣布|称|透露|发布|公布|完成|获得)|(?:的)?GMV))")
# 'Zalora's revenue rose …' at the head of a sentence: a possessive name before a result word
EN_POSSESSIVE_ORG_RE = re.compile(
    r"(?P<name>[A-Z](?:(?<=^.)|(?<=[.;!?]\s.)|(?<=\n.)|(?<=,\s.)|(?<=\sand\s.)|(?<=\swhile\s.)|(?<=\sbut\s.)|(?<=\swhereas\s.))"
    r"[A-Za-z0-9&-]{1,30}(?:\s[A-Z][A-Za-z0-9&-]{1,30})?)(?:'s|’s)\s"
    r"(?:[a-z-]{1,20}\s){0,2}(?:revenue|revenues|sales|GMV|gross merchandise|net (?:income|profit|loss)|profit|operating (?:income|profit|loss)|"
    r"valuation|orders|order volume|users|active (?:users|buyers|customers)|buyers|sellers|merchants|customers|workforce|headcount)(?![A-Za-z])")
LATIN_NAME_RE = re.compile(r"[A-Z][A-Za-z0-9&-]+(?:\s[A-Z][A-Za-z0-9&-]+){0,2}")
LATIN_LIST_DESCRIPTOR_RE = re.compile(
    r"(?P<names>[A-Z][A-Za-z0-9&-]+(?:\s[A-Z][A-Za-z0-9&-]+){0,2}(?:\s?(?:、|,|和|与|及|以及)\s?[A-Z][A-Za-z0-9&-]+(?:\s[A-Z][A-Za-z0-9&-]+){0,2})+)"
    r"\s?(?:等)?\s?(?:[两二三四五六七八九十几]大|多家|几家)?\s?(?:电商平台|平台|电商|巨头|公司|品牌|零售商)")
MAX_GENERIC = 60  # an article introduces a handful of organizations; beyond this the text is a dump
QUOTED_NOT_ORG_AFTER_RE = re.compile(
    r"\s?(?:模式|意愿|计划|战略|业务|自营|服务|项目|功能|活动|政策|概念|玩法|频道|板块|标签|专区|场景|策略|机制|规则|标准|口号|理念)")
ZH_BARE_NAME_RE = re.compile(
    r"(?:品牌|电商平台|跨境电商|电商公司|科技公司|初创公司|独角兽|卖家|大卖)(?P<name>(?![今去明本该其这那此旗各多一某])[\u4e00-\u9fff]{2,4}?)"
    r"(?=近日|日前|宣布|完成|获得|发布|披露|透露|表示|创始人|联合创始人|CEO|首席执行官)")
DESCRIPTOR_TAIL_RE = re.compile(rf".*{ZH_DESCRIPTOR}")


EN_DESCRIPTOR_WORDS = ("retailer", "platform", "marketplace", "company", "brand", "startup", "start-up", "firm", "e-tailer",
                       "giant", "operator", "unicorn", "chain", "maker", "rival", "subsidiary", "arm", "app")


def _en_described(text: str) -> list[re.Match[str]]:
    """`EN_DESCRIBED_RE.finditer(text)`, skipped when no descriptor word is written at all."""
    if not any(word in text for word in EN_DESCRIPTOR_WORDS):
        return []
    return list(EN_DESCRIBED_RE.finditer(text))


def _zh_groups(text: str) -> list[re.Match[str]]:
    """`ZH_GROUP_RE.finditer(text)`: a name at the very start, then each one after a break character
    (the name ends in 集团/公司/控股, so a break character is never inside the previous name), or
    after a clause connective ('其中东森购物10月营业利益')."""
    first = ZH_GROUP_RE.match(text)
    rest = list(ZH_GROUP_AFTER_BREAK_RE.finditer(text, first.end() if first else 0))
    starts = {m.start("name") for m in rest} | ({first.start("name")} if first else set())
    joined = [m for m in _zh_group_after_connective().finditer(text) if m.start("name") not in starts]
    return ([first] if first else []) + rest + joined


@lru_cache(maxsize=1)
def _zh_group_after_connective() -> re.Pattern[str]:
    """ZH_GROUP_RE's name right after a connective of reference/cues.csv."""
    return re.compile(rf"(?:{cue_pattern('connective').pattern}){ZH_GROUP_NAME}{ZH_GROUP_AFTER}")


def _stock_codes(text: str) -> list[re.Match[str]]:
    """`STOCK_CODE_RE.finditer(text)`, searched only around each '(' (the name run made it try every letter)."""
    found: list[re.Match[str]] = []
    pos, paren = 0, text.find("(")
    while paren >= 0:
        m = STOCK_CODE_RE.search(text, max(pos, paren - STOCK_NAME_REACH), paren + STOCK_CODE_REACH) \
            if paren >= pos + 2 else None
        if m is None:
            paren = text.find("(", paren + 1)
            continue
        found.append(m)
        pos = m.end()
        paren = text.find("(", pos)
    return found


def _described_orgs(text: str) -> list[tuple[int, int]]:
    """Spans of organization names the gazetteer does not know: 「洁莱」 (after a descriptor or before
    创始人/营收...), a name before a stock code (8454), 'X集团' right before 营收, 'retailer Ceconomy'."""
    found = []
    for m in QUOTED_ORG_RE.finditer(text):
        before = text[max(0, m.start() - 8):m.start()]
        if any(c.isdigit() for c in m.group("name")) or SOURCE_DESCRIPTOR_RE.search(before) \
                or QUOTED_NOT_ORG_AFTER_RE.match(text, m.end()):
            continue
        if re.search(ZH_DESCRIPTOR + r"$", before) or QUOTED_ORG_AFTER_RE.match(text, m.end()):
            found.append((m.start("name"), m.end("name")))
    for m in _stock_codes(text):
        name_start = m.start("name")
        tail = DESCRIPTOR_TAIL_RE.match(m.group("name"))
        if tail and tail.end() < len(m.group("name")) - 1:
            name_start += tail.end()
        name_start += strip_connective(text[name_start:m.end("name")])
        found.append((name_start, m.end("name")))
    found += [(m.start("name"), m.end("name")) for m in _zh_groups(text) if not GENERIC_GROUP_RE.match(m.group("name"))]
    found += [(m.start("name"), m.end("name")) for m in _en_described(text)
              if not SOURCE_DESCRIPTOR_RE.search(text[max(0, m.start() - 24):m.start("name")])
              and m.group("name").split()[0].lower() not in EN_NOT_NAMES]
    found += [(m.start("name"), m.end("name")) for m in ZH_BARE_NAME_RE.finditer(text)
              if not find_times(m.group("name")) and not find_markets(m.group("name"))]
    found += [(m.start("name"), m.end("name")) for m in ZH_LATIN_NAME_RE.finditer(text)
              if not SOURCE_DESCRIPTOR_RE.search(text[max(0, m.start() - 8):m.start("name")])]
    listed_heads = {text[a:b].split()[0].lower() for a, b, _ in find_entities(text) if text[a:b].strip()}
    found += [(m.start("name"), m.end("name")) for m in EN_POSSESSIVE_ORG_RE.finditer(text)
              if m.group("name").split()[0].lower() not in EN_NOT_NAMES
              and m.group("name").split()[0].lower() not in listed_heads]  # 'Mercado Pago's': a unit of a listed company
    found += [(m.start("name"), m.end("name")) for m in ZH_LATIN_BARE_RE.finditer(text)
              if m.group("name").lower() not in EN_NOT_NAMES and any(c.islower() for c in m.group("name"))]
    found += [(m.start("name"), m.end("name")) for m in EN_APPOSITIVE_RE.finditer(text)
              if m.group("name").split()[0].lower() not in EN_NOT_NAMES]
    found += _listed_before_descriptor(text)
    return found


def _listed_before_descriptor(text: str) -> list[tuple[int, int]]:
    """'Ozon、Wildberries和Yandex Market三大平台': every Latin name of a list that a descriptor closes."""
    found = []
    for m in LATIN_LIST_DESCRIPTOR_RE.finditer(text):
        found += [(n.start(), n.end()) for n in LATIN_NAME_RE.finditer(text, m.start("names"), m.end("names"))
                  if n.group().split()[0].lower() not in EN_NOT_NAMES]
    return found


def _generic_names(text: str, original: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Described organizations, and every later mention of the same name, outside gazetteer spans."""
    taken_sorted = Sorted([Span(a, b) for a, b in taken])
    names = {text[s:e] for s, e in _described_orgs(text)[:MAX_GENERIC] if not overlaps(taken_sorted, s, e)}
    names = {n for n in names if n.strip() and not any(a == 0 and b == len(n) for a, b, _ in find_markets(n))
             and not any(h.start == 0 and h.end == len(n) for h in find_keywords(n))
             and not any(t.start == 0 for t in find_times(n))}
    if not names:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    out = []
    for m in pattern.finditer(text):
        if overlaps(taken_sorted, m.start(), m.end()):
            continue
        if m.group()[0].isascii() and ((m.start() > 0 and text[m.start() - 1].isalnum() and text[m.start() - 1].isascii())
                                       or (m.end() < len(text) and text[m.end()].isascii() and text[m.end()].isalnum())):
            continue
        out.append((m.start(), m.end(), original[m.start():m.end()]))
    return out


def _unnamed(text: str) -> list[tuple[int, int]]:
    """Spans of `UNNAMED_RE.finditer(text)`: its Chinese and English halves apart (the English one only
    at its possible starts), merged; where the halves overlap, the whole regex decides."""
    chinese = [m.span() for m in UNNAMED_ZH_RE.finditer(text)]
    english, pos = [], 0
    for start in UNNAMED_EN_START_RE.finditer(text):
        if start.start() < pos:
            continue
        m = UNNAMED_EN_RE.match(text, start.start())
        if m:
            english.append(m.span())
            pos = m.end()
    if not chinese or not english:
        return chinese or english
    merged = sorted(chinese + english)
    if any(merged[i][1] > merged[i + 1][0] for i in range(len(merged) - 1)):
        return [m.span() for m in UNNAMED_RE.finditer(text)]
    return merged


def _lists_and_appositives(text: str, named: list[Mention]) -> list[Mention]:
    """'比Temu、SHEIN和Shopee', 'including Lazada, AliExpress and Trendyol': every item of a list that starts as
    a non-subject is one; 'Lazada, Alibaba's Southeast Asian arm,': the owner in an appositive is not the subject."""
    out: list[Mention] = []
    for m in named:
        prev = out[-1] if out else None
        if prev is not None and LIST_GAP_RE.fullmatch(text, prev.end, m.start) and not prev.subject and not prev.local:
            m = Mention(m.start, m.end, m.name, False, False, m.surface)
        elif prev is not None and OWNER_ARM_AFTER_RE.match(text, m.end) and re.fullmatch(r",\s?", text[prev.end:m.start]):
            m = Mention(m.start, m.end, m.name, False, False, m.surface)
        out.append(m)
    return out


def _asides_demoted(text: str, named: list[Mention]) -> list[Mention]:
    """'TikTok Shop(含Tokopedia)': a name only in a parenthesis is not the subject, unless it glosses
    the name right before it ('酷澎(Coupang)')."""
    named = sorted(named, key=lambda m: m.start)
    out = []
    for i, m in enumerate(named):
        opened = text.rfind("(", max(0, m.start - 12), m.start)
        if opened >= 0 and ")" not in text[opened:m.start] and _in_aside(text, m.start, m.end):
            glossed = i > 0 and named[i - 1].end >= opened - 1 and named[i - 1].name == m.name \
                and not text[opened + 1:m.start].strip()
            if not glossed:
                m = Mention(m.start, m.end, m.name, False, False, m.surface)
        out.append(m)
    return out


def _joined_aliases(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'momo富邦媒': two aliases of one organization side by side are one mention (its name as written)."""
    out: list[tuple[int, int, str]] = []
    for start, end, name in sorted(found):
        if out and out[-1][2] == name and out[-1][1] == start:
            out[-1] = (out[-1][0], end, name)
        else:
            out.append((start, end, name))
    return out


def entity_mentions(text: str, original: str) -> list[Mention]:
    """Named organizations (with subject flags, and the name as written) and unnamed subjects ('一家本土品牌')."""
    listed = _joined_aliases(find_entities(text))
    listed += _generic_names(text, original, [(s, e) for s, e, _ in listed])
    named = [Mention(s, e, name, *_roles(text, s, e), surface=original[s:e]) for s, e, name in listed]
    named = _lists_and_appositives(text, _asides_demoted(text, named))
    unnamed = [Mention(start, end, None) for start, end in _unnamed(text)]
    taken = [(m.start, m.end) for m in named if m.subject]
    unnamed = [m for m in unnamed if not any(s < m.end and m.start < e for s, e in taken)]
    return named + unnamed


def resolve_anaphora(text: str, layout: Layout, named: Sorted, main: str | None = None) -> list[Mention]:
    """该平台/其/the company: the first named subject of this sentence, else of the latest sentence naming one;
    'the company'/该公司 is the article's main organization (`main`) when that sentence also names it."""
    found = []
    for m in ANAPHORA_RE.finditer(text):
        sentence = layout.sentence(m.start())
        first = named.after(sentence.start, m.start(), is_subject)
        if first is not None and first.name is None and "平台" not in m.group():
            found.append(Mention(m.start(), m.end(), None))  # 一位卖家…其: the unnamed subject
            continue
        target = named.after(clause_group_start(text, sentence.start, m.start()), m.start(), is_named_subject) \
            or named.after(sentence.start, m.start(), is_named_subject)
        i = layout.sentence_index(m.start())
        floor = max(0, i - ANAPHORA_SENTENCES)
        while target is None and i > floor:
            i -= 1
            prev = layout.sentences[i]
            target = named.after(prev.start, prev.end, is_named_subject)
        if target is not None and main and target.name != main and COMPANY_WORD_RE.search(m.group()):
            prev = layout.sentences[layout.sentence_index(target.start)]
            parent = named.after(prev.start, min(prev.end, prev.start + 2000), lambda e: e.name == main)
            target = parent or target
        if target is not None:
            found.append(Mention(m.start(), m.end(), target.name, surface=target.surface))
    return found


def clause_group_start(text: str, lo: int, pos: int) -> int:
    """Start of the semicolon-delimited part of a sentence holding `pos` ('A…;B尽管…,但其…': 其 is B)."""
    cut = max(text.rfind(";", lo, pos), text.rfind("；", lo, pos))
    return cut + 1 if cut >= 0 else lo


def is_named_subject(m: Mention) -> bool:
    """A subject with a name."""
    return m.subject and m.name is not None


def is_subject(m: Mention) -> bool:
    """Any subject, named or not."""
    return m.subject


def is_local(m: Mention) -> bool:
    """Any organization the number's own sentence may take (subjects and places like 在Shopee上)."""
    return m.local


def market_mentions(text: str, quantities: list[Quantity]) -> list[Mention]:
    """Markets, minus asides, ranks ('全球第三大') and currency words ('新加坡元')."""
    spans = Sorted(quantities)
    found = []
    for s, e, code in find_markets(text):
        if _in_aside(text, s, e) or RANK_AFTER_RE.match(text, e) or (code == "GLOBAL" and RANK_NEAR_RE.match(text, e)) or LOCATION_AFTER_RE.match(text, e) or LISTING_AFTER_RE.match(text, e) or INVESTOR_AFTER_RE.match(text, e) or seller_origin(text, s, e) \
                or INVESTOR_NAME_BEFORE_RE.search(text[max(0, s - 64):s]) \
                or LOCATION_BEFORE_RE.search(text[max(0, s - 18):s]):
            continue
        if overlaps(spans, s, e):
            continue
        found.append(Mention(s, e, code, local=not _origin_of_org(text, e)))  # origin: a weak, last-resort market
    return found


HOME_COUNTRIES = ("CN", "TW", "HK")  # where a Chinese article's 全国 may be


def home_market_mentions(text: str, markets: list[Mention]) -> list[Mention]:
    """'全国网上零售额', 'nationwide': the article's own country, the one it names most (a Chinese
    text defaults to CN: a national statistic there is China's unless the article is about Taiwan or Hong Kong)."""
    lowered = text.lower()
    if not any(word.lower() in lowered for word in cue_words("home_market")):
        return []  # most texts name no nationwide word: a literal test before the pattern
    found = list(cue_pattern("home_market").finditer(text))
    if not found:
        return []
    counts: dict[str, int] = {}
    for m in markets:
        if m.name and len(m.name) == 2:
            counts[m.name] = counts.get(m.name, 0) + 1
    chinese = any("\u4e00" <= c <= "\u9fff" for c in text[:2000])
    pool = {c: n for c, n in counts.items() if c in HOME_COUNTRIES} if chinese else counts
    home = max(pool, key=lambda c: pool[c]) if pool else ("CN" if chinese else None)
    if home is None:
        return []
    countries = sorted((m for m in markets if m.name and len(m.name) == 2), key=lambda m: m.start)
    out = []
    for m in found:
        if RANK_AFTER_RE.match(text, m.end()) or _in_aside(text, m.start(), m.end()) \
                or (m.group().isascii() and ((m.start() and text[m.start() - 1].isalpha()) or text[m.end():m.end() + 1].isalpha())):
            continue
        sentence_start = max(text.rfind(c, 0, m.start()) for c in "。!?\n") + 1
        named = [c for c in countries if sentence_start <= c.start < m.start()]
        out.append(Mention(m.start(), m.end(), named[-1].name if named else home))  # '印尼的…在全国零售中': Indonesia's
    return out


ORIGIN_DESCRIPTOR_RE = re.compile(
    r"(?:'s|’s)\s|\s?(?:的)?\s?(?:本土|本地|跨境)?(?:电商平台|电商公司|电商巨头|电商龙头|平台|品牌|公司|企业|集团|零售商|独角兽|巨头|龙头)\s?|"
    r"\s(?:[a-z-]+\s){0,2}(?:retailer|platform|marketplace|company|firm|giant|brand|startup|unicorn|conglomerate|group|e-tailer|"
    r"app|operator)\s")
ORG_START_RE = re.compile(r"[「『\"“]|[A-Z]")


def _origin_of_org(text: str, end: int) -> bool:
    """'Singapore's Sea', '土耳其电商平台Trendyol', 'Korean platform Coupang': where a company is from, not a market."""
    m = ORIGIN_DESCRIPTOR_RE.match(text, end)
    if not m:
        return False
    following = find_entities(text[m.end():m.end() + 16])
    if following and following[0][0] == 0:
        return True
    word = re.match(r"[A-Za-z0-9&'-]+", text[m.end():m.end() + 24])
    return bool(ORG_START_RE.match(text, m.end())) and not (word and any(
        h.start == 0 and h.end == len(word.group()) for h in find_keywords(word.group())))


def datelines(text: str, layout: Layout) -> Sorted:
    """'SINGAPORE (Reuters) -' at the start of a paragraph: the city filed from, not a market."""
    found = []
    for para in layout.paragraphs:
        m = DATELINE_RE.match(text, para.start, para.end)
        if m:
            found.append(Span(m.start(), m.end()))
    return Sorted(found)


def overlaps(spans: Sorted, start: int, end: int) -> bool:
    """True when [start, end) overlaps any of the sorted spans (each shorter than 64 chars)."""
    i = bisect_left(spans.starts, start - 64)
    while i < len(spans.items) and spans.items[i].start < end:
        if spans.items[i].end > start:
            return True
        i += 1
    return False


@dataclass(frozen=True, slots=True)
class Timed:
    """A time mention with its comparison-base flag."""

    start: int
    end: int
    time: TimeMention
    base: bool


def time_mentions(text: str, published: date | None) -> list[Timed]:
    """Times flagged when they cannot date a number: a comparison base (比2023年, than last year) or a
    founding date (成立于2015年, founded in 2015)."""
    found = []
    for t in find_times(text, published):
        before = text[max(0, t.start - 40):t.start]
        since = before[-1:] == "自" and SINCE_AFTER_RE.match(text, t.end)  # 自今年5月上线以来: the start of the running period
        base = not since and bool(BASE_TIME_RE.search(text, t.start, t.end) or BASE_BEFORE_RE.search(before[-14:])
                    or (POSSESSIVE_BEFORE_RE.search(before[-8:]) and FIGURE_AFTER_RE.match(text, t.end)) or FROM_IN_BEFORE_RE.search(before)
                    or BASE_AFTER_RE.match(text, t.end) or FOUNDED_BEFORE_RE.search(before[-16:])
                    or FOUNDED_AFTER_RE.match(text, t.end))
        found.append(Timed(t.start, t.end, t, base))
    return found
