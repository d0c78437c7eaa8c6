"""`djkg serve` hardened: raw UTF-8 request lines, JSON 400s for garbage, security headers, offline /docs."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from api.headers import CSP, SECURITY_HEADERS
from tests.api.conftest import free_port
from tests.conftest import serve_process

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
QUERY = "为民服务全程代理"  # the README's curl example
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium")


@pytest.fixture(scope="module")
def served(demo_store):
    """A real `djkg serve` over the demo store; yields its port."""
    env = {name: value for name, value in os.environ.items() if name != "DJKG_HOME"}
    port = free_port()
    proc = serve_process(demo_store, port, env)
    try:
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def base(served) -> str:
    return f"http://127.0.0.1:{served}"


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def exchange(port: int, *parts: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `parts` as they are (a short pause between them), return the status, headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        for i, part in enumerate(parts):
            if i:
                time.sleep(0.2)
            sock.sendall(part)
        return read_response(sock)


def raw_get(target: str, close: bool = True) -> bytes:
    """A GET whose request line carries `target` as raw UTF-8, as curl sends it."""
    return (f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n" + ("Connection: close\r\n" if close else "")
            + "\r\n").encode("utf-8")


def test_raw_utf8_query_is_decoded_like_a_percent_encoded_one(served, base):
    status, headers, body = exchange(served, raw_get(f"/search?q={QUERY}&k=1"))
    assert status == 200, body
    assert headers["content-type"] == "application/json"
    answer = json.loads(body)
    assert answer["query"] == QUERY
    expected = httpx.get(f"{base}/search", params={"q": QUERY, "k": 1}, timeout=60).json()
    assert [h["passage_id"] for h in answer["hits"]] == [h["passage_id"] for h in expected["hits"]]
    assert answer["hits"][0]["title"] == "我县农村基层党建工作的主要做法"
    assert QUERY in answer["hits"][0]["text"]


def test_raw_utf8_path_split_line_and_keep_alive(served, base):
    """Raw UTF-8 in a path; a request line arriving in two reads; the second request on a kept-alive connection."""
    hit = httpx.get(f"{base}/search", params={"q": QUERY, "k": 1}, timeout=60).json()["hits"][0]
    entity_id = hit["entities"][0]["id"]
    line = raw_get(f"/entities/{entity_id}")
    cut = line.index(entity_id[-2:].encode()) + 1  # inside a UTF-8 character
    status, _, body = exchange(served, line[:cut], line[cut:])
    assert status == 200, body
    assert json.loads(body)["id"] == entity_id

    with socket.create_connection(("127.0.0.1", served), timeout=60) as sock:
        sock.sendall(raw_get("/health", close=False))
        assert read_response(sock)[0] == 200
        sock.sendall(raw_get(f"/search?q={QUERY}&k=1"))
        status, _, body = read_response(sock)
    assert status == 200, body
    assert json.loads(body)["query"] == QUERY


@pytest.mark.parametrize("garbage", [
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n",  # a TLS ClientHello sent to plain HTTP
    b"GET /search?q=a\x00b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"NOT AN HTTP REQUEST\r\n\r\n",
])
def test_unparseable_bytes_get_the_json_error_body(served, garbage):
    status, headers, body = exchange(served, garbage)
    assert status == 400
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert set(json.loads(body)) == {"error"} and set(error) == {"code", "message"}
    assert error["code"] == "bad_request"
    assert error["message"].startswith("malformed HTTP request (")
    for name, value in SECURITY_HEADERS:
        assert headers[name] == value


@pytest.mark.parametrize(("path", "status"), [
    ("/", 200), ("/static/app.js", 200), ("/static/swagger-ui.css", 200), ("/docs", 200), ("/openapi.json", 200),
    (f"/search?q={QUERY}", 200), ("/search?q=", 422), ("/entities/practice:不存在", 404), ("/no-such-page", 404),
    ("/static/no-such-file.js", 404),
])
def test_security_headers_on_every_response(base, path, status):
    response = httpx.get(base + path, timeout=60)
    assert response.status_code == status
    for name, value in SECURITY_HEADERS:
        assert response.headers[name] == value
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


class Resources(HTMLParser):
    """The URLs a page loads (script src, link href, img src) and the text inside its <script> elements."""

    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.other, self.inline = [], [], [], []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.in_script = tag == "script"
        if tag == "script":
            self.scripts.append(attrs.get("src"))
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])
        elif tag in ("link", "img", "iframe"):
            self.other.append(attrs.get("href") or attrs.get("src"))
        if "style" in attrs or any(name.startswith("on") for name in attrs):
            self.inline.append(tag)

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.inline.append(data)


@pytest.mark.parametrize("path", ["/docs", "/"])
def test_pages_load_only_same_origin_files_and_no_inline_script(base, path):
    page = httpx.get(base + path, timeout=60)
    assert page.headers["content-type"].startswith("text/html")
    assert not re.search(r"(https?:)?//[a-z0-9]", page.text.replace("http://www.w3.org", "")), "an absolute URL"
    found = Resources()
    found.feed(page.text)
    assert found.scripts and found.styles
    assert None not in found.scripts and not found.inline, found.inline
    for url in found.scripts + found.styles + found.other:
        assert url.startswith(("/", "data:")) and not url.startswith("//"), url
    for url, kind in [(u, "javascript") for u in found.scripts] + [(u, "css") for u in found.styles]:
        response = httpx.get(base + url, timeout=60)
        assert response.status_code == 200, url
        assert kind in response.headers["content-type"], (url, response.headers["content-type"])


def test_docs_point_at_the_served_openapi(base):
    page = httpx.get(base + "/docs", timeout=60).text
    url = re.search(r'data-openapi-url="([^"]+)"', page).group(1)
    assert url == "/openapi.json"
    assert httpx.get(base + url, timeout=60).json()["openapi"].startswith("3.")
    assert httpx.get(base + "/redoc", timeout=60).status_code == 404  # FastAPI's CDN page is off


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install playwright)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def offline_tab(browser, base):
    """A tab that can reach only the local server; it records console messages, script errors, refused URLs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.console, tab.errors, tab.refused = [], [], []

    def only_local(route):
        if urlsplit(route.request.url).netloc == urlsplit(base).netloc or route.request.url.startswith("data:"):
            route.continue_()
        else:
            tab.refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    tab.on("console", lambda message: tab.console.append(f"{message.type}: {message.text}"))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


