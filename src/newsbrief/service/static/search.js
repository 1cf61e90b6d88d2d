// The search page: GET /v1/search (ranked, with marked snippets), or the latest articles
// (GET /v1/articles) when the box is empty. A result opens the article on the main page.
import { api, el, formatDate, showStatus, truncate } from "./common.js";

const $ = (id) => document.getElementById(id);
const PAGE = 20;
const state = { q: "", offset: 0 };

function snippet(s) {
  if (!s || !s.text) return null;
  const out = [];
  let pos = 0;
  for (const [a, b] of s.marks || []) {
    out.push(s.text.slice(pos, a), el("mark", {}, s.text.slice(a, b)));
    pos = b;
  }
  out.push(s.text.slice(pos));
  return el("p", { class: "snippet" }, out);
}

function result(hit) {
  const href = `/?id=${encodeURIComponent(hit.id)}`;
  const title = hit.title || truncate((hit.lead || "").split("\n")[0], 110) || hit.id;
  const meta = [hit.source, formatDate(hit.created_at), hit.url && new URL(hit.url).hostname].filter(Boolean).join(" · ");
  return el(
    "li",
    { class: "card result-item" },
    el("a", { class: "result-title", href }, title),
    el("p", { class: "meta" }, meta, " · ", el("code", {}, hit.id)),
    snippet(hit.snippet) || el("p", { class: "snippet" }, truncate(hit.lead || "", 220)),
  );
}

async function load(append) {
  const q = state.q;
  const params = new URLSearchParams({ limit: PAGE, offset: state.offset });
  if (q) params.set("q", q);
  try {
    const data = await api(`${q ? "/v1/search" : "/v1/articles"}?${params}`);
    const list = $("results");
    if (!append) list.replaceChildren();
    list.append(...data.results.map(result));
    $("results-heading").textContent = q
      ? `${data.total} article${data.total === 1 ? "" : "s"} match “${q}”`
      : data.total ? `Latest of ${data.total} stored article${data.total === 1 ? "" : "s"}` : "No articles stored yet: summarize one first.";
    state.offset += data.results.length;
    $("more").hidden = state.offset >= data.total;
    showStatus($("status"), "", "");
  } catch (err) {
    showStatus($("status"), "error", err.message, err.code);
  }
}

function search(event) {
  if (event) event.preventDefault();
  state.q = $("q").value.trim();
  state.offset = 0;
  const url = state.q ? `/search?q=${encodeURIComponent(state.q)}` : "/search";
  history.replaceState(null, "", url);
  load(false);
}

$("search-form").addEventListener("submit", search);
$("more").addEventListener("click", () => load(true));
$("q").value = new URLSearchParams(location.search).get("q") || "";
search();
document.body.dataset.ready = "true";
