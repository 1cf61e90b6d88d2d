// Shared by the pages: DOM building without innerHTML (article text is never parsed as HTML),
// API calls that turn error bodies into readable messages, and the span painter.

/** Create an element: el("a", {href: "/", class: "x"}, "text", child, ...). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** fetch() a JSON endpoint; an error body {"error": {code, message}} becomes an ApiError. */
export async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    throw new ApiError(0, "network_error", `cannot reach the server (${err.message})`);
  }
  let body = null;
  const text = await response.text();
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const e = body && body.error ? body.error : {};
    throw new ApiError(response.status, e.code || `http_${response.status}`, e.message || response.statusText, e.details);
  }
  return body;
}

export function showStatus(node, kind, message, code) {
  node.replaceChildren();
  node.className = `status ${kind}`;
  node.hidden = !message;
  if (!message) return;
  if (code) node.append(el("code", { class: "code" }, code), " ");
  node.append(message);
}

export function formatDate(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/**
 * Render `body` as paragraphs with <mark>s for `ranges` ([{start, end, cls, attrs}]).
 * Ranges may overlap: the text is cut at every range boundary and each piece gets the
 * classes of all ranges covering it, so a span split by an overlap keeps its data-* attrs.
 */
export function paintBody(container, body, paragraphs, ranges) {
  container.replaceChildren();
  const paras = paragraphs && paragraphs.length ? paragraphs : [{ id: 0, start: 0, end: body.length }];
  for (const p of paras) {
    const inside = ranges.filter((r) => r.end > p.start && r.start < p.end && r.end > r.start);
    const cuts = new Set([p.start, p.end]);
    for (const r of inside) {
      cuts.add(Math.max(p.start, r.start));
      cuts.add(Math.min(p.end, r.end));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const para = el("p", { dataset: { start: p.start, end: p.end } });
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const text = body.slice(a, b);
      const active = inside.filter((r) => r.start <= a && r.end >= b);
      if (!active.length) {
        para.append(text);
        continue;
      }
      const mark = el("mark", { class: active.map((r) => r.cls).join(" ") }, text);
      for (const r of active) for (const [k, v] of Object.entries(r.attrs || {})) mark.setAttribute(k, v);
      para.append(mark);
    }
    container.append(para);
  }
}

export function truncate(text, n) {
  return text.length > n ? `${text.slice(0, n - 1).trimEnd()}…` : text;
}
