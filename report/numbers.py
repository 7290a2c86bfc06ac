"""How numbers read in the report: $9.05B, 1.2M orders, 125%."""

from __future__ import annotations

import math

SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
MONEY_SIGNS = {"USD": "$", "CNY": "¥", "EUR": "€", "GBP": "£", "JPY": "¥"}
UNIT_WORDS = {"hours": " h", "days": " days", "multiple": "×"}


def short(value: float) -> str:
    """A number with a K/M/B/T suffix and three significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    for size, suffix in SCALES:
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"


def figure(value: float | None, unit: str | None) -> str:
    """A value in its unit, the way an analyst writes it."""
    if value is None:
        return "–"
    if unit == "percent":
        return f"{value:.3g}%"
    if unit in UNIT_WORDS:
        return f"{short(value)}{UNIT_WORDS[unit]}"
    if unit == "count" or unit is None:
        return short(value)
    sign = MONEY_SIGNS.get(unit)
    return f"{sign}{short(value)}" if sign else f"{short(value)} {unit}"


def change(value: float | None) -> str:
    """A percent change with its sign."""
    return "–" if value is None else f"{value:+.1f}%"
