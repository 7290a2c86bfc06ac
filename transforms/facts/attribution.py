"""Who, where, when and how sure: entity, market, period and qualifier of a quantity.

Each is taken from the number's clause, else earlier in its sentence, else earlier in its
paragraph, else the section heading, else the title and first paragraph (FACTS.md).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any

from transforms.facts.cues import Cue, cue_pattern, find_cues
from transforms.facts.filters import is_estimate
from transforms.facts.layout import Layout, Span
from transforms.facts.mentions import (
    INVESTOR_AFTER_RE,
    RELATIVE_CLAUSE_RE,
    Keep,
    Mention,
    Sorted,
    Timed,
    clause_group_start,
    datelines,
    entity_mentions,
    home_market_mentions,
    is_local,
    is_named_subject,
    is_subject,
    market_mentions,
    overlaps,
    resolve_anaphora,
    seller_origin,
    time_mentions,
)
from transforms.facts.periods import TimeMention, find_times
from transforms.facts.quantities import Quantity
from transforms.facts.ranking import Candidate, best, default_weights
from transforms.facts.tables import TableIndex
from transforms.gazetteer import find_markets, is_listed, market_region

ATTACH_GAP_RE = re.compile(r"^\s?(?:同期|全年|年度)?\s?(?:则|则为|则是|的|'s|’s|为|是)?\s?(?:约|近|逾|不足|不到|超过|接近|about|around)?\s?$")
TIGHT_GAP_RE = re.compile(r"^\s?(?:的)?\s?$")  # '去年同期40.97%的增速': a base time written right onto a growth rate dates that rate
ATTACH_AFTER_RE = re.compile(r"^\s?(?:(?:in|during|for|as of|by)\s+)?$", re.IGNORECASE)
# Qualifier cues are data (reference/cues.csv, roles actual/forecast/target); only the cues that need
# context stay here: 将 before a verb of change ('将扩大', not '将其'), 'sees' before a guided figure, 拟 not in 模拟.
# each opens with its literal (the guard looks back over it), so the engine skips to candidate characters
FORECAST_CONTEXT = (r"将(?<![已并也即]将)(?=在|于|用|把|投入|投资|扩|增|新开|开设|新建|建|推出|上线|维持|保持|继续|进一步|再|季增|年增|月增|成长|为|"
                    r"增长|提升|提高|覆盖|新增|启动|落地|进入|达|超|突破)|"
                    r"s(?<![A-Za-z]s)ees?(?= [a-z-]*\s?(?:full-year|annual|revenue|GMV|sales|growth|profit|net))")
# 将 before a plan of the company's own ('将再投入20亿元', '将在未来三年投入'): a target, not a forecast
TARGET_CONTEXT = r"拟(?<!模拟)|将(?<![已并也即]将)(?=[^,;。!?\d]{0,12}?(?:投入|投资|新开|开设|新建|建设|推出|上线|招聘|招募|扩建))"


QUALIFIER_ROLES = ("actual", "forecast", "target")
QUALIFIER_CONTEXT_RE = re.compile(rf"(?P<target>{TARGET_CONTEXT})|(?P<forecast>{FORECAST_CONTEXT})")


def qualifier_cues(text: str) -> list[Cue]:
    """The qualifier cues of a text (roles actual, forecast, target), in one pass."""
    return find_cues(text, QUALIFIER_ROLES, QUALIFIER_CONTEXT_RE)
TARGET_AFTER_RE = re.compile(r"\s?的\s?[^,;。!?\d]{0,8}?(?:目标|计划|计画)")
FORECAST_AFTER_RE = re.compile(rf"\)?\s?(?:{cue_pattern('forecast_after').pattern})", re.IGNORECASE)
LIST_JOIN_RE = re.compile(r"\s?(?:、|,|,?\s?and|,?\s?&|和|及|与|以及|,?\s?and the|,\s?the)?\s?(?:the\s)?", re.IGNORECASE)
LOCATIVE_GLOBAL_RE = re.compile(r"(?:在|于|(?<![A-Za-z])(?:in|across|around)\s(?:the\s)?)\s?(?:全球|全世界|世界各地|world|globe)|worldwide$|globally$|around the world$",
                                re.IGNORECASE)
FROM_BEFORE_RE = re.compile(r"(?:从|由|(?<![A-Za-z])from\s)[^,;:。!?%]{0,16}$", re.IGNORECASE)
FORECAST_LEAD_RE = re.compile(r"\s?[^,;:。!?\d]{0,24}(?<![出于及过乎超])(?:预估|预计|预期|预测|估计|估算)\s?[,:]")
MARKET_SUBJECT_RE = re.compile(
    r"(?:全国|全台|全港|本港|全省|全市|整体)[^,;。!?\d]{0,8}(?:零售额|销售额|营业额|成交额|交易额|规模)|(?:购物|零售|电商|邮购)业|"
    r"(?:(?:电商|网购|网络零售|零售|跨境电商|直播电商)(?:市场|行业|产业)|行业|产业|全行业|整体市场|大盘)(?:规模|整体|总体|的)?(?:[^,;。!?\d]{0,12})?(?:增长|增速|成交额|销售额|营业额|规模|交易额)|"
    r"(?i:(?:the|its|whole|overall|total|online|e-commerce|ecommerce|retail|online retail)\s(?:[a-z-]+\s)?(?:market|industry|sector)(?:'s|’s)?\s(?:(?:in|of)\s[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z]+)?\s)?"
    r"(?:grew|rose|expanded|increased|shrank|fell|declined|jumped|climbed|was|is|reached|hit|size|sales|revenue|gmv))")
STAT_SOURCE_RE = re.compile(
    r"国家统计局|统计局|统计处|商务部|海关总署|经济部|工信部|发改委|政府统计|官方数据|"
    r"(?i:government data|official data|official figures|census bureau|commerce department|department of commerce|"
    r"statistics bureau|statistics office|national statistics|ministry of)")
CAUSE_BETWEEN_RE = re.compile(r"(?<![A-Za-z])(?:after|because|since|when|following|thanks to|as)\s(?!(?:much|many|well|long|soon|early|high|low)\s)|因为|由于|得益于|受益于", re.IGNORECASE)
GLOBAL_SUBJECT_RE = re.compile(r"(?:global|worldwide|全球)\s?(?:[a-z-]+\s){0,2}(?:sales|revenue|gmv|orders|sellers|销售额|营收|收入|成交额|gmv)", re.IGNORECASE)
GLOBAL_AFTER_RE = re.compile(r"\s(?:[A-Za-z-]+\s){0,2}$")
MARKET_AFTER_RE = re.compile(r"\s(?:[A-Za-z-]+\s){0,3}(?:in|across|of)\s(?:the\s)?", re.IGNORECASE)  # '80% in Vietnam', 'a 50% share of the US market'
SOURCE_LEAD_RE = re.compile(
    r"\s?(?:根据|据|依据|依照)[^,;。]{1,20}(?:统计|数据|调查|报告|测算|估算|估计|预估|显示|研究)|(?i:according to|data from|figures from|a report by)\s")
CONTINUATION_RE = re.compile(
    r"\s?(?:(?:并|并且|同时|且|还|再|另|新)?(?:在|于|将|要)?[^,;。!?\d]{0,8}?(?:招聘|招募|投入|投资|推出|开设|新建|新增|新开|扩建|建设|上线|增至|提升至|"
    r"缩短至|降至|覆盖)|并|并且|同时|较|比|相比|(?i:and\s(?:to\s)?(?:hire|invest|open|add|launch|build|spend|expand)|up\s|an increase|(?:each\s)?representing|implying|equivalent to|equal to))")
DONE_RE = re.compile(r"实际|已经|已|目前|现已|截至|(?i:actually|already|so far|currently)")
COMPARED_RE = re.compile(r"\s?(?:较|比|相比)")
YEAR_SLASH_RE = re.compile(r"(?<![\d/])(?P<y1>(?:19|20)\d\d)/(?P<y2>(?:19|20)?\d\d)(?![\d/])")
SLASH_GAP_RE = re.compile(r"\s?/\s?")
VERSUS_GAP_RE = re.compile(r"\s?(?:vs\.?|versus|对比|对)\s?", re.IGNORECASE)
EACH_NOT_AFTER = "平人日月年首京"  # 平均/人均/日均 are averages and 首都 a capital, not 均/都 'each'
RESPECTIVELY_RE = re.compile(r"分别|分別|各为|各是|各达|respectively")
TIKTOK_APP_METRICS = {"users", "revenue", "employees"}
QUALIFIER_REACH = 60


@dataclass(frozen=True, slots=True)
class TitleMentions:
    """What the title names: its first subject organization, market and time."""

    entity: Mention | None
    market: str | None
    time: TimeMention | None
    year_time: TimeMention | None
    named: tuple[Mention, ...] = ()  # every subject organization the title names


def title_mentions(title: str, original: str, published: date | None) -> TitleMentions:
    """First organization, market and time named in the (normalized) title."""
    entities = [m for m in entity_mentions(title, original) if m.name and m.subject]
    markets = [m for m in find_markets(title) if (m[2] != "GLOBAL" or LOCATIVE_GLOBAL_RE.search(title[max(0, m[0] - 8):m[1]]))
               and not INVESTOR_AFTER_RE.match(title, m[1])
               and not seller_origin(title, m[0], m[1])]
    times = [t for t in find_times(title, published) if not _in_plan_clause(title, t)]
    return TitleMentions(entities[0] if entities else None, markets[0][2] if markets else None,
                         times[0] if times else None, next((t for t in times if t.year is not None), None),
                         tuple(entities))


TOPIC_TITLE_WEIGHT, TOPIC_URL_WEIGHT, TOPIC_LEAD_WEIGHT, TOPIC_OTHER_ROLE_WEIGHT = 3.0, 2.0, 1.0, 0.25
TOPIC_MIN_SCORE, TOPIC_MIN_LEAD = 2.5, 1.5  # a topic is named more than in passing, and clearly more than any other
URL_WORD_RE = re.compile(r"[a-z0-9]+")


def topic_organization(mentions: list[Mention], title: tuple[Mention, ...], layout: Layout, url: str) -> Mention | None:
    """The organization the article is about: the one it names most as a subject, with the title,
    the url's words and the lead counting extra. Figures of an earnings story whose sentences say only
    'revenue', 'the company' or 本季營收 belong to it (FACTS.md: the reporting company)."""
    url_words = set(URL_WORD_RE.findall(url.lower()))
    lead = layout.paragraphs[layout.lead] if layout.lead is not None else None
    scores: dict[str, float] = {}
    first: dict[str, Mention] = {}
    for m in mentions:
        if m.name is None:
            continue
        weight = 1.0 if m.subject else TOPIC_OTHER_ROLE_WEIGHT
        if lead is not None and lead.start <= m.start < lead.end:
            weight += TOPIC_LEAD_WEIGHT if m.subject else 0.0
        scores[m.name] = scores.get(m.name, 0.0) + weight
        first.setdefault(m.name, m)
    for name in scores:
        words = set(URL_WORD_RE.findall(name.lower()))
        if words and words <= url_words:
            scores[name] += TOPIC_URL_WEIGHT
    for named in {m.name: m for m in title if m.name is not None}.values():
        scores[named.name] = scores.get(named.name, 0.0) + TOPIC_TITLE_WEIGHT
        first.setdefault(named.name, named)
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if score < TOPIC_MIN_SCORE or score < TOPIC_MIN_LEAD * runner_up:
        return None
    m = first[best]
    return Mention(0, 0, m.name, surface=m.surface)


TITLE_CLAUSE_RE = re.compile(r"[^,;:!?|。，；：！？｜]+")


def _in_plan_clause(title: str, t: TimeMention) -> bool:
    """'明年GMV目标翻三倍': the time of a target or forecast clause in a title is not the article's own time."""
    for clause in TITLE_CLAUSE_RE.finditer(title):
        if clause.start() <= t.start < clause.end():
            return any(c.role != "actual" for c in qualifier_cues(clause.group()))
    return False


