// The summarize page: send an article (paste, upload or URL) to POST /v1/articles, or an article
// and a summary from any system to POST /v1/check, show the highlights (or the summary's
// sentences), each with the checker's verdict on it, quotes, names, media and notes, and mark
// in the article the body spans behind whatever is selected. The response is the pipeline's
// record (the CLI's JSON shape) with the article; offsets are character offsets into
// article.body.
import { api, el, formatDate, paintBody, showStatus, truncate } from "./common.js";

const $ = (id) => document.getElementById(id);
const state = { data: null, selection: null, tab: "paste", checked: false };

// --- input ---------------------------------------------------------------------------------

function selectTab(name) {
  state.tab = name;
  for (const tab of document.querySelectorAll(".tab")) tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
  for (const panel of document.querySelectorAll(".tab-panel")) panel.hidden = panel.dataset.panel !== name;
}

function methodSpec() {
  const n = $("n").value;
  return n ? `highlights:n=${n}` : "highlights";
}

// The summary to check, if one was pasted: the request then goes to POST /v1/check (nothing
// stored) and the list shows one entry per summary sentence with the verdict on it.
function summaryToCheck() {
  const text = $("summary-text").value;
  return text.trim() ? text : null;
}

function syncButton() {
  const checking = !!summaryToCheck();
  $("submit").textContent = checking ? "Check summary" : "Summarize";
  $("n").disabled = checking; // a checked summary has the sentences it has
}

function buildRequest(summary) {
  const format = $("format").value;
  const extra = summary ? { summary } : { method: methodSpec() };
  const json = (fields) => ({ headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ...fields, format, ...extra }) });
  if (state.tab === "paste") {
    const text = $("article-text").value;
    if (!text.trim()) throw new Error("Paste an article first.");
    return json({ text });
  }
  if (state.tab === "upload") {
    const file = $("article-file").files[0];
    if (!file) throw new Error("Choose a file first.");
    if (summary) {
      const form = new FormData(); // /v1/check takes no raw body: the file and the summary as form fields
      form.append("file", file);
      form.append("format", format);
      form.append("name", file.name);
      form.append("summary", summary);
      return { body: form };
    }
    const query = new URLSearchParams({ format, method: methodSpec(), name: file.name });
    return { query: `?${query}`, headers: { "Content-Type": "application/octet-stream" }, body: file };
  }
  const url = $("article-url").value.trim();
  if (!url) throw new Error("Enter a URL first.");
  return json({ url });
}

