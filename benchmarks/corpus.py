"""Benchmark corpora on disk: synthetic article pages from templates, and copies of real pages.

Synthetic pages are rendered from the layouts (`templates/*.html`) and the per-language
vocabulary and sentence templates (`templates/<lang>.yaml`): site chrome around 2-8 KB of
body text holding 5-40 numbers, in simplified Chinese, traditional Chinese and English.
Article `i` depends only on (seed, i), so a corpus is reproducible and any prefix of a
larger one equals the smaller one. A corpus folder is reused when its stamp matches.

    python benchmarks/corpus.py synthetic 1000 /tmp/chuhai-bench/synthetic-1000
    python benchmarks/corpus.py real 1000 /tmp/chuhai-bench/real-1000
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import shutil
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from string import Template

import yaml

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGUAGE_MIX = (("zh-hans", 0.45), ("zh-hant", 0.20), ("en", 0.35))
BODY_BYTES = (2048, 8100)  # 2-8 KB of text once paragraphs are joined
NUMBERS_PER_ARTICLE = (5, 40)
FILES_PER_FOLDER = 1000
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
SLOT = re.compile(r"\{(\w+)(?::([^}]*))?\}")
NUMBER_SLOTS = frozenset(("money", "pct", "count", "days", "small"))
MONTHS = ("January February March April May June July August September October November December").split()
NTH = ("first", "second", "third", "fourth")
FIRST_DAY, LAST_DAY = date(2019, 1, 1), date(2026, 10, 31)
STAMP = ".corpus.json"
BODY_OPEN = re.compile(rb"<body\b", re.I)
PARAGRAPH_END = re.compile(rb"</p\s*>", re.I)
BODY_END = re.compile(rb"</body\s*>", re.I)


@dataclass(frozen=True, slots=True)
class Language:
    """Vocabulary, chrome labels and sentence templates of one language (from its YAML file)."""

    name: str
    data: dict

    def __getattr__(self, key: str):
        try:
            return object.__getattribute__(self, "data")[key]
        except KeyError:
            raise AttributeError(key) from None


@cache
def language(name: str) -> Language:
    """One language's templates, read once."""
    return Language(name, yaml.safe_load((TEMPLATES / f"{name}.yaml").read_text(encoding="utf-8")))


@cache
def layout(name: str) -> Template:
    """One page layout, read once."""
    return Template((TEMPLATES / f"{name}.html").read_text(encoding="utf-8"))


def templates_digest() -> str:
    """Fingerprint of the templates and this generator: a change regenerates cached corpora."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(TEMPLATES.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


class Filler:
    """Fills `{slot}` templates for one article with random but plausible values."""

    def __init__(self, lang: Language, rng: random.Random) -> None:
        self.lang, self.rng = lang, rng

    def fill(self, template: str) -> str:
        """The template with every slot replaced (number slots expand to formatted numbers)."""
        return SLOT.sub(self._slot, template)

    def _slot(self, match: re.Match) -> str:
        """One slot's value."""
        name, spec = match.group(1), match.group(2)
        rng, lang = self.rng, self.lang
        if name in NUMBER_SLOTS:
            return self.fill(rng.choice(lang.numbers[name]))
        if name in ("period", "Period"):
            text = self.fill(rng.choice(lang.periods))
            return text[:1].upper() + text[1:] if name == "Period" else text
        words = {"entity": "entities", "entity2": "entities", "market": "markets", "person": "people"}
        if name in words:
            return rng.choice(lang.data[words[name]])
        value = self._number(name)
        return format(value, spec) if spec and not isinstance(value, str) else str(value)

    def _number(self, name: str) -> int | str:
        """A bare number (or month/ordinal word) for the inner slots of number formats."""
        rng = self.rng
        if name == "d":
            return f"{rng.uniform(1, 99.9):.1f}"
        if name == "pd":
            return f"{rng.uniform(0.5, 99.5):.1f}"
        if name == "k":
            value = rng.randint(1_000, 99_999)
            return f"{value:,}" if self.lang.name == "en" else str(value)
        ranges = {"i": (2, 999), "p": (1, 95), "s": (2, 30), "year": (2019, 2026), "q": (1, 4), "m": (1, 12)}
        if name in ranges:
            return rng.randint(*ranges[name])
        if name == "month":
            return rng.choice(MONTHS)
        if name == "nth":
            return rng.choice(NTH)
        raise KeyError(f"unknown slot {{{name}}} in the benchmark templates")


