// TraceLog web viewer: Selinon's flow events on a trace page. One lane per flow or task (dispatcher or task id)
// with a mark per event on the trace's time axis (it follows the waterfall's zoom and pan), and the events in a
// list below; clicking an event in the list shows its details object.
"use strict";

TL.flow = null;  // { events, lanes }

TL.hideFlowEvents = function () {
  TL.flow = null;
  TL.$("flow-panel").classList.add("hidden");
};

TL.flowEventClass = function (name) {
  if (/FAILURE|ERROR/.test(name)) return "terminal";
  if (/RETRY/.test(name)) return "recoverable";
  if (/_END$|SUCCESS/.test(name)) return "success";
  if (/START|SCHEDULE|WAKEUP/.test(name)) return "start";
  return "other";
};

TL.loadFlowEvents = async function (id) {
  const panel = TL.$("flow-panel");
  panel.classList.remove("hidden");
  const container = TL.$("flow-timeline");
  container.replaceChildren(TL.el("p", "muted", "loading flow events…"));
  let body;
  try {
    body = (await TL.api(`/v1/traces/${id}/flow-events`)).body;
  } catch (error) {
    container.replaceChildren(TL.el("p", "state error", "Could not load the flow events of this trace: " + error.message));
    return;
  }
  if (!TL.trace || TL.trace.id !== id) return;
  const names = new Map(TL.trace.body.components.map((c) => [c.id, c.ref]));
  const lanes = new Map();
  for (const event of body.events) {
    event.micros = TL.micros(event.time);
    const lane = event.entity_id || "(no entity)";
    if (!lanes.has(lane)) lanes.set(lane, []);
    lanes.get(lane).push(event);
  }
  // The flow-event times widen the trace's axis if they fall outside it.
  for (const event of body.events) {
    TL.trace.t0 = Math.min(TL.trace.t0, event.micros);
    TL.trace.t1 = Math.max(TL.trace.t1, event.micros);
  }
  // Selinon records no durations: an attempt without one lasts until the next flow event about its task or flow
  // (the next attempt's start, or TASK_END, FLOW_END…), so its bar spans what the flow events show.
  for (const node of TL.trace.nodes) {
    const events = lanes.get(node.component.id);
    if (!events || node.cycleBack) continue;
    node.segments.forEach((segment, i) => {
      if (segment.attempt.duration_ms !== null && segment.attempt.duration_ms !== undefined) return;
      const limit = node.segments[i + 1] ? node.segments[i + 1].start : Infinity;
      const later = events.filter((e) => e.micros >= segment.start && e.micros <= limit).map((e) => e.micros);
      if (later.length) segment.end = Math.max(segment.end, ...later);
    });
    node.end = Math.max(node.start, ...node.segments.map((s) => s.end));
  }
  TL.flow = { events: body.events, lanes };
  const grid = TL.el("div", "flow-lanes");
  for (const [entity, events] of lanes) {
    const row = TL.el("div", "flow-row");
    const label = TL.el("div", "row-label");
    label.append(TL.el("span", "ref", names.get(entity) || entity), TL.el("span", "id mono", TL.shortID(entity)));
    const lane = TL.el("div", "row-lane");
    for (const event of events) {
      const mark = TL.el("div", "flow-mark flow-" + TL.flowEventClass(event.event));
      mark.title = `${event.event} at ${event.time}`;
      mark.dataset.seq = String(event.seq);
      event.mark = mark;
      lane.append(mark);
    }
    row.append(label, lane);
    grid.append(row);
  }
  const table = TL.el("table", "flow-table");
  const head = TL.el("tr");
  for (const name of ["time", "event", "flow or task", "host"]) head.append(TL.el("th", null, name));
  table.append(head);
  for (const event of body.events) {
    const row = TL.el("tr", "flow-event");
    row.dataset.seq = String(event.seq);
    row.append(TL.el("td", "mono offset"), TL.el("td", "event flow-text-" + TL.flowEventClass(event.event), event.event),
      TL.el("td", null, names.get(event.entity_id) || event.entity_id || ""), TL.el("td", null, event.node || ""));
    event.offsetCell = row.firstChild;
    row.addEventListener("click", () => {
      const open = row.nextSibling && row.nextSibling.classList.contains("flow-details");
      if (open) { row.nextSibling.remove(); return; }
      const details = TL.el("tr", "flow-details");
      const cell = TL.el("td");
      cell.colSpan = 4;
      cell.append(TL.el("pre", "json", TL.prettyJSON(event.details)));
      details.append(cell);
      row.after(details);
    });
    table.append(row);
  }
  const summary = TL.el("p", "muted", `${body.events.length} flow events, ${lanes.size} flows and tasks`);
  container.replaceChildren(summary, grid, table);
  TL.resetView();
};

// Places the flow-event marks for the trace's current view (called by timeline.js).
TL.layoutFlowEvents = function () {
  if (!TL.flow || !TL.trace || !TL.trace.view) return;
  const { from, to } = TL.trace.view;
  const { t0, unit, step } = TL.trace;
  for (const event of TL.flow.events) {
    event.mark.style.left = ((event.micros - t0 - from) / (to - from) * 100).toFixed(4) + "%";
    event.offsetCell.textContent = "+" + TL.inUnit(event.micros - t0, unit, step / 10);
  }
};