class ArticleContext:
    """Everything attribution needs about one article, computed once."""

    def __init__(self, text: str, layout: Layout, quantities: list[Quantity], published: date | None,
                 title: str, original: tuple[str, str], url: str = "", weights: dict[str, float] | None = None) -> None:
        self.text, self.layout, self.published = text, layout, published
        self.original_body = original[0]
        base = Sorted(entity_mentions(text, original[0]))
        self.title = title_mentions(title, original[1], published)
        self.topic = topic_organization(base.items, self.title.named, layout, url)
        in_title = next((m for m in self.title.named if self.topic is not None and m.name == self.topic.name), None)
        if in_title is not None:  # '拼多多出海表现解析:Temu的全球扩张': of the title's names, the one the article is about
            self.title = replace(self.title, entity=in_title)
        main = self.title.entity.name if self.title.entity else (self.topic.name if self.topic else None)
        anaphora = resolve_anaphora(text, layout, base, main)
        self.anaphora_starts = {m.start for m in anaphora}
        self.entities = Sorted(base.items + anaphora)
        self.quantities = Sorted(quantities)
        self.tables = TableIndex(text, layout)
        self.cues = Sorted(qualifier_cues(text))
        self.list_cues = Sorted(find_cues(text, ("each", "expectation")))  # 均/each, and expectations before 'X vs Y'
        self.weights = weights
        self.trace: dict[int, list[Candidate]] | None = None  # quantity start -> its entity candidates, when asked
        self.weights_used = weights if weights is not None else default_weights()
        self._static_roles: dict[int, tuple[str, ...]] = {}
        self._wide_entities: dict[int, tuple[tuple[Mention | None, str], ...]] = {}
        self._sentence_cue_cache: dict[int, tuple[list[int], bool, int | None]] = {}
        self.relatives = Sorted([Span(m.start(), m.end()) for m in RELATIVE_CLAUSE_RE.finditer(text)])
        filed_from = datelines(text, layout)
        markets = [m for m in market_mentions(text, quantities) if not overlaps(filed_from, m.start, m.end)
                   and not _straddles(m, base)]
        home = home_market_mentions(text, markets)
        self.markets = Sorted(markets + home)
        self.home_market = home[0].name if home else None  # the country of the article's 全国 figures
        self.times = Sorted([t for t in time_mentions(text, published) if not overlaps(filed_from, t.start, t.end)])
        self.canonical: dict[str, str] = {}
        self._lead_times: dict[tuple[bool, bool], TimeMention | None] = {}
        self._planned: dict[int, bool] = {}
        self._qualifiers: dict[tuple[int, int, int], str] = {}
        self.respective_entity: dict[int, Mention] = {}
        self.respective_market: dict[int, str] = {}
        self.respective_period: dict[int, str] = {}

    @cached_property
    def traditional(self) -> bool:
        """Written in traditional characters (asked only for a 元 figure of a Taiwanese or Hong Kong market)."""
        return is_traditional(self.original_body, self.text)

    def distributed_markets(self, q: Quantity) -> list[str]:
        """'泰国、越南及菲律宾的本土店铺占比均超过50%', 'both the US and Japan grew 10%': one figure said of every
        market of a list earlier in its clause group, marked by 均/都/each; [] otherwise."""
        sentence = self.layout.sentence(q.num_start)
        lo = clause_group_start(self.text, sentence.start, q.start)
        if not any(c.role == "each" and (c.start == 0 or self.text[c.start - 1] not in EACH_NOT_AFTER)
                   for c in self.list_cues.within(lo, q.start)):
            return []
        listed = [m for m in self.markets.within(lo, q.start) if m.name and m.name != "GLOBAL"]
        for i in range(len(listed) - 1, 0, -1):
            run = [listed[i]]
            j = i
            while j > 0 and LIST_JOIN_RE.fullmatch(self.text[listed[j - 1].end:listed[j].start]):
                run.insert(0, listed[j - 1])
                j -= 1
            if len(run) >= 2 and len({m.name for m in run}) == len(run):
                return [m.name for m in run]
        return []

    def assign_slash_years(self, quantities: list[Quantity]) -> None:
        """'2025/26 revenue at US$60 billion/US$70 billion': figures joined by '/' go with the years joined by '/'."""
        if "/" not in self.text:
            return
        for m in YEAR_SLASH_RE.finditer(self.text):
            first = int(m.group("y1"))
            second = int(m.group("y2")) if len(m.group("y2")) == 4 else first // 100 * 100 + int(m.group("y2"))
            if second != first + 1:
                continue
            sentence = self.layout.sentence(m.start())
            inside = [q for q in quantities if sentence.start <= q.start < sentence.end and not (m.start() <= q.start < m.end())]
            run: list[Quantity] = []
            for q in [*inside, None]:
                if q is not None and run and SLASH_GAP_RE.fullmatch(self.text, run[-1].end, q.start):
                    run.append(q)
                    continue
                if len(run) == 2:
                    self.respective_period.update({run[0].start: str(first), run[1].start: str(second)})
                run = [q] if q is not None else []

    def assign_respectively(self, quantities: list[Quantity]) -> None:
        """'Shopee和Lazada的GMV分别为480亿和210亿美元': the n-th number goes with the n-th name listed."""
        for m in RESPECTIVELY_RE.finditer(self.text):
            sentence = self.layout.sentence(m.start())
            listed = [q for q in quantities if m.end() <= q.start < sentence.end]
            names_end = m.start()
            if len(listed) < 2:
                listed = [q for q in quantities if sentence.start <= q.start < m.start()]
                names_end = listed[0].start if listed else m.start()
            if len(listed) < 2 or len({q.kind for q in listed}) != 1:
                continue
            clause_start = self.layout.clause(min(names_end, m.start())).start
            for lo in (clause_start, sentence.start):  # the names of its own clause first ('在美国…,但在欧洲和拉美分别…')
                names = [e for e in self.entities.within(lo, names_end) if e.name]
                if len(names) == len(listed) and len({e.name for e in names}) == len(listed):
                    self.respective_entity.update(dict(zip([q.start for q in listed], names, strict=True)))
                    break
            for lo in (clause_start, sentence.start):
                markets = self.markets.within(lo, names_end)
                if len(markets) == len(listed) and len({mk.name for mk in markets}) == len(listed):
                    self.respective_market.update({q.start: mk.name for q, mk in zip(listed, markets, strict=True)})
                    break
            group = clause_group_start(self.text, sentence.start, names_end)
            times = [t for t in self.times.within(group, names_end) if not t.base and t.time.year is not None]
            if len(times) == len(listed) and len({t.time.period() for t in times}) == len(listed):
                # '2020年至2021年…年增率各为24.0%与26.6%': the n-th number goes with the n-th time
                self.respective_period.update({q.start: t.time.period() for q, t in zip(listed, times, strict=True)})

    def _where(self, q: Quantity) -> tuple[Span, Span, Span]:
        """Clause, sentence and paragraph of a quantity."""
        para = self.layout.paragraphs[self.layout.paragraph_index(q.num_start)]
        return self.layout.clause(q.num_start), self.layout.sentence(q.num_start), para

    def _lead_first(self, mentions: Sorted, keep: Keep) -> Any:
        """First mention in the lead paragraph."""
        if self.layout.lead is None:
            return None
        lead = self.layout.paragraphs[self.layout.lead]
        return mentions.after(lead.start, lead.end, keep)

    def _heading_first(self, q: Quantity, mentions: Sorted, keep: Keep) -> Any:
        """First mention in the section heading(s) above the quantity's paragraph."""
        for span in self.layout.heading_spans(q.num_start):
            found = mentions.after(span.start, span.end, keep)
            if found:
                return found
        return None

    def _local(self, q: Quantity, mentions: Sorted, keep: Keep, order: str) -> Any:
        """Search clause before (b), clause after (a), sentence before (s), paragraph before (p)."""
        clause, sentence, para = self._where(q)
        for step in order:
            if step == "b":
                found = mentions.before(clause.start, q.start, keep)
            elif step == "a":
                found = mentions.after(q.end, clause.end, keep)
            elif step == "s":
                found = mentions.before(sentence.start, q.start, keep)
            else:
                found = mentions.before(para.start, sentence.start, keep)
            if found:
                return found
        return None

    def entity(self, q: Quantity, metric: str, scope: str) -> str | None:
        """Organization: the best-ranked candidate (see `entity_candidates` and transforms/facts/ranking.py)."""
        if q.start in self.respective_entity:
            return self._named(self.respective_entity[q.start], metric)
        candidates = self.entity_candidates(q, scope)
        if self.trace is not None:
            self.trace[q.start] = candidates
        chosen = best(candidates, self.weights)
        return self._named(chosen.mention, metric) if chosen is not None and chosen.mention is not None else None

    def entity_candidates(self, q: Quantity, scope: str) -> list[Candidate]:
        """Every organization a reader could take for the figure, and 'none', with their features.

        Scopes follow FACTS.md outward from the number: its clause (before, then after it), the
        sentence before the clause, the paragraph before the sentence, the section heading, the
        title, the article's topic and its lead. Roles and what speaks for no organization are
        features too; the ranking weighs them.
        """
        clause, sentence, para = self._where(q)
        relatives = self.relatives

        def local_here(m: Mention) -> bool:
            """A name inside a 'which …' clause is that clause's subject only ('X, which Y bought for $1bn, lost …')."""
            i = bisect_right(relatives.starts, m.start) - 1
            rel = relatives.items[i] if i >= 0 else None
            return m.local and not (rel is not None and rel.start <= m.start < rel.end and not rel.start <= q.start < rel.end)

        none = Candidate(None, {"bias_none": 1.0})
        named: dict[str, Candidate] = {}

        def offer(m: Mention | None, feature: str) -> None:
            if m is None:
                return
            if m.name is None:  # '一家本土品牌', 'a seller': an unnamed subject speaks for no organization
                if feature in ("clause_before", "sentence_before", "clause_after"):
                    none.add("unnamed_near")
                return
            candidate = named.get(m.name)
            if candidate is None:
                candidate = named[m.name] = Candidate(m, {"bias_named": 1.0})
                self._role_features(candidate, m, q, clause)
            candidate.add(feature)

        offer(self.entities.before(clause.start, q.start, local_here), "clause_before")
        offer(self.entities.after(q.end, clause.end, local_here), "clause_after")
        offer(self.entities.before(sentence.start, clause.start, local_here), "sentence_before")
        wide = self._wide_entities.get(sentence.start)
        if wide is None:  # the same for every figure of the sentence
            wide = self._wide_entities[sentence.start] = (
                (self.entities.before(para.start, sentence.start, is_subject), "paragraph_before"),
                (self._heading_first(q, self.entities, is_named_subject), "heading"),
                (self.title.entity, "title"), (self.topic, "topic"),
                (self._lead_first(self.entities, is_named_subject), "lead"))
        for mention, feature in wide:
            offer(mention, feature)
        for candidate in named.values():
            if self.topic is not None and candidate.name == self.topic.name:
                candidate.add("is_topic")
            if self.title.entity is not None and candidate.name == self.title.entity.name:
                candidate.add("in_title")
        market_ends, stat_source, lead_end = self._sentence_cues(sentence)
        if any(end <= q.start for end in market_ends):
            none.add("market_subject")
        if stat_source:
            none.add("stat_source")
        if lead_end is not None and lead_end <= q.start:
            none.add("source_lead")
        if scope == "market":
            none.add("market_scope")
        return [*named.values(), none]

    def _sentence_cues(self, sentence: Span) -> tuple[list[int], bool, int | None]:
        """Once per sentence: where market-wide subjects end, whether an official statistic is cited,
        and where a source that opens the sentence ends ('根据经济部统计,', 'According to Momentum Works,')."""
        if sentence.start not in self._sentence_cue_cache:
            market = [m.end() for m in MARKET_SUBJECT_RE.finditer(self.text, sentence.start, sentence.end)]
            lead = SOURCE_LEAD_RE.match(self.text, sentence.start, sentence.end)
            self._sentence_cue_cache[sentence.start] = (
                market, STAT_SOURCE_RE.search(self.text, sentence.start, sentence.end) is not None,
                lead.end() if lead else None)
        return self._sentence_cue_cache[sentence.start]

    def _role_features(self, candidate: Candidate, m: Mention, q: Quantity, clause: Span) -> None:
        """What the mention does where it stands: possessor, place, a back-reference; whether it is the
        subject of another figure of its own clause; how many clauses lie between it and the number.
        Features the weights ignore are left out unless a trace asks for all of them (fitting)."""
        static = self._static_roles.get(m.start) if m.end > 0 else None
        if static is None:
            static = self._mention_roles(m)
            if m.end > 0:
                self._static_roles[m.start] = static
        for feature in static:
            if feature != "owns_figure":
                candidate.add(feature)
        if "owns_figure" in static and m.start < clause.start:
            candidate.add("owns_figure")
            if "possessor" in static:
                candidate.add("possessor_elsewhere")  # 'X的收入增长10%,新业务收入下降31%': X's scope is its own figure
        if m.end > 0 and (self.trace is not None or self.weights_used.get("distance")):
            starts = self.layout.starts["clauses"]
            gap = abs(bisect_right(starts, q.num_start) - bisect_right(starts, m.start))
            candidate.add("distance", min(gap, 10) / 10)

    def _mention_roles(self, m: Mention) -> tuple[str, ...]:
        """The features a mention has wherever the figure is: possessor, place, back-reference, listed,
        and whether its own clause holds a figure after it."""
        roles = []
        if self.text[m.end:m.end + 1] == "的" or self.text[m.end:m.end + 2] in ("'s", "’s"):
            roles.append("possessor")
        if not m.subject:
            roles.append("place")
        if m.start in self.anaphora_starts:
            roles.append("anaphor")
        if is_listed(m.name):
            roles.append("listed")
        if m.end > 0 and self.quantities.after(m.end, self.layout.clause(m.start).end) is not None:
            roles.append("owns_figure")
        return tuple(roles)

    def _named(self, mention: Mention | None, metric: str) -> str | None:
        """FACTS.md canonical name when listed, else the name as the article writes it."""
        if mention is None or mention.name is None:
            return None
        name = _platform_or_app(mention.name, metric)
        if is_listed(name) or not mention.surface:
            return name
        self.canonical[mention.surface] = name
        return mention.surface

    def entity_key(self, name: str | None) -> str | None:
        """The canonical identity behind an output name, so '酷澎' and 'Coupang' dedupe together."""
        return self.canonical.get(name, name) if name else None

    def market(self, q: Quantity, metric: str, entity: str | None = None) -> str | None:
        """See `_market`; a market-wide figure with no market in reach is the article's own country
        when the article states national (全国) figures."""
        found = self._market(q, metric)
        if found is None and entity is None and self.home_market:
            return self.home_market
        return None if found == "GLOBAL-LIST" else found

    def _market(self, q: Quantity, metric: str) -> str | None:
        """Market: clause, sentence, paragraph, heading, title, first paragraph; regions for market counts."""
        if q.start in self.respective_market:
            return self.respective_market[q.start]
        if metric == "markets":
            clause = self.layout.clause(q.num_start)
            region = _region_of(self.markets.within(clause.start, clause.end))
            if region:
                return region
        right_after = self.markets.after(q.end, min(q.end + 48, self.layout.clause(q.num_start).end))
        if right_after and (MARKET_AFTER_RE.fullmatch(self.text[q.end:right_after.start])
                            or (right_after.name == "GLOBAL" and GLOBAL_AFTER_RE.fullmatch(self.text[q.end:right_after.start])
                                and self.text[right_after.start:right_after.end].lower() in ("worldwide", "globally"))):
            return right_after.name  # '80% in Vietnam': the market written onto the number
        found = self._local(q, self.markets, is_local, "bs")
        if found:
            return self._listed_region(found) or found.name
        found = self._wider_market(q) or self._local(q, self.markets, lambda m: True, "bas")
        return found.name if found else None

    def _listed_region(self, found: Mention) -> str | None:
        """'Britain, Germany, France and the Netherlands': a list of countries of one region is the region."""
        sentence = self.layout.sentence(found.start)
        mentions = self.markets.within(max(sentence.start, found.start - 300), min(sentence.end, found.end + 300))
        i = next((k for k, m in enumerate(mentions) if m.start == found.start), None)
        if i is None:
            return None
        lo = hi = i
        while lo > 0 and LIST_JOIN_RE.fullmatch(self.text[mentions[lo - 1].end:mentions[lo].start]):
            lo -= 1
        while hi + 1 < len(mentions) and LIST_JOIN_RE.fullmatch(self.text[mentions[hi].end:mentions[hi + 1].start]):
            hi += 1
        if hi - lo < 1:
            return None
        if len({m.name for m in mentions[lo:hi + 1]}) < 2:
            return None  # 'JAKARTA, Indonesia': one country named twice
        regions = {market_region(m.name) for m in mentions[lo:hi + 1] if m.name}
        if len(regions) == 1 and None not in regions:
            return regions.pop()
        return "GLOBAL-LIST"  # 'the US, Britain, Germany and Japan': no one market (stored as none)

    def _wider_market(self, q: Quantity) -> Mention | None:
        """Paragraph, heading, title, lead: 全球 there is an adjective ('全球商家'), not the number's market."""
        def specific(m: Mention) -> bool:
            if not m.local and self.layout.paragraph_index(m.start) == self.layout.paragraph_index(q.start):
                return False  # a company's origin in the number's own paragraph is only a last resort
            return m.name != "GLOBAL" or bool(LOCATIVE_GLOBAL_RE.search(self.text[max(0, m.start - 8):m.end])
                                              or GLOBAL_SUBJECT_RE.match(self.text, m.start))

        found = self._local(q, self.markets, specific, "p") or self._heading_first(q, self.markets, specific)
        if found:
            return found
        if self.title.market:
            return Mention(0, 0, self.title.market)
        if self.layout.lead is not None and self.layout.paragraph_index(q.start) == self.layout.lead:
            return None  # in the lead itself only what comes before the number counts (searched above)
        return self._lead_first(self.markets, specific)

    def period(self, q: Quantity, metric: str) -> str | None:
        """Period: a time attached to the number, else the nearest stated time that is not a comparison base."""
        if q.start in self.respective_period:
            return self.respective_period[q.start]
        first = self._column_time(q) or self._attached_time(q, metric) or self._find_time(q, need_year=False)
        first = self._anchored(q, first)
        if first is None:
            return str(self.published.year) if self.published else None
        if first.relative_unknown:
            return None
        if first.year is not None:
            return first.period()
        with_year = self._find_time(q, need_year=True)
        if with_year is None:
            return first.period(_publication_year(first.sub, self.published))
        if with_year.relative_unknown:
            return None
        return first.period(with_year.year)

    def _anchored(self, q: Quantity, first: TimeMention | None) -> TimeMention | None:
        """本季/this quarter is the quarter the article reports on (see `_reported_quarter`);
        去年同期/a year earlier is the year before the time the sentence is about."""
        if first is None or first.anchor is None:
            return first
        if first.anchor in ("quarter", "quarter_before"):
            reported = self._reported_quarter(first)
            if reported is None:
                return first
            return reported if first.anchor == "quarter" else _quarter_before(reported)
        reference = self._find_time(q, need_year=False)
        if reference is None or reference.anchor is not None or reference.relative_unknown:
            return first
        year = reference.year
        if year is None:
            with_year = self._find_time(q, need_year=True)
            year = with_year.year if with_year is not None and with_year.anchor is None \
                else _publication_year(reference.sub, self.published)
        return TimeMention(first.start, first.end, year - 1, reference.sub) if year is not None else first

    def _reported_quarter(self, first: TimeMention) -> TimeMention | None:
        """The quarter an article reports on: the title's, else the first stated in the lead, else the latest before."""
        title = self.title.year_time
        if title is not None and _quarter_of(title.sub):
            return TimeMention(first.start, first.end, title.year, _quarter_of(title.sub))
        lead = self.layout.paragraphs[self.layout.lead] if self.layout.lead is not None else None
        upto = bisect_right(self.times.starts, first.start)
        candidates = self.times.items[max(0, upto - 200):upto]
        in_lead = [t for t in candidates if lead is not None and lead.start <= t.start < lead.end]
        for t in in_lead + list(reversed(candidates)):
            if t.start < first.start and t.time.anchor is None and not t.time.relative_unknown and not t.base:
                quarter = _quarter_of(t.time.sub)
                year = t.time.year if t.time.year is not None else _publication_year(t.time.sub, self.published)
                if quarter and year is not None:
                    return TimeMention(t.start, t.end, year, quarter)
        return None

    def _column_time(self, q: Quantity) -> TimeMention | None:
        """'| Q3 2025 |' or '| 2024年GMV |' above a table cell: the column's time dates the cell."""
        header = self.tables.column_header(q.num_start)
        if header is None:
            return None
        found = self.times.after(header.start, header.end, lambda t: not t.base)
        return found.time if found else None

    def _attached_time(self, q: Quantity, metric: str) -> TimeMention | None:
        """'2023年的200亿', '去年同期的344亿元', '$18 billion in 2023': a time written onto the number.

        A comparison base attaches to the base value itself, never to the change ('较2022年翻了一番').
        """
        clause = self.layout.clause(q.num_start)
        before = self.times.before(clause.start, q.start)
        gap = self.text[before.end:q.start] if before else ""
        tight = bool(before) and TIGHT_GAP_RE.match(gap) and q.start == q.num_start and self.text[q.start].isdigit()
        # '去年同期40.97%的增速' dates that rate; '较2022年翻了一番' (a change word before the number) does not date the doubling
        if before and ATTACH_GAP_RE.match(gap) and not (before.base and metric == "growth" and not tight):
            return before.time
        after = self.times.after(q.end, clause.end)
        if after and ATTACH_AFTER_RE.match(self.text[q.end:after.start]):
            return after.time
        return None

    def _find_time(self, q: Quantity, need_year: bool) -> TimeMention | None:
        """The first non-base time along the attribution chain (one with a year when `need_year`);
        an actual figure does not take the time of another clause's plan or forecast ('aims to … by 2027. Its revenue rose 20%')."""
        actual = self.qualifier(q) == "actual"
        own = self.layout.clause(q.num_start)

        def keep(t: Timed) -> bool:
            if t.base or (need_year and t.time.year is None and not t.time.relative_unknown):
                return False
            return not (actual and not own.start <= t.start < own.end and self._planned_time(t))

        found = self._local(q, self.times, keep, "basp") or self._heading_first(q, self.times, keep)
        if found:
            return found.time
        title = self.title.year_time if need_year else self.title.time
        if title is not None:
            return title
        if self.layout.lead is not None and self.layout.paragraph_index(q.start) == self.layout.lead:
            return None  # in the lead itself only what comes before the number counts (searched above)
        if (need_year, actual) not in self._lead_times:
            lead = self._lead_first(self.times, keep)
            if lead is None and actual and self.published is None:
                # undated, and the lead's only time is a forecast's ('eMarketer预计,2022年…'): its year still dates the article
                lead = self._lead_first(self.times, lambda t: not t.base and t.time.year is not None)
            self._lead_times[(need_year, actual)] = lead.time if lead else None
        return self._lead_times[(need_year, actual)]

    def _planned_time(self, t: Timed) -> bool:
        """True when the time sits in a clause that states a plan or a forecast."""
        if t.start not in self._planned:
            clause = self.layout.clause(t.start)
            self._planned[t.start] = any(c.role != "actual" for c in self.cues.within(clause.start, clause.end))
        return self._planned[t.start]

    def qualifier(self, q: Quantity) -> str:
        """target (目标, aims), forecast (预计, expected) or actual, from the clause before the number
        (worked out once per quantity: the period search asks again)."""
        key = (q.start, q.end, q.num_start)
        if key not in self._qualifiers:
            self._qualifiers[key] = self._qualifier(q)
        return self._qualifiers[key]

    def _qualifier(self, q: Quantity) -> str:
        """See `qualifier`."""
        clause = self.layout.clause(q.num_start)
        last = self.cues.before(max(clause.start, q.start - QUALIFIER_REACH), q.start)
        if last is None and self.text[q.end:q.end + 1] == "的":
            last = self.cues.after(q.end + 1, q.end + 1 + QUALIFIER_REACH, lambda c: c.start == q.end + 1)
        if is_estimate(q, self.text) or self._expected_side(q, clause):
            return "forecast"  # 'the consensus estimate of RMB56 billion', 高于市场预估的1,778亿美元, '(3.30 billion vs 3.03 billion)'
        if TARGET_AFTER_RE.match(self.text, q.end):
            return "target"  # '达成营业利益20亿元的目标', '3800亿元的AI+云投资计划': the figure of a goal or a plan
        if last is None and FORECAST_AFTER_RE.match(self.text, q.end):
            return "forecast"  # '(against the $28.6bn expected)', '$58.5 billion projected by 2025'
        if last is None:
            sentence = self.layout.sentence(q.num_start)
            if sentence.start < clause.start and FORECAST_LEAD_RE.match(self.text, sentence.start, clause.start) \
                    and not FROM_BEFORE_RE.search(self.text, clause.start, q.start) \
                    and not SOURCE_LEAD_RE.match(self.text, sentence.start, clause.start):
                return "forecast"  # '法人預估,…': a forecast that introduces the whole sentence ('根据业者估计,' cites a source)
            before_colon = self.text[:clause.start].rstrip()
            if before_colon.endswith((":", "：")):  # '定下的目标是:三年内销售额达到10亿欧元': the colon carries its clause's cue
                previous = self.layout.clause(len(before_colon) - 1)
                cue = self.cues.before(previous.start, previous.end)
                if cue is not None and cue.role != "actual":
                    return cue.role
        if last is None:
            return self._carried_qualifier(q, clause)
        if last.role == "actual" or FROM_BEFORE_RE.search(self.text, last.end, q.start) \
                or CAUSE_BETWEEN_RE.search(self.text, last.end, q.start):
            return "actual"
        return "forecast" if last.role == "forecast" else "target"

    def _expected_side(self, q: Quantity, clause: Span) -> bool:
        """'ahead of expectations (3.30 billion vs 3.03 billion)': after 'vs', the figure the result was expected at."""
        previous = self.quantities.before(clause.start, q.start)
        if previous is None or not VERSUS_GAP_RE.fullmatch(self.text, previous.end, q.start):
            return False
        sentence = self.layout.sentence(q.num_start)
        return any(c.role == "expectation" for c in self.list_cues.within(sentence.start, previous.start))

    def _carried_qualifier(self, q: Quantity, clause: Span) -> str:
        """'计划投资34亿美元,新招聘1万名员工', '…增至5个,并在未来三年投入2.5亿欧元', 'plans to …, and hire 500':
        a clause that continues the previous one with a verb, 并 or a comparison keeps its plan or forecast."""
        sentence = self.layout.sentence(q.num_start)
        if clause.start <= sentence.start or not CONTINUATION_RE.match(self.text, clause.start, q.start):
            return "actual"
        if any(e.start < q.start for e in self.entities.within(clause.start, q.start) if e.name):
            return "actual"  # a clause with its own subject states its own thing
        if DONE_RE.search(self.text, clause.start, q.start):
            return "actual"  # '计划投资10亿元,实际投入12亿元': what was done
        if COMPARED_RE.match(self.text, clause.start) and ("的" in self.text[clause.start:q.start] or re.search(r"\d", self.text[q.end:clause.end])):
            return "actual"  # '比2023年的200亿': the base figure of a comparison is a fact already stated
        previous = self.layout.clause(clause.start - 1)
        last = self.cues.before(max(previous.start, sentence.start), clause.start)
        if last is None or last.role == "actual":
            return "actual"
        return "forecast" if last.role == "forecast" else "target"


