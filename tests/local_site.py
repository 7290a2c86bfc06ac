"""A small news site on 127.0.0.1 for the scheduled-run tests: a feed, article pages, a 404, a slow page.

A real HTTP server (threaded, so a slow page does not hold up the others) that the
deployments' runs fetch from, exactly as they would fetch a publisher.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Route:
    """What one path answers."""

    body: bytes
    content_type: str = HTML
    status: int = 200
    delay: float = 0.0


def article(title: str, sentence: str) -> bytes:
    """A small article page stating one sentence, with filler paragraphs the extractor keeps."""
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><div class="nav"><a href="/">首页</a></div><article><h1>{title}</h1><div class="content">
<p>{sentence}</p><p>平台表示将继续加大对跨境卖家的扶持力度，并完善物流与支付服务。</p>
<p>业内人士认为，出海电商的竞争将在新的一年进一步加剧。</p></div></article></body></html>""".encode()


def rss(base: str, paths: list[str]) -> bytes:
    """An RSS 2.0 feed whose items link to `paths` on `base`."""
    items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in paths)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local news</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()


class Site:
    """The server and its routes; use as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {"/robots.txt": Route(b"User-agent: *\nAllow: /\n", "text/plain")}
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                site.requests.append(self.path)
                route = site.routes.get(self.path, Route(b"not found", "text/plain", 404))
                time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args) -> None:
                """Quiet: the tests read `site.requests` instead."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def base(self, host: str = "127.0.0.1") -> str:
        """The site's address under a host name (127.0.0.1 or localhost: two hosts, one server)."""
        return f"http://{host}:{self.port}"

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
