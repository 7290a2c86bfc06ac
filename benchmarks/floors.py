"""Floors and the peer on the same files, one core: read alone, lxml parse alone, trafilatura, Chuhai.

Times are CPU time of this process (time.process_time): the machine is shared, and wall time
would measure the neighbours as much as the code. Each contender is warmed up on a few files
first, so imports and lazily compiled patterns are not counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

WARM_UP = 3


@dataclass(slots=True)
class Floors:
    """Articles per second of each contender on the same files."""

    rates: dict[str, float]
    files: int

    def as_dict(self) -> dict:
        """Plain data for the JSON report."""
        return asdict(self)


def _rate(work: Callable[[bytes, Path], object], pages: list[tuple[Path, bytes]]) -> float:
    """Pages per CPU second of `work` over every page, after a warm-up."""
    for path, data in pages[:WARM_UP]:
        work(data, path)
    started = time.process_time()
    for path, data in pages:
        work(data, path)
    return len(pages) / max(time.process_time() - started, 1e-9)


def _read_rate(paths: list[Path]) -> float:
    """Files read per CPU second (from the page cache, as the ingest's second pass would)."""
    started = time.process_time()
    for path in paths:
        path.read_bytes()
    return len(paths) / max(time.process_time() - started, 1e-9)


def measure_floors(paths: list[Path]) -> Floors:
    """Read, lxml.html, trafilatura.extract and Chuhai's decode + html_to_article on `paths`."""
    import lxml.html
    import trafilatura

    from sources.files import file_uri
    from transforms.documents import to_article
    from transforms.model import RawDocument

    pages = [(p, p.read_bytes()) for p in paths]

    def chuhai(data: bytes, path: Path) -> object:  # the html_to_text stage of transforms/batch.py
        return to_article(RawDocument(url=file_uri(path), data=data, kind="html", location=str(path)))

    rates = {
        "read": _read_rate(paths),
        "lxml": _rate(lambda data, _path: lxml.html.document_fromstring(data), pages),
        "trafilatura": _rate(lambda data, _path: trafilatura.extract(data), pages),
        "chuhai_html_to_text": _rate(chuhai, pages),
    }
    return Floors(rates=rates, files=len(paths))
