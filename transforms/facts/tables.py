"""Tables written as text: rows of cells split by '|' or tabs, and the header row above them.

A header row gives every cell below it what the cell itself does not say: the metric
('2024年GMV', 'Revenue') or the period ('Q3 2025', '2024年') of its column. Receives the
normalized text and its layout; gives, for any offset inside a table cell, the span of its
column's header cell.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from transforms.facts.layout import Layout, Span

CELL_SPLIT_RE = re.compile(r"\||\t")
RULE_CELL_RE = re.compile(r"\s*:?-{2,}:?\s*")  # '|---|:--:|': a Markdown rule under the header
DIGIT_RE = re.compile(r"\d")
TIME_CELL_RE = re.compile(
    r"(?:(?:FY|fy)\s?)?(?:19|20)\d\d\s?(?:年|财年|年度)?\s?(?:(?:第?[一二三四1-4](?:季度|季)|Q[1-4]|H[12]|上半年|下半年|[1-9]|1[0-2])\s?月?)?"
    r"|(?:Q[1-4]|H[12]|[1-4]Q)\s?'?(?:19|20)?\d\d|(?:19|20)\d\d\s?(?:Q[1-4]|H[12])|(?:第?[一二三四](?:季度|季))")
ALIGNED_SPLIT_RE = re.compile(r" {2,}")
MIN_ROWS = 2
MIN_ALIGNED_ROWS = 3  # columns aligned with spaces: a header and two rows at least


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cell spans; `header` is the row that names the columns, when the table has one."""

    rows: tuple[tuple[Span, ...], ...]
    header: tuple[Span, ...] | None


def _cells(text: str, line: Span, split: re.Pattern[str] = CELL_SPLIT_RE) -> list[Span]:
    """The cells of one line ('| a | b |', 'a\\tb'), trimmed; [] when the line is not a table row."""
    raw = text[line.start:line.end]
    if ("|" not in raw and "\t" not in raw and "  " not in raw) or not split.search(raw):
        return []
    cells, start = [], line.start
    for m in split.finditer(text, line.start, line.end):
        cells.append(Span(start, m.start()))
        start = m.end()
    cells.append(Span(start, line.end))
    trimmed = []
    for c in cells:
        piece = text[c.start:c.end]
        lead = len(piece) - len(piece.lstrip())
        trimmed.append(Span(c.start + lead, c.start + lead + len(piece.strip())))
    if raw.lstrip().startswith("|"):
        trimmed = trimmed[1:]
    if raw.rstrip().endswith("|"):
        trimmed = trimmed[:-1]
    return trimmed if len(trimmed) >= 2 else []


def _is_header(text: str, cells: list[Span]) -> bool:
    """A header row states no figure: its cells hold words, or times ('2024年', 'Q3 2025') and no other digit."""
    for c in cells:
        cell = text[c.start:c.end]
        if DIGIT_RE.search(TIME_CELL_RE.sub("", cell)):
            return False
    return any(text[c.start:c.end].strip() for c in cells)


def _aligned_rows(text: str, layout: Layout) -> dict[int, list[Span]]:
    """Paragraph index -> cells, for runs of lines whose columns are aligned with runs of spaces: at least
    MIN_ALIGNED_ROWS lines in a row, each splitting into the same number (3 or more) of cells."""
    found: dict[int, list[Span]] = {}
    run: list[tuple[int, list[Span]]] = []
    for i, para in enumerate([*layout.paragraphs, None]):
        cells = _cells(text, para, ALIGNED_SPLIT_RE) if para is not None else []
        if len(cells) >= 3 and (not run or len(run[-1][1]) == len(cells)):
            run.append((i, cells))
            continue
        if len(run) >= MIN_ALIGNED_ROWS:
            found.update(dict(run))
        run = [(i, cells)] if len(cells) >= 3 else []
    return found


def find_tables(text: str, layout: Layout) -> list[Table]:
    """Blocks of consecutive lines that split into cells, each with its header row if the first row is one."""
    tables, block = [], []
    aligned = _aligned_rows(text, layout)
    for i, para in enumerate([*layout.paragraphs, None]):
        cells = (_cells(text, para) or aligned.get(i, [])) if para is not None else []
        if cells and all(RULE_CELL_RE.fullmatch(text[c.start:c.end]) for c in cells):
            continue  # the rule line of a Markdown table
        if cells:
            block.append(tuple(cells))
            continue
        if len(block) >= MIN_ROWS:
            header = block[0] if _is_header(text, list(block[0])) else None
            tables.append(Table(tuple(block), header))
        block = []
    return tables


class TableIndex:
    """Lookups from an offset to its table cell's column header."""

    def __init__(self, text: str, layout: Layout) -> None:
        self.cells: list[tuple[Span, Span | None]] = []  # (cell, its column header), sorted by start
        for table in find_tables(text, layout):
            if table.header is None:
                continue
            for row in table.rows[1:]:
                offset = len(row) - len(table.header)
                if offset not in (0, 1):
                    continue  # a row that does not line up with the header
                for i, cell in enumerate(row):
                    j = i - offset
                    self.cells.append((cell, table.header[j] if 0 <= j < len(table.header) else None))
        self.cells.sort(key=lambda pair: pair[0].start)
        self.starts = [cell.start for cell, _ in self.cells]

    def column_header(self, pos: int) -> Span | None:
        """The header cell of the column holding `pos`, or None outside a table with a header."""
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return None
        cell, header = self.cells[i]
        return header if cell.start <= pos < cell.end else None
