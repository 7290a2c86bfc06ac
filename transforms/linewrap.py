"""Hard-wrapped text (PDF exports, e-mail, fixed-width pages): rejoin lines cut at a fixed width.

A wrapped document cuts sentences, words and numbers at the end of every full line
("經營利潤為 387\\n億元", "同\\n比上升"). Such text has many lines of about the same, maximal
width that end without closing punctuation; a line like that continues on the next one.
Short lines, lines that close a sentence, and list items or headings keep their breaks.
"""

from __future__ import annotations

import re

CLOSING = frozenset("。！？!?；;:：」』”\"’)）]】.…")
LIST_START_RE = re.compile(r"\s*(?:[-•·▪*]\s|\d{1,2}[.、)）](?!\d)\s?|[（(][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)")
MIN_WIDTH = 20  # lines shorter than this are never treated as cut at a width
FULL_SHARE = 0.85  # a line at least this share of the text's width is full
MIN_FULL_LINES = 4  # fewer full, open-ended lines than this: the breaks are the writer's own


def _wide(ch: str) -> bool:
    """CJK characters and digits join without a space when a line break cut between them."""
    return ch.isdigit() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _width(lines: list[str]) -> int | None:
    """The width the text was wrapped at: the 80th percentile length of its long lines, if any."""
    lengths = sorted(len(line.strip()) for line in lines if len(line.strip()) >= MIN_WIDTH)
    if len(lengths) < MIN_FULL_LINES:
        return None
    return lengths[int(0.8 * (len(lengths) - 1))]


def unwrap(body: str) -> str:
    """The body with lines that a fixed width cut rejoined; any other text comes back unchanged."""
    lines = body.split("\n")
    width = _width(lines)
    if width is None:
        return body
    full = [i for i, line in enumerate(lines[:-1])
            if len(line.strip()) >= FULL_SHARE * width and line.strip()[-1] not in CLOSING
            and lines[i + 1].strip() and not LIST_START_RE.match(lines[i + 1])]
    if len(full) < MIN_FULL_LINES:
        return body
    out = list(lines)
    for i in full:
        left, right = out[i].rstrip(), lines[i + 1].lstrip()
        joiner = "" if _wide(left[-1]) and _wide(right[0]) else " "
        out[i] = left + joiner + "\0"  # marks the join; the next line is appended below
    text = "\n".join(out)
    return re.sub(r"\0\n\s*", "", text)
