"""Load site recipes (reference/recipes/*.yaml) from disk; matching them is transforms/recipes.py."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

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
