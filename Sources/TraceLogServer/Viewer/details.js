// TraceLog web viewer: the details panel of a trace page, opened by clicking a row (the URL keeps it:
// #/trace/ID?node=TYPE:ID). It shows ids, type, ref, status and outcome; every attempt with its duration,
// failure and message, its input and output as formatted JSON; a trigger instance's payload; the causation
// chain up to the origin and the effects downstream, each a link to its own details.
"use strict";

TL.selectFromURL = function () {
  const node = TL.hashQuery().get("node");
  if (!node || !TL.trace) { TL.closeDetails(); return; }
  const colon = node.indexOf(":");
  TL.openDetails(node.slice(0, colon), node.slice(colon + 1));
};

TL.closeDetails = function () {
  TL.$("details").classList.add("hidden");
  TL.$("trace-layout").classList.remove("with-details");
  for (const row of document.querySelectorAll(".row.selected")) row.classList.remove("selected");
};

function definitionList(pairs) {
  const list = TL.el("dl", "fields");
  for (const [name, value, className] of pairs) {
    if (value === null || value === undefined || value === "") continue;
    list.append(TL.el("dt", null, name), TL.el("dd", className || null, String(value)));
  }
  return list;
}

function jsonBlock(title, value, className) {
  const block = TL.el("div", "json-block " + (className || ""));
  block.append(TL.el("h4", null, title), TL.el("pre", "json", TL.prettyJSON(value)));
  return block;
}

// A list of components, each a link that opens its details.
function componentLinks(components, emptyText, limit) {
  const list = TL.el("ol", "component-links");
  for (const component of components.slice(0, limit)) {
    const item = TL.el("li");
    const link = TL.el("a", null, component.ref || component.id);
    const query = TL.hashQuery();
    query.set("node", TL.componentKey(component.type, component.id));
    link.href = `#/trace/${TL.trace.id}?` + query.toString();
    item.append(TL.el("span", "kind " + component.type, TL.kindName(component.type)), link,
      TL.el("span", "id mono", TL.shortID(component.id)));
    if (component.outcome) item.append(TL.el("span", "badge outcome-" + TL.outcomeClass(component.outcome), component.outcome));
    list.append(item);
  }
  if (components.length > limit) list.append(TL.el("li", "muted", `and ${components.length - limit} more`));
  if (components.length === 0) list.append(TL.el("li", "empty", emptyText));
  return list;
}

TL.openDetails = async function (type, id) {
  const trace = TL.trace;
  const key = TL.componentKey(type, id);
  for (const row of document.querySelectorAll(".row.selected")) row.classList.remove("selected");
  const node = trace.byKey.get(key);
  if (node) {
    node.row.classList.add("selected");
    node.row.scrollIntoView({ block: "nearest" });
  }
  const panel = TL.$("details");
  const content = TL.$("details-content");
  panel.classList.remove("hidden");
  TL.$("trace-layout").classList.add("with-details");
  panel.dataset.key = key;
  content.replaceChildren(TL.el("p", "muted", "loading…"));
  let details;
  try {
    const query = new URLSearchParams({ type, id });
    details = (await TL.api(`/v1/traces/${trace.id}/component?` + query.toString())).body;
  } catch (error) {
    content.replaceChildren(TL.el("p", "state error", `Could not load ${TL.kindName(type)} ${id} of this trace: ${error.message}`));
    return;
  }
  if (panel.dataset.key !== key) return;  // another row was clicked meanwhile
  content.replaceChildren(...TL.detailsSections(details));
};

TL.detailsSections = function (details) {
  const c = details.component;
  const sections = [];
  const title = TL.el("h2", "details-title");
  title.append(TL.el("span", "kind " + c.type, TL.kindName(c.type)), TL.el("span", null, " " + c.ref));
  if (c.outcome) title.append(TL.el("span", "badge outcome-" + TL.outcomeClass(c.outcome), c.outcome));
  sections.push(title);
  const started = TL.micros(c.time) - TL.trace.t0;
  sections.push(definitionList([
    ["id", c.id, "mono"], ["type", c.type], ["ref", c.ref], ["rule id", c.rule_id, "mono"],
    ["trace", details.trace_id, "mono"], ["time", `${c.time} (+${TL.duration(started)})`],
    ["seq", c.seq], ["caused by", c.caused_by ? `${c.caused_by.type} ${c.caused_by.id}` : "nothing (an origin)"],
    ["status", c.status], ["outcome", c.outcome],
  ]));
  if (details.rule_enforcement) {
    const rule = details.rule_enforcement;
    sections.push(definitionList([["rule", `${rule.rule_ref} (${rule.rule_id})`], ["matched trigger instance", rule.trigger_instance, "mono"],
      ["started execution", rule.execution, "mono"]]));
  }
  if (details.trigger_instance) {
    const trigger = details.trigger_instance;
    sections.push(definitionList([["trigger", trigger.trigger], ["source", trigger.source], ["hook", trigger.hook], ["timer", trigger.timer]]));
    sections.push(jsonBlock("payload", trigger.payload, "payload"));
  }
  if (details.attempts.length) {
    const heading = TL.el("h3", null, details.attempts.length === 1 ? "1 attempt" : `${details.attempts.length} attempts`);
    const list = TL.el("div", "attempt-list");
    for (const attempt of details.attempts) {
      const box = TL.el("section", "attempt outcome-border-" + TL.outcomeClass(attempt.failure || attempt.status || "succeeded"));
      box.dataset.attempt = String(attempt.attempt);
      const head = TL.el("div", "attempt-head");
      head.append(TL.el("strong", null, `attempt ${attempt.attempt}`),
        TL.el("span", "duration", attempt.duration_ms === null ? "no duration" : TL.duration(attempt.duration_ms * 1000)),
        TL.el("span", "badge outcome-" + TL.outcomeClass(attempt.failure || attempt.status || "succeeded"), attempt.failure || attempt.status || "succeeded"));
      box.append(head, definitionList([["started", attempt.time], ["seq", attempt.seq], ["run id", attempt.run_id, "mono"],
        ["records", attempt.records]]));
      if (attempt.failure || attempt.failure_message) {
        box.append(TL.el("p", "failure-message", `${attempt.failure || "failed"}: ${attempt.failure_message || "(no message)"}`));
      }
      if (attempt.input !== null) box.append(jsonBlock("input", attempt.input, "input"));
      if (attempt.output !== null) box.append(jsonBlock("output", attempt.output, "output"));
      list.append(box);
    }
    sections.push(heading, list);
  }
  if (details.flow_events.length) {
    sections.push(TL.el("h3", null, `${details.flow_events.length} flow events`));
    const list = TL.el("ol", "flow-event-list");
    for (const event of details.flow_events) list.append(TL.el("li", null, `${event.time}  ${event.event}`));
    sections.push(list);
  }
  const up = TL.el("section", "chain-up");
  up.append(TL.el("h3", null, "Causation chain (up to the origin)"), componentLinks(details.chain, "nothing: this is an origin", 200));
  const down = TL.el("section", "effects-down");
  down.append(TL.el("h3", null, "Effects (everything downstream)"), componentLinks(details.effects, "nothing downstream", 100));
  sections.push(up, down);
  return sections;
};

TL.initDetails = function () {
  TL.$("details-close").addEventListener("click", () => TL.setTraceParameter("node", null));
};
