// A small offline renderer of /openapi.json (Swagger UI would load from a CDN).
import { api, el, showStatus } from "./common.js";

const $ = (id) => document.getElementById(id);

function markdownish(text) {
  // Paragraphs, `code` and one pipe table: enough for the API description.
  const out = [];
  const blocks = (text || "").trim().split(/\n\s*\n/);
  for (const block of blocks) {
    const lines = block.split("\n");
    if (lines.every((l) => l.trim().startsWith("|"))) {
      const rows = lines.filter((l) => !/^\|\s*-/.test(l.trim())).map((l) => l.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim()));
      const [head, ...body] = rows;
      out.push(el("table", {}, el("thead", {}, el("tr", {}, head.map((h) => el("th", {}, inline(h))))), el("tbody", {}, body.map((r) => el("tr", {}, r.map((c) => el("td", {}, inline(c))))))));
    } else {
      out.push(el("p", {}, inline(block.replace(/\n/g, " "))));
    }
  }
  return out;
}

function inline(text) {
  return text.split(/(`[^`]+`)/).map((part) => (part.startsWith("`") && part.endsWith("`") ? el("code", {}, part.slice(1, -1)) : part));
}

function schemaTable(schema, spec) {
  if (schema && schema.$ref) schema = spec.components.schemas[schema.$ref.split("/").pop()];
  if (!schema || !schema.properties) return el("p", { class: "muted" }, schema && schema.type ? `${schema.type}${schema.format ? ` (${schema.format})` : ""}` : "");
  const required = new Set(schema.required || []);
  return el(
    "table",
    {},
    el("thead", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "type"), el("th", {}, "default"), el("th", {}, "description"))),
    el(
      "tbody",
      {},
      Object.entries(schema.properties).map(([name, prop]) =>
        el(
          "tr",
          {},
          el("td", {}, el("code", {}, name), required.has(name) ? el("span", { class: "req" }, " required") : null),
          el("td", {}, typeOf(prop)),
          el("td", {}, prop.default === undefined ? "" : el("code", {}, JSON.stringify(prop.default))),
          el("td", {}, inline(prop.description || "")),
        ),
      ),
    ),
  );
}

function typeOf(prop) {
  if (prop.enum) return prop.enum.join(" | ");
  if (prop.anyOf) return prop.anyOf.map(typeOf).join(" | ");
  if (prop.type === "array") return `${typeOf(prop.items || {})}[]`;
  return prop.type || (prop.$ref ? prop.$ref.split("/").pop() : "any");
}

function endpoint(path, method, op, spec) {
  const params = op.parameters || [];
  const body = op.requestBody && op.requestBody.content;
  const responses = Object.entries(op.responses || {});
  return el(
    "section",
    { class: "card endpoint", id: `${method}-${path}`.replace(/[^a-z0-9]+/gi, "-") },
    el("h2", {}, el("span", { class: `verb ${method}` }, method.toUpperCase()), " ", el("code", {}, path)),
    el("p", { class: "summary" }, op.summary || ""),
    op.description ? el("div", {}, markdownish(op.description)) : null,
    params.length
      ? el(
          "div",
          {},
          el("h3", {}, "Parameters"),
          el(
            "table",
            {},
            el("tbody", {}, params.map((p) => el("tr", {}, el("td", {}, el("code", {}, p.name), ` (${p.in})`), el("td", {}, typeOf(p.schema || {})), el("td", {}, inline(p.description || (p.schema && p.schema.description) || ""))))),
          ),
        )
      : null,
    body
      ? el(
          "div",
          {},
          el("h3", {}, "Request body"),
          el("p", {}, Object.keys(body).map((t, i) => [i ? ", " : "", el("code", {}, t)])),
          body["application/json"] ? schemaTable(body["application/json"].schema, spec) : null,
        )
      : null,
    el("h3", {}, "Responses"),
    el("ul", { class: "responses" }, responses.map(([code, r]) => el("li", {}, el("code", {}, code), ` ${r.description || ""}`))),
  );
}

async function start() {
  try {
    const spec = await api("/openapi.json");
    $("api-title").textContent = `${spec.info.title} API ${spec.info.version}`;
    $("api-intro").append(...markdownish(spec.info.description));
    const box = $("endpoints");
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) box.append(endpoint(path, method, op, spec));
    }
  } catch (err) {
    showStatus($("status"), "error", err.message, err.code);
  }
  document.body.dataset.ready = "true";
}

start();
