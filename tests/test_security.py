"""Security: read-only by default, file roots that hold, a fetcher that cannot be steered inside.

`chuhai sql` and `chuhai shell` never modify the warehouse without --write; a file source
refuses anything that resolves outside the folders the user named; the fetcher refuses
redirects to loopback, cloud metadata and file:// before connecting; article text reaches
SQL only as data.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest
from hostile.run import CHUHAI, chuhai
from pytest_httpserver import HTTPServer
from werkzeug import Response

from sources.files import FileItem, SourceError, list_files
from sources.http import Fetcher, FetchError, FetchSettings, RefusedUrl, check_url

ROOT = Path(__file__).resolve().parent.parent
V1_FIXTURE = ROOT / "tests" / "fixtures" / "warehouse_v1.duckdb"
SECRET = "secret 9999亿美元 GMV of the neighbour"


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A small warehouse at the current schema (the v1 fixture, upgraded)."""
    from warehouse.db import Writer

    db = tmp_path / "chuhai.duckdb"
    db.write_bytes(V1_FIXTURE.read_bytes())
    with Writer(db):
        pass
    return db


def count(db: Path, table: str) -> int:
    """Rows in a table, read-only."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchall()[0][0]
    finally:
        con.close()


# --- chuhai sql / chuhai shell ---------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "delete from articles",
    "drop table metric_facts",
    "update articles set body = ''",
    "create table stolen as select * from articles",
    "insert into articles select * from articles",
])
def test_chuhai_sql_refuses_to_modify_the_warehouse_without_write(warehouse: Path, statement: str):
    before = warehouse.read_bytes()
    out = chuhai("sql", statement, "--db", str(warehouse))
    assert out.returncode == 1
    assert "read-only" in out.stderr.lower() and "Traceback" not in out.stderr
    assert warehouse.read_bytes() == before


def test_chuhai_sql_with_write_modifies_the_warehouse(warehouse: Path):
    out = chuhai("sql", "delete from metric_facts where metric = 'gmv'", "--db", str(warehouse), "--write")
    assert out.returncode == 0, out.stderr
    assert count(warehouse, "metric_facts") == 3


def shell(db: Path, script: str, *flags: str) -> subprocess.CompletedProcess:
    """`chuhai shell` with SQL on its standard input, as a user would pipe it."""
    return subprocess.run([CHUHAI, "shell", "--db", str(db), *flags], input=script, capture_output=True,
                          text=True, timeout=120)


def test_chuhai_shell_is_read_only_without_write(warehouse: Path):
    before = warehouse.read_bytes()
    out = shell(warehouse, "select count(*) as n from articles;\ndelete from articles;\ndrop table metric_facts;\n")
    assert "3" in out.stdout  # reading works
    assert "read-only" in (out.stdout + out.stderr).lower()
    assert warehouse.read_bytes() == before


def test_chuhai_shell_with_write_publishes_the_change(warehouse: Path):
    out = shell(warehouse, "delete from metric_facts where metric = 'gmv';\n", "--write")
    assert out.returncode == 0, out.stderr
    assert count(warehouse, "metric_facts") == 3


# --- file sources ---------------------------------------------------------------------------

@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus folder with one real article and links of every kind pointing out of it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "more.txt").write_text(SECRET, encoding="utf-8")
    sibling = tmp_path / "corpus-private"  # shares the corpus name as a prefix: must not count as inside
    sibling.mkdir()
    (sibling / "private.txt").write_text(SECRET, encoding="utf-8")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "ok.txt").write_text("Temu GMV rose 40% in 2024.", encoding="utf-8")
    (corpus / "inside_link.txt").symlink_to(corpus / "ok.txt")
    (corpus / "link.txt").symlink_to(outside / "secret.txt")
    (corpus / "sub" / "relative.md").symlink_to(Path("..") / ".." / "outside" / "secret.txt")
    (corpus / "sibling.txt").symlink_to(sibling / "private.txt")
    (corpus / "chain.txt").symlink_to(corpus / "sub" / "relative.md")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "dirlink").symlink_to(outside / "folder", target_is_directory=True)
    return corpus


def test_file_source_refuses_every_link_that_leaves_the_named_folder(corpus: Path):
    found = list(list_files([corpus]))
    taken = sorted(f.path.name for f in found if isinstance(f, FileItem))
    refused = {Path(f.location).name: str(f) for f in found if isinstance(f, SourceError)}
    assert taken == ["ok.txt", "ok.txt"]  # the file and the link that stays inside
    assert set(refused) == {"link.txt", "relative.md", "sibling.txt", "chain.txt", "passwd.txt"}
    assert all("outside the folder" in why for why in refused.values())


def test_ingest_records_refused_links_and_never_loads_their_content(corpus: Path, tmp_path: Path, prefect_server):
    from flows.ingest import ingest

    db = tmp_path / "chuhai.duckdb"
    ingest(paths=[str(corpus)], db=str(db), workers=1)
    con = duckdb.connect(str(db), read_only=True)
    bodies = [b for (b,) in con.execute("select body from articles").fetchall()]
    errors = con.execute("select stage, message from ingest_errors order by url").fetchall()
    assert bodies == ["Temu GMV rose 40% in 2024."]
    assert not any(SECRET in b or "root:" in b for b in bodies)
    assert len(errors) == 5 and all(stage == "discover" and "refused" in msg for stage, msg in errors)


# --- the fetcher's address and scheme guard -------------------------------------------------

@pytest.fixture
def site():
    """A server on 127.0.0.1 whose pages redirect to places a fetcher must never go."""
    server = HTTPServer(host="127.0.0.1")
    server.start()
    port = server.port
    targets = {
        "/to-localhost": f"http://localhost:{port}/secret",
        "/to-loopback-ip": f"http://127.0.0.2:{port}/secret",
        "/to-ipv6-loopback": f"http://[::1]:{port}/secret",
        "/to-mapped-ipv6": f"http://[::ffff:127.0.0.1]:{port}/secret",
        "/to-decimal-ip": f"http://2130706433:{port}/secret",
        "/to-zero": f"http://0.0.0.0:{port}/secret",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "/to-metadata-https": "https://169.254.169.254/latest/meta-data/",
        "/to-private": "http://10.0.0.1/admin",
        "/to-file": "file:///etc/passwd",
        "/to-gopher": "gopher://127.0.0.1:6379/_FLUSHALL",
        "/to-relative-secret": "/secret",
    }
    for path, location in targets.items():
        server.expect_request(path).respond_with_response(Response(status=302, headers={"Location": location}))
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n", content_type="text/plain")
    server.expect_request("/secret").respond_with_handler(
        lambda request: Response("<html><body><p>internal admin page</p></body></html>", content_type="text/html"))
    yield server, targets
    server.clear()
    server.stop()


def secret_requests(server: HTTPServer) -> list[str]:
    """Requests that reached the internal page."""
    return [r.path for r, _ in server.log if r.path == "/secret"]


REFUSED_REDIRECTS = ["/to-localhost", "/to-loopback-ip", "/to-ipv6-loopback", "/to-mapped-ipv6", "/to-decimal-ip",
                     "/to-zero", "/to-metadata", "/to-metadata-https", "/to-private", "/to-file", "/to-gopher"]


@pytest.mark.parametrize("path", REFUSED_REDIRECTS)
def test_fetcher_refuses_redirects_into_private_space_and_other_schemes(site, path: str):
    server, targets = site
    settings = FetchSettings(allow_hosts=frozenset({"127.0.0.1"}), timeout=2, retries=0, delay=0)
    with Fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(server.url_for(path))
    message = str(caught.value)
    assert "refused" in message.lower(), message
    assert secret_requests(server) == []


def test_fetcher_follows_a_redirect_that_stays_on_an_allowed_host(site):
    server, _ = site
    settings = FetchSettings(allow_hosts=frozenset({"127.0.0.1"}), timeout=2, retries=0, delay=0)
    with Fetcher(settings) as fetcher:
        result = fetcher.get(server.url_for("/to-relative-secret"))
    assert result.status == 200 and b"internal admin page" in result.body  # the control: allowing works


def test_without_allow_hosts_the_loopback_server_itself_is_refused(site):
    server, _ = site
    with Fetcher(FetchSettings(timeout=2, retries=0, delay=0)) as fetcher, pytest.raises(RefusedUrl, match="loopback"):
        fetcher.get(server.url_for("/secret"))
    assert server.log == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)",
                                 "http://169.254.169.254/", "http://[fe80::1]/", "http://localhost/"])
def test_check_url_refuses_before_any_connection(url: str):
    with pytest.raises(RefusedUrl):
        check_url(url, frozenset())


def test_a_name_that_rebinds_to_loopback_at_connect_time_is_refused(site):
    server, _ = site
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])  # public when checked, loopback when connecting

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers, ["127.0.0.1"])

    settings = FetchSettings(timeout=2, retries=0, delay=0)
    with Fetcher(settings, resolve=rebinding) as fetcher, pytest.raises(FetchError):
        fetcher.get(f"http://rebind.test:{server.port}/secret")
    assert secret_requests(server) == []


# --- values from articles reach SQL only as data ----------------------------------------------

INJECTIONS = [
    "'; drop table articles; --",
    "x'); delete from metric_facts; --",
    "\"; drop table events; --",
    "$now); drop table people_moves; --",
    "'||(select string_agg(body, '') from articles)||'",
    "?; attach '/tmp/evil.duckdb' as evil; --",
]


def test_article_text_that_looks_like_sql_is_stored_verbatim(tmp_path: Path, prefect_server):
    from flows.ingest import ingest

    folder = tmp_path / "inputs"
    folder.mkdir()
    for n, payload in enumerate(INJECTIONS):
        text = (f"---\nurl: https://example.com/i/{n}?q={payload.replace(' ', '%20')}\ntitle: {payload}\n"
                f"source: {payload}\n---\n{payload}\nTemu GMV rose 40% in 2024. {payload}\n")
        (folder / f"inject_{n}.md").write_text(text, encoding="utf-8")
    db = tmp_path / "chuhai.duckdb"
    ingest(paths=[str(folder)], db=str(db), workers=1)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from articles").fetchall() == [(len(INJECTIONS),)]
    for payload in INJECTIONS:  # each payload is stored as the text it is
        assert con.execute("select count(*) from articles where contains(body, ?)", [payload]).fetchall() == [(1,)]
    for table in ("articles", "metric_facts", "events", "people_moves", "ingest_errors"):
        con.execute(f"select count(*) from {table}").fetchall()  # every table still exists
    assert con.execute("select count(*) from metric_facts").fetchall()[0][0] >= len(INJECTIONS)
    assert not Path("/tmp/evil.duckdb").exists()
