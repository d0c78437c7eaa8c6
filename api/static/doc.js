// Document view: the original text of a report, its passages clickable, the chosen one highlighted and citable.

import { api, copyCitation, esc, roleBadge } from "./util.js";

const cache = new Map();

async function load(docId) {
  if (!cache.has(docId)) {
    const res = await api(`/documents/${encodeURIComponent(docId)}`);
    if (!res.ok) return res;
    cache.set(docId, res);
  }
  return cache.get(docId);
}

/** The context text with each passage wrapped in a clickable span at its exact offsets. */
function renderText(doc) {
  const text = doc.context;
  let html = "";
  let at = 0;
  for (const p of [...doc.passages].sort((a, b) => a.start - b.start)) {
    const start = p.start - doc.start;
    const end = p.end - doc.start;
    if (start < at || end > text.length) continue;
    html += gap(text.slice(at, start));
    html += `<span class="psg" data-id="${esc(p.passage_id)}" tabindex="0">${esc(text.slice(start, end))}</span>`;
    at = end;
  }
  return html + gap(text.slice(at));
}

// Text between passages: headings, and lines that cleaning set aside (they are not citable).
const gap = (text) => (text ? `<span class="gap">${esc(text)}</span>` : "");

function renderSide(side, doc, passage) {
  if (!passage) {
    side.innerHTML = `<h4>引用</h4><p class="hint">点击正文中的任一段落，查看其出处并复制引文。</p>
      <p class="hint">本文共 ${doc.passages.length} 段可引用内容。</p>`;
    return;
  }
  side.innerHTML = `<h4>所选段落</h4>
    <div>${roleBadge(passage.role)}</div>
    <p>${esc(passage.section || "（正文）")}</p>
    <span class="citation">${esc(passage.citation)}</span>
    ${doc.reference ? `<p class="hint">${esc(doc.reference)}</p>` : ""}
    <button type="button" class="btn copy">复制引文</button>`;
  const withRef = { ...passage, reference: doc.reference };
  side.querySelector(".copy").addEventListener("click", (ev) => copyCitation(ev.currentTarget, withRef));
}

function focus(root, side, doc, passageId, scroll) {
  root.querySelectorAll(".psg.focus").forEach((el) => el.classList.remove("focus"));
  const passage = doc.passages.find((p) => p.passage_id === passageId);
  const el = passage && root.querySelector(`.psg[data-id="${CSS.escape(passageId)}"]`);
  if (el) {
    el.classList.add("focus");
    if (scroll) el.scrollIntoView({ block: "center" });
  }
  renderSide(side, doc, passage);
}

/** Show document `docId`, with passage `passageId` (if any) highlighted and in view. */
export async function showDocument(docId, passageId) {
  const root = document.getElementById("doc");
  const side = document.getElementById("doc-side");
  root.innerHTML = '<p class="hint">正在载入原文…</p>';
  side.innerHTML = "";
  const res = await load(docId);
  if (!res.ok) {
    root.innerHTML = `<div class="notice"><h3>无法打开该文档</h3>${esc(res.data.error.message)}</div>`;
    return;
  }
  const doc = res.data;
  const where = [doc.place, doc.path].filter(Boolean).map(esc).join(" · ");
  root.innerHTML = `<h2>《${esc(doc.title)}》</h2><div class="meta">${where}</div>
    <div class="text">${renderText(doc)}</div>`;
  root.querySelector(".text").addEventListener("click", (ev) => {
    const span = ev.target.closest(".psg");
    if (!span) return;
    history.replaceState(null, "", `#/doc/${encodeURIComponent(docId)}?p=${encodeURIComponent(span.dataset.id)}`);
    focus(root, side, doc, span.dataset.id, false);
  });
  focus(root, side, doc, passageId, true);
}
