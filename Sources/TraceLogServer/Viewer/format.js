// TraceLog web viewer: formatting shared by every page (times, durations on one axis unit, outcomes, JSON).
// Loaded first; defines the global TL namespace the other scripts use. No dependencies.
"use strict";

const TL = {};

// Microseconds since the epoch from RFC 3339 with up to six fractional digits.
TL.micros = function (text) {
  const match = /^(.{19})(?:\.(\d{1,6}))?(.*)$/.exec(text || "");
  if (!match) return NaN;
  const fraction = (match[2] || "").padEnd(6, "0");
  return Date.parse(match[1] + (match[3] || "Z")) * 1000 + Number(fraction);
};

// The outcome class (a colour) of an outcome text: a failure class, a status, or "succeeded".
TL.outcomeClass = function (outcome) {
  if (!outcome) return "none";
  if (outcome === "RECOVERABLE") return "recoverable";
  if (outcome === "TERMINAL") return "terminal";
  if (outcome === "AMBIGUOUS") return "ambiguous";
  if (/^(failed|timeout|abandoned)$/.test(outcome)) return "terminal";
  if (/^(requested|scheduled|delayed|pending|running|canceling|pausing|paused|resuming)$/.test(outcome)) return "pending";
  if (outcome === "none") return "none";
  return "success";
};

// Axis units: one unit for a whole axis, chosen from the span shown, so every label reads alike.
TL.units = [
  { name: "µs", micros: 1 }, { name: "ms", micros: 1e3 }, { name: "s", micros: 1e6 }, { name: "min", micros: 6e7 },
  { name: "h", micros: 3.6e9 },
];

TL.unitFor = function (spanMicros) {
  if (spanMicros < 2e3) return TL.units[0];
  if (spanMicros < 2e6) return TL.units[1];
  if (spanMicros < 1.2e8) return TL.units[2];
  if (spanMicros < 7.2e9) return TL.units[3];
  return TL.units[4];
};

// Tick positions (microseconds from the trace start) at a round step (1, 2 or 5 × 10^k of the unit).
TL.ticks = function (from, to, unit, wanted) {
  const span = Math.max(to - from, 1);
  const raw = span / unit.micros / Math.max(wanted, 1);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) * unit.micros;
  const ticks = [];
  for (let t = Math.ceil(from / step) * step; t <= to + step * 1e-9; t += step) ticks.push(t);
  return { ticks, step };
};

// A number of microseconds in `unit`, with as many decimals as `step` needs.
TL.inUnit = function (micros, unit, step) {
  const value = micros / unit.micros;
  const decimals = step ? Math.max(0, Math.min(3, -Math.floor(Math.log10(step / unit.micros) + 1e-9))) : 0;
  return value.toFixed(decimals) + " " + unit.name;
};

// A duration on its own (details panel): the unit that suits it, three significant digits.
TL.duration = function (micros) {
  if (micros === null || micros === undefined || Number.isNaN(micros)) return "–";
  const unit = TL.unitFor(micros);
  const value = micros / unit.micros;
  return (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)) + " " + unit.name;
};

// Stored JSON, indented; text that does not parse is shown as it is.
TL.prettyJSON = function (value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch (_) { return value; }
  }
  return JSON.stringify(value, null, 2);
};

TL.$ = (id) => document.getElementById(id);

TL.el = function (tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
};

TL.kindName = (type) => type.replace("_", " ");
TL.shortID = (id) => (id.length > 10 ? "…" + id.slice(-8) : id);

// The query of the hash (#/path?query).
TL.hashQuery = function () {
  const index = location.hash.indexOf("?");
  return new URLSearchParams(index >= 0 ? location.hash.slice(index + 1) : "");
};

// Fetches JSON from the API, sending the bearer token kept in this tab's session storage (if any). A failed
// request throws an Error with the server's message and its HTTP status in `status`.
TL.api = async function (path) {
  const headers = {};
  const token = sessionStorage.getItem("tracelog-token");
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch(path, { headers });
  if (response.status === 401) {
    TL.$("token-panel").classList.remove("hidden");
    const error = new Error("a bearer token is required");
    error.status = 401;
    throw error;
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.error || response.status + " " + response.statusText);
    error.status = response.status;
    throw error;
  }
  return { body, headers: response.headers };
};

TL.setStatus = function (text) { TL.$("status").textContent = text || ""; };
