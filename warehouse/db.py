"""Opening the warehouse file: many readers, one writer, and neither blocks the other.

DuckDB locks a database file across processes, and even a read-only reader blocks a
writer. Analysts keep the warehouse open in a SQL client while scheduled runs load
it, so the writer never opens the published file: it copies it to a private staging
file, loads there, and publishes by an atomic rename. A reader holding the old file
keeps reading the old snapshot; the next open sees the new one. A crash (even
SIGKILL) at any moment leaves the published file as it was before the run.

Writers are serialized by an advisory lock on `<file>.lock`.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from warehouse.consolidate import Refresh, refresh_within_memory
from warehouse.migrations import migrate
from warehouse.views import install_views

LOG = logging.getLogger(__name__)
STORAGE_VERSION = "v1.5.0"  # readable by the DuckDB 1.5 CLI that analysts use
DEFAULT_LOCK_TIMEOUT = 3600.0
# Loading a batch needs little memory, but DuckDB keeps every block it wrote cached up to its
# default limit (80% of RAM), so without a cap the writer grows with the corpus.
LOAD_MEMORY_LIMIT = "48MB"


class WarehouseError(RuntimeError):
    """A warehouse problem a user can act on; the message names the file."""


def duckdb_config() -> dict[str, str]:
    """Connection settings: an on-disk format older clients can open."""
    return {"storage_compatibility_version": STORAGE_VERSION}


def open_readonly(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse, with a clear error if it is held."""
    path = Path(path)
    if not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run `chuhai ingest PATH --db {path}` first")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        raise WarehouseError(_lock_message(path, exc)) from None


def _lock_message(path: Path, exc: Exception) -> str:
    """Turn DuckDB's lock error into advice that names the file."""
    detail = str(exc).splitlines()[0]
    if "lock" in detail.lower():
        return (
            f"{path} is open for writing in another process ({detail}). Close that session, "
            f"or open the file read-only: `duckdb -readonly {path}` or `chuhai shell --db {path}`."
        )
    return f"cannot open {path}: {detail}"


@contextlib.contextmanager
def writer_lock(path: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the single-writer lock of a warehouse file, waiting up to `timeout` seconds."""
    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + timeout
        waited = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseError(
                        f"another run has been writing {path} for over {timeout:.0f} s; gave up waiting"
                    ) from None
                if not waited:
                    LOG.warning("waiting for another run that is writing %s", path)
                    waited = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Writer:
    """Copy-on-write writing session on a warehouse file (see the module docstring)."""

    def __init__(self, path: str | Path, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.stage = self.path.with_name(f".{self.path.name}.staging")
        self.lock_timeout = lock_timeout
        self.con: duckdb.DuckDBPyConnection | None = None
        self._lock: contextlib.AbstractContextManager[None] | None = None
        self.refreshed: Refresh | None = None  # what the last publish recomputed of the consolidated tables

    def __enter__(self) -> Writer:
        self._lock = writer_lock(self.path, self.lock_timeout)
        self._lock.__enter__()
        try:
            self._prepare_stage()
            self.con = self._connect_stage()
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.publish(final=True)
            else:
                self._discard()
        finally:
            assert self._lock is not None
            self._lock.__exit__(None, None, None)

    def _prepare_stage(self) -> None:
        """Start the staging file from the published one (folding in any WAL left on it)."""
        _remove(self.stage)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            return
        if _wal(self.path).exists():
            try:
                duckdb.connect(str(self.path)).close()  # replays and checkpoints the WAL
            except duckdb.IOException as exc:
                raise WarehouseError(_lock_message(self.path, exc)) from None
        shutil.copyfile(self.path, self.stage)

    def _connect_stage(self) -> duckdb.DuckDBPyConnection:
        """Open the staging file, bring its schema up to date and (re)create the views."""
        con = duckdb.connect(str(self.stage), config=duckdb_config())
        migrate(con)
        install_views(con, fill_new_tables=False)  # publish fills them: no refresh before anything is loaded
        return _for_loading(con)

    def publish(self, final: bool = False) -> None:
        """Make everything loaded so far visible to readers, atomically."""
        assert self.con is not None
        self.con.execute("checkpoint")  # loaded rows to disk, so the refresh's cache can evict them
        # the derived tables the views read: the cells whose facts changed, recomputed
        self.refreshed = refresh_within_memory(self.con)
        self.con.execute("checkpoint")
        self.con.close()
        self.con = None
        _fsync(self.stage)
        _remove(_wal(self.path))
        if final:
            os.replace(self.stage, self.path)
        else:
            tmp = self.path.with_name(f".{self.path.name}.publishing")
            shutil.copyfile(self.stage, tmp)
            _fsync(tmp)
            os.replace(tmp, self.path)
            self.con = _for_loading(duckdb.connect(str(self.stage), config=duckdb_config()))
        _fsync(self.path.parent)

    def _discard(self) -> None:
        """Drop the staging file after a failure: the published warehouse is untouched."""
        if self.con is not None:
            with contextlib.suppress(Exception):
                self.con.close()
            self.con = None
        _remove(self.stage)


def _for_loading(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Cap DuckDB's block cache while batches load, so a long backfill's memory stays flat."""
    con.execute(f"set memory_limit = '{LOAD_MEMORY_LIMIT}'")
    return con


def _wal(path: Path) -> Path:
    """DuckDB's write-ahead log beside a database file."""
    return path.with_name(path.name + ".wal")


def _remove(path: Path) -> None:
    """Delete a file and its WAL if present."""
    for p in (path, _wal(path)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk so a rename after it is durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
