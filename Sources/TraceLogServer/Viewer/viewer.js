// TraceLog web viewer: lists traces with the CLI's filters and shows one trace's causation tree and a
// timeline (waterfall) of its executions' attempts, coloured by outcome. No dependencies, no external CDN.
"use strict";

const state = { offset: 0, total: 0, limit: 50, trace: null, componentOffset: 0 };
// A trace is shown this many components at a time; its timeline only when it has no more than that.
const componentPage = 500;
const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function setStatus(text) { $("status").textContent = text || ""; }

// Fetches JSON from the API, sending the bearer token kept in this tab's session storage (if any).
async function api(path) {
  const headers = {};
  const token = sessionStorage.getItem("tracelog-token");
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch(path, { headers });
  if (response.status === 401) {
    $("token-panel").classList.remove("hidden");
    throw new Error("a bearer token is required");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || response.status + " " + response.statusText);
  return { body, headers: response.headers };
}

// Microseconds since the epoch from RFC 3339 with up to six fractional digits.
function micros(text) {
  const match = /^(.{19})(?:\.(\d{1,6}))?(.*)$/.exec(text);
  if (!match) return NaN;
  const fraction = (match[2] || "").padEnd(6, "0");
  return Date.parse(match[1] + (match[3] || "Z")) * 1000 + Number(fraction);
}

function outcome(failure, status) {
  if (failure === "RECOVERABLE") return "recoverable";
  if (failure === "TERMINAL") return "terminal";
  if (failure === "AMBIGUOUS") return "ambiguous";
  if (status && /^(failed|timeout|abandoned)$/.test(status)) return "terminal";
  if (status && /^(running|scheduled|requested|pending|delayed)$/.test(status)) return "pending";
  return "success";
}

// ---- trace list ------------------------------------------------------------------------------------------

function filterQuery() {
  const params = new URLSearchParams();
  for (const input of $("filters").elements) {
    if (input.name && input.value.trim() !== "") params.set(input.name, input.value.trim());
  }
  state.limit = Number(params.get("limit") || 50);
  if (state.offset > 0) params.set("offset", String(state.offset));
  return params;
}

async function showList() {
  $("trace-view").classList.add("hidden");
  $("list-view").classList.remove("hidden");
  setStatus("loading traces…");
  try {
    const { body, headers } = await api("/v1/traces?" + filterQuery().toString());
    state.total = Number(headers.get("X-Total-Count") || body.total);
    renderTraceRows(body.traces);
    setStatus("");
  } catch (error) {
    setStatus(error.message);
  }
}

function renderTraceRows(traces) {
  const rows = $("trace-rows");
  rows.replaceChildren();
  for (const trace of traces) {
    const row = el("tr");
    const idCell = el("td", "mono");
    const link = el("a", null, trace.id);
    link.href = "#/trace/" + trace.id;
    idCell.append(link);
    row.append(idCell, el("td", null, trace.tag), el("td", "mono", trace.start_time),
      el("td", null, String(trace.components.length)));
    rows.append(row);
  }
  if (traces.length === 0) {
    const row = el("tr");
    const cell = el("td", "empty", "no trace matches");
    cell.colSpan = 4;
    row.append(cell);
    rows.append(row);
  }
  const first = traces.length ? state.offset + 1 : 0;
  $("list-summary").textContent = `${first}–${state.offset + traces.length} of ${state.total} traces`;
  $("previous-page").disabled = state.offset === 0;
  $("next-page").disabled = state.limit < 0 || state.offset + traces.length >= state.total;
}

// ---- one trace -------------------------------------------------------------------------------------------

