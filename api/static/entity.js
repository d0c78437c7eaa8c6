// Knowledge-graph views: the entity page (#/entity/ID) with evidence and a neighbourhood graph,
// and the graph index (#/graph) listing the most documented practices, problems and places.

import { drawGraph, neighborhood } from "./graph.js";
import { ENTITY, api, copyCitation, entityHref, esc, hitCard } from "./util.js";

const MAX_NODES = 18;          // neighbours drawn in the graph; the full list is beside it
const GROUP_SHOWN = 10;        // neighbours listed per relation before "展开"
const ALIASES_SHOWN = 12;
const LABEL_CHARS = 7;
const GRAPH_SIZE = { width: 760, height: 460 };
// Which neighbours the graph keeps first when there are many: practices and problems, then places.
const TYPE_RANK = { practice: 0, problem: 0, place: 1, measure: 2, organization: 2, indicator: 3 };
const TYPE_ORDER = ["practice", "problem", "place", "measure", "indicator", "organization"];

// Relation groups, by relation and direction (out: this entity → neighbour).
const RELATIONS = [
  ["addresses", "out", "针对的问题"],
  ["addresses", "in", "应对做法与措施"],
  ["applied_in", "out", "应用地区"],
  ["applied_in", "in", "在此应用的做法与措施"],
  ["part_of", "out", "从属"],
  ["part_of", "in", "下属措施"],
  ["similar_to", "out", "相似做法"],
  ["similar_to", "in", "相似做法"],
  ["measures", "in", "指标"],
  ["measures", "out", "衡量对象"],
];

const cache = new Map();
let current = { token: 0, hits: [] };
let indexCache = null;

// A class per type rather than a style attribute, which the CSP (style-src 'self') refuses.
const dot = (type) => `<i class="dot t-${esc(type)}"></i>`;
const typeBadge = (type) => `<span class="etype t-${esc(type)}">${esc(ENTITY[type] || type)}</span>`;
const clip = (text, n) => (Array.from(text).length > n ? Array.from(text).slice(0, n - 1).join("") + "…" : text);

async function load(id) {
  if (!cache.has(id)) {
    const res = await api(`/entities/${encodeURIComponent(id)}`);
    if (!res.ok) return res;
    cache.set(id, res);
  }
  return cache.get(id);
}

/** Neighbours for the graph: one per id, practices and problems first, strongest first, at most MAX_NODES. */
function graphNeighbors(neighbors) {
  const seen = new Set();
  return [...neighbors]
    .sort((a, b) => (TYPE_RANK[a.type] ?? 9) - (TYPE_RANK[b.type] ?? 9) || (b.weight ?? 0) - (a.weight ?? 0)
      || (b.evidence?.length ?? 0) - (a.evidence?.length ?? 0))
    .filter((n) => !seen.has(n.id) && seen.add(n.id))
    .slice(0, MAX_NODES);
}

function groupNeighbors(neighbors) {
  const groups = new Map();
  for (const n of neighbors) {
    const known = RELATIONS.find(([rel, dir]) => rel === n.relation && dir === n.direction);
    const title = known ? known[2] : n.relation;
    if (!groups.has(title)) groups.set(title, []);
    const list = groups.get(title);
    if (!list.some((m) => m.id === n.id)) list.push(n);
  }
  for (const list of groups.values()) list.sort((a, b) => (TYPE_RANK[a.type] ?? 9) - (TYPE_RANK[b.type] ?? 9));
  const order = RELATIONS.map((r) => r[2]);
  return [...groups].sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
}

function neighborItem(n) {
  const count = n.evidence?.length > 1 ? `<span class="n">${n.evidence.length} 处</span>` : "";
  return `<li><a href="${entityHref(n.id)}" title="${esc(ENTITY[n.type] || n.type)}：${esc(n.name)}">${dot(n.type)}${esc(n.name)}</a>${count}</li>`;
}

function renderGroups(neighbors) {
  if (!neighbors.length) return '<p class="hint">暂无关联条目。</p>';
  return groupNeighbors(neighbors).map(([title, list]) => {
    const shown = list.slice(0, GROUP_SHOWN).map(neighborItem).join("");
    const rest = list.slice(GROUP_SHOWN);
    const more = rest.length
      ? `<details><summary>展开其余 ${rest.length} 项</summary><ul>${rest.map(neighborItem).join("")}</ul></details>` : "";
    return `<section class="rel"><h4>${esc(title)} <span class="n">${list.length}</span></h4><ul>${shown}</ul>${more}</section>`;
  }).join("");
}

function renderLegend(nodes, total) {
  const types = TYPE_ORDER.filter((t) => nodes.some((n) => n.type === t));
  const items = types.map((t) => `<span>${dot(t)}${esc(ENTITY[t] || t)}</span>`).join("");
  const note = total > nodes.length - 1 ? `<span class="hint">图中显示 ${nodes.length - 1} / ${total} 个关联</span>` : "";
  return `${items}${note}<span class="hint tip">点击节点打开条目 · 可拖动</span>`;
}

function renderHeader(e) {
  const aliases = e.aliases || [];
  const shownAliases = aliases.slice(0, ALIASES_SHOWN).map(esc).join("、");
  const moreAliases = aliases.length > ALIASES_SHOWN ? ` 等 ${aliases.length} 个` : "";
  const places = (e.places || []).map((p) => `<a class="tag t-place" href="${entityHref("place:" + p)}">${esc(p)}</a>`).join("");
  return `<div class="entity-head">
      ${typeBadge(e.type)}
      <h2 id="entity-name">${esc(e.name)}</h2>
      <div class="counts"><b>${esc(e.documents ?? 0)}</b> 篇报告 · <b>${esc(e.mentions ?? 0)}</b> 处</div>
    </div>
    ${aliases.length ? `<p class="aliases"><span class="label">又称</span>${shownAliases}${esc(moreAliases)}</p>` : ""}
    ${places ? `<div class="applied"><span class="label">应用地区</span>${places}</div>` : ""}`;
}

