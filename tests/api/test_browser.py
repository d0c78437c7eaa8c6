"""The web page in a real headless Chromium (Debian's, no browser download): search, cite, read in context."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install chromium")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install playwright)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, page_server):
    """A page on the demo server that records every request it makes and every script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.requests, tab.errors = [], []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.goto(page_server.url + "/")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield tab
    assert not tab.errors, tab.errors
    outside = [url for url in tab.requests if not url.startswith((page_server.url, "data:"))]
    assert not outside, f"the page must work offline, but it fetched {outside}"
    context.close()


def search(page, query: str) -> None:
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_selector(".hit")


def test_search_cite_and_read_in_context(page):
    search(page, "三会一课流于形式")
    hits = page.locator(".hit")
    assert hits.count() >= 5
    first = hits.first
    citation = first.locator(".citation").inner_text()
    quote = first.locator(".quote").inner_text()
    assert citation.startswith("《") and "第" in citation
    assert first.locator(".quote mark").count() >= 1
    assert "找到" in page.inner_text("#summary")
    page.screenshot(path=str(ARTIFACTS / "search.png"), animations="disabled")
    first.locator("button.copy").click()
    page.wait_for_function("() => document.querySelector('.hit button.copy').textContent.includes('已复制')")
    assert page.evaluate("navigator.clipboard.readText()") == f"“{quote.strip()}”（{citation}）"

    first.get_by_role("link", name="查看原文").click()
    focus = page.wait_for_selector("#doc .psg.focus")
    assert focus.inner_text() == quote
    assert focus.is_visible()
    assert page.inner_text("#doc-side .citation") == citation
    page.screenshot(path=str(ARTIFACTS / "document.png"), animations="disabled")

    page.go_back()
    page.wait_for_selector(".hit")
    assert page.locator(".hit .citation").first.inner_text() == citation


def test_role_filter_and_experience_mode(page):
    search(page, "组织生活流于形式")
    page.click("#roles button[data-role='problem']")
    page.wait_for_function("() => location.hash.includes('role=problem')")
    # the hits of the unfiltered search stay on the page until the filtered ones replace them
    page.wait_for_function("() => { const roles = [...document.querySelectorAll('.hit .role')];"
                           " return roles.length > 0 && roles.every(e => e.innerText === '存在问题'); }")
    assert set(page.locator(".hit .role").all_inner_texts()) == {"存在问题"}
    page.click(".modes button[data-mode='experience']")
    page.wait_for_selector("section.experience")
    assert page.locator("section.experience").count() >= 3
    assert "识别的问题" in page.inner_text("#summary")
    assert page.locator("section.experience .citation").count() >= 3
    page.fill("#q", "村集体经济收入低")
    page.press("#q", "Enter")
    page.wait_for_function("() => document.querySelector('#summary').innerText.includes('针对：集体经济')")
    page.screenshot(path=str(ARTIFACTS / "experience.png"), animations="disabled")


def test_graph_layout_draws_a_neighbourhood(page):
    """graph.js on its own: a neighbourhood of 12 drawn as SVG, nodes apart and inside the view."""
    result = page.evaluate("""async () => {
        const { drawGraph, neighborhood } = await import("/static/graph.js");
        const types = ["practice", "problem", "place"];
        const neighbors = Array.from({ length: 12 }, (_, i) => ({ id: "e" + i, name: "实体" + i,
            type: types[i % 3], relation: "addresses", weight: 1 }));
        const graph = neighborhood({ id: "practice:三会一课", name: "三会一课", type: "practice" }, neighbors);
        const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
        svg.id = "graph";
        svg.style.cssText = "position:fixed;inset:80px auto auto 80px;width:640px;height:420px;background:#fff";
        document.body.append(svg);
        const pos = drawGraph(svg, graph, { width: 640, height: 420 });
        let closest = Infinity;
        pos.forEach((a, i) => pos.slice(i + 1).forEach((b) => {
            closest = Math.min(closest, Math.hypot(a.x - b.x, a.y - b.y));
        }));
        return { nodes: svg.querySelectorAll("g.node").length, lines: svg.querySelectorAll("line").length,
                 inside: pos.every((p) => p.x >= 0 && p.x <= 640 && p.y >= 0 && p.y <= 420), closest,
                 centre: pos[0] };
    }""")
    assert result["nodes"] == 13 and result["lines"] == 12
    assert result["inside"] and result["closest"] > 30
    assert result["centre"] == {"x": 320, "y": 210}
    page.locator("#graph").screenshot(path=str(ARTIFACTS / "graph.png"))


