"""`chuhai serve`: the Prefect server and UI, Chuhai's deployments, and a worker that runs them.

In the foreground, in this order:
1. `prefect server start` on 127.0.0.1 (UI and API), with PREFECT_HOME in the project's
   `.prefect/` folder unless told otherwise, so a fresh machine needs nothing else;
2. the process work pools that prefect.yaml names;
3. `prefect deploy --all` from prefect.yaml (deployments, schedules, parameters, tags);
4. `prefect worker start` on each pool, which starts every scheduled or triggered run
   as a subprocess of this project;
5. one `ingest-sources` run at once (an API call: the worker runs it in the background),
   so the Runs page shows a finished run with its artifacts within a minute instead of
   staying empty until the first hourly schedule fires.
Ctrl-C (or SIGTERM) stops the worker first (it finishes the runs it started, for a
grace period), then the server. The children run in their own sessions so that the
terminal's Ctrl-C reaches only this process, which stops them in that order.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

from flows.settings import PROJECT_DIR

HOST = "127.0.0.1"
DEFAULT_PORT = 4200
DEFAULT_PREFECT_HOME = PROJECT_DIR / ".prefect"
PREFECT_FILE = PROJECT_DIR / "prefect.yaml"
SERVER_START_TIMEOUT = 180.0
WORKER_GRACE_SECONDS = 30.0
SERVER_STOP_SECONDS = 20.0
LEASE_STORAGE = "prefect.server.concurrency.lease_storage.filesystem"  # slots survive a server restart
FIRST_RUN = "ingest-sources/ingest-sources"  # flow/deployment started once when serving starts
FIRST_RUN_TAG = "on-serve-start"


class ServeError(RuntimeError):
    """Something `chuhai serve` cannot get past; the message says what and where to look."""


class Interrupted(Exception):
    """Ctrl-C (or SIGTERM) arrived while starting up."""


@dataclass(slots=True)
class ServeOptions:
    """How to serve: where, with which state folder and which deployment file."""

    port: int = DEFAULT_PORT
    prefect_home: Path = DEFAULT_PREFECT_HOME
    prefect_file: Path = PREFECT_FILE
    worker_grace: float = WORKER_GRACE_SECONDS
    first_run: bool = True  # start one ingest-sources run at once

    @property
    def url(self) -> str:
        """The UI's address."""
        return f"http://{HOST}:{self.port}"

    @property
    def api_url(self) -> str:
        """The API's address (what workers and flow runs talk to)."""
        return f"{self.url}/api"


@dataclass(slots=True)
class Stack:
    """The child processes this command owns."""

    server: subprocess.Popen | None = None
    workers: list[subprocess.Popen] = field(default_factory=list)
    server_log: Path | None = None


