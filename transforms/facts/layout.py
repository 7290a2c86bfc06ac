"""Article layout: paragraphs, sentences, clauses and section headings, as offset spans.

Attribution walks outward from a number: its clause, its sentence, its paragraph, the
section heading above it, then the title and first paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# The break patterns open with one character class and tell the alternatives apart after it (a
# lookbehind over that character), so the regex engine skips straight to candidate characters:
# [。!?]+[”"’)」』]*|\.(?=\s|$)|\.(?=[”"’])  and  (?<!\d),|,(?!\d)|[;:](?!\d)|--+|\s-\s|[()[]【】]|\.\s|\s(?=while...)
SENTENCE_END_RE = re.compile(r"[。!?.](?:(?<=[。!?])[。!?]*[”\"’)」』]*|(?<=\.)(?=\s|$)|(?<=\.)[”\"’)]+(?=\s|$))")
CONVERSION_RE = re.compile(
    r"\((?:约合|折合|约|合|about|approximately|roughly|or)?\s?(?:US\$|HK\$|S\$|NT\$|[A-Z]{0,3}[$€£¥]|USD|RMB|人民币|新台币)?\s?"
    r"[\d][\d.,]{0,12}\s?(?:billion|million|bn|mn|m|亿|万|千)?\s?(?:美元|元|欧元|英镑|日元|yuan|euros?|dollars?)?\)")
CLAUSE_BREAK_RE = re.compile(r"[,;:\-()\[\]【】.\s](?:(?<=,)(?:(?<!\d,)|(?!\d))|(?<=[;:])(?!\d)|(?<=-)-+|(?<=\s)-\s"
                             r"|(?<=[()\[\]【】])|(?<=\.)\s|(?<=\s)(?=(?:while|whereas|but)\s))")
ABBREVIATIONS = {"u.s", "inc", "ltd", "co", "corp", "no", "mr", "ms", "dr", "st", "vs", "e.g", "i.e",
                 "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                 "u.k", "approx", "est", "mn", "bn", "etc"}
HEADING_MAX_CHARS = 36
HEADING_END_RE = re.compile(r"[。!?.;,]\s*$")
LEAD_MIN_CHARS = 12
TABLE_ROW_RE = re.compile(r"\S\s*\|\s*\S|\t")
BARE_SENTENCE_RE = re.compile(r"^[\s\d.,亿万千百美元人民币英镑欧元$€£US%约超近]*[。!?.]?\s*$")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open [start, end) range of body offsets."""

    start: int
    end: int

    def contains(self, pos: int) -> bool:
        """True when `pos` lies inside the span."""
        return self.start <= pos < self.end