async function showTrace(id) {
  $("list-view").classList.add("hidden");
  $("trace-view").classList.remove("hidden");
  setStatus("loading trace…");
  if (state.trace !== id) { state.trace = id; state.componentOffset = 0; }
  const path = "/v1/traces/" + encodeURIComponent(id);
  const query = `?limit=${componentPage}&offset=${state.componentOffset}` +
    ($("hide-noop").checked ? "&hide_noop_triggers=true" : "");
  try {
    // Big traces are paged and summarized, never loaded whole; the timeline needs every attempt, so it is
    // drawn only for traces that fit one page.
    const summary = (await api(path + "?summary=true")).body;
    const small = summary.total <= componentPage;
    const [trace, run] = await Promise.all([
      api(path + query), small ? api("/v1/runs/" + encodeURIComponent(id)) : Promise.resolve(null)]);
    renderTrace(trace.body, run ? run.body : { attempts: [] }, summary, small);
    const shown = trace.body.components.length;
    const total = trace.body.total;
    $("component-summary").textContent = shown === total ? "" :
      `components ${shown ? state.componentOffset + 1 : 0}–${state.componentOffset + shown} of ${total}`;
    $("previous-components").disabled = state.componentOffset === 0;
    $("next-components").disabled = state.componentOffset + shown >= total;
    setStatus("");
  } catch (error) {
    $("trace-title").textContent = id;
    setStatus(error.message);
  }
}

function renderTrace(trace, run, summary, small) {
  $("trace-title").textContent = trace.id;
  const executions = new Map();
  for (const attempt of mergeAttempts(run.attempts)) {
    const previous = executions.get(attempt.execution_id);
    executions.set(attempt.execution_id, { ...attempt, count: (previous ? previous.count : 0) + 1 });
  }
  const counts = summary.by_type;
  $("trace-meta").textContent = `tag ${trace.tag} · started ${trace.start_time} · ${counts.trigger_instance} trigger ` +
    `instances, ${counts.rule} rule enforcements, ${counts.execution} executions` +
    (small ? `, ${mergeAttempts(run.attempts).length} attempts` : ` · ${summary.records} records`);
  renderTree(trace.components, executions);
  if (small) renderWaterfall(run.attempts);
  else $("waterfall").replaceChildren(el("p", "empty", `the timeline is drawn for traces of up to ${componentPage} ` +
    `components; this one has ${summary.total}`));
}

function key(type, id) { return type + ":" + id; }

// The causation tree: each component under its cause. Causes can form a cycle (a causation link may name an
// effect as the cause of its own cause), and a component in or below a cycle has no root above it; after the
// trees of the roots, each component not shown yet starts a tree of its own (the earliest first), marked as
// entering a cycle, and the link that closes the cycle is shown as a "cycle" leaf pointing back. Every component
// appears exactly once.
function renderTree(components, lastAttempts) {
  const byKey = new Map(components.map((c) => [key(c.type, c.id), c]));
  const children = new Map();
  const roots = [];
  for (const component of components) {
    const cause = component.caused_by && key(component.caused_by.type, component.caused_by.id);
    if (cause && byKey.has(cause)) {
      if (!children.has(cause)) children.set(cause, []);
      children.get(cause).push(component);
    } else {
      roots.push(component);
    }
  }
  const describe = (component) => {
    const node = el("span", "node");
    node.append(el("span", "kind " + component.type, component.type.replace("_", " ")));
    const last = component.type === "execution" ? lastAttempts.get(component.id) : undefined;
    if (component.type === "execution") {
      const dot = el("span", "dot " + outcome(last && last.failure, last && last.status));
      dot.title = last ? (last.failure || last.status || "succeeded") : "no attempt recorded";
      node.append(dot);
    }
    node.append(el("span", "ref", component.ref));
    if (last && last.count > 1) node.append(el("span", "attempts", `×${last.count} attempts`));
    node.append(el("span", "id mono", "…" + component.id.slice(-8)));
    node.title = `${component.type} ${component.id} at ${component.time}`;
    return node;
  };
  const shown = new Set();
  // `path` holds the components above the list being built: a child on it closes a cycle.
  const build = (list, path, entersCycle) => {
    const ul = el("ul", "tree");
    for (const component of list) {
      const componentKey = key(component.type, component.id);
      const li = el("li");
      if (path.has(componentKey)) {
        li.className = "cycle-back";
        const back = el("span", "node cycle");
        back.append(el("span", "cycle-mark", "↻ cycle"),
          el("span", null, `back to ${component.type.replace("_", " ")} ${component.ref}`),
          el("span", "id mono", "…" + component.id.slice(-8)));
        back.title = `${component.type} ${component.id} is caused, through this chain, by itself`;
        li.append(back);
        ul.append(li);
        continue;
      }
      shown.add(componentKey);
      const node = describe(component);
      if (entersCycle) {
        li.className = "cycle-entry";
        node.prepend(el("span", "cycle-mark", "↻ in a cycle"));
      }
      li.append(node);
      const below = children.get(componentKey);
      if (below) {
        path.add(componentKey);
        li.append(build(below, path, false));
        path.delete(componentKey);
      }
      ul.append(li);
    }
    return ul;
  };
  if (components.length === 0) {
    $("causation-tree").replaceChildren(el("p", "empty", "no components"));
    return;
  }
  const tree = build(roots, new Set(), false);
  for (const component of components) {
    if (shown.has(key(component.type, component.id))) continue;
    tree.append(...build([component], new Set(), true).children);
  }
  $("causation-tree").replaceChildren(tree);
}