def prefect_env(options: ServeOptions) -> dict[str, str]:
    """Environment for the server, the deploy step, the worker and every flow run it starts."""
    env = dict(os.environ)
    env.update({
        "PREFECT_HOME": str(options.prefect_home),
        "PREFECT_API_URL": options.api_url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
        "PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE": LEASE_STORAGE,
        "PREFECT_CLI_PROMPT": "false",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("PREFECT_PROFILE", None)  # the project's own home, not a profile that points elsewhere
    return env


def prefect_command(*args: str) -> list[str]:
    """The `prefect` CLI of this interpreter's environment."""
    return [sys.executable, "-m", "prefect", *args]


def say(message: str) -> None:
    """A status line on the terminal (this is a CLI command, not a flow: no run logger here)."""
    print(f"chuhai serve: {message}", flush=True)


def port_is_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def work_pools(prefect_file: Path) -> list[str]:
    """The work pools the deployments of prefect.yaml run on."""
    try:
        spec = yaml.safe_load(prefect_file.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ServeError(f"{prefect_file}: not found (run from the project folder)") from None
    except yaml.YAMLError as exc:
        raise ServeError(f"{prefect_file}: not valid YAML ({exc})") from None
    pools = {(d.get("work_pool") or {}).get("name") for d in spec.get("deployments") or []}
    if None in pools or not pools:
        raise ServeError(f"{prefect_file}: every deployment needs work_pool.name")
    return sorted(pools)


def start_server(options: ServeOptions, env: dict[str, str], stack: Stack, stopping: threading.Event) -> float:
    """Start the server and wait until its API answers; returns the seconds it took."""
    options.prefect_home.mkdir(parents=True, exist_ok=True)
    stack.server_log = options.prefect_home / "server.log"
    started = time.monotonic()
    with open(stack.server_log, "ab") as log:
        stack.server = subprocess.Popen(
            prefect_command("server", "start", "--host", HOST, "--port", str(options.port)),
            env=env, cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = started + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if stopping.is_set():
            raise Interrupted
        if stack.server.poll() is not None:
            raise ServeError(f"the Prefect server exited (code {stack.server.returncode}); "
                             f"last lines of {stack.server_log}:\n{_tail(stack.server_log)}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{options.api_url}/health", timeout=2).status_code == 200:
                return time.monotonic() - started
        time.sleep(0.25)
    raise ServeError(f"the Prefect server did not answer on {options.url} within {SERVER_START_TIMEOUT:.0f} s; "
                     f"see {stack.server_log}")


def create_pools(pools: list[str]) -> None:
    """Create the process work pools that do not exist yet."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        for name in pools:
            pool = WorkPoolCreate(name=name, type="process", description="Chuhai runs, as local processes",
                                  base_job_template=ProcessWorker.get_default_base_job_template())
            with contextlib.suppress(ObjectAlreadyExists):
                client.create_work_pool(pool)


def deploy(options: ServeOptions, env: dict[str, str]) -> None:
    """`prefect deploy --all` from prefect.yaml, run in the project folder (where runs will execute)."""
    result = subprocess.run(
        prefect_command("--no-prompt", "deploy", "--all", "--prefect-file", str(options.prefect_file)),
        env=env, cwd=PROJECT_DIR, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False,
    )
    if result.returncode != 0:
        raise ServeError(f"`prefect deploy --all` failed for {options.prefect_file}:\n"
                         f"{(result.stdout + result.stderr)[-4000:]}")


def describe_deployments() -> list[str]:
    """One line per deployment: name, schedules, whether they are active."""
    from prefect.client.orchestration import get_client

    lines = []
    with get_client(sync_client=True) as client:
        for deployment in client.read_deployments():
            flow = client.read_flow(deployment.flow_id)
            schedules = [
                f"{getattr(s.schedule, 'cron', None) or s.schedule} {getattr(s.schedule, 'timezone', '')}"
                f"{'' if s.active else ' (paused)'}"
                for s in deployment.schedules
            ]
            lines.append(f"{flow.name}/{deployment.name}: " + ("; ".join(schedules) or "on demand"))
    return sorted(lines)


def start_first_run() -> str:
    """Create one ingest-sources run now; the worker starts it like a scheduled one. Returns its name."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(FIRST_RUN)
        run = client.create_flow_run_from_deployment(deployment.id, tags=[FIRST_RUN_TAG])
    return run.name


def start_workers(pools: list[str], env: dict[str, str], stack: Stack) -> None:
    """One process worker per pool; their output (and their runs' logs) goes to this terminal."""
    for pool in pools:
        stack.workers.append(subprocess.Popen(
            prefect_command("worker", "start", "--pool", pool, "--type", "process",
                            "--name", f"{pool}-{socket.gethostname()}"),
            env=env, cwd=PROJECT_DIR, stdin=subprocess.DEVNULL, start_new_session=True,
        ))


def stop(stack: Stack, grace: float, force: threading.Event) -> None:
    """Stop the workers (letting their runs finish for `grace` seconds), then the server."""
    import psutil

    for worker in stack.workers:
        if worker.poll() is None:
            runs = _descendants(worker.pid)
            if runs:
                say(f"waiting up to {grace:.0f} s for {len(runs)} running process(es) of the worker "
                    "(Ctrl-C again to stop them now)")
            worker.send_signal(signal.SIGINT)
    for worker in stack.workers:
        descendants = _descendants(worker.pid)
        _wait(worker, grace, force)
        for child in descendants:
            with contextlib.suppress(psutil.Error):
                child.kill()
    if stack.server is not None and stack.server.poll() is None:
        stack.server.send_signal(signal.SIGINT)
        _wait(stack.server, SERVER_STOP_SECONDS, force)


def _descendants(pid: int) -> list:
    """The processes a child started (a worker's flow runs)."""
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _wait(process: subprocess.Popen, seconds: float, force: threading.Event) -> None:
    """Wait for a child to exit; kill it (and its session) after `seconds` or a second Ctrl-C."""
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline and not force.is_set():
        time.sleep(0.1)
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _tail(path: Path, lines: int = 15) -> str:
    """The end of a log file."""
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def serve(options: ServeOptions) -> int:
    """Run the whole stack in the foreground until Ctrl-C or SIGTERM; returns the exit code."""
    if not port_is_free(options.port):
        raise ServeError(f"{HOST}:{options.port} is already in use (another `chuhai serve` or Prefect "
                         f"server?): stop it, or choose another port with --port")
    pools = work_pools(options.prefect_file)
    env = prefect_env(options)
    os.environ.update({k: env[k] for k in ("PREFECT_HOME", "PREFECT_API_URL")})  # for this process's client
    stopping, force = threading.Event(), threading.Event()

    def on_signal(signum, frame) -> None:
        (force if stopping.is_set() else stopping).set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    stack = Stack()
    code = 0
    try:
        say(f"starting the Prefect server on {options.url} (PREFECT_HOME={options.prefect_home})")
        seconds = start_server(options, env, stack, stopping)
        say(f"server up in {seconds:.1f} s")
        started = time.monotonic()
        create_pools(pools)
        deploy(options, env)
        if stopping.is_set():
            raise Interrupted
        say(f"deployed {options.prefect_file.name} in {time.monotonic() - started:.1f} s:")
        for line in describe_deployments():
            say(f"  {line}")
        start_workers(pools, env, stack)
        say(f"worker started on pool {', '.join(pools)}")
        if options.first_run:
            _first_run()
        say(f"ready: open {options.url} in a browser (Deployments, Flow Runs, Artifacts). Ctrl-C stops everything.")
        code = _watch(stack, stopping)
    except ServeError as exc:
        say(f"error: {exc}")
        code = 1
    except Interrupted:
        code = 0
    finally:
        say("stopping the worker and the server...")
        stop(stack, options.worker_grace, force)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        say("stopped")
    return code


def _first_run() -> None:
    """Start the first ingest-sources run; a failure to start it is said, and serving goes on."""
    try:
        name = start_first_run()
    except Exception as exc:  # noqa: BLE001 - the schedules still run; the user only misses the early run
        say(f"could not start a first {FIRST_RUN} run ({exc}); the hourly schedule still applies")
        return
    say(f"started one {FIRST_RUN.split('/')[0]} run now ({name}): it shows under Runs with its artifacts")


def _watch(stack: Stack, stopping: threading.Event) -> int:
    """Wait for Ctrl-C; a child that dies on its own ends the command with an error."""
    children = [("server", stack.server), *(("worker", w) for w in stack.workers)]
    while not stopping.is_set():
        for name, child in children:
            if child is not None and child.poll() is not None:
                hint = f"; see {stack.server_log}" if name == "server" else ""
                say(f"error: the {name} exited unexpectedly (code {child.returncode}){hint}")
                return 1
        stopping.wait(0.5)
    return 0
