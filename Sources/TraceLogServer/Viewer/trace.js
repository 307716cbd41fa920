// TraceLog web viewer: one trace as a waterfall, as Jaeger draws one: each row a component under its cause (the
// causation tree, on the left) with its bar on one time axis (on the right), so tree and bars line up. Subtrees
// collapse and expand; indentation stops growing at TL.indentCap levels and a depth mark says how deep a row is.
// Traces with more than TL.pageSize components are read a page at a time (limit/offset on GET /v1/traces/{id}).
// The time axis, zoom, pan and minimap are in timeline.js; clicking a row opens details.js's panel.
"use strict";

TL.pageSize = 2000;
TL.indentCap = 10;
TL.indentPixels = 12;

TL.trace = null;  // the trace shown: { id, body, nodes, byKey, collapsed, t0, t1, view, offset, hideNoop }

TL.showTrace = async function (id) {
  TL.showOnly("trace-view");
  const query = TL.hashQuery();
  const offset = Math.max(0, Number(query.get("offset") || 0));
  const hideNoop = query.get("hide_noop") === "true";
  const current = TL.trace;
  if (current && current.id === id && current.offset === offset && current.hideNoop === hideNoop) {
    TL.selectFromURL();
    return;
  }
  TL.closeDetails();
  if (!/^[0-9a-f]{32}$/.test(id)) {
    TL.traceMessage("invalid", `“${id}” is not a trace id`, "A trace id is 32 lowercase hexadecimal characters.");
    return;
  }
  TL.setStatus("loading trace…");
  let body;
  try {
    const path = `/v1/traces/${id}?limit=${TL.pageSize}&offset=${offset}` + (hideNoop ? "&hide_noop_triggers=true" : "");
    body = (await TL.api(path)).body;
  } catch (error) {
    TL.setStatus("");
    if (error.status === 404) {
      TL.traceMessage("not-found", `Trace ${id} not found`,
        "No trace with this id is in the log: the id may be mistyped, or retention may have deleted the trace.");
    } else {
      TL.traceMessage("error", `Could not load trace ${id}`, error.message);
    }
    return;
  }
  TL.setStatus("");
  TL.trace = { id, body, offset, hideNoop, collapsed: new Set(), selected: null };
  TL.renderTrace();
  TL.selectFromURL();
  if (body.engine === "selinon") TL.loadFlowEvents(id); else TL.hideFlowEvents();
};

// A trace page with only a message: not found, not an id, or an error.
TL.traceMessage = function (kind, title, detail) {
  TL.trace = null;
  TL.$("trace-body").classList.add("hidden");
  TL.$("trace-head").classList.add("hidden");
  const box = TL.$("trace-message");
  box.className = "state " + kind;
  const back = TL.el("a", null, "← all traces");
  back.href = "#/";
  box.replaceChildren(TL.el("h1", null, title), TL.el("p", null, detail), back);
};

TL.renderTrace = function () {
  const { body } = TL.trace;
  TL.$("trace-message").className = "state hidden";
  TL.$("trace-head").classList.remove("hidden");
  TL.$("trace-body").classList.remove("hidden");
  TL.$("trace-title").textContent = body.id;
  const view = TL.$("trace-view");
  view.dataset.engine = body.engine;
  for (const node of view.querySelectorAll(".stackstorm-only")) node.classList.toggle("hidden", body.engine !== "stackstorm");
  TL.$("hide-noop").checked = TL.trace.hideNoop;
  const outcome = TL.$("trace-outcome");
  outcome.className = "badge outcome-" + TL.outcomeClass(body.outcome);
  outcome.textContent = body.outcome;
  TL.$("trace-engine").textContent = body.engine;
  const counts = { trigger_instance: 0, rule: 0, execution: 0 };
  let attempts = 0;
  for (const component of body.components) {
    counts[component.type] += 1;
    attempts += (component.attempts || []).length;
  }
  const parts = [`tag ${body.tag}`, `started ${body.start_time}`];
  if (counts.trigger_instance || counts.rule) parts.push(`${counts.trigger_instance} trigger instances`, `${counts.rule} rule enforcements`);
  parts.push(`${counts.execution} executions`, `${attempts} attempts`);
  if (body.failed_executions) parts.push(`${body.failed_executions} failed`);
  TL.$("trace-meta").textContent = parts.join(" · ");
  TL.buildModel();
  TL.renderRows();
  TL.renderComponentPager();
  TL.resetView();
};

function componentKey(type, id) { return type + ":" + id; }
TL.componentKey = componentKey;