def pick_language(rng: random.Random) -> Language:
    """A language drawn from the corpus mix."""
    names, weights = zip(*LANGUAGE_MIX, strict=True)
    return language(rng.choices(names, weights)[0])


def body_sentences(filler: Filler, rng: random.Random) -> list[str]:
    """Sentences of one body: 5-40 numbers, then filler up to 2-8 KB, shuffled (numbers lead)."""
    lang = filler.lang
    want_numbers = rng.randint(*NUMBERS_PER_ARTICLE)
    want_bytes = rng.randint(*BODY_BYTES)
    numeric: list[str] = []
    numbers = size = 0
    misses = 0
    while numbers < want_numbers and misses < 20:
        sentence = filler.fill(rng.choice(lang.numeric))
        found = len(NUMBER.findall(sentence))
        if numbers + found > NUMBERS_PER_ARTICLE[1]:
            misses += 1  # close to the cap: only a short sentence still fits
            continue
        if size + len(sentence.encode()) > BODY_BYTES[1] and numbers >= NUMBERS_PER_ARTICLE[0]:
            break
        numeric.append(sentence)
        numbers += found
        size += len(sentence.encode())
    plain: list[str] = []
    pool: list[str] = []
    while size < want_bytes:
        if not pool:  # each filler sentence once before any repeats
            pool = rng.sample(lang.filler, len(lang.filler))
        sentence = pool.pop()
        if size + len(sentence.encode()) > BODY_BYTES[1]:
            break
        plain.append(sentence)
        size += len(sentence.encode())
    rest = numeric[1:] + plain
    rng.shuffle(rest)
    return numeric[:1] + rest


def body_html(sentences: list[str], filler: Filler, rng: random.Random) -> str:
    """Paragraphs of 1-4 sentences, an occasional subheading and in-text link."""
    lang, joiner = filler.lang, " " if filler.lang.name == "en" else ""
    lines, pos = [], 0
    while pos < len(sentences):
        take = rng.randint(1, 4)
        text = html.escape(joiner.join(sentences[pos:pos + take]), quote=False)
        pos += take
        entity = next((e for e in lang.entities if e in text), None)
        if entity and rng.random() < 0.2:
            text = text.replace(entity, f'<a href="/company/{zlib.crc32(entity.encode()) % 997}">{entity}</a>', 1)
        if len(lines) >= 3 and rng.random() < 0.15:
            lines.append(f"<h2>{html.escape(rng.choice(lang.subheads))}</h2>")
        lines.append(f"<p>{text}</p>")
    return "\n".join(lines)