async function submit(event) {
  event.preventDefault();
  const summary = summaryToCheck();
  let request;
  try {
    request = buildRequest(summary);
  } catch (err) {
    return showStatus($("status"), "error", err.message);
  }
  const button = $("submit");
  const label = button.textContent;
  button.disabled = true;
  button.textContent = summary ? "Checking…" : "Summarizing…";
  showStatus($("status"), "info", "Reading the article…");
  try {
    const path = summary ? "/v1/check" : `/v1/articles${request.query || ""}`;
    const data = await api(path, { method: "POST", headers: request.headers, body: request.body });
    if (summary) {
      const backed = (data.highlights || []).filter((h) => h.support && h.support.verdict === "supported").length;
      showStatus($("status"), "ok", `Checked the summary (nothing stored): ${backed} of ${(data.highlights || []).length} sentence(s) supported.`);
      history.replaceState(null, "", "/");
    } else {
      showStatus($("status"), "ok", data.created ? "Stored as a new article." : "This article was stored before: same id, same text.");
      history.replaceState(null, "", `/?id=${encodeURIComponent(data.id)}`);
    }
    render(data, { checked: !!summary });
    document.querySelector(".input-card").classList.add("compact");
    $("article-text").scrollTop = 0;
  } catch (err) {
    showStatus($("status"), "error", err.message, err.code);
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

// --- rendering -----------------------------------------------------------------------------

const VERDICT_CLASS = { supported: "good", check: "warn", unsupported: "bad" };
const REPORT_VERDICT = { consistent: "supported", check: "check", inconsistent: "unsupported" };

// The check of highlight i: its own support (schema 1.2), else, for an article stored before
// highlights carried one, the report's sentence of the same index.
function supportOf(index) {
  const data = state.data;
  const h = data && data.highlights && data.highlights[index];
  if (!h) return null;
  if (h.support) return h.support;
  const report = data.faithfulness;
  const s = report && Array.isArray(report.sentences) ? report.sentences.find((x) => x.index === index) : null;
  if (!s) return null;
  const verdict = s.verdict || (s.score >= 0.7 ? "supported" : s.score < 0.3 ? "unsupported" : "check");
  return { verdict: REPORT_VERDICT[verdict] || verdict, score: s.score, issues: s.issues || [], evidence: s.support_span ? [s.support_span] : [], nearest: [] };
}

function textWithIssues(text, issues) {
  const spans = (issues || []).filter((i) => Array.isArray(i.span) && i.kind !== "no_support").sort((a, b) => a.span[0] - b.span[0]);
  const out = [];
  let pos = 0;
  for (const issue of spans) {
    const [a, b] = issue.span;
    if (a < pos) continue;
    out.push(text.slice(pos, a), el("mark", { class: "issue-inline", title: `${issue.kind}: ${issue.detail}` }, text.slice(a, b)));
    pos = b;
  }
  out.push(text.slice(pos));
  return out;
}

function supportChip(support) {
  if (!support) return null;
  const score = typeof support.score === "number" ? ` · ${Math.round(support.score * 100)}%` : "";
  const reasons = (support.issues || []).map((i) => `${i.kind.replace("_", " ")}: ${i.detail}`).join("\n");
  const title = { supported: "the article backs it", check: "partly backed: check it against the article", unsupported: "the article does not back it" }[support.verdict];
  return el("span", { class: `chip ${VERDICT_CLASS[support.verdict] || ""}`, title: reasons ? `${title}\n${reasons}` : title }, `${support.verdict}${score}`);
}

function renderHighlights(data) {
  const list = $("highlights");
  list.replaceChildren();
  const highlights = data.highlights || [];
  $("hl-heading").textContent = state.checked ? "Checked summary" : "Highlights";
  $("hl-hint").textContent = state.checked
    ? "One entry per sentence of the summary: its chip says whether the article backs it; click it to mark the passages that do (or the closest one, which does not)."
    : "Click a highlight to mark the article text it was cut from; its chip says whether the article backs it.";
  const empty = state.checked ? "Nothing to check: the summary has no words." : "No highlights: the article has no usable sentences.";
  if (!highlights.length) list.append(el("li", { class: "empty" }, empty));
  highlights.forEach((h, i) => {
    const support = supportOf(i);
    const sentences = (h.sentence_ids || []).map((s) => s + 1).join(", ");
    // A checked summary's words are its writer's: its spans are the passages that back it, not its source.
    const source = sentences ? `${state.checked ? "backed by" : "from"} sentence ${sentences}` : support && support.verdict === "unsupported" ? "no source in the article" : "";
    const item = el(
      "li",
      { class: `highlight${support ? ` ${support.verdict}` : ""}`, tabindex: "0", role: "button", "aria-pressed": "false", dataset: { index: i } },
      el("span", { class: "num" }, String(i + 1)),
      el(
        "div",
        { class: "hl-main" },
        el("p", { class: "hl-text" }, textWithIssues(h.text, support && support.issues)),
        el("p", { class: "hl-meta" }, source, supportChip(support)),
      ),
    );
    item.addEventListener("click", () => select({ kind: "highlight", index: i }));
    item.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        select({ kind: "highlight", index: i });
      }
    });
    list.append(item);
  });
  const verdict = $("verdict");
  const report = data.faithfulness;
  verdict.hidden = !report;
  if (report) {
    verdict.className = `chip ${report.verdict === "consistent" ? "good" : report.verdict === "inconsistent" ? "bad" : "warn"}`;
    verdict.textContent = `${report.verdict} · ${Math.round((report.score || 0) * 100)}%`;
    verdict.title = "faithfulness of the whole summary (weakest highlight weighted in)";
  }
}

function renderIssues() {
  const box = $("issues");
  box.replaceChildren();
  const sel = state.selection;
  const support = sel && sel.kind === "highlight" ? supportOf(sel.index) : null;
  const issues = (support && support.issues) || [];
  box.hidden = !issues.length;
  if (!issues.length) return;
  const why = support.verdict === "unsupported" ? "not backed by the article" : "to check";
  box.append(el("h3", {}, `${state.checked ? "Sentence" : "Highlight"} ${sel.index + 1}: ${why}`));
  box.append(
    el(
      "ul",
      {},
      issues.map((i) => el("li", {}, el("span", { class: "chip bad small" }, i.kind.replace("_", " ")), " ", el("strong", {}, truncate(i.text, 80)), ` — ${i.detail}`)),
    ),
  );
  if (support.verdict === "unsupported" && (support.nearest || []).length) {
    box.append(el("p", { class: "muted" }, "The closest passage is outlined in the article; it does not back this highlight."));
  }
}