TRADITIONAL_SHARE = 0.03  # of the Chinese characters, changed by traditional -> simplified normalization


def is_traditional(original: str, normalized: str) -> bool:
    """True for a text written in traditional characters (a Taiwanese or Hong Kong article)."""
    sample, changed = original[:3000], 0
    chinese = 0
    for a, b in zip(sample, normalized[:3000], strict=False):
        if "\u4e00" <= a <= "\u9fff":
            chinese += 1
            changed += a != b
    return chinese > 0 and changed / chinese >= TRADITIONAL_SHARE


def _straddles(market: Mention, organizations: Sorted) -> bool:
    """'其中东森购物': a market word (中东) that crosses the edge of an organization's name is part of other words."""
    for org in organizations.within(max(0, market.start - 20), market.end + 20):
        if market.start < org.start < market.end or market.start < org.end < market.end:
            return True
    return False


def _publication_year(sub: str | None, published: date | None) -> int | None:
    """Year of a year-less time ('third quarter', 7月): the publication year, or the year before when
    that time had not yet begun at publication (FACTS.md relative words applied to year-less times)."""
    if published is None:
        return None
    start = _sub_start(sub)
    return published.year - 1 if start and start > (published.month, published.day) else published.year


def _quarter_before(t: TimeMention) -> TimeMention:
    """The quarter before a (year, 'Qn') time: 上季 of 2022-Q3 is 2022-Q2, of 2023-Q1 is 2022-Q4."""
    quarter = int(t.sub[1:])
    year, quarter = (t.year, quarter - 1) if quarter > 1 else (t.year - 1, 4)
    return TimeMention(t.start, t.end, year, f"Q{quarter}")


