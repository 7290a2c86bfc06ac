"""Fetching web pages politely and safely: the only module that talks HTTP.

Politeness: a descriptive User-Agent, robots.txt honoured (fetched once per host and
cached), one request at a time per host with a minimum delay between them, and
exponential back-off on 429/5xx/connection errors that respects Retry-After.
Safety: only http(s); loopback, private, link-local and cloud-metadata addresses are
refused after DNS resolution, on the first request and on every redirect hop (redirects
are followed by hand so each hop is checked); bodies are capped in size and must be
HTML, text or a feed. Conditional GET (ETag / Last-Modified) makes an unchanged page
cost a 304 and no body.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import math
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

LOG = logging.getLogger(__name__)

USER_AGENT = "ChuhaiBot/0.1 (+cross-border e-commerce news research; polite crawler, honours robots.txt)"
ROBOTS_AGENT = "ChuhaiBot"
SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DOCUMENT_TYPES = frozenset({
    "text/html", "application/xhtml+xml", "text/plain",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/gzip", "application/x-gzip",  # sitemap.xml.gz; unpacked (capped) only when read as XML
})
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,"
          "text/plain;q=0.8")
CHUNK_BYTES = 64 * 1024
BLOCKED_AT_CONNECT = "refused at connect time:"
MB = 1024 * 1024

Resolver = Callable[[str, int], list[str]]


class FetchError(Exception):
    """A url that could not be fetched; the message names the url and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class RefusedUrl(FetchError):
    """Refused before any request: not http(s), or an address that is off limits."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt asks crawlers like ours not to fetch this path."""


class HttpStatusError(FetchError):
    """The server answered with an error status (after retries, for the retryable ones)."""

    def __init__(self, url: str, reason: str, status: int) -> None:
        super().__init__(url, reason)
        self.status = status


class RedirectError(FetchError):
    """A redirect loop, too many redirects, or a redirect without a Location."""


class TooLarge(FetchError):
    """The body is over the size limit for one document."""


class UnsupportedContentType(FetchError):
    """The body is not HTML, text or a feed (a PDF, an image...)."""


class NetworkError(FetchError):
    """DNS, connection or timeout failures that outlasted the retries."""


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How the fetcher behaves; one object passed down instead of a dozen arguments."""

    user_agent: str = USER_AGENT
    timeout: float = 20.0            # connect / read (between bytes) timeout, seconds
    max_seconds: float = 120.0       # total time for one response body
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3                 # extra attempts after the first
    backoff: float = 1.0             # first back-off, doubled each retry
    max_wait: float = 300.0          # the longest Retry-After we honour; longer is a failure
    delay: float = 1.0               # default minimum seconds between requests to one host
    allow_hosts: frozenset[str] = frozenset()


@dataclass(slots=True)
class FetchResult:
    """One fetched url: the final response after redirects, as received."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    attempts: int = 1
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        """The server confirmed our archived copy is current (HTTP 304)."""
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        """The Content-Type header as sent (charset included), for decoding."""
        return self.headers.get("content-type")

    @property
    def etag(self) -> str | None:
        """Validator for the next conditional GET."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """Validator for the next conditional GET."""
        return self.headers.get("last-modified")


def media_type(content_type: str | None) -> str:
    """`text/html; charset=gbk` -> `text/html`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def system_resolver(host: str, port: int) -> list[str]:
    """Every address a host name resolves to."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def blocked_reason(address: str) -> str | None:
    """Why an IP address is off limits for fetching, or None when it is a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (cloud metadata services live here)"
    if ip.is_private:
        return "a private network address"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return "not a public internet address"
    return None