function renderQuotes(analysis) {
  const quotes = (analysis && analysis.quotes) || [];
  $("quotes-card").hidden = !quotes.length;
  $("quote-count").textContent = quotes.length ? String(quotes.length) : "";
  const list = $("quotes");
  list.replaceChildren();
  quotes.forEach((q, i) => {
    const who = q.canonical || q.speaker;
    const item = el(
      "li",
      { class: `quote${q.depth ? " nested" : ""}`, tabindex: "0", role: "button", "aria-pressed": "false", dataset: { index: i } },
      el("blockquote", {}, `“${truncate(q.text, 220)}”`),
      el(
        "p",
        { class: "who" },
        who ? el("strong", {}, who) : el("span", { class: "muted" }, "unattributed"),
        q.cue ? el("span", { class: "muted" }, ` · ${q.cue}`) : null,
        q.resolved_from ? el("span", { class: "muted" }, ` · as “${q.resolved_from}”`) : null,
      ),
    );
    item.addEventListener("click", () => select({ kind: "quote", index: i }));
    item.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        select({ kind: "quote", index: i });
      }
    });
    list.append(item);
  });
}

function entityGroups(analysis) {
  const groups = new Map();
  for (const e of (analysis && analysis.entities) || []) {
    if (!["person", "organisation", "place"].includes(e.label) || e.field !== "body") continue;
    const key = `${e.label}:${e.canonical}`;
    if (!groups.has(key)) groups.set(key, { name: e.canonical, label: e.label, spans: [] });
    groups.get(key).spans.push(e.span);
  }
  return [...groups.values()].sort((a, b) => b.spans.length - a.spans.length).slice(0, 16);
}

function renderPeople(analysis) {
  const groups = entityGroups(analysis);
  state.entities = groups;
  $("people-card").hidden = !groups.length;
  const box = $("people");
  box.replaceChildren();
  groups.forEach((g, i) => {
    const chip = el(
      "button",
      { type: "button", class: `entity ${g.label}`, title: `${g.label}, ${g.spans.length} mention(s)`, "aria-pressed": "false", dataset: { index: i } },
      g.name,
      el("span", { class: "count" }, String(g.spans.length)),
    );
    chip.addEventListener("click", () => select({ kind: "entity", index: i }));
    box.append(chip);
  });
}

function renderMedia(article) {
  const media = article.media || [];
  $("media-card").hidden = !media.length;
  const list = $("media");
  list.replaceChildren();
  for (const m of media) {
    const facts = [m.duration, m.source && `Source: ${m.source}`].filter(Boolean).join(" · ");
    list.append(
      el(
        "li",
        {},
        el("span", { class: `badge ${m.kind}` }, m.kind === "video" ? "Video" : "Image"),
        el("div", {}, el("p", { class: "media-title" }, m.title || m.caption || m.file_name || "untitled"), m.title && m.caption ? el("p", { class: "muted" }, m.caption) : null, facts ? el("p", { class: "muted" }, facts) : null),
      ),
    );
  }
}

function renderNotes(data) {
  const notes = data.notes || []; // the record's notes: the article's, then the summary's
  $("notes-card").hidden = !notes.length;
  $("notes").replaceChildren(...notes.map((n) => el("li", {}, n)));
}

function renderArticle(data) {
  const a = data.article;
  $("article-kicker").textContent = [a.source, a.dateline].filter(Boolean).join(" · ");
  $("article-title").textContent = a.title || "Untitled article";
  $("article-title").classList.toggle("untitled", !a.title);
  const own = a.reference_highlights || [];
  $("page-highlights").hidden = !own.length;
  $("page-highlights-list").replaceChildren(...own.map((h) => el("li", {}, h)));
  const meta = $("article-meta");
  meta.replaceChildren();
  const bits = [a.byline, a.published && `Published ${a.published}`, a.updated && `Updated ${a.updated}`].filter(Boolean);
  if (bits.length) meta.append(bits.join(" · "));
  if (a.url) meta.append(bits.length ? " · " : "", el("a", { href: a.url, rel: "noreferrer noopener", target: "_blank" }, new URL(a.url, location.href).hostname));
  const foot = $("article-foot");
  foot.replaceChildren();
  const words = a.body ? a.body.split(/\s+/).filter(Boolean).length : 0;
  foot.append(`${words} words · ${(a.paragraphs || []).length} paragraphs · ${(a.sentences || []).length} sentences · format ${a.input_format || "?"}`);
  if (data.id) {
    foot.append(" · stored as ", el("code", {}, data.id), " · ", el("a", { href: `/v1/articles/${encodeURIComponent(data.id)}` }, "JSON"));
    if (data.created_at) foot.append(` · ${formatDate(data.created_at)}`);
  }
}

