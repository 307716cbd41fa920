// TraceLog web viewer: the compare page (#/compare?baseline=…&candidate=…) and the "compare with…" link of a
// trace page. Self-contained (its own helpers, inside one function scope) so that viewer.js can change freely.
// The table comes from GET /v1/compare (JSON); the charts are the SVG of the server's HTML report
// (GET /v1/compare?format=html), imported after an allowlist check, so the page and the CLI's --html report
// draw the same charts.
"use strict";

(() => {
  const byId = (id) => document.getElementById(id);
  const fields = ["baseline", "candidate", "alpha", "min_effect", "since", "until"];

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function headers() {
    const token = sessionStorage.getItem("tracelog-token");
    return token ? { Authorization: "Bearer " + token } : {};
  }

  async function fetchText(path) {
    const response = await fetch(path, { headers: headers() });
    if (response.status === 401) {
      byId("token-panel").classList.remove("hidden");
      throw new Error("a bearer token is required");
    }
    const text = await response.text();
    if (!response.ok) {
      let message = response.status + " " + response.statusText;
      try { message = JSON.parse(text).error || message; } catch (_) { /* not JSON */ }
      throw new Error(message);
    }
    return text;
  }

  function queryOfHash() {
    const index = location.hash.indexOf("?");
    return new URLSearchParams(index >= 0 ? location.hash.slice(index + 1) : "");
  }

  function formatNumber(value, digits) {
    if (value === null || value === undefined) return "–";
    return Number(value).toFixed(digits);
  }

  function formatMs(value) {
    if (value === null || value === undefined) return "–";
    const magnitude = Math.abs(value);
    return value.toFixed(magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3) + " ms";
  }

  function formatP(value) {
    if (value === null || value === undefined) return "–";
    return value >= 0.001 || value === 0 ? value.toFixed(3) : value.toExponential(1);
  }

  function percent(value) { return (value * 100).toFixed(1) + "%"; }

  function mark(node) {
    const d = node.duration, f = node.failure_rate;
    if (!d || !f) return "";
    if (d.verdict === "slower" || f.verdict === "worse") return "+";
    if (f.baseline === 0 && f.candidate > 0) return "!";
    if (d.verdict === "faster" || f.verdict === "better") return "-";
    return "";
  }

  function renderTable(report) {
    const table = make("table", "traces compare-table");
    const head = make("tr");
    for (const title of ["", "node", "status", "base p50", "cand p50", "ratio [95% CI]", "p", "time", "base fail",
      "cand fail", "p", "failures", "retries"]) head.append(make("th", null, title));
    const thead = make("thead");
    thead.append(head);
    table.append(thead);
    const body = make("tbody");
    for (const node of report.nodes) {
      const row = make("tr");
      const d = node.duration, f = node.failure_rate;
      const cells = [
        make("td", "mark", mark(node)), make("td", "mono", node.node), make("td", null, node.status),
        make("td", "num", d ? formatMs(d.baseline_p50) : "–"), make("td", "num", d ? formatMs(d.candidate_p50) : "–"),
        make("td", "num", d && d.ratio !== null
          ? `${formatNumber(d.ratio, 2)}× [${formatNumber(d.ci_low, 2)}, ${d.ci_high === null ? "∞" : formatNumber(d.ci_high, 2)}]`
          : "–"),
        make("td", "num", d ? formatP(d.p_value) : "–"), make("td", "verdict " + (d ? d.verdict : ""), d ? d.verdict : "–"),
        make("td", "num", f ? percent(f.baseline) : "–"), make("td", "num", f ? percent(f.candidate) : "–"),
        make("td", "num", f ? formatP(f.p_value) : "–"), make("td", "verdict " + (f ? f.verdict : ""), f ? f.verdict : "–"),
        make("td", "num", `${formatNumber(node.retries.baseline_mean, 2)} → ${formatNumber(node.retries.candidate_mean, 2)}`),
      ];
      row.append(...cells);
      body.append(row);
    }
    table.append(body);
    return table;
  }

  // Only these SVG elements and attributes are imported from the report (it has no others; this is a guard).
  const allowedElements = new Set(["svg", "title", "line", "rect", "circle", "text", "polyline"]);
  const allowedAttributes = new Set(["xmlns", "class", "width", "height", "viewBox", "role", "x", "y", "x1", "y1",
    "x2", "y2", "cx", "cy", "r", "points", "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray",
    "text-anchor", "font-family", "font-size", "font-weight"]);

  function isSafe(element) {
    if (!allowedElements.has(element.localName)) return false;
    for (const attribute of element.attributes) if (!allowedAttributes.has(attribute.name)) return false;
    for (const child of element.children) if (!isSafe(child)) return false;
    return true;
  }

  function chartsOf(html) {
    const documentFragment = new DOMParser().parseFromString(html, "text/html");
    const container = make("div", "compare-charts");
    for (const element of documentFragment.body.querySelectorAll("h2, h3, svg")) {
      if (element.localName === "svg") {
        if (isSafe(element)) container.append(document.importNode(element, true));
      } else {
        container.append(make(element.localName, null, element.textContent));
      }
    }
    return container;
  }

  async function showCompare() {
    for (const id of ["list-view", "trace-view"]) byId(id).classList.add("hidden");
    byId("compare-view").classList.remove("hidden");
    const query = queryOfHash();
    const form = byId("compare-form");
    for (const name of fields) form.elements[name].value = query.get(name) || "";
    const result = byId("compare-result");
    if (!query.get("baseline") || !query.get("candidate")) {
      result.replaceChildren(make("p", "empty", "Choose two run sets: tag:GLOB or trace:ID."));
      return;
    }
    const status = byId("status");
    status.textContent = "comparing…";
    try {
      const [json, html] = await Promise.all([
        fetchText("/v1/compare?" + query.toString()),
        fetchText("/v1/compare?" + query.toString() + "&format=html"),
      ]);
      const report = JSON.parse(json);
      const summary = make("p", "summary",
        `baseline ${report.baseline.selector} (${report.baseline.runs} runs) · candidate ${report.candidate.selector} ` +
        `(${report.candidate.runs} runs) · ${report.regressions} regression${report.regressions === 1 ? "" : "s"}`);
      const panel = make("div", "panel");
      panel.append(summary, renderTable(report));
      result.replaceChildren(panel, chartsOf(html));
      status.textContent = "";
    } catch (error) {
      result.replaceChildren(make("p", "empty", error.message));
      status.textContent = error.message;
    }
  }

  function route() {
    if (location.hash.startsWith("#/compare")) {
      showCompare();
      return;
    }
    byId("compare-view").classList.add("hidden");
    const trace = /^#\/trace\/([0-9a-f]{32})/.exec(location.hash);
    if (trace) byId("compare-link").href = "#/compare?candidate=" + encodeURIComponent("trace:" + trace[1]);
  }

  document.addEventListener("DOMContentLoaded", () => {
    byId("compare-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const query = new URLSearchParams();
      for (const name of fields) {
        const value = event.target.elements[name].value.trim();
        if (value !== "") query.set(name, value);
      }
      location.hash = "#/compare?" + query.toString();
    });
    window.addEventListener("hashchange", route);
    route();
  });
})();