def check_url(url: str, allow_hosts: frozenset[str], resolve: Resolver = system_resolver) -> None:
    """Refuse non-http(s) urls and hosts that resolve to non-public addresses (unless allowed)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise RefusedUrl(url, f"refused: scheme {parts.scheme or '(none)'!r} is not http or https")
    host = (parts.hostname or "").lower()
    if not host:
        raise RefusedUrl(url, "refused: no host name in the url")
    if host in allow_hosts:
        return
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise NetworkError(url, f"cannot resolve host {host}: {exc}") from None
    for address in addresses:
        reason = blocked_reason(address)
        if reason:
            raise RefusedUrl(
                url, f"refused: {host} resolves to {address}, {reason}; "
                     f"allow it with --allow-host {host} or allow_hosts in the sources file"
            )


class GuardedBackend(httpcore.NetworkBackend):
    """Connects only to vetted addresses: the check runs again at connect time, so a host that
    resolved to a public address for check_url cannot rebind to a private one for the request."""

    def __init__(self, allow_hosts: frozenset[str], resolve: Resolver) -> None:
        self.allow_hosts = allow_hosts
        self.resolve = resolve
        self.inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options=None) -> httpcore.NetworkStream:
        """Resolve, refuse any non-public address, then connect to the address that was checked."""
        if host.lower() in self.allow_hosts:
            return self.inner.connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            addresses = self.resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
        for address in addresses:
            reason = blocked_reason(address)
            if reason:
                raise httpcore.ConnectError(f"{BLOCKED_AT_CONNECT} {host} resolved to {address}, {reason}")
        for address in addresses[:-1]:
            try:
                return self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError:
                continue  # try the host's next address
        return self.inner.connect_tcp(addresses[-1], port, timeout, local_address, socket_options)

    def sleep(self, seconds: float) -> None:
        """Delegated to the standard backend."""
        self.inner.sleep(seconds)


def guarded_transport(allow_hosts: frozenset[str], resolve: Resolver) -> httpx.HTTPTransport:
    """httpx's transport with its connection pool swapped for one that uses GuardedBackend."""
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(  # httpx has no public hook for a network backend
        ssl_context=httpx.create_ssl_context(), network_backend=GuardedBackend(allow_hosts, resolve))
    return transport


class HostGate:
    """One request at a time per host, with at least `delay` seconds between them."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}

    @contextlib.contextmanager
    def turn(self, host: str, delay: float) -> Iterator[None]:
        """Wait for this host's turn; the next request waits `delay` after this one ends."""
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            wait = self._last.get(host, -math.inf) + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._last[host] = time.monotonic()


@dataclass(slots=True)
class RobotsRules:
    """A host's robots.txt as we understood it (None parser: allow everything)."""

    parser: urllib.robotparser.RobotFileParser | None
    disallow_all: bool = False
    note: str = ""
    unreachable: bool = False  # the host did not answer at all: report the network failure

    def allows(self, url: str) -> bool:
        """Whether our user agent may fetch the url."""
        if self.disallow_all:
            return False
        return self.parser is None or self.parser.can_fetch(ROBOTS_AGENT, url)

    def crawl_delay(self) -> float:
        """The Crawl-delay the site asks of us (0 when none)."""
        if self.parser is None:
            return 0.0
        return float(self.parser.crawl_delay(ROBOTS_AGENT) or 0.0)


