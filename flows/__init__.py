"""Prefect flows and the `chuhai` command line: the wiring of sources, transforms and warehouse."""