function render(data, { checked = false } = {}) {
  state.data = data;
  state.checked = checked;
  state.selection = null;
  $("result").hidden = false;
  renderArticle(data);
  renderHighlights(data);
  renderQuotes(data.analysis);
  renderPeople(data.analysis);
  renderMedia(data.article);
  renderNotes(data);
  paint();
}

// --- selection and span marking -------------------------------------------------------------

function select(selection) {
  const same = state.selection && state.selection.kind === selection.kind && state.selection.index === selection.index;
  state.selection = same ? null : selection;
  paint(true);
}

function rangesFor(selection) {
  const data = state.data;
  if (!selection || !data) return [];
  const ranges = [];
  if (selection.kind === "highlight") {
    const h = data.highlights[selection.index];
    h.spans.forEach((s, k) => ranges.push({ start: s[0], end: s[1], cls: "src", attrs: { "data-span": String(k) } }));
    const support = supportOf(selection.index);
    for (const s of (support && support.evidence) || []) ranges.push({ start: s[0], end: s[1], cls: "support" });
    for (const s of (support && support.nearest) || []) ranges.push({ start: s[0], end: s[1], cls: "nearest" });
    for (const issue of (support && support.issues) || []) {
      if (Array.isArray(issue.evidence)) ranges.push({ start: issue.evidence[0], end: issue.evidence[1], cls: "issue" });
    }
  } else if (selection.kind === "quote") {
    const q = data.analysis.quotes[selection.index];
    const parts = q.parts && q.parts.length ? q.parts : [q.span];
    for (const p of parts) ranges.push({ start: p[0], end: p[1], cls: "quote" });
    for (const s of [q.speaker_span, q.resolved_span]) if (Array.isArray(s)) ranges.push({ start: s[0], end: s[1], cls: "speaker" });
  } else if (selection.kind === "entity") {
    for (const s of state.entities[selection.index].spans) ranges.push({ start: s[0], end: s[1], cls: "entity" });
  }
  return ranges;
}

function paint(scroll = false) {
  const data = state.data;
  const body = $("article-body");
  paintBody(body, data.article.body, data.article.paragraphs, rangesFor(state.selection));
  const sel = state.selection;
  for (const [listId, kind] of [["highlights", "highlight"], ["quotes", "quote"], ["people", "entity"]]) {
    for (const item of $(listId).querySelectorAll("[data-index]")) {
      const on = !!sel && sel.kind === kind && Number(item.dataset.index) === sel.index;
      item.setAttribute("aria-pressed", String(on));
      item.classList.toggle("selected", on);
    }
  }
  renderIssues();
  body.classList.toggle("dimmed", !!sel);
  if (scroll) {
    const first = body.querySelector("mark.src, mark.nearest, mark.quote, mark.entity");
    if (first) {
      const r = first.getBoundingClientRect();
      if (r.top < 80 || r.bottom > window.innerHeight - 40) first.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }
}

// --- start ---------------------------------------------------------------------------------

async function start() {
  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => selectTab(tab.dataset.tab));
  $("article-form").addEventListener("submit", submit);
  $("summary-text").addEventListener("input", syncButton);
  $("article-text").addEventListener("focus", () => document.querySelector(".input-card").classList.remove("compact"));
  const file = $("article-file");
  file.addEventListener("change", () => {
    $("file-label").textContent = file.files[0] ? `${file.files[0].name} (${Math.ceil(file.files[0].size / 1024)} kB)` : "Drop an article file here, or click to choose one";
  });
  const zone = $("dropzone");
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    if (e.dataTransfer.files.length) {
      file.files = e.dataTransfer.files;
      file.dispatchEvent(new Event("change"));
    }
  });
  try {
    const health = await api("/healthz");
    const fetching = health.features && health.features.url_fetch;
    $("article-url").disabled = !fetching;
    $("url-hint").textContent = fetching
      ? "The server fetches public http(s) pages only; private and internal addresses are refused."
      : "URL fetching is off on this server (start it with --allow-url-fetch).";
  } catch (err) {
    showStatus($("status"), "error", `The server does not answer: ${err.message}`, err.code);
  }
  const id = new URLSearchParams(location.search).get("id");
  if (id) {
    try {
      render(await api(`/v1/articles/${encodeURIComponent(id)}`));
      document.querySelector(".input-card").classList.add("compact");
    } catch (err) {
      showStatus($("status"), "error", err.message, err.code);
    }
  }
  document.body.dataset.ready = "true";
}

start();