// The rows: each component under its cause, depth first in time order. Causes can form a cycle (a causation
// link may name an effect as the cause of its own cause): after the trees of the roots, each component not shown
// yet starts a tree of its own, marked as entering a cycle, and the link that closes a cycle is a "cycle" row
// pointing back. Every component appears exactly once.
TL.buildModel = function () {
  const trace = TL.trace;
  const components = trace.body.components;
  const byKey = new Map(components.map((c) => [componentKey(c.type, c.id), c]));
  const children = new Map();
  const roots = [];
  for (const component of components) {
    const cause = component.caused_by && componentKey(component.caused_by.type, component.caused_by.id);
    if (cause && byKey.has(cause)) {
      if (!children.has(cause)) children.set(cause, []);
      children.get(cause).push(component);
    } else {
      roots.push(component);
    }
  }
  const nodes = [];
  const shown = new Set();
  const path = new Set();
  // Iterative depth-first walk, so a cascade thousands deep does not overflow the stack.
  const walk = (start, entersCycle) => {
    const stack = [{ component: start, depth: 0, entersCycle, leave: false }];
    while (stack.length) {
      const item = stack.pop();
      const key = componentKey(item.component.type, item.component.id);
      if (item.leave) { path.delete(key); continue; }
      if (path.has(key) || shown.has(key)) {
        nodes.push({ key: key + "#back" + nodes.length, component: item.component, depth: item.depth, cycleBack: true, children: 0 });
        continue;
      }
      shown.add(key);
      const node = { key, component: item.component, depth: item.depth, cycleEntry: item.entersCycle, children: 0 };
      nodes.push(node);
      const below = children.get(key) || [];
      node.children = below.length;
      path.add(key);
      stack.push({ component: item.component, leave: true });
      for (let i = below.length - 1; i >= 0; i -= 1) stack.push({ component: below[i], depth: item.depth + 1, entersCycle: false, leave: false });
    }
  };
  for (const root of roots) walk(root, false);
  for (const component of components) if (!shown.has(componentKey(component.type, component.id))) walk(component, true);
  trace.nodes = nodes;
  trace.byKey = new Map(nodes.filter((n) => !n.cycleBack).map((n) => [n.key, n]));
  // Times: a component starts at its time; an execution ends when its last attempt does.
  let t0 = Infinity, t1 = -Infinity;
  for (const node of nodes) {
    const c = node.component;
    node.start = TL.micros(c.time);
    node.segments = [];
    const attempts = c.attempts || [];
    attempts.forEach((a, i) => {
      const start = TL.micros(a.time);
      const next = attempts[i + 1] ? TL.micros(attempts[i + 1].time) : start;
      const end = a.duration_ms !== null && a.duration_ms !== undefined ? start + a.duration_ms * 1000 : Math.max(start, next);
      node.segments.push({ start, end, attempt: a });
    });
    node.end = Math.max(node.start, ...node.segments.map((s) => s.end));
    t0 = Math.min(t0, node.start);
    t1 = Math.max(t1, node.end);
  }
  if (!Number.isFinite(t0)) { t0 = Date.now() * 1000; t1 = t0; }
  trace.t0 = t0;
  trace.t1 = Math.max(t1, t0 + 1000);
};

TL.rowLabel = function (node) {
  const c = node.component;
  const label = TL.el("div", "row-label");
  const depth = Math.min(node.depth, TL.indentCap);
  label.style.paddingLeft = (depth * TL.indentPixels + 4) + "px";
  if (node.children > 0) {
    const toggle = TL.el("button", "toggle", "▾");
    toggle.type = "button";
    toggle.setAttribute("aria-label", "collapse or expand");
    label.append(toggle);
  } else {
    label.append(TL.el("span", "toggle-spacer"));
  }
  if (node.depth > TL.indentCap) {
    const mark = TL.el("span", "depth-mark", "↳" + node.depth);
    mark.title = `depth ${node.depth}: indentation stops at ${TL.indentCap} levels`;
    label.append(mark);
  }
  if (node.cycleBack) {
    label.append(TL.el("span", "cycle-mark", "↻ cycle"), TL.el("span", "ref muted", `back to ${TL.kindName(c.type)} ${c.ref}`),
      TL.el("span", "id mono", TL.shortID(c.id)));
    label.title = `${c.type} ${c.id} is caused, through this chain, by itself`;
    return label;
  }
  if (node.cycleEntry) label.append(TL.el("span", "cycle-mark", "↻ in a cycle"));
  label.append(TL.el("span", "kind " + c.type, c.type === "trigger_instance" ? "trigger" : c.type === "execution" ? "exec" : "rule"));
  if (c.type === "execution") {
    const dot = TL.el("span", "dot outcome-" + TL.outcomeClass(c.outcome));
    dot.title = c.outcome;
    label.append(dot);
  }
  label.append(TL.el("span", "ref", c.ref));
  if ((c.attempts || []).length > 1) label.append(TL.el("span", "attempts", `×${c.attempts.length}`));
  label.append(TL.el("span", "id mono", TL.shortID(c.id)), TL.el("span", "hidden-count"));
  label.title = `${c.type} ${c.id} · ${c.ref} · ${c.time}` + (c.outcome ? ` · ${c.outcome}` : "");
  return label;
};

