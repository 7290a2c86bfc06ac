"""Metric facts from article text (rules: ../shared/FACTS.md)."""

from __future__ import annotations

from transforms.facts.extract import extract_facts

FACTS_VERSION = "0.15.0"

__all__ = ["FACTS_VERSION", "extract_facts"]
