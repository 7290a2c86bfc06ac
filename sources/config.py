"""The sources file (sources.yaml) that analysts edit: named sources and their start points.

    allow_hosts: [intranet.example]     # private hosts you trust (refused by default)
    sources:
      jinhanchuan:
        feeds: [https://www.jinhanchuan.com/feed]
        sitemaps: [https://www.jinhanchuan.com/sitemap.xml]
        pages: [https://www.jinhanchuan.com/5623.html]
        include: ['/\\d+\\.html$']     # regexes searched in each discovered url
        exclude: ['/tag/']
        delay: 3                        # seconds between two requests to the site
        max_pages: 200                  # pages fetched per run at most
        recipe: jinhanchuan.yaml        # a file in reference/recipes/ (else chosen by host)

Every mistake is reported with the file, the source and the key, before any request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

RECIPES_DIR = Path(__file__).resolve().parent.parent / "reference" / "recipes"
SOURCE_NAME = re.compile(r"^[A-Za-z0-9][\w.-]{0,63}$")
SOURCE_KEYS = frozenset({"pages", "feeds", "sitemaps", "include", "exclude", "delay", "max_pages", "recipe"})
TOP_KEYS = frozenset({"sources", "allow_hosts", "delay", "max_pages", "fetch"})
FETCH_KEYS = {"timeout": float, "retries": int, "backoff": float, "max_redirects": int, "max_wait": float}
DEFAULT_DELAY = 2.0
DEFAULT_MAX_PAGES = 200
CLI_SOURCE = "cli"


class ConfigError(ValueError):
    """A sources file that cannot be used; the message names the file, source and key."""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One named source: where to start, which urls to keep, how gently to fetch."""

    name: str
    pages: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    delay: float = DEFAULT_DELAY
    max_pages: int = DEFAULT_MAX_PAGES
    recipe: str | None = None

    def wants(self, url: str) -> bool:
        """Whether a discovered url passes the include and exclude patterns."""
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)

    @property
    def hosts(self) -> frozenset[str]:
        """Hosts of the start points (where a named recipe applies)."""
        urls = self.pages + self.feeds + self.sitemaps
        return frozenset((urlsplit(u).hostname or "").lower() for u in urls)


@dataclass(frozen=True, slots=True)
class SourcesConfig:
    """Everything in one sources file."""

    path: str
    sources: dict[str, SourceSpec] = field(default_factory=dict)
    allow_hosts: frozenset[str] = frozenset()
    fetch: dict[str, float] = field(default_factory=dict)  # overrides of sources.http.FetchSettings

    def pick(self, names: list[str]) -> list[SourceSpec]:
        """The named sources, or a clear error listing the ones the file defines."""
        unknown = [n for n in names if n not in self.sources]
        if unknown:
            known = ", ".join(sorted(self.sources)) or "none"
            raise ConfigError(f"{self.path}: no source named {', '.join(unknown)} (defined: {known})")
        return [self.sources[n] for n in names]


def load_sources(path: str | Path) -> SourcesConfig:
    """Read and validate a sources file."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: sources file not found (create it; see 'Web sources' in README.md)") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    return parse_sources(raw or {}, str(path))


def parse_sources(raw: object, where: str) -> SourcesConfig:
    """Validate the parsed YAML of a sources file."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping with a 'sources' key")
    _no_unknown(raw, TOP_KEYS, where)
    defaults = {"delay": _delay(raw.get("delay", DEFAULT_DELAY), f"{where}: delay"),
                "max_pages": _max_pages(raw.get("max_pages", DEFAULT_MAX_PAGES), f"{where}: max_pages")}
    sources = raw.get("sources") or {}
    if not isinstance(sources, dict):
        raise ConfigError(f"{where}: 'sources' must map source names to their settings")
    specs = {str(name): _source(str(name), body, where, defaults) for name, body in sources.items()}
    hosts = _string_list(raw.get("allow_hosts"), f"{where}: allow_hosts")
    return SourcesConfig(where, specs, frozenset(h.lower() for h in hosts), _fetch(raw.get("fetch"), where))


