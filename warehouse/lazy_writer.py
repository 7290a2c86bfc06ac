"""The run's single writer, opened only when there is something to write.

A run that finds nothing new never copies, migrates or republishes the warehouse. Before
opening the copy-on-write writer (warehouse/db.py) it enters the write slot it was given:
the flows pass a Prefect concurrency slot (flows/warehouse_lock.py) so that a run waiting
for another shows as waiting in the UI; without one, the writer's lock file alone
serializes writers. This module imports no Prefect.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from warehouse.consolidate import Refresh
from warehouse.db import Writer

SlotFactory = Callable[[str | Path], contextlib.AbstractContextManager[None]]


def no_slot(db: str | Path) -> contextlib.AbstractContextManager[None]:
    """The slot of a run without an orchestrator: the writer's lock file is enough."""
    return contextlib.nullcontext()


class LazyWriter:
    """Opens the write slot and the writer on first use; publishes (or discards) and frees both on close."""

    def __init__(self, db: str, slot: SlotFactory = no_slot) -> None:
        self.db = db
        self.writer: Writer | None = None
        self.slot_factory = slot
        self.slot = contextlib.ExitStack()
        self.refreshed: Refresh | None = None  # what publishing recomputed of the consolidated tables

    def get(self) -> Writer:
        """The open writer, opening it on first use."""
        if self.writer is None:
            self.slot.enter_context(self.slot_factory(self.db))
            try:
                self.writer = Writer(self.db).__enter__()
            except BaseException:
                self.slot.close()
                raise
        return self.writer

    def close(self, failed: bool) -> None:
        """Publish (or discard after a failure), then give the write slot back."""
        try:
            if self.writer is not None:
                exc = RuntimeError("run failed") if failed else None
                self.writer.__exit__(type(exc) if exc else None, exc, None)
                self.refreshed = self.writer.refreshed
                self.writer = None
        finally:
            self.slot.close()
