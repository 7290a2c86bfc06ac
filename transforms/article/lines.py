"""Rendered lines to body lines: spaces and table pipes tidied, boilerplate lines, repeats,
captions and counters dropped, and the page cut where a trailing related box or a closing
credit starts.

Receives the raw lines of render.render_lines and a recipe's extra line regexes; returns the
lines of the body.
"""

from __future__ import annotations

import re

from transforms.article.boilerplate_lines import BOILERPLATE, stop_key
from transforms.article.text import SPACES, split_agrees

EMPTY_CELLS = re.compile(r"(?:\s*\|\s*){2,}")
EDGE_PIPES = re.compile(r"^(?:\s*\|\s*)+|(?:\s*\|\s*)+$")
TRAILING_JUNK = re.compile(r"\s*(返回[^\s，。,.]{0,8}首页|查看原文|阅读原文)\s*[>»›]*\s*$")
CLOSING_CREDIT = re.compile(r"^\W*(采写|撰文|文字|记者|编辑|责任编辑|责编|校对|审核|供稿|来源)\s*[:：/／|丨]")
MAX_CREDIT_CHARS = 40
MAX_AFTER_CREDIT_SHARE = 0.2
SENTENCE_END = re.compile(r"[。！？.!?;；:：]\W{0,2}$")
MAX_CAPTION_CHARS = 60
ONLY_SYMBOLS = re.compile(r"^[\W_]*$")


def filter_lines(lines: list[str], extra: list[re.Pattern[str]]) -> list[str]:
    """Lines without boilerplate, repeats and symbol-only noise; cut at a trailing related box."""
    cleaned = _clean_lines(lines)
    cleaned = [line for line in cleaned if line and not ONLY_SYMBOLS.match(line) and not _is_widget_count(line)]
    cleaned = _cut_after_closing_credit(cleaned)
    total = sum(len(line) for line in cleaned) or 1
    out: list[str] = []
    repeated: set[str] = set()
    seen = 0
    for line in cleaned:
        seen += len(line)
        if len(line) <= 30 and seen > 0.5 * total and stop_key(line) in BOILERPLATE.stop:
            break
        if extra and any(p.search(line) for p in extra):
            continue
        if BOILERPLATE.line_any_length.search(line):
            continue
        if len(line) <= BOILERPLATE.max_line_chars and BOILERPLATE.line.search(line):
            continue
        if out and line == out[-1]:
            if len(line) <= MAX_CAPTION_CHARS and not SENTENCE_END.search(line):
                out.pop()  # an image caption printed twice (alt text and caption): drop both
                repeated.add(line)
            continue
        if line in repeated:
            continue
        out.append(line)
    return out


def _cut_after_closing_credit(lines: list[str]) -> list[str]:
    """Lines up to a closing credit ("采写：记者 X") when only a short related box follows it."""
    total = sum(len(line) for line in lines)
    tail = 0
    for index in range(len(lines) - 1, 0, -1):
        line = lines[index]
        if len(line) <= MAX_CREDIT_CHARS and CLOSING_CREDIT.search(line) and index > len(lines) // 2:
            return lines[:index] if tail <= MAX_AFTER_CREDIT_SHARE * total else lines
        tail += len(line)
        if tail > MAX_AFTER_CREDIT_SHARE * total:
            break
    return lines


def _is_widget_count(line: str) -> bool:
    """True for a short line with no letters at all ("+1", "12", "1/10"): a counter or pager."""
    return len(line) <= 8 and not any(ch.isalpha() for ch in line)


def _clean_lines(lines: list[str]) -> list[str]:
    """Lines with runs of spaces made one space, without empty table cells, edge pipes,
    surrounding space and a trailing 阅读原文 link. Split/join does the spaces and the strip
    when it agrees with SPACES (no newline inside a line, no odd space character anywhere)."""
    joined = "\n".join(lines)
    fast = joined.count("\n") == len(lines) - 1 and split_agrees(joined)
    return [_clean_line(line, fast) for line in lines]


def _clean_line(line: str, fast: bool = False) -> str:
    """One line cleaned as _clean_lines says (each pattern tried only when the characters it
    needs are in the line)."""
    if fast and "|" not in line:
        line = " ".join(line.split())
    else:
        line = SPACES.sub(" ", line)
        if "|" in line:
            line = EDGE_PIPES.sub("", EMPTY_CELLS.sub(" | ", line))
        line = line.strip()
    if "原文" in line or "返回" in line:
        line = TRAILING_JUNK.sub("", line)
    return line
