"""Hostile and broken inputs, generated at test time, and helpers to compare warehouses."""
