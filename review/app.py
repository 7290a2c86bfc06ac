"""`chuhai review`: a local page to review an article's figures and fix, reject, confirm or add them.

Starlette on uvicorn (both come with Prefect), bound to 127.0.0.1 only. Reads open the published warehouse
read-only per request; every decision goes through warehouse.corrections, so through the writer, exactly as
`chuhai fix | reject | confirm | add` do. Requests must name 127.0.0.1 or localhost as their host (no DNS
rebinding), and a decision needs a JSON body with the page's own header (no cross-site form can send one).
"""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from review.data import Filters, field_vocabulary, list_articles, read_article
from warehouse.corrections import CorrectionError, add, confirm, default_user, fix, reject
from warehouse.db import WarehouseError, Writer, open_readonly

LOG = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DECISION_HEADER = "x-chuhai-review"


def create_app(db: str | Path, by: str | None = None) -> Starlette:
    """The review application on the warehouse `db`; decisions are recorded as made by `by`."""
    db = str(db)
    who = by or default_user()
    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)

    def page(request: Request) -> HTMLResponse:
        """The page: the script fetches everything else."""
        html = templates.get_template("review.html").render(db=db, by=who)
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    def articles(request: Request) -> Response:
        """Articles with their figure counts, filtered."""
        return _json(list_articles(db, _filters(request)))

    def article(request: Request) -> Response:
        """One article with its figures."""
        found = read_article(db, request.path_params["article_id"], _filters(request))
        if found is None:
            return _json({"error": f"no article {request.path_params['article_id']}"}, 404)
        return _json(found)

    def vocabulary(request: Request) -> Response:
        """What the fields may hold."""
        return _json(field_vocabulary(db))

    async def decide(request: Request) -> Response:
        """Record a decision (confirm, fix, reject, add) through the writer."""
        if request.headers.get(DECISION_HEADER) != "1" or "json" not in request.headers.get("content-type", ""):
            return _json({"error": "decisions are JSON requests from the review page"}, 403)
        try:
            payload = json.loads(await request.body())
        except ValueError:
            return _json({"error": "the request body is not JSON"}, 400)
        try:
            decision = await run_in_threadpool(_record, db, payload, who)  # the writer copies and publishes
        except (CorrectionError, WarehouseError) as exc:
            return _json({"error": str(exc)}, 400)
        return _json({"correction_id": decision.correction_id, "action": decision.action,
                      "fact_id": decision.fact_id})

    routes = [
        Route("/", page),
        Route("/api/articles", articles),
        Route("/api/articles/{article_id}", article),
        Route("/api/vocabulary", vocabulary),
        Route("/api/decisions", decide, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS)])


def _record(db: str, payload: dict, who: str):
    """Turn a page request into a decision."""
    action = payload.get("action")
    note = payload.get("note") or None
    fields = payload.get("fields") or {}
    if not isinstance(fields, dict):
        raise CorrectionError("fields must be an object of FIELD: VALUE")
    if action == "add":
        start = payload.get("start")
        return add(db, str(payload.get("url") or ""), str(payload.get("quote") or ""), fields, note, who,
                   start=start if isinstance(start, int) else None)
    fact_id = str(payload.get("fact_id") or "")
    if action == "fix":
        return fix(db, fact_id, fields, note, who)
    if action == "confirm":
        return confirm(db, fact_id, note, who)
    if action == "reject":
        return reject(db, fact_id, note, who)
    raise CorrectionError(f"unknown action {action!r} (confirm, fix, reject, add)")


def _filters(request: Request) -> Filters:
    """The filters of a request's query string."""
    q = request.query_params
    return Filters(entity=q.get("entity") or None, metric=q.get("metric") or None,
                   conflicts=q.get("conflicts") == "1", unreviewed=q.get("unreviewed") == "1")


def _json(value: object, status: int = 200) -> Response:
    """JSON with dates and other values as text."""
    return Response(json.dumps(value, ensure_ascii=False, default=str), status_code=status,
                    media_type="application/json", headers={"Cache-Control": "no-store"})


def needs_upgrade(db: str | Path) -> bool:
    """Whether the warehouse predates the views the page reads (no writer has opened it since)."""
    con = open_readonly(db)
    try:
        return not con.execute("select count(*) from duckdb_views() where view_name = 'stg_reviewed_facts'").fetchone()[0]
    finally:
        con.close()


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def serve(db: str | Path, port: int = 0, by: str | None = None) -> int:
    """Serve the review page on 127.0.0.1 until Ctrl-C."""
    import uvicorn

    if not Path(db).exists():
        raise WarehouseError(f"no warehouse at {db}: run `chuhai ingest PATH --db {db}` first")
    if needs_upgrade(db):
        with Writer(db):  # migrations and views, as any writer installs them
            pass
        print(f"upgraded {db}: corrections table and views installed", flush=True)
    port = port or free_port()
    print(f"review page: http://{HOST}:{port}/  (warehouse {db}; Ctrl-C stops it)", flush=True)
    uvicorn.run(create_app(db, by), host=HOST, port=port, log_level="warning")
    return 0