def _fetch(value: object, where: str) -> dict[str, float]:
    """Fetcher overrides (timeout, retries, backoff, max_redirects, max_wait), each a number >= 0."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: fetch: expected a mapping of {', '.join(FETCH_KEYS)}")
    _no_unknown(value, frozenset(FETCH_KEYS), f"{where}: fetch")
    out = {}
    for key, number in value.items():
        kind = FETCH_KEYS[key]
        if isinstance(number, bool) or not isinstance(number, int | float) or number < 0 or (
                kind is int and not isinstance(number, int)):
            raise ConfigError(f"{where}: fetch: {key}: expected a {'whole ' if kind is int else ''}number >= 0, got {number!r}")
        out[key] = kind(number)
    return out


def adhoc_source(urls: list[str], delay: float = DEFAULT_DELAY) -> SourceSpec:
    """The urls given on the command line, as one unnamed source (feeds and sitemaps are sniffed)."""
    for url in urls:
        _check_url(url, f"command line url {url!r}")
    return SourceSpec(name=CLI_SOURCE, pages=tuple(urls), delay=delay)


def _source(name: str, body: object, where: str, defaults: dict) -> SourceSpec:
    """One source's settings, validated."""
    at = f"{where}: source {name!r}"
    if not SOURCE_NAME.match(name):
        raise ConfigError(f"{at}: a source name is letters, digits, '.', '_' or '-' (at most 64)")
    if not isinstance(body, dict):
        raise ConfigError(f"{at}: expected a mapping of settings (pages, feeds, sitemaps...)")
    _no_unknown(body, SOURCE_KEYS, at)
    starts = {key: tuple(_string_list(body.get(key), f"{at}: {key}")) for key in ("pages", "feeds", "sitemaps")}
    if not any(starts.values()):
        raise ConfigError(f"{at}: give at least one start point under pages, feeds or sitemaps")
    for key, urls in starts.items():
        for url in urls:
            _check_url(url, f"{at}: {key}: {url!r}")
    patterns = {key: tuple(_string_list(body.get(key), f"{at}: {key}")) for key in ("include", "exclude")}
    for key, values in patterns.items():
        for pattern in values:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{at}: {key}: {pattern!r} is not a valid regular expression ({exc})") from None
    recipe = body.get("recipe")
    if recipe is not None:
        recipe = _recipe_file(recipe, at)
    return SourceSpec(
        name=name, **starts, **patterns, recipe=recipe,
        delay=_delay(body.get("delay", defaults["delay"]), f"{at}: delay"),
        max_pages=_max_pages(body.get("max_pages", defaults["max_pages"]), f"{at}: max_pages"),
    )


def _no_unknown(body: dict, allowed: frozenset[str], at: str) -> None:
    """Typos are errors, not silently ignored settings."""
    unknown = sorted(str(k) for k in body if k not in allowed)
    if unknown:
        raise ConfigError(f"{at}: unknown key {', '.join(unknown)} (expected: {', '.join(sorted(allowed))})")


def _string_list(value: object, at: str) -> list[str]:
    """A list of strings (a single string is a list of one)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{at}: expected a list of strings")
    return [v.strip() for v in value]


def _check_url(url: str, at: str) -> None:
    """Start points must be absolute http(s) urls."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{at}: not an absolute http(s) url")


def _delay(value: object, at: str) -> float:
    """A politeness delay in seconds."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(f"{at}: expected a number of seconds >= 0, got {value!r}")
    return float(value)


def _max_pages(value: object, at: str) -> int:
    """A positive page budget per run."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{at}: expected a whole number >= 1, got {value!r}")
    return value


def _recipe_file(value: object, at: str) -> str:
    """A recipe named by its file in reference/recipes/ (the .yaml suffix may be left out)."""
    if not isinstance(value, str) or not re.fullmatch(r"[\w.-]+", value) or value.startswith("."):
        raise ConfigError(f"{at}: recipe: expected a file name in {RECIPES_DIR}, got {value!r}")
    name = value if value.endswith((".yaml", ".yml")) else value + ".yaml"
    if not (RECIPES_DIR / name).is_file():
        raise ConfigError(f"{at}: recipe: {RECIPES_DIR / name} does not exist")
    return name