def _quarter_of(sub: str | None) -> str | None:
    """'Q3' stays; a month or a date ('09', '09-30', a quarter's end) gives its quarter; halves give none."""
    if not sub or sub[0] == "H":
        return None
    if sub[0] == "Q":
        return sub
    month = sub.split("-")[0]
    return f"Q{(int(month) - 1) // 3 + 1}" if month.isdigit() else None


def _sub_start(sub: str | None) -> tuple[int, int] | None:
    """(month, day) where a sub-period ('Q3', 'H2', '07', '07-15') begins."""
    if not sub:
        return None
    if sub[0] == "Q" and sub[1:].isdigit():
        return (3 * int(sub[1:]) - 2, 1)
    if sub[0] == "H" and sub[1:].isdigit():
        return (1 if sub[1:] == "1" else 7, 1)
    parts = sub.split("-")
    if all(p.isdigit() for p in parts):
        return (int(parts[0]), int(parts[1]) if len(parts) > 1 else 1)
    return None


def _platform_or_app(name: str | None, metric: str) -> str | None:
    """Plain 'TikTok' is the shop for commerce numbers and the app for users, revenue, staff."""
    if name == "TikTok" and metric not in TIKTOK_APP_METRICS:
        return "TikTok Shop"
    return name


def _region_of(markets: list[Mention]) -> str | None:
    """The region named in a clause, or the one region shared by several countries listed in it."""
    codes = [m.name for m in markets if m.name]
    regions = [c for c in codes if market_region(c) is None and c in ("SEA", "EUROPE", "LATAM", "MENA", "GLOBAL")]
    if regions:
        return regions[0]
    shared = {market_region(c) for c in codes}
    if len(codes) >= 2:
        return shared.pop() if len(shared) == 1 and None not in shared else "GLOBAL"
    return None