def csp_violations(tab) -> list[str]:
    return [line for line in tab.console if "Content Security Policy" in line]


@needs_chromium
def test_web_page_works_under_the_csp(offline_tab, base):
    tab = offline_tab
    tab.goto(base + "/")
    tab.fill("#q", "三会一课流于形式")
    tab.press("#q", "Enter")
    tab.wait_for_selector(".hit")
    tab.goto(base + "/#/graph")
    tab.wait_for_selector("#graph-index .entries a .dot")
    tab.locator("#graph-index .entries a").first.click()
    tab.wait_for_selector("#entity-graph g.node")
    tab.wait_for_selector(".legend .dot")
    # the type dots take graph.js's COLORS from classes in app.css now, not from style attributes
    colour = tab.evaluate("getComputedStyle(document.querySelector('#graph-index .dot.t-practice')).backgroundColor")
    assert colour == "rgb(27, 127, 76)"
    assert not csp_violations(tab), tab.console
    assert not tab.errors and not tab.refused, (tab.errors, tab.refused)


@needs_chromium
def test_docs_render_swagger_ui_offline(offline_tab, base):
    tab = offline_tab
    tab.goto(base + "/docs")
    tab.wait_for_selector(".swagger-ui .opblock", timeout=60_000)
    spec = httpx.get(base + "/openapi.json", timeout=60).json()
    operations = sum(len(methods) for methods in spec["paths"].values())
    assert tab.locator(".swagger-ui .opblock").count() == operations
    tab.locator(".opblock-summary").first.click()
    tab.wait_for_selector(".opblock-body")
    assert not csp_violations(tab), tab.console
    assert not tab.errors and not tab.refused, (tab.errors, tab.refused)
