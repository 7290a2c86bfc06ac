"""One writing run per warehouse file, visible in the Prefect UI, freed the moment its run is gone.

The copy-on-write writer already serializes writers with a lock file, so two runs can
never corrupt a warehouse. On a Prefect server we also take a slot of a global
concurrency limit named after the warehouse file (limit 1): a scheduled run that
starts while another is loading the same file then shows as waiting on that limit
(Concurrency page of the UI, and a log line), instead of silently blocking. Without
a server (the CLI's ephemeral mode) there is no UI to show it, so only the lock file
is used: the ephemeral server keeps leases in memory and would lose them with the
process.

A slot is a lease the holder renews while it lives. A run killed with SIGKILL (or a
crashed worker) cannot give its lease back, and the server would keep the slot until
the lease expires (LEASE_SECONDS). So the holder writes its lease id into
`<file>.slot` and keeps an advisory lock (flock) on that file for as long as it holds
the slot; the kernel drops the lock when the process dies, however it dies. A run
waiting for the slot looks at that file between its attempts: a lease id under a lock
nobody holds belongs to a run that is gone, and the waiting run releases that lease
at once and takes the slot.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import httpx
from prefect import get_run_logger
from prefect.exceptions import MissingContextError

LOG = logging.getLogger(__name__)
UNSAFE_NAME_CHARS = re.compile(r"[/%&<>\s]+")  # characters Prefect refuses in names, and spaces
LEASE_SECONDS = 300.0  # renewed while the run lives; the server's last resort if `<file>.slot` cannot tell
RENEW_SECONDS = LEASE_SECONDS / 4
POLL_SECONDS = 1.0  # how often a waiting run asks again (and looks whether the holder is gone), at most
HTTP_LOCKED = 423  # the server's answer while the slot is taken


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
    record = holder_file(db)
    lease_id = acquire_slot(name, record, logger)
    waited = time.monotonic() - started
    if waited >= 1.0:
        logger.info("took the write slot %s after waiting %.1f s for another run writing %s", name, waited, Path(db))
    with _holding(record, lease_id, logger), _renewing(lease_id, logger):
        try:
            yield
        finally:
            logger.info("released the write slot %s", name)


def holder_file(db: str | Path) -> Path:
    """`<file>.slot`: the lease id of the run holding the write slot, locked while that run lives."""
    resolved = Path(db).expanduser().resolve()
    return resolved.with_name(resolved.name + ".slot")


def acquire_slot(name: str, record: Path, logger: logging.Logger | logging.LoggerAdapter) -> UUID:
    """Wait for the slot (freeing it from a holder that is gone); returns the lease id."""
    from prefect.client.orchestration import get_client

    holder = _lease_holder()
    with get_client(sync_client=True) as client:
        while True:
            try:
                response = client.increment_concurrency_slots_with_lease(
                    names=[name], slots=1, mode="concurrency", lease_duration=LEASE_SECONDS, holder=holder)
                return UUID(response.json()["lease_id"])
            except httpx.HTTPStatusError as exc:
                if exc.response.status_code != HTTP_LOCKED:
                    raise
                retry_after = float(exc.response.headers.get("Retry-After") or POLL_SECONDS)
            if free_if_holder_gone(record, logger):
                continue
            time.sleep(min(retry_after, POLL_SECONDS))


def free_if_holder_gone(record: Path, logger: logging.Logger | logging.LoggerAdapter) -> bool:
    """Release the lease written in `record` when no living process holds its lock; True if one was freed."""
    from prefect.client.orchestration import get_client

    if not record.exists():
        return False
    with open(record, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # the holder lives (or another waiting run is looking)
        try:
            handle.seek(0)
            text = handle.read().strip()
            if not text:
                return False
            try:
                with get_client(sync_client=True) as client:
                    client.release_concurrency_slots_with_lease(UUID(text))  # an expired lease: a no-op
            except ValueError:  # not a lease id: nothing to free, and nothing to keep
                handle.truncate(0)
                return False
            except Exception as exc:  # noqa: BLE001 - the API is down for a moment: look again next time
                logger.warning("could not free the write slot of a run that is gone (lease %s): %s", text, exc)
                return False
            handle.truncate(0)
            logger.warning("freed the write slot held by a run that is gone (killed or crashed; lease %s)", text)
            return True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _holding(record: Path, lease_id: UUID, logger: logging.Logger | logging.LoggerAdapter) -> Iterator[None]:
    """Write the lease id under a lock kept until the lease is released (by us, or by the next run if we die)."""
    from prefect.client.orchestration import get_client

    def release() -> bool:
        try:
            with get_client(sync_client=True) as client:
                client.release_concurrency_slots_with_lease(lease_id)
        except Exception as exc:  # noqa: BLE001 - the record stays: the next run frees the lease
            logger.warning("could not release the write slot's lease %s: %s", lease_id, exc)
            return False
        return True

    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        handle = open(record, "a+", encoding="utf-8")  # closed below, which drops the lock
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)  # a waiting run looks for a moment at most
            handle.truncate(0)
            handle.write(str(lease_id))
            handle.flush()
        except BaseException:
            handle.close()
            raise
    except BaseException:
        release()  # without a record no one could tell the lease is ours: give it back now
        raise
    try:
        yield
    finally:
        if release():
            handle.truncate(0)  # before the unlock: no one may take a released lease for a dead holder's
        handle.close()


@contextlib.contextmanager
def _renewing(lease_id: UUID, logger: logging.Logger | logging.LoggerAdapter) -> Iterator[None]:
    """Renew the lease in a thread while the block runs; a failed renewal is logged, not fatal."""
    from prefect.client.orchestration import get_client

    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(RENEW_SECONDS):
            try:
                with get_client(sync_client=True) as client:
                    client.renew_concurrency_lease(lease_id, LEASE_SECONDS)
            except Exception as exc:  # noqa: BLE001 - the lock file still serializes writers
                logger.warning("could not renew the write slot's lease %s: %s", lease_id, exc)

    thread = threading.Thread(target=renew, name="warehouse-slot-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _lease_holder():
    """The flow run holding the lease, shown with the slot by the server (None outside a run)."""
    from prefect.client.schemas.objects import ConcurrencyLeaseHolder
    from prefect.runtime import flow_run

    run_id = flow_run.get_id()
    return ConcurrencyLeaseHolder(type="flow_run", id=run_id) if run_id else None


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
