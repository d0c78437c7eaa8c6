// The web page: hash routes (#/search?…, #/doc/ID?p=PASSAGE, #/entity/ID, #/graph), the search view and its two modes.

import { showDocument } from "./doc.js";
import { showEntity, showGraphIndex, wireEntity } from "./entity.js";
import { ENTITY, api, copyCitation, entityHref, esc, hitCard } from "./util.js";

const PAGE = 10;
const MAX_K = 100;
const EXAMPLES = ["组织生活流于形式", "村集体经济薄弱怎么办", "软弱涣散党组织整顿", "流动党员管理难", "选派第一书记"];

const $ = (id) => document.getElementById(id);
const state = { mode: "passages", q: "", role: "", place: "", k: PAGE, key: "", result: null };

// Views by route: search, a document, an entity page (with its neighbourhood graph) and the graph index.
const VIEWS = { search: $("view-search"), doc: $("view-doc"), entity: $("view-entity"), graph: $("view-graph") };
const NAV = { search: "search", doc: "search", entity: "graph", graph: "graph" };
const TITLE = "基层党建知识库 · 检索与引用";

function show(name) {
  for (const [key, el] of Object.entries(VIEWS)) el.hidden = key !== name;
  document.querySelectorAll("#nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === NAV[name]));
}

function searchHash() {
  const params = new URLSearchParams({ q: state.q });
  if (state.mode !== "passages") params.set("mode", state.mode);
  if (state.role) params.set("role", state.role);
  if (state.place) params.set("place", state.place);
  if (state.k !== PAGE) params.set("k", state.k);
  return `#/search?${params}`;
}

function syncForm() {
  $("q").value = state.q;
  $("place").value = state.place;
  document.querySelectorAll(".modes button").forEach((b) => b.setAttribute("aria-selected", b.dataset.mode === state.mode));
  document.querySelectorAll("#roles button").forEach((b) => b.setAttribute("aria-checked", b.dataset.role === state.role));
  $("roles").hidden = state.mode === "experience";
  $("q").placeholder = state.mode === "experience"
    ? "描述遇到的问题，例如：村级班子关系不够协调" : "输入问题或关键词，例如：村集体经济薄弱怎么办";
  document.querySelector(".go").textContent = state.mode === "experience" ? "找经验" : "检索";
}

function renderExamples() {
  $("summary").innerHTML = `<div class="examples">试试：${EXAMPLES.map((q) => `<button type="button">${esc(q)}</button>`).join("")}</div>`;
  $("results").innerHTML = "";
  $("more").hidden = true;
}

function renderError(error) {
  $("summary").innerHTML = `<span class="err">${esc(error.message)}</span>`;
  $("results").innerHTML = "";
  $("more").hidden = true;
}

function renderPassages(data) {
  state.hits = data.hits;
  $("summary").textContent = data.hits.length
    ? `找到 ${data.hits.length} 段相关内容 · 用时 ${Math.round(data.took_ms)} 毫秒 · 点击“复制引文”可直接粘贴到文稿`
    : "没有找到相关段落，换个说法或去掉筛选条件试试。";
  $("results").innerHTML = data.hits.map((hit, i) => hitCard(hit, i, data.query)).join("");
  $("more").hidden = data.hits.length < state.k || state.k >= MAX_K;
}

function renderExperience(data) {
  state.hits = data.results.flatMap((r) => r.evidence);
  const problems = (data.problems || [])
    .map((p) => (p.topics && p.topics.length ? `${p.name}（针对：${p.topics.join("、")}）` : p.name))
    .join("、");
  $("summary").textContent = `识别的问题：${problems || "（未归类）"} · 找到 ${data.results.length} 条可借鉴经验`;
  if (!data.results.length) {
    $("results").innerHTML = `<div class="notice"><h3>没有找到可借鉴的经验</h3>${esc(data.reason || "")}
      <br>可以换一种说法描述问题，例如“村集体经济收入低”。</div>`;
    $("more").hidden = true;
    return;
  }
  let offset = 0;
  $("results").innerHTML = data.results.map((r) => {
    const cards = r.evidence.map((hit) => hitCard(hit, offset++, data.query)).join("");
    const places = (r.places || []).map(esc).join("、");
    // a "statement:" result is the lead of a passage extraction named nothing in: no graph entry to open
    const linked = r.entity_id && !r.entity_id.startsWith("statement:");
    const name = linked ? `<a href="${entityHref(r.entity_id)}" title="查看条目">${esc(r.name)}</a>` : esc(r.name);
    return `<section class="experience"><h3>${esc(r.rank)}. ${name}
      <span class="places">${esc(ENTITY[r.type] || r.type)}${places ? " · " + places : ""}</span></h3>${cards}</section>`;
  }).join("");
  $("more").hidden = true;
}

function renderNoExperienceIndex() {
  $("summary").textContent = "";
  $("results").innerHTML = `<div class="notice"><h3>尚未建立经验索引</h3>
    “找经验”需要从报告中抽取的做法、问题及其对应关系，当前服务器还没有这部分索引。
    可以先用“检索段落”，并把章节筛选设为“做法经验”或“对策措施”。</div>`;
  $("more").hidden = true;
}

async function runSearch() {
  syncForm();
  if (!state.q.trim()) return renderExamples();
  const key = searchHash();
  if (key === state.key && state.result) return state.result();
  const experience = state.mode === "experience";
  const res = experience
    ? await api("/experience", { problem: state.q, k: state.k, place: state.place })
    : await api("/search", { q: state.q, k: state.k, role: state.role, place: state.place });
  let draw;
  if (res.ok) draw = () => (experience ? renderExperience(res.data) : renderPassages(res.data));
  else if (experience && res.status === 404) draw = renderNoExperienceIndex;
  else draw = () => renderError(res.data.error);
  if (key !== searchHash()) return undefined;
  state.key = key;
  state.result = res.ok ? draw : null;
  return draw();
}

function readSearchRoute(params) {
  state.q = params.get("q") || "";
  state.mode = params.get("mode") === "experience" ? "experience" : "passages";
  state.role = params.get("role") || "";
  state.place = params.get("place") || "";
  state.k = Math.min(MAX_K, Math.max(1, Number(params.get("k")) || PAGE));
}

async function route() {
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  if (path.startsWith("/doc/")) {
    show("doc");
    $("back").href = state.back || "#/";
    $("back").textContent = state.back?.startsWith("#/entity/") ? "← 返回条目" : "← 返回检索结果";
    return showDocument(decodeURIComponent(path.slice(5)), params.get("p"));
  }
  state.back = location.hash || "#/";
  if (path.startsWith("/entity/")) {
    show("entity");
    return showEntity(decodeURIComponent(path.slice(8)));
  }
  if (path === "/graph") {
    show("graph");
    return showGraphIndex();
  }
  document.title = TITLE;
  show("search");
  readSearchRoute(params);
  const scroll = state.scrollY;
  await runSearch();
  if (scroll) window.scrollTo(0, scroll);
  state.scrollY = 0;
  return undefined;
}

function submit(changes) {
  Object.assign(state, changes);
  location.hash = searchHash();
}

function wire() {
  $("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    submit({ q: $("q").value.trim(), place: $("place").value.trim(), k: PAGE });
  });
  document.querySelector(".modes").addEventListener("click", (ev) => {
    const mode = ev.target.dataset.mode;
    if (mode && mode !== state.mode) submit({ mode, q: $("q").value.trim(), k: PAGE });
  });
  $("roles").addEventListener("click", (ev) => {
    const role = ev.target.dataset.role;
    if (role !== undefined) submit({ role, q: $("q").value.trim(), k: PAGE });
  });
  $("more").addEventListener("click", () => submit({ k: Math.min(MAX_K, state.k + PAGE) }));
  $("summary").addEventListener("click", (ev) => {
    if (ev.target.matches(".examples button")) submit({ q: ev.target.textContent });
  });
  $("results").addEventListener("click", (ev) => {
    if (ev.target.matches("a[href^='#/doc/']")) state.scrollY = window.scrollY;
    const button = ev.target.closest(".copy");
    const card = ev.target.closest(".hit");
    if (button && card) copyCitation(button, state.hits[Number(card.dataset.i)]);
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "/" && document.activeElement.tagName !== "INPUT") { ev.preventDefault(); $("q").focus(); }
    if (ev.key === "Escape" && !VIEWS.doc.hidden) location.hash = $("back").getAttribute("href");
  });
  window.addEventListener("hashchange", route);
}

async function loadHeader() {
  const [stats, docs] = await Promise.all([api("/stats"), api("/documents", { limit: MAX_K })]);
  if (stats.ok) $("stats").textContent = `${stats.data.documents} 篇报告 · ${stats.data.passages} 段可引用内容`;
  if (docs.ok) {
    const places = [...new Set(docs.data.items.map((d) => d.place).filter(Boolean))];
    $("places").innerHTML = places.map((p) => `<option value="${esc(p)}">`).join("");
  }
}

wire();
wireEntity();
route();
loadHeader();
