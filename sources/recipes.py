"""Load site recipes (reference/recipes/*.yaml) from disk and pick a source's; matching them is transforms/recipes.py."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

from sources.config import SourceSpec

LOG = logging.getLogger(__name__)

DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / "reference" / "recipes"
KNOWN_KEYS = frozenset(("hosts", "name", "title", "date", "body", "drop", "drop_text", "notes"))


def load_recipes(folder: Path | str = DEFAULT_FOLDER) -> list[dict]:
    """Every valid recipe in folder, in file-name order; a broken file is skipped with a warning."""
    recipes: list[dict] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            LOG.warning("recipe %s unreadable, skipped: %s", path.name, exc)
            continue
        problem = recipe_problem(data)
        if problem:
            LOG.warning("recipe %s skipped: %s", path.name, problem)
            continue
        data["name"] = path.stem
        recipes.append(data)
    return recipes


def recipe_problem(data: object) -> str | None:
    """Why a loaded YAML document is not a usable recipe, or None when it is one."""
    if not isinstance(data, dict):
        return "not a mapping"
    hosts = data.get("hosts")
    if not isinstance(hosts, list) or not hosts or not all(isinstance(h, str) for h in hosts):
        return "needs a non-empty list of hosts"
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        return f"unknown keys {sorted(unknown)}"
    for key in ("title", "date", "body"):
        if key in data and not isinstance(data[key], str):
            return f"{key} must be one CSS selector string"
    for key in ("drop", "drop_text"):
        if key in data and not (isinstance(data[key], list) and all(isinstance(v, str) for v in data[key])):
            return f"{key} must be a list of strings"
    return None


def all_recipes(folder: Path | str = DEFAULT_FOLDER) -> list[dict]:
    """Every site recipe, applied by host (none when the folder is missing)."""
    return load_recipes(folder) if Path(folder).is_dir() else []


def source_recipes(source: SourceSpec, hosts: set[str], folder: Path | str = DEFAULT_FOLDER) -> list[dict]:
    """Recipes for a source's pages: its named recipe first (for all its hosts), then the rest by host."""
    general = all_recipes(folder)
    if not source.recipe:
        return general
    stem = Path(source.recipe).stem
    named = next((r for r in general if stem in (r.get("name"), Path(str(r.get("file", ""))).stem)), None)
    if named is None:
        named = yaml.safe_load((Path(folder) / source.recipe).read_text(encoding="utf-8")) or {}
    named = {**named, "hosts": sorted(set(named.get("hosts") or []) | hosts | source.hosts)}
    return [named, *general]