/** Show the entity page of `id`. */
export async function showEntity(id) {
  const root = document.getElementById("entity");
  const token = ++current.token;
  if (!cache.has(id)) root.innerHTML = '<p class="hint loading">正在载入条目…</p>';
  const res = await load(id);
  if (token !== current.token) return;
  if (!res.ok) {
    const message = res.status === 404 ? `知识库中没有“${id.replace(/^[a-z]+:/, "")}”这一条目。` : res.data.error.message;
    root.innerHTML = `<div class="notice"><h3>无法打开该条目</h3>${esc(message)}
      <br><a href="#/graph">浏览图谱中的常见做法与问题 →</a></div>`;
    return;
  }
  const e = res.data;
  document.title = `${e.name} · 基层党建知识库`;
  const neighbors = e.neighbors || [];
  const graph = neighborhood(e, graphNeighbors(neighbors));
  graph.nodes.forEach((n) => { n.label = n.center ? n.name : clip(n.name, LABEL_CHARS); });
  const evidence = e.evidence || [];
  const terms = [e.name, ...(e.aliases || [])];
  current.hits = evidence;
  root.innerHTML = `<header class="card entity-card">${renderHeader(e)}</header>
    <div class="entity-layout">
      <section class="card graph-card">
        <h3>关联图谱</h3>
        ${graph.nodes.length > 1
          ? `<svg id="entity-graph" class="graph" aria-label="${esc(e.name)}的关联图谱"></svg>
             <div class="legend">${renderLegend(graph.nodes, new Set(neighbors.map((n) => n.id)).size)}</div>`
          : '<p class="hint">该条目暂无关联。</p>'}
      </section>
      <aside class="card rels">${renderGroups(neighbors)}</aside>
    </div>
    <section class="evidence">
      <h3>原文证据 <span class="n">${evidence.length} 段</span></h3>
      ${evidence.length ? evidence.map((hit, i) => hitCard(hit, i, "", terms)).join("") : '<p class="hint">暂无可引用的原文。</p>'}
    </section>`;
  const svg = root.querySelector("#entity-graph");
  if (svg) {
    // Shorter links when there are many nodes, so the ring stays inside the view.
    const linkLength = Math.round(Math.max(70, Math.min(100, 360 / Math.sqrt(graph.nodes.length))));
    drawGraph(svg, graph, { ...GRAPH_SIZE, linkLength, onSelect: (node) => { if (!node.center) location.hash = entityHref(node.id); } });
  }
  window.scrollTo(0, 0);
}

function entryList(items, kind) {
  if (!items.length) return '<p class="hint">暂无条目。</p>';
  return `<ol class="entries">${items.map((e) => {
    const extra = kind === "practice" && e.places?.length ? ` · ${e.places.slice(0, 2).map(esc).join("、")}` : "";
    const aliases = kind === "problem" && e.aliases?.length
      ? `<small>又称 ${e.aliases.slice(0, 3).map(esc).join("、")}${e.aliases.length > 3 ? " 等" : ""}</small>` : "";
    return `<li><a href="${entityHref(e.id)}">${dot(e.type)}<span class="name">${esc(e.name)}</span>
      <span class="n">${esc(e.documents)} 篇${extra}</span>${aliases}</a></li>`;
  }).join("")}</ol>`;
}

/** Show the graph index: most documented practices, problems and places, as entry points. */
export async function showGraphIndex() {
  const root = document.getElementById("graph-index");
  document.title = "知识图谱 · 基层党建知识库";
  if (!indexCache) {
    root.innerHTML = '<p class="hint loading">正在载入图谱…</p>';
    const [practices, problems, places] = await Promise.all([
      api("/entities", { type: "practice", limit: 30 }),
      api("/entities", { type: "problem", limit: 30 }),
      api("/entities", { type: "place", limit: 30 }),
    ]);
    const failed = [practices, problems, places].find((r) => !r.ok);
    if (failed) {
      root.innerHTML = `<div class="notice"><h3>无法载入图谱</h3>${esc(failed.data.error.message)}</div>`;
      return;
    }
    indexCache = { practices: practices.data, problems: problems.data, places: places.data };
  }
  const { practices, problems, places } = indexCache;
  root.innerHTML = `<p class="intro">从报告中抽取的做法、问题、地点及其关系。点击任一条目，查看原文证据和关联图谱。</p>
    <div class="index-layout">
      <section class="card"><h3>${dot("practice")}常见做法 <span class="n">共 ${esc(practices.total)} 项</span></h3>
        ${entryList(practices.items, "practice")}</section>
      <section class="card"><h3>${dot("problem")}常见问题 <span class="n">共 ${esc(problems.total)} 项</span></h3>
        ${entryList(problems.items, "problem")}
        <h3 class="sub">${dot("place")}地点 <span class="n">共 ${esc(places.total)} 个</span></h3>
        <div class="tags">${places.items.map((p) => `<a class="tag t-place" href="${entityHref(p.id)}">${esc(p.name)}</a>`).join("")}</div>
      </section>
    </div>`;
}

/** Copy buttons on the entity page's evidence cards. */
export function wireEntity() {
  document.getElementById("entity").addEventListener("click", (ev) => {
    const button = ev.target.closest(".copy");
    const card = ev.target.closest(".hit");
    if (button && card) copyCitation(button, current.hits[Number(card.dataset.i)]);
  });
}