def render_article(seed: int, index: int) -> str:
    """The full HTML page of synthetic article `index`."""
    rng = random.Random(f"{seed}:{index}")
    lang = pick_language(rng)
    filler = Filler(lang, rng)
    labels = lang.labels
    day = FIRST_DAY + timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    hh, mm = rng.randint(6, 23), rng.randint(0, 59)
    section = rng.choice(lang.sections)
    title = filler.fill(rng.choice(lang.headlines))
    sentences = body_sentences(filler, rng)
    author = rng.choice(lang.authors)
    site = rng.choice(lang.sites)

    def links(items: list[str], tag: str = "li") -> str:
        return "".join(f'<{tag}><a href="/{section[0]}/{rng.randint(10_000, 99_999)}.html">{html.escape(t)}</a></{tag}>'
                       for t in items)

    values = {
        "lang": lang.lang, "title": html.escape(title), "json_title": json.dumps(title)[1:-1], "site": site,
        "keywords": ",".join(rng.sample(lang.tags, 3)), "description": html.escape(sentences[0][:120]),
        "iso_date": f"{day.isoformat()}T{hh:02d}:{mm:02d}:00+08:00", "build": f"{rng.getrandbits(32):08x}",
        "doc_id": str(100_000 + index), "section": section[0], "section_name": section[1],
        "date_text": labels["date_format"].format(year=day.year, m=day.month, d=day.day, hh=hh, mm=mm,
                                                  month=MONTHS[day.month - 1]),
        "source": site, "author": author, "body": body_html(sentences, filler, rng),
        "nav": links(lang.nav), "top_links": links(lang.top_links, "span"), "tags": links(rng.sample(lang.tags, 4)),
        "related": links([filler.fill(rng.choice(lang.headlines)) for _ in range(6)]),
        "hot": links([filler.fill(rng.choice(lang.headlines)) for _ in range(10)]),
        "post_nav": links([filler.fill(rng.choice(lang.headlines)) for _ in range(2)], "span"),
        "footer_links": links(lang.footer_links, "span"),
    } | {k: v for k, v in labels.items() if k != "date_format"}
    return layout(rng.choice(lang.layouts)).substitute(values)


def article_path(dest: Path, index: int) -> Path:
    """Where article `index` lives: folders of a thousand files."""
    return dest / f"{index // FILES_PER_FOLDER:03d}" / f"{index:06d}.html"


def _fresh(dest: Path, stamp: dict) -> bool:
    """True when `dest` already holds exactly this corpus."""
    try:
        return json.loads((dest / STAMP).read_text()) == stamp
    except (OSError, ValueError):
        return False


def write_synthetic(dest: Path, count: int, seed: int = 8) -> Path:
    """A synthetic corpus of `count` pages in `dest` (reused when already there)."""
    stamp = {"kind": "synthetic", "count": count, "seed": seed, "templates": templates_digest()}
    if _fresh(dest, stamp):
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    for index in range(count):
        path = article_path(dest, index)
        if index % FILES_PER_FOLDER == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_article(seed, index), encoding="utf-8")
    (dest / STAMP).write_text(json.dumps(stamp))
    return dest


def with_paragraph(page: bytes, paragraph: bytes) -> bytes:
    """The page with a paragraph added after the body's first paragraph (else at its end)."""
    body = BODY_OPEN.search(page)
    start = body.end() if body else 0
    end = PARAGRAPH_END.search(page, start)
    if end is None:
        end = BODY_END.search(page, start)
        at = end.start() if end else len(page)
    else:
        at = end.end()
    return page[:at] + paragraph + page[at:]


def write_real_copies(source: Path, dest: Path, count: int) -> Path:
    """`count` distinct articles from real pages: page i % n, each with its own added paragraph."""
    pages = sorted(p for p in source.iterdir() if p.suffix.lower() in (".html", ".htm"))
    if not pages:
        raise FileNotFoundError(f"no HTML pages in {source}")
    stamp = {"kind": "real", "count": count, "source": str(source.resolve()), "pages": len(pages),
             "generator": templates_digest()}
    if _fresh(dest, stamp):
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    for index in range(count):
        page = pages[index % len(pages)]
        # ASCII only, so the page's own encoding (UTF-8 or GB2312) stays valid
        paragraph = f"<p>Benchmark copy {index} of {page.stem}: archived for the Chuhai speed test.</p>".encode()
        path = article_path(dest, index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(with_paragraph(page.read_bytes(), paragraph))
    (dest / STAMP).write_text(json.dumps(stamp))
    return dest


def main() -> None:
    """Write a corpus from the command line (the benchmark calls the functions directly)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["synthetic", "real"])
    parser.add_argument("count", type=int)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--pages", type=Path, default=Path(__file__).resolve().parents[2] / "shared/pages/zh-news")
    args = parser.parse_args()
    if args.kind == "synthetic":
        write_synthetic(args.dest, args.count)
    else:
        write_real_copies(args.pages, args.dest, args.count)
    print(args.dest)


if __name__ == "__main__":
    main()