TL.renderRows = function () {
  const container = TL.$("waterfall-rows");
  const fragment = document.createDocumentFragment();
  for (const node of TL.trace.nodes) {
    const row = TL.el("div", "row" + (node.cycleBack ? " cycle-back" : "") + (node.cycleEntry ? " cycle-entry" : ""));
    row.dataset.key = node.key;
    row.dataset.depth = String(node.depth);
    row.setAttribute("role", "treeitem");
    if (node.children > 0) row.setAttribute("aria-expanded", "true");
    if (node.component.type === "execution" && TL.outcomeClass(node.component.outcome) === "terminal") row.classList.add("failed");
    const lane = TL.el("div", "row-lane");
    if (!node.cycleBack) {
      if (node.segments.length === 0) {
        lane.append(TL.el("div", "mark " + node.component.type));
      }
      for (const segment of node.segments) {
        const bar = TL.el("div", "bar outcome-" + TL.outcomeClass(segment.attempt.failure || segment.attempt.status || "succeeded"));
        bar.title = `attempt ${segment.attempt.attempt}: ${TL.duration(segment.end - segment.start)}` +
          (segment.attempt.failure ? ` · ${segment.attempt.failure}: ${segment.attempt.failure_message || ""}` : "");
        lane.append(bar);
      }
      if (node.segments.length) lane.append(TL.el("span", "bar-label"));
    }
    row.append(TL.rowLabel(node), lane);
    node.row = row;
    fragment.append(row);
  }
  container.replaceChildren(fragment);
  if (TL.trace.nodes.length === 0) container.append(TL.el("p", "empty", "no components in this trace"));
};

// Shows or hides rows below collapsed ones; a collapsed row says how many rows it hides.
TL.applyCollapse = function () {
  const { nodes, collapsed } = TL.trace;
  let hideBelow = Infinity;
  for (let i = 0; i < nodes.length; i += 1) {
    const node = nodes[i];
    if (node.depth <= hideBelow) hideBelow = Infinity;
    const hidden = node.depth > hideBelow;
    node.row.classList.toggle("hidden", hidden);
    const isCollapsed = collapsed.has(node.key);
    node.row.classList.toggle("collapsed", isCollapsed);
    if (node.children > 0) node.row.setAttribute("aria-expanded", String(!isCollapsed));
    const toggle = node.row.querySelector(".toggle");
    if (toggle) toggle.textContent = isCollapsed ? "▸" : "▾";
    const count = node.row.querySelector(".hidden-count");
    if (count) {
      let below = 0;
      if (isCollapsed) for (let j = i + 1; j < nodes.length && nodes[j].depth > node.depth; j += 1) below += 1;
      count.textContent = isCollapsed ? `+${below}` : "";
    }
    if (!hidden && isCollapsed) hideBelow = Math.min(hideBelow, node.depth);
  }
  TL.drawMinimap();
};

TL.toggleRow = function (key) {
  const { collapsed } = TL.trace;
  if (collapsed.has(key)) collapsed.delete(key); else collapsed.add(key);
  TL.applyCollapse();
};

// "components 1–2000 of 5234" with previous/next when the trace has more than one page.
TL.renderComponentPager = function () {
  const { body, offset } = TL.trace;
  const pager = TL.$("component-pager");
  const total = body.total === undefined ? body.components.length : body.total;
  if (total <= body.components.length && offset === 0) { pager.classList.add("hidden"); return; }
  pager.classList.remove("hidden");
  TL.$("component-range").textContent = `components ${offset + 1}–${offset + body.components.length} of ${total}`;
  const go = (newOffset) => {
    const query = TL.hashQuery();
    query.delete("node");
    if (newOffset > 0) query.set("offset", String(newOffset)); else query.delete("offset");
    location.hash = `#/trace/${TL.trace.id}?` + query.toString();
  };
  TL.$("components-previous").disabled = offset === 0;
  TL.$("components-next").disabled = offset + body.components.length >= total;
  TL.$("components-previous").onclick = () => go(Math.max(0, offset - TL.pageSize));
  TL.$("components-next").onclick = () => go(offset + TL.pageSize);
};

// Sets one parameter of the trace page's URL (the selected node, noop triggers hidden).
TL.setTraceParameter = function (name, value) {
  const query = TL.hashQuery();
  if (value === null || value === false) query.delete(name); else query.set(name, String(value));
  const text = query.toString();
  location.hash = `#/trace/${TL.trace.id}` + (text ? "?" + text : "");
};

TL.initTrace = function () {
  TL.$("waterfall-rows").addEventListener("click", (event) => {
    const row = event.target.closest(".row");
    if (!row || !TL.trace) return;
    if (event.target.closest(".toggle")) { TL.toggleRow(row.dataset.key); return; }
    const node = TL.trace.nodes.find((n) => n.key === row.dataset.key);
    if (!node) return;
    TL.setTraceParameter("node", componentKey(node.component.type, node.component.id));
  });
  TL.$("hide-noop").addEventListener("change", (event) => TL.setTraceParameter("hide_noop", event.target.checked));
  TL.$("expand-all").addEventListener("click", () => { TL.trace.collapsed.clear(); TL.applyCollapse(); });
  TL.$("collapse-all").addEventListener("click", () => {
    for (const node of TL.trace.nodes) if (node.children > 0) TL.trace.collapsed.add(node.key);
    TL.applyCollapse();
  });
  TL.initTimeline();
  TL.initDetails();
};
