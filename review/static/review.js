// Chuhai review page: one article with its figures highlighted, a table of its figures, and the decisions
// (confirm, fix, reject, add) posted to /api/decisions, which records them through the warehouse writer.
"use strict";

const FIELDS = ["metric", "value", "unit", "entity", "market", "period", "qualifier"];
const state = { vocab: null, articles: [], article: null, figures: [], selected: -1 };
const latest = { list: 0, article: 0 };  // only the newest request of each kind draws (filters change fast)
const $ = (selector) => document.querySelector(selector);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
}

function filterQuery() {
  const params = new URLSearchParams();
  const entity = $("#f-entity").value.trim();
  if (entity) params.set("entity", entity);
  if ($("#f-metric").value) params.set("metric", $("#f-metric").value);
  if ($("#f-conflicts").checked) params.set("conflicts", "1");
  if ($("#f-unreviewed").checked) params.set("unreviewed", "1");
  return params;
}

function restoreFilters() {
  const params = new URLSearchParams(location.search);
  $("#f-entity").value = params.get("entity") || "";
  $("#f-metric").value = params.get("metric") || "";
  $("#f-conflicts").checked = params.get("conflicts") === "1";
  $("#f-unreviewed").checked = params.get("unreviewed") === "1";
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function say(text, isError = false) {
  const status = $("#status");
  status.textContent = text;
  status.className = isError ? "error" : "ok";
}

function currentId() {
  const match = location.hash.match(/^#a=(.+)$/);
  return match ? decodeURIComponent(match[1]) : null;
}

async function loadVocabulary() {
  state.vocab = await getJSON("/api/vocabulary");
  for (const metric of state.vocab.metrics) $("#f-metric").append(el("option", { value: metric }, metric));
  for (const [list, values] of [["#entities", state.vocab.entities], ["#markets", state.vocab.markets],
                                ["#units", state.vocab.units]]) {
    for (const value of values) $(list).append(el("option", { value }));
  }
}

async function loadArticles() {
  const ticket = ++latest.list;
  const articles = await getJSON("/api/articles?" + filterQuery());
  if (ticket !== latest.list) return;
  state.articles = articles;
  const list = $("#article-list");
  list.replaceChildren();
  for (const a of state.articles) {
    const item = el("li", { "data-article": a.article_id, class: a.article_id === currentId() ? "current" : "" },
      el("a", { href: "#a=" + encodeURIComponent(a.article_id) }, a.title || a.url),
      el("small", {}, `${a.published || "undated"} · ${a.figures} figures · ${a.reviewed} reviewed` +
        (a.conflicts ? ` · ${a.conflicts} in conflict` : "")));
    list.append(item);
  }
  if (!state.articles.length) list.append(el("li", { class: "empty" }, "No article has a figure that matches."));
}

async function openArticle(keepSelection = false) {
  let id = currentId();
  if (!id && state.articles.length) {
    history.replaceState(null, "", location.pathname + location.search + "#a=" + encodeURIComponent(state.articles[0].article_id));
    id = currentId();
  }
  if (!id) return;
  const previous = keepSelection ? state.selected : -1;
  const ticket = ++latest.article;
  const data = await getJSON(`/api/articles/${encodeURIComponent(id)}?` + filterQuery());
  if (ticket !== latest.article) return;
  state.article = data.article;
  state.figures = data.figures;
  for (const li of document.querySelectorAll("#article-list li")) li.classList.toggle("current", li.dataset.article === id);
  $("#article-title").textContent = data.article.title || data.article.url;
  $("#article-meta").replaceChildren(el("a", { href: data.article.url, target: "_blank", rel: "noopener" }, data.article.url),
    ` · ${data.article.published || "undated"} · ${data.article.source || ""}`);
  renderBody();
  renderOrphans(data.orphans || []);
  renderTable();
  hideForms();
  const first = state.figures.findIndex((f) => f.wanted);
  select(previous >= 0 && previous < state.figures.length ? previous : Math.max(first, 0));
}

function figureClass(f) {
  return ["fig", "review-" + (f.review || "none"), f.wanted ? "" : "dim", f.in_conflict ? "conflict" : "",
          f.origin === "analyst" ? "analyst" : ""].filter(Boolean).join(" ");
}

function renderBody() {
  const chars = Array.from(state.article.body || "");  // offsets count code points, as in the warehouse
  const body = $("#article-body");
  body.replaceChildren();
  let pos = 0;
  const order = state.figures.map((f, i) => [f, i]).filter(([f]) => f.span_start != null)
    .sort((a, b) => a[0].span_start - b[0].span_start || (a[0].review === "rejected") - (b[0].review === "rejected"));
  for (const [f, i] of order) {
    if (f.span_start < pos || f.span_end > chars.length) continue;  // a figure inside another: in the table only
    body.append(chars.slice(pos, f.span_start).join(""));
    const mark = el("mark", { class: figureClass(f), "data-fact": f.fact_id, "data-index": String(i),
                              title: `${f.metric} ${f.value} ${f.unit} · ${f.entity || "—"} · ${f.review || "not reviewed"}` },
                    chars.slice(f.span_start, f.span_end).join(""));
    mark.addEventListener("click", () => select(i));
    body.append(mark);
    pos = f.span_end;
  }
  body.append(chars.slice(pos).join(""));
}

function renderOrphans(orphans) {
  const list = $("#orphan-list");
  list.replaceChildren(...orphans.map((o) => el("li", { class: "orphan" },
    el("b", {}, `${o.action} “${o.quote}”`), ` — was in “${o.sentence || ""}” · ${o.decided_by}, ${o.decided_at}`,
    o.note ? ` · ${o.note}` : "")));
  $("#orphans").hidden = !orphans.length;
}

function renderTable() {
  const tbody = $("#fact-table tbody");
  tbody.replaceChildren();
  state.figures.forEach((f, i) => {
    const row = el("tr", { class: figureClass(f), "data-fact": f.fact_id, "data-review": f.review || "none" },
      el("td", {}, String(i + 1)), el("td", { class: "quote" }, f.quote),
      ...["metric", "value", "unit", "entity", "market", "period", "qualifier"].map((name) =>
        el("td", { class: "f-" + name }, name === "value" ? formatValue(f.value) : (f[name] ?? ""))),
      el("td", { class: "review" }, (f.review || "—") + (f.in_conflict ? " ⚠" : "") + (f.origin === "analyst" ? " ✎" : "")),
      el("td", { class: "actions" },
        el("button", { type: "button", class: "do-confirm", title: "confirm (c)", onclick: () => decide("confirm", f) }, "✓"),
        el("button", { type: "button", class: "do-fix", title: "fix (e)", onclick: () => showFix(i) }, "Fix"),
        el("button", { type: "button", class: "do-reject", title: "reject (x)", onclick: () => decide("reject", f) }, "✗")));
    row.addEventListener("click", (event) => { if (event.target.tagName !== "BUTTON") select(i); });
    tbody.append(row);
  });
  if (!state.figures.length) tbody.append(el("tr", {}, el("td", { colSpan: 11 }, "No figure in this article.")));
}

function formatValue(value) {
  return value === null || value === undefined ? "" : Number(value).toLocaleString("en-US", { maximumFractionDigits: 4 });
}

function select(i) {
  if (i < 0 || i >= state.figures.length) return;
  state.selected = i;
  const id = state.figures[i].fact_id;
  for (const node of document.querySelectorAll(".selected")) node.classList.remove("selected");
  for (const node of document.querySelectorAll(`[data-fact="${CSS.escape(id)}"]`)) {
    node.classList.add("selected");
    node.scrollIntoView({ block: "nearest" });
  }
}

function fieldInputs(container, values) {
  container.replaceChildren();
  for (const name of FIELDS) {
    let input;
    if (name === "metric" || name === "qualifier") {
      input = el("select", { name });
      const options = name === "metric" ? state.vocab.metrics : state.vocab.qualifiers;
      for (const option of options) input.append(el("option", { value: option }, option));
    } else {
      input = el("input", { name, placeholder: name === "period" ? "YYYY, YYYY-Qn, YYYY-MM..." : "" });
      const list = { entity: "entities", market: "markets", unit: "units" }[name];
      if (list) input.setAttribute("list", list);
    }
    const value = values[name] === null || values[name] === undefined ? "" : String(values[name]);
    input.value = value;
    input.dataset.original = value;
    container.append(el("label", {}, name + " ", input));
  }
}

function showFix(i) {
  select(i);
  const f = state.figures[i];
  hideForms();
  $("#fix-quote").textContent = `“${f.quote}”`;
  fieldInputs($("#fix-fields"), f);
  $("#fix-note").value = "";
  $("#fix-form").hidden = false;
  $("#fix-form").dataset.fact = f.fact_id;
  $("#fix-fields input, #fix-fields select").focus();
}

function selectionInBody() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  const body = $("#article-body");
  if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.setStart(body, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const raw = range.toString();
  const quote = raw.trim();
  if (!quote) return null;
  const lead = Array.from(raw).length - Array.from(raw.trimStart()).length;
  return { quote, start: Array.from(before.toString()).length + lead };
}

function showAdd(selection) {
  hideForms();
  $("#add-quote").textContent = selection.quote;
  $("#add-form").dataset.quote = selection.quote;
  $("#add-form").dataset.start = String(selection.start);
  fieldInputs($("#add-fields"), { qualifier: "actual", metric: "gmv" });
  $("#add-note").value = "";
  $("#add-form").hidden = false;
  $("#add-fields select").focus();
}

function hideForms() {
  $("#fix-form").hidden = true;
  $("#add-form").hidden = true;
}

function changedFields(container) {
  const fields = {};
  for (const input of container.querySelectorAll("input, select")) {
    if (input.value.trim() !== input.dataset.original) fields[input.name] = input.value.trim();
  }
  return fields;
}

async function post(payload) {
  const response = await fetch("/api/decisions", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Chuhai-Review": "1" },
    body: JSON.stringify(payload),
  });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

async function decide(action, figure, fields = {}, note = "") {
  try {
    say(`${action}…`);
    await post({ action, fact_id: figure.fact_id, fields, note });
    say(`${{ confirm: "confirmed", reject: "rejected", fix: "fixed" }[action]} “${figure.quote}”`);
    await refresh();
  } catch (error) {
    say(error.message, true);
  }
}

async function refresh() {
  await loadArticles();
  await openArticle(true);
}

async function submitFix(event) {
  event.preventDefault();
  const figure = state.figures.find((f) => f.fact_id === $("#fix-form").dataset.fact);
  const fields = changedFields($("#fix-fields"));
  if (!Object.keys(fields).length) return say("nothing changed", true);
  await decide("fix", figure, fields, $("#fix-note").value);
}

async function submitAdd(event) {
  event.preventDefault();
  const form = $("#add-form");
  const fields = {};
  for (const input of $("#add-fields").querySelectorAll("input, select")) {
    if (input.value.trim() !== "") fields[input.name] = input.value.trim();
  }
  try {
    say("adding…");
    await post({ action: "add", url: state.article.url, quote: form.dataset.quote, start: Number(form.dataset.start),
                 fields, note: $("#add-note").value });
    say(`added “${form.dataset.quote}”`);
    await refresh();
  } catch (error) {
    say(error.message, true);
  }
}

function moveArticle(step) {
  const index = state.articles.findIndex((a) => a.article_id === currentId());
  const next = state.articles[index + step];
  if (next) location.hash = "#a=" + encodeURIComponent(next.article_id);
}

function moveFigure(step) {
  if (!state.figures.length) return;
  const n = state.figures.length;
  let i = state.selected;
  for (let tries = 0; tries < n; tries++) {  // skip the figures the filters leave out
    i = (i + step + n) % n;
    if (state.figures[i].wanted) return select(i);
  }
  select((state.selected + step + n) % n);
}

function onKey(event) {
  const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName);
  if (event.key === "Escape") { hideForms(); document.activeElement?.blur(); return; }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  const figure = state.figures[state.selected];
  const actions = {
    j: () => moveFigure(1), ArrowDown: () => moveFigure(1), k: () => moveFigure(-1), ArrowUp: () => moveFigure(-1),
    n: () => moveArticle(1), p: () => moveArticle(-1),
    c: () => figure && decide("confirm", figure), x: () => figure && decide("reject", figure),
    e: () => figure && showFix(state.selected),
    a: () => { const s = selectionInBody(); s ? showAdd(s) : say("select the figure's text in the article first", true); },
    "/": () => $("#f-entity").focus(),
  };
  if (actions[event.key]) { event.preventDefault(); actions[event.key](); }
}

async function onFilters() {
  const query = filterQuery().toString();
  history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  await loadArticles();
  if (state.articles.length && !state.articles.some((a) => a.article_id === currentId())) {
    location.hash = "#a=" + encodeURIComponent(state.articles[0].article_id);
  } else {
    await openArticle();
  }
}

async function main() {
  restoreFilters();
  await loadVocabulary();
  restoreFilters();  // the metric options exist now
  await loadArticles();
  await openArticle();
  window.addEventListener("hashchange", () => openArticle().catch((e) => say(e.message, true)));
  document.addEventListener("keydown", onKey);
  $("#filters").addEventListener("change", () => onFilters().catch((e) => say(e.message, true)));
  $("#filters").addEventListener("submit", (event) => { event.preventDefault(); onFilters(); });
  $("#fix-form").addEventListener("submit", submitFix);
  $("#add-form").addEventListener("submit", submitAdd);
  $("#fix-cancel").addEventListener("click", hideForms);
  $("#add-cancel").addEventListener("click", hideForms);
  $("#article-body").addEventListener("mouseup", () => {
    const s = selectionInBody();
    if (s) { $("#status").textContent = `press a to add “${s.quote}” as a figure`; $("#status").className = "ok"; }
  });
  document.body.dataset.ready = "true";
}

main().catch((error) => say(error.message, true));
