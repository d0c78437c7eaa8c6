// Small helpers of the web page: API calls, escaping, term highlighting, copying a citation.

export const ROLE = { practice: "做法经验", problem: "存在问题", plan: "对策措施", background: "基本情况", other: "其他" };
export const ENTITY = { practice: "做法", measure: "措施", problem: "问题", place: "地点", indicator: "指标",
  organization: "组织" };
const SHOWN_ENTITY_TYPES = new Set(["practice", "problem", "place"]);

/** The hash route of an entity page (ids look like `practice:两学一做`). */
export const entityHref = (id) => `#/entity/${encodeURIComponent(id)}`;

const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (value) => String(value ?? "").replace(/[&<>"']/g, (c) => ESC[c]);

let pending = 0;
export function busy(on) {
  pending = Math.max(0, pending + (on ? 1 : -1));
  document.getElementById("busy").hidden = pending === 0;
}

/** GET a JSON endpoint; resolves to {ok, status, data} and never throws for an HTTP error. */
export async function api(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null));
  const url = query.toString() ? `${path}?${query}` : path;
  busy(true);
  try {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    const data = await res.json().catch(() => ({ error: { code: "bad_response", message: res.statusText } }));
    return { ok: res.ok, status: res.status, data };
  } catch (err) {
    return { ok: false, status: 0, data: { error: { code: "network", message: "无法连接服务器：" + err.message } } };
  } finally {
    busy(false);
  }
}

// Two-character words that a question contains but that mark nothing useful in a passage.
const FILLER = new Set(["如何", "怎么", "怎样", "什么", "哪些", "为什么", "我们", "进行", "一个", "可以", "方面"]);
const MAX_TERM = 12;

/** Escape `text` and mark every run of two or more characters that also occurs in the query. */
export function highlight(text, query) {
  const q = String(query ?? "").replace(/\s+/g, "");
  const chars = Array.from(String(text ?? ""));
  if (Array.from(q).length < 2) return esc(text);
  let html = "";
  let plain = "";
  for (let i = 0; i < chars.length;) {
    let len = 0;
    for (let n = Math.min(MAX_TERM, chars.length - i); n >= 2; n--) {
      const piece = chars.slice(i, i + n).join("");
      if (q.includes(piece) && !(n === 2 && FILLER.has(piece)) && /[\p{L}\p{N}]/u.test(piece)) { len = n; break; }
    }
    if (len) {
      html += esc(plain) + "<mark>" + esc(chars.slice(i, i + len).join("")) + "</mark>";
      plain = "";
      i += len;
    } else {
      plain += chars[i];
      i += 1;
    }
  }
  return html + esc(plain);
}

/** Escape `text` and mark every exact occurrence of one of `terms` (an entity's name and aliases), longest first. */
export function markTerms(text, terms) {
  const words = [...new Set(terms.map((t) => String(t ?? "").trim()).filter((t) => Array.from(t).length >= 2))]
    .sort((a, b) => b.length - a.length);
  const source = String(text ?? "");
  if (!words.length) return esc(source);
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  let html = "";
  let at = 0;
  for (const match of source.matchAll(pattern)) {
    html += esc(source.slice(at, match.index)) + "<mark>" + esc(match[0]) + "</mark>";
    at = match.index + match[0].length;
  }
  return html + esc(source.slice(at));
}

/** The text a writer pastes: the exact quote, its citation, and the GB/T 7714 reference when known. */
export function citationText(passage) {
  const quote = String(passage.quote || passage.text || "").trim();
  const ref = passage.reference ? `\n${passage.reference}` : "";
  return `“${quote}”（${passage.citation}）${ref}`;
}

export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch { /* fall back below: the clipboard API may be refused without a user gesture */ }
  }
  const area = Object.assign(document.createElement("textarea"), { value: text, readOnly: true });
  area.style.cssText = "position:fixed;opacity:0;top:0";
  document.body.append(area);
  area.select();
  const done = document.execCommand("copy");
  area.remove();
  return done;
}

let toastTimer;
export function toast(message) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 1800);
}

/** Copy a passage's citation from a button, and say so on the button and in a toast. */
export async function copyCitation(button, passage) {
  const ok = await copyText(citationText(passage));
  button.textContent = ok ? "已复制 ✓" : "复制失败";
  button.classList.toggle("done", ok);
  toast(ok ? "引文已复制，可直接粘贴到文稿中" : "浏览器不允许复制，请手动选择文本");
  setTimeout(() => { button.textContent = "复制引文"; button.classList.remove("done"); }, 2000);
}

export function roleBadge(role) {
  return `<span class="role ${esc(role)}">${esc(ROLE[role] || role || "正文")}</span>`;
}

/** One citable passage as a card: title, section, quote (query words or exact `terms` marked), entity chips,
 * citation with copy and open buttons. */
export function hitCard(hit, index, query = "", terms = null) {
  const tags = (hit.entities || []).filter((e) => SHOWN_ENTITY_TYPES.has(e.type)).slice(0, 6)
    .map((e) => `<a class="tag t-${esc(e.type)}" href="${entityHref(e.id)}" title="${esc(ENTITY[e.type] || e.type)}：查看条目">${esc(e.name)}</a>`)
    .join("");
  const docHref = `#/doc/${encodeURIComponent(hit.doc_id)}?p=${encodeURIComponent(hit.passage_id)}`;
  return `<article class="hit" data-i="${index}">
    <header><span class="rank">${esc(hit.rank ?? index + 1)}</span>
      <h3><a href="${docHref}">《${esc(hit.title)}》</a></h3>${roleBadge(hit.role)}</header>
    <div class="sec">${esc(hit.section || "（正文）")}</div>
    <p class="quote">${terms ? markTerms(hit.quote || hit.text, terms) : highlight(hit.quote || hit.text, query)}</p>
    ${tags ? `<div class="tags">${tags}</div>` : ""}
    <div class="cite"><span class="citation">${esc(hit.citation)}</span>
      <a class="btn" href="${docHref}">查看原文</a>
      <button type="button" class="btn copy">复制引文</button></div>
    ${hit.reference ? `<div class="ref">${esc(hit.reference)}</div>` : ""}
  </article>`;
}
