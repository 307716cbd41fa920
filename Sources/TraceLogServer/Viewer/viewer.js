// TraceLog web viewer: routing and the trace list. Every filter of the list lives in the URL
// (#/?trace_tag=…&failed=true&offset=…), so a view can be shared; trace.js draws one trace, details.js the
// details panel, flow.js Selinon's flow events, compare.js the compare page.
"use strict";

TL.listFields = ["trace_tag", "execution", "rule", "trigger_instance", "since", "until", "limit", "sort", "failed"];

// The list's query from the URL: the filters, and the page (limit, offset).
TL.listQuery = function () {
  const from = TL.hashQuery();
  const query = new URLSearchParams();
  for (const name of [...TL.listFields, "offset"]) {
    const value = from.get(name);
    if (value !== null && value !== "") query.set(name, value);
  }
  return query;
};

// Shows the URL's filters in the form.
TL.fillFilters = function (query) {
  for (const input of TL.$("filters").elements) {
    if (!input.name) continue;
    if (input.type === "checkbox") input.checked = query.get(input.name) === "true";
    else if (input.tagName === "SELECT") input.value = query.get(input.name) || "desc";
    else input.value = query.get(input.name) || (input.name === "limit" ? "50" : "");
  }
};

// The form's filters as a URL query (offset back to 0).
TL.formQuery = function () {
  const query = new URLSearchParams();
  for (const input of TL.$("filters").elements) {
    if (!input.name) continue;
    if (input.type === "checkbox") {
      if (input.checked) query.set(input.name, "true");
    } else if (input.value.trim() !== "" && !(input.name === "limit" && input.value === "50")
      && !(input.name === "sort" && input.value === "desc")) {
      query.set(input.name, input.value.trim());
    }
  }
  return query;
};

TL.showOnly = function (id) {
  for (const view of ["list-view", "trace-view", "compare-view"]) TL.$(view).classList.toggle("hidden", view !== id);
};

TL.showList = async function () {
  TL.showOnly("list-view");
  const query = TL.listQuery();
  TL.fillFilters(query);
  const message = TL.$("list-message");
  message.className = "state hidden";
  TL.setStatus("loading traces…");
  try {
    const { body, headers } = await TL.api("/v1/traces?" + query.toString());
    const total = Number(headers.get("X-Total-Count") || body.total);
    TL.renderTraceRows(body.traces, total, query);
    TL.setStatus("");
  } catch (error) {
    TL.$("trace-rows").replaceChildren();
    TL.$("list-summary").textContent = "";
    message.className = "state error";
    message.textContent = "Could not list traces: " + error.message;
    TL.setStatus("");
  }
};

TL.renderTraceRows = function (traces, total, query) {
  const rows = TL.$("trace-rows");
  rows.replaceChildren();
  for (const trace of traces) {
    const row = TL.el("tr");
    row.dataset.traceId = trace.id;
    const idCell = TL.el("td", "mono");
    const link = TL.el("a", null, trace.id);
    link.href = "#/trace/" + trace.id;
    idCell.append(link);
    const outcome = TL.el("td");
    outcome.append(TL.el("span", "badge outcome-" + TL.outcomeClass(trace.outcome), trace.outcome));
    row.append(idCell, TL.el("td", null, trace.tag), TL.el("td", "engine", trace.engine), outcome,
      TL.el("td", "mono", trace.start_time), TL.el("td", "num", String(trace.components.length)),
      TL.el("td", "num", trace.failed_executions ? String(trace.failed_executions) : ""));
    rows.append(row);
  }
  if (traces.length === 0) {
    const row = TL.el("tr");
    const cell = TL.el("td", "empty", "no trace matches these filters");
    cell.colSpan = 7;
    row.append(cell);
    rows.append(row);
  }
  const offset = Number(query.get("offset") || 0);
  const limit = Number(query.get("limit") || 50);
  const first = traces.length ? offset + 1 : 0;
  TL.$("list-summary").textContent = `${first}–${offset + traces.length} of ${total} traces`;
  const page = (newOffset) => {
    const next = new URLSearchParams(query);
    if (newOffset > 0) next.set("offset", String(newOffset)); else next.delete("offset");
    return "#/?" + next.toString();
  };
  TL.$("previous-page").disabled = offset === 0;
  TL.$("next-page").disabled = limit < 0 || offset + traces.length >= total;
  TL.$("previous-page").onclick = () => { location.hash = page(Math.max(0, offset - limit)); };
  TL.$("next-page").onclick = () => { location.hash = page(offset + limit); };
};

// ---- routing ---------------------------------------------------------------------------------------------

TL.route = function () {
  if (location.hash.startsWith("#/compare")) {
    TL.showOnly("compare-view");
    return;  // compare.js fills the compare page
  }
  const match = /^#\/trace\/([^?]*)/.exec(location.hash);
  if (match) TL.showTrace(decodeURIComponent(match[1])); else TL.showList();
};

document.addEventListener("DOMContentLoaded", () => {
  TL.$("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    const target = "#/?" + TL.formQuery().toString();
    if (location.hash === target) TL.showList(); else location.hash = target;
  });
  TL.$("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("tracelog-token", TL.$("token-input").value);
    TL.$("token-panel").classList.add("hidden");
    TL.route();
  });
  TL.initTrace();
  window.addEventListener("hashchange", TL.route);
  TL.route();
});