class Fetcher:
    """Polite, guarded HTTP GETs; safe to share between threads (one turn per host at a time)."""

    def __init__(self, settings: FetchSettings | None = None, resolve: Resolver = system_resolver) -> None:
        self.settings = settings or FetchSettings()
        self.resolve = resolve
        self.gate = HostGate()
        self._robots: dict[str, RobotsRules] = {}
        self._robots_lock = threading.Lock()
        self._robots_fetching: dict[str, threading.Lock] = {}
        self.requests = 0
        self.client = httpx.Client(
            headers={"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate", "Accept": ACCEPT},
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=False,
            trust_env=False,
            transport=guarded_transport(self.settings.allow_hosts, resolve),
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def get(self, url: str, *, delay: float | None = None, etag: str | None = None,
            last_modified: str | None = None) -> FetchResult:
        """Fetch a document, following redirects; a 304 comes back as `not_modified`."""
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        return self._follow(url, delay, conditional, check_robots=True)

    def _follow(self, url: str, delay: float | None, extra: dict[str, str], check_robots: bool) -> FetchResult:
        """Request url, then each redirect target, checking every hop before it is requested."""
        hops: list[str] = []
        current = url
        attempts = 0
        while True:
            check_url(current, self.settings.allow_hosts, self.resolve)
            host_delay = self.settings.delay if delay is None else delay
            if check_robots:
                rules = self.robots_for(current)
                if rules.unreachable:
                    raise NetworkError(url, f"site unreachable: {rules.note}")
                if not rules.allows(current):
                    via = f" (redirected to {current})" if current != url else ""
                    why = f"; {rules.note}, so the whole site is off limits for now" if rules.disallow_all else ""
                    raise RobotsDisallowed(url, f"disallowed by {_origin(current)}/robots.txt for {ROBOTS_AGENT}{via}{why}")
                host_delay = max(host_delay, rules.crawl_delay())
            result, tries = self._attempts(current, host_delay, extra)
            attempts += tries
            if result.status not in REDIRECT_STATUSES:
                result.url, result.redirects, result.attempts = url, hops, attempts
                return result
            location = result.headers.get("location")
            if not location:
                raise RedirectError(url, f"HTTP {result.status} redirect from {current} without a Location header")
            target = urljoin(current, location.strip())
            hops.append(target)
            if target == current or target in hops[:-1] or target == url:
                raise RedirectError(url, "redirect loop: " + " -> ".join([url, *hops]))
            if len(hops) > self.settings.max_redirects:
                raise RedirectError(url, f"more than {self.settings.max_redirects} redirects: " + " -> ".join([url, *hops]))
            current = target

    def _attempts(self, url: str, delay: float, extra: dict[str, str]) -> tuple[FetchResult, int]:
        """One url, retried with back-off on 429/5xx and connection errors, in this host's turns."""
        host = (urlsplit(url).hostname or "").lower()
        last_problem, last_status = "", None
        for attempt in range(self.settings.retries + 1):
            wait = 0.0
            with self.gate.turn(host, delay):
                try:
                    result = self._once(url, extra)
                except (httpx.TransportError, _SlowBody) as exc:
                    if BLOCKED_AT_CONNECT in str(exc):
                        raise RefusedUrl(url, str(exc)) from None
                    last_problem, last_status = _describe(exc, self.settings), None
                    wait = self._backoff(url, attempt, None, last_problem)
                else:
                    if result.status not in RETRY_STATUSES:
                        return result, attempt + 1
                    last_problem, last_status = f"HTTP {result.status} {_reason(result.status)}", result.status
                    wait = self._backoff(url, attempt, result.headers.get("retry-after"), last_problem)
                if attempt < self.settings.retries:
                    LOG.info("%s: %s; retrying in %.1f s", url, last_problem, wait)
                    time.sleep(wait)
        tries = self.settings.retries + 1
        if last_status is not None:
            raise HttpStatusError(url, f"{last_problem} after {tries} attempts", last_status)
        raise NetworkError(url, f"{last_problem} after {tries} attempts")

    def _backoff(self, url: str, attempt: int, retry_after: str | None, problem: str) -> float:
        """Seconds to wait before the next attempt: Retry-After when given, else doubling."""
        asked = parse_retry_after(retry_after)
        if asked is None:
            return self.settings.backoff * (2 ** attempt)
        if asked > self.settings.max_wait:
            raise HttpStatusError(
                url, f"{problem}: the server asks to wait {asked:.0f} s (Retry-After), over the "
                     f"{self.settings.max_wait:.0f} s we are willing to wait", 429 if "429" in problem else 503)
        return asked

    def _once(self, url: str, extra: dict[str, str]) -> FetchResult:
        """One request; the body is read only for a 2xx of an accepted type, within the size cap."""
        self.requests += 1
        started = time.monotonic()
        with self.client.stream("GET", url, headers=extra) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            result = FetchResult(url, url, response.status_code, headers, b"", datetime.now())  # local, like the other tables
            if not 200 <= response.status_code < 300:
                if response.status_code not in REDIRECT_STATUSES | RETRY_STATUSES | {304}:
                    raise HttpStatusError(url, f"HTTP {response.status_code} {_reason(response.status_code)}",
                                          response.status_code)
                return result
            self._check_type(url, headers.get("content-type"))
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.settings.max_bytes:
                raise TooLarge(url, f"body is {int(declared) / MB:.1f} MB (Content-Length), over the "
                                    f"{self.settings.max_bytes / MB:.0f} MB limit for one document")
            result.body = self._read_capped(url, response, started)
            return result

    def _check_type(self, url: str, content_type: str | None) -> None:
        """Only HTML, text and feeds are documents; a missing type is sniffed later."""
        kind = media_type(content_type)
        if kind and kind not in DOCUMENT_TYPES and not kind.endswith("+xml"):
            raise UnsupportedContentType(url, f"content type {kind} is not HTML, text or a feed; skipped")

    def _read_capped(self, url: str, response: httpx.Response, started: float) -> bytes:
        """The (decompressed) body, stopping as soon as it passes the size or time limit."""
        body = bytearray()
        for chunk in response.iter_bytes(CHUNK_BYTES):
            body += chunk
            if len(body) > self.settings.max_bytes:
                raise TooLarge(url, f"body passed the {self.settings.max_bytes / MB:.0f} MB limit for one "
                                    "document; download stopped")
            if time.monotonic() - started > self.settings.max_seconds:
                raise _SlowBody(f"body took over {self.settings.max_seconds:.0f} s to arrive")
        return bytes(body)

    def robots_for(self, url: str) -> RobotsRules:
        """The robots.txt rules of the url's origin, fetched on first use and cached."""
        origin = _origin(url)
        with self._robots_lock:
            origin_lock = self._robots_fetching.setdefault(origin, threading.Lock())
        with origin_lock:  # two threads reaching a new host fetch its robots.txt once
            if origin not in self._robots:
                self._robots[origin] = self._fetch_robots(origin)
            return self._robots[origin]

    def _fetch_robots(self, origin: str) -> RobotsRules:
        """RFC 9309: a 4xx means no rules; a 5xx or unreachable file means stay away for now."""
        robots_url = origin + "/robots.txt"
        try:
            result = self._follow(robots_url, None, {}, check_robots=False)
        except HttpStatusError as exc:
            if 400 <= exc.status < 500:
                return RobotsRules(None, note=f"{robots_url}: HTTP {exc.status}, no rules")
            return RobotsRules(None, disallow_all=True, note=f"{robots_url}: {exc.reason}")
        except (UnsupportedContentType, TooLarge):
            return RobotsRules(None, note=f"{robots_url}: not a robots file, no rules")
        except NetworkError as exc:
            return RobotsRules(None, disallow_all=True, unreachable=True, note=f"{robots_url}: {exc.reason}")
        except FetchError as exc:
            return RobotsRules(None, disallow_all=True, note=f"{robots_url}: {exc.reason}")
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
        return RobotsRules(parser, note=f"{robots_url}: {len(result.body)} bytes")


class _SlowBody(Exception):
    """A body that trickled in for longer than allowed (retried like a timeout)."""


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked by a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _origin(url: str) -> str:
    """scheme://host[:port] of a url."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _reason(status: int) -> str:
    """The standard phrase of a status code."""
    try:
        from http import HTTPStatus

        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _describe(exc: Exception, settings: FetchSettings) -> str:
    """A network failure in user terms."""
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {settings.timeout:g} s ({type(exc).__name__})"
    if isinstance(exc, _SlowBody):
        return str(exc)
    return f"connection failed ({type(exc).__name__}: {exc})"