// One bar per (execution, attempt): an attempt may be recorded several times (status changes); it starts at
// its first record and its duration, failure and status are those of its last record that has them.
function mergeAttempts(records) {
  const byKey = new Map();
  for (const record of records) {
    const id = record.execution_id + "#" + record.attempt;
    const merged = byKey.get(id);
    if (!merged) {
      byKey.set(id, { ...record });
      continue;
    }
    if (record.duration_ms !== null) merged.duration_ms = record.duration_ms;
    if (record.status !== null) merged.status = record.status;
    merged.failure = record.failure;
    merged.failure_message = record.failure_message;
  }
  return [...byKey.values()];
}

function renderWaterfall(records) {
  const container = $("waterfall");
  const attempts = mergeAttempts(records);
  if (attempts.length === 0) {
    container.replaceChildren(el("p", "empty", "no execution attempts in this trace"));
    return;
  }
  const spans = attempts.map((a) => {
    const start = micros(a.time);
    return { attempt: a, start, end: start + Math.max(0, (a.duration_ms || 0) * 1000) };
  });
  spans.sort((x, y) => x.start - y.start);
  const t0 = Math.min(...spans.map((s) => s.start));
  const t1 = Math.max(...spans.map((s) => s.end), t0 + 1);
  const width = t1 - t0;
  const grid = el("div", "waterfall");
  for (const span of spans) {
    const a = span.attempt;
    const label = el("div", "label mono", `${a.node_id} #${a.attempt}`);
    label.title = `${a.execution_id} · ${a.time} · ${a.duration_ms ?? "?"} ms` +
      (a.failure ? ` · ${a.failure}: ${a.failure_message || ""}` : "");
    const lane = el("div", "lane");
    const bar = el("div", "bar " + outcome(a.failure, a.status));
    bar.style.left = ((span.start - t0) / width * 100).toFixed(3) + "%";
    bar.style.width = ((span.end - span.start) / width * 100).toFixed(3) + "%";
    bar.title = label.title;
    lane.append(bar);
    grid.append(label, lane);
  }
  const axis = el("div", "axis");
  for (let step = 0; step <= 4; step += 1) axis.append(el("span", null, formatDuration(width * step / 4)));
  grid.append(el("div"), axis);
  container.replaceChildren(grid);
}

function formatDuration(microseconds) {
  if (microseconds >= 1e6) return (microseconds / 1e6).toFixed(2) + " s";
  return (microseconds / 1000).toFixed(microseconds >= 1e4 ? 0 : 1) + " ms";
}

// ---- routing ---------------------------------------------------------------------------------------------

function route() {
  if (location.hash.startsWith("#/compare")) return;  // compare.js shows the compare page
  const match = /^#\/trace\/([0-9a-f]{32})/.exec(location.hash);
  if (match) showTrace(match[1]); else showList();
}

document.addEventListener("DOMContentLoaded", () => {
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    state.offset = 0;
    if (location.hash !== "#/" && location.hash !== "") location.hash = "#/"; else showList();
  });
  $("previous-page").addEventListener("click", () => { state.offset = Math.max(0, state.offset - state.limit); showList(); });
  $("next-page").addEventListener("click", () => { state.offset += state.limit; showList(); });
  $("hide-noop").addEventListener("change", () => { state.componentOffset = 0; route(); });
  $("previous-components").addEventListener("click", () => {
    state.componentOffset = Math.max(0, state.componentOffset - componentPage); route();
  });
  $("next-components").addEventListener("click", () => { state.componentOffset += componentPage; route(); });
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("tracelog-token", $("token-input").value);
    $("token-panel").classList.add("hidden");
    route();
  });
  window.addEventListener("hashchange", route);
  route();
});