def test_entity_page_from_a_chip_with_evidence_and_graph(page):
    """A chip on a hit opens the entity page: name, citable evidence, a clickable neighbourhood graph."""
    search(page, "村集体经济薄弱怎么办")
    chip = page.locator(".hit a.tag[href*='problem%3A%E9%9B%86%E4%BD%93%E7%BB%8F%E6%B5%8E%E8%96%84%E5%BC%B1']").first
    assert chip.inner_text() == "集体经济薄弱"
    chip.click()
    page.wait_for_selector("#entity-graph g.node")
    assert page.inner_text("#entity-name") == "集体经济薄弱"
    head = page.inner_text(".entity-card")
    assert "问题" in head and "篇报告" in head and "又称" in head
    citations = page.locator("#entity .hit .citation").all_inner_texts()
    assert citations and all(c.startswith("《") for c in citations)
    nodes = page.locator("#entity-graph g.node")
    assert nodes.count() >= 2
    assert page.locator(".legend .dot").count() >= 2
    assert page.locator(".rels .rel h4").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "entity.png"), animations="disabled", full_page=True)

    # copying an evidence quote, and the way to the document and back
    first = page.locator("#entity .hit").first
    first.locator("button.copy").click()
    page.wait_for_function("() => document.querySelector('#entity .hit button.copy').textContent.includes('已复制')")
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"（{citations[0]}）")
    first.get_by_role("link", name="查看原文").click()
    page.wait_for_selector("#doc .psg.focus")
    assert page.inner_text("#back") == "← 返回条目"
    page.click("#back")
    page.wait_for_selector("#entity-graph g.node")

    # clicking a neighbour node opens that entity's page
    neighbour = page.locator("#entity-graph g.node").nth(1)
    target = neighbour.get_attribute("data-id")
    neighbour.locator("circle").click()
    page.wait_for_function("id => decodeURIComponent(location.hash) === '#/entity/' + id", arg=target)
    page.wait_for_function("name => document.querySelector('#entity-name')?.textContent === name",
                           arg=target.split(":", 1)[1])
    assert page.locator("#entity-graph g.node[data-id='problem:集体经济薄弱']").count() == 1
    page.go_back()
    page.wait_for_function("() => document.querySelector('#entity-name')?.textContent === '集体经济薄弱'")


def test_graph_index_and_experience_names_link_to_entities(page):
    page.click("#nav a[data-view='graph']")
    page.wait_for_selector("#graph-index .entries a")
    assert page.locator("#nav a.active").inner_text() == "图谱"
    assert page.locator("#graph-index .entries").nth(0).locator("li").count() == 30
    assert page.locator("#graph-index .entries").nth(1).locator("li").count() >= 5
    first = page.locator("#graph-index .entries").nth(1).locator("a").first
    name = first.locator(".name").inner_text()
    first.click()
    page.wait_for_function("name => document.querySelector('#entity-name')?.textContent === name", arg=name)
    assert page.locator("#entity .hit .citation").count() >= 1

    page.goto(page.url.split("#")[0] + "#/search?q=村集体经济收入低&mode=experience")
    page.wait_for_selector("section.experience h3 a[href^='#/entity/']")
    link = page.locator("section.experience h3 a").first
    name = link.inner_text()
    link.click()
    page.wait_for_function("name => document.querySelector('#entity-name')?.textContent === name", arg=name)


def test_unknown_entity_says_so(page):
    page.evaluate("location.hash = '#/entity/' + encodeURIComponent('practice:<b>不存在</b>')")
    page.wait_for_selector("#entity .notice")
    assert "<b>不存在</b>" in page.inner_text("#entity .notice")