@dataclass(slots=True)
class Layout:
    """All spans of one article body, sorted, with lookups by offset."""

    paragraphs: list[Span]
    sentences: list[Span]
    clauses: list[Span]
    headings: list[bool]
    lead: int | None
    starts: dict[str, list[int]] = field(default_factory=dict)

    runs: list[list[int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Start offsets of each span list, for bisecting; the heading run above each paragraph."""
        self.starts = {name: [s.start for s in getattr(self, name)] for name in ("paragraphs", "sentences", "clauses")}
        run: list[int] = []
        current: list[int] = []
        for i, heading in enumerate(self.headings):
            self.runs.append(list(reversed(current)) if not heading or not run else list(reversed(run)))
            if heading:
                run = run + [i] if run else [i]
                current = run
            else:
                run = []

    def _index(self, name: str, pos: int) -> int:
        """Index of the span of list `name` holding `pos` (spans are sorted and disjoint)."""
        return max(bisect_right(self.starts[name], pos) - 1, 0)

    def paragraph_index(self, pos: int) -> int:
        """Index of the paragraph holding `pos`."""
        i = bisect_right(self.starts["paragraphs"], pos) - 1
        return i if i > 0 else 0

    def sentence_index(self, pos: int) -> int:
        """Index of the sentence holding `pos`."""
        i = bisect_right(self.starts["sentences"], pos) - 1
        return i if i > 0 else 0

    def sentence(self, pos: int) -> Span:
        """Sentence holding `pos`."""
        if not self.sentences:
            return Span(0, 0)
        i = bisect_right(self.starts["sentences"], pos) - 1
        return self.sentences[i if i > 0 else 0]

    def clause(self, pos: int) -> Span:
        """Clause holding `pos`."""
        if not self.clauses:
            return Span(0, 0)
        i = bisect_right(self.starts["clauses"], pos) - 1
        return self.clauses[i if i > 0 else 0]

    def heading_spans(self, pos: int) -> list[Span]:
        """Section headings above the paragraph holding `pos`, nearest run first."""
        i = self.paragraph_index(pos)
        return [self.paragraphs[j] for j in self.runs[i]] if i < len(self.runs) else []


INLINE_BULLET_RE = re.compile(r"\s[-•·▪]\s")
MIN_INLINE_BULLETS = 3  # 'Highlights - A rose 5% - B fell 2% - C …': a list flattened onto one line (two dashes may be an aside)


def paragraph_spans(body: str) -> list[Span]:
    """One span per non-empty line, trimmed of surrounding whitespace; a line that is a flattened
    bullet list gives one span per item (its opening label becomes a heading of its own)."""
    spans, pos = [], 0
    for line in body.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            spans += _list_items(body, Span(start, start + len(stripped)))
        pos += len(line) + 1
    return spans


def _is_list_item(text: str, span: Span) -> bool:
    """An item cut from a flattened list (a bullet right before it): short, but no heading."""
    return bool(INLINE_BULLET_RE.fullmatch(text, max(0, span.start - 3), span.start))


def _list_items(text: str, line: Span) -> list[Span]:
    """The items of a line written as 'label - item - item - item', else the line itself."""
    bullets = list(INLINE_BULLET_RE.finditer(text, line.start, line.end))
    if len(bullets) < MIN_INLINE_BULLETS:
        return [line]
    items, start = [], line.start
    for m in bullets:
        if m.start() > start:
            items.append(Span(start, m.start()))
        start = m.end()
    if line.end > start:
        items.append(Span(start, line.end))
    return items


WORD_BEFORE_RE = re.compile(r"([A-Za-z.]+)$")


def _is_sentence_end(text: str, m: re.Match[str]) -> bool:
    """A full stop ends a sentence unless it closes an abbreviation like 'U.S.' or 'Inc.'."""
    if text[m.start()] != ".":
        return True
    word = WORD_BEFORE_RE.search(text, max(0, m.start() - 6), m.start())
    return not (word and word.group(1).lower() in ABBREVIATIONS)


def sentence_spans(text: str, para: Span) -> list[Span]:
    """Sentences of one paragraph; a sentence that is only a number joins the next one."""
    spans, start = [], para.start
    for m in SENTENCE_END_RE.finditer(text, para.start, para.end):
        if _is_sentence_end(text, m):
            spans.append(Span(start, m.end()))
            start = m.end()
    if start < para.end:
        spans.append(Span(start, para.end))
    merged: list[Span] = []
    for span in spans:
        if merged and BARE_SENTENCE_RE.match(text[merged[-1].start:merged[-1].end]):
            merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return [s for s in merged if text[s.start:s.end].strip()]


def clause_spans(text: str, sentence: Span) -> list[Span]:
    """Clauses of one sentence, split at commas, semicolons, colons, dashes and brackets."""
    spans, start = [], sentence.start
    conversions = [(m.start(), m.end() - 1) for m in CONVERSION_RE.finditer(text, sentence.start, sentence.end)] \
        if text.find("(", sentence.start, sentence.end) >= 0 else []
    for m in CLAUSE_BREAK_RE.finditer(text, sentence.start, sentence.end):
        at = m.start()
        if text[at] in "()" and any(at in pair for pair in conversions):
            continue  # '2.2 billion euros ($2.4 billion) for X': a currency conversion does not end the clause
        if text[at] == "." and not _is_sentence_end(text, m):
            continue  # 'U.S. households': an abbreviation does not end the clause
        if at > start:
            spans.append(Span(start, at))
        start = m.end()
    if sentence.end > start:
        spans.append(Span(start, sentence.end))
    return spans or [sentence]


def is_heading(text: str, para: Span) -> bool:
    """Short lines without closing punctuation are section headings (or breadcrumbs); a table row is none
    ('Year Founded | 2012' does not date the rows below it)."""
    line = text[para.start:para.end]
    return len(line) <= HEADING_MAX_CHARS and not HEADING_END_RE.search(line) and not TABLE_ROW_RE.search(line)


def build_layout(text: str) -> Layout:
    """Paragraph, sentence and clause spans of a normalized body, plus heading flags."""
    paragraphs = paragraph_spans(text)
    sentences = [s for p in paragraphs for s in sentence_spans(text, p)]
    clauses = [c for s in sentences for c in clause_spans(text, s)]
    headings = [is_heading(text, p) and not _is_list_item(text, p) for p in paragraphs]
    lead = next((i for i, p in enumerate(paragraphs) if not headings[i] and p.end - p.start >= LEAD_MIN_CHARS), None)
    return Layout(paragraphs, sentences, clauses, headings, lead)
