"""One writing run per warehouse file, visible in the Prefect UI.

The copy-on-write writer already serializes writers with a lock file, so two runs can
never corrupt a warehouse. On a Prefect server we also take a slot of a global
concurrency limit named after the warehouse file (limit 1): a scheduled run that
starts while another is loading the same file then shows as waiting on that limit
(Concurrency page of the UI, and a log line), instead of silently blocking. Without
a server (the CLI's ephemeral mode) there is no UI to show it, so only the lock file
is used: the ephemeral server keeps leases in memory and would lose them with the
process.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path

from prefect import get_run_logger
from prefect.concurrency.sync import concurrency
from prefect.exceptions import MissingContextError

LOG = logging.getLogger(__name__)
UNSAFE_NAME_CHARS = re.compile(r"[/%&<>\s]+")  # characters Prefect refuses in names, and spaces
LEASE_SECONDS = 300.0  # renewed while the run is alive; a killed run frees the slot after this


def limit_name(db: str | Path) -> str:
    """The concurrency limit of a warehouse file: readable, and unique per resolved path."""
    resolved = Path(db).expanduser().resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:8]
    readable = UNSAFE_NAME_CHARS.sub("-", resolved.name)
    return f"warehouse-{readable}-{digest}"


def _logger() -> logging.Logger | logging.LoggerAdapter:
    """The run logger inside a flow or task, this module's logger elsewhere."""
    try:
        return get_run_logger()
    except MissingContextError:
        return LOG


def _server_url() -> str | None:
    """The Prefect API this process talks to, or None in ephemeral mode."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


def ensure_limit(name: str) -> bool:
    """Create the limit (one slot) if missing; False when the server cannot provide it."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectNotFound

    try:
        with get_client(sync_client=True) as client:
            try:
                return client.read_global_concurrency_limit_by_name(name).limit >= 1
            except ObjectNotFound:
                pass
            try:
                client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1))
            except Exception:  # noqa: BLE001 - another run created it at the same moment
                return client.read_global_concurrency_limit_by_name(name).limit >= 1
    except Exception as exc:  # noqa: BLE001 - any API problem: fall back to the lock file
        _logger().warning("concurrency limit %s unavailable (%s); the lock file alone serializes writers",
                          name, exc)
        return False
    return True


@contextlib.contextmanager
def warehouse_slot(db: str | Path) -> Iterator[None]:
    """Hold the write slot of a warehouse file for the duration of the block."""
    name = limit_name(db)
    if _server_url() is None or not ensure_limit(name):
        yield
        return
    logger = _logger()
    logger.info("taking the write slot %s for %s", name, Path(db))
    started = time.monotonic()
    with concurrency(name, occupy=1, lease_duration=LEASE_SECONDS, strict=True,
                     raise_on_lease_renewal_failure=False):
        waited = time.monotonic() - started
        if waited >= 1.0:
            logger.info("took the write slot %s after waiting %.1f s for another run writing %s",
                        name, waited, Path(db))
        try:
            yield
        finally:
            logger.info("released the write slot %s", name)


def warehouse_problem(db: str | Path, must_exist: bool = False) -> str | None:
    """Why a run cannot use the warehouse file (held for writing by a DuckDB shell, missing), or None.

    Checked before a run starts, so the run ends Failed with this one clear sentence
    instead of a traceback from deep inside a task.
    """
    from warehouse.db import WarehouseError, open_readonly

    if not Path(db).exists():
        return f"no warehouse at {db}: nothing has been ingested yet" if must_exist else None
    try:
        open_readonly(db).close()
    except WarehouseError as exc:
        return str(exc)
    return None
