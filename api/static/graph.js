// Neighbourhood graph: a small force-directed layout drawn as SVG, self-written so the page works offline.

export const COLORS = {
  practice: "#1b7f4c", measure: "#5aa37a", problem: "#b3261e", place: "#1f5fbf", indicator: "#a07a2c",
  organization: "#6b5b9a",
};
export const TYPE_NAMES = { practice: "做法", measure: "措施", problem: "问题", place: "地点", indicator: "指标",
  organization: "组织" };
const SVG = "http://www.w3.org/2000/svg";
const GOLDEN_ANGLE = 2.399963;
const GRAVITY = 0.3;

/** Graph of one entity and its neighbours (engine.neighbors rows: id, name, type, relation, weight). */
export function neighborhood(entity, neighbors, types = null) {
  const kept = neighbors.filter((n) => !types || types.includes(n.type));
  const nodes = [{ id: entity.id, name: entity.name, type: entity.type, center: true }];
  const seen = new Set([entity.id]);
  for (const n of kept) {
    if (!seen.has(n.id)) nodes.push({ id: n.id, name: n.name, type: n.type });
    seen.add(n.id);
  }
  const links = kept.map((n) => ({ source: entity.id, target: n.id, type: n.relation, weight: n.weight ?? 1 }));
  return { nodes, links };
}

/**
 * Positions {x, y} for `nodes`, deterministic: a sunflower start, then Fruchterman–Reingold
 * (1991) steps — springs on links, repulsion between every pair, a weak pull to the centre —
 * with a cooling step size; nodes marked `center` stay in the middle.
 */
export function layout(nodes, links, { width = 640, height = 420, iterations = 300, linkLength = 90, margin = 30 } = {}) {
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const cx = width / 2;
  const cy = height / 2;
  const pos = nodes.map((node, i) => (node.center ? { x: cx, y: cy }
    : { x: cx + 20 * Math.sqrt(i + 0.5) * Math.cos(i * GOLDEN_ANGLE), y: cy + 20 * Math.sqrt(i + 0.5) * Math.sin(i * GOLDEN_ANGLE) }));
  const edges = links.map((l) => [index.get(l.source), index.get(l.target)])
    .filter(([a, b]) => a !== undefined && b !== undefined && a !== b);
  const k = linkLength;
  let step = Math.min(width, height) / 8;
  for (let it = 0; it < iterations; it++) {
    const move = pos.map(() => ({ x: 0, y: 0 }));
    for (let i = 0; i < pos.length; i++) {
      for (let j = i + 1; j < pos.length; j++) {
        const dx = pos[i].x - pos[j].x || 0.01 * (i - j);
        const dy = pos[i].y - pos[j].y;
        const d = Math.max(Math.hypot(dx, dy), 1);
        const f = (k * k) / d;
        move[i].x += (dx / d) * f; move[i].y += (dy / d) * f;
        move[j].x -= (dx / d) * f; move[j].y -= (dy / d) * f;
      }
    }
    for (const [a, b] of edges) {
      const dx = pos[a].x - pos[b].x;
      const dy = pos[a].y - pos[b].y;
      const d = Math.max(Math.hypot(dx, dy), 1);
      const f = (d * d) / k;
      move[a].x -= (dx / d) * f; move[a].y -= (dy / d) * f;
      move[b].x += (dx / d) * f; move[b].y += (dy / d) * f;
    }
    pos.forEach((p, i) => {
      if (nodes[i].center) return;
      const mx = move[i].x + (cx - p.x) * GRAVITY;
      const my = move[i].y + (cy - p.y) * GRAVITY;
      const len = Math.max(Math.hypot(mx, my), 1e-9);
      const shift = Math.min(len, step);
      p.x = Math.min(width - margin, Math.max(margin, p.x + (mx / len) * shift));
      p.y = Math.min(height - margin, Math.max(margin, p.y + (my / len) * shift));
    });
    step = Math.max(step * 0.985, 0.5);
  }
  return pos;
}

function el(name, attrs = {}, text = "") {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

/**
 * Draw `graph` ({nodes, links}) into an <svg>; nodes can be dragged, and clicking one calls onSelect(node).
 * Other options (linkLength, iterations, margin) go to layout(); a node's `label` is shown instead of its name.
 */
export function drawGraph(svg, graph, { width = 640, height = 420, onSelect = null, ...options } = {}) {
  const pos = layout(graph.nodes, graph.links, { width, height, ...options });
  const at = new Map(graph.nodes.map((node, i) => [node.id, pos[i]]));
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  const lines = graph.links.filter((l) => at.has(l.source) && at.has(l.target)).map((l) => {
    const line = el("line", { stroke: "#c9c2b6", "stroke-width": 1 + Math.min(3, l.weight || 1) });
    line.append(el("title", {}, l.type || ""));
    svg.append(line);
    return { line, a: at.get(l.source), b: at.get(l.target) };
  });
  const redraw = () => lines.forEach(({ line, a, b }) => {
    line.setAttribute("x1", a.x); line.setAttribute("y1", a.y); line.setAttribute("x2", b.x); line.setAttribute("y2", b.y);
  });
  graph.nodes.forEach((node) => {
    const p = at.get(node.id);
    const group = el("g", { class: "node", "data-id": node.id, transform: `translate(${p.x},${p.y})`, cursor: "pointer" });
    group.append(el("circle", { r: node.center ? 14 : 9, fill: COLORS[node.type] || "#667085", stroke: "#fff", "stroke-width": 2 }));
    group.append(el("text", { x: 0, y: node.center ? 30 : 22, "text-anchor": "middle", "font-size": node.center ? 14 : 12,
      fill: "#1f2328", stroke: "#fff", "stroke-width": 3, "paint-order": "stroke" }, node.label || node.name));
    group.append(el("title", {}, `${TYPE_NAMES[node.type] || node.type}：${node.name}`));
    makeDraggable(svg, group, p, () => { group.setAttribute("transform", `translate(${p.x},${p.y})`); redraw(); },
      () => onSelect && onSelect(node));
    svg.append(group);
  });
  redraw();
  return pos;
}

function makeDraggable(svg, group, p, moved, clicked) {
  let dragging = false;
  let travelled = 0;
  group.addEventListener("pointerdown", (ev) => {
    dragging = true;
    travelled = 0;
    group.setPointerCapture(ev.pointerId);
  });
  group.addEventListener("pointermove", (ev) => {
    if (!dragging) return;
    const box = svg.getBoundingClientRect();
    const view = svg.viewBox.baseVal;
    const x = ((ev.clientX - box.left) / box.width) * view.width;
    const y = ((ev.clientY - box.top) / box.height) * view.height;
    travelled += Math.hypot(x - p.x, y - p.y);
    p.x = x; p.y = y;
    moved();
  });
  group.addEventListener("pointerup", () => {
    dragging = false;
    if (travelled < 4) clicked();
  });
}
